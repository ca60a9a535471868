# keel: one entry point.  `make help` lists the targets.
BOARD ?= lm3s6965evb
BOARDS := lm3s6965evb mps2-an385
BUILD := build/$(BOARD)
CROSS ?= arm-none-eabi-
PY := /usr/bin/python3

include board/$(BOARD)/board.mk
include board/cortex-m/flags.mk

STACK_SRCS := $(sort $(wildcard stack/*.c))
FW_SRCS := $(sort $(wildcard firmware/*.c))
COMMON_BOARD_SRCS := $(sort $(wildcard board/cortex-m/*.c))
TARGET_SRCS := $(STACK_SRCS) $(FW_SRCS) $(COMMON_BOARD_SRCS) $(BOARD_SRCS)
TARGET_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(TARGET_SRCS))

WARN := $(TARGET_WARN)
INCS := -Istack -Idrivers -Iboard -Iboard/cortex-m -Iboard/$(BOARD) -Ifirmware
BUILD_ID := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
TARGET_CFLAGS := $(TARGET_CODEGEN) $(WARN) $(INCS) \
	-DKEEL_BOARD=\"$(BOARD)\" -DKEEL_BUILD_ID=\"$(BUILD_ID)\" $(EXTRA_CFLAGS)
TARGET_LDFLAGS := $(TARGET_LINK) -Lboard/$(BOARD) -Tlinker.ld -Wl,-Map=$(BUILD)/keel.map

.PHONY: FORCE all help run test flash clean deps test-unit test-tcp test-qemu test-fuzz bench boards \
	bench-quick bench-clients
all: $(BUILD)/keel.elf $(BUILD)/keel.bin

help:
	@echo "make [BOARD=lm3s6965evb|mps2-an385]  build build/<board>/keel.elf and .bin"
	@echo "make run                            boot it in qemu-system-arm, console on this terminal"
	@echo "make test                           every test: unit, tcp scripts, qemu (both boards)"
	@echo "make flash                          program an EK-LM3S6965 through OpenOCD"

deps-%:
	@scripts/deps.sh $*

# The build id is compiled in (banner, version, /metrics): a stamp that
# changes only with the id rebuilds the objects when it does.
$(BUILD)/build_id.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(BUILD_ID)' | cmp -s - $@ || echo '$(BUILD_ID)' > $@

$(BUILD)/%.o: %.c $(BUILD)/build_id.stamp board/cortex-m/flags.mk
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(TARGET_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/keel.elf: $(TARGET_OBJS) linker.ld board/$(BOARD)/memory.ld board/cortex-m/flags.mk
	$(CROSS)gcc $(TARGET_LDFLAGS) $(TARGET_OBJS) -o $@
	@scripts/footprint.sh $@ $(CROSS)

$(BUILD)/keel.bin: $(BUILD)/keel.elf
	$(CROSS)objcopy -O binary $< $@

boards:
	@for b in $(BOARDS); do $(MAKE) --no-print-directory BOARD=$$b all || exit 1; done

# QEMU user networking on 192.0.2.0/24: the host is 192.0.2.1 and its ports
# below are forwarded to the firmware's services at 192.0.2.2.
RUN_FWD := hostfwd=tcp:127.0.0.1:7007-192.0.2.2:7,hostfwd=tcp:127.0.0.1:7013-192.0.2.2:13,hostfwd=tcp:127.0.0.1:7019-192.0.2.2:19,hostfwd=tcp:127.0.0.1:8080-192.0.2.2:80,hostfwd=tcp:127.0.0.1:5001-192.0.2.2:5001
run: deps-run all
	@echo "keel on $(BOARD): console below (Ctrl-A X quits QEMU)."
	@echo "forwarded: localhost:7007->echo 7, :7013->daytime 13, :7019->chargen 19, :8080->http 80, :5001->iperf 5001"
	qemu-system-arm -M $(QEMU_MACHINE) -nographic -serial mon:stdio -kernel $(BUILD)/keel.elf \
		-nic user,net=192.0.2.0/24,host=192.0.2.1,dhcpstart=192.0.2.100,restrict=on,$(RUN_FWD),model=$(QEMU_NIC_MODEL)

flash: all
	openocd -f board/ek-lm3s6965.cfg -c "program $(BUILD)/keel.elf verify reset exit"

# ---- host tests: the portable stack under ASan and UBSan ----
HOST_BUILD := build/host
HOST_CC ?= gcc
HOST_CFLAGS := -std=c11 -g -O1 $(WARN) -Wno-missing-prototypes -Istack -Itests \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
UNIT_TESTS := $(patsubst tests/unit/%.c,$(HOST_BUILD)/unit/%,$(sort $(wildcard tests/unit/test_*.c)))
TCP_TEST_SRCS := $(sort $(wildcard tests/tcp/*.c))

$(HOST_BUILD)/unit/%: tests/unit/%.c $(STACK_SRCS) $(wildcard stack/*.h) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $< $(STACK_SRCS) -o $@ -lcmocka

$(HOST_BUILD)/tcp/tcp_scripts: $(TCP_TEST_SRCS) $(STACK_SRCS) $(wildcard stack/*.h) $(wildcard tests/tcp/*.h)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(TCP_TEST_SRCS) $(STACK_SRCS) -o $@

test-unit: deps-test $(UNIT_TESTS)
	@set -e; for t in $(UNIT_TESTS); do echo "== $$t"; $$t; done

test-tcp: deps-test $(if $(TCP_TEST_SRCS),$(HOST_BUILD)/tcp/tcp_scripts)
	@if [ -n "$(TCP_TEST_SRCS)" ]; then $(HOST_BUILD)/tcp/tcp_scripts; fi

# libFuzzer on the frame input path (tests/fuzz/fuzz_frame.c), bounded in time.
FUZZ_CC ?= clang
FUZZ_TIME ?= 20
FUZZ_CFLAGS := -std=c11 -g -O1 $(WARN) -Wno-missing-prototypes -Istack -Itests \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
$(HOST_BUILD)/fuzz/fuzz_frame: tests/fuzz/fuzz_frame.c $(STACK_SRCS) $(wildcard stack/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(STACK_SRCS) -o $@

test-fuzz: deps-test $(HOST_BUILD)/fuzz/fuzz_frame
	@mkdir -p $(HOST_BUILD)/fuzz/corpus
	$(HOST_BUILD)/fuzz/fuzz_frame -max_total_time=$(FUZZ_TIME) -timeout=10 -print_final_stats=1 \
		$(HOST_BUILD)/fuzz/corpus

test-nomalloc: boards
	@scripts/check-nomalloc.sh $(CROSS) $(foreach b,$(BOARDS),build/$(b)/keel.elf)

test-qemu: deps-test boards
	cd tests/qemu && $(PY) -m pytest -v -p no:cacheprovider $(PYTEST_ARGS)

test: deps-test
	$(MAKE) --no-print-directory test-unit
	$(MAKE) --no-print-directory test-tcp
	$(MAKE) --no-print-directory test-nomalloc
	$(MAKE) --no-print-directory test-qemu
	$(MAKE) --no-print-directory bench-quick

# keel against lwIP 2.1.3 on the same board, driver, services and flags
# (bench/run, bench/README.md); needs root (namespaces, TAP) like test-qemu.
# `make bench` is the full run (both boards, 9 pairs per row, ~15 min on a
# quiet machine; not part of `make test`).  `make bench-quick` is one board,
# small transfers, 3 pairs: inside `make test`, it checks that the bench
# still runs and writes well-formed results, never how fast anything is.
BENCH_CLIENTS := build/bench/connrate build/bench/echo_rtt build/bench/blast
build/bench/%: bench/client/%.c
	@mkdir -p $(dir $@)
	$(HOST_CC) -O2 -std=gnu11 $(WARN) -Wno-missing-prototypes $< -o $@

bench-clients: $(BENCH_CLIENTS)

bench: deps-bench boards
	$(PY) bench/run

bench-quick: deps-bench boards
	$(PY) -m pytest -q -p no:cacheprovider bench/test_stats.py
	BENCH_QUICK=1 BENCH_OUT=build/bench/quick $(PY) bench/run
	$(PY) bench/check_results.py build/bench/quick/results.json

clean:
	rm -rf build

-include $(TARGET_OBJS:.o=.d)
