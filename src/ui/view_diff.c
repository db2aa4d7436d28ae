/* The diff view (7): one flamegraph of sides A and B, colored by how each
 * frame's share of its side's total changed, beside a table of the same
 * per function. It owns both (struct diff_view), made when first drawn
 * after a side changed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "flame_pane.h"
#include "keymap.h"
#include "units.h"
#include "view.h"
#include "xalloc.h"

/* A function in the diff table: its share of each side's total. */
struct diff_row {
    uint32_t frame;
    int64_t base_self, base_total, new_self, new_total;
    double base_pct, new_pct;   /* total as a share of its side's total */
    double rel;                 /* new_pct relative to base_pct, in %: diff_relative */
};

struct diff_view {
    struct flame_pane tree;     /* the diff flamegraph */
    int built;
    struct diff_row *rows;      /* the diff table */
    uint32_t count, cursor, top;
    int sort, reverse;
    int say_same;               /* opened by its key before B's values came: tell then */
};


static const uint32_t *sort_rank;         /* qsort has no context */
static const struct diff_view *sort_view;

static int cmp_double(double x, double y)
{
    return x > y ? -1 : x < y;
}

/* Sort keys, in the order s cycles through them: the change in points, the
 * relative change (each by its size: the largest growth or loss first, as
 * --diff --top sorts), A's share, B's share; each largest first. */
static int diff_cmp(const void *pa, const void *pb)
{
    const struct diff_row *x = pa, *y = pb;
    int c = 0;

    switch (sort_view->sort) {
    case 0: c = cmp_double(fabs(x->new_pct - x->base_pct), fabs(y->new_pct - y->base_pct)); break;
    case 1: c = cmp_double(fabs(x->rel), fabs(y->rel)); break;
    case 2: c = cmp_double(x->base_pct, y->base_pct); break;
    case 3: c = cmp_double(x->new_pct, y->new_pct); break;
    }
    if (!c)
        c = sort_rank[x->frame] < sort_rank[y->frame] ? -1 : 1;
    return sort_view->reverse ? -c : c;
}

/* One row per function present on either side. */
static void rows_build(struct app *a, struct diff_view *dv)
{
    uint32_t n;
    struct flat_pair *pairs = flat_join(a->p, &a->side[0].flat, &a->side[1].flat, &n);
    int64_t ta = a->side[0].flat.grand_total, tb = a->side[1].flat.grand_total;

    free(dv->rows);
    dv->rows = xcalloc((size_t)n + 1, sizeof *dv->rows);
    dv->count = n;
    for (uint32_t i = 0; i < n; i++) {
        const struct flat_row *b = pairs[i].side[0], *c = pairs[i].side[1];
        struct diff_row *d = &dv->rows[i];

        d->frame = pairs[i].frame;
        d->base_self = b ? b->self : 0;
        d->base_total = b ? b->total : 0;
        d->new_self = c ? c->self : 0;
        d->new_total = c ? c->total : 0;
        d->base_pct = diff_share(d->base_total, ta);
        d->new_pct = diff_share(d->new_total, tb);
        d->rel = diff_relative(d->base_total, ta, d->new_total, tb);
    }
    free(pairs);
    sort_rank = app_name_rank(a);
    sort_view = dv;
    qsort(dv->rows, dv->count, sizeof *dv->rows, diff_cmp);
}

static void *init(struct app *a)
{
    (void)a;
    return xcalloc(1, sizeof(struct diff_view));
}

static void diff_free(struct app *a, void *st)
{
    struct diff_view *dv = st;

    (void)a;
    flame_pane_reset(&dv->tree);
    free(dv->rows);
    free(dv);
}

static void same_message(struct app *a)
{
    if (compare_sides_same(a))
        snprintf(a->message, sizeof a->message, "A and B select the same samples: to set B, "
                 "press 6, Tab to B, then : for its query or [ ] { } for its range");
}

/* Either side changed: the diff is made again when next drawn. */
static void requery(struct app *a, void *st, int s)
{
    struct diff_view *dv = st;

    if (s >= 0) {
        flame_pane_reset(&dv->tree);
        dv->built = 0;
    }
    if (s >= 0 && dv->say_same && a->side[1].ready && !a->req[SLOT_SIDE_A] &&
        !a->req[SLOT_SIDE_B]) {
        dv->say_same = 0;
        same_message(a);
    }
}

