/* SMSC LAN9118 (LAN9220 on the MPS2): the board's netdev. */
#ifndef KEEL_LAN9118_H
#define KEEL_LAN9118_H
#include <stdint.h>
#include <keel/port.h>

/* Resets and starts the chip.  The MAC comes from its EEPROM (QEMU: from
 * -nic ...,mac=); fallback_mac is used when none is loaded.  NULL when the
 * chip does not answer. */
struct netdev *lan9118_init(uintptr_t base, const uint8_t fallback_mac[6]);
void lan9118_isr(void);
uint32_t lan9118_free_run(void);   /* 25 MHz free-running counter (seed) */
#endif
