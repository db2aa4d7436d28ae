#!/usr/bin/env bash
# Writes pprof.txt: for every snapshot in series/ and sample type, the
# total and main.keepLive's flat value as `go tool pprof -top` prints them
# (exact units: -unit=B for bytes). The tests derive averages and deltas
# from these by hand arithmetic (tests/check_snapshots.c, tests/cli.sh).
# Usage: cd tests/data/snapshots && bash make-expected.sh
set -eu
export LC_ALL=C
{
    echo "# file type total keepLive_flat (go tool pprof -top -sample_index=TYPE)"
    for f in series/*.pb.gz; do
        case $f in *heap*) types="alloc_objects alloc_space inuse_objects inuse_space" ;;
                   *) types="contentions delay" ;; esac
        for t in $types; do
            unit=; case $t in *space) unit=-unit=B ;; delay) unit=-unit=ns ;; esac
            go tool pprof -sample_index=$t $unit -nodefraction=0 -top "$f" 2>/dev/null >/tmp/snap.top
            total=$(sed -n 's/.* of \([0-9.]*\)[a-zA-Z]* total$/\1/p' /tmp/snap.top)
            keep=$(awk '$6 == "main.keepLive" { sub(/[a-zA-Z]+$/, "", $1); print $1 }' /tmp/snap.top)
            echo "$(basename "$f") $t $total ${keep:-0}"
        done
    done
} >pprof.txt
