/* pprof's Sample message (proto/profile.proto), decoded by hand for pass 2
 * of pprof.c: location ids become the stack's frames as they are read, the
 * values go into their columns, the labels into a label set, straight into
 * the caller's batch. It accepts and refuses exactly what
 * protobuf_c_message_unpack (libprotobuf-c 1.4) does, with pprof.c's
 * messages in pprof.c's order; sample_decode_reference is that older path,
 * kept as the oracle of the tests and the fuzzer.
 *
 * A decoder reads only its tables (pass 1's, read only while samples are
 * decoded) and writes only its own scratch, the sample_out it is given and
 * the profile's label sets (profile_labelset): the one shared part, should
 * two threads ever decode samples. */
#ifndef EMBER_PPROF_SAMPLE_H
#define EMBER_PPROF_SAMPLE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "intmap.h"
#include "profile.h"

/* An id -> index map: a plain array when the ids are dense (the usual
 * 1..n), a hash otherwise. */
struct idmap {
    uint32_t *dense;
    uint64_t dense_len;
    struct intmap sparse;
};

static inline uint32_t idmap_get(const struct idmap *m, uint64_t id)
{
    if (m->dense)
        return id < m->dense_len ? m->dense[id] : INTMAP_NONE;
    return m->sparse.vals ? intmap_get(&m->sparse, id) : INTMAP_NONE;
}

/* Every location id costs at least a byte of the file, but one location
 * may hold many lines and be repeated: stacks may expand to this many
 * frames per byte of (decompressed) profile data, which no real profile
 * nears (they stay below one), and what they cost stays in proportion
 * to the file. */
#define FRAMES_PER_BYTE 8

/* What samples are decoded against. */
struct sample_tables {
    const struct idmap *loc_ids;        /* location id -> index */
    /* location i's frames, leaf first: loc_frames[loc_start[i] .. [i+1]) */
    const uint32_t *loc_start, *loc_frames;
    size_t nlocs;
    const uint32_t *gid;                /* string index -> interned id */
    size_t nstr;
    const uint32_t *col;                /* the file's sample type i -> column */
    size_t ntypes;                      /* values a sample must have */
    uint32_t width;                     /* columns of a sample's values */
    /* A stack has fewer frames than *max_nodes (the trie's node cap, which
     * pprof.c sets once the decoder exists); all stacks together at most
     * frames_max. */
    const uint32_t *max_nodes;
    uint64_t frames_max;
    /* A label every sample gets in place of its own of that key (the file
     * name, load_options.tag_key), or NULL. */
    const struct label *tag;
};

/* A label field's bytes, then what they say (string indexes unchecked). */
struct sample_span {
    const uint8_t *data;
    size_t len;
    int64_t key, str, num, unit;
};

/* Label fields of at most this many bytes in all are looked up by their
 * raw bytes first (see pprof_sample.c). */
#define SAMPLE_KEY_MAX 48

struct sample_key {
    uint64_t hash;
    uint32_t set, len;          /* len 0: an empty entry */
    uint8_t bytes[SAMPLE_KEY_MAX];
};

/* A location as the decoder reads it: n frames, its one frame in `first`
 * when n is 1, else loc_frames[first .. first + n). */
struct loc_ref {
    uint32_t first, n;
};
#define LOC_REF_NONE UINT32_MAX         /* n of an id no location has */

struct sample_dec {
    struct sample_tables t;
    /* By id when the ids are dense (one memory access an id, not three:
     * the ids of a big profile miss the caches), else by index. */
    struct loc_ref *refs;
    uint64_t nrefs;
    int refs_by_id;
    struct profile *p;          /* where label sets are interned */
    char *err;                  /* SOURCE_ERR_MAX bytes */
    uint64_t frames;            /* frames of every stack decoded so far */
    uint32_t *fr;               /* this stack's frames, root first, at the end */
    size_t fr_cap;
    struct sample_span *spans;  /* this sample's label fields */
    size_t spans_cap;
    struct label *labels;
    size_t labels_cap;
    struct sample_key *keys;    /* raw label bytes -> set, SAMPLE_KEYS entries */
    uint32_t tag_set;           /* the set of a sample without labels but the tag, 0: not yet */
    struct arena arena;         /* sample_decode_reference's message */
    /* Held around interning a label set when two decoders share the
     * profile (pprof.c's split of pass 2); NULL: one decoder. */
    pthread_mutex_t *intern_lock;
};

/* One sample: the caller gives where its values go and how many frames
 * its batch holds already (their indexes must stay 32-bit); the decoder
 * gives its stack, root first, in the decoder's scratch until the next
 * call, and its label set. */
struct sample_out {
    size_t base;                /* in: frames before this stack */
    int64_t *vals;              /* in: the sample's width values */
    const uint32_t *frames;     /* out */
    size_t nframes;
    uint32_t set;
};

/* sample_decode's answers besides 0: a message in err, or the stack needs
 * more frames than the trie's node cap (pprof.c says which budget). */
#define SAMPLE_FAILED (-1)
#define SAMPLE_OVER_BUDGET (-2)

void sample_dec_init(struct sample_dec *d, const struct sample_tables *t, struct profile *p,
                     char *err);
void sample_dec_free(struct sample_dec *d);

/* Decodes the Sample message msg[0..len), the index'th of the file
 * (counted from 1, for the messages). out's frames and set are set only
 * when it returns 0. */
int sample_decode(struct sample_dec *d, const uint8_t *msg, size_t len, size_t index,
                  struct sample_out *out);

/* The same through protobuf_c_message_unpack: what ember did before
 * sample_decode, the reference it is tested against. */
int sample_decode_reference(struct sample_dec *d, const uint8_t *msg, size_t len,
                            size_t index, struct sample_out *out);

#endif
