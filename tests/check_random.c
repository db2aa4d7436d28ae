/* Random keys and mouse events on the explorer (issue 8, "make it stay
 * fixed"): every key of every key table, random printable keys, control
 * keys and clicks, drags and wheel turns at random places, with a render at
 * a random size (below the minimum too) after each event. `make check
 * SANITIZE=1` runs this suite under ASan and UBSan, where any undefined
 * behaviour aborts the test. Seeds are fixed: a failure names the fixture,
 * the seed and the event, and the same seed replays it. A crash or a
 * sanitizer's abort shows as Check's last checkpoint, which each event
 * sets to "random: FIXTURE seed S event:N" (N the event's number). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "check_suites.h"
#include "decompress.h"
#include "keymap.h"
#include "source.h"

#define EVENTS 500
#define SEEDS 4

struct fixture {
    const char *path;           /* under the repository's root, or NULL: */
    const char *folded;         /* folded stacks, loaded without a file label */
    const char *query[2];       /* the sides' queries (NULL: every sample) */
    enum view_id view;
};

static const struct fixture fixtures[] = {
    { TEST_DATA "/go-cpu.pb.gz", NULL, { NULL, NULL }, VIEW_BOTH },
    { TEST_DATA "/go-heap.pb.gz", NULL, { NULL, NULL }, VIEW_FLAME },
    { TEST_DATA "/node-wall.pb.gz", NULL, { NULL, NULL }, VIEW_SANDWICH },
    { TEST_DATA "/bad/hostile-names.pb", NULL, { NULL, NULL }, VIEW_TABLE },
    /* the demo: eight profiles over time, labelled */
    { "src/demo/profiles", NULL, { NULL, NULL }, VIEW_TAGS },
    { "src/demo/profiles", NULL, { "{region=\"eu-north\"}", "{region!=\"eu-north\"}" },
      VIEW_DIFF },
    /* a query that selects nothing: every table is empty */
    { TEST_DATA "/go-cpu.pb.gz", NULL, { "{region=\"nowhere\"}", NULL }, VIEW_TAGS },
    /* no label at all: the tag explorer has nothing to group by */
    { NULL, "main;a;b 3\nmain;c 2\nother 1\n", { NULL, NULL }, VIEW_TAGS },
};
#define NFIXTURES (sizeof fixtures / sizeof *fixtures)

static uint64_t rng;

static uint64_t next(void)      /* splitmix64 */
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ull);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int below(int n)
{
    return (int)(next() % (uint64_t)n);
}

/* Every key some table binds, then what a person may also press. */
static int pool[512], npool;

static void add_key(int k)
{
    for (int i = 0; i < npool; i++)
        if (pool[i] == k)
            return;
    if (k && npool < (int)(sizeof pool / sizeof *pool))
        pool[npool++] = k;
}

static void make_pool(void)
{
    const struct keymap *maps[] = { &keymap_global, &keymap_time, &keymap_flame, &keymap_table,
                                    &keymap_sandwich, &keymap_tags, &keymap_diff, &keymap_prompt,
                                    &keymap_query };
    static const int extra[] = { K_UP, K_DOWN, K_LEFT, K_RIGHT, K_HOME, K_END, K_PGUP, K_PGDN,
                                 K_BTAB, K_F1, K_ENTER, K_ESC, K_TAB, K_BACKSPACE, K_CTRL_C,
                                 K_CTRL('u'), K_CTRL('w'), K_CTRL('a'), K_CTRL('e'), 0xe9,
                                 0x95a2, 0x1f600, '{', '}', '"', '=', '~', '!', '[', ']',
                                 '\\', '(', '*', '+', '?' };

    npool = 0;
    for (size_t m = 0; m < sizeof maps / sizeof *maps; m++)
        for (size_t i = 0; i < maps[m]->n; i++) {
            add_key(maps[m]->b[i].key);
            add_key(maps[m]->b[i].alt);
        }
    for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
        add_key(extra[i]);
}

/* A size to draw at: usually a terminal's, sometimes below the minimum. */
static void random_size(int *w, int *h)
{
    if (below(8) == 0) {
        *w = 1 + below(APP_MIN_W);
        *h = 1 + below(APP_MIN_H);
    } else {
        *w = APP_MIN_W + below(200);
        *h = APP_MIN_H + below(60);
    }
}

static struct event random_event(int w, int h)
{
    struct event ev = { .kind = EV_KEY };
    int r = below(100);

    if (r < 55) {
        ev.key = pool[below(npool)];
    } else if (r < 70) {
        ev.key = ' ' + below(95);              /* a printable ASCII key */
    } else {
        static const enum mouse_action acts[] = { M_CLICK, M_DOUBLE, M_WHEEL_UP, M_WHEEL_DOWN,
                                                  M_PRESS, M_RELEASE };

        ev.kind = EV_MOUSE;
        ev.mouse = acts[below(6)];
        /* mostly on screen, sometimes just off it */
        ev.x = below(w + 2) - 1;
        ev.y = below(h + 2) - 1;
    }
    return ev;
}

/* No cell may hold a control character: the terminal would act on it.
 * (ck_assert records a checkpoint at every call: one call per canvas.) */
