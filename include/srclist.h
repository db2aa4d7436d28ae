/* pprof's -list numbers: for every function asked, per file, the self
 * (flat) and total (cum) of each of its lines. Needs a model at lines or
 * addresses granularity (a frame's func, file and line); no files are read
 * here (srcfile.h reads the source). */
#ifndef EMBER_SRCLIST_H
#define EMBER_SRCLIST_H

#include <stdint.h>

#include "profile.h"

struct srclist_line {
    int64_t line, flat, cum;
};

/* One function in one file: pprof's "ROUTINE ===== FUNC in FILE". */
struct srclist_file {
    uint32_t func, file;        /* string ids */
    int64_t flat, cum;          /* the sums over its lines, as pprof's header adds them */
    int64_t start_line;         /* the function's (its first frame's), 0: unknown */
    struct srclist_line *lines; /* ascending line numbers, each once */
    uint32_t nlines;
};

struct srclist {
    struct srclist_file *files; /* by function name, then file name (bytes) */
    uint32_t nfiles;
    int64_t total;              /* the sum of every node's |self|: pprof's "Total:" */
};

/* Whether the function named by string id func is listed. */
typedef int (*srclist_match)(void *ctx, const struct profile *p, uint32_t func);

/* Fills l from total[n] (every trie node's total, a side's merge) for the
 * functions match accepts, as pprof counts them at lines granularity: a
 * line's flat is the self of the nodes it is the leaf frame of, its cum
 * the total of its nodes that have no ancestor of the same frame (once a
 * sample however often it recurs); lines with neither are left out, and
 * frames without a function are not listed. A function's frames without a
 * file come first, as one entry of file 0 (pprof: "No source
 * information" when it has no other). */
void srclist_build(const struct profile *p, const int64_t *total, srclist_match match,
                   void *ctx, struct srclist *l);

void srclist_free(struct srclist *l);

/* The index into f->lines of its hottest line (the largest flat, then
 * cum; the first of equals), or 0 when it has none. */
uint32_t srclist_hottest(const struct srclist_file *f);

/* A listing's match for one function name (string id in *ctx). */
int srclist_match_id(void *ctx, const struct profile *p, uint32_t func);

#endif
