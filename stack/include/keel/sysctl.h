/* The TCP knobs by Linux's names and meanings ("net.ipv4.tcp_syncookies",
 * or the short "tcp_syncookies"; Documentation/networking/ip-sysctl.rst),
 * read and set at run time on one stack instance. */
#ifndef KEEL_PUBLIC_SYSCTL_H
#define KEEL_PUBLIC_SYSCTL_H
#include <stddef.h>
#include <stdint.h>

struct keel;

#define KEEL_SYSCTL_OK 0
#define KEEL_SYSCTL_ENOENT (-1)  /* no knob of that name */
#define KEEL_SYSCTL_EINVAL (-2)  /* not a decimal number, or out of range */

#define KEEL_SYSCTL_VEC_MAX 3    /* values of the widest knob (tcp_rmem: min default max) */

/* Reads a knob (the first value of a vector knob); *val untouched on error. */
int keel_sysctl_get(const struct keel *k, const char *name, uint32_t *val);
/* Reads every value of a knob; returns how many (1, or 3 for tcp_rmem,
 * tcp_wmem, tcp_mem) or KEEL_SYSCTL_ENOENT. */
int keel_sysctl_get_vec(const struct keel *k, const char *name, uint32_t val[KEEL_SYSCTL_VEC_MAX]);
/* Sets a knob from a decimal string (digits only: no sign, no spaces; a
 * vector knob takes all its values, separated by spaces or tabs).
 * On error the knob is unchanged and *why (if why is non-NULL) points to
 * a static message for the user, e.g. "tcp_syncookies must be 0, 1 or 2". */
int keel_sysctl_set(struct keel *k, const char *name, const char *value, const char **why);
/* Listing: full names ("net.ipv4.tcp_..."), i < keel_sysctl_count();
 * NULL past the end. */
size_t keel_sysctl_count(void);
const char *keel_sysctl_name(size_t i);
#endif