/* Made once both sides have values (B's may still be coming). */
static void ensure_diff(struct app *a, struct diff_view *dv)
{
    side_ready(a, 1);
    if (dv->built || !a->side[1].ready)
        return;
    flame_pane_build_diff(a, &dv->tree);
    rows_build(a, dv);
    dv->built = 1;
}

#define DIFF_COL 7                /* a column: 6 for the value, 1 for the sort mark */

/* The header: which side each share belongs to, and which change is which
 * (points apart, or relative to A's share, as the colors are). */
static void diff_table_header(struct app *a, struct diff_view *dv, struct canvas *c, struct rect r)
{
    const char *names[] = { "A %", "B %", a->utf8 ? "\u0394 pp" : "d pp",
                            a->utf8 ? "\u0394 rel" : "d rel" };
    static const int key[] = { 2, 3, 0, 1 };    /* diff_sort of each column */

    canvas_fill(c, r.x, r.y, r.w, ' ', ROLE_HEADER, 0);
    for (int i = 0; i < 4; i++) {
        int x = r.x + i * DIFF_COL, w = canvas_text_width(names[i], strlen(names[i]), a->utf8);

        canvas_print(c, x + DIFF_COL - 1 - w, r.y, w, names[i], ROLE_HEADER);
        if (dv->sort == key[i])         /* which way it runs, as in the table */
            canvas_print(c, x + DIFF_COL - 1, r.y, 1,
                         a->utf8 ? (dv->reverse ? "\u25B2" : "\u25BC") : (dv->reverse ? "^" : "v"),
                         ROLE_HEADER);
    }
    canvas_print(c, r.x + 4 * DIFF_COL + 1, r.y, r.w - 4 * DIFF_COL - 1, "Function", ROLE_HEADER);
}

static void diff_table_draw(struct app *a, struct diff_view *dv, struct canvas *c, struct rect r)
{
    char buf[160], pp[32], rel[32];
    int body = r.h - 1, nx = 4 * DIFF_COL + 1;

    diff_table_header(a, dv, c, r);
    if (dv->cursor < dv->top)
        dv->top = dv->cursor;
    if (body > 0 && dv->cursor >= dv->top + (uint32_t)body)
        dv->top = dv->cursor - (uint32_t)body + 1;
    for (int i = 0; i < body && dv->top + (uint32_t)i < dv->count; i++) {
        uint32_t k = dv->top + (uint32_t)i;
        const struct diff_row *d = &dv->rows[k];
        size_t len;
        const char *name = app_frame_name(a, d->frame, &len);
        enum role role = k == dv->cursor && a->focus == 0 ? ROLE_SELECTED : ROLE_NORMAL;
        int y = r.y + 1 + i, w;

        /* "new" and "gone" where one side has none, as Pyroscope writes them */
        diff_change_text(a, d->base_total, d->new_total, pp, sizeof pp, rel, sizeof rel);
        snprintf(buf, sizeof buf, "%6.2f %6.2f %6s ", d->base_pct, d->new_pct, pp);
        canvas_fill(c, r.x, y, r.w, ' ', role, 0);
        canvas_print(c, r.x, y, 3 * DIFF_COL, buf, role);
        w = canvas_text_width(rel, strlen(rel), a->utf8);
        canvas_print(c, r.x + 4 * DIFF_COL - 1 - w, y, w, rel, role);
        canvas_name(c, r.x + nx, y, r.w - nx, name, len, role, 0);
    }
}

/* A scale of the diff colors; without colors, the marks and attributes the
 * flamegraph's bars carry. */
static void legend(struct app *a, struct canvas *c, int x, int y, int w)
{
    int at = x;

    if (a->mono) {
        at += canvas_print(c, at, y, w, " ", ROLE_DIM);
        at += canvas_text(c, at, y, x + w - at, "-shrank", 7, ROLE_DIFF, 0);
        at += canvas_print(c, at, y, x + w - at, "  ", ROLE_DIM);
        at += canvas_text(c, at, y, x + w - at, "+grew", 5, ROLE_DIFF, 2 * DIFF_LEVELS);
    } else {
        at += canvas_print(c, x, y, w, " shrank ", ROLE_DIM);
        for (int l = -DIFF_LEVELS; l <= DIFF_LEVELS && at < x + w; l++)
            canvas_fill(c, at++, y, 1, ' ', ROLE_DIFF, (uint8_t)(l + DIFF_LEVELS));
        at += canvas_print(c, at, y, x + w - at, " grew", ROLE_DIM);
    }
    canvas_print(c, at, y, x + w - at, "  (each side's share of its own total)", ROLE_DIM);
}

