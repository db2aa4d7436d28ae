#!/usr/bin/env bash
# bench/run.sh EMBER_BIN GEN_BIN -- the runner behind `make bench`.
#
# For each size of BENCH_STACKS (default "100000 1000000 3000000"), makes
# build/bench/sN.pb.gz with GEN_BIN --stacks N (the 1M one is
# build/bench/big.pb.gz) when absent or older than GEN_BIN, and its zstd
# twin sN.pb.zst; then, for each file, measures in the same minutes (best of
# BENCH_RUNS runs, default 3, with /usr/bin/time; bench-ui as many times):
#   the references: libdeflate-gunzip -c (gzip) or zstd -dc (zstd) into
#                   /dev/null, the floor: decompression alone; zcat beside
#   ember-top       EMBER_BIN --top FILE >/dev/null: wall and peak RSS
#   bench-ui        the explorer on a virtual screen (bench/ui.c), each of
#                   its figures the best of BENCH_RUNS runs
# and prints every target of issue 14 beside its reference, the ratio and
# met / not met. pprof-top (go tool pprof -top, one run) only with
# BENCH_PPROF=1 (it takes minutes and GBs). Then runs every executable
# bench/*.bench.sh as HOOK EMBER_BIN FILE (on the 1M gzip file).
# BENCH_FILE=path benches that one file instead of the sizes.
# Exits non-zero if ember or a hook fails (an unmet target does not).
set -u

if [ $# -ne 2 ]; then
    echo "usage: bench/run.sh EMBER_BIN GEN_BIN" >&2
    exit 2
fi
ember=$1
gen=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
ui=$(dirname "$ember")/bench-ui
runs=${BENCH_RUNS:-3}
timebin=/usr/bin/time

for c in "$timebin" libdeflate-gunzip zstd zcat; do
    if ! command -v "$c" >/dev/null 2>&1; then
        echo "bench: $c not found (make deps installs it)" >&2
        exit 1
    fi
done
if [ ! -x "$ember" ] || [ ! -x "$ui" ]; then
    echo "bench: '$ember' or '$ui' not found or not executable" >&2
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# make_gz FILE N: generates FILE (N stacks) when absent or older than gen.
make_gz() {
    local file=$1 n=$2
    if [ -s "$file" ] && [ ! "$gen" -nt "$file" ]; then return 0; fi
    if [ ! -x "$gen" ]; then
        echo "bench: generator '$gen' not found or not executable" >&2
        return 1
    fi
    mkdir -p "$(dirname "$file")"
    echo "bench: generating $file ($n stacks) ..." >&2
    if ! "$gen" "$file.tmp" --stacks "$n" 2>"$tmp/gen.err"; then
        cat "$tmp/gen.err" >&2
        rm -f "$file.tmp"
        echo "bench: generator failed" >&2
        return 1
    fi
    sed 's/^/  /' "$tmp/gen.err" >&2
    mv "$file.tmp" "$file"
}

# make_zst GZ ZST: the same protobuf, zstd-compressed (level 3, zstd's default).
make_zst() {
    if [ -s "$2" ] && [ ! "$1" -nt "$2" ]; then return 0; fi
    zcat "$1" | zstd -q -f -o "$2.tmp" && mv "$2.tmp" "$2"
}

# measure CMD...: runs CMD (stdout to /dev/null) $runs times; prints the
# fastest run's "wall_s peak_rss_MB". On failure prints CMD's stderr and
# returns 1.
measure() {
    local best_t="" best_m="" i t m
    for ((i = 0; i < runs; i++)); do
        # wall from date (time's %e has 2 decimals: too coarse at 100k)
        t=$(date +%s%N)
        if ! "$timebin" -f '%M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err"; then
            echo "bench: failed: $*" >&2
            sed 's/^/  /' "$tmp/err" >&2
            return 1
        fi
        t=$(awk -v a="$t" -v b="$(date +%s%N)" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
        read -r m <"$tmp/time"
        if [ -z "$best_t" ] || awk -v a="$t" -v b="$best_t" 'BEGIN { exit !(a < b) }'; then
            best_t=$t best_m=$m
        fi
    done
    awk -v t="$best_t" -v m="$best_m" 'BEGIN { printf "%.4f %.1f\n", t, m / 1024 }'
}

# row TARGET MEASURED UNIT REFERENCE REF_NAME GOAL_RATIO: one line of the
# table: the ratio measured / reference and met when it is at most the goal
# (strictly below when the goal is given as "<N").
row() {
    awk -v what="$1" -v m="$2" -v u="$3" -v r="$4" -v rn="$5" -v g="$6" 'BEGIN {
        strict = sub(/^</, "", g)
        ratio = r > 0 ? m / r : 0
        met = strict ? ratio < g : ratio <= g
        printf "  %-30s %9.3f %-2s  %-22s %7.2fx  %-6s %s\n", what, m, u,
               sprintf("%s %g", rn, r), ratio, (strict ? "<" : "<=") g "x",
               met ? "met" : "NOT MET"
    }'
}

status=0
# bench_file FILE STACKS FORMAT: every target on one file.
bench_file() {
    local file=$1 n=$2 fmt=$3 floor zc top ui_line
    echo "bench: $file ($fmt, $n stacks, $(du -m "$file" | cut -f1) MB), best of $runs"
    if [ "$fmt" = gzip ]; then
        floor=$(measure libdeflate-gunzip -c "$file") || return 1
        zc=$(measure zcat "$file") || return 1
    else
        floor=$(measure zstd -q -dc "$file") || return 1
        zc=
    fi
    top=$(measure "$ember" --top "$file") || return 1
    # bench-ui $runs times too: each figure is its best run's (a VM's first
    # touch of memory the host has not backed yet makes single runs vary
    # by seconds); the ui: lines printed are the first run's
    : >"$tmp/uis"
    for ((i = 0; i < runs; i++)); do
        if ! "$ui" "$file" 200 60 >"$tmp/ui" 2>"$tmp/err"; then
            echo "bench: bench-ui failed on $file" >&2
            sed 's/^/  /' "$tmp/err" >&2
            return 1
        fi
        [ "$i" = 0 ] && sed -n 's/^ui: /  ui: /p' "$tmp/ui"
        sed -n 's/^bench-ui: //p' "$tmp/ui" >>"$tmp/uis"
    done
    # and the command to a drawn flamegraph: one run's load plus its first frame
    ui_line=$(awk '{ for (f = 1; f <= NF; f++) { split($f, kv, "=");
                       if (!(kv[1] in best) || kv[2] + 0 < best[kv[1]] + 0) best[kv[1]] = kv[2];
                       if (kv[1] == "load_s") l = kv[2]; if (kv[1] == "first_ms") m = kv[2];
                       if (NR == 1) order[f] = kv[1] }
                     c = l + m / 1000; if (NR == 1 || c < cmd) cmd = c }
                   END { for (f = 1; order[f] != ""; f++) printf "%s=%s ", order[f], best[order[f]];
                         printf "cmd_s=%.3f", cmd }' "$tmp/uis")
    echo "  bench-ui, best of $runs: $ui_line"
    # key=value pairs into shell variables u_load_s, u_first_ms, ...
    eval "$(printf '%s\n' "$ui_line" | tr ' ' '\n' | sed -n 's/^\([a-z_]*\)=\([0-9.]*\)$/u_\1=\2/p')"
    set -- $floor; local f_s=$1
    set -- $top; local t_s=$1 t_mb=$2
    printf '  %-30s %12s  %-22s %8s  %-6s %s\n' target measured reference ratio goal ""
    row "load: ember --top" "$t_s" s "$f_s" "${fmt:0:4}-dec" 3
    if [ -n "$zc" ]; then
        set -- $zc
        row "load: ember --top" "$t_s" s "$1" zcat 3
    fi
    if [ "$n" = 1000000 ]; then
        row "peak RSS: ember --top" "$t_mb" MB 450 limit 1
    else    # the 450 MB limit is the 1M profile's; here the cost per stack
        awk -v m="$t_mb" -v n="$n" 'BEGIN { printf "  %-30s %9.1f MB  %.0f bytes a stack\n",
                                           "peak RSS: ember --top", m, m * 1048576 / n }'
    fi
    row "first frame after the load" "$u_first_ms" ms 150 limit 1
    row "command to drawn flamegraph" "$u_cmd_s" s "$f_s" "${fmt:0:4}-dec" 4
    row "query change" "$u_query_ms" ms 50 limit 1
    row "range change" "$u_range_ms" ms 50 limit 1
    row "sample type change" "$u_type_ms" ms 50 limit 1
    row "diff of two queries" "$u_diff_ms" ms 150 limit 1
    row "slowest key" "$u_worst_ms" ms 16 limit 1
    row "median key" "$u_median_ms" ms 1 limit "<1"
}

