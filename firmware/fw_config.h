/* Firmware-side sizes (the stack's pools are in stack/include/keel/config.h);
 * -D on the command line (EXTRA_CFLAGS) overrides each. */
#ifndef KEEL_FW_CONFIG_H
#define KEEL_FW_CONFIG_H

/* Frame capture ring behind HTTP /capture.pcap (capture.c).  0 compiles the
 * capture out (no RAM, /capture.pcap answers 404).  4 KiB holds ~30 full
 * snaplen frames or ~60 bare TCP segments; lm3s6965evb, whose 64 KiB go
 * to 128 connections, keeps 2 KiB (board/lm3s6965evb/config.mk). */
#ifndef KEEL_CAPTURE_BYTES
#define KEEL_CAPTURE_BYTES 4096
#endif
/* Bytes kept of each frame (pcap snaplen): headers of Ethernet, IPv4, TCP
 * with options and the start of the payload. */
#ifndef KEEL_CAPTURE_SNAPLEN
#define KEEL_CAPTURE_SNAPLEN 128
#endif

/* HTTP (app_http.c): a client must send its whole request within this,
 * and take the whole response within KEEL_HTTP_RESPONSE_MS. */
#ifndef KEEL_HTTP_REQUEST_MS
#define KEEL_HTTP_REQUEST_MS 10000u
#endif
#ifndef KEEL_HTTP_RESPONSE_MS
#define KEEL_HTTP_RESPONSE_MS 30000u
#endif
/* A persistent connection (HTTP/1.1 keep-alive) is closed after this long
 * without a new request; one is kept open only while this many TCBs
 * would stay free for everything else. */
#ifndef KEEL_HTTP_IDLE_MS
#define KEEL_HTTP_IDLE_MS 15000u
#endif
#ifndef KEEL_HTTP_KEEP_FREE_TCBS
#define KEEL_HTTP_KEEP_FREE_TCBS 3u
#endif
/* After the response and our FIN, unread request bytes are drained for at
 * most this long before the close (lingering close, so a 400 to an
 * oversize request is not overtaken by a RST). */
#ifndef KEEL_HTTP_LINGER_MS
#define KEEL_HTTP_LINGER_MS 2000u
#endif

/* HTTP request heads (http_parse.c): one line (the request line or a
 * field line) at most KEEL_HTTP_LINE_MAX octets -- RFC 9112 §3 recommends
 * at least 8000 for the request line -- and the whole head at most
 * KEEL_HTTP_HEAD_MAX in at most KEEL_HTTP_FIELDS_MAX field lines.  They
 * cost no RAM (the head is streamed, not kept), only the time a client
 * may take: browsers send 0.5-2 KiB, more with cookies (a localhost page
 * gets every localhost port's cookies). */
#ifndef KEEL_HTTP_LINE_MAX
#define KEEL_HTTP_LINE_MAX 8192u
#endif
#ifndef KEEL_HTTP_HEAD_MAX
#define KEEL_HTTP_HEAD_MAX 16384u
#endif
#ifndef KEEL_HTTP_FIELDS_MAX
#define KEEL_HTTP_FIELDS_MAX 100u
#endif

/* Connection history (history.h): one sample every KEEL_HISTORY_PERIOD_MS,
 * the last KEEL_HISTORY_DEPTH of them kept.  A sample is 30 bytes while
 * every pool holds at most 255 entries (44 beyond): the default minute
 * costs lm3s6965evb 1,800 bytes of its 64 KiB; mps2-an385 (4 MiB) keeps
 * ten minutes (its board.mk). */
#ifndef KEEL_HISTORY_DEPTH
#define KEEL_HISTORY_DEPTH 60u
#endif
#ifndef KEEL_HISTORY_PERIOD_MS
#define KEEL_HISTORY_PERIOD_MS 1000u
#endif

/* UDP echo's receive queue (app_udp_echo.c): datagrams plus 8 bytes each
 * wait here until the loop answers them; more is dropped (RcvbufErrors). */
#ifndef KEEL_UDP_ECHO_QUEUE
#define KEEL_UDP_ECHO_QUEUE 512
#endif

_Static_assert(KEEL_CAPTURE_BYTES == 0 ||
	       (KEEL_CAPTURE_BYTES >= 256 && KEEL_CAPTURE_BYTES <= 262144),
	       "KEEL_CAPTURE_BYTES: 0 (off) or 256 .. 256 KiB (a 16-bit record count)");
_Static_assert(KEEL_CAPTURE_SNAPLEN >= 64 && KEEL_CAPTURE_SNAPLEN <= 255,
	       "KEEL_CAPTURE_SNAPLEN: 64 .. 255");
_Static_assert(KEEL_CAPTURE_BYTES == 0 || KEEL_CAPTURE_BYTES >= 2 * (8 + KEEL_CAPTURE_SNAPLEN),
	       "capture ring must hold at least two frames");
_Static_assert(KEEL_HTTP_LINE_MAX >= 1024 && KEEL_HTTP_LINE_MAX <= KEEL_HTTP_HEAD_MAX &&
	       KEEL_HTTP_HEAD_MAX <= 60000u, "KEEL_HTTP_LINE_MAX 1 KiB .. KEEL_HTTP_HEAD_MAX .. 60000 "
	       "(16-bit counts)");
_Static_assert(KEEL_HTTP_FIELDS_MAX >= 8 && KEEL_HTTP_FIELDS_MAX <= 250,
	       "KEEL_HTTP_FIELDS_MAX: 8 .. 250");
_Static_assert(KEEL_HISTORY_DEPTH >= 2 && KEEL_HISTORY_DEPTH <= 65535u,
	       "KEEL_HISTORY_DEPTH: 2 .. 65535 samples");
_Static_assert(KEEL_HISTORY_PERIOD_MS >= 100u && KEEL_HISTORY_PERIOD_MS <= 60000u,
	       "KEEL_HISTORY_PERIOD_MS: 100 ms .. 1 min");
#endif
