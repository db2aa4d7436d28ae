# The command line as the explorer meets it (issue 7: 8, 23, 24): exit
# statuses after signals, refusals before the screen opens, hints in the
# status bar. Run as: bash tests/e2e/t_cli.sh EMBER
. "$(dirname "$0")/lib.sh"

ember_pid() { pgrep -x -P "$(tm display -p -t e '#{pane_pid}')" ember; }

# --- a signal ends the explorer with the status a shell expects ---------------
# 128 + the signal's number, after the terminal is restored
ends_with() {               # NAME STATUS KEY-OR-SIGNAL: ember on go-cpu, ended so
    start 100 24 TERM=xterm-256color -- "$DATA/go-cpu.pb.gz"
    expect "$1: started" "[Both]"
    case $3 in
    -*) kill "$3" "$(ember_pid)" ;;
    *) keys "$3" ;;
    esac
    expect "$1 exits with $2" "EXITED:$2"
    if tm display -p -t e '#{alternate_on}' | grep -q 1; then ko "$1: still in the alternate screen"
    else ok; fi
}
ends_with Ctrl-C 130 C-c
ends_with SIGTERM 143 -TERM
ends_with SIGHUP 129 -HUP
ends_with q 0 q

# --- the explorer refuses what batch output refuses, before it opens ---------
# a CPU file and a heap file share no sample type (go tool pprof -raw lists
# samples, cpu for one; alloc_objects, alloc_space, inuse_objects,
# inuse_space for the other)
# (short copies, so that the line fits the screen whatever the checkout's path)
short=$(mktemp -d)
trap 'rm -rf "$short"' EXIT
cp "$DATA/go-cpu.pb.gz" "$short/cpu.pb.gz" && cp "$DATA/go-heap.pb.gz" "$short/heap.pb.gz"
start 200 24 TERM=xterm-256color -- --diff "$short/cpu.pb.gz" "$short/heap.pb.gz"
expect "diff of cpu and heap refused" "no sample type in common: $short/cpu.pb.gz has samples, cpu; $short/heap.pb.gz has alloc_objects, alloc_space, inuse_objects, inuse_space"
expect "diff of cpu and heap: exit 1" "EXITED:1"

start 200 24 TERM=xterm-256color -- --view tags --group-by regoin "$DATA/go-cpu.pb.gz"
expect "--group-by a label no sample has" "ember: --group-by: no sample has label 'regoin'; labels: file, region, worker"
expect "--group-by: exit 1" "EXITED:1"

# --- a label no sample has, a range holding no profile: said in the status bar
start 120 24 TERM=xterm-256color -- --query "'{regoin=\"x\"}'" "$DATA/go-cpu.pb.gz"
expect "--query with a label no sample has" "no sample has label 'regoin'; labels: file, region, worker"

start 120 24 TERM=xterm-256color -- --view flame "$DATA/go-cpu.pb.gz"
expect "flame" "[Flamegraph]"
keys : C-u '{regoin="x"}' Enter
expect "a query typed with a label no sample has" "no sample has label 'regoin'; labels: file, region, worker"
keys : C-u '{region="eu-north"}' Enter
expect "a good query applied" '{region="eu-north"}  cpu'
if screen | grep -qF "no sample has label"; then ko "a good query still shows the hint"; else ok; fi

# the only profile of go-cpu was taken at 05:19:47 UTC (go tool pprof -raw)
start 140 24 TERM=xterm-256color -- --from 2026-11-25 "$DATA/go-cpu.pb.gz"
expect "--from after every profile" "no profile in the time range; the only profile was taken at 2026-11-24T05:19:47Z"

finish
