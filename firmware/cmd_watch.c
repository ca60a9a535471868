/* watch [-n SECONDS] [-d] COMMAND...: runs COMMAND every SECONDS (default
 * 2, decimals like 0.6 accepted, at least 0.1), each time on a cleared
 * screen (ANSI ESC[H ESC[2J) under a header line, as Linux watch does.
 * -d shows lines that changed since the previous redraw in reverse video.
 * Any key (Ctrl-C too) stops it.  A foreground task: between redraws the
 * main loop serves the network as usual, and a command with long output
 * streams it (console.h). */
#include <stdbool.h>
#include <string.h>
#include "cmd.h"
#include "console.h"
#include "fmt.h"
#include "fw.h"

#define WATCH_DEFAULT_MS 2000u
#define WATCH_MIN_MS 100u
#define WATCH_MAX_MS 86400000u
#define ANSI_HOME_CLEAR "\x1b[H\x1b[2J"

static struct {
	char args[CONSOLE_LINE_MAX];   /* the command's words, NUL-separated */
	uint8_t argc;
	bool diff, drawn;
	uint32_t interval_ms, next_ms;
} w;

/* "2", "0.6", "1.25" seconds -> ms; -1 when not a decimal number. */
static int parse_secs(const char *s, uint32_t *ms)
{
	uint32_t whole = 0, frac = 0, scale = 1000u;
	bool digits = false;
	for (; *s >= '0' && *s <= '9'; s++, digits = true) {
		whole = whole * 10u + (uint32_t)(*s - '0');
		if (whole > WATCH_MAX_MS / 1000u)
			return -1;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits = true) {
			if (scale > 1u) {
				scale /= 10u;
				frac += (uint32_t)(*s - '0') * scale;
			}
		}
	}
	if (*s || !digits)
		return -1;
	*ms = whole * 1000u + frac;
	return 0;
}

static void redraw(uint32_t now_ms)
{
	char *argv[CMD_ARGS_MAX] = { 0 };
	char *p = w.args;
	for (unsigned i = 0; i < w.argc; i++) {
		argv[i] = p;
		p += strlen(p) + 1;
	}
	if (w.diff)
		console_diff_begin(!w.drawn, 2);
	w.drawn = true;
	uint32_t up = fw_uptime_ms();
	con_printf(ANSI_HOME_CLEAR "Every %lu.%lus:", (unsigned long)(w.interval_ms / 1000u),
		   (unsigned long)(w.interval_ms % 1000u / 100u));
	for (unsigned i = 0; i < w.argc; i++)
		con_printf(" %s", argv[i]);
	con_printf("    up %lu.%03lus\n\n", (unsigned long)(up / 1000u), (unsigned long)(up % 1000u));
	const struct cmd *c = cmd_find(argv[0]);
	if (c)
		(void)c->fn(w.argc, argv);   /* may start a stream: it runs before our next call */
	w.next_ms = now_ms + w.interval_ms;
}

static bool watch_step(void *ctx, uint32_t now_ms)
{
	(void)ctx;
	if ((int32_t)(now_ms - w.next_ms) >= 0)
		redraw(now_ms);
	return true;
}

static int usage(void)
{
	cmd_usage(cmd_find("watch"));
	return -1;
}

static int watch(int argc, char **argv)
{
	int i = 1;
	w.interval_ms = WATCH_DEFAULT_MS;
	w.diff = false;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "-d") == 0) {
			w.diff = true;
		} else if (strncmp(a, "-n", 2) == 0) {
			const char *v = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : "");
			if (parse_secs(v, &w.interval_ms) != 0) {
				con_printf("watch: bad interval '%s'\n", v);
				return -1;
			}
		} else {
			con_printf("watch: unknown option '%s'\n", a);
			return usage();
		}
	}
	if (i >= argc)
		return usage();
	if (w.interval_ms < WATCH_MIN_MS)
		w.interval_ms = WATCH_MIN_MS;
	const struct cmd *c = cmd_find(argv[i]);
	if (!c) {
		con_printf("watch: unknown command '%s'; try help\n", argv[i]);
		return -1;
	}
	if (strcmp(c->name, "watch") == 0 || strcmp(c->name, "nc") == 0 ||
	    strcmp(c->name, "reboot") == 0) {
		con_printf("watch: cannot watch '%s'\n", c->name);
		return -1;
	}
	size_t len = 0;
	w.argc = 0;
	for (; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		if (len + n > sizeof(w.args) || w.argc == CMD_ARGS_MAX)
			return usage();
		memcpy(w.args + len, argv[i], n);
		len += n;
		w.argc++;
	}
	w.drawn = false;
	console_set_foreground(watch_step, NULL);
	redraw(fw_uptime_ms());
	return 0;
}

CMD_REGISTER(watch, "watch", "[-n SECONDS] [-d] COMMAND...",
	     "rerun a command every SECONDS (2; 0.1 min), -d highlights changes; any key stops",
	     watch);
