/* The interned keepalive settings (tcp_kaprof.h): a TCB takes a
 * reference when its keepalive is set (keel_tcp_set_keepalive) and drops
 * it when the setting changes or the TCB is freed (tcb_free).  Work per
 * call: one pass over the table, KEEL_TCP_KA_PROFILES entries, never
 * over the connections. */
#include "tcp_internal.h"

uint8_t ka_profile_take(struct keel *k, unsigned idle_s, unsigned intvl_s, unsigned cnt)
{
	struct tcp_ka_table *tab = &k->tcp.ka;
	unsigned free_i = KEEL_TCP_KA_PROFILES;
	for (unsigned i = 0; i < KEEL_TCP_KA_PROFILES; i++) {
		struct tcp_ka_profile *p = &tab->p[i];
		if (p->refs == 0) {
			if (free_i == KEEL_TCP_KA_PROFILES)
				free_i = i;
			continue;
		}
		if (p->idle_s == idle_s && p->intvl_s == intvl_s && p->cnt == cnt) {
			p->refs++;     /* at most one per TCB: never wraps */
			return (uint8_t)(i + 1u);
		}
	}
	if (free_i == KEEL_TCP_KA_PROFILES) {
		k->tcp.mib.ka_profile_full++;
		return TCP_KA_OFF;
	}
	struct tcp_ka_profile *p = &tab->p[free_i];
	p->idle_s = (uint16_t)idle_s;
	p->intvl_s = (uint16_t)intvl_s;
	p->cnt = (uint8_t)cnt;
	p->refs = 1;
	return (uint8_t)(free_i + 1u);
}

void ka_profile_drop(struct keel *k, uint8_t ka)
{
	if (ka == TCP_KA_OFF || ka > KEEL_TCP_KA_PROFILES)
		return;
	struct tcp_ka_profile *p = &k->tcp.ka.p[ka - 1u];
	if (p->refs > 0)
		p->refs--;
}
