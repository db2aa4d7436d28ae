/*
 * tests/hostile/gen.c - writes small hostile pprof files for tests/resources.sh.
 *
 *   hostile-gen DIR
 *
 * Each file is a few hundred bytes to a few MB, and each once cost ember far
 * more time or memory than its size (issue 8). The protobuf wire format is
 * encoded by hand (profile.proto's field numbers), as bench/gen.c does.
 *
 *   collide.pb     100k functions and 100k locations whose 64-bit ids all
 *                  hash to slot 0 under the old unkeyed hash (splitmix64's
 *                  finalizer, inverted here); one sample of 1000 of them.
 *   amplify.pb     one location of 1000 lines, 1000 samples that each
 *                  repeat it 1000 times: 10^9 frames from 1 MB.
 *   amplify-wide.pb  the same, each sample under a root function of its
 *                  own, so that every frame would be a new call-tree node.
 *   reserve.pb     one location of 2000 lines, a first sample naming the
 *                  missing location 0, then 10M ids of location 1: the
 *                  counts a first pass sees are not valid yet.
 *   types.pb       90,000 distinct sample types (pairs of 300 strings).
 *   types3025.pb   3,025 sample types, one sample (to merge with many.pb).
 *   types40a.pb, types40b.pb  40 sample types each, none shared.
 *   many.pb        100k samples of one type, 1000 distinct leaves.
 *   strings.pb     a valid profile with a million one-byte strings.
 *   strcollide.pb  a valid profile with 100k 8-byte strings that all hash
 *                  to slot 0 under the old unkeyed string hash.
 *   deep.pb        one location of 8 lines, one sample repeating it 10M
 *                  times: a chain of 80M distinct call-tree nodes from 10 MB
 *                  (the frame budget, 8 a byte, let it through).
 *   types64.pb     64 sample types t0..t63 (unit count), one sample of f
 *                  with 1 for each (to merge with the tiny flood).
 *
 *   deepname.pb    (--folded) a function of a 10,000-byte name, one sample
 *                  200,000 frames deep in it: 2 GB of folded output from
 *                  210 KB (the line was built whole in memory).
 *   longline.pb    the same 30,000 deep: one 300 MB line, under the limit.
 *   deepspaces.pb  a name of 100,000 spaces 1,000,000 deep (a leaf's
 *                  trailing spaces are escaped: not to be counted per depth).
 *
 *   hostile-gen flood KIND N
 *
 * writes to stdout a flood of N empty sub-messages, 2 bytes each (a stream,
 * so that the hundreds of MB need no disk):
 *   types          "" then N empty sample types (no limit was checked
 *                  before all were kept: 39 bytes of memory each).
 *   locations      "" then N empty locations, each with id 0.
 *   strings        a valid profile (the one of strings.pb) then N empty
 *                  strings (16-20 bytes of bookkeeping each, once).
 *   tiny           a profile of type t0/count, then N samples of f of
 *                  value 1, 6 bytes each: beside types64.pb, values dense
 *                  over every type cost 64 x 8 bytes a sample.
 *   labels         a profile, then N samples of f of value 1, 95 bytes
 *                  each, with a label set of their own: 20 empty labels
 *                  {samples=""} and samples=<i> (24 bytes of memory for
 *                  each 4-7 bytes of label).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pb_write.h"

static void packed(struct pbw *b, unsigned num, const uint64_t *v, size_t n)
{
    struct pbw p = { 0 };

    for (size_t i = 0; i < n; i++)
        pbw_varint(&p, v[i]);
    pbw_msg(b, num, &p);
    free(p.d);
}

enum { SAMPLE_TYPE = 1, SAMPLE = 2, LOCATION = 4, FUNCTION = 5, STRING = 6 };

/* Strings 0-4: "", samples, count, f, x.go. */
static void strings(struct pbw *b)
{
    static const char *s[] = { "", "samples", "count", "f", "x.go" };

    for (size_t i = 0; i < sizeof s / sizeof *s; i++)
        pbw_str(b, STRING, s[i]);
}

