/* TCP wire format (RFC 9293 §3.1): a parsed, validated view of a received
 * segment, and a header writer into a caller's buffer.  Nothing here knows
 * about connections or the stack instance (tcp_emit.c sends). */
#ifndef KEEL_TCP_WIRE_H
#define KEEL_TCP_WIRE_H
#include <stddef.h>
#include <stdint.h>
#include <keel/config.h>

struct ipv4_packet;

#define TCP_HDR_LEN 20
#define TCP_OPT_MSS_LEN 4
#define TCP_OPT_SPACE 40              /* most option bytes a header holds */
#define TCP_OPT_TS_ALIGNED 12         /* NOP, NOP, timestamps: on every segment once agreed */
#define TCP_SACK_MAX 4                /* SACK blocks that fit without timestamps (RFC 2018 §3) */
#define TCP_WSCALE_MAX 14             /* RFC 7323 §2.3: larger shifts are read as 14 */
#define TCP_FIN 0x01u
#define TCP_SYN 0x02u
#define TCP_RST 0x04u
#define TCP_PSH 0x08u
#define TCP_ACK 0x10u
#define TCP_URG 0x20u

#define TCP_MSS_OURS (KEEL_MTU - 40)  /* advertised in every SYN and SYN-ACK */
#define TCP_MSS_DEFAULT 536           /* peer sent no MSS option, RFC 9293 §3.7.1 */
#define TCP_MSS_MIN 48                /* clamp, as Linux's tcp_min_snd_mss */

/* A received segment after tcp_seg_parse: host byte order, every length
 * checked, options decoded.  data points into the received frame. */
struct tcp_seg {
	uint32_t saddr, daddr;   /* from IP: peer, us */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint16_t wnd;
	uint8_t flags;
	uint16_t mss;            /* MSS option value, 0 when absent */
	const uint8_t *data;
	uint16_t len;            /* payload bytes */
	/* RFC 7323 and RFC 2018 options: opts says which were present. */
	uint8_t opts;            /* TCP_OPTF_* */
	uint8_t wscale;          /* window-scale shift, capped at TCP_WSCALE_MAX */
	uint8_t nsack;           /* SACK blocks in sack[] */
	uint32_t tsval, tsecr;
	struct tcp_sack_block { uint32_t start, end; } sack[TCP_SACK_MAX];
};

/* tcp_seg.opts and tcp_out.opts: which options a segment carries. */
#define TCP_OPTF_WSCALE 0x01u
#define TCP_OPTF_SACKOK 0x02u
#define TCP_OPTF_TS     0x04u
#define TCP_OPTF_SACK   0x08u

/* SEG.LEN: payload plus one for each of SYN and FIN. */
static inline uint32_t tcp_seg_seqlen(const struct tcp_seg *s)
{
	return (uint32_t)s->len + ((s->flags & TCP_SYN) ? 1u : 0u) + ((s->flags & TCP_FIN) ? 1u : 0u);
}

enum tcp_parse_err {
	TCP_PARSE_OK = 0,
	TCP_PARSE_SHORT = -1,    /* shorter than a header, or data offset beyond it */
	TCP_PARSE_DOFF = -2,     /* data offset < 5 */
	TCP_PARSE_CSUM = -3,     /* bad checksum */
	TCP_PARSE_OPTIONS = -4,  /* malformed option: length out of the header or wrong for its kind */
};
int tcp_seg_parse(const struct ipv4_packet *ip, struct tcp_seg *seg);

/* What an outgoing segment carries; mss != 0 adds the MSS option (SYNs
 * only, no payload then).  opts adds RFC 7323 / RFC 2018 options:
 * TCP_OPTF_WSCALE (wscale, SYNs only), TCP_OPTF_SACKOK (SYNs only),
 * TCP_OPTF_TS (tsval, tsecr), TCP_OPTF_SACK (nsack blocks at sack). */
struct tcp_out {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;
	uint16_t mss;
	uint8_t opts;            /* TCP_OPTF_* */
	uint8_t wscale;
	uint8_t nsack;
	uint32_t tsval, tsecr;
	struct tcp_sack_block sack[TCP_SACK_MAX];
};
/* Bytes of options o makes, a multiple of 4: SACK blocks beyond what
 * fits (3 with timestamps, 4 without) are left out. */
size_t tcp_opt_len(const struct tcp_out *o);
/* Writes the header for o at seg, whose len payload bytes are already at
 * seg + TCP_HDR_LEN + tcp_opt_len(o), and (csum != 0) the checksum over
 * both.  Returns the segment's length, or -1 when it does not fit cap or
 * a segment with SYN-only options (MSS, wscale, SACK-permitted) has
 * payload. */
int tcp_seg_write(uint8_t *seg, size_t cap, const struct tcp_out *o, size_t len, int csum);

/* Sequence-space comparisons, modulo 2^32 (RFC 9293 §3.4). */
static inline int seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline int seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline int seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline int seq_ge(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }
/* Deadline reached?  Deadlines are 32-bit milliseconds, so the 49-day
 * wrap is harmless, and none is ever set more than TIME_AHEAD_MAX ahead
 * (the longest, tcp_fin_timeout, is at most 86,400 s): one that reads as
 * further ahead was passed 2^31 ms or more ago (a main loop that stalled,
 * a clock that jumped) and is due -- a signed difference would put it
 * 2^31 ms into the future instead.  Only a lag of 2^32 - 2^30 ms or more
 * cannot be told from a deadline ahead. */
#define TIME_AHEAD_MAX (1u << 30)
static inline int time_due(uint32_t now, uint32_t deadline)
{
	uint32_t ahead = deadline - now;
	return ahead == 0 || ahead > TIME_AHEAD_MAX;
}
/* Peer MSS option (0 = absent) -> the MSS we send with. */
uint16_t tcp_clamp_mss(uint16_t peer);
#endif
