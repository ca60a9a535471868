/* UDP echo (RFC 862 §"UDP Based Echo Service"): each datagram to port 7
 * goes back to its sender.  Read straight into the stack's output buffer
 * and sent from there: no copy beyond the socket queue. */
#include "apps.h"
#include "fw_config.h"
#include <keel/tcp.h>
#include <keel/udp.h>

#define UDP_ECHO_PORT 7
#define UDP_ECHO_PER_POLL 4   /* datagrams answered per loop pass */

static uint8_t queue[KEEL_UDP_ECHO_QUEUE];
static int sock = -1;

void udp_echo_init(struct keel *k)
{
	sock = keel_udp_bind(k, UDP_ECHO_PORT, queue, sizeof(queue));
}

/* Runs after every frame: with nothing queued (most frames are not UDP
 * echo) one count read, not a failed receive into the output buffer. */
void udp_echo_poll(struct keel *k)
{
	if (keel_udp_pending(k, sock) <= 0)
		return;
	for (int i = 0; sock >= 0 && i < UDP_ECHO_PER_POLL; i++) {
		uint32_t src;
		uint16_t sport;
		int n = keel_udp_recvfrom(k, sock, keel_udp_tx_buf(k), UDP_PAYLOAD_MAX, &src, &sport);
		if (n < 0)
			return;
		(void)keel_udp_send_tx(k, sock, src, sport, (size_t)n);
	}
}
