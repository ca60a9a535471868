/* Chunk pool and chunk-chain byte queues (chunkq.h).  Every walk along a
 * chain is bounded by the chunks a queue may hold: no more than the pool
 * has, so at most CHUNK_COUNT + 1 hops (and a queue covers at most
 * CHUNKQ_MAX bytes). */
#include "chunkq.h"
#include <string.h>

#define MAX_HOPS (CHUNK_COUNT + 1u)

void chunk_pool_init(struct chunk_pool *p)
{
	for (unsigned i = 0; i < CHUNK_COUNT; i++)
		p->next[i] = (uint16_t)(i + 1u < CHUNK_COUNT ? i + 1u : CHUNK_NONE);
	p->free_head = 0;
	p->in_use = 0;
	p->peak = 0;
}

static uint16_t chunk_take(struct chunk_pool *p)
{
	uint16_t c = p->free_head;
	if (c == CHUNK_NONE)
		return CHUNK_NONE;
	p->free_head = p->next[c];
	p->next[c] = CHUNK_NONE;
	p->in_use++;
	if (p->in_use > p->peak)
		p->peak = p->in_use;
	return c;
}

static void chunk_give(struct chunk_pool *p, uint16_t c)
{
	p->next[c] = p->free_head;
	p->free_head = c;
	p->in_use--;
}

void chunkq_init(struct chunkq *q)
{
	q->head = q->tail = CHUNK_NONE;
	q->off = q->len = q->end = 0;
}

static unsigned chunks_covering(uint32_t off, uint32_t end)
{
	return end == 0 ? 0u : (unsigned)((off + end + CHUNK_SIZE - 1u) / CHUNK_SIZE);
}

unsigned chunkq_chunks(const struct chunkq *q)
{
	return chunks_covering(q->off, q->end);
}

unsigned chunkq_chunks_for(const struct chunkq *q, uint32_t end)
{
	unsigned have = chunkq_chunks(q);
	unsigned need = chunks_covering(q->end == 0 ? 0u : q->off, end);
	return need > have ? need - have : 0u;
}

/* The idx-th chunk of the chain, from the head. */
static uint16_t walk(const struct chunkq *q, const struct chunk_pool *p, unsigned idx)
{
	uint16_t c = q->head;
	for (unsigned i = 0; i < idx && i < MAX_HOPS && c != CHUNK_NONE; i++)
		c = p->next[c];
	return c;
}

/* The chunk holding chain position pos (off + byte offset); CHUNK_NONE
 * beyond the chain.  The last chunk is found at once (appends). */
static uint16_t seek(const struct chunkq *q, const struct chunk_pool *p, uint32_t pos)
{
	unsigned idx = pos / CHUNK_SIZE, n = chunkq_chunks(q);
	if (idx >= n)
		return CHUNK_NONE;
	if (idx == n - 1u)
		return q->tail;
	return walk(q, p, idx);
}

/* Extends the chain by up to max_new chunks so it covers chain position
 * pos_end; returns 0 when it could not. */
static int grow(struct chunkq *q, struct chunk_pool *p, uint32_t pos_end, unsigned max_new)
{
	unsigned have = q->end == 0 ? 0u : chunkq_chunks(q);
	unsigned need = (unsigned)((pos_end + CHUNK_SIZE - 1u) / CHUNK_SIZE);
	if (need <= have)
		return 1;
	if (need - have > max_new || need - have > chunk_pool_free(p))
		return 0;
	for (unsigned i = have; i < need; i++) {
		uint16_t c = chunk_take(p);
		if (q->tail == CHUNK_NONE)
			q->head = c;
		else
			p->next[q->tail] = c;
		q->tail = c;
	}
	return 1;
}

/* n bytes of the chain from byte pos (counted from the head chunk's
 * start) as pieces, one per chunk: the walk chunkq_write and chunkq_peek
 * copy along, each in its own direction. */
struct piece_walk {
	uint16_t c;          /* the next piece's chunk */
	uint32_t pos, n, done;
	unsigned hops;
};

static void walk_start(struct piece_walk *w, const struct chunkq *q, const struct chunk_pool *p,
		       uint32_t pos, uint32_t n)
{
	w->c = seek(q, p, pos);
	w->pos = pos;
	w->n = n;
	w->done = 0;
	w->hops = 0;
}

