/* DHCP messages on the wire (RFC 2131 §2, options RFC 2132): one builder
 * for what the client sends, one parser that validates a server's reply
 * into plain values.  No state here. */
#ifndef KEEL_DHCP_WIRE_H
#define KEEL_DHCP_WIRE_H
#include <stddef.h>
#include <stdint.h>
#include <keel/config.h>

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_FIXED_LEN 236        /* op .. file (RFC 2131 Figure 1) */
#define DHCP_MIN_LEN 300          /* BOOTP minimum; we pad to it (RFC 1542 §3.2.1) */
#define DHCP_MAGIC 0x63825363u    /* RFC 2131 §3 "magic cookie" */
#define DHCP_FLAG_BROADCAST 0x8000u

enum dhcp_msg_type {
	DHCPDISCOVER = 1, DHCPOFFER = 2, DHCPREQUEST = 3, DHCPDECLINE = 4,
	DHCPACK = 5, DHCPNAK = 6, DHCPRELEASE = 7, DHCPINFORM = 8,
};

/* What the client puts in a message. */
struct dhcp_out {
	uint8_t type;             /* enum dhcp_msg_type */
	uint32_t xid;
	uint16_t secs, flags;
	uint32_t ciaddr;
	uint32_t requested;       /* option 50, 0 = absent */
	uint32_t server_id;       /* option 54, 0 = absent */
	const uint8_t *mac;
};

/* A server's reply, validated. */
struct dhcp_in {
	uint8_t type;
	uint32_t xid;
	uint32_t yiaddr;
	const uint8_t *chaddr;    /* 16 bytes in the datagram */
	uint32_t server_id;       /* option 54, 0 when absent */
	uint32_t router;          /* option 3 (the first one), 0 when absent */
	uint32_t dns[KEEL_DNS_MAX_SERVERS];   /* option 6, the first ones */
	uint8_t ndns;
	uint8_t prefix;           /* option 1 as a prefix length */
	uint8_t has_mask;
	uint32_t lease_s, t1_s, t2_s;         /* options 51, 58, 59; 0 = absent */
};

/* Writes a message into p (cap >= DHCP_MIN_LEN + 32); returns its length. */
size_t dhcp_build(uint8_t *p, size_t cap, const struct dhcp_out *m);
/* 0 and *out filled for a well-formed BOOTREPLY carrying a message type;
 * -1 for anything else (truncated, wrong op/htype/cookie, an option that
 * runs past the end, a mask that is not contiguous ...). */
int dhcp_parse(const uint8_t *p, size_t len, struct dhcp_in *out);
/* 255.255.255.0 -> 24; -1 when the mask has holes. */
int dhcp_mask_to_prefix(uint32_t mask);
#endif
