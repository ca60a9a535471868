/* Records a packet script as a program for the stateful TCP fuzzer
 * (tests/fuzz/fuzz_tcp_ops.h), so every script seeds its corpus:
 *   KEEL_FUZZ_RECORD=dir build/host/tcp/tcp_scripts
 * writes dir/<script>.  Without the variable every call is a no-op. */
#ifndef KEEL_TESTS_FUZZ_RECORD_H
#define KEEL_TESTS_FUZZ_RECORD_H
#include <stddef.h>
#include <stdint.h>

void fr_begin(const char *script, uint32_t start_clock);
void fr_end(void);
void fr_clock_start(uint32_t ms);
void fr_tick(uint32_t ms);
/* A peer segment: absolute seq; ack relative to the stack's ISN on the
 * tuple (ack_abs: absolute, the ISN is not known yet). */
void fr_frame(uint16_t pport, uint16_t dport, uint8_t flags, uint32_t seq, int has_ack, int ack_abs,
	      uint32_t ack, uint16_t win, uint16_t len, const uint8_t *opts, size_t optlen, int badsum,
	      int badipsum);
void fr_api(unsigned call, int h, uint16_t a, uint16_t b);
/* listen/connect/accept made handle h (>= 0): the fuzzer numbers it too. */
void fr_handle(int h);
void fr_listen(uint16_t port, int backlog);
void fr_connect(uint16_t dport, uint16_t sport);
void fr_sysctl(const char *name, uint32_t v);
#endif
