QEMU_MACHINE := mps2-an385
QEMU_NIC_MODEL := lan9118
BOARD_SRCS := $(wildcard board/mps2-an385/*.c) drivers/eth/lan9118.c drivers/uart/cmsdk_uart.c
# 4 MiB of RAM: ten minutes of connection history, a sample a second
# (fw_config.h).
BOARD_CFLAGS := -DKEEL_HISTORY_DEPTH=600 -DKEEL_HISTORY_PERIOD_MS=1000
