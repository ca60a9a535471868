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
	/* Ranges are offsets from RCV.NXT (tcp_rcv.c); so is the latest. */
	uint16_t last = (uint16_t)(t->opt.sack_last - (uint16_t)t->rcv_nxt);
	unsigned first = t->nooo;   /* none */
	for (unsigned i = 0; i < t->nooo; i++)
		if (t->ooo[i].start <= last && last < t->ooo[i].end)
			first = i;
	unsigned n = 0;
	if (first < t->nooo) {
		o->sack[n].start = t->rcv_nxt + t->ooo[first].start;
		o->sack[n].end = t->rcv_nxt + t->ooo[first].end;
		n++;
	}
	for (unsigned i = t->nooo; i-- > 0 && n < TCP_SACK_MAX;) {
		if (i == first)
			continue;
		o->sack[n].start = t->rcv_nxt + t->ooo[i].start;
		o->sack[n].end = t->rcv_nxt + t->ooo[i].end;
		n++;
	}
	o->nsack = (uint8_t)n;
	o->opts |= TCP_OPTF_SACK;
}
