/* Pyroscope's flame graphs: the flamebearer JSON its UI exports (and
 * ember writes), and the Connect JSON answer of SelectMergeStacktraces.
 * Both hold the tree as levels: level d lists the nodes at depth d, four
 * numbers each (x offset from the end of the previous node on that level,
 * total, self, index into names); a node's parent is the node of the level
 * above whose [x, x + total) holds its x. The synthetic root Pyroscope puts
 * on level 0 ("total") is the trie's root. */
#include "jsonin.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "xalloc.h"

#define NO_NODE UINT32_MAX

/* One node of the tree: where it is, and what becomes a sample. */
struct fb_node {
    int64_t x, total, self, children;   /* children: the sum of their totals */
    uint32_t parent, frame;
};

struct fb {
    struct profile *p;
    const json_t *names;
    struct fb_node *node;
    size_t n, cap;
    int drop_root;              /* level 0 is Pyroscope's single "total" */
    char *err;
};

static int fail(struct fb *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct fb *f, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(f->err, SOURCE_ERR_MAX, fmt, ap);
    va_end(ap);
    return -1;
}

/* The values of a level: an array (flamebearer) or {"values": [...]}
 * (protojson, which leaves out "values" of an empty level: *empty). */
static const json_t *level_values(const json_t *lv, int *empty)
{
    *empty = 0;
    if (json_is_array(lv))
        return lv;
    if (!json_is_object(lv))
        return NULL;
    *empty = !json_object_get(lv, "values");
    return json_object_get(lv, "values");
}

/* The four numbers of node k on level d, checked. */
static int read_quad(struct fb *f, const json_t *v, size_t d, size_t k, int64_t q[4])
{
    for (int i = 0; i < 4; i++) {
        if (jsonin_int(json_array_get(v, k * 4 + i), &q[i]))
            return fail(f, "levels[%zu][%zu]: not a whole number", d, k * 4 + i);
        if (q[i] < 0)
            return fail(f, "levels[%zu][%zu]: negative (%" PRId64 ")", d, k * 4 + i, q[i]);
    }
    if (q[2] > q[1])
        return fail(f, "levels[%zu]: node %zu: self %" PRId64 " above its total %" PRId64, d, k,
                    q[2], q[1]);
    if ((uint64_t)q[3] >= json_array_size(f->names))
        return fail(f, "levels[%zu]: node %zu: name %" PRId64 " of %zu names", d, k, q[3],
                    json_array_size(f->names));
    return 0;
}

static uint32_t frame_of(struct fb *f, size_t index)
{
    const json_t *s = json_array_get(f->names, index);
    struct profile *p = f->p;

    return profile_frame(p, profile_intern(p, json_string_value(s), json_string_length(s)),
                         0, 0);
}

static void add_node(struct fb *f, const struct fb_node *n)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 256;
        f->node = xreallocarray(f->node, f->cap, sizeof *f->node);
    }
    f->node[f->n++] = *n;
}

/* The parent of a node at x of width w, among the previous level's nodes
 * [lo, hi), scanning on from *at (both levels go left to right). */
static uint32_t parent_at(struct fb *f, size_t lo, size_t hi, size_t *at, int64_t x, int64_t w)
{
    if (*at < lo)
        *at = lo;
    while (*at < hi && f->node[*at].x + f->node[*at].total <= x)
        (*at)++;
    if (*at == hi || f->node[*at].x > x || x + w > f->node[*at].x + f->node[*at].total)
        return NO_NODE;
    return (uint32_t)*at;
}

/* Reads level d (its nodes go after the previous level's [lo, hi)). */
static int read_level(struct fb *f, const json_t *lv, size_t d, size_t lo, size_t hi)
{
    int empty;
    const json_t *v = level_values(lv, &empty);
    size_t nv, at = lo;
    int64_t end = 0;

    if (empty)
        return 0;
    if (!json_is_array(v))
        return fail(f, "levels[%zu]: not an array of numbers", d);
    if ((nv = json_array_size(v)) % 4)
        return fail(f, "levels[%zu]: %zu values, not a multiple of 4", d, nv);
    for (size_t k = 0; k < nv / 4; k++) {
        int64_t q[4];
        struct fb_node n = { .parent = NO_NODE };

        if (read_quad(f, v, d, k, q))
            return -1;
        if (__builtin_add_overflow(end, q[0], &n.x) || __builtin_add_overflow(n.x, q[1], &end))
            return fail(f, "levels[%zu]: node %zu: x offset past 2^63", d, k);
        if (!q[1])
            continue;           /* no width: nothing under it, nothing of its own */
        n.total = q[1], n.self = q[2];
        if (d && (n.parent = parent_at(f, lo, hi, &at, n.x, n.total)) == NO_NODE)
            return fail(f, "levels[%zu]: node %zu at x %" PRId64 "..%" PRId64 " lies under no "
                        "node of levels[%zu]", d, k, n.x, end, d - 1);
        if (n.parent != NO_NODE)
            f->node[n.parent].children += n.total;      /* within the parent: no overflow */
        n.frame = d == 0 && f->drop_root ? TRIE_NO_FRAME : frame_of(f, (size_t)q[3]);
        add_node(f, &n);
    }
    return 0;
}

