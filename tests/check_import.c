/* The JSON imports (src/source/jsonin.c, flamebearer.c, speedscope.c):
 * the real fixtures of tests/data/json (tests/data/json/gen, an
 * independent converter from the pprof fixtures) read to the pprof's own
 * table, hand-made trees checked by hand, and hostile JSON refused with
 * the place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "query.h"
#include "source.h"

static char err[SOURCE_ERR_MAX];

static int load_text(struct profile *p, const char *text)
{
    struct load_options o = { .max_size = (size_t)1 << 30 };

    return source_load_buffer(p, "t.json", (const uint8_t *)text, strlen(text), &o, err);
}

static int load_file(struct profile *p, const char *name)
{
    struct load_options o = { .max_size = (size_t)1 << 30 };
    size_t len;
    uint8_t *data = read_fixture(name, &len);
    int r = source_load_buffer(p, name, data, len, &o, err);

    free(data);
    return r;
}

/* The function table of p's type `type` (default: NULL). */
static void table(struct profile *p, const char *type, struct flat *f, int64_t **total)
{
    uint32_t t = type ? profile_find_type(p, type) : p->default_type;

    ck_assert_uint_ne(t, UINT32_MAX);
    *total = calloc(p->trie.count, sizeof **total);
    query_totals(p, t, NULL, *total);
    flat_build(p, t, NULL, *total, f);
}

/* The row of the function named name, or NULL. */
static const struct flat_row *row(const struct profile *p, const struct flat *f, const char *name)
{
    for (uint32_t i = 0; i < f->count; i++)
        if (!strcmp(profile_str(p, p->frames[f->rows[i].frame].name), name))
            return &f->rows[i];
    return NULL;
}

/* json (a fixture) reads to the same table as pprof's sample type `type`:
 * every function's self and total. */
static void same_table(const char *pprof, const char *type, const char *json,
                       const char *want_type)
{
    struct profile a, b;
    struct flat fa, fb;
    int64_t *ta, *tb;

    profile_init(&a);
    profile_init(&b);
    ck_assert_int_eq(load_file(&a, pprof), 0);
    ck_assert_msg(load_file(&b, json) == 0, "%s: %s", json, err);
    profile_finish(&a);
    profile_finish(&b);
    table(&a, type, &fa, &ta);
    table(&b, NULL, &fb, &tb);
    ck_assert_str_eq(want_type, profile_str(&b, b.types[b.default_type].type));
    ck_assert_uint_eq(fa.count, fb.count);
    ck_assert_int_eq(fa.grand_total, fb.grand_total);
    for (uint32_t i = 0; i < fa.count; i++) {
        const char *name = profile_str(&a, a.frames[fa.rows[i].frame].name);
        const struct flat_row *r = row(&b, &fb, name);

        ck_assert_msg(r != NULL, "%s: no %s", json, name);
        ck_assert_int_eq(r->self, fa.rows[i].self);
        ck_assert_int_eq(r->total, fa.rows[i].total);
    }
    flat_free(&fa);
    flat_free(&fb);
    free(ta);
    free(tb);
    profile_free(&a);
    profile_free(&b);
}

START_TEST(real_fixtures_read_to_the_pprof_table)
{
    same_table("go-cpu.pb.gz", "cpu", "json/go-cpu.cpu.flamebearer.json", "cpu");
    same_table("go-cpu.pb.gz", "samples", "json/go-cpu.samples.flamebearer.json", "samples");
    same_table("go-cpu.pb.gz", "cpu", "json/go-cpu.cpu.connect.json", "samples");
    same_table("go-cpu.pb.gz", "cpu", "json/go-cpu.cpu.speedscope.json", "time");
    same_table("go-heap.pb.gz", "alloc_space", "json/go-heap.alloc_space.flamebearer.json",
               "alloc_space");
    same_table("go-heap.pb.gz", "inuse_objects", "json/go-heap.inuse_objects.speedscope.json",
               "samples");
    same_table("node-wall.pb.gz", "wall", "json/node-wall.wall.flamebearer.json", "wall");
}
END_TEST

