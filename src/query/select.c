#include <string.h>

#include "query.h"
#include "sat.h"

void query_totals(const struct profile *p, uint32_t type, const struct filter *f,
                  int64_t *total)
{
    memset(total, 0, (size_t)p->trie.count * sizeof *total);
    for (size_t s = 0; s < p->nsamples; s++) {
        uint32_t node = p->samples[s].node;

        if (!filter_keeps(f, &p->samples[s]))
            continue;
        total[node] = sat_add(total[node], p->values[s * p->ntypes + type]);
    }
    trie_accumulate(&p->trie, total, NULL);
}
