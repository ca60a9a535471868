/* The end of a connection (Linux tcp_done): CLOSED, timers off, the
 * queues purged.  A connection the application holds keeps its TCB until
 * it closes the handle, so it can read the error; one nobody will ever
 * read (closed by the application, or still in a listener's accept queue)
 * is freed at once -- out of the accept queue first, by the listener,
 * which owns that queue. */
#include "tcp_internal.h"

void tcb_done(struct keel *k, struct tcp_tcb *t, int err)
{
	tcb_set_state(k, t, TCP_CLOSED);
	t->flags &= (uint16_t)~TCB_F_ACK_NOW;
	t->timers = 0;
	t->dflags &= (uint8_t)~TCB_D_PERSIST;
	/* Freed at once: tcb_free gives every chunk and the extension back. */
	if (t->flags & TCB_F_ACCEPTQ) {
		acceptq_unlink(k, t);       /* never accepted: the listener lets it go */
		tcb_free(k, t);
		return;
	}
	if (t->flags & TCB_F_ORPHAN) {
		tcb_free(k, t);             /* nobody will ever read the error */
		return;
	}
	tcb_ext_release(k, t);          /* out-of-order ranges, scoreboard, timing */
	/* The write and out-of-order queues are purged, as tcp_done; unread
	 * data stays for the application, and the data entry with it. */
	tcb_flight_done(k, t);
	mem_update(k);
	if (err != KEEL_OK)
		t->err = (int8_t)err;   /* >= -16: tcp_tcb.h */
}
