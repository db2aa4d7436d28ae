#include "profile.h"

#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "hash.h"
#include "snapshot.h"
#include "text.h"
#include "xalloc.h"

void profile_init(struct profile *p)
{
    memset(p, 0, sizeof *p);
    strtab_init(&p->strings);
    intmap_init(&p->frame_by_name, 1024);
    trie_init(&p->trie);
    /* Set 0 is the empty label set. */
    p->sets_cap = 1024;
    p->set_start = xcalloc(p->sets_cap + 1, sizeof *p->set_start);
    p->nsets = 1;
    p->set_mask = 1023;
    p->set_slots = xcalloc(p->set_mask + 1, sizeof *p->set_slots);
}

void profile_free(struct profile *p)
{
    strtab_free(&p->strings);
    free(p->frames);
    intmap_free(&p->frame_by_name);
    trie_free(&p->trie);
    free(p->types);
    free(p->samples);
    for (uint32_t r = 0; r < p->nruns; r++)
        free(p->runs[r].vals);
    free(p->runs);
    free(p->labels);
    free(p->set_start);
    free(p->set_slots);
    free(p->sources);
    snapshot_free(p);
    base_free(p);
    memset(p, 0, sizeof *p);
}

uint32_t profile_frame_of(struct profile *p, const struct frame *f)
{
    uint32_t id = intmap_get(&p->frame_by_name, f->name);

    if (id != INTMAP_NONE) {
        struct frame *old = &p->frames[id];

        if (!old->file && f->file) {
            old->file = f->file;
            old->line = f->line;
        }
        if (!old->func)
            old->func = f->func;
        if (!old->object)
            old->object = f->object;
        if (!old->start_line)
            old->start_line = f->start_line;
        old->grans |= (uint8_t)(1u << p->granularity);
        return id;
    }
    if (p->nframes == p->frames_cap) {
        p->frames_cap = p->frames_cap ? p->frames_cap * 2 : 1024;
        p->frames = xreallocarray(p->frames, p->frames_cap, sizeof *p->frames);
    }
    id = p->nframes++;
    p->frames[id] = *f;
    p->frames[id].grans = (uint8_t)(1u << p->granularity);
    intmap_put(&p->frame_by_name, f->name, id);
    return id;
}

uint32_t profile_frame(struct profile *p, uint32_t name, uint32_t file, int64_t line)
{
    return profile_frame_of(p, &(struct frame){ .name = name, .file = file, .line = line,
                                                .func = name });
}

static uint32_t find_type(const struct profile *p, struct sample_type t)
{
    for (uint32_t i = 0; i < p->ntypes; i++)
        if (p->types[i].type == t.type && p->types[i].unit == t.unit)
            return i;
    return UINT32_MAX;
}

/* Maps the n types to indexes, adding the new ones unless that makes more
 * than max in all. */
static int map_types(struct profile *p, const struct sample_type *t, size_t n, uint32_t *idx,
                     uint32_t max)
{
    uint32_t had = p->ntypes, add = 0;

    for (size_t i = 0; i < n; i++) {
        idx[i] = find_type(p, t[i]);
        for (size_t j = 0; j < i && idx[i] == UINT32_MAX; j++)
            if (t[j].type == t[i].type && t[j].unit == t[i].unit && idx[j] >= had)
                idx[i] = idx[j];
        if (idx[i] == UINT32_MAX)
            idx[i] = had + add++;
    }
    if (!add)
        return 0;
    if (had + add > max)
        return -1;
    p->types = xreallocarray(p->types, had + add, sizeof *p->types);
    for (size_t i = 0; i < n; i++)
        if (idx[i] >= had)
            p->types[idx[i]] = t[i];
    p->ntypes = had + add;
    return 0;
}

uint32_t profile_type(struct profile *p, uint32_t type, uint32_t unit)
{
    uint32_t idx;

    map_types(p, &(struct sample_type){ type, unit }, 1, &idx, UINT32_MAX);
    return idx;
}

