/* TCP engine: initialisation.  The engine's files, one idea each, and
 * where each RFC rule lives: docs/DESIGN.md. */
#include <string.h>
#include "tcp_internal.h"
#include "siphash.h"

void tcp_init(struct keel *k, const uint8_t seed[16])
{
	struct tcp_stack *ts = &k->tcp;
	memset(ts, 0, sizeof(*ts));
	tcp_sysctl_defaults(&ts->sysctl);   /* sysctl.c: Linux defaults */
	chunk_pool_init(&ts->chunks);
	memcpy(ts->isn_key, seed, sizeof(ts->isn_key));
	syncookie_init(&ts->cookies, seed, k->now_ms);
	ts->pool[TCP_POOL_TCB].size = KEEL_TCP_MAX_CONN;
	ts->pool[TCP_POOL_SYN_QUEUE].size = KEEL_SYN_BACKLOG;
	ts->pool[TCP_POOL_TIME_WAIT].size = KEEL_TW_MAX;
	ts->pool[TCP_POOL_LISTEN].size = KEEL_TCP_MAX_LISTEN;
	static const uint8_t tag[] = "keel ephemeral port";
	uint64_t h = siphash24(seed, tag, sizeof(tag));
	ts->ephemeral_next = (uint16_t)(TCP_EPHEMERAL_LO + h % (TCP_EPHEMERAL_HI - TCP_EPHEMERAL_LO + 1u));
	static const uint8_t hash_tag[] = "keel 4-tuple hash";   /* its own key, not the ISN's */
	h = siphash24(seed, hash_tag, sizeof(hash_tag));
	ts->hash_key[0] = (uint32_t)h;
	ts->hash_key[1] = (uint32_t)(h >> 32);
	ts->hash_memo.raddr = 0;
	ts->hash_memo.rport = 0;
	ts->hash_memo.lport = 0;
	ts->hash_memo.h = tcp_tuple_hash(ts->hash_key, 0, 0, 0);   /* the memo is always true */
	uint64_t f = tcp_isn_hash(ts->isn_key, 0, 0, 0, 0);         /* this one too (tuple zeroed above) */
	ts->prf_memo.lo = (uint32_t)f;
	ts->prf_memo.hi = (uint32_t)(f >> 32);
	tcb_pools_init(k);
	tcb_ext_pool_init(k);
	tcb_flight_pool_init(k);
	wheel_init(k);
	ready_init(k);
	synq_pool_init(k);
	tw_pool_init(k);
	listen_pool_init(k);
}
