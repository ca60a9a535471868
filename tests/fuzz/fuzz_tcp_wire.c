/* libFuzzer target: the TCP codec alone (stack/tcp/tcp_wire.c), no stack
 * instance.  Input: one byte of flags, then a TCP segment.  Whatever the
 * bytes, tcp_seg_parse reads only within them; a segment it accepts is
 * written back with tcp_seg_write and must parse to the same fields, with
 * a valid checksum. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "checksum.h"
#include "ipv4.h"
#include "tcp_wire.h"

#define SRC 0xc000020au
#define DST 0xc0000202u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t in[65536], out[65536];
	if (size < 1 || size - 1 > sizeof(in))
		return 0;
	uint8_t flags = data[0];
	size_t len = size - 1;
	memcpy(in, data + 1, len);   /* its own buffer: ASan sees any overread */
	if ((flags & 1) && len >= TCP_HDR_LEN) {
		/* a valid checksum, so parsing goes on to the options */
		in[16] = in[17] = 0;
		uint16_t c = csum_fold(csum_add(csum_pseudo(SRC, DST, IP_PROTO_TCP, (uint16_t)len), in, len));
		in[16] = (uint8_t)(c >> 8);
		in[17] = (uint8_t)c;
	}
	struct ipv4_packet ip = {.src = SRC, .dst = DST, .proto = IP_PROTO_TCP, .payload = in,
				 .len = len, .csum_ok = (flags & 2) != 0};
	struct tcp_seg s;
	if (tcp_seg_parse(&ip, &s) != TCP_PARSE_OK)
		return 0;
	assert(s.data >= in && s.data + s.len == in + len);
	/* SYN-only options go back only without payload (the writer's rule). */
	uint8_t keep = s.len ? (TCP_OPTF_TS | TCP_OPTF_SACK) : 0xffu;
	struct tcp_out o = {.saddr = SRC, .daddr = DST, .sport = s.sport, .dport = s.dport,
			    .seq = s.seq, .ack = s.ack, .flags = s.flags, .wnd = s.wnd,
			    .mss = s.len ? 0 : s.mss, .opts = (uint8_t)(s.opts & keep),
			    .wscale = s.wscale, .tsval = s.tsval, .tsecr = s.tsecr, .nsack = s.nsack};
	memcpy(o.sack, s.sack, sizeof o.sack);
	size_t olen = tcp_opt_len(&o);
	memcpy(out + TCP_HDR_LEN + olen, s.data, s.len);
	int n = tcp_seg_write(out, sizeof(out), &o, s.len, 1);
	assert(n == (int)(TCP_HDR_LEN + olen + s.len));
	assert(csum_fold(csum_add(csum_pseudo(SRC, DST, IP_PROTO_TCP, (uint16_t)n), out, (size_t)n)) == 0);
	struct ipv4_packet back = {.src = SRC, .dst = DST, .proto = IP_PROTO_TCP, .payload = out, .len = (size_t)n};
	struct tcp_seg t;
	assert(tcp_seg_parse(&back, &t) == TCP_PARSE_OK);
	assert(t.sport == s.sport && t.dport == s.dport && t.seq == s.seq && t.ack == s.ack);
	assert(t.flags == s.flags && t.wnd == s.wnd && t.len == s.len && t.mss == o.mss);
	/* SACK blocks beyond the option space are left out, the rest stays */
	assert((t.opts & ~TCP_OPTF_SACK) == (o.opts & ~TCP_OPTF_SACK) && t.nsack <= o.nsack);
	if (o.opts & TCP_OPTF_TS)
		assert(t.tsval == s.tsval && t.tsecr == s.tsecr);
	if (o.opts & TCP_OPTF_WSCALE)
		assert(t.wscale == s.wscale);
	for (unsigned i = 0; i < t.nsack; i++)
		assert(t.sack[i].start == s.sack[i].start && t.sack[i].end == s.sack[i].end);
	assert(memcmp(t.data, s.data, s.len) == 0);
	return 0;
}
