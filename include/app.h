/* The interactive explorer: state shared by every view, the event handler
 * and the renderer. Pure: it draws into a canvas and takes events, so tests
 * and benchmarks drive it without a terminal. No curses here. */
#ifndef EMBER_APP_H
#define EMBER_APP_H

#include <regex.h>
#include <stdint.h>

#include "canvas.h"
#include "ftree.h"
#include "keys.h"
#include "lineedit.h"
#include "profile.h"
#include "query.h"
#include "selector.h"
#include "timeline.h"

#define APP_MIN_W 40
#define APP_MIN_H 10

enum view_id { VIEW_FLAME, VIEW_TABLE, VIEW_BOTH, VIEW_SANDWICH, VIEW_TAGS, VIEW_COMPARE,
               VIEW_DIFF };

/* What handling an event asks for (htop's reactions). */
enum {
    R_NONE = 0,
    R_REDRAW = 1,
    R_REQUERY = 2,              /* the sample type changed: recompute values */
    R_QUIT = 4,
    R_UNHANDLED = 8,
};

struct rect {
    int x, y, w, h;
};

/* A flamegraph pane: a frame tree, its zoom and selection. */
struct flame_pane {
    struct ftree tree;
    int built;
    uint32_t zoom;              /* layout root */
    uint32_t *zoom_stack;       /* earlier zooms, for Backspace */
    uint32_t zoom_depth, zoom_cap;
    uint32_t sel;               /* selected node */
    int flipped;                /* root at the bottom */
    int scroll;                 /* first depth shown (icicle), or last (flipped) */
    struct flayout layout;
    int layout_w;               /* width the layout was made for; 0 = stale */
    struct rect area;           /* where it was last drawn, for the mouse */
};

enum table_col { COL_NAME, COL_SELF, COL_TOTAL, COL_COUNT };

struct table_pane {
    uint32_t *rows;             /* indexes into app.flat, sorted and filtered */
    uint32_t count;
    enum table_col sort;
    int reverse;
    uint32_t cursor, top;
    struct rect area;
};

enum overlay { OV_NONE, OV_HELP, OV_SEARCH, OV_TYPES, OV_QUERY };

/* A function in the diff table: its share of each side's total. */
struct diff_row {
    uint32_t frame;
    int64_t base_self, base_total, new_self, new_total;
    double base_pct, new_pct;   /* total as a share of its side's total */
    double rel;                 /* new_pct relative to base_pct, in %: diff_relative */
};

/* What a side selects: a query, its time range. */
struct side_spec {
    const char *query;          /* NULL or "" = every sample */
    int64_t from, until;        /* nanoseconds, inclusive */
};

/* One query's view of the data set: the single view and the comparison's
 * left side are side 0; the comparison's right and the diff's new side are
 * side 1. */
struct side {
    char query[256];
    struct selector sel;
    struct filter filter;
    const struct filter *filter_p;      /* &filter, or NULL when it keeps all */
    int64_t *total;             /* per trie node */
    struct flat flat;
    struct flame_pane flame;
    int ready;
    uint32_t lo, hi;            /* the time range on the timeline, in buckets */
};

struct app {
    struct profile *p;
    const char *title;          /* what was loaded, for the header */
    uint32_t type;
    struct side side[2];
    int sides_same;             /* compare_sides_same + 1; 0: not known since a side changed */
    struct flame_pane diff;     /* the diff flamegraph (sides 0 and 1) */
    int diff_built;
    struct diff_row *diff_rows; /* the diff table */
    uint32_t diff_count, diff_cursor, diff_top;
    int diff_sort, diff_reverse;
    int mono;                   /* no colors: mark diffs with text too */

    /* Time: buckets for the timeline and the tag explorer's statistics. */
    struct timeline tl;
    uint32_t tl_type;           /* the sample type tl was made for */
    int64_t *tl_series[2];      /* per side: its labels' total over time */
    int tl_valid[2];
    struct rect tl_area[2];     /* where each side's timeline was drawn (w 0: not) */
    int drag_side;
    int drag_x;                 /* column a drag on the timeline began at, or -1 */

    /* The tag explorer. */
    uint32_t *tag_keys, ntag_keys, tag_key;
    struct tag_row *tag_rows;
    uint32_t ntag_rows, tag_cursor, tag_top, tag_mark;  /* mark: a value's string id */
    int tag_sort, tag_reverse, tags_built;
    int64_t tag_sum;
    int64_t tag_peak;           /* the largest step of any value: the sparklines' scale */

