#!/usr/bin/env bash
# --base and --diff-base (issue 13) against go tool pprof's -base and
# -diff_base: ember's --top --raw equals pprof's -top in exact units row
# for row (pprof's order: |flat| descending, then name), for every sample
# type of four before/after pairs of real profiles (Go heap and CPU from
# tests/data/base, Node.js wall, Pyroscope's checkout CPU and heap);
# --folded equals pprof's -traces summed per stack; an exported pprof of a
# based profile reads in go tool pprof to the same table and total; bad
# bases fail with one line and exit 2. Run by `make base` (in make check).
# Usage: tests/base.sh path/to/ember
EMBER=${1:-build/ember}
DATA=tests/data
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

if ! command -v go >/dev/null || ! go tool pprof -h >/dev/null 2>&1; then
    echo "base: SKIP (go tool pprof missing: apt-get install golang-go)"
    exit 0
fi
PPROF=(go tool pprof -symbolize=none)

# "type unit" per line of FILE's sample types (pprof -raw's Samples: line)
sample_types() {
    "${PPROF[@]}" -raw "$1" 2>/dev/null | sed -n '/^Samples:$/{n;p;q;}' |
        tr ' ' '\n' | sed -nE 's#^(.+)/([^/]*)$#\1 \2#p'
}

# pprof's -unit that prints a type's values as they are (make-expected.sh)
pprof_unit() {
    case $1 in
    nanoseconds) echo ns ;; bytes) echo B ;; *) echo count ;;
    esac
}

# pprof_top TYPE UNIT [FLAGS...] FILE: "self<TAB>total<TAB>name" of -top in
# exact units, in pprof's order; rows with both 0 left out (ember lists no
# function whose self and total are 0, as the man page says)
pprof_top() {
    local t=$1 u=$2
    shift 2
    "${PPROF[@]}" -top -nodecount=0 -nodefraction=0 -edgefraction=0 -sample_index="$t" \
        -unit="$u" "$@" 2>/dev/null | awk '
    /^ +flat +flat% +sum% +cum +cum%$/ { rows = 1; next }
    !rows { next }
    {
        line = $0
        if (!match(line, /^ *-?[0-9.]+[A-Za-z]* +[^ ]+% +[^ ]+% +-?[0-9.]+[A-Za-z]* +[^ ]+%  /)) {
            print "unparsed: " line > "/dev/stderr"; exit 1
        }
        head = substr(line, 1, RLENGTH); name = substr(line, RLENGTH + 1)
        split(head, a, / +/); i = (a[1] == "") ? 2 : 1
        self = a[i]; tot = a[i + 3]; sub(/[A-Za-z]+$/, "", self); sub(/[A-Za-z]+$/, "", tot)
        sub(/ \((partial-)?inline\)$/, "", name)
        if (self + 0 == 0 && tot + 0 == 0) next
        printf "%s\t%s\t%s\n", self, tot, name
    }'
}

# pprof's header total ("of Z total") in exact units
pprof_total() {
    local t=$1 u=$2
    shift 2
    "${PPROF[@]}" -top -nodecount=1 -sample_index="$t" -unit="$u" "$@" 2>/dev/null |
        sed -nE 's/^Showing nodes accounting for .* of (-?[0-9.]+)[A-Za-z]* total$/\1/p'
}

