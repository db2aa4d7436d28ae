/* The explorer's shared state: what every view may read and change (the
 * data set, the sides, the selected function, the search, the theme, the
 * message, the time range), and the functions that keep it consistent
 * (src/ui/shared.c, sides.c, jobs.c). Views include this, never app.h; a
 * view's private state lives in its own file. No curses here. */
#ifndef EMBER_UI_SHARED_H
#define EMBER_UI_SHARED_H

#include <regex.h>
#include <stdint.h>

#include "canvas.h"
#include "dataset.h"
#include "fset.h"
#include "ftree.h"
#include "keymap.h"
#include "keys.h"
#include "profile.h"
#include "query.h"
#include "selector.h"
#include "timeline.h"

#define APP_MIN_W 40
#define APP_MIN_H 10

enum view_id { VIEW_FLAME, VIEW_TABLE, VIEW_BOTH, VIEW_SANDWICH, VIEW_TAGS, VIEW_COMPARE,
               VIEW_DIFF };
#define VIEW_MAX 16             /* room in view_state for the views of view_classes */

/* What a.requery hears of, beside a side's values (0 or 1). */
enum { CHANGED_SEARCH = -2, CHANGED_TYPE = -1 };

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
    int64_t *growth;            /* a base subtracted: what the tree is of (ftree_growth) */
    int64_t *net_self;          /* then each trie node's signed self (the status bar's) */
    const int64_t *net_total;   /* and signed total (the side's, not owned) */
};

enum overlay { OV_NONE, OV_HELP, OV_SEARCH, OV_TYPES, OV_QUERY, OV_EXPORT, OV_PICKER,
               OV_COUNT };

/* What a side selects: a query, its time range. */
struct side_spec {
    const char *query;          /* NULL or "" = every sample */
    int64_t from, until;        /* nanoseconds, inclusive */
};

/* One query's view of the data set: the single view and the comparison's
 * left side are side 0; the comparison's right and the diff's new side are
 * side 1. query and sel are what was last asked; total and flat the last
 * answer, which stays on screen while a newer one is pending, and shown_*
 * what that answer was asked with (restored when the newer one is
 * cancelled or fails, so that the query on screen matches the numbers). */
struct side {
    char query[256];
    struct selector sel;
    int64_t *total;             /* per trie node: the data set's answer, taken */
    size_t ntotal;
    struct flat flat;
    struct flame_pane flame;
    int ready;                  /* it has values (an answer came) */
    uint32_t lo, hi;            /* the time range on the timeline, in buckets */
    char shown_query[256];
    int64_t shown_from, shown_until;
    uint32_t shown_type;
    int truncated;              /* the answer holds a server's `other` node */
    uint32_t answer;            /* a server's: the source of its samples (ds_result) */
    int64_t whole;              /* the total before the filters (ds_result) */
};

/* What the explorer asks the data set, one request at a time per slot: a
 * newer request in a slot supersedes the older (its answer never shows). */
enum app_slot { SLOT_SIDE_A, SLOT_SIDE_B, SLOT_SERIES_A, SLOT_SERIES_B, SLOT_TAG_NAMES,
                SLOT_TAG_ROWS, SLOT_TYPES, SLOT_COMPLETE, SLOT_PICKER, SLOT_COUNT };

/* Hears how a slot's request ended: res is the answer (the callee owns it
 * and frees or recycles it), or NULL when it failed (a.message holds
 * ds_error) or was cancelled (Esc). */
typedef void (*app_answer_fn)(struct app *a, int slot, struct ds_result *res);

struct app {
    struct profile *p;
    struct dataset *ds;         /* where every number comes from (owned) */
    struct ds_req *req[SLOT_COUNT];     /* pending, or NULL */
    app_answer_fn answer[SLOT_COUNT];
    char awaited[SLOT_COUNT][160];      /* what the loading line names */
    int64_t pending_drawn;      /* when the loading line was last drawn */
    int settling;
    const char *title;          /* what was loaded, for the header */
    uint32_t type;
    struct side side[2];
    /* pprof's filters (f x X u F, --focus ...): every merge and series
     * counts under them (ds_set_filters) */
    struct fset filters;
    int sides_same;             /* compare_sides_same + 1; 0: not known since a side changed */
    int mono;                   /* no colors: mark diffs with text too */

    /* Time: buckets for the timeline and the tag explorer's statistics. */
    struct timeline tl;
    uint32_t tl_type;           /* the sample type tl was made for */
    uint32_t tl_steps;          /* the steps asked of timeline_init (series ask the same) */
    int64_t *tl_series[2];      /* per side: its labels' total over time */
    int tl_valid[2];
    struct rect tl_area[2];     /* where each side's timeline was drawn (w 0: not) */
    int drag_side;
    int drag_x;                 /* column a drag on the timeline began at, or -1 */

