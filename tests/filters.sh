#!/bin/bash
# pprof's filters in batch output: for each of --focus, --ignore, --hide,
# --show, --show-from, --prune-from and some combinations, on real
# profiles (Go CPU, Go heap with every sample type, Node wall time, a
# Pyroscope fixture), ember's --top --raw equals go tool pprof -top with
# the same filters row for row (self and total per function, exact units),
# the total the filters keep equals pprof's "Showing nodes accounting for"
# and the stacks of --folded equal pprof's -traces. Then --top's header
# lines and the errors. Usage: tests/filters.sh build/ember
cd "$(dirname "$0")/.." || exit 2
EMBER=${1:-build/ember}
DATA=tests/data
fail=0 pass=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v go >/dev/null; then
    echo "filters: SKIP (no go: go tool pprof is the oracle)"
    exit 0
fi
export GOCACHE=${GOCACHE:-$PWD/build/gocache} GOTOOLCHAIN=local
. tests/pprof_top.sh

# "kind=RE ..." as ember's options and as pprof's (pprof spells show_from,
# prune_from; ember takes both spellings, the dash one is tested here and
# the other below).
ember_opts() { for a in "$@"; do k=${a%%=*}; printf '%s\n' "--${k//_/-}=${a#*=}"; done; }
pprof_opts() { for a in "$@"; do printf '%s\n' "-$a"; done; }

# check FIXTURE TYPE UNIT FILTERS...: the table, its total, and that the
# filters changed something (else the comparison proves nothing).
check() {
    local f=$1 t=$2 u=$3 name
    shift 3
    name="$f -t $t $*"
    mapfile -t eo < <(ember_opts "$@")
    mapfile -t po < <(pprof_opts "$@")
    if ! "$EMBER" --top --raw -t "$t" "${eo[@]}" "$DATA/$f" >"$tmp/ember" 2>"$tmp/err"; then
        ko "$name: ember failed: $(cat "$tmp/err")"; return
    fi
    pprof_top "$DATA/$f" "$t" "$u" "${po[@]}" >"$tmp/pprof"
    pprof_top "$DATA/$f" "$t" "$u" >"$tmp/all"
    if [ ! -s "$tmp/pprof" ] || cmp -s "$tmp/pprof" "$tmp/all"; then
        ko "$name: pprof shows nothing or the same as without filters (a useless case)"
    elif cmp -s "$tmp/ember" "$tmp/pprof"; then
        ok
    else
        ko "$name: ember --top --raw differs from go tool pprof -top"
        diff "$tmp/pprof" "$tmp/ember" | head -6
    fi
    # the total kept: pprof's "Showing nodes accounting for X" (every node
    # shown) is the sum of ember's self column
    want=$("${PPROF[@]}" -top -nodecount=0 -nodefraction=0 -edgefraction=0 -sample_index="$t" \
        -unit="$u" "${po[@]}" "$DATA/$f" 2>/dev/null |
        sed -n 's/^Showing nodes accounting for \(-\{0,1\}[0-9.]*\)[A-Za-z]*, .*/\1/p')
    got=$(awk -F '\t' '{ s += $1 } END { printf "%.0f\n", s }' "$tmp/ember")
    [ -n "$want" ] && [ "$want" = "$got" ] && ok || ko "$name: total kept $got, pprof's $want"
}

# same FIXTURE TYPE UNIT FILTERS...: a filter pprof finds nothing to do
# with: ember too shows the whole table.
same() {
    local f=$1 t=$2 u=$3
    shift 3
    mapfile -t eo < <(ember_opts "$@")
    mapfile -t po < <(pprof_opts "$@")
    "$EMBER" --top --raw -t "$t" "${eo[@]}" "$DATA/$f" >"$tmp/ember" 2>&1
    pprof_top "$DATA/$f" "$t" "$u" "${po[@]}" >"$tmp/pprof"
    pprof_top "$DATA/$f" "$t" "$u" >"$tmp/all"
    cmp -s "$tmp/pprof" "$tmp/all" && cmp -s "$tmp/ember" "$tmp/pprof" && ok ||
        ko "$f $*: pprof or ember filtered something"
}

