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
#endif
