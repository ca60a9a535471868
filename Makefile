# keel: one entry point.  `make help` lists the targets.
BOARD ?= lm3s6965evb
BOARDS := lm3s6965evb mps2-an385
BUILD := build/$(BOARD)
CROSS ?= arm-none-eabi-
PY := /usr/bin/python3

include board/$(BOARD)/board.mk
include board/cortex-m/flags.mk

# The stack's layers (docs/DESIGN.md, layout): lib, link, ip, svc, tcp, and
# the instance on top in stack/ itself.
STACK_LAYERS := lib link ip svc tcp
STACK_DIRS := stack $(STACK_LAYERS:%=stack/%)
STACK_SRCS := $(sort $(wildcard stack/*.c stack/*/*.c))
STACK_HDRS := $(wildcard $(STACK_DIRS:%=%/*.h))
FW_SRCS := $(sort $(wildcard firmware/*.c))
COMMON_BOARD_SRCS := $(sort $(wildcard board/cortex-m/*.c))
TARGET_SRCS := $(STACK_SRCS) $(FW_SRCS) $(COMMON_BOARD_SRCS) $(BOARD_SRCS)
TARGET_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(TARGET_SRCS))

WARN := $(TARGET_WARN)
# Include paths by layer: the stack sees its own headers; firmware sees the
# public API (stack/include/keel/) and the board contract, nothing else of
# the stack (check-includes.sh checks the source too); boards and drivers
# see the public API (keel/port.h is the driver contract) and each other.
PUBLIC_INCS := -Istack/include
STACK_INCS := $(STACK_DIRS:%=-I%) $(PUBLIC_INCS)
FW_INCS := -Ifirmware $(PUBLIC_INCS) -Iboard -Iboard/cortex-m
BOARD_INCS := $(PUBLIC_INCS) -Idrivers -Iboard -Iboard/cortex-m -Iboard/$(BOARD)
BUILD_ID := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
TARGET_CFLAGS := $(TARGET_CODEGEN) $(WARN) -DKEEL_BOARD=\"$(BOARD)\" $(BOARD_CFLAGS) $(EXTRA_CFLAGS)
TARGET_LDFLAGS := $(TARGET_LINK) -Lboard/$(BOARD) -Tlinker.ld -Wl,-Map=$(BUILD)/keel.map

.PHONY: FORCE all help run test flash clean deps test-unit test-tcp test-qemu test-fuzz fuzz fuzz-seeds \
	test-static test-stack coverage coverage-html bench boards test-structure bench-quick bench-clients soak
all: $(BUILD)/keel.elf $(BUILD)/keel.bin

help:
	@echo "make [BOARD=lm3s6965evb|mps2-an385]  build build/<board>/keel.elf and .bin"
	@echo "make run                            boot it in qemu-system-arm, console on this terminal"
	@echo "make test                           every test: structure checks, unit, tcp scripts, qemu (both boards)"
	@echo "make flash                          program an EK-LM3S6965 through OpenOCD"
	@echo "make soak DURATION=600              the soak under QEMU, both boards, DURATION seconds each (root)"
	@echo "make bench                          keel against lwIP 2.1.3, both boards (root, ~12 min)"
	@echo "make bench-quick                    the same in seconds, one board (part of make test)"

deps-%:
	@scripts/deps.sh $*

# The build id (banner, version, /metrics) is compiled into one object,
# firmware/build_id.o: a stamp that changes only with the id rebuilds that
# object when it does, and a new commit costs one compile and a link.
$(BUILD)/build_id.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(BUILD_ID)' | cmp -s - $@ || echo '$(BUILD_ID)' > $@

$(BUILD)/stack/%.o: LAYER_INCS = $(STACK_INCS)
$(BUILD)/firmware/%.o: LAYER_INCS = $(FW_INCS)
$(BUILD)/board/%.o $(BUILD)/drivers/%.o: LAYER_INCS = $(BOARD_INCS)
$(BUILD)/%.o: %.c board/cortex-m/flags.mk $(wildcard board/$(BOARD)/config.mk)
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(TARGET_CFLAGS) $(LAYER_INCS) -MMD -MP -c $< -o $@

$(BUILD)/firmware/build_id.o: firmware/build_id.c $(BUILD)/build_id.stamp
	@mkdir -p $(dir $@)
	$(CROSS)gcc $(TARGET_CFLAGS) $(FW_INCS) -DKEEL_BUILD_ID=\"$(BUILD_ID)\" -MMD -MP -c $< -o $@

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
		-nic user,net=192.0.2.0/24,host=192.0.2.1,dhcpstart=192.0.2.2,restrict=on,$(RUN_FWD),model=$(QEMU_NIC_MODEL)

flash: all
	openocd -f board/ek-lm3s6965.cfg -c "program $(BUILD)/keel.elf verify reset exit"

# ---- host tests: the portable stack under ASan and UBSan ----
# The stack is compiled once into build/host/libkeel.a; each test binary
# compiles only its own files and links the library.  Firmware tests
# (tests/unit/test_fw_*.c) also link the firmware objects they name in
# FW_TEST_OBJS and a fake board (tests/unit/fake_board.c).
HOST_BUILD := build/host
HOST_OBJ := $(HOST_BUILD)/obj
HOST_CC ?= gcc
HOST_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# The host's pools (config.h's defaults) but for a keepalive table smaller
# than its 8 TCBs, so the packet scripts can fill it (test_keepalive_profiles.c).
HOST_CONFIG := -DKEEL_TCP_KA_PROFILES=4
HOST_CFLAGS := -std=c11 -g -O1 $(WARN) -Wno-missing-prototypes $(STACK_INCS) -Itests $(HOST_CONFIG) $(HOST_SAN)
HOST_FW_CFLAGS := -std=c11 -g -O1 $(WARN) -Wno-missing-prototypes $(FW_INCS) -Itests \
	-DKEEL_BOARD=\"host\" $(HOST_CONFIG) $(HOST_SAN)
LIBKEEL := $(HOST_BUILD)/libkeel.a
STACK_HOST_OBJS := $(patsubst %.c,$(HOST_OBJ)/%.o,$(STACK_SRCS))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(HOST_BUILD)/unit/%,$(sort $(wildcard tests/unit/test_*.c)))
TCP_TEST_SRCS := $(sort $(wildcard tests/tcp/*.c)) tests/fuzz/tcp_invariants.c
TCP_TEST_OBJS := $(patsubst %.c,$(HOST_OBJ)/%.o,$(TCP_TEST_SRCS))
# Firmware files each firmware test links (besides libkeel.a).
FW_TEST_OBJS_test_fw_fmt := fmt
FW_TEST_OBJS_test_fw_console := console fmt cmd_help cmd_ifconfig cmd_netstat cmd_ss cmd_sysctl \
	cmd_watch counters
FW_TEST_OBJS_test_fw_api :=
FW_TEST_OBJS_test_fw_apps := apps
FW_TEST_OBJS_test_fw_echo := app_echo
FW_TEST_OBJS_test_fw_services := apps app_echo app_discard
FW_TEST_OBJS_test_fw_daytime := app_daytime
FW_TEST_OBJS_test_fw_http_parse := http_parse
FW_TEST_OBJS_test_fw_history := history history_fmt fmt
FW_HOST_OBJS = $(patsubst %,$(HOST_OBJ)/firmware/%.o,$(FW_TEST_OBJS_$(1)))

$(HOST_OBJ)/stack/%.o $(HOST_OBJ)/tests/%.o: HOST_FLAGS = $(HOST_CFLAGS)
$(HOST_OBJ)/tests/unit/test_fw_%.o $(HOST_OBJ)/firmware/%.o: HOST_FLAGS = $(HOST_FW_CFLAGS)
# The fake board starts a stack instance of its own: it also sees the stack.
$(HOST_OBJ)/tests/unit/fake_board.o: HOST_FLAGS = $(HOST_FW_CFLAGS) $(STACK_INCS)
# Named targets (not only a pattern), so make knows the test links below
# can be made before any object exists.
HOST_ALL_OBJS := $(patsubst %.c,$(HOST_OBJ)/%.o,$(STACK_SRCS) $(FW_SRCS) $(TCP_TEST_SRCS) \
	$(wildcard tests/unit/*.c))
$(HOST_ALL_OBJS): $(HOST_OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_FLAGS) -MMD -MP -c $< -o $@

$(LIBKEEL): $(STACK_HOST_OBJS)
	@rm -f $@
	ar rcs $@ $^

.SECONDARY:
.SECONDEXPANSION:
$(HOST_BUILD)/unit/test_fw_%: $(HOST_OBJ)/tests/unit/test_fw_%.o $$(call FW_HOST_OBJS,test_fw_$$*) \
		$(HOST_OBJ)/tests/unit/fake_board.o $(LIBKEEL) tests/unit/host_cmds.ld
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_SAN) -Wl,-T,tests/unit/host_cmds.ld $(filter %.o %.a,$^) -o $@ -lcmocka

$(HOST_BUILD)/unit/%: $(HOST_OBJ)/tests/unit/%.o $(LIBKEEL)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_SAN) $^ -o $@ -lcmocka

$(HOST_BUILD)/tcp/tcp_scripts: $(TCP_TEST_OBJS) $(LIBKEEL)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_SAN) $^ -o $@

# The tree's shape: firmware/ includes only the public API, and the TCP
# objects form no dependency cycle (the baseline is empty); the cycle
# check is itself checked on objects that do form one.
test-structure: $(LIBKEEL)
	@scripts/check-includes.sh
	@$(PY) scripts/test-check-tcp-cycles.py $(HOST_CC) nm
	@$(PY) scripts/check-tcp-cycles.py nm $(HOST_OBJ)/stack/tcp

test-unit: deps-test $(UNIT_TESTS)
	@set -e; for t in $(UNIT_TESTS); do echo "== $$t"; $$t; done

# The stack with C10K pools (tests/scale/config.mk): many connections,
# timer work per tick, handle generations at full width, an ARP burst,
# and firmware/apps.c's work with them all held (scale_apps_held).
include tests/scale/config.mk
$(HOST_BUILD)/scale/scale: tests/scale/scale.c $(STACK_SRCS) $(STACK_HDRS) tests/scale/config.mk \
		firmware/apps.c firmware/apps.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(KEEL_CONFIG_scale) -Ifirmware $< firmware/apps.c $(STACK_SRCS) -o $@

# The packet scripts that need windows beyond 64 KiB (tests/tcp/wide/):
# the harness and the stack with a 1 MiB chunk arena and no per-connection
# cap below it (KEEL_TCP_BUF_LIMIT), where queue fields are 32 bits and
# keel scales its own window (RFC 7323 §2).
TCP_WIDE_SRCS := $(sort $(wildcard tests/tcp/wide/*.c)) tests/tcp/harness.c tests/tcp/main.c \
	tests/tcp/fuzz_record.c tests/fuzz/tcp_invariants.c
$(HOST_BUILD)/tcp/tcp_scripts_wide: $(TCP_WIDE_SRCS) tests/tcp/harness.h $(STACK_SRCS) $(STACK_HDRS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -Itests/tcp -DKEEL_CHUNK_ARENA=1048576 $(TCP_WIDE_SRCS) $(STACK_SRCS) -o $@

test-tcp: deps-test $(if $(TCP_TEST_SRCS),$(HOST_BUILD)/tcp/tcp_scripts) $(HOST_BUILD)/tcp/tcp_scripts_wide \
		$(HOST_BUILD)/scale/scale
	@if [ -n "$(TCP_TEST_SRCS)" ]; then $(HOST_BUILD)/tcp/tcp_scripts; fi
	$(HOST_BUILD)/tcp/tcp_scripts_wide
	$(HOST_BUILD)/scale/scale

# libFuzzer (tests/fuzz/README.md): fuzz_tcp, the stateful TCP target;
# fuzz_parsers, the console and HTTP; fuzz_frame, single frames into the
# lower layers; fuzz_tcp_wire and fuzz_dhcp_dns, the codecs alone.  `make fuzz` runs one target (FUZZ_TARGET, default fuzz_tcp)
# for FUZZ_SECONDS with the committed corpus as seed, new inputs kept in
# build/; `make test-fuzz` (part of `make test`) replays each committed
# corpus and fuzzes each target a bounded while, FUZZ_TEST_SECONDS in all.
# `make fuzz-seeds` re-records the TCP corpus from the packet scripts.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 300
FUZZ_TARGET ?= fuzz_tcp
FUZZ_TEST_SECONDS ?= 45
FUZZ_TARGETS := fuzz_tcp fuzz_parsers fuzz_frame fuzz_tcp_wire fuzz_dhcp_dns
FUZZ_CFLAGS := -std=c11 -g -O1 $(WARN) -Wno-missing-prototypes $(STACK_INCS) -Itests -Itests/fuzz $(HOST_CONFIG) \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-fsanitize-coverage-ignorelist=$(CURDIR)/tests/fuzz/coverage-ignore.txt
FUZZ_FLAGS := -timeout=10 -print_final_stats=1 -artifact_prefix=$(HOST_BUILD)/fuzz/
$(HOST_BUILD)/fuzz/fuzz_frame: tests/fuzz/fuzz_frame.c $(STACK_SRCS) $(STACK_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(STACK_SRCS) -o $@
$(HOST_BUILD)/fuzz/fuzz_tcp: tests/fuzz/fuzz_tcp.c tests/fuzz/tcp_invariants.c $(wildcard tests/fuzz/*.h) \
		$(STACK_SRCS) $(STACK_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) tests/fuzz/fuzz_tcp.c tests/fuzz/tcp_invariants.c $(STACK_SRCS) -o $@
$(HOST_BUILD)/fuzz/fuzz_tcp_wire: tests/fuzz/fuzz_tcp_wire.c stack/tcp/tcp_wire.c stack/tcp/tcp_options.c stack/lib/checksum.c \
		$(STACK_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< stack/tcp/tcp_wire.c stack/tcp/tcp_options.c stack/lib/checksum.c -o $@

# The DHCP and DNS reply parsers alone (tests/fuzz/fuzz_dhcp_dns.c).
$(HOST_BUILD)/fuzz/fuzz_dhcp_dns: tests/fuzz/fuzz_dhcp_dns.c stack/svc/dhcp_wire.c stack/svc/dns_wire.c \
		$(STACK_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< stack/svc/dhcp_wire.c stack/svc/dns_wire.c -o $@

# fuzz_parsers: the console (on the unit tests' fake board), its commands
# and the HTTP request reader, with the firmware's include paths.  The
# command table is an array the linker gathers from one global per
# command: ASan's redzones between those globals would break it, so the
# cmd_*.c files are built without global instrumentation.
FUZZ_FW_CMDS := $(sort $(wildcard firmware/cmd_*.c))
FUZZ_FW_SRCS := firmware/console.c firmware/fmt.c firmware/counters.c firmware/http_request.c \
	firmware/http_parse.c firmware/history.c firmware/history_fmt.c firmware/history_fw.c
FUZZ_FW_FLAGS := $(FUZZ_CFLAGS) -Ifirmware -Iboard -Iboard/cortex-m -DKEEL_BOARD=\"host\"
$(HOST_BUILD)/fuzz/fuzz_parsers: tests/fuzz/fuzz_parsers.c tests/unit/fake_board.c $(FUZZ_FW_SRCS) \
		$(FUZZ_FW_CMDS) $(wildcard firmware/*.h) $(STACK_SRCS) $(STACK_HDRS) tests/unit/host_cmds.ld
	@mkdir -p $(dir $@)/cmds
	cd $(dir $@)/cmds && $(FUZZ_CC) $(FUZZ_FW_FLAGS:-I%=-I$(CURDIR)/%) -mllvm -asan-globals=0 \
		-c $(FUZZ_FW_CMDS:%=$(CURDIR)/%)
	$(FUZZ_CC) $(FUZZ_FW_FLAGS) tests/fuzz/fuzz_parsers.c tests/unit/fake_board.c $(FUZZ_FW_SRCS) \
		$(dir $@)/cmds/*.o $(STACK_SRCS) -Wl,-T,tests/unit/host_cmds.ld \
		-Wl,--wrap=keel_tcp_recv_peek,--wrap=keel_tcp_recv_consume -o $@

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
	mkdir -p tests/fuzz/corpus/tcp
	find tests/fuzz/corpus/tcp -type f ! -name 'finding-*' ! -name 'grown-*' -delete
	KEEL_FUZZ_RECORD=tests/fuzz/corpus/tcp $(HOST_BUILD)/tcp/tcp_scripts > /dev/null

# Worst-case stack depth of the main loop and of every interrupt handler
# (GCC -fcallgraph-info=su: -fstack-usage frames plus the call graph) per
# board, checked against the stack its linker script reserves; recursion,
# an indirect call or an unknown callee fail unless annotated
# (tests/static/stack-annotations.txt, scripts/stack_bound.py).
test-stack: deps-build
	@set -e; mkdir -p build/stackcheck; for b in $(BOARDS); do \
		d=build/stackcheck/$$b; \
		$(MAKE) --no-print-directory BOARD=$$b BUILD=$$d EXTRA_CFLAGS=-fcallgraph-info=su all > $$d.log 2>&1 \
			|| { cat $$d.log; exit 1; }; \
		reserve=$$(( 0x$$($(CROSS)nm $$d/keel.elf | awk '$$3 == "__stack_size" { print $$1 }') )); \
		echo "== stack bound, $$b"; \
		$(PY) scripts/stack_bound.py tests/static/stack-annotations.txt $$reserve $$(find $$d -name '*.ci'); \
	done

# Line and branch coverage of stack/ from the unit tests, the packet
# scripts and the fuzz corpora together (scripts/coverage.sh, llvm-cov).
coverage: deps-test
	@scripts/coverage.sh
coverage-html: deps-test
	@scripts/coverage.sh html

# cppcheck and clang-tidy over stack/, drivers/, firmware/, board/: the
# checks kept and every suppression, with its reason, are in .clang-tidy
# and tests/static/cppcheck-suppressions.txt.
test-static: deps-test
	@tests/static/run.sh

test-nomalloc: boards
	@scripts/check-nomalloc.sh $(CROSS) $(foreach b,$(BOARDS),build/$(b)/keel.elf)

# The soak (tests/qemu/test_soak.py): a mixed load with a SYN flood and a
# burst of malformed frames, both boards.  `make test` runs it for 60 s a
# board (within test-qemu); `make soak DURATION=600` for longer (seconds).
DURATION ?= 600
soak: deps-test boards
	cd tests/qemu && KEEL_SOAK_SECONDS=$(DURATION) KEEL_TEST_TIMEOUT=$$(( $(DURATION) + 300 )) \
		$(PY) -m pytest -v -s -p no:cacheprovider test_soak.py $(PYTEST_ARGS)

test-qemu: deps-test boards
	cd tests/qemu && $(PY) -m pytest -v -p no:cacheprovider $(PYTEST_ARGS)

test: deps-test
	$(MAKE) --no-print-directory test-structure
	$(MAKE) --no-print-directory test-static
	$(MAKE) --no-print-directory test-stack
	$(MAKE) --no-print-directory test-unit
	$(MAKE) --no-print-directory test-tcp
	$(MAKE) --no-print-directory test-nomalloc
	$(MAKE) --no-print-directory test-fuzz
	$(MAKE) --no-print-directory test-qemu
	$(MAKE) --no-print-directory bench-quick

# keel against lwIP 2.1.3 on the same board, driver, services and flags
# (bench/run, bench/README.md); needs root (namespaces, TAP) like test-qemu.
# `make bench` is the full run (both boards, 9 pairs per row, ~12 min on a
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
	$(PY) -m pytest -q -p no:cacheprovider bench/test_stats.py bench/test_flagcheck.py
	BENCH_QUICK=1 BENCH_OUT=build/bench/quick $(PY) bench/run
	$(PY) bench/check_results.py build/bench/quick/results.json

clean:
	rm -rf build

-include $(TARGET_OBJS:.o=.d) $(wildcard $(HOST_OBJ)/*/*.d $(HOST_OBJ)/*/*/*.d)
