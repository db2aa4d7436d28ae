/* pprof's Sample message decoded by hand (see pprof_sample.h).
 *
 * protobuf_c_message_unpack made a message of every sample before ember
 * read it (a scan of the fields, an array per repeated field, a message
 * per Label, all in an arena), then the stack was expanded leaf first and
 * reversed: about half of the parsing thread. Here the bytes are read once:
 * each location id is mapped to its frames as it comes, written root first
 * from the end of a scratch array (no reversal pass), each value is added
 * to its column, and labels are looked up by their raw bytes (most samples
 * repeat a few label combinations) before they are decoded at all.
 *
 * What it refuses is what libprotobuf-c 1.4.1 refuses (protobuf-c.c:
 * protobuf_c_message_unpack, parse_tag_and_wiretype,
 * scan_length_prefixed_data, parse_packed_repeated_member,
 * parse_required_member), for a Sample and for each Label in it:
 * - a key whose first byte has no field number bits, or of more than 5
 *   bytes; wire types 3, 4, 6 and 7;
 * - a varint of more than 10 bytes or cut by the end; a fixed-size field
 *   cut by the end; a length of more than 5 bytes, above INT_MAX or past
 *   the end;
 * - more than PBC_MAX_FIELDS fields in one message;
 * - a known field of the wrong wire type: location_id and value take a
 *   varint or a packed run of them (each ending within 10 bytes and
 *   inside the run), label a length-delimited Label, whose four fields
 *   take varints only.
 * Unknown fields are skipped by their wire type; a repeated scalar of a
 * Label keeps its last value. Any of these is "sample N: malformed
 * message"; then, as before, come the number of values, the stack (the
 * first location, in file order, that is not found or passes a budget)
 * and the labels' string indexes. */
#include "pprof_sample.h"

#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "profile.pb-c.h"
#include "sat.h"
#include "source.h"
#include "xalloc.h"

enum { WIRE_VARINT = 0, WIRE_I64 = 1, WIRE_LEN = 2, WIRE_I32 = 5 };
enum { F_LOCATION_ID = 1, F_VALUE = 2, F_LABEL = 3 };
enum { F_KEY = 1, F_STR = 2, F_NUM = 3, F_NUM_UNIT = 4 };

/* protobuf-c scans a message's fields into slabs of 16 << 0 .. 16 << 22
 * members and refuses the one field more. */
#define PBC_MAX_FIELDS (16 * ((UINT64_C(1) << 23) - 1))

/* Entries of the raw-label lookup, direct mapped: a miss only costs the
 * full path, so hostile keys cannot make it slower than that. */
#define SAMPLE_KEYS 1024

/* The stack's outcome: the old loop stopped at the first location that
 * failed, so only the first is kept. */
enum { STACK_OK, STACK_NOT_FOUND, STACK_NODES, STACK_FRAMES };

static int fail(struct sample_dec *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct sample_dec *d, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(d->err, SOURCE_ERR_MAX, fmt, ap);
    va_end(ap);
    return SAMPLE_FAILED;
}

static struct loc_ref location_ref(const struct sample_tables *t, uint32_t i)
{
    uint32_t a = t->loc_start[i], n = t->loc_start[i + 1] - a;

    return (struct loc_ref){ .first = n == 1 ? t->loc_frames[a] : a, .n = n };
}

static void index_locations(struct sample_dec *d)
{
    const struct sample_tables *t = &d->t;
    const struct idmap *m = t->loc_ids;

    d->refs_by_id = m->dense != NULL;
    d->nrefs = d->refs_by_id ? m->dense_len : t->nlocs;
    d->refs = xreallocarray(NULL, d->nrefs ? d->nrefs : 1, sizeof *d->refs);
    for (uint64_t i = 0; i < d->nrefs; i++) {
        uint32_t loc = d->refs_by_id ? m->dense[i] : (uint32_t)i;

        d->refs[i] = loc == INTMAP_NONE ? (struct loc_ref){ .n = LOC_REF_NONE }
                                        : location_ref(t, loc);
    }
}

