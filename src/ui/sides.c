/* The two sides of a comparison: each a query over the same data set,
 * with its own values, table and flamegraph. */
#include <stdio.h>
#include <string.h>

#include "ui_shared.h"
#include "keymap.h"
#include "text.h"
#include "xalloc.h"

/* The sample type a query names (its part before '{'): the explorer's
 * current one when it names none. Returns -1 with a message listing the
 * types when the data has no such type. */
static int query_type(struct app *a, const struct selector *sel, uint32_t *type)
{
    struct sbuf b = { 0 };

    *type = a->type;
    if (!sel->type || (*type = profile_find_type(a->p, sel->type)) != UINT32_MAX)
        return 0;
    profile_types_text(a->p, &b);
    snprintf(a->message, sizeof a->message, "query: no sample type '%.40s'; the data has:%s",
             sel->type, b.s ? b.s : "");
    sbuf_free(&b);
    return -1;
}

/* The query without its sample type: the type applies to the whole
 * explorer and the header shows it, so a side's query keeps the braces. */
static const char *query_labels(const char *query, const struct selector *sel)
{
    const char *brace = strchr(query, '{');

    return !sel->type ? query : brace ? brace : "{}";
}

void side_init(struct app *a, int s, const struct side_spec *spec)
{
    struct side *sd = &a->side[s];
    char err[SELECTOR_ERR_MAX];

    memset(sd, 0, sizeof *sd);
    snprintf(sd->query, sizeof sd->query, "%s", spec && spec->query ? spec->query : "{}");
    if (selector_parse(sd->query, &sd->sel, err))       /* main checked it: never */
        selector_parse("{}", &sd->sel, err);
    if (spec) {
        sd->sel.from = spec->from;
        sd->sel.until = spec->until;
    }
}

/* Asks a side's values once (side 1 waits until a view shows it). */
void side_ready(struct app *a, int s)
{
    if (!a->side[s].ready && !a->req[SLOT_SIDE_A + s])
        side_values(a, s);
}

int side_set_query(struct app *a, int s, const char *text)
{
    uint32_t type;
    struct side *sd = &a->side[s];
    struct selector sel;
    char err[SELECTOR_ERR_MAX], query[sizeof sd->query];

    /* text may be sd->query itself (a new time range, same query) */
    if (strlen(text) >= sizeof query) {         /* never cut: it would select another */
        snprintf(a->message, sizeof a->message, "query: longer than %zu bytes",
                 sizeof query - 1);
        return -1;
    }
    snprintf(query, sizeof query, "%s", text);
    if (selector_parse(query, &sel, err)) {
        snprintf(a->message, sizeof a->message, "query: %.200s", err);
        return -1;
    }
    if (query_type(a, &sel, &type)) {
        selector_free(&sel);
        return -1;
    }
    sel.from = sd->sel.from;
    sel.until = sd->sel.until;
    if (!ds_remote_of(a->ds))   /* a server's labels are not in the model */
        selector_unknown_label(&sel, a->p, a->message, sizeof a->message);   /* a typo? */
    selector_free(&sd->sel);
    sd->sel = sel;
    snprintf(sd->query, sizeof sd->query, "%s", *query ? query_labels(query, &sel) : "{}");
    if (type == a->type)
        return 0;
    a->type = type;             /* one type for both sides: shares of one kind */
    return 1;
}

/* Back to what the values on screen were asked with: the newer request
 * was cancelled or failed. */
static void side_restore(struct app *a, int s)
{
    struct side *sd = &a->side[s];
    struct selector sel;
    char err[SELECTOR_ERR_MAX];

    if (!sd->ready || selector_parse(sd->shown_query, &sel, err))
        return;                 /* nothing shown yet: the asked query stays */
    selector_free(&sd->sel);
    sd->sel = sel;
    sd->sel.from = sd->shown_from;
    sd->sel.until = sd->shown_until;
    memcpy(sd->query, sd->shown_query, sizeof sd->query);  /* the same size */
    timeline_range(&a->tl, a->p, sd->sel.from, sd->sel.until, &sd->lo, &sd->hi);
    a->type = sd->shown_type;
}

/* The merge came: the side takes its arrays (no copy) and gives the ones
 * it showed back to the data set, which reuses the per-node array for the
 * next merge; then the views hear of it. */
