# The one converter of go tool pprof's output to ember's (sourced by the
# tests; it defines functions only). PPROF may be set before sourcing
# (default: go tool pprof -symbolize=none).
[ -n "${PPROF+x}" ] || PPROF=(go tool pprof -symbolize=none)

# pprof_rows: go tool pprof -top (on stdin) as ember's --top --raw:
# "self<TAB>total<TAB>name" in the units -top printed (ask for exact ones
# with -unit=), sorted as ember sorts (self descending, then name, bytes),
# rows with both zero left out (ember lists no such function), pprof's
# "(inline)" marks dropped.
pprof_rows() {
    awk '
    /^ +flat +flat% +sum% +cum +cum%$/ { rows = 1; next }
    !rows { next }
    match($0, /^ *-?[0-9.]+[A-Za-z]* +[^ ]+% +[^ ]+% +-?[0-9.]+[A-Za-z]* +[^ ]+%  /) {
        head = substr($0, 1, RLENGTH); name = substr($0, RLENGTH + 1)
        split(head, a, / +/); i = (a[1] == "") ? 2 : 1
        self = a[i]; tot = a[i + 3]; sub(/[A-Za-z]+$/, "", self); sub(/[A-Za-z]+$/, "", tot)
        sub(/ \((partial-)?inline\)$/, "", name)
        if (self + 0 || tot + 0) printf "%s\t%s\t%s\n", self, tot, name
        next
    }
    { print "unparsed: " $0 > "/dev/stderr"; exit 1 }' | LC_ALL=C sort -t "$(printf '\t')" -k1,1nr -k3
}

# pprof_top FILE TYPE UNIT [FLAGS...]: go tool pprof -top of FILE's sample
# type TYPE in UNIT, every node, as pprof_rows converts it.
pprof_top() {
    local f=$1 t=$2 u=$3
    shift 3
    "${PPROF[@]}" -top -nodecount=0 -nodefraction=0 -edgefraction=0 -sample_index="$t" \
        -unit="$u" "$@" "$f" 2>/dev/null | pprof_rows
}

# pprof_stacks: go tool pprof -traces (on stdin) as ember's --folded:
# every stack root first with its value, identical stacks summed, labels
# dropped, sorted (bytes).
pprof_stacks() {
    awk '
    function flush() { if (n > 0 && v != 0) { s = f[n]; for (i = n - 1; i >= 1; i--) s = s ";" f[i]; sum[s] += v }; n = 0 }
    /^-----------\+/ { flush(); next }
    /^             [^ ]/ { name = substr($0, 14); sub(/ \((partial-)?inline\)$/, "", name); f[++n] = name; next }
    $1 ~ /:$/ { next }
    /^ *-?[0-9.]+[A-Za-z]*   / {
        flush(); v = $1; sub(/[A-Za-z]+$/, "", v); v += 0
        name = $0; sub(/^ *-?[0-9.]+[A-Za-z]*   /, "", name); sub(/ \((partial-)?inline\)$/, "", name)
        f[n = 1] = name; next
    }
    END { flush(); for (s in sum) printf "%s\t%.0f\n", s, sum[s] }' | LC_ALL=C sort
}
