/* The console UART as the shared console code (board/cortex-m/console.c)
 * drives it: one instance per image, polled or interrupt-driven.  Each
 * driver in drivers/uart/ implements it for one device. */
#ifndef KEEL_UART_H
#define KEEL_UART_H
#include <stdbool.h>
#include <stdint.h>

/* 8N1 at baud from a clk_hz peripheral clock; RX interrupt on, TX off. */
void uart_init(uintptr_t base, uint32_t clk_hz, uint32_t baud);
bool uart_tx_full(void);          /* no room for another byte */
void uart_tx_put(uint8_t c);      /* only when !uart_tx_full() */
bool uart_tx_busy(void);          /* bytes still leaving the shift register */
bool uart_rx_ready(void);
uint8_t uart_rx_get(void);        /* only when uart_rx_ready() */
void uart_tx_irq_enable(bool on); /* interrupt when there is room to send */
void uart_irq_ack(void);          /* clear the latched interrupt causes */
uint32_t uart_rx_overruns(void);  /* bytes the hardware lost (cumulative) */
#endif
