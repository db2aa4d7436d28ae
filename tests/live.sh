#!/usr/bin/env bash
# URLs against a real Go program serving net/http/pprof (tests/live/server.go,
# built here into the build directory): a fetch equals go tool pprof on the
# same answer (recorded with --record), the recorder, Ctrl-C, and every
# failure mode with the server's stand-ins. Only 127.0.0.1 (and a name under
# .invalid, RFC 6761, resolved in a network namespace without any network,
# so no query leaves the machine), a few requests each with a timeout; the
# server is stopped at the end.
# Usage: tests/live.sh path/to/ember
set -u
EMBER=${1:?usage: tests/live.sh EMBER}
BUILD=$(dirname "$EMBER")
export LC_ALL=C
# loopback only: no proxy in between
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

if ! command -v go >/dev/null 2>&1; then
    echo "live: SKIPPED: go is missing (make deps installs golang-go)"
    exit 0
fi
tmp=$(mktemp -d)
server_pid= server2_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
    [ -n "$server2_pid" ] && kill "$server2_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

export GOCACHE=${GOCACHE:-$PWD/build/gocache} GO111MODULE=off GOFLAGS= GOTOOLCHAIN=local
if ! go build -o "$BUILD/live-server" tests/live/server.go 2>"$tmp/build.err"; then
    cat "$tmp/build.err"
    echo "FAIL: cannot build tests/live/server.go"
    exit 1
fi
# /big sends a terabyte: a body over --max-size must fail as it arrives.
"$BUILD/live-server" -lifetime 300s -big 1099511627776 >"$tmp/port" 2>"$tmp/server.err" &
server_pid=$!
# A second one, a second "pod": Go takes one CPU profile at a time.
"$BUILD/live-server" -lifetime 300s >"$tmp/port2" 2>"$tmp/server2.err" &
server2_pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && [ -s "$tmp/port2" ] && break; sleep 0.1; done
port=$(head -n 1 "$tmp/port") port2=$(head -n 1 "$tmp/port2")
[ -n "$port" ] && [ -n "$port2" ] ||
    { cat "$tmp/server.err" "$tmp/server2.err"; echo "FAIL: a server printed no port"; exit 1; }
base=http://127.0.0.1:$port
PPROF=(go tool pprof -symbolize=none)

# pprof_top FILE TYPE UNIT: go tool pprof's -top as ember's --top --raw
# (self, total, name; sorted by self then name), the conversion of
# tests/data/make-expected.sh.
. "$(dirname "$0")/pprof_top.sh"   # pprof_top, pprof_rows, pprof_stacks

# 1. One fetch of the CPU endpoint (host:port, --seconds 1): ember's table of
# the URL equals its table of the recorded file and go tool pprof's of it.
mkdir "$tmp/rec"
if "$EMBER" --top --raw --seconds 1 --record "$tmp/rec" "127.0.0.1:$port" >"$tmp/url.top" \
    2>"$tmp/err"; then ok; else ko "fetch of 127.0.0.1:$port: $(cat "$tmp/err")"; fi
rec=$(ls "$tmp/rec")
case $rec in
*T*Z-127.0.0.1_$port.pb.gz) ok ;;
*) ko "--record wrote '$rec', want one TIME-127.0.0.1_$port.pb.gz" ;;
esac
pprof_top "$tmp/rec/$rec" cpu ns >"$tmp/pprof.top"
"$EMBER" --top --raw "$tmp/rec/$rec" >"$tmp/file.top" 2>&1
if [ -s "$tmp/pprof.top" ] && cmp -s "$tmp/url.top" "$tmp/pprof.top"; then ok
else ko "the URL's --top --raw differs from go tool pprof -top on the recorded answer"
    diff "$tmp/url.top" "$tmp/pprof.top" | head -5; fi
