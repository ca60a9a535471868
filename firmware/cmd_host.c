/* host NAME: looks the name up as Linux's `host` does and prints the
 * answer in its words:
 *   keel.test has address 192.0.2.80
 *   Host nope.test not found: 3(NXDOMAIN)
 *   ;; connection timed out; no servers could be reached
 * dns [SERVER|dhcp]: shows the servers asked, or sets one (dhcp: back to
 * the servers the lease gave). */
#include <stdbool.h>
#include <string.h>
#include <keel/dns.h>
#include <keel/tcp.h>
#include "cmd.h"
#include "console.h"
#include "fmt.h"
#include "fw.h"

static char host_name[KEEL_DNS_NAME_MAX];

static bool host_step(void *ctx, uint32_t now_ms)
{
	(void)ctx;
	(void)now_ms;
	uint32_t addr;
	char a[FMT_IP_LEN];
	int r = keel_dns_resolve(fw_stack(), host_name, &addr);
	switch (r) {
	case KEEL_EINPROGRESS:
		return true;
	case KEEL_OK:
		con_printf("%s has address %s\n", host_name, fmt_ip(a, addr));
		break;
	case KEEL_ENOENT:
		con_printf("Host %s not found: 3(NXDOMAIN)\n", host_name);
		break;
	case KEEL_EPROTO:
		con_printf("Host %s not found: 2(SERVFAIL)\n", host_name);
		break;
	case KEEL_ETIMEDOUT:
	case KEEL_EHOSTUNREACH:
		con_puts(";; connection timed out; no servers could be reached\n");
		break;
	default:
		con_printf("host: %s: %s\n", host_name, keel_strerror(r));
		break;
	}
	return false;
}

static int host_cmd(int argc, char **argv)
{
	if (argc != 2) {
		cmd_usage(cmd_find("host"));
		return -1;
	}
	size_t n = strlen(argv[1]);
	if (n == 0 || n >= sizeof(host_name)) {
		con_printf("host: '%s' is not a valid name\n", argv[1]);
		return -1;
	}
	memcpy(host_name, argv[1], n + 1);
	if (host_step(NULL, 0))
		console_set_foreground(host_step, NULL);
	return 0;
}

CMD_REGISTER(host, "host", "NAME", "look NAME up in the DNS (A record), as host(1)", host_cmd);

static int dns_cmd(int argc, char **argv)
{
	struct keel *k = fw_stack();
	if (argc == 2) {
		uint32_t server;
		if (strcmp(argv[1], "dhcp") == 0) {
			server = 0;
		} else if (parse_ipv4(argv[1], &server) != 0) {
			con_printf("dns: bad address '%s'\n", argv[1]);
			return -1;
		}
		keel_dns_set_server(k, server);
		keel_dns_flush(k);
	} else if (argc != 1) {
		cmd_usage(cmd_find("dns"));
		return -1;
	}
	uint32_t servers[KEEL_DNS_MAX_SERVERS];
	unsigned n = keel_dns_servers(k, servers, KEEL_DNS_MAX_SERVERS);
	char a[FMT_IP_LEN];
	if (n == 0)
		con_puts("nameserver none\n");
	for (unsigned i = 0; i < n; i++)
		con_printf("nameserver %s\n", fmt_ip(a, servers[i]));
	return 0;
}

CMD_REGISTER(dns, "dns", "[SERVER|dhcp]", "show the DNS servers, or set one (dhcp: the lease's)",
	     dns_cmd);
