#!/usr/bin/env bash
# Issue 8, what ember writes: no byte of a profile or a file name reaches
# the terminal raw (1), --diff's file names (6), messages (9), leaks on
# --diff's error paths (11). Run by `make cli`.
# Usage: tests/hostile_out.sh path/to/ember
set -u
EMBER=${1:?usage: tests/hostile_out.sh EMBER}
DATA=tests/data
H=$DATA/bad/hostile-output.pb   # see tests/data/txtpb/hostile-output.txtpb
export LC_ALL=C
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }
sanitized() { ldd "$EMBER" 2>/dev/null | grep -q libasan; }

# A raw control byte (C0 but TAB and LF, DEL), a C1 control as UTF-8
# (U+0080-U+009F) or a bidi control as UTF-8 (U+061C, U+200E-F,
# U+202A-E, U+2066-9) in any of the files?
has_raw() {
    grep -aqP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c' "$@"
}

# The test's own oracle catches what it must (each encoding once).
for bad in $'\e' $'\a' $'\x7f' $'\r' $'\xc2\x9b' $'\xe2\x80\xae' $'\xe2\x81\xa6' $'\xe2\x80\x8f' $'\xd8\x9c'; do
    printf 'x%sy\n' "$bad" >"$tmp/probe"
    has_raw "$tmp/probe" && ok || ko "has_raw misses $(od -An -tx1 "$tmp/probe")"
done
printf 'a\tb 関数名 \\x1b\n' >"$tmp/probe"
has_raw "$tmp/probe" && ko "has_raw flags tab, CJK or an escape" || ok

# clean NAME WANT-EXIT MARKER ARGS...: runs ember; stdout and stderr hold no
# raw control, the exit status is WANT-EXIT, and MARKER (a fixed string)
# shows in stdout or stderr: the hostile text was printed, escaped.
clean() {
    local name=$1 want=$2 marker=$3 rc
    shift 3
    "$EMBER" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if has_raw "$tmp/out" "$tmp/err"; then
        ko "$name: a raw control byte: $(cat -v "$tmp/out" "$tmp/err" | head -3)"
    elif [ "$rc" != "$want" ]; then
        ko "$name: exit $rc, want $want: $(cat -v "$tmp/err" | head -2)"
    elif ! grep -qF -- "$marker" "$tmp/out" "$tmp/err"; then
        ko "$name: '$marker' not in the output: $(head -c 300 "$tmp/out" "$tmp/err" | cat -v)"
    else ok
    fi
}

# 1. Escape injection: every output of a hostile profile and of hostile
# file names. The type is ESC]0;PWNED BEL cpu, the unit nano ESC[2J ESC[31m
# seconds, names hold bidi controls, C1 CSI, BEL and DEL.
title='\x1b]0;PWNED\x07 cpu'
clean "--top" 0 "Type: $title (nano\\x1b[2J\\x1b[31mseconds)" --top -n 0 "$H"
grep -qF '\xe2\x80\xaegpj.exe' "$tmp/out" && grep -qF 'csi\xc2\x9b31m' "$tmp/out" &&
    grep -qF '\xe2\x80\x8frlm\xd8\x9c' "$tmp/out" && grep -qF 'bell\x07\x7f' "$tmp/out" &&
    ok || ko "--top: the escaped names: $(cat -v "$tmp/out")"
clean "--top --raw" 0 '\xe2\x81\xa6iso\xe2\x81\xa9\xe2\x80\xaaemb\xe2\x80\xac' --top --raw "$H"
clean "--folded" 0 'main;\xe2\x80\xaegpj.exe	30' --folded "$H"
# the note that an empty default type gives way to another names it escaped
clean "an empty default type" 0 "default sample type \\x1b]0;PWNED\\x07lock has no samples" \
    --top $DATA/bad/hostile-empty-default.pb
clean "-t unknown" 1 "the profile has: samples/count $title/nano\\x1b[2J" --top -t nope "$H"
clean "a warning naming labels" 0 'labels: file, re\x1b[5mgion' --top -q '{x="1"}' "$H"
# file names with ESC, OSC and bidi controls, in --diff and in messages
cp "$H" "$tmp/"$'\e[31mbase.pb'
cp "$H" "$tmp/"$'\xe2\x80\xaenew.pb'
clean "--diff --top" 0 "Type: $title" --top --diff "$tmp/"$'\e[31mbase.pb' "$tmp/"$'\xe2\x80\xaenew.pb'
clean "--diff --top --raw" 0 '\xe2\x80\xaegpj.exe' --top --raw --diff "$tmp/"$'\e[31mbase.pb' "$tmp/"$'\xe2\x80\xaenew.pb'
clean "--diff without a common type" 1 "\\x1b[31mbase.pb has samples, $title" \
    --top --diff "$tmp/"$'\e[31mbase.pb' "$DATA/go-heap.pb.gz"