/* Every node's total is its self plus its children's: else the file's
 * numbers are not one tree, and ember's totals would differ from them. */
static int check_totals(struct fb *f, size_t d, size_t lo, size_t hi)
{
    int64_t sum;

    for (size_t i = lo; i < hi; i++)
        if (__builtin_add_overflow(f->node[i].self, f->node[i].children, &sum) ||
            sum != f->node[i].total)
            return fail(f, "levels[%zu]: the node at x %" PRId64 ": total %" PRId64 " is not its "
                        "self %" PRId64 " plus its children's %" PRId64, d, f->node[i].x,
                        f->node[i].total, f->node[i].self, f->node[i].children);
    return 0;
}

/* Whether level 0 is Pyroscope's root: one node named "total", no self. */
static int synthetic_root(const json_t *levels, const json_t *names)
{
    int empty;
    const json_t *v = level_values(json_array_get(levels, 0), &empty);
    int64_t q[4];

    if (!json_is_array(v) || json_array_size(v) != 4)
        return 0;
    for (int i = 0; i < 4; i++)
        if (jsonin_int(json_array_get(v, i), &q[i]))
            return 0;
    return q[2] == 0 && q[3] >= 0 && (uint64_t)q[3] < json_array_size(names) &&
           json_is_string(json_array_get(names, (size_t)q[3])) &&
           !strcmp(json_string_value(json_array_get(names, (size_t)q[3])), "total");
}

/* Each node with a self value becomes one sample of its stack. */
static void add_samples(struct fb *f, uint32_t source, uint32_t type, size_t depth)
{
    uint32_t *path = xmalloc((depth + 1) * sizeof *path);

    for (size_t i = 0; i < f->n; i++) {
        size_t n = 0;

        if (!f->node[i].self)
            continue;
        for (uint32_t j = (uint32_t)i; j != NO_NODE; j = f->node[j].parent)
            if (f->node[j].frame != TRIE_NO_FRAME)
                n++;
        size_t k = n;

        for (uint32_t j = (uint32_t)i; j != NO_NODE; j = f->node[j].parent)
            if (f->node[j].frame != TRIE_NO_FRAME)
                path[--k] = f->node[j].frame;
        size_t s = profile_add_sample(f->p, trie_insert_path(&f->p->trie, path, n), 0, source);

        profile_set_value(f->p, s, type, f->node[i].self);
    }
    free(path);
}

static int check_names(struct fb *f)
{
    if (!json_is_array(f->names))
        return fail(f, "names: not an array");
    for (size_t i = 0; i < json_array_size(f->names); i++)
        if (!json_is_string(json_array_get(f->names, i)))
            return fail(f, "names[%zu]: not a string", i);
    return 0;
}

/* Reads the tree of levels into the model as one source of type t. */
static int load_levels(struct profile *p, const json_t *names, const json_t *levels,
                       struct source *src, struct sample_type t, char *err)
{
    struct fb f = { .p = p, .names = names, .err = err };
    size_t lo = 0, hi = 0, nl = json_array_size(levels);
    uint32_t type, source;
    int r = 0;

    if (check_names(&f))
        return -1;
    if (!json_is_array(levels))
        return fail(&f, "levels: not an array");
    f.drop_root = synthetic_root(levels, names);
    for (size_t d = 0; d < nl && !r; d++) {
        size_t next = f.n;

        r = read_level(&f, json_array_get(levels, d), d, lo, hi);
        if (!r && d)
            r = check_totals(&f, d - 1, lo, hi);
        lo = next, hi = f.n;
    }
    if (!r)
        r = check_totals(&f, nl ? nl - 1 : 0, lo, hi);
    if (!r && !f.n)
        r = fail(&f, "levels: no node with a value");
    if (!r) {
        type = profile_type(p, t.type, t.unit);
        src->types = type < 64 ? 1ull << type : 0;
        source = profile_add_source(p, src);
        if (p->nsources == 1)
            p->default_type = type;
        add_samples(&f, source, type, nl);
    }
    free(f.node);
    return r;
}

static const char *string_at(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s ? s : "";
}

/* Whether a metadata name is a sample type's ("cpu", "alloc_space"), not
 * an application's ("myapp.cpu{env=prod}", what older servers wrote). */
static int type_word(const char *s)
{
    if (!*s || strlen(s) > 64)
        return 0;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", *s))
            return 0;
    return 1;
}

