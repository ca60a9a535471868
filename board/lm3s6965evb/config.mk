# Pool sizes for lm3s6965evb (stack/include/keel/config.h) in 64 KiB of
# SRAM beside the console, HTTP (with its history) and every service: as
# many TCBs as fit (a TCB is 252 B; with it a neighbour entry, an app slot
# and its links: about 330 B a connection).
KEEL_CONFIG_lm3s6965evb := -DKEEL_TCP_MAX_CONN=48
