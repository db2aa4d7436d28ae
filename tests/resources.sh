#!/usr/bin/env bash
# The resource test: ember on small hostile files (made by tests/hostile/gen.c,
# see there for what each one is) must finish within a few seconds under a
# 2 GB address-space limit, with one line `ember: FILE: reason` and a non-zero
# exit, or with the right result.
# Usage: tests/resources.sh EMBER HOSTILE-GEN [SANITIZE]
# With SANITIZE=1 (an ASan build, which reserves terabytes of shadow memory)
# there is no address-space limit and the time limit is longer.
set -u
EMBER=${1:?usage: tests/resources.sh EMBER HOSTILE-GEN [SANITIZE]}
GEN=${2:?usage: tests/resources.sh EMBER HOSTILE-GEN [SANITIZE]}
SAN=${3:-}
export LC_ALL=C
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "$SAN" = 1 ]; then limit_vm=unlimited seconds=60
else limit_vm=2000000 seconds=10; fi

"$GEN" "$tmp" || { echo "resources: $GEN failed"; exit 1; }
gzip -9 -k "$tmp/amplify.pb"        # 1 MB -> a few KB: the bytes on disk are no bound
gzip -9 "$tmp/reserve.pb"           # 10 MB -> ~10 KB
gzip -9 "$tmp/deep.pb"              # 10 MB -> ~10 KB
truncate -s 8G "$tmp/sparse-8g.pb"  # nothing on disk: the size alone must refuse it
truncate -s 2T "$tmp/sparse-2t.pb"

ok() { pass=$((pass + 1)); echo "ok: $*"; }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

limited() {
    (ulimit -v "$limit_vm"; exec timeout -s KILL "$seconds" "$EMBER" --top --raw "$@") \
        >"$tmp/out" 2>"$tmp/err"
}

# run NAME STDIN ARGS...: ember --top --raw ARGS under the limits; sets rc
# and took. STDIN is a file, or zeros:SIZE for SIZE bytes of zeros through
# a pipe.
run() {
    local in=$2 start end
    shift 2
    start=$(date +%s%N)
    case $in in
    zeros:*) head -c "${in#zeros:}" /dev/zero | limited "$@"; rc=${PIPESTATUS[1]} ;;
    flood:*) "$GEN" flood ${in#flood:} 2>/dev/null | limited "$@"; rc=${PIPESTATUS[1]} ;;
    *) limited "$@" <"$in"; rc=$? ;;
    esac
    end=$(date +%s%N)
    took="$(( (end - start) / 1000000 )) ms"
}

# refused NAME FILE-IN-MESSAGE REASON [ARGS...]: exit 2, one line on stderr
# naming the file, nothing on stdout.
refused() {
    local name=$1 file=$2 reason=$3
    shift 3
    run "$name" /dev/null "$@"
    if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ] &&
        grep -qF "ember: $file: $reason" "$tmp/err"; then ok "$name ($took)"
    else ko "$name: want exit 2 and 'ember: $file: $reason', got $rc after $took: $(head -c 300 "$tmp/err")"
    fi
}

# result NAME WANT [ARGS...]: exit 0 and WANT as the first line of output.
result() {
    local name=$1 want=$2
    shift 2
    run "$name" /dev/null "$@"
    if [ $rc -eq 0 ] && [ "$(head -1 "$tmp/out")" = "$want" ]; then ok "$name ($took)"
    else ko "$name: want exit 0 and '$want', got $rc after $took: $(head -c 300 "$tmp/err")"
    fi
}

H=$tmp
tab=$(printf '\t')
# Hash flooding: 100k ids that collide under the old hash. The sample's
# stack is 1000 frames of f (every location's line is in f): f has flat and
# cum 1, the sample's value.
result collide "1${tab}1${tab}f" "$H/collide.pb"
# The same for strings: 100k names that collided in the string table.
result strcollide "1${tab}1${tab}f" "$H/strcollide.pb"
# Amplification: 1000 samples x 1000 repeats x 1000 lines; the budget is 8
# frames per byte (1 MB -> ~8.1M frames), so the 9th sample passes it.
refused amplify "$H/amplify.pb" "sample 9: stacks expand to more than" "$H/amplify.pb"
refused amplify-gzip "$H/amplify.pb.gz" "sample 9: stacks expand to more than" "$H/amplify.pb.gz"
# amplify-wide's frames are distinct call-tree nodes, 1,000,001 a sample (a
# root of its own, then 10^6 frames of f). The stacks enter the trie once
# the file is read (trie_insert_batch groups them all), so the frame budget
# refuses it, at the 9th sample as amplify, before the node budget (one
# per byte plus 65536, which deep.pb meets) would.
refused amplify-wide "$H/amplify-wide.pb" "sample 9: stacks expand to more than" \
    "$H/amplify-wide.pb"
