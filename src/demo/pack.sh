#!/bin/sh
# Packs the demo profiles into one blob the binary embeds: a line
# "EMBERDEMO 1", then for each file a line "NAME SIZE" and its bytes.
# Usage: pack.sh OUT FILE...
out=$1
shift
{
    echo "EMBERDEMO 1"
    for f in "$@"; do
        echo "$(basename "$f") $(wc -c <"$f" | tr -d ' ')"
        cat "$f"
    done
} >"$out"
