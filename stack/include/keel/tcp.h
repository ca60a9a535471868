/* keel's TCP sockets, public API: non-blocking calls on small integer
 * handles.  Every call validates its handle (a generation count catches
 * use after close), so misuse returns an error and never corrupts state.
 * The calls are keel_tcp_*: lwIP's raw API uses tcp_listen, tcp_accept,
 * tcp_connect, tcp_recv... with other meanings, and a firmware may link
 * both (bench/ does, on the same board). */
#ifndef KEEL_TCP_API_H
#define KEEL_TCP_API_H
#include <stddef.h>
#include <stdint.h>

struct keel;

enum keel_err {
	KEEL_OK = 0,
	KEEL_EWOULDBLOCK = -1,   /* nothing to read / no room / nothing to accept yet */
	KEEL_ECONNREFUSED = -2,  /* RST in answer to our SYN */
	KEEL_ECONNRESET = -3,    /* reset by peer */
	KEEL_ETIMEDOUT = -4,     /* retransmissions exhausted */
	KEEL_EPIPE = -5,         /* write after shutdown or after reset */
	KEEL_ENOMEM = -6,        /* pool empty */
	KEEL_EINVAL = -7,        /* bad argument or wrong kind of socket */
	KEEL_EBADF = -8,         /* not a live handle (closed, stale, never opened) */
	KEEL_EADDRINUSE = -9,    /* port already listening / 4-tuple in use */
	KEEL_ENOTCONN = -10,     /* not yet (or no longer) synchronized */
	KEEL_EINPROGRESS = -11,  /* connect under way */
	KEEL_ECONNABORTED = -12, /* ended by the stack: the local address went away */
	KEEL_EMSGSIZE = -13,     /* datagram longer than the link carries */
	KEEL_EHOSTUNREACH = -14, /* no address, no route, no server to ask */
	KEEL_ENOENT = -15,       /* name does not exist (DNS NXDOMAIN) */
	KEEL_EPROTO = -16,       /* the peer answered nonsense (DNS SERVFAIL, bad reply) */
};

const char *keel_strerror(int err);

/* Returns a listener handle (>= 0) or an error. */
int keel_tcp_listen(struct keel *k, uint16_t port, int backlog);
/* Returns a connection handle, KEEL_EWOULDBLOCK when the queue is empty. */
int keel_tcp_accept(struct keel *k, int listener);
/* Nonzero when some listener has a connection to accept: a cheap test
 * before calling keel_tcp_accept on each of them. */
int keel_tcp_accept_pending(const struct keel *k);
/* The ready queue: the index (0 .. KEEL_TCP_MAX_CONN-1) of a connection
 * that may have new events (a segment arrived or a timer fired for it)
 * since it was last returned, or -1 when none.  Drained after each frame,
 * it spares the application polling every connection; an index whose
 * connection is gone or closed is returned all the same (the caller
 * checks its own table). */
int keel_tcp_ready_next(struct keel *k);
/* Nonzero when keel_tcp_ready_next has an index to return. */
int keel_tcp_ready_pending(const struct keel *k);
/* The index of live connection handle s (as keel_tcp_ready_next returns
 * it), or -1. */
int keel_tcp_index(struct keel *k, int s);
/* Active open; sport 0 picks an ephemeral port.  Returns a connection
 * handle at once (SYN_SENT); keel_tcp_poll reports when it is writable. */
int keel_tcp_connect(struct keel *k, uint32_t dst, uint16_t dport, uint16_t sport);
/* Bytes queued (may be fewer than len), or an error. */
int keel_tcp_send(struct keel *k, int s, const void *buf, size_t len);
/* keel_tcp_send as send(2) with MSG_MORE: a segment smaller than the MSS
 * that would end the queue is held for the next write or for the FIN of a
 * close or shutdown that follows (data and FIN in one segment, as Linux),
 * or until an ACK or the persist timer pushes it; no PSH on it unless a
 * plain write follows or the timer pushes it (Linux tcp_push). */
