/* The two sides of a comparison: each a query over the same data set,
 * with its own values, table and flamegraph. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "text.h"
#include "xalloc.h"

#define PATH_MAX_DEPTH 256

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

/* Gives a side its arrays and values (side 1 waits until it is needed). */
void side_ready(struct app *a, int s)
{
    struct side *sd = &a->side[s];

    if (sd->ready)
        return;
    sd->total = xbig_realloc(NULL, 0, (size_t)a->p->trie.count * sizeof *sd->total);
    sd->ready = 1;
    side_requery(a, s);
}

int side_set_query(struct app *a, int s, const char *text)
{
    uint32_t type;
    struct side *sd = &a->side[s];
    struct selector sel;
    char err[SELECTOR_ERR_MAX], query[sizeof sd->query];

    /* text may be sd->query itself (a new time range, same query) */
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
    selector_unknown_label(&sel, a->p, a->message, sizeof a->message);   /* a typo? */
    selector_free(&sd->sel);
    sd->sel = sel;
    snprintf(sd->query, sizeof sd->query, "%s", *query ? query_labels(query, &sel) : "{}");
    if (type == a->type)
        return 0;
    a->type = type;             /* one type for both sides: shares of one kind */
    return 1;
}

/* Recomputes the side's values for the current type, query and range,
 * keeping its flamegraph's zoom and selection where their paths exist. */
void side_requery(struct app *a, int s)
{
    struct side *sd = &a->side[s];
    struct flame_pane *f = &sd->flame;
    uint32_t zpath[PATH_MAX_DEPTH], spath[PATH_MAX_DEPTH], zn = 0, sn = 0;

    if (f->built) {
        zn = flame_pane_path(f, f->zoom, zpath, PATH_MAX_DEPTH);
        sn = flame_pane_path(f, f->sel, spath, PATH_MAX_DEPTH);
    }
    filter_free(&sd->filter);
    sd->filter_p = NULL;
    if (sd->sel.n || sd->sel.from != INT64_MIN || sd->sel.until != INT64_MAX) {
        filter_build(&sd->filter, &sd->sel, a->p);
        sd->filter_p = &sd->filter;
    }
    flat_free(&sd->flat);
    query_totals_flat(a->p, a->type, sd->filter_p, sd->total, &sd->flat);
    a->tl_valid[s] = 0;         /* the timeline's series is stale */
    a->sides_same = 0;          /* whether the sides agree: to be compared again */
    flame_pane_build_root(a, f, sd->total);
    flame_pane_set_view(f, flame_pane_find(f, zpath, zn), flame_pane_find(f, spath, sn));
    app_search_stats(a);        /* the search counts on every side */
}

void side_free(struct app *a, int s)
{
    struct side *sd = &a->side[s];

    flame_pane_reset(&sd->flame);
    flat_free(&sd->flat);
    filter_free(&sd->filter);
    selector_free(&sd->sel);
    if (sd->total)
        xbig_free(sd->total, (size_t)a->p->trie.count * sizeof *sd->total);
    memset(sd, 0, sizeof *sd);
}
