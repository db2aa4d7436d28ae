/* Comparison: two queries side by side, each with its own flamegraph.
 * Diff: one flamegraph of both, colored by how each frame's share of its
 * side's total changed, beside a table of the same per function. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "diff.h"
#include "keymap.h"
#include "units.h"
#include "xalloc.h"

static void pane_title(struct app *a, struct canvas *c, int x, int y, int w, int s)
{
    char buf[400], tot[UNITS_BUF];

    app_format(a, a->side[s].flat.grand_total, tot, sizeof tot);
    snprintf(buf, sizeof buf, " %s %s  total %s", s ? "B" : "A", a->side[s].query, tot);
    canvas_fill(c, x, y, w, ' ', a->focus == s ? ROLE_HEADER : ROLE_DIM, 0);
    canvas_print(c, x, y, w, buf, a->focus == s ? ROLE_HEADER : ROLE_DIM);
}

void compare_draw(struct app *a, struct canvas *c, struct rect r)
{
    int lw = (r.w - 1) / 2, rw = r.w - lw - 1;

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
    flame_pane_draw(a, &a->side[1].flame, c,
                    (struct rect){ r.x + lw + 1, r.y + 1, r.w - lw - 1, r.h - 1 }, a->focus == 1);
}

/* --- the two sides: which is the baseline --- */

/* The diff's timeline asks on every redraw: the answer is kept until a
 * side is recomputed, not found again over the whole trie each time. */
int compare_sides_same(struct app *a)
{
    side_ready(a, 1);
    if (!a->sides_same)
        a->sides_same = 1 + !memcmp(a->side[0].total, a->side[1].total,
                                    (size_t)a->p->trie.count * sizeof *a->side[0].total);
    return a->sides_same - 1;
}

/* How side s selects, for a message: its query and its time range. */
static void side_text(struct app *a, int s, char *buf, size_t n)
{
    const struct side *sd = &a->side[s];
    int ranged = a->tl.buckets && (sd->lo || sd->hi + 1 < a->tl.buckets);

    snprintf(buf, n, "%.200s%s", sd->query, ranged ? " (a time range)" : "");
}

void compare_enter_note(struct app *a)
{
    if (a->view == VIEW_DIFF && compare_sides_same(a))
        snprintf(a->message, sizeof a->message, "A and B select the same samples: to set B, "
                 "press 6, Tab to B, then : for its query or [ ] { } for its range");
}

/* Exchanges what the sides select (queries, time ranges): the baseline
 * becomes the new side. */
static int swap_sides(struct app *a, void *p)
{
    struct side *x = &a->side[0], *y = &a->side[1];
    char qx[sizeof x->query], qy[sizeof y->query];
    int64_t from = x->sel.from, until = x->sel.until;
    uint32_t lo = x->lo, hi = x->hi;

    (void)p;
    side_ready(a, 1);
    snprintf(qx, sizeof qx, "%s", x->query);
    snprintf(qy, sizeof qy, "%s", y->query);
    x->sel.from = y->sel.from, x->sel.until = y->sel.until, x->lo = y->lo, x->hi = y->hi;
    y->sel.from = from, y->sel.until = until, y->lo = lo, y->hi = hi;
    if (app_set_query(a, 0, qy) || app_set_query(a, 1, qx))
        return R_REDRAW;        /* both parsed before: cannot fail */
    side_text(a, 0, qx, sizeof qx);
    side_text(a, 1, qy, sizeof qy);
    snprintf(a->message, sizeof a->message, "swapped: A (baseline) %.100s, B (new) %.100s", qx,
             qy);
    return R_REDRAW;
}

static const struct binding sides_bindings[] = {
    { 'x', 0, "x", "swap the sides: A (the baseline) becomes B (the new side) and back, "
      "queries and time ranges", "swap", swap_sides },
};

const struct keymap keymap_sides = { "Comparison and diff (6, 7)", sides_bindings,
                                     sizeof sides_bindings / sizeof *sides_bindings };

int compare_key(struct app *a, int key)
{
    int r;

    side_ready(a, 1);
    if ((r = keymap_dispatch(&keymap_sides, a, NULL, key)) != R_UNHANDLED)
        return r;
    return flame_pane_key(a, &a->side[a->focus & 1].flame, key);
}

int compare_click(struct app *a, int x, int y, int dbl)
{
    int r;

    if ((r = flame_pane_click(a, &a->side[0].flame, x, y, dbl)) != R_NONE)
        a->focus = 0;
    else if ((r = flame_pane_click(a, &a->side[1].flame, x, y, dbl)) != R_NONE)
        a->focus = 1;
    return r;
}

/* --- diff --- */

uint8_t diff_color(const struct app *a, const struct flame_pane *f, uint32_t node)
{
    const struct fnode *n = &f->tree.node[node];
    double change = diff_change(n->base, a->side[0].flat.grand_total, n->value - n->base,
                                a->side[1].flat.grand_total);

    return (uint8_t)(diff_level(change) + DIFF_LEVELS);
}

