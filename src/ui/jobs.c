/* Work too long for one keystroke on a huge profile, done in slices while
 * the user is idle: the search's share of the total (a pass over every trie
 * node), the index of each function's outermost occurrences (what a
 * sandwich starts from), the names' ranks (what the tables' sorts by
 * name and by total use) and the data set's spare per-node array
 * (ds_warm: the folded trie every merge sums over, and what side B's
 * first merge takes, the diff's and the comparison's). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui_shared.h"
#include "xalloc.h"

#define SLICE 262144u           /* nodes between two looks at the clock */

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

void jobs_share_start(struct app *a)
{
    free(a->share_covered);
    a->share_covered = NULL;
    a->match_total = a->match_total_b = 0;
    a->share_ready = !a->searching;
    a->share_next = 1;
    if (a->searching)
        a->share_covered = xcalloc(a->p->trie.count / 64 + 1, sizeof *a->share_covered);
}

/* Samples whose stack holds a match count once: a matching node adds its
 * total unless a node above it matched; on side 1 too once it has values.
 * Returns 1 when the pass is done. */
static int share_step(struct app *a, uint32_t budget)
{
    const struct trie *t = &a->p->trie;
    uint64_t *cov = a->share_covered;
    uint32_t end = t->count - a->share_next <= budget ? t->count : a->share_next + budget;
    const int64_t *b = a->side[1].ready ? a->side[1].total : NULL;

    for (uint32_t n = a->share_next; n < end; n++) {
        uint32_t par = t->node[n].parent;
        int above = (int)(cov[par >> 6] >> (par & 63) & 1), m = a->match[t->node[n].frame];

        if (m && !above) {
            a->match_total += a->side[0].total[n];
            if (b)
                a->match_total_b += b[n];
        }
        if (above || m)
            cov[n >> 6] |= 1ULL << (n & 63);
    }
    a->share_next = end;
    if (end < t->count)
        return 0;
    free(a->share_covered);
    a->share_covered = NULL;
    a->share_ready = 1;
    return 1;
}

/* Counting sort of the non-nested nodes by frame, in two passes. */
static int index_step(struct app *a, uint32_t budget)
{
    const struct trie *t = &a->p->trie;
    uint32_t nf = a->occ_start ? a->occ_frames : a->p->nframes, end;

    if (!a->occ_start) {
        a->occ_start = xcalloc((size_t)nf + 2, sizeof *a->occ_start);
        a->occ_frames = nf;     /* frames may be added later (a live fetch) */
        a->occ_next = 1;
    }
    end = t->count - a->occ_next <= budget ? t->count : a->occ_next + budget;
    for (uint32_t n = a->occ_next; n < end; n++) {
        if (trie_nested(t, n))
            continue;
        if (a->occ_phase == 0)
            a->occ_start[t->node[n].frame + 1]++;
        else
            a->occ[a->occ_fill[t->node[n].frame]++] = n;
    }
    a->occ_next = end;
    if (end < t->count)
        return 0;
    if (a->occ_phase == 0) {
        for (uint32_t f = 0; f < nf; f++)
            a->occ_start[f + 1] += a->occ_start[f];
        a->occ = xbig_realloc(NULL, 0, ((size_t)a->occ_start[nf] + 1) * sizeof *a->occ);
        a->occ_fill = xmalloc(((size_t)nf + 1) * sizeof *a->occ_fill);
        memcpy(a->occ_fill, a->occ_start, ((size_t)nf + 1) * sizeof *a->occ_fill);
        a->occ_phase = 1;
        a->occ_next = 1;
        return 0;
    }
    free(a->occ_fill);
    a->occ_fill = NULL;
    a->occ_phase = 2;
    return 1;
}

/* Bytes of the spare mapped a slice: 4 MB take 1 ms, or up to 16 ms when
 * the kernel must first get the pages from the host. */
#define WARM_SLICE ((size_t)4 << 20)

/* What the spare may take: a quarter of the memory the system has
 * available, so that it never pushes the machine towards swapping. */
static size_t memory_room(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[128];
    unsigned long long kb = 0;

    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return (size_t)(kb / 4 * 1024);
}

/* The spare only while side B has no values (with both sides' arrays it
 * would be a third): room 0 then still lets the data set build what
 * costs no per-node array. */
static void warm_step(struct app *a)
{
    int two = a->side[1].ready || a->req[SLOT_SIDE_B];

    a->warming = ds_warm(a->ds, WARM_SLICE, two ? 0 : memory_room());
}

void jobs_warm_start(struct app *a)
{
    a->warming = 1;
}

int app_busy(const struct app *a)
{
    return !a->share_ready || a->occ_phase != 2 || !a->name_rank || a->warming;
}

int app_idle(struct app *a, double budget_ms)
{
    double until = now_ms() + budget_ms;
    int r = R_NONE;

    while (app_busy(a) && now_ms() < until) {
        if (!a->share_ready) {
            if (share_step(a, SLICE))
                r = R_REDRAW;   /* the status bar shows the share */
        } else if (a->occ_phase != 2) {
            index_step(a, SLICE);
        } else if (!a->name_rank) {
            app_name_rank(a);   /* one slice: 50,000 names in 20-40 ms */
        } else {
            warm_step(a);
        }
    }
    return r;
}

void app_finish_work(struct app *a)
{
    while (app_busy(a))
        app_idle(a, 1e9);
}

const uint32_t *jobs_occurrences(struct app *a, uint32_t frame, uint32_t *n)
{
    while (a->occ_phase != 2)
        index_step(a, UINT32_MAX);
    *n = a->occ_start[frame + 1] - a->occ_start[frame];
    return a->occ + a->occ_start[frame];
}

void jobs_free(struct app *a)
{
    if (a->occ)
        xbig_free(a->occ, ((size_t)a->occ_start[a->occ_frames] + 1) * sizeof *a->occ);
    free(a->share_covered);
    free(a->occ_start);
    free(a->occ_fill);
}

void jobs_restart(struct app *a)
{
    jobs_free(a);
    a->occ = a->occ_start = a->occ_fill = NULL;
    a->share_covered = NULL;
    a->occ_phase = 0;
    a->occ_next = 0;
    jobs_share_start(a);
    jobs_warm_start(a);
}
