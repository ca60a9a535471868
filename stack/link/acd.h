/* IPv4 address conflict detection (RFC 5227): the probe and announcement
 * frames, and the test of whether a received ARP packet means that an
 * address we are probing belongs to somebody else. */
#ifndef KEEL_ACD_H
#define KEEL_ACD_H
#include <stdint.h>

struct keel;

/* ARP Request "who has ip?" with sender IP 0 (RFC 5227 §2.1.1). */
int acd_send_probe(struct keel *k, uint32_t ip);
/* ARP Request with sender and target IP both ip (RFC 5227 §2.3). */
int acd_send_announce(struct keel *k, uint32_t ip);
/* RFC 5227 §2.1.1: a conflict is any ARP packet whose sender IP is the
 * probed address, or a probe for it from another host.  The caller has
 * already dropped packets from our own MAC. */
static inline int acd_conflicts(uint32_t probed, uint32_t spa, uint32_t tpa)
{
	return probed != 0 && (spa == probed || (spa == 0 && tpa == probed));
}
#endif
