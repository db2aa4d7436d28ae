#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "sat.h"
#include "xalloc.h"

int query_name_cmp(const struct profile *p, uint32_t a, uint32_t b)
{
    uint32_t la = strtab_len(&p->strings, a), lb = strtab_len(&p->strings, b);
    int c = memcmp(profile_str(p, a), profile_str(p, b), la < lb ? la : lb);

    return c ? c : (la > lb) - (la < lb);
}

static const struct profile *sort_profile;  /* qsort has no context argument */

static int by_self_then_name(const void *a, const void *b)
{
    const struct flat_row *x = a, *y = b;

    if (x->self != y->self)
        return x->self > y->self ? -1 : 1;
    return query_name_cmp(sort_profile, sort_profile->frames[x->frame].name,
                          sort_profile->frames[y->frame].name);
}

void flat_build(const struct profile *p, uint32_t type, const struct filter *f,
                const int64_t *total, struct flat *out)
{
    const struct trie *t = &p->trie;
    int64_t *fself = xcalloc(p->nframes + 1, sizeof *fself);
    int64_t *ftotal = xcalloc(p->nframes + 1, sizeof *ftotal);

    /* Self is what the samples hold at their leaf: no per-node array. */
    for (size_t s = 0; s < p->nsamples; s++) {
        uint32_t n = p->samples[s].node;

        if (n != TRIE_ROOT && filter_keeps(f, &p->samples[s]))
            fself[t->node[n].frame] = sat_add(fself[t->node[n].frame],
                                              p->values[s * p->ntypes + type]);
    }
    for (uint32_t n = 1; n < t->count; n++) {
        /* A nested occurrence is already inside its outer one's total. */
        if (!t->nested[n])
            ftotal[t->node[n].frame] = sat_add(ftotal[t->node[n].frame], total[n]);
    }
    out->rows = xmalloc((p->nframes + 1) * sizeof *out->rows);
    out->count = 0;
    out->grand_total = total[TRIE_ROOT];
    for (uint32_t f = 0; f < p->nframes; f++)
        if (fself[f] || ftotal[f])
            out->rows[out->count++] = (struct flat_row){ f, fself[f], ftotal[f] };
    free(fself);
    free(ftotal);
    sort_profile = p;
    qsort(out->rows, out->count, sizeof *out->rows, by_self_then_name);
}

void flat_free(struct flat *f)
{
    free(f->rows);
    f->rows = NULL;
    f->count = 0;
}
