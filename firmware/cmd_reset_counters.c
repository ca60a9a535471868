/* reset-counters: zero every running count of firmware/counters.c (what
 * netstat -s, ifconfig and /metrics show); gauges, pools and connections
 * are untouched. */
#include "cmd.h"
#include "console.h"
#include "counters.h"
#include "fw.h"

static int reset_counters(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	counters_reset(fw_stack(), fw_netdev());
	con_printf("counters reset (%u)\n", (unsigned)counters_count());
	return 0;
}

CMD_REGISTER(reset_counters, "reset-counters", "", "zero the counters of netstat -s and ifconfig",
	     reset_counters);
