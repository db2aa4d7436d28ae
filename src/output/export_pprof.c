/* The pprof export: the selected samples as a gzipped profile.proto that
 * go tool pprof reads. Every sample type, each kept sample's values and
 * labels (strings, numbers with units), a function per frame (name, file,
 * start line) and a location per function. Messages are packed by
 * protobuf-c (proto/profile.proto); the Profile's own fields are written
 * here one by one, so that the samples stream into one buffer instead of
 * a tree of allocations, and strings keep any byte (protobuf-c's strings
 * end at a NUL). */
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "export.h"
#include "profile.pb-c.h"
#include "text.h"
#include "xalloc.h"

struct pb {
    const struct export_sel *s;
    struct sbuf body;           /* the Profile's bytes, unzipped */
    uint32_t *str_index;        /* model string id -> pprof index + 1; 0: none yet */
    uint32_t *strs;             /* pprof index -> model string id */
    uint32_t nstrs, strs_cap;
    uint8_t *frame_used;
    uint8_t *inside;            /* per node: in the zoom's subtree; NULL: no zoom */
    uint64_t *loc;              /* one stack, leaf first */
    int64_t *vals;
    Perftools__Profiles__Label *lab;
    Perftools__Profiles__Label **labp;
    uint8_t *pack;
    size_t pack_cap;
    uint32_t file_key;          /* the label ember adds to every sample, or UINT32_MAX */
    int shown_last;             /* another type has the shown one's name: see type_at */
};

static void put_varint(struct sbuf *b, uint64_t v)
{
    do {
        sbuf_addc(b, (char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0)));
        v >>= 7;
    } while (v);
}

/* Field `field` of the Profile: bytes of length n (wire type 2). */
static void put_bytes(struct sbuf *b, int field, const void *data, size_t n)
{
    put_varint(b, (uint64_t)field << 3 | 2);
    put_varint(b, n);
    if (n)                      /* an empty message: no bytes (and maybe no buffer) */
        sbuf_add(b, data, n);
}

static void put_int(struct sbuf *b, int field, int64_t v)
{
    if (!v)
        return;
    put_varint(b, (uint64_t)field << 3);
    put_varint(b, (uint64_t)v);
}

/* A message packed by protobuf-c, as field `field`. */
static void put_msg(struct pb *x, int field, const ProtobufCMessage *m)
{
    size_t n = protobuf_c_message_get_packed_size(m);

    if (n > x->pack_cap) {
        x->pack_cap = n * 2;
        x->pack = xreallocarray(x->pack, x->pack_cap, 1);
    }
    protobuf_c_message_pack(m, x->pack);
    put_bytes(&x->body, field, x->pack, n);
}

/* The pprof index of model string id. */
static int64_t str(struct pb *x, uint32_t id)
{
    if (!id)
        return 0;
    if (!x->str_index[id]) {
        if (x->nstrs == x->strs_cap) {
            x->strs_cap = x->strs_cap ? x->strs_cap * 2 : 256;
            x->strs = xreallocarray(x->strs, x->strs_cap, sizeof *x->strs);
        }
        x->strs[x->nstrs++] = id;
        x->str_index[id] = x->nstrs;    /* index nstrs: "" is index 0 */
    }
    return x->str_index[id];
}

/* Whether sample i is selected: the side's filter and the zoom. */
static int kept(const struct pb *x, int side, size_t i)
{
    const struct sample *sm = &x->s->p->samples[i];

    return filter_keeps(x->s->filter[side], sm) &&
           (!x->inside || x->inside[filter_node(x->s->filter[side], sm->node)]);
}

/* The model's type at position i of the file: the model's order, but when
 * another type has the shown type's name (default_sample_type names one,
 * and go tool pprof takes the first of that name) the shown one goes last,
 * where go tool pprof opens without a default_sample_type. */
static uint32_t type_at(const struct pb *x, uint32_t i)
{
    uint32_t shown = x->s->type;

    if (!x->shown_last)
        return i;
    if (i == x->s->p->ntypes - 1)
        return shown;
    return i < shown ? i : i + 1;
}

static int name_shared(const struct profile *p, uint32_t type)
{
    for (uint32_t t = 0; t < p->ntypes; t++)
        if (t != type && p->types[t].type == p->types[type].type)
            return 1;
    return 0;
}

/* A label to write: not the file label ember gives every sample of a file
 * loaded alone (it is the file's name, not the profile's). */
static int own_label(const struct pb *x, const struct label *l)
{
    return !(l->key == x->file_key && x->s->p->nsources == 1);
}

