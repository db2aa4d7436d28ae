/* The exporters (src/output/export*.c) on real fixtures: what a pprof
 * export holds read back (every type's total, labels, files and lines,
 * period, time, the zoom), the folded and two-column forms, the JSON and
 * XML escaping of hostile names, the names of files, the atomic write.
 * Expected totals come from go tool pprof (tests/data/expected, the sum of
 * a table's self column: expected_top_sum) or from hand arithmetic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_suites.h"
#include "decompress.h"
#include "export.h"
#include "output.h"
#include "query.h"
#include "source.h"

static char err[SOURCE_ERR_MAX];

static void load(struct profile *p, const char *name)
{
    struct load_options lo = { .max_size = DECOMPRESS_DEFAULT_CAP };
    char path[512];

    profile_init(p);
    snprintf(path, sizeof path, "%s/%s", TEST_DATA, name);
    ck_assert_msg(!source_load_path(p, path, &lo, err), "%s: %s", name, err);
    profile_finish(p);
    trie_index(&p->trie);
}

/* A selection of one side: type, query (NULL: all); totals into *total. */
struct side1 {
    struct selector q;
    struct filter f;
    int64_t *total;
};

static void select_side(struct profile *p, uint32_t type, const char *query, struct side1 *s)
{
    char e[SELECTOR_ERR_MAX];

    ck_assert(!selector_parse(query ? query : "", &s->q, e));
    filter_build(&s->f, &s->q, p);
    s->total = calloc(p->trie.count + 1, sizeof *s->total);
    query_totals(p, type, &s->f, s->total);
}

static void free_side(struct side1 *s)
{
    selector_free(&s->q);
    filter_free(&s->f);
    free(s->total);
}

static struct export_sel sel_of(struct profile *p, uint32_t type, struct side1 *a, struct side1 *b)
{
    struct export_sel s = { .p = p, .type = type, .zoom = TRIE_ROOT, .from = INT64_MIN,
                            .until = INT64_MAX, .title = "test" };

    s.filter[0] = &a->f;
    s.total[0] = a->total;
    if (b) {
        s.filter[1] = &b->f;
        s.total[1] = b->total;
    }
    return s;
}

/* fn's output on s into a malloc'd string. */
static char *run(int (*fn)(FILE *, const struct export_sel *, char *, size_t),
                 const struct export_sel *s, size_t *len)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);

    ck_assert_int_eq(fn(f, s, err, sizeof err), 0);
    fclose(f);
    if (len)
        *len = n;
    return out;
}

/* The pprof export of s, loaded back into q. */
static void roundtrip(const struct export_sel *s, struct profile *q)
{
    size_t n;
    char *bytes = run(export_pprof, s, &n);
    struct load_options lo = { .max_size = DECOMPRESS_DEFAULT_CAP };

    profile_init(q);
    ck_assert_msg(!source_load_buffer(q, "back.pb.gz", (const uint8_t *)bytes, n, &lo, err),
                  "%s", err);
    profile_finish(q);
    trie_index(&q->trie);
    free(bytes);
}

static int64_t type_total(struct profile *p, const char *type)
{
    int64_t *t = calloc(p->ntypes + 1, sizeof *t), v;
    uint32_t i = profile_find_type(p, type);

    ck_assert_uint_ne(i, UINT32_MAX);
    query_type_totals(p, t);
    v = t[i];
    free(t);
    return v;
}

/* The distinct numeric labels named key (with a number and no string). */
static int numeric_labels(const struct profile *p, const char *key)
{
    uint32_t k = strtab_find(&p->strings, key, strlen(key));
    int n = 0;

    for (uint32_t i = 0; k != UINT32_MAX && i < p->labels_count; i++)
        n += p->labels[i].key == k && !p->labels[i].str && p->labels[i].num > 0;
    return n;
}

/* Every sample type's total, the labels (a query on the file read back),
 * the functions' files and lines, period and time survive the pprof
 * export; go-heap's four types from go tool pprof's tables. */
