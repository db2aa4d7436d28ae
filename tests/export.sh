#!/usr/bin/env bash
# Issue 12's exports, read back by the tools they are for: go tool pprof
# reads each exported pprof to ember's --top --raw of the same selection,
# which equals go tool pprof -top of the source with the same -tagfocus and
# -sample_index; node validates the flamebearer JSON with Pyroscope's own
# schema (@pyroscope/models) and the speedscope file with speedscope's
# file-format-schema.json (ajv), and their numbers per function equal
# pprof's; xmllint parses the SVG and rsvg-convert renders it; the folded
# stacks read back; hostile names survive every format. Run by `make
# export` (in make check).
# The node packages come from the npm registry through `npm ci` of
# tests/export/package-lock.json into build/export-node (the only network
# use); when the registry cannot be reached, the node checks print a skip.
# Usage: tests/export.sh path/to/ember [BUILD]
set -u
EMBER=${1:?usage: tests/export.sh EMBER [BUILD]}
BUILD=${2:-build}
DATA=tests/data
export LC_ALL=C
pass=0 fail=0 skip=0
tmp=$(mktemp -d)
n=0                     # output names: x-1, x-2 ... ($RANDOM could repeat within a run)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }
PPROF=(go tool pprof -symbolize=none)

# pprof_top FILE TYPE UNIT [FLAGS...]: "self<TAB>total<TAB>name" of go tool pprof
# -top in exact units, sorted as ember --top --raw sorts (self descending,
# then name), rows with both zero left out (ember lists no such function)
. "$(dirname "$0")/pprof_top.sh"   # pprof_top, pprof_rows, pprof_stacks

# The oracle is not blind: two different selections differ.
pprof_top "$DATA/go-cpu.pb.gz" cpu nanoseconds -tagfocus=region=eu-north >"$tmp/a"
pprof_top "$DATA/go-cpu.pb.gz" cpu nanoseconds >"$tmp/b"
[ -s "$tmp/a" ] && ! cmp -s "$tmp/a" "$tmp/b" && ok || ko "pprof_top: no rows, or blind to -tagfocus"

# ---- pprof: fixture, type, ember query, the same for go tool pprof ----
while IFS='|' read -r fix type unit query focus; do
    [ -n "$fix" ] || continue
    name="$fix -t $type ${query:-all}"
    out=$tmp/x-$((n += 1)).pb.gz
    set -- $focus
    if ! "$EMBER" "$DATA/$fix" -t "$type" ${query:+-q "$query"} -o "$out"; then
        ko "$name: export failed"; continue
    fi
    "$EMBER" --top --raw "$DATA/$fix" -t "$type" ${query:+-q "$query"} >"$tmp/ember"
    pprof_top "$out" "$type" "$unit" >"$tmp/exported"
    pprof_top "$DATA/$fix" "$type" "$unit" "$@" >"$tmp/source"
    [ -s "$tmp/ember" ] && cmp -s "$tmp/ember" "$tmp/exported" && ok ||
        ko "$name: go tool pprof of the export differs from ember --top --raw"
    cmp -s "$tmp/source" "$tmp/exported" && ok ||
        ko "$name: go tool pprof of the export differs from go tool pprof of the source"
done <<'CASES'
go-cpu.pb.gz|cpu|nanoseconds||
go-cpu.pb.gz|samples|count||
go-cpu.pb.gz|cpu|nanoseconds|{region="eu-north"}|-tagfocus=region=eu-north
go-cpu.pb.gz|cpu|nanoseconds|{region="us-east", worker!="a"}|-tagfocus=region=us-east -tagignore=worker=a
go-heap.pb.gz|alloc_space|bytes||
go-heap.pb.gz|alloc_objects|count||
go-heap.pb.gz|inuse_space|bytes||
go-heap.pb.gz|inuse_objects|count||
node-wall.pb.gz|wall|nanoseconds||
node-wall.pb.gz|sample|count|{region="eu-north"}|-tagfocus=region=eu-north
CASES