/* The next piece: its length (0 when the walk is over), its chunk in *c
 * and its first byte there in *in; w->done counts it already. */
static uint32_t walk_next(struct piece_walk *w, const struct chunk_pool *p, uint16_t *c, uint32_t *in)
{
	if (w->hops >= MAX_HOPS || w->done >= w->n || w->c == CHUNK_NONE)
		return 0;
	w->hops++;
	*c = w->c;
	*in = (w->pos + w->done) % CHUNK_SIZE;
	uint32_t k = CHUNK_SIZE - *in;
	if (k > w->n - w->done)
		k = w->n - w->done;
	w->done += k;
	w->c = p->next[*c];
	return k;
}

uint32_t chunkq_write(struct chunkq *q, struct chunk_pool *p, uint32_t at, const uint8_t *src,
		      uint32_t n, unsigned max_new)
{
	if (n == 0 || at >= CHUNKQ_MAX)
		return 0;
	if (n > CHUNKQ_MAX - at)
		n = CHUNKQ_MAX - at;
	if (q->end == 0)
		q->off = 0;                     /* an empty chain starts at a chunk's start */
	uint32_t pos = q->off + at;
	/* As many whole chunks as allowed: shrink n to what they cover. */
	unsigned have = q->end == 0 ? 0u : chunkq_chunks(q);
	uint32_t room = (uint32_t)(have + max_new) * CHUNK_SIZE;
	if (room > (uint32_t)(have + chunk_pool_free(p)) * CHUNK_SIZE)
		room = (uint32_t)(have + chunk_pool_free(p)) * CHUNK_SIZE;
	if (pos >= room)
		return 0;
	if (n > room - pos)
		n = room - pos;
	if (!grow(q, p, pos + n, max_new))
		return 0;
	if (at + n > q->end)
		q->end = (qlen_t)(at + n);
	struct piece_walk w;
	walk_start(&w, q, p, pos, n);
	uint16_t c;
	uint32_t in, k;
	while ((k = walk_next(&w, p, &c, &in)) != 0)
		memcpy(&p->data[c][in], src + w.done - k, k);
	return w.done;
}

void chunkq_commit(struct chunkq *q, uint32_t n)
{
	uint32_t len = q->len + n;
	q->len = (qlen_t)(len < q->end ? len : q->end);
}

uint32_t chunkq_put(struct chunkq *q, struct chunk_pool *p, const uint8_t *src, uint32_t n,
		    unsigned max_new)
{
	uint32_t w = chunkq_write(q, p, q->len, src, n, max_new);
	chunkq_commit(q, w);
	return w;
}

uint32_t chunkq_span(const struct chunkq *q, struct chunk_pool *p, uint32_t at, uint8_t **ptr)
{
	if (at >= q->len)
		return 0;
	uint32_t pos = q->off + at;
	uint16_t c = seek(q, p, pos);
	if (c == CHUNK_NONE)
		return 0;
	uint32_t in = pos % CHUNK_SIZE;
	uint32_t k = CHUNK_SIZE - in;
	if (k > q->len - at)
		k = q->len - at;
	*ptr = &p->data[c][in];
	return k;
}

uint32_t chunkq_peek(const struct chunkq *q, const struct chunk_pool *p, uint32_t at, uint8_t *dst,
		     uint32_t n)
{
	if (at >= q->len)
		return 0;
	if (n > q->len - at)
		n = q->len - at;
	struct piece_walk w;
	walk_start(&w, q, p, q->off + at, n);
	uint16_t c;
	uint32_t in, k;
	while ((k = walk_next(&w, p, &c, &in)) != 0)
		memcpy(dst + w.done - k, &p->data[c][in], k);
	return w.done;
}

uint32_t chunkq_drop(struct chunkq *q, struct chunk_pool *p, uint32_t n)
{
	if (n > q->len)
		n = q->len;
	q->len = (qlen_t)(q->len - n);
	q->end = (qlen_t)(q->end - n);
	uint32_t off = q->off + n;
	if (q->end == 0) {
		(void)chunkq_clear(q, p);       /* nothing left: no chunk kept */
		return n;
	}
	for (unsigned i = 0; i < MAX_HOPS && off >= CHUNK_SIZE && q->head != CHUNK_NONE; i++) {
		uint16_t c = q->head;
		q->head = p->next[c];
		chunk_give(p, c);
		off -= CHUNK_SIZE;
	}
	q->off = (chunk_off_t)off;
	return n;
}

