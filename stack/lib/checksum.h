/* The Internet checksum (RFC 1071), in one place for IPv4, ICMP and TCP. */
#ifndef KEEL_CHECKSUM_H
#define KEEL_CHECKSUM_H
#include <stddef.h>
#include <stdint.h>

/* Adds len bytes at p to a running 32-bit one's-complement sum.  An odd
 * length is padded with a zero byte, so only the last chunk may be odd. */
uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len);
/* csum_add(0, p, 20), faster: an IPv4 header without options. */
uint32_t csum_ipv4_hdr(const uint8_t *p);
/* Folds the sum to 16 bits and complements it: the value to store.  The
 * fold: at most 0x1fffe after one step, 0xffff after the second; zero
 * only for a zero sum.  Inline, as csum_pseudo: a few instructions each,
 * asked for by every segment in and out. */
static inline uint16_t csum_fold(uint32_t s)
{
	s = (s & 0xffffu) + (s >> 16);
	s = (s & 0xffffu) + (s >> 16);
	return (uint16_t)~s;
}
/* The TCP/UDP pseudo-header sum (RFC 9293 §3.1); addresses in host order. */
static inline uint32_t csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	return (src >> 16) + (src & 0xffffu) + (dst >> 16) + (dst & 0xffffu) + proto + len;
}
#endif