/* metadata{units, sampleRate, name} as a sample type, undoing Pyroscope's
 * ExportToFlamebearer: units "samples" at a rate of 1e9 are CPU
 * nanoseconds (its "cpu" type), at another rate they are samples (count,
 * each 1/rate seconds: the period); "objects" and "goroutines" are counts,
 * "bytes" bytes, lock_* contentions and delay, "exceptions" a count
 * ("trace_samples" read as "samples"); any other unit is the sample
 * type's own unit, as Pyroscope passes it on (@pyroscope/models lists
 * the named ones). */
static void metadata_type(struct profile *p, const json_t *md, struct source *src,
                          struct sample_type *t)
{
    const char *units = !strcmp(string_at(md, "units"), "trace_samples") ? "samples" :
                        string_at(md, "units"), *name = string_at(md, "name");
    const char *type = "samples", *unit = units[0] ? units : "count";
    int64_t rate = 0;

    jsonin_int(json_object_get(md, "sampleRate"), &rate);
    if (!strcmp(units, "samples") && rate == 1000000000)
        type = "cpu", unit = "nanoseconds";
    else if (!strcmp(units, "samples")) {
        unit = "count";
        if (rate > 0) {
            src->period = 1000000000 / rate;
            src->period_type = (struct sample_type){ profile_intern(p, "cpu", 3),
                                                     profile_intern(p, "nanoseconds", 11) };
        }
    } else if (!strcmp(units, "objects"))
        type = "objects", unit = "count";
    else if (!strcmp(units, "goroutines"))
        type = "goroutine", unit = "count";
    else if (!strcmp(units, "bytes"))
        type = "space", unit = "bytes";
    else if (!strcmp(units, "lock_samples"))
        type = "contentions", unit = "count";
    else if (!strcmp(units, "lock_nanoseconds"))
        type = "delay", unit = "nanoseconds";
    else if (!strcmp(units, "exceptions"))
        type = "exceptions", unit = "count";
    if (type_word(name) && !(!strcmp(units, "samples") && rate != 1000000000))
        type = name;
    t->type = profile_intern(p, type, strlen(type));
    t->unit = profile_intern(p, unit, strlen(unit));
}

/* When the profile was taken: metadata's startTime and endTime (Unix
 * seconds, what Pyroscope's /render adds), else the timeline's startTime
 * and its samples' durationDelta seconds each. None: the file's time. */
static void flamebearer_time(const json_t *doc, const json_t *md, struct source *src)
{
    const json_t *tl = json_object_get(doc, "timeline");
    int64_t start = 0, end = 0, step = 0;

    if (jsonin_int(json_object_get(md, "startTime"), &start) ||
        jsonin_int(json_object_get(md, "endTime"), &end)) {
        end = 0;
        if (jsonin_int(json_object_get(tl, "startTime"), &start))
            return;
        if (!jsonin_int(json_object_get(tl, "durationDelta"), &step) && step > 0 &&
            step < 86400 * 366)
            end = start + step * (int64_t)json_array_size(json_object_get(tl, "samples"));
    }
    if (start <= 0 || start > 1e10 || end < start || end > 1e10)
        return;                 /* not seconds since 1970 and before 2286 */
    src->time_nanos = start * 1000000000;
    src->duration_nanos = (end - start) * 1000000000;
}

int flamebearer_load(struct profile *p, uint32_t name, const json_t *doc, char *err)
{
    const json_t *fb = json_object_get(doc, "flamebearer"), *md = json_object_get(doc, "metadata");
    const char *format = string_at(md, "format");
    struct source src = { .name = name };
    struct sample_type t;

    if (!json_is_object(fb)) {
        snprintf(err, SOURCE_ERR_MAX, "flamebearer: not an object");
        return -1;
    }
    if (*format && strcmp(format, "single")) {
        snprintf(err, SOURCE_ERR_MAX, "metadata.format '%.40s': only 'single' is read (a diff's "
                 "'double' is not: export each side)", format);
        return -1;
    }
    metadata_type(p, md, &src, &t);
    flamebearer_time(doc, md, &src);
    return load_levels(p, json_object_get(fb, "names"), json_object_get(fb, "levels"), &src, t,
                       err);
}

/* The answer names no sample type: its numbers are what was asked, in the
 * unit of the type asked for, which only the caller knew. */
int connect_flamegraph_load(struct profile *p, uint32_t name, const json_t *doc, char *err)
{
    const json_t *fg = json_object_get(doc, "flamegraph");
    struct source src = { .name = name };
    struct sample_type t = { profile_intern(p, "samples", 7), profile_intern(p, "count", 5) };

    if (!json_is_object(fg)) {
        snprintf(err, SOURCE_ERR_MAX, "flamegraph: not an object");
        return -1;
    }
    return load_levels(p, json_object_get(fg, "names"), json_object_get(fg, "levels"), &src, t,
                       err);
}
