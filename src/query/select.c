#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "sat.h"
#include "xalloc.h"

void query_totals(const struct profile *p, uint32_t type, const struct filter *f,
                  int64_t *total)
{
    memset(total, 0, (size_t)p->trie.count * sizeof *total);
    for (size_t s = 0; s < p->nsamples; s++) {
        uint32_t node = p->samples[s].node;

        if (!filter_keeps(f, &p->samples[s]))
            continue;
        total[node] = sat_add(total[node], profile_value(p, s, type));
    }
    trie_accumulate(&p->trie, total, NULL);
}

void query_type_totals(const struct profile *p, int64_t *out)
{
    for (uint32_t t = 0; t < p->ntypes; t++)
        out[t] = 0;
    for (size_t i = 0; i < p->nsamples; i++)
        for (uint32_t t = 0; t < p->ntypes; t++)
            out[t] += profile_value(p, i, t);
}

uint32_t query_nonempty_in(const int64_t *totals, uint32_t ntypes, uint32_t type)
{
    uint32_t pick = type;

    if (type < ntypes && !totals[type])
        for (uint32_t t = ntypes; t-- > 0;)
            if (totals[t])
                pick = t;       /* the first with samples */
    return pick;
}

uint32_t query_nonempty_type(const struct profile *p, uint32_t type)
{
    int64_t *sum = xcalloc((size_t)p->ntypes + 1, sizeof *sum);
    uint32_t pick;

    query_type_totals(p, sum);
    pick = query_nonempty_in(sum, p->ntypes, type);
    free(sum);
    return pick;
}
