/* The tag explorer: the samples grouped by one label's values, each with
 * its share of the whole, total, mean and deviation over time and a
 * sparkline, to spot the value that behaves abnormally. Its label names
 * (DS_LABEL_NAMES) and rows (DS_GROUP) come from the data set: while one
 * is pending the previous rows stay on screen. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "sat.h"
#include "selector.h"
#include "text.h"
#include "view.h"
#include "view_tags.h"
#include "widget_timeline.h"
#include "units.h"
#include "xalloc.h"

struct tags {
    uint32_t *keys, nkeys, key;         /* label names; key: the one grouped by (asked) */
    int keys_known;             /* keys answered for the current sample type */
    char want[256];             /* the label to pick when the names come */
    struct tag_row *rows;       /* the last answer, sorted */
    uint32_t nrows, nsteps, cursor, top, mark;  /* mark: a value's string id */
    uint32_t shown_key;         /* the key (an index of keys) of the rows shown */
    int sort, reverse, stale;   /* stale: the rows are to be asked again */
    int64_t sum;
    int64_t peak;               /* the largest step of any value: the sparklines' scale */
};

static struct tags *state(struct app *a)
{
    return a->view_state[VIEW_TAGS];
}

static const struct app *sort_app;
static const struct tags *sort_tags;

static int row_cmp(const void *pa, const void *pb)
{
    const struct tag_row *x = pa, *y = pb;
    double dx, dy;
    int c;

    switch (sort_tags->sort) {      /* by size either way, as the tables (a base) */
    case 1: dx = fabs(x->mean), dy = fabs(y->mean); break;
    case 2: dx = x->stddev, dy = y->stddev; break;
    case 3: dx = dy = 0; break;
    default: dx = fabs((double)x->total), dy = fabs((double)y->total); break;
    }
    c = dx > dy ? -1 : dx < dy;
    if (!c)
        c = strcmp(profile_str(sort_app->p, x->value), profile_str(sort_app->p, y->value));
    return sort_tags->reverse ? -c : c;
}

static void sort_rows(struct app *a, struct tags *t)
{
    sort_app = a;
    sort_tags = t;
    if (t->nrows > 1)           /* no rows: rows is NULL, which qsort may not take */
        qsort(t->rows, t->nrows, sizeof *t->rows, row_cmp);
}

/* The label named want, else the first of the profiles' own labels rather
 * than `file`; returns whether want was found. */
static int pick_key(struct app *a, struct tags *t, const char *want)
{
    t->key = 0;
    for (uint32_t i = 0; want && *want && i < t->nkeys; i++) {
        if (!strcmp(profile_str(a->p, t->keys[i]), want)) {
            t->key = i;
            return 1;
        }
    }
    for (uint32_t i = 0; i < t->nkeys; i++) {
        if (strcmp(profile_str(a->p, t->keys[i]), "file")) {
            t->key = i;
            break;
        }
    }
    return 0;
}

/* The label names of the profiles that have the sample type (a heap
 * snapshot's `bytes` is no label of a CPU profile). */
static void names_answer(struct app *a, int slot, struct ds_result *res)
{
    struct tags *t = state(a);

    (void)slot;
    if (!res) {                 /* the previous names stay, asked again on a new type */
        t->keys_known = 1;
        t->want[0] = '\0';
        return;
    }
    free(t->keys);
    t->keys = res->ids;
    t->nkeys = res->nids;
    res->ids = NULL;
    ds_result_free(res);
    t->keys_known = 1;
    if (!pick_key(a, t, t->want) && t->want[0])
        t->mark = UINT32_MAX;   /* a new label: its values are new */
    t->want[0] = '\0';
    t->shown_key = t->key;
    t->stale = 1;
}

static void ask_names(struct app *a)
{
    struct ds_query q = { .kind = DS_LABEL_NAMES, .type = a->tl_type, .from = INT64_MIN,
                          .until = INT64_MAX };

    app_ask(a, SLOT_TAG_NAMES, &q, "the label names", names_answer);
}

/* The largest step of any value: every row's sparkline on one scale, so
 * that a value with half the total looks half as high. */
