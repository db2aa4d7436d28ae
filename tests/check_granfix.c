/* The review's findings on the explorer's granularity switch (issue 13):
 * r under a tight --max-size, r after a failure, the flame's selection,
 * a changed file, the status bar at filefunctions. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_suites.h"
#include "granularity.h"
#include "source.h"
#include "text.h"
#include "view_fx.h"

static const char *reload_path;        /* what the test's reload reads */
static int reload_fail;                /* 1: read, then fail */
static size_t reload_max = (size_t)1 << 30;     /* its --max-size */

/* main.c's reload_sources in small: the one fixture path at g. */
static int reload(struct profile *p, enum granularity g, void *ctx, char *err)
{
    struct load_options lo = { .max_size = reload_max, .granularity = g };

    (void)ctx;
    if (source_load_path(p, reload_path, &lo, err))
        return -1;
    if (reload_fail) {
        snprintf(err, SOURCE_ERR_MAX, "gone");
        return -1;
    }
    return 0;
}

static void open_path(struct fx *f, const char *path, uint32_t type, enum view_id view)
{
    reload_path = path;
    reload_fail = 0;
    reload_max = (size_t)1 << 30;
    fx_begin(f);
    fx_add_path(f, path);
    fx_start(f, type, NULL, "fixture", 120, 24);
    app_set_reload(reload, NULL);
    app_set_view(&f->a, view);
    fx_render(f);
}

/* Copies file from to to (replacing it). */
static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[4096];
    size_t n;
    int r = out ? 0 : -1;

    while (out && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            r = -1;
    if (out && fclose(out))
        r = -1;
    if (in)
        fclose(in);
    return r;
}

static void press_r(struct fx *f)
{
    fx_key(f, 'r');
    app_tick(&f->a);
    fx_render(f);
}

/* The budget is 4 x --max-size; with --max-size a quarter of what the
 * model costs, the first reading fits and the old model (dropped after the
 * switch) must not count against the new reading: before, r failed with
 * "the profiles need more than". */
START_TEST(r_fits_a_tight_max_size)
{
    struct fx f;

    open_path(&f, TEST_DATA "/go-cpu.pb.gz", 1, VIEW_TABLE);
    uint64_t cost = profile_cost(&f.p);

    reload_max = (size_t)(cost / PROFILE_BUDGET_PER_MAX + 1);
    ck_assert_uint_ge(reload_max, 19584);       /* go-cpu.pb (inflated) is 19584 bytes: it fits */
    ck_assert_int_eq(app_set_granularity(&f.a, GRAN_FILES), 0);
    ck_assert_int_eq(f.p.granularity, GRAN_FILES);
    ck_assert_ptr_null(strstr(fx_status(&f), "need more"));
    fx_close(&f);
}
END_TEST

/* After a failed switch r steps on to the next granularity, not the same
 * one again. */
START_TEST(r_steps_on_after_a_failure)
{
    struct fx f;

    open_path(&f, TEST_DATA "/go-cpu.pb.gz", 1, VIEW_TABLE);
    reload_fail = 1;
    press_r(&f);
    ck_assert_ptr_nonnull(strstr(fx_status(&f), "granularity filefunctions: gone"));
    press_r(&f);
    ck_assert_ptr_nonnull(strstr(fx_status(&f), "granularity files: gone"));
    reload_fail = 0;
    press_r(&f);
    ck_assert_int_eq(f.p.granularity, GRAN_LINES);
    press_r(&f);        /* a success: on from the model's own */
    ck_assert_int_eq(f.p.granularity, GRAN_ADDRESSES);
    fx_close(&f);
}
END_TEST

/* The man page's bound: a switch drops the old samples but keeps the call
 * tree's nodes, frames and names; a granularity visited again reuses its
 * own, so a second round of r through the five adds none. */
START_TEST(a_second_round_adds_nothing)
{
    struct fx f;
    uint32_t nodes, frames, strings;

    open_path(&f, TEST_DATA "/go-cpu.pb.gz", 1, VIEW_TABLE);
    for (int i = 0; i < GRAN_COUNT; i++)
        press_r(&f);
    ck_assert_int_eq(f.p.granularity, GRAN_FUNCTIONS);
    nodes = f.p.trie.count;
    frames = f.p.nframes;
    strings = f.p.strings.count;
    for (int i = 0; i < GRAN_COUNT; i++)
        press_r(&f);
    ck_assert_int_eq(f.p.granularity, GRAN_FUNCTIONS);
    ck_assert_uint_eq(f.p.trie.count, nodes);
    ck_assert_uint_eq(f.p.nframes, frames);
    ck_assert_uint_eq(f.p.strings.count, strings);
    fx_close(&f);
}
END_TEST

