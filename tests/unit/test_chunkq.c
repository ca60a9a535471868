/* The chunk chain (stack/lib/chunkq.c): bytes across chunk boundaries, chunks
 * taken and given back exactly, out-of-order writes beyond the readable
 * end, the per-call chunk limit and a dry pool. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "chunkq.h"

static struct chunk_pool P;
static uint8_t src[3 * 65536], dst[65536];

static int setup(void **state)
{
	(void)state;
	chunk_pool_init(&P);
	for (size_t i = 0; i < sizeof src; i++)
		src[i] = (uint8_t)(i * 7u + (i >> 8));
	return 0;
}

static void test_put_get_across_chunks(void **state)
{
	(void)state;
	struct chunkq q;
	chunkq_init(&q);
	assert_int_equal(chunkq_chunks(&q), 0);
	assert_int_equal(chunkq_put(&q, &P, src, 1000, 100), 1000);
	assert_int_equal(q.len, 1000);
	assert_int_equal(chunkq_chunks(&q), (1000 + CHUNK_SIZE - 1) / CHUNK_SIZE);
	assert_int_equal(P.in_use, chunkq_chunks(&q));
	/* appends pack into the tail chunk */
	assert_int_equal(chunkq_put(&q, &P, src + 1000, 24, 0), 24);
	assert_int_equal(chunkq_chunks(&q), 1024 / CHUNK_SIZE);
	memset(dst, 0, sizeof dst);
	assert_int_equal(chunkq_get(&q, &P, dst, 300), 300);
	assert_memory_equal(dst, src, 300);
	assert_int_equal(chunkq_chunks(&q), (1024 - CHUNK_SIZE) / CHUNK_SIZE); /* head chunk freed */
	assert_int_equal(chunkq_get(&q, &P, dst, 5000), 724);
	assert_memory_equal(dst, src + 300, 724);
	/* an empty queue holds no chunk */
	assert_int_equal(chunkq_chunks(&q), 0);
	assert_int_equal(q.head, CHUNK_NONE);
	assert_int_equal(P.in_use, 0);
	assert_int_equal(P.peak, 1024 / CHUNK_SIZE);
}

static void test_peek_and_span(void **state)
{
	(void)state;
	struct chunkq q;
	chunkq_init(&q);
	assert_int_equal(chunkq_put(&q, &P, src, 3000, 100), 3000);
	assert_int_equal(chunkq_drop(&q, &P, 100), 100);           /* head not at a chunk start */
	/* peek at an offset straddling two boundaries, nothing consumed */
	assert_int_equal(chunkq_peek(&q, &P, CHUNK_SIZE - 110, dst, CHUNK_SIZE + 20), CHUNK_SIZE + 20);
	assert_memory_equal(dst, src + 100 + CHUNK_SIZE - 110, CHUNK_SIZE + 20);
	assert_int_equal(q.len, 2900);
	/* peek beyond len is cut to len */
	assert_int_equal(chunkq_peek(&q, &P, 2890, dst, 100), 10);
	assert_memory_equal(dst, src + 2990, 10);
	/* span: contiguous bytes up to the chunk's end */
	uint8_t *ptr;
	assert_int_equal(chunkq_span(&q, &P, 0, &ptr), CHUNK_SIZE - 100);
	assert_memory_equal(ptr, src + 100, CHUNK_SIZE - 100);
	assert_int_equal(chunkq_span(&q, &P, CHUNK_SIZE - 100, &ptr), CHUNK_SIZE);
	assert_memory_equal(ptr, src + CHUNK_SIZE, CHUNK_SIZE);
	assert_int_equal(chunkq_span(&q, &P, 2900, &ptr), 0);
	assert_int_equal(chunkq_clear(&q, &P), (3000 + CHUNK_SIZE - 1) / CHUNK_SIZE - 0);
	assert_int_equal(P.in_use, 0);
}

