/* Packet-script harness for the TCP engine (host only).
 *
 * One script = one function = one fresh struct keel.  A script reads like the
 * wire, in packetdrill's notation, with sequence numbers relative to each
 * side's ISN:
 *
 *	LISTEN(7, 5);
 *	INJECT("< S 0:0(0) win 8192 <mss 1460>");
 *	EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");
 *	ADVANCE_MS(1000);
 *	EXPECT("> S. 0:0(0) ack 1 <mss 1460>");
 *	EXPECT_NONE();
 *
 * Notation (tests/tcp/README.md has the full reference):
 *   "<" peer -> device: seq relative to the peer's ISN (PEER_ISN), ack
 *       relative to the device's ISN of the current connection.
 *   ">" device -> peer: seq relative to the device's ISN (learned from the
 *       first SYN the device sends on the connection; absolute, i.e. relative
 *       to 0, while unknown), ack relative to the peer's ISN.
 *   flags  S F R P . (ack) U E W;  payload "start:end(len)";  then, in any
 *   order: "ack N", "win N", options "<mss N,nop,eol,wscale N,sackOK,
 *   TS val N ecr N,kind K len L,bytes B B ...>", a payload '...' or "...",
 *   "pattern" (EXPECT: the payload is the pattern at those sequence numbers),
 *   and (INJECT only) "badsum", "badipsum", "doff N".
 * Timestamps: the device's TSval (EXPECT "TS val") and the peer's echo of
 * it (INJECT "ecr") are relative to the first device TSval an EXPECT of
 * the connection gave; the peer's TSval and the device's echo of it are
 * absolute.
 * EXPECT compares flags (except PSH, which RFC 9293 leaves to the sender),
 * seq, ack (when the frame or the script has ACK), payload length, and
 * window / options / payload bytes only where the script gives them.
 */
#ifndef KEEL_TESTS_TCP_HARNESS_H
#define KEEL_TESTS_TCP_HARNESS_H
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include "keel.h"
#include <keel/tcp.h>
#include "tcp_stats.h"
#include "tcp_sysctl.h"
#include "fuzz_record.h"

#define TH_DEV_IP 0xc0000202u   /* 192.0.2.2 */
#define TH_PEER_IP 0xc0000201u  /* 192.0.2.1 */
#define TH_PREFIX 24
#define TH_MAX_CONNS 16
#define TH_QUEUE_LEN 64
#define TH_DEFAULT_CLOCK 1000000u
#define TH_DEFAULT_PEER_PORT 40000u

extern const uint8_t th_dev_mac[6];
extern const uint8_t th_peer_mac[6];

/* One connection as the script sees it (CONN(i) selects). */
struct th_conn {
	uint16_t peer_port, dev_port;
	uint32_t peer_isn, dev_isn;
	int dev_isn_known;
	uint32_t dev_ts0;    /* the device's TSvals are scripted relative to this */
	int dev_ts_known;
	int handle;          /* the device's connection handle, -1 none */
	uint32_t recv_off;   /* pattern bytes read so far by RECV_EXPECT_N */
	uint32_t send_off;   /* pattern bytes sent so far by SEND_N */
};

struct th_frame {
	size_t len;
	uint32_t at_ms;
	uint8_t b[KEEL_FRAME_MAX + 64];
};

struct th {
	const char *script;
	const char *file;
	struct keel *k;
	int set_up;
	uint32_t now;
	uint32_t start_clock;
	uint32_t last_arp_prime;
	struct th_conn c[TH_MAX_CONNS];
	int cur;
	int listener;        /* last LISTEN's handle, -1 none */
	int listeners[KEEL_TCP_MAX_LISTEN + 4];
	int nlisteners;
	uint16_t listen_port;
	/* captured output */
	struct th_frame q[TH_QUEUE_LEN];
	int qhead, qlen;
	int q_overflow;
	int arp_requests_pending;
	int arp_requests_seen;
	char non_tcp_error[200];
	uint16_t ip_id;
	int skip_final_check;
	int ignore_output;   /* IGNORE_OUTPUT(1): TCP frames are not queued */
	/* failure */
	jmp_buf fail_jmp;
	char fail_msg[2048];
	int failed;
};

/* A device segment as NEXT_SEGMENT returns it (relative numbers). */
struct th_seginfo {
	unsigned flags;      /* 0x01 FIN 0x02 SYN 0x04 RST 0x08 PSH 0x10 ACK */
	uint32_t seq, ack, len, win, at_ms;
	int has_ts;          /* timestamps option: tsval, tsecr as sent (absolute) */
	uint32_t tsval, tsecr;
	char text[600];      /* in the notation */
};

