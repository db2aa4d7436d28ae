/* Snapshots over time (snapshot.h): cumulative Go types become deltas per
 * origin, instant types are averaged. Real snapshots:
 * tests/data/snapshots/series, written by tests/data/snapshots/gen (one
 * run of 4 steps, then a second run of 2: a restart); every expected
 * number below is `go tool pprof -top` of each file as
 * tests/data/snapshots/pprof.txt lists it, with the arithmetic shown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check_suites.h"
#include "query.h"
#include "snapshot.h"
#include "source.h"
#include "timeline.h"
#include "view_fx.h"

#define SERIES TEST_DATA "/snapshots/series"

static const struct load_options opts = { .max_size = (size_t)1 << 30 };

static void load(struct profile *p, const char *path)
{
    char err[SOURCE_ERR_MAX];

    profile_init(p);
    ck_assert_msg(source_load_path(p, path, &opts, err) == 0, "%s: %s", path, err);
    profile_finish(p);
}

static uint32_t type_of(const struct profile *p, const char *name)
{
    uint32_t t = profile_find_type(p, name);

    ck_assert_uint_ne(t, UINT32_MAX);
    return t;
}

/* The source whose path ends in name. */
static uint32_t source_named(const struct profile *p, const char *name)
{
    for (uint32_t s = 0; s < p->nsources; s++) {
        const char *n = profile_str(p, p->sources[s].name);

        if (strlen(n) >= strlen(name) && !strcmp(n + strlen(n) - strlen(name), name))
            return s;
    }
    ck_abort_msg("no source %s", name);
    return 0;
}

/* What the model holds for source s, type t: the sum of its samples. */
static int64_t source_sum(const struct profile *p, uint32_t s, uint32_t t)
{
    int64_t sum = 0;

    for (size_t i = 0; i < p->nsamples; i++)
        if (p->samples[i].source == s)
            sum += profile_value(p, i, t);
    return sum;
}

/* The whole data set's value of type t through the query the views use. */
static int64_t query_total(const struct profile *p, uint32_t t, struct flat *fl)
{
    int64_t *total = calloc(p->trie.count, sizeof *total), v;

    query_totals_flat(p, t, NULL, total, fl);
    v = total[TRIE_ROOT];
    ck_assert_int_eq(fl->grand_total, v);
    free(total);
    return v;
}

static const struct flat_row *row_named(const struct profile *p, const struct flat *fl,
                                        const char *name)
{
    for (uint32_t i = 0; i < fl->count; i++)
        if (!strcmp(profile_str(p, p->frames[fl->rows[i].frame].name), name))
            return &fl->rows[i];
    ck_abort_msg("no row %s", name);
    return NULL;
}

START_TEST(folder_inuse_is_one_snapshots_scale)
{
    struct profile p;
    struct flat fl;
    char text[64];

    load(&p, SERIES);
    /* inuse_space totals 1052368 2110472 3160232 4208904 1051184 2109736:
     * sum 13692896, / 6 = 2282149.33 -> 2282149 (summed it was 13.7 MB) */
    ck_assert_int_eq(query_total(&p, type_of(&p, "inuse_space"), &fl), 2282149);
    ck_assert_int_eq(fl.agg, QUERY_AVG);
    ck_assert_uint_eq(fl.snapshots, 6);
    flat_agg_text(&fl, text, sizeof text);
    ck_assert_str_eq(text, "avg of 6 snapshots");
    /* main.keepLive's flat: 1048960 2097920 3147264 4195840 1048960
     * 2097920: sum 13636864, / 6 = 2272810.67 -> 2272811 */
    ck_assert_int_eq(row_named(&p, &fl, "main.keepLive")->self, 2272811);
    ck_assert_int_eq(row_named(&p, &fl, "main.keepLive")->total, 2272811);
    flat_free(&fl);
    /* inuse_objects 40 63 80 97 35 59: 374 / 6 = 62.33 -> 62 */
    ck_assert_int_eq(query_total(&p, type_of(&p, "inuse_objects"), &fl), 62);
    flat_free(&fl);
    profile_free(&p);
}
END_TEST