static void sample_type(struct pbw *b, uint64_t type, uint64_t unit)
{
    struct pbw m = { 0 };

    if (type)
        pbw_field(&m, 1, type);
    if (unit)
        pbw_field(&m, 2, unit);
    pbw_msg(b, SAMPLE_TYPE, &m);
    free(m.d);
}

static void function(struct pbw *b, uint64_t id, uint64_t name)
{
    struct pbw m = { 0 };

    pbw_field(&m, 1, id);
    pbw_field(&m, 2, name);
    pbw_field(&m, 4, 4);
    pbw_msg(b, FUNCTION, &m);
    free(m.d);
}

/* A location of `lines` lines, every one in function fn. */
static void location(struct pbw *b, uint64_t id, uint64_t fn, size_t lines)
{
    struct pbw m = { 0 }, l = { 0 };

    pbw_field(&m, 1, id);
    for (size_t i = 0; i < lines; i++) {
        pbw_field(&l, 1, fn);
        pbw_field(&l, 2, i + 1);
        pbw_msg(&m, 4, &l);
    }
    pbw_msg(b, LOCATION, &m);
    free(m.d);
    free(l.d);
}

static void sample(struct pbw *b, const uint64_t *ids, size_t n, const uint64_t *vals, size_t nv)
{
    struct pbw m = { 0 };

    packed(&m, 1, ids, n);
    packed(&m, 2, vals, nv);
    pbw_msg(b, SAMPLE, &m);
    free(m.d);
}

static void save(const char *dir, const char *name, struct pbw *b)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!(f = fopen(path, "wb")) || fwrite(b->d, 1, b->n, f) != b->n || fclose(f)) {
        perror(path);
        exit(1);
    }
    b->n = 0;
}

/* ---- ids that collide under the old hash ---------------------------- */

static uint64_t old_hash(uint64_t x)      /* include/hash.h's hash_u64 */
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint64_t unxorshift(uint64_t y, unsigned s)
{
    uint64_t x = y;

    for (unsigned i = s; i < 64; i += s)
        x ^= y >> i;
    return x;
}

static uint64_t mul_inverse(uint64_t c)  /* Newton's iteration mod 2^64 */
{
    uint64_t x = c;

    for (int i = 0; i < 6; i++)
        x *= 2 - c * x;
    return x;
}

/* The id whose old hash is h. */
static uint64_t old_unhash(uint64_t h)
{
    h = unxorshift(h, 31);
    h *= mul_inverse(0x94d049bb133111ebULL);
    h = unxorshift(h, 27);
    h *= mul_inverse(0xbf58476d1ce4e5b9ULL);
    return unxorshift(h, 30);
}

/* The i-th id (i >= 1) whose old hash has 32 low zero bits: every such id
 * starts probing at slot 0 of any table up to 2^32 slots. */
static uint64_t colliding_id(uint64_t i)
{
    uint64_t id = old_unhash(i << 32);

    if (old_hash(id) != i << 32) {
        fprintf(stderr, "hostile-gen: unhash is wrong\n");
        exit(1);
    }
    return id;
}

/* include/hash.h's hash_bytes as it was, for 8 bytes. */
static uint64_t old_hash8(const uint8_t *p)
{
    uint64_t w, h = 0x9e3779b97f4a7c15ULL ^ 8;

    memcpy(&w, p, 8);
    h = (h ^ old_hash(w)) * 0xff51afd7ed558ccdULL;
    return old_hash(h);
}

/* The i-th 8-byte string whose old hash has 32 low zero bits. */
static void colliding_string(uint64_t i, uint8_t out[8])
{
    uint64_t h = old_unhash(i << 32) * mul_inverse(0xff51afd7ed558ccdULL);
    uint64_t w = old_unhash(h ^ 0x9e3779b97f4a7c15ULL ^ 8);

    memcpy(out, &w, 8);
    if (old_hash8(out) != i << 32) {
        fprintf(stderr, "hostile-gen: string unhash is wrong\n");
        exit(1);
    }
}