/* A file changed between the load and r (a heap profile copied over the
 * CPU one shown): the model stays as it was, with a status line; before,
 * it switched silently to "cpu total 0ns". */
START_TEST(a_changed_file_keeps_the_model)
{
    struct fx f;
    char path[] = "/tmp/check_granfix_XXXXXX";
    int fd = mkstemp(path);

    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(copy_file(TEST_DATA "/go-cpu.pb.gz", path), 0);
    open_path(&f, path, 1, VIEW_TABLE);
    ck_assert_str_eq(profile_str(&f.p, f.p.types[f.a.type].type), "cpu");
    int64_t total = f.a.side[0].flat.grand_total;
    uint32_t nsources = f.p.nsources;

    ck_assert_int_eq(copy_file(TEST_DATA "/go-heap.pb.gz", path), 0);
    ck_assert_int_eq(app_set_granularity(&f.a, GRAN_LINES), -1);
    fx_render(&f);
    ck_assert_int_eq(f.p.granularity, GRAN_FUNCTIONS);
    ck_assert_uint_eq(f.p.nsources, nsources);
    ck_assert_int_eq(f.a.side[0].flat.grand_total, total);
    ck_assert_ptr_nonnull(strstr(fx_status(&f), "the files have no cpu now"));
    fx_close(&f);
    unlink(path);
}
END_TEST

/* At filefunctions the name ends with the file: the status bar gives the
 * line after it, not the file twice ("sort.partition
 * sort/zsortinterface.go sort/zsortinterface.go:157 (a sampled line)"). */
START_TEST(status_bar_names_the_file_once)
{
    struct fx f;

    open_path(&f, TEST_DATA "/go-cpu.pb.gz", 1, VIEW_TABLE);
    ck_assert_int_eq(app_set_granularity(&f.a, GRAN_FILEFUNCTIONS), 0);
    fx_render(&f);
    const char *st = fx_status(&f);

    ck_assert_ptr_nonnull(strstr(st, "sort.partition sort/zsortinterface.go:"));
    ck_assert_ptr_nonnull(strstr(st, " (a sampled line)"));
    ck_assert_ptr_null(strstr(st, "zsortinterface.go sort/zsortinterface.go"));
    fx_close(&f);
}
END_TEST

/* Standard input as the profile: read from the fixture (on fd 0). */
static void load_stdin(struct profile *p, int keep)
{
    struct load_options lo = { .max_size = (size_t)1 << 30, .keep_stdin = keep };
    char err[SOURCE_ERR_MAX];
    int fd = open(TEST_DATA "/go-cpu.pb.gz", O_RDONLY);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
    close(fd);
    profile_init(p);
    ck_assert_int_eq(source_load_path(p, "-", &lo, err), 0);
}

/* Batch output reads standard input once: its bytes are not kept (they
 * were, a cost for nothing); the explorer's reading keeps them for r. */
START_TEST(batch_keeps_no_stdin)
{
    struct profile p;
    size_t len = 1;

    load_stdin(&p, 0);
    ck_assert_ptr_null(source_stdin_kept(&len));
    ck_assert_uint_eq(len, 0);
    profile_free(&p);
}
END_TEST

START_TEST(the_explorer_keeps_stdin)
{
    struct profile p;
    struct stat st;
    size_t len = 0;

    ck_assert_int_eq(stat(TEST_DATA "/go-cpu.pb.gz", &st), 0);
    load_stdin(&p, 1);
    ck_assert_ptr_nonnull(source_stdin_kept(&len));
    ck_assert_uint_eq(len, (size_t)st.st_size);
    profile_free(&p);
}
END_TEST

Suite *granfix_suite(void)
{
    Suite *s = suite_create("granfix");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, r_fits_a_tight_max_size);
    tcase_add_test(tc, r_steps_on_after_a_failure);
    tcase_add_test(tc, a_second_round_adds_nothing);
    tcase_add_test(tc, a_changed_file_keeps_the_model);
    tcase_add_test(tc, status_bar_names_the_file_once);
    tcase_add_test(tc, batch_keeps_no_stdin);
    tcase_add_test(tc, the_explorer_keeps_stdin);
    suite_add_tcase(s, tc);
    return s;
}
