/* Stellaris Ethernet Controller (LM3S6965 datasheet, chapter 15 "Ethernet
 * Controller").  Frames move through 32-bit reads and writes of MACDATA;
 * the RX FIFO holds whole frames, each preceded by a 16-bit length.
 *
 * What QEMU 7.2 (hw/net/stellaris_enet.c) really does, relied on below:
 *  - RX FIFO of 31 frames.  When it is full QEMU stops reading the TAP and
 *    queues; it resumes only when MACNP drops to 0 by reading MACDATA, so
 *    the driver drains while MACNP != 0 (bounded per call, the main loop
 *    comes back).  Writing RSTFIFO sets MACNP to 0 without resuming the
 *    queue, so RSTFIFO is used only at init and for a corrupt length.
 *  - No destination-MAC filtering (AMUL/PRMS are ignored): every frame on
 *    the segment arrives; the stack drops those not for us.
 *  - Every frame raises RXINT; it stays set until written to MACIACK.
 *  - At reset MACIM enables every source including TXEMP, which is set
 *    after each transmit: left unmasked it would interrupt forever.
 *  - TX starts when MACTR.NEWTX is written (MACTHR at its reset value 0x3f
 *    disables early transmit); MACTR reads 0, the send is synchronous.
 *  - Only 32-bit accesses are modelled. */
#include <stdbool.h>
#include <stddef.h>
#include "cortex_m.h"
#include "eth/fifo_words.h"
#include "eth/stellaris_enet.h"

/* Registers, offsets from the MAC base (datasheet Table 15-3). */
#define MACRIS        0x000u   /* read: raw interrupt status */
#define MACIACK       0x000u   /* write: acknowledge */
#define MACIM         0x004u
#define MACRCTL       0x008u
#define MACTCTL       0x00Cu
#define MACDATA       0x010u
#define MACIA0        0x014u
#define MACIA1        0x018u
#define MACTHR        0x01Cu
#define MACMCTL       0x020u
#define MACMDV        0x024u
#define MACNP         0x034u
#define MACTR         0x038u

/* MACRIS / MACIACK / MACIM bits */
#define MACRIS_RXINT  (1u << 0)
#define MACRIS_TXER   (1u << 1)
#define MACRIS_TXEMP  (1u << 2)
#define MACRIS_FOV    (1u << 3)
#define MACRIS_RXER   (1u << 4)
#define MACRIS_MDINT  (1u << 5)
#define MACRIS_PHYINT (1u << 6)
#define MACRIS_ALL    0x7Fu

#define MACRCTL_RXEN    (1u << 0)
#define MACRCTL_AMUL    (1u << 1)
#define MACRCTL_PRMS    (1u << 2)
#define MACRCTL_BADCRC  (1u << 3)
#define MACRCTL_RSTFIFO (1u << 4)

#define MACTCTL_TXEN    (1u << 0)
#define MACTCTL_PADEN   (1u << 1)
#define MACTCTL_CRC     (1u << 2)
#define MACTCTL_DUPLEX  (1u << 4)

#define MACTHR_DISABLED 0x3Fu    /* no early transmit: send on NEWTX only */
#define MACNP_NPR_M     0x3Fu
#define MACTR_NEWTX     (1u << 0)
#define MACMDV_DIV_2_5MHZ 0x0Au  /* MDIO clock for a 50 MHz system clock */

/* FIFO framing (datasheet 15.3.1.2 / 15.3.1.3). */
#define ENET_LEN_M          0xFFFFu  /* low half of the first FIFO word */
#define ENET_RX_LEN_BYTES   2u       /* the length field itself */
#define ENET_FCS_BYTES      4u
#define ENET_RX_OVERHEAD    (ENET_RX_LEN_BYTES + ENET_FCS_BYTES)
#define ENET_HDR_BYTES      14u      /* TX length excludes the header */
#define ENET_MIN_FRAME      14u
#define ENET_MAX_FRAME      1518u    /* with an 802.1Q tag; no FCS */
#define ENET_RX_FIFO_FRAMES 31u      /* QEMU; 2 KiB on silicon */

#define ENET_RX_FRAMES_PER_CALL 4u   /* frames skipped looking for a good one */
#define ENET_TX_WAIT_SPINS  100000u  /* a previous frame still leaving */

struct enet {
	struct netdev nd;   /* first: netdev callbacks cast back */
	uintptr_t base;
	uint32_t irqs;
};

static struct enet enet0;

static inline volatile uint32_t *reg(const struct enet *e, uint32_t off)
{
	return (volatile uint32_t *)(e->base + off);
}

void stellaris_enet_read_mac(uintptr_t base, uint8_t mac[6])
{
	uint32_t ia0 = *(volatile uint32_t *)(base + MACIA0);
	uint32_t ia1 = *(volatile uint32_t *)(base + MACIA1);
	mac[0] = (uint8_t)ia0;
	mac[1] = (uint8_t)(ia0 >> 8);
	mac[2] = (uint8_t)(ia0 >> 16);
	mac[3] = (uint8_t)(ia0 >> 24);
	mac[4] = (uint8_t)ia1;
	mac[5] = (uint8_t)(ia1 >> 8);
}

/* Latched error conditions, counted once each and acknowledged. */
static void enet_check_errors(struct enet *e)
{
	uint32_t ris = *reg(e, MACRIS) & (MACRIS_FOV | MACRIS_RXER | MACRIS_TXER);
	if (!ris)
		return;
	if (ris & MACRIS_FOV) {
		/* QEMU raises FOV for a frame too big for its 2 KiB slot and
		 * drops it; silicon raises it when the FIFO overflows. */
		e->nd.stats.rx_drops++;
		e->nd.stats.rx_fifo_full++;
	}
	if (ris & MACRIS_RXER)
		e->nd.stats.rx_errors++;
	if (ris & MACRIS_TXER)
		e->nd.stats.tx_errors++;   /* acknowledging TXER also empties the TX FIFO */
	*reg(e, MACIACK) = ris;
}

