/* SACK, the receiving side (RFC 2018 §4): every ACK of a connection that
 * agreed on SACK reports the out-of-order ranges it holds (tcp_rcv.c),
 * as many as the option space allows (4, or 3 with timestamps).  The
 * first block is the range holding the latest segment kept; the others
 * follow from the highest down, which for a sender moving forward are the
 * most recently changed.  No DSACK (RFC 2883 is optional). */
#include "tcp_internal.h"

void sack_out(const struct tcp_tcb *t, struct tcp_out *o)
{
	if (!(t->opt.on & TCP_OPTF_SACKOK) || t->nooo == 0)
		return;
	uint32_t last = t->rcv_nxt + (uint16_t)(t->opt.sack_last - (uint16_t)t->rcv_nxt);
	unsigned first = t->nooo;   /* none */
	for (unsigned i = 0; i < t->nooo; i++)
		if (seq_le(t->ooo[i].start, last) && seq_lt(last, t->ooo[i].end))
			first = i;
	unsigned n = 0;
	if (first < t->nooo) {
		o->sack[n].start = t->ooo[first].start;
		o->sack[n].end = t->ooo[first].end;
		n++;
	}
	for (unsigned i = t->nooo; i-- > 0 && n < TCP_SACK_MAX;) {
		if (i == first)
			continue;
		o->sack[n].start = t->ooo[i].start;
		o->sack[n].end = t->ooo[i].end;
		n++;
	}
	o->nsack = (uint8_t)n;
	o->opts |= TCP_OPTF_SACK;
}