    int view;                   /* an index of view_classes: an enum view_id, or a view without one */
    int two_up;                 /* the view shows sides A and B (its class's two_sides) */
    int open_view;              /* a view asked for another: its index + 1 (app_open_view) */
    /* The view before the current one and its focused side (app_back,
     * app_prev_side: the source view returns there, lists that side). */
    int prev_view, prev_side;
    /* The focus the view before had, and what app_back gives back (+1) to
     * it, so that q returns to side B when L left it. */
    int prev_focus, back_focus;
    int shows_prev_side;        /* the view's class's prev_side (view.h) */
    /* Set by the core: app_set_granularity (app.h), for the views. */
    int (*set_granularity)(struct app *a, enum granularity g);
    void *view_state[VIEW_MAX]; /* each view's private state, made by its init */
    void *overlay_state[OV_COUNT];
    /* Set by the core: side s's values changed (s = -1: the sample type),
     * every view drops what it built from them. */
    void (*requery)(struct app *a, int s);      /* s: 0, 1 or a CHANGED_* */
    /* Set by the core: every key table, in the order ? lists them (NULL
     * past the last): keymap_nth, so the help needs no view's table. */
    const struct keymap *(*keymaps)(size_t i);
    int focus;                  /* both: 0 table, 1 flame; sandwich: 0 callers, 1 callees */
    uint32_t sel_frame;         /* the selected function, shared by every view */

    /* Side A's function table (table_pane.h; only widget_table.c reads
     * it): shared state like sel_frame, since the table (2) and both (3)
     * views show the same table, its cursor and sort. */
    struct table_pane *table;

    /* Search: a POSIX extended regex over function names. */
    char search[256];
    regex_t re;
    int searching;              /* a valid regex is active */
    uint8_t *match;             /* per frame */
    /* Per frame: its bars' hue (theme_hue of its name), HUE_UNKNOWN till
     * first drawn. A redraw hashed every box's name, reading it from the
     * string table first: most of a keystroke on a wide screen. */
    uint8_t *hue;
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
    uint32_t occ_frames;        /* the frames the index was made for */
    int occ_phase;              /* 0 counting, 1 filling, 2 ready */
    int warming;                /* the data set prepares a spare (ds_warm) */
    uint32_t *name_rank;        /* app_name_rank's; NULL until made */

    enum overlay overlay;
    int64_t *type_totals;       /* per sample type: app_type_totals */
    int type_totals_ready;      /* the data set answered them */
    char message[256];          /* one-line feedback: errors, hints */
    /* Live data (a live data set): ds_generation when the arrays above
     * were last sized for the model; the live status line last drawn. */
    uint64_t data_gen;
    char live_drawn[256];       /* a server's: its types' error last drawn */
    /* Set by the core: the data changed; sizes every array for the model
     * and asks every slot again. Called by the data set's steps (settle in
     * shared.c) before any answer is handed over. */
    void (*data_changed)(struct app *a);
    /* Set by the core: the model grew (a server's answer loaded into it):
     * sizes what is per node, frame or type, asks nothing. Called by
     * settle before an answer is handed over. The sizes it made them for: */
    void (*model_grew)(struct app *a);
    uint32_t sized_nodes, sized_frames, sized_types;
    /* A server (app_remote): its first screen once its types came (the
     * picker when remote_pick, no query given). */
    void (*remote_start)(struct app *a);
    int remote_pick;

    /* Sharing (src/ui/share.c): y and Y leave the text for the terminal's
     * clipboard here (malloc'd; the loop takes it) and what names it; M
     * sets mouse_off. */
    char *clip;
    size_t clip_len;
    char clip_what[128];
    int mouse_off;

    int utf8;
    int w, h;
};

/* Sides (src/ui/sides.c). */
void side_init(struct app *a, int s, const struct side_spec *spec);
/* Gives side s its values when it has none yet (side B waits until a view
 * shows it); the views hear of it through a.requery. */
void side_ready(struct app *a, int s);
/* Returns -1 (a.message says why), 0, or 1 when the query's sample type
 * changed a.type (every side must be recomputed). */
int side_set_query(struct app *a, int s, const char *query);
/* Asks side s's values for the current type, query and range; when they
 * come, the side takes them and a.requery tells the views (with the local
 * data set: before this returns). */
void side_values(struct app *a, int s);
void side_free(struct app *a, int s);
/* The model grew: side s's values cover the new trie nodes (zero) until
 * its new answer comes. */
void side_grow(struct app *a, int s);
/* Whether the two sides select the same samples (their values agree); 0
 * while either side's values are not known yet. */
int compare_sides_same(struct app *a);