static void put_sample(struct pb *x, int side, size_t i)
{
    const struct profile *p = x->s->p;
    const struct sample *sm = &p->samples[i];
    Perftools__Profiles__Sample msg = PERFTOOLS__PROFILES__SAMPLE__INIT;
    uint32_t nl, k = 0;
    const struct label *l = profile_set_labels(p, sm->labels, &nl);
    size_t depth = 0;

    /* the stack once filtered */
    for (uint32_t n = filter_node(x->s->filter[side], sm->node); n != TRIE_ROOT; n = p->trie.node[n].parent) {
        uint32_t f = p->trie.node[n].frame;

        x->loc[depth++] = (uint64_t)f + 1;
        x->frame_used[f] = 1;
    }
    for (uint32_t t = 0; t < p->ntypes; t++)
        x->vals[t] = profile_value(p, i, type_at(x, t));
    for (uint32_t j = 0; j < nl; j++) {
        if (!own_label(x, &l[j]))
            continue;
        x->lab[k] = (Perftools__Profiles__Label)PERFTOOLS__PROFILES__LABEL__INIT;
        x->lab[k].key = str(x, l[j].key);
        if (l[j].str)
            x->lab[k].str = str(x, l[j].str);
        else {
            x->lab[k].num = l[j].num;
            x->lab[k].num_unit = str(x, l[j].unit);
        }
        x->labp[k] = &x->lab[k];
        k++;
    }
    if (base_is_base(p, sm->source) && p->base->kind == BASE_DIFF) {
        /* pprof's mark of a diff base's samples: its shares are of them */
        x->lab[k] = (Perftools__Profiles__Label)PERFTOOLS__PROFILES__LABEL__INIT;
        x->lab[k].key = str(x, p->base->label_key);
        x->lab[k].str = str(x, p->base->label_true);
        x->labp[k] = &x->lab[k];
        k++;
    }
    msg.n_location_id = depth;
    msg.location_id = x->loc;
    msg.n_value = p->ntypes;
    msg.value = x->vals;
    msg.n_label = k;
    msg.label = x->labp;
    put_msg(x, 2, &msg.base);
}

/* A function and a location per frame a kept sample uses (ids frame + 1). */
/* One Mapping per object file a used frame has, its id the object's pprof
 * string index (unique, never 0); seen marks the model string ids written. */
static void put_mappings(struct pb *x)
{
    const struct profile *p = x->s->p;
    uint8_t *seen = xcalloc(p->strings.count + 1, 1);

    for (uint32_t f = 0; f < p->nframes; f++) {
        Perftools__Profiles__Mapping m = PERFTOOLS__PROFILES__MAPPING__INIT;
        uint32_t obj = p->frames[f].object;

        if (!x->frame_used[f] || !obj || seen[obj])
            continue;
        seen[obj] = 1;
        m.id = (uint64_t)str(x, obj);
        m.filename = (int64_t)m.id;
        put_msg(x, 3, &m.base);
    }
    free(seen);
}

/* A function and a location per used frame, written as pprof reads them
 * back to the same node: past functions a frame's name is pprof's node name
 * ("main.fib main.go:30"), so its parts are written, which pprof names
 * again; a frame without a function name or file (an address alone:
 * "[app]", "<unknown>") is a location with its address and mapping and no
 * line, as an unsymbolized profile has it; one without a function name but
 * with a file is a function with an empty name. */
static void put_functions(struct pb *x)
{
    const struct profile *p = x->s->p;

    for (uint32_t f = 0; f < p->nframes; f++) {
        Perftools__Profiles__Function fn = PERFTOOLS__PROFILES__FUNCTION__INIT;
        Perftools__Profiles__Location loc = PERFTOOLS__PROFILES__LOCATION__INIT;
        Perftools__Profiles__Line line = PERFTOOLS__PROFILES__LINE__INIT, *lp = &line;

        if (!x->frame_used[f])
            continue;
        const struct frame *fr = &p->frames[f];
        int parts = p->granularity != GRAN_FUNCTIONS;
        int at_line = p->granularity == GRAN_LINES || p->granularity == GRAN_ADDRESSES;

        loc.id = (uint64_t)f + 1;
        loc.address = p->granularity == GRAN_ADDRESSES ? fr->addr : 0;
        loc.mapping_id = fr->object ? (uint64_t)str(x, fr->object) : 0;
        if (parts && !fr->func && !fr->file) {
            put_msg(x, 4, &loc.base);
            continue;
        }
        fn.id = loc.id;
        fn.name = str(x, parts ? fr->func : fr->name);
        fn.system_name = fn.name;
        fn.filename = str(x, fr->file);
        fn.start_line = at_line ? 0 : fr->line;
        put_msg(x, 5, &fn.base);
        line.function_id = fn.id;
        line.line = fr->line;
        loc.n_line = 1;
        loc.line = &lp;
        put_msg(x, 4, &loc.base);
    }
}