static void side_answer(struct app *a, int slot, struct ds_result *res)
{
    int s = slot - SLOT_SIDE_A;
    struct side *sd = &a->side[s];
    struct ds_result old = { .kind = DS_MERGE };

    if (!res) {
        side_restore(a, s);
        return;
    }
    old.total = sd->total;
    old.ntotal = sd->ntotal;
    old.flat = sd->flat;
    old.answer = sd->answer;
    sd->answer = res->answer;
    sd->total = res->total;
    sd->ntotal = res->ntotal;
    sd->flat = res->flat;
    res->total = NULL;
    memset(&res->flat, 0, sizeof res->flat);
    sd->truncated = res->truncated;
    sd->whole = res->whole;
    ds_result_free(res);
    ds_recycle(a->ds, &old);
    side_grow(a, s);            /* a later answer may have grown the trie since */
    sd->ready = 1;
    memcpy(sd->shown_query, sd->query, sizeof sd->shown_query);
    sd->shown_from = sd->sel.from;
    sd->shown_until = sd->sel.until;
    sd->shown_type = a->type;
    a->tl_valid[s] = 0;         /* the timeline's series is stale */
    a->sides_same = 0;          /* whether the sides agree: to be compared again */
    if (a->requery)
        a->requery(a, s);       /* its flamegraph, and what views built */
}

void side_values(struct app *a, int s)
{
    struct side *sd = &a->side[s];
    struct ds_query q = { .kind = DS_MERGE, .type = a->type, .query = sd->query,
                          .from = sd->sel.from, .until = sd->sel.until };
    char what[sizeof a->awaited[0]];
    int ranged = sd->sel.from != INT64_MIN || sd->sel.until != INT64_MAX, lent = 0;

    snprintf(what, sizeof what, "%s%.120s%s", s ? "B " : "", sd->query,
             ranged ? " (a time range)" : "");
    if (sd->total && ds_at_once(a->ds)) {
        /* answered before anything draws: the merge may reuse the array
         * (in place, no new pages), as the synchronous code did */
        struct ds_result old = { .kind = DS_MERGE, .total = sd->total, .ntotal = sd->ntotal };

        sd->total = NULL;
        ds_recycle(a->ds, &old);
        lent = 1;
    }
    app_ask(a, SLOT_SIDE_A + s, &q, what, side_answer);
    if (lent && !sd->total) {           /* not answered after all (never, locally): zeros, not NULL */
        sd->ntotal = a->p->trie.count;
        sd->total = xbig_realloc(NULL, 0, sd->ntotal * sizeof *sd->total);
    }
}

void side_grow(struct app *a, int s)
{
    struct side *sd = &a->side[s];
    size_t n = a->p->trie.count;

    if (!sd->total || sd->ntotal >= n)
        return;
    sd->total = xbig_realloc(sd->total, sd->ntotal * sizeof *sd->total, n * sizeof *sd->total);
    memset(sd->total + sd->ntotal, 0, (n - sd->ntotal) * sizeof *sd->total);
    sd->ntotal = n;
}

void side_free(struct app *a, int s)
{
    struct side *sd = &a->side[s];

    /* its flamegraph: the core resets it first (flame_pane_reset) */
    flat_free(&sd->flat);
    selector_free(&sd->sel);
    if (sd->total)
        xbig_free(sd->total, sd->ntotal * sizeof *sd->total);
    memset(sd, 0, sizeof *sd);
}

/* The diff's timeline asks on every redraw: the answer is kept until a
 * side is recomputed, not found again over the whole trie each time. */
int compare_sides_same(struct app *a)
{
    side_ready(a, 1);
    if (!a->side[0].ready || !a->side[1].ready || a->req[SLOT_SIDE_A] || a->req[SLOT_SIDE_B])
        return 0;               /* not known yet: asked again when they come */
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
    { 'w', 0, "w", "swap the sides: A (the baseline) becomes B (the new side) and back, "
      "queries and time ranges", "swap", swap_sides },
};

const struct keymap keymap_sides = { "Comparison and diff (6, 7)", sides_bindings,
                                     sizeof sides_bindings / sizeof *sides_bindings };

