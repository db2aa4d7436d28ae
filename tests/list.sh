#!/usr/bin/env bash
# --list RE (pprof's -list) against go tool pprof -list itself on real
# profiles: Go CPU, Go heap, Node wall, a Pyroscope fixture; the source
# found by --source-path and --trim-path (pprof's options, the same words
# given to both) or not found (pprof's " Error:" line; ember then adds the
# lines' numbers alone, which the comparison drops); --raw against pprof's
# exact units (-unit=ns, -unit=B). Then hostile sources: control bytes, a
# 50 MB line, a binary file, a FIFO, a missing file: bounded, escaped,
# never hanging. Skips the pprof part when go is missing.
# Usage: tests/list.sh path/to/ember
set -u
EMBER=${1:?usage: tests/list.sh EMBER}
DATA=tests/data
export LC_ALL=C GOPATH=/usr/share/gocode GO111MODULE=off
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

# ember's listing without the numbers-alone lines it adds after a file
# pprof could not read (pprof prints nothing more there).
pprof_part() {
    awk '/^ROUTINE|^Total:|^No source/ { skip = 0 } !skip { print } /^ Error:/ { skip = 1 }' "$1"
}

# The numbers of a listing, units dropped (pprof -unit=ns prints 10000000ns,
# ember --raw 10000000): each routine's header and every line's flat, cum
# and number, in order.
numbers() {
    awk '/^ROUTINE/ { print; next }
         /\(flat, cum\)/ { print "T", $1 + 0, $2 + 0, $5; next }
         /^ *([0-9.]+[a-zA-Z]*|\.) +([0-9.]+[a-zA-Z]*|\.) +[0-9]+:/ {
             n = $3; sub(/:.*/, "", n); print "L", $1 + 0, $2 + 0, n }' "$1"
}

# compare WHAT PPROF_ARGS -- EMBER_ARGS: the listings agree (ember's
# without its numbers-alone lines) and have lines with numbers.
compare() {
    local what=$1 p=() e=()
    shift
    while [ "$1" != -- ]; do p+=("$1"); shift; done
    shift
    e=("$@")
    if ! go tool pprof "${p[@]}" >"$tmp/p" 2>"$tmp/perr"; then
        ko "$what: go tool pprof failed: $(head -2 "$tmp/perr")"; return
    fi
    if ! "$EMBER" "${e[@]}" >"$tmp/e" 2>"$tmp/eerr"; then
        ko "$what: ember failed: $(head -2 "$tmp/eerr")"; return
    fi
    if pprof_part "$tmp/e" | cmp -s - "$tmp/p" && grep -q '^ROUTINE' "$tmp/p"; then ok
    else ko "$what: ember --list differs from go tool pprof -list"
        pprof_part "$tmp/e" | diff - "$tmp/p" | head -8
    fi
}