static void draw(struct app *a, void *st, struct canvas *c, struct rect r)
{
    struct diff_view *dv = st;
    int tw = r.w >= 100 ? r.w * 2 / 5 : r.w, th = r.w >= 100 ? r.h : r.h * 2 / 5;
    char buf[600];

    ensure_diff(a, dv);
    snprintf(buf, sizeof buf, " base A %s  vs  new B %s", a->side[0].shown_query,
             a->side[1].ready ? a->side[1].shown_query : a->side[1].query);
    canvas_fill(c, r.x, r.y, r.w, ' ', ROLE_HEADER, 0);
    canvas_print(c, r.x, r.y, r.w, buf, ROLE_HEADER);
    legend(a, c, r.x, r.y + 1, r.w);
    r.y += 2;
    r.h -= 2;
    if (!dv->built) {           /* B's values are coming: the status bar says so */
        canvas_print(c, r.x + 1, r.y, r.w - 1, "(waiting for B's values)", ROLE_DIM);
        return;
    }
    if (r.w >= 100) {
        diff_table_draw(a, dv, c, (struct rect){ r.x, r.y, tw, r.h });
        for (int y = r.y; y < r.y + r.h; y++)
            canvas_fill(c, r.x + tw, y, 1, a->utf8 ? 0x2502 : '|', ROLE_BORDER, 0);
        flame_pane_draw(a, &dv->tree, c, (struct rect){ r.x + tw + 1, r.y, r.w - tw - 1, r.h },
                        a->focus == 1);
    } else {
        diff_table_draw(a, dv, c, (struct rect){ r.x, r.y, r.w, th });
        flame_pane_draw(a, &dv->tree, c, (struct rect){ r.x, r.y + th, r.w, r.h - th },
                        a->focus == 1);
    }
}

static int diff_move(struct app *a, struct diff_view *dv, long to)
{
    if (!dv->count)
        return R_NONE;
    to = to < 0 ? 0 : to >= (long)dv->count ? (long)dv->count - 1 : to;
    dv->cursor = (uint32_t)to;
    a->sel_frame = dv->rows[to].frame;
    return R_REDRAW;
}

static int resort(struct app *a, struct diff_view *dv)
{
    sort_rank = app_name_rank(a);
    sort_view = dv;
    qsort(dv->rows, dv->count, sizeof *dv->rows, diff_cmp);
    return R_REDRAW;
}

static int d_down(struct app *a, void *p) { struct diff_view *dv = p; return diff_move(a, dv, (long)dv->cursor + 1); }
static int d_up(struct app *a, void *p) { struct diff_view *dv = p; return diff_move(a, dv, (long)dv->cursor - 1); }
static int d_pgdn(struct app *a, void *p) { struct diff_view *dv = p; return diff_move(a, dv, (long)dv->cursor + 10); }
static int d_pgup(struct app *a, void *p) { struct diff_view *dv = p; return diff_move(a, dv, (long)dv->cursor - 10); }
static int d_first(struct app *a, void *p) { struct diff_view *dv = p; return diff_move(a, dv, 0); }
static int d_last(struct app *a, void *p) { struct diff_view *dv = p; return diff_move(a, dv, (long)dv->count - 1); }

static int d_sort(struct app *a, void *p)
{
    struct diff_view *dv = p;

    dv->sort = (dv->sort + 1) % 4;
    dv->reverse = 0;
    return resort(a, dv);
}

static int d_reverse(struct app *a, void *p)
{
    struct diff_view *dv = p;

    dv->reverse ^= 1;
    return resort(a, dv);
}

static const struct binding diff_bindings[] = {
    { 'j', K_DOWN, "j Down", "next function of the diff table", NULL, d_down },
    { 'k', K_UP, "k Up", "previous function of the diff table", NULL, d_up },
    { K_PGDN, 0, "PgDn", "ten rows down", NULL, d_pgdn },
    { K_PGUP, 0, "PgUp", "ten rows up", NULL, d_pgup },
    { 'g', K_HOME, "g Home", "first row", NULL, d_first },
    { 'G', K_END, "G End", "last row", NULL, d_last },
    { 's', 0, "s", "sort by the next column: change in points, relative change, A %, B %", "sort", d_sort },
    { 'S', 0, "S", "reverse the sort", NULL, d_reverse },
};