void diff_change_text(const struct app *a, int64_t va, int64_t vb, char *pp, size_t npp,
                      char *rel, size_t nrel)
{
    double pa = diff_share(va, a->side[0].flat.grand_total);
    double pb = diff_share(vb, a->side[1].flat.grand_total), d = pb - pa;
    double r = diff_relative(va, a->side[0].flat.grand_total, vb, a->side[1].flat.grand_total);

    snprintf(pp, npp, d > -99.995 && d < 99.995 ? "%+.2f" : "%+.1f", d);
    if (!va || !vb)
        snprintf(rel, nrel, "%s", !va && !vb ? "" : !va ? "new" : "gone");
    else if (r >= 999.5)        /* a ratio reads better than +12345% */
        snprintf(rel, nrel, "%s%.0f", a->utf8 ? "\u00d7" : "x", pb / pa);
    else
        snprintf(rel, nrel, r > -9.95 && r < 9.95 ? "%+.1f%%" : "%+.0f%%", r);
}

static const struct app *sort_app;

static int cmp_double(double x, double y)
{
    return x > y ? -1 : x < y;
}

/* Sort keys, in the order s cycles through them: the change in points, the
 * relative change, A's share, B's share; each largest first. */
static int diff_cmp(const void *pa, const void *pb)
{
    const struct diff_row *x = pa, *y = pb;
    int c = 0;

    switch (sort_app->diff_sort) {
    case 0: c = cmp_double(x->new_pct - x->base_pct, y->new_pct - y->base_pct); break;
    case 1: c = cmp_double(x->rel, y->rel); break;
    case 2: c = cmp_double(x->base_pct, y->base_pct); break;
    case 3: c = cmp_double(x->new_pct, y->new_pct); break;
    }
    if (!c)
        c = sort_app->name_rank[x->frame] < sort_app->name_rank[y->frame] ? -1 : 1;
    return sort_app->diff_reverse ? -c : c;
}