/* ---- the files ------------------------------------------------------- */

static void collide(const char *dir, struct pbw *b)
{
    enum { N = 100000, DEPTH = 1000 };
    uint64_t ids[DEPTH], one = 1;

    sample_type(b, 1, 2);
    for (uint64_t i = 1; i <= N; i++)
        function(b, colliding_id(i), 3);
    for (uint64_t i = 1; i <= N; i++)
        location(b, colliding_id(i), colliding_id(i), 1);
    for (size_t i = 0; i < DEPTH; i++)
        ids[i] = colliding_id(i * 97 + 1);
    sample(b, ids, DEPTH, &one, 1);
    strings(b);
    save(dir, "collide.pb", b);
}

/* wide: each sample gets a root location of its own (ids 2..). */
static void amplify(const char *dir, struct pbw *b, int wide)
{
    enum { LINES = 1000, REPEAT = 1000, SAMPLES = 1000 };
    static uint64_t ids[REPEAT + 1];
    uint64_t one = 1;

    sample_type(b, 1, 2);
    function(b, 1, 3);
    location(b, 1, 1, LINES);
    for (uint64_t s = 0; wide && s < SAMPLES; s++) {   /* function s + 2 is r<s> */
        function(b, s + 2, 5 + s);
        location(b, s + 2, s + 2, 1);
    }
    for (size_t s = 0; s < SAMPLES; s++) {
        for (size_t i = 0; i < REPEAT; i++)
            ids[i] = 1;
        ids[REPEAT] = s + 2;    /* the last id is the root */
        sample(b, ids, REPEAT + (size_t)wide, &one, 1);
    }
    strings(b);
    for (size_t s = 0; wide && s < SAMPLES; s++) {
        char name[32];

        snprintf(name, sizeof name, "r%zu", s);
        pbw_str(b, STRING, name);
    }
    save(dir, wide ? "amplify-wide.pb" : "amplify.pb", b);
}

static void reserve(const char *dir, struct pbw *b)
{
    enum { IDS = 10000000 };
    uint64_t zero = 0, one = 1, *ids = malloc(IDS * sizeof *ids);

    if (!ids) {
        perror("hostile-gen");
        exit(1);
    }
    sample_type(b, 1, 2);
    function(b, 1, 3);
    location(b, 1, 1, 2000);
    sample(b, &zero, 1, &one, 1);
    for (size_t i = 0; i < IDS; i++)
        ids[i] = 1;
    sample(b, ids, IDS, &one, 1);
    free(ids);
    strings(b);
    save(dir, "reserve.pb", b);
}

/* n distinct sample types (type, unit) made of k strings t<first>..
 * t<first + k - 1> (k * k >= n), and one sample. */
static void types(const char *dir, struct pbw *b, const char *name, size_t n, size_t first)
{
    uint64_t id = 1, *vals = calloc(n, sizeof *vals);
    size_t k = 1;
    char s[32];

    while (k * k < n)
        k++;
    for (size_t i = 0; i < n; i++)
        sample_type(b, 5 + i / k, 5 + i % k);
    function(b, 1, 3);
    location(b, 1, 1, 1);
    sample(b, &id, 1, vals, n);
    strings(b);
    for (size_t i = 0; i < k; i++) {
        snprintf(s, sizeof s, "t%zu", first + i);
        pbw_str(b, STRING, s);
    }
    free(vals);
    save(dir, name, b);
}

