# The terminal under stress (issue 8: 7, 12): every signal that ends ember
# leaves the terminal as it found it, and a load can be cancelled at once,
# says what it does after reading, and echoes nothing.
# Run as: bash tests/e2e/t_hardui.sh EMBER (bench-gen is taken from beside
# EMBER: `make e2e` builds both).
. "$(dirname "$0")/lib.sh"
ulimit -c 0                     # the crash signals dump no core here
# Every start resets the signals to their defaults: tmux starts its panes
# with SIGPIPE ignored, and ember keeps a signal it was given ignored.
SIGS=--default-signal

pane() { tm display -p -t e "#{$1}"; }
# the pane's terminal modes (stty -a): canonical input and echo are on
tty_cooked() {
    local modes
    modes=$(stty -a -F "$(pane pane_tty)") || return 1
    grep -qw -- -icanon <<<"$modes" && return 1
    grep -qw -- -echo <<<"$modes" && return 1
    return 0
}
# after ember ended: the main screen, the cursor shown, no mouse reporting,
# canonical input with echo
restored() {                    # NAME
    if [ "$(pane alternate_on)" = 0 ]; then ok; else ko "$1: still on the alternate screen"; fi
    if [ "$(pane cursor_flag)" = 1 ]; then ok; else ko "$1: the cursor is hidden"; fi
    if [ "$(pane mouse_any_flag)$(pane mouse_button_flag)$(pane mouse_all_flag)" = 000 ]
    then ok; else ko "$1: mouse reporting is on"; fi
    if tty_cooked; then ok; else ko "$1: the terminal is left raw: $(stty -a -F "$(pane pane_tty)" | tr '\n' ' ')"; fi
}

# --- point 7: a signal that ends ember restores the terminal first ---------------
# The status is what a shell reports for it, 128 + its number (Linux):
# quit-type signals end the explorer as q does, with that status; crash-type
# ones (their default action dumps core) restore, then die by the signal.
killed_by() {               # SIGNAL STATUS
    start 100 24 $SIGS TERM=xterm-256color -- "$DATA/go-cpu.pb.gz"
    expect "SIG$1: started" "[Both]"
    # the explorer reports mouse events: the restore has something to undo
    if [ "$(pane mouse_any_flag)$(pane mouse_button_flag)$(pane mouse_all_flag)" != 000 ]
    then ok; else ko "SIG$1: mouse reporting is off in the explorer"; fi
    kill "-$1" "$(ember_pid)"
    expect "SIG$1 ends ember with $2" "EXITED:$2"
    restored "SIG$1"
}
killed_by QUIT 131
killed_by ILL 132
killed_by TRAP 133
killed_by ABRT 134
killed_by BUS 135
killed_by FPE 136
killed_by SEGV 139
killed_by SYS 159
killed_by XCPU 152
killed_by XFSZ 153
killed_by PIPE 141
killed_by ALRM 142
killed_by USR1 138
killed_by USR2 140
killed_by VTALRM 154
killed_by PROF 155
killed_by TERM 143
killed_by RTMIN 162

# Ctrl-\ on the keyboard is SIGQUIT from the terminal
start 100 24 $SIGS TERM=xterm-256color -- "$DATA/go-cpu.pb.gz"
expect "Ctrl-\\: started" "[Both]"
keys 'C-\'
expect "Ctrl-\\ ends ember with 131" "EXITED:131"
restored "Ctrl-\\"

# a signal ember was started with ignored stays ignored (nohup's promise)
start 100 24 --ignore-signal=USR1 TERM=xterm-256color -- "$DATA/go-cpu.pb.gz"
expect "ignored SIGUSR1: started" "[Both]"
kill -USR1 "$(ember_pid)"
snap
keys 2                          # still running: it takes keys
expect "ignored SIGUSR1 ignored" "[Table]"
keys q
expect "ignored SIGUSR1: q ends it" "EXITED:0"

# --- point 12: loading ------------------------------------------------------------
# A profile that takes seconds to load: a million stacks (bench-gen, as
# `make bench` makes its profile; 47 MB), made once beside the binary.
GEN=$(dirname "$EMBER")/bench-gen
BIG=$(dirname "$EMBER")/e2e-load.pb.gz
if [ ! -x "$GEN" ]; then
    ko "no $GEN (make e2e builds it)"
    finish
    exit
fi
if [ ! -s "$BIG" ] || [ "$GEN" -nt "$BIG" ]; then
    "$GEN" "$BIG.tmp" --stacks 1000000 2>/dev/null && mv "$BIG.tmp" "$BIG"
fi
LOAD=120                        # seconds a whole load may take on a loaded machine
now() { date +%s.%N; }
less_than() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
# the load line shows "ember: reading FILE... N%"; a key echoed would follow it
echoed() { screen | grep -qE '%.*x'; }
# while loading, the terminal takes keys one by one, without echo
tty_quiet() { stty -a -F "$(pane pane_tty)" | grep -qw -- -echo && stty -a -F "$(pane pane_tty)" | grep -qw -- -icanon; }

