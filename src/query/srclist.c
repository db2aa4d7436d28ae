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

/* flat[f] and cum[f] per frame, and the grand total. A node's self is its
 * total less its children's; cum skips a node whose frame is on the path
 * above it (trie.nested), so a recursive line counts a sample once. */
static int64_t per_frame(const struct profile *p, const int64_t *total, const uint8_t *want,
                         int64_t *flat, int64_t *cum)
{
    const struct trie *t = &p->trie;
    int64_t *kids = xcalloc((size_t)t->count + 1, sizeof *kids), grand = 0;

    for (uint32_t n = 1; n < t->count; n++)
        kids[t->node[n].parent] += total[n];
    for (uint32_t n = 0; n < t->count; n++) {
        int64_t self = total[n] - kids[n];
        uint32_t f = t->node[n].frame;

        grand += self < 0 ? -self : self;
        if (n == TRIE_ROOT || f == TRIE_NO_FRAME || f >= p->nframes || !want[f])
            continue;
        flat[f] += self;
        if (!trie_nested(t, n))
            cum[f] += total[n];
    }
    free(kids);
    return grand;
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

void srclist_build(const struct profile *p, const int64_t *total, srclist_match match,
                   void *ctx, struct srclist *l)
{
    uint8_t *want = wanted(p, match, ctx);
    int64_t *flat = xcalloc((size_t)p->nframes + 1, sizeof *flat);
    int64_t *cum = xcalloc((size_t)p->nframes + 1, sizeof *cum);
    uint32_t *order = xmalloc(((size_t)p->nframes + 1) * sizeof *order), n = 0;

    memset(l, 0, sizeof *l);
    l->total = per_frame(p, total, want, flat, cum);
    for (uint32_t f = 0; f < p->nframes; f++)
        if (want[f] && (flat[f] || cum[f]))
            order[n++] = f;
    sort_p = p;
    qsort(order, n, sizeof *order, frame_cmp);
    for (uint32_t i = 0; i < n; i++)
        add_frame(l, &p->frames[order[i]], flat[order[i]], cum[order[i]]);
    free(order);
    free(cum);
    free(flat);
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