# ---- folded: read back by ember, the same table ----
for q in '' '{region="eu-north"}'; do
    "$EMBER" "$DATA/go-cpu.pb.gz" ${q:+-q "$q"} -o "$tmp/f$((n += 1)).folded" || ko "folded $q: export"
done
"$EMBER" "$DATA/go-cpu.pb.gz" -q '{region="eu-north"}' -o "$tmp/eu.folded"
"$EMBER" --top --raw "$tmp/eu.folded" >"$tmp/a"
"$EMBER" --top --raw "$DATA/go-cpu.pb.gz" -q '{region="eu-north"}' >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" && ok || ko "folded: read back differs from the selection's --top --raw"
# .txt is folded too (flamegraph.pl's examples use it), --format text the table
"$EMBER" "$DATA/go-cpu.pb.gz" -o "$tmp/stacks.txt"
"$EMBER" "$DATA/go-cpu.pb.gz" --folded >"$tmp/want"
cmp -s "$tmp/stacks.txt" "$tmp/want" && ok || ko ".txt: not the folded stacks of --folded"
"$EMBER" "$DATA/go-cpu.pb.gz" -o "$tmp/table.txt" --format text
"$EMBER" --top -n 0 "$DATA/go-cpu.pb.gz" >"$tmp/want"
cmp -s "$tmp/table.txt" "$tmp/want" && ok || ko "--format text: not the whole --top table"
[ "$(wc -l <"$tmp/table.txt")" -eq 115 ] && ok || ko "--format text: want 113 functions and 2 header lines"

# the diff: "stack before after", each column summed per leaf equal to
# pprof's flat of each side
"$EMBER" "$DATA/go-cpu.pb.gz" --diff '{region="eu-north"}' '{region="us-east"}' -o "$tmp/d.folded"
pprof_top "$DATA/go-cpu.pb.gz" cpu nanoseconds -tagfocus=region=eu-north >"$tmp/pa"
pprof_top "$DATA/go-cpu.pb.gz" cpu nanoseconds -tagfocus=region=us-east >"$tmp/pb"
# join pprof's two sides by name: "a<TAB>b<TAB>name", name order, both 0 left out
join2() {
    awk -F'\t' 'FNR == NR { a[$3] = $1; n[$3] = 1; next } { b[$3] = $1; n[$3] = 1 }
        END { for (k in n) if (a[k] + 0 || b[k] + 0) printf "%d\t%d\t%s\n", a[k], b[k], k }' \
        "$1" "$2" | sort -t $'\t' -k3
}
join2 "$tmp/pa" "$tmp/pb" >"$tmp/want2"
awk '{ v2 = $NF; $NF = ""; v1 = $(NF - 1); $(NF - 1) = ""; sub(/ +$/, "")
       n = split($0, f, ";"); a[f[n]] += v1; b[f[n]] += v2 }
     END { for (k in a) if (a[k] || b[k]) printf "%d\t%d\t%s\n", a[k], b[k], k }' "$tmp/d.folded" |
    sort -t $'\t' -k3 >"$tmp/got2"
[ -s "$tmp/want2" ] && cmp -s "$tmp/want2" "$tmp/got2" && ok ||
    ko "diff folded: columns differ from go tool pprof's two sides"
grep -qE '^[^	]+ [0-9]+ [0-9]+$' "$tmp/d.folded" && ok || ko "diff folded: not 'stack before after'"

# ---- SVG: XML, rendered, the titles' numbers ----
"$EMBER" "$DATA/go-cpu.pb.gz" -o "$tmp/cpu.svg"
xmllint --noout "$tmp/cpu.svg" 2>"$tmp/err" && ok || ko "svg: xmllint: $(head -3 "$tmp/err")"
rsvg-convert "$tmp/cpu.svg" -o "$tmp/cpu.png" 2>"$tmp/err" && [ -s "$tmp/cpu.png" ] && ok ||
    ko "svg: rsvg-convert: $(head -3 "$tmp/err")"
# go tool pprof -top: sort.partition cum 0.85s of 2.95s = 28.81%
grep -q '<title>sort.partition' "$tmp/cpu.svg" && grep -qF "850ms, 28.81%</title>" "$tmp/cpu.svg" &&
    ok || ko "svg: no title with sort.partition's 850ms, 28.81%"
