/* Byte queues in fixed-size chunks from one shared pool: the send queue,
 * the receive queue (with its out-of-order bytes) and nothing else, so a
 * connection holds memory only while it has data (an idle one holds no
 * chunk).  This is the one wrap-around/byte-queue type of the stack.
 *
 * A queue is a singly linked chain of chunks.  Its bytes are packed: byte
 * i of the queue is at chain position off + i, chunk (off + i) / CHUNK,
 * offset (off + i) % CHUNK.  len bytes are readable; the chain may cover
 * more, up to end (>= len): the receive side writes out-of-order bytes
 * there at their final position, so filling the gap later moves nothing.
 * The chain always holds exactly the chunks that cover [off, off + end).
 *
 * Who may take a chunk is the caller's policy (tcp_mem.c): every call that
 * may grow a queue takes the number of new chunks it may use. */
#ifndef KEEL_CHUNKQ_H
#define KEEL_CHUNKQ_H
#include <stddef.h>
#include <stdint.h>
#include <keel/config.h>

#define CHUNK_NONE 0xffffu
#define CHUNK_SIZE KEEL_CHUNK_SIZE
#define CHUNK_COUNT (KEEL_CHUNK_ARENA / KEEL_CHUNK_SIZE)

_Static_assert(CHUNK_COUNT >= 4 && CHUNK_COUNT < CHUNK_NONE, "chunk arena: 4 .. 65534 chunks");

/* The most bytes one queue covers: no more than the arena, nor than one
 * connection's buffer may grow to (KEEL_TCP_BUF_LIMIT, config.h). */
#define CHUNKQ_MAX_BYTES (KEEL_CHUNK_ARENA < KEEL_TCP_BUF_LIMIT ? KEEL_CHUNK_ARENA : KEEL_TCP_BUF_LIMIT)
#define CHUNKQ_MAX ((uint32_t)CHUNKQ_MAX_BYTES)

/* A byte count or offset within one queue (and within one connection's
 * window, which a queue holds): 16 bits while a queue and a segment's
 * length beyond it fit (tcp_tcb_seq.h: SND.NXT past SYN and FIN, SND.WL1
 * up to a segment behind RCV.NXT), so TCBs stay compact however large the
 * arena; 32 bits where a queue (and a scaled window, RFC 7323 §2) may
 * exceed 64 KiB. */
#define CHUNKQ_SEG_MARGIN (KEEL_MTU - 40 + 2)
#if CHUNKQ_MAX_BYTES + CHUNKQ_SEG_MARGIN <= 0xffff
typedef uint16_t qlen_t;
#else
typedef uint32_t qlen_t;
#endif

struct chunk_pool {
	uint16_t free_head;              /* free list through next[] */
	uint16_t in_use, peak;
	uint16_t next[CHUNK_COUNT];      /* chain links, kept out of the data */
	uint8_t data[CHUNK_COUNT][CHUNK_SIZE];
};

/* An offset within one chunk: a byte while chunks are 256 bytes or less. */
#if CHUNK_SIZE <= 256
typedef uint8_t chunk_off_t;
#else
typedef uint16_t chunk_off_t;
#endif
_Static_assert(CHUNK_SIZE - 1u <= (chunk_off_t)~(chunk_off_t)0, "a chunk offset fits chunk_off_t");

/* Packed: 9 bytes with 256-byte chunks and 16-bit lengths, so two of
 * them back to back (a connection's data entry, tcp_flight.h) take 18,
 * not 20.  Cortex-M3 loads and stores
 * halfwords and words at any address, and nothing takes a member's
 * address. */
struct __attribute__((packed)) chunkq {
	uint16_t head, tail;             /* CHUNK_NONE when empty */
	qlen_t len;                      /* readable bytes */
	qlen_t end;                      /* bytes covered from the first (>= len) */
	chunk_off_t off;                 /* first byte's offset in head, < CHUNK_SIZE */
};

void chunk_pool_init(struct chunk_pool *p);
static inline unsigned chunk_pool_free(const struct chunk_pool *p)
{
	return (unsigned)(CHUNK_COUNT - p->in_use);
}

void chunkq_init(struct chunkq *q);
/* Chunks the queue holds. */
unsigned chunkq_chunks(const struct chunkq *q);
/* New chunks needed so the chain covers bytes up to end (from the first). */
unsigned chunkq_chunks_for(const struct chunkq *q, uint32_t end);

/* Writes n bytes at offset at (may lie beyond len and end: a gap is
 * covered with chunks whose bytes stay unset).  Takes at most max_new
 * chunks; returns the bytes written from at (fewer when the chunks ran
 * out; 0 when not even at could be reached).  len does not change. */
uint32_t chunkq_write(struct chunkq *q, struct chunk_pool *p, uint32_t at, const uint8_t *src,
		      uint32_t n, unsigned max_new);
/* The n bytes after len (written before) become readable. */
void chunkq_commit(struct chunkq *q, uint32_t n);
/* Appends: write at len then commit.  Returns the bytes appended. */
uint32_t chunkq_put(struct chunkq *q, struct chunk_pool *p, const uint8_t *src, uint32_t n,
		    unsigned max_new);
/* Copies up to n readable bytes from offset at into dst; returns them. */
uint32_t chunkq_peek(const struct chunkq *q, const struct chunk_pool *p, uint32_t at, uint8_t *dst,
		     uint32_t n);
/* The readable bytes from offset at that lie in one chunk: a pointer to
 * them in *ptr, their count returned (0 at or beyond len). */
uint32_t chunkq_span(const struct chunkq *q, struct chunk_pool *p, uint32_t at, uint8_t **ptr);
/* Consumes up to n readable bytes from the head, freeing every chunk left
 * behind; returns the bytes consumed. */
uint32_t chunkq_drop(struct chunkq *q, struct chunk_pool *p, uint32_t n);
/* peek at 0, then drop. */
uint32_t chunkq_get(struct chunkq *q, struct chunk_pool *p, uint8_t *dst, uint32_t n);
/* Moves up to n readable bytes from the head of src to the end of dst
 * (dst->len == dst->end), taking at most max_new chunks for dst. */
uint32_t chunkq_move(struct chunkq *dst, struct chunkq *src, struct chunk_pool *p, uint32_t n,
		     unsigned max_new);
/* Forgets every byte beyond keep (>= len): end becomes keep and the
 * chunks beyond are freed.  Returns the chunks freed. */
unsigned chunkq_truncate(struct chunkq *q, struct chunk_pool *p, uint32_t keep);
/* Frees everything. */
unsigned chunkq_clear(struct chunkq *q, struct chunk_pool *p);
#endif
