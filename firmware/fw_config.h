/* Firmware-side sizes (the stack's pools are in stack/include/keel/config.h);
 * -D on the command line (EXTRA_CFLAGS) overrides each. */
#ifndef KEEL_FW_CONFIG_H
#define KEEL_FW_CONFIG_H

/* Frame capture ring behind HTTP /capture.pcap (capture.c).  0 compiles the
 * capture out (no RAM, /capture.pcap answers 404).  4 KiB holds ~30 full
 * snaplen frames or ~60 bare TCP segments: what fits lm3s6965evb's 64 KiB. */
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
/* After the response and our FIN, unread request bytes are drained for at
 * most this long before the close (lingering close, so a 400 to an
 * oversize request is not overtaken by a RST). */
#ifndef KEEL_HTTP_LINGER_MS
#define KEEL_HTTP_LINGER_MS 2000u
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
#endif
