/* Time and the tag explorer, driven through the app: a folder of CPU and
 * heap profiles taken in turn, ranges, the tag status bar, the sides of a
 * comparison. The expected numbers come from go tool pprof (see each). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "check_suites.h"
#include "view_fx.h"

/* Opens the explorer on files and folders (a NULL-ended list) on their
 * default type, with the sides' specs or NULL, and renders. */
static void load(struct fx *f, const char *const *paths, const struct side_spec *spec, int w,
                 int h)
{
    fx_begin(f);
    for (; *paths; paths++)
        fx_add_path(f, *paths);
    fx_start(f, f->p.default_type, spec, "fixture", w, h);
    fx_render(f);
}

/* The demo's eight CPU profiles and the eight heap profiles its generator
 * wrote between them (tests/data/demo-heap): sixteen distinct times. */
static void open_mixed(struct fx *f, int w, int h)
{
    static const char *const paths[] = { "src/demo/profiles", TEST_DATA "/demo-heap", NULL };

    load(f, paths, NULL, w, h);
}

static const struct tag_row *row_named(struct fx *f, const char *value)
{
    uint32_t n;
    const struct tag_row *rows = tags_rows(&f->a, &n);

    for (uint32_t i = 0; i < n; i++)
        if (!strcmp(profile_str(&f->p, rows[i].value), value))
            return &rows[i];
    ck_abort_msg("no tag row %s", value);
    return NULL;
}

static const char *tag_label(struct fx *f)
{
    return tags_label(&f->a);
}

/* Picks sample type `name` in the t menu: it opens on the current type,
 * j moves down (wrapping after the last). */
static void pick_type(struct fx *f, const char *name)
{
    int want = (int)profile_find_type(&f->p, name), n = (int)f->p.ntypes;

    ck_assert_int_ge(want, 0);
    fx_key(f, 't');
    for (int i = ((want - (int)f->a.type) % n + n) % n; i > 0; i--)
        fx_key(f, 'j');
    fx_key(f, K_ENTER);
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
    fx_render(&f);
    /* `bytes` is a label of heap samples only; sorted, the CPU profiles'
     * labels are file, pod, region: the first that is not file */
    ck_assert_str_eq(tag_label(&f), "pod");
    ck_assert_int_eq(tags_group_by(&f.a, "region"), 0);
    fx_render(&f);
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
    /* alloc_space counts since the process started: a folder's snapshots
     * of one process show each step's delta (the first is the baseline:
     * no step, a gap) */
    for (int b = 0; b < 8; b++) {
        timeline_series(&f.a.tl, &f.p, f.a.type, NULL, f.a.tl_series[0]);
        ck_assert_int_eq(f.a.tl_series[0][b],
                         b ? heap_alloc_space[b] - heap_alloc_space[b - 1] : 0);
        ck_assert_uint_eq(f.a.tl.in_bucket[b], b > 0);
    }
    /* and back: the CPU steps again, and the label asked for stays */
    ck_assert_int_eq(tags_group_by(&f.a, "file"), 0);
    pick_type(&f, "cpu");
    ck_assert_uint_eq(f.a.tl.buckets, 8);
    ck_assert_str_eq(tag_label(&f), "file");
    fx_render(&f);
    {
        uint32_t n;

        tags_rows(&f.a, &n);
        ck_assert_uint_eq(n, 8);                /* the CPU files only */
    }
    fx_close(&f);
}
END_TEST

static void open_demo(struct fx *f, const struct side_spec *spec, int w, int h)
{
    static const char *const paths[] = { "src/demo/profiles", NULL };

    load(f, paths, spec, w, h);
}

/* The first and last demo profiles were taken at 19:32:10.44 and
 * 19:32:20.94 UTC on 2026-12-01 (`go tool pprof -raw`, Time:). */
#define DEMO_START 1796153530438992695LL

START_TEST(axis_shows_date_and_zone)
{
    struct fx f;

    open_demo(&f, NULL, 120, 30);
    ck_assert_msg(strncmp(f.rows[2], "2026-12-01 19:32:10 UTC ", 24) == 0, "%s", f.rows[2]);
    ck_assert_ptr_nonnull(strstr(f.rows[2], " 19:32:20"));
    /* local time: the same instant in Berlin, in winter an hour ahead */
    setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
    tzset();
    fx_render(&f);
    ck_assert_msg(strncmp(f.rows[2], "2026-12-01 20:32:10 CET ", 24) == 0, "%s", f.rows[2]);
    ck_assert_ptr_nonnull(strstr(f.rows[2], " 20:32:20"));
    fx_close(&f);
}
END_TEST

