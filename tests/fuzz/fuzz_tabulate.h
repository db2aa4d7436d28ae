/* What every source harness does with a profile that loads: it must also
 * sum and tabulate without fault. */
#ifndef EMBER_FUZZ_TABULATE_H
#define EMBER_FUZZ_TABULATE_H

#include <stdlib.h>

#include "query.h"

static inline void fuzz_tabulate(struct profile *p)
{
    int64_t *total;
    struct flat f;

    profile_finish(p);
    total = calloc(p->trie.count, sizeof *total);
    query_totals(p, p->default_type, NULL, total);
    flat_build(p, p->default_type, NULL, total, &f);
    flat_free(&f);
    free(total);
}

#endif
