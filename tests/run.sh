#!/usr/bin/env bash
# tests/run.sh - `make test`: the workbook's own tests.
#
#  1. the harness and the grader compile warning-free with gcc and clang;
#  2. the grader itself is clean under ASan and UBSan on a hostile
#     submission (it parses untrusted output: it had better be);
#  3. tests/run.py: solutions, skeletons, the catalogue of known-wrong
#     variants, hostile submissions and report formats.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

echo "grader and harness: strict builds"
flags="-std=gnu11 -O2 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes"
mkdir -p build/selftest-bin
for cc in gcc clang; do
	command -v $cc >/dev/null || { echo "  skip $cc: not installed"; continue; }
	$cc $flags grader/*.c -o build/selftest-bin/grader-$cc
	$cc $flags -Icommon/include -c common/test.c -o build/selftest-bin/test-$cc.o
	$cc $flags -Icommon/include -c common/bench.c -o build/selftest-bin/bench-$cc.o
	$cc $flags -Icommon/include -c common/cpu.c -o build/selftest-bin/cpu-$cc.o
	$cc $flags -Icommon/include -c common/icount.c -o build/selftest-bin/icount-$cc.o
	echo "  ok   $cc"
done

echo "the harness checks itself"
h=build/selftest-bin/harness
gcc $flags -Icommon/include common/test.c common/bench.c common/cpu.c common/icount.c \
	tests/harness/harness_test.c -lm -pthread -o $h
expect_msg() { # test, text its failure must show
	local out
	out=$($h --run "$1" 2>&1) && { echo "  FAIL $1 passed"; exit 1; }
	grep -qF -- "$2" <<<"$out" || { echo "  FAIL $1: no '$2' in: $out"; exit 1; }
}
for t in ok_rand_is_deterministic ok_rand_below_in_range ok_checks_that_hold; do
	$h --run $t >/dev/null 2>&1 || { echo "  FAIL $t"; $h --run $t; exit 1; }
done
expect_msg bad_int "sizeof(struct x): expected 24, got 32"
expect_msg bad_mem "first difference at byte 21 of 40 (expected 0x00, got 0xab)"
expect_msg bad_mem "[ab]"
expect_msg bad_str 'got      "ab\x09c"'
[ "$($h --list | wc -l)" = 6 ] || { echo "  FAIL --list"; exit 1; }
$h >/dev/null 2>&1 && { echo "  FAIL: a run with failing tests exited 0"; exit 1; }
echo "  ok   assertions, messages, hexdump, --list, deterministic random data"

echo "the grader under ASan+UBSan, grading the solutions"
gcc $flags -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	grader/*.c -o build/selftest-bin/grader-asan
for lab in labs/*/; do
	lab=$(basename "$lab")
	[ -f "labs/$lab/lab.conf" ] || continue
	ASAN_OPTIONS=detect_leaks=0 build/selftest-bin/grader-asan --root . --lab "$lab" \
		--build-dir build/selftest-bin/grade --format json --out build/selftest-bin/asan.json \
		--solutions --no-bench >/dev/null
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' build/selftest-bin/asan.json
	echo "  ok   $lab: no sanitizer report, valid JSON"
done

echo "labs' own checks of their test code (tests/*_selftest.c)"
# Test code that grades students is code too: a checker that accepts
# everything would hide behind passing solutions.  A lab may ship
# self-tests for it; they are built with the lab's test support files
# (every tests/*.c that is not a *_test.c) and must all pass.
for st in labs/*/tests/*_selftest.c; do
	[ -e "$st" ] || continue
	lab=$(dirname "$(dirname "$st")")
	support=$(ls "$lab"/tests/*.c | grep -v -e '_test\.c$' -e '_selftest\.c$' || true)
	labflags=$(sed -n 's/^cflags *= *//p' "$lab/lab.conf" | head -1 | sed "s|-I\([^/ ][^ ]*\)|-I$lab/\1|g")
	bin=build/selftest-bin/$(basename "$st" .c)
	# shellcheck disable=SC2086
	gcc $flags $labflags -I"$lab/include" -Icommon/include "$st" $support \
		common/test.c common/bench.c common/cpu.c common/icount.c -lm -pthread -o "$bin"
	"$bin" >"$bin.log" 2>&1 || { echo "  FAIL $st:"; cat "$bin.log"; exit 1; }
	echo "  ok   $st: $(tail -1 "$bin.log")"
done

python3 tests/run.py "$@"
echo "make test: $(( $(date +%s) - start )) s"