# The trie is not sized from counts nothing has checked yet.
refused reserve "$H/reserve.pb.gz" "sample 1: location 0 not found" "$H/reserve.pb.gz"
# Many sample types, alone and merged.
refused types "$H/types.pb" "more than 64 sample types (at most 64)" "$H/types.pb"
refused types-merged "$H/types3025.pb" "more than 64 sample types (at most 64)" "$H/many.pb" "$H/types3025.pb"
refused types-in-all "$H/types40b.pb" "with the profiles before it, more than 64 sample types" \
    "$H/many.pb" "$H/types40a.pb" "$H/types40b.pb"
# 40 new types after 100k samples: the samples of many.pb (value 1 each, one
# stack f;f) are all there.
result types-added "100000${tab}100000${tab}f" -t samples "$H/many.pb" "$H/types40a.pb"
# A million strings (quadratic under ASan when each one reallocated).
result strings "1${tab}1${tab}f" "$H/strings.pb"
# --max-size bounds what is read: sparse files by their size, streams as
# they pass it.
refused sparse-8g "$H/sparse-8g.pb" "file exceeds the limit of 1024 MiB" "$H/sparse-8g.pb"
refused sparse-2t "$H/sparse-2t.pb" "file exceeds the limit of 1024 MiB" "$H/sparse-2t.pb"
run dev-zero /dev/zero -
if [ $rc -eq 2 ] && grep -qF "ember: -: file exceeds the limit of 1024 MiB" "$tmp/err"; then
    ok "dev-zero ($took)"
else ko "dev-zero: got $rc after $took: $(head -c 300 "$tmp/err")"; fi
run pipe-zero zeros:200M --max-size 64M -
if [ $rc -eq 2 ] && grep -qF "ember: -: file exceeds the limit of 64 MiB" "$tmp/err"; then
    ok "pipe-zero ($took)"
else ko "pipe-zero: got $rc after $took: $(head -c 300 "$tmp/err")"; fi

# Floods of empty sub-messages (2 bytes each) through a pipe: the caps are
# checked as the entries arrive. Before, 60M empty sample types (120 MB)
# were all kept (39 bytes each: out of memory under the 2 GB limit) before
# their number was; 60M locations of id 0 the same (37 bytes each).
# flooded NAME KIND N REASON: refused as `ember: -: REASON`.
flooded() {
    run "$1" "flood:$2 $3" -
    if [ $rc -eq 2 ] && grep -qxF "ember: -: $4" "$tmp/err"; then ok "$1 ($took)"
    else ko "$1: want exit 2 and 'ember: -: $4', got $rc after $took: $(head -c 300 "$tmp/err")"; fi
}
flooded flood-types types 60000000 "more than 64 sample types (at most 64)"
flooded flood-locations locations 60000000 "location 1 has id 0"
# 100M empty strings (200 MB) after a valid profile: the string table's
# bookkeeping is 4 bytes a string (the interned id), not 20 (a pointer and a
# length besides, in arrays that doubled: 2.1 GB), so the profile loads.
# 200 MB through a pipe takes about 3 s of CPU: on a loaded machine (two
# cores shared with builds) it took 6 to 10 s of wall time, so this case
# alone has 30 s; what it checks is the memory (the ulimit), not the speed.
seconds=$((seconds * 3)) run flood-strings "flood:strings 100000000" -
if [ $rc -eq 0 ] && [ "$(head -1 "$tmp/out")" = "1${tab}1${tab}f" ]; then ok "flood-strings ($took)"
else ko "flood-strings: want exit 0 and '1${tab}1${tab}f', got $rc after $took: $(head -c 300 "$tmp/err")"; fi

# ---- --folded (task "folded"): a line is written frame by frame, and the
# output is measured first against --max-size (default 1 GiB).
# folded_run VM ARGS...: ember --folded ARGS under VM KB of address space (or
# none with SANITIZE), stdout counted by wc into $tmp/out; sets rc and took.
folded_run() {
    local vm=$1 start end
    shift
    [ "$SAN" = 1 ] && vm=unlimited
    start=$(date +%s%N)
    (ulimit -v "$vm"; exec timeout -s KILL "$seconds" "$EMBER" --folded "$@") 2>"$tmp/err" |
        wc -c >"$tmp/out"
    rc=${PIPESTATUS[0]}
    end=$(date +%s%N)
    took="$(( (end - start) / 1000000 )) ms"
}
gzip -9 -k "$H/deepname.pb"         # 210 KB -> under 1 KB
# A 10,000-byte name at each of 200,000 depths: 200000 x 10000 name bytes +
# 199999 ';' + "\t1\n" = 2,000,200,002 bytes = 1907.5 MiB, refused before a
# byte is written. Before: the line was built whole (2 GB: out of memory).
for f in deepname.pb deepname.pb.gz; do
    folded_run "$limit_vm" "$H/$f"
    want="ember: $H/$f: --folded would write 1908 MiB, more than the limit of 1024 MiB (the larger of --max-size and 64 bytes per byte of profile data; --max-size raises it)"
    if [ $rc -eq 2 ] && [ "$(cat "$tmp/err")" = "$want" ] && [ "$(cat "$tmp/out")" = 0 ]; then
        ok "folded $f ($took)"
    else ko "folded $f: want exit 2 and '$want', got $rc after $took: $(head -c 300 "$tmp/err")"; fi
