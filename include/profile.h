/* The data set: every profile loaded, merged into one string table, one
 * frame table and one stack trie. A sample is a trie node (its stack), a
 * label set, the source it came from and one value per sample type.
 * No I/O and no curses here. */
#ifndef EMBER_PROFILE_H
#define EMBER_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "intmap.h"
#include "strtab.h"
#include "trie.h"

/* How frames are told apart: pprof's granularities (-functions,
 * -filefunctions, -files, -lines, -addresses). A model holds one. */
enum granularity {
    GRAN_FUNCTIONS,             /* the default: one frame per function name */
    GRAN_FILEFUNCTIONS,         /* per (function, file) */
    GRAN_FILES,                 /* per file */
    GRAN_LINES,                 /* per (function, file, line) */
    GRAN_ADDRESSES,             /* per (address, function, file, line) */
};
#define GRAN_COUNT 5

/* A frame is a node's key at the model's granularity; ids index frames[].
 * Its name reads as pprof names that node ("main.handle",
 * "main.handle /src/main.go:42", "/src/main.go", "0000000000401234
 * main.handle /src/main.go:42"); the other fields are what it is made of,
 * for filters, the status bar and the source view. */
struct frame {
    uint32_t name;              /* string id: the node's name, as pprof prints it */
    uint32_t file;              /* string id of the (first) file seen, 0 if none */
    /* functions, filefunctions: the function's start line; lines,
     * addresses: the line; 0 if unknown */
    int64_t line;
    uint32_t func;              /* string id of the function name, 0: none (files; an address alone) */
    uint32_t object;            /* string id of the mapping's file (the first seen), 0: none */
    uint64_t addr;              /* addresses: the location's address; else 0 */
    /* The line of the first location the loader saw for this frame, 0 if
     * none: the status bar's line where line (a start line) is 0, as Go
     * writes none. Set by pprof.c's resolve_locations. */
    int64_t sample_line;
    /* The function's start line (Function.start_line, Go >= 1.20), 0 if
     * none, at every granularity: where pprof -list starts a listing. */
    int64_t start_line;
    /* Bit g: a node of granularity g has this frame (set by profile_frame_of
     * from profile.granularity): what the explorer's granularity switch
     * maps the selection onto. */
    uint8_t grans;
};

struct sample_type {
    uint32_t type, unit;        /* string ids: "cpu", "nanoseconds" */
};

/* One label: a string value (str != 0) or a number with an optional unit.
 * No implicit padding: label sets are hashed and compared as bytes, so
 * spare must be 0 (designated initializers do that). */
struct label {
    uint32_t key, str, unit, spare;
    int64_t num;
};

/* One loaded profile (a file, stdin, later a fetch). */
struct source {
    uint32_t name;              /* string id: the path as given */
    int64_t time_nanos, duration_nanos, period;
    struct sample_type period_type;
    /* Bit i: the profile has sample type i (a heap snapshot has no cpu).
     * 0, or a type past 63: take it as having every type. */
    uint64_t types;
    /* String id of the series it belongs to (a URL, a folder with these
     * types), 0: on its own. Snapshots of one origin are settled by
     * snapshot_settle and averaged by the queries (see snapshot.h). */
    uint32_t origin;
};

/* Whether source s has sample type `type` (see struct source.types). */
static inline int source_has_type(const struct source *s, uint32_t type)
{
    return !s->types || type > 63 || (s->types >> type & 1);
}

struct sample {
    uint32_t node;              /* trie node of the leaf */
    uint32_t labels;            /* label set id, 0 = no labels */
    uint32_t source;
};

/* Sample values come in runs of consecutive samples with the same columns:
 * a file's samples hold values only for that file's own types, so a
 * one-type file loaded beside a 64-type one costs one value a sample. */
struct value_run {
    size_t first;               /* the run's first sample */
    uint64_t mask;              /* bit t: the run has a column for type t */
    uint32_t width;             /* columns a sample */
    uint8_t dense;              /* columns are types 0 .. width - 1 (mask unused) */
    int64_t *vals;              /* samples x width, in type order */
    size_t cap;                 /* samples vals has room for */
};

struct profile {
    struct strtab strings;
    struct frame *frames;
    uint32_t nframes, frames_cap;
    struct intmap frame_by_name;
    struct trie trie;
    enum granularity granularity;       /* what frames[] are (see struct frame) */

    struct sample_type *types;
    uint32_t ntypes;
    uint32_t default_type;      /* index into types; see profile_default_type */

    struct sample *samples;
    size_t nsamples, samples_cap;
    /* Bumped when samples are rewritten in place (profile_drop_sources):
     * what a cache keyed by nsamples alone would miss. */
    uint64_t sample_edits;
    struct value_run *runs;     /* in sample order */
    uint32_t nruns;

    struct label *labels;       /* every set's labels, back to back */
    uint32_t *set_start;        /* set s is labels[set_start[s] .. set_start[s+1]) */
    uint32_t nsets, sets_cap, labels_count, labels_cap;
    /* The sets' hash: a slot holds a set id in its low bits (ids stay
     * below the table size, set_mask + 1) and a tag from the hash above
     * them, so a probe reads a set's labels only when the tag matches.
     * 0 = empty (set 0, the empty set, is never hashed). */
    uint32_t *set_slots, set_mask;

    struct source *sources;
    uint32_t nsources;
    struct snapshot_memo *snapshots;    /* snapshot.c's last values per origin */
    uint64_t data_bytes;        /* profile data loaded, decompressed (bounds --folded) */

