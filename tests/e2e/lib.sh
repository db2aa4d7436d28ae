# Shared helpers of the end-to-end tests (sourced by each tests/e2e/t_*.sh):
# the real binary in tmux, keys sent as a person types them, the screen
# captured and checked. Each start gets its own tmux server.
#
# Every wait polls for the change it expects (text that appears, text that
# goes, a screen that differs from a snapshot taken before the keys), never a
# fixed sleep, and never for something already on screen: tmux hands keys
# over at once, so a wait that is already true returns before ember has read
# them. A check of a screen line (a row, a color) polls too (`check`), since
# a capture may come while ember is still writing a frame: ncurses writes a
# frame from the top row down, so once a change at the bottom (the status
# bar) shows, the rows above it are from the same frame.
#
# Each file is run as: bash tests/e2e/t_NAME.sh EMBER  (from any directory)
# E2E_TIMEOUT: seconds a wait may take (default 10: a loaded machine draws
# in well under a second; a pass returns as soon as the change shows).
# After a failure, the rest of that start's waits give up after
# E2E_TIMEOUT_AFTER_FAIL seconds (default 2), so a broken run ends soon.
# E2E_KEEP=DIR: each failure's screen (with escapes) is saved there too.
# E2E_STALL=SECONDS: ember is held that long after each keys (see keys).
set -u
EMBER=$(realpath "${1:?usage: tests/e2e/t_NAME.sh EMBER}")
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DATA=$ROOT/tests/data
export LC_ALL=C.UTF-8
pass=0 fail=0
SOCK=tmux-0
nstart=0
E2E_TIMEOUT=${E2E_TIMEOUT:-10}
E2E_TIMEOUT_AFTER_FAIL=${E2E_TIMEOUT_AFTER_FAIL:-2}
wait_limit=$E2E_TIMEOUT
started="" keylog="" PRE="" pre_set=0 void=""
# The tmux sockets and config live in a directory of this run, removed at
# the end (tmux leaves a killed server's socket behind). The server reads
# the config before its first session: no status line, so the pane has the
# size asked for from the start (setting it after the session exists
# resizes ember once more, after it drew).
E2E_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ember-e2e.XXXXXX")
TMUX_CONF=$E2E_DIR/tmux.conf
printf 'set -g status off\nset -g history-limit 0\n' >"$TMUX_CONF"
trap 'tm kill-server 2>/dev/null; rm -rf "$E2E_DIR"' EXIT
trap 'exit 143' TERM HUP INT    # stopped by run.sh's timeout: clean up too

# tm: tmux on this start's server. A resize is an input like keys: the
# screen before it is kept for the waits' check (see keys).
tm() {
    case ${1:-} in resize-window|resize-pane) before_input ;; esac
    tmux -S "$E2E_DIR/$SOCK" "$@"
}
screen() { tm capture-pane -p -t e 2>/dev/null; }
# screen_e: the screen with its SGR escapes (colors and attributes).
screen_e() { tm capture-pane -p -e -t e 2>/dev/null; }
# ember_pid: the process id of the ember running in the pane (the pane's
# shell has it as its only child while it runs), whatever the binary's name.
ember_pid() { pgrep -P "$(tm display -p -t e '#{pane_pid}')"; }

# A wait for text that was already on screen (or already gone) before the
# last keys proves nothing: it would pass before ember read them. The
# screen is kept as PRE when keys (or a resize) go out, and wait_for and
# wait_gone refuse a wait that PRE already satisfies, as a test bug.
before_input() { PRE=$(screen); pre_set=1; }
void_wait() {
    void=""
    [ "$pre_set" = 1 ] || return 1
    if [ "$1" = shows ] && grep -qF -- "$2" <<<"$PRE"; then
        void="TEST BUG: a wait for '$2', which was on screen before the last keys"
    elif [ "$1" = goes ] && ! grep -qF -- "$2" <<<"$PRE"; then
        void="TEST BUG: a wait for '$2' to go, which was not on screen before the last keys"
    else
        return 1
    fi
    # expect and expect_gone count it; a bare wait says it on stderr (its
    # caller may send stdout away) and fails
    case ${FUNCNAME[2]} in expect|expect_gone) ;; *) echo "$void (${BASH_SOURCE[2]##*/}:${BASH_LINENO[1]})" >&2 ;; esac
}
# keys KEY...: tmux send-keys. With E2E_STALL=SECONDS, ember is stopped
# while the keys are sent and for that long after: a wait that does not
# wait for the keys' change then fails for sure, as on a loaded machine.
keys() {
    keylog="$keylog $*"
    before_input
    if [ -z "${E2E_STALL:-}" ]; then tm send-keys -t e "$@"; return; fi
    local pid
    wait                        # the previous stall is over
    pid=$(ember_pid)
    [ -n "$pid" ] && kill -STOP "$pid"
    tm send-keys -t e "$@"
    [ -n "$pid" ] && { sleep "$E2E_STALL"; kill -CONT "$pid"; } &
}