START_TEST(folder_alloc_steps_are_deltas)
{
    /* alloc_space totals 5247368 13080880 21135952 29251352 | 3148920
     * 8877936 (the second run): deltas 5247368, 13080880 - 5247368 =
     * 7833512, 21135952 - 13080880 = 8055072, 29251352 - 21135952 =
     * 8115400, then 3148920 as it is (it is less than 29251352: a restart)
     * and 8877936 - 3148920 = 5729016 */
    static const int64_t space[6] = { 5247368, 7833512, 8055072, 8115400, 3148920, 5729016 };
    /* alloc_objects 114 886 2713 4710 | 76 777 */
    static const int64_t objects[6] = { 114, 772, 1827, 1997, 76, 701 };
    /* mutex contentions 38 77 116 149 | 38 75 */
    static const int64_t contentions[6] = { 38, 39, 39, 33, 38, 37 };
    struct profile p;
    struct flat fl;
    char name[32], text[64];

    load(&p, SERIES);
    for (int i = 0; i < 6; i++) {
        snprintf(name, sizeof name, "heap-%02d.pb.gz", i + 1);
        ck_assert_int_eq(source_sum(&p, source_named(&p, name), type_of(&p, "alloc_space")),
                         space[i]);
        ck_assert_int_eq(source_sum(&p, source_named(&p, name), type_of(&p, "alloc_objects")),
                         objects[i]);
        snprintf(name, sizeof name, "mutex-%02d.pb.gz", i + 1);
        ck_assert_int_eq(source_sum(&p, source_named(&p, name), type_of(&p, "contentions")),
                         contentions[i]);
    }
    /* the sum over all steps, heap-01 being the baseline (its count since
     * the start is no step) and the restart's heap-05 counting as it is:
     * 7833512 + 8055072 + 8115400 + 3148920 + 5729016 = 32881920 */
    ck_assert_int_eq(query_total(&p, type_of(&p, "alloc_space"), &fl), 32881920);
    flat_agg_text(&fl, text, sizeof text);
    ck_assert_str_eq(text, "delta of 6 snapshots");
    flat_free(&fl);
    /* the heap and mutex files are two origins of one folder */
    ck_assert_uint_ne(p.sources[source_named(&p, "heap-01.pb.gz")].origin,
                      p.sources[source_named(&p, "mutex-01.pb.gz")].origin);
    ck_assert_uint_eq(p.sources[source_named(&p, "heap-01.pb.gz")].origin,
                      p.sources[source_named(&p, "heap-06.pb.gz")].origin);
    profile_free(&p);
}
END_TEST

START_TEST(a_range_of_one_file_is_that_snapshot)
{
    struct profile p;
    struct selector sel;
    struct filter f = { 0 };
    char err[SELECTOR_ERR_MAX];
    int64_t *total;
    struct flat fl;

    load(&p, SERIES);
    total = calloc(p.trie.count, sizeof *total);
    ck_assert_int_eq(selector_parse("{file=\"heap-03.pb.gz\"}", &sel, err), 0);
    filter_build(&f, &sel, &p);
    /* one snapshot kept: its own in-use bytes, 3160232, and its step's
     * delta of alloc_space, 8055072 */
    query_totals_flat(&p, type_of(&p, "inuse_space"), &f, total, &fl);
    ck_assert_int_eq(fl.grand_total, 3160232);
    flat_free(&fl);
    query_totals(&p, type_of(&p, "alloc_space"), &f, total);
    ck_assert_int_eq(total[TRIE_ROOT], 8055072);
    filter_free(&f);
    selector_free(&sel);
    free(total);
    profile_free(&p);
}
END_TEST

START_TEST(timeline_plots_each_snapshot)
{
    struct profile p;
    struct timeline t;
    int64_t series[64] = { 0 };
    uint32_t inuse;

    load(&p, SERIES);
    inuse = type_of(&p, "inuse_space");
    /* enough buckets that the 6 snapshots (20 ms apart at least) fall
     * into buckets of their own: each plots its own in-use bytes */
    timeline_init(&t, &p, inuse, 64);
    timeline_series(&t, &p, inuse, NULL, series);
    ck_assert_int_eq(series[t.bucket_of[source_named(&p, "heap-01.pb.gz")]], 1052368);
    ck_assert_int_eq(series[t.bucket_of[source_named(&p, "heap-04.pb.gz")]], 4208904);
    ck_assert_int_eq(series[t.bucket_of[source_named(&p, "heap-06.pb.gz")]], 2109736);
    timeline_free(&t);
    /* one bucket: the average, as the range */
    timeline_init(&t, &p, inuse, 1);
    timeline_series(&t, &p, inuse, NULL, series);
    ck_assert_int_eq(series[0], 2282149);
    timeline_free(&t);
    profile_free(&p);
}
END_TEST

