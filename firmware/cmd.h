/* Console commands.  Each firmware/cmd_*.c registers its own with
 * CMD_REGISTER; the linker gathers them (linker.ld, section .keel_cmds.*,
 * sorted by name), so adding a command touches no other file. */
#ifndef KEEL_CMD_H
#define KEEL_CMD_H

#define CMD_ARGS_MAX 16

struct cmd {
	const char *name;
	const char *usage;   /* arguments, "" when none */
	const char *help;    /* one line */
	/* argv[0] is the command name.  Returns 0, or -1 after printing why. */
	int (*fn)(int argc, char **argv);
};

#define CMD_REGISTER(id, name_, usage_, help_, fn_)                              \
	__attribute__((section(".keel_cmds." #id), used, aligned(4)))            \
	static const struct cmd cmd_entry_##id = {name_, usage_, help_, fn_}

extern const struct cmd __cmds_start[], __cmds_end[];
#define CMD_FOREACH(c) for (const struct cmd *c = __cmds_start; c < __cmds_end; c++)

const struct cmd *cmd_find(const char *name);
/* Splits line in place at spaces; returns argc. */
int cmd_split(char *line, char *argv[CMD_ARGS_MAX]);
/* Prints "usage: name args" for c. */
void cmd_usage(const struct cmd *c);
#endif
