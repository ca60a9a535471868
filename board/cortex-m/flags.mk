# Compiler and linker flags of every Cortex-M image: keel's firmware
# (Makefile) and the lwIP benchmark image (bench/lwip/lwip.mk) both take
# them from here, so the benchmark compares stacks, not compilers.
# bench/run prints both compile lines and fails if they differ in anything
# but include paths, stack-specific defines and warnings.
# No -ffreestanding: with it GCC turns small memcpy/memset/memcmp into
# library calls instead of inlining them (newlib-nano provides them anyway).
TARGET_CPU := -mcpu=cortex-m3 -mthumb
TARGET_CODEGEN := $(TARGET_CPU) -Os -g3 -std=c11 -ffunction-sections -fdata-sections -fno-common
TARGET_WARN := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes
TARGET_LINK := $(TARGET_CPU) -nostartfiles --specs=nano.specs -Wl,--gc-sections
# The instruction counts (bench/icount/) build both stacks for the host,
# under callgrind: the same optimisation for both.
ICOUNT_CODEGEN := -Os -g -std=c11 -fno-common
