/* The table view (2): the function table pane over the whole body. Its
 * pane is struct app's `table`, shared with the both view (3). */
#include "keymap.h"
#include "table_pane.h"
#include "view.h"

static void enter(struct app *a, void *st)
{
    (void)st;
    table_pane_follow(a);
}

static void draw(struct app *a, void *st, struct canvas *c, struct rect r)
{
    (void)st;
    table_pane_draw(a, c, r, 1);
}

static int key(struct app *a, void *st, int k)
{
    (void)st;
    return table_pane_key(a, k);
}

static int mouse(struct app *a, void *st, const struct event *ev)
{
    int r = table_pane_click(a, ev->x, ev->y, ev->mouse == M_DOUBLE);

    (void)st;
    if (r != R_NONE)
        a->focus = 0;
    return r;
}

static const struct keymap *hints(const struct app *a, void *st)
{
    (void)a, (void)st;
    return &keymap_table;
}

const struct view_class view_table = {
    .name = "Table", .help = { &keymap_table },
    .enter = enter, .draw = draw, .key = key, .mouse = mouse, .hints = hints,
};
