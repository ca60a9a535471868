/* UDP (RFC 768): sockets on small integer handles, non-blocking.
 *
 * A socket is bound to a local port on every address of the interface
 * (as Linux's INADDR_ANY) and receives in one of two ways:
 *   - queued: the application lends a buffer at bind time and reads
 *     datagrams with udp_recvfrom; when the next one does not fit it is
 *     dropped and counted (RcvbufErrors), as Linux does past SO_RCVBUF;
 *   - callback: the stack's own clients (DHCP, DNS) parse each datagram in
 *     place inside udp_input, with no copy and no buffer.
 * The stack allocates nothing: the socket table is a fixed array.  The
 * application's calls are in <keel/udp.h>. */
#ifndef KEEL_UDP_H
#define KEEL_UDP_H
#include <stddef.h>
#include <stdint.h>
#include <keel/config.h>
#include <keel/udp.h>

struct keel;
struct ipv4_packet;

/* One received datagram as the callback sees it (points into the frame). */
struct udp_dgram {
	uint32_t src, dst;        /* host byte order */
	uint16_t sport, dport;
	const uint8_t *data;
	size_t len;
	uint8_t bcast;            /* sent to a broadcast address */
};
typedef void (*udp_recv_fn)(struct keel *k, void *ctx, const struct udp_dgram *d);

/* Linux's `Udp:` counters (netstat -s), same meanings. */
struct udp_stats {
	uint32_t in_datagrams;    /* InDatagrams: delivered to a socket */
	uint32_t no_ports;        /* NoPorts: unicast to a port nobody bound */
	uint32_t in_errors;       /* InErrors: bad length or checksum, or no room */
	uint32_t out_datagrams;   /* OutDatagrams */
	uint32_t rcvbuf_errors;   /* RcvbufErrors: socket queue full */
	uint32_t in_csum_errors;  /* InCsumErrors (also in InErrors) */
	uint32_t ignored_multi;   /* IgnoredMulti: broadcast nobody bound */
};

struct udp_sock {
	uint16_t port;            /* 0 = free slot */
	uint8_t gen;              /* handle generation: stale handles fail */
	uint8_t pad;
	udp_recv_fn fn;           /* callback mode when set */
	void *ctx;
	uint8_t *q;               /* queued mode: ring of records (udp.c) */
	uint16_t cap, head, used, count;
};

struct udp_state {
	struct udp_sock socks[KEEL_UDP_MAX_SOCK];
	struct udp_stats stats;
	uint16_t hwm;             /* most sockets ever bound at once */
};

void udp_input(struct keel *k, const struct ipv4_packet *ip);

/* The stack's own clients (DHCP, DNS): port with a callback instead of a
 * queue; the datagram is parsed in place inside udp_input. */
int udp_bind_cb(struct keel *k, uint16_t port, udp_recv_fn fn, void *ctx);
#endif
