/* A small printf for the console: no heap, no newlib stdio.
 * Conversions: %d %i %u %x %X %c %s %p %%, flags '-' and '0', a width
 * (digits or '*'), length 'l' (uint32_t is unsigned long here: use PRIu32)
 * and 'z'.  Floating point is not supported. */
#ifndef KEEL_FMT_H
#define KEEL_FMT_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*fmt_sink)(void *ctx, const char *s, size_t len);

/* Formats to a sink; returns the number of characters produced. */
size_t fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap);
/* snprintf semantics: always terminated when cap > 0, returns the length
 * the full output would have. */
size_t fmt_snprintf(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
size_t fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);

#define FMT_IP_LEN 16    /* "255.255.255.255" + NUL */
#define FMT_MAC_LEN 18   /* "aa:bb:cc:dd:ee:ff" + NUL */
/* addr in host byte order; returns out. */
char *fmt_ip(char out[FMT_IP_LEN], uint32_t addr);
char *fmt_mac(char out[FMT_MAC_LEN], const uint8_t mac[6]);

/* Parsers for console arguments: return 0 on success, -1 on bad input. */
int parse_ipv4(const char *s, uint32_t *addr);
/* "a.b.c.d/len"; without "/len", *prefix is left unchanged. */
int parse_ipv4_prefix(const char *s, uint32_t *addr, uint8_t *prefix);
int parse_u32(const char *s, uint32_t *v);
#endif
