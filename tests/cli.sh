#!/usr/bin/env bash
# Runs the built binary as a user or a script would, and compares what it
# prints with expectations derived by `go tool pprof` (tests/data/expected,
# remade by tests/data/make-expected.sh) or written by hand.
# Usage: tests/cli.sh path/to/ember [path/to/bench-gen]
set -u
EMBER=${1:?usage: tests/cli.sh EMBER}
DATA=tests/data
export LC_ALL=C
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

# The fixture files for an expected-output base name, in every container.
fixtures_for() {
    local f
    for f in "$DATA/$1".* "$DATA/bad/$1".*; do
        case $f in *.txtpb | *.md | *'*'*) continue ;; esac
        [ -f "$f" ] && echo "$f"
    done
}

# 1. Numbers agree with go tool pprof, for every fixture and sample type.
for want in "$DATA"/expected/*.top; do
    base=$(basename "$want" .top)
    name=${base%.*} type=${base##*.}
    for f in $(fixtures_for "$name"); do
        if "$EMBER" --top --raw -t "$type" "$f" >"$tmp/out" 2>"$tmp/err" &&
            cmp -s "$tmp/out" "$want"; then ok
        else ko "--top --raw -t $type $f differs from $want"; diff "$tmp/out" "$want" | head -5
        fi
        folded=$DATA/expected/$base.folded
        if "$EMBER" --folded -t "$type" "$f" 2>"$tmp/err" | sort >"$tmp/out" &&
            cmp -s "$tmp/out" "$folded"; then ok
        else ko "--folded -t $type $f differs from $folded"; diff "$tmp/out" "$folded" | head -5
        fi
    done
done

# 2. Bad input: one line on stderr naming the file, exit status 2.
expect_error() {            # FILE REASON-SUBSTRING [EXTRA ARGS...]
    local file=$1 reason=$2
    shift 2
    "$EMBER" --top "$@" "$file" >"$tmp/out" 2>"$tmp/err"
    local rc=$? lines
    lines=$(wc -l <"$tmp/err")
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -q "^ember: $file: .*$reason" "$tmp/err" &&
        [ ! -s "$tmp/out" ]; then ok
    else ko "$file: want exit 2 and 'ember: $file: ...$reason', got $rc: $(cat "$tmp/err")"
    fi
}
expect_error "$DATA/bad/empty.file" "empty file"
expect_error "$DATA/bad/garbage.bin" "not a pprof profile"
expect_error "$DATA/bad/bitflip.pb" "not a pprof profile"
expect_error "$DATA/bad/truncated.pb" "truncated pprof data"
expect_error "$DATA/bad/truncated.pb.gz" "truncated or corrupt gzip"
expect_error "$DATA/bad/truncated.pb.zst" "truncated zstd"
expect_error "$DATA/bad/missing-location.pb" "location 999 not found"
expect_error "$DATA/bad/missing-function.pb" "function 77 not found"
expect_error "$DATA/bad/bad-string.pb" "string index 500 out of range"
expect_error "$DATA/bad/no-samples.pb" "no samples"
expect_error "$DATA/bad/folded-bad.txt" "line 3: no sample count"
expect_error "$DATA/bad/bomb.pb.zst" "exceeds the limit of 1024 MiB"
expect_error "$DATA/bad/bomb.pb.gz" "exceeds the limit of 64 MiB" --max-size 64M
expect_error "$DATA/go-cpu.pb.gz" "exceeds the limit" --max-size 1K
expect_error "$DATA/go-cpu.pb" "exceeds the limit" --max-size 1K
expect_error "$DATA/no-such-file" "No such file or directory"
if [ "$(id -u)" != 0 ]; then
    cp "$DATA/go-cpu.pb" "$tmp/unreadable.pb" && chmod 000 "$tmp/unreadable.pb"
    expect_error "$tmp/unreadable.pb" "Permission denied"
fi

# A bad file among good ones still fails, naming the bad one.
"$EMBER" --top "$DATA/go-cpu.pb" "$DATA/bad/garbage.bin" >/dev/null 2>"$tmp/err"
if [ $? -eq 2 ] && grep -q "^ember: $DATA/bad/garbage.bin: " "$tmp/err"; then ok
else ko "a bad file among good ones: $(cat "$tmp/err")"; fi

# 3. Usage errors: exit 1.
expect_usage() {
    "$EMBER" "$@" >/dev/null 2>"$tmp/err"
    if [ $? -eq 1 ] && grep -q "^ember: " "$tmp/err"; then ok
    else ko "ember $*: want a usage error with exit 1"; fi
}
expect_usage --no-such-option
expect_usage --max-size lots "$DATA/go-cpu.pb"
expect_usage -n -3 "$DATA/go-cpu.pb"
expect_usage -t no_such_type "$DATA/go-cpu.pb"
expect_usage --folded --raw "$DATA/go-cpu.pb"

# 4. Help, version, stdin, merging, the demo.
"$EMBER" --help >"$tmp/out" && grep -q -- "--sample-type" "$tmp/out" && ok || ko "--help"
"$EMBER" --version | grep -Eq '^ember [0-9]+\.[0-9]+' && ok || ko "--version"

"$EMBER" --top --raw - <"$DATA/go-heap.pb.gz" >"$tmp/out" &&
    cmp -s "$tmp/out" "$DATA/expected/go-heap.inuse_space.top" && ok || ko "stdin"

# Two copies merged: every value doubles (checked against go tool pprof's
# numbers, doubled by awk).
"$EMBER" --top --raw -t alloc_space "$DATA/go-heap.pb.gz" "$DATA/go-heap.pb.zst" >"$tmp/out"
awk -F'\t' -v OFS='\t' '{ $1 *= 2; $2 *= 2; print }' \
    "$DATA/expected/go-heap.alloc_space.top" >"$tmp/want"
cmp -s "$tmp/out" "$tmp/want" && ok || ko "merging two files"

# Different kinds merged: each keeps its own sample types.
"$EMBER" --top --raw -t alloc_space "$DATA/go-cpu.pb" "$DATA/go-heap.pb.gz" >"$tmp/out" &&
    cmp -s "$tmp/out" "$DATA/expected/go-heap.alloc_space.top" && ok || ko "cpu + heap merge"

"$EMBER" -n 5 >"$tmp/out" 2>"$tmp/err" && grep -q "^Type: cpu (nanoseconds)" "$tmp/out" &&
    [ "$(wc -l <"$tmp/out")" -eq 7 ] && ok || ko "the demo: $(cat "$tmp/err")"

# Human units: the total line matches the exact sum.
"$EMBER" --top "$DATA/go-heap.pb.gz" | head -1 | grep -Eq '^Type: inuse_space \(bytes\), total [0-9.]+(kB|MB)' &&
    ok || ko "--top header"

# 4a. Label queries agree with go tool pprof -tagfocus/-tagignore (the
# expectations come from make-expected.sh, which lists the same queries).
check_query() {             # NAME QUERY [ARGS...]
    local name=$1 q=$2
    shift 2
    if "$EMBER" --top --raw --query "$q" "$@" "$DATA/go-cpu.pb.gz" >"$tmp/out" 2>"$tmp/err" &&
        cmp -s "$tmp/out" "$DATA/expected/go-cpu.cpu.$name.top"; then ok
    else ko "--query '$q' differs from expected/go-cpu.cpu.$name.top: $(cat "$tmp/err")"; fi
}
check_query q-eu-north '{region="eu-north"}'
check_query q-eu-north 'cpu{region="eu-north"}'
check_query q-eu-north '{region=~"eu-.*", file="go-cpu.pb.gz"}'
check_query q-us-east-not-a '{region="us-east", worker!="a"}'
check_query q-us-east-not-a '{ region = "us-east" , worker !~ "a" , }' -t cpu
# a malformed query is a usage error that points at the column
"$EMBER" --top --query '{region="eu-north", worker "a"}' "$DATA/go-cpu.pb" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "^ember: --query: column 28: expected '=', '!=', '=~' or '!~'" "$tmp/err" &&
    ok || ko "malformed query: $(cat "$tmp/err")"
expect_usage --query '{region=~"("}' "$DATA/go-cpu.pb"
expect_usage --query 'cpu{region="x"}' -t samples "$DATA/go-cpu.pb"
expect_usage --from yesterday "$DATA/go-cpu.pb"
# time ranges: the fixture was taken on 2026-11-24
"$EMBER" --top --raw --from 2026-11-24T00:00:00Z --until 2026-11-25 "$DATA/go-cpu.pb.gz" |
    cmp -s - "$DATA/expected/go-cpu.cpu.top" && ok || ko "--from/--until keeping the profile"
[ -z "$("$EMBER" --top --raw --until 2020-01-01T00:00:00Z "$DATA/go-cpu.pb.gz")" ] &&
    ok || ko "--until before the profile keeps nothing"
# a directory is every profile in it; each sample has its file's name
mkdir "$tmp/dir" && cp "$DATA/go-cpu.pb.gz" "$DATA/go-cpu.pb" "$tmp/dir/"
"$EMBER" --top --raw "$tmp/dir" >"$tmp/out"
awk -F'\t' -v OFS='\t' '{ $1 = sprintf("%.0f", $1 * 2); $2 = sprintf("%.0f", $2 * 2); print }' "$DATA/expected/go-cpu.cpu.top" >"$tmp/want"
cmp -s "$tmp/out" "$tmp/want" && ok || ko "a directory merges its profiles"
"$EMBER" --top --raw --query '{file="go-cpu.pb"}' "$tmp/dir" | cmp -s - "$DATA/expected/go-cpu.cpu.top" &&
    ok || ko "the file label selects one file of a directory"
mkdir "$tmp/empty"
expect_error "$tmp/empty" "no profiles in the directory"
cp "$DATA/bad/garbage.bin" "$tmp/dir/"
expect_error "$tmp/dir" "garbage.bin: not a pprof profile"

# 4c. --diff BASE NEW: each side's table joined by name (both tables from
# go tool pprof), for two queries and for two files.
join_tops() {               # BASE.top NEW.top -> the expected --diff --raw
    awk -F'\t' -v OFS='\t' 'FNR == NR { b[$3] = $1 OFS $2; names[$3] = 1; next }
        { n[$3] = $1 OFS $2; names[$3] = 1 }
        END { for (k in names) print (k in b ? b[k] : "0\t0"), (k in n ? n[k] : "0\t0"), k }' \
        "$1" "$2" | sort -t$'\t' -k5
}
join_tops "$DATA/expected/go-cpu.cpu.q-eu-north.top" "$DATA/expected/go-cpu.cpu.top" >"$tmp/want"
"$EMBER" --diff '{region="eu-north"}' '{}' --top --raw "$DATA/go-cpu.pb.gz" >"$tmp/out" &&
    cmp -s "$tmp/out" "$tmp/want" && ok || { ko "--diff of two queries"; diff "$tmp/out" "$tmp/want" | head -5; }
join_tops "$DATA/expected/go-cpu.cpu.top" "$DATA/expected/go-cpu.cpu.top" >"$tmp/want"
"$EMBER" --diff "$DATA/go-cpu.pb" "$DATA/go-cpu.pb.gz" --top --raw >"$tmp/out" &&
    cmp -s "$tmp/out" "$tmp/want" && ok || ko "--diff of two files"
"$EMBER" --diff '{region="eu-north"}' '{}' --top "$DATA/go-cpu.pb.gz" | head -1 | grep -q 'base%' &&
    ok || ko "--diff --top header"
expect_usage --diff '{a=}' '{}' "$DATA/go-cpu.pb"
mkdir -p "$tmp/other" && cp "$DATA/go-cpu.pb" "$tmp/other/"
expect_usage --diff "$DATA/go-cpu.pb" "$tmp/other/go-cpu.pb"
expect_usage --diff '{}' '{}' --folded "$DATA/go-cpu.pb"
# the demo is a folder of profiles over time with labels
"$EMBER" --top --raw --query '{region="eu-north", file="cpu-07.pb.gz"}' | grep -q 'main.compressPayload' &&
    ok || ko "demo: eu-north compresses in the last profile"
"$EMBER" --top --raw --query '{region="eu-north", file="cpu-00.pb.gz"}' | grep -q 'main.compressPayload' &&
    ko "demo: eu-north compresses from the start" || ok

# 4b. A profile large enough for the threaded loader (several batches):
# the pprof path must agree with the folded path, a parser of its own.
GEN=${2:-}
if [ -n "$GEN" ] && [ -x "$GEN" ]; then
    # 40,000 stacks: several batches (the worker thread) and over a million
    # frames (the hash is sized up front)
    "$GEN" "$tmp/gen.pb.gz" --stacks 40000 --functions 2000 2>/dev/null
    "$EMBER" --top --raw "$tmp/gen.pb.gz" >"$tmp/direct"
    "$EMBER" --folded "$tmp/gen.pb.gz" | "$EMBER" --top --raw - >"$tmp/via-folded"
    if [ -s "$tmp/direct" ] && cmp -s "$tmp/direct" "$tmp/via-folded"; then ok
    else ko "large profile: pprof and folded paths disagree"; fi
    [ "$(awk -F'\t' '{s += $1} END {print (s > 0)}' "$tmp/direct")" = 1 ] && ok || ko "large profile: empty"
fi

# 5. Hostile names never reach the terminal raw.
"$EMBER" --top -n 0 "$DATA/bad/hostile-names.pb" >"$tmp/out"
if grep -q $'\x1b' "$tmp/out" || grep -q $'\x07' "$tmp/out" || grep -q $'\xff' "$tmp/out"; then
    ko "hostile names leaked raw control bytes"
else ok; fi
grep -qF '\x1b[31mred\x1b[0m' "$tmp/out" && grep -qF '関数名' "$tmp/out" && ok ||
    ko "hostile names: escaped forms"

# 6. The manual documents every key the UI binds (both come from one table:
# --keys prints it).
sed 's/\\-/-/g; s/\\\\/\\/g' man/ember.1 >"$tmp/man.txt"
missing=0
while IFS= read -r line; do
    case $line in "  "*) ;; *) continue ;; esac
    help=$(cut -c14- <<<"$line")
    grep -qF -- "$help" "$tmp/man.txt" || { missing=1; echo "man/ember.1 lacks: $help"; }
done < <("$EMBER" --keys)
[ $missing = 0 ] && ok || ko "keys missing from the manual"
"$EMBER" --keys | grep -q "zoom into the selected node" && ok || ko "--keys"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
