/* The comparison view (6): two queries side by side, each with its own
 * flamegraph (the sides' own panes: it keeps no state of its own). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flame_pane.h"
#include "view.h"
#include "widget_timeline.h"
#include "keymap.h"
#include "units.h"
#include "xalloc.h"

static void pane_title(struct app *a, struct canvas *c, int x, int y, int w, int s)
{
    char buf[400], tot[UNITS_BUF];

    const struct side *sd = &a->side[s];

    if (sd->ready)
        app_format(a, sd->flat.grand_total, tot, sizeof tot);
    else                        /* its values are coming */
        snprintf(tot, sizeof tot, "...");
    /* the query of the numbers shown (a newer one may be pending) */
    snprintf(buf, sizeof buf, " %s %s  total %s", s ? "B" : "A",
             sd->ready ? sd->shown_query : sd->query, tot);
    canvas_fill(c, x, y, w, ' ', a->focus == s ? ROLE_HEADER : ROLE_DIM, 0);
    canvas_print(c, x, y, w, buf, a->focus == s ? ROLE_HEADER : ROLE_DIM);
}

static void draw(struct app *a, void *st, struct canvas *c, struct rect r)
{
    int lw = (r.w - 1) / 2, rw = r.w - lw - 1;

    (void)st;
    side_ready(a, 1);
    /* each side its own timeline, for two ranges of one query */
    if (a->tl.buckets && r.h >= 12) {
        timeline_draw(a, c, (struct rect){ r.x, r.y, lw, 2 }, 0);
        timeline_draw(a, c, (struct rect){ r.x + lw + 1, r.y, rw, 2 }, 1);
        r.y += 2;
        r.h -= 2;
    }
    pane_title(a, c, r.x, r.y, lw, 0);
    pane_title(a, c, r.x + lw + 1, r.y, rw, 1);
    for (int y = r.y; y < r.y + r.h; y++)
        canvas_fill(c, r.x + lw, y, 1, a->utf8 ? 0x2502 : '|', ROLE_BORDER, 0);
    flame_pane_draw(a, &a->side[0].flame, c, (struct rect){ r.x, r.y + 1, lw, r.h - 1 },
                    a->focus == 0);
    if (a->side[1].ready)       /* else B's values are coming: the status bar says so */
        flame_pane_draw(a, &a->side[1].flame, c,
                        (struct rect){ r.x + lw + 1, r.y + 1, r.w - lw - 1, r.h - 1 },
                        a->focus == 1);
}

/* --- the two sides: which is the baseline --- */

static int key(struct app *a, void *st, int key)
{
    int r;

    (void)st;
    side_ready(a, 1);
    if ((r = keymap_dispatch(&keymap_sides, a, NULL, key)) != R_UNHANDLED)
        return r;
    if (!a->side[a->focus & 1].ready)
        return R_UNHANDLED;
    return flame_pane_key(a, &a->side[a->focus & 1].flame, key);
}

static int mouse(struct app *a, void *st, const struct event *ev)
{
    int x = ev->x, y = ev->y, dbl = ev->mouse == M_DOUBLE, r;

    (void)st;
    if ((r = flame_pane_click(a, &a->side[0].flame, x, y, dbl)) != R_NONE)
        a->focus = 0;
    else if (a->side[1].ready &&
             (r = flame_pane_click(a, &a->side[1].flame, x, y, dbl)) != R_NONE)
        a->focus = 1;
    return r;
}

static struct flame_pane *flame(struct app *a, void *st)
{
    (void)st;
    return a->side[1].ready ? &a->side[a->focus & 1].flame : NULL;
}

const struct view_class view_compare = {
    .name = "Comparison", .panes = 2, .two_sides = 1, .own_timeline = 1,
    .help = { &keymap_sides },
    .draw = draw, .key = key, .mouse = mouse, .flame = flame,
};
