/* The timeline above the panes: the focused side's total over time, its
 * time axis, and the range every pane is computed for. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "keymap.h"
#include "xalloc.h"

int app_focused_side(const struct app *a)
{
    return a->view == VIEW_COMPARE ? (a->focus & 1) : 0;
}

static void format_time(int64_t ns, int with_date, char *buf, size_t n)
{
    time_t t = (time_t)(ns / 1000000000LL);
    struct tm tm;

    localtime_r(&t, &tm);
    strftime(buf, n, with_date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
}

void timeline_draw(struct app *a, struct canvas *c, struct rect r, int s)
{
    struct side *sd = &a->side[s];
    uint32_t n = a->tl.buckets;
    int with_date = a->tl.end - a->tl.start > 86400 * 1000000000LL;
    int x0, x1;
    char left[64], right[64], mid[160];

    a->tl_area[s] = r;
    if (!n || r.h < 2 || r.w < 20)
        return;
    if (!a->tl_valid[s]) {
        /* the query's labels over all time: the range shows on top of it */
        struct filter labels = { sd->filter_p ? sd->filter.set_ok : NULL, NULL };

        timeline_series(&a->tl, a->p, a->type, &labels, a->tl_series[s]);
        a->tl_valid[s] = 1;
    }
    sparkline_draw(c, a->utf8 && !a->mono, r.x, r.y, r.w, a->tl_series[s], n);
    /* the chosen range, shown in reverse under the line */
    x0 = (int)((uint64_t)sd->lo * (uint32_t)r.w / n);
    x1 = (int)((uint64_t)(sd->hi + 1) * (uint32_t)r.w / n);
    for (int x = x0; x < x1 && x < r.w; x++)
        canvas_at(c, r.x + x, r.y)->role = ROLE_RANGE;
    format_time(a->tl.start, with_date, left, sizeof left);
    format_time(a->tl.end, with_date, right, sizeof right);
    canvas_fill(c, r.x, r.y + 1, r.w, ' ', ROLE_DIM, 0);
    canvas_print(c, r.x, r.y + 1, r.w, left, ROLE_DIM);
    canvas_print(c, r.x + r.w - (int)strlen(right), r.y + 1, (int)strlen(right), right, ROLE_DIM);
    if (sd->lo || sd->hi + 1 < n) {
        char from[64], until[64];

        format_time(timeline_time(&a->tl, sd->lo), with_date, from, sizeof from);
        format_time(timeline_time(&a->tl, sd->hi + 1), with_date, until, sizeof until);
        snprintf(mid, sizeof mid, r.w >= 80 ? "range %s .. %s  ([ ] { } move, \\ all)"
                                             : "%s..%s", from, until);
    } else {
        snprintf(mid, sizeof mid, r.w >= 80 ? "all %u steps  ([ ] { } pick a range)"
                                            : "all %u steps", n);
    }
    /* between the two end times, when it fits */
    if ((int)(strlen(mid) + strlen(left) + strlen(right)) + 2 <= r.w)
        canvas_print(c, r.x + (r.w - (int)strlen(mid)) / 2, r.y + 1, (int)strlen(mid), mid,
                     ROLE_HEADER);
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
    x0 = a->drag_x;
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
