/* TCP knobs: Linux defaults and the one name -> field table.  Bounds are
 * Linux's where keel can honour them, narrowed where keel's static pools
 * or 32-bit millisecond timers cannot (noted per entry). */
#include "sysctl.h"
#include <stddef.h>
#include <string.h>
#include <keel/config.h>
#include "chunkq.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define PREFIX "net.ipv4."
#define PREFIX_LEN (sizeof PREFIX - 1)


void tcp_sysctl_defaults(struct tcp_sysctl *s)
{
	s->tcp_syncookies = 1;         /* cookies only when the SYN queue overflows */
	s->tcp_synack_retries = 5;     /* 1+2+4+8+16 s, gives up after 63 s */
	s->tcp_syn_retries = 6;        /* connect() gives up after 127 s */
	s->tcp_abort_on_overflow = 0;  /* drop the final ACK; the peer retries */
	s->tcp_tw_reuse = 2;           /* Linux: loopback only; keel has no loopback, so = 0 */
	s->tcp_max_syn_backlog = KEEL_SYN_BACKLOG;
	s->tcp_max_tw_buckets = KEEL_TW_MAX;
	s->tcp_fin_timeout = 60;       /* s */
	s->tcp_msl = 30;               /* s; TIME_WAIT = 2*MSL = 60 s, Linux's TCP_TIMEWAIT_LEN */
	s->tcp_rmem[0] = KEEL_TCP_BUF_MIN;
	s->tcp_rmem[1] = KEEL_TCP_RCVBUF;
	s->tcp_rmem[2] = KEEL_TCP_RMEM_MAX;
	s->tcp_wmem[0] = KEEL_TCP_BUF_MIN;
	s->tcp_wmem[1] = KEEL_TCP_SNDBUF;
	s->tcp_wmem[2] = KEEL_TCP_BUF_MAX;
	/* Pressure at 3/4 of the pool leaves a quarter for the minimum of
	 * connections that have less than theirs; it ends below 1/2. */
	s->tcp_mem[0] = CHUNK_COUNT / 2u;
	s->tcp_mem[1] = CHUNK_COUNT * 3u / 4u;
	s->tcp_mem[2] = CHUNK_COUNT;
	s->tcp_timestamps = 1;
	s->tcp_sack = 1;
	s->tcp_window_scaling = 1;
	s->tcp_dsack = 1;
}

struct knob {
	const char *name;   /* full name; the short one follows PREFIX */
	size_t off, size;   /* field in struct tcp_sysctl: 1, 2 or 4 bytes */
	size_t n;           /* values: 1, or 3 for "min default max" (each size bytes) */
	uint32_t min, max;
	const char *range;  /* message when a value is rejected */
};

#define KNOB(field, lo, hi, msg) \
	{ PREFIX #field, offsetof(struct tcp_sysctl, field), \
	  sizeof(((struct tcp_sysctl *)0)->field), 1, (lo), (hi), (msg) }
/* Three uint32 values, each in [lo, hi] and in non-decreasing order. */
#define KNOB3(field, lo, hi, msg) \
	{ PREFIX #field, offsetof(struct tcp_sysctl, field), 4, 3, (lo), (hi), (msg) }

static const struct knob knobs[] = {
	KNOB(tcp_syncookies, 0, 2, "tcp_syncookies must be 0, 1 or 2"),
	/* Linux: any u8.  The engine caps the backoff at TCP_RTO_MAX. */
	KNOB(tcp_synack_retries, 0, 255, "tcp_synack_retries must be 0..255"),
	/* Linux: 1..MAX_TCP_SYNCNT (127). */
	KNOB(tcp_syn_retries, 1, 127, "tcp_syn_retries must be 1..127"),
	/* The SYN queue is a static pool of KEEL_SYN_BACKLOG entries. */
	KNOB(tcp_max_syn_backlog, 1, KEEL_SYN_BACKLOG,
	     "tcp_max_syn_backlog must be 1.." STR(KEEL_SYN_BACKLOG) " (KEEL_SYN_BACKLOG)"),
	KNOB(tcp_abort_on_overflow, 0, 1, "tcp_abort_on_overflow must be 0 or 1"),
	/* One day at most keeps every deadline within 2^31 ms of now. */
	KNOB(tcp_fin_timeout, 1, 86400, "tcp_fin_timeout must be 1..86400 (seconds)"),
	KNOB(tcp_tw_reuse, 0, 2, "tcp_tw_reuse must be 0, 1 or 2"),
	/* 0 is Linux's "no TIME_WAIT at all"; the table is static. */
	KNOB(tcp_max_tw_buckets, 0, KEEL_TW_MAX,
	     "tcp_max_tw_buckets must be 0.." STR(KEEL_TW_MAX) " (KEEL_TW_MAX)"),
	/* keel's own: Linux hard-codes TIME_WAIT to 60 s; RFC 9293 suggests
	 * MSL = 2 min.  Up to an hour keeps 2*MSL well within the timers. */
	KNOB(tcp_msl, 1, 3600, "tcp_msl must be 1..3600 (seconds)"),
	/* Bytes.  At least one chunk; at most KEEL_TCP_BUF_LIMIT (config.h):
	 * 65535, the largest unscaled window, where the arena is below 64 KiB,
	 * else the arena, unless the board caps it (mps2-an385: 64000, so the
	 * queues' fields stay 16 bits).  A max above 65535 makes keel offer a
	 * window scale (RFC 7323 §2, tcp_optneg.c). */
	KNOB3(tcp_rmem, KEEL_CHUNK_SIZE, KEEL_TCP_BUF_LIMIT,
	      "tcp_rmem must be 3 values MIN DEFAULT MAX, " STR(KEEL_CHUNK_SIZE) ".." STR(KEEL_TCP_BUF_LIMIT) ", in order"),
	KNOB3(tcp_wmem, KEEL_CHUNK_SIZE, KEEL_TCP_BUF_LIMIT,
	      "tcp_wmem must be 3 values MIN DEFAULT MAX, " STR(KEEL_CHUNK_SIZE) ".." STR(KEEL_TCP_BUF_LIMIT) ", in order"),
	/* Chunks of the static pool. */
	KNOB3(tcp_mem, 1, CHUNK_COUNT,
	      "tcp_mem must be 3 values LOW PRESSURE HIGH, 1..pool chunks, in order"),
	/* Read when a SYN is sent or answered: a connection keeps what it agreed. */
	KNOB(tcp_timestamps, 0, 2, "tcp_timestamps must be 0, 1 or 2"),
	KNOB(tcp_sack, 0, 1, "tcp_sack must be 0 or 1"),
	KNOB(tcp_window_scaling, 0, 1, "tcp_window_scaling must be 0 or 1"),
	/* Read when a duplicate arrives. */
	KNOB(tcp_dsack, 0, 1, "tcp_dsack must be 0 or 1"),
};
#define NKNOBS (sizeof knobs / sizeof knobs[0])

static const struct knob *find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < NKNOBS; i++) {
		const char *full = knobs[i].name;
		if (strcmp(name, full) == 0 || strcmp(name, full + PREFIX_LEN) == 0)
			return &knobs[i];
	}
	return NULL;
}