/* The data set (src/ui/shared.c). Asks q into slot (superseding what it
 * held); `what` names it on the loading line; fn hears how it ended. What
 * is due at once (the local data set) is answered before this returns. */
void app_ask(struct app *a, int slot, const struct ds_query *q, const char *what,
             app_answer_fn fn);
/* Steps the data set while something is due and hands every finished
 * answer to its slot's fn; returns 1 when one ended. */
int app_settle(struct app *a);
/* How many slots wait for an answer. */
int app_pending(const struct app *a);
/* The loading line: `loading WHAT ... 1.2s`; returns 0 when nothing waits. */
int app_pending_text(struct app *a, char *buf, size_t n);
/* Cancels every pending request (Esc): the previous results stay. */
void app_cancel(struct app *a);
/* Wraps the data set in a test source (ds_test_new): slow, failing. */
void app_test_source(struct app *a, int64_t delay_ns, unsigned fail_every, const char *msg);

/* Sets side s's query; returns -1 with a.message pointing at the column
 * when it is malformed or names a sample type the data lacks (the previous
 * query stays). A sample type in the query (`alloc_space{...}`) becomes the
 * type of the whole explorer, both sides. */
int app_set_query(struct app *a, int s, const char *query);
/* A new query run over a server: its relative range resolved again (1:
 * it moved, every slot is asked again through data_changed). */
int app_new_run(struct app *a);
/* Recomputes side s (-1: every side that has values) and tells the views. */
void app_requery(struct app *a, int s);
/* Whether two sides are on screen: every number then says whose it is. */
int app_two_sides(const struct app *a);
/* Asks the core to open view v once the current event is handled. */
void app_open_view(struct app *a, int v);
/* The side the timeline and the query prompt act on. */
int app_focused_side(const struct app *a);
/* Asks the core to open the view shown before the current one; the side
 * that view had focused. */
void app_back(struct app *a);
int app_prev_side(const struct app *a);

/* Background work: whether some remains; one slice of at most budget_ms
 * (returns R_REDRAW when something visible finished); all of it. */
int app_busy(const struct app *a);
int app_idle(struct app *a, double budget_ms);
void app_finish_work(struct app *a);
void jobs_share_start(struct app *a);
/* The data set's spare is prepared next (ds_warm), after the rest. */
void jobs_warm_start(struct app *a);
void jobs_free(struct app *a);
/* Drops what the background work built and starts it again (new data). */
void jobs_restart(struct app *a);
/* The outermost occurrences of frame (finishing the index first). */
const uint32_t *jobs_occurrences(struct app *a, uint32_t frame, uint32_t *n);

/* Sets the search to pattern ("" clears); returns -1 with a.message set
 * when the regex is invalid (the previous search stays). */
int app_set_search(struct app *a, const char *pattern);
/* Recounts the search's matches on each side after a side's values changed. */
void app_search_stats(struct app *a);
int app_frame_matches(const struct app *a, uint32_t frame);
/* frame -> the rank of its name (query_rank_names), for sorts by name:
 * made on first use (or between keys, jobs.c), again after the model grew. */
const uint32_t *app_name_rank(struct app *a);
/* Every sample's value per sample type (DS_TYPES), asked once: the t
 * picker's totals and the note that the default type is empty. Zeros until
 * the answer came (a.type_totals_ready). */
const int64_t *app_type_totals(struct app *a);
/* Formats a value in the current sample type's unit. */
void app_format(const struct app *a, int64_t v, char *buf, size_t n);
const char *app_frame_name(const struct app *a, uint32_t frame, size_t *len);
/* theme_hue of the frame's name, hashed once a frame (a->hue). */
uint8_t app_frame_hue(struct app *a, uint32_t frame);
/* a->hue sized for the model's frames, every entry unknown. */
void app_hues_fit(struct app *a);
/* The status bar: frame's name and, where there is room for it and for
 * the `room` columns of numbers after it, its file and line, from column
 * x of row y. Returns the column after it. */
int app_status_name(struct app *a, struct canvas *c, int x, int y, uint32_t frame, int room);
/* Where frame fr is, as the status bar says it: " main.go:42" at lines and
 * addresses; at functions " main.go:42 (start)" (the function's start
 * line), else " main.go:57 (a sampled line)" (Go writes no start line:
 * the line of the first location seen), else " main.go"; "" at files (the
 * frame is the file) or with no file. */
void frame_where(const struct profile *p, const struct frame *fr, char *buf, size_t n);
/* A change from A's value va to B's vb, each a share of its own side's
 * total: in points ("+1.82") and relative to A's share ("+48%", "new",
 * "gone", "x12" beyond +999%). */
void diff_change_text(const struct app *a, int64_t va, int64_t vb, char *pp, size_t npp,
                      char *rel, size_t nrel);

#endif
