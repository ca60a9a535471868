/* Keepalive settings, interned: TCP_KEEPIDLE, TCP_KEEPINTVL and
 * TCP_KEEPCNT are 5 bytes that nearly every connection shares with
 * others (the defaults, or one of a few an application picks), so a TCB
 * keeps a 1-byte index (tcb.ka) into this small table in the stack
 * instead, and each entry counts the TCBs that use it.  Index 0 is
 * "keepalive off" and has no entry; entry i is p[i - 1].  An entry whose
 * count falls to 0 is free for the next new setting (tcp_kaprof.c). */
#ifndef KEEL_TCP_KAPROF_H
#define KEEL_TCP_KAPROF_H
#include <stdint.h>
#include <keel/config.h>

#define TCP_KA_OFF 0u               /* tcb.ka: keepalive off */

struct tcp_ka_profile {
	uint16_t idle_s, intvl_s;   /* TCP_KEEPIDLE, TCP_KEEPINTVL (1..32767) */
	uint16_t refs;              /* TCBs whose tcb.ka names it; 0: free */
	uint8_t cnt;                /* TCP_KEEPCNT (1..127) */
};

struct tcp_ka_table {
	struct tcp_ka_profile p[KEEL_TCP_KA_PROFILES];
};

struct keel;
/* *ka (a TCB's, holding a reference or TCP_KA_OFF) moved to an entry
 * holding (idle_s, intvl_s, cnt): one that already does, else a free
 * one.  KEEL_ENOMEM, *ka and every count unchanged, when every entry
 * holds another live setting (counted: tcp_mib.ka_profile_full). */
int ka_profile_change(struct keel *k, uint8_t *ka, unsigned idle_s, unsigned intvl_s, unsigned cnt);
/* Drop one reference to entry ka (nothing for TCP_KA_OFF). */
void ka_profile_drop(struct keel *k, uint8_t ka);
#endif