# pprof_folded TYPE UNIT [FLAGS...]: -traces as "root;...;leaf<TAB>value",
# summed per stack, zeros left out, sorted
pprof_folded() {
    local t=$1 u=$2
    shift 2
    "${PPROF[@]}" -traces -sample_index="$t" -unit="$u" "$@" 2>/dev/null | awk '
    # a trace: label lines ("key:  value"), the value and leaf, then callers
    function flush(   s, i) {
        if (n) { s = f[n]; for (i = n - 1; i >= 1; i--) s = s ";" f[i]; sum[s] += v }
        n = 0; inside = 0
    }
    /^-+\+-+$/ { flush(); started = 1; next }
    !started { next }
    !inside && /^ *-?[0-9.]+[A-Za-z]*   [^ ]/ {
        line = $0; sub(/^ +/, "", line); v = line; sub(/ .*/, "", v); sub(/[A-Za-z]+$/, "", v)
        name = line; sub(/^[^ ]+   /, "", name); sub(/ \((partial-)?inline\)$/, "", name)
        n = 1; f[1] = name; inside = 1; next
    }
    inside { name = $0; sub(/^ +/, "", name); sub(/ \((partial-)?inline\)$/, "", name); f[++n] = name }
    END { flush(); for (s in sum) if (sum[s] != 0) printf "%s\t%d\n", s, sum[s] }' | LC_ALL=C sort
}

# The converter is not blind: -base changes pprof's table, and the folded
# traces sum to pprof's own total (the sum of the based samples).
pprof_top cpu ns "$DATA/base/cpu-2.pb.gz" >"$tmp/a"
pprof_top cpu ns -base "$DATA/base/cpu-1.pb.gz" "$DATA/base/cpu-2.pb.gz" >"$tmp/b"
[ -s "$tmp/a" ] && [ -s "$tmp/b" ] && ! cmp -s "$tmp/a" "$tmp/b" && grep -q '^-' "$tmp/b" && ok ||
    ko "pprof_top: no rows, no negative row, or blind to -base"

# NAME BASE NEW: every sample type of the pair
pairs='
go-heap base/heap-1.pb.gz base/heap-2.pb.gz
go-cpu base/cpu-1.pb.gz base/cpu-2.pb.gz
node-wall base/node-wall-1.pb.gz base/node-wall-2.pb.gz
pyro-cpu pyro/profiles/checkout/cpu-01.pb.gz pyro/profiles/checkout/cpu-05.pb.gz
pyro-heap pyro/profiles/checkout/heap-04.pb.gz pyro/profiles/checkout/heap-08.pb.gz
'
checked=0
while read -r name b n; do
    [ -n "$name" ] || continue
    b=$DATA/$b n=$DATA/$n
    while read -r t unit; do
        u=$(pprof_unit "$unit")
        for opt in base diff-base; do
            popt=-${opt/-/_}
            what="$name -t $t --$opt"
            pprof_top "$t" "$u" "$popt" "$b" "$n" >"$tmp/want"
            if "$EMBER" --top --raw -t "$t" --$opt "$b" "$n" >"$tmp/got" 2>"$tmp/err" &&
                [ -s "$tmp/want" ] && cmp -s "$tmp/want" "$tmp/got"; then ok
            else ko "$what: --top --raw differs from go tool pprof -top $popt: $(diff "$tmp/want" "$tmp/got" | head -5) $(head -c 200 "$tmp/err")"
            fi
            pprof_folded "$t" "$u" "$popt" "$b" "$n" >"$tmp/fwant"
            if "$EMBER" --folded -t "$t" --$opt "$b" "$n" 2>"$tmp/err" | LC_ALL=C sort >"$tmp/fgot" &&
                [ -s "$tmp/fwant" ] && cmp -s "$tmp/fwant" "$tmp/fgot"; then ok
            else ko "$what: --folded differs from go tool pprof -traces $popt: $(diff "$tmp/fwant" "$tmp/fgot" | head -5) $(head -c 200 "$tmp/err")"
            fi
            # ember's export of it, read by pprof: the same table; its total
            # is the diff base's (pprof::base samples), or, with --base, of
            # the two files' samples kept apart: pprof's totals of each added
            if [ $opt = diff-base ]; then
                total=$(pprof_total "$t" "$u" "$popt" "$b" "$n")
            else
                total=$(( $(pprof_total "$t" "$u" "$b") + $(pprof_total "$t" "$u" "$n") ))
            fi
            rm -f "$tmp/x.pb.gz"
            if "$EMBER" -t "$t" --$opt "$b" "$n" -o "$tmp/x.pb.gz" 2>"$tmp/err" &&
                pprof_top "$t" "$u" "$tmp/x.pb.gz" >"$tmp/xgot" && cmp -s "$tmp/want" "$tmp/xgot" &&
                [ "$total" = "$(pprof_total "$t" "$u" "$tmp/x.pb.gz")" ]; then ok
            else ko "$what: -o pprof read by go tool pprof differs from $popt: $(diff "$tmp/want" "$tmp/xgot" | head -5) $(head -c 200 "$tmp/err")"
            fi
        done
        checked=$((checked + 1))
    done < <(sample_types "$n")
