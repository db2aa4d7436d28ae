#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filters_fx.h"
#include "output.h"
#include "query.h"
#include "source.h"
#include "trie.h"

void filters_fx_load(struct profile *p, const char *folded)
{
    char err[SOURCE_ERR_MAX];

    ck_assert_int_eq(folded_load(p, profile_intern(p, "t", 1), (const uint8_t *)folded,
                                 strlen(folded), err), 0);
    profile_finish(p);
}

char *filters_fx_filtered(struct profile *p, struct fset *s)
{
    struct filter f = { 0 };
    int64_t *total;
    char *out = NULL, err[128];
    size_t n = 0;
    FILE *mem;

    ck_assert_int_eq(fset_update(s, p, err, sizeof err), 0);
    fset_apply(s, &f);
    total = calloc(p->trie.count, sizeof *total);
    query_totals(p, 0, &f, total);
    trie_index(&p->trie);
    mem = open_memstream(&out, &n);
    ck_assert_int_eq(output_folded(mem, p, total, 1 << 20, err, sizeof err), 0);
    fclose(mem);
    free(total);
    return out;
}
