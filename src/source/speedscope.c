/* speedscope's file format (https://www.speedscope.app/file-format-schema.json):
 * shared.frames (name, file, line) and profiles, each `sampled` (samples:
 * stacks of frame indexes, root first, with weights) or `evented` (open and
 * close events at times: the time between two events is the stack's).
 * Each profile becomes a source of its own, its samples labelled
 * profile=NAME (speedscope files hold a profile per thread). */
#include "jsonin.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "xalloc.h"

struct ss {
    struct profile *p;
    const json_t *frames;
    uint32_t *fid;              /* shared frame -> model frame, UINT32_MAX until used */
    uint32_t *stack;            /* the path being built */
    size_t cap;
    uint32_t source, type, labels;
    double scale;               /* weight -> the type's unit */
    size_t at;                  /* the profile's index, for messages */
    char *err;
};

static int fail(struct ss *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct ss *s, const char *fmt, ...)
{
    va_list ap;
    char why[SOURCE_ERR_MAX - 32];

    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    snprintf(s->err, SOURCE_ERR_MAX, "profiles[%zu].%s", s->at, why);
    return -1;
}

/* The model frame of shared frame i (checked by the caller). */
static uint32_t frame_of(struct ss *s, size_t i)
{
    const json_t *f = json_array_get(s->frames, i), *name = json_object_get(f, "name");
    const json_t *file = json_object_get(f, "file");
    int64_t line = 0;

    if (s->fid[i] != UINT32_MAX)
        return s->fid[i];
    jsonin_int(json_object_get(f, "line"), &line);
    s->fid[i] = profile_frame(s->p, profile_intern(s->p, json_string_value(name),
                                                   json_string_length(name)),
                              json_is_string(file) ? profile_intern(s->p, json_string_value(file),
                                                                    json_string_length(file)) : 0,
                              line > 0 ? line : 0);
    return s->fid[i];
}

static int check_frames(struct ss *s, char *err)
{
    if (!json_is_array(s->frames)) {
        snprintf(err, SOURCE_ERR_MAX, "shared.frames: not an array");
        return -1;
    }
    for (size_t i = 0; i < json_array_size(s->frames); i++) {
        const json_t *f = json_array_get(s->frames, i);

        if (!json_is_string(json_object_get(f, "name"))) {
            snprintf(err, SOURCE_ERR_MAX, "shared.frames[%zu]: no name", i);
            return -1;
        }
    }
    s->fid = xmalloc((json_array_size(s->frames) + 1) * sizeof *s->fid);
    memset(s->fid, 0xff, (json_array_size(s->frames) + 1) * sizeof *s->fid);
    return 0;
}

/* A weight (or a time span) in the type's unit: whole, finite, not
 * negative. */
static int to_value(struct ss *s, double w, int64_t *out)
{
    double v = w * s->scale;

    if (!isfinite(v) || v < 0 || v >= 9.2e18)
        return -1;
    *out = llround(v);
    return 0;
}

static int number(const json_t *v, double *out)
{
    if (!json_is_number(v))
        return -1;
    *out = json_number_value(v);
    return 0;
}

/* A frame index of the shared frames. */
static int frame_index(struct ss *s, const json_t *v, uint32_t *out)
{
    int64_t i;

    if (jsonin_int(v, &i) || i < 0 || (uint64_t)i >= json_array_size(s->frames))
        return -1;
    *out = frame_of(s, (size_t)i);
    return 0;
}

static void push(struct ss *s, size_t n, uint32_t frame)
{
    if (n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->stack = xreallocarray(s->stack, s->cap, sizeof *s->stack);
    }
    s->stack[n] = frame;
}

static void add(struct ss *s, size_t depth, int64_t v)
{
    size_t i;

    if (!v)
        return;
    i = profile_add_sample(s->p, trie_insert_path(&s->p->trie, s->stack, depth), s->labels,
                           s->source);
    profile_set_value(s->p, i, s->type, v);
}

static int read_sampled(struct ss *s, const json_t *prof)
{
    const json_t *samples = json_object_get(prof, "samples"), *w = json_object_get(prof, "weights");

    if (!json_is_array(samples) || !json_is_array(w))
        return fail(s, "samples and weights: want two arrays");
    if (json_array_size(samples) != json_array_size(w))
        return fail(s, "weights: %zu for %zu samples", json_array_size(w),
                    json_array_size(samples));
    for (size_t i = 0; i < json_array_size(samples); i++) {
        const json_t *st = json_array_get(samples, i);
        double weight;
        int64_t v;

        if (!json_is_array(st))
            return fail(s, "samples[%zu]: not an array", i);
        for (size_t k = 0; k < json_array_size(st); k++) {
            push(s, k, 0);
            if (frame_index(s, json_array_get(st, k), &s->stack[k]))
                return fail(s, "samples[%zu][%zu]: not a frame index", i, k);
        }
        if (number(json_array_get(w, i), &weight) || to_value(s, weight, &v))
            return fail(s, "weights[%zu]: not a weight", i);
        add(s, json_array_size(st), v);
    }
    return 0;
}

