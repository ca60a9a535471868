/* What console commands and apps may reach of the running firmware. */
#ifndef KEEL_FW_H
#define KEEL_FW_H
#include <stdint.h>

struct keel;
struct netdev;

struct keel *fw_stack(void);
struct netdev *fw_netdev(void);   /* NULL when the board has no working MAC */
uint32_t fw_uptime_ms(void);
/* git describe of the image (firmware/build_id.c). */
extern const char fw_build_id[];

/* Footprint from linker symbols: flash image bytes, static RAM bytes,
 * RAM size, stack reserve. */
struct fw_footprint {
	uint32_t flash, ram_static, ram_total, stack;
};
void fw_footprint(struct fw_footprint *fp);

/* The firmware apps (firmware/apps.c, echo, discard...): apps_init runs
 * after keel_init, apps_poll every main-loop iteration (main.c, KEEL_APPS);
 * it returns nonzero when a connection has work for the next pass at once
 * (the loop must not sleep then). */
void apps_init(struct keel *k);
int apps_poll(struct keel *k, uint32_t now_ms);
/* New connections, UDP and the connections the stack has news for only,
 * without the sweep: what main.c runs after each frame. */
int apps_poll_events(struct keel *k, uint32_t now_ms);
/* Prints a console notice when DHCP changed the address (net_notice.c). */
void net_notice_poll(struct keel *k, uint32_t now_ms);
#endif