/* names: total main a b. Level 1: main at x 0, width 10, self 3. Level 2:
 * a at 0+0 = 0, width 5 (self 5); b at 5 (a's end) + 1 = 6, width 2 (self
 * 2): both inside main's [0, 10). By hand: main self 3 total 3+5+2 = 10,
 * a 5/5, b 2/2; "total" is the root, no function. */
static const char small_fb[] =
    "{\"version\":1,\"flamebearer\":{\"names\":[\"total\",\"main\",\"a\",\"b\"],"
    "\"levels\":[[0,10,0,0],[0,10,3,1],[0,5,5,2,1,2,2,3]],\"numTicks\":10,\"maxSelf\":5},"
    "\"metadata\":{\"format\":\"single\",\"units\":\"samples\",\"sampleRate\":100,\"name\":\"cpu\"}}";

START_TEST(levels_decode_by_hand)
{
    struct profile p;
    struct flat f;
    int64_t *total;
    const struct flat_row *r;

    profile_init(&p);
    ck_assert_msg(load_text(&p, small_fb) == 0, "%s", err);
    profile_finish(&p);
    table(&p, NULL, &f, &total);
    ck_assert_uint_eq(f.count, 3);
    ck_assert_ptr_null(row(&p, &f, "total"));
    ck_assert_int_eq(total[TRIE_ROOT], 10);
    r = row(&p, &f, "main");
    ck_assert_int_eq(r->self, 3);
    ck_assert_int_eq(r->total, 10);
    r = row(&p, &f, "a");
    ck_assert_int_eq(r->self, 5);
    r = row(&p, &f, "b");
    ck_assert_int_eq(r->self, 2);
    /* units samples at 100 Hz: samples/count, each 10 ms of CPU */
    ck_assert_str_eq(profile_str(&p, p.types[p.default_type].type), "samples");
    ck_assert_str_eq(profile_str(&p, p.types[p.default_type].unit), "count");
    ck_assert_int_eq(p.sources[0].period, 10000000);
    flat_free(&f);
    free(total);
    profile_free(&p);
}
END_TEST

/* metadata's units, sampleRate and name as a sample type: Pyroscope's
 * ExportToFlamebearer undone (cpu: units samples at 1e9 per second). */
START_TEST(units_map_as_pyroscope_writes_them)
{
    static const char *const cases[][4] = {
        { "samples", "1000000000", "cpu", "cpu/nanoseconds" },
        { "samples", "100", "cpu", "samples/count" },
        { "objects", "100", "alloc_objects", "alloc_objects/count" },
        { "bytes", "100", "", "space/bytes" },
        { "bytes", "100", "myapp.cpu{env=prod}", "space/bytes" },     /* an app's name */
        { "goroutines", "100", "", "goroutine/count" },
        { "lock_nanoseconds", "100", "", "delay/nanoseconds" },
        { "lock_samples", "100", "", "contentions/count" },
        { "nanoseconds", "100", "wall", "wall/nanoseconds" },
        { "exceptions", "100", "", "exceptions/count" },
    };
    char text[512], got[128];

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct profile p;

        snprintf(text, sizeof text, "{\"flamebearer\":{\"names\":[\"total\",\"m\"],\"levels\":"
                 "[[0,3,0,0],[0,3,3,1]]},\"metadata\":{\"units\":\"%s\",\"sampleRate\":%s,"
                 "\"name\":\"%s\"}}", cases[i][0], cases[i][1], cases[i][2]);
        profile_init(&p);
        ck_assert_msg(load_text(&p, text) == 0, "%s", err);
        snprintf(got, sizeof got, "%s/%s", profile_str(&p, p.types[p.default_type].type),
                 profile_str(&p, p.types[p.default_type].unit));
        ck_assert_str_eq(got, cases[i][3]);
        profile_free(&p);
    }
}
END_TEST

/* Pyroscope's export holds a timeline: 1632335270 (2021-09-22T18:27:50Z),
 * 3 samples of 10 s: the profile's time, 30 s long; /render's metadata
 * startTime and endTime win. */
