/* ICMP (RFC 792): echo reply. */
#ifndef KEEL_ICMP_H
#define KEEL_ICMP_H
#include <stdint.h>

#define ICMP_HDR_LEN 8
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8

struct keel;
struct ipv4_packet;

struct icmp_stats {
	uint32_t in_msgs, in_errors, in_csum_errors, in_echos;
	uint32_t out_msgs, out_echo_reps;
	uint32_t in_echo_bcast;  /* broadcast echo requests ignored */
	uint32_t out_errors;     /* replies that could not be sent */
};

void icmp_input(struct keel *k, const struct ipv4_packet *ip);
#endif