/* The tag explorer's rows agree with the query of their value: in-use
 * bytes of the 64 KiB blocks (bytes=65536) per file, from `go tool pprof
 * -raw` (column 4 of the samples labelled bytes:[65536], summed with awk):
 * 1048576 2097152 3145728 4194304 1048576 2097152, sum 13631488, / 6 =
 * 2271914.67 -> 2271915; each step plots its own. Grouped by file, a
 * row is its one snapshot: heap-03's 3160232. */
START_TEST(tag_rows_average_too)
{
    struct profile p;
    struct timeline t;
    struct tag_row *rows;
    uint32_t n, inuse, found = 0;

    load(&p, SERIES);
    inuse = type_of(&p, "inuse_space");
    timeline_init(&t, &p, inuse, 64);
    rows = tags_group(&p, inuse, NULL, strtab_find(&p.strings, "bytes", 5), &t, &n);
    for (uint32_t i = 0; i < n; i++) {
        if (strcmp(profile_str(&p, rows[i].value), "65536"))
            continue;
        found = 1;
        ck_assert_int_eq(rows[i].total, 2271915);
        ck_assert_int_eq(rows[i].series[t.bucket_of[source_named(&p, "heap-02.pb.gz")]], 2097152);
    }
    ck_assert(found);
    tags_free_rows(rows, n);
    rows = tags_group(&p, inuse, NULL, strtab_find(&p.strings, "file", 4), &t, &n);
    for (uint32_t i = 0; i < n; i++)
        if (!strcmp(profile_str(&p, rows[i].value), "heap-03.pb.gz"))
            ck_assert_int_eq(rows[i].total, 3160232);
    tags_free_rows(rows, n);
    timeline_free(&t);
    profile_free(&p);
}
END_TEST

/* A single file keeps pprof's numbers: heap-04.pb.gz alone. */
START_TEST(single_file_is_unchanged)
{
    struct profile p;
    struct flat fl;
    char text[64];

    load(&p, SERIES "/heap-04.pb.gz");
    ck_assert_int_eq(query_total(&p, type_of(&p, "alloc_space"), &fl), 29251352);
    flat_agg_text(&fl, text, sizeof text);
    ck_assert_str_eq(text, "");
    flat_free(&fl);
    ck_assert_int_eq(query_total(&p, type_of(&p, "inuse_space"), &fl), 4208904);
    ck_assert_int_eq(fl.agg, QUERY_SUM);
    flat_free(&fl);
    profile_free(&p);
}
END_TEST

/* Go's allocs?seconds=1 answers are deltas already (they carry a
 * duration): tests/data/snapshots/make-delta.sh recorded three; each keeps
 * `go tool pprof`'s alloc_space (delta.txt), the folder is their sum:
 * 5134957 + 4324238 + 4480189 = 13939384. */
START_TEST(interval_deltas_are_not_settled)
{
    static const char *const file[3] = { "20261201T233208.556Z-localhost_6060.pb.gz",
                                         "20261201T233209.591Z-localhost_6060.pb.gz",
                                         "20261201T233210.623Z-localhost_6060.pb.gz" };
    static const int64_t space[3] = { 5134957, 4324238, 4480189 };
    struct profile p;
    struct flat fl;

    load(&p, TEST_DATA "/snapshots/delta");
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(source_sum(&p, source_named(&p, file[i]), type_of(&p, "alloc_space")),
                         space[i]);
    ck_assert_int_eq(query_total(&p, type_of(&p, "alloc_space"), &fl), 13939384);
    flat_free(&fl);
    profile_free(&p);
}
END_TEST

/* An average under a label filter counts every snapshot in range, not
 * only those where the label shows: in-use bytes of bytes=768 are 768 in
 * heap-02 and heap-06 and absent from the other four (`go tool pprof
 * -sample_index=inuse_space -tags -unit=B`), so (768 + 768) / 6 = 256,
 * never more than the whole; the tag explorer's row says the same. */