# The whole load: progress, then what happens after 100% (the call tree's
# index, the first query), then the explorer, which gets the keys typed
# meanwhile (2: the table view) without them being echoed.
start 120 30 $SIGS TERM=xterm-256color -- "$BIG"
if wait_for "ember: reading $BIG..." "$LOAD"; then ok; else ko "load: no progress shown"; fi
if tty_quiet; then ok; else ko "load: the terminal echoes while loading: $(stty -a -F "$(pane pane_tty)" | tr '\n' ' ')"; fi
keys x 2
# the steps after reading take tens of ms each: their lines are looked for
# in what ember wrote, which a poll of the screen can miss
if wait_said "ember: indexing $BIG..." "$LOAD"; then ok; else ko "load: nothing said after reading"; fi
if wait_said "ember: preparing the explorer..." "$LOAD"; then ok; else ko "load: the first query is not said"; fi
if wait_for "[Table]" "$LOAD"; then ok; else ko "load: the explorer did not open in the table (2 typed while loading)"; fi
keys q
expect "load: q ends the explorer" "EXITED:0"
restored "load, then q"

# q while reading: ember ends at once. A load takes longer than batch
# output of the same file (which reads it the same way): t_full.
t0=$(now)
"$EMBER" --top "$BIG" >/dev/null
t_full=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')
start 120 30 $SIGS TERM=xterm-256color -- "$BIG"
if wait_for "ember: reading $BIG..." "$LOAD"; then ok; else ko "cancel: no progress shown"; fi
snap
keys x
# the next progress line has come (ember read on): an echo would show by now
if wait_change "$LOAD" && ! echoed; then ok; else ko "cancel: x was echoed"; fi
t0=$(now)
keys q
if wait_for "EXITED:0" "$LOAD"; then ok; else ko "cancel: q did not end ember"; fi
t_cancel=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')
if less_than "$t_cancel" "$(awk -v t="$t_full" 'BEGIN { print t / 4 }')"; then ok
else ko "cancel: q took $t_cancel s to end ember; the whole load takes $t_full s"; fi
restored "cancel"

# a signal while loading restores the terminal's modes too
for sig in INT:130 QUIT:131 TERM:143 SEGV:139; do
    start 120 30 $SIGS TERM=xterm-256color -- "$BIG"
    if wait_for "ember: reading $BIG..." "$LOAD"; then ok; else ko "SIG${sig%:*} while loading: no progress"; fi
    kill "-${sig%:*}" "$(ember_pid)"
    expect "SIG${sig%:*} while loading ends ember with ${sig#*:}" "EXITED:${sig#*:}"
    expect_gone "SIG${sig%:*} while loading: the progress line is erased" "ember: reading"
    restored "SIG${sig%:*} while loading"
done

# ember ends before the explorer opens (a bad file, a usage error after the
# load): the terminal's modes are back too
start 120 30 $SIGS TERM=xterm-256color -- "$DATA/bad/truncated.pb"
expect "a bad file: exit 2" "EXITED:2"
restored "a bad file"
start 120 30 $SIGS TERM=xterm-256color -- -t nosuchtype "$DATA/go-cpu.pb.gz"
expect "an unknown sample type: exit 1" "EXITED:1"
restored "an unknown sample type"

# --- random keys on the real binary (issue 8, "make it stay fixed") ----------
# check_random.c drives the explorer itself; this sends real keys through
# the terminal (term.c's decoding, resizes below the minimum too). Fixed
# seeds; no key that ends ember (q, Ctrl-C, Ctrl-\\, Ctrl-Z). In the end,
# ember still answers (? shows the help) and SIGTERM ends it with 143 (a
# sanitizer's abort would say otherwise).
KEYPOOL=(j k h l Up Down Left Right Enter Tab BTab Space BSpace Escape / : '?' 1 2 3 4 5 6 7
         s S r f g G z Z n N t m c d x '[' ']' '{' '}' '<' '>' , . + - = '"' a b e i o p u v w y
         PageUp PageDown Home End F1 C-u C-w C-a C-e)
random_keys() {             # SEED NAME ARGS...
    local seed=$1 name=$2 i k batch
    shift 2
    start 100 30 $SIGS TERM=xterm-256color -- "$@"
    expect "$name: started" "ember"
    RANDOM=$seed
    for ((i = 0; i < 30; i++)); do
        batch=()
        for ((k = 0; k < 10; k++)); do batch+=("${KEYPOOL[RANDOM % ${#KEYPOOL[@]}]}"); done
        keys "${batch[@]}"
        if ((RANDOM % 4 == 0)); then
            tm resize-window -t e -x $((20 + RANDOM % 140)) -y $((5 + RANDOM % 45))
        fi
    done
    tm resize-window -t e -x 100 -y 30
    keys Escape Escape Escape '?'
    check "$name (seed $seed): ember still answers after 300 random keys" has_text " Keys (j/k scroll"
    kill -TERM "$(ember_pid)"
    expect "$name (seed $seed): SIGTERM ends it" "EXITED:143"
    restored "$name (seed $seed)"
}
random_keys 1 "random keys, go-cpu" "$DATA/go-cpu.pb.gz"
random_keys 2 "random keys, the demo" ""
random_keys 3 "random keys, hostile names" "$DATA/bad/hostile-names.pb"

finish
