/* lwIP architecture glue for keel's Cortex-M boards (arm-none-eabi-gcc,
 * newlib-nano): little endian, no printf, no assert output. */
#ifndef KEEL_BENCH_ARCH_CC_H
#define KEEL_BENCH_ARCH_CC_H
#include <stdint.h>

#define BYTE_ORDER LITTLE_ENDIAN
#define LWIP_PLATFORM_DIAG(x) do { } while (0)
/* Unused with LWIP_NOASSERT; halts where a debugger can see it otherwise. */
#define LWIP_PLATFORM_ASSERT(x) do { for (;;) { } } while (0)
/* Local port choice at start-up (keel's firmware never connects out). */
uint32_t bench_rand(void);
#define LWIP_RAND() bench_rand()
#endif