START_TEST(label_average_counts_every_snapshot)
{
    struct profile p;
    struct selector sel;
    struct filter f = { 0 };
    struct timeline t;
    struct tag_row *rows;
    char err[SELECTOR_ERR_MAX], text[64];
    uint32_t n, inuse, found = 0;
    int64_t *total;
    struct flat fl;

    load(&p, SERIES);
    inuse = type_of(&p, "inuse_space");
    total = calloc(p.trie.count, sizeof *total);
    ck_assert_int_eq(selector_parse("{bytes=\"768\"}", &sel, err), 0);
    filter_build(&f, &sel, &p);
    query_totals_flat(&p, inuse, &f, total, &fl);
    ck_assert_int_eq(fl.grand_total, 256);
    flat_agg_text(&fl, text, sizeof text);
    ck_assert_str_eq(text, "avg of 6 snapshots");
    flat_free(&fl);
    filter_free(&f);
    selector_free(&sel);
    free(total);
    timeline_init(&t, &p, inuse, 64);
    rows = tags_group(&p, inuse, NULL, strtab_find(&p.strings, "bytes", 5), &t, &n);
    for (uint32_t i = 0; i < n; i++)
        if (!strcmp(profile_str(&p, rows[i].value), "768")) {
            found = 1;
            ck_assert_int_eq(rows[i].total, 256);
        }
    ck_assert(found);
    tags_free_rows(rows, n);
    timeline_free(&t);
    profile_free(&p);
}
END_TEST

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[4096];
    size_t n;

    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(out);
    while ((n = fread(buf, 1, sizeof buf, in)))
        ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
    fclose(in);
    ck_assert_int_eq(fclose(out), 0);
}

/* A folder --record filled from two pods: heap-01..04 as each pod's,
 * named as record.c names them (the second pod's last one twice in its
 * millisecond: -2), plus a name of no recorder. Returns the folder. */
static char *two_pods(char *dir)
{
    char from[512], to[512];

    strcpy(dir, "/tmp/check-pods-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    for (int i = 1; i <= 4; i++) {
        snprintf(from, sizeof from, SERIES "/heap-%02d.pb.gz", i);
        snprintf(to, sizeof to, "%s/20261201T00000%d.000Z-pod-a_6060.pb.gz", dir, i);
        copy_file(from, to);
        snprintf(to, sizeof to, "%s/20261201T00000%d.000Z-pod-b_6060%s.pb.gz", dir, i,
                 i == 4 ? "-2" : "");
        copy_file(from, to);
    }
    snprintf(to, sizeof to, "%s/20261201T000004.000Z-pod-b_6060.pb.gz", dir);
    copy_file(SERIES "/mutex-01.pb.gz", to);    /* what makes pod-b's 4th "-2" */
    return dir;
}

