/* pprof's pass 2 on two threads (issue 14): a large file's second half of
 * samples is decoded on the other core. The model holds the same trie,
 * samples, values and labels as on one thread (label set ids may come in
 * another order: only their contents are compared), and an error in the
 * second half names the same sample with the same words. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "profile.h"
#include "profile.pb-c.h"
#include "source.h"
#include "xalloc.h"

enum { NSAMPLE = 70000, NLOC = 60, WIDE = NLOC + 1, WIDE_LINES = 1000 };

typedef Perftools__Profiles__Profile pb_profile;

/* A CPU-like profile: NSAMPLE samples of 2-9 locations over NLOC one-line
 * functions, labels on two in three (region, and a numeric one on some);
 * from sample `wide_from` on (0: none) every sample also holds location
 * WIDE, WIDE_LINES lines; sample `bad` (0: none) names location 9999. */
static uint8_t *encode(size_t wide_from, size_t bad, size_t *len)
{
    static char names[NLOC + 1][16];
    char *str[NLOC + 16];
    Perftools__Profiles__Function fn[NLOC + 1], *fnp[NLOC + 1];
    Perftools__Profiles__Location loc[WIDE], *locp[WIDE];
    Perftools__Profiles__Line line[NLOC + WIDE_LINES], *linep[NLOC + WIDE_LINES];
    Perftools__Profiles__ValueType vt[2], *vtp[2];
    Perftools__Profiles__Sample *sm = xcalloc(NSAMPLE, sizeof *sm), **smp = xcalloc(NSAMPLE, sizeof *smp);
    Perftools__Profiles__Label *lab = xcalloc(2 * NSAMPLE, sizeof *lab), **labp = xcalloc(2 * NSAMPLE, sizeof *labp);
    uint64_t *ids = xcalloc((size_t)NSAMPLE * 10, sizeof *ids);
    int64_t *vals = xcalloc((size_t)NSAMPLE * 2, sizeof *vals);
    pb_profile pr = PERFTOOLS__PROFILES__PROFILE__INIT;
    uint32_t seed = 17;
    size_t nstr = 0;
    uint8_t *out;

    str[nstr++] = "";
    str[nstr++] = "samples", str[nstr++] = "count", str[nstr++] = "cpu", str[nstr++] = "nanoseconds";
    str[nstr++] = "region", str[nstr++] = "eu", str[nstr++] = "bytes";  /* 5, 6, 7 */
    for (int i = 0; i < 2; i++) {
        perftools__profiles__value_type__init(&vt[i]);
        vt[i].type = 1 + 2 * i, vt[i].unit = 2 + 2 * i;
        vtp[i] = &vt[i];
    }
    for (int f = 0; f <= NLOC; f++) {
        snprintf(names[f], sizeof names[f], "fn%d", f);
        str[nstr] = names[f];
        perftools__profiles__function__init(&fn[f]);
        fn[f].id = (uint64_t)f + 1, fn[f].name = (int64_t)nstr++;
        fnp[f] = &fn[f];
    }
    for (int l = 0; l < WIDE; l++) {      /* location l + 1: fn l, the wide one all fn NLOC */
        int nl = l == NLOC ? WIDE_LINES : 1;

        perftools__profiles__location__init(&loc[l]);
        loc[l].id = (uint64_t)l + 1;
        loc[l].n_line = (size_t)nl;
        loc[l].line = &linep[l < NLOC ? l : NLOC];
        for (int k = 0; k < nl; k++) {
            Perftools__Profiles__Line *ln = &line[(l < NLOC ? l : NLOC) + k];

            perftools__profiles__line__init(ln);
            ln->function_id = (uint64_t)(l < NLOC ? l : NLOC) + 1, ln->line = k + 1;
            linep[(l < NLOC ? l : NLOC) + k] = ln;
        }
        locp[l] = &loc[l];
    }
    for (size_t s = 0; s < NSAMPLE; s++) {
        Perftools__Profiles__Sample *x = &sm[s];
        size_t depth = 2, nl = 0;

        perftools__profiles__sample__init(x);
        seed = seed * 1103515245u + 12345u;
        depth += (seed >> 16) % 8;
        x->location_id = ids + s * 10;
        for (size_t d = 0; d < depth; d++) {
            seed = seed * 1103515245u + 12345u;
            x->location_id[d] = 1 + (seed >> 16) % NLOC;
        }
        if (wide_from && s + 1 >= wide_from)
            x->location_id[depth++] = WIDE;
        if (bad && s + 1 == bad)
            x->location_id[0] = 9999;
        x->n_location_id = depth;
        x->value = vals + 2 * s, x->n_value = 2;
        x->value[0] = 1 + (int64_t)(s % 5), x->value[1] = x->value[0] * 10000000;
        x->label = labp + 2 * s;
        if (s % 3) {
            perftools__profiles__label__init(&lab[2 * s]);
            lab[2 * s].key = 5, lab[2 * s].str = 6;
            x->label[nl++] = &lab[2 * s];
        }
        if (s % 5 == 1) {
            perftools__profiles__label__init(&lab[2 * s + 1]);
            lab[2 * s + 1].key = 7, lab[2 * s + 1].num = (int64_t)(s % 977);
            x->label[nl++] = &lab[2 * s + 1];
        }
        x->n_label = nl;
        smp[s] = x;
    }
    pr.n_sample_type = 2, pr.sample_type = vtp;
    pr.n_sample = NSAMPLE, pr.sample = smp;
    pr.n_location = WIDE, pr.location = locp;
    pr.n_function = NLOC + 1, pr.function = fnp;
    pr.n_string_table = nstr, pr.string_table = str;
    *len = perftools__profiles__profile__get_packed_size(&pr);
    out = xmalloc(*len);
    perftools__profiles__profile__pack(&pr, out);
    free(sm), free(smp), free(lab), free(labp), free(ids), free(vals);
    return out;
}

