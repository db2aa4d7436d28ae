/* The tag explorer: the samples grouped by one label's values, each with
 * its share of the whole, total, mean and deviation over time and a
 * sparkline, to spot the value that behaves abnormally. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "selector.h"
#include "text.h"
#include "view.h"
#include "view_tags.h"
#include "widget_timeline.h"
#include "units.h"
#include "xalloc.h"

static const struct app *sort_app;

static int row_cmp(const void *pa, const void *pb)
{
    const struct tag_row *x = pa, *y = pb;
    double dx, dy;
    int c;

    switch (sort_app->tag_sort) {
    case 1: dx = x->mean, dy = y->mean; break;
    case 2: dx = x->stddev, dy = y->stddev; break;
    case 3: dx = dy = 0; break;
    default: dx = (double)x->total, dy = (double)y->total; break;
    }
    c = dx > dy ? -1 : dx < dy;
    if (!c)
        c = strcmp(profile_str(sort_app->p, x->value), profile_str(sort_app->p, y->value));
    return sort_app->tag_reverse ? -c : c;
}

static void sort_rows(struct app *a)
{
    sort_app = a;
    if (a->ntag_rows > 1)       /* no rows: tag_rows is NULL, which qsort may not take */
        qsort(a->tag_rows, a->ntag_rows, sizeof *a->tag_rows, row_cmp);
}

/* The label names of the profiles that have the sample type (a heap
 * snapshot's `bytes` is no label of a CPU profile); their own labels first
 * chosen over `file`. */
static void load_keys(struct app *a)
{
    if (a->tag_keys)
        return;
    a->tag_keys = tags_names_on(a->p, &a->tl, &a->ntag_keys);
    a->tag_key = 0;
    for (uint32_t i = 0; i < a->ntag_keys; i++) {
        if (strcmp(profile_str(a->p, a->tag_keys[i]), "file")) {
            a->tag_key = i;
            break;
        }
    }
}

/* The largest step of any value: every row's sparkline on one scale, so
 * that a value with half the total looks half as high. */
static int64_t peak(const struct app *a)
{
    int64_t max = 0;

    for (uint32_t i = 0; i < a->ntag_rows; i++)
        for (uint32_t b = 0; b < (a->tl.buckets ? a->tl.buckets : 1); b++)
            max = a->tag_rows[i].series[b] > max ? a->tag_rows[i].series[b] : max;
    return max;
}

static void rebuild(struct app *a)
{
    tags_free_rows(a->tag_rows, a->ntag_rows);
    a->tag_rows = NULL;
    a->ntag_rows = 0;
    a->tag_sum = 0;
    load_keys(a);
    if (a->ntag_keys) {
        a->tag_rows = tags_group(a->p, a->type, a->side[0].filter_p, a->tag_keys[a->tag_key],
                                 &a->tl, &a->ntag_rows);
        for (uint32_t i = 0; i < a->ntag_rows; i++)
            a->tag_sum += a->tag_rows[i].total;
        a->tag_peak = peak(a);
        sort_rows(a);
    }
    if (a->tag_cursor >= a->ntag_rows)
        a->tag_cursor = a->ntag_rows ? a->ntag_rows - 1 : 0;
    a->tags_built = 1;
}

int tags_group_by(struct app *a, const char *name)
{
    load_keys(a);
    for (uint32_t i = 0; i < a->ntag_keys; i++) {
        if (!strcmp(profile_str(a->p, a->tag_keys[i]), name)) {
            a->tag_key = i;
            a->tags_built = 0;
            return 0;
        }
    }
    return -1;
}

static void tags_retype(struct app *a)
{
    char name[256] = "";

    if (!a->tag_keys)
        return;                 /* loaded when first needed */
    if (a->tag_key < a->ntag_keys)
        snprintf(name, sizeof name, "%s", profile_str(a->p, a->tag_keys[a->tag_key]));
    free(a->tag_keys);
    a->tag_keys = NULL;
    a->ntag_keys = 0;
    a->tags_built = 0;
    if (tags_group_by(a, name))
        a->tag_mark = UINT32_MAX;       /* a new label: its values are new */
}

