/* keel's UDP sockets (RFC 768), public API: non-blocking calls on small
 * integer handles, as <keel/tcp.h>.  A socket is bound to a local port on
 * every address of the interface (Linux's INADDR_ANY).  The application
 * lends the receive queue at bind time (static memory it owns); a datagram
 * that does not fit is dropped and counted (Udp RcvbufErrors), as Linux
 * does past SO_RCVBUF.  Errors are the KEEL_E* of <keel/tcp.h>. */
#ifndef KEEL_PUBLIC_UDP_H
#define KEEL_PUBLIC_UDP_H
#include <stddef.h>
#include <stdint.h>
#include <keel/config.h>

struct keel;

#define UDP_HDR_LEN 8
/* The largest payload one unfragmented datagram carries (keel sends no
 * fragments). */
#define UDP_PAYLOAD_MAX (KEEL_MTU - 20 - UDP_HDR_LEN)
/* Ephemeral ports: Linux's ip_local_port_range. */
#define UDP_EPHEMERAL_LO 32768u
#define UDP_EPHEMERAL_HI 60999u

/* Binds port (0: a random free ephemeral port) with a receive queue in
 * buf (cap bytes; each datagram takes 8 more).  Returns a handle or an
 * error (EADDRINUSE, ENOMEM when every slot is taken, EINVAL). */
int keel_udp_bind(struct keel *k, uint16_t port, uint8_t *buf, size_t cap);
int keel_udp_close(struct keel *k, int s);
/* The local port of a handle, 0 if the handle is not live. */
uint16_t keel_udp_local_port(const struct keel *k, int s);
/* Sends len bytes to dst:dport.  Returns len, or EMSGSIZE (longer than
 * UDP_PAYLOAD_MAX), EHOSTUNREACH (no route or ARP queue full), EBADF. */
int keel_udp_sendto(struct keel *k, int s, uint32_t dst, uint16_t dport, const void *buf,
		    size_t len);
/* Zero-copy sending: write up to UDP_PAYLOAD_MAX bytes at keel_udp_tx_buf
 * (valid until the next call into the stack), then keel_udp_send_tx
 * sends len of them, as keel_udp_sendto would. */
uint8_t *keel_udp_tx_buf(struct keel *k);
int keel_udp_send_tx(struct keel *k, int s, uint32_t dst, uint16_t dport, size_t len);
/* Reads the oldest queued datagram: returns its length (the part beyond
 * cap is discarded, as recvfrom without MSG_TRUNC), EWOULDBLOCK when none,
 * EBADF.  src and sport may be NULL. */
int keel_udp_recvfrom(struct keel *k, int s, void *buf, size_t cap, uint32_t *src,
		      uint16_t *sport);
/* Datagrams waiting in the queue of s (0 for the stack's own sockets). */
int keel_udp_pending(const struct keel *k, int s);
#endif
