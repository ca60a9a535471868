/* keel's public API: a stack instance, its address and the two calls a
 * main loop makes (keel_input in port.h, keel_tick here).
 *
 * Applications and firmware include <keel/...> headers only (make test
 * checks firmware/): keel.h, tcp.h and udp.h (sockets), dhcp.h and dns.h
 * (the client services), stats.h (counters, pools, connection table),
 * sysctl.h (Linux-named knobs), config.h (compile-time sizes) and port.h
 * (the driver contract).  struct keel is opaque here:
 * the stack owns its instances (static, KEEL_INSTANCES of them), so no
 * application can depend on its layout.
 *
 * The stack never reads a clock: every entry point that needs the time
 * takes it, in milliseconds from any origin (wrapping is fine). */
#ifndef KEEL_PUBLIC_KEEL_H
#define KEEL_PUBLIC_KEEL_H
#include <stddef.h>
#include <stdint.h>
#include <keel/config.h>
#include <keel/port.h>

struct keel;

struct keel_ifconfig {
	uint8_t mac[6];
	uint32_t addr;     /* host byte order */
	uint8_t prefix;    /* netmask length, 0..32 */
	uint32_t gateway;  /* 0 = none */
};

/* Starts the next of the KEEL_INSTANCES static instances with this
 * interface, sending its frames through tx(tx_ctx, ...).  seed: boot-time
 * entropy for the ISN and SYN-cookie keys (RFC 6528 secret); the stack
 * keeps its own copy, so the caller may wipe it.  NULL when every
 * instance is taken. */
struct keel *keel_open(const struct keel_ifconfig *ifc, const uint8_t seed[16], keel_tx_fn tx,
		       void *tx_ctx);
/* Moves the interface's address (prefix clamped to 32). */
void keel_set_addr(struct keel *k, uint32_t addr, uint8_t prefix, uint32_t gateway);
void keel_get_ifconfig(const struct keel *k, struct keel_ifconfig *out);
/* Runs every timer that is due at now_ms; bounded work per call.  Any
 * interval works: a timer fires at the first tick at or after its
 * deadline, so the tick interval is the timers' resolution (1 to 10 ms
 * keeps TCP's 200 ms RTO floor and delayed ACK meaningful). */
void keel_tick(struct keel *k, uint32_t now_ms);
/* When keel_tick next has work: 1 and *when_ms (possibly already past:
 * tick now), or 0 when nothing is timed.  The main loop may sleep until
 * then or a frame: ticks in between would find nothing due. */
int keel_next_deadline(struct keel *k, uint32_t *when_ms);

static inline uint32_t keel_netmask(uint8_t prefix)
{
	return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}
#endif