static void tags_free(struct app *a, void *st)
{
    (void)st;
    tags_free_rows(a->tag_rows, a->ntag_rows);
    free(a->tag_keys);
    a->tag_rows = NULL;
    a->tag_keys = NULL;
}

static void draw_row(struct app *a, struct canvas *c, struct rect r, int y, uint32_t k)
{
    const struct tag_row *t = &a->tag_rows[k];
    enum role role = k == a->tag_cursor ? ROLE_SELECTED : ROLE_NORMAL;
    char tot[UNITS_BUF], mean[UNITS_BUF], dev[UNITS_BUF], pct[UNITS_BUF], buf[4 * UNITS_BUF + 16];
    double share = a->tag_sum ? (double)t->total / (double)a->tag_sum : 0;
    const char *name = profile_str(a->p, t->value);
    int bar = (int)(share * 16 + 0.5), x = r.x;

    canvas_fill(c, r.x, y, r.w, ' ', role, 0);
    canvas_print(c, x, y, 2, t->value == a->tag_mark ? "*" : " ", role);
    canvas_text(c, x + 2, y, 20, name, strlen(name), role, 0);
    x += 23;
    canvas_fill(c, x, y, bar, ' ', ROLE_BAR, 0);
    canvas_fill(c, x + bar, y, 16 - bar, a->utf8 ? 0x00b7 : '.', ROLE_DIM, 0);
    units_percent(t->total, a->tag_sum, pct, sizeof pct);
    app_format(a, t->total, tot, sizeof tot);
    app_format(a, (int64_t)t->mean, mean, sizeof mean);
    app_format(a, (int64_t)t->stddev, dev, sizeof dev);
    snprintf(buf, sizeof buf, " %7s %9s %9s %9s ", pct, tot, mean, dev);
    x += 16 + canvas_print(c, x + 16, y, r.x + r.w - x - 16, buf, role);
    if (r.x + r.w - x > 4)
        sparkline_draw(c, a->utf8 && !a->mono, x, y, r.x + r.w - x - 1, t->series,
                       a->tl.buckets ? a->tl.buckets : 1, a->tag_peak);
}

static void draw(struct app *a, void *st, struct canvas *c, struct rect r)
{
    (void)st;
    static const char *sorts[] = { "total", "mean", "stddev", "value" };
    char buf[256];
    int body = r.h - 2;

    if (!a->tags_built)
        rebuild(a);
    if (!a->ntag_keys) {
        canvas_print(c, r.x + 1, r.y + 1, r.w - 2, "(these profiles have no labels)", ROLE_DIM);
        return;
    }
    snprintf(buf, sizeof buf, " group by %s (h/l: %u labels)  sorted by %s%s  %u values%s",
             profile_str(a->p, a->tag_keys[a->tag_key]), a->ntag_keys, sorts[a->tag_sort],
             a->tag_reverse ? " (reversed)" : "", a->ntag_rows,
             a->tag_mark != UINT32_MAX ? "  * = baseline" : "");
    canvas_fill(c, r.x, r.y, r.w, ' ', ROLE_HEADER, 0);
    canvas_print(c, r.x, r.y, r.w, buf, ROLE_HEADER);
    snprintf(buf, sizeof buf, "  %-20s %-16s %7s %9s %9s %9s  over time", "value", "share", "",
             "total", "mean", "stddev");
    canvas_print(c, r.x, r.y + 1, r.w, buf, ROLE_DIM);
    if (a->tag_cursor < a->tag_top)
        a->tag_top = a->tag_cursor;
    if (body > 0 && a->tag_cursor >= a->tag_top + (uint32_t)body)
        a->tag_top = a->tag_cursor - (uint32_t)body + 1;
    for (int i = 0; i < body && a->tag_top + (uint32_t)i < a->ntag_rows; i++)
        draw_row(a, c, r, r.y + 2 + i, a->tag_top + (uint32_t)i);
}