START_TEST(range_from_the_command_line_shows)
{
    struct fx f;
    struct side_spec spec[2] = { { NULL, INT64_MIN, INT64_MAX }, { NULL, INT64_MIN, INT64_MAX } };

    /* --from now: after every profile */
    spec[0].from = (int64_t)time(NULL) * 1000000000LL;
    open_demo(&f, spec, 140, 30);
    ck_assert_int_eq(f.a.side[0].flat.grand_total, 0);
    ck_assert_msg(strstr(f.rows[2], "no profile between ") &&
                  strstr(f.rows[2], "and the end; profiles span 19:32:10..19:32:20"), "%s",
                  f.rows[2]);
    ck_assert_ptr_null(strstr(f.rows[2], "all 8 steps"));
    for (int x = 0; x < 140; x++)
        ck_assert_int_ne(canvas_at(&f.c, x, 1)->role, ROLE_RANGE);
    fx_close(&f);
    /* --from 19:32:15: the last four profiles (19:32:16.44 on), 0.87 + 0.94
     * + 1.00 + 0.92 = 3.73 s (their totals by go tool pprof -raw) */
    spec[0].from = DEMO_START + 4561007305LL;
    open_demo(&f, spec, 140, 30);
    ck_assert_int_eq(f.a.side[0].flat.grand_total, 3730 * 1000000LL);
    ck_assert_ptr_null(strstr(f.rows[2], "all 8 steps"));
    ck_assert_ptr_nonnull(strstr(f.rows[2], "range "));
    /* steps 0-3 of 8 outside (columns 0-69), 4-7 inside */
    ck_assert_int_eq(canvas_at(&f.c, 69, 1)->role, ROLE_SPARK);
    ck_assert_int_eq(canvas_at(&f.c, 70, 1)->role, ROLE_RANGE);
    ck_assert_int_eq(canvas_at(&f.c, 139, 1)->role, ROLE_RANGE);
    fx_close(&f);
}
END_TEST

/* The highest block of the sparkline on the tag row of `value`. */
static uint32_t row_peak(struct fx *f, const char *value)
{
    char want[64];
    uint32_t peak = 0;

    snprintf(want, sizeof want, "  %s ", value);
    for (int y = 0; y < f->c.h; y++) {
        if (strncmp(f->rows[y], want, strlen(want)))
            continue;
        for (int x = 0; x < f->c.w; x++) {
            uint32_t ch = canvas_at(&f->c, x, y)->ch;

            if (canvas_at(&f->c, x, y)->role == ROLE_SPARK && ch > peak)
                peak = ch;
        }
    }
    return peak;
}

START_TEST(tag_status_and_one_scale)
{
    struct fx f;

    open_demo(&f, NULL, 140, 30);
    app_set_view(&f.a, VIEW_TAGS);
    ck_assert_int_eq(tags_group_by(&f.a, "region"), 0);
    fx_render(&f);
    /* per region, ms, by go tool pprof -raw over the samples labelled so:
     * eu-north 330 240 220 340 430 400 520 470 = 2950
     * us-east  250 260 290 260 200 300 240 240 = 2040
     * ap-south 250 280 290 200 210 190 190 200 = 1810, together 6800:
     * eu-north is 2950 / 6800 = 43.38%, mean 368.75 ms, deviation 99.30 ms
     * (see mixed_folder_steps_are_the_types_profiles) */
    ck_assert_msg(strstr(f.rows[f.c.h - 2], " region=\"eu-north\": 2.95s, 43.38% of 6.8s with a "
                         "region, mean 369ms, stddev 99.3ms over 8 steps"), "%s", f.rows[f.c.h - 2]);
    fx_key(&f, 'j');
    ck_assert_msg(strstr(f.rows[f.c.h - 2], " region=\"us-east\": 2.04s, 30.00% of 6.8s"), "%s",
                  f.rows[f.c.h - 2]);
    /* one scale: eu-north's 520 ms is the highest step (a full block);
     * us-east's highest, 300 ms, is 300 * 8 / 520 = 4.6 eighths, rounded
     * up to 5 (anything above 0 shows); ap-south's 290: 4.5 -> 5 */
    ck_assert_uint_eq(row_peak(&f, "eu-north"), 0x2588);
    ck_assert_uint_eq(row_peak(&f, "us-east"), 0x2585);
    ck_assert_uint_eq(row_peak(&f, "ap-south"), 0x2585);
    fx_close(&f);
}
END_TEST