if cmp -s "$tmp/file.top" "$tmp/url.top"; then ok
else ko "the recorded file's --top --raw differs from the URL's"; fi
# the workload burns CPU in main.burn (the server's steady CPU)
if grep -q 'main\.burn$' "$tmp/url.top"; then ok; else ko "no main.burn in the CPU profile"; fi
# the source label is host:port; a query on it selects everything. The
# recorded file read back has its file label instead (the man page's
# --record), so there the same query selects nothing and says why.
"$EMBER" --top --raw -q "{source=\"127.0.0.1:$port\"}" "$tmp/rec/$rec" >"$tmp/q.top" 2>"$tmp/err"
if [ ! -s "$tmp/q.top" ] && grep -q "warning: no sample has label 'source'" "$tmp/err"; then ok
else ko "the recorded file has a source label: $(cat "$tmp/err")"; fi
"$EMBER" --top --raw --seconds 1 -q "{source=\"127.0.0.1:$port\"}" "127.0.0.1:$port" \
    >"$tmp/q.top" 2>"$tmp/err"
if [ -s "$tmp/q.top" ] && ! grep -q warning "$tmp/err"; then ok
else ko "{source=\"127.0.0.1:$port\"} selects nothing: $(cat "$tmp/err")"; fi

# 2. Content-Encoding: gzip is undone, and --record keeps the decoded bytes
# (what pprof would save): /gzip sends the heap profile's raw protobuf
# gzip-encoded, so the file is a .pb (no gzip magic) that go tool pprof reads.
mkdir "$tmp/gz"
"$EMBER" --top --raw -t inuse_space --record "$tmp/gz" "$base/gzip" >"$tmp/gz.top" 2>"$tmp/err"
rec=$(ls "$tmp/gz")
case $rec in *.pb) ok ;; *) ko "/gzip recorded as '$rec', want a .pb: $(cat "$tmp/err")" ;; esac
pprof_top "$tmp/gz/$rec" inuse_space B >"$tmp/pprof.top"
if [ -s "$tmp/gz.top" ] && cmp -s "$tmp/gz.top" "$tmp/pprof.top"; then ok
else ko "/gzip: ember's --top --raw differs from go tool pprof's"; fi

# 3. Failures: one line naming the URL, exit 2, nothing on stdout.
expect_fail() {            # URL REASON-REGEX [OPTIONS...]
    local url=$1 want=$2 clean
    shift 2
    clean=$(printf '%s' "$url" | sed 's#//[^/@]*@#//#')
    timeout 30 ${RUN_IN:+$RUN_IN} "$EMBER" --top "$@" "$url" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ] &&
        grep -qE "^ember: $(printf '%s' "$clean" | sed 's/[.[\*^$?]/\\&/g'): $want" "$tmp/err" &&
        ! grep -q s3cret "$tmp/err"; then ok
    else ko "$url: want exit 2 and 'ember: $clean: $want', got $rc: $(head -3 "$tmp/err")"; fi
}
expect_fail "$base/hang" "timed out after 1 s with 0 bytes received \(--timeout\)$" --timeout 1s
expect_fail "$base/slow" "timed out after 1 s with [1-9][0-9]* bytes received" --timeout 1s
# the first line only, its ESC escaped
expect_fail "$base/500" 'HTTP 500: profile\\x1b\[31m unavailable$'
expect_fail "$base/404" "HTTP 404 \(empty answer\)$"
# a terabyte of error page: its first line once a few KiB are in, not a
# download up to --max-size (L6)
expect_fail "$base/500-big" "HTTP 500: a big error page$" --timeout 20s
expect_fail "$base/truncate" "truncated: the connection closed after [0-9]+ of 100000 bytes$"
expect_fail "$base/garbage" "not a pprof profile"
expect_fail "$base/redirect-loop" "more than 5 redirects \(a redirect loop\?\)$"
# a terabyte without Content-Length: refused once 1 MiB has arrived, long
# before the 20 s timeout (it would time out if checked after the end)
expect_fail "$base/big" "the answer exceeds the limit of 1 MiB \(--max-size raises it\)$" \
    --max-size 1M --timeout 20s