static int64_t peak(const struct tags *t)
{
    int64_t max = 0;

    for (uint32_t i = 0; i < t->nrows; i++)
        for (uint32_t b = 0; b < t->nsteps; b++)
            max = t->rows[i].series[b] > max ? t->rows[i].series[b] : max;
    return max;
}

/* The rows came; a failure or Esc keeps the rows shown, and their label. */
static void rows_answer(struct app *a, int slot, struct ds_result *res)
{
    struct tags *t = state(a);

    (void)slot;
    if (!res) {
        t->key = t->shown_key;
        return;
    }
    tags_free_rows(t->rows, t->nrows);
    t->rows = res->rows;
    t->nrows = res->nrows;
    t->nsteps = res->nseries ? res->nseries : 1;
    res->rows = NULL;
    res->nrows = 0;
    ds_result_free(res);
    t->sum = 0;                 /* what shares are of: |total|s, as pprof's with a base */
    for (uint32_t i = 0; i < t->nrows; i++)
        t->sum = sat_add(t->sum, t->rows[i].total >= 0 ? t->rows[i].total :
                                 t->rows[i].total == INT64_MIN ? INT64_MAX : -t->rows[i].total);
    t->peak = peak(t);
    sort_rows(a, t);
    t->shown_key = t->key;
    if (t->cursor >= t->nrows)
        t->cursor = t->nrows ? t->nrows - 1 : 0;
}

/* Side A's values grouped by the label: of the query and range on screen. */
static void ask_rows(struct app *a, struct tags *t)
{
    const struct side *sd = &a->side[0];
    const char *label = profile_str(a->p, t->keys[t->key]);
    struct ds_query q = { .kind = DS_GROUP, .type = a->tl_type, .label = label,
                          .buckets = a->tl_steps };
    char what[sizeof a->awaited[0]];

    q.query = sd->ready ? sd->shown_query : sd->query;
    q.from = sd->ready ? sd->shown_from : sd->sel.from;
    q.until = sd->ready ? sd->shown_until : sd->sel.until;
    t->stale = 0;
    snprintf(what, sizeof what, "%.60s grouped by %.60s", q.query, label);
    app_ask(a, SLOT_TAG_ROWS, &q, what, rows_answer);
}

/* What is missing is asked (and with the local data set, there at once). */
static void ensure(struct app *a, struct tags *t)
{
    if (!t->keys_known && !a->req[SLOT_TAG_NAMES])
        ask_names(a);
    if (t->keys_known && t->stale && t->nkeys && !a->req[SLOT_TAG_NAMES])
        ask_rows(a, t);
}

int tags_group_by(struct app *a, const char *name)
{
    struct tags *t = state(a);

    ensure(a, t);
    for (uint32_t i = 0; i < t->nkeys; i++) {
        if (!strcmp(profile_str(a->p, t->keys[i]), name)) {
            t->key = i;
            t->stale = 1;
            return 0;
        }
    }
    return -1;
}

const struct tag_row *tags_rows(struct app *a, uint32_t *n)
{
    struct tags *t = state(a);

    ensure(a, t);
    *n = t->nrows;
    return t->rows;
}

uint32_t tags_cursor(struct app *a)
{
    return state(a)->cursor;
}

const char *tags_label(struct app *a)
{
    struct tags *t = state(a);

    ensure(a, t);
    return t->nkeys ? profile_str(a->p, t->keys[t->key]) : "";
}

/* A new sample type: its labels, keeping the one grouped by if it has it. */
static void tags_retype(struct app *a, struct tags *t)
{
    if (!t->keys_known)
        return;                 /* asked when first needed */
    if (t->key < t->nkeys)
        snprintf(t->want, sizeof t->want, "%s", profile_str(a->p, t->keys[t->key]));
    t->keys_known = 0;
    t->stale = 1;
    ds_release(a->req[SLOT_TAG_ROWS]);  /* of the old type's labels */
    a->req[SLOT_TAG_ROWS] = NULL;
}