# The oracle is not blind to a filter.
pprof_top "$DATA/go-cpu.pb.gz" cpu nanoseconds -focus=fib >"$tmp/a"
pprof_top "$DATA/go-cpu.pb.gz" cpu nanoseconds >"$tmp/b"
[ -s "$tmp/a" ] && ! cmp -s "$tmp/a" "$tmp/b" && ok || ko "pprof_top: blind to -focus"

# Go CPU: names, a file name (sort.go), recursion (main.fib), inlined frames
# (main.square inside main.addmul's location), methods (simplifyFunc)
G=go-cpu.pb.gz
check $G cpu nanoseconds 'focus=main\.fib'
check $G cpu nanoseconds 'focus=sort\.go'
check $G cpu nanoseconds 'ignore=^runtime\.'
check $G cpu nanoseconds 'hide=^runtime\.'
check $G cpu nanoseconds 'hide=main\.busy'
check $G cpu nanoseconds 'hide=^main\.(addmul|spin)$'
check $G cpu nanoseconds 'show=^(sort|crypto)'
check $G cpu nanoseconds 'show_from=^main\.busy$'
check $G cpu nanoseconds 'show_from=main\.(fib|isOdd)'
check $G cpu nanoseconds 'show_from=main\.addmul'
check $G cpu nanoseconds 'prune_from=^main\.busy$'
# simplifyFunc cuts a Go method at its first '(': Hasher matches nothing
same $G cpu nanoseconds 'prune_from=Hasher'
check $G cpu nanoseconds 'prune_from=^main\.fib$'
check $G cpu nanoseconds 'prune_from=^main\.addmul$'
check $G cpu nanoseconds 'prune_from=^embergen/work\.$'
check $G samples count 'focus=fib' 'ignore=isEven'
check $G cpu nanoseconds 'focus=main\.busy' 'hide=^crypto' 'show_from=Mix'
check $G cpu nanoseconds 'ignore=sort' 'show=main\.' 'prune_from=busy'
check $G cpu nanoseconds 'hide=busy' 'show_from=^main\.(fib|spin)' 'prune_from=main\.isOdd'

# Go heap: every sample type
for tu in alloc_objects:count alloc_space:bytes inuse_objects:count inuse_space:bytes; do
    check go-heap.pb.gz "${tu%:*}" "${tu#*:}" 'focus=^main\.alloc'
    check go-heap.pb.gz "${tu%:*}" "${tu#*:}" 'ignore=^main\.alloc(List|Map)$'
    check go-heap.pb.gz "${tu%:*}" "${tu#*:}" 'hide=^main\.'
    check go-heap.pb.gz "${tu%:*}" "${tu#*:}" 'show_from=^main\.main$' 'prune_from=^main\.alloc'
done

# Node wall time: names with spaces, a file name, recursion (fib)
N=node-wall.pb.gz
check $N wall nanoseconds 'focus=^fib$'
check $N wall nanoseconds 'focus=gen\.js'
check $N wall nanoseconds 'ignore=Garbage Collection'
check $N wall nanoseconds 'hide=^Module\.'
check $N wall nanoseconds 'show=^(fib|main|buildText)$'
check $N wall nanoseconds 'show_from=^main$'
check $N wall nanoseconds 'prune_from=^countWords$'
check $N sample count 'focus=main' 'hide=fib' 'prune_from=buildText'

# A Pyroscope fixture (the stand-in server's data)
P=pyro/profiles/checkout/cpu-05.pb.gz
check $P cpu nanoseconds 'focus=slowPath'
check $P cpu nanoseconds 'ignore=slowPath'
check $P cpu nanoseconds 'hide=^runtime/pprof\.Do$'
check $P cpu nanoseconds 'show=^main\.'
check $P cpu nanoseconds 'show_from=^main\.handleCheckout$'
check $P cpu nanoseconds 'prune_from=^main\.hashRounds$'