void sample_dec_init(struct sample_dec *d, const struct sample_tables *t, struct profile *p,
                     char *err)
{
    memset(d, 0, sizeof *d);
    d->t = *t;
    d->p = p;
    d->err = err;
    d->keys = xcalloc(SAMPLE_KEYS, sizeof *d->keys);
    arena_init(&d->arena, 64 * 1024);
    index_locations(d);
}

void sample_dec_free(struct sample_dec *d)
{
    free(d->refs);
    free(d->fr);
    free(d->spans);
    free(d->labels);
    free(d->keys);
    arena_free(&d->arena);
    memset(d, 0, sizeof *d);
}

/* One field as protobuf-c reads it. */
struct field {
    uint32_t tag;
    unsigned wire;
    uint64_t varint;            /* WIRE_VARINT */
    const uint8_t *data;        /* WIRE_LEN: the bytes after the length */
    size_t len;
};

/* A varint of at most 10 bytes, ending before end; bits past the 64th are
 * dropped (protobuf-c's parse_uint64). */
static inline int get_varint(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
    const uint8_t *p = *pp;
    uint64_t v = 0;

    if (p < end && *p < 0x80) {         /* most ids and values */
        *out = *p;
        *pp = p + 1;
        return 0;
    }
    /* two and three bytes, unrolled: the ids of a big profile */
    if (end - p >= 2 && p[1] < 0x80) {
        *out = (p[0] & 0x7f) | (uint64_t)p[1] << 7;
        *pp = p + 2;
        return 0;
    }
    if (end - p >= 3 && p[2] < 0x80) {
        *out = (p[0] & 0x7f) | (uint64_t)(p[1] & 0x7f) << 7 | (uint64_t)p[2] << 14;
        *pp = p + 3;
        return 0;
    }
    for (unsigned shift = 0; shift < 64 && p < end; shift += 7) {
        uint8_t b = *p++;

        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            *pp = p;
            return 0;
        }
    }
    return -1;
}

/* parse_tag_and_wiretype: at most 5 bytes, the first with field bits (a
 * later byte may still make the number 0: an unknown field). */
static inline int get_tag(const uint8_t **pp, const uint8_t *end, struct field *f)
{
    const uint8_t *p = *pp;
    size_t max = end - p < 5 ? (size_t)(end - p) : 5;
    uint32_t tag = (p[0] & 0x7f) >> 3;

    if (!(p[0] & 0xf8))
        return -1;
    f->wire = p[0] & 7;
    if (p[0] < 0x80) {
        f->tag = tag;
        *pp = p + 1;
        return 0;
    }
    for (size_t i = 1, shift = 4; i < max; i++, shift += 7) {
        tag |= (uint32_t)(p[i] & 0x7f) << shift;
        if (!(p[i] & 0x80)) {
            f->tag = tag;
            *pp = p + i + 1;
            return 0;
        }
    }
    return -1;
}

/* scan_length_prefixed_data: a length of at most 5 bytes, at most INT_MAX,
 * whose bytes all lie before end. */
static inline int get_len(const uint8_t **pp, const uint8_t *end, size_t *len)
{
    const uint8_t *p = *pp;
    size_t rem = (size_t)(end - p), max = rem < 5 ? rem : 5, v = 0;

    for (size_t i = 0; i < max; i++) {
        v |= (size_t)(p[i] & 0x7f) << (7 * i);
        if (!(p[i] & 0x80)) {
            if (v > INT_MAX || v > rem - i - 1)
                return -1;
            *len = v;
            *pp = p + i + 1;
            return 0;
        }
    }
    return -1;
}

/* Reads the field at *pp (before end); -1 when protobuf-c would refuse its
 * key or its extent. */
static inline int get_field(const uint8_t **pp, const uint8_t *end, struct field *f)
{
    size_t n;

    if (get_tag(pp, end, f))
        return -1;
    switch (f->wire) {
    case WIRE_VARINT:
        return get_varint(pp, end, &f->varint);
    case WIRE_LEN:
        if (get_len(pp, end, &f->len))
            return -1;
        f->data = *pp;
        *pp += f->len;
        return 0;
    case WIRE_I64:
    case WIRE_I32:
        n = f->wire == WIRE_I64 ? 8 : 4;
        if ((size_t)(end - *pp) < n)
            return -1;
        *pp += n;
        return 0;
    }
    return -1;
}