static void many(const char *dir, struct pbw *b)
{
    enum { SAMPLES = 100000, LEAVES = 1000 };
    uint64_t ids[2], one = 1;

    sample_type(b, 1, 2);
    function(b, 1, 3);
    for (uint64_t i = 1; i <= LEAVES + 1; i++)
        location(b, i, 1, 1);
    for (uint64_t s = 0; s < SAMPLES; s++) {
        ids[0] = 2 + s % LEAVES;
        ids[1] = 1;
        sample(b, ids, 2, &one, 1);
    }
    strings(b);
    save(dir, "many.pb", b);
}

static void many_strings(const char *dir, struct pbw *b)
{
    uint64_t id = 1, one = 1;

    sample_type(b, 1, 2);
    function(b, 1, 3);
    location(b, 1, 1, 1);
    sample(b, &id, 1, &one, 1);
    strings(b);
    for (int i = 0; i < 1000000; i++)
        pbw_str(b, STRING, "s");
    save(dir, "strings.pb", b);
}

/* A valid profile whose string table has 100k more strings that collide
 * under the old string hash. */
static void string_collide(const char *dir, struct pbw *b)
{
    uint64_t id = 1, one = 1;
    uint8_t w[8];

    sample_type(b, 1, 2);
    function(b, 1, 3);
    location(b, 1, 1, 1);
    sample(b, &id, 1, &one, 1);
    strings(b);
    for (uint64_t i = 1; i <= 100000; i++) {
        colliding_string(i, w);
        pbw_varint(b, STRING << 3 | 2);
        pbw_varint(b, 8);
        pbw_put(b, w, 8);
    }
    save(dir, "strcollide.pb", b);
}

/* ---- --folded (task "folded") ---------------------------------------- */

/* One sample `depth` frames deep in one function named by `namelen` fill
 * bytes. */
static void deep_name(const char *dir, struct pbw *b, const char *file, size_t namelen,
                      size_t depth, char fill)
{
    uint64_t one = 1, *ids = malloc(depth * sizeof *ids);
    char *name = malloc(namelen + 1);

    if (!ids || !name) {
        perror("hostile-gen");
        exit(1);
    }
    for (size_t i = 0; i < depth; i++)
        ids[i] = 1;
    memset(name, fill, namelen);
    name[namelen] = 0;
    sample_type(b, 1, 2);
    function(b, 1, 5);
    location(b, 1, 1, 1);
    sample(b, ids, depth, &one, 1);
    strings(b);
    pbw_str(b, STRING, name);
    save(dir, file, b);
    free(ids);
    free(name);
}

static void deep(const char *dir, struct pbw *b)
{
    enum { IDS = 10000000 };
    uint64_t one = 1, *ids = malloc(IDS * sizeof *ids);

    if (!ids) {
        perror("hostile-gen");
        exit(1);
    }
    sample_type(b, 1, 2);
    function(b, 1, 3);
    location(b, 1, 1, 8);
    for (size_t i = 0; i < IDS; i++)
        ids[i] = 1;
    sample(b, ids, IDS, &one, 1);
    free(ids);
    strings(b);
    save(dir, "deep.pb", b);
}

/* Strings 5..68: t0..t63. */
static void type_names(struct pbw *b, int n)
{
    char name[16];

    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "t%d", i);
        pbw_str(b, STRING, name);
    }
}

static void types64(const char *dir, struct pbw *b)
{
    uint64_t id = 1, vals[64];

    for (int i = 0; i < 64; i++) {
        sample_type(b, 5 + (uint64_t)i, 2);
        vals[i] = 1;
    }
    function(b, 1, 3);
    location(b, 1, 1, 1);
    sample(b, &id, 1, vals, 64);
    strings(b);
    type_names(b, 64);
    save(dir, "types64.pb", b);
}

/* The samples of `hostile-gen flood tiny|labels N`, written as they are
 * made. */
