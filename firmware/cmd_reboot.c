/* reboot: flush the console, then a system reset (SYSRESETREQ).
 * fault (only in builds with -DKEEL_DEBUG_FAULT=1, for testing the fault
 * dump): "fault bus" reads an unmapped address, "fault udf" executes an
 * undefined instruction, "fault div" divides by zero. */
#include <string.h>
#include "board.h"
#include "cmd.h"
#include "console.h"

static int reboot(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	con_puts("rebooting\n");
	board_console_flush();
	board_reset();
	return 0;
}

CMD_REGISTER(reboot, "reboot", "", "reset the board", reboot);

#if defined(KEEL_DEBUG_FAULT) && KEEL_DEBUG_FAULT
/* External RAM region, unpopulated on both boards: QEMU answers with a
 * bus error (much of the rest of the map reads as zero under QEMU). */
#define FAULT_UNMAPPED_ADDR 0x60000000u

static int fault(int argc, char **argv)
{
	const char *kind = argc > 1 ? argv[1] : "bus";
	board_console_flush();
	if (strcmp(kind, "udf") == 0) {
		__asm volatile("udf #0");
	} else if (strcmp(kind, "div") == 0) {
		unsigned q, n = 7, zero = 0;
		__asm volatile("udiv %0, %1, %2" : "=r"(q) : "r"(n), "r"(zero));
		(void)q;
	} else {
		(void)*(volatile uint32_t *)FAULT_UNMAPPED_ADDR;
	}
	con_puts("fault: still running\n");
	return -1;
}

CMD_REGISTER(fault, "fault", "[bus|udf|div]", "debug: trigger a fault to test the dump", fault);
#endif