/* Decodes a Label's fields into l (0 for those it lacks). */
static int parse_label(struct sample_span *l)
{
    const uint8_t *p = l->data, *end = p + l->len;
    uint64_t nfields = 0;
    struct field f;

    l->key = l->str = l->num = l->unit = 0;
    while (p < end) {
        if (get_field(&p, end, &f) || ++nfields > PBC_MAX_FIELDS)
            return -1;
        if (f.tag < F_KEY || f.tag > F_NUM_UNIT)
            continue;
        if (f.wire != WIRE_VARINT)
            return -1;
        switch (f.tag) {
        case F_KEY: l->key = (int64_t)f.varint; break;
        case F_STR: l->str = (int64_t)f.varint; break;
        case F_NUM: l->num = (int64_t)f.varint; break;
        default: l->unit = (int64_t)f.varint; break;
        }
    }
    return 0;
}

/* One sample on its way through the message. */
struct scan {
    struct sample_dec *d;
    int64_t *vals;
    uint64_t nframes, nvals;
    /* A location that brings nframes past lim - 1 fails a budget: the
     * lower of the trie's cap and what is left of the frame budget. */
    uint64_t lim;
    /* Below room, one frame more passes both budgets and fits in d->fr,
     * whose end is top: the usual location costs one comparison. 0 once
     * the stack failed. */
    uint64_t room;
    uint32_t *top;
    int stack;                  /* STACK_* */
    uint64_t bad_id;            /* STACK_NOT_FOUND's id */
    size_t nspans;
    /* The label fields' bytes, keys and all, while they lie back to back
     * (they always do in the profiles seen): their lookup key. */
    const uint8_t *key, *key_end;
    int key_whole;
};

/* Makes room for `need` frames in d->fr, keeping the `have` at its end. */
static void grow_frames(struct sample_dec *d, size_t have, size_t need)
{
    size_t cap = need * 2 > 256 ? need * 2 : 256;
    uint32_t *fr = xreallocarray(NULL, cap, sizeof *fr);

    if (have)
        memcpy(fr + cap - have, d->fr + d->fr_cap - have, have * sizeof *fr);
    free(d->fr);
    d->fr = fr;
    d->fr_cap = cap;
}

static void set_room(struct scan *s)
{
    uint64_t cap = s->d->fr_cap;

    s->top = s->d->fr + cap;
    s->room = s->lim ? s->lim - 1 : 0;
    if (s->room > cap)
        s->room = cap;
}

/* Expands location `id` (ids come leaf first): its frames, leaf first,
 * go below those of the locations before it, so that the stack reads root
 * first from s->top - nframes on. packed_locations does the usual case
 * itself. */
static void add_location(struct scan *s, uint64_t id)
{
    struct sample_dec *d = s->d;
    struct loc_ref r = { .n = LOC_REF_NONE };
    uint32_t *dst, n;

    if (s->stack != STACK_OK)
        return;
    if (d->refs_by_id) {
        if (id < d->nrefs)
            r = d->refs[id];
    } else {
        uint32_t loc = idmap_get(d->t.loc_ids, id);

        if (loc != INTMAP_NONE)
            r = d->refs[loc];
    }
    if ((n = r.n) == LOC_REF_NONE) {
        s->stack = STACK_NOT_FOUND;
        s->bad_id = id;
        s->room = 0;
        return;
    }
    if (s->nframes + n + 1 > s->lim) {
        /* the old order: the trie's cap, then the frame budget */
        s->stack = s->nframes + n >= *d->t.max_nodes ? STACK_NODES : STACK_FRAMES;
        s->room = 0;
        return;
    }
    if (s->nframes + n > d->fr_cap) {
        grow_frames(d, s->nframes, s->nframes + n);
        set_room(s);
    }
    dst = s->top - s->nframes;
    if (n == 1)
        dst[-1] = r.first;
    else
        for (uint32_t k = 0; k < n; k++)
            dst[-1 - (ptrdiff_t)k] = d->t.loc_frames[r.first + k];
    s->nframes += n;
}

static inline void add_value(struct scan *s, uint64_t v)
{
    if (s->nvals < s->d->t.ntypes) {
        int64_t *c = &s->vals[s->d->t.col[s->nvals]];

        *c = sat_add(*c, (int64_t)v);
    }
    s->nvals++;
}

