#!/bin/sh
# Fails when a file includes a header of a layer above its own, or a view
# includes another view's private header (include/view_NAME.h belongs to
# src/ui/view_NAME.c and the core). Layers, lowest first:
#   1 util  2 model  3 source, query  4 output
#   5 ui base (canvas, keys, key tables, theme, terminal)
#   6 ui shared state (ui_shared.h: shared.c, sides.c, jobs.c)
#   7 ui widgets (flame pane, table pane, timeline, box)
#   8 ui views and overlays (view.h is their interface)
#   9 ui core (app.c, views.c, ui.c; app.h)   10 main.c, the demo
# A header not in the table takes the layer of the directory whose
# src/DIR/NAME*.c implements it; one that has none fails the check.
# Usage: tests/layers.sh [ROOT]   (the sources' root, default .)
root=${1:-.}
cd "$root" || exit 2

# header layer
headers='
xalloc.h 1  arena.h 1  strtab.h 1  hash.h 1  intmap.h 1  text.h 1  units.h 1
lineedit.h 1  sat.h 1
profile.h 2  trie.h 2
source.h 3  decompress.h 3  profile.pb-c.h 3
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
    case $want in view_*.h) echo 8; return ;; esac
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
    src/ui/app.c | src/ui/views.c | src/ui/ui.c | include/app.h) echo 9 ;;
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
        case $h in view_*.h)    # a view's private header: its own file and the core only
            own=src/ui/${h%.h}.c
            if [ "$fl" = 8 ] && [ "$f" != "$own" ] || [ "$fl" -lt 8 ]; then
                echo "layers: $f includes $h, the private header of $own"; bad=1
            fi ;;
        esac
    done
done
[ $bad = 0 ] && echo "layers: every include goes down the layers" && exit 0
exit 1
