/* ICMP echo (RFC 792) from the application: what `ping` needs.  One
 * identifier at a time is open; its replies wait in a small ring
 * (KEEL_PING_REPLIES) until read, the oldest dropped when it is full. */
#ifndef KEEL_PUBLIC_PING_H
#define KEEL_PUBLIC_PING_H
#include <stddef.h>
#include <stdint.h>

struct keel;

#ifndef KEEL_PING_REPLIES
#define KEEL_PING_REPLIES 4
#endif

struct keel_ping_reply {
	uint32_t src;
	uint16_t seq;
	uint16_t len;       /* ICMP bytes (header and data), as ping prints them */
	uint8_t ttl;
	uint8_t data_ok;    /* the data came back as sent */
	uint32_t rx_ms;     /* stack time it arrived */
};

/* Takes identifier id for echo replies (0 on success, EADDRINUSE while
 * another is open); keel_ping_close gives it back. */
int keel_ping_open(struct keel *k, uint16_t id);
void keel_ping_close(struct keel *k);
/* An echo request to dst with data_len bytes of a fixed pattern (at most
 * KEEL_MTU - 28).  Returns 0, or EMSGSIZE, EHOSTUNREACH, EINVAL. */
int keel_ping_send(struct keel *k, uint32_t dst, uint16_t seq, size_t data_len);
/* The oldest reply not read yet: 0, or EWOULDBLOCK. */
int keel_ping_recv(struct keel *k, struct keel_ping_reply *out);
#endif