static void *tags_init(struct app *a)
{
    struct tags *t = xcalloc(1, sizeof *t);

    (void)a;
    t->mark = UINT32_MAX;
    t->stale = 1;
    return t;
}

static void tags_free(struct app *a, void *st)
{
    struct tags *t = st;

    (void)a;
    tags_free_rows(t->rows, t->nrows);
    free(t->keys);
    free(t);
}

static void draw_row(struct app *a, struct tags *tg, struct canvas *c, struct rect r, int y,
                     uint32_t k)
{
    const struct tag_row *t = &tg->rows[k];
    enum role role = k == tg->cursor ? ROLE_SELECTED : ROLE_NORMAL;
    char tot[UNITS_BUF], mean[UNITS_BUF], dev[UNITS_BUF], pct[UNITS_BUF], buf[4 * UNITS_BUF + 16];
    double share = tg->sum ? fabs((double)t->total) / (double)tg->sum : 0;
    const char *name = profile_str(a->p, t->value);
    int bar = (int)(share * 16 + 0.5), x = r.x;

    canvas_fill(c, r.x, y, r.w, ' ', role, 0);
    canvas_print(c, x, y, 2, t->value == tg->mark ? "*" : " ", role);
    canvas_text(c, x + 2, y, 20, name, strlen(name), role, 0);
    x += 23;
    canvas_fill(c, x, y, bar, ' ', ROLE_BAR, 0);
    canvas_fill(c, x + bar, y, 16 - bar, a->utf8 ? 0x00b7 : '.', ROLE_DIM, 0);
    units_percent(t->total, tg->sum, pct, sizeof pct);
    app_format(a, t->total, tot, sizeof tot);
    app_format(a, (int64_t)t->mean, mean, sizeof mean);
    app_format(a, (int64_t)t->stddev, dev, sizeof dev);
    snprintf(buf, sizeof buf, " %7s %9s %9s %9s ", pct, tot, mean, dev);
    x += 16 + canvas_print(c, x + 16, y, r.x + r.w - x - 16, buf, role);
    if (r.x + r.w - x > 4)
        sparkline_draw(c, a->utf8 && !a->mono, x, y, r.x + r.w - x - 1, t->series, tg->nsteps,
                       tg->peak);
}

static void draw(struct app *a, void *st, struct canvas *c, struct rect r)
{
    static const char *sorts[] = { "total", "mean", "stddev", "value" };
    struct tags *t = st;
    char buf[256];
    int body = r.h - 2;

    ensure(a, t);
    if (!t->nkeys) {            /* none yet, or none at all */
        canvas_print(c, r.x + 1, r.y + 1, r.w - 2, a->req[SLOT_TAG_NAMES]
                     ? "(waiting for the label names)" : "(these profiles have no labels)",
                     ROLE_DIM);
        return;
    }
    /* the rows shown are of shown_key: a newer label may be pending */
    snprintf(buf, sizeof buf, " group by %s (h/l: %u labels)  sorted by %s%s  %u values%s",
             profile_str(a->p, t->keys[t->shown_key < t->nkeys ? t->shown_key : t->key]),
             t->nkeys, sorts[t->sort], t->reverse ? " (reversed)" : "", t->nrows,
             t->mark != UINT32_MAX ? "  * = baseline" : "");
    canvas_fill(c, r.x, r.y, r.w, ' ', ROLE_HEADER, 0);
    canvas_print(c, r.x, r.y, r.w, buf, ROLE_HEADER);
    snprintf(buf, sizeof buf, "  %-20s %-16s %7s %9s %9s %9s  over time", "value", "share", "",
             "total", "mean", "stddev");
    canvas_print(c, r.x, r.y + 1, r.w, buf, ROLE_DIM);
    if (t->cursor < t->top)
        t->top = t->cursor;
    if (body > 0 && t->cursor >= t->top + (uint32_t)body)
        t->top = t->cursor - (uint32_t)body + 1;
    for (int i = 0; i < body && t->top + (uint32_t)i < t->nrows; i++)
        draw_row(a, t, c, r, r.y + 2 + i, t->top + (uint32_t)i);
}