/* A packed run of values. */
static int packed_values(struct scan *s, const struct field *f)
{
    const uint8_t *p = f->data, *end = p + f->len;
    uint64_t v;

    while (p < end) {
        if (get_varint(&p, end, &v))
            return -1;
        add_value(s, v);
    }
    return 0;
}

/* A packed run of location ids: most of a profile's bytes. The usual id
 * (dense, one frame, room for it) is done here, in registers. */
static int packed_locations(struct scan *s, const struct field *f)
{
    const uint8_t *p = f->data, *end = p + f->len;
    const struct loc_ref *refs = s->d->refs;
    uint64_t nrefs = s->d->refs_by_id ? s->d->nrefs : 0, id, n = s->nframes, room = s->room;
    uint32_t *top = s->top;

    while (p < end) {
        struct loc_ref r;

        if (get_varint(&p, end, &id))
            return -1;
        if (id < nrefs && (r = refs[id]).n == 1 && n < room) {
            top[-(ptrdiff_t)++n] = r.first;
            continue;
        }
        s->nframes = n;
        add_location(s, id);
        n = s->nframes;
        room = s->room;
        top = s->top;
    }
    s->nframes = n;
    return 0;
}

static void add_span(struct scan *s, const uint8_t *field, const struct field *f)
{
    struct sample_dec *d = s->d;

    if (s->nspans == d->spans_cap) {
        d->spans_cap = d->spans_cap ? d->spans_cap * 2 : 16;
        d->spans = xreallocarray(d->spans, d->spans_cap, sizeof *d->spans);
    }
    d->spans[s->nspans++] = (struct sample_span){ .data = f->data, .len = f->len };
    if (s->nspans == 1)
        s->key = field;
    else if (field != s->key_end)
        s->key_whole = 0;
    s->key_end = f->data + f->len;
}

/* Reads every field of the message; -1 when it is malformed. */
static int scan_sample(struct scan *s, const uint8_t *p, size_t len)
{
    const uint8_t *end = p + len, *at;
    uint64_t nfields = 0;
    struct field f;

    while (p < end) {
        at = p;
        if (get_field(&p, end, &f) || ++nfields > PBC_MAX_FIELDS)
            return -1;
        if (f.tag < F_LOCATION_ID || f.tag > F_LABEL)
            continue;
        if (f.wire == WIRE_LEN) {
            if (f.tag == F_LABEL)
                add_span(s, at, &f);
            else if (f.tag == F_LOCATION_ID ? packed_locations(s, &f) : packed_values(s, &f))
                return -1;
        } else if (f.wire != WIRE_VARINT || f.tag == F_LABEL) {
            return -1;
        } else if (f.tag == F_LOCATION_ID) {
            add_location(s, f.varint);
        } else {
            add_value(s, f.varint);
        }
    }
    return 0;
}

/* The entry that raw label bytes would be in. */
static struct sample_key *key_entry(struct sample_dec *d, const struct scan *s, uint64_t *hash)
{
    size_t n = (size_t)(s->key_end - s->key);

    if (!s->key_whole || !n || n > SAMPLE_KEY_MAX)
        return NULL;
    *hash = hash_bytes_keyed(s->key, n);
    return &d->keys[*hash & (SAMPLE_KEYS - 1)];
}

/* The label set when these bytes were seen before (*set), 1; else 0 with
 * every label decoded, or -1 when one is malformed. */
static int known_labels(struct sample_dec *d, const struct scan *s, uint32_t *set)
{
    uint64_t h;
    const struct sample_key *e;
    size_t n = (size_t)(s->key_end - s->key);

    if (!s->nspans) {
        *set = d->t.tag ? d->tag_set : 0;
        return !d->t.tag || d->tag_set;
    }
    e = key_entry(d, s, &h);
    if (e && e->len == n && e->hash == h && !memcmp(e->bytes, s->key, n)) {
        *set = e->set;
        return 1;
    }
    for (size_t i = 0; i < s->nspans; i++)
        if (parse_label(&d->spans[i]))
            return -1;
    return 0;
}