clean "a missing file" 2 '\x1b]0;x\x07nope.pb: No such file' --top "$tmp/"$'\e]0;x\anope.pb'
clean "a bidi file name" 2 '\xe2\x80\xaenope.pb: No such file' --top "$tmp/"$'\xe2\x80\xaenope.pb'
clean "a usage error" 1 "-n: not a number: '\\x1b[2J'" --top -n $'\e[2J' "$H"
# a directory: a profile, a file that is none (a warning), then a damaged one
mkdir "$tmp/dir"
cp "$H" "$tmp/dir/"$'a\e]0;x\a.pb'
echo notes >"$tmp/dir/"$'b\e[2J.txt'
clean "a directory's warning" 0 'b\x1b[2J.txt: skipped: not a profile' --top "$tmp/dir"
head -c 100 "$DATA/go-cpu.pb.gz" >"$tmp/dir/"$'c\e[31m.pb.gz'
clean "a directory's damaged file" 2 'c\x1b[31m.pb.gz: truncated or corrupt gzip data' --top "$tmp/dir"

# 6. --diff: a file argument is a file whatever its name. Each copy of
# go-cpu.pb.gz diffed against another copy has the same values on both
# sides: base_self base_total = new_self new_total = --top --raw's self,
# total (checked against go tool pprof by tests/cli.sh).
"$EMBER" --top --raw "$DATA/go-cpu.pb.gz" | awk -F'\t' '{print $1 "\t" $2 "\t" $3}' |
    sort >"$tmp/want"
cp "$DATA/go-cpu.pb.gz" "$tmp/plain.pb.gz"
for name in 'back\slash.pb.gz' 'q"uote.pb.gz' '{brace}.pb.gz' '{file="plain.pb.gz"}' $'tab\there.pb.gz'; do
    cp "$DATA/go-cpu.pb.gz" "$tmp/$name"
    "$EMBER" --diff "$tmp/$name" "$tmp/plain.pb.gz" --top --raw >"$tmp/out" 2>"$tmp/err"
    rc=$?
    awk -F'\t' '$1 == $3 && $2 == $4 {print $1 "\t" $2 "\t" $5}' "$tmp/out" | sort >"$tmp/got"
    if [ $rc -eq 0 ] && [ -s "$tmp/want" ] && cmp -s "$tmp/got" "$tmp/want" &&
        [ "$(wc -l <"$tmp/out")" = "$(wc -l <"$tmp/want")" ]; then ok
    else ko "--diff '$name' plain: exit $rc, $(head -c 200 "$tmp/err"; head -2 "$tmp/out")"
    fi
done
# a word with '{' that names no file is still a query
"$EMBER" --diff '{region="eu-north"}' '{region!="eu-north"}' --top --raw "$DATA/go-cpu.pb.gz" \
    >"$tmp/out" 2>"$tmp/err" && [ -s "$tmp/out" ] && ok ||
    ko "--diff with two queries: $(cat "$tmp/err")"

# 9. Messages.
# a folded count that is not a whole number says so, naming line and count
# (a negative one is whole: ember's --folded of a based profile writes it)
for count in 1.5 0x10 +5 -1.5; do
    printf 'main;work 3\nmain;work;leaf %s\n' "$count" >"$tmp/bad.txt"
    "$EMBER" --top "$tmp/bad.txt" >/dev/null 2>"$tmp/err"
    [ $? -eq 2 ] &&
        [ "$(cat "$tmp/err")" = "ember: $tmp/bad.txt: line 2: count '$count' is not a whole number" ] &&
        ok || ko "folded count $count: $(cat "$tmp/err")"
    printf 'main;work;leaf %s\n' "$count" >"$tmp/bad.txt"       # on the first line too
    "$EMBER" --top "$tmp/bad.txt" 2>&1 >/dev/null | grep -qF "line 1: count '$count' is not a whole number" &&
        ok || ko "folded count $count on line 1"
done
# a NUL in folded text is named as such, not as malformed protobuf
printf 'main;work 3\nmain;wo\0rk 2\n' >"$tmp/nul.txt"
"$EMBER" --top "$tmp/nul.txt" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -qF "ember: $tmp/nul.txt: line 2: a NUL byte at column 8" "$tmp/err" &&
    ! grep -q protobuf "$tmp/err" && ok || ko "a NUL in folded text: $(cat "$tmp/err")"