/* The matchers of side A's query on screen but those of label key, each
 * followed by ", ": over a server the rows are of that query (a service),
 * and so is a row's query, where files take the row alone. */
static void add_scope(struct app *a, struct sbuf *b, const char *key)
{
    static const char *const op[] = { [MATCH_EQ] = "=", [MATCH_NE] = "!=", [MATCH_RE] = "=~",
                                      [MATCH_NRE] = "!~" };
    const struct side *sd = &a->side[0];
    struct selector sel;
    char err[SELECTOR_ERR_MAX];

    if (selector_parse(sd->ready ? sd->shown_query : sd->query, &sel, err))
        return;
    for (size_t i = 0; i < sel.n; i++) {
        if (!strcmp(sel.m[i].name, key))
            continue;
        sbuf_add(b, sel.m[i].name, strlen(sel.m[i].name));
        sbuf_add(b, op[sel.m[i].op], strlen(op[sel.m[i].op]));
        selector_quote(b, sel.m[i].value);
        sbuf_add(b, ", ", 2);
    }
    selector_free(&sel);
}

/* Side queries for the current row: {key="value"}, and the baseline: the
 * marked value, else every other value. The value is quoted; a key that is
 * not a plain label name cannot be written in a query: NULL, with a message
 * (spliced in, `zone="x",region` would add matchers). */
static char *row_query(struct app *a, struct tags *t, uint32_t row, int negate)
{
    const char *key = profile_str(a->p, t->keys[t->shown_key]);
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
    if (ds_remote_of(a->ds))    /* a server: within the service the rows are of */
        add_scope(a, &b, key);
    sbuf_add(&b, key, strlen(key));
    sbuf_add(&b, negate ? "!=" : "=", negate ? 2 : 1);
    selector_quote(&b, profile_str(a->p, t->rows[row].value));
    sbuf_addc(&b, '}');
    return b.s;
}

/* Sets side s's query; app_set_query refuses a query longer than the
 * side's buffer with a message rather than cutting it. */
static int set_row_query(struct app *a, struct tags *t, int s, uint32_t row, int negate)
{
    char *q = row_query(a, t, row, negate);
    int r = q ? app_set_query(a, s, q) : -1;

    free(q);
    return r;
}

static int open_pair(struct app *a, struct tags *t, enum view_id v)
{
    if (!t->nrows)
        return R_NONE;
    uint32_t marked = UINT32_MAX;

    for (uint32_t i = 0; i < t->nrows; i++)
        if (t->rows[i].value == t->mark)
            marked = i;
    if (marked != UINT32_MAX && marked != t->cursor
        ? set_row_query(a, t, 0, marked, 0) : set_row_query(a, t, 0, t->cursor, 1))
        return R_REDRAW;
    if (set_row_query(a, t, 1, t->cursor, 0))
        return R_REDRAW;
    app_open_view(a, v);
    return R_REDRAW;
}

static int row_down(struct app *a, void *p)
{
    struct tags *t = p;

    (void)a;
    if (t->cursor + 1 < t->nrows)
        t->cursor++;
    return R_REDRAW;
}

static int row_up(struct app *a, void *p)
{
    struct tags *t = p;

    (void)a;
    if (t->cursor)
        t->cursor--;
    return R_REDRAW;
}

static int next_label(struct app *a, struct tags *t, int by)
{
    if (!t->nkeys)
        return R_NONE;
    t->key = (t->key + (uint32_t)(by > 0 ? 1 : (int)t->nkeys - 1)) % t->nkeys;
    t->mark = UINT32_MAX;
    t->cursor = 0;
    ask_rows(a, t);
    return R_REDRAW;
}

static int label_next(struct app *a, void *p) { return next_label(a, p, 1); }
static int label_prev(struct app *a, void *p) { return next_label(a, p, -1); }

static int sort_next(struct app *a, void *p)
{
    struct tags *t = p;

    t->sort = (t->sort + 1) % 4;
    t->reverse = 0;
    sort_rows(a, t);
    return R_REDRAW;
}

