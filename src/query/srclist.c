/* pprof's -list numbers over the call tree (see srclist.h). */
#include <stdlib.h>
#include <string.h>

#include "srclist.h"
#include "xalloc.h"

int srclist_match_id(void *ctx, const struct profile *p, uint32_t func)
{
    (void)p;
    return func == *(const uint32_t *)ctx;
}

/* Which frames are listed: those with a function match accepts. */
static uint8_t *wanted(const struct profile *p, srclist_match match, void *ctx)
{
    uint8_t *want = xcalloc((size_t)p->nframes + 1, 1);

    for (uint32_t f = 0; f < p->nframes; f++) {
        const struct frame *fr = &p->frames[f];

        want[f] = fr->func && match(ctx, p, fr->func);
    }
    return want;
}

static const struct profile *sort_p;

/* By function name, file name (as bytes, pprof's NameOrder and FileOrder),
 * then line. */
static int frame_cmp(const void *x, const void *y)
{
    const struct frame *a = &sort_p->frames[*(const uint32_t *)x];
    const struct frame *b = &sort_p->frames[*(const uint32_t *)y];
    int c = a->func == b->func ? 0 : strcmp(profile_str(sort_p, a->func),
                                            profile_str(sort_p, b->func));

    if (!c && a->file != b->file)
        c = strcmp(profile_str(sort_p, a->file), profile_str(sort_p, b->file));
    if (!c)
        c = a->line < b->line ? -1 : a->line > b->line;
    return c;
}

/* Appends frame f's numbers to l: a new file when its (func, file) is not
 * the last one's, a line added to the last when the line is the same. */
static void add_frame(struct srclist *l, const struct frame *fr, int64_t flat, int64_t cum)
{
    struct srclist_file *sf = l->nfiles ? &l->files[l->nfiles - 1] : NULL;

    if (!sf || sf->func != fr->func || sf->file != fr->file) {
        l->files = xreallocarray(l->files, (size_t)l->nfiles + 1, sizeof *l->files);
        sf = &l->files[l->nfiles++];
        memset(sf, 0, sizeof *sf);
        sf->func = fr->func;
        sf->file = fr->file;
        sf->start_line = fr->start_line;
    }
    sf->flat += flat;
    sf->cum += cum;
    if (!sf->nlines || sf->lines[sf->nlines - 1].line != fr->line) {
        sf->lines = xreallocarray(sf->lines, (size_t)sf->nlines + 1, sizeof *sf->lines);
        sf->lines[sf->nlines++] = (struct srclist_line){ fr->line, 0, 0 };
    }
    sf->lines[sf->nlines - 1].flat += flat;
    sf->lines[sf->nlines - 1].cum += cum;
}

/* The listing's lines: key[f] (from 1) numbers frame f's (func, file,
 * line), 0 for a frame not listed; rep[k] is line k's first frame. At
 * addresses a line is several frames (an address each): pprof -list counts
 * them as one line. Returns the number of lines. */
static uint32_t line_keys(const struct profile *p, const uint8_t *want, uint32_t *key,
                          uint32_t *rep)
{
    uint32_t n = 0, k = 0;

    for (uint32_t f = 0; f < p->nframes; f++)
        if (want[f])
            rep[n++] = f;
    sort_p = p;
    qsort(rep, n, sizeof *rep, frame_cmp);
    for (uint32_t i = 0; i < n; i++) {
        if (!k || frame_cmp(&rep[k - 1], &rep[i]))
            rep[k++] = rep[i];
        key[rep[i]] = k;
    }
    return k;
}

/* Whether a node above n has n's line: trie_nested when a line is one
 * frame, else a walk up the path. */
static int line_nested(const struct trie *t, const uint32_t *key, int one_frame_a_line,
                       uint32_t n)
{
    if (one_frame_a_line)
        return trie_nested(t, n);
    for (uint32_t a = t->node[n].parent; a != TRIE_ROOT; a = t->node[a].parent)
        if (t->node[a].frame != TRIE_NO_FRAME && key[t->node[a].frame] == key[t->node[n].frame])
            return 1;
    return 0;
}

/* flat[k] and cum[k] per line, and the grand total. A node's self is its
 * total less its children's; cum skips a node whose line is on the path
 * above it, so a recursive line counts a sample once. */
static int64_t per_line(const struct profile *p, const int64_t *total, const uint32_t *key,
                        int one_frame_a_line, int64_t *flat, int64_t *cum)
{
    const struct trie *t = &p->trie;
    int64_t *kids = xcalloc((size_t)t->count + 1, sizeof *kids), grand = 0;

    for (uint32_t n = 1; n < t->count; n++)
        kids[t->node[n].parent] += total[n];
    for (uint32_t n = 0; n < t->count; n++) {
        int64_t self = total[n] - kids[n];
        uint32_t f = t->node[n].frame;

        grand += self < 0 ? -self : self;
        if (n == TRIE_ROOT || f == TRIE_NO_FRAME || f >= p->nframes || !key[f])
            continue;
        flat[key[f]] += self;
        if (!line_nested(t, key, one_frame_a_line, n))
            cum[key[f]] += total[n];
    }
    free(kids);
    return grand;
}

void srclist_build(const struct profile *p, const int64_t *total, srclist_match match,
                   void *ctx, struct srclist *l)
{
    uint8_t *want = wanted(p, match, ctx);
    uint32_t *key = xcalloc((size_t)p->nframes + 1, sizeof *key);
    uint32_t *rep = xmalloc(((size_t)p->nframes + 1) * sizeof *rep), nwant = 0;
    uint32_t nkeys;
    int64_t *flat, *cum;

    memset(l, 0, sizeof *l);
    for (uint32_t f = 0; f < p->nframes; f++)
        nwant += want[f];
    nkeys = line_keys(p, want, key, rep);
    flat = xcalloc((size_t)nkeys + 1, sizeof *flat);
    cum = xcalloc((size_t)nkeys + 1, sizeof *cum);
    l->total = per_line(p, total, key, nkeys == nwant, flat, cum);
    for (uint32_t k = 1; k <= nkeys; k++)
        if (flat[k] || cum[k])
            add_frame(l, &p->frames[rep[k - 1]], flat[k], cum[k]);
    free(cum);
    free(flat);
    free(rep);
    free(key);
    free(want);
}

void srclist_free(struct srclist *l)
{
    for (uint32_t i = 0; i < l->nfiles; i++)
        free(l->files[i].lines);
    free(l->files);
    memset(l, 0, sizeof *l);
}

uint32_t srclist_hottest(const struct srclist_file *f)
{
    uint32_t best = 0;

    for (uint32_t i = 1; i < f->nlines; i++) {
        const struct srclist_line *a = &f->lines[i], *b = &f->lines[best];

        if (a->flat > b->flat || (a->flat == b->flat && a->cum > b->cum))
            best = i;
    }
    return best;
}
