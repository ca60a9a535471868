#!/usr/bin/env bash
# firmware/ is an application of keel: it may include the public API
# (<keel/...> from stack/include/keel/), its own headers, the board
# contract (board.h, console_ring.h) and the C library's freestanding
# headers -- nothing else of the stack, the drivers or the boards.  The
# Makefile compiles it with those include paths only; this check names the
# offending line instead of a compiler error.
set -eu
cd "$(dirname "$0")/.."
std=" stdarg.h stdbool.h stddef.h stdint.h string.h limits.h inttypes.h "
board=" board.h console_ring.h "
bad=0
while IFS= read -r line; do
	file=${line%%:*}
	rest=${line#*:}; rest=${rest#*:}
	if [[ $rest =~ \#[[:space:]]*include[[:space:]]*\<([^>]+)\> ]]; then
		h=${BASH_REMATCH[1]}
		if [[ $h == keel/* && -f stack/include/$h ]] || [[ $std == *" $h "* ]]; then
			continue
		fi
	elif [[ $rest =~ \#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]]; then
		h=${BASH_REMATCH[1]}
		if [[ -f firmware/$h ]] || [[ $board == *" $h "* ]]; then
			continue
		fi
	else
		h="(unparsed)"
	fi
	echo "check-includes: $file: $h is not public API (use <keel/...>): $rest" >&2
	bad=1
done < <(grep -Hn '^[[:space:]]*#[[:space:]]*include' firmware/*.c firmware/*.h)
if [ "$bad" -ne 0 ]; then
	exit 1
fi
echo "check-includes: firmware/ includes only <keel/...>, its own and the board's headers"
