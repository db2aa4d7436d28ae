/* What the filter suites share: a model from folded text, and the tree a
 * filter set leaves, as --folded writes it. */
#ifndef EMBER_TESTS_FILTERS_FX_H
#define EMBER_TESTS_FILTERS_FX_H

#include "fset.h"
#include "profile.h"

void filters_fx_load(struct profile *p, const char *folded);
/* The filtered tree as --folded writes it (stacks depth first, siblings
 * by name); the caller frees it. */
char *filters_fx_filtered(struct profile *p, struct fset *s);

#endif