    /* What the model may cost, in bytes (see profile_cost); 0: no limit.
     * The loaders refuse a file that would pass it. */
    uint64_t budget;
    /* Set during a switch of granularity (ui/granularity.c): what the model
     * cost before it reads every source again, the old sources then
     * dropped; the budget allows that much beyond, so only what the new
     * reading adds counts. */
    uint64_t budget_old;

    struct base_info *base;     /* --base, --diff-base (base.h); NULL: none */
};

void profile_init(struct profile *p);
void profile_free(struct profile *p);

static inline uint32_t profile_intern(struct profile *p, const char *s, size_t len)
{
    return strtab_intern(&p->strings, s, len);
}

static inline const char *profile_str(const struct profile *p, uint32_t id)
{
    return strtab_str(&p->strings, id);
}

/* Returns the frame id of the function named by string id name. The first
 * file and line given for a name are kept. */
uint32_t profile_frame(struct profile *p, uint32_t name, uint32_t file, int64_t line);

/* The same for a frame of any granularity: found by f->name; a new one is
 * a copy of *f; an old one without file, object or function takes f's. */
uint32_t profile_frame_of(struct profile *p, const struct frame *f);

/* Returns the index of the sample type (type, unit), adding it when new
 * (existing samples read 0 for it). */
uint32_t profile_type(struct profile *p, uint32_t type, uint32_t unit);

/* The types of all the files loaded together are bounded: pprof profiles
 * have a handful, and a source's types are a 64-bit mask. */
#define PROFILE_MAX_TYPES 64

/* profile_type for n types at once: stores each one's index in idx[i].
 * Adds nothing and returns -1 when the types would number more than
 * PROFILE_MAX_TYPES in all (profile_type always adds). */
int profile_types(struct profile *p, const struct sample_type *t, size_t n, uint32_t *idx);

/* Returns the id of the label set of n labels (any order; sorted here,
 * spare set to 0): the same set, the same id. */
uint32_t profile_labelset(struct profile *p, struct label *labels, size_t n);

static inline const struct label *profile_set_labels(const struct profile *p, uint32_t set,
                                                     uint32_t *n)
{
    *n = p->set_start[set + 1] - p->set_start[set];
    return p->labels ? p->labels + p->set_start[set] : NULL;   /* no labels at all yet */
}

uint32_t profile_add_source(struct profile *p, const struct source *s);

/* Appends a sample; its values are zeroed, to be set through
 * profile_set_value() or profile_row(). Its columns are its source's
 * types (every type when the source has no type mask). Returns the
 * sample's index. */
size_t profile_add_sample(struct profile *p, uint32_t node, uint32_t labels, uint32_t source);

/* Makes room for n more samples of source, which a loader is about to
 * add: one allocation each for the samples and their values instead of a
 * chain of doublings, whose copies fragment the heap (11 MB of the bench
 * profile's peak). */
void profile_reserve_samples(struct profile *p, size_t n, uint32_t source);

/* The run holding sample s. */
const struct value_run *profile_run_of(const struct profile *p, size_t s);

/* The column of type t in run r, or -1 when the run has none (the value
 * is 0). */
static inline int profile_run_col(const struct value_run *r, uint32_t t)
{
    if (r->dense)
        return t < r->width ? (int)t : -1;
    if (t > 63 || !(r->mask >> t & 1))
        return -1;
    return __builtin_popcountll(r->mask & ((1ull << t) - 1));
}

/* Sample s's value of type t. */
static inline int64_t profile_value(const struct profile *p, size_t s, uint32_t t)
{
    const struct value_run *r = p->nruns == 1 ? p->runs : profile_run_of(p, s);
    int col = profile_run_col(r, t);

    return col < 0 ? 0 : r->vals[(s - r->first) * r->width + (uint32_t)col];
}

void profile_set_value(struct profile *p, size_t s, uint32_t t, int64_t v);

/* Sample s's row of values, its run's width long, in the order of the
 * types its source has (ascending type index). */
int64_t *profile_row(struct profile *p, size_t s);

/* Drops the sources with drop[i] set and their samples (a live data set
 * keeping only its last steps); the others are renumbered in order. The
 * trie, frames, strings and label sets stay: their ids remain valid.
 * Returns how many were dropped. */
uint32_t profile_drop_sources(struct profile *p, const uint8_t *drop);

/* What the model costs, in bytes, as the explorer holds it: the call tree
 * (PROFILE_NODE_BYTES a node: the trie, its index, each side's totals),
 * samples and their values, label sets, frames and strings. */
#define PROFILE_NODE_BYTES 48
uint64_t profile_cost(const struct profile *p);

/* The budget for everything loaded: PROFILE_BUDGET_PER_MAX x the per-file
 * --max-size (4 GiB by default). */
#define PROFILE_BUDGET_PER_MAX 4

/* The index of the type named name ("cpu", or "cpu/nanoseconds"), or
 * UINT32_MAX. */
uint32_t profile_find_type(const struct profile *p, const char *name);

struct sbuf;
/* Appends " type/unit" for every sample type to b, as they are (whoever
 * shows it escapes it): what a message lists when a type is not found. */
void profile_types_text(const struct profile *p, struct sbuf *b);

/* Call once every source is loaded: frees what only loading needs. */
void profile_finish(struct profile *p);

#endif
