/* A netdev (<keel/port.h>) whose wire is the scripted peer: rx hands
 * the stack the one frame the peer queued, tx gives the device's frame
 * to the peer.  Neither the peer's work nor the frame copies of this
 * fake MAC are counted (callgrind's collection is switched off for them):
 * the counts are the stack's, its glue's and the services'. */
#ifndef KEEL_ICOUNT_FAKE_NETDEV_H
#define KEEL_ICOUNT_FAKE_NETDEV_H
#include <stddef.h>
#include <stdint.h>
#include <keel/port.h>
#include "peer.h"

struct netdev *fake_netdev(struct peer_conn **current);
/* The next frame rx returns. */
void fake_netdev_put(const uint8_t *frame, size_t len);
/* Nonzero while the stack's work is being counted. */
extern int fake_counting;
#endif
