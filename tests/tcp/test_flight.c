/* The data entry (stack/tcp/tcp_flight.h): the sender's in-flight state
 * and both byte queues.  A connection holds one only while it has data
 * queued or unacknowledged, its FIN out, or bytes received and unread
 * (or out of order), so an idle one holds none; an active open's
 * handshake needs none.  With the pool empty a first write gets EWOULDBLOCK (and
 * the connection polls not writable) and a FIN waits, the retransmit
 * timer trying again, all counted (flight.full); nothing is lost, and
 * every way a connection ends gives its entry back. */
#include "harness.h"
#include "tcp_internal.h"

#define IN_USE() (K->tcp.flight.in_use)

SCRIPT(flight_held_only_while_data_is_out)
{
	LISTEN(7, 5);
	ESTABLISH();
	ASSERT_TRUE(IN_USE() == 0 && CUR->handle >= 0);    /* idle: none held */
	INJECT("< P. 1:101(100) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 101");
	ASSERT_TRUE(IN_USE() == 1);                          /* unread bytes hold one */
	RECV_EXPECT_N(100);
	ASSERT_TRUE(IN_USE() == 0);                          /* all read: given back */
	SEND("hello");
	EXPECT("> P. 1:6(5) ack 101 'hello'");
	ASSERT_TRUE(IN_USE() == 1);
	INJECT("< . 101:101(0) ack 3 win 8192");
	ASSERT_TRUE(IN_USE() == 1);                          /* 3 bytes still out */
	INJECT("< . 101:101(0) ack 6 win 8192");
	ASSERT_TRUE(IN_USE() == 0);                          /* all acked: given back */
	ASSERT_TRUE(K->tcp.flight.full == 0);
	/* An active open: no entry for the handshake, one for the data. */
	CONN(1);
	CONNECT(80);
	EXPECT("> S 0:0(0) win 2048 <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>");
	ASSERT_TRUE(IN_USE() == 0);
	INJECT("< S. 0:0(0) ack 1 win 8192 <mss 1460>");
	EXPECT("> . 1:1(0) ack 1");
	ASSERT_STATE(TCP_ESTABLISHED);
	ASSERT_TRUE(IN_USE() == 0);
	SEND("x");
	EXPECT("> P. 1:2(1) ack 1 'x'");
	INJECT("< . 1:1(0) ack 2 win 8192");
	ASSERT_TRUE(IN_USE() == 0);
}

/* Connections 1..KEEL_TCP_FLIGHT each with 3 bytes unacknowledged: every
 * entry of the pool is held. */
static void hold_every_entry(struct th *t)
{
	LISTEN(7, KEEL_TCP_MAX_CONN);
	for (int i = 1; i <= KEEL_TCP_FLIGHT; i++) {
		CONN(i);
		ESTABLISH();
		SEND("abc");
		EXPECT("> P. 1:4(3) ack 1 'abc'");
	}
	ASSERT_TRUE(IN_USE() == KEEL_TCP_FLIGHT);
}

/* KEEL_TCP_FLIGHT connections with data unacknowledged hold the whole
 * pool: the next connection's write waits, counted, its FIN too; as soon
 * as one entry frees the write goes, and the FIN within the retry. */
