# Builds build/bench/lwip-<board>.elf: lwIP 2.1.3 (unpacked by
# bench/fetch-lwip.sh into build/bench/lwip-src, never committed) with
# keel's port glue in bench/lwip/, keel's board/ and drivers/, and the
# same compiler flags, linker script and startup as keel's firmware.
#   make -f bench/lwip/lwip.mk BOARD=lm3s6965evb
BOARD ?= lm3s6965evb
CROSS ?= arm-none-eabi-
LWIP ?= build/bench/lwip-src
OUT := build/bench
OBJ := $(OUT)/obj-lwip-$(BOARD)
ELF := $(OUT)/lwip-$(BOARD).elf

include board/$(BOARD)/board.mk

LWIP_SRCS := $(addprefix $(LWIP)/src/core/, init.c def.c inet_chksum.c ip.c mem.c \
	memp.c netif.c pbuf.c stats.c tcp.c tcp_in.c tcp_out.c timeouts.c) \
	$(addprefix $(LWIP)/src/core/ipv4/, etharp.c icmp.c ip4.c ip4_addr.c ip4_frag.c) \
	$(LWIP)/src/netif/ethernet.c
GLUE_SRCS := $(sort $(wildcard bench/lwip/*.c))
BOARD_ALL := $(sort $(wildcard board/cortex-m/*.c)) $(BOARD_SRCS)

# Code generation exactly as keel's (Makefile TARGET_CFLAGS); keel's
# warnings as errors for our own code, lwIP's code gets -w (not ours to fix).
CODEGEN := -mcpu=cortex-m3 -mthumb -Os -g3 -std=c11 -ffunction-sections -fdata-sections \
	-fno-common -ffreestanding -DKEEL_BOARD=\"$(BOARD)\"
WARN := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes
INCS := -Ibench/lwip -I$(LWIP)/src/include -Istack/include -Idrivers -Iboard -Iboard/cortex-m -Iboard/$(BOARD)
LDFLAGS := -mcpu=cortex-m3 -mthumb -nostartfiles --specs=nano.specs \
	-Lboard/$(BOARD) -Tlinker.ld -Wl,--gc-sections -Wl,-Map=$(OUT)/lwip-$(BOARD).map

LWIP_OBJS := $(patsubst $(LWIP)/%.c,$(OBJ)/lwip/%.o,$(LWIP_SRCS))
OWN_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(GLUE_SRCS) $(BOARD_ALL))

all: $(ELF)

$(OBJ)/lwip/%.o: $(LWIP)/%.c bench/lwip/lwipopts.h
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CODEGEN) -w $(INCS) -MMD -MP -c $< -o $@

$(OBJ)/%.o: %.c bench/lwip/lwipopts.h
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CODEGEN) $(WARN) $(INCS) -MMD -MP -c $< -o $@

$(ELF): $(LWIP_OBJS) $(OWN_OBJS) linker.ld board/$(BOARD)/memory.ld
	$(CROSS)gcc $(LDFLAGS) $(LWIP_OBJS) $(OWN_OBJS) -o $@
	@scripts/footprint.sh $@ $(CROSS)

.PHONY: all
-include $(LWIP_OBJS:.o=.d) $(OWN_OBJS:.o=.d)
