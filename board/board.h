/* What firmware/ needs from a board: each board/<name>/ implements it. */
#ifndef KEEL_BOARD_H
#define KEEL_BOARD_H
#include <stddef.h>
#include <stdint.h>

struct netdev;

void board_init(void);                 /* clocks, SysTick 1 kHz, UART, Ethernet */
const char *board_name(void);
uint32_t board_millis(void);           /* SysTick count, wraps after 49 days */
struct netdev *board_netdev(void);     /* the board's Ethernet MAC */
/* Console UART: RX arrives by interrupt into a ring. */
int board_console_getc(void);          /* next typed byte, -1 if none */
/* Queues bytes for the UART without waiting; returns how many it took. */
size_t board_console_write(const char *s, size_t len);
void board_console_flush(void);        /* waits until all queued bytes are out */
void board_wait_for_interrupt(void);  /* any interrupt, SysTick included */
void board_sleep_until(uint32_t wake_ms); /* wake_ms, or a frame or key interrupt */
void board_reset(void);
/* Boot-time entropy for the stack's secret (ISN, cookies). */
void board_seed(uint8_t seed[16]);
#endif