grep -q 'onclick="unzoom()"' "$tmp/cpu.svg" && grep -q 'function search()' "$tmp/cpu.svg" &&
    grep -q 'function zoom(' "$tmp/cpu.svg" && ok || ko "svg: no zoom, Reset Zoom or search"
! grep -qiE 'https?://[^"]*\.(js|css)|<script[^>]+src=|xlink:href="http' "$tmp/cpu.svg" && ok ||
    ko "svg: loads something from the network"
"$EMBER" "$DATA/go-cpu.pb.gz" --diff '{region="eu-north"}' '{region="us-east"}' -o "$tmp/d.svg"
xmllint --noout "$tmp/d.svg" && rsvg-convert "$tmp/d.svg" -o "$tmp/d.png" && ok ||
    ko "diff svg: not valid"
grep -qE 'fill="#ff[0-9a-f]{4}"' "$tmp/d.svg" && grep -qE 'fill="#[0-9a-f]{2}ff[0-9a-f]{2}"' \
    "$tmp/d.svg" && ok || ko "diff svg: no red and green frames"

# ---- writing: never over a file, --force, no temporary left, errors ----
echo keep >"$tmp/exists.pb.gz"
"$EMBER" "$DATA/go-cpu.pb.gz" -o "$tmp/exists.pb.gz" 2>"$tmp/err"
st=$?
[ $st -eq 2 ] && grep -q 'exists.pb.gz: exists (--force replaces it)' "$tmp/err" &&
    [ "$(cat "$tmp/exists.pb.gz")" = keep ] && ok || ko "an existing file was replaced, or no message ($st)"
"$EMBER" "$DATA/go-cpu.pb.gz" -o "$tmp/exists.pb.gz" --force && pprof_top "$tmp/exists.pb.gz" cpu \
    nanoseconds | grep -q sort.partition && ok || ko "--force did not replace the file"
ls -A "$tmp" | grep -q '^\.ember-export' && ko "a temporary file was left" || ok
mkdir -p "$tmp/ro" && chmod 555 "$tmp/ro"
if [ "$(id -u)" != 0 ]; then
    "$EMBER" "$DATA/go-cpu.pb.gz" -o "$tmp/ro/x.svg" 2>"$tmp/err"
    [ $? -eq 2 ] && grep -q '^ember: .*ro/x.svg: cannot write' "$tmp/err" && ok ||
        ko "unwritable folder: $(cat "$tmp/err")"
fi
"$EMBER" "$DATA/go-cpu.pb.gz" -o "$tmp/nodir/x.svg" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'nodir/x.svg: cannot write into its folder' "$tmp/err" && ok ||
    ko "missing folder: $(cat "$tmp/err")"
"$EMBER" "$DATA/go-cpu.pb.gz" -o "$tmp/x.dat" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'no format in its name' "$tmp/err" && [ ! -e "$tmp/x.dat" ] && ok ||
    ko "unknown extension: $(cat "$tmp/err")"
"$EMBER" "$DATA/go-cpu.pb.gz" -o "$tmp/x.dat" --format pprof && pprof_top "$tmp/x.dat" cpu \
    nanoseconds | cmp -s - <("$EMBER" --top --raw "$DATA/go-cpu.pb.gz") && ok ||
    ko "--format pprof on a .dat name"
"$EMBER" --top "$DATA/go-cpu.pb.gz" -o "$tmp/y.svg" 2>/dev/null
[ $? -eq 1 ] && [ ! -e "$tmp/y.svg" ] && ok || ko "--top with --output: no usage error"
"$EMBER" "$DATA/go-cpu.pb.gz" --format svg 2>/dev/null
[ $? -eq 1 ] && ok || ko "--format without --output: no usage error"
"$EMBER" "$DATA/go-cpu.pb.gz" -o "$tmp/z.svg" --format png 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "want pprof, folded, json, speedscope, svg or text, not 'png'" "$tmp/err" &&
    ok || ko "--format png: $(cat "$tmp/err")"

