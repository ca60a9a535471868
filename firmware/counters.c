/* The device's counters: the stack's table (<keel/stats.h>, Linux's names)
 * followed by the driver's, so netstat -s, ifconfig, reset-counters and
 * /metrics read one list and always agree. */
#include <stddef.h>
#include <string.h>
#include <keel/port.h>
#include <keel/stats.h>
#include "counters.h"

static const struct link_def {
	const char *name;
	uint16_t off;    /* offset of the uint32_t in struct netdev_stats */
} links[] = {
	{"RxFrames", offsetof(struct netdev_stats, rx_frames)},
	{"RxBytes", offsetof(struct netdev_stats, rx_bytes)},
	{"RxDrops", offsetof(struct netdev_stats, rx_drops)},
	{"RxErrors", offsetof(struct netdev_stats, rx_errors)},
	{"RxFifoFull", offsetof(struct netdev_stats, rx_fifo_full)},
	{"TxFrames", offsetof(struct netdev_stats, tx_frames)},
	{"TxBytes", offsetof(struct netdev_stats, tx_bytes)},
	{"TxDrops", offsetof(struct netdev_stats, tx_drops)},
	{"TxErrors", offsetof(struct netdev_stats, tx_errors)},
};
#define NLINKS (sizeof(links) / sizeof(links[0]))

size_t counters_count(void)
{
	return keel_counter_count() + NLINKS;
}

int counters_get(const struct keel *k, const struct netdev *nd, size_t i, struct counter *out)
{
	size_t nstack = keel_counter_count();
	if (i < nstack) {
		struct keel_counter c;
		if (keel_counter_get(k, i, &c) != 0)
			return -1;
		out->group = c.group;
		out->name = c.name;
		out->value = c.value;
		out->gauge = c.gauge;
		return 0;
	}
	i -= nstack;
	if (i >= NLINKS)
		return -1;
	out->group = "Link";
	out->name = links[i].name;
	out->gauge = 0;
	out->value = 0;
	if (nd)
		memcpy(&out->value, (const uint8_t *)&nd->stats + links[i].off, sizeof(out->value));
	return 0;
}

int counters_find(const struct keel *k, const struct netdev *nd, const char *group,
		  const char *name, uint32_t *value)
{
	struct counter c;
	for (size_t i = 0; counters_get(k, nd, i, &c) == 0; i++) {
		if (strcmp(c.group, group) == 0 && strcmp(c.name, name) == 0) {
			*value = c.value;
			return 0;
		}
	}
	return -1;
}

void counters_reset(struct keel *k, struct netdev *nd)
{
	keel_counters_reset(k);
	if (nd)
		memset(&nd->stats, 0, sizeof(nd->stats));   /* all running counts */
}
