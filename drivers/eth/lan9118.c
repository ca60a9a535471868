/* SMSC LAN9118 (datasheet rev 1.5, section 5 "Register Description").  The
 * MAC's own registers sit behind MAC_CSR_CMD/MAC_CSR_DATA, the PHY's behind
 * the MAC's MII_ACC/MII_DATA.  Frames move through 32-bit FIFO ports.
 *
 * What QEMU 7.2 (hw/net/lan9118.c) really does, relied on below:
 *  - The IRQ line is inverted (active low) unless IRQ_CFG has both
 *    IRQ_POL and IRQ_TYPE: at reset the NVIC would see it asserted
 *    forever, so IRQ_CFG is written before the NVIC line is enabled.
 *  - RX data FIFO 2640 words, RX status FIFO 176 entries.  When either is
 *    full the frame is dropped silently: no interrupt, and RX_DROP always
 *    reads 0.  Only draining fast keeps frames; drained in a loop here,
 *    and a FIFO found without room for a whole frame is counted
 *    (rx_fifo_full, "RxFifoFull" on the console).
 *  - The MAC comes up promiscuous (MAC_CR.PRMS); cleared here, so the chip
 *    filters: our unicast address and broadcast.
 *  - TX ignores TX_ON and sends on the LAST_SEG word at once; TX status
 *    entries (512) are still queued, popped here to count errors.
 *  - An access to an unimplemented register aborts QEMU (hw_error): only
 *    the registers named below are touched.
 *  - RX_DP_CTRL fast-forward is modelled loosely; frames are skipped by
 *    reading their words instead. */
#include <stdbool.h>
#include <stddef.h>
#include "cortex_m.h"
#include "eth/fifo_words.h"
#include "eth/lan9118.h"

/* System control and status registers (datasheet Table 5-1). */
#define RX_DATA_FIFO      0x00u
#define TX_DATA_FIFO      0x20u
#define RX_STATUS_FIFO    0x40u
#define TX_STATUS_FIFO    0x48u
#define ID_REV            0x50u
#define IRQ_CFG           0x54u
#define INT_STS           0x58u
#define INT_EN            0x5Cu
#define BYTE_TEST         0x64u
#define FIFO_INT          0x68u
#define RX_CFG            0x6Cu
#define TX_CFG            0x70u
#define HW_CFG            0x74u
#define RX_FIFO_INF       0x7Cu
#define TX_FIFO_INF       0x80u
#define PMT_CTRL          0x84u
#define FREE_RUN          0x9Cu
#define RX_DROP           0xA0u
#define MAC_CSR_CMD       0xA4u
#define MAC_CSR_DATA      0xA8u

#define BYTE_TEST_VALUE   0x87654321u

#define IRQ_CFG_IRQ_TYPE  (1u << 0)    /* push-pull */
#define IRQ_CFG_IRQ_POL   (1u << 4)    /* active high */
#define IRQ_CFG_IRQ_EN    (1u << 8)

#define INT_RSFL          (1u << 3)    /* RX status FIFO level */
#define INT_RXDF          (1u << 6)    /* RX dropped frame */
#define INT_TSFL          (1u << 7)
#define INT_TXE           (1u << 13)   /* transmitter error */
#define INT_RXE           (1u << 14)   /* receiver error */
#define INT_ALL           0xFFFFFFFFu

#define FIFO_INT_RSFL_LEVEL_M 0xFFu    /* RSFL when more entries than this */

#define RX_CFG_RX_DUMP    (1u << 15)
#define TX_CFG_TX_ON      (1u << 1)
#define TX_CFG_TXSAO      (1u << 2)    /* status FIFO may overrun */
#define TX_CFG_TXS_DUMP   (1u << 15)

#define HW_CFG_SRST       (1u << 0)
#define HW_CFG_TX_FIF_SZ_5 (5u << 16)  /* 5 KiB TX FIFO (reset default) */
#define HW_CFG_MBO        (1u << 20)   /* must be one */
#define PMT_CTRL_READY    (1u << 0)

#define RX_FIFO_INF_RXSUSED(v)  (((v) >> 16) & 0xFFu)
#define RX_FIFO_INF_RXDUSED(v)  ((v) & 0xFFFFu)      /* bytes */
#define TX_FIFO_INF_TDFREE(v)   ((v) & 0xFFFFu)
#define TX_FIFO_INF_TXSUSED(v)  (((v) >> 16) & 0xFFu)

