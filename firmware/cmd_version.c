/* version: build id, board, compiler, footprint and uptime. */
#include "board.h"
#include "cmd.h"
#include "console.h"
#include "fw.h"


static int version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct fw_footprint fp;
	fw_footprint(&fp);
	con_printf("keel %s on %s\n", fw_build_id, board_name());
	con_printf("compiler gcc %s\n", __VERSION__);
	con_printf("flash %lu\nram %lu\nram_total %lu\nstack %lu\n", (unsigned long)fp.flash,
		   (unsigned long)fp.ram_static, (unsigned long)fp.ram_total, (unsigned long)fp.stack);
	con_printf("uptime_ms %lu\n", (unsigned long)fw_uptime_ms());
	return 0;
}

CMD_REGISTER(version, "version", "", "build id, board, footprint, uptime", version);
