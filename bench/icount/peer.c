/* The scripted client of bench/icount (see peer.h).  Its segments look
 * like a plain Linux client's without options other than MSS: SYN with
 * MSS 1460, window 65535, one ACK for every segment that carries data,
 * FIN|ACK after the device's FIN on port 13. */
#include "peer.h"
#include <string.h>

const uint8_t peer_dev_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t dev_ip[4] = { 192, 0, 2, 2 };
/* The host whose ARP reply is due (0: none); 1 is 192.0.2.1 with the
 * MAC of the counts before there were other hosts. */
static uint8_t arp_reply_due;

static void host_mac(uint8_t host, uint8_t *mac)
{
	static const uint8_t base[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
	memcpy(mac, base, 6);
	if (host > 1) {
		mac[4] = 1;
		mac[5] = host;
	}
}

static void host_ip(uint8_t host, uint8_t *ip)
{
	ip[0] = 192;
	ip[1] = 0;
	ip[2] = 2;
	ip[3] = host ? host : 1;
}
static uint16_t ip_id;

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }
static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t get32(const uint8_t *p) { return get16(p) << 16 | get16(p + 2); }

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += get16(p + i);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static size_t arp_reply(uint8_t *f, uint8_t host)
{
	uint8_t peer_mac[6], peer_ip[4];
	host_mac(host, peer_mac);
	host_ip(host, peer_ip);
	memcpy(f, peer_dev_mac, 6);
	memcpy(f + 6, peer_mac, 6);
	put16(f + 12, 0x0806);
	uint8_t *a = f + 14;
	put16(a, 1);
	put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, 2);
	memcpy(a + 8, peer_mac, 6);
	memcpy(a + 14, peer_ip, 4);
	memcpy(a + 18, peer_dev_mac, 6);
	memcpy(a + 24, dev_ip, 4);
	memset(a + 28, 0, 60 - 14 - 28);
	return 60;
}

static size_t segment(struct peer_conn *c, uint8_t *f, unsigned flags, uint32_t len)
{
	size_t opt = (flags & TH_SYN) ? 4 : 0;
	uint8_t peer_mac[6], peer_ip[4];
	host_mac(c->host, peer_mac);
	host_ip(c->host, peer_ip);
	memcpy(f, peer_dev_mac, 6);
	memcpy(f + 6, peer_mac, 6);
	put16(f + 12, 0x0800);
	uint8_t *ip = f + 14, *th = ip + 20, *data = th + 20 + opt;
	size_t tcp_len = 20 + opt + len;
	ip[0] = 0x45;
	ip[1] = 0;
	put16(ip + 2, 20 + tcp_len);
	put16(ip + 4, ip_id++);
	put16(ip + 6, 0x4000);   /* DF */
	ip[8] = 64;
	ip[9] = 6;
	put16(ip + 10, 0);
	memcpy(ip + 12, peer_ip, 4);
	memcpy(ip + 16, dev_ip, 4);
	put16(ip + 10, fold(sum16(ip, 20, 0)));
	put16(th, c->sport);
	put16(th + 2, c->dport);
	put32(th + 4, c->snd_nxt);
	put32(th + 8, (flags & TH_ACK) ? c->rcv_nxt : 0);
	th[12] = (uint8_t)((20 + opt) / 4 << 4);
	th[13] = (uint8_t)flags;
	put16(th + 14, 65535);
	put16(th + 16, 0);
	put16(th + 18, 0);
	if (opt) {
		th[20] = 2;
		th[21] = 4;
		put16(th + 22, PEER_MSS);
	}
	for (uint32_t i = 0; i < len; i++)
		data[i] = (uint8_t)(c->snd_nxt + i);
	uint32_t s = sum16(ip + 12, 8, 6 + (uint32_t)tcp_len);
	put16(th + 16, fold(sum16(th, tcp_len, s)));
	c->snd_nxt += len + ((flags & (TH_SYN | TH_FIN)) ? 1 : 0);
	return 14 + 20 + tcp_len;
}

void peer_open(struct peer_conn *c, enum peer_goal goal, uint16_t sport, uint16_t dport)
{
	peer_open_from(c, goal, 1, sport, dport);
}

void peer_open_from(struct peer_conn *c, enum peer_goal goal, uint8_t host, uint16_t sport,
		    uint16_t dport)
{
	uint32_t keep_send = c->to_send, keep_recv = c->to_receive;
	memset(c, 0, sizeof(*c));
	c->goal = goal;
	c->sport = sport;
	c->dport = dport;
	c->host = host;
	c->to_send = keep_send;
	c->to_receive = keep_recv;
	c->snd_nxt = c->snd_una = 1000u * sport;   /* any ISN; fixed for repeatability */
}

