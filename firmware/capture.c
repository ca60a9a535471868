/* Frame capture ring (see capture.h).  Records are packed back to back in
 * a byte ring, wrapping byte-wise: an 8-byte header (ms timestamp, frame
 * length, captured length, little-endian) and the first snaplen bytes.
 * A new frame evicts the oldest records until it fits. */
#include <string.h>
#include "capture.h"

#if KEEL_CAPTURE_BYTES > 0

#define RING KEEL_CAPTURE_BYTES
#define HDR 8u

static uint8_t ring[RING];
static uint32_t head;     /* offset of the oldest record */
static uint32_t used;     /* bytes in use from head */
static uint32_t nrec;     /* records in the ring */
static uint32_t seen, missed;
static uint8_t readers;   /* freezes held */

/* Every frame in and out passes here, so the copies are two memcpy
 * around the wrap point, not a byte loop (the bench counts it per frame). */
static void put(uint32_t at, const uint8_t *p, size_t n)
{
	at %= RING;
	size_t first = RING - at < n ? RING - at : n;
	memcpy(ring + at, p, first);
	memcpy(ring, p + first, n - first);
}

static void get(uint32_t at, uint8_t *p, size_t n)
{
	at %= RING;
	size_t first = RING - at < n ? RING - at : n;
	memcpy(p, ring + at, first);
	memcpy(p + first, ring, n - first);
}

/* A record's size from its captured-length bytes (header bytes 6, 7):
 * two byte reads, not a header copy (this runs for every frame once the
 * ring is full). */
static uint32_t rec_len_at(uint32_t at)
{
	return HDR + (uint32_t)(ring[(at + 6u) % RING] | ring[(at + 7u) % RING] << 8);
}

void capture_frame(const uint8_t *frame, size_t len, uint32_t now_ms)
{
	seen++;
	if (readers) {
		missed++;
		return;
	}
	if (len > 0xffff)
		len = 0xffff;
	uint32_t cap = len < KEEL_CAPTURE_SNAPLEN ? (uint32_t)len : KEEL_CAPTURE_SNAPLEN;
	uint32_t need = HDR + cap;
	/* Bounded: each pass frees one record, and there are at most nrec. */
	while (RING - used < need && nrec) {
		uint32_t r = rec_len_at(head);
		head = (head + r) % RING;
		used -= r;
		nrec--;
	}
	uint8_t h[HDR] = {
		(uint8_t)now_ms, (uint8_t)(now_ms >> 8), (uint8_t)(now_ms >> 16), (uint8_t)(now_ms >> 24),
		(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)cap, (uint8_t)(cap >> 8),
	};
	uint32_t at = (head + used) % RING;
	if (at + need <= RING) {
		/* The usual case, the record clear of the wrap: one copy each. */
		memcpy(ring + at, h, HDR);
		memcpy(ring + at + HDR, frame, cap);
	} else {
		put(at, h, HDR);
		put(at + HDR, frame, cap);
	}
	used += need;
	nrec++;
}

void capture_get_stats(struct capture_stats *st)
{
	st->bytes = RING;
	st->frames = nrec;
	st->seen = seen;
	st->missed = missed;
}

int capture_open(struct capture_cursor *cur)
{
	if (readers == 0xff)
		return -1;
	readers++;
	cur->pos = head;
	cur->left = nrec;
	return 0;
}

void capture_close(void)
{
	if (readers)
		readers--;
}

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

size_t capture_next(struct capture_cursor *cur, uint8_t *out, size_t cap)
{
	if (cur->left == 0 || readers == 0)
		return 0;
	uint8_t h[HDR];
	get(cur->pos, h, HDR);
	uint32_t ms = (uint32_t)(h[0] | h[1] << 8 | h[2] << 16 | (uint32_t)h[3] << 24);
	uint32_t orig = (uint32_t)(h[4] | h[5] << 8);
	uint32_t incl = (uint32_t)(h[6] | h[7] << 8);
	if (cap < CAPTURE_REC_HDR_LEN + incl)
		return 0;
	le32(out, ms / 1000);               /* ts_sec: seconds since boot */
	le32(out + 4, ms % 1000 * 1000);    /* ts_usec */
	le32(out + 8, incl);
	le32(out + 12, orig);
	get(cur->pos + HDR, out + CAPTURE_REC_HDR_LEN, incl);
	cur->pos = (cur->pos + HDR + incl) % RING;
	cur->left--;
	return CAPTURE_REC_HDR_LEN + incl;
}

#else /* KEEL_CAPTURE_BYTES == 0: compiled out */

static uint32_t seen;

void capture_frame(const uint8_t *frame, size_t len, uint32_t now_ms)
{
	(void)frame;
	(void)len;
	(void)now_ms;
	seen++;
}

void capture_get_stats(struct capture_stats *st)
{
	st->bytes = 0;
	st->frames = 0;
	st->seen = seen;
	st->missed = 0;
}

int capture_open(struct capture_cursor *cur)
{
	cur->pos = cur->left = 0;
	return -1;
}

void capture_close(void) {}

size_t capture_next(struct capture_cursor *cur, uint8_t *out, size_t cap)
{
	(void)cur;
	(void)out;
	(void)cap;
	return 0;
}
#endif

void capture_pcap_header(uint8_t out[CAPTURE_PCAP_HDR_LEN])
{
	/* Classic pcap, written little-endian: readers detect the byte order
	 * from the magic 0xa1b2c3d4 (microsecond timestamps). */
	static const uint8_t hdr[CAPTURE_PCAP_HDR_LEN] = {
		0xd4, 0xc3, 0xb2, 0xa1,   /* magic */
		2, 0, 4, 0,               /* version 2.4 */
		0, 0, 0, 0,               /* thiszone */
		0, 0, 0, 0,               /* sigfigs */
		KEEL_CAPTURE_SNAPLEN, 0, 0, 0,
		1, 0, 0, 0,               /* LINKTYPE_ETHERNET */
	};
	for (size_t i = 0; i < CAPTURE_PCAP_HDR_LEN; i++)
		out[i] = hdr[i];
}