SCRIPT(flight_pool_empty_write_waits_then_goes)
{
	hold_every_entry(t);
	CONN(0);
	ESTABLISH();
	ASSERT_TRUE(!(tcp_poll(K, H) & TCP_POLL_WRITABLE));   /* nothing could be queued */
	CALL_EXPECT(tcp_send(K, H, "late", 4), KEEL_EWOULDBLOCK);
	EXPECT_NONE();
	ASSERT_TRUE(K->tcp.flight.full == 1);
	ASSERT_TRUE(th_conn_info(t).send_q == 0);
	/* Another connection's data is acked: its entry serves this one. */
	CONN(1);
	INJECT("< . 1:1(0) ack 4 win 8192");
	ASSERT_TRUE(IN_USE() == KEEL_TCP_FLIGHT - 1);
	CONN(0);
	ASSERT_TRUE(tcp_poll(K, H) & TCP_POLL_WRITABLE);
	SEND("late");
	EXPECT("> P. 1:5(4) ack 1 'late'");
	ASSERT_TRUE(IN_USE() == KEEL_TCP_FLIGHT);
	INJECT("< . 1:1(0) ack 5 win 8192");
	ASSERT_TRUE(IN_USE() == KEEL_TCP_FLIGHT - 1);
	/* The pool full again (connection 1 writes), connection 0 closes:
	 * its FIN waits for an entry, then goes within the retry. */
	CONN(1);
	SEND("def");
	EXPECT("> P. 4:7(3) ack 1 'def'");
	ASSERT_TRUE(IN_USE() == KEEL_TCP_FLIGHT);
	CONN(0);
	const struct tcp_tcb *c0 = &K->tcp.tcbs[tcp_handle_slot(H)];
	CLOSE();
	EXPECT_NONE();
	ASSERT_STATE_COUNT(TCP_FIN_WAIT_1, 1);
	ASSERT_TRUE(!(c0->flags & TCB_F_FIN_SENT) && c0->flight == TCP_NONE);
	uint32_t full = K->tcp.flight.full;
	ASSERT_TRUE(full >= 2);
	/* The others' retransmissions are not this script's business. */
	IGNORE_OUTPUT(1);
	ADVANCE_MS(TCP_FLIGHT_RETRY_MS * 3);
	IGNORE_OUTPUT(0);
	ASSERT_TRUE(!(c0->flags & TCB_F_FIN_SENT));            /* still none free: still waiting */
	ASSERT_TRUE(K->tcp.flight.full >= full + 2);          /* a try each retry, counted */
	CONN(2);
	INJECT("< . 1:1(0) ack 4 win 8192");
	ASSERT_TRUE(IN_USE() == KEEL_TCP_FLIGHT - 1);
	CONN(0);
	EXPECT_WITHIN(TCP_FLIGHT_RETRY_MS, "> F. 5:5(0) ack 1");
	ASSERT_TRUE(IN_USE() == KEEL_TCP_FLIGHT);
	INJECT("< F. 1:1(0) ack 6 win 8192");
	EXPECT("> . 6:6(0) ack 2");
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
	ASSERT_TRUE(IN_USE() == KEEL_TCP_FLIGHT - 1);
	/* Everyone else's data acked: the pool is back to empty. */
	for (int i = 1; i <= KEEL_TCP_FLIGHT; i++) {
		if (i == 2)
			continue;
		CONN(i);
		INJECT(i == 1 ? "< . 1:1(0) ack 7 win 8192" : "< . 1:1(0) ack 4 win 8192");
	}
	ASSERT_TRUE(IN_USE() == 0);
}

/* Every end gives the entry back: abort (RST), the peer's RST, an orphan
 * reaching TIME_WAIT, a timeout. */
SCRIPT(flight_given_back_on_every_end)
{
	LISTEN(7, KEEL_TCP_MAX_CONN);
	CONN(1);
	ESTABLISH();
	SEND("abc");
	EXPECT("> P. 1:4(3) ack 1 'abc'");
	CONN(2);
	ESTABLISH();
	SEND("abc");
	EXPECT("> P. 1:4(3) ack 1 'abc'");
	CONN(3);
	ESTABLISH();
	SEND("abc");
	EXPECT("> P. 1:4(3) ack 1 'abc'");
	ASSERT_TRUE(IN_USE() == 3);
	CONN(1);
	ABORT();
	EXPECT("> R. 4:4(0) ack 1");
	ASSERT_TRUE(IN_USE() == 2);
	CONN(2);
	INJECT("< R. 1:1(0) ack 4 win 0");
	ASSERT_TRUE(IN_USE() == 1);
	CONN(3);
	CLOSE();
	EXPECT("> F. 4:4(0) ack 1");
	INJECT("< F. 1:1(0) ack 5 win 8192");
	EXPECT("> . 5:5(0) ack 2");
	ASSERT_STATE_COUNT(TCP_TIME_WAIT, 1);
	ASSERT_TRUE(IN_USE() == 0);
	/* Retransmissions until the connection times out. */
	CONN(4);
	ESTABLISH();
	SEND("abc");
	EXPECT("> P. 1:4(3) ack 1 'abc'");
	ASSERT_TRUE(IN_USE() == 1);
	IGNORE_OUTPUT(1);
	ADVANCE_MS(3600000);
	IGNORE_OUTPUT(0);
	ASSERT_ERROR(KEEL_ETIMEDOUT);
	ASSERT_TRUE(IN_USE() == 0);
	ASSERT_TRUE(K->tcp.flight.full == 0);
}

/* The receive queue lives in the same entry (tcp_flight.h): an idle
 * connection holds neither an entry nor a chunk; unread bytes hold one
 * entry until the application has read them all. */