# the server speaks plain HTTP: a TLS handshake fails
expect_fail "https://127.0.0.1:$port/debug/pprof/heap" "TLS: "
expect_fail "http://user:s3cret@127.0.0.1:1/x" "cannot connect to 127.0.0.1:1: Connection refused$"
# the DNS failure in a network namespace of its own (no network at all:
# the resolver fails locally, no query leaves the machine), else skipped
if unshare -rn true 2>/dev/null; then
    RUN_IN="unshare -rn" expect_fail "http://user:s3cret@ember-test.invalid/x" \
        "cannot resolve the host name \(DNS\): ember-test.invalid$"
else
    echo "live: the DNS failure skipped: unshare -rn is not available here (it keeps the query on the machine)"
fi
expect_fail "http://user:s3cret@127.0.0.1:$port/500" "HTTP 500: "
# a redirect is followed (to the heap profile)
if "$EMBER" --top --raw -t inuse_space "$base/redirect" >"$tmp/out" 2>"$tmp/err" &&
    [ -s "$tmp/out" ]; then ok; else ko "/redirect: $(cat "$tmp/err")"; fi

# 4. Usage: bad values are refused with a usage line (exit 1).
expect_usage() {           # REASON ARGS...
    local want=$1
    shift
    "$EMBER" --top "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ $rc -eq 1 ] && grep -q "^ember: $want" "$tmp/err"; then ok
    else ko "$*: want exit 1 and 'ember: $want', got $rc: $(head -2 "$tmp/err")"; fi
}
expect_usage "--every: not a duration: 'soon'" --every soon --record "$tmp" "$base/x"
expect_usage "--every: not a duration: '0s'" --every 0s --record "$tmp" "$base/x"
expect_usage "--keep: not a duration: '-1h'" --keep -1h "$base/x"
expect_usage "--keep-steps: want a whole number from 1" --keep-steps 0 "$base/x"
expect_usage "--seconds: want a whole number from 1" --seconds 1.5 "$base/x"
expect_usage "--timeout: not a duration" --timeout x "$base/x"
expect_usage "--every in batch mode records: it needs --record DIR" --every 1s "$base/x"
expect_usage "--every, --keep, --keep-steps and --record go with a URL" --record "$tmp" \
    tests/data/go-cpu.pb.gz
# (L5) options that only a fetch uses, without a URL: refused, not ignored
for opt in "--seconds 5" "--timeout 1s" "--connect-timeout 1s"; do
    expect_usage "--seconds, --timeout and --connect-timeout go with a URL" $opt \
        tests/data/go-cpu.pb.gz
done
expect_usage "the recorder (--every in batch mode) takes URLs only" --every 1s --record "$tmp" \
    "$base/x" tests/data/go-cpu.pb.gz

# 5. Two URLs (two servers) fetch in parallel: the two 2-second CPU
# profiles overlap in time, by the times each server logged for its request
# (not the wall time, which a loaded machine stretches); each sample is
# labelled with its source.
# last_profile FILE WHAT: the time the server logged for its last CPU profile request.
last_profile() { grep "^$2 .* /debug/pprof/profile\$" "$1" | tail -1 | cut -d' ' -f2; }
"$EMBER" --top --raw --seconds 2 "127.0.0.1:$port" "127.0.0.1:$port2" >"$tmp/two.top" 2>"$tmp/err"
s1=$(last_profile "$tmp/server.err" start) e1=$(last_profile "$tmp/server.err" end)
s2=$(last_profile "$tmp/server2.err" start) e2=$(last_profile "$tmp/server2.err" end)
if [ -s "$tmp/two.top" ] && [ -n "$s1" ] && [ -n "$s2" ] && [ -n "$e1" ] && [ -n "$e2" ] &&
    [ "$s1" -lt "$e2" ] && [ "$s2" -lt "$e1" ]; then ok