static void test_out_of_order_write(void **state)
{
	(void)state;
	struct chunkq q;
	chunkq_init(&q);
	assert_int_equal(chunkq_put(&q, &P, src, 10, 100), 10);
	/* bytes 2000..2100 arrive first: the gap is covered, len unchanged */
	assert_int_equal(chunkq_write(&q, &P, 2000, src + 2000, 100, 100), 100);
	assert_int_equal(q.len, 10);
	assert_int_equal(q.end, 2100);
	assert_int_equal(chunkq_chunks(&q), (2100 + CHUNK_SIZE - 1) / CHUNK_SIZE);
	/* the app reads the in-order part: the OOO chunks stay */
	assert_int_equal(chunkq_get(&q, &P, dst, 10), 10);
	assert_int_equal(q.end, 2090);
	assert_true(chunkq_chunks(&q) > 0);
	/* the gap fills in place; one commit makes it all readable */
	assert_int_equal(chunkq_write(&q, &P, 0, src + 10, 1990, 100), 1990);
	chunkq_commit(&q, 2090);
	assert_int_equal(q.len, 2090);
	assert_int_equal(chunkq_peek(&q, &P, 0, dst, 5000), 2090);
	assert_memory_equal(dst, src + 10, 2090);
	chunkq_clear(&q, &P);
	assert_int_equal(P.in_use, 0);
}

static void test_truncate_prunes_beyond_len(void **state)
{
	(void)state;
	struct chunkq q;
	chunkq_init(&q);
	assert_int_equal(chunkq_put(&q, &P, src, 300, 100), 300);
	assert_int_equal(chunkq_write(&q, &P, 3000, src, 500, 100), 500);
	unsigned before = chunkq_chunks(&q);
	unsigned freed = chunkq_truncate(&q, &P, 0);   /* keep only the readable bytes */
	assert_int_equal(q.end, 300);
	assert_int_equal(chunkq_chunks(&q), (300 + CHUNK_SIZE - 1) / CHUNK_SIZE);
	assert_int_equal(freed, before - chunkq_chunks(&q));
	assert_int_equal(P.in_use, chunkq_chunks(&q));
	/* the tail is right again: an append lands after byte 299 */
	assert_int_equal(chunkq_put(&q, &P, src + 300, 700, 100), 700);
	assert_int_equal(chunkq_peek(&q, &P, 0, dst, 1000), 1000);
	assert_memory_equal(dst, src, 1000);
	/* only OOO bytes and no readable ones: truncating frees everything */
	chunkq_clear(&q, &P);
	assert_int_equal(chunkq_write(&q, &P, 700, src, 10, 100), 10);
	assert_int_equal(q.len, 0);
	assert_true(P.in_use > 0);
	chunkq_truncate(&q, &P, 0);
	assert_int_equal(P.in_use, 0);
	assert_int_equal(q.head, CHUNK_NONE);
}

static void test_chunk_limit_and_dry_pool(void **state)
{
	(void)state;
	struct chunkq q, r;
	chunkq_init(&q);
	chunkq_init(&r);
	/* at most 2 new chunks: what they hold and no more */
	assert_int_equal(chunkq_put(&q, &P, src, 1000, 2), 2 * CHUNK_SIZE);
	assert_int_equal(chunkq_put(&q, &P, src, 1000, 0), 0);
	/* out-of-order bytes that would need too many chunks: nothing */
	assert_int_equal(chunkq_write(&q, &P, 10 * CHUNK_SIZE, src, 5, 3), 0);
	assert_int_equal(q.end, 2 * CHUNK_SIZE);
	/* the pool runs dry: a put takes what is left, then nothing */
	uint32_t rest = (uint32_t)chunk_pool_free(&P) * CHUNK_SIZE;
	uint32_t big = rest < 60000 ? rest : 60000;
	assert_int_equal(chunkq_put(&r, &P, src, big, CHUNK_COUNT), big);
	if (big == rest) {
		assert_int_equal(chunk_pool_free(&P), 0);
		assert_int_equal(chunkq_put(&r, &P, src, 1, CHUNK_COUNT), 0);
		assert_int_equal(chunkq_write(&q, &P, 2 * CHUNK_SIZE, src, 1, 1), 0);
	}
	chunkq_clear(&q, &P);
	chunkq_clear(&r, &P);
	assert_int_equal(P.in_use, 0);
}

