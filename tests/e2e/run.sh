#!/usr/bin/env bash
# Runs every end-to-end file (tests/e2e/t_*.sh), or the files named, against
# EMBER and adds up their counts. Usage: tests/e2e/run.sh EMBER [t_NAME.sh...]
# A failing file's output (each failure with its place, the keys sent and
# the screen) is printed whole, with the line that reruns it alone. A file
# still running after E2E_FILE_TIMEOUT seconds (default 600) is stopped and
# counted as failed.
set -u
EMBER=$(realpath "${1:?usage: tests/e2e/run.sh EMBER [FILE...]}") || exit 1
shift
cd "$(dirname "$0")/../.." || exit 1
if [ "$#" -eq 0 ]; then set -- tests/e2e/t_*.sh; fi
counts='^[a-z_0-9]*: [0-9]* passed, [0-9]* failed$'
total_pass=0 total_fail=0 failed_files=""
for t in "$@"; do
    [ -f "$t" ] || t=tests/e2e/${t##*/}
    t0=$SECONDS
    out=$(timeout -k 5 "${E2E_FILE_TIMEOUT:-600}" bash "$t" "$EMBER" 2>&1)
    rc=$?
    [ "$rc" -eq 124 ] && out="$out
FAIL: $t stopped after ${E2E_FILE_TIMEOUT:-600}s"
    echo "$out" | grep -v "$counts"
    line=$(echo "$out" | grep "$counts" | tail -1)
    if [ -z "$line" ]; then
        echo "FAIL: $t printed no counts (exit status $rc)"
        line="$(basename "$t" .sh): 0 passed, 1 failed"
    elif [ "$rc" -ne 0 ] && [ "${line##*passed, }" = "0 failed" ]; then
        echo "FAIL: $t exited with status $rc after its counts"
        line="${line%, 0 failed}, 1 failed"
    fi
    echo "$line  ($((SECONDS - t0))s)"
    read -r _ p _ f _ <<<"$line"
    total_pass=$((total_pass + p)) total_fail=$((total_fail + f))
    [ "$f" -eq 0 ] || failed_files="$failed_files $t"
done
for t in $failed_files; do
    echo "rerun alone: bash $t $EMBER   (E2E_KEEP=DIR keeps each failure's screen with colors)"
done
echo "e2e: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