START_TEST(pprof_keeps_every_type)
{
    static const char *types[] = { "alloc_objects", "alloc_space", "inuse_objects",
                                   "inuse_space" };
    struct profile p, q;
    struct side1 a;
    struct export_sel s;
    char want[64];

    load(&p, "go-heap.pb.gz");
    select_side(&p, profile_find_type(&p, "inuse_space"), NULL, &a);
    s = sel_of(&p, profile_find_type(&p, "inuse_space"), &a, NULL);
    roundtrip(&s, &q);
    ck_assert_uint_eq(q.ntypes, 4);
    for (int i = 0; i < 4; i++) {
        snprintf(want, sizeof want, "go-heap.%s.top", types[i]);
        ck_assert_int_eq(type_total(&q, types[i]), expected_top_sum(want));
    }
    /* the numeric label bytes=N (go tool pprof -raw: "bytes:[...]") */
    ck_assert_int_eq(numeric_labels(&q, "bytes"), numeric_labels(&p, "bytes"));
    ck_assert_int_gt(numeric_labels(&q, "bytes"), 0);
    /* the default type is the one on screen */
    ck_assert_str_eq(profile_str(&q, q.types[q.default_type].type), "inuse_space");
    ck_assert_int_eq(q.sources[0].time_nanos, p.sources[0].time_nanos);
    ck_assert_int_eq(q.sources[0].period, p.sources[0].period);
    ck_assert_str_eq(profile_str(&q, q.sources[0].period_type.type),
                     profile_str(&p, p.sources[0].period_type.type));
    profile_free(&q);
    free_side(&a);
    profile_free(&p);
}
END_TEST

/* go-cpu on {region="eu-north"}: 1.51 s (go tool pprof -tagfocus
 * region=eu-north: tests/data/expected/go-cpu.cpu.q-eu-north.top); read
 * back, the region label is still there (all of it eu-north), worker too,
 * and main.fib keeps its file and line. */
START_TEST(pprof_keeps_labels_files_lines)
{
    struct profile p, q;
    struct side1 a, back;
    struct export_sel s;
    uint32_t cpu;

    load(&p, "go-cpu.pb.gz");
    cpu = profile_find_type(&p, "cpu");
    select_side(&p, cpu, "{region=\"eu-north\"}", &a);
    ck_assert_int_eq(a.total[TRIE_ROOT], expected_top_sum("go-cpu.cpu.q-eu-north.top"));
    s = sel_of(&p, cpu, &a, NULL);
    roundtrip(&s, &q);
    ck_assert_int_eq(type_total(&q, "cpu"), expected_top_sum("go-cpu.cpu.q-eu-north.top"));
    select_side(&q, profile_find_type(&q, "cpu"), "{region=\"eu-north\", worker=~\"a|b\"}", &back);
    ck_assert_int_eq(back.total[TRIE_ROOT], expected_top_sum("go-cpu.cpu.q-eu-north.top"));
    free_side(&back);
    uint32_t pf = intmap_get(&p.frame_by_name, strtab_find(&p.strings, "main.fib", 8));
    uint32_t qf = intmap_get(&q.frame_by_name, strtab_find(&q.strings, "main.fib", 8));

    ck_assert_str_eq(profile_str(&q, q.frames[qf].file), profile_str(&p, p.frames[pf].file));
    /* go tool pprof -raw: "main.fib embergen/main.go:34 s=0" (Go writes no start line) */
    ck_assert_str_eq(profile_str(&q, q.frames[qf].file), "embergen/main.go");
    ck_assert_int_eq(q.frames[qf].line, p.frames[pf].line);
    profile_free(&q);
    free_side(&a);
    profile_free(&p);
}
END_TEST

/* A zoom keeps the stacks through the zoomed node: read back, the total is
 * that node's; the other types of those samples come along. */
START_TEST(pprof_zoom)
{
    struct profile p, q;
    struct side1 a;
    struct export_sel s;
    uint32_t wall, zoom = TRIE_ROOT;

    load(&p, "node-wall.pb.gz");
    wall = profile_find_type(&p, "wall");
    select_side(&p, wall, NULL, &a);
    /* the root's largest child that is not the whole */
    for (uint32_t n = 1; n < p.trie.count; n++)
        if (p.trie.node[n].parent == TRIE_ROOT && a.total[n] < a.total[TRIE_ROOT] &&
            (zoom == TRIE_ROOT || a.total[n] > a.total[zoom]))
            zoom = n;
    ck_assert_uint_ne(zoom, TRIE_ROOT);
    s = sel_of(&p, wall, &a, NULL);
    s.zoom = zoom;
    roundtrip(&s, &q);
    ck_assert_int_eq(type_total(&q, "wall"), a.total[zoom]);
    ck_assert_int_lt(type_total(&q, "wall"), expected_top_sum("node-wall.wall.top"));
    profile_free(&q);
    free_side(&a);
    profile_free(&p);
}
END_TEST