START_TEST(flamebearer_time_from_its_timeline)
{
    struct profile p;

    profile_init(&p);
    ck_assert_msg(load_text(&p, "{\"flamebearer\":{\"names\":[\"total\",\"m\"],\"levels\":"
                              "[[0,3,0,0],[0,3,3,1]]},\"timeline\":{\"startTime\":1632335270,"
                              "\"samples\":[1,1,1],\"durationDelta\":10}}") == 0, "%s", err);
    ck_assert_int_eq(p.sources[0].time_nanos, 1632335270000000000);
    ck_assert_int_eq(p.sources[0].duration_nanos, 30000000000);
    ck_assert_msg(load_text(&p, "{\"flamebearer\":{\"names\":[\"total\",\"m\"],\"levels\":"
                              "[[0,3,0,0],[0,3,3,1]]},\"metadata\":{\"startTime\":1632335000,"
                              "\"endTime\":1632335060},\"timeline\":{\"startTime\":1}}") == 0, "%s",
                  err);
    ck_assert_int_eq(p.sources[1].time_nanos, 1632335000000000000);
    ck_assert_int_eq(p.sources[1].duration_nanos, 60000000000);
    profile_free(&p);
}
END_TEST

/* The Connect answer's int64 come as strings (protojson) or numbers; an
 * empty level has no "values". */
START_TEST(connect_answer_strings_or_numbers)
{
    struct profile p;
    struct flat f;
    int64_t *total;

    profile_init(&p);
    ck_assert_msg(load_text(&p, "{\"flamegraph\":{\"names\":[\"total\",\"main\",\"w\"],"
                              "\"levels\":[{\"values\":[\"0\",\"9\",\"0\",\"0\"]},"
                              "{\"values\":[0,9,\"4\",1]},{\"values\":[\"0\",5,5,\"2\"]},{}],"
                              "\"total\":\"9\",\"maxSelf\":\"5\"}}") == 0, "%s", err);
    profile_finish(&p);
    table(&p, NULL, &f, &total);
    ck_assert_int_eq(total[TRIE_ROOT], 9);          /* main 4 + w 5 */
    ck_assert_int_eq(row(&p, &f, "main")->self, 4);
    ck_assert_int_eq(row(&p, &f, "w")->total, 5);
    flat_free(&f);
    free(total);
    profile_free(&p);
}
END_TEST

/* Open a at 0, b at 2, close b at 5, a at 10 (milliseconds): a's own time
 * is 2 + 5 = 7 ms, b's 3 ms; in nanoseconds. */
START_TEST(speedscope_evented_by_hand)
{
    struct profile p;
    struct flat f;
    int64_t *total;

    profile_init(&p);
    ck_assert_msg(load_text(&p, "{\"shared\":{\"frames\":[{\"name\":\"a\",\"file\":\"a.js\","
                              "\"line\":3},{\"name\":\"b\"}]},\"profiles\":[{\"type\":\"evented\","
                              "\"name\":\"main thread\",\"unit\":\"milliseconds\",\"startValue\":0,"
                              "\"endValue\":10,\"events\":[{\"type\":\"O\",\"frame\":0,\"at\":0},"
                              "{\"type\":\"O\",\"frame\":1,\"at\":2},{\"type\":\"C\",\"frame\":1,"
                              "\"at\":5},{\"type\":\"C\",\"frame\":0,\"at\":10}]}]}") == 0,
                  "%s", err);
    profile_finish(&p);
    table(&p, NULL, &f, &total);
    ck_assert_int_eq(row(&p, &f, "a")->self, 7000000);
    ck_assert_int_eq(row(&p, &f, "a")->total, 10000000);
    ck_assert_int_eq(row(&p, &f, "b")->self, 3000000);
    ck_assert_str_eq(profile_str(&p, p.frames[row(&p, &f, "a")->frame].file), "a.js");
    ck_assert_int_eq(p.frames[row(&p, &f, "a")->frame].line, 3);
    flat_free(&f);
    free(total);
    profile_free(&p);
}
END_TEST