SCRIPT(data_entry_held_for_unread_bytes)
{
	LISTEN(7, 5);
	ESTABLISH();
	const struct tcp_tcb *c = &K->tcp.tcbs[tcp_handle_slot(H)];
	ASSERT_TRUE(IN_USE() == 0 && c->flight == TCP_NONE && K->tcp.chunks.in_use == 0);
	INJECT("< P. 1:101(100) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 101");
	ASSERT_TRUE(IN_USE() == 1 && c->flight != TCP_NONE && K->tcp.chunks.in_use == 1);
	RECV_EXPECT_N(40);
	ASSERT_TRUE(IN_USE() == 1);                          /* 60 bytes unread */
	RECV_EXPECT_N(60);
	ASSERT_TRUE(IN_USE() == 0 && c->flight == TCP_NONE && K->tcp.chunks.in_use == 0);
	/* Unread bytes and data out share the one entry. */
	INJECT("< P. 101:201(100) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 201");
	SEND("hello");
	EXPECT("> P. 1:6(5) ack 201 'hello'");
	ASSERT_TRUE(IN_USE() == 1);
	INJECT("< . 201:201(0) ack 6 win 8192");
	ASSERT_TRUE(IN_USE() == 1);                          /* acked, but 100 bytes unread */
	RECV_EXPECT_N(100);
	ASSERT_TRUE(IN_USE() == 0 && K->tcp.chunks.in_use == 0);
	ASSERT_TRUE(K->tcp.flight.full == 0);
}

/* Out-of-order bytes hold the entry too; the connection's end takes
 * them (tcb_done) and the entry with them.  Unread in-order bytes stay
 * for the application after a RST, in the entry, until read. */
SCRIPT(data_entry_out_of_order_and_reset)
{
	LISTEN(7, 5);
	CONN(1);
	ESTABLISH();
	INJECT("< P. 101:201(100) ack 1 win 8192");          /* beyond a gap */
	EXPECT("> . 1:1(0) ack 1");
	ASSERT_TRUE(IN_USE() == 1 && K->tcp.chunks.in_use == 1);
	INJECT("< R. 1:1(0) ack 1 win 0");
	ASSERT_STATE(TCP_CLOSED);
	ASSERT_TRUE(IN_USE() == 0 && K->tcp.chunks.in_use == 0);
	CONN(2);
	ESTABLISH();
	INJECT("< P. 1:101(100) ack 1 win 8192");
	EXPECT_WITHIN(ACK_DELAY_MAX, "> . 1:1(0) ack 101");
	INJECT("< R. 101:101(0) ack 1 win 0");
	ASSERT_STATE(TCP_CLOSED);
	ASSERT_TRUE(IN_USE() == 1);                          /* the unread bytes */
	RECV_EXPECT_N(100);
	ASSERT_TRUE(IN_USE() == 0 && K->tcp.chunks.in_use == 0);
}

/* With every entry held, a first byte for an empty receive queue finds
 * none: the segment is dropped and counted as when the arena is dry
 * (TCPRcvQDrop, ss -m "d"); once an entry frees the peer's resend is
 * taken, nothing lost. */
SCRIPT(data_entry_pool_empty_drops_first_byte)
{
	hold_every_entry(t);
	CONN(0);
	ESTABLISH();
	INJECT("< P. 1:101(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1 win 2048");
	ASSERT_COUNTER(rcvq_drop, 1);
	ASSERT_TRUE(K->tcp.tcbs[tcp_handle_slot(H)].rcv_drops == 1);
	ASSERT_TRUE(K->tcp.flight.full >= 1 && K->tcp.chunks.in_use == KEEL_TCP_FLIGHT);   /* the others' "abc" only */
	CONN(1);
	INJECT("< . 1:1(0) ack 4 win 8192");
	ASSERT_TRUE(IN_USE() == KEEL_TCP_FLIGHT - 1);
	CONN(0);
	/* The others' retransmissions and the delayed ACK are not this
	 * script's business: the bytes are read, in order, all of them. */
	IGNORE_OUTPUT(1);
	INJECT("< P. 1:101(100) ack 1 win 8192");          /* resent */
	ASSERT_TRUE(IN_USE() == KEEL_TCP_FLIGHT);
	RECV_EXPECT_N(100);
	ASSERT_TRUE(IN_USE() == KEEL_TCP_FLIGHT - 1);
	ASSERT_COUNTER(rcvq_drop, 1);
	for (int i = 2; i <= KEEL_TCP_FLIGHT; i++) {
		CONN(i);
		INJECT("< . 1:1(0) ack 4 win 8192");
	}
	ASSERT_TRUE(IN_USE() == 0 && K->tcp.chunks.in_use == 0);
}