static void test_move(void **state)
{
	(void)state;
	struct chunkq a, b;
	chunkq_init(&a);
	chunkq_init(&b);
	assert_int_equal(chunkq_put(&a, &P, src, 2000, 100), 2000);
	assert_int_equal(chunkq_drop(&a, &P, 7), 7);
	assert_int_equal(chunkq_put(&b, &P, src, 3, 100), 3);
	assert_int_equal(chunkq_move(&b, &a, &P, 1500, 100), 1500);
	assert_int_equal(a.len, 493);
	assert_int_equal(b.len, 1503);
	assert_int_equal(chunkq_peek(&b, &P, 0, dst, 2000), 1503);
	assert_memory_equal(dst, src, 3);
	assert_memory_equal(dst + 3, src + 7, 1500);
	/* dst limited to one new chunk: moves what fits, the rest stays */
	unsigned room = chunkq_chunks(&b) * CHUNK_SIZE - (b.off + b.len);
	uint32_t m = chunkq_move(&b, &a, &P, 493, 1);
	assert_int_equal(m, room + CHUNK_SIZE < 493 ? room + CHUNK_SIZE : 493);
	assert_int_equal(a.len + b.len, 1996);
	chunkq_clear(&a, &P);
	chunkq_clear(&b, &P);
	assert_int_equal(P.in_use, 0);
}

/* Whole chunks change queues without a copy and without a new chunk: the
 * pool's use stays the same, even when it is dry. */
static void test_move_relinks_whole_chunks(void **state)
{
	(void)state;
	struct chunkq a, b, hog;
	chunkq_init(&a);
	chunkq_init(&b);
	chunkq_init(&hog);
	assert_int_equal(chunkq_put(&a, &P, src, 3 * CHUNK_SIZE + 10, 100), 3 * CHUNK_SIZE + 10);
	assert_int_equal(chunkq_drop(&a, &P, 5), 5);
	(void)chunkq_put(&hog, &P, src, 65535, CHUNK_COUNT);    /* the rest of the pool */
	while (chunk_pool_free(&P) > 0)
		(void)chunkq_write(&hog, &P, hog.end, src, 1, 1);
	unsigned used = P.in_use;
	uint32_t n = a.len;
	assert_int_equal(chunkq_move(&b, &a, &P, n, 0), n);
	assert_int_equal(P.in_use, used);
	assert_int_equal(a.len, 0);
	assert_int_equal(chunkq_chunks(&a), 0);
	assert_int_equal(chunkq_peek(&b, &P, 0, dst, n), n);
	assert_memory_equal(dst, src + 5, n);
	/* a partial move stops where an exact hand-over ends */
	assert_int_equal(chunkq_move(&a, &b, &P, CHUNK_SIZE + 1, 0), CHUNK_SIZE - 5);
	chunkq_clear(&a, &P);
	chunkq_clear(&b, &P);
	chunkq_clear(&hog, &P);
	assert_int_equal(P.in_use, 0);
}

/* A long stream through one queue, in and out in uneven pieces: every byte
 * comes out in order and the chunks held never exceed what the bytes need. */
static void test_stream(void **state)
{
	(void)state;
	struct chunkq q;
	chunkq_init(&q);
	size_t in = 0, out = 0;
	static uint8_t got[3 * 65536];
	for (unsigned i = 0; i < 4000 && out < sizeof got; i++) {
		uint32_t n = (i * 37u) % 1461u;
		if (in + n > sizeof src)
			n = (uint32_t)(sizeof src - in);
		in += chunkq_put(&q, &P, src + in, n, 8);
		out += chunkq_get(&q, &P, got + out, (i * 53u) % 1200u);
		assert_int_equal(q.len, in - out);
		assert_true(chunkq_chunks(&q) <= (q.len + 2u * CHUNK_SIZE - 2u) / CHUNK_SIZE);
		assert_int_equal(P.in_use, chunkq_chunks(&q));
	}
	out += chunkq_get(&q, &P, got + out, 65535);
	assert_int_equal(out, in);
	assert_memory_equal(got, src, in);
	assert_int_equal(P.in_use, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_put_get_across_chunks, setup),
		cmocka_unit_test_setup(test_peek_and_span, setup),
		cmocka_unit_test_setup(test_out_of_order_write, setup),
		cmocka_unit_test_setup(test_truncate_prunes_beyond_len, setup),
		cmocka_unit_test_setup(test_chunk_limit_and_dry_pool, setup),
		cmocka_unit_test_setup(test_move, setup),
		cmocka_unit_test_setup(test_move_relinks_whole_chunks, setup),
		cmocka_unit_test_setup(test_stream, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