/* Reads and discards `words` FIFO words: the rest of a frame we drop. */
static void enet_skip(struct enet *e, uint32_t words)
{
	while (words--)
		(void)*reg(e, MACDATA);
}

static size_t enet_rx(struct netdev *nd, uint8_t *buf, size_t cap)
{
	struct enet *e = (struct enet *)nd;
	enet_check_errors(e);
	for (uint32_t tries = 0; tries < ENET_RX_FRAMES_PER_CALL; tries++) {
		uint32_t np = *reg(e, MACNP) & MACNP_NPR_M;
		if (np == 0)
			return 0;
		if (np >= ENET_RX_FIFO_FRAMES)
			nd->stats.rx_fifo_full++;   /* QEMU is queueing behind us now */

		uint32_t w = *reg(e, MACDATA);
		uint32_t total = w & ENET_LEN_M;   /* length field + frame + FCS */
		uint32_t words = (total + 3u) / 4u;
		if (total < ENET_RX_OVERHEAD + ENET_MIN_FRAME ||
		    total > ENET_RX_OVERHEAD + ENET_MAX_FRAME) {
			/* A length we cannot trust: the FIFO framing is lost.  Only
			 * a reset of the FIFO resynchronises (see the top note). */
			nd->stats.rx_errors++;
			*reg(e, MACRCTL) = MACRCTL_BADCRC;
			*reg(e, MACRCTL) = MACRCTL_BADCRC | MACRCTL_RSTFIFO;
			*reg(e, MACRCTL) = MACRCTL_BADCRC | MACRCTL_RXEN;
			return 0;
		}
		size_t len = total - ENET_RX_OVERHEAD;
		if (len > cap) {
			enet_skip(e, words - 1u);
			nd->stats.rx_drops++;
			continue;
		}
		/* Stream bytes 2 and 3 of the first word are frame bytes 0, 1. */
		buf[0] = (uint8_t)(w >> 16);
		buf[1] = (uint8_t)(w >> 24);
		/* FCS and padding past the frame are read and dropped. */
		fifo_read_bytes(reg(e, MACDATA), words - 1u, buf + 2, len - 2u);
		nd->stats.rx_frames++;
		nd->stats.rx_bytes += len;
		return len;
	}
	return 0;
}

static int enet_tx(struct netdev *nd, const uint8_t *frame, size_t len)
{
	struct enet *e = (struct enet *)nd;
	if (len < ENET_MIN_FRAME || len > ENET_MAX_FRAME) {
		nd->stats.tx_errors++;
		return -1;
	}
	/* The TX FIFO holds one frame; NEWTX clears when it has left. */
	uint32_t spins = 0;
	while ((*reg(e, MACTR) & MACTR_NEWTX) && spins < ENET_TX_WAIT_SPINS)
		spins++;
	if (*reg(e, MACTR) & MACTR_NEWTX) {
		nd->stats.tx_drops++;
		return -1;
	}
	/* First word: payload length (frame minus the 14-byte header), then
	 * the first two bytes of the destination address. */
	*reg(e, MACDATA) = (uint32_t)(len - ENET_HDR_BYTES) |
			   (uint32_t)frame[0] << 16 | (uint32_t)frame[1] << 24;
	fifo_write_bytes(reg(e, MACDATA), frame + 2, len - 2u);
	*reg(e, MACTR) = MACTR_NEWTX;   /* PADEN pads runts to 60, CRC appends FCS */
	nd->stats.tx_frames++;
	nd->stats.tx_bytes += len;
	return 0;
}

/* RX wakes the main loop; the main loop drains (MACNP) on its own, so the
 * interrupt only acknowledges. */
void stellaris_enet_isr(void)
{
	struct enet *e = &enet0;
	*reg(e, MACIACK) = MACRIS_RXINT;
	e->irqs++;
	cortex_m_wake = 1;
}

struct netdev *stellaris_enet_init(uintptr_t base, const uint8_t mac[6])
{
	struct enet *e = &enet0;
	e->base = base;
	e->nd.name = "stellaris_enet0";
	e->nd.rx = enet_rx;
	e->nd.tx = enet_tx;
	for (int i = 0; i < 6; i++)
		e->nd.mac[i] = mac[i];

	*reg(e, MACIM) = 0;   /* reset value enables everything, TXEMP included */
	*reg(e, MACRCTL) = 0;
	*reg(e, MACTCTL) = 0;
	*reg(e, MACIACK) = MACRIS_ALL;
	*reg(e, MACMDV) = MACMDV_DIV_2_5MHZ;
	*reg(e, MACIA0) = (uint32_t)mac[0] | (uint32_t)mac[1] << 8 |
			  (uint32_t)mac[2] << 16 | (uint32_t)mac[3] << 24;
	*reg(e, MACIA1) = (uint32_t)mac[4] | (uint32_t)mac[5] << 8;
	*reg(e, MACTHR) = MACTHR_DISABLED;
	*reg(e, MACTCTL) = MACTCTL_TXEN | MACTCTL_PADEN | MACTCTL_CRC | MACTCTL_DUPLEX;
	*reg(e, MACRCTL) = MACRCTL_BADCRC | MACRCTL_RSTFIFO;
	*reg(e, MACRCTL) = MACRCTL_BADCRC | MACRCTL_RXEN;
	*reg(e, MACIM) = MACRIS_RXINT;
	nvic_enable_irq(STELLARIS_ENET_IRQ);
	return &e->nd;
}