printf 'main;wo\0rk 2\n' >"$tmp/nul.txt"
"$EMBER" --top "$tmp/nul.txt" 2>&1 >/dev/null | grep -qF "line 1: a NUL byte at column 8" &&
    ok || ko "a NUL on folded text's first line"
# CR-only and CRLF line ends read as LF: main;foo 1, main;bar 2 give (by
# hand) bar self 2 total 2, foo 1 1, main 0 3
printf '2\t2\tbar\n1\t1\tfoo\n0\t3\tmain\n' >"$tmp/want"
for eol in '\r' '\r\n' '\n'; do
    printf "main;foo 1${eol}main;bar 2${eol}" >"$tmp/eol.txt"
    "$EMBER" --top --raw "$tmp/eol.txt" >"$tmp/out" 2>"$tmp/err" && cmp -s "$tmp/out" "$tmp/want" &&
        ok || ko "folded lines ending in '$eol': $(cat "$tmp/out" "$tmp/err")"
done
# an error on a CR-only file counts its lines
printf 'main;foo 1\rmain;bar 2\rmain;baz x1\r' >"$tmp/eol.txt"
"$EMBER" --top "$tmp/eol.txt" 2>&1 >/dev/null | grep -qF "line 3: count 'x1'" &&
    ok || ko "a CR-only file's line numbers"
# a gzip member followed by zero padding reads as the member alone
{ cat "$DATA/go-cpu.pb.gz"; head -c 4096 /dev/zero; } >"$tmp/padded.pb.gz"
"$EMBER" --top --raw "$DATA/go-cpu.pb.gz" >"$tmp/want"
"$EMBER" --top --raw "$tmp/padded.pb.gz" >"$tmp/out" 2>"$tmp/err" && cmp -s "$tmp/out" "$tmp/want" &&
    ok || ko "gzip with zero padding: $(cat "$tmp/err")"
{ cat "$DATA/go-cpu.pb.gz"; printf '\0\0\1'; } >"$tmp/junk.pb.gz"      # not only zeros
"$EMBER" --top "$tmp/junk.pb.gz" 2>&1 >/dev/null | grep -q "corrupt gzip" &&
    ok || ko "gzip followed by non-zero junk is still corrupt"
# a ';' in a function name and a root function starting with '#' survive
# --folded and reading it back (the reader decodes ember's escapes): one
# frame a;b;c (self 7) under main (self 2, total 9), and #hash (3), not a
# comment: as folded-names.txtpb
printf '7\t7\ta;b;c\n3\t3\t#hash\n2\t9\tmain\n' >"$tmp/want"
"$EMBER" --folded "$DATA/folded-names.pb" | "$EMBER" --top --raw - >"$tmp/out" &&
    cmp -s "$tmp/out" "$tmp/want" && ok || ko "names with ';' and '#' read back: $(cat "$tmp/out")"
# out of memory names the file and exits 3, as --help and the manual say
# (ulimit -v cannot bound an ASan build: its shadow memory needs more)
if ! sanitized; then
    (ulimit -v 400000; "$EMBER" --top --max-size 2G "$DATA/bad/bomb.pb.gz") >/dev/null 2>"$tmp/err"
    rc=$?
    [ $rc -eq 3 ] && grep -q "^ember: $DATA/bad/bomb.pb.gz: out of memory" "$tmp/err" &&
        ok || ko "out of memory: exit $rc, $(cat "$tmp/err")"
fi
"$EMBER" --help | grep -q "3 out of memory" && ok || ko "--help documents exit 3"
grep -A3 '^\.B 3$' man/ember.1 | grep -q "out of memory" && ok || ko "the manual documents exit 3"

# 11. --diff's error paths free what they allocate (LeakSanitizer, in the
# SANITIZE=1 build; elsewhere there is nothing to see).
if sanitized; then
    for args in "--diff {a=\"1\"} {a=\"2\"} --top" "--diff {a=\"b\"} {c --top $DATA/go-cpu.pb.gz" \
        "--diff $DATA/go-cpu.pb.gz $DATA/go-heap.pb.gz --top" \
        "--diff $DATA/go-cpu.pb.gz $DATA/go-cpu.pb.gz --top" \
        "--diff $DATA/go-cpu.pb.gz $tmp/missing.pb --top" \
        "--diff {a=\"1\"} {a=\"2\"} --top -t nope $DATA/go-cpu.pb.gz"; do
        # shellcheck disable=SC2086
        ASAN_OPTIONS=detect_leaks=1 "$EMBER" $args >/dev/null 2>"$tmp/err"
        grep -q LeakSanitizer "$tmp/err" && ko "a leak: ember $args: $(grep SUMMARY "$tmp/err")" || ok
    done
