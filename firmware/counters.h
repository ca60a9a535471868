/* Every counter the device keeps, under Linux's `netstat -s` / nstat names,
 * in one list: the stack's (<keel/stats.h>) then the driver's ("Link").
 * The console's netstat -s, ifconfig and reset-counters and HTTP /metrics
 * all read it, so the numbers always agree. */
#ifndef KEEL_COUNTERS_H
#define KEEL_COUNTERS_H
#include <stddef.h>
#include <stdint.h>

struct keel;
struct netdev;

struct counter {
	const char *group;   /* "Tcp", "TcpExt", "Ip", "Icmp", "Arp", "Eth", "Link" */
	const char *name;    /* Linux's name where Linux has one */
	uint32_t value;
	uint8_t gauge;       /* 1: a current value (CurrEstab), not a running count */
};

size_t counters_count(void);
/* Fills *out with counter i (0 <= i < counters_count()); nd may be NULL,
 * then the Link counters read 0.  Returns 0, or -1 past the end. */
int counters_get(const struct keel *k, const struct netdev *nd, size_t i, struct counter *out);
/* Looks a counter up by group and name; returns 0 and fills *value. */
int counters_find(const struct keel *k, const struct netdev *nd, const char *group,
		  const char *name, uint32_t *value);
/* Zeroes every running count (gauges and state are untouched). */
void counters_reset(struct keel *k, struct netdev *nd);
#endif
