/* Time and the tag explorer, driven through the app: a folder of CPU and
 * heap profiles taken in turn, ranges, the tag status bar, the sides of a
 * comparison. The expected numbers come from go tool pprof (see each). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check_suites.h"
#include "source.h"

struct fx {
    struct profile p;
    struct app a;
    struct canvas c;
    char *rows[64];
};

static void render(struct fx *f)
{
    app_render(&f->a, &f->c, f->c.w, f->c.h);
    for (int y = 0; y < f->c.h && y < 64; y++) {
        free(f->rows[y]);
        f->rows[y] = canvas_row(&f->c, y);
    }
}

static void key(struct fx *f, int k)
{
    struct event ev = { .kind = EV_KEY, .key = k };

    app_event(&f->a, &ev);
    render(f);
}

static void load(struct fx *f, const char *const *paths, const struct side_spec *spec, int w,
                 int h)
{
    char err[SOURCE_ERR_MAX];
    struct load_options o = { .max_size = 1 << 30 };

    memset(f, 0, sizeof *f);
    profile_init(&f->p);
    for (; *paths; paths++)
        ck_assert_msg(source_load_path(&f->p, *paths, &o, err) == 0, "%s: %s", *paths, err);
    profile_finish(&f->p);
    canvas_init(&f->c, w, h, 1);
    app_init(&f->a, &f->p, f->p.default_type, spec, "fixture", 1);
    render(f);
}

/* The demo's eight CPU profiles and the eight heap profiles its generator
 * wrote between them (tests/data/demo-heap): sixteen distinct times. */
static void open_mixed(struct fx *f, int w, int h)
{
    static const char *const paths[] = { "src/demo/profiles", TEST_DATA "/demo-heap", NULL };

    load(f, paths, NULL, w, h);
}

static void close_fx(struct fx *f)
{
    for (int y = 0; y < 64; y++)
        free(f->rows[y]);
    app_free(&f->a);
    canvas_free(&f->c);
    profile_free(&f->p);
}

static const struct tag_row *row_named(struct fx *f, const char *value)
{
    for (uint32_t i = 0; i < f->a.ntag_rows; i++)
        if (!strcmp(profile_str(&f->p, f->a.tag_rows[i].value), value))
            return &f->a.tag_rows[i];
    ck_abort_msg("no tag row %s", value);
    return NULL;
}

static const char *tag_label(struct fx *f)
{
    return profile_str(&f->p, f->a.tag_keys[f->a.tag_key]);
}

/* Picks sample type `name` in the t menu. */
static void pick_type(struct fx *f, const char *name)
{
    key(f, 't');
    f->a.menu_cursor = (int)profile_find_type(&f->p, name);
    ck_assert_int_ge(f->a.menu_cursor, 0);
    key(f, K_ENTER);
    ck_assert_uint_eq(f->a.type, profile_find_type(&f->p, name));
}

/* eu-north's CPU per demo profile, ms, summed from `go tool pprof -raw
 * src/demo/profiles/cpu-NN.pb.gz` over the samples labelled
 * region:[eu-north] (the same as -tagfocus=region=eu-north -top). */
static const double eu_north_ms[8] = { 330, 240, 220, 340, 430, 400, 520, 470 };

/* alloc_space per heap profile, bytes: column 2 of `go tool pprof -raw
 * tests/data/demo-heap/heap-NN.pb.gz` summed with awk. */
static const int64_t heap_alloc_space[8] = { 73212206, 146055879, 213090819, 289924569,
                                             366679457, 441381700, 512096589, 581647620 };

START_TEST(mixed_folder_steps_are_the_types_profiles)
{
    struct fx f;
    double mean = 0, var = 0;
    const struct tag_row *eu;

    open_mixed(&f, 140, 30);
    ck_assert_uint_eq(f.p.nsources, 16);
    ck_assert_str_eq(profile_str(&f.p, f.p.types[f.a.type].type), "cpu");
    /* the heap snapshots are no CPU steps: one step per CPU profile */
    ck_assert_uint_eq(f.a.tl.buckets, 8);
    app_set_view(&f.a, VIEW_TAGS);
    render(&f);
    /* `bytes` is a label of heap samples only; sorted, the CPU profiles'
     * labels are file, pod, region: the first that is not file */
    ck_assert_str_eq(tag_label(&f), "pod");
    ck_assert_int_eq(tags_group_by(&f.a, "region"), 0);
    render(&f);
    eu = row_named(&f, "eu-north");
    /* by hand: mean 2950 / 8 = 368.75 ms; deviations -38.75 -128.75
     * -148.75 -28.75 61.25 31.25 151.25 101.25, squares summing to
     * 78887.5: population deviation sqrt(78887.5 / 8) = 99.30 ms (the 16
     * steps of CPU and heap profiles gave 184.38 and 197.29) */
    for (int i = 0; i < 8; i++)
        mean += eu_north_ms[i] / 8;
    for (int i = 0; i < 8; i++)
        var += (eu_north_ms[i] - mean) * (eu_north_ms[i] - mean) / 8;
    ck_assert(fabs(mean - 368.75) < 1e-9 && fabs(sqrt(var) - 99.3023) < 1e-3);
    ck_assert_int_eq(eu->total, 2950 * 1000000LL);
    for (int b = 0; b < 8; b++)
        ck_assert_int_eq(eu->series[b], (int64_t)eu_north_ms[b] * 1000000);
    ck_assert(fabs(eu->mean - mean * 1e6) < 1);
    ck_assert(fabs(eu->stddev - sqrt(var) * 1e6) < 1);
    /* heap: its own eight steps, `region` is no label of it */
    pick_type(&f, "alloc_space");
    ck_assert_uint_eq(f.a.tl.buckets, 8);
    ck_assert_str_eq(tag_label(&f), "bytes");
    for (int b = 0; b < 8; b++) {
        timeline_series(&f.a.tl, &f.p, f.a.type, NULL, f.a.tl_series[0]);
        ck_assert_int_eq(f.a.tl_series[0][b], heap_alloc_space[b]);
    }
    /* and back: the CPU steps again, and the label asked for stays */
    ck_assert_int_eq(tags_group_by(&f.a, "file"), 0);
    pick_type(&f, "cpu");
    ck_assert_uint_eq(f.a.tl.buckets, 8);
    ck_assert_str_eq(tag_label(&f), "file");
    render(&f);
    ck_assert_uint_eq(f.a.ntag_rows, 8);        /* the CPU files only */
    close_fx(&f);
}
END_TEST

Suite *tags_time_suite(void)
{
    Suite *s = suite_create("tags_time");
    TCase *tc = tcase_create("time");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, mixed_folder_steps_are_the_types_profiles);
    suite_add_tcase(s, tc);
    return s;
}
