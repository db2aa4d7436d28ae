/* The sandwich: the selected function's callers as an inverted flamegraph
 * above, its callees below, the function itself the shared middle row. */
#include <stdio.h>

#include "app.h"
#include "keymap.h"

static void ensure_built(struct app *a)
{
    if (a->sandwich_frame == a->sel_frame && a->callers.built)
        return;
    flame_pane_build_function(a, &a->callers, a->sel_frame, FTREE_CALLERS);
    flame_pane_build_function(a, &a->callees, a->sel_frame, FTREE_CALLEES);
    a->sandwich_frame = a->sel_frame;
}

/* A half's label on its outer row, and in a half with nothing to show a
 * line that says why, so an empty half never looks broken. */
static void draw_half(struct app *a, struct flame_pane *f, struct canvas *c, struct rect r,
                      int label_y, const char *label, const char *none)
{
    uint32_t first;
    size_t len;
    const char *name = app_frame_name(a, a->sandwich_frame, &len);
    char why[160];

    canvas_fill(c, r.x, label_y, r.w, ' ', ROLE_HEADER, 0);
    canvas_print(c, r.x + 1, label_y, r.w - 1, label, ROLE_HEADER);
    if (f->tree.node[0].value && !ftree_children(&f->tree, 0, &first)) {
        int x = r.x + 1, y = f->flipped ? r.y + r.h - 2 : r.y + 1;   /* beside the middle */

        x += canvas_name(c, x, y, r.w / 2, name, len, ROLE_DIM, 0);
        snprintf(why, sizeof why, " %s", none);
        canvas_print(c, x, y, r.x + r.w - x, why, ROLE_DIM);
    }
}

void sandwich_draw(struct app *a, struct canvas *c, struct rect r)
{
    struct rect up, down;
    uint32_t keep = a->sel_frame;
    int mid;

    if (a->sel_frame == UINT32_MAX) {
        canvas_print(c, r.x + 1, r.y + 1, r.w - 2,
                     "Select a function (in the table or the flamegraph) first.", ROLE_DIM);
        return;
    }
    ensure_built(a);
    /* Callers grow upwards from the middle row, callees downwards from it;
     * the outer rows label the halves. */
    mid = r.y + r.h / 2;
    up = (struct rect){ r.x, r.y + 1, r.w, mid - r.y };
    down = (struct rect){ r.x, mid, r.w, r.y + r.h - 1 - mid };
    flame_pane_draw(a, &a->callers, c, up, a->focus == 0);
    flame_pane_draw(a, &a->callees, c, down, a->focus == 1);
    draw_half(a, &a->callers, c, up, r.y,
              a->utf8 ? "\u25b2 callers: who calls it (outermost at the top)"
                      : "^ callers: who calls it (outermost at the top)",
              "has no callers: it starts every stack it is in (a root)");
    draw_half(a, &a->callees, c, down, r.y + r.h - 1,
              a->utf8 ? "\u25bc callees: what it calls" : "v callees: what it calls",
              "has no callees: all its time is its own (a leaf)");
    a->sel_frame = keep;        /* moving inside the sandwich must not rebuild it */
}

int sandwich_key(struct app *a, int key)
{
    struct flame_pane *f = a->focus == 0 ? &a->callers : &a->callees;
    uint32_t keep = a->sel_frame;
    int r;

    if (a->sel_frame == UINT32_MAX)
        return R_UNHANDLED;
    ensure_built(a);
    r = keymap_dispatch(&keymap_sandwich, a, f, key);
    if (r == R_UNHANDLED)
        r = flame_pane_key(a, f, key);
    if (a->sandwich_frame == keep)   /* moving inside does not re-centre */
        a->sel_frame = keep;
    return r;
}

int sandwich_click(struct app *a, int x, int y, int dbl)
{
    uint32_t keep = a->sel_frame;
    int r;

    if (!a->callers.built)
        return R_NONE;
    a->focus = y < a->callees.area.y ? 0 : 1;
    r = flame_pane_click(a, a->focus == 0 ? &a->callers : &a->callees, x, y, dbl);
    a->sel_frame = keep;
    return r;
}

/* Re-centres the sandwich on the function of the selected node. */
static int recentre(struct app *a, void *pane)
{
    struct flame_pane *f = pane;
    uint32_t frame = flame_pane_frame(f, f->sel);

    if (frame == TRIE_NO_FRAME || frame == a->sandwich_frame)
        return R_NONE;
    a->sel_frame = frame;
    ensure_built(a);
    return R_REDRAW;
}

static const struct binding sandwich_bindings[] = {
    { 's', 0, "s", "make the selected node's function the middle of the sandwich", "centre",
      recentre },
};

const struct keymap keymap_sandwich = { "Sandwich", sandwich_bindings,
                                        sizeof sandwich_bindings / sizeof *sandwich_bindings };
