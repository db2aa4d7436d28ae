#!/usr/bin/env bash
# Runs every end-to-end file (tests/e2e/t_*.sh) against EMBER and adds up
# their counts. Usage: tests/e2e/run.sh path/to/ember
set -u
EMBER=${1:?usage: tests/e2e/run.sh EMBER}
total_pass=0 total_fail=0
for t in tests/e2e/t_*.sh; do
    out=$(bash "$t" "$EMBER" 2>&1)
    echo "$out" | grep -v '^[a-z_]*: [0-9]* passed, [0-9]* failed$'
    line=$(echo "$out" | grep '^[a-z_]*: [0-9]* passed, [0-9]* failed$' | tail -1)
    if [ -z "$line" ]; then
        echo "FAIL: $t printed no counts"; total_fail=$((total_fail + 1)); continue
    fi
    echo "$line"
    set -- $line
    total_pass=$((total_pass + $2)) total_fail=$((total_fail + $4))
done
echo "e2e: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
