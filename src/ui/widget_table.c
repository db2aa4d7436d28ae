/* The table: one row per function with self and total, sortable, filtered
 * by the search. The cursor row is the selected function everywhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table_pane.h"
#include "keymap.h"
#include "units.h"
#include "xalloc.h"

enum table_col { COL_NAME, COL_SELF, COL_TOTAL, COL_COUNT };

/* Side A's function table. One per explorer, in struct app, because the
 * table (2) and both (3) views show the same one: the cursor, the scroll
 * and the sort survive switching between them. */
struct table_pane {
    uint32_t *rows;             /* indexes into side A's flat, sorted and filtered */
    uint32_t count;
    enum table_col sort;
    int reverse;
    uint32_t cursor, top;
    struct rect area;
};

struct table_pane *table_pane_new(void)
{
    struct table_pane *t = xcalloc(1, sizeof *t);

    t->sort = COL_SELF;         /* the hottest functions first, as pprof -top */
    return t;
}

void table_pane_free(struct app *a)
{
    if (!a->table)
        return;
    free(a->table->rows);
    free(a->table);
    a->table = NULL;
}

static uint64_t mag(int64_t v)
{
    return v < 0 ? -(uint64_t)v : (uint64_t)v;
}

/* Largest either way first, as pprof -top sorts a base's negatives, then
 * by name. Ranks are distinct, so the reversed order is the array read
 * backwards. A radix sort of keys (query_rank_sort): qsort of the bench
 * profile's 39,000 rows took 8-9 ms, the slowest key of the explorer. */
static void sort_rows(struct app *a, struct table_pane *t)
{
    struct rank_key *k = xmalloc(((size_t)t->count + 1) * sizeof *k);
    const uint32_t *rank = app_name_rank(a);

    for (uint32_t i = 0; i < t->count; i++) {
        const struct flat_row *r = &a->side[0].flat.rows[t->rows[i]];

        k[i] = (struct rank_key){ ~(t->sort == COL_SELF ? mag(r->self) :
                                    t->sort == COL_TOTAL ? mag(r->total) : 0),
                                  rank[r->frame], t->rows[i] };
    }
    query_rank_sort(k, t->count);
    for (uint32_t i = 0; i < t->count; i++)
        t->rows[t->reverse ? t->count - 1 - i : i] = k[i].id;
    free(k);
}

/* Puts the cursor on the selected function; when the search filtered it
 * out, the nearest row becomes the selection (the cursor row always is). */
void table_pane_follow(struct app *a)
{
    struct table_pane *t = a->table;

    for (uint32_t i = 0; i < t->count; i++) {
        if (a->side[0].flat.rows[t->rows[i]].frame == a->sel_frame) {
            t->cursor = i;
            return;
        }
    }
    if (t->cursor >= t->count)
        t->cursor = t->count ? t->count - 1 : 0;
    if (t->count)
        a->sel_frame = a->side[0].flat.rows[t->rows[t->cursor]].frame;
}

static void clamp_top(struct table_pane *t, int body);

void table_pane_rebuild(struct app *a)
{
    struct table_pane *t = a->table;

    free(t->rows);
    t->rows = xmalloc(((size_t)a->side[0].flat.count + 1) * sizeof *t->rows);
    t->count = 0;
    for (uint32_t i = 0; i < a->side[0].flat.count; i++)
        if (!a->searching || app_frame_matches(a, a->side[0].flat.rows[i].frame))
            t->rows[t->count++] = i;
    /* The flat table comes sorted by |self|, then name (query.h): the
     * default order needs no sort of its 40,000 rows on every query and
     * every search keystroke. */
    if (t->sort != COL_SELF || t->reverse)
        sort_rows(a, t);
    table_pane_follow(a);
    clamp_top(t, t->area.h - 1);
}

/* The number columns: a value and its share each, or only the shares when
 * that leaves the names fewer than 40 columns (the Both view at 120: the
 * status bar still gives the selected row's values). */
