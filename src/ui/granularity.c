/* Switching the model's granularity in the explorer (issue 13): every
 * source is read again at the new granularity into the same model, then
 * the old sources are dropped (profile_drop_sources: trie nodes, frames and
 * strings stay valid, so every view's ids keep their meaning), and every
 * slot is asked again. The selection follows by function name. */
#include <stdio.h>
#include <stdlib.h>

#include "granularity.h"
#include "app.h"
#include "snapshot.h"
#include "source.h"
#include "xalloc.h"

static app_reload_fn reload_fn;
static void *reload_ctx;
static int pending = -1;        /* the key's switch, done on the next tick */
static int failed = -1;         /* the switch that failed last: r steps on from it */
/* The function selected last: at files a frame is a file, and the way on
 * to lines must find the function again. */
static uint32_t last_func, last_file;

void app_set_reload(app_reload_fn fn, void *ctx)
{
    reload_fn = fn;
    reload_ctx = ctx;
    failed = -1;
    last_func = last_file = 0;  /* string ids of another model */
}

/* The function the selection stands for (a string id), 0: none. A file's
 * frame (files) stands for the function selected before it when that is
 * in the file, else for none (its file then leads the way). */
static uint32_t sel_func(const struct profile *p, uint32_t sel)
{
    if (sel >= p->nframes)
        return 0;
    if (p->frames[sel].func)
        return p->frames[sel].func;
    return last_func && last_file == p->frames[sel].file ? last_func : 0;
}

uint32_t gran_frame_for(const struct profile *p, enum granularity g, uint32_t fn,
                        uint32_t file)
{
    for (uint32_t f = 0; f < p->nframes; f++) {
        const struct frame *fr = &p->frames[f];

        if (!(fr->grans >> g & 1))
            continue;
        if (g == GRAN_FILES || !fn ? file && fr->file == file : fr->func == fn)
            return f;
    }
    return UINT32_MAX;
}

/* Drops the sources from first on, or (before) the ones before it. */
static void drop_from(struct profile *p, uint32_t first, int before)
{
    uint8_t *drop = xcalloc(p->nsources + 1, 1);

    for (uint32_t s = 0; s < p->nsources; s++)
        drop[s] = before ? s < first : s >= first;
    profile_drop_sources(p, drop);
    free(drop);
}

/* Whether a source from first on has sample type t. */
static int read_has_type(const struct profile *p, uint32_t first, uint32_t t)
{
    for (uint32_t s = first; s < p->nsources; s++)
        if (source_has_type(&p->sources[s], t))
            return 1;
    return 0;
}

/* Reads every source again at g after the ones there; on failure (or when
 * the files no longer have the shown type t: changed since they were read)
 * the new ones go and the model is as it was. */
static int read_again(struct profile *p, enum granularity g, uint32_t t, char *err)
{
    enum granularity was = p->granularity;
    uint32_t first = p->nsources;
    struct snapshot_memo *memo = p->snapshots;  /* the old series' deltas */
    struct snapshot_memo *fresh;

    p->snapshots = NULL;        /* the new series settle on their own */
    p->granularity = g;
    uint64_t budget = p->budget;

    p->budget_old = profile_cost(p);
    int r = reload_fn(p, g, reload_ctx, err);

    p->budget_old = 0;
    p->budget = budget;
    if (!r && p->nsources > first && t < p->ntypes && !read_has_type(p, first, t)) {
        snprintf(err, SOURCE_ERR_MAX, "the files have no %.100s now (changed since they were "
                 "read?): kept as it was", profile_str(p, p->types[t].type));
        r = -1;
    }
    if (r || p->nsources == first) {
        if (p->nsources == first && !*err)
            snprintf(err, SOURCE_ERR_MAX, "no source read again");
        drop_from(p, first, 0);
        snapshot_free(p);
        p->snapshots = memo;
        p->granularity = was;
        return -1;
    }
    fresh = p->snapshots;
    p->snapshots = memo;
    snapshot_free(p);
    p->snapshots = fresh;
    drop_from(p, first, 1);
    profile_finish(p);
    return 0;
}

int app_set_granularity(struct app *a, enum granularity g)
{
    struct profile *p = a->p;
    uint32_t fn = sel_func(p, a->sel_frame);
    uint32_t file = a->sel_frame < p->nframes ? p->frames[a->sel_frame].file : 0;
    char err[SOURCE_ERR_MAX] = "";

    pending = -1;
    if ((unsigned)g >= GRAN_COUNT || g == p->granularity)
        return 0;
    if (ds_live_of(a->ds)) {
        snprintf(a->message, sizeof a->message, "granularity: a live data set keeps the one it "
                 "started with (--granularity)");
        return -1;
    }
    if (ds_remote_of(a->ds)) {  /* its answers load at the model's granularity: ask again */
        p->granularity = g;
    } else if (!reload_fn) {
        snprintf(a->message, sizeof a->message, "granularity: the sources cannot be read again");
        return -1;
    } else if (read_again(p, g, a->type, err)) {
        snprintf(a->message, sizeof a->message, "granularity %s: %.200s", granularity_name(g),
                 err);
        failed = (int)g;
        return -1;
    }
    failed = -1;
    a->message[0] = '\0';
    last_func = fn;
    last_file = file;
    if (fn || file)
        a->sel_frame = gran_frame_for(p, g, fn, file);
    ds_changed(a->ds);
    a->data_changed(a);
    app_settle(a);
    return 0;
}

int gran_cycle(struct app *a, void *pane)
{
    /* r pressed again before the switch: the one after the pending one;
     * after a failed one, the one after it (not the same again) */
    int from = pending >= 0 ? pending : failed >= 0 ? failed : (int)a->p->granularity;
    enum granularity g = (enum granularity)((from + 1) % GRAN_COUNT);

    (void)pane;
    pending = (int)g;
    /* the screen says it before the files are read (which may take seconds) */
    snprintf(a->message, sizeof a->message, "reading at %s granularity ...",
             granularity_name(g));
    return R_REDRAW;
}

int gran_pending(void)
{
    return pending >= 0;
}

int gran_step(struct app *a)
{
    if (pending < 0)
        return R_NONE;
    app_set_granularity(a, (enum granularity)pending);
    return R_REDRAW;
}

static const struct binding granularity_bindings[] = {
    { 'r', 0, "r", "resolution: the next granularity (functions, filefunctions, files, lines, "
      "addresses: go tool pprof's -functions ... -addresses); every source is read again",
      NULL, gran_cycle },
};

const struct keymap keymap_granularity = { "Granularity (every view)", granularity_bindings,
                                           sizeof granularity_bindings /
                                           sizeof *granularity_bindings };
