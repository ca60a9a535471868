/* mem: every pool and buffer -- entries, in use now, peak, bytes per entry,
 * bytes in all -- then the static RAM total from the linker (lm3s6965evb):
 *
 *   Pool            Size  InUse   Peak  Entry    Bytes
 *   tcb              128      0      0     92    11776
 *   arp_cache        128      0      -     32     4096   (peak not kept)
 *   chunks            56      0      0    256    14336   (the shared buffer pool)
 *   chunk_pool    chunk 256 bytes, pressure no (tcp_mem 28 42 56), sizeof(struct tcp_tcb) 92
 *   tcb_ext           12      0      0     52      624
 *   tcb_ext       cold state held only while needed; went without 0 times
 *   tcb_flight        56      0      0     30     1680
 *   tcb_flight    data entries held only while data is out or unread; waited 0 times
 *   ram_static 61176 of 65536 (stack 2048, free 2312)
 *
 * Peak "-" means the stack keeps no high-water mark for it. */
#include <stdbool.h>
#include "board.h"
#include "cmd.h"
#include "console.h"
#include "console_ring.h"
#include "fmt.h"
#include "fw.h"
#include <keel/keel.h>
#include <keel/stats.h>
#include <keel/sysctl.h>

#define NO_PEAK 0xffffffffu
_Static_assert(KEEL_NPOOLS == 9, "mem_row shows rows 1..9 as the pools");

static void line(const char *name, uint32_t size, uint32_t in_use, uint32_t peak, uint32_t entry)
{
	char pk[12];
	if (peak == NO_PEAK)
		fmt_snprintf(pk, sizeof(pk), "-");
	else
		fmt_snprintf(pk, sizeof(pk), "%lu", (unsigned long)peak);
	con_printf("%-13s %6lu %6lu %6s %6lu %8lu\n", name, (unsigned long)size,
		   (unsigned long)in_use, pk, (unsigned long)entry, (unsigned long)size * entry);
}

static void pool(const struct keel *k, unsigned p)
{
	struct keel_pool_info u;
	if (keel_pool_get(k, p, &u) == 0)
		line(u.name, u.size, u.in_use, u.has_high_water ? u.high_water : NO_PEAK, u.entry_bytes);
}

static bool mem_row(void *ctx, unsigned row)
{
	(void)ctx;
	const struct keel *k = fw_stack();
	const struct console_stats *cs = board_console_stats();
	struct console_mem cm;
	switch (row) {
	case 0:
		con_puts("Pool            Size  InUse   Peak  Entry    Bytes\n");
		break;
	case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 9:
		pool(k, row - 1u);   /* enum keel_pool order; "chunks" is the buffer pool */
		break;
	case 10: {
		struct keel_mem_info mi;
		uint32_t m[KEEL_SYSCTL_VEC_MAX] = {0};
		keel_mem_get(k, &mi);
		(void)keel_sysctl_get_vec(k, "tcp_mem", m);
		con_printf("chunk_pool    chunk %lu bytes, pressure %s (tcp_mem %lu %lu %lu), "
			   "sizeof(struct tcp_tcb) %lu\n",
			   (unsigned long)mi.chunk_size, mi.pressure ? "yes" : "no", (unsigned long)m[0],
			   (unsigned long)m[1], (unsigned long)m[2], (unsigned long)mi.tcb_bytes);
		line("tcb_ext", mi.ext_size, mi.ext_in_use, mi.ext_peak, mi.ext_bytes);
		con_printf("tcb_ext       cold state held only while needed; went without %lu times\n",
			   (unsigned long)mi.ext_full);
		line("tcb_flight", mi.flight_size, mi.flight_in_use, mi.flight_peak, mi.flight_bytes);
		con_printf("tcb_flight    data entries held only while data is out or unread; waited %lu times\n",
			   (unsigned long)mi.flight_full);
		break;
	}
	case 11: line("con_tx_ring", cs->tx_size, cs->tx_used, cs->tx_hwm, 1); break;
	case 12: line("con_rx_ring", cs->rx_size, cs->rx_used, cs->rx_hwm, 1); break;
	case 13:
		console_mem(&cm);
		line("con_history", cm.hist_size, cm.hist_used, NO_PEAK, 1);
		con_printf("con_lines     history %u/%u lines, line %u bytes, console state %lu bytes\n",
			   (unsigned)cm.hist_entries, (unsigned)cm.hist_max, (unsigned)cm.line_size,
			   (unsigned long)cm.static_bytes);
		break;
	case 14:
		con_printf("frame_buf     txbuf %u bytes (struct keel %u bytes)\n",
			   (unsigned)KEEL_FRAME_MAX, (unsigned)keel_instance_bytes());
		break;
	case 15: {
		struct fw_footprint fp;
		fw_footprint(&fp);
		uint32_t used = fp.ram_static + fp.stack;
		con_printf("ram_static %lu of %lu (stack %lu, free %lu)\nflash %lu\n",
			   (unsigned long)fp.ram_static, (unsigned long)fp.ram_total,
			   (unsigned long)fp.stack,
			   (unsigned long)(fp.ram_total > used ? fp.ram_total - used : 0),
			   (unsigned long)fp.flash);
		break;
	}
	default:
		return false;
	}
	return true;
}

static int mem(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_stream(mem_row, NULL);
	return 0;
}

CMD_REGISTER(mem, "mem", "", "pools and buffers: size, in use, peak, entry bytes; static RAM",
	     mem);
