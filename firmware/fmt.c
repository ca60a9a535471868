/* The console's formatter and parsers: small, bounded, no heap. */
#include <stdbool.h>
#include "fmt.h"

struct spec {
	bool left, zero;
	unsigned width;
};

static void pad(fmt_sink sink, void *ctx, char c, unsigned n, size_t *count)
{
	while (n--) {
		sink(ctx, &c, 1);
		(*count)++;
	}
}

static void emit(fmt_sink sink, void *ctx, const struct spec *sp, const char *s,
		 size_t len, size_t *count)
{
	unsigned fill = sp->width > len ? sp->width - (unsigned)len : 0;
	if (!sp->left)
		pad(sink, ctx, ' ', fill, count);
	sink(ctx, s, len);
	*count += len;
	if (sp->left)
		pad(sink, ctx, ' ', fill, count);
}

static void emit_num(fmt_sink sink, void *ctx, const struct spec *sp, unsigned long v,
		     bool neg, unsigned base, bool upper, size_t *count)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[12];   /* 32-bit in octal would need 11; base 10/16 fewer */
	size_t n = 0;
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v && n < sizeof(tmp));
	size_t len = n + (neg ? 1 : 0);
	unsigned fill = sp->width > len ? sp->width - (unsigned)len : 0;
	if (!sp->left && !sp->zero)
		pad(sink, ctx, ' ', fill, count);
	if (neg) {
		sink(ctx, "-", 1);
		(*count)++;
	}
	if (!sp->left && sp->zero)
		pad(sink, ctx, '0', fill, count);
	while (n)
		sink(ctx, &tmp[--n], 1), (*count)++;
	if (sp->left)
		pad(sink, ctx, ' ', fill, count);
}

size_t fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap)
{
	size_t count = 0;
	while (*fmt) {
		const char *lit = fmt;
		while (*fmt && *fmt != '%')
			fmt++;
		if (fmt != lit) {
			sink(ctx, lit, (size_t)(fmt - lit));
			count += (size_t)(fmt - lit);
		}
		if (!*fmt)
			break;
		fmt++;   /* '%' */
		struct spec sp = {0};
		for (;; fmt++) {
			if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '0')
				sp.zero = true;
			else
				break;
		}
		if (*fmt == '*') {
			int w = va_arg(ap, int);
			if (w < 0) {
				sp.left = true;
				w = -w;
			}
			sp.width = (unsigned)w;
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9' && sp.width < 1000)
				sp.width = sp.width * 10 + (unsigned)(*fmt++ - '0');
		}
		bool is_long = false;
		if (*fmt == 'l' || *fmt == 'z') {
			is_long = *fmt == 'l' || sizeof(size_t) == sizeof(long);
			fmt++;
		}
		char conv = *fmt ? *fmt++ : '\0';
		switch (conv) {
		case 'd':
		case 'i': {
			long v = is_long ? va_arg(ap, long) : va_arg(ap, int);
			unsigned long mag = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
			emit_num(sink, ctx, &sp, mag, v < 0, 10, false, &count);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			unsigned long v = is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			emit_num(sink, ctx, &sp, v, false, conv == 'u' ? 10 : 16, conv == 'X', &count);
			break;
		}
		case 'p': {
			uintptr_t v = (uintptr_t)va_arg(ap, void *);
			sink(ctx, "0x", 2);
			count += 2;
			struct spec hex = {.zero = true, .width = 8};
			emit_num(sink, ctx, &hex, v, false, 16, false, &count);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			emit(sink, ctx, &sp, &c, 1, &count);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			size_t len = 0;
			while (s[len])
				len++;
			emit(sink, ctx, &sp, s, len, &count);
			break;
		}
		case '%':
			sink(ctx, "%", 1);
			count++;
			break;
		default:   /* unknown or truncated: print it as is */
			sink(ctx, "%", 1);
			count++;
			if (conv) {
				sink(ctx, &conv, 1);
				count++;
			}
			break;
		}
	}
	return count;
}

struct buf_sink {
	char *buf;
	size_t cap, len;
};

static void to_buf(void *ctx, const char *s, size_t len)
{
	struct buf_sink *b = ctx;
	for (size_t i = 0; i < len; i++, b->len++)
		if (b->len + 1 < b->cap)
			b->buf[b->len] = s[i];
}

size_t fmt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct buf_sink b = {buf, cap, 0};
	size_t n = fmt_vformat(to_buf, &b, fmt, ap);
	if (cap)
		buf[b.len < cap ? b.len : cap - 1] = '\0';
	return n;
}

size_t fmt_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t n = fmt_vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}

char *fmt_ip(char out[FMT_IP_LEN], uint32_t a)
{
	fmt_snprintf(out, FMT_IP_LEN, "%u.%u.%u.%u", (unsigned)(a >> 24),
		     (unsigned)(a >> 16 & 0xffu), (unsigned)(a >> 8 & 0xffu), (unsigned)(a & 0xffu));
	return out;
}

char *fmt_mac(char out[FMT_MAC_LEN], const uint8_t m[6])
{
	fmt_snprintf(out, FMT_MAC_LEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		     m[0], m[1], m[2], m[3], m[4], m[5]);
	return out;
}

/* Decimal number up to max; advances *sp past it. */
static int parse_dec(const char **sp, uint32_t max, uint32_t *v)
{
	const char *s = *sp;
	uint32_t n = 0;
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		n = n * 10u + (uint32_t)(*s - '0');
		if (n > max)
			return -1;
	}
	*sp = s;
	*v = n;
	return 0;
}

static int parse_dotted(const char **sp, uint32_t *addr)
{
	uint32_t a = 0, octet;
	for (int i = 0; i < 4; i++) {
		if (i && *(*sp)++ != '.')
			return -1;
		if (parse_dec(sp, 255, &octet))
			return -1;
		a = a << 8 | octet;
	}
	*addr = a;
	return 0;
}

int parse_ipv4(const char *s, uint32_t *addr)
{
	uint32_t a;
	if (parse_dotted(&s, &a) || *s)
		return -1;
	*addr = a;
	return 0;
}

int parse_ipv4_prefix(const char *s, uint32_t *addr, uint8_t *prefix)
{
	uint32_t a, len;
	if (parse_dotted(&s, &a))
		return -1;
	if (*s == '/') {
		s++;
		if (parse_dec(&s, 32, &len) || *s)
			return -1;
		*prefix = (uint8_t)len;
	} else if (*s) {
		return -1;
	}
	*addr = a;
	return 0;
}

int parse_u32(const char *s, uint32_t *v)
{
	uint32_t n = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		uint32_t d = (uint32_t)(*s - '0');
		if (n > (UINT32_MAX - d) / 10u)
			return -1;
		n = n * 10u + d;
	}
	*v = n;
	return 0;
}
