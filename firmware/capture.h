/* The last frames in and out, in a static ring, read back as a classic
 * pcap file (HTTP /capture.pcap).
 *
 * Consistency: a reader freezes the ring (capture_open) for as long as it
 * reads; frames seen meanwhile are not recorded, only counted (missed).
 * So a snapshot is exactly the ring at the moment of the request, needs
 * no copy (RAM), and never contains the frames that carry itself.  Several
 * readers may hold it frozen at once; the last capture_close thaws it. */
#ifndef KEEL_CAPTURE_H
#define KEEL_CAPTURE_H
#include <stddef.h>
#include <stdint.h>
#include "fw_config.h"

#define CAPTURE_PCAP_HDR_LEN 24
#define CAPTURE_REC_HDR_LEN 16
#define CAPTURE_REC_MAX (CAPTURE_REC_HDR_LEN + KEEL_CAPTURE_SNAPLEN)

/* One frame, in or out (main.c's rx path and fw_tx). */
void capture_frame(const uint8_t *frame, size_t len, uint32_t now_ms);

struct capture_stats {
	uint32_t bytes;      /* ring size (0: compiled out) */
	uint32_t frames;     /* frames in the ring now */
	uint32_t seen;       /* frames offered since boot */
	uint32_t missed;     /* ... not recorded because a reader held it frozen */
};
void capture_get_stats(struct capture_stats *st);

struct capture_cursor {
	uint32_t pos;        /* ring offset of the next record */
	uint32_t left;       /* records still to read */
};
/* Freezes the ring and points cur at its oldest frame.  Returns 0, or -1
 * when capture is compiled out. */
int capture_open(struct capture_cursor *cur);
/* The pcap file header (24 bytes) into out. */
void capture_pcap_header(uint8_t out[CAPTURE_PCAP_HDR_LEN]);
/* The next frame as a pcap record into out when it fits in cap; returns
 * its length, 0 when there is no room (try again with more) or when done
 * (cur->left == 0). */
size_t capture_next(struct capture_cursor *cur, uint8_t *out, size_t cap);
/* Releases one reader's freeze. */
void capture_close(void);
#endif