/* Folded: the export is --folded's text; the diff's two columns add up to
 * each side's total (go tool pprof -tagfocus: eu-north 1.51 s, us-east
 * "1400000000ns, 47.46% of 2950000000ns total"). */
START_TEST(folded_and_two_columns)
{
    struct profile p;
    struct side1 a, b;
    struct export_sel s;
    char *got, *want = NULL, *line, *save;
    size_t n, wn;
    FILE *f;
    int64_t sum[2] = { 0, 0 };
    uint32_t cpu;

    load(&p, "go-cpu.pb.gz");
    cpu = profile_find_type(&p, "cpu");
    select_side(&p, cpu, NULL, &a);
    s = sel_of(&p, cpu, &a, NULL);
    got = run(export_folded, &s, &n);
    f = open_memstream(&want, &wn);
    ck_assert_int_eq(output_folded(f, &p, a.total, 0, err, sizeof err), 0);
    fclose(f);
    ck_assert_uint_eq(n, wn);
    ck_assert(!memcmp(got, want, n));
    free(got);
    free(want);
    free_side(&a);

    select_side(&p, cpu, "{region=\"eu-north\"}", &a);
    select_side(&p, cpu, "{region=\"us-east\"}", &b);
    s = sel_of(&p, cpu, &a, &b);
    got = run(export_folded, &s, NULL);
    for (line = strtok_r(got, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *v2 = strrchr(line, ' '), *v1;

        ck_assert_ptr_nonnull(v2);
        *v2 = '\0';
        v1 = strrchr(line, ' ');
        ck_assert_ptr_nonnull(v1);
        sum[0] += atoll(v1 + 1);
        sum[1] += atoll(v2 + 1);
    }
    ck_assert_int_eq(sum[0], expected_top_sum("go-cpu.cpu.q-eu-north.top"));
    ck_assert_int_eq(sum[1], 1400000000);
    free(got);
    free_side(&a);
    free_side(&b);
    profile_free(&p);
}
END_TEST

/* A profile of hostile names (by hand: main;NAME with self 3, 5 and 7). */
static void hostile(struct profile *p)
{
    static const char text[] = "main;a\"q<b&c]]>d 3\nmain;ctl\001x\033[31m 5\n"
                               "main;bad\377\376utf8 7\n";
    struct load_options lo = { .max_size = DECOMPRESS_DEFAULT_CAP };

    profile_init(p);
    ck_assert_msg(!source_load_buffer(p, "hostile.folded", (const uint8_t *)text,
                                      sizeof text - 1, &lo, err), "%s", err);
    profile_finish(p);
    trie_index(&p->trie);
}

/* Flamebearer: names escaped (RFC 8259), levels in Pyroscope's encoding:
 * level 1 is main [x 0, total 15, self 0], level 2 the three leaves in name
 * order, each x a delta from the previous one's end (0, 0, 0) with its
 * total and self. */
START_TEST(flamebearer_hostile)
{
    struct profile p;
    struct side1 a;
    struct export_sel s;
    char *got;

    hostile(&p);
    select_side(&p, 0, NULL, &a);
    s = sel_of(&p, 0, &a, NULL);
    got = run(export_json, &s, NULL);
    ck_assert_ptr_nonnull(strstr(got, "\"names\":[\"total\",\"main\",\"a\\\"q<b&c]]>d\","
                                      "\"bad\\ufffd\\ufffdutf8\",\"ctl\\u0001x\\u001b[31m\"]"));
    ck_assert_ptr_nonnull(strstr(got, "\"levels\":[[0,15,0,0],[0,15,0,1],"
                                      "[0,3,3,2,0,7,7,3,0,5,5,4]]"));
    ck_assert_ptr_nonnull(strstr(got, "\"numTicks\":15,\"maxSelf\":7}"));
    ck_assert_ptr_nonnull(strstr(got, "\"format\":\"single\""));
    free(got);
    free_side(&a);
    profile_free(&p);
}
END_TEST

/* The diff's double format: 7 values a node, each side's x, total, self. */
START_TEST(flamebearer_double)
{
    struct profile p;
    struct side1 a, b;
    struct export_sel s;
    char *got;

    hostile(&p);
    select_side(&p, 0, "{file=\"hostile.folded\"}", &a);
    select_side(&p, 0, "{file!=\"hostile.folded\"}", &b);      /* nothing */
    s = sel_of(&p, 0, &a, &b);
    got = run(export_json, &s, NULL);
    ck_assert_ptr_nonnull(strstr(got, "\"levels\":[[0,15,0,0,0,0,0],[0,15,0,0,0,0,1],"
                                      "[0,3,3,0,0,0,2,0,7,7,0,0,0,3,0,5,5,0,0,0,4]]"));
    ck_assert_ptr_nonnull(strstr(got, "\"format\":\"double\""));
    ck_assert_ptr_nonnull(strstr(got, "\"leftTicks\":15,\"rightTicks\":0"));
    free(got);
    free_side(&a);
    free_side(&b);
    profile_free(&p);
}
END_TEST

/* speedscope: a sampled profile whose weights are the selves, a stack a
 * sample (frame indexes into shared.frames, root first). */
START_TEST(speedscope_hostile)
{
    struct profile p;
    struct side1 a;
    struct export_sel s;
    char *got;

    hostile(&p);
    select_side(&p, 0, NULL, &a);
    s = sel_of(&p, 0, &a, NULL);
    got = run(export_speedscope, &s, NULL);
    ck_assert_ptr_nonnull(strstr(got, "\"frames\":[{\"name\":\"main\"},{\"name\":\"a\\\"q<b&c]]>d\"},"
                                      "{\"name\":\"bad\\ufffd\\ufffdutf8\"},"
                                      "{\"name\":\"ctl\\u0001x\\u001b[31m\"}]"));
    ck_assert_ptr_nonnull(strstr(got, "\"type\":\"sampled\""));
    ck_assert_ptr_nonnull(strstr(got, "\"startValue\":0,\"endValue\":15,"
                                      "\"samples\":[[0,1],[0,2],[0,3]],\"weights\":[3,7,5]"));
    free(got);
    free_side(&a);
    profile_free(&p);
}
END_TEST

/* SVG: names as XML text (no raw control byte, no invalid UTF-8, no ']]>'
 * but the script's), the root's title with its value and share. */
START_TEST(svg_hostile)
{
    struct profile p;
    struct side1 a;
    struct export_sel s;
    char *got, *cdata_end;

    hostile(&p);
    select_side(&p, 0, NULL, &a);
    s = sel_of(&p, 0, &a, NULL);
    got = run(export_svg, &s, NULL);
    ck_assert_ptr_nonnull(strstr(got, "<title>a&quot;q&lt;b&amp;c]]&gt;d\n3, 20.00%</title>"));
    ck_assert_ptr_nonnull(strstr(got, "<title>ctl\xef\xbf\xbdx\xef\xbf\xbd[31m\n5, 33.33%"));
    ck_assert_ptr_nonnull(strstr(got, "<title>bad\xef\xbf\xbd\xef\xbf\xbdutf8\n7, 46.67%"));
    ck_assert_ptr_nonnull(strstr(got, "<title>all\n15, 100.00%</title>"));
    cdata_end = strstr(got, "]]>");
    ck_assert_ptr_nonnull(cdata_end);
    ck_assert_ptr_null(strstr(cdata_end + 3, "]]>"));
    for (const char *c = got; *c; c++)
        ck_assert_msg((unsigned char)*c >= 0x20 || *c == '\n', "raw control byte in the SVG");
    ck_assert_ptr_null(strchr(got, '\377'));
    free(got);
    free_side(&a);
    profile_free(&p);
}
END_TEST

static char *json_of(const char *s, size_t n)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);

    export_json_string(f, s, n);
    fclose(f);
    return out;
}

