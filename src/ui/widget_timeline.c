/* The timeline above the panes: the focused side's total over time, its
 * time axis, and the range every pane is computed for. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "widget_timeline.h"
#include "keymap.h"
#include "xalloc.h"

/* Local time; with the date, and the zone (its abbreviation, else the
 * offset from UTC) when asked. */
static void format_time(int64_t ns, int with_date, int with_zone, char *buf, size_t n)
{
    time_t t = (time_t)(ns / 1000000000LL);
    struct tm tm;
    char zone[16] = "";

    localtime_r(&t, &tm);
    if (with_zone && !strftime(zone, sizeof zone, " %Z", &tm))
        strftime(zone, sizeof zone, " %z", &tm);
    if (with_zone && (zone[1] == '\0' || zone[1] == '?'))
        strftime(zone, sizeof zone, " %z", &tm);
    strftime(buf, n, with_date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
    snprintf(buf + strlen(buf), n - strlen(buf), "%s", zone);
}

static int same_day(int64_t x, int64_t y)
{
    time_t tx = (time_t)(x / 1000000000LL), ty = (time_t)(y / 1000000000LL);
    struct tm a, b;

    localtime_r(&tx, &a);
    localtime_r(&ty, &b);
    return a.tm_year == b.tm_year && a.tm_yday == b.tm_yday;
}

/* A bound of a side's time range, as the user gave it (or "the end"). */
static void format_bound(const struct timeline *t, int64_t ns, char *buf, size_t n)
{
    if (ns == INT64_MIN || ns == INT64_MAX)
        snprintf(buf, n, "%s", ns == INT64_MIN ? "the start" : "the end");
    else
        format_time(ns, !same_day(ns, t->start), 0, buf, n);
}

/* What side s's range selects, in n columns at most: its times, every
 * step, or that no profile lies in it. */
static void describe_range(struct app *a, int s, int n, char *buf, size_t len)
{
    struct side *sd = &a->side[s];
    uint32_t lo, hi;
    char from[64], until[64], first[64], last[64];

    if (!timeline_range(&a->tl, a->p, sd->sel.from, sd->sel.until, &lo, &hi)) {
        format_bound(&a->tl, sd->sel.from, from, sizeof from);
        format_bound(&a->tl, sd->sel.until, until, sizeof until);
        format_time(a->tl.start, 0, 0, first, sizeof first);
        format_time(a->tl.end, !same_day(a->tl.start, a->tl.end), 0, last, sizeof last);
        snprintf(buf, len, "no profile between %s and %s; profiles span %s..%s", from, until,
                 first, last);
        if ((int)strlen(buf) > n)
            snprintf(buf, len, "no profile in the range (%s..%s)", first, last);
    } else if (!sd->lo && sd->hi + 1 >= a->tl.buckets) {
        if (a->tl.span)         /* a server's query range, a step a column */
            snprintf(buf, len, "the whole range, %u steps", a->tl.buckets);
        else
            snprintf(buf, len, "all %u steps", a->tl.buckets);
    } else {
        int with_date = !same_day(a->tl.start, a->tl.end);

        format_time(sd->sel.from == INT64_MIN ? a->tl.start : sd->sel.from, with_date, 0, from,
                    sizeof from);
        format_time(sd->sel.until == INT64_MAX ? a->tl.end : sd->sel.until, with_date, 0, until,
                    sizeof until);
        snprintf(buf, len, "%s..%s", from, until);
    }
}

/* Whether side s's range holds no profile of the timeline. */
static int range_empty(struct app *a, int s)
{
    uint32_t lo, hi;

    return !timeline_range(&a->tl, a->p, a->side[s].sel.from, a->side[s].sel.until, &lo, &hi);
}

/* Marks side s's range on row y: reversed cells. */
static void mark_range(struct app *a, struct canvas *c, struct rect r, int y, int s)
{
    uint32_t n = a->tl.buckets;
    int x0 = (int)((uint64_t)a->side[s].lo * (uint32_t)r.w / n);
    int x1 = (int)((uint64_t)(a->side[s].hi + 1) * (uint32_t)r.w / n);

    if (range_empty(a, s))
        return;
    for (int x = x0; x < x1 && x < r.w; x++)
        canvas_at(c, r.x + x, y)->role = ROLE_RANGE;
}

/* The axis: the first profile's date, time and zone at the left, the last
 * one's time at the right, and mid between them when it fits (else mid
 * alone when it must be read: `urgent`). */
static void draw_axis(struct app *a, struct canvas *c, struct rect r, int y, const char *mid,
                      int urgent)
{
    char left[64], right[64];
    int m = (int)strlen(mid);

    format_time(a->tl.start, r.w >= 60, 1, left, sizeof left);
    format_time(a->tl.end, !same_day(a->tl.start, a->tl.end), 0, right, sizeof right);
    canvas_fill(c, r.x, y, r.w, ' ', ROLE_DIM, 0);
    if (m + (int)(strlen(left) + strlen(right)) + 2 > r.w && urgent) {
        canvas_print(c, r.x, y, r.w, mid, ROLE_HEADER);
        return;
    }
    canvas_print(c, r.x, y, r.w, left, ROLE_DIM);
    canvas_print(c, r.x + r.w - (int)strlen(right), y, (int)strlen(right), right, ROLE_DIM);
    if (m + (int)(strlen(left) + strlen(right)) + 2 <= r.w)
        canvas_print(c, r.x + (int)strlen(left) + (r.w - (int)strlen(left) - (int)strlen(right) - m) / 2,
                     y, m, mid, ROLE_HEADER);
}

/* The diff's timeline: both sides' ranges, A's on the sparkline, B's on
 * the axis below it, and what each selects. */
static void draw_two_ranges(struct app *a, struct canvas *c, struct rect r)
{
    char ra[400], rb[400], mid[900];

    mark_range(a, c, r, r.y, 0);
    describe_range(a, 0, r.w / 2, ra, sizeof ra);
    describe_range(a, 1, r.w / 2, rb, sizeof rb);
    if (compare_sides_same(a))
        snprintf(mid, sizeof mid, "A and B select the same samples (%s)", ra);
    else if (r.w >= 100)
        snprintf(mid, sizeof mid, "A baseline %s (upper bar)  B new %s (lower bar)", ra, rb);
    else
        snprintf(mid, sizeof mid, "A %s  B %s", ra, rb);
    draw_axis(a, c, r, r.y + 1, mid, 1);
    mark_range(a, c, r, r.y + 1, 1);
}

/* Side s's series came: copied into the timeline's row (the steps it was
 * asked for). A failure keeps the series drawn, not asked again until the
 * side changes. */
static void series_answer(struct app *a, int slot, struct ds_result *res)
{
    int s = slot - SLOT_SERIES_A;

    a->tl_valid[s] = 1;
    if (!res)
        return;
    if (res->series && a->tl.buckets)
        memcpy(a->tl_series[s], res->series,
               (res->nseries < a->tl.buckets ? res->nseries : a->tl.buckets) *
               sizeof *res->series);
    ds_result_free(res);
}

/* The query's labels over all time, of the values on screen: the range
 * shows on top of it. */
static void ask_series(struct app *a, int s)
{
    struct side *sd = &a->side[s];
    struct ds_query q = { .kind = DS_SERIES, .type = a->tl_type, .from = INT64_MIN,
                          .until = INT64_MAX, .buckets = a->tl_steps };
    char what[sizeof a->awaited[0]];

    q.query = sd->ready ? sd->shown_query : sd->query;
    if (a->tl.span)             /* a server's range: the buckets' own ends */
        q.from = a->tl.start, q.until = a->tl.end;
    snprintf(what, sizeof what, "the timeline of %s%.120s", s ? "B " : "", q.query);
    app_ask(a, SLOT_SERIES_A + s, &q, what, series_answer);
}

static void sparkline_draw_in(struct canvas *c, int utf8, int x, int y, int w, const int64_t *v,
                              uint32_t n, int64_t max, const uint32_t *in);

void timeline_draw(struct app *a, struct canvas *c, struct rect r, int s)
{
    struct side *sd = &a->side[s];
    uint32_t n = a->tl.buckets;
    char range[400], mid[500];
    int empty;

    a->tl_area[s] = r;
    if (!n || r.h < 2 || r.w < 20)
        return;
    if (!a->tl_valid[s] && !a->req[SLOT_SERIES_A + s])
        ask_series(a, s);
    sparkline_draw_in(c, a->utf8 && !a->mono, r.x, r.y, r.w, a->tl_series[s], n, 0,
                      a->tl.in_bucket);
    if (a->view == VIEW_DIFF && s == 0) {      /* both sides */
        side_ready(a, 1);
        draw_two_ranges(a, c, r);
        return;
    }
    mark_range(a, c, r, r.y, s);
    empty = range_empty(a, s);
    for (int x = 0; empty && x < r.w; x++)     /* nothing of it is selected */
        canvas_at(c, r.x + x, r.y)->role = ROLE_DIM;
    describe_range(a, s, r.w, range, sizeof range);
    if (a->view == VIEW_COMPARE)        /* which side is the baseline */
        snprintf(mid, sizeof mid, "%s %s", s ? "B new:" : "A baseline:", range);
    else if (empty || r.w < 80)
        snprintf(mid, sizeof mid, "%s", range);
    else if (!sd->lo && sd->hi + 1 >= n)
        snprintf(mid, sizeof mid, "%s  ([ ] { } pick a range)", range);
    else
        snprintf(mid, sizeof mid, "range %s  ([ ] { } move, \\ all)", range);
    draw_axis(a, c, r, r.y + 1, mid, empty || a->view == VIEW_COMPARE);
}

/* Applies the side's bucket range as its time range and recomputes. */
static int apply_range(struct app *a, int s)
{
    struct side *sd = &a->side[s];
    uint32_t n = a->tl.buckets;

    sd->sel.from = sd->lo == 0 ? INT64_MIN : timeline_time(&a->tl, sd->lo);
    /* the last bucket ends at the last profile, included */
    sd->sel.until = sd->hi + 1 >= n ? INT64_MAX : timeline_time(&a->tl, sd->hi + 1) - 1;
    app_set_query(a, s, sd->query);
    return R_REDRAW;
}

static int inside(struct rect r, int x, int y)
{
    return r.w > 0 && y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}

int timeline_mouse(struct app *a, const struct event *ev)
{
    struct rect r;
    int s, x0, x1;
    uint32_t n = a->tl.buckets;

    if (ev->mouse == M_PRESS) {
        a->drag_x = -1;
        for (s = 0; s < 2 && n; s++) {
            if (inside(a->tl_area[s], ev->x, ev->y)) {
                a->drag_x = ev->x - a->tl_area[s].x;
                a->drag_side = s;
            }
        }
        return a->drag_x >= 0 ? R_NONE : R_UNHANDLED;
    }
    if (ev->mouse != M_RELEASE || a->drag_x < 0)
        return R_UNHANDLED;
    s = a->drag_side;
    r = a->tl_area[s];
    if (r.w <= 0 || !n) {       /* the timeline went between press and release */
        a->drag_x = -1;
        return R_NONE;
    }
    x0 = a->drag_x < r.w ? a->drag_x : r.w - 1;    /* or narrowed */
    x1 = ev->x - r.x < 0 ? 0 : ev->x - r.x >= r.w ? r.w - 1 : ev->x - r.x;
    a->drag_x = -1;
    if (x1 < x0) {
        int t = x0;

        x0 = x1;
        x1 = t;
    }
    a->side[s].lo = (uint32_t)((uint64_t)x0 * n / (uint32_t)r.w);
    a->side[s].hi = (uint32_t)((uint64_t)x1 * n / (uint32_t)r.w);
    return apply_range(a, s);
}

int timeline_key(struct app *a, int key)
{
    int s = app_focused_side(a);
    struct side *sd = &a->side[s];
    uint32_t n = a->tl.buckets;

    if (!n)
        return R_UNHANDLED;
    switch (key) {
    case '[': if (sd->lo) sd->lo--; break;
    case ']': if (sd->lo < sd->hi) sd->lo++; break;
    case '{': if (sd->hi > sd->lo) sd->hi--; break;
    case '}': if (sd->hi + 1 < n) sd->hi++; break;
    case '\\': sd->lo = 0; sd->hi = n - 1; break;
    default: return R_UNHANDLED;
    }
    return apply_range(a, s);
}

static int t_key(struct app *a, int key)
{
    return timeline_key(a, key);
}

static int earlier_start(struct app *a, void *p) { (void)p; return t_key(a, '['); }
static int later_start(struct app *a, void *p) { (void)p; return t_key(a, ']'); }
static int earlier_end(struct app *a, void *p) { (void)p; return t_key(a, '{'); }
static int later_end(struct app *a, void *p) { (void)p; return t_key(a, '}'); }
static int whole(struct app *a, void *p) { (void)p; return t_key(a, '\\'); }

static const struct binding time_bindings[] = {
    { '[', 0, "[", "timeline: start the range one step earlier", NULL, earlier_start },
    { ']', 0, "]", "timeline: start the range one step later", NULL, later_start },
    { '{', 0, "{", "timeline: end the range one step earlier", NULL, earlier_end },
    { '}', 0, "}", "timeline: end the range one step later", NULL, later_end },
    { '\\', 0, "\\", "timeline: the whole time", NULL, whole },
};

const struct keymap keymap_time = { "Timeline (every view; the focused side)", time_bindings,
                                    sizeof time_bindings / sizeof *time_bindings };

/* A sparkline of n values in w columns: eighths of a block, or ASCII. */
/* A column whose buckets hold no profile (in[b] == 0) is a gap: a dim
 * middle dot, '~' without UTF-8, where a zero is blank. */
static void sparkline_draw_in(struct canvas *c, int utf8, int x, int y, int w, const int64_t *v,
                              uint32_t n, int64_t max, const uint32_t *in)
{
    static const char ascii[] = " .:-=+*#@";

    if (max <= 0)
        for (uint32_t i = 0; i < n; i++)
            max = v[i] > max ? v[i] : max;
    for (int col = 0; col < w && n; col++) {
        uint32_t b0 = (uint32_t)((uint64_t)col * n / (uint32_t)w);
        uint32_t b1 = (uint32_t)((uint64_t)(col + 1) * n / (uint32_t)w);
        int64_t m = 0;
        int level, gap = !!in;

        for (uint32_t b = b0; b < (b1 > b0 ? b1 : b0 + 1) && b < n; b++) {
            m = v[b] > m ? v[b] : m;
            gap &= in && !in[b];
        }
        if (gap) {
            canvas_fill(c, x + col, y, 1, utf8 ? 0xb7u : '~', ROLE_DIM, 0);
            continue;
        }
        /* eighths, rounded up so that anything non-zero shows */
        level = max > 0 ? (int)(((double)m * 8 + (double)max - 1) / (double)max) : 0;
        level = level > 8 ? 8 : level;
        canvas_fill(c, x + col, y, 1, utf8 ? (level ? 0x2580u + (uint32_t)level : ' ')
                                          : (uint32_t)ascii[level], ROLE_SPARK, 0);
    }
}

void sparkline_draw(struct canvas *c, int utf8, int x, int y, int w, const int64_t *v, uint32_t n,
                    int64_t max)
{
    sparkline_draw_in(c, utf8, x, y, w, v, n, max, NULL);
}