size_t peer_next_frame(struct peer_conn *c, uint8_t *f)
{
	if (arp_reply_due) {
		uint8_t host = arp_reply_due;
		arp_reply_due = 0;
		return arp_reply(f, host);
	}
	if (c->reset)
		return 0;   /* after a RST (ours or the device's): silence */
	if (!c->synced)
		return c->snd_nxt == c->snd_una ? segment(c, f, TH_SYN, 0) : 0;
	int sends = c->goal == GOAL_SEND || c->goal == GOAL_ECHO || c->goal == GOAL_HOLD;
	if (sends && c->to_send) {
		uint32_t inflight = c->snd_nxt - c->snd_una;
		uint32_t room = c->snd_wnd > inflight ? c->snd_wnd - inflight : 0;
		uint32_t n = c->to_send < PEER_MSS ? c->to_send : PEER_MSS;
		/* Linux sends a partial segment only when it is all that is
		 * left or the window allows no more (Nagle aside). */
		if (room < n && (room < PEER_MSS / 2 || inflight))
			n = 0;
		else if (room < n)
			n = room;
		if (n) {
			c->to_send -= n;
			c->data_segs_out++;
			c->ack_due = 0;
			return segment(c, f, TH_ACK | TH_PSH, n);
		}
	}
	if (sends && c->goal != GOAL_HOLD && !c->to_send && !c->fin_sent && c->snd_nxt == c->snd_una &&
	    (c->goal == GOAL_SEND || c->received >= c->to_receive)) {
		c->fin_sent = 1;
		c->ack_due = 0;
		return segment(c, f, TH_ACK | TH_FIN, 0);
	}
	if (c->goal == GOAL_LINE && c->fin_rcvd && !c->fin_sent) {
		c->fin_sent = 1;
		c->ack_due = 0;
		return segment(c, f, TH_ACK | TH_FIN, 0);
	}
	if (c->goal == GOAL_RECEIVE && c->received >= c->to_receive) {
		c->done = c->reset = 1;   /* the way a reader that stops early ends */
		return segment(c, f, TH_RST | TH_ACK, 0);
	}
	if (c->ack_due) {
		c->ack_due = 0;
		return segment(c, f, TH_ACK, 0);
	}
	return 0;
}

void peer_from_device(struct peer_conn *c, const uint8_t *f, size_t len)
{
	/* A request for any host of 192.0.2.0/24 but the device: that
	 * host answers (the one connection in play is the one that ARPs). */
	if (len >= 42 && get16(f + 12) == 0x0806 && get16(f + 20) == 1 &&
	    f[38] == 192 && f[39] == 0 && f[40] == 2 && f[41] != 0 && f[41] != 2 && f[41] != 255) {
		arp_reply_due = f[41];
		return;
	}
	if (len < 54 || get16(f + 12) != 0x0800 || f[23] != 6)
		return;
	const uint8_t *ip = f + 14;
	size_t ihl = (size_t)(ip[0] & 15) * 4, tot = get16(ip + 2);
	const uint8_t *th = ip + ihl;
	if (14 + tot > len || get16(th) != c->dport || get16(th + 2) != c->sport)
		return;
	size_t doff = (size_t)(th[12] >> 4) * 4;
	uint32_t plen = (uint32_t)(tot - ihl - doff);
	unsigned flags = th[13];
	uint32_t seq = get32(th + 4), ack = get32(th + 8);
	if (flags & TH_RST) {
		c->reset = 1;
		return;
	}
	if (flags & TH_SYN) {
		if (!c->synced && (flags & TH_ACK) && ack == c->snd_nxt) {
			c->synced = 1;
			c->snd_una = ack;
			c->rcv_nxt = seq + 1;
			c->snd_wnd = get16(th + 14);
			c->ack_due = 1;   /* the handshake's third segment */
		}
		return;
	}
	if (flags & TH_ACK) {
		if ((int32_t)(ack - c->snd_una) > 0 && (int32_t)(ack - c->snd_nxt) <= 0)
			c->snd_una = ack;
		c->snd_wnd = get16(th + 14);
	}
	if (seq == c->rcv_nxt) {
		c->rcv_nxt += plen;
		c->received += plen;
		if (plen) {
			c->data_segs_in++;
			c->ack_due = 1;
		}
		if (flags & TH_FIN) {
			c->rcv_nxt++;
			c->fin_rcvd = 1;
			c->ack_due = 1;
		}
	} else if (plen || (flags & TH_FIN)) {
		c->ack_due = 1;   /* out of order or a retransmission: dup ACK */
	}
	if (c->fin_sent && c->snd_una == c->snd_nxt &&
	    (c->goal == GOAL_SEND || c->fin_rcvd))
		c->done = 1;
}