static int load(struct profile *p, const uint8_t *d, size_t len, int one, char *err)
{
    struct load_options o = { .max_size = (size_t)1 << 30, .one_thread = one };

    profile_init(p);
    return source_load_buffer(p, "split.pb", d, len, &o, err);
}

static int same_labels(const struct profile *a, uint32_t sa, const struct profile *b, uint32_t sb)
{
    uint32_t na, nb;
    const struct label *la = profile_set_labels(a, sa, &na), *lb = profile_set_labels(b, sb, &nb);

    return na == nb && (!na || !memcmp(la, lb, na * sizeof *la));
}

START_TEST(two_threads_load_what_one_does)
{
    size_t len;
    uint8_t *d = encode(0, 0, &len);
    struct profile a, b;
    char ea[SOURCE_ERR_MAX] = "", eb[SOURCE_ERR_MAX] = "";

    ck_assert_int_eq(load(&a, d, len, 1, ea), 0);
    ck_assert_int_eq(load(&b, d, len, 0, eb), 0);
    ck_assert_uint_eq(a.nsamples, NSAMPLE);
    ck_assert_uint_eq(b.nsamples, NSAMPLE);
    ck_assert_uint_eq(a.trie.count, b.trie.count);
    ck_assert_mem_eq(a.trie.node, b.trie.node, a.trie.count * sizeof *a.trie.node);
    ck_assert_uint_eq(a.nsets, b.nsets);
    for (size_t s = 0; s < NSAMPLE; s++) {
        ck_assert_uint_eq(a.samples[s].node, b.samples[s].node);
        ck_assert(same_labels(&a, a.samples[s].labels, &b, b.samples[s].labels));
        for (uint32_t t = 0; t < a.ntypes; t++)
            ck_assert_int_eq(profile_value(&a, s, t), profile_value(&b, s, t));
    }
    profile_free(&a);
    profile_free(&b);
    free(d);
}
END_TEST

/* The same error, one thread or two: a missing location in the second
 * half, and the frame budget passed in it (8 frames a byte of profile:
 * every sample from 40,001 on holds 1,000 frames more). */
START_TEST(an_error_in_the_second_half_is_the_same)
{
    size_t cases[][2] = { { 0, 60000 }, { 40001, 0 }, { 40001, 69000 } };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len;
        uint8_t *d = encode(cases[i][0], cases[i][1], &len);
        struct profile a, b;
        char ea[SOURCE_ERR_MAX] = "", eb[SOURCE_ERR_MAX] = "";
        int ra = load(&a, d, len, 1, ea), rb = load(&b, d, len, 0, eb);

        ck_assert_int_ne(ra, 0);
        ck_assert_int_eq(ra, rb);
        ck_assert_str_eq(ea, eb);
        if (!cases[i][0])
            ck_assert_str_eq(ea, "sample 60000: location 9999 not found");
        else
            ck_assert(strstr(ea, "stacks expand to more than"));
        profile_free(&a);
        profile_free(&b);
        free(d);
    }
}
END_TEST

Suite *split_suite(void)
{
    Suite *s = suite_create("split");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, two_threads_load_what_one_does);
    tcase_add_test(tc, an_error_in_the_second_half_is_the_same);
    suite_add_tcase(s, tc);
    return s;
}
