/* keel's lwIP benchmark image: the same board, driver and loop as
 * firmware/main.c, with lwIP 2.1.3 (NO_SYS, raw API) in place of keel's
 * stack.  The loop takes up to 8 frames from the MAC, runs lwIP's timers
 * once per millisecond, serves a minimal console, and sleeps only when a
 * pass found nothing, exactly as keel's does. */
#include <stdbool.h>
#include <string.h>
#include "bench_lwip.h"
#include "board.h"
#include <keel/port.h>
#include "lwip/init.h"
#include "lwip/memp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/stats.h"
#include "lwip/sys.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"

#define RX_BUDGET 8u   /* = FW_RX_BUDGET in firmware/main.c */
#define PROMPT "keel> "

static struct netif netif;
static uint32_t rand_state = 0x6b65656cu;

/* linker.ld */
extern uint32_t __flash_used[], __ram_start[], __ram_static_end[], __stack_top[], __stack_limit[];

u32_t sys_now(void) { return board_millis(); }

uint32_t bench_rand(void)
{
	uint32_t x = rand_state;   /* xorshift32 */
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rand_state = x;
}

void con_puts(const char *s)
{
	size_t len = strlen(s);
	while (len) {
		size_t n = board_console_write(s, len);
		s += n;
		len -= n;
		if (len)
			board_console_flush();
	}
}

void con_putu(uint32_t v)
{
	char buf[11];
	size_t i = sizeof(buf) - 1;
	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	con_puts(buf + i);
}

static void kv(const char *k, uint32_t v)
{
	con_puts(k);
	con_puts(" ");
	con_putu(v);
	con_puts("\n");
}

static void cmd_mem(void)
{
	unsigned used, hwm, refused;
	services_stats(&used, &hwm, &refused);
	kv("sizeof_tcp_pcb", sizeof(struct tcp_pcb));
	kv("sizeof_tcp_pcb_listen", sizeof(struct tcp_pcb_listen));
	kv("sizeof_tcp_seg", sizeof(struct tcp_seg));
	kv("tcp_pcb_pool", MEMP_NUM_TCP_PCB);
	kv("pbuf_pool", PBUF_POOL_SIZE);
	kv("pbuf_pool_bufsize", PBUF_POOL_BUFSIZE);
	kv("mem_size", MEM_SIZE);
	kv("tcp_wnd", TCP_WND);
	kv("tcp_snd_buf", TCP_SND_BUF);
	kv("flash", (uint32_t)(uintptr_t)__flash_used);
	kv("ram_static", (uint32_t)((uintptr_t)__ram_static_end - (uintptr_t)__ram_start));
	kv("app_slots_used", used);
	kv("app_slots_hwm", hwm);
	kv("app_slots_refused", refused);
#if MEMP_STATS
	kv("tcp_pcb_used", lwip_stats.memp[MEMP_TCP_PCB]->used);
	kv("tcp_pcb_max", lwip_stats.memp[MEMP_TCP_PCB]->max);
	kv("tcp_pcb_err", lwip_stats.memp[MEMP_TCP_PCB]->err);
	kv("pbuf_pool_used", lwip_stats.memp[MEMP_PBUF_POOL]->used);
	kv("tcp_seg_used", lwip_stats.memp[MEMP_TCP_SEG]->used);
	kv("pbuf_pool_err", lwip_stats.memp[MEMP_PBUF_POOL]->err);
#endif
#if MEM_STATS
	kv("mem_used", lwip_stats.mem.used);
	kv("mem_err", lwip_stats.mem.err);
#endif
#if TCP_STATS
	kv("tcp_recv", lwip_stats.tcp.recv);
	kv("tcp_xmit", lwip_stats.tcp.xmit);
	kv("tcp_drop", lwip_stats.tcp.drop);
	kv("tcp_memerr", lwip_stats.tcp.memerr);
#endif
#if ETHARP_STATS
	kv("etharp_xmit", lwip_stats.etharp.xmit);
	kv("etharp_memerr", lwip_stats.etharp.memerr);
#endif
}

static void console_line(const char *line)
{
	if (strcmp(line, "mem") == 0)
		cmd_mem();
	else if (strcmp(line, "version") == 0)
		con_puts("lwIP " LWIP_VERSION_STRING " (keel bench port)\n");
	else if (line[0] != 0)
		con_puts("commands: mem version\n");
	con_puts(PROMPT);
}

/* Line input with echo; returns true if a byte was typed. */
static bool console_poll(void)
{
	static char line[32];
	static size_t len;
	int ch = board_console_getc();
	if (ch < 0)
		return false;
	if (ch == '\r' || ch == '\n') {
		con_puts("\n");
		line[len] = 0;
		console_line(line);
		len = 0;
	} else if (len < sizeof(line) - 1 && ch >= ' ' && ch < 127) {
		line[len++] = (char)ch;
		char echo[2] = {(char)ch, 0};
		con_puts(echo);
	}
	return true;
}

int main(void)
{
	board_init();
	struct netdev *nd = board_netdev();
	uint8_t seed[16];
	board_seed(seed);
	memcpy(&rand_state, seed, sizeof(rand_state));
	if (rand_state == 0)
		rand_state = 1;
	lwip_init();
	ip4_addr_t addr, mask, gw;
	IP4_ADDR(&addr, 192, 0, 2, 2);   /* 192.0.2.2/24 as keel (RFC 5737) */
	IP4_ADDR(&mask, 255, 255, 255, 0);
	ip4_addr_set_zero(&gw);
	if (nd)
		keelif_add(&netif, nd, &addr, &mask, &gw);
	services_init();

	con_puts("\nkeel bench: lwIP " LWIP_VERSION_STRING " raw API on ");
	con_puts(board_name());
	con_puts(nd ? "\nip 192.0.2.2/24\n" : "\n(no network device)\n");
	con_puts("footprint flash ");
	con_putu((uint32_t)(uintptr_t)__flash_used);
	con_puts(" ram ");
	con_putu((uint32_t)((uintptr_t)__ram_static_end - (uintptr_t)__ram_start));
	con_puts("\n" PROMPT);

	uint32_t last_tick = board_millis();
	for (;;) {
		bool busy = false;
		for (uint32_t i = 0; nd && i < RX_BUDGET; i++) {
			if (!keelif_poll(&netif))
				break;
			busy = true;
		}
		uint32_t now = board_millis();
		if (now != last_tick) {
			sys_check_timeouts();
			last_tick = now;
		}
		if (console_poll())
			busy = true;
		if (!busy)
			board_wait_for_interrupt();
	}
}
