#include <string.h>

#include "query.h"
#include "sat.h"

void query_select_all(const struct profile *p, uint32_t type, int64_t *self)
{
    memset(self, 0, (size_t)p->trie.count * sizeof *self);
    for (size_t s = 0; s < p->nsamples; s++) {
        uint32_t node = p->samples[s].node;

        self[node] = sat_add(self[node], p->values[s * p->ntypes + type]);
    }
}
