/* The local data set: files, folders, stdin, loaded into one struct
 * profile. It has every answer at once: a request waits in a queue until
 * the next step, which computes it with the query functions. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "chains.h"
#include "dataset.h"
#include "fset.h"
#include "xalloc.h"

#define SPARES 2                /* a side each */

struct local {
    struct profile *p;
    struct dataset *d;
    struct ds_req **queue;
    size_t n, cap;
    int64_t *spare[SPARES];     /* merges' per-node arrays given back */
    size_t nspare[SPARES];
    /* The names' ranks for the merges' tables, made once for the frames
     * there are (frames are only added: a new one means new ranks). */
    uint32_t *rank, ranked;
    pthread_t ranker;           /* ds_local_rank_ahead's, while ranking */
    int ranking;
    struct chains chains;       /* the folded trie the merges sum over */
    /* ds_warm: the spare being mapped, how far, and for which trie size */
    int64_t *warm;
    size_t warm_done, warmed_for;
};

static void *rank_main(void *arg)
{
    struct local *l = arg;

    query_rank_names(l->p, l->rank);
    return NULL;
}

void ds_local_rank_ahead(struct dataset *d)
{
    struct local *l = ds_impl(d);

    if (l->ranking || (l->rank && l->ranked == l->p->nframes))
        return;
    free(l->rank);
    l->rank = xmalloc(((size_t)l->p->nframes + 1) * sizeof *l->rank);
    l->ranked = l->p->nframes;
    l->ranking = !pthread_create(&l->ranker, NULL, rank_main, l);
    if (!l->ranking)
        query_rank_names(l->p, l->rank);
}

/* The ranks made ahead are waited for here, before the merge reads them
 * (and before anything may change the frames). */
static void rank_wait(struct local *l)
{
    if (l->ranking)
        pthread_join(l->ranker, NULL);
    l->ranking = 0;
}

static const uint32_t *ranks(struct local *l)
{
    rank_wait(l);
    if (!l->rank || l->ranked != l->p->nframes) {
        free(l->rank);
        l->rank = xmalloc(((size_t)l->p->nframes + 1) * sizeof *l->rank);
        query_rank_names(l->p, l->rank);
        l->ranked = l->p->nframes;
    }
    return l->rank;
}

static void local_start(struct dataset *d, struct ds_req *r)
{
    struct local *l = ds_impl(d);

    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->queue = xreallocarray(l->queue, l->cap, sizeof *l->queue);
    }
    l->queue[l->n++] = r;
}

static void local_cancel(struct dataset *d, struct ds_req *r)
{
    struct local *l = ds_impl(d);

    for (size_t i = 0; i < l->n; i++) {
        if (l->queue[i] == r) {
            memmove(l->queue + i, l->queue + i + 1, (l->n - i - 1) * sizeof *l->queue);
            l->n--;
            return;
        }
    }
}

static int64_t local_deadline(struct dataset *d)
{
    struct local *l = ds_impl(d);

    return l->n ? ds_now(d) : DS_NEVER;
}

static struct profile *local_profile(struct dataset *d)
{
    return ((struct local *)ds_impl(d))->p;
}

/* The request's selector with its range, and its sample type. Returns 0, or
 * -1 with the request failed. */
static int parse(struct ds_req *r, const struct profile *p, struct selector *sel, uint32_t *type)
{
    const struct ds_query *q = ds_req_query(r);
    char err[SELECTOR_ERR_MAX];

    if (selector_parse(q->query, sel, err)) {
        ds_req_fail(r, "query: %s", err);
        return -1;
    }
    sel->from = q->from;
    sel->until = q->until;
    *type = q->type;
    if (sel->type && (*type = profile_find_type(p, sel->type)) == UINT32_MAX) {
        ds_req_fail(r, "query: no sample type '%.40s'", sel->type);
        selector_free(sel);
        return -1;
    }
    if (*type >= p->ntypes) {
        ds_req_fail(r, "no sample type %u in a data set of %u", *type, p->ntypes);
        selector_free(sel);
        return -1;
    }
    return 0;
}

/* A filter only where the selector or the filter set selects: none keeps
 * every sample, as the explorer's sides do. */
static const struct filter *filter_of(struct filter *f, const struct selector *sel,
                                      const struct profile *p, const struct fset *fs)
{
    if (!sel->n && sel->from == INT64_MIN && sel->until == INT64_MAX && (!fs || !fs->n))
        return NULL;
    filter_build(f, sel, p);
    fset_apply(fs, f);
    return f;
}