done <<<"$pairs"
# 4 heap + 2 cpu + 2 node + 2 pyroscope cpu + 4 pyroscope heap types
[ "$checked" -eq 14 ] && ok || ko "checked $checked sample types, want 14"

# The pairs really differ: something shrank (a negative row) in each (the
# heap in use only grows: its pair the other way round).
for spec in base/heap-2.pb.gz:base/heap-1.pb.gz:inuse_space base/cpu-1.pb.gz:base/cpu-2.pb.gz:cpu \
    base/node-wall-1.pb.gz:base/node-wall-2.pb.gz:wall; do
    IFS=: read -r b n t <<<"$spec"
    "$EMBER" --top --raw -t "$t" --base "$DATA/$b" "$DATA/$n" | grep -q '^-' && ok ||
        ko "--base $b $n -t $t: no negative row"
done

# Repeated --base: every base is subtracted (the profile twice minus itself
# twice is nothing; pprof's command line keeps only the last -base).
c=$DATA/base/cpu-2.pb.gz
if "$EMBER" --top --raw --base "$c" --base "$c" "$c" "$c" >"$tmp/out" 2>"$tmp/err" &&
    ! awk -F'\t' '$1 != 0 || $2 != 0' "$tmp/out" | grep -q .; then ok
else ko "--base twice: not every value cancels: $(head -3 "$tmp/out") $(cat "$tmp/err")"
fi

# A base under filters: pprof's "Showing nodes accounting for X, Y% of Z
# total" (X the kept rows' signed sum, Z the total before the filters),
# ember's --top the same line (the share exact, its values as rounded). --base at --addresses: pprof's total
# is the |v| sum over address-level stacks (the man page says so).
showing_ns() {                  # the line's three numbers, in ns
    sed -nE 's/^Showing nodes accounting for (-?[0-9.]+[a-zµ]*), (-?[0-9.]+%) of (-?[0-9.]+[a-zµ]*) total$/\1 \2 \3/p' |
        awk 'function ns(v,  u) { u = v; sub(/^-?[0-9.]+/, "", u); v += 0
                 return v * (u == "s" ? 1e9 : u == "ms" ? 1e6 : u == "us" || u == "µs" ? 1e3 : 1) }
             { printf "%.0f %s %.0f\n", ns($1), $2, ns($3) }'
}
for spec in "base/cpu-1.pb.gz base/cpu-2.pb.gz cpu focus=^main\\.sortish\$" \
    "base/cpu-1.pb.gz base/cpu-2.pb.gz cpu ignore=^main\\.hash\$" \
    "base/cpu-1.pb.gz base/cpu-2.pb.gz cpu hide=^main\\.parse\$" \
    "base/node-wall-1.pb.gz base/node-wall-2.pb.gz wall focus=^busyFor\$" \
    "base/node-wall-1.pb.gz base/node-wall-2.pb.gz wall ignore=^fib\$"; do
    read -r b n t flt <<<"$spec"
    for opt in base diff-base; do
        gran=; [ $opt = base ] && gran=--addresses
        want=$("${PPROF[@]}" -top -nodecount=0 -nodefraction=0 -edgefraction=0 -sample_index="$t" -unit=ns "-${flt%%=*}=${flt#*=}" \
            "-${opt/-/_}" "$DATA/$b" "$DATA/$n" 2>/dev/null | showing_ns)
        got=$("$EMBER" --top -t "$t" $gran "--${flt%%=*}=${flt#*=}" "--$opt" "$DATA/$b" "$DATA/$n" 2>&1 | showing_ns)
        # the same share; the values as ember rounds them (3 digits)
        [ -n "$want" ] && awk -v w="$want" -v g="$got" 'BEGIN {
            split(w, a, " "); split(g, b, " "); if (a[2] != b[2]) exit 1
            for (i = 1; i <= 3; i += 2) { d = a[i] - b[i]; if (d < 0) d = -d
                m = a[i] < 0 ? -a[i] : a[i]; if (d > m * 0.005 + 0.5) exit 1 }
        }' && ok || ko "--$opt $b $n --$flt: 'Showing nodes' $got, pprof $want"
    done
