# Builds build/bench/icount-arm-<stack>-<board>.elf: the instruction-count
# phases (icount_main.c, the scripted peer, the fake MAC) with keel or lwIP
# for the Cortex-M board, with the firmware's flags (board/cortex-m/flags.mk),
# linker script and startup; run under QEMU -icount by bench/icount_arm.py.
# And build/bench/icount-arm-fw-<board>.elf for the held rows (the O(1)
# check): keel with the board's own pool sizes (BOARD_CFLAGS, as the
# firmware image: 10,240 TCBs on mps2-an385) and the firmware's services
# (firmware/apps.c, fw_side.c).
#   make -f bench/icount/icount_target.mk BOARD=mps2-an385
BOARD ?= mps2-an385
CROSS ?= arm-none-eabi-
OUT := build/bench
OBJ := $(OUT)/obj-icount-arm-$(BOARD)

include board/$(BOARD)/board.mk
include board/cortex-m/flags.mk
include bench/lwip/sources.mk

# The stack's default configuration, as the host counts use.
CODEGEN := $(TARGET_CODEGEN) -DKEEL_BOARD=\"$(BOARD)\" -DKEEL_ICOUNT_TARGET
WARN := $(TARGET_WARN)
BOARD_INCS := -Ifirmware -Idrivers -Iboard -Iboard/cortex-m -Iboard/$(BOARD)
LDFLAGS = $(TARGET_LINK) -Lboard/$(BOARD) -Tlinker.ld -Wl,-Map=$@.map
COMMON := bench/icount/icount_main.c bench/icount/peer.c bench/icount/fake_netdev.c \
	bench/icount/side_source.c bench/icount/target.c firmware/fmt.c
BOARD_ALL := $(sort $(wildcard board/cortex-m/*.c)) $(BOARD_SRCS)
STACK_SRCS := $(sort $(wildcard stack/*.c stack/*/*.c))
DEPS := board/cortex-m/flags.mk bench/icount/icount_target.mk bench/lwip/sources.mk \
	$(wildcard bench/icount/*.h) bench/lwip/lwipopts.h

KEEL_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(COMMON) bench/icount/keel_side.c $(BOARD_ALL) $(STACK_SRCS))
LWIP_OWN := $(patsubst %.c,$(OBJ)/lwip-own/%.o,$(COMMON) bench/icount/lwip_side.c \
	bench/lwip/netif_keel.c $(BOARD_ALL))
LWIP_OBJS := $(patsubst $(LWIP)/%.c,$(OBJ)/lwip/%.o,$(LWIP_SRCS))

# The held image: its own objects, every file built with the board's pools.
FW_OBJ := $(OUT)/obj-icount-fw-$(BOARD)
FW_APPS := firmware/apps.c firmware/app_echo.c firmware/app_discard.c firmware/app_daytime.c \
	firmware/app_chargen.c firmware/app_udp_echo.c
FW_OBJS := $(patsubst %.c,$(FW_OBJ)/%.o,$(COMMON) bench/icount/fw_side.c $(FW_APPS) $(BOARD_ALL) \
	$(STACK_SRCS))

all: $(OUT)/icount-arm-keel-$(BOARD).elf $(OUT)/icount-arm-lwip-$(BOARD).elf \
	$(OUT)/icount-arm-fw-$(BOARD).elf

$(OBJ)/stack/%.o: stack/%.c $(DEPS)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CODEGEN) $(WARN) -Istack -Istack/lib -Istack/link -Istack/ip -Istack/svc \
		-Istack/tcp -Istack/include -MMD -MP -c $< -o $@

$(OBJ)/%.o: %.c $(DEPS)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CODEGEN) $(WARN) -Ibench/icount -Istack/include $(BOARD_INCS) -MMD -MP -c $< -o $@

$(OBJ)/lwip/%.o: $(LWIP)/%.c $(DEPS)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CODEGEN) -w -Ibench/lwip -I$(LWIP)/src/include -MMD -MP -c $< -o $@

$(OBJ)/lwip-own/%.o: %.c $(DEPS)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CODEGEN) $(WARN) -Ibench/icount -Ibench/lwip -I$(LWIP)/src/include \
		-Istack/include $(BOARD_INCS) -MMD -MP -c $< -o $@

$(OUT)/icount-arm-keel-$(BOARD).elf: $(KEEL_OBJS) linker.ld board/$(BOARD)/memory.ld
	$(CROSS)gcc $(LDFLAGS) $(KEEL_OBJS) -o $@

$(OUT)/icount-arm-lwip-$(BOARD).elf: $(LWIP_OWN) $(LWIP_OBJS) linker.ld board/$(BOARD)/memory.ld
	$(CROSS)gcc $(LDFLAGS) $(LWIP_OWN) $(LWIP_OBJS) -o $@

$(FW_OBJ)/stack/%.o: stack/%.c $(DEPS)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CODEGEN) $(BOARD_CFLAGS) $(WARN) -Istack -Istack/lib -Istack/link -Istack/ip \
		-Istack/svc -Istack/tcp -Istack/include -MMD -MP -c $< -o $@

$(FW_OBJ)/%.o: %.c $(DEPS)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CODEGEN) $(BOARD_CFLAGS) $(WARN) -Ibench/icount -Istack/include $(BOARD_INCS) \
		-MMD -MP -c $< -o $@

$(OUT)/icount-arm-fw-$(BOARD).elf: $(FW_OBJS) linker.ld board/$(BOARD)/memory.ld
	$(CROSS)gcc $(LDFLAGS) $(FW_OBJS) -o $@

.PHONY: all
-include $(KEEL_OBJS:.o=.d) $(LWIP_OWN:.o=.d) $(LWIP_OBJS:.o=.d) $(FW_OBJS:.o=.d)