/* Pool expectation: -1 = not checked. */
struct th_pools {
	int tcbs, syn_queue, time_wait, listen;
};

/* Script registration: SCRIPT(name) { ...steps... } */
typedef void (*th_script_fn)(struct th *t);
void th_register(const char *name, const char *file, th_script_fn fn);
#define SCRIPT(name)                                                        \
	static void script_##name(struct th *t);                            \
	__attribute__((constructor)) static void register_##name(void)      \
	{                                                                   \
		th_register(#name, __FILE__, script_##name);                \
	}                                                                   \
	static void script_##name(struct th *t)

/* --- steps (each records the script line) --- */
void th_fail(struct th *t, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4), noreturn));
void th_setup(struct th *t);
void th_clock_start(struct th *t, int line, uint32_t ms);
void th_inject(struct th *t, int line, const char *spec);
void th_expect(struct th *t, int line, const char *spec);
void th_expect_none(struct th *t, int line);
void th_expect_within(struct th *t, int line, uint32_t ms, const char *spec);
void th_expect_optional(struct th *t, int line, const char *spec);
void th_send_n(struct th *t, int line, size_t n);
void th_next_segment(struct th *t, int line, uint32_t ms, struct th_seginfo *out);
void th_advance(struct th *t, int line, uint32_t ms);
void th_listen(struct th *t, int line, uint16_t port, int backlog, int expect_err);
void th_accept(struct th *t, int line);
void th_accept_none(struct th *t, int line);
void th_connect(struct th *t, int line, uint16_t dport, uint16_t sport);
void th_send(struct th *t, int line, const char *text);
void th_send_more(struct th *t, int line, const char *text);
void th_recv_expect(struct th *t, int line, const char *text);
void th_recv_eof(struct th *t, int line);
/* tcp_conn_info of the current connection's TCB (fails the script if it has none). */
struct tcp_conn_info th_conn_info(struct th *t);
void th_recv_expect_n(struct th *t, int line, size_t n);
void th_recv_none(struct th *t, int line);
void th_call_expect(struct th *t, int line, const char *what, int got, int want);
void th_assert_state(struct th *t, int line, int want);
void th_assert_error(struct th *t, int line, int want);
void th_assert_counter(struct th *t, int line, const char *name, uint32_t got, uint32_t want);
void th_assert_state_count(struct th *t, int line, const char *name, int state, int want);
void th_assert_pools(struct th *t, int line, const struct th_pools *p);
void th_conn_select(struct th *t, int line, int i);
void th_check_invariants(struct th *t, int line);
struct keel *th_keel(struct th *t, int line);

#define K (th_keel(t, __LINE__))
#define CUR (&t->c[t->cur])
#define H (t->c[t->cur].handle)
#define LH (t->listener)

#define CLOCK_START(ms) th_clock_start(t, __LINE__, (ms))
#define INJECT(s) th_inject(t, __LINE__, (s))
#define EXPECT(s) th_expect(t, __LINE__, (s))
#define EXPECT_NONE() th_expect_none(t, __LINE__)
/* The next segment within ms (time advances 1 ms at a time until it comes). */
#define EXPECT_WITHIN(ms, s) th_expect_within(t, __LINE__, (ms), (s))
/* NEXT_SEGMENT(ms, &info): the next segment whatever it is (waits <= ms) */
#define NEXT_SEGMENT(ms, out) th_next_segment(t, __LINE__, (ms), (out))
#define NOW() (t->now)
/* If a segment was sent it must match; none is fine too. */
#define EXPECT_OPTIONAL(s) th_expect_optional(t, __LINE__, (s))
#define ADVANCE_MS(n) th_advance(t, __LINE__, (n))
#define LISTEN(port, backlog) th_listen(t, __LINE__, (port), (backlog), 1)
#define LISTEN_EXPECT(port, backlog, err) th_listen(t, __LINE__, (port), (backlog), (err))
#define ACCEPT() th_accept(t, __LINE__)
#define ACCEPT_NONE() th_accept_none(t, __LINE__)
#define CONNECT(port) th_connect(t, __LINE__, (port), 0)
#define CONNECT_FROM(port, sport) th_connect(t, __LINE__, (port), (sport))
#define SEND(s) th_send(t, __LINE__, (s))
/* keel_tcp_send_more: send(2) with MSG_MORE */
#define SEND_MORE(s) th_send_more(t, __LINE__, (s))
/* n bytes of the pattern: the byte at stream offset r (1-based) is
 * 'a'+(r-1)%26; successive SEND_Ns continue the stream (EXPECT "... pattern"
 * checks it, as long as only SEND_N wrote to the connection) */
