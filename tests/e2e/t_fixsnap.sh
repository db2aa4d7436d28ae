#!/usr/bin/env bash
# Timeline gaps (man: a step with no profile is a gap): five CPU profiles
# taken at 0, 10, 20, 30 and 90 s make five steps of 18 s, the profiles in
# steps floor(t / 18) = 0, 0, 1, 1, 4: steps 2 and 3 hold none and show
# as dots (a UTF-8 terminal; ~ without colors) where a zero step would
# be blank.
# Usage: tests/e2e/t_fixsnap.sh path/to/ember
. "$(dirname "$0")/lib.sh"

GAPS=$E2E_DIR/gaps
mkdir -p "$GAPS"
i=0
for t in 0 10 20 30 90; do
    i=$((i + 1))
    printf 'main;work %d\n' $((i * 10)) >"$GAPS/cpu-$i.txt"
    touch -d "@$((1764633600 + t))" "$GAPS/cpu-$i.txt"
done

start 100 24 LANG=C.UTF-8 -- "$GAPS"
expect "the steps with no profile are a gap" "····"
start 100 24 LANG=C.UTF-8 -- --no-color "$GAPS"
expect "without colors the gap is ~" "~~~~"
finish