static int string_ref(struct sample_dec *d, int64_t idx, uint32_t *out, size_t index)
{
    if (idx < 0 || (uint64_t)idx >= d->t.nstr)
        return fail(d, "label of sample %zu: string index %" PRId64 " out of range "
                    "(string table has %zu entries)", index, idx, d->t.nstr);
    *out = d->t.gid[idx];
    return 0;
}

/* Room for n labels and the tag. */
static void reserve_labels(struct sample_dec *d, size_t n)
{
    if (n + 1 > d->labels_cap) {
        d->labels_cap = (n + 1) * 2;
        d->labels = xreallocarray(d->labels, d->labels_cap, sizeof *d->labels);
    }
}

/* profile_labelset, under d's lock when decoders run on two threads
 * (the label sets are the one thing they share). */
static uint32_t intern_locked(struct sample_dec *d, size_t n)
{
    uint32_t set;

    if (d->intern_lock)
        pthread_mutex_lock(d->intern_lock);
    set = profile_labelset(d->p, d->labels, n);
    if (d->intern_lock)
        pthread_mutex_unlock(d->intern_lock);
    return set;
}

/* Interns the decoded labels (their string indexes checked in order) with
 * the tag, and remembers their bytes. */
static int intern_labels(struct sample_dec *d, const struct scan *s, size_t index, uint32_t *set)
{
    const struct label *tag = d->t.tag;
    struct sample_key *e;
    size_t n = 0;
    uint64_t h;

    reserve_labels(d, s->nspans);
    for (size_t i = 0; i < s->nspans; i++) {
        const struct sample_span *l = &d->spans[i];
        struct label *out = &d->labels[n];

        *out = (struct label){ .num = l->num };
        if (string_ref(d, l->key, &out->key, index) || string_ref(d, l->str, &out->str, index) ||
            string_ref(d, l->unit, &out->unit, index))
            return SAMPLE_FAILED;
        n += !tag || out->key != tag->key;      /* the tag replaces it */
    }
    if (tag)
        d->labels[n++] = *tag;
    *set = intern_locked(d, n);
    if (!s->nspans)
        d->tag_set = *set;
    if ((e = key_entry(d, s, &h))) {
        e->hash = h;
        e->set = *set;
        e->len = (uint32_t)(s->key_end - s->key);
        memcpy(e->bytes, s->key, e->len);
    }
    return 0;
}

/* The first stack error, as the old loop gave it. */
static int stack_error(struct sample_dec *d, const struct scan *s, size_t index)
{
    switch (s->stack) {
    case STACK_NOT_FOUND:
        return fail(d, "sample %zu: location %" PRIu64 " not found", index, s->bad_id);
    case STACK_NODES:
        return SAMPLE_OVER_BUDGET;
    default:
        return fail(d, "sample %zu: stacks expand to more than %" PRIu64 " frames "
                    "(%d per byte of profile data)", index, d->t.frames_max, FRAMES_PER_BYTE);
    }
}

/* The batch's stacks must stay 32-bit indexable. */
static int check_stack_len(struct sample_dec *d, const struct sample_out *out, size_t k,
                           size_t index)
{
    if (out->base + k > UINT32_MAX)
        return fail(d, "sample %zu: stacks too large", index);
    return 0;
}

int sample_decode(struct sample_dec *d, const uint8_t *msg, size_t len, size_t index,
                  struct sample_out *out)
{
    struct scan s = { .d = d, .vals = out->vals, .key_whole = 1 };
    uint64_t left = d->t.frames_max - d->frames + 1;
    uint32_t set = 0;
    int known = 0;

    s.lim = *d->t.max_nodes < left ? *d->t.max_nodes : left;
    set_room(&s);
    memset(out->vals, 0, d->t.width * sizeof *out->vals);
    if (scan_sample(&s, msg, len) || (known = known_labels(d, &s, &set)) < 0)
        return fail(d, "sample %zu: malformed message", index);
    if (s.nvals != d->t.ntypes)
        return fail(d, "sample %zu: %" PRIu64 " values for %zu sample types", index, s.nvals,
                    d->t.ntypes);
    if (s.stack != STACK_OK)
        return stack_error(d, &s, index);
    if (check_stack_len(d, out, s.nframes, index))
        return SAMPLE_FAILED;
    if (!known && intern_labels(d, &s, index, &set))
        return SAMPLE_FAILED;
    out->frames = s.top - s.nframes;
    out->nframes = s.nframes;
    out->set = set;
    d->frames += s.nframes;
    return 0;
}

