#!/usr/bin/env bash
# Sharing (issue 12): y puts the selected function's name on the clipboard
# (through tmux's load-buffer inside tmux; as OSC 52 bytes that tmux, with
# set-clipboard on, decodes into its buffer otherwise), Y a command line
# that reopens the same screen from another directory, M the mouse off and
# on. Usage: tests/e2e/t_share.sh path/to/ember
. "$(dirname "$0")/lib.sh"

# tmux's newest paste buffer, as bytes (od: control bytes visible).
buffer() { tm show-buffer 2>/dev/null; }
# has_buffer TEXT: tmux's buffer holds exactly TEXT.
has_buffer() { [ "$(buffer)" = "$1" ]; }

hottest=$(head -1 "$DATA/expected/go-cpu.cpu.top" | cut -f3)

# --- y inside tmux: tmux load-buffer -w - ----------------------------------
start 120 30 TERM=xterm-256color -- --view table "$DATA/go-cpu.pb.gz"
expect "table" "Function"
expect_row "the hottest function is selected" 3 "$hottest"
keys y
expect "y says what and how" "copied \"$hottest\" to the clipboard (OSC 52 via tmux)"
check "tmux's buffer holds the name" has_buffer "$hottest"

# --- y outside tmux: the OSC 52 bytes, decoded by tmux ---------------------
# TMUX emptied: ember writes ESC ] 52 ; c ; BASE64 BEL to the terminal,
# which is tmux's pane; with set-clipboard on, tmux takes the sequence
# into a paste buffer, so the buffer holds what the bytes said.
start 120 30 TERM=xterm-256color TMUX= -- --view table "$DATA/bad/hostile-names.pb"
expect "hostile table" "Function"
tm set -g set-clipboard on
keys / r e d Enter
expect "search finds the escape-named function" "/red/ 1 match"
keys y
expect "y through OSC 52" "to the clipboard (OSC 52)"
# the name is ESC [31m red ESC [0m: in the buffer as bytes, on screen escaped
check "tmux decoded the OSC 52 bytes into the name" has_buffer $'\e[31mred\e[0m'
no_raw_esc() { ! screen_e | grep -qF $'\e[31mred'; }
check "the ESC of the name never reached the screen (no red 'red')" no_raw_esc

# --- M: the mouse off and on ------------------------------------------------
# tmux knows whether the application asked for mouse reports: the pane's
# mouse_any_flag (set while ember's ncurses has mouse tracking on).
mouse_flag() {
    [ "$(tm display -p -t e '#{mouse_standard_flag}#{mouse_button_flag}#{mouse_any_flag}')" != 000 ]
}
check "the mouse is on at start" mouse_flag
keys M
expect "M says the mouse is off" "mouse off: the terminal's own selection works"
check "the terminal has mouse reports off" eval '! mouse_flag'
keys M
expect "M again: mouse on" "mouse on"
check "the terminal has mouse reports on again" mouse_flag

# --- Y: a command line that reopens this view ------------------------------
# A query, a time range, another sample type, a zoom: every part of the
# line. The first screen is then compared with the reopened one, from
# another directory (the line names the file by its absolute path).
cp "$DATA/go-cpu.pb.gz" "$E2E_DIR/cpu profile.pb.gz"     # a space: shell quoting
caller=$(grep -F ";$hottest"$'\t' "$DATA/expected/go-cpu.cpu.folded" | head -1 |
    sed "s/;$hottest\t.*//" | awk -F';' '{print $NF}')
start 120 30 TERM=xterm-256color -- --view flame -t samples \
    "'--query={region=\"eu-north\"}'" --from 2000-01-01T00:00:00Z "'$E2E_DIR/cpu profile.pb.gz'"
expect "flame" "[Flamegraph]"
keys / "^${caller//./\\.}\$" Enter n
expect "search selects the caller" " $caller self"
snap
keys Enter
wait_change
before=$(screen | head -28)
keys Y
expect "Y says it copied the line" "copied the command line to the clipboard"
line=$(buffer)
[ -n "${SHARE_DEBUG:-}" ] && echo "Y: $line" >&2
case $line in "ember '$E2E_DIR/cpu profile.pb.gz' --view flame -t samples/count --query '{region=\"eu-north\"}' --from 2000-01-01T00:00:00Z --zoom "*) ok ;;
*) ko "Y's line: $line" ;; esac
# reopen it from /, through sh, in a new tmux server (started there)
cd / && start 120 30 TERM=xterm-256color -- "${line#ember }" && cd "$ROOT" || exit 2
expect "the reopened explorer" "[Flamegraph]"
same_screen() { [ "$(screen | head -28)" = "$before" ]; }
check "the reopened screen is the same (header, zoom, bars)" same_screen
# --- an imported flamebearer opens like its pprof ---------------------------
# The total is go tool pprof's: the sum of the self column of its table.
total=$(awk -F'\t' '{ s += $1 } END { printf "%.2fs", s / 1e9 }' "$DATA/expected/go-cpu.cpu.top")
start 120 30 TERM=xterm-256color -- --view table "$DATA/json/go-cpu.cpu.flamebearer.json"
expect "the flamebearer file's type and total" "cpu (nanoseconds)  total $total"
expect_row "its hottest function is pprof's" 3 "$hottest"

# --- Y with a URL that carries credentials: the line names it without ------
# (last: without go the helper skips the rest of the file)
. "$(dirname "$0")/live_server.sh"
live_server_build t_share
serve || { ko "server"; finish; exit; }
start 120 30 TERM=xterm-256color -- "'http://ann:s3cret@127.0.0.1:$port/debug/pprof/profile?seconds=1'"
expect "the URL's profile came" "cpu (nanoseconds)"
keys Y
expect "Y with a URL" "copied the command line to the clipboard"
case $(buffer) in
*s3cret* | *ann:* ) ko "Y's line holds the credentials: $(buffer)" ;;
"ember 'http://127.0.0.1:$port/debug/pprof/profile?seconds=1' --view both "*) ok ;;
*) ko "Y's line: $(buffer)" ;;
esac
finish
