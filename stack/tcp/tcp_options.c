/* TCP options (RFC 9293 §3.2), the codec half: parsing a received header's
 * options into struct tcp_seg, and writing ours.  Kinds: MSS (RFC 9293
 * §3.7.1), window scale and timestamps (RFC 7323 §2, §3), SACK-permitted
 * and SACK blocks (RFC 2018).  A known kind with the wrong length, or any
 * length running out of the header, makes the segment malformed (dropped
 * and counted by the caller); unknown kinds are skipped by their length.
 * Which options a connection uses is decided elsewhere (tcp_opts.c). */
#include <string.h>
#include "byteorder.h"
#include "tcp_wire.h"
#include "tcp_options.h"

#define OPT_EOL 0
#define OPT_NOP 1
#define OPT_MSS 2
#define OPT_WSCALE 3
#define OPT_SACKOK 4
#define OPT_SACK 5
#define OPT_TS 8

static int parse_one(uint8_t kind, const uint8_t *v, size_t olen, struct tcp_seg *seg)
{
	switch (kind) {
	case OPT_MSS:
		if (olen != 4)
			return -1;
		seg->mss = load_be16(v);
		break;
	case OPT_WSCALE:
		if (olen != 3)
			return -1;
		seg->opts |= TCP_OPTF_WSCALE;
		/* RFC 7323 §2.3: a shift above 14 is used as 14 (and logged). */
		seg->wscale = v[0] > TCP_WSCALE_MAX ? TCP_WSCALE_MAX : v[0];
		break;
	case OPT_SACKOK:
		if (olen != 2)
			return -1;
		seg->opts |= TCP_OPTF_SACKOK;
		break;
	case OPT_TS:
		if (olen != 10)
			return -1;
		seg->opts |= TCP_OPTF_TS;
		seg->tsval = load_be32(v);
		seg->tsecr = load_be32(v + 4);
		break;
	case OPT_SACK: {
		size_t n = (olen - 2) / 8;
		if (olen < 10 || (olen - 2) % 8 != 0 || n > TCP_SACK_MAX)
			return -1;
		seg->opts |= TCP_OPTF_SACK;
		seg->nsack = (uint8_t)n;
		for (size_t b = 0; b < n; b++) {
			seg->sack[b].start = load_be32(v + 8 * b);
			seg->sack[b].end = load_be32(v + 8 * b + 4);
		}
		break;
	}
	default:
		break;   /* unknown kinds skipped by their length */
	}
	return 0;
}

int tcp_options_parse(const uint8_t *p, size_t n, struct tcp_seg *seg)
{
	/* What nearly every segment of a timestamp connection carries,
	 * NOP,NOP,TS in 12 bytes (RFC 7323 Appendix A's layout; Linux's
	 * tcp_fast_parse_options): read straight, same result as the walk. */
	if (n == 12 && p[0] == OPT_NOP && p[1] == OPT_NOP && p[2] == OPT_TS && p[3] == 10) {
		seg->opts |= TCP_OPTF_TS;
		seg->tsval = load_be32(p + 4);
		seg->tsecr = load_be32(p + 8);
		return 0;
	}
	size_t i = 0;
	while (i < n) {
		uint8_t kind = p[i];
		if (kind == OPT_EOL)
			break;
		if (kind == OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= n)
			return -1;
		uint8_t olen = p[i + 1];
		if (olen < 2 || olen > n - i)
			return -1;
		if (parse_one(kind, p + i + 2, olen, seg) != 0)
			return -1;
		i += olen;
	}
	return 0;
}

/* SACK blocks o can carry: what it asks for, cut to the space left.
 * Inline: most segments ask for none, and the test is one AND. */
static inline __attribute__((always_inline)) size_t sack_fit(const struct tcp_out *o)
{
	if (!(o->opts & TCP_OPTF_SACK))
		return 0;
	size_t used = (o->mss ? 4u : 0u) + ((o->opts & (TCP_OPTF_TS | TCP_OPTF_SACKOK)) ? 12u : 0u) +
		      ((o->opts & TCP_OPTF_WSCALE) ? 4u : 0u);
	size_t room = (TCP_OPT_SPACE - used - 4u) / 8u;
	size_t n = o->nsack < room ? o->nsack : room;
	return n < TCP_SACK_MAX ? n : TCP_SACK_MAX;
}

size_t tcp_opt_len(const struct tcp_out *o)
{
	size_t n = o->mss ? 4u : 0u;
	if (o->opts & TCP_OPTF_TS)
		n += 12u;                       /* SACKOK or NOP,NOP, then TS */
	else if (o->opts & TCP_OPTF_SACKOK)
		n += 4u;                        /* NOP,NOP,SACKOK */
	if (o->opts & TCP_OPTF_WSCALE)
		n += 4u;                        /* NOP,WSCALE */
	size_t b = sack_fit(o);
	if (b)
		n += 4u + 8u * b;               /* NOP,NOP,SACK */
	return n;
}

/* Linux's order and alignment, so captures compare byte for byte:
 * MSS; SACKOK+TS (or NOP,NOP,TS, or NOP,NOP,SACKOK); NOP,WSCALE;
 * NOP,NOP,SACK blocks. */
size_t tcp_options_write(uint8_t *p, const struct tcp_out *o)
{
	uint8_t *q = p;
	if (o->mss) {
		*q++ = OPT_MSS;
		*q++ = 4;
		store_be16(q, o->mss);
		q += 2;
	}
	if (o->opts & TCP_OPTF_TS) {
		if (o->opts & TCP_OPTF_SACKOK) {
			*q++ = OPT_SACKOK;
			*q++ = 2;
		} else {
			*q++ = OPT_NOP;
			*q++ = OPT_NOP;
		}
		*q++ = OPT_TS;
		*q++ = 10;
		store_be32(q, o->tsval);
		store_be32(q + 4, o->tsecr);
		q += 8;
	} else if (o->opts & TCP_OPTF_SACKOK) {
		*q++ = OPT_NOP;
		*q++ = OPT_NOP;
		*q++ = OPT_SACKOK;
		*q++ = 2;
	}
	if (o->opts & TCP_OPTF_WSCALE) {
		*q++ = OPT_NOP;
		*q++ = OPT_WSCALE;
		*q++ = 3;
		*q++ = o->wscale;
	}
	size_t b = sack_fit(o);
	if (b) {
		*q++ = OPT_NOP;
		*q++ = OPT_NOP;
		*q++ = OPT_SACK;
		*q++ = (uint8_t)(2u + 8u * b);
		for (size_t i = 0; i < b; i++) {
			store_be32(q, o->sack[i].start);
			store_be32(q + 4, o->sack[i].end);
			q += 8;
		}
	}
	return (size_t)(q - p);
}
