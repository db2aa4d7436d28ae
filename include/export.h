/* Exporters: what a selection of the data set holds, written as a file
 * another tool opens (go tool pprof, flamegraph.pl and inferno, Pyroscope's
 * UI, speedscope, a browser, a ticket). One file per format in
 * src/output/export_*.c over the selection below; export.c chooses the
 * format, names the file and writes it atomically. No curses here. */
#ifndef EMBER_EXPORT_H
#define EMBER_EXPORT_H

#include <stdio.h>

#include "profile.h"
#include "query.h"
#include "selector.h"

enum export_format { EXPORT_PPROF, EXPORT_FOLDED, EXPORT_JSON, EXPORT_SPEEDSCOPE, EXPORT_SVG,
                     EXPORT_TEXT, EXPORT_COUNT };

/* What is written: one side (or the diff's two) of the data set. */
struct export_sel {
    const struct profile *p;    /* its trie indexed (trie_index) */
    uint32_t type;              /* the sample type shown */
    /* Per side: which samples (NULL: all), and their per-node totals of
     * `type` as the data set answered them (weights applied). total[1]
     * NULL: one side; else the diff, side 0 the baseline. */
    const struct filter *filter[2];
    const int64_t *total[2];
    int64_t from, until;        /* the range asked (INT64_MIN/MAX: all) */
    /* A zoom: only stacks through this trie node (TRIE_ROOT: all). */
    uint32_t zoom;
    /* The table for the text export, rows as shown (NULL: made from
     * total[0] by self); with total[1], flat2 is side 1's (the diff). */
    const struct flat *flat, *flat2;
    /* The text export as the view wrote it (its own table), or NULL. */
    const char *text;
    const char *title;          /* what was loaded and the query, for titles */
    const char *service;        /* the service or source name for names, or NULL */
    /* A frame's fill color in the SVG as 0xRRGGBB (NULL: a hash). */
    uint32_t (*rgb)(const char *name, size_t len);
};

/* The format's word (pprof, folded, json, speedscope, svg, text) and the
 * extension a default name gets. */
const char *export_format_word(enum export_format f);
const char *export_format_ext(enum export_format f);
/* The format of a word, or -1. */
int export_format_parse(const char *word);
/* The format a file name's extension says, or -1 (.pb.gz, .folded,
 * .speedscope.json before .json, .svg, .txt: folded). */
int export_format_of_path(const char *path);

/* The default file name: SERVICE-TYPE-VALUES-2026-12-01T1015.EXT, each
 * part made of [A-Za-z0-9._-] (anything else becomes '_', runs squeezed),
 * VALUES the query's label values in order, the time the range's start
 * (else the earliest profile's) in UTC. */
void export_default_name(const struct export_sel *s, const struct selector *q,
                         enum export_format f, char *out, size_t n);

/* Writes format f of s to path atomically: a temporary file in the same
 * folder, fsync, then a new name that never replaces an existing file
 * (link) unless force (rename). Returns 0 and the bytes written in *size,
 * or -1 with a reason in err ("FILE exists (--force replaces it)"). */
int export_write(const char *path, enum export_format f, const struct export_sel *s, int force,
                 uint64_t *size, char *err, size_t nerr);

/* Each format into an open stream; 0, or -1 with a reason. */
int export_pprof(FILE *out, const struct export_sel *s, char *err, size_t nerr);
int export_folded(FILE *out, const struct export_sel *s, char *err, size_t nerr);
int export_json(FILE *out, const struct export_sel *s, char *err, size_t nerr);
int export_speedscope(FILE *out, const struct export_sel *s, char *err, size_t nerr);
int export_svg(FILE *out, const struct export_sel *s, char *err, size_t nerr);
int export_text(FILE *out, const struct export_sel *s, char *err, size_t nerr);

/* ---- shared by the exporters (export.c) ---- */

/* Per-node totals of side `side` restricted to the zoom: the zoom's
 * subtree as it is, its ancestors with the zoom's total, the rest 0. The
 * side's own array when there is no zoom (*owned 0), else a new one the
 * caller frees with export_totals_free (*owned 1). */
const int64_t *export_totals(const struct export_sel *s, int side, int *owned);
void export_totals_free(const struct export_sel *s, const int64_t *t, int owned);

/* A depth-first walk of the nodes with a total of at least min (in size:
 * 1 for every non-zero one) on either side (b may be NULL), siblings in
 * name order (as --folded writes them): fn gets each node but the root
 * with its depth (1 for a root function) and the frames of its path
 * path[0 .. depth). A node left out is left out with its subtree. */
typedef void (*export_visit_fn)(void *ctx, uint32_t node, uint32_t depth,
                                const uint32_t *path);
void export_walk(const struct profile *p, const int64_t *a, const int64_t *b, int64_t min,
                 export_visit_fn fn, void *ctx);

/* s as a JSON string, quotes included: control bytes \u00XX, '"' and '\\'
 * escaped, invalid UTF-8 as U+FFFD (RFC 8259). */
void export_json_string(FILE *out, const char *s, size_t len);
/* s as XML character data or an attribute value: & < > " ' as entities,
 * control bytes and invalid UTF-8 as U+FFFD (XML 1.0 cannot hold them). */
void export_xml_text(FILE *out, const char *s, size_t len);

#endif
