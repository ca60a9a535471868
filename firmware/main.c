/* keel firmware: bring up the board and the stack, then one loop that
 * moves frames from the MAC into the stack, runs the stack's timers every
 * millisecond and serves the console.  Nothing in it blocks. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "board.h"
#include "capture.h"
#include "console.h"
#include "fmt.h"
#include "fw.h"
#include "history_fw.h"
#include <keel/dhcp.h>
#include <keel/keel.h>
#include <keel/port.h>

/* The address is leased by DHCP; with no OFFER within KEEL_DHCP_FALLBACK_MS
 * (3 s) the device takes this static one and keeps it (-D overrides). */
#ifndef FW_DEFAULT_ADDR
#define FW_DEFAULT_ADDR   0xC0000202u   /* 192.0.2.2 (RFC 5737) */
#endif
#ifndef FW_DEFAULT_PREFIX
#define FW_DEFAULT_PREFIX 24
#endif
#ifndef FW_DEFAULT_GW
#define FW_DEFAULT_GW     0u
#endif
/* Frames taken from the MAC per loop pass before the console and timers
 * get their turn; the MAC's FIFO holds the rest. */
#define FW_RX_BUDGET      8u
/* Longest idle sleep: the apps' own timeouts (HTTP) are polled at least
 * this often; the stack's deadlines come from keel_next_deadline. */
#define FW_IDLE_MAX_MS    100u

static struct keel *stack;
static struct netdev *nd;
static uint8_t rxbuf[KEEL_FRAME_MAX] __attribute__((aligned(4)));

/* linker.ld */
extern uint32_t __flash_used[], __ram_start[], __ram_static_end[], __stack_top[], __stack_limit[];

struct keel *fw_stack(void) { return stack; }
struct netdev *fw_netdev(void) { return nd; }
uint32_t fw_uptime_ms(void) { return board_millis(); }

void fw_footprint(struct fw_footprint *fp)
{
	fp->flash = (uint32_t)(uintptr_t)__flash_used;
	fp->ram_static = (uint32_t)((uintptr_t)__ram_static_end - (uintptr_t)__ram_start);
	fp->ram_total = (uint32_t)((uintptr_t)__stack_top - (uintptr_t)__ram_start);
	fp->stack = (uint32_t)((uintptr_t)__stack_top - (uintptr_t)__stack_limit);
}

/* The frame leaves first and is recorded after: the copy into the capture
 * ring is not on the way of a reply (the echo round trip), and nothing
 * else is recorded in between, so the ring's order is the same. */
static int fw_tx(void *ctx, const uint8_t *frame, size_t len)
{
	struct netdev *dev = ctx;
	int r = dev ? dev->tx(dev, frame, len) : -1;
	capture_frame(frame, len, board_millis());
	return r;
}

static void banner(void)
{
	char ip[FMT_IP_LEN], gw[FMT_IP_LEN], mac[FMT_MAC_LEN];
	struct fw_footprint fp;
	struct keel_ifconfig ifc;
	struct keel_dhcp_info dhcp;
	fw_footprint(&fp);
	keel_get_ifconfig(stack, &ifc);
	keel_dhcp_info(stack, &dhcp);
	con_printf("\nkeel %s on %s\n", fw_build_id, board_name());
	con_printf("mac %s%s\n", fmt_mac(mac, ifc.mac), nd ? "" : " (no network device)");
	if (dhcp.running)
		con_printf("ip dhcp (no offer in %u s: static %s/%u gw %s)\n",
			   (unsigned)(KEEL_DHCP_FALLBACK_MS / 1000u), fmt_ip(ip, FW_DEFAULT_ADDR),
			   (unsigned)FW_DEFAULT_PREFIX, FW_DEFAULT_GW ? fmt_ip(gw, FW_DEFAULT_GW) : "none");
	else
		con_printf("ip %s/%u gw %s\n", fmt_ip(ip, ifc.addr), (unsigned)ifc.prefix,
			   ifc.gateway ? fmt_ip(gw, ifc.gateway) : "none");
	con_printf("footprint flash %lu ram %lu of %lu (stack %lu)\n", (unsigned long)fp.flash,
		   (unsigned long)fp.ram_static, (unsigned long)fp.ram_total, (unsigned long)fp.stack);
	board_console_flush();
}

int main(void)
{
	board_init();
	nd = board_netdev();
	struct keel_ifconfig ifc = {.addr = 0};   /* DHCP (or the fallback) sets it */
	if (nd)
		memcpy(ifc.mac, nd->mac, sizeof(ifc.mac));
	uint8_t seed[16];
	board_seed(seed);
	stack = keel_open(&ifc, seed, fw_tx, nd);
	for (size_t i = 0; i < sizeof(seed); i++)
		seed[i] = 0;   /* the stack keeps its own copy (or hash) */
	if (nd)
		keel_set_offload(stack, nd->offload);
	int link = 1;
	apps_init(stack);
	if (nd)
		keel_dhcp_start(stack, board_millis(), FW_DEFAULT_ADDR, FW_DEFAULT_PREFIX, FW_DEFAULT_GW);
	else
		keel_set_addr(stack, FW_DEFAULT_ADDR, FW_DEFAULT_PREFIX, FW_DEFAULT_GW);
	banner();
	console_start();

	uint32_t last_tick = board_millis();
	history_fw_init(stack, last_tick);
	for (;;) {
		bool busy = false;
		for (uint32_t i = 0; nd && i < FW_RX_BUDGET; i++) {
			size_t len = nd->rx(nd, rxbuf, sizeof(rxbuf));
			if (len == 0)
				break;
			capture_frame(rxbuf, len, board_millis());
			keel_input(stack, rxbuf, len, board_millis());
			/* The apps read right after each frame, so the ACK the
			 * stack owes goes out with the window they just freed
			 * (one ACK per segment with the window open, as lwIP's
			 * recv callback does), not a zero window and an update
			 * a pass later.  Only the connections with news: the
			 * sweep of the others waits for the pass. */
			apps_poll_events(stack, board_millis());
			busy = true;
		}
		uint32_t now = board_millis();
		if (nd && nd->link_up && nd->link_up(nd) != link) {
			link = !link;
			keel_link_set(stack, link, now);
		}
		if (now != last_tick) {
			keel_tick(stack, now);   /* catches up once after a long pass */
			last_tick = now;
		}
		if (apps_poll(stack, now))
			busy = true;
		net_notice_poll(stack, now);
		history_fw_poll(stack, now);
		if (console_poll(now))
			busy = true;
		/* Sleep only when this pass found nothing, until the stack's next
		 * deadline; a frame or key that came in since makes this return
		 * at once. */
		if (!busy) {
			uint32_t wake;
			if (!keel_next_deadline(stack, &wake) || (int32_t)(wake - now) > (int32_t)FW_IDLE_MAX_MS)
				wake = now + FW_IDLE_MAX_MS;
			board_sleep_until(wake);
		}
	}
}
