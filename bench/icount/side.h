/* One stack under count (keel_side.c or lwip_side.c), behind the same
 * three calls, with the same four services: echo 7 (as each stack's
 * firmware echoes: keel splices ring to ring, lwIP queues the pbufs and
 * copies them into tcp_write), discard 9, one line then close 13, and a
 * source on 19 that sends a constant buffer as fast as the peer reads
 * (chargen without the line generation, so the count is the stack's copy
 * and segments, not the service's formatting). */
#ifndef KEEL_ICOUNT_SIDE_H
#define KEEL_ICOUNT_SIDE_H
#include <stdint.h>

struct netdev;

#define SIDE_LINE "daytime 12345.678 s\r\n"   /* port 13's line, both stacks */
#define SIDE_SOURCE_LEN 2048                   /* port 19 writes this much at a time */

extern const uint8_t side_source[SIDE_SOURCE_LEN];
/* Bytes of port 13's line: sizeof(SIDE_LINE) - 1, or 0 for a side whose
 * line varies (fw_side.c: the firmware's daytime, uptime in it). */
extern const unsigned side_line_len;

void side_init(struct netdev *nd, uint32_t now_ms);
/* One pass of the firmware's loop for one frame: one frame from the MAC
 * into the stack, then the services. */
void side_frame(uint32_t now_ms);
/* The millisecond timer, then the services. */
void side_tick(uint32_t now_ms);
#endif
