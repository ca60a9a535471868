/* sysctl: the TCP knobs by Linux's names (stack/sysctl.c holds the table
 * and the bounds; <keel/sysctl.h> reads and sets them on fw_stack()):
 *   sysctl [-a]                       every knob, "name = value"
 *   sysctl NAME...                    read ("net.ipv4.tcp_msl" or "tcp_msl")
 *   sysctl [-w] NAME=VALUE            set (also "NAME = VALUE"); prints the
 *                                     new "name = value", or why not */
#include <string.h>
#include "cmd.h"
#include "console.h"
#include "fw.h"
#include <keel/keel.h>
#include <keel/sysctl.h>

#define SYSCTL_ARG_MAX 64

static const char *full_name(const char *name)
{
	/* The table's own spelling, so the output is always the full name. */
	for (size_t i = 0; i < keel_sysctl_count(); i++) {
		const char *n = keel_sysctl_name(i);
		size_t ln = strlen(n), lq = strlen(name);
		if (strcmp(n, name) == 0 || (lq < ln && strcmp(n + ln - lq, name) == 0 && n[ln - lq - 1] == '.'))
			return n;
	}
	return name;
}

/* Linux's tcp_tw_recycle dropped a SYN whose timestamp was older than
 * the last one seen from the same address, in any connection: clients
 * behind one NAT have unrelated clocks, so their SYNs were lost.  Linux
 * removed it in 4.12 (and randomized timestamp offsets per connection);
 * keel never had it.  tcp_tw_reuse is the safe half. */
static int is_tw_recycle(const char *name)
{
	return strcmp(name, "tcp_tw_recycle") == 0 || strcmp(name, "net.ipv4.tcp_tw_recycle") == 0;
}

static int show(const char *name)
{
	uint32_t v[KEEL_SYSCTL_VEC_MAX];
	int n = keel_sysctl_get_vec(fw_stack(), name, v);
	if (n < 1 && is_tw_recycle(name)) {
		con_puts("sysctl: net.ipv4.tcp_tw_recycle is not offered: it dropped SYNs whose timestamps\n"
			 "  went back per source address, which broke clients behind NAT; Linux removed\n"
			 "  it in 4.12.  tcp_tw_reuse (own connects, timestamps) is the safe part.\n");
		return -1;
	}
	if (n < 1) {
		con_printf("sysctl: cannot stat %s: no such key\n", name);
		return -1;
	}
	/* Linux prints a vector's values separated by tabs. */
	con_printf("%s = %lu", full_name(name), (unsigned long)v[0]);
	for (int i = 1; i < n; i++)
		con_printf("\t%lu", (unsigned long)v[i]);
	con_puts("\n");
	return 0;
}

static int set(char *name, const char *value)
{
	const char *why = NULL;
	while (*value == ' ')
		value++;
	size_t n = strlen(name);
	while (n && name[n - 1] == ' ')
		name[--n] = '\0';
	int r = keel_sysctl_set(fw_stack(), name, value, &why);
	if (r == KEEL_SYSCTL_ENOENT && is_tw_recycle(name))
		return show(name);
	if (r == KEEL_SYSCTL_ENOENT) {
		con_printf("sysctl: cannot stat %s: no such key\n", name);
		return -1;
	}
	if (r != KEEL_SYSCTL_OK) {
		con_printf("sysctl: %s\n", why ? why : "invalid value");
		return -1;
	}
	return show(name);
}

static int sysctl(int argc, char **argv)
{
	int i = 1;
	if (i < argc && strcmp(argv[i], "-w") == 0)
		i++;
	if (i >= argc || strcmp(argv[i], "-a") == 0 || strcmp(argv[i], "-A") == 0) {
		for (size_t k = 0; k < keel_sysctl_count(); k++)
			(void)show(keel_sysctl_name(k));
		return 0;
	}
	/* Rejoin the words: "a=1", "a = 1", "a =1" and "a= 1" are one setting. */
	static char arg[SYSCTL_ARG_MAX];
	size_t len = 0;
	for (int j = i; j < argc; j++) {
		size_t n = strlen(argv[j]);
		if (len + n + 2 > sizeof(arg)) {
			con_puts("sysctl: argument too long\n");
			return -1;
		}
		if (len)
			arg[len++] = ' ';
		memcpy(arg + len, argv[j], n);
		len += n;
	}
	arg[len] = '\0';
	char *eq = strchr(arg, '=');
	if (eq) {
		*eq = '\0';
		return set(arg, eq + 1);
	}
	int rc = 0;
	for (int j = i; j < argc; j++)   /* several names: read each */
		rc |= show(argv[j]);
	return rc;
}

CMD_REGISTER(sysctl, "sysctl", "[-a] | NAME... | [-w] NAME=VALUE",
	     "TCP knobs by Linux's names (net.ipv4.tcp_syncookies...); no tcp_tw_recycle: "
	     "it broke clients behind NAT and Linux removed it in 4.12", sysctl);