ok() { pass=$((pass + 1)); }
# ko MESSAGE: counts a failure and prints where it happened, what was
# started, the keys sent since, and the numbered screen.
ko() {
    local i=0 where=""
    # the first caller outside this file is the test's line
    while [ "${BASH_SOURCE[i]:-}" ]; do
        [ "${BASH_SOURCE[i]}" != "${BASH_SOURCE[0]}" ] && { where="${BASH_SOURCE[i]##*/}:${BASH_LINENO[i - 1]}"; break; }
        i=$((i + 1))
    done
    fail=$((fail + 1))
    wait_limit=$E2E_TIMEOUT_AFTER_FAIL
    echo "FAIL: $* ($where)"
    echo "    started: $started"
    echo "    keys since:${keylog:- none}"
    echo "--- screen:"
    if tm has-session -t e 2>/dev/null; then screen | cat -n; else echo "(no screen: the tmux server is gone)"; fi
    echo "---"
    if [ -n "${E2E_KEEP:-}" ]; then
        mkdir -p "$E2E_KEEP"
        screen_e >"$E2E_KEEP/$(basename "$0" .sh)-$fail.screen"
        echo "    (screen with escapes: $E2E_KEEP/$(basename "$0" .sh)-$fail.screen)"
    fi
}

# start W H [ENV=VALUE...] -- ARGS: runs ember in a fresh session. ARGS are
# joined with spaces and read by sh, so quote for the shell ("'{a=\"b\"}'").
# The pane prints EXITED:STATUS when ember ends.
start() {
    local w=$1 h=$2
    shift 2
    local envs=()
    while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
    [ "$#" -gt 0 ] || { echo "start: no -- before ember's arguments" >&2; exit 2; }
    shift
    tm kill-server 2>/dev/null
    rm -f "$E2E_DIR/$SOCK"
    # a fresh socket each time: a dying server must not meet the next client
    nstart=$((nstart + 1))
    SOCK=tmux-$nstart
    started="${w}x$h ${envs[*]} ember $*"
    keylog="" wait_limit=$E2E_TIMEOUT PRE="" pre_set=0
    tm -f "$TMUX_CONF" new-session -d -s e -x "$w" -y "$h" \
        "env ${envs[*]} $EMBER $*; echo EXITED:\$?; sleep 60"
    # every byte the pane gets, for what shows too briefly for a poll of
    # the screen to see for sure (a progress line of a few ms: said)
    PANE_LOG=$E2E_DIR/pane-$nstart.log
    : >"$PANE_LOG"
    tm pipe-pane -t e -o "cat >>'$PANE_LOG'"
}

# until_ok CMD [ARGS...]: runs CMD until it succeeds (it reads the screen
# itself); fails after the timeout.
until_ok() {
    local deadline=$((SECONDS + wait_limit))
    while :; do
        "$@" && return 0
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.05
    done
}

has_text() { screen | grep -qF -- "$1"; }
lacks_text() { ! screen | grep -qF -- "$1"; }
# row_has N TEXT: screen line N (from 1) holds TEXT.
row_has() { screen | sed -n "$1p" | grep -qF -- "$2"; }

# wait_for TEXT [SECONDS]: polls the screen until TEXT (a fixed string)
# shows, at most SECONDS (default: the timeout).
wait_for() { local wait_limit=${2:-$wait_limit}; ! void_wait shows "$1" && until_ok has_text "$1"; }
# wait_said TEXT [SECONDS]: polls the pane's output since start (escapes
# and all) until TEXT was written, whether or not it is still on screen:
# for a line shown for less time than a poll of the screen takes.
said() { grep -qF -- "$1" "$PANE_LOG"; }
wait_said() { local wait_limit=${2:-$wait_limit}; until_ok said "$1"; }
# wait_gone TEXT [SECONDS]: polls until TEXT is no longer on screen.
wait_gone() { local wait_limit=${2:-$wait_limit}; ! void_wait goes "$1" && until_ok lacks_text "$1"; }