# ---- JSON and speedscope, read by their own packages through node ----
NODE_DIR=$BUILD/export-node
# node_ready: the packages of tests/export/package-lock.json in NODE_DIR
# (npm ci once per lock file); 1 when node, npm or the registry is missing
node_ready() {
    command -v node >/dev/null && command -v npm >/dev/null || return 1
    mkdir -p "$NODE_DIR"
    if ! cmp -s tests/export/package-lock.json "$NODE_DIR/package-lock.json" ||
        [ ! -d "$NODE_DIR/node_modules/@pyroscope/models" ]; then
        cp tests/export/package.json tests/export/package-lock.json "$NODE_DIR/" &&
            (cd "$NODE_DIR" && timeout 300 npm ci --no-audit --no-fund --ignore-scripts \
                >npm.log 2>&1) || { rm -f "$NODE_DIR/package-lock.json"; return 1; }
    fi
    cp tests/export/check.js "$NODE_DIR/"
}
check_js() { node "$NODE_DIR/check.js" "$@"; }

# pprof's "self<TAB>name" of FILE TYPE UNIT [FLAGS], by name, zeros left out
pprof_self() {
    pprof_top "$@" | awk -F'\t' '$1 + 0 { print $1 "\t" $3 }' | sort -t $'\t' -k2
}

if ! node_ready; then
    echo "export: SKIP the JSON and speedscope checks: node, npm or the npm registry is" \
        "missing (see $NODE_DIR/npm.log)"
    skip=1
else
    # the checker is not blind: a broken file fails it
    echo '{"version":1,"flamebearer":{"names":["total"],"levels":[[0,1,0]],"numTicks":1,"maxSelf":0},"metadata":{"format":"single","units":"samples","sampleRate":100}}' >"$tmp/bad.json"
    check_js json "$tmp/bad.json" >/dev/null 2>&1 && ko "check.js takes a level of 3 values" || ok
    echo '{"version":1,"flamebearer":{"names":["total"],"levels":[[0,1,0,0]],"numTicks":1},"metadata":{"format":"single","units":"samples","sampleRate":100}}' >"$tmp/bad.json"
    check_js json "$tmp/bad.json" >/dev/null 2>&1 && ko "check.js takes a flamebearer without maxSelf" || ok
    echo '{"$schema":"https://www.speedscope.app/file-format-schema.json","shared":{"frames":[]},"profiles":[{"type":"sampled","name":"x","unit":"parsecs","startValue":0,"endValue":0,"samples":[],"weights":[]}]}' >"$tmp/bad.speedscope.json"
    check_js speedscope "$tmp/bad.speedscope.json" >/dev/null 2>&1 &&
        ko "check.js takes a speedscope unit of parsecs" || ok
    while IFS='|' read -r fix type unit query focus; do
        [ -n "$fix" ] || continue
        set -- $focus
        pprof_self "$DATA/$fix" "$type" "$unit" "$@" >"$tmp/want"
        for f in json speedscope; do
            out=$tmp/n$((n += 1)).$f
            [ $f = speedscope ] && out=$out.json
            "$EMBER" "$DATA/$fix" -t "$type" ${query:+-q "$query"} -o "$out" --format $f &&
                check_js $f "$out" >"$tmp/got" 2>"$tmp/err" && [ -s "$tmp/want" ] &&
                cmp -s "$tmp/want" "$tmp/got" && ok ||
                ko "$f $fix -t $type ${query:-all}: $(head -2 "$tmp/err")$(diff "$tmp/want" "$tmp/got" | head -4)"
        done
    done <<'CASES'
