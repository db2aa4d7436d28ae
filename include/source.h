/* Sources turn bytes into the model. A source never prints: it returns -1
 * and a reason in err, and the caller names the file. */
#ifndef EMBER_SOURCE_H
#define EMBER_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "profile.h"

#define SOURCE_ERR_MAX 512

#define LOAD_STOCK_MAX 6

struct load_options {
    size_t max_size;            /* cap on a file's (inflated) size in bytes */
    /* Called now and then while a file loads, with the share done (0..1);
     * may be NULL. */
    void (*progress)(void *ctx, const char *stage, double done);
    void *progress_ctx;
    /* Called for a file of a directory that is skipped (not a profile);
     * may be NULL. */
    void (*warn)(void *ctx, const char *path, const char *why);
    void *warn_ctx;
    /* A valid profile with no samples (an idle service's CPU profile) loads
     * as a source with its types and time instead of failing: set for the
     * files of a directory (which sets it itself) or of several; the caller
     * then checks that the whole set has samples. */
    int empty_ok;
    /* What a frame is (pprof's -functions ... -addresses); a model holds
     * one: the first load sets profile.granularity. Folded stacks and JSON
     * have functions only (their frames are names at every granularity). */
    enum granularity granularity;
    /* The loader may give back the pages of the (decompressed) bytes it
     * has parsed (madvise): set by source.c for a buffer it owns and
     * frees after the load, never for a caller's. */
    int consume_input;
    /* Keep standard input's bytes for reading again (source_stdin_kept):
     * set only when the explorer will run; batch output reads once. */
    int keep_stdin;
    /* A label every sample of the file gets, in place of its own of that
     * key (file=NAME, source=HOST): set by source.c, which adds it after
     * the load for the loaders that do not take it (tag_taken). The pprof
     * loader adds it as it interns each sample's labels: one label set a
     * distinct set, not a second interning of every set afterwards. */
    const char *tag_key, *tag_value;
    int *tag_taken;
    /* The arrays the caller allocates as soon as the load is done (the
     * explorer's children index and per-node values), in bytes a node of
     * the call tree, 0 ends the list: a large load maps them ahead on its
     * idle core (xbig_stock), so that the first frame does not fault them
     * in. The caller calls xbig_trim once they are allocated. */
    uint8_t stock[LOAD_STOCK_MAX];
    /* Tests only: decode pprof samples through libprotobuf-c, as ember did
     * before its own decoder (pprof_sample.h), to compare the two. */
    int reference_decoder;
    /* Tests only: a large file's samples on this thread alone (pprof.c
     * splits them over two), to compare the two. */
    int one_thread;
};

/* What the loaders return, besides 0: -1 for a broken profile, this for
 * bytes in no profile format (text that is not folded stacks, a binary
 * that is not protobuf, an empty file). A directory skips such files. */
#define SOURCE_NOT_PROFILE (-2)

/* Loads a file, or standard input for "-": decompresses by magic bytes,
 * then parses pprof or folded stacks. A directory loads every profile in
 * it and skips other files (o->warn tells); none at all is an error. */
int source_load_path(struct profile *p, const char *path, const struct load_options *o,
                     char *err);

/* The bytes standard input gave the last load of "-" with keep_stdin
 * (held until exit, so that the explorer can read them again at another
 * granularity), or NULL. */
const uint8_t *source_stdin_kept(size_t *len);

/* The same for bytes already in memory; name labels the source. */
int source_load_buffer(struct profile *p, const char *name, const uint8_t *data, size_t len,
                       const struct load_options *o, char *err);

/* The same for an answer fetched from url (named without credentials):
 * its samples get the label source=SOURCE (fetch_source_name) instead of
 * file=, and a profile without a time of its own is placed at time_ns. */
int source_load_url(struct profile *p, const char *url, const char *source, int64_t time_ns,
                    const uint8_t *data, size_t len, const struct load_options *o, char *err);

/* Loads every profile of a pack made by src/demo/pack.sh (the bundled
 * demo), each under its own name. */
int source_load_pack(struct profile *p, const uint8_t *data, size_t len,
                     const struct load_options *o, char *err);

/* Format parsers, for data already decompressed. */
int pprof_load(struct profile *p, uint32_t name, const uint8_t *data, size_t len, char *err);
int pprof_load_with(struct profile *p, uint32_t name, const uint8_t *data, size_t len,
                    const struct load_options *o, char *err);
int folded_load(struct profile *p, uint32_t name, const uint8_t *data, size_t len, char *err);
/* Whether data looks like folded stacks text rather than protobuf. */
int folded_sniff(const uint8_t *data, size_t len);
/* The byte of the escape at s[0..len) that the folded reader decodes, or
 * -1: a backslash, 'x' and two lowercase hex digits naming a byte ember's
 * --folded writes escaped (C0, space, '#', ';', '\\', DEL, 0x80-0xff).
 * The writer escapes a backslash that would begin one. */
int folded_escape_at(const char *s, size_t len);

#endif