static void remove_dir(const char *dir)
{
    char cmd[600];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Each recorded source is a series of its own and gets its source label
 * back. In-use main.keepLive per pod (pprof.txt): (1048960 + 2097920 +
 * 3147264 + 4195840) / 4 = 2622496; two pods add: 5244992 (one series
 * of 8 averaged it to 2622496). alloc_space: each pod's last count less
 * its baseline, 29251352 - 5247368 = 24003984, twice: 48007968. */
START_TEST(recorded_sources_are_series_of_their_own)
{
    char dir[64], err[SELECTOR_ERR_MAX];
    struct profile p;
    struct flat fl;
    struct selector sel;
    struct filter f = { 0 };
    int64_t *total;

    load(&p, two_pods(dir));
    query_total(&p, type_of(&p, "inuse_space"), &fl);
    ck_assert_int_eq(row_named(&p, &fl, "main.keepLive")->self, 5244992);
    ck_assert_uint_eq(fl.snapshots, 8);
    flat_free(&fl);
    ck_assert_int_eq(query_total(&p, type_of(&p, "alloc_space"), &fl), 48007968);
    flat_free(&fl);
    /* one pod: its average of inuse_space totals, (1052368 + 2110472 +
     * 3160232 + 4208904) / 4 = 2632994 */
    total = calloc(p.trie.count, sizeof *total);
    ck_assert_int_eq(selector_parse("{source=\"pod-b:6060\"}", &sel, err), 0);
    filter_build(&f, &sel, &p);
    query_totals(&p, type_of(&p, "inuse_space"), &f, total);
    ck_assert_int_eq(total[TRIE_ROOT], 2632994);
    filter_free(&f);
    selector_free(&sel);
    free(total);
    profile_free(&p);
    remove_dir(dir);
}
END_TEST

/* n one-stack profiles `m;x V` of type `name`, origin origin[i], at
 * times 10 s apart: what the live data set adds. */
static void synthetic(struct profile *p, const char *name, const int64_t *v,
                      const uint32_t *origin, int n, int settle)
{
    char err[SOURCE_ERR_MAX], text[64];

    profile_init(p);
    for (int i = 0; i < n; i++) {
        int len = snprintf(text, sizeof text, "m;x %lld\n", (long long)v[i]);

        ck_assert_int_eq(folded_load(p, 0, (const uint8_t *)text, (size_t)len, err), 0);
        p->sources[i].time_nanos = (int64_t)i * 10 * 1000000000LL;
        p->sources[i].origin = origin[i] ? profile_intern(p, origin[i] == 1 ? "pod-a" : "pod-b", 5)
                                         : 0;
    }
    p->types[0].type = profile_intern(p, name, strlen(name));   /* folded's one type */
    for (int i = 0; i < n && settle; i++)
        snapshot_settle(p, (uint32_t)i);
    profile_finish(p);
}

START_TEST(settle_one_at_a_time)
{
    /* cumulative 10, 25, 5 (restart), 12; origin 0 keeps its 40 */
    static const int64_t v[5] = { 10, 25, 5, 12, 40 };
    static const uint32_t origin[5] = { 1, 1, 1, 1, 0 };
    static const int64_t want[5] = { 10, 15, 5, 7, 40 };
    struct profile p;

    synthetic(&p, "delay", v, origin, 5, 1);
    ck_assert_int_eq(snapshot_kind(&p, 0), SNAPSHOT_CUMULATIVE);
    for (uint32_t s = 0; s < 5; s++)
        ck_assert_int_eq(source_sum(&p, s, 0), want[s]);
    profile_free(&p);
    /* a CPU-like type is left alone */
    synthetic(&p, "cpu", v, origin, 5, 1);
    ck_assert_int_eq(snapshot_kind(&p, 0), SNAPSHOT_SUM);
    for (uint32_t s = 0; s < 5; s++)
        ck_assert_int_eq(source_sum(&p, s, 0), v[s]);
    profile_free(&p);
}
END_TEST

/* The first snapshot of a series of several is its baseline: its counts
 * since the start are no step. Series 10, 25, 5 (restart), 12 and a
 * profile of origin 0 with 40: steps 15, 5 (from the restart, as it is),
 * 7, and 40: 67 (the baseline's 10 counted too made 77). */
START_TEST(first_snapshot_is_a_baseline)
{
    static const int64_t v[5] = { 10, 25, 5, 12, 40 };
    static const uint32_t origin[5] = { 1, 1, 1, 1, 0 };
    struct profile p;
    struct flat fl;
    struct timeline t;
    int64_t series[5];

    synthetic(&p, "delay", v, origin, 5, 1);
    ck_assert_int_eq(query_total(&p, 0, &fl), 67);
    flat_free(&fl);
    ck_assert(snapshot_is_baseline(&p, 0, 0));
    ck_assert(!snapshot_is_baseline(&p, 2, 0));        /* a restart counts */
    ck_assert(!snapshot_is_baseline(&p, 4, 0));
    /* times 0 10 20 30 40 s on 5 buckets: one each; the baseline's is a
     * gap, not a step of 10 */
    timeline_init(&t, &p, 0, 5);
    timeline_series(&t, &p, 0, NULL, series);
    ck_assert_uint_eq(t.in_bucket[0], 0);
    ck_assert_int_eq(series[0], 0);
    ck_assert_int_eq(series[1], 15);
    ck_assert_uint_eq(t.in_bucket[1], 1);
    timeline_free(&t);
    profile_free(&p);
    /* one snapshot alone keeps its count */
    synthetic(&p, "delay", v, origin, 1, 1);
    ck_assert(!snapshot_is_baseline(&p, 0, 0));
    ck_assert_int_eq(query_total(&p, 0, &fl), 10);
    flat_free(&fl);
    profile_free(&p);
}
END_TEST

/* A stack that counts less than before is a restart even when the total
 * grew: x 10, y 10 then x 5, y 30 keeps 5 and 30 as they are (deltas
 * would give x -5). */
START_TEST(one_stack_down_is_a_restart)
{
    static const char *const text[2] = { "m;x 10\nm;y 10\n", "m;x 5\nm;y 30\n" };
    char err[SOURCE_ERR_MAX];
    struct profile p;

    profile_init(&p);
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(folded_load(&p, 0, (const uint8_t *)text[i], strlen(text[i]), err), 0);
        p.sources[i].time_nanos = (int64_t)(i + 1) * 1000000000LL;
        p.sources[i].origin = profile_intern(&p, "pod-a", 5);
    }
    p.types[0].type = profile_intern(&p, "contentions", 11);
    for (uint32_t i = 0; i < 2; i++)
        snapshot_settle(&p, i);
    profile_finish(&p);
    ck_assert_int_eq(source_sum(&p, 1, 0), 35);
    for (size_t i = 0; i < p.nsamples; i++)
        ck_assert_int_ge(profile_value(&p, i, 0), 5);
    ck_assert(!snapshot_is_baseline(&p, 1, 0));
    profile_free(&p);
}
END_TEST