/* The filter set brought up to the model (it may add reshaped paths to
 * the trie: before any per-node array is sized); NULL when there is none.
 * Fails r when the trie would pass the budget. */
static int filters_ready(struct ds_req *r, struct local *l, struct fset **out)
{
    struct fset *fs = ds_filters(l->d);
    char err[DS_ERR_MAX];

    *out = fs && fs->n ? fs : NULL;
    if (*out && fset_update(fs, l->p, err, sizeof err)) {
        ds_req_fail(r, "%s", err);
        return -1;
    }
    return 0;
}

static void answer_types(struct ds_req *r, const struct profile *p)
{
    struct ds_result res = { .kind = DS_TYPES, .ntypes = p->ntypes };

    res.types = xreallocarray(NULL, p->ntypes + 1, sizeof *res.types);
    memcpy(res.types, p->types, p->ntypes * sizeof *res.types);
    res.type_totals = xcalloc(p->ntypes + 1, sizeof *res.type_totals);
    query_type_totals(p, res.type_totals);
    ds_req_done(r, &res);
}

static void answer_names(struct ds_req *r, struct profile *p)
{
    const struct ds_query *q = ds_req_query(r);
    struct ds_result res = { .kind = DS_LABEL_NAMES };
    struct timeline t;

    if (q->type == DS_ANY_TYPE) {
        res.ids = tags_names(p, &res.nids);
    } else {
        timeline_init(&t, p, q->type, 0);
        res.ids = tags_names_on(p, &t, &res.nids);
        timeline_free(&t);
    }
    ds_req_done(r, &res);
}

static void answer_values(struct ds_req *r, struct profile *p)
{
    const char *name = ds_req_query(r)->label;
    struct ds_result res = { .kind = DS_LABEL_VALUES };
    uint32_t key = name ? strtab_find(&p->strings, name, strlen(name)) : UINT32_MAX;

    if (key != UINT32_MAX)
        res.ids = tags_values(p, key, &res.nids);
    ds_req_done(r, &res);
}

/* A per-node array for the trie as it is: one given back, or a new one. */
static int64_t *node_array(struct local *l, size_t n)
{
    for (int i = 0; i < SPARES; i++) {
        int64_t *a = l->spare[i];

        if (a && l->nspare[i] == n) {
            l->spare[i] = NULL;
            return a;
        }
    }
    return xbig_realloc(NULL, 0, n * sizeof(int64_t));
}

/* A spare for n nodes to map: a free place gets a new array (none when
 * one of that size is already there). Returns its index, or -1. */
static int warm_slot(struct local *l, size_t n)
{
    int at = -1;

    for (int i = 0; i < SPARES; i++) {
        if (l->spare[i] && l->nspare[i] == n)
            return -1;
        if (at < 0 && (!l->spare[i] || l->nspare[i] != n))
            at = i;
    }
    if (at >= 0 && l->spare[at])
        xbig_free(l->spare[at], l->nspare[at] * sizeof(int64_t));
    return at;
}

/* Writing the pages maps them (what the merge's memset would wait for);
 * a merge may take the spare half-mapped: it overwrites it anyway. */
static int local_warm(struct dataset *d, size_t slice, size_t room)
{
    struct local *l = ds_impl(d);
    size_t n = l->p->trie.count, bytes = n * sizeof(int64_t), step;
    int at = -1;

    if (!chains_fit(&l->chains, l->p) && chains_build_step(&l->chains, l->p) > 0)
        return 1;

    if (l->warmed_for != n) {
        if (bytes > room || (at = warm_slot(l, n)) < 0)
            return 0;
        l->spare[at] = l->warm = xbig_realloc(NULL, 0, bytes);
        l->nspare[at] = n;
        l->warm_done = 0;
        l->warmed_for = n;
    }
    for (int i = 0; i < SPARES && at < 0; i++)
        if (l->warm && l->spare[i] == l->warm)
            at = i;
    if (at < 0 || l->warm_done >= bytes) {     /* a merge took it, or done */
        l->warm = NULL;
        return 0;
    }
    step = bytes - l->warm_done < slice ? bytes - l->warm_done : slice;
    memset((char *)l->warm + l->warm_done, 0, step);
    l->warm_done += step;
    return l->warm_done < bytes;
}

