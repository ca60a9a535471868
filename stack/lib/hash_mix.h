/* The integer mixer behind keel's hashed tables (TCBs, SYN queue,
 * TIME_WAIT, neighbours) and the compile-time sizes of those tables. */
#ifndef KEEL_HASH_MIX_H
#define KEEL_HASH_MIX_H
#include <stdint.h>

/* Buckets are chosen by a hash keyed with a boot secret (as Linux's
 * inet_ehashfn keys jhash with inet_ehash_secret): a peer that picks its
 * ports and addresses cannot aim every entry at one chain without the key.
 * Two rounds of a 32-bit multiply-xorshift finaliser cost a handful of
 * cycles per segment on a Cortex-M3, about a twentieth of SipHash-2-4 on
 * the same 8 bytes (64-bit rotations on a 32-bit core); SipHash stays
 * where an output is seen on the wire (ISNs, cookies).  Chains are
 * further bounded by the pools themselves. */
static inline uint32_t keel_mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	x ^= x >> 16;
	return x;
}

/* Compile-time sizes: the smallest power of two >= n (n <= 65536), and
 * the bits an index below n needs. */
#define KEEL_POW2_AT_LEAST(n)                                                               \
	((n) <= 1 ? 1 : (n) <= 2 ? 2 : (n) <= 4 ? 4 : (n) <= 8 ? 8 : (n) <= 16 ? 16 :        \
	 (n) <= 32 ? 32 : (n) <= 64 ? 64 : (n) <= 128 ? 128 : (n) <= 256 ? 256 :              \
	 (n) <= 512 ? 512 : (n) <= 1024 ? 1024 : (n) <= 2048 ? 2048 : (n) <= 4096 ? 4096 :     \
	 (n) <= 8192 ? 8192 : (n) <= 16384 ? 16384 : (n) <= 32768 ? 32768 : 65536)
#define KEEL_BITS_FOR(n)                                                                    \
	((n) <= 2 ? 1 : (n) <= 4 ? 2 : (n) <= 8 ? 3 : (n) <= 16 ? 4 : (n) <= 32 ? 5 :          \
	 (n) <= 64 ? 6 : (n) <= 128 ? 7 : (n) <= 256 ? 8 : (n) <= 512 ? 9 : (n) <= 1024 ? 10 : \
	 (n) <= 2048 ? 11 : (n) <= 4096 ? 12 : (n) <= 8192 ? 13 : (n) <= 16384 ? 14 :          \
	 (n) <= 32768 ? 15 : 16)
#endif