done
# 100,000 spaces at each of 1M depths: 10^11 name bytes + 999,999 ';' +
# 300,000 for the leaf's spaces written \x20 + "\t1\n" = 100,001,300,002
# bytes = 95368.7 MiB. Each name's trailing spaces are counted once, not at
# every depth (10^11 bytes to scan).
folded_run "$limit_vm" "$H/deepspaces.pb"
want="ember: $H/deepspaces.pb: --folded would write 95369 MiB, more than the limit of 1024 MiB (the larger of --max-size and 64 bytes per byte of profile data; --max-size raises it)"
if [ $rc -eq 2 ] && [ "$(cat "$tmp/err")" = "$want" ] && [ "$(cat "$tmp/out")" = 0 ]; then
    ok "folded deepspaces ($took)"
else ko "folded deepspaces: want exit 2 and '$want', got $rc after $took: $(head -c 300 "$tmp/err")"; fi
# 30,000 depths: one line of 30000 x 10001 + 2 = 300,030,002 bytes, under the
# limit, written whole in 200 MB of address space (before: the line alone
# took more).
folded_run 200000 "$H/longline.pb"
if [ $rc -eq 0 ] && [ "$(cat "$tmp/out")" = 300030002 ] && [ ! -s "$tmp/err" ]; then
    ok "folded longline ($took)"
else ko "folded longline: want exit 0 and 300030002 bytes, got $rc, $(cat "$tmp/out") bytes after $took: $(head -c 300 "$tmp/err")"; fi
# Distinct call-tree nodes: deep.pb.gz (10 KB) is one stack of 80M frames,
# each a new node (the frame budget, 8 a byte, let it through). Before:
# killed at 10 s. The node budget is one per byte of data plus 65536; a
# stack deeper than that is refused before it is expanded.
refused deep "$H/deep.pb.gz" \
    "the call tree grows past $((10000106 + 65536)) nodes by sample 1 (1 per byte of profile data)" \
    "$H/deep.pb.gz"

# Values per (sample, type of its own file): 4M one-type samples (24 MB)
# beside a 64-type file held 64 values each (2 GB: out of memory before).
# t0's total: 1 in types64.pb plus 4M samples of 1, all in f.
run types-sparse "flood:tiny 4000000" -t t0 "$H/types64.pb" -
if [ $rc -eq 0 ] && [ "$(head -1 "$tmp/out")" = "4000001${tab}4000001${tab}f" ]; then ok "types-sparse ($took)"
else ko "types-sparse: want exit 0 and '4000001${tab}4000001${tab}f', got $rc after $took: $(head -c 300 "$tmp/err")"; fi

# The model's memory is at most 4 x --max-size: 160k samples (15.3 MB), each
# with a label set of its own of 21 labels (24 bytes each in memory for 4-7
# in the file), take more than 4 x 16 MiB; with 128M they load (160k
# samples of 1 in f).
run labels-budget "flood:labels 160000" --max-size 16M -
want="ember: -: the profiles need more than 64 MiB of memory by sample"
if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -qF "$want" "$tmp/err" &&
    grep -qF "(limit 4 x --max-size; --max-size raises it)" "$tmp/err"; then ok "labels-budget ($took)"
else ko "labels-budget: want exit 2 and '$want ...', got $rc after $took: $(head -c 300 "$tmp/err")"; fi
run labels-raised "flood:labels 160000" --max-size 128M -
if [ $rc -eq 0 ] && [ "$(head -1 "$tmp/out")" = "160000${tab}160000${tab}f" ]; then ok "labels-raised ($took)"
else ko "labels-raised: want exit 0 and '160000${tab}160000${tab}f', got $rc after $took: $(head -c 300 "$tmp/err")"; fi

# JSON: 30 MB of tiny numbers ("0,", 15M of them) cost jansson at least 24
# bytes each in memory (a json_t integer), 360 MB in all: held to 4 x
# --max-size 32M = 128 MiB, refused with one line; on disk gzip makes it 30 KB.
{ printf '{"flamebearer":{"names":["total"],"levels":[['
  head -c 15000000 /dev/zero | tr '\0' 'x' | sed 's/x/0,/g'; printf '0]]}}'; } | gzip -1 >"$tmp/tiny.json.gz"
refused json-budget "$tmp/tiny.json.gz" "the JSON needs more than 128 MiB of memory" --max-size 32M "$tmp/tiny.json.gz"

echo "resources: $pass passed, $fail failed"
[ $fail -eq 0 ]
