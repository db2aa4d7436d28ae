/* The sandwich: the selected function's callers as an inverted flamegraph
 * above, its callees below, the function itself the shared middle row. */
#include <stdio.h>

#include <stdlib.h>

#include "flame_pane.h"
#include "keymap.h"
#include "view.h"
#include "xalloc.h"

/* Its two panes and the function they were built for. */
struct sandwich {
    struct flame_pane callers, callees;
    uint32_t frame;
};

static void ensure_built(struct app *a, struct sandwich *sw)
{
    if (sw->frame == a->sel_frame && sw->callers.built)
        return;
    flame_pane_build_function(a, &sw->callers, a->sel_frame, FTREE_CALLERS);
    flame_pane_build_function(a, &sw->callees, a->sel_frame, FTREE_CALLEES);
    sw->frame = a->sel_frame;
}

/* A half's label on its outer row, and in a half with nothing to show a
 * line that says why, so an empty half never looks broken. */
static void draw_half(struct app *a, struct sandwich *sw, struct flame_pane *f, struct canvas *c, struct rect r,
                      int label_y, const char *label, const char *none)
{
    uint32_t first;
    size_t len;
    const char *name = app_frame_name(a, sw->frame, &len);
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

static void draw(struct app *a, void *st, struct canvas *c, struct rect r)
{
    struct sandwich *sw = st;
    struct rect up, down;
    uint32_t keep = a->sel_frame;
    int mid;

    if (a->sel_frame == UINT32_MAX) {
        canvas_print(c, r.x + 1, r.y + 1, r.w - 2,
                     "Select a function (in the table or the flamegraph) first.", ROLE_DIM);
        return;
    }
    ensure_built(a, sw);
    /* Callers grow upwards from the middle row, callees downwards from it;
     * the outer rows label the halves. */
    mid = r.y + r.h / 2;
    up = (struct rect){ r.x, r.y + 1, r.w, mid - r.y };
    down = (struct rect){ r.x, mid, r.w, r.y + r.h - 1 - mid };
    flame_pane_draw(a, &sw->callers, c, up, a->focus == 0);
    flame_pane_draw(a, &sw->callees, c, down, a->focus == 1);
    draw_half(a, sw, &sw->callers, c, up, r.y,
              a->utf8 ? "\u25b2 callers: who calls it (outermost at the top)"
                      : "^ callers: who calls it (outermost at the top)",
              "has no callers: it starts every stack it is in (a root)");
    draw_half(a, sw, &sw->callees, c, down, r.y + r.h - 1,
              a->utf8 ? "\u25bc callees: what it calls" : "v callees: what it calls",
              "has no callees: all its time is its own (a leaf)");
    a->sel_frame = keep;        /* moving inside the sandwich must not rebuild it */
}

static int key(struct app *a, void *st, int key)
{
    struct sandwich *sw = st;
    struct flame_pane *f = a->focus == 0 ? &sw->callers : &sw->callees;
    uint32_t keep = a->sel_frame;
    int r;

    if (a->sel_frame == UINT32_MAX)
        return R_UNHANDLED;
    ensure_built(a, sw);
    r = keymap_dispatch(&keymap_sandwich, a, sw, key);
    if (r == R_UNHANDLED)
        r = flame_pane_key(a, f, key);
    if (sw->frame == keep)   /* moving inside does not re-centre */
        a->sel_frame = keep;
    return r;
}

static int mouse(struct app *a, void *st, const struct event *ev)
{
    struct sandwich *sw = st;
    int x = ev->x, y = ev->y, dbl = ev->mouse == M_DOUBLE;
    uint32_t keep = a->sel_frame;
    int r;

    if (!sw->callers.built)
        return R_NONE;
    a->focus = y < sw->callees.area.y ? 0 : 1;
    r = flame_pane_click(a, a->focus == 0 ? &sw->callers : &sw->callees, x, y, dbl);
    a->sel_frame = keep;
    return r;
}

/* Re-centres the sandwich on the function of the selected node. */
static int recentre(struct app *a, void *st)
{
    struct sandwich *sw = st;
    struct flame_pane *f = a->focus == 0 ? &sw->callers : &sw->callees;
    uint32_t frame = flame_pane_frame(f, f->sel);

    if (frame == TRIE_NO_FRAME || frame == sw->frame)
        return R_NONE;
    a->sel_frame = frame;
    ensure_built(a, sw);
    return R_REDRAW;
}

static const struct binding sandwich_bindings[] = {
    { 's', 0, "s", "make the selected node's function the middle of the sandwich", "centre",
      recentre },
};

const struct keymap keymap_sandwich = { "Sandwich", sandwich_bindings,
                                        sizeof sandwich_bindings / sizeof *sandwich_bindings };

static void *init(struct app *a)
{
    struct sandwich *sw = xcalloc(1, sizeof *sw);

    (void)a;
    sw->frame = UINT32_MAX;
    return sw;
}

static void sandwich_free(struct app *a, void *st)
{
    struct sandwich *sw = st;

    (void)a;
    flame_pane_reset(&sw->callers);
    flame_pane_reset(&sw->callees);
    free(sw);
}

/* Side A changed: the panes are made again when next drawn. */
static void requery(struct app *a, void *st, int s)
{
    struct sandwich *sw = st;

    (void)a;
    if (s != 0)
        return;
    flame_pane_reset(&sw->callers);
    flame_pane_reset(&sw->callees);
    sw->frame = UINT32_MAX;
}

static const struct keymap *hints(const struct app *a, void *st)
{
    (void)a, (void)st;
    return &keymap_sandwich;
}

static struct flame_pane *flame(struct app *a, void *st)
{
    struct sandwich *sw = st;

    if (!sw->callers.built)
        return NULL;
    return a->focus == 0 ? &sw->callers : &sw->callees;
}

const struct view_class view_sandwich = {
    .name = "Sandwich", .panes = 2, .focus = 1, .help = { &keymap_sandwich },
    .init = init, .free = sandwich_free, .requery = requery, .draw = draw, .key = key,
    .mouse = mouse, .hints = hints, .flame = flame,
};