/* Side queries for the current row: {key="value"}, and the baseline: the
 * marked value, else every other value. The value is quoted; a key that is
 * not a plain label name cannot be written in a query: NULL, with a message
 * (spliced in, `zone="x",region` would add matchers). */
static char *row_query(struct app *a, uint32_t row, int negate)
{
    const char *key = profile_str(a->p, a->tag_keys[a->tag_key]);
    struct sbuf b = { 0 };

    if (!selector_is_name(key)) {
        text_escape(&b, key, strlen(key), TEXT_ESCAPE_DISPLAY);
        snprintf(a->message, sizeof a->message,
                 "label '%.100s' is not a plain label name: a query cannot select its values",
                 b.s);
        sbuf_free(&b);
        return NULL;
    }
    sbuf_addc(&b, '{');
    sbuf_add(&b, key, strlen(key));
    sbuf_add(&b, negate ? "!=" : "=", negate ? 2 : 1);
    selector_quote(&b, profile_str(a->p, a->tag_rows[row].value));
    sbuf_addc(&b, '}');
    return b.s;
}

/* Sets side s's query; app_set_query refuses a query longer than the
 * side's buffer with a message rather than cutting it. */
static int set_row_query(struct app *a, int s, uint32_t row, int negate)
{
    char *q = row_query(a, row, negate);
    int r = q ? app_set_query(a, s, q) : -1;

    free(q);
    return r;
}

static int open_pair(struct app *a, enum view_id v)
{
    if (!a->ntag_rows)
        return R_NONE;
    uint32_t marked = UINT32_MAX;

    for (uint32_t i = 0; i < a->ntag_rows; i++)
        if (a->tag_rows[i].value == a->tag_mark)
            marked = i;
    if (marked != UINT32_MAX && marked != a->tag_cursor
        ? set_row_query(a, 0, marked, 0) : set_row_query(a, 0, a->tag_cursor, 1))
        return R_REDRAW;
    if (set_row_query(a, 1, a->tag_cursor, 0))
        return R_REDRAW;
    app_open_view(a, v);
    return R_REDRAW;
}

static int row_down(struct app *a, void *p)
{
    (void)p;
    if (a->tag_cursor + 1 < a->ntag_rows)
        a->tag_cursor++;
    return R_REDRAW;
}

static int row_up(struct app *a, void *p)
{
    (void)p;
    if (a->tag_cursor)
        a->tag_cursor--;
    return R_REDRAW;
}

static int next_label(struct app *a, int by)
{
    if (!a->ntag_keys)
        return R_NONE;
    a->tag_key = (a->tag_key + (uint32_t)(by > 0 ? 1 : (int)a->ntag_keys - 1)) % a->ntag_keys;
    a->tag_mark = UINT32_MAX;
    a->tag_cursor = 0;
    rebuild(a);
    return R_REDRAW;
}

static int label_next(struct app *a, void *p) { (void)p; return next_label(a, 1); }
static int label_prev(struct app *a, void *p) { (void)p; return next_label(a, -1); }

static int sort_next(struct app *a, void *p)
{
    (void)p;
    a->tag_sort = (a->tag_sort + 1) % 4;
    a->tag_reverse = 0;
    sort_rows(a);
    return R_REDRAW;
}

static int sort_reverse(struct app *a, void *p)
{
    (void)p;
    a->tag_reverse ^= 1;
    sort_rows(a);
    return R_REDRAW;
}

static int mark(struct app *a, void *p)
{
    (void)p;
    if (!a->ntag_rows)
        return R_NONE;
    a->tag_mark = a->tag_mark == a->tag_rows[a->tag_cursor].value
                  ? UINT32_MAX : a->tag_rows[a->tag_cursor].value;
    return R_REDRAW;
}