/* RX status word (datasheet 3.13.3) */
#define RX_STS_ES         (1u << 15)   /* error summary */
#define RX_STS_PL(v)      (((v) >> 16) & 0x3FFFu)   /* length with FCS */
/* TX status word */
#define TX_STS_ES         (1u << 15)

/* TX command words (datasheet 3.12.1) */
#define TX_CMD_A_LAST_SEG   (1u << 12)
#define TX_CMD_A_FIRST_SEG  (1u << 13)
#define TX_CMD_A_BUF_SIZE_M 0x7FFu
#define TX_CMD_B_TAG_SHIFT  16u
#define TX_CMD_B_PKT_LEN_M  0x7FFu

#define MAC_CSR_CMD_BUSY  (1u << 31)
#define MAC_CSR_CMD_READ  (1u << 30)
#define MAC_CSR_CMD_ADDR_M 0xFFu

/* MAC CSRs behind MAC_CSR_CMD (datasheet Table 5-6) */
#define MAC_CR            1u
#define MAC_ADDRH         2u
#define MAC_ADDRL         3u
#define MAC_MII_ACC       6u
#define MAC_MII_DATA      7u
#define MAC_CR_RXEN       (1u << 2)
#define MAC_CR_TXEN       (1u << 3)
#define MAC_CR_BCAST      (1u << 11)   /* 1 = DISABLE broadcast */
#define MAC_CR_PRMS       (1u << 18)
#define MAC_CR_FDPX       (1u << 20)
#define MII_ACC_MIIBZY    (1u << 0)
#define MII_ACC_MIIWNR    (1u << 1)
#define MII_ACC_REG_SHIFT 6u
#define MII_ACC_PHY_SHIFT 11u
#define PHY_ADDR_INTERNAL 1u
#define PHY_BCR           0u
#define PHY_BCR_AN_RESTART (1u << 9)
#define PHY_BCR_AN_ENABLE  (1u << 12)

#define ETH_FCS_BYTES     4u
#define ETH_MIN_FRAME     14u
#define ETH_MAX_FRAME     1518u
#define TX_CMD_WORDS_BYTES 8u
#define RX_FRAMES_PER_CALL 4u
/* The RX FIFOs with TX_FIF_SZ 5 (datasheet Table 5-2; QEMU the same):
 * data 10,560 bytes, status 176 entries.  With less room than one
 * maximum frame (and its FCS and word padding) the next frame may be
 * dropped -- QEMU drops it silently, RX_DROP stays 0 -- so a FIFO found
 * that full is counted in rx_fifo_full. */
#define RX_DATA_FIFO_BYTES 10560u
#define RX_STATUS_FIFO_ENTRIES 176u
#define RX_FRAME_FIFO_BYTES (ETH_MAX_FRAME + ETH_FCS_BYTES + 3u)
#define WAIT_SPINS        100000u

struct lan {
	struct netdev nd;   /* first: the callbacks cast back */
	uintptr_t base;
	uint16_t tx_tag;
	uint32_t irqs;
};

static struct lan lan0;

static inline volatile uint32_t *reg(const struct lan *l, uint32_t off)
{
	return (volatile uint32_t *)(l->base + off);
}

static bool wait_clear(const struct lan *l, uint32_t off, uint32_t bits)
{
	for (uint32_t i = 0; i < WAIT_SPINS; i++)
		if ((*reg(l, off) & bits) == 0)
			return true;
	return false;
}

static uint32_t mac_csr_read(const struct lan *l, uint32_t csr)
{
	(void)wait_clear(l, MAC_CSR_CMD, MAC_CSR_CMD_BUSY);
	*reg(l, MAC_CSR_CMD) = MAC_CSR_CMD_BUSY | MAC_CSR_CMD_READ | (csr & MAC_CSR_CMD_ADDR_M);
	(void)wait_clear(l, MAC_CSR_CMD, MAC_CSR_CMD_BUSY);
	return *reg(l, MAC_CSR_DATA);
}

static void mac_csr_write(const struct lan *l, uint32_t csr, uint32_t v)
{
	(void)wait_clear(l, MAC_CSR_CMD, MAC_CSR_CMD_BUSY);
	*reg(l, MAC_CSR_DATA) = v;
	*reg(l, MAC_CSR_CMD) = MAC_CSR_CMD_BUSY | (csr & MAC_CSR_CMD_ADDR_M);
	(void)wait_clear(l, MAC_CSR_CMD, MAC_CSR_CMD_BUSY);
}

