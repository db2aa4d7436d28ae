# Shared helpers of the end-to-end tests (sourced by each tests/e2e/t_*.sh):
# the real binary in tmux, keys sent as a person types them, the screen
# captured and checked. Each start gets its own tmux server. Every wait
# polls for the change it expects (text that appears, text that goes, a
# screen that differs from before the key), never a fixed sleep, and never
# for something already on screen.
# Each file is run as: bash tests/e2e/t_NAME.sh EMBER
set -u
EMBER=$(realpath "${1:?usage: tests/e2e/t_NAME.sh EMBER}")
DATA=$(realpath tests/data)
export LC_ALL=C.UTF-8
pass=0 fail=0
SOCK=ember-e2e-$$-0
nstart=0
# Generous: a loaded CI machine may take seconds to draw; a pass returns
# as soon as the change shows.
E2E_TIMEOUT=${E2E_TIMEOUT:-20}

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; echo "--- screen:"; screen; echo "---"; }
tm() { tmux -L "$SOCK" "$@"; }
screen() { tm capture-pane -p -t e 2>/dev/null; }
keys() { tm send-keys -t e "$@"; }

# start W H [ENV=VALUE...] -- ARGS: runs ember in a fresh session.
start() {
    local w=$1 h=$2
    shift 2
    local envs=()
    while [ "$1" != "--" ]; do envs+=("$1"); shift; done
    shift
    tm kill-server 2>/dev/null
    # a fresh socket each time: a dying server must not meet the next client
    nstart=$((nstart + 1))
    SOCK=ember-e2e-$$-$nstart
    tm -f /dev/null new-session -d -s e -x "$w" -y "$h" \
        "env ${envs[*]} $EMBER $*; echo EXITED:\$?; sleep 60"
    tm set-option -t e status off >/dev/null
}

# wait_for TEXT [SECONDS]: polls the screen until TEXT (fixed string) shows.
wait_for() {
    local deadline=$((SECONDS + ${2:-$E2E_TIMEOUT}))
    while [ $SECONDS -le $deadline ]; do
        screen | grep -qF -- "$1" && return 0
        sleep 0.05
    done
    return 1
}

# wait_gone TEXT [SECONDS]: polls until TEXT is no longer on screen.
wait_gone() {
    local deadline=$((SECONDS + ${2:-$E2E_TIMEOUT}))
    while [ $SECONDS -le $deadline ]; do
        screen | grep -qF -- "$1" || return 0
        sleep 0.05
    done
    return 1
}

# snap; keys ...; wait_change: waits until the screen differs from the
# snapshot taken before the keys.
snap() { SNAP=$(screen); }
wait_change() {
    local deadline=$((SECONDS + ${1:-$E2E_TIMEOUT}))
    while [ $SECONDS -le $deadline ]; do
        [ "$(screen)" != "$SNAP" ] && return 0
        sleep 0.05
    done
    return 1
}

# expect NAME TEXT: the check passes when TEXT shows within the timeout.
# Use it only for TEXT that the last keys bring (not already on screen).
expect() {
    if wait_for "$2"; then ok; else ko "$1: '$2' not on screen"; fi
}

# expect_gone NAME TEXT: the check passes when TEXT leaves the screen.
expect_gone() {
    if wait_gone "$2"; then ok; else ko "$1: '$2' still on screen"; fi
}

# line_of TEXT: the first screen line holding TEXT.
line_of() { screen | grep -F -m1 -- "$1"; }

# Called at the end of each file: one line of counts, status as a test's.
finish() {
    tm kill-server 2>/dev/null
    echo "$(basename "$0" .sh): $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
