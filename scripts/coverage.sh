#!/usr/bin/env bash
# Line and branch coverage of stack/ from the packet scripts, the unit
# tests and the fuzz corpora together (clang source-based coverage,
# llvm-cov).  Builds in build/coverage, runs everything once, merges the
# profiles and prints llvm-cov's per-file report and the total.
# usage: scripts/coverage.sh        (make coverage; HTML: make coverage-html)
set -eu
cd "$(dirname "$0")/.."
out=build/coverage
CC=${FUZZ_CC:-clang}
CFLAGS="-std=c11 -g -O0 -fprofile-instr-generate -fcoverage-mapping -Istack -Istack/lib -Istack/link -Istack/ip -Istack/svc -Istack/tcp -Istack/include -Itests -Itests/fuzz"
rm -rf "$out"
mkdir -p "$out/obj" "$out/prof"
jobs=$(nproc 2>/dev/null || echo 2)

# the stack once, as a library every runner links
ls stack/*.c stack/*/*.c | xargs -P "$jobs" -I{} sh -c "$CC $CFLAGS -c {} -o $out/obj/\$(basename {} .c).o"
ar rcs "$out/libkeel.a" "$out"/obj/*.o

run() {   # name, command...: one profile per runner
	local name=$1
	shift
	LLVM_PROFILE_FILE="$out/prof/$name.profraw" "$@" > "$out/$name.log" 2>&1 || {
		echo "coverage: $name failed, see $out/$name.log" >&2
		exit 1
	}
}

objects=()
for t in tests/unit/test_*.c; do
	n=$(basename "$t" .c)
	case "$n" in test_fw_*) continue ;; esac   # firmware tests: firmware coverage, not stack
	$CC $CFLAGS "$t" "$out/libkeel.a" -lcmocka -o "$out/$n"
	run "$n" "$out/$n"
	objects+=("$out/$n")
done

$CC $CFLAGS tests/tcp/*.c tests/fuzz/tcp_invariants.c "$out/libkeel.a" -o "$out/tcp_scripts"
run tcp_scripts "$out/tcp_scripts"
objects+=("$out/tcp_scripts")

# fuzz corpora: the committed ones and whatever `make fuzz` kept locally
for f in fuzz_tcp fuzz_frame fuzz_tcp_wire; do
	extra=
	[ "$f" = fuzz_tcp ] && extra=tests/fuzz/tcp_invariants.c
	$CC $CFLAGS -fsanitize=fuzzer tests/fuzz/$f.c $extra "$out/libkeel.a" -o "$out/$f"
	dirs=()
	for d in "tests/fuzz/corpus/${f#fuzz_}" "build/host/fuzz/corpus-$f"; do
		[ -d "$d" ] && [ -n "$(ls -A "$d")" ] && dirs+=("$d")
	done
	[ ${#dirs[@]} -gt 0 ] || continue
	run "$f" "$out/$f" -runs=0 "${dirs[@]}"
	objects+=("$out/$f")
done

llvm-profdata merge -sparse "$out"/prof/*.profraw -o "$out/keel.profdata"
args=(-instr-profile="$out/keel.profdata" "${objects[0]}")
for o in "${objects[@]:1}"; do args+=(-object "$o"); done
llvm-cov report "${args[@]}" stack/*.c stack/*/*.c | tee "$out/report.txt"
if [ "${1:-}" = html ]; then
	llvm-cov show -format=html -output-dir="$out/html" "${args[@]}" stack/*.c stack/*/*.c
	echo "coverage: $out/html/index.html"
fi
