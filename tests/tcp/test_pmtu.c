/* Path MTU discovery (RFC 1191, RFC 5927): an ICMP "fragmentation needed"
 * quoting a segment in flight lowers the connection's MSS and resends at
 * the new size; one quoting something else is counted and ignored. */
#include <string.h>
#include "byteorder.h"
#include "checksum.h"
#include "harness.h"

/* ICMP 3/4 from the router (TH_PEER_IP here) quoting a device segment of
 * quoted_len bytes with sequence number dev_seq (relative to the device's
 * ISN) from dev_port to peer_port. */
static void inject_frag_needed(struct th *t, uint16_t mtu, uint32_t dev_seq, uint16_t dev_port,
			       uint16_t peer_port, uint16_t quoted_len)
{
	uint8_t f[14 + 20 + 8 + 28];
	memcpy(f, th_dev_mac, 6);
	memcpy(f + 6, th_peer_mac, 6);
	store_be16(f + 12, 0x0800);
	uint8_t *ip = f + 14, *m = ip + 20, *q = m + 8;
	memset(ip, 0, sizeof(f) - 14);
	/* the quoted datagram: our IP header and the first 8 bytes of TCP */
	q[0] = 0x45;
	store_be16(q + 2, quoted_len);
	store_be16(q + 6, 0x4000);
	q[8] = 64;
	q[9] = 6;
	store_be32(q + 12, TH_DEV_IP);
	store_be32(q + 16, TH_PEER_IP);
	store_be16(q + 10, csum_fold(csum_add(0, q, 20)));
	store_be16(q + 20, dev_port);
	store_be16(q + 22, peer_port);
	store_be32(q + 24, t->c[t->cur].dev_isn + dev_seq);
	m[0] = 3;
	m[1] = 4;
	store_be16(m + 6, mtu);
	store_be16(m + 2, csum_fold(csum_add(0, m, 8 + 28)));
	ip[0] = 0x45;
	store_be16(ip + 2, 20 + 8 + 28);
	ip[8] = 64;
	ip[9] = 1;
	store_be32(ip + 12, TH_PEER_IP);
	store_be32(ip + 16, TH_DEV_IP);
	store_be16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	keel_input(K, f, sizeof(f), t->now);
}

#define ASSERT_PMTU(name, v) \
	th_assert_counter(t, __LINE__, "pmtu." #name, K->tcp.pmtu.name, (v))
#define FRAG_NEEDED(mtu, seq) inject_frag_needed(t, (mtu), (seq), 7, TH_DEFAULT_PEER_PORT, 1500)

SCRIPT(pmtu_frag_needed_lowers_mss_and_resends)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND_N(2000);
	EXPECT("> . 1:1461(1460) ack 1 pattern");
	EXPECT("> P. 1461:2001(540) ack 1 pattern");
	FRAG_NEEDED(1280, 1);             /* the first segment did not fit a 1280 link */
	EXPECT("> . 1:1241(1240) ack 1 pattern");
	EXPECT("> P. 1241:2001(760) ack 1 pattern");
	EXPECT_NONE();
	ASSERT_PMTU(updates, 1);
	INJECT("< . 1:1(0) ack 2001 win 8192");
	/* new data goes out at the new size */
	SEND_N(1300);
	EXPECT("> . 2001:3241(1240) ack 1 pattern");
	EXPECT("> P. 3241:3301(60) ack 1 pattern");
	INJECT("< . 1:1(0) ack 3301 win 8192");
	/* a larger MTU never raises it again (no increase without probing) */
	SEND_N(100);
	EXPECT("> P. 3301:3401(100) ack 1 pattern");
	FRAG_NEEDED(1400, 3301);
	EXPECT_NONE();
	ASSERT_PMTU(ignored, 1);
	INJECT("< . 1:1(0) ack 3401 win 8192");
}

/* RFC 5927 §5.1: only a segment in SND.UNA .. SND.MAX counts. */
SCRIPT(pmtu_spoofed_icmp_ignored)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND_N(1000);
	EXPECT("> P. 1:1001(1000) ack 1 pattern");
	FRAG_NEEDED(576, 5001);                                    /* beyond SND.MAX */
	FRAG_NEEDED(576, 0);                                       /* before SND.UNA (the SYN) */
	inject_frag_needed(t, 576, 1, 7, 40001, 1500);             /* another peer port */
	inject_frag_needed(t, 576, 1, 9, TH_DEFAULT_PEER_PORT, 1500); /* another local port */
	EXPECT_NONE();
	ASSERT_PMTU(out_of_window, 2);
	ASSERT_PMTU(no_conn, 2);
	ASSERT_PMTU(updates, 0);
	INJECT("< . 1:1(0) ack 1001 win 8192");
	/* acknowledged data is no longer in flight either */
	FRAG_NEEDED(576, 1);
	EXPECT_NONE();
	ASSERT_PMTU(out_of_window, 3);
}

/* RFC 1191 §5: no next-hop MTU (an old router): the plateau below the
 * quoted length; and Linux's floor: never below 552. */
SCRIPT(pmtu_plateau_and_floor)
{
	LISTEN(7, 5);
	ESTABLISH();
	SEND_N(1500);
	EXPECT("> . 1:1461(1460) ack 1 pattern");
	EXPECT("> P. 1461:1501(40) ack 1 pattern");
	FRAG_NEEDED(0, 1);                  /* quoted 1500 bytes -> plateau 1492 */
	EXPECT("> . 1:1453(1452) ack 1 pattern");
	EXPECT("> P. 1453:1501(48) ack 1 pattern");
	FRAG_NEEDED(100, 1);                /* absurdly small: 552 -> MSS 512 */
	EXPECT("> . 1:513(512) ack 1 pattern");
	EXPECT("> . 513:1025(512) ack 1 pattern");
	EXPECT("> P. 1025:1501(476) ack 1 pattern");
	ASSERT_PMTU(updates, 2);
	ASSERT_TRUE(tcp_pmtu_plateau(1500) == 1492);
	ASSERT_TRUE(tcp_pmtu_plateau(1006) == 508);
	ASSERT_TRUE(tcp_pmtu_plateau(60) == 68);
	INJECT("< . 1:1(0) ack 1501 win 8192");
}

/* With timestamps on every segment, the data shrinks by their 12 bytes
 * too, so the frames fit the path (Linux's mss_cache). */
SCRIPT(pmtu_counts_timestamp_option)
{
	LISTEN(7, 5);
	INJECT("< S 0:0(0) win 8192 <mss 1460,TS val 100 ecr 0>");
	EXPECT("> S. 0:0(0) ack 1 <mss 1460,nop,nop,TS val 0 ecr 100>");
	INJECT("< . 1:1(0) ack 1 win 8192 <nop,nop,TS val 101 ecr 0>");
	ACCEPT();
	SEND_N(1500);
	EXPECT("> . 1:1449(1448) ack 1 pattern");
	EXPECT("> P. 1449:1501(52) ack 1 pattern");
	FRAG_NEEDED(1280, 1);
	EXPECT("> . 1:1229(1228) ack 1 pattern");   /* 1280 - 40 - 12 */
	EXPECT("> P. 1229:1501(272) ack 1 pattern");
	ASSERT_PMTU(updates, 1);
	INJECT("< . 1:1(0) ack 1501 win 8192 <nop,nop,TS val 102 ecr 0>");
}