static void phy_write(const struct lan *l, uint32_t phy_reg, uint32_t v)
{
	for (uint32_t i = 0; i < WAIT_SPINS; i++)
		if ((mac_csr_read(l, MAC_MII_ACC) & MII_ACC_MIIBZY) == 0)
			break;
	mac_csr_write(l, MAC_MII_DATA, v);
	mac_csr_write(l, MAC_MII_ACC, PHY_ADDR_INTERNAL << MII_ACC_PHY_SHIFT |
		      phy_reg << MII_ACC_REG_SHIFT | MII_ACC_MIIWNR | MII_ACC_MIIBZY);
}

static void lan_count_errors(struct lan *l)
{
	/* RX_DROP counts frames lost to a full FIFO (clears on read); QEMU
	 * always reads 0 there and drops without telling. */
	uint32_t dropped = *reg(l, RX_DROP);
	if (dropped) {
		l->nd.stats.rx_drops += dropped;
		l->nd.stats.rx_fifo_full++;
	}
	uint32_t sts = *reg(l, INT_STS) & (INT_RXE | INT_TXE | INT_RXDF);
	if (sts) {
		if (sts & INT_RXE)
			l->nd.stats.rx_errors++;
		if (sts & INT_TXE)
			l->nd.stats.tx_errors++;
		*reg(l, INT_STS) = sts;
	}
	/* TX status: one word per frame sent. */
	for (uint32_t n = TX_FIFO_INF_TXSUSED(*reg(l, TX_FIFO_INF)); n > 0; n--)
		if (*reg(l, TX_STATUS_FIFO) & TX_STS_ES)
			l->nd.stats.tx_errors++;
}

static void lan_skip(const struct lan *l, uint32_t words)
{
	while (words--)
		(void)*reg(l, RX_DATA_FIFO);
}

static size_t lan_rx(struct netdev *nd, uint8_t *buf, size_t cap)
{
	struct lan *l = (struct lan *)nd;
	lan_count_errors(l);
	uint32_t inf = *reg(l, RX_FIFO_INF);
	if (RX_FIFO_INF_RXSUSED(inf) >= RX_STATUS_FIFO_ENTRIES ||
	    RX_FIFO_INF_RXDUSED(inf) + RX_FRAME_FIFO_BYTES > RX_DATA_FIFO_BYTES)
		nd->stats.rx_fifo_full++;
	for (uint32_t tries = 0; tries < RX_FRAMES_PER_CALL; tries++) {
		if (RX_FIFO_INF_RXSUSED(*reg(l, RX_FIFO_INF)) == 0)
			return 0;
		uint32_t sts = *reg(l, RX_STATUS_FIFO);
		uint32_t total = RX_STS_PL(sts);         /* frame + FCS */
		uint32_t words = (total + 3u) / 4u;      /* RX_CFG offset 0, no end padding */
		if (sts & RX_STS_ES || total < ETH_MIN_FRAME + ETH_FCS_BYTES ||
		    total > ETH_MAX_FRAME + ETH_FCS_BYTES) {
			lan_skip(l, words);
			nd->stats.rx_errors++;
			continue;
		}
		size_t len = total - ETH_FCS_BYTES;
		if (len > cap) {
			lan_skip(l, words);
			nd->stats.rx_drops++;
			continue;
		}
		fifo_read_bytes(reg(l, RX_DATA_FIFO), words, buf, len);   /* FCS dropped */
		nd->stats.rx_frames++;
		nd->stats.rx_bytes += len;
		return len;
	}
	return 0;
}

static int lan_tx(struct netdev *nd, const uint8_t *frame, size_t len)
{
	struct lan *l = (struct lan *)nd;
	if (len < ETH_MIN_FRAME || len > ETH_MAX_FRAME) {
		nd->stats.tx_errors++;
		return -1;
	}
	/* TDFREE counts bytes on silicon; QEMU reports its word-counted free
	 * space, which is always ample since it sends synchronously. */
	if (TX_FIFO_INF_TDFREE(*reg(l, TX_FIFO_INF)) < len + TX_CMD_WORDS_BYTES + 3u) {
		nd->stats.tx_drops++;
		return -1;
	}
	l->tx_tag++;
	*reg(l, TX_DATA_FIFO) = TX_CMD_A_FIRST_SEG | TX_CMD_A_LAST_SEG |
				((uint32_t)len & TX_CMD_A_BUF_SIZE_M);
	*reg(l, TX_DATA_FIFO) = (uint32_t)l->tx_tag << TX_CMD_B_TAG_SHIFT |
				((uint32_t)len & TX_CMD_B_PKT_LEN_M);
	fifo_write_bytes(reg(l, TX_DATA_FIFO), frame, len);
	nd->stats.tx_frames++;
	nd->stats.tx_bytes += len;
	return 0;
}

