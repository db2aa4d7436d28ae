/* The both view (3): the table pane and side A's flamegraph, side by side
 * or stacked; its state is where the split between them lies. */
#include <stdlib.h>

#include "flame_pane.h"
#include "keymap.h"
#include "table_pane.h"
#include "view.h"
#include "xalloc.h"

struct both {
    int split;                  /* percent added to the table's default share (< >) */
};

/* The table's share of the Both view, in percent: half the width side by
 * side (so that at 120 columns a 40-column name shows whole), 40% of the
 * height stacked; < and > move the split by 5. */
static int table_share(const struct both *st, int stacked)
{
    int pct = (stacked ? 40 : 50) + st->split;

    return pct < 20 ? 20 : pct > 80 ? 80 : pct;
}

static int move_split(struct both *st, int by)
{
    int was = st->split;

    st->split += by;
    if (st->split < -30)
        st->split = -30;
    if (st->split > 30)
        st->split = 30;
    return st->split == was ? R_NONE : R_REDRAW;
}

static int split_right(struct app *a, void *st) { (void)a; return move_split(st, 5); }
static int split_left(struct app *a, void *st) { (void)a; return move_split(st, -5); }

static const struct binding both_bindings[] = {
    { '>', 0, ">", "give the table more room (the split moves right, or down when stacked)",
      NULL, split_right },
    { '<', 0, "<", "give the flamegraph more room (the split moves left, or up)", NULL,
      split_left },
};

const struct keymap keymap_both = { "Table and flamegraph (3)", both_bindings,
                                    sizeof both_bindings / sizeof *both_bindings };

static void *init(struct app *a)
{
    (void)a;
    return xcalloc(1, sizeof(struct both));
}

static void both_free(struct app *a, void *st)
{
    (void)a;
    free(st);
}

static void enter(struct app *a, void *st)
{
    (void)st;
    table_pane_follow(a);
}

static void refocus(struct app *a, void *st)
{
    (void)st;
    if (a->focus == 0)
        table_pane_follow(a);
}

/* Side by side when there is room, stacked on narrow or tall screens. */
static void draw(struct app *a, void *st, struct canvas *c, struct rect r)
{
    struct flame_pane *f = &a->side[0].flame;

    if (r.w < 100 || r.h * 2 > r.w) {
        int th = r.h * table_share(st, 1) / 100;

        table_pane_draw(a, c, (struct rect){ r.x, r.y, r.w, th }, a->focus == 0);
        flame_pane_draw(a, f, c, (struct rect){ r.x, r.y + th + 1, r.w, r.h - th - 1 },
                        a->focus == 1);
        canvas_fill(c, r.x, r.y + th, r.w, a->utf8 ? 0x2500 : '-', ROLE_BORDER, 0);
    } else {
        int tw = r.w * table_share(st, 0) / 100;

        table_pane_draw(a, c, (struct rect){ r.x, r.y, tw, r.h }, a->focus == 0);
        for (int y = r.y; y < r.y + r.h; y++)
            canvas_fill(c, r.x + tw, y, 1, a->utf8 ? 0x2502 : '|', ROLE_BORDER, 0);
        flame_pane_draw(a, f, c, (struct rect){ r.x + tw + 1, r.y, r.w - tw - 1, r.h },
                        a->focus == 1);
    }
}

static int key(struct app *a, void *st, int k)
{
    int r;

    if ((r = keymap_dispatch(&keymap_both, a, st, k)) != R_UNHANDLED)
        return r;
    if (a->focus == 0)
        return table_pane_key(a, k);
    return flame_pane_key(a, &a->side[0].flame, k);
}

static int mouse(struct app *a, void *st, const struct event *ev)
{
    int dbl = ev->mouse == M_DOUBLE, r;

    (void)st;
    if ((r = table_pane_click(a, ev->x, ev->y, dbl)) != R_NONE) {
        a->focus = 0;
        return r;
    }
    if ((r = flame_pane_click(a, &a->side[0].flame, ev->x, ev->y, dbl)) != R_NONE)
        a->focus = 1;
    return r;
}

static const struct keymap *hints(const struct app *a, void *st)
{
    (void)st;
    return a->focus == 0 ? &keymap_table : NULL;
}

static struct flame_pane *flame(struct app *a, void *st)
{
    (void)st;
    return a->focus == 1 ? &a->side[0].flame : NULL;
}

const struct view_class view_both = {
    .name = "Both", .panes = 2, .focus = 1, .help = { &keymap_both },
    .init = init, .free = both_free, .enter = enter, .refocus = refocus, .draw = draw,
    .key = key, .mouse = mouse, .hints = hints, .flame = flame,
};
