# keel: one entry point.  `make help` lists the targets.
BOARD ?= lm3s6965evb
BOARDS := lm3s6965evb mps2-an385
BUILD := build/$(BOARD)
CROSS ?= arm-none-eabi-
PY := /usr/bin/python3

include board/$(BOARD)/board.mk

STACK_SRCS := $(sort $(wildcard stack/*.c))
FW_SRCS := $(sort $(wildcard firmware/*.c))
COMMON_BOARD_SRCS := $(sort $(wildcard board/cortex-m/*.c))
TARGET_SRCS := $(STACK_SRCS) $(FW_SRCS) $(COMMON_BOARD_SRCS) $(BOARD_SRCS)
TARGET_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(TARGET_SRCS))

WARN := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes
INCS := -Istack -Idrivers -Iboard -Iboard/cortex-m -Iboard/$(BOARD) -Ifirmware
BUILD_ID := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
TARGET_CFLAGS := -mcpu=cortex-m3 -mthumb -Os -g3 -std=c11 $(WARN) $(INCS) \
	-ffunction-sections -fdata-sections -fno-common \
	-DKEEL_BOARD=\"$(BOARD)\" -DKEEL_BUILD_ID=\"$(BUILD_ID)\" $(EXTRA_CFLAGS)
TARGET_LDFLAGS := -mcpu=cortex-m3 -mthumb -nostartfiles --specs=nano.specs \
	-Lboard/$(BOARD) -Tlinker.ld -Wl,--gc-sections -Wl,-Map=$(BUILD)/keel.map

.PHONY: FORCE all help run test flash clean deps test-unit test-tcp test-qemu test-fuzz fuzz fuzz-seeds bench boards
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

$(BUILD)/%.o: %.c $(BUILD)/build_id.stamp
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(TARGET_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/keel.elf: $(TARGET_OBJS) linker.ld board/$(BOARD)/memory.ld
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

# libFuzzer (tests/fuzz/README.md): fuzz_tcp, the stateful TCP target, and
# fuzz_frame, single frames into the lower layers.  `make fuzz` runs one
# target (FUZZ_TARGET, default fuzz_tcp) for FUZZ_SECONDS with the committed
# corpus as seed, new inputs kept in build/; `make test-fuzz` (part of `make
# test`) replays each committed corpus and fuzzes each target a bounded
# while, FUZZ_TEST_SECONDS in all.  `make fuzz-seeds` re-records the TCP
# corpus from the packet scripts.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 300
FUZZ_TARGET ?= fuzz_tcp
FUZZ_TEST_SECONDS ?= 45
FUZZ_TARGETS := fuzz_tcp fuzz_frame
FUZZ_CFLAGS := -std=c11 -g -O1 $(WARN) -Wno-missing-prototypes -Istack -Itests -Itests/fuzz \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-fsanitize-coverage-ignorelist=tests/fuzz/coverage-ignore.txt
FUZZ_FLAGS := -timeout=10 -print_final_stats=1 -artifact_prefix=$(HOST_BUILD)/fuzz/
$(HOST_BUILD)/fuzz/fuzz_frame: tests/fuzz/fuzz_frame.c $(STACK_SRCS) $(wildcard stack/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(STACK_SRCS) -o $@
$(HOST_BUILD)/fuzz/fuzz_tcp: tests/fuzz/fuzz_tcp.c tests/fuzz/tcp_invariants.c $(wildcard tests/fuzz/*.h) \
		$(STACK_SRCS) $(wildcard stack/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_tcp.c tests/fuzz/tcp_invariants.c $(STACK_SRCS) -o $@

fuzz: deps-test $(HOST_BUILD)/fuzz/$(FUZZ_TARGET)
	@mkdir -p $(HOST_BUILD)/fuzz/corpus-$(FUZZ_TARGET) tests/fuzz/corpus/$(FUZZ_TARGET:fuzz_%=%)
	$(HOST_BUILD)/fuzz/$(FUZZ_TARGET) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) \
		$(HOST_BUILD)/fuzz/corpus-$(FUZZ_TARGET) tests/fuzz/corpus/$(FUZZ_TARGET:fuzz_%=%)

test-fuzz: deps-test $(FUZZ_TARGETS:%=$(HOST_BUILD)/fuzz/%)
	@set -e; n=$(words $(FUZZ_TARGETS)); for f in $(FUZZ_TARGETS); do \
		c=tests/fuzz/corpus/$${f#fuzz_}; w=$(HOST_BUILD)/fuzz/test-corpus-$$f; \
		rm -rf $$w; mkdir -p $$w $$c; \
		echo "== $$f: replay $$c"; $(HOST_BUILD)/fuzz/$$f -runs=0 $(FUZZ_FLAGS) $$c; \
		echo "== $$f: $$(( $(FUZZ_TEST_SECONDS) / $$n )) s"; \
		$(HOST_BUILD)/fuzz/$$f -max_total_time=$$(( $(FUZZ_TEST_SECONDS) / $$n )) $(FUZZ_FLAGS) $$w $$c; \
	done

fuzz-seeds: $(HOST_BUILD)/tcp/tcp_scripts
	rm -rf tests/fuzz/corpus/tcp && mkdir -p tests/fuzz/corpus/tcp
	KEEL_FUZZ_RECORD=tests/fuzz/corpus/tcp $(HOST_BUILD)/tcp/tcp_scripts > /dev/null

test-nomalloc: boards
	@scripts/check-nomalloc.sh $(CROSS) $(foreach b,$(BOARDS),build/$(b)/keel.elf)

test-qemu: deps-test boards
	cd tests/qemu && $(PY) -m pytest -v -p no:cacheprovider $(PYTEST_ARGS)

test: deps-test
	$(MAKE) --no-print-directory test-unit
	$(MAKE) --no-print-directory test-tcp
	$(MAKE) --no-print-directory test-nomalloc
	$(MAKE) --no-print-directory test-fuzz
	$(MAKE) --no-print-directory test-qemu

# keel against lwIP 2.1.3 on the same board, driver and services (bench/run):
# not part of `make test`; needs root (namespaces, TAP) like test-qemu.
bench:
	$(PY) bench/run

clean:
	rm -rf build

-include $(TARGET_OBJS:.o=.d)
