/* The board and firmware hooks (board.h, console_ring.h, fw.h) for host
 * tests of firmware/ files: see fake_board.h. */
#include <string.h>
#include "board.h"
#include "console_ring.h"
#include "fw.h"
#include "keel.h"
#include "unit/fake_board.h"

#define FAKE_TYPED_MAX 1024

static struct {
	char typed[FAKE_TYPED_MAX];
	size_t typed_len, typed_pos;
	char out[FAKE_CONSOLE_OUT_MAX + 1];
	size_t out_len;
	uint32_t millis;
	struct console_stats stats;
} fb;

static struct keel stack;
const char fw_build_id[] = "test";

static int drop_frame(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	(void)frame;
	(void)len;
	return 0;
}

void fake_board_reset(void)
{
	static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 0x02};
	static const uint8_t seed[16] = {1};
	memset(&fb, 0, sizeof(fb));
	keel_init(&stack, mac, 0xC0000202u, 24, 0, seed, drop_frame, NULL);
}

void fake_board_type(const char *s)
{
	size_t n = strlen(s);
	if (n > FAKE_TYPED_MAX - fb.typed_len)
		n = FAKE_TYPED_MAX - fb.typed_len;
	memcpy(fb.typed + fb.typed_len, s, n);
	fb.typed_len += n;
}

const char *fake_board_output(void)
{
	static char copy[FAKE_CONSOLE_OUT_MAX + 1];
	memcpy(copy, fb.out, fb.out_len);
	copy[fb.out_len] = '\0';
	fb.out_len = 0;
	return copy;
}

void fake_board_set_millis(uint32_t ms) { fb.millis = ms; }
void fake_board_rx_lost(uint32_t n) { fb.stats.rx_ring_drops += n; }

/* board.h */
void board_init(void) {}
const char *board_name(void) { return "host"; }
uint32_t board_millis(void) { return fb.millis; }
struct netdev *board_netdev(void) { return NULL; }
void board_console_flush(void) {}
void board_wait_for_interrupt(void) { fb.millis++; }
void board_reset(void) {}
void board_seed(uint8_t seed[16]) { memset(seed, 1, 16); }

int board_console_getc(void)
{
	if (fb.typed_pos == fb.typed_len)
		return -1;
	return (unsigned char)fb.typed[fb.typed_pos++];
}

int board_console_peekc(void)
{
	return fb.typed_pos == fb.typed_len ? -1 : (unsigned char)fb.typed[fb.typed_pos];
}

size_t board_console_write(const char *s, size_t len)
{
	size_t room = FAKE_CONSOLE_OUT_MAX - fb.out_len;
	if (len > room)
		len = room;
	memcpy(fb.out + fb.out_len, s, len);
	fb.out_len += len;
	return len;
}

/* Always room: a test reads the output between steps. */
size_t board_console_tx_room(void) { return 2048; }
const struct console_stats *board_console_stats(void) { return &fb.stats; }
void console_uart_isr(void) {}

/* fw.h */
struct keel *fw_stack(void) { return &stack; }
struct netdev *fw_netdev(void) { return NULL; }
uint32_t fw_uptime_ms(void) { return fb.millis; }
void fw_footprint(struct fw_footprint *fp) { memset(fp, 0, sizeof(*fp)); }
