/* Interned keepalive settings (tcp_kaprof.h): connections that set the
 * same TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT share one entry of the
 * stack's table, counted; an entry is free again when its last
 * connection ends or changes its setting; a new setting when every entry
 * holds another live one is refused with KEEL_ENOMEM and counted
 * (TCPKeepAliveProfileFull), the connections already set unaffected.
 * The host build has KEEL_TCP_KA_PROFILES 4 (Makefile HOST_CONFIG), fewer
 * than its 8 TCBs, so a script can fill it.  Every step also checks each
 * entry's count against the TCBs that name it (tcp_invariants.c). */
#include "harness.h"
#include "tcp_internal.h"

_Static_assert(KEEL_TCP_KA_PROFILES + 1 < KEEL_TCP_MAX_CONN && KEEL_TCP_KA_PROFILES + 1 <= TH_MAX_CONNS,
	       "the scripts fill the keepalive table with one connection each and have one more");

#define KA_PROBE "> . 0:0(0) ack 1"   /* SEG.SEQ = SND.NXT - 1, no data (RFC 1122 §4.2.3.6) */

static const struct tcp_tcb *tcb_of(struct keel *k, int h)
{
	return tcb_from_handle(k, h);
}

static unsigned ka_entries_used(const struct keel *k)
{
	unsigned n = 0;
	for (unsigned i = 0; i < KEEL_TCP_KA_PROFILES; i++)
		n += k->tcp.ka.p[i].refs != 0;
	return n;
}

static unsigned ka_refs(const struct keel *k, uint8_t ka)
{
	return ka == TCP_KA_OFF ? 0u : k->tcp.ka.p[ka - 1u].refs;
}

/* Two connections with the same setting hold one entry, counted twice,
 * and each runs its own keepalive by it: probes an idle time after each
 * was set (100 ms apart), then every interval. */
SCRIPT(keepalive_profile_shared_by_two_connections)
{
	LISTEN(7, 5);
	CONN(0);
	ESTABLISH();
	int h0 = H;
	CONN(1);
	ESTABLISH();
	int h1 = H;
	CONN(0);
	CALL_EXPECT(tcp_set_keepalive(K, h0, 10, 2, 3), KEEL_OK);
	ADVANCE_MS(100);
	CALL_EXPECT(tcp_set_keepalive(K, h1, 10, 2, 3), KEEL_OK);
	uint8_t ka = tcb_of(K, h0)->ka;
	ASSERT_TRUE(ka != TCP_KA_OFF && tcb_of(K, h1)->ka == ka);
	ASSERT_TRUE(ka_refs(K, ka) == 2 && ka_entries_used(K) == 1);
	ASSERT_TRUE(tcb_ka_idle_s(K, tcb_of(K, h1)) == 10 && tcb_ka_intvl_s(K, tcb_of(K, h1)) == 2 &&
		    tcb_ka_cnt(K, tcb_of(K, h1)) == 3);
	/* the same setting again takes no second reference */
	CALL_EXPECT(tcp_set_keepalive(K, h1, 10, 2, 3), KEEL_OK);
	ASSERT_TRUE(tcb_of(K, h1)->ka == ka && ka_refs(K, ka) == 2);
	ADVANCE_MS(9899);
	EXPECT_NONE();
	ADVANCE_MS(1);                         /* 10 s after conn 0's */
	CONN(0);
	EXPECT(KA_PROBE);
	ADVANCE_MS(99);
	EXPECT_NONE();
	ADVANCE_MS(1);                         /* 10 s after conn 1's */
	CONN(1);
	EXPECT(KA_PROBE);
	ADVANCE_MS(1900);
	CONN(0);
	EXPECT(KA_PROBE);                      /* the interval, 2 s */
	ADVANCE_MS(100);
	CONN(1);
	EXPECT(KA_PROBE);
	ASSERT_COUNTER(keepalive_probes, 4);
	ASSERT_COUNTER(ka_profile_full, 0);
}

/* One of two connections sharing a setting changes it: it moves to an
 * entry of its own and the other keeps the old one, timing included
 * (conn 1 gives up after 2 probes 1 s apart, conn 0 probes at 10 s).
 * When conn 1 ends (the application closes it after the reset) its
 * entry is free and the next new setting takes it; switching keepalive
 * off drops the reference too. */
