#include "base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xalloc.h"

/* The types of the sources in [lo, hi): a mask over p->types (a source
 * without one has every type). */
static uint64_t types_of(const struct profile *p, uint32_t lo, uint32_t hi)
{
    uint64_t all = p->ntypes >= 64 ? ~0ull : (1ull << p->ntypes) - 1, m = 0;

    for (uint32_t s = lo; s < hi; s++)
        m |= p->sources[s].types ? p->sources[s].types : all;
    return m & all;
}

/* " cpu/nanoseconds samples/count": the types of mask m, escaped. */
static void types_text(const struct profile *p, uint64_t m, struct sbuf *b)
{
    for (uint32_t t = 0; t < p->ntypes && t < 64; t++) {
        if (!(m >> t & 1))
            continue;
        sbuf_addc(b, ' ');
        text_escape(b, profile_str(p, p->types[t].type),
                    strtab_len(&p->strings, p->types[t].type), TEXT_ESCAPE_DISPLAY);
        sbuf_addc(b, '/');
        text_escape(b, profile_str(p, p->types[t].unit),
                    strtab_len(&p->strings, p->types[t].unit), TEXT_ESCAPE_DISPLAY);
    }
}

static int same_type(const struct sample_type *a, const struct sample_type *b)
{
    return a->type == b->type && a->unit == b->unit;
}

int base_check(const struct profile *p, uint32_t first, char *err, size_t n)
{
    uint64_t want = types_of(p, 0, first);

    for (uint32_t s = first; s < p->nsources; s++) {
        uint64_t got = types_of(p, s, s + 1);
        struct sbuf a = { 0 }, b = { 0 };

        if (got == want && same_type(&p->sources[s].period_type, &p->sources[0].period_type))
            continue;
        types_text(p, got, &a);
        types_text(p, want, &b);
        if (got == want)
            snprintf(err, n, "its period type differs from the profile's (pprof merges only "
                     "profiles of one kind)");
        else
            snprintf(err, n, "its sample types (%s) differ from the profile's (%s)",
                     a.s ? a.s + 1 : "none", b.s ? b.s + 1 : "none");
        sbuf_free(&a);
        sbuf_free(&b);
        return -1;
    }
    return 0;
}

/* Every label set's bare twin (see base_bare_set), made while label sets
 * can still be added. */
static void make_bare(struct profile *p, struct base_info *b)
{
    uint32_t file = strtab_find(&p->strings, "file", 4), n, k;
    struct label *buf = NULL;
    size_t cap = 0;

    b->nbare = p->nsets;
    b->bare = xmalloc(((size_t)b->nbare + 1) * sizeof *b->bare);
    for (uint32_t set = 0; set < b->nbare; set++) {
        const struct label *l = profile_set_labels(p, set, &n);

        if (n > cap)
            buf = xreallocarray(buf, cap = n, sizeof *buf);
        k = 0;
        for (uint32_t i = 0; i < n; i++)
            if (l[i].key != file)
                buf[k++] = l[i];
        b->bare[set] = k == n ? set : profile_labelset(p, buf, k);
    }
    free(buf);
}

void base_mark(struct profile *p, uint32_t first, enum base_kind kind)
{
    struct base_info *b;

    base_free(p);               /* read again (a granularity switch): the new one counts */
    b = xcalloc(1, sizeof *b);
    b->kind = kind;
    b->first = first;
    for (size_t s = 0; s < p->nsamples; s++) {
        if (p->samples[s].source < first)
            continue;
        int64_t *row = profile_row(p, s);
        uint32_t w = profile_run_of(p, s)->width;

        for (uint32_t i = 0; i < w; i++)
            row[i] = row[i] == INT64_MIN ? INT64_MAX : -row[i];
    }
    make_bare(p, b);
    b->label_key = profile_intern(p, "pprof::base", 11);
    b->label_true = profile_intern(p, "true", 4);
    p->base = b;
}

void base_free(struct profile *p)
{
    if (!p->base)
        return;
    free(p->base->bare);
    free(p->base);
    p->base = NULL;
}
