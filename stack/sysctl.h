/* The table behind <keel/sysctl.h>: each knob's name, field and bounds
 * (sysctl.c).  These work on a bare struct tcp_sysctl, so a test needs no
 * stack instance. */
#ifndef KEEL_SYSCTL_H
#define KEEL_SYSCTL_H
#include <stddef.h>
#include <stdint.h>
#include <keel/sysctl.h>
#include "tcp_sysctl.h"

/* As keel_sysctl_get and keel_sysctl_set, on the knobs in s. */
int tcp_sysctl_get(const struct tcp_sysctl *s, const char *name, uint32_t *val);
int tcp_sysctl_set(struct tcp_sysctl *s, const char *name, const char *value, const char **why);
/* Every value of a knob (tcp_rmem: min default max); returns how many
 * (1 or 3) or an error. */
int tcp_sysctl_get_vec(const struct tcp_sysctl *s, const char *name, uint32_t val[KEEL_SYSCTL_VEC_MAX]);
#endif