    enum view_id view;
    int focus;                  /* both: 0 table, 1 flame; sandwich: 0 callers, 1 callees */
    int split;                  /* both: percent added to the table's default share (< >) */
    uint32_t sel_frame;         /* the selected function, shared by every view */

    struct table_pane table;
    struct flame_pane callers, callees;
    uint32_t sandwich_frame;    /* what the sandwich panes were built for */

    /* Search: a POSIX extended regex over function names. */
    char search[256];
    regex_t re;
    int searching;              /* a valid regex is active */
    uint8_t *match;             /* per frame */
    uint32_t match_count;       /* matching functions of side 0's table */
    int64_t match_total;        /* counted once per sample; valid when share_ready */
    uint32_t match_count_b;     /* the same on side 1, once it has values */
    int64_t match_total_b;

    /* Background work, done in slices between events (src/ui/jobs.c). */
    int share_ready;
    uint32_t share_next;        /* next trie node of the share pass */
    uint64_t *share_covered;    /* a bit per node: a match at or above it */
    uint32_t *occ_start, *occ;  /* outermost occurrences of each function */
    uint32_t *occ_fill, occ_next;
    int occ_phase;              /* 0 counting, 1 filling, 2 ready */
    uint32_t *name_rank;        /* frame -> rank of its name, for fast sorts */

    enum overlay overlay;
    struct lineedit search_edit, query_edit;    /* the / and : lines and their histories */
    char saved_search[256];     /* restored by Esc */
    int query_side;             /* the side the query prompt edits */
    int help_scroll, menu_cursor;
    int64_t *type_totals;       /* per sample type: app_type_totals */
    char message[256];          /* one-line feedback: errors, hints */

    int utf8;
    int w, h;
};

/* Takes the loaded data set (not owned); `type` is the sample type shown,
 * spec[0] and spec[1] what the two sides select (spec may be NULL: all). */
void app_init(struct app *a, struct profile *p, uint32_t type, const struct side_spec *spec,
              const char *title, int utf8);
/* Sets side s's query; returns -1 with a.message pointing at the column
 * when it is malformed or names a sample type the data lacks (the previous
 * query stays). A sample type in the query (`alloc_space{...}`) becomes the
 * type of the whole explorer, both sides. */
int app_set_query(struct app *a, int s, const char *query);
void app_free(struct app *a);
void app_set_view(struct app *a, enum view_id v);

/* Handles one event; returns R_* flags. */
int app_event(struct app *a, const struct event *ev);

/* Draws everything into c (resized to w x h when needed). */
void app_render(struct app *a, struct canvas *c, int w, int h);

/* Runs the UI on the terminal until the user quits, showing notice (may be
 * NULL) in the status bar first. Returns -1 when there is no terminal,
 * else an exit status: 0, or 128 + the signal that ended it. */
int ui_run(struct profile *p, uint32_t type, const struct side_spec *spec, const char *title,
           int mono, enum view_id view, const char *group_by, const char *notice);

/* Internal: sides (src/ui/sides.c). */
void side_init(struct app *a, int s, const struct side_spec *spec);
void side_ready(struct app *a, int s);
/* Returns -1 (a.message says why), 0, or 1 when the query's sample type
 * changed a.type (every side must be recomputed). */
int side_set_query(struct app *a, int s, const char *query);
void side_requery(struct app *a, int s);
void side_free(struct app *a, int s);

/* Internal: views and widgets (src/ui/view_*.c, widgets.c). */
void flame_pane_reset(struct flame_pane *f);
void flame_pane_build_root(struct app *a, struct flame_pane *f, const int64_t *total);
void flame_pane_build_diff(struct app *a, struct flame_pane *f);
void flame_pane_build_function(struct app *a, struct flame_pane *f, uint32_t frame,
                               enum ftree_direction dir);
void flame_pane_draw(struct app *a, struct flame_pane *f, struct canvas *c, struct rect r,
                     int focused);
int flame_pane_key(struct app *a, struct flame_pane *f, int key);
int flame_pane_click(struct app *a, struct flame_pane *f, int x, int y, int dbl);
int flame_pane_next_match(struct app *a, struct flame_pane *f, int dir);
uint32_t flame_pane_frame(const struct flame_pane *f, uint32_t node);
uint32_t flame_pane_path(const struct flame_pane *f, uint32_t n, uint32_t *path, uint32_t cap);
uint32_t flame_pane_find(struct flame_pane *f, const uint32_t *path, uint32_t len);
void flame_pane_set_view(struct flame_pane *f, uint32_t zoom, uint32_t sel);