START_TEST(average_per_origin_summed_across)
{
    /* pod-a 10, 21 (mean 15.5); pod-b 100, 200, 301 (mean 200.33): in all
     * 215.83 -> 216; summed it was 632 */
    static const int64_t v[5] = { 10, 100, 21, 200, 301 };
    static const uint32_t origin[5] = { 1, 2, 1, 2, 2 };
    struct profile p;
    struct flat fl;

    synthetic(&p, "inuse_space", v, origin, 5, 0);
    ck_assert_int_eq(query_total(&p, 0, &fl), 216);
    ck_assert_uint_eq(fl.snapshots, 5);
    flat_free(&fl);
    profile_free(&p);
}
END_TEST

/* The explorer's header says how the numbers were made, and the tag
 * explorer agrees with --top: in-use bytes averaged, 2282149 B = 2.18MB
 * (13692896 / 6, see folder_inuse_is_one_snapshots_scale). */
START_TEST(header_says_the_aggregation)
{
    struct fx f;

    fx_begin(&f);
    fx_add_path(&f, SERIES);
    fx_start(&f, profile_find_type(&f.p, "inuse_space"), NULL, "series", 160, 30);
    fx_render(&f);
    ck_assert_ptr_nonnull(strstr(f.rows[0], "inuse_space (bytes)  total 2.18MB  avg of 6 snapshots"));
    fx_key(&f, ':');
    fx_key(&f, K_CTRL('u'));
    fx_type(&f, "alloc_space{}");
    fx_key(&f, K_ENTER);
    fx_render(&f);
    /* 32881920 B (folder_alloc_steps_are_deltas) = 31.4MB */
    ck_assert_ptr_nonnull(strstr(f.rows[0], "total 31.4MB  delta of 6 snapshots"));
    fx_close(&f);
}
END_TEST

Suite *snapshots_suite(void)
{
    Suite *s = suite_create("snapshots");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, folder_inuse_is_one_snapshots_scale);
    tcase_add_test(tc, folder_alloc_steps_are_deltas);
    tcase_add_test(tc, a_range_of_one_file_is_that_snapshot);
    tcase_add_test(tc, timeline_plots_each_snapshot);
    tcase_add_test(tc, tag_rows_average_too);
    tcase_add_test(tc, single_file_is_unchanged);
    tcase_add_test(tc, settle_one_at_a_time);
    tcase_add_test(tc, average_per_origin_summed_across);
    tcase_add_test(tc, header_says_the_aggregation);
    tcase_add_test(tc, interval_deltas_are_not_settled);
    tcase_add_test(tc, recorded_sources_are_series_of_their_own);
    tcase_add_test(tc, label_average_counts_every_snapshot);
    tcase_add_test(tc, first_snapshot_is_a_baseline);
    tcase_add_test(tc, one_stack_down_is_a_restart);
    suite_add_tcase(s, tc);
    return s;
}
