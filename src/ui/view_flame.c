/* The flamegraph view (1): side A's flamegraph pane over the whole body.
 * It has no state of its own: the pane belongs to side A (ui_shared.h). */
#include "flame_pane.h"
#include "keymap.h"
#include "view.h"

static void draw(struct app *a, void *st, struct canvas *c, struct rect r)
{
    (void)st;
    flame_pane_draw(a, &a->side[0].flame, c, r, 1);
}

static int key(struct app *a, void *st, int k)
{
    (void)st;
    return flame_pane_key(a, &a->side[0].flame, k);
}

static int mouse(struct app *a, void *st, const struct event *ev)
{
    int r = flame_pane_click(a, &a->side[0].flame, ev->x, ev->y, ev->mouse == M_DOUBLE);

    (void)st;
    if (r != R_NONE)
        a->focus = 1;
    return r;
}

static struct flame_pane *flame(struct app *a, void *st)
{
    (void)st;
    return &a->side[0].flame;
}

const struct view_class view_flame = {
    .name = "Flamegraph", .help = { &keymap_flame },
    .draw = draw, .key = key, .mouse = mouse, .flame = flame,
};