START_TEST(json_strings)
{
    char *s;

    s = json_of("a\"b\\c\n\x1f\x7f", 8);
    ck_assert_str_eq(s, "\"a\\\"b\\\\c\\u000a\\u001f\\u007f\"");
    free(s);
    s = json_of("\xff\xe2\x82\xac\xc0\xaf", 6);        /* bad, euro sign, overlong '/' */
    ck_assert_str_eq(s, "\"\\ufffd\xe2\x82\xac\\ufffd\\ufffd\"");
    free(s);
    s = json_of("nul\0in", 6);
    ck_assert_str_eq(s, "\"nul\\u0000in\"");
    free(s);
}
END_TEST

START_TEST(formats_and_names)
{
    struct profile p;
    struct side1 a;
    struct export_sel s;
    struct selector q;
    char name[256], e[SELECTOR_ERR_MAX];

    ck_assert_int_eq(export_format_of_path("x.pb.gz"), EXPORT_PPROF);
    ck_assert_int_eq(export_format_of_path("x.folded"), EXPORT_FOLDED);
    ck_assert_int_eq(export_format_of_path("x.txt"), EXPORT_FOLDED);
    ck_assert_int_eq(export_format_of_path("x.speedscope.json"), EXPORT_SPEEDSCOPE);
    ck_assert_int_eq(export_format_of_path("x.json"), EXPORT_JSON);
    ck_assert_int_eq(export_format_of_path("x.svg"), EXPORT_SVG);
    ck_assert_int_eq(export_format_of_path("x.pb"), -1);
    ck_assert_int_eq(export_format_of_path(".json"), -1);
    ck_assert_int_eq(export_format_parse("speedscope"), EXPORT_SPEEDSCOPE);
    ck_assert_int_eq(export_format_parse("png"), -1);

    load(&p, "go-cpu.pb.gz");
    select_side(&p, 1, NULL, &a);
    s = sel_of(&p, 1, &a, NULL);
    /* hostile service and values: only [A-Za-z0-9.-], runs as one '_';
     * go tool pprof: "Time: Nov 24, 2026 at 5:19am (UTC)" */
    s.service = "/srv/../my svc;$(rm -rf)\033[31m.pb.gz";
    ck_assert(!selector_parse("{region=\"eu north/../x\", worker=~\"a\", pod=\"-p\"}", &q, e));
    export_default_name(&s, &q, EXPORT_PPROF, name, sizeof name);
    ck_assert_str_eq(name, "my_svc_rm_-rf_31m-cpu-eu_north_.._x-p-2026-11-24T0519.pb.gz");
    selector_free(&q);
    s.service = NULL;
    s.from = 1764583200LL * 1000000000LL;      /* 2025-12-01T10:00:00Z, by date -d @ */
    export_default_name(&s, NULL, EXPORT_SPEEDSCOPE, name, sizeof name);
    ck_assert_str_eq(name, "cpu-2025-12-01T1000.speedscope.json");
    free_side(&a);
    profile_free(&p);
}
END_TEST