/* RX wakes the main loop, which drains; the ISR only acknowledges. */
void lan9118_isr(void)
{
	struct lan *l = &lan0;
	*reg(l, INT_STS) = INT_RSFL;
	l->irqs++;
	cortex_m_wake = 1;
}

uint32_t lan9118_free_run(void)
{
	return lan0.base ? *reg(&lan0, FREE_RUN) : 0;
}

struct netdev *lan9118_init(uintptr_t base, const uint8_t fallback_mac[6])
{
	struct lan *l = &lan0;
	l->base = base;
	l->nd.name = "lan9118";
	l->nd.rx = lan_rx;
	l->nd.tx = lan_tx;

	if (*reg(l, BYTE_TEST) != BYTE_TEST_VALUE)
		return NULL;
	for (uint32_t i = 0; i < WAIT_SPINS && !(*reg(l, PMT_CTRL) & PMT_CTRL_READY); i++)
		;
	*reg(l, HW_CFG) = HW_CFG_SRST;
	if (!wait_clear(l, HW_CFG, HW_CFG_SRST))
		return NULL;
	for (uint32_t i = 0; i < WAIT_SPINS && !(*reg(l, PMT_CTRL) & PMT_CTRL_READY); i++)
		;
	*reg(l, HW_CFG) = HW_CFG_MBO | HW_CFG_TX_FIF_SZ_5;

	/* Active-high push-pull before anything can interrupt (top note). */
	*reg(l, IRQ_CFG) = IRQ_CFG_IRQ_EN | IRQ_CFG_IRQ_POL | IRQ_CFG_IRQ_TYPE;
	*reg(l, INT_EN) = 0;
	*reg(l, INT_STS) = INT_ALL;

	/* The address the EEPROM loaded at reset (QEMU: -nic ...,mac=). */
	uint32_t lo = mac_csr_read(l, MAC_ADDRL), hi = mac_csr_read(l, MAC_ADDRH);
	uint8_t mac[6] = {(uint8_t)lo, (uint8_t)(lo >> 8), (uint8_t)(lo >> 16),
			  (uint8_t)(lo >> 24), (uint8_t)hi, (uint8_t)(hi >> 8)};
	/* Judged by the address itself: QEMU flags "loaded" in E2P_CMD bit 4,
	 * not bit 8 (MAC_ADDR_LOADED) where the datasheet has it. */
	bool loaded = (mac[0] & 1u) == 0 && (lo | (hi & 0xFFFFu)) != 0;
	if (!loaded) {
		for (int i = 0; i < 6; i++)
			mac[i] = fallback_mac[i];
		mac_csr_write(l, MAC_ADDRL, (uint32_t)mac[0] | (uint32_t)mac[1] << 8 |
			      (uint32_t)mac[2] << 16 | (uint32_t)mac[3] << 24);
		mac_csr_write(l, MAC_ADDRH, (uint32_t)mac[4] | (uint32_t)mac[5] << 8);
	}
	for (int i = 0; i < 6; i++)
		l->nd.mac[i] = mac[i];

	phy_write(l, PHY_BCR, PHY_BCR_AN_ENABLE | PHY_BCR_AN_RESTART);

	*reg(l, RX_CFG) = RX_CFG_RX_DUMP;                 /* offset 0, no padding */
	*reg(l, TX_CFG) = TX_CFG_TXS_DUMP;
	*reg(l, TX_CFG) = TX_CFG_TX_ON | TX_CFG_TXSAO;
	*reg(l, FIFO_INT) = *reg(l, FIFO_INT) & ~FIFO_INT_RSFL_LEVEL_M;   /* RSFL at 1 frame */
	mac_csr_write(l, MAC_CR, MAC_CR_TXEN | MAC_CR_RXEN | MAC_CR_FDPX);   /* PRMS off */
	*reg(l, INT_EN) = INT_RSFL;
	return &l->nd;
}