static uint32_t load(const struct tcp_sysctl *s, const struct knob *k, size_t i)
{
	const unsigned char *p = (const unsigned char *)s + k->off + i * k->size;
	switch (k->size) {
	case 1: { uint8_t v; memcpy(&v, p, 1); return v; }
	case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
	default: { uint32_t v; memcpy(&v, p, 4); return v; }
	}
}

static void store(struct tcp_sysctl *s, const struct knob *k, size_t i, uint32_t val)
{
	unsigned char *p = (unsigned char *)s + k->off + i * k->size;
	switch (k->size) {
	case 1: { uint8_t v = (uint8_t)val; memcpy(p, &v, 1); break; }
	case 2: { uint16_t v = (uint16_t)val; memcpy(p, &v, 2); break; }
	default: memcpy(p, &val, 4); break;
	}
}

/* Decimal digits only, at least one, no overflow past UINT32_MAX.
 * Returns 0, -1 for not-a-number, -2 for too large. */
static int parse_u32(const char *str, uint32_t *out)
{
	uint32_t v = 0;
	if (!str || *str == '\0')
		return -1;
	for (; *str; str++) {
		if (*str < '0' || *str > '9')
			return -1;
		uint32_t d = (uint32_t)(*str - '0');
		if (v > (UINT32_MAX - d) / 10)
			return -2;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int tcp_sysctl_get(const struct tcp_sysctl *s, const char *name, uint32_t *val)
{
	const struct knob *k = find(name);
	if (!k)
		return KEEL_SYSCTL_ENOENT;
	*val = load(s, k, 0);
	return KEEL_SYSCTL_OK;
}

int tcp_sysctl_get_vec(const struct tcp_sysctl *s, const char *name, uint32_t val[KEEL_SYSCTL_VEC_MAX])
{
	const struct knob *k = find(name);
	if (!k)
		return KEEL_SYSCTL_ENOENT;
	for (size_t i = 0; i < k->n; i++)
		val[i] = load(s, k, i);
	return (int)k->n;
}

/* "a b c" (spaces or tabs between) -> n values; as parse_u32. */
static int parse_vec(const char *str, uint32_t *out, size_t n)
{
	char word[12];
	size_t got = 0;
	while (str && *str) {
		while (*str == ' ' || *str == '\t')
			str++;
		if (*str == '\0')
			break;
		size_t len = 0;
		while (str[len] && str[len] != ' ' && str[len] != '\t')
			len++;
		if (got == n)
			return -1;                       /* too many values */
		if (len >= sizeof word)
			return -2;
		memcpy(word, str, len);
		word[len] = '\0';
		int p = parse_u32(word, &out[got++]);
		if (p)
			return p;
		str += len;
	}
	return got == n ? 0 : -1;
}

int tcp_sysctl_set(struct tcp_sysctl *s, const char *name, const char *value,
		    const char **why)
{
	const struct knob *k = find(name);
	const char *msg;
	int rc = KEEL_SYSCTL_EINVAL;
	uint32_t v = 0;

	if (!k) {
		msg = "unknown sysctl";
		rc = KEEL_SYSCTL_ENOENT;
	} else if (k->n > 1) {
		uint32_t vals[KEEL_SYSCTL_VEC_MAX];
		int p = parse_vec(value, vals, k->n);
		int ok = p == 0;
		for (size_t i = 0; ok && i < k->n; i++)
			ok = vals[i] >= k->min && vals[i] <= k->max && (i == 0 || vals[i] >= vals[i - 1]);
		if (ok) {
			for (size_t i = 0; i < k->n; i++)
				store(s, k, i, vals[i]);
			return KEEL_SYSCTL_OK;
		}
		msg = k->range;
	} else {
		int p = parse_u32(value, &v);
		if (p == -1)
			msg = "value must be a decimal number";
		else if (p == -2 || v < k->min || v > k->max)
			msg = k->range;
		else {
			store(s, k, 0, v);
			return KEEL_SYSCTL_OK;
		}
	}
	if (why)
		*why = msg;
	return rc;
}

size_t keel_sysctl_count(void)
{
	return NKNOBS;
}

const char *keel_sysctl_name(size_t i)
{
	return i < NKNOBS ? knobs[i].name : NULL;
}
