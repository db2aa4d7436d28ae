#!/usr/bin/env bash
# Shows that adding a view is one file and one line (src/ui/README): in a
# copy of the tree, with its build/ objects so that only the new file and
# views.c compile, it writes src/ui/view_hello.c and adds X(view_hello) to
# views.c's VIEWS, builds, and checks that nothing else changed, that
# tests/layers.sh passes, that --keys lists its keys (as ? does), that H opens it
# and that --view hello does. Not in `make check` (it copies the tree);
# run it from the root after `make`: tests/add_view.sh
set -u
ROOT=$(pwd)
[ -x build/ember ] || { echo "add_view: run make first" >&2; exit 2; }
copy=$(mktemp -d "${TMPDIR:-/tmp}/ember-addview.XXXXXX")
trap 'rm -rf "$copy"' EXIT
git ls-files -co --exclude-standard | tar -cf - -T - | tar -xf - -C "$copy"
cp -a build "$copy/"

cat >"$copy/src/ui/view_hello.c" <<'EOF'
/* A view added as one file and one line of views.c: it counts its keys. */
#include <stdio.h>
#include <stdlib.h>

#include "keymap.h"
#include "view.h"
#include "xalloc.h"

struct hello {
    int presses;
};

static int press(struct app *a, void *st, int k)
{
    (void)a, (void)k;
    ((struct hello *)st)->presses++;
    return R_REDRAW;
}

static int count(struct app *a, void *st) { return press(a, st, 0); }

static const struct binding hello_bindings[] = {
    { 'j', 0, "j", "count one more", "count", count },
};

static const struct keymap keymap_hello = { "Hello (H)", hello_bindings, 1 };

static void *init(struct app *a)
{
    (void)a;
    return xcalloc(1, sizeof(struct hello));
}

static void hello_free(struct app *a, void *st)
{
    (void)a;
    free(st);
}

static void draw(struct app *a, void *st, struct canvas *c, struct rect r)
{
    char line[64];

    (void)a;
    snprintf(line, sizeof line, "hello: %d presses", ((struct hello *)st)->presses);
    canvas_print(c, r.x + 1, r.y, r.w - 1, line, ROLE_NORMAL);
}

static int key(struct app *a, void *st, int k)
{
    return keymap_dispatch(&keymap_hello, a, st, k);
}

const struct view_class view_hello = {
    .name = "Hello", .open_key = 'H', .help = { &keymap_hello },
    .init = init, .free = hello_free, .draw = draw, .key = key,
};
EOF
# the line goes above the comment that ends VIEWS
sed -i 's|^    /\* a new view: one line above this one \*/$|    X(view_hello)                                                                                  \\\n&|' \
    "$copy/src/ui/views.c"

(cd "$copy" && make -j2 >build.log 2>&1) || { tail "$copy/build.log"; echo "add_view: the copy does not build"; exit 1; }
# lib.sh's checks (ok, ko, expect) on the copy's binary, for all that follows
set -- "$copy/build/ember"
. "$ROOT/tests/e2e/lib.sh"

# exactly one new file and one new line
changed=$(diff -rq src "$copy/src"; diff -rq include "$copy/include")
[ "$(echo "$changed" | grep -c .)" = 2 ] && echo "$changed" | grep -q "Only in $copy/src/ui: view_hello.c" &&
    echo "$changed" | grep -q "src/ui/views.c" && ok || ko "more than one file and views.c changed: $changed"
[ "$(diff src/ui/views.c "$copy/src/ui/views.c" | grep -c '^[<>]')" = 1 ] && ok ||
    ko "views.c: want one line added: $(diff src/ui/views.c "$copy/src/ui/views.c")"
(cd "$copy" && sh tests/layers.sh >/dev/null) && ok || ko "layers.sh refuses the new view"
"$copy/build/ember" --keys | grep -q '^Hello (H)' && ok || ko "--keys does not list the new view's keys"
"$copy/build/ember" --view hello --top "$ROOT/tests/data/go-cpu.pb" >/dev/null && ok ||
    ko "--view hello is refused"

start 100 20 TERM=xterm-256color -- "$DATA/go-cpu.pb.gz"
expect "opens on both" "[Both]"
keys H
expect "H opens the new view" "hello: 0 presses"
keys j
expect "its key reaches its own state" "hello: 1 presses"
start 100 20 TERM=xterm-256color -- --view hello "$DATA/go-cpu.pb.gz"
expect "--view hello opens it" "[Hello]"
finish
status=$?
rm -rf "$copy"                  # lib.sh's EXIT trap replaced ours
exit $status