int keel_tcp_send_more(struct keel *k, int s, const void *buf, size_t len);
/* Bytes read; 0 at end of stream (peer's FIN, all data read); or an error. */
int keel_tcp_recv(struct keel *k, int s, void *buf, size_t cap);
/* Zero-copy reading (tcp_zcopy.c).  keel_tcp_recv_peek points *p at the
 * received bytes that are contiguous in the receive ring and returns how
 * many (> 0), 0 at end of stream, or an error, as keel_tcp_recv; the bytes stay
 * valid until the next call into the stack.  keel_tcp_recv_consume drops up to
 * n received bytes (all of them with n = SIZE_MAX) and returns how many, as
 * keel_tcp_recv would have read them (same window update, same results). */
int keel_tcp_recv_peek(struct keel *k, int s, const uint8_t **p);
int keel_tcp_recv_consume(struct keel *k, int s, size_t n);
/* Moves up to max received bytes of connection from into the send buffer
 * of connection to (from == to: echo) with one copy, ring to ring, and one
 * segment out where it can carry both the data and the window update.
 * Returns bytes moved; 0 at end of stream of from; an error of from or to
 * (EWOULDBLOCK: nothing to read or no room). */
int keel_tcp_splice(struct keel *k, int from, int to, size_t max);
/* Closes our sending side (FIN after queued data); reading goes on. */
int keel_tcp_shutdown(struct keel *k, int s);
/* Orderly close; the handle is gone after this call, the connection
 * finishes in the background (FIN_WAIT_*, LAST_ACK, TIME_WAIT). */
int keel_tcp_close(struct keel *k, int s);
/* Abortive close (SO_LINGER 0): RST now, no TIME_WAIT. */
int keel_tcp_abort(struct keel *k, int s);

#define TCP_POLL_READABLE   0x01u /* data, or end of stream */
#define TCP_POLL_WRITABLE   0x02u /* established and room in the send buffer */
#define TCP_POLL_ACCEPTABLE 0x04u /* listener: a connection waits in accept queue */
#define TCP_POLL_ERROR      0x08u /* reset, refused, timed out: keel_tcp_error tells */
#define TCP_POLL_HUP        0x10u /* peer closed its side */
unsigned keel_tcp_poll(struct keel *k, int s);
/* The pending error of a connection (and clears it), KEEL_OK if none. */
int keel_tcp_error(struct keel *k, int s);

/* TCP_NODELAY: on != 0 turns Nagle off (on by default; keel's Nagle is
 * Minshall's variant, as Linux: a small segment waits only while another
 * small segment is unacknowledged).  Turning it on sends what was held. */
int keel_tcp_set_nodelay(struct keel *k, int s, int on);
/* SO_KEEPALIVE with TCP_KEEPIDLE/KEEPINTVL/KEEPCNT in one call (off by
 * default), in seconds as Linux's (1..32767): after idle_s without
 * hearing from the peer, a probe every intvl_s; count (1..127) unanswered
 * probes -> RST, the connection reports KEEL_ETIMEDOUT.  idle_s 0 turns
 * it off. */
int keel_tcp_set_keepalive(struct keel *k, int s, unsigned idle_s, unsigned intvl_s, unsigned count);

/* RFC 9293 states, in Linux's /proc/net/tcp order where it has one. */
enum tcp_state {
	TCP_CLOSED = 0,
	TCP_LISTEN,
	TCP_SYN_SENT,
	TCP_SYN_RECEIVED,
	TCP_ESTABLISHED,
	TCP_FIN_WAIT_1,
	TCP_FIN_WAIT_2,
	TCP_CLOSE_WAIT,
	TCP_CLOSING,
	TCP_LAST_ACK,
	TCP_TIME_WAIT,
	TCP_NSTATES
};
const char *keel_tcp_state_name(enum tcp_state s);   /* "ESTABLISHED", "SYN_RECV" ... */
/* State of a handle, or a negative error. */
int keel_tcp_get_state(struct keel *k, int s);
#endif