static int sort_reverse(struct app *a, void *p)
{
    struct tags *t = p;

    t->reverse ^= 1;
    sort_rows(a, t);
    return R_REDRAW;
}

static int mark(struct app *a, void *p)
{
    struct tags *t = p;

    (void)a;
    if (!t->nrows)
        return R_NONE;
    t->mark = t->mark == t->rows[t->cursor].value ? UINT32_MAX : t->rows[t->cursor].value;
    return R_REDRAW;
}

static int open_value(struct app *a, void *p)
{
    struct tags *t = p;

    if (!t->nrows)
        return R_NONE;
    if (!set_row_query(a, t, 0, t->cursor, 0))
        app_open_view(a, VIEW_BOTH);
    return R_REDRAW;
}

static int compare(struct app *a, void *p) { return open_pair(a, p, VIEW_COMPARE); }
static int diff(struct app *a, void *p) { return open_pair(a, p, VIEW_DIFF); }

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
    ensure(a, st);
    return keymap_dispatch(&keymap_tags, a, st, key);
}

/* The tag explorer's status bar: the selected value, its total and share,
 * its mean and deviation over the steps. */
static int status(struct app *a, void *st, struct canvas *c, int x, int y)
{
    struct tags *tg = st;
    const struct tag_row *t;
    char tot[UNITS_BUF], pct[UNITS_BUF], mean[UNITS_BUF], dev[UNITS_BUF], sum[UNITS_BUF];
    char buf[800];
    const char *key;
    uint32_t steps = a->tl.buckets ? a->tl.buckets : 1;

    (void)x;
    if (tg->cursor >= tg->nrows || tg->shown_key >= tg->nkeys)
        return 1;
    t = &tg->rows[tg->cursor];
    app_format(a, t->total, tot, sizeof tot);
    units_percent(t->total, tg->sum, pct, sizeof pct);
    app_format(a, (int64_t)t->mean, mean, sizeof mean);
    app_format(a, (int64_t)t->stddev, dev, sizeof dev);
    app_format(a, tg->sum, sum, sizeof sum);
    key = profile_str(a->p, tg->keys[tg->shown_key]);
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
    struct tags *t = st;

    if (s == 0)
        t->stale = 1;
    else if (s == CHANGED_TYPE)
        tags_retype(a, t);
}

static const struct keymap *hints(const struct app *a, void *st)
{
    (void)a, (void)st;
    return &keymap_tags;
}

static void add_line(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_line(struct sbuf *b, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0)
        sbuf_add(b, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* The tag table for the export: the header, then every row as sorted on
 * screen, the value whole (no column cut), the numbers as shown. */
static void text(struct app *a, void *st, struct sbuf *out)
{
    struct tags *t = st;

    ensure(a, t);
    add_line(out, "group by %s  %u values\n", tags_label(a), t->nrows);
    add_line(out, "%-20s %7s %9s %9s %9s\n", "value", "share", "total", "mean", "stddev");
    for (uint32_t k = 0; k < t->nrows; k++) {
        const struct tag_row *r = &t->rows[k];
        char tot[UNITS_BUF], mean[UNITS_BUF], dev[UNITS_BUF], pct[UNITS_BUF];
        const char *name = profile_str(a->p, r->value);

        size_t at = out->len;

        text_escape(out, name, strlen(name), TEXT_ESCAPE_DISPLAY);
        for (int w = text_width(out->s + at, out->len - at, 1); w < 20; w++)
            sbuf_addc(out, ' ');
        units_percent(r->total, t->sum, pct, sizeof pct);
        app_format(a, r->total, tot, sizeof tot);
        app_format(a, (int64_t)r->mean, mean, sizeof mean);
        app_format(a, (int64_t)r->stddev, dev, sizeof dev);
        add_line(out, " %7s %9s %9s %9s\n", pct, tot, mean, dev);
    }
    sbuf_addc(out, '\0');
}

const struct view_class view_tags = {
    .name = "Tags", .bare_status = 1, .help = { &keymap_tags },
    .init = tags_init, .free = tags_free, .requery = requery, .draw = draw, .key = key, .status = status,
    .hints = hints, .text = text,
};