uint32_t chunkq_get(struct chunkq *q, struct chunk_pool *p, uint8_t *dst, uint32_t n)
{
	return chunkq_drop(q, p, chunkq_peek(q, p, 0, dst, n));
}

/* Hands src's head chunk to the end of dst without copying, when that is
 * exact: every byte src holds in it is readable and moves (at most n),
 * and dst ends at a chunk boundary (or is empty) so the bytes stay packed.
 * Returns the bytes moved, 0 when it does not apply. */
static uint32_t relink_head(struct chunkq *dst, struct chunkq *src, struct chunk_pool *p, uint32_t n)
{
	uint32_t bytes = CHUNK_SIZE - src->off;
	if (bytes > src->end)
		bytes = src->end;                     /* src's last chunk */
	if (bytes == 0 || src->len < bytes || n < bytes || dst->end != dst->len)
		return 0;
	if (dst->end != 0 && ((dst->off + dst->end) % CHUNK_SIZE != 0 || src->off != 0))
		return 0;
	uint16_t c = src->head;
	chunk_off_t off = src->off;
	src->head = p->next[c];
	src->len = (qlen_t)(src->len - bytes);
	src->end = (qlen_t)(src->end - bytes);
	src->off = 0;
	if (src->end == 0)
		chunkq_init(src);
	p->next[c] = CHUNK_NONE;
	if (dst->end == 0) {
		dst->head = c;
		dst->off = off;
	} else {
		p->next[dst->tail] = c;
	}
	dst->tail = c;
	dst->len = (qlen_t)(dst->len + bytes);
	dst->end = (qlen_t)(dst->end + bytes);
	return bytes;
}

uint32_t chunkq_move(struct chunkq *dst, struct chunkq *src, struct chunk_pool *p, uint32_t n,
		     unsigned max_new)
{
	if (n > src->len)
		n = src->len;
	if (n > CHUNKQ_MAX - dst->len)
		n = CHUNKQ_MAX - dst->len;
	uint32_t moved = 0;
	/* One source chunk at a time (at most MAX_HOPS): handed over whole
	 * when exact, else copied; either way the source chunk is given
	 * back as soon as it is empty, so a move never needs more chunks
	 * than one beyond what it frees. */
	for (unsigned i = 0; i < MAX_HOPS + 1u && moved < n; i++) {
		uint32_t r = relink_head(dst, src, p, n - moved);
		if (r > 0) {
			moved += r;
			continue;
		}
		uint8_t *from = NULL;
		uint32_t k = chunkq_span(src, p, 0, &from);
		if (k == 0)
			break;                          /* no span: from was not set */
		if (k > n - moved)
			k = n - moved;
		unsigned before = chunkq_chunks(dst);
		uint32_t w = chunkq_put(dst, p, from, k, max_new);
		unsigned took = chunkq_chunks(dst) - before;
		max_new = took < max_new ? max_new - took : 0u;
		(void)chunkq_drop(src, p, w);
		moved += w;
		if (w < k || w == 0)
			break;
	}
	return moved;
}

unsigned chunkq_truncate(struct chunkq *q, struct chunk_pool *p, uint32_t keep)
{
	if (keep < q->len)
		keep = q->len;
	if (keep >= q->end)
		return 0;
	if (keep == 0)
		return chunkq_clear(q, p);
	unsigned have = chunkq_chunks(q);
	uint16_t last = walk(q, p, (q->off + keep - 1u) / CHUNK_SIZE);
	q->end = (qlen_t)keep;
	unsigned want = chunkq_chunks(q);
	uint16_t c = p->next[last];
	p->next[last] = CHUNK_NONE;
	q->tail = last;
	for (unsigned i = 0; i < MAX_HOPS && c != CHUNK_NONE; i++) {
		uint16_t nx = p->next[c];
		chunk_give(p, c);
		c = nx;
	}
	return have - want;
}

unsigned chunkq_clear(struct chunkq *q, struct chunk_pool *p)
{
	unsigned n = 0;
	uint16_t c = q->head;
	for (unsigned i = 0; i < MAX_HOPS && c != CHUNK_NONE; i++) {
		uint16_t nx = p->next[c];
		chunk_give(p, c);
		c = nx;
		n++;
	}
	chunkq_init(q);
	return n;
}
