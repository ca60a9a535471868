/* HTTP /capture.pcap: the capture ring (capture.h) as a classic pcap file.
 * The ring stays frozen from the request (the service's start_response)
 * until the last record is out or the connection ends (http_on_close). */
#include "capture.h"
#include "http.h"

void http_on_close(struct app_conn *c)
{
	if (c->phase & F_FROZEN) {
		capture_close();
		c->phase &= (uint8_t)~F_FROZEN;
	}
}

int http_gen_capture(struct keel *k, struct out *o, struct app_conn *c, unsigned row)
{
	(void)k;
	if (row == 0) {
		put_head(o, "200 OK", "application/vnd.tcpdump.pcap");
		put(o, "Content-Disposition: attachment; filename=\"keel.pcap\"\r\n\r\n");
		return !(c->phase & F_HEAD);
	}
	if (row == 1) {
		uint8_t h[CAPTURE_PCAP_HDR_LEN];
		capture_pcap_header(h);
		put_bytes(o, h, sizeof(h));
		return 1;
	}
	/* The cursor lives in the slot: counter = ring offset, aux = records left. */
	struct capture_cursor cur = { c->counter, c->aux };
	if (cur.left == 0 || !(c->phase & F_FROZEN)) {
		http_on_close(c);   /* thaw as soon as the snapshot is out */
		return 0;
	}
	size_t n = capture_next(&cur, (uint8_t *)o->p + o->len, o->cap - o->len);
	if (n == 0) {
		o->full = true;   /* no room for this record: next time */
		return 1;
	}
	o->len += n;
	c->counter = cur.pos;
	c->aux = (uint16_t)cur.left;
	return 1;
}
