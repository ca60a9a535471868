#!/usr/bin/env bash
# Static memory only: no image may link a heap allocator.
set -eu
cross=$1; shift
bad=0
for elf in "$@"; do
	if syms=$("${cross}nm" "$elf" | grep -Ew '(_?malloc|_?calloc|_?realloc|_?free|_malloc_r|_free_r|_sbrk|_sbrk_r)$'); then
		echo "FAIL $elf links a heap allocator:"; echo "$syms"; bad=1
	else
		echo "ok   $elf has no heap allocator"
	fi
done
exit $bad