# snap; keys ...; wait_change [SECONDS]: waits until the screen differs from the
# snapshot taken before the keys.
snap() { SNAP=$(screen); }
changed() { [ "$(screen)" != "$SNAP" ]; }
wait_change() { local wait_limit=${1:-$wait_limit}; until_ok changed; }

# expect NAME TEXT: the check passes when TEXT shows within the timeout.
# Use it only for TEXT that the last keys bring (not already on screen).
expect() {
    if wait_for "$2"; then ok; else ko "$1: ${void:-'$2' not on screen}"; fi
}

# expect_gone NAME TEXT: the check passes when TEXT leaves the screen.
expect_gone() {
    if wait_gone "$2"; then ok; else ko "$1: ${void:-'$2' still on screen}"; fi
}

# expect_row NAME N TEXT: passes when screen line N holds TEXT.
expect_row() {
    if until_ok row_has "$2" "$3"; then ok; else ko "$1: line $2 does not hold '$3'"; fi
}

# check NAME CMD [ARGS...]: passes when CMD (a function that reads the
# screen) succeeds within the timeout. For a condition that holds before
# the keys too, first wait for a change the keys bring.
check() {
    local name=$1
    shift
    if until_ok "$@"; then ok; else ko "$name"; fi
}

# line_of TEXT: the first screen line holding TEXT.
line_of() { screen | grep -F -m1 -- "$1"; }

# cells [LINE]: the screen as one cell a line: "LINE COL FG BG ATTRS CHAR",
# FG and BG as SGR numbers (39/49 = the terminal's default, 30-37/40-47,
# 90-97/100-107, 38;5;N/48;5;N), ATTRS a sorted list of 1 bold, 2 dim,
# 4 underline, 7 reverse ("-" for none). Only LINE when given.
cells() {
    screen_e | perl -CS -Mutf8 -ne '
        BEGIN { ($fg, $bg, %at) = (39, 49); $want = shift @ARGV // 0 }
        chomp; $col = 0;
        while (length) {
            if (s/^\e\[([0-9;]*)m//) {
                my @p = split /;/, ($1 eq "" ? "0" : $1);
                while (@p) {
                    my $n = shift @p;
                    if ($n == 0) { ($fg, $bg, %at) = (39, 49) }
                    elsif ($n == 38 || $n == 48) { shift @p; my $c = shift @p;
                        if ($n == 38) { $fg = "38;5;$c" } else { $bg = "48;5;$c" } }
                    elsif ($n == 22) { delete @at{1, 2} }
                    elsif ($n == 24 || $n == 27) { delete $at{$n - 20} }
                    elsif ($n == 1 || $n == 2 || $n == 4 || $n == 7) { $at{$n} = 1 }
                    elsif (($n >= 30 && $n <= 37) || $n == 39 || ($n >= 90 && $n <= 97)) { $fg = $n }
                    elsif (($n >= 40 && $n <= 47) || $n == 49 || ($n >= 100 && $n <= 107)) { $bg = $n }
                }
            } elsif (s/^\e[^a-zA-Z]*[a-zA-Z]//) {
            } else {
                s/^(.)//s; $col++;
                my $a = join(",", sort keys %at) || "-";
                print "$. $col $fg $bg $a $1\n" if !$want || $. == $want;
            }
        }' -- "$@"
}

# text_attrs TEXT [FIRST [LAST]]: for each place TEXT shows on screen lines
# FIRST..LAST (default all), one line "LINE COL ATTRS ATTRS ..." with the
# ATTRS (as in cells) of each of its characters.
text_attrs() {
    cells | perl -CS -Mutf8 -ne '
        BEGIN { ($t, $first, $last) = (shift @ARGV, shift @ARGV // 1, shift @ARGV // 1e9);
                utf8::decode($t) }
        chomp; my ($l, $c, $fg, $bg, $a, $ch) = split / /, $_, 6;
        next if $l < $first || $l > $last;
        $s{$l} .= $ch eq "" ? " " : $ch; push @{$at{$l}}, $a;
        END { for my $l (sort { $a <=> $b } keys %s) { my $p = 0;
                while (($p = index($s{$l}, $t, $p)) >= 0) {
                    print join(" ", $l, $p + 1, @{$at{$l}}[$p .. $p + length($t) - 1]), "\n";
                    $p++ } } }' -- "$@"
}

# Called at the end of each file: one line of counts, status as a test's.
finish() {
    tm kill-server 2>/dev/null
    rm -rf "$E2E_DIR"           # here too: a file may set its own EXIT trap
    echo "$(basename "$0" .sh): $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
