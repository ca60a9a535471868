/* The TCB's cold state (stack/tcp/tcp_ext.h): a connection takes an
 * extension only while it holds out-of-order data (or keeps a SACK
 * scoreboard, times a segment, checks a fast retransmit) and gives it
 * back when the need ends, so an idle connection holds none.  With the
 * pool empty an out-of-order segment is dropped and counted (TCPOFODrop),
 * no SACK block is reported for it, and the peer's retransmission is
 * kept once an extension is free again: nothing is lost. */
#include "harness.h"
#include "tcp_internal.h"

SCRIPT(ext_held_only_while_out_of_order_data_is)
{
	LISTEN(7, 5);
	ESTABLISH();
	ASSERT_TRUE(K->tcp.ext.in_use == 0);                 /* idle: none held */
	INJECT("< P. 101:201(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1");
	ASSERT_TRUE(K->tcp.ext.in_use == 1);                 /* the range needs one */
	INJECT("< P. 1:101(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 201");
	ASSERT_TRUE(K->tcp.ext.in_use == 0);                 /* gap filled: given back */
	RECV_EXPECT_N(200);
	ASSERT_TRUE(K->tcp.ext.in_use == 0 && K->tcp.ext.full == 0);
}

SCRIPT(ext_pool_empty_out_of_order_dropped_then_kept)
{
	LISTEN(7, KEEL_TCP_MAX_CONN);
	/* Every extension held by another connection's gap. */
	for (int i = 1; i <= KEEL_TCP_EXT; i++) {
		CONN(i);
		ESTABLISH();
		INJECT("< P. 101:201(100) ack 1 win 8192");
		EXPECT("> . 1:1(0) ack 1");
	}
	ASSERT_TRUE(K->tcp.ext.in_use == KEEL_TCP_EXT);
	CONN(0);
	INJECT("< S 0:0(0) win 8192 <mss 1460,nop,nop,sackOK>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,nop,sackOK>");
	INJECT("< . 1:1(0) ack 1 win 8192");
	ACCEPT();
	INJECT("< P. 101:201(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 1 <>");                       /* not kept: no block */
	ASSERT_COUNTER(ofo_drop, 1);
	ASSERT_TRUE(K->tcp.ext.full == 1);
	/* A gap fills elsewhere: its extension is free again.  Its
	 * application reads the bytes, so its data entry goes back too (the
	 * connections holding every extension held every data entry as
	 * well: KEEL_TCP_FLIGHT == KEEL_TCP_EXT here, tcp_flight.h). */
	CONN(1);
	INJECT("< P. 1:101(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 201");
	ASSERT_TRUE(K->tcp.ext.in_use == KEEL_TCP_EXT - 1);
	RECV_EXPECT_N(200);
	ASSERT_TRUE(K->tcp.flight.in_use == KEEL_TCP_FLIGHT - 1);
	CONN(0);
	INJECT("< P. 101:201(100) ack 1 win 8192");          /* the peer resends it */
	EXPECT("> . 1:1(0) ack 1 <nop,nop,sack 101:201>");
	INJECT("< P. 1:101(100) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 201 <>");
	RECV_EXPECT_N(200);
	ASSERT_COUNTER(ofo_drop, 1);
}

/* With timestamps a data segment is not timed in the cold state: the
 * ACK's TSecr gives the RTT sample (RFC 7323 §4.1), so a request/response
 * connection takes no extension per segment.  Without them it still does. */
SCRIPT(ext_not_taken_to_time_a_segment_with_timestamps)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,nop,nop,TS val 100 ecr 0>");
	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460,nop,nop,TS val 0 ecr 100>");
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,TS val 101 ecr 0>");
	ACCEPT();
	ADVANCE_MS(100);
	uint32_t srtt8 = tcb_from_handle(K, H)->srtt8;       /* the handshake's sample */
	SEND("x");
	EXPECT("> P. 1:2(1) ack 1 <nop,nop,TS val 100 ecr 101>");
	ASSERT_TRUE(K->tcp.ext.in_use == 0);
	ADVANCE_MS(40);
	INJECT("< . 1:1(0) ack 2 win 8192 <nop,nop,TS val 102 ecr 100>");
	ASSERT_TRUE(tcb_from_handle(K, H)->srtt8 == srtt8 + 40u - (srtt8 >> 3));   /* the echo: 40 ms */
	ASSERT_TRUE(K->tcp.ext.in_use == 0 && K->tcp.ext.full == 0);
}

SCRIPT(ext_taken_to_time_a_segment_without_timestamps)
{
	LISTEN(7, 5);
	ESTABLISH();
	ADVANCE_MS(100);
	uint32_t srtt8 = tcb_from_handle(K, H)->srtt8;
	SEND("x");
	EXPECT("> P. 1:2(1) ack 1");
	ASSERT_TRUE(K->tcp.ext.in_use == 1);                 /* the timed segment */
	ADVANCE_MS(40);
	INJECT("< . 1:1(0) ack 2 win 8192");
	ASSERT_TRUE(tcb_from_handle(K, H)->srtt8 == srtt8 + 40u - (srtt8 >> 3));
	ASSERT_TRUE(K->tcp.ext.in_use == 0);
}