if command -v go >/dev/null && go tool pprof -h >/dev/null 2>&1; then
    go=$DATA/go pyro=$DATA/pyro
    cpu=$DATA/go-cpu.pb.gz heap=$DATA/go-heap.pb.gz node=$DATA/node-wall.pb.gz
    checkout=$pyro/profiles/checkout/cpu-05.pb.gz
    # 1. Found through --source-path and --trim-path: Go's paths are
    # recorded as embergen/main.go (-trimpath builds), so the trim makes
    # them main.go under tests/data/go.
    compare "go cpu, found" -source_path "$go" -trim_path embergen -list 'main\.' "$cpu" -- \
        --source-path "$go" --trim-path embergen --list 'main\.' "$cpu"
    grep -q 'main.go' "$tmp/p" && grep -q '^ *[0-9.]*ms .*return fib(n-1)' "$tmp/e" && ok ||
        ko "go cpu: fib's source line with its numbers"
    compare "go heap alloc_space, found" -sample_index=alloc_space -source_path "$go" \
        -trim_path embergen -list 'main\.alloc' "$heap" -- \
        -t alloc_space --source-path "$go" --trim-path embergen --list 'main\.alloc' "$heap"
    compare "go heap inuse_space, every function" -sample_index=inuse_space -source_path "$go" \
        -trim_path embergen -list . "$heap" -- \
        -t inuse_space --source-path "$go" --trim-path embergen --list . "$heap"
    # Pyroscope's fixture records /work/wt-pyroserver/tests/data/pyro/gen/gen.go,
    # a path not on this host: --source-path alone finds it by pprof's
    # heuristic (the search directory's base name, gen, in the path) ...
    compare "pyroscope checkout, --source-path alone" -source_path "$pyro/gen" \
        -list 'main\.(slowPath|chargeCard)' "$checkout" -- \
        --source-path "$pyro/gen" --list 'main\.(slowPath|chargeCard)' "$checkout"
    grep -q 'func slowPath' "$tmp/e" && ok || ko "pyroscope: slowPath's source not shown"
    # ... and with --trim-path, what is left is searched under --source-path.
    compare "pyroscope checkout, --trim-path" -source_path "$pyro" \
        -trim_path /work/wt-pyroserver/tests/data/pyro -list 'main\.' "$checkout" -- \
        --source-path "$pyro" --trim-path /work/wt-pyroserver/tests/data/pyro \
        --list 'main\.' "$checkout"
    grep -q 'in gen/gen.go' "$tmp/e" && ok || ko "pyroscope: trimmed to gen/gen.go"
    # 2. Not found: pprof's Error line; ember's numbers-alone lines follow.
    compare "go cpu, not found" -list 'main\.fib$' "$cpu" -- --list 'main\.fib$' "$cpu"
    grep -q '^ Error: could not find file embergen/main.go on path ' "$tmp/e" &&
        grep -q '^ *[0-9.]*ms *[0-9.]*ms *34:$' "$tmp/e" && ok ||
        ko "go cpu, not found: the Error line, then line 34's numbers alone"
    compare "node wall, not found" -list 'fib|work' "$node" -- --list 'fib|work' "$node"
    compare "node wall, every function" -list . "$node" -- --list . "$node"
    # (the recorded path is a worktree's that may exist on this host)
    if [ -e /work/wt-pyroserver/tests/data/pyro/gen/gen.go ]; then
        echo "list: /work/wt-pyroserver exists: the pyroscope not-found case is skipped"
    else
        compare "pyroscope, not found" -list 'main\.' "$checkout" -- --list 'main\.' "$checkout"
        grep -q '^ Error: open /work/wt-pyroserver/tests/data/pyro/gen/gen.go: no such file' \
            "$tmp/e" && ok || ko "pyroscope, not found: pprof's open error"
    fi
    # 2b. Under filters "Total:" and the shares are of the total before
    # them (pprof's computeTotal runs before its focus): 2.95s, isOdd's
    # 30ms 1.02% (not Total 20ms, 150%).
    compare "go cpu, --focus" -source_path "$go" -trim_path embergen -focus '^main\.isEven$' \
        -list '^main\.isOdd$' "$cpu" -- --source-path "$go" --trim-path embergen \
        --focus '^main\.isEven$' --list '^main\.isOdd$' "$cpu"
    grep -q '^Total: 2.95s$' "$tmp/e" && ok || ko "--focus: Total is not the unfiltered 2.95s"
    compare "go cpu, --ignore" -source_path "$go" -trim_path embergen -ignore 'main\.isEven' \
        -list 'main\.isOdd|main\.fib$' "$cpu" -- --source-path "$go" --trim-path embergen \
        --ignore 'main\.isEven' --list 'main\.isOdd|main\.fib$' "$cpu"
    # -q is the selection, as --top's: shares of the query's total, which
    # is pprof's -tagfocus with -relative_percentages (1.40s) ...
    compare "go cpu, -q" -source_path "$go" -trim_path embergen -tagfocus region=us-east \
        -relative_percentages -list 'main\.fib$' "$cpu" -- --source-path "$go" \
        --trim-path embergen -q '{region="us-east"}' --list 'main\.fib$' "$cpu"
    # ... and a --focus inside it keeps that total (1.40s, the line above).
    "$EMBER" -q '{region="us-east"}' --focus '^main\.fib$' --list '^main\.fib$' "$cpu" \
        >"$tmp/e" 2>&1
    grep -q '^Total: 1.40s$' "$tmp/e" && ok || ko "-q and --focus: Total is not the query's 1.40s"
    # --diff-base: pprof's shares are of the base's total (820ms).
    compare "go cpu, --diff-base" -diff_base "$DATA/base/cpu-1.pb.gz" -list 'main\.' \
        "$DATA/base/cpu-2.pb.gz" -- --diff-base "$DATA/base/cpu-1.pb.gz" --list 'main\.' \
        "$DATA/base/cpu-2.pb.gz"
    grep -q '^Total: 820ms$' "$tmp/e" && ok || ko "--diff-base: Total is not the base's 820ms"
    compare "go cpu, --base and --focus" -base "$DATA/base/cpu-1.pb.gz" -focus 'main\.hash' \
        -list 'main\.' "$DATA/base/cpu-2.pb.gz" -- --base "$DATA/base/cpu-1.pb.gz" \
        --focus 'main\.hash' --list 'main\.' "$DATA/base/cpu-2.pb.gz"
    # 2c. Function.start_line (Go >= 1.20 writes it; this Go 1.19 fixture
    # has none): go-cpu with each main.X of go/main.go given the line of
    # its "func X(" (fib 30, spin 53), re-encoded by protoc. pprof starts
    # the listing there, not 5 lines before the first line with samples.
    if protoc --decode=perftools.profiles.Profile -Iproto profile.proto <"$DATA/go-cpu.pb" \
        >"$tmp/c.txt" 2>"$tmp/perr"; then
        awk -v src="$go/main.go" '
            BEGIN { while ((getline l < src) > 0) { n++
                        if (match(l, /^func [A-Za-z0-9_]+\(/))
                            start["main." substr(l, 6, RLENGTH - 6)] = n } }
            FNR == NR { if ($1 == "string_table:") { s = substr($0, index($0, "\"") + 1)
                            sub(/"$/, "", s); str[ns++] = s }
                        next }
            /^function \{/ { infn = 1 }
            infn && $1 == "name:" { nm = str[$2] }
            infn && /^\}/ { if (nm in start) print "  start_line: " start[nm]; infn = 0 }
            { print }' "$tmp/c.txt" "$tmp/c.txt" >"$tmp/s.txt"
        protoc --encode=perftools.profiles.Profile -Iproto profile.proto <"$tmp/s.txt" \
            >"$tmp/start.pb"
        compare "go cpu with start_line" -source_path "$go" -trim_path embergen \
            -list 'main\.(fib|spin)$' "$tmp/start.pb" -- --source-path "$go" \
            --trim-path embergen --list 'main\.(fib|spin)$' "$tmp/start.pb"
        sed -n 4p "$tmp/e" |
            grep -q '^ *160ms *170ms *30:func fib' && grep -q '^ *\. *\. *53:func spin' "$tmp/e" &&
            ! grep -q ' 25:func square' "$tmp/e" && ok ||
            ko "start_line: fib's listing starts at 30, spin's at 53"
    else
        ko "protoc --decode failed: $(head -2 "$tmp/perr")"
    fi
    # 3. --raw: exact values, compared with pprof's exact units.
    for t in cpu:ns:$cpu alloc_space:B:$heap wall:ns:$node; do
        IFS=: read -r type unit f <<<"$t"
        go tool pprof -sample_index="$type" -unit="$unit" -source_path "$go" -trim_path embergen \
            -list 'main|fib' "$f" >"$tmp/p" 2>/dev/null
        "$EMBER" --raw -t "$type" --source-path "$go" --trim-path embergen --list 'main|fib' \
            "$f" >"$tmp/e" 2>&1
        numbers "$tmp/p" >"$tmp/pn"
        pprof_part "$tmp/e" >"$tmp/ep"
        numbers "$tmp/ep" >"$tmp/en"
        if [ -s "$tmp/pn" ] && cmp -s "$tmp/pn" "$tmp/en" &&
            ! grep -q '[0-9]\(ns\|ms\|s\|B\|kB\|MB\) ' "$tmp/ep"; then ok
        else ko "--raw -t $type $f: numbers differ from pprof -unit=$unit"
            diff "$tmp/en" "$tmp/pn" | head -5
        fi
    done
else
    echo "list: go tool pprof not found: the comparisons are skipped"
fi

# 4. Hostile sources. A crafted profile names five functions, one file
# each (relative paths, found under --source-path): control bytes in
# the source, a 50 MB line, a binary file, a FIFO, a missing file.
# Values by hand: ctrl 10 at line 2, longline 20 at line 2, binary 30 at
# line 1, fifo 40 at line 1, missing 50 at line 7 (total 150).
src=$tmp/src
mkdir -p "$src"
printf 'int a;\n\tx = "\033]0;pwned\007\033[2J\233" \xc2\x9b;\nint b;\n' >"$src/ctrl.c"
{ echo first; head -c 50000000 /dev/zero | tr '\0' x; printf '\nlast\n'; } >"$src/long.c"
printf 'ELF\0\0\0\033[2J\nsecond\n' >"$src/bin.c"
mkfifo "$src/fifo.c"
cat >"$tmp/h.txtpb" <<'PB'
sample_type { type: 1 unit: 2 }
sample { location_id: [1] value: [10] }
sample { location_id: [2] value: [20] }
sample { location_id: [3] value: [30] }
sample { location_id: [4] value: [40] }
sample { location_id: [5] value: [50] }
location { id: 1 line { function_id: 1 line: 2 } }
location { id: 2 line { function_id: 2 line: 2 } }
location { id: 3 line { function_id: 3 line: 1 } }
location { id: 4 line { function_id: 4 line: 1 } }
location { id: 5 line { function_id: 5 line: 7 } }
function { id: 1 name: 3 filename: 4 }
function { id: 2 name: 5 filename: 6 }
function { id: 3 name: 7 filename: 8 }
function { id: 4 name: 9 filename: 10 }
function { id: 5 name: 11 filename: 12 }
string_table: ""
string_table: "samples"
string_table: "count"
string_table: "ctrl\033[31m"
string_table: "ctrl.c"
string_table: "longline"
string_table: "long.c"
string_table: "binary"
string_table: "bin.c"
string_table: "fifo"
string_table: "fifo.c"
string_table: "missing"
string_table: "/nonexistent/missing.c"
PB
if protoc --encode=perftools.profiles.Profile -Iproto profile.proto <"$tmp/h.txtpb" \
    >"$tmp/h.pb" 2>"$tmp/perr"; then
    timeout 20 "$EMBER" --raw --source-path "$src" --list . "$tmp/h.pb" >"$tmp/h" 2>"$tmp/herr"
    rc=$?
    [ $rc = 0 ] && ok || ko "hostile: exit $rc (124: it hung): $(head -2 "$tmp/herr")"
    size=$(wc -c <"$tmp/h")
    [ "$size" -lt 20000 ] && ok || ko "hostile: $size bytes of output (the 50 MB line not cut)"
    if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$tmp/h" ||
        LC_ALL=C grep -q "$(printf '\233')" "$tmp/h"; then
        ko "hostile: a control byte reached the output"; od -c "$tmp/h" | head -5
    else ok; fi
    # The function name and the source text escaped; the tab kept (pprof's).
    grep -q 'ROUTINE =* ctrl\\x1b\[31m in ctrl.c' "$tmp/h" &&
        grep -q "$(printf '^ *10 *10 *2:\tx = "\\\\x1b]0;pwned\\\\x07')" "$tmp/h" && ok ||
        ko "hostile: ctrl's name and line 2 escaped"
    grep -q '^ *20 *20 *2:$' "$tmp/h" && grep -q '^ *\. *\. *1:first$' "$tmp/h" && ok ||
        ko "hostile: the 50 MB line: line 1 shown, line 2 (past what is read) numbers alone"
    grep -q '^ Error: .*bin.c: a binary file$' "$tmp/h" && grep -q '^ *30 *30 *1:$' "$tmp/h" &&
        ok || ko "hostile: the binary file: an Error line, then the numbers alone"
    grep -q '^ Error: .*fifo.c: not a regular file$' "$tmp/h" && grep -q '^ *40 *40 *1:$' "$tmp/h" &&
        ok || ko "hostile: the FIFO: not read, numbers alone"
    grep -q '^ Error: open /nonexistent/missing.c: no such file or directory$' "$tmp/h" &&
        grep -q '^ *50 *50 *7:$' "$tmp/h" && ok || ko "hostile: the missing file"
    grep -q '^Total: 150$' "$tmp/h" && ok || ko "hostile: Total 150 (10+20+30+40+50)"
else
    ko "protoc failed: $(head -2 "$tmp/perr")"
fi

# 5. Bad input: one line, a non-zero exit.
"$EMBER" --list '(' "$DATA/go-cpu.pb.gz" >/dev/null 2>"$tmp/err"
[ $? != 0 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q '^ember: --list: (' "$tmp/err" && ok ||
    ko "a bad RE: one line and an error exit: $(cat "$tmp/err")"
"$EMBER" --list 'no_such_function_zzz' "$DATA/go-cpu.pb.gz" >/dev/null 2>"$tmp/err"
[ $? != 0 ] && grep -q '^ember: no matches found for regexp: no_such_function_zzz$' "$tmp/err" &&
    ok || ko "no match: pprof's words: $(cat "$tmp/err")"

# An empty RE is no listing (pprof: no list); Go's \d and (?i), which
# POSIX ERE has not, are said so, not matched as something else.
"$EMBER" --list '' "$DATA/go-cpu.pb.gz" >/dev/null 2>"$tmp/err"
[ $? = 1 ] && grep -q "^ember: --list: an empty RE lists nothing" "$tmp/err" && ok ||
    ko "--list '': refused: $(cat "$tmp/err")"
for re in 'main\.fib\d' '(?i)MAIN\.fib'; do
    "$EMBER" --list "$re" "$DATA/go-cpu.pb.gz" >/dev/null 2>"$tmp/err"
    [ $? != 0 ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
        grep -q "^ember: --list: .*: .* Go's: POSIX ERE" "$tmp/err" && ok ||
        ko "--list '$re': Go syntax said so: $(cat "$tmp/err")"
done

echo "list: $pass passed, $fail failed"
[ "$fail" = 0 ]
