/* The host unit tests of the TCP internals share one fixture: a stack
 * instance at 192.0.2.2/24 on a wire that takes every frame and delivers
 * none, so only what a test calls or injects happens. */
#ifndef KEEL_TEST_TCP_FIXTURE_H
#define KEEL_TEST_TCP_FIXTURE_H
#include <stddef.h>
#include <stdint.h>
#include "keel.h"

#define US 0xc0000202u
#define PEER 0xc0000201u

static struct keel K;
static const uint8_t seed[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static const uint8_t mac[6] = {2, 0, 0, 0, 0, 2};

static int tx_sink(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx; (void)f; (void)len;
	return 0;
}

/* cmocka setup: a fresh instance. */
static int tcp_fixture_setup(void **state)
{
	(void)state;
	keel_init(&K, mac, US, 24, 0, seed, tx_sink, NULL);
	return 0;
}
#endif
