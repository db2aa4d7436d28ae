#!/usr/bin/env bash
# bench/run.sh EMBER_BIN GEN_BIN -- the runner behind `make bench`.
#
# Makes build/bench/big.pb.gz with GEN_BIN if it is absent (or older than
# GEN_BIN), then prints one line per command: name, wall seconds, peak RSS in
# MB (best of BENCH_RUNS runs, default 3, measured with /usr/bin/time):
#   zcat         zcat FILE >/dev/null              (the floor: gunzip alone)
#   ember-top    EMBER_BIN --top FILE >/dev/null
#   pprof-top    go tool pprof -top FILE >/dev/null (one run; only with
#                BENCH_PPROF=1 and go on PATH: it takes ~80 s and ~4 GB)
# Then runs every executable bench/*.bench.sh as HOOK EMBER_BIN FILE and
# prints its output.  Exits non-zero if ember or a hook fails.
# BENCH_FILE=path benches another profile (made with GEN_BIN if absent).
set -u

if [ $# -ne 2 ]; then
    echo "usage: bench/run.sh EMBER_BIN GEN_BIN" >&2
    exit 2
fi
ember=$1
gen=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
file=${BENCH_FILE:-$root/build/bench/big.pb.gz}
runs=${BENCH_RUNS:-3}
timebin=/usr/bin/time

if [ ! -x "$timebin" ]; then
    echo "bench: $timebin not found (apt-get install time)" >&2
    exit 1
fi
if [ ! -x "$ember" ]; then
    echo "bench: ember binary '$ember' not found or not executable" >&2
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -s "$file" ] || [ "$gen" -nt "$file" ]; then
    if [ ! -x "$gen" ]; then
        echo "bench: generator '$gen' not found or not executable" >&2
        exit 1
    fi
    mkdir -p "$(dirname "$file")"
    echo "bench: generating $file ..." >&2
    if ! "$gen" "$file.tmp" 2>"$tmp/gen.err"; then
        cat "$tmp/gen.err" >&2
        rm -f "$file.tmp"
        echo "bench: generator failed" >&2
        exit 1
    fi
    sed 's/^/  /' "$tmp/gen.err" >&2
    mv "$file.tmp" "$file"
fi

# measure NAME CMD...: run CMD (stdout to /dev/null) $n times, keep the
# fastest run; prints the table line.  On failure prints CMD's stderr and
# returns 1.
measure() {
    local name=$1 n=$2 best_t="" best_m="" i t m
    shift 2
    for ((i = 0; i < n; i++)); do
        if ! "$timebin" -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err"; then
            printf '%-12s failed: %s\n' "$name" "$*" >&2
            sed 's/^/  /' "$tmp/err" >&2
            return 1
        fi
        read -r t m <"$tmp/time"
        if [ -z "$best_t" ] || awk -v a="$t" -v b="$best_t" 'BEGIN { exit !(a < b) }'; then
            best_t=$t best_m=$m
        fi
    done
    awk -v n="$name" -v t="$best_t" -v m="$best_m" 'BEGIN { printf "%-12s %8.2f %11.1f\n", n, t, m / 1024 }'
}

status=0
echo "bench: $file ($(du -m "$file" | cut -f1) MB), best of $runs"
printf '%-12s %8s %11s\n' name wall_s peak_rss_MB
measure zcat "$runs" zcat "$file" || exit 1
measure ember-top "$runs" "$ember" --top "$file" || exit 1
if [ "${BENCH_PPROF:-}" != 1 ]; then
    printf '%-12s skipped (set BENCH_PPROF=1)\n' pprof-top
elif ! command -v go >/dev/null 2>&1; then
    printf '%-12s skipped (go not on PATH)\n' pprof-top
else
    measure pprof-top 1 go tool pprof -top "$file" || status=1
fi

for hook in "$here"/*.bench.sh; do
    if [ ! -f "$hook" ] || [ ! -x "$hook" ]; then continue; fi
    echo "bench: $(basename "$hook")"
    if ! "$hook" "$ember" "$file"; then
        echo "bench: $(basename "$hook") failed" >&2
        status=1
    fi
done
exit $status
