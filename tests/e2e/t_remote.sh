#!/usr/bin/env bash
# Issue 11: the explorer over a Pyroscope server (the stand-in of
# tests/pyro/serve.sh on loopback, its profiles tests/data/pyro/profiles
# shifted into the last hour): the picker, a service's numbers equal to the
# same files opened locally and to go tool pprof's, the timeline and a range
# picked on it, the tag explorer, a value's diff, Tab from the server, Esc on
# a hanging call, a 500 keeping the previous result, keys while a call is
# delayed, and no password on screen. Expected numbers come from go tool
# pprof (or ember on the files), never from the remote screens themselves.
# Usage: tests/e2e/t_remote.sh path/to/ember
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/pyro/serve.sh"

PYRO_TMP=$E2E_DIR/pyro
mkdir -p "$PYRO_TMP"
if ! pyro_build >"$E2E_DIR/build.out"; then
    echo "t_remote: $(cat "$E2E_DIR/build.out")"
    finish
    exit
fi
trap 'pyro_stop_all; tm kill-server 2>/dev/null; rm -rf "$E2E_DIR"' EXIT

CPU="$ROOT/tests/data/pyro/profiles/checkout/cpu-*.pb.gz"
# pprof FLAGS...: "TOTAL_MS SLOWPATH_CUM_MS" of checkout's CPU profiles
pprof_ms() {
    go tool pprof "$@" -unit=ms -nodefraction=0 -nodecount=100000 -top $CPU 2>/dev/null |
        awk '/^Showing nodes accounting/ {gsub("ms,", "", $5); t = $5}
             $NF == "main.slowPath" {gsub("ms", "", $4); c = $4} END {print t, c}'
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", 100 * a / b}'; }
secs() { awk -v v="$1" 'BEGIN {printf "%.2fs", v / 1000}'; }
read -r ALL _ <<<"$(pprof_ms)"
read -r EU EU_SLOW <<<"$(pprof_ms -tagfocus=region=eu-north)"
read -r REST REST_SLOW <<<"$(pprof_ms -tagignore=region=eu-north)"
# the hottest function: its flat ms and flat% of the whole, by pprof
read -r HOT_MS HOT_PCT HOT <<<"$(go tool pprof -unit=ms -top -nodecount=1 $CPU 2>/dev/null |
    awk '$NF ~ /\./ && $1 ~ /ms$/ {gsub("ms", "", $1); print $1, $2, $NF; exit}')"

pyro_serve -shift -log "$PYRO_TMP/plain.log" || { ko "the server starts"; finish; exit; }
URL=$PYRO_URL
log_count() { grep -c "\"method\":\"$2\"" "$1"; }
# more_calls LOG METHOD N: LOG holds more than N calls of METHOD (re-read each time)
more_calls() { [ "$(log_count "$1" "$2")" -gt "$3" ]; }

# --- the picker, then a service: the numbers of the same files -------------
start 160 40 -- --url "$URL"
expect "the picker opens" "Service and profile type"
expect "the services (LabelValues)" "checkout"
expect "the types (ProfileTypes)" "process_cpu:cpu:nanoseconds:cpu:nanoseconds"
keys j Enter
expect "a service opens" "{service_name=\"checkout\"}  cpu (nanoseconds)  total $(secs "$ALL")"
expect "the whole tree, said" "full tree (SelectMergeProfile)"
hot=$(line_of " $HOT ")
case $hot in *"$HOT_PCT"*"$HOT_PCT"*) ok ;; *) ko "the hottest function's share is pprof's $HOT_PCT: '$hot'" ;; esac
# the same files opened locally: the same row
start 160 40 -- -t cpu "$CPU"
expect "the files open" "[Both]"
local_hot=$(line_of " $HOT ")
[ -n "$local_hot" ] && [ "${hot%%│*}" = "${local_hot%%│*}" ] && ok ||
    ko "the server's row equals the files' row: '${hot%%│*}' vs '${local_hot%%│*}'"

# --- e exports what the side shows: the server's answer, go tool pprof reads it
OUT=$E2E_DIR/out
mkdir -p "$OUT"
cd "$OUT" || exit 2             # the pane starts here: the export is written here
start 160 40 -- --url "$URL" --query "'{service_name=\"checkout\"}'"
expect "the service" "total $(secs "$ALL")"
keys e
expect "the export menu" "Export (Enter picks, Esc closes)"
keys Enter
expect "its name" "Enter writes, Esc goes back"
keys Enter
expect "written" "wrote "
file=$(ls "$OUT"/*.pb.gz 2>/dev/null | head -1)
got=$(go tool pprof -unit=ms -top -nodecount=1 "$file" 2>/dev/null |
    sed -n 's/.*Total samples = \([0-9.]*ms\).*/\1/p')
[ "$got" = "${ALL}ms" ] && ok || ko "the exported pprof holds the service's ${ALL}ms (pprof read '$got' from '$file')"
cd "$ROOT" || exit 2

# --- the timeline over the range; a range picked on it asks again ------------
start 160 40 -- --url "$URL" --query "'{service_name=\"checkout\"}'"
expect "the timeline is the query range" "the whole range, 160 steps"
merges=$(log_count "$PYRO_TMP/plain.log" SelectMergeProfile)
keys '{'
expect "a range picked" "range "
until_ok more_calls "$PYRO_TMP/plain.log" SelectMergeProfile "$merges" && ok ||
    ko "the range asked the server again (SelectMergeProfile)"

# --- the tag explorer: region's values, Enter on one, the diff ---------------
keys 5
expect "the tag explorer" "[Tags]"
keys l
expect "grouped by region" "group by region"
expect "eu-north's total is pprof's (-tagfocus)" "$(secs "$EU")"
keys Enter
expect "Enter opens the value within the service" \
    "{service_name=\"checkout\", region=\"eu-north\"}"
keys 5
expect "back to the tags" "[Tags]"
keys d
expect "the diff of eu-north against the rest" "[Diff]"
expect "A: the rest of checkout" "base A {service_name=\"checkout\", region!=\"eu-north\"}"
expect "each side's total is pprof's" "total A $(secs "$REST")  B $(secs "$EU")"
slow=$(line_of "main.slowPath")
case $slow in
*" $(pct "$REST_SLOW" "$REST")  $(pct "$EU_SLOW" "$EU") "*) ok ;;
*) ko "main.slowPath grew from $(pct "$REST_SLOW" "$REST") to $(pct "$EU_SLOW" "$EU") (pprof): '$slow'" ;;
esac