#define SEND_N(n) th_send_n(t, __LINE__, (n))
#define RECV_EXPECT(s) th_recv_expect(t, __LINE__, (s))
#define RECV_EOF() th_recv_eof(t, __LINE__)
/* n bytes of the injected pattern (payloads given without a string) */
#define RECV_EXPECT_N(n) th_recv_expect_n(t, __LINE__, (n))
#define RECV_NONE() th_recv_none(t, __LINE__)
#define SHUTDOWN() th_call_expect(t, __LINE__, "tcp_shutdown", tcp_shutdown(K, H), KEEL_OK)
#define CLOSE() do { th_call_expect(t, __LINE__, "tcp_close", tcp_close(K, H), KEEL_OK); } while (0)
#define ABORT() do { th_call_expect(t, __LINE__, "tcp_abort", tcp_abort(K, H), KEEL_OK); } while (0)
/* CALL_EXPECT(tcp_send(K, H, "x", 1), KEEL_EPIPE) */
#define CALL_EXPECT(expr, want) th_call_expect(t, __LINE__, #expr, (int)(expr), (want))
#define ASSERT_STATE(st) th_assert_state(t, __LINE__, (st))
#define ASSERT_ERROR(e) th_assert_error(t, __LINE__, (e))
#define ASSERT_COUNTER(name, v) \
	th_assert_counter(t, __LINE__, #name, tcp_get_mib(K)->name, (v))
#define ASSERT_STATE_COUNT(st, n) th_assert_state_count(t, __LINE__, #st, (st), (n))
#define ASSERT_POOLS(...)                                                   \
	do {                                                                \
		_Pragma("GCC diagnostic push")                              \
		_Pragma("GCC diagnostic ignored \"-Woverride-init\"")       \
		struct th_pools p_ = { .tcbs = -1, .syn_queue = -1,          \
				       .time_wait = -1, .listen = -1,        \
				       __VA_ARGS__ };                        \
		_Pragma("GCC diagnostic pop")                               \
		th_assert_pools(t, __LINE__, &p_);                          \
	} while (0)
#define SYSCTL(name, v) do { K->tcp.sysctl.name = (v); fr_sysctl(#name, (uint32_t)(v)); } while (0)
#define CONN(i) th_conn_select(t, __LINE__, (i))
#define PEER_ISN(v) do { CUR->peer_isn = (v); } while (0)
#define PEER_PORT(v) do { CUR->peer_port = (v); } while (0)
/* Forget the device ISN learned on this connection (a new incarnation). */
#define FORGET_DEV_ISN() do { CUR->dev_isn_known = 0; CUR->dev_isn = 0; CUR->dev_ts_known = 0; } while (0)
#define DEV_ISN() (CUR->dev_isn)
#define ASSERT_TRUE(cond) \
	do { if (!(cond)) th_fail(t, __LINE__, "assertion failed: %s", #cond); } while (0)
/* IGNORE_OUTPUT(1): drop the device's TCP output (floods); (0) queue again. */
#define IGNORE_OUTPUT(on) do { th_setup(t); t->ignore_output = (on); t->qlen = 0; t->qhead = 0; } while (0)
/* The script leaves state behind on purpose: skip the final pools check. */
#define NO_FINAL_CHECK() do { t->skip_final_check = 1; } while (0)

/* Delayed ACKs: RFC 9293 §3.8.6.3 / RFC 1122 4.2.3.2 bound the delay at 0.5 s. */
#define ACK_DELAY_MAX 500

/* Passive open on the current connection of a listener already made:
 * SYN (mss 1460, win 8192), SYN-ACK, final ACK, accept. */
#define ESTABLISH()                                                         \
	do {                                                                \
		INJECT("< S 0:0(0) win 8192 <mss 1460>");                    \
		EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");             \
		INJECT("< . 1:1(0) ack 1 win 8192");                         \
		ACCEPT();                                                   \
		ASSERT_STATE(TCP_ESTABLISHED);                              \
	} while (0)

/* A handshake whose SYN-ACK went out twice (a duplicate SYN): by Karn's
 * rule it gives no RTT sample, so the RTO stays at the initial 1 s
 * (RFC 6298 §2.1, §3) -- for scripts that count from that. */
#define ESTABLISH_NO_RTT()                                                  \
	do {                                                                \
		INJECT("< S 0:0(0) win 8192 <mss 1460>");                    \
		EXPECT("> S. 0:0(0) ack 1 win 2048 <mss 1460>");             \
		ESTABLISH();          /* its SYN is the duplicate */        \
	} while (0)
#endif
