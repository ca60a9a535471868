/* libFuzzer target: the DHCP and DNS reply parsers on arbitrary bytes.
 * The first input byte picks the parser; the rest is the datagram.  Each
 * parse must stay within the datagram (ASan), terminate (bounded walks),
 * and return values within their bounds (checked below). */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "dhcp_wire.h"
#include "dns_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	/* A copy exactly as long as the datagram: reading past it is caught. */
	static uint8_t buf[2048];
	size_t n = size - 1 < sizeof(buf) ? size - 1 : sizeof(buf);
	memcpy(buf, data + 1, n);
	if (data[0] & 1) {
		struct dhcp_in in;
		if (dhcp_parse(buf, n, &in) == 0) {
			assert(in.ndns <= KEEL_DNS_MAX_SERVERS);
			assert(!in.has_mask || in.prefix <= 32);
			assert(in.chaddr >= buf && in.chaddr + 16 <= buf + n);
		}
	} else {
		/* the question a real query asked: "keel.test" A IN */
		static const uint8_t qname[] = {4, 'k', 'e', 'e', 'l', 4, 't', 'e', 's', 't', 0};
		uint16_t id = n >= 2 ? (uint16_t)(buf[0] << 8 | buf[1]) : 0;
		uint32_t addr = 0, ttl = 0;
		int r = dns_parse_reply(buf, n, id, qname, sizeof(qname), &addr, &ttl);
		assert(r >= DNS_REPLY_ANSWER && r <= DNS_REPLY_MALFORMED);
		assert(r != DNS_REPLY_ANSWER || ttl <= 0x7fffffffu);
	}
	return 0;
}