static int column_width(int w)
{
    return w - 2 * 18 - 1 >= 40 ? 18 : 8;
}

static void draw_header(struct app *a, struct canvas *c, struct rect r, int cw)
{
    static const char *names[] = { "Function", "Self", "Total" }, *shares[] = { "", "Self%", "Total%" };
    /* the arrow shows the direction: numbers sort largest first, names A to Z */
    int down = (a->table->sort != COL_NAME) != a->table->reverse;
    const char *arrow = down ? (a->utf8 ? "\u25bc" : "v") : (a->utf8 ? "\u25b2" : "^");
    char h[64];
    int x = r.x;

    canvas_fill(c, r.x, r.y, r.w, ' ', ROLE_HEADER, 0);
    for (int col = COL_SELF; col <= COL_TOTAL; col++) {
        const char *name = cw == 18 ? names[col] : shares[col];

        snprintf(h, sizeof h, "%s%s", (int)a->table->sort == col ? arrow : " ", name);
        canvas_print(c, x + cw - (int)strlen(name) - 2, r.y, cw, h, ROLE_HEADER);
        x += cw;
    }
    snprintf(h, sizeof h, " %s%s", names[0], a->table->sort == COL_NAME ? arrow : "");
    canvas_print(c, x, r.y, r.w - 2 * cw, h, ROLE_HEADER);
}

/* "  1.23s  12.34%" in 18 columns, or " 12.34%" in 8, right-aligned. */
static void draw_value(struct app *a, struct canvas *c, int x, int y, int cw, int64_t v,
                       enum role role)
{
    char val[UNITS_BUF], pct[UNITS_BUF], cell[2 * UNITS_BUF + 4];

    app_format(a, v, val, sizeof val);
    units_percent(v, a->side[0].flat.grand_total, pct, sizeof pct);
    if (cw == 18)
        snprintf(cell, sizeof cell, "%9s %7s ", val, pct);
    else
        snprintf(cell, sizeof cell, "%7s ", pct);
    canvas_print(c, x, y, cw, cell, role);
}

/* Keeps the cursor row in view and the last page full: rows that change
 * under a scrolled table (a search) must not leave it looking at nothing. */
static void clamp_top(struct table_pane *t, int body)
{
    if (body <= 0)
        return;
    if (t->cursor < t->top)
        t->top = t->cursor;
    if (t->cursor >= t->top + (uint32_t)body)
        t->top = t->cursor - (uint32_t)body + 1;
    if (t->top + (uint32_t)body > t->count)
        t->top = t->count > (uint32_t)body ? t->count - (uint32_t)body : 0;
}

void table_pane_draw(struct app *a, struct canvas *c, struct rect r, int focused)
{
    struct table_pane *t = a->table;
    int cw = column_width(r.w), namex = 2 * cw + 1, body = r.h - 1;

    t->area = r;
    if (r.h < 2 || r.w < 20)
        return;
    draw_header(a, c, r, cw);
    clamp_top(t, body);
    if (!t->count)
        canvas_print(c, r.x + 1, r.y + 1, r.w - 1,
                     a->searching ? "(no function matches the search)" : "(no samples)", ROLE_DIM);
    for (int i = 0; i < body && t->top + (uint32_t)i < t->count; i++) {
        uint32_t k = t->top + (uint32_t)i;
        const struct flat_row *row = &a->side[0].flat.rows[t->rows[k]];
        enum role role = k == t->cursor ? (focused ? ROLE_SELECTED : ROLE_HEADER) : ROLE_NORMAL;
        size_t len;
        const char *name = app_frame_name(a, row->frame, &len);
        int y = r.y + 1 + i;

        canvas_fill(c, r.x, y, r.w, ' ', role, 0);
        draw_value(a, c, r.x, y, cw, row->self, role);
        draw_value(a, c, r.x + cw, y, cw, row->total, role);
        canvas_name(c, r.x + namex, y, r.w - namex, name, len,
                    role == ROLE_NORMAL && a->searching ? ROLE_MATCH : role, 0);
    }
}