done

# A profile that holds negative values already (pprof -proto -base, or
# -diff_base with its pprof::base labels, or ember's own -o of a based
# profile): its shares are of pprof's computeTotal (the |v| sum, of the
# pprof::base samples when some are), with or without --base. The first
# rows' |self%| and |total%| as go tool pprof -top prints flat% and cum%.
top_shares() {                  # self% total% of the first 4 rows, unsigned
    awk '/^ +(self|flat) / { rows = 1; next } rows && n++ < 4 {
        a = $2; b = $5; sub(/^-/, "", a); sub(/^-/, "", b); print a, b }'
}
for pair in "base/cpu-1.pb.gz base/cpu-2.pb.gz cpu" "base/node-wall-1.pb.gz base/node-wall-2.pb.gz wall"; do
    read -r b n t <<<"$pair"
    "${PPROF[@]}" -proto -base "$DATA/$b" "$DATA/$n" >"$tmp/pb.pb.gz" 2>/dev/null
    "${PPROF[@]}" -proto -diff_base "$DATA/$b" "$DATA/$n" >"$tmp/pd.pb.gz" 2>/dev/null
    "$EMBER" -t "$t" --base "$DATA/$b" "$DATA/$n" -o "$tmp/eb.pb.gz" --force 2>/dev/null
    "$EMBER" -t "$t" --diff-base "$DATA/$b" "$DATA/$n" -o "$tmp/ed.pb.gz" --force 2>/dev/null
    for x in pb pd eb ed; do
        want=$("${PPROF[@]}" -top -sample_index="$t" -nodefraction=0 "$tmp/$x.pb.gz" 2>/dev/null | top_shares)
        got=$("$EMBER" --top -t "$t" "$tmp/$x.pb.gz" 2>&1 | top_shares)
        [ -n "$want" ] && [ "$want" = "$got" ] && ok ||
            ko "$b $n as $x.pb.gz: shares $(echo $got), pprof $(echo $want)"
    done
done

# A range or a file= query selects the profile's samples; the base is
# subtracted whatever they select (pprof always subtracts it): cpu-2 was
# taken at 03:38:57.83, cpu-1 at 03:38:56.71 (pprof -raw's Time:), so
# --from 03:38:57 leaves cpu-1 outside the range, file= names cpu-2 only.
b=$DATA/base/cpu-1.pb.gz n=$DATA/base/cpu-2.pb.gz
pprof_top cpu ns -base "$b" "$n" >"$tmp/want"
range_keeps_base() {            # ARGS... (a selection)
    if "$EMBER" --top --raw "$@" --base "$b" "$n" >"$tmp/got" 2>"$tmp/err" && cmp -s "$tmp/want" "$tmp/got"
    then ok
    else ko "--base with $*: the base is not subtracted: $(diff "$tmp/want" "$tmp/got" | head -3) $(cat "$tmp/err")"
    fi
}
range_keeps_base --from 2026-12-02T03:38:57Z
range_keeps_base -q '{file="cpu-2.pb.gz"}'
range_keeps_base --until 2026-12-02T03:39:00Z -q '{file=~"cpu-2.*"}'