void table_pane_rebuild(struct app *a);
void table_pane_draw(struct app *a, struct canvas *c, struct rect r, int focused);
int table_pane_key(struct app *a, int key);
int table_pane_click(struct app *a, int x, int y, int dbl);
void table_pane_follow(struct app *a);

void compare_draw(struct app *a, struct canvas *c, struct rect r);
/* Whether the two sides select the same samples (their values agree). */
int compare_sides_same(struct app *a);
/* On entering the diff: when both sides select the same samples, a
 * message saying so and how to set B. */
void compare_enter_note(struct app *a);
int compare_key(struct app *a, int key);
int compare_click(struct app *a, int x, int y, int dbl);
void diff_draw(struct app *a, struct canvas *c, struct rect r);
int diff_key(struct app *a, int key);
int diff_click(struct app *a, int x, int y, int dbl);
void diff_rows_build(struct app *a);
void diff_free(struct app *a);
/* A change from A's value va to B's vb, each a share of its own side's
 * total: in points ("+1.82") and relative to A's share ("+48%", "new",
 * "gone", "x12" beyond +999%). */
void diff_change_text(const struct app *a, int64_t va, int64_t vb, char *pp, size_t npp,
                      char *rel, size_t nrel);
/* The diff color of a node of the diff tree: level + DIFF_LEVELS. */
uint8_t diff_color(const struct app *a, const struct flame_pane *f, uint32_t node);

void tags_draw(struct app *a, struct canvas *c, struct rect r);
int tags_key(struct app *a, int key);
void tags_free(struct app *a);
/* Picks the grouping label by name; returns -1 when the data has none. */
int tags_group_by(struct app *a, const char *name);
/* The sample type changed: the labels its profiles carry, keeping the
 * grouping label when they have it. */
void tags_retype(struct app *a);
/* Draws side s's timeline (two rows) in r. */
void timeline_draw(struct app *a, struct canvas *c, struct rect r, int s);
/* A sparkline of v[0..n) in w columns, scaled to max (0: to v's own
 * maximum; rows to compare share one max). */
void sparkline_draw(struct canvas *c, int utf8, int x, int y, int w, const int64_t *v, uint32_t n,
                    int64_t max);
int timeline_key(struct app *a, int key);
/* A press or release of the mouse; a drag across the timeline picks the
 * range under it. Returns R_UNHANDLED when it was not about the timeline. */
int timeline_mouse(struct app *a, const struct event *ev);
/* The side the timeline and the query prompt act on. */
int app_focused_side(const struct app *a);

void sandwich_draw(struct app *a, struct canvas *c, struct rect r);
int sandwich_key(struct app *a, int key);
int sandwich_click(struct app *a, int x, int y, int dbl);

void widget_help_draw(struct app *a, struct canvas *c);
int widget_help_key(struct app *a, int key);
void widget_types_draw(struct app *a, struct canvas *c);
int widget_types_key(struct app *a, int key);
void widget_search_open(struct app *a);
void widget_query_open(struct app *a);
int widget_query_key(struct app *a, int key);
int widget_search_key(struct app *a, int key);
/* Draws the open prompt's line (its sign, text and cursor) on row y. */
void widget_prompt_draw(struct app *a, struct canvas *c, int y);

/* Background work: whether some remains; one slice of at most budget_ms
 * (returns R_REDRAW when something visible finished); all of it. */
int app_busy(const struct app *a);
int app_idle(struct app *a, double budget_ms);
void app_finish_work(struct app *a);
void jobs_share_start(struct app *a);
void jobs_free(struct app *a);
/* The outermost occurrences of frame (finishing the index first). */
const uint32_t *jobs_occurrences(struct app *a, uint32_t frame, uint32_t *n);

/* Sets the search to pattern ("" clears); returns -1 with a.message set
 * when the regex is invalid (the previous search stays). */
int app_set_search(struct app *a, const char *pattern);
/* Recounts the search's matches on each side after a side's values changed. */
void app_search_stats(struct app *a);
int app_frame_matches(const struct app *a, uint32_t frame);
/* Every sample's value per sample type (query_type_totals), made once:
 * the t picker's totals and the note that the default type is empty. */
const int64_t *app_type_totals(struct app *a);
/* Formats a value in the current sample type's unit. */
void app_format(const struct app *a, int64_t v, char *buf, size_t n);
const char *app_frame_name(const struct app *a, uint32_t frame, size_t *len);

#endif