/* The time span of the profiles a kept sample came from. */
static void put_times(struct pb *x, const uint8_t *src_used)
{
    const struct profile *p = x->s->p;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    const struct source *first = NULL;

    for (uint32_t i = 0; i < p->nsources; i++) {
        const struct source *src = &p->sources[i];

        if (!src_used[i])
            continue;
        first = first ? first : src;
        if (src->time_nanos && src->time_nanos < lo)
            lo = src->time_nanos;
        if (src->time_nanos && src->time_nanos + src->duration_nanos > hi)
            hi = src->time_nanos + src->duration_nanos;
    }
    if (lo != INT64_MAX) {
        put_int(&x->body, 9, lo);
        put_int(&x->body, 10, hi - lo);
    }
    if (first && first->period_type.type) {
        Perftools__Profiles__ValueType vt = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;

        vt.type = str(x, first->period_type.type);
        vt.unit = str(x, first->period_type.unit);
        put_msg(x, 11, &vt.base);
        put_int(&x->body, 12, first->period);
    }
}

static void put_types(struct pb *x)
{
    const struct profile *p = x->s->p;

    x->shown_last = name_shared(p, x->s->type);
    for (uint32_t i = 0; i < p->ntypes; i++) {
        Perftools__Profiles__ValueType vt = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
        uint32_t t = type_at(x, i);

        vt.type = str(x, p->types[t].type);
        vt.unit = str(x, p->types[t].unit);
        put_msg(x, 1, &vt.base);
    }
    /* go tool pprof opens on the type on screen (the last when its name is shared) */
    if (!x->shown_last)
        put_int(&x->body, 14, str(x, p->types[x->s->type].type));
}

static void put_strings(struct pb *x)
{
    const struct strtab *st = &x->s->p->strings;

    put_bytes(&x->body, 6, "", 0);
    for (uint32_t i = 0; i < x->nstrs; i++)
        put_bytes(&x->body, 6, strtab_str(st, x->strs[i]), strtab_len(st, x->strs[i]));
}

static void pb_init(struct pb *x, const struct export_sel *s)
{
    const struct profile *p = s->p;
    uint32_t maxl = 0;

    memset(x, 0, sizeof *x);
    x->s = s;
    x->str_index = xcalloc(p->strings.count + 1, sizeof *x->str_index);
    x->frame_used = xcalloc(p->nframes + 1, 1);
    x->loc = xmalloc(((size_t)p->trie.count + 1) * sizeof *x->loc);
    x->vals = xcalloc(p->ntypes + 1, sizeof *x->vals);
    for (uint32_t i = 0; i < p->nsets; i++) {
        uint32_t n;

        profile_set_labels(p, i, &n);
        maxl = n > maxl ? n : maxl;
    }
    x->lab = xcalloc(maxl + 1, sizeof *x->lab);
    x->labp = xcalloc(maxl + 1, sizeof *x->labp);
    x->file_key = strtab_find(&p->strings, "file", 4);
    if (s->zoom != TRIE_ROOT && s->zoom < p->trie.count) {
        x->inside = xcalloc(p->trie.count, 1);
        x->inside[s->zoom] = 1;
        for (uint32_t n = s->zoom + 1; n < p->trie.count; n++)
            x->inside[n] = x->inside[p->trie.node[n].parent];
    }
}

static void pb_free(struct pb *x)
{
    sbuf_free(&x->body);
    free(x->str_index);
    free(x->strs);
    free(x->frame_used);
    free(x->inside);
    free(x->loc);
    free(x->vals);
    free(x->lab);
    free(x->labp);
    free(x->pack);
}

static int gzip_out(FILE *out, const struct sbuf *b, char *err, size_t nerr)
{
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(6);
    size_t bound, n;
    void *buf;
    int r = 0;

    if (!z)
        fatal("out of memory (gzip)");
    bound = libdeflate_gzip_compress_bound(z, b->len);
    buf = xmalloc(bound);
    n = libdeflate_gzip_compress(z, b->s ? b->s : "", b->len, buf, bound);
    if (!n || fwrite(buf, 1, n, out) != n) {
        snprintf(err, nerr, "cannot write the compressed profile");
        r = -1;
    }
    free(buf);
    libdeflate_free_compressor(z);
    return r;
}

int export_pprof(FILE *out, const struct export_sel *s, char *err, size_t nerr)
{
    const struct profile *p = s->p;
    /* the diff's file is its new side: go tool pprof -diff_base takes two */
    int side = s->total[1] ? 1 : 0;
    uint8_t *src_used = xcalloc(p->nsources + 1, 1);
    struct pb x;
    int r;

    pb_init(&x, s);
    put_types(&x);
    for (size_t i = 0; i < p->nsamples; i++)
        if (kept(&x, side, i)) {
            put_sample(&x, side, i);
            src_used[p->samples[i].source] = 1;
        }
    put_mappings(&x);
    put_functions(&x);
    put_times(&x, src_used);
    put_strings(&x);
    r = gzip_out(out, &x.body, err, nerr);
    pb_free(&x);
    free(src_used);
    return r;
}
