#!/bin/sh
# Fails when a file includes a header of a layer above its own, or a view
# includes another view's private header (include/view_NAME.h belongs to
# src/ui/view_NAME.c and the core). Layers, lowest first:
#   1 util  2 model  3 source, query  4 output
#   5 ui base (canvas, keys, key tables, theme, terminal)
#   6 ui shared state (ui_shared.h: shared.c, sides.c, jobs.c)
#   7 ui widgets (flame pane, table pane, timeline, box)
#   8 ui views and overlays (view.h is their interface)
#   9 ui core (app.c, views.c, ui.c, share.c, granularity.c; app.h)   10 main.c, the demo
# A header not in the table takes the layer of the directory whose
# src/DIR/NAME*.c implements it; one that has none fails the check.
# include/overlay_NAME.h is likewise the private header of src/ui/overlay_NAME.c.
# Then each view keeps its own state (see the rooms checks at the end).
# Usage: tests/layers.sh [ROOT]   (the sources' root, default .)
root=${1:-.}
cd "$root" || exit 2

# header layer
headers='
xalloc.h 1  arena.h 1  strtab.h 1  hash.h 1  intmap.h 1  text.h 1  units.h 1
lineedit.h 1  sat.h 1
profile.h 2  trie.h 2
source.h 3  decompress.h 3  profile.pb-c.h 3  fetch.h 3  live.h 3
types.pb-c.h 3  querier.pb-c.h 3  pyro.h 3
query.h 3  selector.h 3  ftree.h 3  timeline.h 3  diff.h 3
output.h 4
canvas.h 5  keys.h 5  keymap.h 5  theme.h 5  term.h 5
ui_shared.h 6
flame_pane.h 7  table_pane.h 7  widget_timeline.h 7  widget_box.h 7
view.h 8
app.h 9
'

dir_layer() {
    case $1 in
    util) echo 1 ;; model) echo 2 ;; source | query) echo 3 ;; output) echo 4 ;;
    *) echo 0 ;;
    esac
}

header_layer() {
    want=$1
    set -- $headers
    while [ $# -gt 1 ]; do
        [ "$1" = "$want" ] && { echo "$2"; return; }
        shift 2
    done
    case $want in view_*.h | overlay_*.h) echo 8; return ;; esac
    base=${want%.h}
    for f in src/*/"$base"*.c; do
        [ -e "$f" ] || continue
        d=${f#src/}; dir_layer "${d%%/*}"; return
    done
    echo 0
}

file_layer() {
    case $1 in
    src/main.c | src/demo/*) echo 10 ;;
    src/ui/app.c | src/ui/views.c | src/ui/ui.c | src/ui/share.c | src/ui/granularity.c | \
    src/ui/filters.c | include/app.h) echo 9 ;;
    src/ui/view_*.c | src/ui/overlay_*.c) echo 8 ;;
    src/ui/widget_*.c) echo 7 ;;
    src/ui/shared.c | src/ui/sides.c | src/ui/jobs.c) echo 6 ;;
    src/ui/*.c) echo 5 ;;
    src/*/*.c) d=${1#src/}; dir_layer "${d%%/*}" ;;
    include/*.h) header_layer "${1#include/}" ;;
    *) echo 0 ;;
    esac
}

bad=0
for f in src/*.c src/*/*.c include/*.h; do
    [ -e "$f" ] || continue
    fl=$(file_layer "$f")
    [ "$fl" = 0 ] && { echo "layers: $f: in no layer of the rule table"; bad=1; continue; }
    for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
        hl=$(header_layer "$h")
        if [ "$hl" = 0 ]; then
            echo "layers: $f includes $h, which is in no layer of the rule table"; bad=1
        elif [ "$hl" -gt "$fl" ]; then
            echo "layers: $f (layer $fl) includes $h (layer $hl), a layer above it"; bad=1
        fi
        case $h in view_*.h | overlay_*.h)  # a private header: its own file and the core only
            own=src/ui/${h%.h}.c
            if [ "$fl" = 8 ] && [ "$f" != "$own" ] || [ "$fl" -lt 8 ]; then
                echo "layers: $f includes $h, the private header of $own"; bad=1
            fi ;;
        esac
    done
done

# --- rooms: a view's state lives in its own file ---------------------------
# The fields of struct app (include/ui_shared.h) but its function pointers,
# one name a line.
app_fields() {
    awk '/^struct app \{/ { on = 1; next }
        on && /^\};/ { on = 0 }
        on { body = body $0 " " }
        END {
            while ((i = index(body, "/*")) > 0) {
                j = index(substr(body, i + 2), "*/")
                body = substr(body, 1, i - 1) " " substr(body, i + j + 3)
            }
            n = split(body, decl, ";")
            for (k = 1; k <= n; k++) {
                d = decl[k]
                if (d ~ /\(\*/)       # a function pointer: a service of the core, no state
                    continue
                gsub(/\[[^]]*\]/, "", d); gsub(/\*/, " ", d)
                m = split(d, piece, ",")
                for (p = 1; p <= m; p++) if ((w = split(piece[p], word, " "))) print word[w]
            }
        }' include/ui_shared.h
}
# The core's tables of the views' states: each view reaches its own there.
tables=" view_state overlay_state "
# A field of struct app that only one view or overlay uses (app.c and
# views.c aside: they make and free the state) is that view's private state.
for f in $(app_fields); do
    case $tables in *" $f "*) continue ;; esac
    users=$(grep -lE "(->|\.)$f([^A-Za-z_0-9]|\$)" src/ui/*.c src/*.c |
        grep -v -e '^src/ui/app\.c$' -e '^src/ui/views\.c$')
    [ "$(echo "$users" | grep -c .)" = 1 ] || continue
    case $users in src/ui/view_*.c | src/ui/overlay_*.c)
        echo "layers: struct app's $f is used only by $users: keep it in that file's own state"
        bad=1 ;;
    esac
done
# A struct the shared header defines is shared: two files of src/ui beside
# app.c use it. One used by a single file is that file's: define it there.
for t in $(sed -n 's/^struct \([A-Za-z_0-9]*\) {.*/\1/p' include/ui_shared.h); do
    n=$(grep -lE "struct $t([^A-Za-z_0-9]|\$)" src/ui/*.c src/*.c | grep -vc '^src/ui/app\.c$')
    if [ "$n" -lt 2 ]; then
        echo "layers: include/ui_shared.h defines struct $t, which $n file of src/ui uses: define it in that file"
        bad=1
    fi
done
# Adding a view is one file and one line of views.c's table: a view's or an
# overlay's class is named by its own file and views.c, nowhere else in src/
# or include/ (its private header view_NAME.h aside).
for f in src/ui/view_*.c src/ui/overlay_*.c; do
    for c in $(sed -n 's/^const struct view_class \([A-Za-z_0-9]*\).*/\1/p' "$f"); do
        for g in $(grep -lE "(^|[^A-Za-z_0-9])$c([^.A-Za-z_0-9]|\$)" src/*.c src/*/*.c include/*.h); do
            [ "$g" = "$f" ] || [ "$g" = src/ui/views.c ] && continue
            echo "layers: $g names $c: a view is registered only in src/ui/views.c's table"
            bad=1
        done
    done
done

[ $bad = 0 ] && echo "layers: every include goes down the layers; each view keeps its own state" && exit 0
exit 1
