/* The option half of the TCP codec (tcp_options.c); tcp_wire.c calls it. */
#ifndef KEEL_TCP_OPTIONS_H
#define KEEL_TCP_OPTIONS_H
#include <stddef.h>
#include <stdint.h>

struct tcp_seg;
struct tcp_out;

/* Parses n option bytes into seg (which the caller zeroed): 0, or -1 when
 * malformed. */
int tcp_options_parse(const uint8_t *p, size_t n, struct tcp_seg *seg);
/* Writes o's options at p (tcp_opt_len(o) bytes); returns that length. */
size_t tcp_options_write(uint8_t *p, const struct tcp_out *o);
#endif
