/* pprof decoding. The top-level Profile message is walked field by field
 * (pass 1 collects strings, functions, locations and scalars; pass 2 streams
 * the samples). Pass 1's sub-messages are unpacked by libprotobuf-c into an
 * arena; pass 2's samples, most of a profile, are decoded by hand straight
 * into the batch (pprof_sample.c): a huge profile is never held unpacked as
 * a whole. */
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arena.h"
#include "granularity.h"
#include "intmap.h"
#include "pprof_sample.h"
#include "profile.pb-c.h"
#include "sat.h"
#include "source.h"
#include "xalloc.h"

/* Parsed samples on their way into the trie and the profile. */
struct batch {
    uint32_t *stack;            /* every stack's frames, each root first */
    size_t stack_len, stack_cap;
    uint32_t *start, *set, *leaf, pending, cap;
    uint32_t *end;              /* NULL, or where each stack ends (join_batch) */
    uint32_t width;             /* values a sample: the file's own types */
    int64_t *vals;              /* pending x width, in the order of profile_row */
    size_t last;                /* index of the last sample put in */
};

typedef Perftools__Profiles__Location pb_location;
typedef Perftools__Profiles__Function pb_function;
typedef Perftools__Profiles__ValueType pb_value_type;
typedef Perftools__Profiles__Mapping pb_mapping;

enum { WIRE_VARINT = 0, WIRE_I64 = 1, WIRE_LEN = 2, WIRE_I32 = 5 };

enum {
    F_SAMPLE_TYPE = 1, F_SAMPLE = 2, F_MAPPING = 3, F_LOCATION = 4, F_FUNCTION = 5, F_STRING = 6,
    F_TIME = 9, F_DURATION = 10, F_PERIOD_TYPE = 11, F_PERIOD = 12, F_DEFAULT_TYPE = 14,
};

struct pb_field {
    uint32_t num, wire;
    uint64_t varint;
    const uint8_t *data;
    size_t len;
};

struct pprof {
    struct profile *p;
    const uint8_t *data;
    size_t len;
    char *err;
    struct arena keep;
    ProtobufCAllocator keep_alloc;

    size_t nstr;                /* string_table entries; pass 1 only counts them */
    uint32_t *gid;              /* string index -> interned id (4 bytes, sized once) */

    pb_value_type **types, *period_type;
    size_t ntypes, types_cap;
    uint32_t *type_map;         /* local sample type -> profile type */
    uint32_t *col;              /* local sample type -> column of the source's values */
    uint32_t width;             /* columns: the distinct types of the file */
    pb_function **fns;
    size_t nfns, fns_cap;
    pb_location **locs;
    size_t nlocs, locs_cap;
    pb_mapping **maps;
    size_t nmaps, maps_cap;
    size_t nsamples;
    uint64_t nids;              /* location ids in every sample, for sizing */
    uint64_t frames_max;        /* stack frames the file may expand to */
    int nodes_by_memory;        /* the trie's node cap comes from the memory budget */
    int64_t time, duration, period, default_type;

    struct idmap fn_ids, loc_ids, map_ids;
    uint32_t *loc_start, *loc_frames;   /* location i: loc_frames[loc_start[i]..[i+1]) */

    uint32_t source;
    /* The samples wait in one batch, so that their stacks enter the trie
     * together (see CHUNK_FRAMES). */
    struct batch *fill, batch;
    uint64_t frames_expected;   /* reserve_trie's estimate of the stacks' frames */
    uint64_t nodes_expected;    /* and of the trie's nodes after the file, for a large one */
    const struct load_options *opts;
    struct label tag;           /* load_options' tag_key=tag_value, when has_tag */
    int has_tag;
    struct sample_dec dec;      /* pass 2's decoder of Sample messages */
    int split;                  /* pass 2's second half runs on another thread */
};

static void *pb_alloc(void *arena, size_t n)
{
    return arena_alloc(arena, n);
}

static void pb_free(void *arena, void *ptr)
{
    (void)arena;
    (void)ptr;
}

static int fail(struct pprof *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct pprof *x, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(x->err, SOURCE_ERR_MAX, fmt, ap);
    va_end(ap);
    return -1;
}