# The stacks themselves: --folded equals pprof's -traces (hide merges two
# paths into one, show_from cuts above, prune_from below).
stacks() {
    local f=$1 t=$2 u=$3 name
    shift 3
    name="--folded $f $*"
    mapfile -t eo < <(ember_opts "$@")
    mapfile -t po < <(pprof_opts "$@")
    "$EMBER" --folded -t "$t" "${eo[@]}" "$DATA/$f" 2>"$tmp/err" | LC_ALL=C sort >"$tmp/ember"
    "${PPROF[@]}" -traces -sample_index="$t" -unit="$u" "${po[@]}" "$DATA/$f" 2>/dev/null |
        pprof_stacks >"$tmp/pprof"
    "${PPROF[@]}" -traces -sample_index="$t" -unit="$u" "$DATA/$f" 2>/dev/null |
        pprof_stacks >"$tmp/all"
    if [ ! -s "$tmp/pprof" ] || cmp -s "$tmp/pprof" "$tmp/all"; then
        ko "$name: pprof's traces are empty or unfiltered (a useless case)"
    elif cmp -s "$tmp/ember" "$tmp/pprof"; then
        ok
    else
        ko "$name: ember --folded differs from go tool pprof -traces"
        diff "$tmp/pprof" "$tmp/ember" | head -6
    fi
}
stacks $G cpu nanoseconds 'hide=^main\.busy$'
stacks $G cpu nanoseconds 'hide=^(runtime|sort)\.'
stacks $G cpu nanoseconds 'show_from=^main\.(fib|isOdd)$'
stacks $G cpu nanoseconds 'prune_from=^main\.fib$'
stacks $G cpu nanoseconds 'prune_from=^embergen/work\.$'
stacks $G cpu nanoseconds 'focus=sort' 'hide=busy' 'show_from=func1$' 'prune_from=sort\.median'
stacks $N wall nanoseconds 'hide=^fib$'
stacks $N wall nanoseconds 'show_from=^buildText$'
stacks $N wall nanoseconds 'prune_from=^main$'
stacks $P cpu nanoseconds 'show=^main\.'

