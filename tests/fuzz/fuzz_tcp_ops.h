/* The program format of the stateful TCP fuzzer (fuzz_tcp.c), shared with
 * the packet-script recorder (tests/tcp/fuzz_record.c) that turns every
 * script into a seed.  An input is a 4-byte big-endian start clock, then
 * operations, each an opcode byte (taken modulo FZ_NOPS) and its fields:
 *
 *   FRAME  sel [pport dport: 2+2 if sel & 0x80] flags seqmode [delta]
 *          ackmode [delta] win:2 len:2 opt [optarg]
 *      A TCP segment from a peer, valid Ethernet/IPv4/TCP unless opt asks
 *      otherwise.  sel picks a tuple the model knows (sel & 0x7f) or a new
 *      one; seq and ack are built relative to what the stack really sent:
 *      mode bits 0-1 the base, bits 2-3 the delta that follows (0 none,
 *      1 int8, 2 int8 * 64, 3 int32), seqmode bit 4: the result is the
 *      peer's new ISN.  Payload byte at sequence number q is fz_peer_byte(q).
 *   TICK   mode n       the clock moves on (ms, 100 ms, 10 s, 10 min units;
 *                       mode 4: n is followed by 3 more bytes, a 32-bit ms)
 *   API    call hsel a:2 b:2   one tcp_* call on a live or stale handle
 *   SYSCTL knob value:4        keel_sysctl_set with the decimal value
 *   ADDR   which               keel_set_addr (192.0.2.2 or .9)
 *   RAW    len bytes...        an arbitrary frame, lightly shaped
 *   ARP    kind                an ARP request/reply from a peer
 * Multi-byte fields are big-endian.  Missing bytes read as zero. */
#ifndef KEEL_FUZZ_TCP_OPS_H
#define KEEL_FUZZ_TCP_OPS_H
#include <stdint.h>

enum { FZ_OP_FRAME, FZ_OP_TICK, FZ_OP_API, FZ_OP_SYSCTL, FZ_OP_ADDR, FZ_OP_RAW, FZ_OP_ARP, FZ_NOPS };

/* seqmode / ackmode */
#define FZ_BASE_MASK 0x03u
#define FZ_SEQ_ACKED 0u     /* seq: the last ACK the stack sent on the tuple (its RCV.NXT) */
#define FZ_SEQ_ISN 1u       /* seq: the peer's ISN */
#define FZ_SEQ_MAX 2u       /* seq: the highest the peer sent */
#define FZ_ACK_MAX 0u       /* ack: the highest the stack sent (+ SYN/FIN) */
#define FZ_ACK_ISS 1u       /* ack: the stack's ISN on the tuple */
#define FZ_ACK_UNA 2u       /* ack: the highest ack the peer sent */
#define FZ_ABS 3u           /* zero: the delta is the absolute value */
#define FZ_DELTA_SHIFT 2
#define FZ_DELTA_NONE 0u
#define FZ_DELTA_I8 1u
#define FZ_DELTA_I8X64 2u
#define FZ_DELTA_I32 3u
#define FZ_SEQ_NEW_ISN 0x10u

/* opt */
#define FZ_OPT_MSS 0x01u      /* MSS option; optarg: 2 bytes */
#define FZ_OPT_BADSUM 0x02u
#define FZ_OPT_BADIPSUM 0x04u
#define FZ_OPT_TRUNC 0x08u    /* optarg: 1 byte, bytes cut off the end */
#define FZ_OPT_RAWOPT 0x10u   /* optarg: 1 byte n (<= 40), then n option bytes */
#define FZ_OPT_PEER2 0x20u    /* from the second peer (192.0.2.3) */
#define FZ_OPT_OLDADDR 0x40u  /* to the address the stack does not have now */
#define FZ_OPT_BCAST 0x80u    /* broadcast MAC */

/* TICK modes */
enum { FZ_TICK_MS, FZ_TICK_100MS, FZ_TICK_10S, FZ_TICK_10MIN, FZ_TICK_EXACT, FZ_NTICKS };

/* API calls */
enum {
	FZ_LISTEN,      /* a: port, hsel: backlog (int8) */
	FZ_CONNECT,     /* a: remote port, b: local port (0 ephemeral), hsel bit 0: second peer */
	FZ_ACCEPT,      /* hsel: listener */
	FZ_SEND,        /* a: bytes, b bit 0: keel_tcp_send_more (MSG_MORE) */
	FZ_RECV,        /* a: buffer size */
	FZ_PEEK_CONSUME,/* a: bytes to consume after the peek */
	FZ_SHUTDOWN,
	FZ_CLOSE,
	FZ_ABORT,
	FZ_POLL,
	FZ_ERROR,
	FZ_STATE,
	FZ_NODELAY,     /* a: on */
	FZ_KEEPALIVE,   /* a: idle ms, b: interval ms (count = b & 7) */
	FZ_SPLICE,      /* b: the other handle's selector, a: max */
	FZ_NCALLS
};
/* hsel: an index into the handles made so far (modulo), or: */
#define FZ_H_RANDOM 0xffu     /* b as a raw handle */
#define FZ_H_LAST_LISTEN 0xfeu
#define FZ_H_LAST_CONN 0xfdu

/* Payload bytes are functions of their sequence number, so any byte read
 * or sent can be checked against its stream offset. */
static inline uint8_t fz_mix(uint32_t q)
{
	q ^= q >> 15;
	q *= 0x2c1b3c6du;
	q ^= q >> 12;
	return (uint8_t)(q >> 7);
}
static inline uint8_t fz_peer_byte(uint32_t seq) { return fz_mix(seq ^ 0xa5a5a5a5u); }
static inline uint8_t fz_app_byte(uint32_t seq) { return fz_mix(seq); }
#endif
