QEMU_MACHINE := mps2-an385
QEMU_NIC_MODEL := lan9118
BOARD_SRCS := $(wildcard board/mps2-an385/*.c) drivers/eth/lan9118.c drivers/uart/cmsdk_uart.c
include board/mps2-an385/config.mk
BOARD_CONFIG := $(KEEL_CONFIG_mps2-an385)