else ko "two 2 s CPU profiles did not overlap: ${s1:-?}-${e1:-?}, ${s2:-?}-${e2:-?}: $(cat "$tmp/err")"; fi
for src in "127.0.0.1:$port" "127.0.0.1:$port2"; do
    "$EMBER" --top --raw --seconds 1 -q "{source=\"$src\"}" "127.0.0.1:$port" "127.0.0.1:$port2" \
        >"$tmp/out" 2>"$tmp/err"
    if [ -s "$tmp/out" ] && ! grep -q warning "$tmp/err"; then ok
    else ko "two URLs: source=\"$src\" selects nothing: $(cat "$tmp/err")"; fi
done

# wait_connected PID PORT: until PID has a connection to 127.0.0.1:PORT
# established (at most 30 s).
wait_connected() {
    for _ in $(seq 300); do
        ss -tnp state established "dst 127.0.0.1:$2" 2>/dev/null | grep -q "pid=$1," && return 0
        sleep 0.1
    done
    return 1
}

# wait_files DIR N: until DIR holds N files (at most 30 s).
wait_files() {
    for _ in $(seq 300); do
        [ "$(ls "$1" | wc -l)" -ge "$2" ] && return 0
        sleep 0.1
    done
    return 1
}

# 6. The recorder: --every 1s until Ctrl-C; the summary counts the files,
# and ember DIR reads them back: its total is the sum of go tool pprof's
# totals of each file. A failing URL beside it counts as failed.
mkdir "$tmp/series"
"$EMBER" --top --every 1s --seconds 1 --record "$tmp/series" "127.0.0.1:$port" "$base/500" \
    >"$tmp/out" 2>"$tmp/err" &
rpid=$!
if wait_files "$tmp/series" 3; then ok; else ko "the recorder wrote no 3 files in 30 s"; fi
kill -INT $rpid
wait $rpid
rc=$?
n=$(ls "$tmp/series" | wc -l)
failed=$(grep -c "^ember: $base/500: HTTP 500" "$tmp/err")
if [ $rc -eq 0 ] && grep -qx "ember: recorded $n profiles from 1 source into $tmp/series, $failed failed" \
    "$tmp/err" && [ "$failed" -ge 1 ]; then ok