static int read_varint(const uint8_t *d, size_t len, size_t *pos, uint64_t *out)
{
    uint64_t v = 0;

    for (unsigned shift = 0; shift < 64 && *pos < len; shift += 7) {
        uint8_t b = d[(*pos)++];

        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

/* Reads the field at *pos. Returns 1, 0 at the end, -1 when malformed, -2
 * when the data ends inside the field. */
static int next_field(const uint8_t *d, size_t len, size_t *pos, struct pb_field *f)
{
    uint64_t key, n;

    if (*pos >= len)
        return 0;
    if (read_varint(d, len, pos, &key) || key >> 32 || !(key >> 3))
        return -1;
    f->num = (uint32_t)(key >> 3);
    f->wire = key & 7;
    switch (f->wire) {
    case WIRE_VARINT:
        return read_varint(d, len, pos, &f->varint) ? (*pos >= len ? -2 : -1) : 1;
    case WIRE_I64:
    case WIRE_I32:
        n = f->wire == WIRE_I64 ? 8 : 4;
        break;
    case WIRE_LEN:
        if (read_varint(d, len, pos, &n))
            return -1;
        break;
    default:
        return -1;
    }
    if (n > len - *pos)
        return -2;
    f->data = d + *pos;
    f->len = (size_t)n;
    *pos += (size_t)n;
    return 1;
}

#define PUSH(arr, count, cap, item)                                            \
    do {                                                                       \
        if ((count) == (cap)) {                                                \
            (cap) = (cap) ? (cap) * 2 : 64;                                    \
            (arr) = xreallocarray((arr), (cap), sizeof *(arr));                \
        }                                                                      \
        (arr)[(count)++] = (item);                                             \
    } while (0)

/* How many location ids a Sample message holds, without unpacking it: a
 * packed field has one varint end (a byte below 0x80) per id. */
static uint64_t count_location_ids(const uint8_t *d, size_t len)
{
    struct pb_field f;
    size_t pos = 0;
    uint64_t n = 0;

    while (next_field(d, len, &pos, &f) > 0) {
        if (f.num != 1)
            continue;
        if (f.wire == WIRE_VARINT)
            n++;
        else if (f.wire == WIRE_LEN)
            for (size_t i = 0; i < f.len; i++)
                n += f.data[i] < 0x80;
    }
    return n;
}

/* Unpacks a sub-message that is kept until the end of loading. */
static void *unpack_kept(struct pprof *x, const ProtobufCMessageDescriptor *desc,
                         const struct pb_field *f)
{
    return protobuf_c_message_unpack(desc, &x->keep_alloc, f->len, f->data);
}

static int collect_message(struct pprof *x, const struct pb_field *f)
{
    void *m;

    switch (f->num) {
    case F_SAMPLE:
        x->nsamples++;
        x->nids += count_location_ids(f->data, f->len);
        return 0;
    case F_STRING:
        /* An empty string is 2 bytes of input: what it costs here must stay
         * a small constant, so pass 1 only counts (intern_strings reads the
         * table again). */
        if (!x->nstr++ && f->len)
            return fail(x, "not a pprof profile (string table must start with \"\")");
        return 0;
    case F_SAMPLE_TYPE:
    case F_PERIOD_TYPE:
        /* Caps are checked as entries arrive: a flood of 2-byte empty
         * messages must not be kept before a limit is seen. */
        if (f->num == F_SAMPLE_TYPE && x->ntypes == PROFILE_MAX_TYPES)
            return fail(x, "more than %d sample types (at most %d)", PROFILE_MAX_TYPES,
                        PROFILE_MAX_TYPES);
        if (!(m = unpack_kept(x, &perftools__profiles__value_type__descriptor, f)))
            return fail(x, "malformed sample type");
        if (f->num == F_PERIOD_TYPE)
            x->period_type = m;
        else
            PUSH(x->types, x->ntypes, x->types_cap, m);
        return 0;
    case F_LOCATION:
        if (!(m = unpack_kept(x, &perftools__profiles__location__descriptor, f)))
            return fail(x, "location %zu: malformed message", x->nlocs + 1);
        if (!((pb_location *)m)->id)
            return fail(x, "location %zu has id 0", x->nlocs + 1);
        PUSH(x->locs, x->nlocs, x->locs_cap, m);
        return 0;
    case F_FUNCTION:
        if (!(m = unpack_kept(x, &perftools__profiles__function__descriptor, f)))
            return fail(x, "function %zu: malformed message", x->nfns + 1);
        if (!((pb_function *)m)->id)
            return fail(x, "function %zu has id 0", x->nfns + 1);
        PUSH(x->fns, x->nfns, x->fns_cap, m);
        return 0;
    case F_MAPPING:
        if (!(m = unpack_kept(x, &perftools__profiles__mapping__descriptor, f)))
            return fail(x, "mapping %zu: malformed message", x->nmaps + 1);
        if (!((pb_mapping *)m)->id)
            return fail(x, "mapping %zu has id 0", x->nmaps + 1);
        PUSH(x->maps, x->nmaps, x->maps_cap, m);
        return 0;
    }
    return 0;                   /* comments, unknown fields */
}

static int collect_scalar(struct pprof *x, const struct pb_field *f)
{
    int64_t v = (int64_t)f->varint;

    switch (f->num) {
    case F_TIME: x->time = v; break;
    case F_DURATION: x->duration = v; break;
    case F_PERIOD: x->period = v; break;
    case F_DEFAULT_TYPE: x->default_type = v; break;
    case F_SAMPLE_TYPE: case F_SAMPLE: case F_MAPPING: case F_LOCATION: case F_FUNCTION:
    case F_STRING: case F_PERIOD_TYPE:
        return fail(x, "malformed protobuf: field %u has the wrong wire type", f->num);
    }
    return 0;
}

/* Pass 1: everything but the samples. */
static int collect(struct pprof *x)
{
    struct pb_field f;
    size_t pos = 0;
    int r;

    while ((r = next_field(x->data, x->len, &pos, &f)) > 0) {
        if (f.wire == WIRE_LEN ? collect_message(x, &f) : collect_scalar(x, &f))
            return -1;
    }
    if (r == -2)
        return fail(x, "truncated pprof data (a field at byte %zu runs past the end)", pos);
    if (r < 0)
        return fail(x, "not a pprof profile (malformed protobuf near byte %zu)", pos);
    if (!x->nstr)
        return fail(x, "not a pprof profile (string table must start with \"\")");
    if (!x->ntypes)
        return fail(x, "not a pprof profile (no sample types)");
    return 0;
}

/* Checks a string index and returns its interned id through *out. */
static int string_ref(struct pprof *x, int64_t idx, uint32_t *out, const char *what, uint64_t id)
{
    if (idx < 0 || (uint64_t)idx >= x->nstr)
        return fail(x, "%s %" PRIu64 ": string index %" PRId64 " out of range "
                    "(string table has %zu entries)", what, id, idx, x->nstr);
    *out = x->gid[idx];
    return 0;
}

/* Pass 1 checked the fields and counted the strings: read them again. */
static void intern_strings(struct pprof *x)
{
    struct pb_field f;
    size_t pos = 0, i = 0;

    x->gid = xmalloc(x->nstr * sizeof *x->gid);
    while (i < x->nstr && next_field(x->data, x->len, &pos, &f) > 0) {
        if (f.num != F_STRING || f.wire != WIRE_LEN)
            continue;
        /* string 0 is "": a flood of empty strings needs no lookups */
        x->gid[i] = i && !f.len ? x->gid[0] : profile_intern(x->p, (const char *)f.data, f.len);
        i++;
    }
}

static int idmap_build(struct pprof *x, struct idmap *m, const uint64_t *ids, size_t n,
                       const char *what)
{
    uint64_t max = 0;

    for (size_t i = 0; i < n; i++)
        max = ids[i] > max ? ids[i] : max;
    memset(m, 0, sizeof *m);
    if (max <= 4 * (uint64_t)n + 1024) {
        m->dense_len = max + 1;
        m->dense = xmalloc(m->dense_len * sizeof *m->dense);
        memset(m->dense, 0xff, m->dense_len * sizeof *m->dense);
    } else {
        intmap_init(&m->sparse, (uint32_t)n);
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t old;

        if (!ids[i])
            return fail(x, "%s %zu has id 0", what, i + 1);
        if (m->dense) {
            old = m->dense[ids[i]];
            m->dense[ids[i]] = (uint32_t)i;
        } else {
            old = intmap_put(&m->sparse, ids[i], (uint32_t)i);
        }
        if (old != INTMAP_NONE)
            return fail(x, "duplicate %s id %" PRIu64, what, ids[i]);
    }
    return 0;
}

static void idmap_free(struct idmap *m)
{
    free(m->dense);
    if (m->sparse.vals)
        intmap_free(&m->sparse);
}

static int map_ids(struct pprof *x)
{
    size_t most = x->nfns > x->nlocs ? x->nfns : x->nlocs;
    uint64_t *ids = xmalloc((most > x->nmaps ? most : x->nmaps) * sizeof *ids + 1);
    int r;

    for (size_t i = 0; i < x->nfns; i++)
        ids[i] = x->fns[i]->id;
    r = idmap_build(x, &x->fn_ids, ids, x->nfns, "function");
    for (size_t i = 0; !r && i < x->nlocs; i++)
        ids[i] = x->locs[i]->id;
    if (!r)
        r = idmap_build(x, &x->loc_ids, ids, x->nlocs, "location");
    for (size_t i = 0; !r && i < x->nmaps; i++)
        ids[i] = x->maps[i]->id;
    if (!r)
        r = idmap_build(x, &x->map_ids, ids, x->nmaps, "mapping");
    free(ids);
    return r;
}

static enum granularity load_granularity(const struct pprof *x)
{
    return x->opts ? x->opts->granularity : GRAN_FUNCTIONS;
}

/* The mapping file of loc (string id, 0 = none) into *object. */
static int location_object(struct pprof *x, const pb_location *loc, uint32_t *object)
{
    uint32_t m = loc->mapping_id ? idmap_get(&x->map_ids, loc->mapping_id) : INTMAP_NONE;

    *object = 0;
    if (loc->mapping_id && m == INTMAP_NONE)
        return fail(x, "location %" PRIu64 ": mapping %" PRIu64 " not found", loc->id,
                    loc->mapping_id);
    if (m != INTMAP_NONE && string_ref(x, x->maps[m]->filename, object, "mapping",
                                       x->maps[m]->id))
        return -1;
    return 0;
}

/* The frame of one Line of location loc. At function granularity a named
 * function is its own frame (the common case, kept short); every other
 * case is named as pprof names its node (granularity.c). */
static int line_frame(struct pprof *x, const pb_location *loc, const Perftools__Profiles__Line *ln,
                      uint32_t object, uint32_t *frame)
{
    uint32_t i = idmap_get(&x->fn_ids, ln->function_id), name = 0, file = 0;
    enum granularity g = load_granularity(x);
    const pb_function *fn;

    if (i == INTMAP_NONE)
        return fail(x, "location %" PRIu64 ": function %" PRIu64 " not found",
                    loc->id, ln->function_id);
    fn = x->fns[i];
    if (string_ref(x, fn->name, &name, "function", fn->id) ||
        string_ref(x, fn->filename, &file, "function", fn->id))
        return -1;
    if (g == GRAN_FUNCTIONS && *profile_str(x->p, name)) {
        *frame = profile_frame_of(x->p, &(struct frame){ .name = name, .file = file,
                                                          .line = fn->start_line, .func = name,
                                                          .object = object });
        return 0;
    }
    *frame = granularity_frame(x->p, g, &(struct frame_parts){
        .has_func = 1, .func = name, .file = file, .start_line = fn->start_line,
        .line = ln->line, .column = ln->column, .object = object, .addr = loc->address });
    return 0;
}

/* A location without line information is named, as pprof names it, by its
 * address at addresses granularity, then its mapping's file: "[libfoo.so]",
 * else "<unknown>". */
static int address_frame(struct pprof *x, const pb_location *loc, uint32_t object,
                         uint32_t *frame)
{
    *frame = granularity_frame(x->p, load_granularity(x), &(struct frame_parts){
        .object = object, .addr = loc->address });
    return 0;
}

/* Distinct call-tree nodes, each costing the explorer PROFILE_NODE_BYTES,
 * are held to one per byte of profile data (no more than the frames of a
 * real profile), plus a floor for small files. */
#define NODES_PER_BYTE 1
#define NODES_FLOOR 65536

/* Sizes the trie's hash once for a large load instead of doubling it over
 * and over: about two thirds of the frames are new paths in a profile of
 * distinct stacks. Small loads grow as they go. The counts are not checked
 * yet (an id may name no location, one location may hold thousands of
 * lines), so the estimate is held to twice the ids and to the frame budget:
 * what is reserved stays in proportion to the file. */
static void reserve_trie(struct pprof *x, size_t loc_frames)
{
    double per_loc = x->nlocs ? (double)loc_frames / (double)x->nlocs : 0;
    uint64_t frames = (uint64_t)((double)x->nids * (per_loc < 2 ? per_loc : 2));

    if (frames > x->frames_max)
        frames = x->frames_max;
    if (frames / 3 * 2 > (uint64_t)x->len * NODES_PER_BYTE)    /* the node cap (cap_nodes) */
        frames = (uint64_t)x->len * NODES_PER_BYTE / 2 * 3;
    x->frames_expected = frames;
    if (frames >= (1u << 20)) {
        x->nodes_expected = x->p->trie.count + frames / 3 * 2;
        trie_reserve(&x->p->trie, x->nodes_expected);
    }
}

/* Expands every location into its frames, leaf first. */
static int resolve_locations(struct pprof *x)
{
    size_t total = 0, k = 0;

    for (size_t i = 0; i < x->nlocs; i++)
        total += x->locs[i]->n_line ? x->locs[i]->n_line : 1;
    x->loc_start = xmalloc((x->nlocs + 1) * sizeof *x->loc_start);
    x->loc_frames = xmalloc((total + 1) * sizeof *x->loc_frames);
    for (size_t i = 0; i < x->nlocs; i++) {
        const pb_location *loc = x->locs[i];

        uint32_t object;

        x->loc_start[i] = (uint32_t)k;
        if (location_object(x, loc, &object))
            return -1;
        if (!loc->n_line && address_frame(x, loc, object, &x->loc_frames[k++]))
            return -1;
        for (size_t j = 0; j < loc->n_line; j++) {
            if (line_frame(x, loc, loc->line[j], object, &x->loc_frames[k++]))
                return -1;
            struct frame *f = &x->p->frames[x->loc_frames[k - 1]];

            if (!f->sample_line)        /* the status bar's line when Go gave no start */
                f->sample_line = loc->line[j]->line;
        }
    }
    x->loc_start[x->nlocs] = (uint32_t)k;
    reserve_trie(x, k);
    return 0;
}

/* Maps the file's sample types to the profile's, adding the new ones at
 * once (collect() has bounded their number). */
static int resolve_types(struct pprof *x)
{
    uint32_t want = UINT32_MAX, first = x->p->nsources == 0;
    struct sample_type t[PROFILE_MAX_TYPES];

    if (x->default_type && string_ref(x, x->default_type, &want, "default sample type", 0))
        return -1;
    for (size_t i = 0; i < x->ntypes; i++)
        if (string_ref(x, x->types[i]->type, &t[i].type, "sample type", i + 1) ||
            string_ref(x, x->types[i]->unit, &t[i].unit, "sample type", i + 1))
            return -1;
    x->type_map = xmalloc(x->ntypes * sizeof *x->type_map);
    if (profile_types(x->p, t, x->ntypes, x->type_map))
        return fail(x, "with the profiles before it, more than %d sample types",
                    PROFILE_MAX_TYPES);
    /* pprof's rule: the default sample type, else the last one. */
    for (size_t i = 0; first && i < x->ntypes; i++)
        if (t[i].type == want || (want == UINT32_MAX && i == x->ntypes - 1))
            x->p->default_type = x->type_map[i];
    return 0;
}

static int add_source(struct pprof *x, uint32_t name)
{
    struct source s = { .name = name, .time_nanos = x->time, .duration_nanos = x->duration,
                        .period = x->period };

    if (x->period_type &&
        (string_ref(x, x->period_type->type, &s.period_type.type, "period type", 0) ||
         string_ref(x, x->period_type->unit, &s.period_type.unit, "period type", 0)))
        return -1;
    for (size_t i = 0; i < x->ntypes; i++)
        s.types |= 1ull << x->type_map[i];      /* resolve_types kept them below 64 */
    /* The source's samples keep a value for each of its own types, in
     * type order (profile_row). */
    x->col = xmalloc(x->ntypes * sizeof *x->col);
    for (size_t i = 0; i < x->ntypes; i++)
        x->col[i] = (uint32_t)__builtin_popcountll(s.types & ((1ull << x->type_map[i]) - 1));
    x->width = (uint32_t)__builtin_popcountll(s.types);
    x->source = profile_add_source(x->p, &s);
    return 0;
}

/* The batch starts with room for BATCH samples and doubles as it fills. */
#define BATCH 4096
/* The stacks enter the trie once the file is read, all at once, or once
 * they hold this many frames (512 MB), a chunk at a time: the trie is built
 * by grouping the stacks (trie_insert_batch), and the first chunk into an
 * empty trie needs no hash, so the fewer the chunks the faster. The memory
 * the batch holds counts against the model's budget (batch_bytes). */
#define CHUNK_FRAMES (1u << 27)

/* The message for a file past the node cap, by what set the cap. */
static int over_budget(struct pprof *x, size_t index)
{
    const struct profile *p = x->p;

    if (!x->nodes_by_memory && (p->trie.full || !p->budget || profile_cost(p) <= p->budget))
        return fail(x, "the call tree grows past %u nodes by sample %zu (%d per byte of "
                    "profile data)", p->trie.max_nodes - 1, index, NODES_PER_BYTE);
    return fail(x, "the profiles need more than %" PRIu64 " MiB of memory by sample %zu "
                "(limit %d x --max-size; --max-size raises it)", p->budget >> 20, index,
                PROFILE_BUDGET_PER_MAX);
}

/* Maps ahead, on the other core, the pages a large load and what follows
 * it will write: on a VM the first touch of a page costs more than the work
 * on it (0.7 s of the bench profile's build, when it faulted its nodes in
 * itself). First the stacks, which the parse writes from the start; then
 * the nodes, which the build writes in order (the thread stays ahead of
 * it: it runs on through the build); then the arrays the caller said it
 * allocates next (load_options.stock). It is stopped when the load ends,
 * whatever is left then is faulted in as it is written. */
struct prefaulter {
    pthread_t thread;
    const struct trie *t;
    uint64_t nodes;
    char *stack;                /* the batch's stacks as reserved at the start */
    size_t stack_bytes;
    const uint8_t *stock;       /* bytes a node of each array to stock, 0 ends */
    int stop, running;
};

static void *prefault_main(void *arg)
{
    struct prefaulter *f = arg;
    const size_t step = (size_t)2 << 20;
    uint64_t cursor = 0;

    /* The stacks move if a stack outgrows the estimate: then the old range
     * is gone (ENOMEM) and their pages come as they are written. Populating
     * changes no byte: racing the parse and the build is harmless. */
#ifdef MADV_POPULATE_WRITE
    for (size_t at = 0; at < f->stack_bytes && !__atomic_load_n(&f->stop, __ATOMIC_RELAXED);
         at += step)
        if (madvise(f->stack + at, f->stack_bytes - at < step ? f->stack_bytes - at : step,
                    MADV_POPULATE_WRITE))
            break;
#endif
    while (!__atomic_load_n(&f->stop, __ATOMIC_RELAXED) && trie_prefault(f->t, f->nodes, &cursor))
        ;
    for (int i = 0; i < LOAD_STOCK_MAX && f->stock[i] && !__atomic_load_n(&f->stop, __ATOMIC_RELAXED); i++)
        xbig_stock((size_t)f->nodes * f->stock[i] + 64, &f->stop);
    return NULL;
}

static void prefault_start(struct prefaulter *f, const struct pprof *x)
{
    static const uint8_t none[1];

    *f = (struct prefaulter){ .t = &x->p->trie, .nodes = x->nodes_expected,
                              .stack = (char *)x->batch.stack,
                              /* split, each half's thread maps its own */
                              .stack_bytes = x->split ? 0 : x->batch.stack_cap * sizeof *x->batch.stack,
                              .stock = x->opts ? x->opts->stock : none };
    f->running = f->nodes && !pthread_create(&f->thread, NULL, prefault_main, f);
}

static void prefault_stop(struct prefaulter *f)
{
    __atomic_store_n(&f->stop, 1, __ATOMIC_RELAXED);
    if (f->running)
        pthread_join(f->thread, NULL);
    f->running = 0;
}

/* Room for `frames` frames of stacks: a large array, whose pages the
 * per-node totals take over once the trie is built (xbig_free). */
static void batch_reserve(struct batch *b, size_t frames)
{
    if (frames <= b->stack_cap)
        return;
    if (frames > SIZE_MAX / sizeof *b->stack)
        fatal("stacks too large (%zu frames)", frames);
    b->stack = xbig_realloc(b->stack, b->stack_cap * sizeof *b->stack, frames * sizeof *b->stack);
    b->stack_cap = frames;
}

static void batch_init(struct batch *b, uint32_t width, uint64_t frames)
{
    memset(b, 0, sizeof *b);
    b->width = width;
    b->cap = BATCH;
    b->start = xmalloc((BATCH + 1) * sizeof *b->start);
    b->set = xmalloc(BATCH * sizeof *b->set);
    b->leaf = xmalloc(BATCH * sizeof *b->leaf);
    b->vals = xmalloc((size_t)BATCH * (width ? width : 1) * sizeof *b->vals);
    /* The stacks' room up front (reserve_trie's estimate, held to the
     * frame budget): no copy of a 100 MB buffer as it doubles. */
    batch_reserve(b, frames < CHUNK_FRAMES ? (size_t)frames : CHUNK_FRAMES);
}

static void batch_free(struct batch *b)
{
    xbig_free(b->stack, b->stack_cap * sizeof *b->stack);
    free(b->end);
    free(b->start);
    free(b->set);
    free(b->leaf);
    free(b->vals);
}

static uint64_t batch_bytes(const struct batch *b)
{
    return (uint64_t)b->stack_cap * sizeof *b->stack +
           (uint64_t)b->cap * (3 * sizeof(uint32_t) + (b->width ? b->width : 1) * sizeof *b->vals);
}

static void batch_grow(struct batch *b)
{
    uint32_t w = b->width ? b->width : 1;

    b->cap *= 2;
    b->start = xreallocarray(b->start, (size_t)b->cap + 1, sizeof *b->start);
    b->set = xreallocarray(b->set, b->cap, sizeof *b->set);
    b->leaf = xreallocarray(b->leaf, b->cap, sizeof *b->leaf);
    b->vals = xreallocarray(b->vals, (size_t)b->cap * w, sizeof *b->vals);
}

/* Inserts the batch's stacks and adds its samples to the profile. */
static void insert_batch(struct profile *p, uint32_t source, struct batch *b)
{
    uint32_t w = b->width;

    b->start[b->pending] = (uint32_t)b->stack_len;
    trie_insert_stacks(&p->trie, b->stack, b->start, b->end, b->pending, b->leaf);
    profile_reserve_samples(p, b->pending, source);
    for (uint32_t i = 0; i < b->pending; i++) {
        size_t s = profile_add_sample(p, b->leaf[i], b->set[i], source);

        memcpy(profile_row(p, s), b->vals + (size_t)i * w, w * sizeof *b->vals);
    }
    b->pending = 0;
    b->stack_len = 0;
}

/* Refuses the file once what was inserted passed a budget: the trie's
 * node cap (it stopped growing) or the model's memory. `index` is the last
 * sample read (the budget was passed by then). */
static int check_budget(struct pprof *x, size_t index)
{
    const struct profile *p = x->p;

    if (p->trie.full || (p->budget && profile_cost(p) > p->budget))
        return over_budget(x, index);
    return 0;
}

/* Called as the batch fills (and with last set once the file is read):
 * grows it while it may hold more, else inserts what it holds. */
static int flush_batch(struct pprof *x, int last)
{
    struct batch *b = x->fill;
    const struct profile *p = x->p;

    if (!b->pending)
        return 0;
    /* Split, nothing is built before the halves join: the second half's
     * thread shares the profile (its label sets) till then. */
    if (!last && (x->split || (b->stack_len < CHUNK_FRAMES &&
                               (!p->budget || profile_cost(p) + 2 * batch_bytes(b) <= p->budget)))) {
        if (b->pending == b->cap)
            batch_grow(b);
        return 0;
    }
    insert_batch(x->p, x->source, b);
    return check_budget(x, b->last);
}

/* Decodes the Sample message f into batch b with decoder d: 0, or the
 * decoder's answer. */
static int decode_into(struct pprof *x, struct sample_dec *d, struct batch *b,
                       const struct pb_field *f, size_t index)
{
    uint32_t k = b->pending;
    struct sample_out out = { .base = b->stack_len, .vals = b->vals + (size_t)k * b->width };
    int r;

    if (x->opts && x->opts->reference_decoder)
        r = sample_decode_reference(d, f->data, f->len, index, &out);
    else
        r = sample_decode(d, f->data, f->len, index, &out);
    if (r)
        return r;
    if (b->stack_len + out.nframes > b->stack_cap)
        batch_reserve(b, (b->stack_len + out.nframes) * 2);
    memcpy(b->stack + b->stack_len, out.frames, out.nframes * sizeof *out.frames);
    b->start[k] = (uint32_t)b->stack_len;
    b->stack_len += out.nframes;
    b->set[k] = out.set;
    b->last = index;
    b->pending++;
    return 0;
}

/* Decodes the Sample message f into the batch. */
static int add_sample(struct pprof *x, const struct pb_field *f, size_t index)
{
    struct batch *b = x->fill;
    int r = decode_into(x, &x->dec, b, f, index);

    if (r)
        return r == SAMPLE_OVER_BUDGET ? over_budget(x, index) : -1;
    if (b->pending == b->cap || b->stack_len >= CHUNK_FRAMES)
        return flush_batch(x, 0);
    return 0;
}

/* Caps the trie for this file: NODES_PER_BYTE, or what is left of the
 * memory budget, whichever comes first. */
static void cap_nodes(struct pprof *x)
{
    struct profile *p = x->p;
    uint64_t cap = (uint64_t)p->trie.count + (uint64_t)x->len * NODES_PER_BYTE + NODES_FLOOR;
    uint64_t cost = profile_cost(p);

    x->nodes_by_memory = 0;
    if (p->budget) {
        uint64_t left = p->budget > cost ? (p->budget - cost) / PROFILE_NODE_BYTES : 0;

        if (p->trie.count + left < cap) {
            cap = p->trie.count + left;
            x->nodes_by_memory = 1;
        }
    }
    p->trie.max_nodes = cap < UINT32_MAX ? (uint32_t)cap : UINT32_MAX - 1;
    p->trie.full = 0;
}

/* Gives back the pages of the bytes before pos, which pass 2 has read
 * (pass 1 copied what it keeps): the samples are most of a profile, and
 * their bytes would otherwise stay resident beside the growing trie (85 MB
 * of the bench profile's peak). The first page stays: a failed load reads
 * it again to say whether the bytes were meant as pprof. */
static void consume_input(struct pprof *x, size_t pos, uintptr_t *done)
{
    uintptr_t page = 4096, lo = ((uintptr_t)x->data + page) & ~(page - 1);
    uintptr_t hi = ((uintptr_t)x->data + pos) & ~(page - 1);

    if (!x->opts || !x->opts->consume_input)
        return;
    if (*done > lo)
        lo = *done;
    if (hi >= lo + (1u << 20)) {        /* in steps of 1 MB: few calls */
        madvise((void *)lo, hi - lo, MADV_DONTNEED);
        *done = hi;
    }
}

/* The second half of a large file's samples, decoded on the other core
 * into a batch of its own, beside this thread's first half (the decoders
 * share only the label sets, under a lock). Split when the file has many
 * samples, fits one chunk and the budget leaves room for both batches. */
#define SPLIT_MIN 65536

struct half {
    struct pprof *x;
    size_t from;                /* its first sample's field */
    size_t first;               /* the samples before it */
    struct batch batch;
    struct sample_dec dec;
    char err[SOURCE_ERR_MAX];
    size_t index;               /* the last sample read (the failing one) */
    int r;
    pthread_t thread;
};

static void *half_main(void *arg)
{
    struct half *h = arg;
    struct pprof *x = h->x;
    struct pb_field f;
    size_t pos = h->from, index = h->first;
    uintptr_t consumed = ((uintptr_t)x->data + h->from + 4095) & ~(uintptr_t)4095;

    while (next_field(x->data, x->len, &pos, &f) > 0) {
        if (f.num != F_SAMPLE || f.wire != WIRE_LEN)
            continue;
        if ((h->r = decode_into(x, &h->dec, &h->batch, &f, ++index)))
            break;
        if (h->batch.pending == h->batch.cap)
            batch_grow(&h->batch);
        consume_input(x, pos, &consumed);
    }
    h->index = index;
    return NULL;
}

/* Where the second half starts (the field of sample nsamples / 2 + 1), 0
 * when the file is not split. */
static size_t split_point(const struct pprof *x, size_t *before)
{
    const struct profile *p = x->p;
    struct pb_field f;
    size_t pos = 0, at, n = 0;

    if (x->nsamples < SPLIT_MIN || x->frames_expected >= CHUNK_FRAMES / 2 ||
        (x->opts && x->opts->one_thread) ||
        (p->budget && profile_cost(p) + 16 * x->frames_expected > p->budget))
        return 0;
    for (at = pos; next_field(x->data, x->len, &pos, &f) > 0; at = pos)
        if (f.num == F_SAMPLE && f.wire == WIRE_LEN && n++ == x->nsamples / 2) {
            *before = n - 1;
            return at;
        }
    return 0;
}

static void start_decoder_into(struct pprof *x, struct sample_dec *d, char *err);

static int half_start(struct pprof *x, struct half *h, pthread_mutex_t *lock)
{
    size_t before = 0, from = split_point(x, &before);

    if (!from)
        return 0;
    *h = (struct half){ .x = x, .from = from, .first = before };
    batch_init(&h->batch, x->width, x->frames_expected / 2);
    start_decoder_into(x, &h->dec, h->err);
    h->dec.intern_lock = x->dec.intern_lock = lock;
    if (pthread_create(&h->thread, NULL, half_main, h)) {
        batch_free(&h->batch);
        sample_dec_free(&h->dec);
        x->dec.intern_lock = NULL;
        return 0;
    }
    return 1;
}

/* The first crossing of the frame budget among the second half's samples
 * (counted after the first half's), as one thread would have met it. */
static size_t frames_crossing(const struct pprof *x, const struct half *h)
{
    const struct batch *b = &h->batch;

    for (uint32_t k = 0; k < b->pending; k++) {
        uint64_t end = k + 1 < b->pending ? b->start[k + 1] : b->stack_len;

        if (x->dec.frames + end > x->frames_max)
            return h->first + k + 1;
    }
    return 0;
}

/* Appends the second half's samples to the batch. Its stacks' pages move
 * (mremap), not their bytes, to the first page boundary after the first
 * half's frames; the batch says where each stack ends from then on (the
 * few frames between, zero, are in no stack). */
static void join_batch(struct batch *b, struct batch *h)
{
    size_t off = (b->stack_len * sizeof *b->stack + 4095) / 4096 * 4096 / sizeof *b->stack;
    size_t bytes = (h->stack_cap * sizeof *h->stack + ((size_t)2 << 20) - 1) & ~(((size_t)2 << 20) - 1);
    void *to;

    batch_reserve(b, off + bytes / sizeof *b->stack);
    to = b->stack + off;
    if (!h->stack_len || mremap(h->stack, bytes, bytes, MREMAP_MAYMOVE | MREMAP_FIXED, to) != to)
        memcpy(to, h->stack, h->stack_len * sizeof *h->stack);
    else
        h->stack = NULL, h->stack_cap = 0;  /* its pages are the batch's now */
    while (b->cap < b->pending + h->pending)
        batch_grow(b);
    b->end = xreallocarray(NULL, (size_t)b->cap + 1, sizeof *b->end);
    for (uint32_t k = 0; k < b->pending; k++)
        b->end[k] = k + 1 < b->pending ? b->start[k + 1] : (uint32_t)b->stack_len;
    for (uint32_t k = 0; k < h->pending; k++) {
        b->start[b->pending + k] = (uint32_t)(off + h->start[k]);
        b->end[b->pending + k] = (uint32_t)(off + (k + 1 < h->pending ? h->start[k + 1] :
                                                   h->stack_len));
        b->set[b->pending + k] = h->set[k];
    }
    memcpy(b->vals + (size_t)b->pending * b->width, h->vals,
           (size_t)h->pending * b->width * sizeof *b->vals);
    b->pending += h->pending;
    b->stack_len = off + h->stack_len;
    b->last = h->last;
}

/* Waits for the second half; then the first error in the file's order, or
 * its samples after the first half's. */
static int half_join(struct pprof *x, struct half *h, int r, size_t *index)
{
    size_t crossing;

    pthread_join(h->thread, NULL);
    x->dec.intern_lock = NULL;
    if (!r && (crossing = frames_crossing(x, h)))
        r = fail(x, "sample %zu: stacks expand to more than %" PRIu64 " frames "
                 "(%d per byte of profile data)", crossing, x->frames_max, FRAMES_PER_BYTE);
    if (!r && h->r == SAMPLE_OVER_BUDGET)
        r = over_budget(x, h->index);
    else if (!r && h->r) {
        snprintf(x->err, SOURCE_ERR_MAX, "%s", h->err);
        r = -1;
    }
    if (!r && x->batch.stack_len + h->batch.stack_len + 1024 >= UINT32_MAX)
        r = fail(x, "sample %zu: stacks too large", h->index);
    if (!r) {
        join_batch(&x->batch, &h->batch);
        x->dec.frames += h->dec.frames;
        *index = h->index;
    }
    batch_free(&h->batch);
    sample_dec_free(&h->dec);
    return r;
}

/* Pass 2: stream the samples into the batch (a large file's second half
 * on the other core). */
static int load_samples(struct pprof *x)
{
    struct pb_field f;
    size_t pos = 0, index = 0, end = x->len;
    uintptr_t consumed = 0;
    struct prefaulter pf = { .running = 0 };
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    struct half h;
    int r = 0, split;

    batch_init(&x->batch, x->width, x->frames_expected);
    x->fill = &x->batch;
    cap_nodes(x);
    if ((split = x->split = half_start(x, &h, &lock)))
        end = h.from;

    while (pos < end && next_field(x->data, x->len, &pos, &f) > 0) {
        if (f.num != F_SAMPLE || f.wire != WIRE_LEN)
            continue;
        index++;
        if ((r = add_sample(x, &f, index)))
            break;
        consume_input(x, pos, &consumed);
        if (index == 1)         /* not before: the bytes before the first sample are given back */
            prefault_start(&pf, x);
        if (x->opts && x->opts->progress && index % BATCH == 0)
            x->opts->progress(x->opts->progress_ctx, "reading", (double)pos / (double)x->len);
    }
    if (split)
        r = half_join(x, &h, r, &index);
    x->split = 0;
    if (!r)
        r = flush_batch(x, 1);
    prefault_stop(&pf);
    trie_release_tail(&x->p->trie);     /* what the prefault mapped past the last node */
    if (!r)
        r = check_budget(x, index);
    x->p->trie.max_nodes = 0;   /* the cap is this file's */
    return r;
}

/* The Sample decoder reads the tables pass 1 made; the trie's node cap is
 * set later, per file (cap_nodes), so it reads it there. */
static void start_decoder_into(struct pprof *x, struct sample_dec *d, char *err)
{
    struct sample_tables t = {
        .loc_ids = &x->loc_ids, .loc_start = x->loc_start, .loc_frames = x->loc_frames,
        .nlocs = x->nlocs, .gid = x->gid, .nstr = x->nstr, .col = x->col, .ntypes = x->ntypes,
        .width = x->width, .max_nodes = &x->p->trie.max_nodes, .frames_max = x->frames_max,
        .tag = x->has_tag ? &x->tag : NULL,
    };

    sample_dec_init(d, &t, x->p, err);
}

static void start_decoder(struct pprof *x)
{
    start_decoder_into(x, &x->dec, x->err);
}

static void pprof_free(struct pprof *x)
{
    arena_free(&x->keep);
    sample_dec_free(&x->dec);
    free(x->gid);
    free(x->types);
    free(x->type_map);
    free(x->col);
    free(x->fns);
    free(x->locs);
    free(x->maps);
    idmap_free(&x->map_ids);
    idmap_free(&x->fn_ids);
    idmap_free(&x->loc_ids);
    free(x->loc_start);
    free(x->loc_frames);
    batch_free(&x->batch);
}

int pprof_load(struct profile *p, uint32_t name, const uint8_t *data, size_t len, char *err)
{
    return pprof_load_with(p, name, data, len, NULL, err);
}

int pprof_load_with(struct profile *p, uint32_t name, const uint8_t *data, size_t len,
                    const struct load_options *o, char *err)
{
    struct pprof x = { .p = p, .data = data, .len = len, .err = err, .opts = o,
                       .frames_max = (uint64_t)len * FRAMES_PER_BYTE };
    int r;

    arena_init(&x.keep, 1 << 20);
    x.keep_alloc = (ProtobufCAllocator){ pb_alloc, pb_free, &x.keep };
    if (o && o->tag_key) {
        x.tag = (struct label){ .key = profile_intern(p, o->tag_key, strlen(o->tag_key)),
                                .str = profile_intern(p, o->tag_value, strlen(o->tag_value)) };
        x.has_tag = 1;
        if (o->tag_taken)
            *o->tag_taken = 1;
    }
    r = collect(&x); 
    if (!r && !x.nsamples && !(o && o->empty_ok))
        r = fail(&x, "profile has no samples");
    if (!r) {
        intern_strings(&x);
        r = map_ids(&x);
    }
    r = r ? r : resolve_locations(&x);
    r = r ? r : resolve_types(&x);
    r = r ? r : add_source(&x, name);
    if (!r)
        start_decoder(&x);
    r = r ? r : load_samples(&x);
    if (!r)
        p->granularity = load_granularity(&x);
    pprof_free(&x);
    return r;
}