START_TEST(sides_swap_and_say_which_is_the_baseline)
{
    struct fx f;

    open_demo(&f, NULL, 140, 30);
    for (int i = 0; i < 4; i++)         /* the single view: the last four steps */
        fx_key(&f, ']');
    ck_assert_int_eq(f.a.side[0].flat.grand_total, 3730 * 1000000LL);
    fx_key(&f, '7');
    /* the diff's timeline says which side the range became: A's range (the
     * baseline, steps 4-7) on the sparkline, B's (new, all) on the axis */
    ck_assert_msg(strstr(f.rows[2], "A baseline 19:32:15..19:32:20 (upper bar)  B new all 8 "
                         "steps (lower bar)"), "%s", f.rows[2]);
    ck_assert_int_eq(canvas_at(&f.c, 69, 1)->role, ROLE_SPARK);
    ck_assert_int_eq(canvas_at(&f.c, 70, 1)->role, ROLE_RANGE);
    ck_assert_int_eq(canvas_at(&f.c, 0, 2)->role, ROLE_RANGE);
    ck_assert_int_eq(canvas_at(&f.c, 139, 2)->role, ROLE_RANGE);
    fx_key(&f, 'w');                       /* swap: the range is B's now */
    ck_assert_msg(strstr(f.rows[f.c.h - 2], "swapped: A (baseline) {}, B (new) {} (a time range)"),
                  "%s", f.rows[f.c.h - 2]);
    ck_assert_int_eq(f.a.side[0].flat.grand_total, 7100 * 1000000LL);
    ck_assert_int_eq(f.a.side[1].flat.grand_total, 3730 * 1000000LL);
    ck_assert_msg(strstr(f.rows[2], "A baseline all 8 steps (upper bar)  B new 19:32:15..19:32:20"),
                  "%s", f.rows[2]);
    ck_assert_int_eq(canvas_at(&f.c, 0, 1)->role, ROLE_RANGE);
    ck_assert_int_ne(canvas_at(&f.c, 69, 2)->role, ROLE_RANGE);
    ck_assert_int_eq(canvas_at(&f.c, 70, 2)->role, ROLE_RANGE);
    /* and in the comparison, with queries: : edits the focused side */
    fx_key(&f, '6');
    /* the comparison's timelines: A the baseline (all), B new (the range) */
    ck_assert_msg(strstr(f.rows[2], "A baseline: all 8 steps") &&
                  strstr(f.rows[2], "B new: 19:32:15..19:32:20"), "%s", f.rows[2]);
    fx_key(&f, K_TAB);
    fx_key(&f, ':');
    ck_assert_msg(strncmp(f.rows[f.c.h - 1], "B:", 2) == 0, "%s", f.rows[f.c.h - 1]);
    fx_key(&f, K_CTRL('u'));
    for (const char *q = "{region=\"eu-north\"}"; *q; q++)
        fx_key(&f, *q);
    fx_key(&f, K_ENTER);
    ck_assert_str_eq(f.a.side[1].query, "{region=\"eu-north\"}");
    fx_key(&f, 'w');
    ck_assert_str_eq(f.a.side[0].query, "{region=\"eu-north\"}");
    ck_assert_str_eq(f.a.side[1].query, "{}");
    /* eu-north in the last four profiles: 430 + 400 + 520 + 470 ms */
    ck_assert_int_eq(f.a.side[0].flat.grand_total, 1820 * 1000000LL);
    ck_assert_int_eq(f.a.side[1].flat.grand_total, 7100 * 1000000LL);
    fx_key(&f, K_TAB);
    fx_key(&f, ':');
    ck_assert_msg(strncmp(f.rows[f.c.h - 1], "A:", 2) == 0, "%s", f.rows[f.c.h - 1]);
    fx_close(&f);
}
END_TEST

START_TEST(diff_of_the_same_samples_says_so)
{
    struct fx f;

    open_demo(&f, NULL, 140, 30);
    fx_key(&f, '7');
    ck_assert_msg(strstr(f.rows[f.c.h - 2], "A and B select the same samples: to set B, press 6, "
                         "Tab to B, then : for its query or [ ] { } for its range"), "%s",
                  f.rows[f.c.h - 2]);
    ck_assert_ptr_nonnull(strstr(f.rows[2], "A and B select the same samples"));
    fx_key(&f, '6');
    fx_key(&f, K_TAB);
    fx_key(&f, ']');
    fx_key(&f, '7');
    ck_assert_ptr_null(strstr(f.rows[f.c.h - 2], "same samples"));
    ck_assert_ptr_null(strstr(f.rows[2], "same samples"));
    fx_close(&f);
}
END_TEST

Suite *tags_time_suite(void)
{
    Suite *s = suite_create("tags_time");
    TCase *tc = tcase_create("time");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, mixed_folder_steps_are_the_types_profiles);
    tcase_add_test(tc, axis_shows_date_and_zone);
    tcase_add_test(tc, range_from_the_command_line_shows);
    tcase_add_test(tc, tag_status_and_one_scale);
    tcase_add_test(tc, sides_swap_and_say_which_is_the_baseline);
    tcase_add_test(tc, diff_of_the_same_samples_says_so);
    suite_add_tcase(s, tc);
    return s;
}