/* Each broken input: -1 and a message holding `want`. */
static void refused(const char *text, const char *want)
{
    struct profile p;

    profile_init(&p);
    err[0] = '\0';
    ck_assert_msg(load_text(&p, text) == -1, "accepted: %s", text);
    ck_assert_msg(strstr(err, want) != NULL, "'%s' lacks '%s'", err, want);
    profile_free(&p);
}

#define FB(levels) "{\"flamebearer\":{\"names\":[\"total\",\"main\",\"a\"],\"levels\":" levels "}}"

START_TEST(hostile_levels_name_the_place)
{
    refused(FB("[[0,10,0,0],[0,10,0,1],[0,5,5,2,1]]"), "levels[2]: 5 values, not a multiple of 4");
    refused(FB("[[0,10,0,0],[0,-10,0,1]]"), "levels[1][1]: negative (-10)");
    refused(FB("[[0,10,0,0],[0,10,0,7]]"), "levels[1]: node 0: name 7 of 3 names");
    refused(FB("[[0,10,0,0],[0,10,11,1]]"), "self 11 above its total 10");
    /* a starts at x 8, width 5: past main's [0, 10) */
    refused(FB("[[0,10,0,0],[0,10,5,1],[8,5,5,2]]"), "levels[2]: node 0 at x 8..13 lies under "
            "no node of levels[1]");
    /* main's total 10 but self 2 + a's 5 */
    refused(FB("[[0,10,0,0],[0,10,2,1],[0,5,5,2]]"), "total 10 is not its self 2 plus its "
            "children's 5");
    refused(FB("[[0,10,0,0],[0,10,0,1.5]]"), "levels[1][3]: not a whole number");
    refused(FB("[[0,10,0,0],[9223372036854775807,9223372036854775807,0,1]]"), "x offset past 2^63");
    refused(FB("[[0,99999999999999999999,0,0]]"), "JSON line 1");   /* past int64 */
    refused(FB("{}"), "levels: not an array");
    refused("{\"flamebearer\":{\"names\":[1],\"levels\":[]}}", "names[0]: not a string");
    refused("{\"version\":1,\"flamebearer\":{\"names\":[],\"levels\":[]},\"metadata\":{\"format\":"
            "\"double\"}}", "only 'single' is read");
    refused(FB("[[0,0,0,0]]"), "no node with a value");
}
END_TEST

START_TEST(hostile_json_is_refused_with_its_line)
{
    char *deep = malloc(20000 * 2 + 64);
    size_t n = 0;

    /* nesting past jansson's depth limit (JSON_PARSER_MAX_DEPTH, 2048) */
    n += (size_t)sprintf(deep, "{\"flamebearer\":");
    for (int i = 0; i < 20000; i++)
        deep[n++] = '[';
    for (int i = 0; i < 20000; i++)
        deep[n++] = ']';
    deep[n++] = '}';
    deep[n] = '\0';
    refused(deep, "maximum parsing depth");
    free(deep);
    refused("{\"flamebearer\":{\"names\":[\"total\"],\n\"levels\":[[0,1,", "JSON line 2");
    /* raw invalid UTF-8 in a name, and a raw control byte */
    refused("{\"flamebearer\":{\"names\":[\"bad\xff\xfe\"],\"levels\":[]}}", "JSON line 1");
    refused("{\"flamebearer\":{\"names\":[\"a\x01\"],\"levels\":[]}}", "JSON line 1");
    refused("{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"evented\","
            "\"unit\":\"none\",\"events\":[{\"type\":\"O\",\"frame\":0,\"at\":0},{\"type\":\"C\","
            "\"frame\":0,\"at\":-1}]}]}", "profiles[0].events[1]: at -1");
    refused("{\"shared\":{\"frames\":[{\"name\":\"a\"},{\"name\":\"b\"}]},\"profiles\":[{\"type\":"
            "\"evented\",\"unit\":\"none\",\"events\":[{\"type\":\"O\",\"frame\":0,\"at\":0},"
            "{\"type\":\"C\",\"frame\":1,\"at\":1}]}]}", "closes a frame that is not the last");
    refused("{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"sampled\","
            "\"unit\":\"none\",\"samples\":[[0],[3]],\"weights\":[1,1]}]}",
            "profiles[0].samples[1][0]: not a frame index");
    refused("{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"sampled\","
            "\"unit\":\"none\",\"samples\":[[0]],\"weights\":[-4]}]}", "weights[0]: not a weight");
    refused("{\"shared\":{\"frames\":[]},\"profiles\":[{\"type\":\"sampled\",\"unit\":\"furlongs\","
            "\"samples\":[],\"weights\":[]}]}", "unit 'furlongs'");
}
END_TEST

