# Builds build/bench/ceiling-<board>.elf: bench/ceiling/ceiling.c on keel's
# board/ and drivers/, with keel's flags (board/cortex-m/flags.mk), linker
# script and startup; no TCP/IP stack.
#   make -f bench/ceiling/ceiling.mk BOARD=lm3s6965evb
BOARD ?= lm3s6965evb
CROSS ?= arm-none-eabi-
OUT := build/bench
OBJ := $(OUT)/obj-ceiling-$(BOARD)
ELF := $(OUT)/ceiling-$(BOARD).elf

include board/$(BOARD)/board.mk
include board/cortex-m/flags.mk

SRCS := bench/ceiling/ceiling.c $(sort $(wildcard board/cortex-m/*.c)) $(BOARD_SRCS)
OBJS := $(patsubst %.c,$(OBJ)/%.o,$(SRCS))
CFLAGS := $(TARGET_CODEGEN) $(TARGET_WARN) -DKEEL_BOARD=\"$(BOARD)\" \
	-Istack/include -Idrivers -Iboard -Iboard/cortex-m -Iboard/$(BOARD)
LDFLAGS := $(TARGET_LINK) -Lboard/$(BOARD) -Tlinker.ld -Wl,-Map=$(OUT)/ceiling-$(BOARD).map
FLAG_DEPS := board/cortex-m/flags.mk bench/ceiling/ceiling.mk

all: $(ELF)

$(OBJ)/%.o: %.c $(FLAG_DEPS)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CFLAGS) -MMD -MP -c $< -o $@

$(ELF): $(OBJS) linker.ld board/$(BOARD)/memory.ld $(FLAG_DEPS)
	$(CROSS)gcc $(LDFLAGS) $(OBJS) -o $@

.PHONY: all
-include $(OBJS:.o=.d)
