/* The interned keepalive settings (tcp_kaprof.h): a TCB takes a
 * reference when its keepalive is set (keel_tcp_set_keepalive) and drops
 * it when the setting changes or the TCB is freed (tcb_free).  Work per
 * call: one pass over the table, KEEL_TCP_KA_PROFILES entries, never
 * over the connections. */
#include "tcp_internal.h"

/* A new reference to an entry holding (idle_s, intvl_s, cnt): one that
 * already does, else the first free one; TCP_KA_OFF (counted) when every
 * entry holds another setting in use. */
static uint8_t ka_profile_take(struct keel *k, unsigned idle_s, unsigned intvl_s, unsigned cnt)
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
	unsigned i = (unsigned)ka - 1u;    /* TCP_KA_OFF: UINT_MAX */
	if (i >= KEEL_TCP_KA_PROFILES)
		return;
	struct tcp_ka_profile *p = &k->tcp.ka.p[i];
	if (p->refs > 0)
		p->refs--;
}

/* The old reference is dropped first, so a connection that alone holds
 * an entry can change it when the table is full; if no entry is left for
 * the new setting the old one is taken back unchanged (nothing else ran
 * in between, so its entry still holds it), as a refused setsockopt
 * leaves the socket as it was. */
int ka_profile_change(struct keel *k, uint8_t *ka, unsigned idle_s, unsigned intvl_s, unsigned cnt)
{
	uint8_t old = *ka;
	ka_profile_drop(k, old);
	uint8_t to = ka_profile_take(k, idle_s, intvl_s, cnt);
	if (to == TCP_KA_OFF) {
		if (old != TCP_KA_OFF)
			k->tcp.ka.p[old - 1u].refs++;
		return KEEL_ENOMEM;
	}
	*ka = to;
	return KEEL_OK;
}