else ko "recorder after Ctrl-C: rc $rc, $n files, $(tail -1 "$tmp/err")"; fi
if ! ls -a "$tmp/series" | grep -q '^\.ember'; then ok; else ko "a temporary file is left"; fi
want=0
for f in "$tmp/series"/*; do
    s=$(pprof_top "$f" cpu ns | awk -F '\t' '{ s += $1 } END { printf "%.0f", s }')
    want=$((want + s))
done
got=$("$EMBER" --top --raw "$tmp/series" 2>"$tmp/err" | awk -F '\t' '{ s += $1 } END { printf "%.0f", s }')
if [ "$got" = "$want" ] && [ "$want" -gt 0 ]; then ok
else ko "ember DIR's total $got, go tool pprof's sum over the $n files $want: $(cat "$tmp/err")"; fi
# one step per recorded profile, at the profiles' own times
steps=$("$EMBER" --top --raw --from now-5m "$tmp/series" 2>/dev/null | wc -l)
if [ "$steps" -gt 0 ]; then ok; else ko "the recorded profiles are not at their own (recent) times"; fi

# 7. SIGTERM during a long fetch (a 10 s CPU profile): exits 0 at once,
# nothing recorded, the summary says so.
mkdir "$tmp/term"
"$EMBER" --top --every 30s --seconds 10 --record "$tmp/term" "127.0.0.1:$port" \
    >"$tmp/out" 2>"$tmp/err" &
rpid=$!
# the fetch runs once ember is connected (no fixed sleep: a loaded machine
# may take longer to get there)
if wait_connected $rpid "$port"; then ok; else ko "the recorder never connected"; fi
start=$(date +%s%N)
kill -TERM $rpid
wait $rpid
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
if [ $rc -eq 0 ] && [ "$ms" -lt 3000 ] &&
    grep -qx "ember: recorded 0 profiles from 0 sources into $tmp/term, 0 failed" "$tmp/err"
then ok; else ko "SIGTERM while fetching: rc $rc after $ms ms: $(cat "$tmp/err")"; fi

# 7b. (L2) A SIGTERM that comes before ember has its handlers: sent to
# itself by a wrapper with SIGTERM blocked, then exec'd, ember starts with
# it pending (blocked and pending signals survive exec). It must stop the
# recorder with its summary, exit 0 (before: it stayed pending, the
# recorder ran until timeout's 10 s).
mkdir "$tmp/early"
timeout -k 2 10 perl -MPOSIX -e 'sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGTERM)); kill "TERM", $$;
    exec @ARGV' "$EMBER" --top --every 30s --seconds 10 --record "$tmp/early" "127.0.0.1:$port" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ] &&
    grep -qx "ember: recorded 0 profiles from 0 sources into $tmp/early, 0 failed" "$tmp/err"
then ok; else ko "a SIGTERM before the handlers: rc $rc: $(cat "$tmp/err")"; fi

# 8. A failed write is one message, exit 2.
"$EMBER" --top --record "$tmp/none/such" "$base/debug/pprof/heap" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
    grep -q "^ember: --record: cannot write into $tmp/none/such: No such file or directory$" \
        "$tmp/err"; then ok
else ko "--record into a missing folder: rc $rc: $(cat "$tmp/err")"; fi

# and the recorder says so before it fetches anything
"$EMBER" --top --every 1s --record "$tmp/none/such" "$base/debug/pprof/heap" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
    grep -q "^ember: --record: cannot write into $tmp/none/such: No such file or directory$" \
        "$tmp/err"; then ok
else ko "the recorder into a missing folder: rc $rc: $(cat "$tmp/err")"; fi

# 9. Credentials (the review's M2). (a) ps and /proc/PID/cmdline no longer
# show the password once ember runs: it is connected to /hang (the server
# answers nothing), so the arguments have been read.
"$EMBER" --top --timeout 20s "http://user:s3cret@127.0.0.1:$port/hang" >/dev/null 2>&1 &
hpid=$!
wait_connected $hpid "$port" || ko "ember never connected to /hang"
cmdline=$(tr '\0' ' ' <"/proc/$hpid/cmdline")
kill $hpid; wait $hpid 2>/dev/null
case $cmdline in
*s3cret*) ko "/proc/PID/cmdline shows the password: $cmdline" ;;
*"http://"*"@127.0.0.1:$port/hang"*) ok ;;
*) ko "/proc/PID/cmdline: '$cmdline'" ;;
esac
# (b) an argument too long for a URL: named without its credentials (after
# a good one: under SANITIZE=1, LeakSanitizer's exit 23 says if the first
# one's strings leak on this error path, the review's L1)
long=$(printf 'a%.0s' $(seq 4100))
"$EMBER" --top "$base/x" "http://user:s3cret@127.0.0.1:1/$long" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && grep -q "^ember: http://127.0.0.1:1/a*: URL too long$" "$tmp/err" &&
    ! grep -q s3cret "$tmp/err"; then ok
else ko "URL too long: rc $rc: $(cut -c1-80 "$tmp/err")"; fi
# (c) a user name that is a letter of the message leaves the message whole
expect_fail "http://a@127.0.0.1:1/x" "cannot connect to 127.0.0.1:1: Connection refused$"

# 10. Batch --record keeps a good answer when another URL fails (M5): the
# heap profile is recorded, /500 is the error line, exit 2.
mkdir "$tmp/half"
"$EMBER" --top --record "$tmp/half" "$base/debug/pprof/heap" "$base/500" >"$tmp/out" 2>"$tmp/err"
rc=$?
rec=$(ls "$tmp/half")
if [ $rc -eq 2 ] && grep -q "^ember: $base/500: HTTP 500" "$tmp/err" &&
    case $rec in *-127.0.0.1_$port.pb.gz) true ;; *) false ;; esac &&
    go tool pprof -raw "$tmp/half/$rec" >/dev/null 2>&1; then ok
else ko "--record beside a failing URL: rc $rc, recorded '$rec': $(cat "$tmp/err")"; fi

echo "live: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
