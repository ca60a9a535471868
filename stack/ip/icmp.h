/* ICMP (RFC 792): echo reply. */
#ifndef KEEL_ICMP_H
#define KEEL_ICMP_H
#include <stdint.h>

#define ICMP_HDR_LEN 8
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8
#define ICMP_DEST_UNREACH 3
#define ICMP_UNREACH_PROTOCOL 2
#define ICMP_UNREACH_PORT 3
#define ICMP_UNREACH_NEEDFRAG 4   /* fragmentation needed and DF set (RFC 1191) */
/* Error messages quote as much of the datagram as keeps them within 576
 * bytes (RFC 1812 §4.3.2.3; what Linux sends). */
#define ICMP_ERR_MAX_LEN 576
/* Error messages are rate limited: KEEL_ICMP_ERR_BURST, then
 * KEEL_ICMP_ERR_PER_SEC (<keel/config.h>). */

struct keel;
struct ipv4_packet;

struct icmp_stats {
	uint32_t in_msgs, in_errors, in_csum_errors, in_echos;
	uint32_t out_msgs, out_echo_reps;
	uint32_t out_echos, in_echo_reps;   /* OutEchos, InEchoReps: ping (ping.c) */
	uint32_t in_dest_unreachs;          /* InDestUnreachs */
	uint32_t in_echo_bcast;  /* broadcast echo requests ignored */
	uint32_t out_errors;     /* replies that could not be sent */
	uint32_t out_dest_unreachs; /* OutDestUnreachs */
	uint32_t out_ratelimited;   /* errors held back by the rate limit */
	/* the error-message bucket: what has been spent, in 1/1000 of a
	 * message (zero = full, so a zeroed struct needs no init), and when */
	uint32_t err_spent, err_spent_at;
};

void icmp_input(struct keel *k, const struct ipv4_packet *ip);
/* Destination unreachable (RFC 792) about the received datagram ip, unless
 * RFC 1122 §3.2.2 forbids an error for it or the rate limit holds it. */
void icmp_send_unreach(struct keel *k, const struct ipv4_packet *ip, uint8_t code);
#endif
