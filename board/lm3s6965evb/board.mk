QEMU_MACHINE := lm3s6965evb
QEMU_NIC_MODEL := stellaris
BOARD_SRCS := $(wildcard board/lm3s6965evb/*.c) drivers/eth/stellaris_enet.c drivers/uart/pl011.c
# Pool and buffer sizes, the chunk arena's too: config.mk.
include board/lm3s6965evb/config.mk
BOARD_CFLAGS := $(KEEL_CONFIG_lm3s6965evb)