static int stream_samples(const char *kind, uint64_t n)
{
    struct pbw b = { 0 }, m = { 0 }, l = { 0 };
    int labels = !strcmp(kind, "labels");

    sample_type(&b, labels ? 1 : 5, 2);
    function(&b, 1, 3);
    location(&b, 1, 1, 1);
    strings(&b);
    if (!labels)
        type_names(&b, 1);
    for (uint64_t i = 0; i < n; i++) {
        if (!labels) {                  /* location 1, value 1, unpacked */
            pbw_field(&m, 1, 1);
            pbw_field(&m, 2, 1);
        } else {
            uint64_t one = 1;

            packed(&m, 1, &one, 1);
            packed(&m, 2, &one, 1);
            for (int k = 0; k < 20; k++) {
                pbw_field(&l, 1, 1);
                pbw_msg(&m, 3, &l);
            }
            pbw_field(&l, 1, 1);
            pbw_field(&l, 3, i + 1);
            pbw_msg(&m, 3, &l);
        }
        pbw_msg(&b, SAMPLE, &m);
        if (b.n >= 1 << 16 || i + 1 == n) {
            if (fwrite(b.d, 1, b.n, stdout) != b.n)
                return 1;               /* the reader stopped: it is done */
            b.n = 0;
        }
    }
    free(b.d);
    free(m.d);
    free(l.d);
    return fflush(stdout) == EOF;
}

static int flood(const char *kind, const char *count)
{
    static uint8_t chunk[1 << 16];
    uint64_t id = 1, one = 1, n = strtoull(count, NULL, 10) * 2;
    struct pbw b = { 0 };
    uint8_t tag;

    if (!strcmp(kind, "types") || !strcmp(kind, "locations")) {
        pbw_str(&b, STRING, "");
        tag = !strcmp(kind, "types") ? SAMPLE_TYPE << 3 | 2 : LOCATION << 3 | 2;
    } else if (!strcmp(kind, "strings")) {
        sample_type(&b, 1, 2);
        function(&b, 1, 3);
        location(&b, 1, 1, 1);
        sample(&b, &id, 1, &one, 1);
        strings(&b);
        tag = STRING << 3 | 2;
    } else if (!strcmp(kind, "tiny") || !strcmp(kind, "labels")) {
        return stream_samples(kind, n / 2);
    } else {
        fprintf(stderr, "hostile-gen: unknown flood %s\n", kind);
        return 2;
    }
    for (size_t i = 0; i < sizeof chunk; i += 2)
        chunk[i] = tag;                 /* chunk[i + 1] = 0: an empty message */
    fwrite(b.d, 1, b.n, stdout);
    free(b.d);
    for (; n; n -= n < sizeof chunk ? n : sizeof chunk)
        if (fwrite(chunk, 1, n < sizeof chunk ? n : sizeof chunk, stdout) == 0)
            return 1;                   /* the reader stopped: it is done */
    return fflush(stdout) == EOF;
}

int main(int argc, char **argv)
{
    struct pbw b = { 0 };

    if (argc == 4 && !strcmp(argv[1], "flood"))
        return flood(argv[2], argv[3]);
    if (argc != 2) {
        fprintf(stderr, "usage: hostile-gen DIR | hostile-gen flood KIND N\n");
        return 2;
    }
    collide(argv[1], &b);
    amplify(argv[1], &b, 0);
    amplify(argv[1], &b, 1);
    reserve(argv[1], &b);
    types(argv[1], &b, "types.pb", 90000, 0);
    types(argv[1], &b, "types3025.pb", 3025, 1000);
    types(argv[1], &b, "types40a.pb", 40, 1000);
    types(argv[1], &b, "types40b.pb", 40, 2000);
    many(argv[1], &b);
    many_strings(argv[1], &b);
    string_collide(argv[1], &b);
    deep_name(argv[1], &b, "deepname.pb", 10000, 200000, 'f');
    deep_name(argv[1], &b, "longline.pb", 10000, 30000, 'f');
    deep_name(argv[1], &b, "deepspaces.pb", 100000, 1000000, ' ');
    deep(argv[1], &b);
    types64(argv[1], &b);
    free(b.d);
    return 0;
}
