/* The ceiling: keel's board and Ethernet driver with no TCP/IP stack at
 * all.  It counts the UDP frames it receives (a bounded blast from Linux,
 * bench/client/blast.c) and, on command, transmits full-size UDP frames
 * as fast as the MAC takes them; bench/run turns both into bytes per
 * second the emulated MAC and CPU can move, the most any stack on this
 * board could do.  Every second frame received is answered with a small
 * credit datagram carrying the count (what a TCP receiver's ACK costs,
 * without the stack), so the sender never overflows the MAC's FIFO.
 * Same loop shape as firmware/main.c (8 frames per pass, console, WFI
 * when idle).  Console: `count` (received so far), `zero`, `tx N`. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "board.h"
#include <keel/port.h>

#define RX_BUDGET 8u            /* = FW_RX_BUDGET in firmware/main.c */
#define FRAME_MAX 1514u
#define TX_MAX 200000u          /* bound on one `tx` command */
#define PROMPT "keel> "

static uint8_t rxbuf[FRAME_MAX] __attribute__((aligned(4)));
static uint8_t txframe[FRAME_MAX] __attribute__((aligned(4)));
static uint8_t credit[60] __attribute__((aligned(4)));
static struct netdev *nd;
static struct {
	uint32_t frames, bytes, first_ms, last_ms;
} rx;

static void puts_all(const char *s)
{
	size_t len = strlen(s);
	while (len) {
		size_t n = board_console_write(s, len);
		s += n;
		len -= n;
		if (len)
			board_console_flush();
	}
}

static void put_kv(const char *k, uint32_t v)
{
	char buf[11];
	size_t i = sizeof(buf) - 1;
	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	puts_all(k);
	puts_all(" ");
	puts_all(buf + i);
	puts_all("\n");
}

static uint16_t ip_checksum(const uint8_t *ip)
{
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The count back to the frame's sender: addresses and ports swapped. */
static void send_credit(const uint8_t *f)
{
	uint8_t *c = credit;
	memcpy(c, f + 6, 6);
	memcpy(c + 6, nd->mac, 6);
	c[12] = 0x08;
	c[13] = 0x00;
	uint8_t *ip = c + 14;
	static const uint8_t hdr[12] = { 0x45, 0, 0, 32, 0, 0, 0x40, 0, 64, 17, 0, 0 };
	memcpy(ip, hdr, sizeof(hdr));
	memcpy(ip + 12, f + 30, 4);   /* from the address it was sent to */
	memcpy(ip + 16, f + 26, 4);   /* to its sender */
	uint16_t sum = ip_checksum(ip);
	ip[10] = (uint8_t)(sum >> 8);
	ip[11] = (uint8_t)sum;
	uint8_t *udp = ip + 20;
	memcpy(udp, f + 36, 2);
	memcpy(udp + 2, f + 34, 2);
	udp[4] = 0;
	udp[5] = 12;
	udp[6] = udp[7] = 0;
	udp[8] = (uint8_t)(rx.frames >> 24);
	udp[9] = (uint8_t)(rx.frames >> 16);
	udp[10] = (uint8_t)(rx.frames >> 8);
	udp[11] = (uint8_t)rx.frames;
	nd->tx(nd, credit, sizeof(credit));
}

/* Only the blast counts: IPv4 (ethertype 0x0800) carrying UDP (17). */
static void count_frame(const uint8_t *f, size_t len)
{
	if (len < 42 || f[12] != 0x08 || f[13] != 0x00 || f[14] != 0x45 || f[23] != 17)
		return;
	uint32_t now = board_millis();
	if (rx.frames == 0)
		rx.first_ms = now;
	rx.last_ms = now;
	rx.frames++;
	rx.bytes += (uint32_t)len;
	if (rx.frames % 2 == 0)
		send_credit(f);
}

/* 192.0.2.2:9 -> 192.0.2.255:9 (RFC 5737 test net broadcast), 1472 bytes
 * of UDP payload, no UDP checksum; built once. */
static void build_txframe(const uint8_t mac[6])
{
	uint8_t *f = txframe;
	memset(f, 0xff, 6);
	memcpy(f + 6, mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	uint8_t *ip = f + 14;
	static const uint8_t hdr[20] = { 0x45, 0, 0x05, 0xdc, 0, 0, 0x40, 0, 64, 17, 0, 0,
					 192, 0, 2, 2, 192, 0, 2, 255 };
	memcpy(ip, hdr, sizeof(hdr));
	uint16_t sum = ip_checksum(ip);
	ip[10] = (uint8_t)(sum >> 8);
	ip[11] = (uint8_t)sum;
	uint8_t *udp = ip + 20;
	udp[0] = 0;
	udp[1] = 9;
	udp[2] = 0;
	udp[3] = 9;
	udp[4] = (uint8_t)((8 + 1472) >> 8);
	udp[5] = (uint8_t)(8 + 1472);
	udp[6] = udp[7] = 0;
}

static void transmit(uint32_t n)
{
	uint32_t sent = 0, dropped = 0;
	uint32_t t0 = board_millis();
	for (uint32_t i = 0; i < n && i < TX_MAX; i++) {
		if (nd->tx(nd, txframe, sizeof(txframe)) == 0)
			sent++;
		else
			dropped++;
	}
	put_kv("tx_frames", sent);
	put_kv("tx_dropped", dropped);
	put_kv("tx_ms", board_millis() - t0);
}

static void command(const char *line)
{
	if (strcmp(line, "count") == 0) {
		put_kv("rx_frames", rx.frames);
		put_kv("rx_bytes", rx.bytes);
		put_kv("rx_ms", rx.frames ? rx.last_ms - rx.first_ms : 0);
		put_kv("rx_fifo_full", nd ? nd->stats.rx_fifo_full : 0);
	} else if (strcmp(line, "zero") == 0) {
		memset(&rx, 0, sizeof(rx));
	} else if (strncmp(line, "tx ", 3) == 0 && nd) {
		uint32_t n = 0;
		for (const char *p = line + 3; *p >= '0' && *p <= '9' && n < TX_MAX; p++)
			n = n * 10 + (uint32_t)(*p - '0');
		transmit(n);
	} else if (line[0] != 0) {
		puts_all("commands: count zero tx N\n");
	}
	puts_all(PROMPT);
}

static bool console_poll(void)
{
	static char line[24];
	static size_t len;
	int ch = board_console_getc();
	if (ch < 0)
		return false;
	if (ch == '\r' || ch == '\n') {
		puts_all("\n");
		line[len] = 0;
		command(line);
		len = 0;
	} else if (len < sizeof(line) - 1 && ch >= ' ' && ch < 127) {
		line[len++] = (char)ch;
		char echo[2] = { (char)ch, 0 };
		puts_all(echo);
	}
	return true;
}

int main(void)
{
	board_init();
	nd = board_netdev();
	if (nd)
		build_txframe(nd->mac);
	puts_all("\nkeel ceiling (no stack) on ");
	puts_all(board_name());
	puts_all("\n" PROMPT);
	for (;;) {
		bool busy = false;
		for (uint32_t i = 0; nd && i < RX_BUDGET; i++) {
			size_t len = nd->rx(nd, rxbuf, sizeof(rxbuf));
			if (len == 0)
				break;
			count_frame(rxbuf, len);
			busy = true;
		}
		if (console_poll())
			busy = true;
		if (!busy)
			board_wait_for_interrupt();
	}
}