static int move_to(struct app *a, long to)
{
    struct table_pane *t = a->table;

    if (!t->count)
        return R_NONE;
    if (to < 0)
        to = 0;
    if (to >= (long)t->count)
        to = (long)t->count - 1;
    t->cursor = (uint32_t)to;
    a->sel_frame = a->side[0].flat.rows[t->rows[t->cursor]].frame;
    return R_REDRAW;
}

static int page(const struct app *a)
{
    return a->table->area.h > 2 ? a->table->area.h - 2 : 1;
}

static int up(struct app *a, void *p) { (void)p; return move_to(a, (long)a->table->cursor - 1); }
static int down(struct app *a, void *p) { (void)p; return move_to(a, (long)a->table->cursor + 1); }
static int pgup(struct app *a, void *p) { (void)p; return move_to(a, (long)a->table->cursor - page(a)); }
static int pgdn(struct app *a, void *p) { (void)p; return move_to(a, (long)a->table->cursor + page(a)); }
static int first(struct app *a, void *p) { (void)p; return move_to(a, 0); }
static int last(struct app *a, void *p) { (void)p; return move_to(a, (long)a->table->count - 1); }

static int cycle_sort(struct app *a, void *p)
{
    (void)p;
    a->table->sort = (enum table_col)((a->table->sort + 1) % COL_COUNT);
    a->table->reverse = 0;
    table_pane_rebuild(a);
    return R_REDRAW;
}

static int reverse_sort(struct app *a, void *p)
{
    (void)p;
    a->table->reverse ^= 1;
    table_pane_rebuild(a);
    return R_REDRAW;
}

static int open_sandwich(struct app *a, void *p)
{
    (void)p;
    if (!a->table->count)
        return R_NONE;
    a->sel_frame = a->side[0].flat.rows[a->table->rows[a->table->cursor]].frame;
    app_open_view(a, VIEW_SANDWICH);
    return R_REDRAW;
}

static int next_row(struct app *a, void *p) { return down(a, p); }
static int prev_row(struct app *a, void *p) { return up(a, p); }

int table_pane_key(struct app *a, int key)
{
    return keymap_dispatch(&keymap_table, a, a->table, key);
}

int table_pane_click(struct app *a, int x, int y, int dbl)
{
    struct table_pane *t = a->table;
    struct rect r = t->area;

    if (x < r.x || x >= r.x + r.w || y <= r.y || y >= r.y + r.h)
        return R_NONE;
    if (move_to(a, (long)t->top + (y - r.y - 1)) == R_NONE)
        return R_NONE;
    return dbl ? open_sandwich(a, t) : R_REDRAW;
}

static const struct binding table_bindings[] = {
    { 'k', K_UP, "k Up", "previous row", NULL, up },
    { 'j', K_DOWN, "j Down", "next row", NULL, down },
    { K_PGUP, K_CTRL('b'), "PgUp ^B", "page up", NULL, pgup },
    { K_PGDN, K_CTRL('f'), "PgDn ^F", "page down", NULL, pgdn },
    { 'g', K_HOME, "g Home", "first row", NULL, first },
    { 'G', K_END, "G End", "last row", NULL, last },
    { 's', 0, "s", "sort by the next column (self, total, name)", "sort", cycle_sort },
    { 'S', 0, "S", "reverse the sort", NULL, reverse_sort },
    { K_ENTER, 0, "Enter", "open the sandwich of the row's function", "sandwich", open_sandwich },
    { 'n', 0, "n", "next matching row (the table shows only matches)", NULL, next_row },
    { 'N', 0, "N", "previous matching row", NULL, prev_row },
};

const struct keymap keymap_table = { "Table", table_bindings,
                                     sizeof table_bindings / sizeof *table_bindings };