go-cpu.pb.gz|cpu|nanoseconds||
go-cpu.pb.gz|cpu|nanoseconds|{region="eu-north"}|-tagfocus=region=eu-north
go-heap.pb.gz|inuse_space|bytes||
go-heap.pb.gz|alloc_objects|count||
node-wall.pb.gz|wall|nanoseconds||
CASES
    # averaged snapshots (an instant type over a series is the mean of its
    # 6 heap profiles): each function's self is go tool pprof's over the 6
    # merged, divided by 6 and rounded half up (--top --raw's numbers), and
    # the tree adds up (check.js: no self over its total, no child outside
    # its parent)
    snaps=$DATA/snapshots/series
    for type in inuse_objects inuse_space; do
        unit=count
        [ $type = inuse_space ] && unit=bytes
        pprof_self "$snaps/heap-01.pb.gz" $type $unit "$snaps"/heap-0[2-6].pb.gz |
            awk -F'\t' '{ v = int(($1 + 3) / 6); if (v) print v "\t" $2 }' >"$tmp/want"
        for f in json speedscope; do
            out=$tmp/snap-$type.$f
            [ $f = speedscope ] && out=$out.json
            "$EMBER" "$snaps" -t $type -o "$out" --format $f &&
                check_js $f "$out" >"$tmp/got" 2>"$tmp/err" && [ -s "$tmp/want" ] &&
                cmp -s "$tmp/want" "$tmp/got" && ok ||
                ko "$f snapshots -t $type: $(head -2 "$tmp/err")$(diff "$tmp/want" "$tmp/got" | head -4)"
        done
    done
    # the diff: flamebearer's double format, speedscope's two profiles
    join2 "$tmp/pa" "$tmp/pb" >"$tmp/want"
    for f in json speedscope; do
        out=$tmp/diff.$f.json
        "$EMBER" "$DATA/go-cpu.pb.gz" --diff '{region="eu-north"}' '{region="us-east"}' \
            -o "$out" --format $f && check_js $f "$out" >"$tmp/got" 2>"$tmp/err" &&
            cmp -s "$tmp/want" "$tmp/got" && ok ||
            ko "diff $f: $(head -2 "$tmp/err")$(diff "$tmp/want" "$tmp/got" | head -4)"
    done
    grep -q '"format":"double"' "$tmp/diff.json.json" && grep -q '"leftTicks":' \
        "$tmp/diff.json.json" && ok || ko "diff json: not the double format"
fi

# ---- hostile names in every format ----
# '"', '<', '&', ']]>', an apostrophe, control bytes (SOH, ESC), invalid
# UTF-8 (FF FE) and CJK; by hand: self 3, 5, 7 and 2, main's total 17
printf 'main;a"q<b&c]]>d 3\nmain;ctl\001x\033[31m 5\nmain;bad\377\376utf8 7\nmain;\345\220\215\345\211\215;apos'"'"'s 2\n' \
    >"$tmp/hostile.folded"
for f in pprof json speedscope svg folded; do
    "$EMBER" "$tmp/hostile.folded" -o "$tmp/h.$f" --format $f || ko "hostile $f: export failed"
done
pprof_top "$tmp/h.pprof" samples count | awk -F'\t' '{ s += $1 } $3 == "main" { m = $2 }
    END { exit !(s == 17 && m == 17) }' && ok || ko "hostile pprof: go tool pprof's numbers"
"$EMBER" --top --raw "$tmp/h.pprof" | cmp -s - <("$EMBER" --top --raw "$tmp/hostile.folded") && ok ||
    ko "hostile pprof: names or numbers changed on the way"
"$EMBER" --top --raw "$tmp/h.folded" | cmp -s - <("$EMBER" --top --raw "$tmp/hostile.folded") && ok ||
    ko "hostile folded: does not read back"
xmllint --noout "$tmp/h.svg" && rsvg-convert "$tmp/h.svg" -o "$tmp/h.png" && ok ||
    ko "hostile svg: not valid XML, or does not render"
grep -aqP '[\x00-\x08\x0b\x0c\x0e-\x1f]|\xff|\xfe' "$tmp/h.svg" "$tmp/h.json" "$tmp/h.speedscope" &&
    ko "hostile: a control byte or invalid UTF-8 written raw" || ok
[ "$(grep -c ']]>' "$tmp/h.svg")" -eq 1 ] && ok || ko "hostile svg: ']]>' outside the script's end"
grep -qF '"ctl\u0001x\u001b[31m"' "$tmp/h.json" && grep -qF '"bad\ufffd\ufffdutf8"' "$tmp/h.json" &&
    grep -qF '"a\"q<b&c]]>d"' "$tmp/h.json" && ok || ko "hostile json: escapes (RFC 8259)"
