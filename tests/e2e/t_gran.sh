#!/usr/bin/env bash
# Issue 13's granularity key (r) in the table and the flamegraph: it cycles
# functions, filefunctions, files, lines, addresses and back, names frames as
# go tool pprof -G does (one row's numbers checked against pprof -lines, run
# here), survives a sample type and a query change, keeps the selection by
# function; the status bar's file:line. Usage: tests/e2e/t_gran.sh EMBER
. "$(dirname "$0")/lib.sh"

PP=(go tool pprof -symbolize=none -top -nodecount=0 -nodefraction=0)
# pprof_row FLAGS... -- NAME: "SELF TOTAL" of pprof's row NAME (units as pprof prints
# them with -unit=ms / count), its (inline) mark dropped
pprof_row() {
    local args=()
    while [ "$1" != "--" ]; do args+=("$1"); shift; done
    "${PP[@]}" "${args[@]}" "$DATA/go-cpu.pb.gz" 2>/dev/null |
        awk -v n="$2" '{ l = $0; sub(/ \((partial-)?inline\)$/, "", l) }
                       substr(l, length(l) - length(n) + 1) == n && substr(l, length(l) - length(n), 1) == " " {
                           print $1, $4; exit }'
}
# has_row NAME SELF TOTAL: a table row ends in NAME and holds both values
# row_ends NAME: a row of the table ends in two spaces and NAME
row_ends() { screen | awk -v n="  $1" 'substr($0, length($0) - length(n) + 1) == n { f = 1 } END { exit !f }'; }
# grep_status TEXT: the status bar (the last line but one) holds TEXT
grep_status() { screen | tail -n 2 | head -n 1 | grep -qF -- "$1"; }
has_row() { screen | grep -F -- "  $1" | grep -F -- "$2" | grep -qF -- "$3"; }

fib30="main.fib embergen/main.go:30"
read -r self30 total30 <<<"$(pprof_row -lines -sample_index=cpu -unit=ms -- "$fib30")"
[ -n "$self30" ] && ok || ko "pprof -lines has no row '$fib30'"

start 180 30 TERM=xterm-256color -- --view table -t cpu "$DATA/go-cpu.pb.gz"
expect "table view" "Function"
# by self: sort.partition, crypto/sha256.block, main.fib (expected/go-cpu.cpu.top)
keys j j
expect "main.fib selected, Go's first sampled line (pprof -raw: location 12, main.go:34)" \
    "main.fib embergen/main.go:34 (a sampled line)"

keys r
expect "r: filefunctions in the header" "go-cpu.pb.gz  filefunctions"
check "filefunctions names as pprof's" row_ends "main.fib embergen/main.go"
check "the selection kept: main.fib's frame" \
    grep_status "main.fib embergen/main.go"
keys r
expect "r: files" "go-cpu.pb.gz  files"
check "files names as pprof's" row_ends "sort/zsortinterface.go"
keys r
expect "r: lines" "go-cpu.pb.gz  lines"
check "lines: '$fib30' as pprof -lines: $self30 $total30" has_row "$fib30" "${self30}" "${total30}"
check "the selection follows main.fib at lines" grep_status "main.fib embergen/main.go:"
keys r
expect "r: addresses" "go-cpu.pb.gz  addresses"
expect "addresses names as pprof's" "  00000000004bca3f main.fib embergen/main.go:32"
keys r
expect_gone "r: back to functions (the header names none)" "go-cpu.pb.gz  addresses"
check "functions again" has_row "main.fib" "390ms" "410ms"

# --- survives a sample type change and a query change (at lines) -------
keys r r r
expect "r r r: lines" "go-cpu.pb.gz  lines"
read -r s_self s_total <<<"$(pprof_row -lines -sample_index=samples -- "$fib30")"
keys t k Enter
expect "the samples type" "samples (count)"
check "lines kept over the type change: $s_self $s_total" has_row "$fib30" " $s_self " " $s_total "
read -r q_self q_total <<<"$(pprof_row -lines -sample_index=samples -tagfocus=region=eu-north -- "$fib30")"
keys : C-u '{region="eu-north"}' Enter
expect "the query in the header" '{region="eu-north"}'
check "lines kept over the query: $q_self $q_total (pprof -tagfocus)" has_row "$fib30" " $q_self " " $q_total "
row_has 1 "lines" && ok || ko "the header lost the granularity"

# --- the flamegraph ---------------------------------------------------
start 180 30 TERM=xterm-256color -- --view flame -t cpu "$DATA/go-cpu.pb.gz"
expect "flame view" "[Flamegraph]"
for g in filefunctions files lines addresses; do
    keys r
    expect "flame: r to $g" "go-cpu.pb.gz  $g"
done
keys r r r
expect "flame: files again" "go-cpu.pb.gz  files"
expect_gone "flame: no function at files" "main.cpuProfile.func1"
check "flame: a bar per file" has_text "embergen/main.go"
keys r
expect_gone "flame: files to lines" "go-cpu.pb.gz  files"

# --- over a server: r asks again, the answers load at the new granularity --
. "$ROOT/tests/pyro/serve.sh"
PYRO_TMP=$E2E_DIR/pyro
mkdir -p "$PYRO_TMP"
if pyro_build >"$E2E_DIR/build.out" && pyro_serve -shift -log "$PYRO_TMP/gran.log"; then
    trap 'pyro_stop_all; tm kill-server 2>/dev/null; rm -rf "$E2E_DIR"' EXIT
    CPU="$ROOT/tests/data/pyro/profiles/checkout/cpu-*.pb.gz"
    # main.slowPath's line row and its cum ms, as pprof -lines names it
    read -r slow_ms slow_name <<<"$(go tool pprof -symbolize=none -lines -unit=ms -nodefraction=0 \
        -nodecount=100000 -top $CPU 2>/dev/null |
        awk '/main\.slowPath / { c = $4; sub(/ms$/, "", c); n = $6 " " $7; print c, n; exit }')"
    start 160 40 -- --url "$PYRO_URL" --view table --query "'{service_name=\"checkout\"}'"
    expect "server: the table" "main.slowPath"
    keys r r r
    expect "server: lines in the header" '  lines {service_name="checkout"}'
    keys / slowPath Enter       # the table keeps the matches
    slow_s=$(awk -v v="$slow_ms" 'BEGIN { printf "%.2fs", v / 1000 }')
    check "server: '$slow_name' total $slow_s as pprof -lines" has_row "$slow_name" "" " $slow_s "
    pyro_stop_all
else
    echo "t_gran: the server part skipped: $(cat "$E2E_DIR/build.out")"
fi
finish