/* One row per function present on either side. */
void diff_rows_build(struct app *a)
{
    uint32_t n;
    struct flat_pair *pairs = flat_join(a->p, &a->side[0].flat, &a->side[1].flat, &n);
    int64_t ta = a->side[0].flat.grand_total, tb = a->side[1].flat.grand_total;

    free(a->diff_rows);
    a->diff_rows = xcalloc((size_t)n + 1, sizeof *a->diff_rows);
    a->diff_count = n;
    for (uint32_t i = 0; i < n; i++) {
        const struct flat_row *b = pairs[i].side[0], *c = pairs[i].side[1];
        struct diff_row *d = &a->diff_rows[i];

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
    sort_app = a;
    qsort(a->diff_rows, a->diff_count, sizeof *a->diff_rows, diff_cmp);
}

void diff_free(struct app *a)
{
    free(a->diff_rows);
    a->diff_rows = NULL;
    a->diff_count = 0;
}

static void ensure_diff(struct app *a)
{
    side_ready(a, 1);
    if (a->diff_built)
        return;
    flame_pane_build_diff(a, &a->diff);
    diff_rows_build(a);
    a->diff_built = 1;
}

#define DIFF_COL 7                /* a column: 6 for the value, 1 for the sort mark */

/* The header: which side each share belongs to, and which change is which
 * (points apart, or relative to A's share, as the colors are). */
static void diff_table_header(struct app *a, struct canvas *c, struct rect r)
{
    const char *names[] = { "A %", "B %", a->utf8 ? "\u0394 pp" : "d pp",
                            a->utf8 ? "\u0394 rel" : "d rel" };
    static const int key[] = { 2, 3, 0, 1 };    /* diff_sort of each column */

    canvas_fill(c, r.x, r.y, r.w, ' ', ROLE_HEADER, 0);
    for (int i = 0; i < 4; i++) {
        int x = r.x + i * DIFF_COL, w = canvas_text_width(names[i], strlen(names[i]), a->utf8);

        canvas_print(c, x + DIFF_COL - 1 - w, r.y, w, names[i], ROLE_HEADER);
        if (a->diff_sort == key[i])
            canvas_print(c, x + DIFF_COL - 1, r.y, 1, "*", ROLE_HEADER);
    }
    canvas_print(c, r.x + 4 * DIFF_COL + 1, r.y, r.w - 4 * DIFF_COL - 1, "Function", ROLE_HEADER);
}

static void diff_table_draw(struct app *a, struct canvas *c, struct rect r)
{
    char buf[160], pp[32], rel[32];
    int body = r.h - 1, nx = 4 * DIFF_COL + 1;

    diff_table_header(a, c, r);
    if (a->diff_cursor < a->diff_top)
        a->diff_top = a->diff_cursor;
    if (body > 0 && a->diff_cursor >= a->diff_top + (uint32_t)body)
        a->diff_top = a->diff_cursor - (uint32_t)body + 1;
    for (int i = 0; i < body && a->diff_top + (uint32_t)i < a->diff_count; i++) {
        uint32_t k = a->diff_top + (uint32_t)i;
        const struct diff_row *d = &a->diff_rows[k];
        size_t len;
        const char *name = app_frame_name(a, d->frame, &len);
        enum role role = k == a->diff_cursor && a->focus == 0 ? ROLE_SELECTED : ROLE_NORMAL;
        int y = r.y + 1 + i, w;

        /* "new" and "gone" where one side has none, as Pyroscope writes them */
        diff_change_text(a, d->base_total, d->new_total, pp, sizeof pp, rel, sizeof rel);
        snprintf(buf, sizeof buf, "%6.2f %6.2f %6s ", d->base_pct, d->new_pct, pp);
        canvas_fill(c, r.x, y, r.w, ' ', role, 0);
        canvas_print(c, r.x, y, 3 * DIFF_COL, buf, role);
        w = canvas_text_width(rel, strlen(rel), a->utf8);
        canvas_print(c, r.x + 4 * DIFF_COL - 1 - w, y, w, rel, role);
        canvas_text(c, r.x + nx, y, r.w - nx, name, len, role, 0);
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

void diff_draw(struct app *a, struct canvas *c, struct rect r)
{
    int tw = r.w >= 100 ? r.w * 2 / 5 : r.w, th = r.w >= 100 ? r.h : r.h * 2 / 5;
    char buf[600];

    ensure_diff(a);
    snprintf(buf, sizeof buf, " base A %s  vs  new B %s", a->side[0].query, a->side[1].query);
    canvas_fill(c, r.x, r.y, r.w, ' ', ROLE_HEADER, 0);
    canvas_print(c, r.x, r.y, r.w, buf, ROLE_HEADER);
    legend(a, c, r.x, r.y + 1, r.w);
    r.y += 2;
    r.h -= 2;
    if (r.w >= 100) {
        diff_table_draw(a, c, (struct rect){ r.x, r.y, tw, r.h });
        for (int y = r.y; y < r.y + r.h; y++)
            canvas_fill(c, r.x + tw, y, 1, a->utf8 ? 0x2502 : '|', ROLE_BORDER, 0);
        flame_pane_draw(a, &a->diff, c, (struct rect){ r.x + tw + 1, r.y, r.w - tw - 1, r.h },
                        a->focus == 1);
    } else {
        diff_table_draw(a, c, (struct rect){ r.x, r.y, r.w, th });
        flame_pane_draw(a, &a->diff, c, (struct rect){ r.x, r.y + th, r.w, r.h - th },
                        a->focus == 1);
    }
}

static int diff_move(struct app *a, long to)
{
    if (!a->diff_count)
        return R_NONE;
    to = to < 0 ? 0 : to >= (long)a->diff_count ? (long)a->diff_count - 1 : to;
    a->diff_cursor = (uint32_t)to;
    a->sel_frame = a->diff_rows[to].frame;
    return R_REDRAW;
}

static int resort(struct app *a)
{
    sort_app = a;
    qsort(a->diff_rows, a->diff_count, sizeof *a->diff_rows, diff_cmp);
    return R_REDRAW;
}

static int d_down(struct app *a, void *p) { (void)p; return diff_move(a, (long)a->diff_cursor + 1); }
static int d_up(struct app *a, void *p) { (void)p; return diff_move(a, (long)a->diff_cursor - 1); }
static int d_pgdn(struct app *a, void *p) { (void)p; return diff_move(a, (long)a->diff_cursor + 10); }
static int d_pgup(struct app *a, void *p) { (void)p; return diff_move(a, (long)a->diff_cursor - 10); }
static int d_first(struct app *a, void *p) { (void)p; return diff_move(a, 0); }
static int d_last(struct app *a, void *p) { (void)p; return diff_move(a, (long)a->diff_count - 1); }

static int d_sort(struct app *a, void *p)
{
    (void)p;
    a->diff_sort = (a->diff_sort + 1) % 4;
    a->diff_reverse = 0;
    return resort(a);
}

static int d_reverse(struct app *a, void *p)
{
    (void)p;
    a->diff_reverse ^= 1;
    return resort(a);
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

int diff_key(struct app *a, int key)
{
    int r;

    if ((r = keymap_dispatch(&keymap_sides, a, NULL, key)) != R_UNHANDLED)
        return r;
    ensure_diff(a);
    if (a->focus == 1)
        return flame_pane_key(a, &a->diff, key);
    return keymap_dispatch(&keymap_diff, a, NULL, key);
}

int diff_click(struct app *a, int x, int y, int dbl)
{
    int r = flame_pane_click(a, &a->diff, x, y, dbl);

    if (r != R_NONE)
        a->focus = 1;
    return r;
}