static void check_cells(const struct canvas *c, const char *what)
{
    int bad = -1;

    for (int i = 0; i < c->w * c->h && bad < 0; i++) {
        uint32_t ch = c->cells[i].ch;

        if (c->cells[i].role >= ROLE_COUNT ||
            (ch != CANVAS_WIDE_TAIL && (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0))))
            bad = i;
    }
    ck_assert_msg(bad < 0, "%s: cell %d,%d holds U+%04X (role %d)", what, bad % c->w,
                  bad / c->w, bad < 0 ? 0 : c->cells[bad].ch, bad < 0 ? 0 : c->cells[bad].role);
}

static void load(struct profile *p, const struct fixture *fx)
{
    struct load_options lo = { .max_size = DECOMPRESS_DEFAULT_CAP };
    char err[SOURCE_ERR_MAX];

    profile_init(p);
    if (fx->path)
        ck_assert_msg(!source_load_path(p, fx->path, &lo, err), "%s: %s", fx->path, err);
    else
        ck_assert_msg(!folded_load(p, 0, (const uint8_t *)fx->folded, strlen(fx->folded), err),
                      "folded: %s", err);
    profile_finish(p);
}

static void open_app(struct app *a, struct profile *p, const struct fixture *fx)
{
    struct side_spec spec[2] = { { fx->query[0], INT64_MIN, INT64_MAX },
                                 { fx->query[1], INT64_MIN, INT64_MAX } };

    app_init(a, p, p->default_type, spec, fx->path ? fx->path : "folded", 1);
    app_set_view(a, fx->view);
}

static char run_name[256];

/* Random keys export files (e, Enter, Enter): into a folder of the run's,
 * not the repository. The export's writers (child processes) end first. */
static void into_temp_dir(char *dir, char *back, size_t n)
{
    ck_assert_ptr_nonnull(getcwd(back, n));
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(chdir(dir), 0);
}

static void out_of_temp_dir(const char *dir, const char *back)
{
    char cmd[512];

    while (wait(NULL) > 0)
        ;
    ck_assert_int_eq(chdir(back), 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void run(const struct fixture *fx, uint64_t seed)
{
    struct profile p;
    struct app a;
    struct canvas c;
    int w, h;
    char dir[] = "/tmp/ember-random-XXXXXX", back[4096];

    rng = seed;
    make_pool();
    load(&p, fx);
    into_temp_dir(dir, back, sizeof back);
    open_app(&a, &p, fx);
    random_size(&w, &h);
    canvas_init(&c, w, h, 1);
    snprintf(run_name, sizeof run_name, "random: %s seed %llu event",
             fx->path ? fx->path : "folded text",
             (unsigned long long)seed);
    for (int i = 0; i < EVENTS; i++) {
        struct event ev = random_event(w, h);
        char what[sizeof run_name + 64];
        int r;

        _mark_point(run_name, i);       /* what a crash report names */
        snprintf(what, sizeof what, "%s %d (%s %d at %d,%d)", run_name, i,
                 ev.kind == EV_KEY ? "key" : "mouse",
                 ev.kind == EV_KEY ? ev.key : (int)ev.mouse, ev.x, ev.y);
        r = app_event(&a, &ev);
        if (r & R_QUIT) {               /* the loop would end: start again */
            app_free(&a);
            open_app(&a, &p, fx);
        }
        if (below(4) == 0)
            app_idle(&a, below(2) ? 1.0 : 1e9);
        if (below(5) == 0)
            random_size(&w, &h);
        app_render(&a, &c, w, h);
        ck_assert_msg(c.w == w && c.h == h, "%s: drawn %dx%d, not %dx%d", what, c.w, c.h, w, h);
        check_cells(&c, what);
    }
    canvas_free(&c);
    app_free(&a);
    out_of_temp_dir(dir, back);
    profile_free(&p);
}

START_TEST(random_events)
{
    const struct fixture *fx = &fixtures[(size_t)_i / SEEDS];
    uint64_t seed = 1000u + (uint64_t)_i;

    run(fx, seed);
}
END_TEST

/* The direct case of issue 8's report: UBSan aborted on qsort(NULL, 0)
 * when a query selects no sample and the tag explorer opens. */
START_TEST(tags_of_nothing)
{
    struct profile p;
    struct app a;
    struct canvas c;
    static const struct fixture fx = { TEST_DATA "/go-cpu.pb.gz", NULL,
                                       { "{region=\"nowhere\"}", NULL }, VIEW_TAGS };
    static const int keys[] = { 's', 's', 's', 'S', 'l', 'h', 'j', 'k', 'm', K_ENTER };

    load(&p, &fx);
    open_app(&a, &p, &fx);
    canvas_init(&c, 100, 30, 1);
    app_render(&a, &c, 100, 30);
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        struct event ev = { .kind = EV_KEY, .key = keys[i] };

        app_event(&a, &ev);
        app_render(&a, &c, 100, 30);
    }
    ck_assert_uint_eq(a.side[0].flat.count, 0);
    canvas_free(&c);
    app_free(&a);
    profile_free(&p);
}
END_TEST

Suite *random_suite(void)
{
    Suite *s = suite_create("random");
    TCase *tc = tcase_create("events");

    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, tags_of_nothing);
    tcase_add_loop_test(tc, random_events, 0, (int)(NFIXTURES * SEEDS));
    suite_add_tcase(s, tc);
    return s;
}
