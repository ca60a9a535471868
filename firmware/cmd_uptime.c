/* uptime: time since boot, "up 0d 00:01:23.456" and "uptime_ms 83456". */
#include "cmd.h"
#include "console.h"
#include "fw.h"

static int uptime(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t ms = fw_uptime_ms(), s = ms / 1000u;
	con_printf("up %lud %02lu:%02lu:%02lu.%03lu\nuptime_ms %lu\n", (unsigned long)(s / 86400u),
		   (unsigned long)(s / 3600u % 24u), (unsigned long)(s / 60u % 60u),
		   (unsigned long)(s % 60u), (unsigned long)(ms % 1000u), (unsigned long)ms);
	return 0;
}

CMD_REGISTER(uptime, "uptime", "", "time since boot", uptime);
