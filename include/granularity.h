/* Frames at pprof's granularities: what a node is keyed by and how it is
 * named, as pprof's graph package does (internal/graph: nodeInfo and
 * NodeInfo.NameComponents, after driver's aggregate). No I/O. */
#ifndef EMBER_GRANULARITY_H
#define EMBER_GRANULARITY_H

#include <stdint.h>

#include "profile.h"

/* One line of a location as the loader read it: string ids (0 = "") and
 * numbers. A location without lines has has_func 0. */
struct frame_parts {
    int has_func;               /* the line names a function */
    uint32_t func, file;        /* the function's name and file name */
    int64_t start_line, line, column;
    uint32_t object;            /* the mapping's file, 0 = none */
    uint64_t addr;              /* the location's address */
};

/* The frame of parts at granularity g (interned into p's frame table). */
uint32_t granularity_frame(struct profile *p, enum granularity g, const struct frame_parts *f);

/* "functions", "filefunctions", "files", "lines", "addresses". */
const char *granularity_name(enum granularity g);
/* Parses one of those names into *g: 0, or -1. */
int granularity_parse(const char *s, enum granularity *g);

/* Writes path as Go's filepath.Clean returns it (pprof cleans file names)
 * into out (at least strlen(path) + 2 bytes); returns its length. */
size_t granularity_clean_path(const char *path, size_t len, char *out);

#endif
