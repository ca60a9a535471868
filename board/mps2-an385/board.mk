QEMU_MACHINE := mps2-an385
QEMU_NIC_MODEL := lan9118
BOARD_SRCS := $(wildcard board/mps2-an385/*.c) drivers/eth/lan9118.c drivers/uart/cmsdk_uart.c
# The shared TCP buffer pool (stack/include/keel/config.h): 1 MiB of the
# 4 MiB data SRAM, 4096 chunks of 256 B (one connection's buffers stop at
# 64000, KEEL_TCP_BUF_LIMIT in config.mk: no scaling of keel's own window).
# Pool sizes: board/mps2-an385/config.mk.
include board/mps2-an385/config.mk
# 4 MiB of RAM also keeps ten minutes of connection history
# (firmware/fw_config.h).
BOARD_CFLAGS := -DKEEL_CHUNK_ARENA=1048576 $(KEEL_CONFIG_mps2-an385) -DKEEL_HISTORY_DEPTH=600
