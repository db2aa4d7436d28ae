#!/usr/bin/env bash
# Issue 13's granularities: for each of pprof's -functions, -filefunctions,
# -files, -lines and -addresses, ember --top --raw --granularity G equals
# go tool pprof -top -G (exact units, every row) on real profiles: Go CPU
# with inlined frames and recursion (go-cpu: main.square -> main.addmul ->
# main.spin -> main.busy share a Location; main.fib recurses), Go heap,
# Node.js wall time, a Pyroscope-made Go CPU profile; and --folded at lines
# equals go tool pprof -traces -lines; an export at G reads back in pprof
# -G as ember's. The pprof flag spellings (--lines) equal --granularity lines. Run by `make granularity` (in make check).
# Usage: tests/granularity.sh path/to/ember
set -u
EMBER=${1:?usage: tests/granularity.sh EMBER}
DATA=tests/data
export LC_ALL=C
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

# pprof_top (go tool pprof -top as ember's --top --raw) and pprof_stacks
# (-traces as --folded): the shared converters
. tests/pprof_top.sh

# FIXTURE TYPE UNIT(ember) UNIT(pprof -unit)
cases=(
    "go-cpu.pb.gz cpu nanoseconds ns"
    "go-heap.pb.gz alloc_space bytes B"
    "node-wall.pb.gz wall nanoseconds ns"
    "pyro/profiles/cart/cpu-01.pb.gz cpu nanoseconds ns"
)
grans="functions filefunctions files lines addresses"

for c in "${cases[@]}"; do
    set -- $c
    fix=$1 type=$2 unit=$3 pu=$4
    for g in $grans; do
        pprof_top "$DATA/$fix" "$type" "$pu" "-$g" >"$tmp/want"
        "$EMBER" --top --raw -t "$type/$unit" --granularity "$g" "$DATA/$fix" >"$tmp/got" 2>"$tmp/err"
        if [ -s "$tmp/want" ] && cmp -s "$tmp/want" "$tmp/got"; then ok; else
            ko "$fix $type --granularity $g differs from go tool pprof -top -$g:"
            diff "$tmp/want" "$tmp/got" | head -6; cat "$tmp/err"
        fi
        "$EMBER" --top --raw -t "$type/$unit" "--$g" "$DATA/$fix" >"$tmp/flag" 2>&1
        if cmp -s "$tmp/got" "$tmp/flag"; then ok; else ko "$fix: --$g differs from --granularity $g"; fi
    done
done

# The oracle is not blind: lines and functions differ on go-cpu.
pprof_top "$DATA/go-cpu.pb.gz" cpu ns -lines >"$tmp/a"
pprof_top "$DATA/go-cpu.pb.gz" cpu ns -functions >"$tmp/b"
if [ -s "$tmp/a" ] && ! cmp -s "$tmp/a" "$tmp/b"; then ok; else ko "pprof_top: blind to -lines"; fi

# --folded at lines: every stack of file:line frames, inlined ones their own.
for c in "go-cpu.pb.gz cpu nanoseconds ns" "node-wall.pb.gz wall nanoseconds ns"; do
    set -- $c
    "${PPROF[@]}" -traces -sample_index="$2" -unit="$4" -lines "$DATA/$1" 2>/dev/null | pprof_stacks >"$tmp/want"
    "$EMBER" --folded -t "$2/$3" --lines "$DATA/$1" | sort >"$tmp/got"
    if [ -s "$tmp/want" ] && cmp -s "$tmp/want" "$tmp/got"; then ok; else
        ko "$1 --folded --lines differs from go tool pprof -traces -lines:"
        diff "$tmp/want" "$tmp/got" | head -6
    fi
done

