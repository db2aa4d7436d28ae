#!/usr/bin/env bash
# The stand-in Pyroscope server's own checks (tests/pyro/server.go), apart
# from ember: its answers against go tool pprof of the same files, the
# error forms, auth, tenants and the prefix. Servers on 127.0.0.1 only,
# started here and stopped at the end; every curl has a time limit.
# Usage: tests/pyro_server.sh   (PYRO_BIN: where to build the server)
set -u
cd "$(dirname "$0")/.."
export LC_ALL=C
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
. tests/pyro/serve.sh
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

pyro_build || exit 0
PYRO_TMP=$(mktemp -d)
tmp=$PYRO_TMP
trap 'pyro_stop_all; rm -rf "$tmp"' EXIT
export GOCACHE=${GOCACHE:-$PWD/build/gocache} GO111MODULE=off GOFLAGS= GOTOOLCHAIN=local

CPU=process_cpu:cpu:nanoseconds:cpu:nanoseconds
DATA=tests/data/pyro/profiles

# post URL METHOD JSON: the JSON answer on stdout; the status in $tmp/status.
post() {
    curl -sS -m 10 -o "$tmp/body" -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary "$3" "$1/querier.v1.QuerierService/$2" >"$tmp/status" 2>"$tmp/curl.err"
    cat "$tmp/body"
}

pyro_serve || exit 1
base=$PYRO_URL

# ProfileTypes lists the CPU type of the fixtures.
case $(post "$base" ProfileTypes '{}') in
*"\"ID\":\"$CPU\""*) ok ;;
*) ko "ProfileTypes lacks $CPU: $(cat "$tmp/body")" ;;
esac

# LabelValues of service_name: the fixtures' folders.
want=$(ls "$DATA" | awk 'BEGIN { printf "{\"names\":[" } { printf "%s\"%s\"", (NR > 1 ? "," : ""), $0 }
    END { printf "]}" }')
got=$(post "$base" LabelValues '{"name":"service_name"}')
[ "$got" = "$want" ] && ok || ko "LabelValues service_name: $got, want $want"

# A Select method without a time range: 400, Pyroscope's message.
got=$(post "$base" SelectMergeProfile "{\"profileTypeID\":\"$CPU\",\"labelSelector\":\"{}\"}")
[ "$(cat "$tmp/status")" = 400 ] && [ "$got" = '{"code":"invalid_argument","details":[],"message":"missing time range in the query"}' ] &&
    ok || ko "no range: $(cat "$tmp/status") $got"

echo "pyro_server: $pass passed, $fail failed"
[ "$fail" = 0 ]