# pprof's spellings are accepted and mean the same
"$EMBER" --top --raw --show_from='^main\.busy$' --prune_from=Hasher "$DATA/$G" >"$tmp/a" 2>&1
"$EMBER" --top --raw --show-from='^main\.busy$' --prune-from=Hasher "$DATA/$G" >"$tmp/b" 2>&1
[ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b" && ok || ko "--show_from/--prune_from differ from the dash spellings"

# --top: pprof's lines, in ember's header; the shares are of the total
# before the filters (go tool pprof -top -focus=fib: "Showing nodes
# accounting for 410ms, 13.90% of 2950ms total", main.fib 13.90%)
"$EMBER" --top --focus=fib --hide=runtime "$DATA/$G" >"$tmp/top" 2>&1
want=$("${PPROF[@]}" -top -focus=fib -hide=runtime "$DATA/$G" 2>/dev/null |
    sed -n 's/^Showing nodes accounting for [^,]*, \([0-9.]*%\) of .*/\1/p')
sed -n 2,4p "$tmp/top" >"$tmp/lines"
printf 'Active filters:\n   focus=fib\n   hide=runtime\n' | cmp -s - "$tmp/lines" && ok ||
    ko "--top: no pprof 'Active filters:' lines: $(head -5 "$tmp/top")"
grep -q "^Showing nodes accounting for 410ms, $want of 2.95s total\$" "$tmp/top" && ok ||
    ko "--top: 'Showing nodes accounting for 410ms, $want of 2.95s total' missing: $(sed -n 5p "$tmp/top")"
grep -q " $want .* main\.fib\$" "$tmp/top" && ok || ko "--top: main.fib's share is not pprof's $want"

# --diff and --output see the filtered tree
"$EMBER" --top --raw --diff '{region="eu-north"}' '{region="us-east"}' --hide='^main\.busy$' \
    "$DATA/$G" >"$tmp/diff" 2>&1
! grep -q 'main\.busy$' "$tmp/diff" && grep -q 'main\.fib$' "$tmp/diff" && ok ||
    ko "--diff --hide: main.busy still there, or nothing: $(head -3 "$tmp/diff")"
"$EMBER" -o "$tmp/out.pb.gz" --show-from='^main\.busy$' "$DATA/$G" 2>"$tmp/err"
pprof_top "$tmp/out.pb.gz" cpu nanoseconds >"$tmp/a"
pprof_top "$DATA/$G" cpu nanoseconds -show_from='^main\.busy$' >"$tmp/b"
[ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b" && ok ||
    ko "--output with --show-from: the export's -top differs from pprof's -show_from: $(cat "$tmp/err")"

# Errors: one line naming the option and the regex, exit 1
"$EMBER" --top --focus='a(' "$DATA/$G" >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st = 1 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "^ember: --focus: a(: " "$tmp/err" && ok ||
    ko "--focus 'a(': exit $st, want 1 and 'ember: --focus: a(: reason': $(cat "$tmp/err")"
"$EMBER" --top --prune_from='x{99999}' "$DATA/$G" >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st = 1 ] && grep -q "^ember: --prune_from: x{99999}: " "$tmp/err" && ok ||
    ko "--prune_from 'x{99999}': exit $st: $(cat "$tmp/err")"
# \d is a literal d in POSIX (glibc): refused, not matched otherwise than
# pprof's RE2 (review, 6); \w is a word character in both
"$EMBER" --top --focus='main\.fi\d' "$DATA/$G" >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st = 1 ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
    grep -qF 'ember: --focus: main\.fi\d: an escape POSIX regular expressions do not have' "$tmp/err" && ok ||
    ko "--focus 'main\.fi\d': exit $st, want 1 and a refusal: $(cat "$tmp/err")"
check "$G" cpu nanoseconds 'focus=^main\.\w+y$'
# Unsymbolized locations are matched by their mapping's file, not by the
# names ember shows ([app], <unknown>); show drops them (no lines to keep):
# pprof -show=app prints "16 16 main" alone (review, 4)
check unsymbolized.pb samples count 'show=app'
check unsymbolized.pb samples count 'hide=libfoo'
"$EMBER" --top --raw --focus='^\[app\]$' "$DATA/unsymbolized.pb" >"$tmp/ember" 2>"$tmp/err"
pprof_top "$DATA/unsymbolized.pb" samples count -focus='^\[app\]$' >"$tmp/pprof"
[ ! -s "$tmp/ember" ] && [ ! -s "$tmp/pprof" ] && ok ||
    ko "--focus='^\[app\]\$' on unsymbolized.pb: ember kept $(wc -l <"$tmp/ember") rows, pprof none"
# a focus that matches nothing: an empty table, not an error (as pprof)
"$EMBER" --top --raw --focus=nosuchfunction "$DATA/$G" >"$tmp/out" 2>"$tmp/err" &&
    [ ! -s "$tmp/out" ] && ok || ko "--focus matching nothing: $(cat "$tmp/err")"

# At files granularity a frame holds no function: the filters match file and
# mapping names only, and batch output says so on stderr (pprof matches the
# functions before aggregating; the man page's FILTERS says the same).
if "$EMBER" --top --files --focus 'main' "$DATA/go-cpu.pb.gz" 2>&1 >/dev/null |
    grep -q "at files granularity a filter matches file and mapping names only"; then ok
else ko "--files --focus: no note on stderr"; fi

echo "filters: $pass passed, $fail failed"
[ "$fail" = 0 ]
