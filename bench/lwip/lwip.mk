# Builds build/bench/lwip-<board>.elf: lwIP 2.1.3 (unpacked by
# bench/fetch-lwip.sh into build/bench/lwip-src, never committed) with
# keel's port glue in bench/lwip/, keel's board/ and drivers/, and the
# same compiler flags, linker script and startup as keel's firmware.
#   make -f bench/lwip/lwip.mk BOARD=lm3s6965evb
# A variant (VARIANT=budget) is the same code with BENCH_DEFS (pool sizes,
# -D... from bench/budget.py) into build/bench/lwip-<variant>-<board>.elf;
# a change of BENCH_DEFS rebuilds it (the defines are kept in a file).
BOARD ?= lm3s6965evb
CROSS ?= arm-none-eabi-
OUT := build/bench
VARIANT ?=
BENCH_DEFS ?=
NAME := lwip$(if $(VARIANT),-$(VARIANT))-$(BOARD)
OBJ := $(OUT)/obj-$(NAME)
ELF := $(OUT)/$(NAME).elf
DEFS_FILE := $(OBJ)/bench_defs

include board/$(BOARD)/board.mk
include board/cortex-m/flags.mk

include bench/lwip/sources.mk
GLUE_SRCS := $(sort $(wildcard bench/lwip/*.c))
BOARD_ALL := $(sort $(wildcard board/cortex-m/*.c)) $(BOARD_SRCS)

# Code generation from keel's own flags file (board/cortex-m/flags.mk);
# keel's warnings as errors for our glue, lwIP's code gets -w (not ours
# to fix; warnings do not change the generated code).
CODEGEN := $(TARGET_CODEGEN) -DKEEL_BOARD=\"$(BOARD)\" $(BENCH_DEFS)
WARN := $(TARGET_WARN)
INCS := -Ibench/lwip -I$(LWIP)/src/include -Istack/include -Idrivers -Iboard -Iboard/cortex-m -Iboard/$(BOARD)
LDFLAGS := $(TARGET_LINK) -Lboard/$(BOARD) -Tlinker.ld -Wl,-Map=$(OUT)/$(NAME).map
# Objects rebuild when the flags (or this file) change.
FLAG_DEPS := board/cortex-m/flags.mk bench/lwip/lwip.mk bench/lwip/sources.mk $(DEFS_FILE)

LWIP_OBJS := $(patsubst $(LWIP)/%.c,$(OBJ)/lwip/%.o,$(LWIP_SRCS))
OWN_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(GLUE_SRCS) $(BOARD_ALL))

all: $(ELF)

# Rewritten only when the defines change, so objects rebuild only then.
$(DEFS_FILE): FORCE
	@mkdir -p $(dir $@)
	@echo '$(BENCH_DEFS)' | cmp -s - $@ || echo '$(BENCH_DEFS)' > $@
FORCE:

$(OBJ)/lwip/%.o: $(LWIP)/%.c bench/lwip/lwipopts.h $(FLAG_DEPS)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CODEGEN) -w $(INCS) -MMD -MP -c $< -o $@

$(OBJ)/%.o: %.c bench/lwip/lwipopts.h $(FLAG_DEPS)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(CODEGEN) $(WARN) $(INCS) -MMD -MP -c $< -o $@

$(ELF): $(LWIP_OBJS) $(OWN_OBJS) linker.ld board/$(BOARD)/memory.ld $(FLAG_DEPS)
	$(CROSS)gcc $(LDFLAGS) $(LWIP_OBJS) $(OWN_OBJS) -o $@
	@scripts/footprint.sh $@ $(CROSS)

.PHONY: all FORCE
-include $(LWIP_OBJS:.o=.d) $(OWN_OBJS:.o=.d)