/* Escaped control bytes and escaped lone surrogates are JSON: the names
 * keep the bytes (the explorer and --top escape them when shown). */
START_TEST(escaped_control_bytes_stay_in_names)
{
    struct profile p;

    profile_init(&p);
    ck_assert_msg(load_text(&p, "{\"flamebearer\":{\"names\":[\"total\",\"\\u001b[31mred\"],"
                              "\"levels\":[[0,1,0,0],[0,1,1,1]]}}") == 0, "%s", err);
    ck_assert_str_eq(profile_str(&p, p.frames[0].name), "\x1b[31mred");
    profile_free(&p);
}
END_TEST

/* A file of tiny numbers costs jansson tens of bytes per input byte: it
 * is held to what the model's budget leaves. */
START_TEST(json_memory_is_held_to_the_budget)
{
    struct profile p;
    struct load_options o = { .max_size = 1 << 20 };    /* budget 4 x 1 MiB */
    size_t cap = 400000, n = 0;    /* 200000 numbers: 24 bytes of jansson each at least */
    char *text = malloc(cap + 64);

    n += (size_t)sprintf(text, "{\"flamebearer\":{\"names\":[],\"levels\":[[");
    while (n < cap - 4) {
        text[n++] = '0';
        text[n++] = ',';
    }
    n += (size_t)sprintf(text + n, "0]]}}");
    profile_init(&p);
    ck_assert_int_eq(source_load_buffer(&p, "big.json", (const uint8_t *)text, n, &o, err), -1);
    ck_assert_msg(strstr(err, "the JSON needs more than 4 MiB of memory") != NULL, "%s", err);
    profile_free(&p);
    free(text);
}
END_TEST

START_TEST(other_json_is_no_profile_and_folded_stays_folded)
{
    struct profile p;
    struct load_options o = { .max_size = 1 << 20 };
    const char *cfg = "{\"name\": \"settings\"}";
    const char *folded = "{anon};main 3\n";

    profile_init(&p);
    ck_assert_int_eq(source_load_buffer(&p, "c.json", (const uint8_t *)cfg, strlen(cfg), &o, err),
                     SOURCE_NOT_PROFILE);
    ck_assert_int_eq(source_load_buffer(&p, "f.txt", (const uint8_t *)folded, strlen(folded), &o,
                                        err), 0);
    ck_assert_str_eq(profile_str(&p, p.frames[0].name), "{anon}");
    profile_free(&p);
}
END_TEST

Suite *import_suite(void)
{
    Suite *s = suite_create("import");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, real_fixtures_read_to_the_pprof_table);
    tcase_add_test(tc, levels_decode_by_hand);
    tcase_add_test(tc, units_map_as_pyroscope_writes_them);
    tcase_add_test(tc, flamebearer_time_from_its_timeline);
    tcase_add_test(tc, connect_answer_strings_or_numbers);
    tcase_add_test(tc, speedscope_evented_by_hand);
    tcase_add_test(tc, hostile_levels_name_the_place);
    tcase_add_test(tc, hostile_json_is_refused_with_its_line);
    tcase_add_test(tc, escaped_control_bytes_stay_in_names);
    tcase_add_test(tc, json_memory_is_held_to_the_budget);
    tcase_add_test(tc, other_json_is_no_profile_and_folded_stays_folded);
    suite_add_tcase(s, tc);
    return s;
}