static int open_value(struct app *a, void *p)
{
    (void)p;
    if (!a->ntag_rows)
        return R_NONE;
    if (!set_row_query(a, 0, a->tag_cursor, 0))
        app_open_view(a, VIEW_BOTH);
    return R_REDRAW;
}

static int compare(struct app *a, void *p) { (void)p; return open_pair(a, VIEW_COMPARE); }
static int diff(struct app *a, void *p) { (void)p; return open_pair(a, VIEW_DIFF); }

static const struct binding tag_bindings[] = {
    { 'j', K_DOWN, "j Down", "next value", NULL, row_down },
    { 'k', K_UP, "k Up", "previous value", NULL, row_up },
    { 'l', K_RIGHT, "l Right", "group by the next label", "label", label_next },
    { 'h', K_LEFT, "h Left", "group by the previous label", NULL, label_prev },
    { 's', 0, "s", "sort by the next column (total, mean, stddev, value)", "sort", sort_next },
    { 'S', 0, "S", "reverse the sort", NULL, sort_reverse },
    { K_ENTER, 0, "Enter", "show only this value in the single view", "open", open_value },
    { 'm', 0, "m", "mark this value as the baseline for c and d", "mark", mark },
    { 'c', 0, "c", "compare with the marked value (else with all the others)", "compare", compare },
    { 'd', 0, "d", "diff against the marked value (else against all the others)", "diff", diff },
};

const struct keymap keymap_tags = { "Tag explorer (5)", tag_bindings,
                                    sizeof tag_bindings / sizeof *tag_bindings };

static int key(struct app *a, void *st, int key)
{
    (void)st;
    if (!a->tags_built)
        rebuild(a);
    return keymap_dispatch(&keymap_tags, a, NULL, key);
}

/* The tag explorer's status bar: the selected value, its total and share,
 * its mean and deviation over the steps. */
static int status(struct app *a, void *st, struct canvas *c, int x, int y)
{
    const struct tag_row *t;
    char tot[UNITS_BUF], pct[UNITS_BUF], mean[UNITS_BUF], dev[UNITS_BUF], sum[UNITS_BUF];
    char buf[800];
    const char *key;
    uint32_t steps = a->tl.buckets ? a->tl.buckets : 1;

    (void)st, (void)x;
    if (!a->tags_built || a->tag_cursor >= a->ntag_rows)
        return 1;
    t = &a->tag_rows[a->tag_cursor];
    app_format(a, t->total, tot, sizeof tot);
    units_percent(t->total, a->tag_sum, pct, sizeof pct);
    app_format(a, (int64_t)t->mean, mean, sizeof mean);
    app_format(a, (int64_t)t->stddev, dev, sizeof dev);
    app_format(a, a->tag_sum, sum, sizeof sum);
    key = profile_str(a->p, a->tag_keys[a->tag_key]);
    /* the share is of the samples that carry the label, as in the table */
    snprintf(buf, sizeof buf, " %s=\"%s\": %s, %s of %s with a %s, mean %s, stddev %s over %u "
             "step%s", key, profile_str(a->p, t->value), tot, pct, sum, key, mean, dev, steps,
             steps == 1 ? "" : "s");
    canvas_print(c, 0, y, c->w, buf, ROLE_STATUS);
    return 1;
}

/* Side A's values changed: the rows again; a new type: its labels. */
static void requery(struct app *a, void *st, int s)
{
    (void)st;
    if (s == 0)
        a->tags_built = 0;
    else if (s == CHANGED_TYPE)
        tags_retype(a);
}

static const struct keymap *hints(const struct app *a, void *st)
{
    (void)a, (void)st;
    return &keymap_tags;
}

const struct view_class view_tags = {
    .name = "Tags", .bare_status = 1, .help = { &keymap_tags },
    .free = tags_free, .requery = requery, .draw = draw, .key = key, .status = status,
    .hints = hints,
};
