QEMU_MACHINE := lm3s6965evb
QEMU_NIC_MODEL := stellaris
BOARD_SRCS := $(wildcard board/lm3s6965evb/*.c) drivers/eth/stellaris_enet.c drivers/uart/pl011.c
# The shared TCP buffer pool (stack/include/keel/config.h): 16 KiB of the
# 64 KiB SRAM, 64 chunks of 256 B (tcp_rmem/tcp_wmem max 7680).
include board/lm3s6965evb/config.mk
BOARD_CFLAGS := -DKEEL_CHUNK_ARENA=16384 $(KEEL_CONFIG_lm3s6965evb)
