#include "profile.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
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
    free(p->values);
    free(p->labels);
    free(p->set_start);
    free(p->set_slots);
    free(p->sources);
    memset(p, 0, sizeof *p);
}

uint32_t profile_frame(struct profile *p, uint32_t name, uint32_t file, int64_t line)
{
    uint32_t id = intmap_get(&p->frame_by_name, name);

    if (id != INTMAP_NONE) {
        if (!p->frames[id].file && file) {
            p->frames[id].file = file;
            p->frames[id].line = line;
        }
        return id;
    }
    if (p->nframes == p->frames_cap) {
        p->frames_cap = p->frames_cap ? p->frames_cap * 2 : 1024;
        p->frames = xreallocarray(p->frames, p->frames_cap, sizeof *p->frames);
    }
    id = p->nframes++;
    p->frames[id] = (struct frame){ name, file, line };
    intmap_put(&p->frame_by_name, name, id);
    return id;
}

static uint32_t find_type(const struct profile *p, struct sample_type t)
{
    for (uint32_t i = 0; i < p->ntypes; i++)
        if (p->types[i].type == t.type && p->types[i].unit == t.unit)
            return i;
    return UINT32_MAX;
}

/* Widens every existing sample's value row from `from` zero columns to
 * p->ntypes, in one copy. */
static void widen_values(struct profile *p, uint32_t from)
{
    uint32_t n = p->ntypes;
    int64_t *wide = xcalloc(p->samples_cap ? p->samples_cap : 1, (size_t)n * sizeof *wide);

    for (size_t s = 0; s < p->nsamples; s++)
        memcpy(wide + s * n, p->values + s * from, from * sizeof *wide);
    free(p->values);
    p->values = wide;
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
    widen_values(p, had);
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

static uint64_t set_hash(const struct label *l, size_t n)
{
    return hash_bytes_keyed(l, n * sizeof *l);
}

static uint32_t set_slot(const struct profile *p, const struct label *l, size_t n, uint64_t h)
{
    uint32_t i = (uint32_t)h & p->set_mask;

    for (;; i = (i + 1) & p->set_mask) {
        uint32_t s = p->set_slots[i], len;
        const struct label *have;

        if (!s)
            return i;
        have = profile_set_labels(p, s, &len);
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
        uint32_t n;
        const struct label *l = profile_set_labels(p, s, &n);

        p->set_slots[set_slot(p, l, n, set_hash(l, n))] = s;
    }
}

uint32_t profile_labelset(struct profile *p, struct label *labels, size_t n)
{
    uint32_t slot, id;

    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        labels[i].spare = 0;
    qsort(labels, n, sizeof *labels, label_cmp);
    slot = set_slot(p, labels, n, set_hash(labels, n));
    if (p->set_slots[slot])
        return p->set_slots[slot];
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
    p->set_slots[slot] = id;
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

size_t profile_add_sample(struct profile *p, uint32_t node, uint32_t labels, uint32_t source)
{
    size_t s = p->nsamples;

    if (s == p->samples_cap) {
        p->samples_cap = p->samples_cap ? p->samples_cap * 2 : 4096;
        p->samples = xreallocarray(p->samples, p->samples_cap, sizeof *p->samples);
        p->values = xreallocarray(p->values, p->samples_cap,
                                  (p->ntypes ? p->ntypes : 1) * sizeof *p->values);
    }
    p->samples[s] = (struct sample){ node, labels, source };
    memset(p->values + s * p->ntypes, 0, p->ntypes * sizeof *p->values);
    p->nsamples++;
    return s;
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