static int read_evented(struct ss *s, const json_t *prof)
{
    const json_t *ev = json_object_get(prof, "events");
    size_t depth = 0;
    double last = 0;

    if (!json_is_array(ev))
        return fail(s, "events: not an array");
    for (size_t i = 0; i < json_array_size(ev); i++) {
        const json_t *e = json_array_get(ev, i);
        const char *type = json_string_value(json_object_get(e, "type"));
        uint32_t frame;
        double at;
        int64_t v;

        if (!type || (strcmp(type, "O") && strcmp(type, "C")) ||
            number(json_object_get(e, "at"), &at) ||
            frame_index(s, json_object_get(e, "frame"), &frame))
            return fail(s, "events[%zu]: want {type: O or C, at, frame}", i);
        if (i && (at < last || to_value(s, at - last, &v)))
            return fail(s, "events[%zu]: at %g, before the previous event's %g", i, at, last);
        if (i)
            add(s, depth, v);
        last = at;
        if (!strcmp(type, "O")) {
            push(s, depth++, frame);
        } else if (!depth || s->stack[depth - 1] != frame) {
            return fail(s, "events[%zu]: closes a frame that is not the last opened", i);
        } else {
            depth--;
        }
    }
    return 0;
}

/* The sample type of a profile's unit; scale turns its weights into it. */
static int unit_type(struct ss *s, const char *unit)
{
    static const struct { const char *unit, *type, *to; double scale; } units[] = {
        { "none", "samples", "count", 1 },       { "nanoseconds", "time", "nanoseconds", 1 },
        { "microseconds", "time", "nanoseconds", 1e3 },
        { "milliseconds", "time", "nanoseconds", 1e6 },
        { "seconds", "time", "nanoseconds", 1e9 }, { "bytes", "space", "bytes", 1 },
    };
    struct profile *p = s->p;

    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (!strcmp(unit, units[i].unit)) {
            s->type = profile_type(p, profile_intern(p, units[i].type, strlen(units[i].type)),
                                   profile_intern(p, units[i].to, strlen(units[i].to)));
            s->scale = units[i].scale;
            return 0;
        }
    return fail(s, "unit '%.40s': want none, nanoseconds, microseconds, milliseconds, seconds "
                "or bytes", unit);
}

static int read_profile(struct ss *s, uint32_t name, const json_t *prof)
{
    const char *type = json_string_value(json_object_get(prof, "type"));
    const char *unit = json_string_value(json_object_get(prof, "unit"));
    const json_t *pname = json_object_get(prof, "name");
    struct source src = { .name = name };
    struct profile *p = s->p;

    if (!type || (strcmp(type, "sampled") && strcmp(type, "evented")))
        return fail(s, "type: want sampled or evented");
    if (unit_type(s, unit ? unit : "none"))
        return -1;
    src.types = s->type < 64 ? 1ull << s->type : 0;
    s->source = profile_add_source(p, &src);
    if (p->nsources == 1)
        p->default_type = s->type;
    s->labels = 0;
    if (json_is_string(pname) && json_string_length(pname)) {
        struct label l = { .key = profile_intern(p, "profile", 7),
                           .str = profile_intern(p, json_string_value(pname),
                                                 json_string_length(pname)) };

        s->labels = profile_labelset(p, &l, 1);
    }
    return !strcmp(type, "sampled") ? read_sampled(s, prof) : read_evented(s, prof);
}

int speedscope_load(struct profile *p, uint32_t name, const json_t *doc, char *err)
{
    const json_t *profiles = json_object_get(doc, "profiles");
    struct ss s = { .p = p, .frames = json_object_get(json_object_get(doc, "shared"), "frames"),
                    .err = err };
    size_t before = p->nsamples;
    int r = 0;

    if (!json_is_array(profiles) || !json_array_size(profiles)) {
        snprintf(err, SOURCE_ERR_MAX, "profiles: want an array of profiles");
        return -1;
    }
    if (check_frames(&s, err))
        return -1;
    for (s.at = 0; s.at < json_array_size(profiles) && !r; s.at++)
        r = read_profile(&s, name, json_array_get(profiles, s.at));
    if (!r && p->nsamples == before) {
        snprintf(err, SOURCE_ERR_MAX, "profiles: no sample with a weight");
        r = -1;
    }
    free(s.fid);
    free(s.stack);
    return r;
}
