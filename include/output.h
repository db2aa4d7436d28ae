/* Batch printers: what --top and --folded write to stdout. */
#ifndef EMBER_OUTPUT_H
#define EMBER_OUTPUT_H

#include <stdio.h>

#include "profile.h"
#include "query.h"
#include "text.h"

/* The flat table for people: a header, then at most limit rows (0 = all)
 * with human units and percentages of the grand total. */
void output_top(FILE *f, const struct profile *p, const struct flat *flat, uint32_t type,
                size_t limit);

/* The same under filters: filters is their text, one per line, as
 * pprof's "Active filters:" lists them, and whole the total before them,
 * of which the percentages are (as pprof's). */
void output_top_filtered(FILE *f, const struct profile *p, const struct flat *flat,
                         uint32_t type, size_t limit, const char *filters, int64_t whole);

/* The flat table for scripts: "self<TAB>total<TAB>name" with exact values,
 * in the table's order (self descending, then name); limit 0 = every row. */
void output_top_raw(FILE *f, const struct profile *p, const struct flat *flat, size_t limit);

/* Two tables joined by function, every function of either. Each side's
 * share of its own total (a function's total over the side's) and the
 * change in percentage points; rows sorted by the size of that change,
 * largest first (ties by name), at most limit of them (0 = all). raw:
 * "base_self<TAB>base_total<TAB>new_self<TAB>new_total<TAB>name" with exact
 * values, those rows sorted by name; else a header and, per row, the
 * shares, the change and the relative change (change over base share). */
void output_diff(FILE *f, const struct profile *p, uint32_t type, const struct flat *base,
                 const struct flat *cmp, int raw, size_t limit);

/* One "root;...;leaf<TAB>value" line per stack with a non-zero self value,
 * in depth-first order with siblings sorted by name. Needs the trie's
 * children index. A ';' in a name, a '#' starting a line, a leaf's
 * trailing spaces and a backslash that would begin an escape are written
 * \xNN, as folded_load decodes them; the rest is escaped as text_escape
 * does in f's text_machine_mode. The output is measured first: past the
 * larger of limit and FOLDED_BYTES_PER_BYTE per byte of the profile's data
 * it writes nothing and returns -1 with a reason in err; else 0. */
#define FOLDED_BYTES_PER_BYTE 64
int output_folded(FILE *f, const struct profile *p, const int64_t *total, uint64_t limit,
                  char *err, size_t errlen);

/* One stack's frames (path[0] the root) as output_folded writes them,
 * without its value or newline: the diff's two-column lines. */
void output_folded_stack(FILE *f, const struct profile *p, const uint32_t *path, uint32_t depth);

/* The bytes output_folded writes in mode, measured without writing: time
 * in proportion to the call tree and its distinct names. */
uint64_t output_folded_size(const struct profile *p, const int64_t *total,
                            enum text_escape_mode mode);

/* --list: pprof's -list of every function whose name matches re (POSIX
 * extended), of sample type type over total[] (a trie node's total), the
 * model at lines granularity. Source files are found as pprof finds them
 * (srcfile.h: search, trim); one not read gets pprof's " Error: ..." line,
 * then its lines' numbers alone. raw: exact values. Returns how many
 * routines it listed, or -1 with a reason in err (a bad re, no match). */
struct list_options {
    const char *re, *search, *trim;
    int raw;
    /* What "Total:" and the shares are of: the selection's before the
     * filters, as --top's (pprof's computeTotal); 0: the listing's own */
    int64_t whole;
};
int output_list(FILE *f, const struct profile *p, uint32_t type, const int64_t *total,
                const struct list_options *o, char *err, size_t errlen);

#endif