SCRIPT(keepalive_profile_change_and_release)
{
	LISTEN(7, 5);
	CONN(0);
	ESTABLISH();
	int h0 = H;
	CONN(1);
	ESTABLISH();
	int h1 = H;
	CALL_EXPECT(tcp_set_keepalive(K, h0, 10, 2, 3), KEEL_OK);
	CALL_EXPECT(tcp_set_keepalive(K, h1, 10, 2, 3), KEEL_OK);
	uint8_t old = tcb_of(K, h0)->ka;
	CALL_EXPECT(tcp_set_keepalive(K, h1, 4, 1, 2), KEEL_OK);
	uint8_t mine = tcb_of(K, h1)->ka;
	ASSERT_TRUE(mine != TCP_KA_OFF && mine != old && tcb_of(K, h0)->ka == old);
	ASSERT_TRUE(ka_refs(K, old) == 1 && ka_refs(K, mine) == 1 && ka_entries_used(K) == 2);
	ASSERT_TRUE(tcb_ka_idle_s(K, tcb_of(K, h0)) == 10 && tcb_ka_cnt(K, tcb_of(K, h0)) == 3);
	ADVANCE_MS(3999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	CONN(1);
	EXPECT(KA_PROBE);
	ADVANCE_MS(1000);
	EXPECT(KA_PROBE);
	ADVANCE_MS(1000);
	EXPECT("> R. 1:1(0) ack 1");           /* TCP_KEEPCNT 2 unanswered */
	ASSERT_STATE(TCP_CLOSED);
	ASSERT_ERROR(KEEL_ETIMEDOUT);
	/* a reset connection keeps its TCB (and reference) until closed */
	ASSERT_TRUE(ka_refs(K, mine) == 1);
	CLOSE();
	ASSERT_POOLS(.tcbs = 1);
	ASSERT_TRUE(ka_refs(K, mine) == 0 && ka_refs(K, old) == 1 && ka_entries_used(K) == 1);
	ADVANCE_MS(3999);
	EXPECT_NONE();
	ADVANCE_MS(1);                         /* conn 0: its own 10 s */
	CONN(0);
	EXPECT(KA_PROBE);
	INJECT("< . 1:1(0) ack 1 win 8192");
	/* a new connection with a new setting reuses the free entry */
	CONN(2);
	ESTABLISH();
	CALL_EXPECT(tcp_set_keepalive(K, H, 30, 5, 9), KEEL_OK);
	ASSERT_TRUE(tcb_of(K, H)->ka == mine && ka_refs(K, mine) == 1 && ka_entries_used(K) == 2);
	ASSERT_TRUE(tcb_ka_idle_s(K, tcb_of(K, H)) == 30 && tcb_ka_intvl_s(K, tcb_of(K, H)) == 5 &&
		    tcb_ka_cnt(K, tcb_of(K, H)) == 9);
	/* off: the reference goes */
	CALL_EXPECT(tcp_set_keepalive(K, H, 0, 0, 0), KEEL_OK);
	ASSERT_TRUE(tcb_of(K, H)->ka == TCP_KA_OFF && ka_refs(K, mine) == 0 && ka_entries_used(K) == 1);
	ASSERT_COUNTER(ka_profile_full, 0);
}

/* Every entry holds a live setting (one connection each): a connection
 * asking for another is refused with KEEL_ENOMEM, counted, and keeps what
 * it had (off, or its shared setting); one asking for a setting already
 * held shares it; a connection that alone holds an entry may still change
 * it.  The connections set before are unaffected: conn 0 probes at its
 * idle time.  Once a connection ends (abort), its entry takes the new
 * setting. */
SCRIPT(keepalive_profile_table_full)
{
	enum { N = KEEL_TCP_KA_PROFILES };
	int h[N + 1];
	LISTEN(7, 8);
	for (int i = 0; i <= N; i++) {
		CONN(i);
		ESTABLISH();
		h[i] = H;
	}
	for (int i = 0; i < N; i++)
		CALL_EXPECT(tcp_set_keepalive(K, h[i], 20u + (unsigned)i, 1, 1), KEEL_OK);
	ASSERT_TRUE(ka_entries_used(K) == N);
	/* conn N: a fifth setting does not fit; its keepalive stays off */
	CALL_EXPECT(tcp_set_keepalive(K, h[N], 60, 1, 1), KEEL_ENOMEM);
	ASSERT_COUNTER(ka_profile_full, 1);
	ASSERT_TRUE(tcb_of(K, h[N])->ka == TCP_KA_OFF);
	/* a setting already held is shared, full or not */
	CALL_EXPECT(tcp_set_keepalive(K, h[N], 21, 1, 1), KEEL_OK);
	uint8_t shared = tcb_of(K, h[1])->ka;
	ASSERT_TRUE(tcb_of(K, h[N])->ka == shared && ka_refs(K, shared) == 2);
	/* ...and a refused change leaves it so, reference and all */
	CALL_EXPECT(tcp_set_keepalive(K, h[N], 61, 1, 1), KEEL_ENOMEM);
	ASSERT_COUNTER(ka_profile_full, 2);
	ASSERT_TRUE(tcb_of(K, h[N])->ka == shared && ka_refs(K, shared) == 2);
	ASSERT_TRUE(tcb_ka_idle_s(K, tcb_of(K, h[N])) == 21);
	/* conn 2 alone holds its entry: it may change it, full or not */
	uint8_t own = tcb_of(K, h[2])->ka;
	CALL_EXPECT(tcp_set_keepalive(K, h[2], 62, 1, 1), KEEL_OK);
	ASSERT_TRUE(tcb_of(K, h[2])->ka == own && tcb_ka_idle_s(K, tcb_of(K, h[2])) == 62);
	ASSERT_COUNTER(ka_profile_full, 2);
	/* the others kept theirs */
	for (int i = 0; i < N; i++)
		if (i != 2)
			ASSERT_TRUE(tcb_ka_idle_s(K, tcb_of(K, h[i])) == 20u + (unsigned)i &&
				    tcb_ka_intvl_s(K, tcb_of(K, h[i])) == 1 && tcb_ka_cnt(K, tcb_of(K, h[i])) == 1);
	/* conn 0's keepalive runs as set: a probe 20 s on, nothing before */
	ADVANCE_MS(19999);
	EXPECT_NONE();
	ADVANCE_MS(1);
	CONN(0);
	EXPECT(KA_PROBE);
	/* conn 3 ends: its entry is free and takes the refused setting */
	uint8_t freed = tcb_of(K, h[3])->ka;
	CONN(3);
	ABORT();
	EXPECT("> R. 1:1(0) ack 1");
	ASSERT_TRUE(ka_refs(K, freed) == 0);
	CALL_EXPECT(tcp_set_keepalive(K, h[N], 61, 1, 1), KEEL_OK);
	ASSERT_TRUE(tcb_of(K, h[N])->ka == freed && ka_refs(K, shared) == 1);
	ASSERT_COUNTER(ka_profile_full, 2);
	IGNORE_OUTPUT(1);                      /* the rest probe and reset from 21 s on */
}
