#!/usr/bin/env bash
# Prints an image's footprint: flash = text + data, RAM = data + bss.
set -eu
elf=$1; cross=${2:-arm-none-eabi-}
read -r text data bss _ < <("${cross}size" "$elf" | tail -1)
printf 'footprint %s: text %d data %d bss %d  (flash %d, static RAM %d bytes)\n' \
	"$elf" "$text" "$data" "$bss" $((text + data)) $((data + bss))