int profile_types(struct profile *p, const struct sample_type *t, size_t n, uint32_t *idx)
{
    return map_types(p, t, n, idx, PROFILE_MAX_TYPES);
}

static int label_cmp(const void *a, const void *b)
{
    const struct label *x = a, *y = b;

    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->str != y->str)
        return x->str < y->str ? -1 : 1;
    if (x->num != y->num)
        return x->num < y->num ? -1 : 1;
    return x->unit < y->unit ? -1 : x->unit > y->unit;
}

/* A sample has a handful of labels: an insertion sort does them without
 * qsort's indirect calls; a long list (a hostile one) takes qsort. */
static void sort_labels(struct label *l, size_t n)
{
    if (n > 8) {
        qsort(l, n, sizeof *l, label_cmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        struct label t = l[i];
        size_t j = i;

        for (; j && label_cmp(&l[j - 1], &t) > 0; j--)
            l[j] = l[j - 1];
        l[j] = t;
    }
}

static uint64_t set_hash(const struct label *l, size_t n)
{
    return hash_bytes_keyed(l, n * sizeof *l);
}

/* The tag of hash h in a slot: its high 32 bits above the id's (those
 * the slot index does not use). */
static uint32_t set_tag(const struct profile *p, uint64_t h)
{
    return (uint32_t)(h >> 32) & ~p->set_mask;
}

/* The slot of the set l[0..n), or the empty slot where it goes. Most
 * probes are decided by the tags alone: reading a set's labels is a cache
 * miss once there are many sets (every new set used to pay a few). */
static uint32_t set_slot(const struct profile *p, const struct label *l, size_t n, uint64_t h)
{
    uint32_t i = (uint32_t)h & p->set_mask, tag = set_tag(p, h);

    for (;; i = (i + 1) & p->set_mask) {
        uint32_t s = p->set_slots[i], len;
        const struct label *have;

        if (!s)
            return i;
        if ((s & ~p->set_mask) != tag)
            continue;
        have = profile_set_labels(p, s & p->set_mask, &len);
        if (len == n && !memcmp(have, l, n * sizeof *l))
            return i;
    }
}

static void grow_sets(struct profile *p)
{
    uint32_t size = (p->set_mask + 1) * 2;

    free(p->set_slots);
    p->set_mask = size - 1;
    p->set_slots = xcalloc(size, sizeof *p->set_slots);
    for (uint32_t s = 1; s < p->nsets; s++) {
        uint32_t n, i;
        const struct label *l = profile_set_labels(p, s, &n);
        uint64_t h = set_hash(l, n);

        /* every set differs from the others: the first empty slot */
        for (i = (uint32_t)h & p->set_mask; p->set_slots[i]; i = (i + 1) & p->set_mask)
            ;
        p->set_slots[i] = s | set_tag(p, h);
    }
}

uint32_t profile_labelset(struct profile *p, struct label *labels, size_t n)
{
    uint32_t slot, id;
    uint64_t h;

    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        labels[i].spare = 0;
    sort_labels(labels, n);
    h = set_hash(labels, n);
    slot = set_slot(p, labels, n, h);
    if (p->set_slots[slot])
        return p->set_slots[slot] & p->set_mask;
    if (p->labels_count + n > p->labels_cap) {
        p->labels_cap = (p->labels_count + (uint32_t)n) * 2;
        p->labels = xreallocarray(p->labels, p->labels_cap, sizeof *p->labels);
    }
    if (p->nsets == p->sets_cap) {
        p->sets_cap *= 2;
        p->set_start = xreallocarray(p->set_start, p->sets_cap + 1, sizeof *p->set_start);
    }
    memcpy(p->labels + p->labels_count, labels, n * sizeof *labels);
    p->labels_count += (uint32_t)n;
    id = p->nsets++;
    p->set_start[id + 1] = p->labels_count;
    p->set_slots[slot] = id | set_tag(p, h);
    if (p->nsets > (p->set_mask + 1) / 4 * 3)
        grow_sets(p);
    return id;
}

uint32_t profile_add_source(struct profile *p, const struct source *s)
{
    p->sources = xreallocarray(p->sources, p->nsources + 1, sizeof *p->sources);
    p->sources[p->nsources] = *s;
    return p->nsources++;
}

/* The columns a new sample of `source` gets. */
static struct value_run run_shape(const struct profile *p, uint32_t source)
{
    uint64_t mask = source < p->nsources ? p->sources[source].types : 0;

    if (!mask || p->ntypes > 64)
        return (struct value_run){ .dense = 1, .width = p->ntypes };
    return (struct value_run){ .mask = mask, .width = (uint32_t)__builtin_popcountll(mask) };
}

static int same_shape(const struct value_run *a, const struct value_run *b)
{
    return a->dense ? b->dense : !b->dense && a->mask == b->mask;
}

/* The run a new sample of `source` joins: the last one, or a new one. */
static struct value_run *run_for(struct profile *p, uint32_t source)
{
    struct value_run shape = run_shape(p, source), *r;

    if (p->nruns && same_shape(&p->runs[p->nruns - 1], &shape))
        return &p->runs[p->nruns - 1];
    p->runs = xreallocarray(p->runs, p->nruns + 1, sizeof *p->runs);
    r = &p->runs[p->nruns++];
    *r = shape;
    r->first = p->nsamples;
    return r;
}

void profile_reserve_samples(struct profile *p, size_t n, uint32_t source)
{
    struct value_run *r;
    size_t k;

    if (!n)
        return;
    r = run_for(p, source);
    k = p->nsamples + n - r->first;
    if (p->nsamples + n > p->samples_cap) {
        p->samples_cap = p->nsamples + n;
        p->samples = xreallocarray(p->samples, p->samples_cap, sizeof *p->samples);
    }
    if (k > r->cap) {
        r->cap = k;
        r->vals = xreallocarray(r->vals, r->cap, (r->width ? r->width : 1) * sizeof *r->vals);
    }
}

size_t profile_add_sample(struct profile *p, uint32_t node, uint32_t labels, uint32_t source)
{
    size_t s = p->nsamples, k;
    struct value_run *r = run_for(p, source);

    if (s == p->samples_cap) {
        p->samples_cap = p->samples_cap ? p->samples_cap * 2 : 4096;
        p->samples = xreallocarray(p->samples, p->samples_cap, sizeof *p->samples);
    }
    k = s - r->first;
    if (k == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 1024;
        r->vals = xreallocarray(r->vals, r->cap, (r->width ? r->width : 1) * sizeof *r->vals);
    }
    p->samples[s] = (struct sample){ node, labels, source };
    memset(r->vals + k * r->width, 0, r->width * sizeof *r->vals);
    p->nsamples++;
    return s;
}

/* Keeps the kept samples' rows of run r at the front of its values, from
 * sample index `out` on; returns how many it kept. */
static size_t compact_run(struct profile *p, struct value_run *r, size_t end, const uint8_t *drop,
                          const uint32_t *renum, size_t out)
{
    size_t kept = 0;

    for (size_t s = r->first; s < end; s++) {
        struct sample sm = p->samples[s];

        if (drop[sm.source])
            continue;
        sm.source = renum[sm.source];
        p->samples[out + kept] = sm;
        memmove(r->vals + kept * r->width, r->vals + (s - r->first) * r->width,
                r->width * sizeof *r->vals);
        kept++;
    }
    r->first = out;
    return kept;
}

uint32_t profile_drop_sources(struct profile *p, const uint8_t *drop)
{
    uint32_t *renum = xmalloc(((size_t)p->nsources + 1) * sizeof *renum), ns = 0, nr = 0;
    size_t out = 0;

    for (uint32_t i = 0; i < p->nsources; i++) {
        renum[i] = ns;
        if (!drop[i])
            p->sources[ns++] = p->sources[i];
    }
    for (uint32_t i = 0; i < p->nruns; i++) {
        struct value_run r = p->runs[i];
        size_t end = i + 1 < p->nruns ? p->runs[i + 1].first : p->nsamples;
        size_t kept = compact_run(p, &r, end, drop, renum, out);

        if (!kept) {
            free(r.vals);
            continue;
        }
        out += kept;
        p->runs[nr++] = r;
    }
    snapshot_renumber(p, drop, renum);      /* while nsources is the old count */
    if (p->base && p->base->first < p->nsources)
        p->base->first = renum[p->base->first];    /* a base is read last: the rest follow */
    free(renum);
    p->nruns = nr;
    p->nsamples = out;
    p->sample_edits++;
    ns = p->nsources - ns;
    p->nsources -= ns;
    return ns;
}

const struct value_run *profile_run_of(const struct profile *p, size_t s)
{
    uint32_t lo = 0, hi = p->nruns;

    while (hi - lo > 1) {       /* the last run starting at or before s */
        uint32_t mid = lo + (hi - lo) / 2;

        if (p->runs[mid].first <= s)
            lo = mid;
        else
            hi = mid;
    }
    return &p->runs[lo];
}

/* Gives run r every type's column (types 0 .. ntypes - 1), keeping its
 * values: a write to a type it had no column for. */
static void widen_run(struct profile *p, struct value_run *r)
{
    size_t n = (r + 1 < p->runs + p->nruns ? r[1].first : p->nsamples) - r->first;
    uint32_t w = p->ntypes;
    int64_t *wide = xcalloc(r->cap ? r->cap : 1, (size_t)w * sizeof *wide);

    for (size_t k = 0; k < n; k++)
        for (uint32_t t = 0; t < w; t++) {
            int col = profile_run_col(r, t);

            wide[k * w + t] = col < 0 ? 0 : r->vals[k * r->width + (uint32_t)col];
        }
    free(r->vals);
    r->vals = wide;
    r->width = w;
    r->dense = 1;
    r->mask = 0;
}

void profile_set_value(struct profile *p, size_t s, uint32_t t, int64_t v)
{
    struct value_run *r = (struct value_run *)profile_run_of(p, s);
    int col = profile_run_col(r, t);

    if (col < 0) {
        widen_run(p, r);
        col = (int)t;
    }
    r->vals[(s - r->first) * r->width + (uint32_t)col] = v;
}

int64_t *profile_row(struct profile *p, size_t s)
{
    struct value_run *r = (struct value_run *)profile_run_of(p, s);

    return r->vals + (s - r->first) * r->width;
}

uint64_t profile_cost(const struct profile *p)
{
    uint64_t c = (uint64_t)p->trie.count * PROFILE_NODE_BYTES +
                 (uint64_t)p->samples_cap * sizeof *p->samples +
                 (uint64_t)p->labels_cap * sizeof *p->labels +
                 ((uint64_t)p->sets_cap + p->set_mask + 1) * sizeof(uint32_t) +
                 (uint64_t)p->frames_cap * (sizeof *p->frames + 8) +
                 (uint64_t)p->strings.count * 16;

    for (uint32_t r = 0; r < p->nruns; r++)
        c += (uint64_t)p->runs[r].cap * p->runs[r].width * sizeof(int64_t);
    return c;
}

void profile_types_text(const struct profile *p, struct sbuf *b)
{
    for (uint32_t i = 0; i < p->ntypes; i++) {
        const char *type = profile_str(p, p->types[i].type), *unit = profile_str(p, p->types[i].unit);

        sbuf_addc(b, ' ');
        sbuf_add(b, type, strlen(type));
        sbuf_addc(b, '/');
        sbuf_add(b, unit, strlen(unit));
    }
}

uint32_t profile_find_type(const struct profile *p, const char *name)
{
    const char *slash = strchr(name, '/');
    size_t len = slash ? (size_t)(slash - name) : strlen(name);

    for (uint32_t i = 0; i < p->ntypes; i++) {
        const char *type = profile_str(p, p->types[i].type);

        if (strlen(type) != len || memcmp(type, name, len))
            continue;
        if (!slash || !strcmp(slash + 1, profile_str(p, p->types[i].unit)))
            return i;
    }
    return UINT32_MAX;
}

void profile_finish(struct profile *p)
{
    trie_seal(&p->trie);
}
