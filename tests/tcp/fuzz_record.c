/* Packet script -> fuzz program (fuzz_record.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_record.h"
#include "../fuzz/fuzz_tcp_ops.h"
#include "sysctl.h"

#define FR_MAX 16384   /* a flood script's prefix is seed enough */
#define FR_HANDLES 64

static struct {
	int on;
	char path[512];
	uint8_t b[FR_MAX];
	size_t n;
	uint32_t pending_ms;
	int handles[FR_HANDLES];
	unsigned nh;
} fr;

static void put8(uint32_t v)
{
	if (fr.n < FR_MAX)
		fr.b[fr.n++] = (uint8_t)v;
}
static void put16(uint32_t v) { put8(v >> 8); put8(v); }
static void put32(uint32_t v) { put16(v >> 16); put16(v); }

static void flush_ticks(void)
{
	while (fr.pending_ms) {
		uint32_t ms = fr.pending_ms > (1u << 30) ? 1u << 30 : fr.pending_ms;
		put8(FZ_OP_TICK);
		put8(FZ_TICK_EXACT);
		put32(ms);
		fr.pending_ms -= ms;
	}
}

void fr_begin(const char *script, uint32_t start_clock)
{
	const char *dir = getenv("KEEL_FUZZ_RECORD");
	memset(&fr, 0, sizeof(fr));
	if (!dir || !*dir)
		return;
	fr.on = 1;
	snprintf(fr.path, sizeof(fr.path), "%s/%s", dir, script);
	put32(start_clock);
}

void fr_clock_start(uint32_t ms)
{
	if (fr.on && fr.n == 4) {
		fr.n = 0;
		put32(ms);
	}
}

void fr_end(void)
{
	if (!fr.on)
		return;
	FILE *f = fopen(fr.path, "wb");
	if (f) {
		fwrite(fr.b, 1, fr.n, f);
		fclose(f);
	}
	fr.on = 0;
}

void fr_tick(uint32_t ms)
{
	if (fr.on)
		fr.pending_ms += ms;
}

void fr_frame(uint16_t pport, uint16_t dport, uint8_t flags, uint32_t seq, int has_ack, int ack_abs,
	      uint32_t ack, uint16_t win, uint16_t len, const uint8_t *opts, size_t optlen, int badsum,
	      int badipsum)
{
	if (!fr.on)
		return;
	flush_ticks();
	put8(FZ_OP_FRAME);
	put8(0x80);                                   /* explicit ports, first peer */
	put16(pport);
	put16(dport);
	put8(flags);
	put8(FZ_ABS | FZ_DELTA_I32 << FZ_DELTA_SHIFT | ((flags & 0x02) ? FZ_SEQ_NEW_ISN : 0u));
	put32(seq);
	put8((ack_abs || !has_ack ? FZ_ABS : FZ_ACK_ISS) | FZ_DELTA_I32 << FZ_DELTA_SHIFT);
	put32(has_ack ? ack : 0u);
	put16(win);
	put16(len);
	/* an MSS option alone is coded as such; anything else as raw bytes */
	int mss = optlen == 4 && opts[0] == 2 && opts[1] == 4;
	uint8_t opt = (uint8_t)((mss ? FZ_OPT_MSS : 0u) | (!mss && optlen ? FZ_OPT_RAWOPT : 0u) |
				(badsum ? FZ_OPT_BADSUM : 0u) | (badipsum ? FZ_OPT_BADIPSUM : 0u));
	put8(opt);
	if (mss) {
		put8(opts[2]);
		put8(opts[3]);
	} else if (optlen) {
		put8((uint32_t)(optlen > 40 ? 40 : optlen));
		for (size_t i = 0; i < optlen && i < 40; i++)
			put8(opts[i]);
	}
}

static uint8_t hsel(int h)
{
	for (unsigned i = 0; i < fr.nh; i++)
		if (fr.handles[i] == h)
			return (uint8_t)i;
	return FZ_H_RANDOM;
}

void fr_api(unsigned call, int h, uint16_t a, uint16_t b)
{
	if (!fr.on)
		return;
	flush_ticks();
	uint8_t s = hsel(h);
	put8(FZ_OP_API);
	put8(call);
	put8(s);
	put16(a);
	put16(s == FZ_H_RANDOM ? (uint16_t)h : b);
}

void fr_handle(int h)
{
	if (fr.on && h >= 0 && fr.nh < FR_HANDLES)
		fr.handles[fr.nh++] = h;
}

void fr_listen(uint16_t port, int backlog)
{
	if (!fr.on)
		return;
	flush_ticks();
	put8(FZ_OP_API);
	put8(FZ_LISTEN);
	put8((uint8_t)(backlog > 127 ? 127 : backlog < -128 ? -128 : backlog));
	put16(port);
	put16(0);
}

void fr_connect(uint16_t dport, uint16_t sport)
{
	if (!fr.on)
		return;
	flush_ticks();
	put8(FZ_OP_API);
	put8(FZ_CONNECT);
	put8(0);
	put16(dport);
	put16(sport);
}

void fr_sysctl(const char *name, uint32_t v)
{
	if (!fr.on)
		return;
	for (size_t i = 0; i < keel_sysctl_count(); i++) {
		const char *n = keel_sysctl_name(i);
		size_t l = strlen(n), m = strlen(name);
		if (l >= m && strcmp(n + l - m, name) == 0) {
			flush_ticks();
			put8(FZ_OP_SYSCTL);
			put8((uint32_t)i);
			put32(v < 300 ? v : v | 0x80000000u);
			return;
		}
	}
}