if [ -n "${BENCH_FILE:-}" ]; then
    case $BENCH_FILE in *.zst) fmt=zstd ;; *) fmt=gzip ;; esac
    bench_file "$BENCH_FILE" "?" "$fmt" || exit 1
    big=$BENCH_FILE
else
    big=$root/build/bench/big.pb.gz
    for n in ${BENCH_STACKS:-100000 1000000 3000000}; do
        gz=$root/build/bench/s$n.pb.gz
        [ "$n" = 1000000 ] && gz=$big
        zst=${gz%.gz}.zst
        make_gz "$gz" "$n" || exit 1
        make_zst "$gz" "$zst" || exit 1
        bench_file "$gz" "$n" gzip || exit 1
        bench_file "$zst" "$n" zstd || exit 1
    done
fi

if [ "${BENCH_PPROF:-}" != 1 ]; then
    echo "bench: pprof-top skipped (set BENCH_PPROF=1)"
elif ! command -v go >/dev/null 2>&1; then
    echo "bench: pprof-top skipped (go not on PATH)"
elif [ -s "$big" ]; then
    runs=1
    echo "bench: pprof-top (go tool pprof -top $big): $(measure go tool pprof -top "$big")" ||
        status=1
fi

for hook in "$here"/*.bench.sh; do
    if [ ! -f "$hook" ] || [ ! -x "$hook" ] || [ ! -s "$big" ]; then continue; fi
    echo "bench: $(basename "$hook")"
    if ! "$hook" "$ember" "$big"; then
        echo "bench: $(basename "$hook") failed" >&2
        status=1
    fi
done
exit $status
