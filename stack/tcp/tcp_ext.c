/* The extension pool (tcp_ext.h): taken when a connection keeps an
 * out-of-order segment, a SACK block, starts timing a segment (without
 * timestamps: with them the ACKs' TSecr give the samples), enters
 * SACK recovery or marks a fast retransmit for the spurious-retransmit
 * check; given back as soon as none of that is going on (tcb_ext_trim, after every
 * segment, timer and close), so its use is bounded by the connections
 * with data in flight, not by the connections held. */
#include "tcp_internal.h"

void tcb_ext_pool_init(struct keel *k)
{
	struct tcb_ext_pool *p = &k->tcp.ext;
	for (unsigned i = 0; i < KEEL_TCP_EXT; i++)
		p->e[i].next = (uint16_t)(i + 1 < KEEL_TCP_EXT ? i + 1 : TCP_NONE);
	p->free_head = 0;
	p->in_use = p->peak = 0;
	p->full = 0;
}

struct tcb_ext *tcb_ext_get(struct keel *k, struct tcp_tcb *t)
{
	struct tcb_ext_pool *p = &k->tcp.ext;
	if (t->ext != TCP_NONE)
		return &p->e[t->ext];
	if (p->free_head == TCP_NONE) {
		p->full++;
		return NULL;
	}
	uint16_t i = p->free_head;
	struct tcb_ext *x = &p->e[i];
	p->free_head = x->next;
	/* Field by field, not a memset call: ooo[] and sb.blk[] are read
	 * only below their counts (nooo, sb.n), zeroed here. */
	x->next = TCP_NONE;
	x->rtt_seq = 0;
	x->rtt_start = 0;
	x->rcv_fin = 0;
	x->sack_last = 0;
	x->nooo = 0;
	x->sb.high_rxt = 0;
	x->sb.n = 0;
	x->owner = (uint16_t)(t - k->tcp.tcbs);
	t->ext = i;
	if (++p->in_use > p->peak)
		p->peak = p->in_use;
	return x;
}

static void ext_put(struct keel *k, struct tcp_tcb *t)
{
	struct tcb_ext_pool *p = &k->tcp.ext;
	p->e[t->ext].next = p->free_head;
	p->free_head = t->ext;
	p->in_use--;
	t->ext = TCP_NONE;
}

int tcb_ext_needed(const struct keel *k, const struct tcp_tcb *t)
{
	const struct tcb_ext *x = t->ext == TCP_NONE ? NULL : &k->tcp.ext.e[t->ext];
	return (t->dflags & TCB_D_RTT_ON) || (t->mflags & SB_EIFEL) || (t->flags & TCB_F_FIN_OOO) ||
	       ((t->dflags & TCB_D_RECOVERY) && (t->opt.on & TCP_OPTF_SACKOK)) ||
	       (x && (x->nooo > 0 || x->sb.n > 0));
}

void tcb_ext_trim_held(struct keel *k, struct tcp_tcb *t)
{
	if (!tcb_ext_needed(k, t))
		ext_put(k, t);
}

void tcb_ext_release(struct keel *k, struct tcp_tcb *t)
{
	t->dflags &= (uint8_t)~TCB_D_RTT_ON;
	t->mflags &= (uint8_t)~SB_EIFEL;
	t->flags &= (uint16_t)~TCB_F_FIN_OOO;
	if (t->ext != TCP_NONE)
		ext_put(k, t);
}