# ember's --folded of a based profile (negative counts) reads back to the
# same table (flamegraph.pl reads no negative count; the man page says so).
for pair in "cpu base/cpu-1.pb.gz base/cpu-2.pb.gz" "inuse_space base/heap-2.pb.gz base/heap-1.pb.gz"; do
    read -r t b n <<<"$pair"
    "$EMBER" --folded -t "$t" --base "$DATA/$b" "$DATA/$n" >"$tmp/b.folded" 2>"$tmp/err"
    "$EMBER" --top --raw -t "$t" --base "$DATA/$b" "$DATA/$n" >"$tmp/want" 2>>"$tmp/err"
    if grep -q '[[:space:]]-[0-9]' "$tmp/b.folded" && "$EMBER" --top --raw "$tmp/b.folded" >"$tmp/got" 2>>"$tmp/err" &&
        cmp -s "$tmp/want" "$tmp/got"; then ok
    else ko "--folded -t $t --base $b $n does not read back: $(diff "$tmp/want" "$tmp/got" | head -3) $(head -c 300 "$tmp/err")"
    fi
done

# Bad bases: one line naming the base, exit 2 (bad usage: exit 1).
expect_fail() {                 # STATUS WANT-SUBSTRING ARGS...
    local want_rc=$1 want=$2 rc
    shift 2
    "$EMBER" --top "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq "$want_rc" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -qF -- "$want" "$tmp/err" &&
        [ ! -s "$tmp/out" ]; then ok
    else ko "ember --top $*: want exit $want_rc and one line with '$want', got $rc: $(cat "$tmp/err")"
    fi
}
expect_fail 2 "ember: $DATA/go-heap.pb.gz: its sample types (alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes) differ from the profile's (samples/count cpu/nanoseconds)" \
    --base "$DATA/go-heap.pb.gz" "$DATA/go-cpu.pb.gz"
expect_fail 2 "ember: $DATA/go-cpu.pb.gz: its sample types" --diff-base "$DATA/go-cpu.pb.gz" "$DATA/node-wall.pb.gz"
expect_fail 2 "ember: $DATA/bad/no-samples.pb: profile has no samples" --base "$DATA/bad/no-samples.pb" "$DATA/go-cpu.pb.gz"
expect_fail 2 "ember: $DATA/bad/garbage.bin: not a pprof profile" --base "$DATA/bad/garbage.bin" "$DATA/go-cpu.pb.gz"
expect_fail 2 "ember: $tmp/none.pb: No such file" --base "$tmp/none.pb" "$DATA/go-cpu.pb.gz"
expect_fail 1 "need a profile FILE" --base "$DATA/go-cpu.pb.gz"
expect_fail 1 "do not go with --diff" --base "$c" --diff "$c" "$c"
"$EMBER" --top --base "$c" --diff-base "$c" "$c" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q -- "--base and --diff-base cannot both be given" "$tmp/err" && ok ||
    ko "--base with --diff-base: not a usage error: $(cat "$tmp/err")"

# Exports: a flamegraph format cannot hold a negative value (refused, one
# line, exit 2, no file); the text table can (the shrink's row is there).
for ext in svg json speedscope.json; do
    "$EMBER" --base "$DATA/base/cpu-1.pb.gz" "$DATA/base/cpu-2.pb.gz" -o "$tmp/x.$ext" 2>"$tmp/err"
    [ $? -eq 2 ] && [ ! -e "$tmp/x.$ext" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
        grep -q "holds no negative values" "$tmp/err" && ok ||
        ko "-o x.$ext of a based profile: not refused: $(cat "$tmp/err")"
done
"$EMBER" -t cpu --base "$DATA/base/cpu-1.pb.gz" "$DATA/base/cpu-2.pb.gz" -o "$tmp/x.txt" \
    --format text 2>"$tmp/err" && grep -qE '^ *-350ms +-[0-9.]+% .* main\.hash$' "$tmp/x.txt" && ok ||
    ko "-o text of a based profile: no '-350ms ... main.hash' row (pprof: -0.35s): $(head -3 "$tmp/x.txt") $(cat "$tmp/err")"

echo "base: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