# --- Tab completes from the server -------------------------------------------
keys 1 :
expect "the query prompt" ": {service_name="
keys C-u '{reg' Tab
expect "a label name from LabelNames" ': {region="'
keys 'us' Tab
expect "a value from LabelValues" ': {region="us-east"'
until_ok grep -q '"method":"LabelValues".*"name":"region"' "$PYRO_TMP/plain.log" && ok ||
    ko "the value came from the server's LabelValues of region"

# --- --every: the panes asked again in the background, the numbers stay ----
start 160 40 -- --url "$URL" --every 1s --query "'{service_name=\"checkout\"}'"
expect "the first answer" "total $(secs "$ALL")"
merges=$(log_count "$PYRO_TMP/plain.log" SelectMergeProfile)
until_ok more_calls "$PYRO_TMP/plain.log" SelectMergeProfile "$((merges + 1))" && ok ||
    ko "--every 1s asked SelectMergeProfile again, twice"
check "the numbers stay on screen" has_text "total $(secs "$ALL")"

# --- a server that cuts SelectMergeProfile too (a tenant's node limit): said ----
pyro_serve -shift -max-flamegraph-nodes-default 8 -max-flamegraph-nodes-on-select-merge-profile ||
    ko "the cutting server starts"
start 160 40 -- --url "$PYRO_URL" --query "'{service_name=\"checkout\"}'"
expect "the cut tree is marked" "truncated by the server"
check "its other node shows" has_text " other "

# --- a range over the server's 24 h: its reason, as batch mode (no split) ----
start 160 40 -- --url "$URL" --from now-25h --query "'{service_name=\"checkout\"}'"
expect "the server refuses the range, with its reason" "exceeds the limit (max_query_length"

# --- Esc on a call that hangs: the previous numbers stay ---------------------
pyro_serve -shift -hang SelectMergeProfile@2 || ko "the hanging server starts"
start 160 40 -- --url "$PYRO_URL" --query "'{service_name=\"checkout\"}'"
expect "the first answer" "total $(secs "$ALL")"
keys : C-u '{service_name="cart"}' Enter
expect "pending, said" "(Esc cancels)"
keys Escape
expect "Esc cancels it" "cancelled"
expect_row "the previous numbers stay" 1 "{service_name=\"checkout\"}  cpu (nanoseconds)  total $(secs "$ALL")"

# --- a 500: one line, the previous result stays ------------------------------
pyro_serve -shift -fail 'SelectMergeProfile@2=500:the store is down' || ko "the failing server starts"
start 160 40 -- --url "$PYRO_URL" --query "'{service_name=\"checkout\"}'"
expect "the first answer" "total $(secs "$ALL")"
keys : C-u '{service_name="cart"}' Enter
expect "the server's message" "the store is down"
check "the previous result stays" has_text " $HOT "
expect_row "and its query" 1 "{service_name=\"checkout\"}"

# --- keys answer while a call is delayed -------------------------------------
pyro_serve -shift -delay 'SelectMergeProfile@2=6s' || ko "the slow server starts"
start 160 40 -- --url "$PYRO_URL" --query "'{service_name=\"checkout\"}'"
expect "the first answer" "total $(secs "$ALL")"
keys : C-u '{service_name="cart"}' Enter
expect "pending" "(Esc cancels)"
keys 2
expect "a key answers meanwhile" "[Table]"
expect_row "the answer lands" 1 "{service_name=\"cart\"}"

# --- credentials: never on screen ---------------------------------------------
printf 'hunter2-s3cret\n' >"$PYRO_TMP/pw"
printf 'wrong-s3cret\n' >"$PYRO_TMP/bad"
pyro_serve -shift -user alice -password-file "$PYRO_TMP/pw" || ko "the auth server starts"
start 160 40 -- --url "$PYRO_URL" --username alice --password-file "$PYRO_TMP/pw" \
    --query "'{service_name=\"checkout\"}'"
expect "basic auth works" "total $(secs "$ALL")"
check "no password on screen" lacks_text "s3cret"
start 160 40 -- --url "$PYRO_URL" --username alice --password-file "$PYRO_TMP/bad"
expect "refused credentials, said" "401"
check "no password in the message" lacks_text "s3cret"

finish