fi

# --raw and --folded on a terminal: a lone byte 0x80-0xff (0x9b is an 8-bit
# CSI in a non-UTF-8 locale) is escaped as in the table; into a pipe the
# output stays byte-exact. The oracle: a lone high byte is invalid UTF-8.
has_lone_high() { ! iconv -f UTF-8 -t UTF-8 "$@" >/dev/null 2>&1; }
printf 'x\x9by\n' >"$tmp/probe"
has_lone_high "$tmp/probe" && ok || ko "has_lone_high misses a lone 0x9b"
printf 'a\tb \xe9\x96\xa2\xe6\x95\xb0 \xe2\x80\x8b\n' >"$tmp/probe"
has_lone_high "$tmp/probe" && ko "has_lone_high flags valid UTF-8" || ok
# stacks: main;a<9b>31mb 5 and main;x<ff>y 2, in a folded file
printf 'main;a\x9b31mb 5\nmain;x\xffy 2\n' >"$tmp/lone.txt"
# on_tty ARGS...: ember's stdout when it is a terminal (script's pty)
on_tty() { script -qec "$(printf '%q ' "$EMBER" "$@")" /dev/null | tr -d '\r'; }
command -v script >/dev/null || ko "script (util-linux) is needed for the terminal checks"
for mode in --raw --folded; do
    on_tty --top $mode "$tmp/lone.txt" >"$tmp/out"
    if has_lone_high "$tmp/out"; then ko "--top $mode on a terminal: a lone high byte: $(cat -v "$tmp/out")"
    elif ! grep -qF 'a\x9b31mb' "$tmp/out"; then ko "--top $mode on a terminal: $(cat -v "$tmp/out")"
    else ok
    fi
done
"$EMBER" --top --raw "$tmp/lone.txt" | grep -qaF $'5\t5\ta\x9b31mb' && ok ||
    ko "--top --raw into a pipe: not byte-exact"
"$EMBER" --folded "$tmp/lone.txt" | grep -qaF $'main;x\xffy\t2' && ok ||
    ko "--folded into a pipe: not byte-exact"
# the table is a terminal's too (it always escaped invalid UTF-8)
on_tty --top "$tmp/lone.txt" >"$tmp/out"
has_lone_high "$tmp/out" && ko "--top on a terminal: a lone high byte" || ok

# --top escapes the characters that show as nothing, as the explorer does
# (two rows that both look like main): U+200B, U+2028, U+2060, U+FEFF and
# the tag U+E0001; --raw and --folded keep valid UTF-8 byte-exact.
printf 'ma\xe2\x80\x8bin 1\nma\xe2\x80\xa8in 2\nma\xe2\x81\xa0in 3\n\xef\xbb\xbfmain 4\nmain\xf3\xa0\x80\x81 5\nmain 6\n' \
    >"$tmp/invisible.txt"
"$EMBER" --top "$tmp/invisible.txt" >"$tmp/out"
n=0
for want in 'ma\xe2\x80\x8bin' 'ma\xe2\x80\xa8in' 'ma\xe2\x81\xa0in' '\xef\xbb\xbfmain' 'main\xf3\xa0\x80\x81'; do
    grep -qF -- "$want" "$tmp/out" && n=$((n + 1))
done
[ $n -eq 5 ] && ! grep -aqP '\xe2\x80[\x8b\xa8]|\xe2\x81\xa0|\xef\xbb\xbf|\xf3\xa0\x80\x81' "$tmp/out" && ok ||
    ko "--top: zero-width and format characters shown raw: $(cat -v "$tmp/out")"
# (the raw names are the file's names, byte for byte)
cut -d' ' -f1 "$tmp/invisible.txt" | sort >"$tmp/want"
"$EMBER" --top --raw "$tmp/invisible.txt" | cut -f3 | sort | cmp -s - "$tmp/want" &&
    "$EMBER" --folded "$tmp/invisible.txt" | cut -f1 | sort | cmp -s - "$tmp/want" && ok ||
    ko "--raw/--folded: valid UTF-8 not byte-exact"

echo "hostile_out: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
