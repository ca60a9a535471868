/* help: every registered command with its arguments. */
#include "cmd.h"
#include "console.h"

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
	CMD_FOREACH(c) {
		con_printf("%-10s %s\n", c->name, c->help);
		if (c->usage[0])
			con_printf("%-10s   usage: %s %s\n", "", c->name, c->usage);
	}
	return 0;
}

CMD_REGISTER(help, "help", "[command]", "list commands, or describe one", help);
