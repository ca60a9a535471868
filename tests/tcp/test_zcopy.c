/* Zero-copy reading (tcp_recv_peek / tcp_recv_consume / tcp_splice): the
 * application reads the receive queue's chunks in place, a chunk boundary
 * is visible as two pieces, the window reopens exactly as after tcp_recv,
 * and the errors are tcp_recv's and tcp_send's. */
#include <string.h>
#include "harness.h"

SCRIPT(zcopy_peek_consume_in_place)
{
	LISTEN(7, 5);
	ESTABLISH();
	const uint8_t *p = NULL;
	CALL_EXPECT(tcp_recv_peek(K, H, &p), KEEL_EWOULDBLOCK);
	INJECT("< P. 1:6(5) ack 1 win 8192 'hello'");
	CALL_EXPECT(tcp_recv_peek(K, H, &p), 5);
	ASSERT_TRUE(memcmp(p, "hello", 5) == 0);
	CALL_EXPECT(tcp_recv_consume(K, H, 2), 2);
	CALL_EXPECT(tcp_recv_peek(K, H, &p), 3);
	ASSERT_TRUE(memcmp(p, "llo", 3) == 0);
	CALL_EXPECT(tcp_recv_consume(K, H, 100), 3);   /* no more than there is */
	CALL_EXPECT(tcp_recv_peek(K, H, &p), KEEL_EWOULDBLOCK);
	INJECT("< F. 6:6(0) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 7");
	CALL_EXPECT(tcp_recv_peek(K, H, &p), 0);       /* end of stream */
	CALL_EXPECT(tcp_recv_consume(K, H, 1), 0);
	CALL_EXPECT(tcp_recv_peek(K, LH, &p), KEEL_EINVAL);
	CALL_EXPECT(tcp_recv_consume(K, 12345, 1), KEEL_EBADF);
}

/* Bytes across a chunk boundary: peek shows the part up to the end of
 * the chunk first, then (after consume) the next chunk; every byte is the
 * peer's, in order. */
SCRIPT(zcopy_peek_across_chunk_boundary)
{
	LISTEN(7, 5);
	ESTABLISH();
	const uint8_t *p = NULL;
	INJECT("< . 1:1001(1000) ack 1 win 8192");
	INJECT("< . 1001:2001(1000) ack 1 win 8192");
	EXPECT("> . 1:1(0) ack 2001 win 48");
	CALL_EXPECT(tcp_recv_consume(K, H, 2000), 2000);
	/* the window reopens; the peer had filled it to within an SWS
	 * step and the app drained it, so the budget doubled (tcp_mem.c) */
	EXPECT("> . 1:1(0) ack 2001 win 4096");
	/* 300 bytes in a fresh chunk; 100 consumed: 156 to the boundary */
	INJECT("< P. 2001:2301(300) ack 1 win 8192");
	CALL_EXPECT(tcp_recv_consume(K, H, 100), 100);
	CALL_EXPECT(tcp_recv_peek(K, H, &p), KEEL_CHUNK_SIZE - 100);
	for (unsigned i = 0; i < KEEL_CHUNK_SIZE - 100; i++)
		ASSERT_TRUE(p[i] == (uint8_t)('a' + (2100 + i) % 26));
	CALL_EXPECT(tcp_recv_consume(K, H, KEEL_CHUNK_SIZE - 100), KEEL_CHUNK_SIZE - 100);
	CALL_EXPECT(tcp_recv_peek(K, H, &p), 300 - KEEL_CHUNK_SIZE);
	for (unsigned i = 0; i < 300 - KEEL_CHUNK_SIZE; i++)
		ASSERT_TRUE(p[i] == (uint8_t)('a' + (2000 + KEEL_CHUNK_SIZE + i) % 26));
	CALL_EXPECT(tcp_recv_consume(K, H, 1000), 300 - KEEL_CHUNK_SIZE);
	CALL_EXPECT(tcp_recv_peek(K, H, &p), KEEL_EWOULDBLOCK);
	ASSERT_TRUE(K->tcp.chunks.in_use == 0);       /* read out: no chunk held */
}

/* Echo through tcp_splice: one copy ring to ring, the window update rides
 * on the echoed data; a listener or a shut-down sender is refused. */
SCRIPT(zcopy_splice_echo)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< P. 1:4(3) ack 1 win 8192 'abc'");
	CALL_EXPECT(tcp_splice(K, H, H, 100), 3);
	EXPECT("> P. 1:4(3) ack 4 'abc'");
	EXPECT_NONE();
	CALL_EXPECT(tcp_splice(K, H, H, 100), KEEL_EWOULDBLOCK);
	CALL_EXPECT(tcp_splice(K, H, LH, 100), KEEL_EINVAL);
	INJECT("< P. 4:6(2) ack 4 win 8192 'de'");
	CALL_EXPECT(tcp_splice(K, H, H, 1), 1);       /* at most max */
	EXPECT("> P. 4:5(1) ack 6 'd'");
	CALL_EXPECT(tcp_shutdown(K, H), KEEL_OK);
	EXPECT("> F. 5:5(0) ack 6");
	CALL_EXPECT(tcp_splice(K, H, H, 100), KEEL_EPIPE);
	const uint8_t *p = NULL;
	CALL_EXPECT(tcp_recv_peek(K, H, &p), 1);       /* still readable */
	ASSERT_TRUE(p[0] == 'e');
}

/* Echo of whole chunks: tcp_splice hands the receive queue's chunks to
 * the send queue without a copy and without a new chunk, so an echo
 * goes on even with the pool at tcp_mem high (no chunk to take). */
SCRIPT(zcopy_splice_hands_over_whole_chunks)
{
	LISTEN(7, 5);
	ESTABLISH();
	INJECT("< . 1:1461(1460) ack 1 win 8192");
	unsigned used = K->tcp.chunks.in_use;
	ASSERT_TRUE(used == (1460 + KEEL_CHUNK_SIZE - 1) / KEEL_CHUNK_SIZE);
	K->tcp.sysctl.tcp_mem[0] = 1;
	K->tcp.sysctl.tcp_mem[1] = used;
	K->tcp.sysctl.tcp_mem[2] = used;                 /* nothing more to take */
	CALL_EXPECT(tcp_splice(K, H, H, 5000), 1460);
	ASSERT_TRUE(K->tcp.chunks.in_use == used);
	EXPECT("> . 1:1461(1460) ack 1461 pattern");
	INJECT("< . 1461:1461(0) ack 1461 win 8192");
	ASSERT_TRUE(K->tcp.chunks.in_use == 0);
}
