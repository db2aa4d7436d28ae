#!/usr/bin/env bash
# Writes delta/: three answers of Go's /debug/pprof/allocs?seconds=1 (an
# interval delta: net/http/pprof's serveDeltaProfile sets DurationNanos)
# from tests/live/server.go, named as --record names them
# (YYYYmmddTHHMMSS.mmmZ-SOURCE.pb.gz), then delta.txt: each file's
# alloc_space total from `go tool pprof -top -unit=B`.
# Usage: cd tests/data/snapshots && bash make-delta.sh
set -eu
export LC_ALL=C
go build -o /tmp/make-delta-server ../../live/server.go
rm -f /tmp/make-delta-port
/tmp/make-delta-server -lifetime 60s >/tmp/make-delta-port &
pid=$!
trap 'kill $pid' EXIT
while [ ! -s /tmp/make-delta-port ]; do sleep 0.1; done
port=$(cat /tmp/make-delta-port)
sleep 2   # the workload runs a while first
rm -rf delta && mkdir delta
for i in 1 2 3; do
    name=$(date -u +%Y%m%dT%H%M%S.%3NZ)-localhost_6060.pb.gz
    curl -sf -o "delta/$name" "http://127.0.0.1:$port/debug/pprof/allocs?seconds=1"
done
for f in delta/*.pb.gz; do
    go tool pprof -sample_index=alloc_space -unit=B -top "$f" 2>/dev/null |
        sed -n "s|.* of \([0-9]*\)B total\$|$(basename "$f") alloc_space \1|p"
done >delta.txt