# An export at G reads back in go tool pprof -top -G as ember's --top --raw
# at G (the frames' parts are written, not their pprof names: pprof would
# name "main.fib main.go:30" again as "main.fib main.go:30 main.go:30").
for g in filefunctions lines addresses; do
    rm -f "$tmp/x.pb.gz"
    "$EMBER" --"$g" -t cpu/nanoseconds -o "$tmp/x.pb.gz" "$DATA/go-cpu.pb.gz" 2>"$tmp/err"
    pprof_top "$tmp/x.pb.gz" cpu ns "-$g" >"$tmp/want"
    "$EMBER" --top --raw -t cpu/nanoseconds --"$g" "$DATA/go-cpu.pb.gz" >"$tmp/got"
    if [ -s "$tmp/want" ] && cmp -s "$tmp/want" "$tmp/got"; then ok; else
        ko "go-cpu exported at $g: go tool pprof -top -$g of it differs from ember's:"
        diff "$tmp/want" "$tmp/got" | head -6; cat "$tmp/err"
    fi
done

# Frames without a function name export as pprof reads them back to the
# same node, at every granularity: unsymbolized.pb's address-only locations
# ("[app]", "0000000000401a2b [app]", "<unknown>"; at files pprof keeps
# [app] 10 14, [libfoo.so] 4 4, <unknown> 2 2) against go tool pprof of the
# original, and gran/empty-name.pb.gz's functions with an empty name and a
# file (made by gran/emptyname.go) against ember's own rows, which merge
# pprof's rows of one name (see the man page's files note).
for g in $grans; do
    rm -f "$tmp/u.pb.gz" "$tmp/e.pb.gz"
    "$EMBER" --"$g" -o "$tmp/u.pb.gz" "$DATA/unsymbolized.pb" 2>"$tmp/err"
    pprof_top "$DATA/unsymbolized.pb" samples count "-$g" >"$tmp/want"
    pprof_top "$tmp/u.pb.gz" samples count "-$g" >"$tmp/got"
    if [ -s "$tmp/want" ] && cmp -s "$tmp/want" "$tmp/got"; then ok; else
        ko "unsymbolized.pb exported at $g: go tool pprof -top -$g differs from the original's:"
        diff "$tmp/want" "$tmp/got" | head -6; cat "$tmp/err"
    fi
    "$EMBER" --"$g" -o "$tmp/e.pb.gz" "$DATA/gran/empty-name.pb.gz" 2>"$tmp/err"
    pprof_top "$tmp/e.pb.gz" cpu ns "-$g" >"$tmp/want"
    "$EMBER" --top --raw --"$g" "$DATA/gran/empty-name.pb.gz" >"$tmp/got"
    if [ -s "$tmp/want" ] && cmp -s "$tmp/want" "$tmp/got"; then ok; else
        ko "empty-name exported at $g: go tool pprof -top -$g of it differs from ember's:"
        diff "$tmp/want" "$tmp/got" | head -6; cat "$tmp/err"
    fi
done

# --diff at lines: each side's columns are pprof -top -lines of its file.
A=$DATA/pyro/profiles/cart/cpu-01.pb.gz B=$DATA/pyro/profiles/cart/cpu-02.pb.gz
"$EMBER" --top --raw -t cpu/nanoseconds --lines --diff "$A" "$B" >"$tmp/diff"
for side in 1 2; do
    f=$A; [ "$side" = 2 ] && f=$B
    pprof_top "$f" cpu ns -lines >"$tmp/want"
    awk -F'\t' -v c=$((2 * side - 1)) '$c != 0 || $(c + 1) != 0 { printf "%s\t%s\t%s\n", $c, $(c + 1), $5 }' \
        "$tmp/diff" | sort -t $'\t' -k1,1nr -k3 >"$tmp/got"
    if [ -s "$tmp/want" ] && cmp -s "$tmp/want" "$tmp/got"; then ok; else
        ko "--diff --lines: side $side differs from go tool pprof -top -lines of $f"
        diff "$tmp/want" "$tmp/got" | head -6
    fi
done

# A bad word: one line, exit 1.
"$EMBER" --top --granularity words "$DATA/go-cpu.pb.gz" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" = 1 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "^ember: --granularity: want" "$tmp/err" &&
    [ ! -s "$tmp/out" ]; then ok; else ko "--granularity words: exit $rc, $(cat "$tmp/err")"; fi

echo "granularity: $pass passed, $fail failed"
[ "$fail" = 0 ]