/* Written atomically: an existing file stays unless force; no temporary
 * file is left either way. */
START_TEST(write_never_over_a_file)
{
    struct profile p;
    struct side1 a;
    struct export_sel s;
    char dir[] = "/tmp/ember-export-XXXXXX", path[512], buf[16] = "";
    uint64_t size = 0;
    FILE *f;
    struct stat st;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.svg", dir);
    f = fopen(path, "w");
    fputs("keep", f);
    fclose(f);
    hostile(&p);
    select_side(&p, 0, NULL, &a);
    s = sel_of(&p, 0, &a, NULL);
    ck_assert_int_eq(export_write(path, EXPORT_SVG, &s, 0, &size, err, sizeof err), -1);
    ck_assert_str_eq(err, "exists (--force replaces it)");
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(fgets(buf, sizeof buf, f));
    fclose(f);
    ck_assert_str_eq(buf, "keep");
    ck_assert_int_eq(export_write(path, EXPORT_SVG, &s, 1, &size, err, sizeof err), 0);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq((uint64_t)st.st_size, size);
    ck_assert_uint_gt(size, 1000);
    snprintf(path, sizeof path, "%s/new.pb.gz", dir);
    ck_assert_int_eq(export_write(path, EXPORT_PPROF, &s, 0, &size, err, sizeof err), 0);
    /* two files, nothing else */
    snprintf(path, sizeof path, "ls -A %s | wc -l | grep -qx 2", dir);
    ck_assert_int_eq(system(path), 0);
    snprintf(path, sizeof path, "rm -rf %s", dir);
    ck_assert_int_eq(system(path), 0);
    free_side(&a);
    profile_free(&p);
}
END_TEST

Suite *export_suite(void)
{
    Suite *s = suite_create("export");
    TCase *tc = tcase_create("export");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, pprof_keeps_every_type);
    tcase_add_test(tc, pprof_keeps_labels_files_lines);
    tcase_add_test(tc, pprof_zoom);
    tcase_add_test(tc, folded_and_two_columns);
    tcase_add_test(tc, flamebearer_hostile);
    tcase_add_test(tc, flamebearer_double);
    tcase_add_test(tc, speedscope_hostile);
    tcase_add_test(tc, svg_hostile);
    tcase_add_test(tc, json_strings);
    tcase_add_test(tc, formats_and_names);
    tcase_add_test(tc, write_never_over_a_file);
    suite_add_tcase(s, tc);
    return s;
}
