#!/usr/bin/env bash
# Time and the tag explorer in the real binary: the demo's story, a folder
# of CPU and heap profiles, --from past every profile, the axis's date and
# zone, the tag status bar, and which side is the baseline.
# Numbers: the demo's per-region CPU per profile by go tool pprof -raw
# (tests/check_tags_time.c lists them), eu-north 330 240 220 340 430 400
# 520 470 ms: total 2.95 s, mean 368.75 ms, population deviation 99.30 ms.
# Usage: tests/e2e/t_time.sh path/to/ember
. "$(dirname "$0")/lib.sh"
DEMO=$(realpath src/demo/profiles)

# --- the demo's text and data tell one story -------------------------------
# README: eu-north starts compressing half way and its CPU per profile rises
# by about 60%, the other regions' stays flat.
cpu() {  # cpu REGION FILE-REGEX: its CPU in ms over those profiles
    "$EMBER" --folded -q "{region=\"$1\", file=~\"$2\"}" "$DEMO" |
        awk -F'\t' '{s += $2} END {printf "%d", s / 1000000}'
}
grep -q 'eu-north starts compressing its payloads' README.md && ok || ko "README: the demo's story"
for r in eu-north us-east ap-south; do
    before=$(cpu "$r" 'cpu-0[0-3].pb.gz') after=$(cpu "$r" 'cpu-0[4-7].pb.gz')
    if [ "$r" = eu-north ]; then
        # 330+240+220+340 = 1130 ms, then 430+400+520+470 = 1820 ms
        [ "$after" -gt $((before * 14 / 10)) ] && ok || ko "demo: eu-north $before -> $after ms"
    else
        [ "$after" -lt $((before * 5 / 4)) ] && [ "$after" -gt $((before * 3 / 4)) ] && ok ||
            ko "demo: $r is not flat: $before -> $after ms"
    fi
done
"$EMBER" --top --raw -q '{region="eu-north", file="cpu-03.pb.gz"}' "$DEMO" |
    grep -q compressPayload && ko "demo: eu-north compresses before half way" || ok
"$EMBER" --top --raw -q '{region="eu-north", file="cpu-04.pb.gz"}' "$DEMO" |
    grep -q compressPayload && ok || ko "demo: eu-north does not compress from half way"

# --- a folder of CPU and heap profiles taken in turn ----------------------
start 140 30 TZ=UTC TERM=xterm-256color -- --view tags "$DEMO" "$DATA/demo-heap"
expect "mixed: the tag explorer" "[Tags]"
expect "mixed: the CPU profiles' label, not the heap's bytes" "group by pod"
expect "mixed: one step per CPU profile" "all 8 steps"
keys l
expect "mixed: next label" "group by region"
expect "mixed: eu-north over the 8 CPU steps" \
    "region=\"eu-north\": 2.95s, 43.38% of 6.8s with a region, mean 369ms, stddev 99.3ms over 8 steps"
# t: the heap's sample type, then its own eight steps and its label
keys t
expect "type menu" "alloc_space"
keys j j Enter
expect "mixed: the heap's label" "group by bytes"
case $(screen | head -1) in *"alloc_space (bytes)"*) ok ;; *) ko "mixed: heap type" ;; esac
if screen | sed -n 3p | grep -qF "all 8 steps"; then ok; else ko "mixed: 8 heap steps"; fi

# --- --from past every profile: the timeline says so ----------------------
start 140 30 TZ=UTC TERM=xterm-256color -- --from now "$DEMO"
expect "from now: the timeline says no profile" \
    "no profile between"
expect "from now: and when they were taken" "profiles span 19:32:10..19:32:20"
if screen | grep -qF "all 8 steps"; then ko "from now: the timeline claims every step"; else ok; fi

# --- the axis: date, local time and zone ---------------------------------
start 140 30 TZ=Asia/Kolkata TERM=xterm-256color -- "$DEMO"
expect "axis: date, time and zone (UTC+5:30)" "2026-12-02 01:02:10 IST"

# --- which side is the baseline ------------------------------------------
start 140 30 TZ=UTC TERM=xterm-256color -- "$DEMO"
expect "single view" "[Both]"
keys ] ] ] ]
expect "a range in the single view" "range 19:32:15"
keys 7
expect "diff timeline: the range is A's, the baseline" \
    "A baseline 19:32:15..19:32:20 (upper bar)  B new all 8 steps (lower bar)"
keys w
expect "w: the range is B's now" "swapped: A (baseline) {}, B (new) {} (a time range)"
expect "diff timeline: swapped" "A baseline all 8 steps (upper bar)  B new 19:32:15..19:32:20"
keys 6
expect "comparison: B is the new side" "B new: 19:32:15..19:32:20"
keys Tab :
expect "the prompt names the focused side" "B: {}"
keys Escape
expect_gone "prompt closed" "B: {}"
start 140 30 TZ=UTC TERM=xterm-256color -- "$DEMO"
expect "single view" "[Both]"
keys 7
expect "diff of the same samples says so" "A and B select the same samples: to set B, press 6"

finish