/* The reference: the message unpacked by protobuf-c, then read as ember
 * read it before sample_decode. */

typedef Perftools__Profiles__Sample pb_sample;

static void *pb_alloc(void *arena, size_t n)
{
    return arena_alloc(arena, n);
}

static void pb_free(void *arena, void *ptr)
{
    (void)arena;
    (void)ptr;
}

/* Appends the frames of every location of s, leaf first, then reverses
 * them so that the stack reads root first. */
static int reference_stack(struct sample_dec *d, const pb_sample *s, size_t index,
                           struct sample_out *out)
{
    size_t n = 0, first = 0;

    for (size_t i = 0; i < s->n_location_id; i++) {
        uint32_t loc = idmap_get(d->t.loc_ids, s->location_id[i]), len;

        if (loc == INTMAP_NONE)
            return fail(d, "sample %zu: location %" PRIu64 " not found", index,
                        s->location_id[i]);
        len = d->t.loc_start[loc + 1] - d->t.loc_start[loc];
        if ((n - first) + len >= *d->t.max_nodes)
            return SAMPLE_OVER_BUDGET;
        if (d->frames + (n - first) + len > d->t.frames_max)
            return fail(d, "sample %zu: stacks expand to more than %" PRIu64 " frames "
                        "(%d per byte of profile data)", index, d->t.frames_max,
                        FRAMES_PER_BYTE);
        if (n + len > d->fr_cap) {
            d->fr_cap = (n + len) * 2;
            d->fr = xreallocarray(d->fr, d->fr_cap, sizeof *d->fr);
        }
        for (uint32_t k = 0; k < len; k++)
            d->fr[n + k] = d->t.loc_frames[d->t.loc_start[loc] + k];
        n += len;
    }
    for (size_t i = first, j = n; i + 1 < j; i++, j--) {
        uint32_t t = d->fr[i];

        d->fr[i] = d->fr[j - 1];
        d->fr[j - 1] = t;
    }
    if (check_stack_len(d, out, n, index))
        return SAMPLE_FAILED;
    d->frames += n;
    out->frames = d->fr;
    out->nframes = n;
    return 0;
}

static int reference_labels(struct sample_dec *d, const pb_sample *s, size_t index,
                            uint32_t *set)
{
    size_t n = 0;

    reserve_labels(d, s->n_label);
    for (size_t i = 0; i < s->n_label; i++) {
        const Perftools__Profiles__Label *l = s->label[i];
        struct label *out = &d->labels[n];

        *out = (struct label){ .num = l->num };
        if (string_ref(d, l->key, &out->key, index) || string_ref(d, l->str, &out->str, index) ||
            string_ref(d, l->num_unit, &out->unit, index))
            return SAMPLE_FAILED;
        n += !d->t.tag || out->key != d->t.tag->key;
    }
    if (d->t.tag)
        d->labels[n++] = *d->t.tag;
    *set = intern_locked(d, n);
    return 0;
}

static int reference_sample(struct sample_dec *d, const pb_sample *s, size_t index,
                            struct sample_out *out)
{
    int64_t *v = out->vals;
    int r;

    if (s->n_value != d->t.ntypes)
        return fail(d, "sample %zu: %zu values for %zu sample types", index, s->n_value,
                    d->t.ntypes);
    if ((r = reference_stack(d, s, index, out)) || (r = reference_labels(d, s, index, &out->set)))
        return r;
    memset(v, 0, d->t.width * sizeof *v);
    for (size_t i = 0; i < d->t.ntypes; i++)
        v[d->t.col[i]] = sat_add(v[d->t.col[i]], s->value[i]);
    return 0;
}

int sample_decode_reference(struct sample_dec *d, const uint8_t *msg, size_t len,
                            size_t index, struct sample_out *out)
{
    ProtobufCAllocator a = { pb_alloc, pb_free, &d->arena };
    pb_sample *s = perftools__profiles__sample__unpack(&a, len, msg);
    int r;

    r = s ? reference_sample(d, s, index, out) : fail(d, "sample %zu: malformed message", index);
    arena_reset(&d->arena);
    return r;
}
