#!/usr/bin/env bash
# Static analysis of everything that runs on the device: cppcheck (with the
# explained suppressions in cppcheck-suppressions.txt) and clang-tidy (the
# checks in /.clang-tidy), over stack/, drivers/, firmware/ and board/,
# each file with its layer's include paths as the Makefile builds it, for
# the Cortex-M3 target.  Exit status 1 on any finding.
# usage: tests/static/run.sh [cppcheck|clang-tidy]   (both by default)
set -eu
cd "$(dirname "$0")/../.."
what=${1:-all}
jobs=$(nproc 2>/dev/null || echo 2)
ARM="--target=thumbv7m-none-eabi -mcpu=cortex-m3 -mthumb -isystem /usr/lib/arm-none-eabi/include"
STACK="-Istack -Istack/lib -Istack/link -Istack/ip -Istack/svc -Istack/tcp -Istack/include"
FW="-Ifirmware -Istack/include -Iboard -Iboard/cortex-m"
board_incs() { echo "-Istack/include -Idrivers -Iboard -Iboard/cortex-m -Iboard/$1"; }
status=0

if [ "$what" = all ] || [ "$what" = cppcheck ]; then
	echo "== cppcheck"
	for b in lm3s6965evb mps2-an385; do
		# board-independent files once (with the first board), each board's own
		files="stack drivers firmware board/cortex-m board/$b"
		[ "$b" = lm3s6965evb ] || files="board/$b"
		cppcheck -q --std=c11 --enable=warning,style,performance,portability --inline-suppr \
			--error-exitcode=1 --suppressions-list=tests/static/cppcheck-suppressions.txt \
			--template='{file}:{line}: {severity} {id}: {message}' \
			-D__GNUC__ -DKEEL_BOARD=\"$b\" $STACK $FW $(board_incs "$b") $files || status=1
	done
fi

if [ "$what" = all ] || [ "$what" = clang-tidy ]; then
	echo "== clang-tidy"
	tidy() {   # flags, then files
		local flags=$1
		shift
		printf '%s\n' "$@" | xargs -P "$jobs" -I{} sh -c \
			"clang-tidy --quiet {} -- -std=c11 $ARM $flags 2>/dev/null | grep -A8 -E '(warning|error):' ; exit 0" \
			> "$log.part"
		cat "$log.part" >> "$log"
	}
	log=$(mktemp)
	# checksum.c's LDM loop is GCC inline asm with a memory operand
	# clang does not parse: the stack is analysed on its portable C path.
	tidy "$STACK -U__ARM_ARCH_7M__" stack/*.c stack/*/*.c
	tidy "$FW -DKEEL_BOARD=\\\"host\\\"" firmware/*.c
	for b in lm3s6965evb mps2-an385; do
		tidy "$(board_incs "$b") -DKEEL_BOARD=\\\"$b\\\"" board/cortex-m/*.c board/"$b"/*.c drivers/*/*.c
	done
	if [ -s "$log" ]; then
		cat "$log"
		status=1
	fi
	rm -f "$log" "$log.part"
fi
[ $status = 0 ] && echo "static analysis: clean"
exit $status