if [ $skip = 0 ]; then
    printf '3\ta"q<b&c]]>d\n2\tapos'"'"'s\n7\tbad\357\277\275\357\277\275utf8\n5\tctl\001x\033[31m\n' \
        >"$tmp/want"
    for f in json speedscope; do
        check_js $f "$tmp/h.$f" >"$tmp/got" 2>"$tmp/err" && cmp -s "$tmp/want" "$tmp/got" && ok ||
            ko "hostile $f: $(head -2 "$tmp/err")"
    done
fi

# ---- SVG: frames where their stacks are, narrow siblings left out or not ----
# 10000 x "main;aNNNNN 1" (each 1/110000 of the width: left out) then
# "main;zz 100000": zz starts after the a's, at 10000/110000 = 0.090909091
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "main;a%05d 1\n", i; print "main;zz 100000" }' \
    >"$tmp/narrow.folded"
"$EMBER" "$tmp/narrow.folded" -o "$tmp/narrow.svg" &&
    grep -q '<g class="f" data-x="0.090909091" data-w="0.909090909" data-d="2"><title>zz' \
        "$tmp/narrow.svg" && ok ||
    ko "svg: zz not at x 0.090909091: $(grep -o 'data-x="[^"]*" data-w="[^"]*" data-d="2"><title>zz' "$tmp/narrow.svg")"

# ---- the diff's two-column folded has the bound of --folded ----
# 1000 frames of a 200-byte name in one stack: ~200 KB of folded text from
# a pprof of about 1.3 KB of data (64 bytes per byte: ~83 KB)
name200=$(printf 'f%.0s' $(seq 200))
awk -v n="$name200" 'BEGIN { print "main 1"; s = n; for (i = 1; i < 1000; i++) s = s ";" n
    print s " 1" }' >"$tmp/deep.folded"
"$EMBER" "$tmp/deep.folded" -o "$tmp/deep-a.pb.gz" && cp "$tmp/deep-a.pb.gz" "$tmp/deep-b.pb.gz" ||
    ko "the deep pprof"
"$EMBER" "$tmp/deep-a.pb.gz" -o "$tmp/deep1.folded" 2>/dev/null && ko "one side: no bound" || ok
"$EMBER" --diff "$tmp/deep-a.pb.gz" "$tmp/deep-b.pb.gz" -o "$tmp/deep2.folded" 2>"$tmp/err" &&
    ko "the diff's folded: no bound (wrote $(stat -c %s "$tmp/deep2.folded") bytes)" ||
    { grep -q 'more than the limit' "$tmp/err" && [ ! -e "$tmp/deep2.folded" ] && ok ||
        ko "the diff's folded: $(cat "$tmp/err")"; }

# ---- flamebearer's sampleRate: ticks of the type's unit per second ----
# one sample of 5 of a "wall" type in each unit (proto/profile.proto)
for u in nanoseconds:1000000000 microseconds:1000000 milliseconds:1000 seconds:1 count:100; do
    printf 'sample_type { type: 1 unit: 2 }\nsample { location_id: [1] value: [5] }\n%s\n%s\n%s\n%s\n%s\n%s\n' \
        'location { id: 1 line { function_id: 1 } }' 'function { id: 1 name: 3 }' \
        'string_table: ""' 'string_table: "wall"' "string_table: \"${u%:*}\"" \
        'string_table: "main"' |
        protoc --encode=perftools.profiles.Profile -Iproto profile.proto >"$tmp/rate.pb" &&
        "$EMBER" "$tmp/rate.pb" -o "$tmp/rate-${u%:*}.json" &&
        grep -q "\"sampleRate\":${u#*:}[,}]" "$tmp/rate-${u%:*}.json" && ok ||
        ko "flamebearer of ${u%:*}: $(grep -o '"sampleRate":[0-9]*' "$tmp/rate-${u%:*}.json"), not ${u#*:}"
done

