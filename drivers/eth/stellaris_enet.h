/* Stellaris (LM3S6965) Ethernet MAC: the board's netdev. */
#ifndef KEEL_STELLARIS_ENET_H
#define KEEL_STELLARIS_ENET_H
#include <stdint.h>
#include <keel/port.h>

#define STELLARIS_ENET_IRQ 42   /* LM3S6965 datasheet Table 2-9, QEMU stellaris.c */

/* Resets and starts the MAC; mac is written to MACIA0/1. */
struct netdev *stellaris_enet_init(uintptr_t base, const uint8_t mac[6]);
/* The current MACIA0/1 address (QEMU fills it from -nic ...,mac=). */
void stellaris_enet_read_mac(uintptr_t base, uint8_t mac[6]);
void stellaris_enet_isr(void);
#endif