static void answer_merge(struct ds_req *r, struct local *l)
{
    const struct profile *p = l->p;
    struct ds_result res = { .kind = DS_MERGE };
    struct selector sel;
    struct filter f = { 0 };
    struct fset *fs;
    const struct filter *fp;

    if (parse(r, p, &sel, &res.type))
        return;
    if (filters_ready(r, l, &fs)) {
        selector_free(&sel);
        return;
    }
    res.ntotal = p->trie.count;
    res.total = node_array(l, res.ntotal);     /* query_totals_flat overwrites it */
    fp = filter_of(&f, &sel, p, fs);
    query_totals_flat_folded(p, res.type, fp, res.total, ranks(l), &l->chains, &res.flat);
    res.whole = res.flat.grand_total;
    if (fs) {
        struct filter bare = *fp;

        bare.node_map = NULL;
        res.whole = flat_whole(p, res.type, &bare);
    }
    filter_free(&f);
    selector_free(&sel);
    ds_req_done(r, &res);
}

/* DS_SERIES and DS_GROUP: over the timeline of the type's profiles. */
static void answer_time(struct ds_req *r, struct local *l)
{
    struct profile *p = l->p;
    struct fset *fs;
    const struct ds_query *q = ds_req_query(r);
    struct ds_result res = { .kind = q->kind };
    struct selector sel;
    struct filter f = { 0 };
    const struct filter *fp;
    struct timeline t;
    uint32_t key;

    if (parse(r, p, &sel, &res.type))
        return;
    if (filters_ready(r, l, &fs)) {
        selector_free(&sel);
        return;
    }
    fp = filter_of(&f, &sel, p, fs);
    timeline_init(&t, p, res.type, q->buckets);
    res.nseries = t.buckets ? t.buckets : 1;
    if (q->kind == DS_SERIES) {
        res.series = xcalloc(res.nseries, sizeof *res.series);
        timeline_series(&t, p, res.type, fp, res.series);
    } else if (q->label && (key = strtab_find(&p->strings, q->label, strlen(q->label))) !=
               UINT32_MAX) {
        res.rows = tags_group(p, res.type, fp, key, &t, &res.nrows);
    }
    timeline_free(&t);
    filter_free(&f);
    selector_free(&sel);
    ds_req_done(r, &res);
}

static void answer(struct ds_req *r, struct local *l)
{
    struct profile *p = l->p;

    switch (ds_req_query(r)->kind) {
    case DS_TYPES: answer_types(r, p); break;
    case DS_LABEL_NAMES: answer_names(r, p); break;
    case DS_LABEL_VALUES: answer_values(r, p); break;
    case DS_MERGE: answer_merge(r, l); break;
    case DS_SERIES:
    case DS_GROUP: answer_time(r, l); break;
    default: ds_req_fail(r, "unknown request %d", (int)ds_req_query(r)->kind); break;
    }
}

/* Answers every request queued before this step. */
static void local_step(struct dataset *d, int64_t now)
{
    struct local *l = ds_impl(d);

    (void)now;
    while (l->n) {
        struct ds_req *r = l->queue[0];

        memmove(l->queue, l->queue + 1, --l->n * sizeof *l->queue);
        answer(r, l);
    }
}

/* Keeps a merge's per-node array in a free spare place (replacing one of
 * another size: the trie grew); frees the rest. */
static void local_recycle(struct dataset *d, struct ds_result *old)
{
    struct local *l = ds_impl(d);
    size_t n = l->p->trie.count;

    for (int i = 0; old->total && old->ntotal == n && i < SPARES; i++) {
        if (!l->spare[i] || l->nspare[i] != n) {
            if (l->spare[i])
                xbig_free(l->spare[i], l->nspare[i] * sizeof(int64_t));
            l->spare[i] = old->total;
            l->nspare[i] = old->ntotal;
            old->total = NULL;
        }
    }
    ds_result_free(old);
}

static void local_free(struct dataset *d)
{
    struct local *l = ds_impl(d);

    for (int i = 0; i < SPARES; i++)
        if (l->spare[i])
            xbig_free(l->spare[i], l->nspare[i] * sizeof(int64_t));
    free(l->queue);
    rank_wait(l);
    free(l->rank);
    chains_free(&l->chains);
    free(l);
}

static int local_at_once(struct dataset *d)
{
    (void)d;
    return 1;
}

static const struct dataset_class local_class = {
    .name = "local",
    .start = local_start,
    .cancel = local_cancel,
    .step = local_step,
    .next_deadline = local_deadline,
    .profile = local_profile,
    .recycle = local_recycle,
    .free = local_free,
    .at_once = local_at_once,
    .warm = local_warm,
};

struct dataset *ds_local_new(struct profile *p)
{
    struct local *l = xcalloc(1, sizeof *l);

    l->p = p;
    return l->d = ds_new(&local_class, l);
}
