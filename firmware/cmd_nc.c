/* nc [-w SECONDS] HOST PORT [TEXT...]: an active open from the device.
 * Sends TEXT + "\r\n" once connected (if given), prints what comes back as
 * it arrives (non-printable bytes as '.', at most NC_PRINT_MAX bytes), and
 * closes when the peer closes, on any key (Ctrl-C), or when nothing
 * happened for SECONDS (default 5): "nc: timed out" if it never connected.
 * HOST is an address or a name (resolved first, <keel/dns.h>).
 * Errors as nc prints them: "nc: connection refused", "nc: timed out"... */
#include <stdbool.h>
#include <string.h>
#include "cmd.h"
#include "console.h"
#include "fmt.h"
#include "fw.h"
#include <keel/dns.h>
#include <keel/keel.h>
#include <keel/tcp.h>

#define NC_TIMEOUT_MS 5000u
#define NC_PRINT_MAX 4096u
#define NC_CHUNK 64u
#define NC_TEXT_MAX 96u

static struct {
	int sock;
	bool connected;
	bool at_bol;              /* last byte printed was a newline */
	bool resolving;           /* HOST is a name still being looked up */
	uint16_t port;
	uint8_t text_len, text_off;
	char host[KEEL_DNS_NAME_MAX];
	uint32_t deadline, timeout_ms, printed;
	char text[NC_TEXT_MAX + 2];   /* + "\r\n" */
} nc;

static void finish(void)
{
	if (nc.sock >= 0)
		(void)keel_tcp_close(fw_stack(), nc.sock);
	nc.sock = -1;
	if (!nc.at_bol)
		con_puts("\n");
	nc.at_bol = true;
}

static void print_data(const uint8_t *b, int n)
{
	char out[NC_CHUNK];
	size_t m = 0;
	for (int i = 0; i < n; i++) {
		char c = (char)b[i];
		if (c == '\r')
			continue;
		if (c != '\n' && c != '\t' && (c < ' ' || c > '~'))
			c = '.';
		out[m++] = c;
	}
	con_write(out, m);
	if (m)
		nc.at_bol = out[m - 1] == '\n';
	nc.printed += (uint32_t)n;
}

/* Connects to dst; false (after saying why) when that fails at once. */
static bool nc_connect(uint32_t dst, uint32_t now_ms)
{
	int s = keel_tcp_connect(fw_stack(), dst, nc.port, 0);
	if (s < 0) {
		con_printf("nc: %s\n", keel_strerror(s));
		return false;
	}
	nc.sock = s;
	nc.deadline = now_ms + nc.timeout_ms;
	return true;
}

static bool nc_step(void *ctx, uint32_t now_ms)
{
	(void)ctx;
	struct keel *k = fw_stack();
	if (nc.resolving) {
		uint32_t dst;
		int r = keel_dns_resolve(k, nc.host, &dst);
		if (r == KEEL_EINPROGRESS)
			return true;
		nc.resolving = false;
		if (r != KEEL_OK) {
			con_printf("nc: %s: %s\n", nc.host, keel_strerror(r));
			return false;
		}
		return nc_connect(dst, now_ms);
	}
	unsigned ev = keel_tcp_poll(k, nc.sock);
	if (ev & TCP_POLL_ERROR) {
		int err = keel_tcp_error(k, nc.sock);
		if (!nc.at_bol)
			con_puts("\n");
		nc.at_bol = true;
		con_printf("nc: %s\n", keel_strerror(err));
		finish();
		return false;
	}
	if (!nc.connected && (ev & (TCP_POLL_WRITABLE | TCP_POLL_READABLE))) {
		nc.connected = true;
		nc.deadline = now_ms + nc.timeout_ms;
	}
	if (nc.connected && nc.text_off < nc.text_len) {
		int n = keel_tcp_send(k, nc.sock, nc.text + nc.text_off, nc.text_len - nc.text_off);
		if (n > 0) {
			nc.text_off = (uint8_t)(nc.text_off + n);
			nc.deadline = now_ms + nc.timeout_ms;
		}
	}
	if (ev & TCP_POLL_READABLE) {
		uint8_t buf[NC_CHUNK];
		int n = keel_tcp_recv(k, nc.sock, buf, sizeof(buf));
		if (n == 0) {            /* the peer closed: so do we */
			finish();
			return false;
		}
		if (n > 0) {
			print_data(buf, n);
			nc.deadline = now_ms + nc.timeout_ms;
			if (nc.printed >= NC_PRINT_MAX) {
				finish();
				con_printf("nc: stopped after %lu bytes\n", (unsigned long)nc.printed);
				return false;
			}
		}
	}
	if ((int32_t)(now_ms - nc.deadline) >= 0) {
		if (!nc.connected) {
			(void)keel_tcp_abort(k, nc.sock);
			nc.sock = -1;
			con_puts("nc: timed out\n");
		} else {
			finish();
		}
		return false;
	}
	return true;
}

static void nc_stop(void *ctx, bool by_key)
{
	(void)ctx;
	(void)by_key;
	finish();
}

static int usage(void)
{
	cmd_usage(cmd_find("nc"));
	return -1;
}

static int nc_cmd(int argc, char **argv)
{
	int i = 1;
	nc.timeout_ms = NC_TIMEOUT_MS;
	if (i < argc && strncmp(argv[i], "-w", 2) == 0) {
		const char *v = argv[i][2] ? argv[i] + 2 : (i + 1 < argc ? argv[++i] : "");
		uint32_t s;
		if (parse_u32(v, &s) != 0 || s == 0 || s > 3600u)
			return usage();
		nc.timeout_ms = s * 1000u;
		i++;
	}
	if (argc - i < 2)
		return usage();
	uint32_t dst = 0, port;
	nc.resolving = parse_ipv4(argv[i], &dst) != 0;
	if (nc.resolving) {
		size_t n = strlen(argv[i]);
		if (n >= sizeof(nc.host)) {
			con_printf("nc: bad address '%s'\n", argv[i]);
			return -1;
		}
		memcpy(nc.host, argv[i], n + 1);
	}
	if (parse_u32(argv[i + 1], &port) != 0 || port == 0 || port > 65535u) {
		con_printf("nc: bad port '%s'\n", argv[i + 1]);
		return -1;
	}
	size_t len = 0;
	for (int j = i + 2; j < argc; j++) {
		size_t n = strlen(argv[j]);
		if (len + n + 1 > NC_TEXT_MAX) {
			con_puts("nc: text too long\n");
			return -1;
		}
		if (len)
			nc.text[len++] = ' ';
		memcpy(nc.text + len, argv[j], n);
		len += n;
	}
	if (argc - i > 2) {
		nc.text[len++] = '\r';
		nc.text[len++] = '\n';
	}
	nc.text_len = (uint8_t)len;
	nc.text_off = 0;
	nc.connected = false;
	nc.at_bol = true;
	nc.printed = 0;
	nc.port = (uint16_t)port;
	nc.sock = -1;
	if (!nc.resolving && !nc_connect(dst, fw_uptime_ms()))
		return -1;
	console_set_foreground_stop(nc_step, nc_stop, NULL);
	return 0;
}

CMD_REGISTER(nc, "nc", "[-w SECONDS] HOST PORT [TEXT...]",
	     "connect, send TEXT and CRLF, print the reply until the peer closes; any key stops",
	     nc_cmd);
