/* help: every registered command with its arguments (a stream: one
 * command per row), or one command's usage and help. */
#include <stdbool.h>
#include "cmd.h"
#include "console.h"

static bool help_row(void *ctx, unsigned row)
{
	(void)ctx;
	const struct cmd *c = __cmds_start + row;
	if (c >= __cmds_end)
		return false;
	con_printf("%-14s %s\n", c->name, c->help);
	if (c->usage[0])
		con_printf("%-14s   usage: %s %s\n", "", c->name, c->usage);
	return true;
}

static int help(int argc, char **argv)
{
	if (argc > 1) {
		const struct cmd *c = cmd_find(argv[1]);
		if (!c) {
			con_printf("unknown command '%s'; try help\n", argv[1]);
			return -1;
		}
		cmd_usage(c);
		con_printf("  %s\n", c->help);
		return 0;
	}
	console_stream(help_row, NULL);
	return 0;
}

CMD_REGISTER(help, "help", "[command]", "list commands, or describe one", help);