# ---- speedscope's endValue: the sum of the weights written ----
# a sample of 5 on main and one of 3 with no frame (no stack carries it)
printf '%s\n' 'sample_type { type: 1 unit: 2 }' 'sample { location_id: [1] value: [5] }' \
    'sample { value: [3] }' 'location { id: 1 line { function_id: 1 } }' \
    'function { id: 1 name: 3 }' 'string_table: ""' 'string_table: "samples"' \
    'string_table: "count"' 'string_table: "main"' |
    protoc --encode=perftools.profiles.Profile -Iproto profile.proto >"$tmp/rootself.pb" &&
    "$EMBER" "$tmp/rootself.pb" -o "$tmp/rootself.speedscope.json" &&
    grep -q '"endValue":5,"samples":\[\[0\]\],"weights":\[5\]' "$tmp/rootself.speedscope.json" && ok ||
    ko "speedscope endValue: $(grep -o '"endValue":[^]]*]' "$tmp/rootself.speedscope.json")"

# ---- pprof opens on the type shown when two types share its name ----
# cpu/count 1 and cpu/nanoseconds 100 on main; -t cpu/nanoseconds: go tool
# pprof -top must show 100ns (a default_sample_type "cpu" picks the first)
printf '%s\n' 'sample_type { type: 1 unit: 2 }' 'sample_type { type: 1 unit: 3 }' \
    'sample { location_id: [1] value: [1, 100] }' 'location { id: 1 line { function_id: 1 } }' \
    'function { id: 1 name: 4 }' 'string_table: ""' 'string_table: "cpu"' 'string_table: "count"' \
    'string_table: "nanoseconds"' 'string_table: "main"' |
    protoc --encode=perftools.profiles.Profile -Iproto profile.proto >"$tmp/twotypes.pb"
for t in cpu/nanoseconds:100ns cpu/count:1; do
    "$EMBER" "$tmp/twotypes.pb" -t "${t%:*}" -o "$tmp/twotypes.pb.gz" --force &&
        "${PPROF[@]}" -top "$tmp/twotypes.pb.gz" 2>/dev/null | grep -qE "^ +${t#*:} +100% .* main$" &&
        ok || ko "pprof of -t ${t%:*}: go tool pprof opens on another type"
done

# ---- the file's mode follows the umask (0666 & ~umask, as any new file) ----
for m in 077:600 022:644 002:664; do
    rm -f "$tmp/mode.folded"
    (umask "${m%:*}" && "$EMBER" "$DATA/folded-small.txt" -o "$tmp/mode.folded") &&
        [ "$(stat -c %a "$tmp/mode.folded")" = "${m#*:}" ] && ok ||
        ko "umask ${m%:*}: mode $(stat -c %a "$tmp/mode.folded" 2>&1), not ${m#*:}"
done

# ---- a signal during --output leaves no hidden temporary file ----
# a profile whose pprof takes a while: 600000 distinct stacks; job control
# on (set -m) so that the background ember has SIGINT as a shell gives it
awk 'BEGIN { for (i = 0; i < 600000; i++)
    printf "main;f%d;g%d;h%d;k%d;leaf%d %d\n", i % 97, i % 1009, i % 10007, i, i * 7, 1 + i % 5 }' \
    >"$tmp/big.folded"
mkdir -p "$tmp/sig"
for sig in INT TERM; do
    rm -rf "$tmp/sig"/* "$tmp/sig"/.ember-export-*
    set -m
    "$EMBER" "$tmp/big.folded" -o "$tmp/sig/big.pb.gz" &
    pid=$!
    set +m
    deadline=$((SECONDS + 60))
    until ls -A "$tmp/sig" | grep -q '^\.ember-export-' || [ $SECONDS -ge $deadline ] ||
        ! kill -0 $pid 2>/dev/null; do sleep 0.05; done
    if ls -A "$tmp/sig" | grep -q '^\.ember-export-'; then
        kill -$sig $pid
        wait $pid
        st=$?
        want=$((128 + $(kill -l $sig)))
        [ $st = $want ] && ok || ko "SIG$sig during --output: status $st, not $want"
        [ -z "$(ls -A "$tmp/sig")" ] && ok || ko "SIG$sig during --output left: $(ls -A "$tmp/sig")"
    else
        wait $pid
        ko "SIG$sig during --output: the temporary file never showed"
    fi
done

echo "export: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
