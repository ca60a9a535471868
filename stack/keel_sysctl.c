/* <keel/sysctl.h> on a stack instance: the table (sysctl.c) applied to
 * the instance's knobs. */
#include "keel.h"
#include "sysctl.h"

int keel_sysctl_get(const struct keel *k, const char *name, uint32_t *val)
{
	return tcp_sysctl_get(&k->tcp.sysctl, name, val);
}

int keel_sysctl_get_vec(const struct keel *k, const char *name, uint32_t val[KEEL_SYSCTL_VEC_MAX])
{
	return tcp_sysctl_get_vec(&k->tcp.sysctl, name, val);
}

int keel_sysctl_set(struct keel *k, const char *name, const char *value, const char **why)
{
	return tcp_sysctl_set(&k->tcp.sysctl, name, value, why);
}