const struct keymap keymap_diff = { "Diff table (7; Tab moves to its flamegraph)", diff_bindings,
                                    sizeof diff_bindings / sizeof *diff_bindings };

static int key(struct app *a, void *st, int key)
{
    struct diff_view *dv = st;
    int r;

    if ((r = keymap_dispatch(&keymap_sides, a, NULL, key)) != R_UNHANDLED)
        return r;
    ensure_diff(a, dv);
    if (!dv->built)
        return R_NONE;
    if (a->focus == 1)
        return flame_pane_key(a, &dv->tree, key);
    return keymap_dispatch(&keymap_diff, a, dv, key);
}

static int mouse(struct app *a, void *st, const struct event *ev)
{
    struct diff_view *dv = st;
    int r = dv->built ? flame_pane_click(a, &dv->tree, ev->x, ev->y, ev->mouse == M_DOUBLE)
                      : R_NONE;

    if (r != R_NONE)
        a->focus = 1;
    return r;
}

/* The diff's selection: the diff flamegraph's node, else the diff table's
 * cursor row; v[0] is side A's total, v[1] side B's. */
static int diff_target(struct app *a, struct diff_view *dv, uint32_t *frame, int64_t v[2])
{
    if (a->focus == 1 && dv->tree.built) {
        const struct fnode *n = &dv->tree.tree.node[dv->tree.sel];

        *frame = n->frame, v[0] = n->base, v[1] = n->value - n->base;
        return 1;
    }
    if (a->focus == 0 && dv->cursor < dv->count) {
        const struct diff_row *d = &dv->rows[dv->cursor];

        *frame = d->frame, v[0] = d->base_total, v[1] = d->new_total;
        return 1;
    }
    return 0;
}

/* Both sides' value of the selection, each a share of its own side's
 * total, and the change: in points, and relative to A's share. */
static int status(struct app *a, void *st, struct canvas *c, int x, int y)
{
    struct diff_view *dv = st;
    uint32_t frame;
    int64_t v[2];
    char va[UNITS_BUF], vb[UNITS_BUF], pa[UNITS_BUF], pb[UNITS_BUF], pp[32], rel[32], buf[512];

    if (!a->side[1].ready)
        return 0;               /* the core's: side A's selection */
    if (!dv->built || !diff_target(a, dv, &frame, v))
        return 1;
    app_format(a, v[0], va, sizeof va);
    app_format(a, v[1], vb, sizeof vb);
    units_percent(v[0], a->side[0].flat.grand_total, pa, sizeof pa);
    units_percent(v[1], a->side[1].flat.grand_total, pb, sizeof pb);
    diff_change_text(a, v[0], v[1], pp, sizeof pp, rel, sizeof rel);
    snprintf(buf, sizeof buf, " A %s (%s)  B %s (%s)  %spp%s%s%s  ", va, pa, vb, pb, pp,
             *rel ? " (" : "", rel, *rel ? ")" : "");
    x = app_status_name(a, c, x, y, frame, (int)strlen(buf));
    canvas_print(c, x, y, c->w - x, buf, ROLE_STATUS);
    return 1;
}

/* On entering by its key: when both sides select the same samples, a
 * message saying so and how to set B. */
static void keyed(struct app *a, void *st)
{
    struct diff_view *dv = st;

    dv->say_same = !a->side[1].ready || a->req[SLOT_SIDE_A] || a->req[SLOT_SIDE_B];
    if (!dv->say_same)
        same_message(a);
}

static const struct keymap *hints(const struct app *a, void *st)
{
    (void)st;
    return a->focus == 0 ? &keymap_diff : NULL;
}

static struct flame_pane *flame(struct app *a, void *st)
{
    struct diff_view *dv = st;

    return a->focus == 1 && dv->tree.built ? &dv->tree : NULL;
}

const struct view_class view_diff = {
    .name = "Diff", .panes = 2, .focus = 1, .two_sides = 1, .help = { &keymap_diff, &keymap_sides },
    .init = init, .free = diff_free, .requery = requery, .keyed = keyed, .draw = draw,
    .key = key, .mouse = mouse, .status = status, .hints = hints, .flame = flame,
};
