# Builds build/bench/icount-keel and build/bench/icount-lwip: each stack
# for the host with the same flags (ICOUNT_CODEGEN in
# board/cortex-m/flags.mk), the scripted peer and the fake MAC; run under
# callgrind by bench/icount.py.
#   make -f bench/icount/icount.mk
HOST_CC ?= gcc
OUT := build/bench
OBJ := $(OUT)/obj-icount

include board/cortex-m/flags.mk
include bench/lwip/sources.mk

COMMON := bench/icount/icount_main.c bench/icount/peer.c bench/icount/fake_netdev.c \
	bench/icount/side_source.c bench/icount/host.c
KEEL_SRCS := $(COMMON) bench/icount/keel_side.c
STACK_SRCS := $(sort $(wildcard stack/*.c stack/*/*.c))
LWIP_OWN := $(COMMON) bench/icount/lwip_side.c bench/lwip/netif_keel.c
WARN := $(TARGET_WARN)
KEEL_INCS := -Ibench/icount -Istack/include
LWIP_INCS := -Ibench/icount -Ibench/lwip -I$(LWIP)/src/include -Istack/include
DEPS := board/cortex-m/flags.mk bench/icount/icount.mk bench/lwip/sources.mk \
	$(wildcard bench/icount/*.h) $(wildcard stack/*.h stack/*/*.h stack/include/keel/*.h) bench/lwip/lwipopts.h

all: $(OUT)/icount-keel $(OUT)/icount-lwip

# keel's own files see their private headers, the rest only the public API.
$(OBJ)/stack/%.o: stack/%.c $(DEPS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(ICOUNT_CODEGEN) $(WARN) -Istack -Istack/lib -Istack/link -Istack/ip -Istack/svc -Istack/tcp -Istack/include -c $< -o $@

$(OUT)/icount-keel: $(KEEL_SRCS) $(patsubst %.c,$(OBJ)/%.o,$(STACK_SRCS)) $(DEPS)
	@mkdir -p $(OUT)
	$(HOST_CC) $(ICOUNT_CODEGEN) $(WARN) $(KEEL_INCS) $(KEEL_SRCS) \
		$(patsubst %.c,$(OBJ)/%.o,$(STACK_SRCS)) -o $@

# lwIP's own files with -w (not ours to fix), ours with keel's warnings.
$(OBJ)/lwip/%.o: $(LWIP)/%.c $(DEPS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(ICOUNT_CODEGEN) -w $(LWIP_INCS) -c $< -o $@

$(OUT)/icount-lwip: $(LWIP_OWN) $(patsubst $(LWIP)/%.c,$(OBJ)/lwip/%.o,$(LWIP_SRCS)) $(DEPS)
	$(HOST_CC) $(ICOUNT_CODEGEN) $(WARN) $(LWIP_INCS) $(LWIP_OWN) \
		$(patsubst $(LWIP)/%.c,$(OBJ)/lwip/%.o,$(LWIP_SRCS)) -o $@

.PHONY: all
