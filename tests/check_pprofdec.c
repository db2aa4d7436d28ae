/* The hand-written Sample decoder (src/source/pprof_sample.c) on samples
 * encoded here byte by byte. Every case also runs through
 * sample_decode_reference, which unpacks with libprotobuf-c as ember did
 * before: both must give the same answer (same code, same message, same
 * frames, values and label set), and each case says what that answer is.
 * Then every real fixture is loaded both ways into equal models, and the
 * label sets' interning (profile_labelset) is checked on its own. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check_suites.h"
#include "fuzz/model_cmp.h"
#include "pprof_sample.h"
#include "source.h"

/* A message being encoded. */
struct pb {
    uint8_t b[4096];
    size_t n;
};

static void put_raw(struct pb *m, const void *d, size_t n)
{
    ck_assert_uint_le(m->n + n, sizeof m->b);
    memcpy(m->b + m->n, d, n);
    m->n += n;
}

static void put_byte(struct pb *m, uint8_t c)
{
    put_raw(m, &c, 1);
}

static void put_varint(struct pb *m, uint64_t v)
{
    for (; v >= 0x80; v >>= 7)
        put_byte(m, (uint8_t)(v | 0x80));
    put_byte(m, (uint8_t)v);
}

static void put_key(struct pb *m, uint32_t field, unsigned wire)
{
    put_varint(m, (uint64_t)field << 3 | wire);
}

static void put_uint(struct pb *m, uint32_t field, uint64_t v)
{
    put_key(m, field, 0);
    put_varint(m, v);
}

static void put_bytes(struct pb *m, uint32_t field, const void *d, size_t n)
{
    put_key(m, field, 2);
    put_varint(m, n);
    put_raw(m, d, n);
}

static void put_packed(struct pb *m, uint32_t field, const uint64_t *v, size_t n)
{
    struct pb run = { .n = 0 };

    for (size_t i = 0; i < n; i++)
        put_varint(&run, v[i]);
    put_bytes(m, field, run.b, run.n);
}

/* A Label with its four fields (each written, even when 0). */
static void put_label(struct pb *m, int64_t key, int64_t str, int64_t num, int64_t unit)
{
    struct pb l = { .n = 0 };

    put_uint(&l, 1, (uint64_t)key);
    put_uint(&l, 2, (uint64_t)str);
    put_uint(&l, 3, (uint64_t)num);
    put_uint(&l, 4, (uint64_t)unit);
    put_bytes(m, 3, l.b, l.n);
}

/* Two decoders on the same tables and profile: location ids 1, 2, 4 and 7
 * are one frame each (10, 11, 14, 15), id 3 two (12 leaf first, then 13);
 * ids 5 and 6 name no location. Strings 0..9 intern to 100..109; two
 * sample types, one column each. */
enum { NSTR = 10 };

struct side {
    struct sample_dec dec;
    char err[SOURCE_ERR_MAX];
    uint32_t stack[2000];       /* the last stack decoded */
    size_t len;
    int64_t vals[2];
    uint32_t set;
    int r;
};

static struct fx {
    struct profile p;
    uint32_t dense[8], start[7], frames[8], gid[NSTR], col[2], max_nodes;
    struct idmap ids;
    struct sample_tables t;
    struct side fast, ref;
    size_t index;
} fx;

static void fx_tables(uint32_t width, const uint32_t *col)
{
    static const uint32_t frames[] = { 10, 11, 12, 13, 14, 15 };
    /* location index i: frames[start[i] .. start[i+1]) */
    static const uint32_t start[] = { 0, 1, 2, 4, 5, 6 };
    static const uint32_t dense[] = { UINT32_MAX, 0, 1, 2, 3, UINT32_MAX, UINT32_MAX, 4 };

    memcpy(fx.frames, frames, sizeof frames);
    memcpy(fx.start, start, sizeof start);
    memcpy(fx.dense, dense, sizeof dense);
    for (uint32_t i = 0; i < NSTR; i++)
        fx.gid[i] = 100 + i;
    memcpy(fx.col, col, 2 * sizeof *col);
    fx.max_nodes = 1000;
    fx.ids = (struct idmap){ .dense = fx.dense, .dense_len = 8 };
    fx.t = (struct sample_tables){ .loc_ids = &fx.ids, .loc_start = fx.start,
                                   .loc_frames = fx.frames, .nlocs = 5, .gid = fx.gid,
                                   .nstr = NSTR, .col = fx.col, .ntypes = 2, .width = width,
                                   .max_nodes = &fx.max_nodes, .frames_max = 1000 };
}

static void fx_start(void)
{
    static const uint32_t col[] = { 0, 1 };

    fx_tables(2, col);
    profile_init(&fx.p);
    sample_dec_init(&fx.fast.dec, &fx.t, &fx.p, fx.fast.err);
    sample_dec_init(&fx.ref.dec, &fx.t, &fx.p, fx.ref.err);
    fx.index = 0;
}

/* Restarts both decoders on the tables as they are now. */
static void fx_retable(void)
{
    sample_dec_free(&fx.fast.dec);
    sample_dec_free(&fx.ref.dec);
    sample_dec_init(&fx.fast.dec, &fx.t, &fx.p, fx.fast.err);
    sample_dec_init(&fx.ref.dec, &fx.t, &fx.p, fx.ref.err);
}

static void fx_end(void)
{
    sample_dec_free(&fx.fast.dec);
    sample_dec_free(&fx.ref.dec);
    memset(&fx.fast, 0, sizeof fx.fast);
    memset(&fx.ref, 0, sizeof fx.ref);
    profile_free(&fx.p);
}

static void run(struct side *s, const struct pb *m, int ref)
{
    struct sample_out out = { .base = 0, .vals = s->vals, .nframes = 1u << 31, .set = 12345 };

    s->len = 0;
    s->r = (ref ? sample_decode_reference : sample_decode)(&s->dec, m->b, m->n, fx.index, &out);
    if (s->r) {
        if (!ref)       /* nothing reached out */
            ck_assert(out.nframes == 1u << 31 && out.set == 12345);
        return;
    }
    ck_assert_uint_le(out.nframes, sizeof s->stack / sizeof *s->stack);
    memcpy(s->stack, out.frames, out.nframes * sizeof *out.frames);
    s->len = out.nframes;
    s->set = out.set;
}

/* Decodes m as the next sample with both decoders; returns the answer
 * after checking that they agree. The frames are in fx.fast.stack. */
static int decode(const struct pb *m)
{
    fx.index++;
    run(&fx.fast, m, 0);
    run(&fx.ref, m, 1);
    ck_assert_int_eq(fx.fast.r, fx.ref.r);
    if (fx.fast.r == SAMPLE_FAILED)
        ck_assert_str_eq(fx.fast.err, fx.ref.err);
    if (fx.fast.r)
        return fx.fast.r;
    ck_assert_uint_eq(fx.fast.len, fx.ref.len);
    for (size_t i = 0; i < fx.fast.len; i++)
        ck_assert_uint_eq(fx.fast.stack[i], fx.ref.stack[i]);
    for (uint32_t i = 0; i < fx.t.width; i++)
        ck_assert_int_eq(fx.fast.vals[i], fx.ref.vals[i]);
    ck_assert_uint_eq(fx.fast.set, fx.ref.set);
    return 0;
}

static void expect_stack(const uint32_t *want, size_t n)
{
    ck_assert_uint_eq(fx.fast.len, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_uint_eq(fx.fast.stack[i], want[i]);
}

static void expect_error(const struct pb *m, const char *msg)
{
    ck_assert_int_eq(decode(m), SAMPLE_FAILED);
    ck_assert_str_eq(fx.fast.err, msg);
}

static void expect_malformed(const struct pb *m)
{
    char want[64];

    snprintf(want, sizeof want, "sample %zu: malformed message", fx.index + 1);
    expect_error(m, want);
}

/* Location ids leaf first, the values, no labels. */
static void put_ids_values(struct pb *m, const uint64_t *ids, size_t n)
{
    static const uint64_t vals[] = { 5, 7 };

    put_packed(m, 1, ids, n);
    put_packed(m, 2, vals, 2);
}

/* ids 1, 3, 2 leaf first: 10, (12, 13), 11; read root first. */
static const uint64_t ids132[] = { 1, 3, 2 };
static const uint32_t stack132[] = { 11, 13, 12, 10 };

START_TEST(packed_ids_and_values)
{
    struct pb m = { .n = 0 };

    fx_start();
    put_ids_values(&m, ids132, 3);
    ck_assert_int_eq(decode(&m), 0);
    expect_stack(stack132, 4);
    ck_assert_int_eq(fx.fast.vals[0], 5);
    ck_assert_int_eq(fx.fast.vals[1], 7);
    ck_assert_uint_eq(fx.fast.set, 0);
    fx_end();
}
END_TEST

START_TEST(unpacked_and_mixed)
{
    struct pb m = { .n = 0 }, mixed = { .n = 0 };
    static const uint64_t one[] = { 1 }, two_four[] = { 2, 4 };
    /* 1, 3, 2, 4 leaf first: 10, (12, 13), 11, 14 */
    static const uint32_t want[] = { 14, 11, 13, 12, 10 };

    fx_start();
    put_uint(&m, 1, 1);
    put_uint(&m, 2, 5);
    put_uint(&m, 1, 3);
    put_uint(&m, 1, 2);
    put_uint(&m, 2, 7);
    ck_assert_int_eq(decode(&m), 0);
    expect_stack(stack132, 4);
    ck_assert_int_eq(fx.fast.vals[0], 5);
    ck_assert_int_eq(fx.fast.vals[1], 7);

    /* packed and not, in any order, add up in file order */
    put_packed(&mixed, 1, one, 1);
    put_uint(&mixed, 2, 5);
    put_uint(&mixed, 1, 3);
    put_packed(&mixed, 1, two_four, 2);
    put_packed(&mixed, 2, (const uint64_t[]){ 7 }, 1);
    ck_assert_int_eq(decode(&mixed), 0);
    expect_stack(want, 5);
    ck_assert_int_eq(fx.fast.vals[1], 7);
    fx_end();
}
END_TEST

START_TEST(labels_all_fields)
{
    struct pb m = { .n = 0 };
    const struct label *l;
    uint32_t n;

    fx_start();
    put_ids_values(&m, ids132, 3);
    put_label(&m, 3, 0, 42, 4);     /* key 3, num 42, unit 4 */
    put_label(&m, 1, 2, 0, 0);      /* key 1 = string 2 */
    ck_assert_int_eq(decode(&m), 0);
    ck_assert_uint_ne(fx.fast.set, 0);
    l = profile_set_labels(&fx.p, fx.fast.set, &n);
    ck_assert_uint_eq(n, 2);
    /* sorted by key: 101 before 103 */
    ck_assert_uint_eq(l[0].key, 101);
    ck_assert_uint_eq(l[0].str, 102);
    ck_assert_int_eq(l[0].num, 0);
    ck_assert_uint_eq(l[0].unit, 100);
    ck_assert_uint_eq(l[1].key, 103);
    ck_assert_uint_eq(l[1].str, 100);
    ck_assert_int_eq(l[1].num, 42);
    ck_assert_uint_eq(l[1].unit, 104);
    fx_end();
}
END_TEST

/* A label's repeated scalar keeps its last value; unknown fields of every
 * wire type are skipped, in a Label as in the Sample. */
START_TEST(unknown_fields_and_repeats)
{
    struct pb m = { .n = 0 }, l = { .n = 0 };
    static const uint8_t eight[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    const struct label *lab;
    uint32_t n;

    fx_start();
    put_uint(&l, 1, 1);
    put_uint(&l, 9, 77);                /* unknown varint */
    put_bytes(&l, 10, "xyz", 3);        /* unknown length-delimited */
    put_key(&l, 11, 1);                 /* unknown 64-bit */
    put_raw(&l, eight, 8);
    put_key(&l, 12, 5);                 /* unknown 32-bit */
    put_raw(&l, eight, 4);
    put_uint(&l, 1, 5);                 /* key again: the last wins */
    put_uint(&l, 2, 6);

    put_uint(&m, 4, 1);                 /* the Sample's unknown fields */
    put_key(&m, 5, 1);
    put_raw(&m, eight, 8);
    put_bytes(&m, 6, "\x08\x01", 2);
    put_key(&m, 7, 5);
    put_raw(&m, eight, 4);
    put_uint(&m, 1000, 3);              /* a two-byte key */
    put_ids_values(&m, ids132, 3);
    put_bytes(&m, 3, l.b, l.n);
    put_uint(&m, 536870911, 1);         /* the highest field number */
    ck_assert_int_eq(decode(&m), 0);
    expect_stack(stack132, 4);
    lab = profile_set_labels(&fx.p, fx.fast.set, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(lab[0].key, 105);
    ck_assert_uint_eq(lab[0].str, 106);
    fx_end();
}
END_TEST

/* Keys as protobuf-c reads them: up to 5 bytes, not minimal ones too; a
 * later byte may make the field number 0 (an unknown field). */
START_TEST(keys)
{
    struct pb m = { .n = 0 }, six = { .n = 0 }, zero = { .n = 0 }, bare = { .n = 0 };
    static const uint8_t id1_long_key[] = { 0x88, 0x80, 0x80, 0x80, 0x00, 0x01 };
    static const uint8_t id1_six_byte_key[] = { 0x88, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01 };

    fx_start();
    put_raw(&m, id1_long_key, sizeof id1_long_key);    /* field 1 = 1, 5-byte key */
    put_packed(&m, 2, (const uint64_t[]){ 5, 7 }, 2);
    ck_assert_int_eq(decode(&m), 0);
    expect_stack((const uint32_t[]){ 10 }, 1);

    put_raw(&six, id1_six_byte_key, sizeof id1_six_byte_key);
    put_packed(&six, 2, (const uint64_t[]){ 5, 7 }, 2);
    expect_malformed(&six);

    put_raw(&zero, (const uint8_t[]){ 0x80, 0x00, 0x05 }, 3);     /* field 0, varint 5 */
    put_ids_values(&zero, ids132, 3);
    ck_assert_int_eq(decode(&zero), 0);

    put_raw(&bare, (const uint8_t[]){ 0x00, 0x05 }, 2);           /* field 0 in one byte */
    put_ids_values(&bare, ids132, 3);
    expect_malformed(&bare);
    fx_end();
}
END_TEST

START_TEST(truncated_varints)
{
    static const uint8_t tail_varint[] = { 0x08, 0x81 };         /* field 1 = 0x81 ... */
    static const uint8_t tail_key[] = { 0x88 };
    static const uint8_t tail_len[] = { 0x0a, 0x80 };
    /* packed ids whose last byte says more follows: not a whole number of varints */
    static const uint8_t half_packed[] = { 0x0a, 0x03, 0x01, 0x02, 0x83 };
    static const uint8_t half_values[] = { 0x12, 0x02, 0x05, 0x87 };
    const uint8_t *cases[] = { tail_varint, tail_key, tail_len, half_packed, half_values };
    const size_t lens[] = { sizeof tail_varint, sizeof tail_key, sizeof tail_len,
                            sizeof half_packed, sizeof half_values };

    fx_start();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct pb m = { .n = 0 };

        put_ids_values(&m, ids132, 3);
        put_raw(&m, cases[i], lens[i]);
        expect_malformed(&m);
    }
    /* inside a label */
    {
        struct pb m = { .n = 0 };

        put_ids_values(&m, ids132, 3);
        put_bytes(&m, 3, (const uint8_t[]){ 0x08, 0x01, 0x10, 0x82 }, 4);
        expect_malformed(&m);
    }
    fx_end();
}
END_TEST

START_TEST(lengths_past_the_end)
{
    struct pb m = { .n = 0 }, l = { .n = 0 }, big = { .n = 0 };

    fx_start();
    put_ids_values(&m, ids132, 3);
    put_key(&m, 3, 2);
    put_varint(&m, 50);         /* 50 bytes announced, 2 given */
    put_raw(&m, "\x08\x01", 2);
    expect_malformed(&m);

    /* a Label whose inner field runs past the label (not past the sample) */
    put_bytes(&l, 3, (const uint8_t[]){ 0x52, 0x05, 0x01 }, 3);
    put_ids_values(&l, ids132, 3);
    expect_malformed(&l);

    /* a length above INT_MAX, with the bytes there or not */
    put_ids_values(&big, ids132, 3);
    put_raw(&big, (const uint8_t[]){ 0x32, 0xff, 0xff, 0xff, 0xff, 0x0f }, 6);
    expect_malformed(&big);
    fx_end();
}
END_TEST

/* A varint may take 10 bytes (not minimal: this one is 1), not 11. */
START_TEST(varint_lengths)
{
    struct pb ten = { .n = 0 }, eleven = { .n = 0 };
    static const uint8_t one_in_ten[] = { 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 };
    static const uint8_t one_in_eleven[] = { 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                             0x80, 0x00 };

    fx_start();
    put_bytes(&ten, 1, one_in_ten, sizeof one_in_ten);
    put_packed(&ten, 2, (const uint64_t[]){ 5, 7 }, 2);
    ck_assert_int_eq(decode(&ten), 0);
    expect_stack((const uint32_t[]){ 10 }, 1);

    put_bytes(&eleven, 1, one_in_eleven, sizeof one_in_eleven);
    put_packed(&eleven, 2, (const uint64_t[]){ 5, 7 }, 2);
    expect_malformed(&eleven);
    fx_end();
}
END_TEST

START_TEST(wrong_wire_types)
{
    fx_start();
    for (int i = 0; i < 9; i++) {
        struct pb m = { .n = 0 };

        put_ids_values(&m, ids132, 3);
        switch (i) {
        case 0: put_key(&m, 1, 1); put_raw(&m, "12345678", 8); break;     /* ids as 64-bit */
        case 1: put_key(&m, 2, 5); put_raw(&m, "1234", 4); break;         /* values as 32-bit */
        case 2: put_uint(&m, 3, 1); break;                                /* label as varint */
        case 3: put_bytes(&m, 3, "\x0a\x00", 2); break;                   /* label key as bytes */
        case 4: put_bytes(&m, 3, "\x19" "12345678", 9); break;            /* num as 64-bit */
        case 5: put_key(&m, 9, 3); break;                                 /* start group */
        case 6: put_key(&m, 9, 4); break;                                 /* end group */
        case 7: put_key(&m, 9, 6); break;
        default: put_key(&m, 9, 7); break;
        }
        expect_malformed(&m);
    }
    fx_end();
}
END_TEST

START_TEST(zero_length_and_value_counts)
{
    struct pb empty = { .n = 0 }, three = { .n = 0 };

    fx_start();
    expect_error(&empty, "sample 1: 0 values for 2 sample types");
    put_packed(&three, 1, ids132, 3);
    put_packed(&three, 2, (const uint64_t[]){ 1, 2, 3 }, 3);
    expect_error(&three, "sample 2: 3 values for 2 sample types");
    fx_end();
}
END_TEST

/* Malformed first, then the number of values, then the stack (its first
 * failing location), then the labels: whatever order the fields come in. */
START_TEST(error_order)
{
    struct pb a = { .n = 0 }, b = { .n = 0 }, c = { .n = 0 }, d = { .n = 0 }, e = { .n = 0 };
    static const uint64_t missing[] = { 1, 6, 5 };

    fx_start();
    put_packed(&a, 1, missing, 3);
    put_label(&a, 99, 0, 0, 0);
    put_packed(&a, 2, (const uint64_t[]){ 1 }, 1);
    put_raw(&a, (const uint8_t[]){ 0x08 }, 1);     /* then a key with no value */
    expect_malformed(&a);

    put_packed(&b, 1, missing, 3);
    put_label(&b, 99, 0, 0, 0);
    put_packed(&b, 2, (const uint64_t[]){ 1 }, 1);
    expect_error(&b, "sample 2: 1 values for 2 sample types");

    put_label(&c, 99, 0, 0, 0);
    put_ids_values(&c, missing, 3);
    expect_error(&c, "sample 3: location 6 not found");

    put_label(&d, 0, 0, 0, 0);
    put_label(&d, 1, -1, 0, 0);
    put_ids_values(&d, ids132, 3);
    expect_error(&d, "label of sample 4: string index -1 out of range (string table has 10 "
                     "entries)");

    put_ids_values(&e, ids132, 3);
    put_label(&e, 1, 2, 0, 10);
    expect_error(&e, "label of sample 5: string index 10 out of range (string table has 10 "
                     "entries)");
    fx_end();
}
END_TEST

START_TEST(budgets)
{
    struct pb m = { .n = 0 };

    fx_start();
    put_ids_values(&m, ids132, 3);      /* 1, then 3 more frames, then 4 */
    fx.max_nodes = 4;                   /* a stack must stay below 4 */
    ck_assert_int_eq(decode(&m), SAMPLE_OVER_BUDGET);
    fx.max_nodes = 5;
    ck_assert_int_eq(decode(&m), 0);

    /* the frame budget counts every stack: 4 + 4 > 7 */
    fx.t.frames_max = 7;
    fx_retable();
    ck_assert_int_eq(decode(&m), 0);
    expect_error(&m, "sample 4: stacks expand to more than 7 frames (8 per byte of profile "
                     "data)");

    /* both passed by the same location: the trie's cap is said */
    fx.max_nodes = 3;
    fx.t.frames_max = 2;
    fx_retable();
    ck_assert_int_eq(decode(&m), SAMPLE_OVER_BUDGET);
    /* the frame budget passed first */
    fx.max_nodes = 4;
    fx.t.frames_max = 1;
    fx_retable();
    expect_error(&m, "sample 6: stacks expand to more than 1 frames (8 per byte of profile "
                     "data)");
    fx_end();
}
END_TEST

/* The raw-bytes lookup gives the set the full path gives. */
START_TEST(label_bytes_lookup)
{
    struct pb ab = { .n = 0 }, ba = { .n = 0 }, split = { .n = 0 };
    uint32_t set, nsets;

    fx_start();
    put_ids_values(&ab, ids132, 3);
    put_label(&ab, 1, 2, 0, 0);
    put_label(&ab, 3, 4, 0, 0);
    ck_assert_int_eq(decode(&ab), 0);
    set = fx.fast.set;
    nsets = fx.p.nsets;
    ck_assert_int_eq(decode(&ab), 0);   /* the same bytes */
    ck_assert_uint_eq(fx.fast.set, set);
    ck_assert_uint_eq(fx.p.nsets, nsets);

    put_ids_values(&ba, ids132, 3);     /* other bytes, the same set */
    put_label(&ba, 3, 4, 0, 0);
    put_label(&ba, 1, 2, 0, 0);
    ck_assert_int_eq(decode(&ba), 0);
    ck_assert_uint_eq(fx.fast.set, set);

    put_label(&split, 1, 2, 0, 0);      /* labels apart */
    put_ids_values(&split, ids132, 3);
    put_label(&split, 3, 4, 0, 0);
    ck_assert_int_eq(decode(&split), 0);
    ck_assert_uint_eq(fx.fast.set, set);
    ck_assert_int_eq(decode(&split), 0);
    ck_assert_uint_eq(fx.fast.set, set);
    ck_assert_uint_eq(fx.p.nsets, nsets);

    /* an empty Label: key "" */
    {
        struct pb e = { .n = 0 };
        const struct label *l;
        uint32_t n;

        put_ids_values(&e, ids132, 3);
        put_bytes(&e, 3, "", 0);
        ck_assert_int_eq(decode(&e), 0);
        l = profile_set_labels(&fx.p, fx.fast.set, &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_uint_eq(l[0].key, 100);
    }
    fx_end();
}
END_TEST

/* More label combinations than the lookup has entries: each sample still
 * gets its own set (entries are shared and replaced). */
START_TEST(label_bytes_many)
{
    fx_start();
    fx.t.frames_max = 100000;
    fx_retable();
    for (int round = 0; round < 2; round++)
        for (int64_t i = 0; i < 3000; i++) {
            struct pb m = { .n = 0 };
            const struct label *l;
            uint32_t n;

            put_ids_values(&m, ids132, 3);
            put_label(&m, 1, 0, i, 0);
            ck_assert_int_eq(decode(&m), 0);
            l = profile_set_labels(&fx.p, fx.fast.set, &n);
            ck_assert_uint_eq(n, 1);
            ck_assert_int_eq(l[0].num, i);
        }
    ck_assert_uint_eq(fx.p.nsets, 3001);
    fx_end();
}
END_TEST

/* The file's tag (file=NAME) replaces a label of its key and joins every
 * set, the empty one too. */
START_TEST(file_tag)
{
    static const struct label tag = { .key = 101, .str = 109 };    /* strings 1 = 9 */
    struct pb none = { .n = 0 }, own = { .n = 0 }, other = { .n = 0 };
    const struct label *l;
    uint32_t n, tag_only;

    fx_start();
    fx.t.tag = &tag;
    fx_retable();
    put_ids_values(&none, ids132, 3);
    ck_assert_int_eq(decode(&none), 0);
    l = profile_set_labels(&fx.p, tag_only = fx.fast.set, &n);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(l[0].key, 101);
    ck_assert_uint_eq(l[0].str, 109);
    ck_assert_int_eq(decode(&none), 0);
    ck_assert_uint_eq(fx.fast.set, tag_only);

    put_ids_values(&own, ids132, 3);
    put_label(&own, 1, 2, 0, 0);        /* the file's own file=2: replaced */
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(decode(&own), 0);
        ck_assert_uint_eq(fx.fast.set, tag_only);
    }

    put_ids_values(&other, ids132, 3);
    put_label(&other, 3, 4, 0, 0);
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(decode(&other), 0);
        l = profile_set_labels(&fx.p, fx.fast.set, &n);
        ck_assert_uint_eq(n, 2);
        ck_assert_uint_eq(l[0].key, 101);
        ck_assert_uint_eq(l[1].key, 103);
    }
    fx_end();
}
END_TEST

/* Two sample types in one column (a file that repeats a type): the values
 * add up, saturating. */
START_TEST(shared_column_saturates)
{
    static const uint32_t col[] = { 0, 0 };
    struct pb m = { .n = 0 };

    fx_tables(1, col);
    profile_init(&fx.p);
    sample_dec_init(&fx.fast.dec, &fx.t, &fx.p, fx.fast.err);
    sample_dec_init(&fx.ref.dec, &fx.t, &fx.p, fx.ref.err);
    fx.index = 0;
    put_packed(&m, 1, ids132, 3);
    put_packed(&m, 2, (const uint64_t[]){ INT64_MAX, 5 }, 2);
    ck_assert_int_eq(decode(&m), 0);
    ck_assert_int_eq(fx.fast.vals[0], INT64_MAX);
    fx_end();
}
END_TEST

/* Ids too far apart for an array: the hash map path. */
START_TEST(sparse_ids)
{
    struct pb m = { .n = 0 }, miss = { .n = 0 };
    static const uint64_t ids[] = { 3000000000000ull, 7 };

    fx_start();
    memset(&fx.ids, 0, sizeof fx.ids);
    intmap_init(&fx.ids.sparse, 4);
    intmap_put(&fx.ids.sparse, 3000000000000ull, 2);   /* location index 2: 12, 13 */
    intmap_put(&fx.ids.sparse, 7, 0);                  /* index 0: 10 */
    fx_retable();
    put_ids_values(&m, ids, 2);
    ck_assert_int_eq(decode(&m), 0);
    expect_stack((const uint32_t[]){ 10, 13, 12 }, 3);
    put_ids_values(&miss, (const uint64_t[]){ 1 }, 1);
    expect_error(&miss, "sample 2: location 1 not found");
    fx_end();
    intmap_free(&fx.ids.sparse);
}
END_TEST

/* A stack bigger than the decoder's first scratch, and than a batch's
 * first room. */
START_TEST(deep_stack)
{
    struct pb m = { .n = 0 };
    uint64_t ids[1000];

    fx_start();
    for (int i = 0; i < 1000; i++)
        ids[i] = i % 2 ? 3 : 1;
    fx.max_nodes = 2000;
    fx.t.frames_max = 5000;
    fx_retable();
    put_ids_values(&m, ids, 1000);
    ck_assert_int_eq(decode(&m), 0);
    ck_assert_uint_eq(fx.fast.len, 1500);
    /* root first: the last id (3) first, its frames 13 then 12 */
    ck_assert_uint_eq(fx.fast.stack[0], 13);
    ck_assert_uint_eq(fx.fast.stack[1], 12);
    ck_assert_uint_eq(fx.fast.stack[2], 10);
    ck_assert_uint_eq(fx.fast.stack[1499], 10);
    fx_end();
}
END_TEST

static void load_both(const char *path, enum granularity g)
{
    struct profile a, b;
    char ea[SOURCE_ERR_MAX] = "", eb[SOURCE_ERR_MAX] = "", why[128];
    struct load_options o = { .max_size = (size_t)1 << 30, .granularity = g };
    int ra, rb;

    profile_init(&a);
    profile_init(&b);
    ra = source_load_path(&a, path, &o, ea);
    o.reference_decoder = 1;
    rb = source_load_path(&b, path, &o, eb);
    ck_assert_msg(ra == rb && !strcmp(ea, eb), "%s: %d %s / %d %s", path, ra, ea, rb, eb);
    ck_assert_msg(!model_diff(&a, &b, why, sizeof why), "%s: %s", path, why);
    profile_free(&a);
    profile_free(&b);
}

static int is_pprof_name(const char *n)
{
    size_t l = strlen(n);

    return (l > 3 && !strcmp(n + l - 3, ".pb")) || (l > 6 && !strcmp(n + l - 6, ".pb.gz")) ||
           (l > 7 && !strcmp(n + l - 7, ".pb.zst"));
}

/* Every pprof file under dir (and its folders); returns how many. */
static int load_tree(const char *dir, enum granularity g)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d))) {
        char path[1024];
        struct stat st;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        ck_assert_int_eq(stat(path, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            n += load_tree(path, g);
        } else if (is_pprof_name(e->d_name) && !strstr(e->d_name, "bomb")) {
            load_both(path, g);
            n++;
        }
    }
    closedir(d);
    return n;
}

/* The real fixtures (and the broken ones, whose message must match) load
 * into the same model both ways, at two granularities. */
START_TEST(fixtures_same_model)
{
    ck_assert_int_gt(load_tree(TEST_DATA, GRAN_FUNCTIONS), 40);
    ck_assert_int_gt(load_tree(TEST_DATA, GRAN_LINES), 40);
}
END_TEST

/* profile_labelset: any order gives the same sorted set and id, short
 * (insertion sort) or long (qsort), and ids hold while the table grows. */
START_TEST(labelset_interning)
{
    struct profile p;
    struct label l[12], r[12];
    uint32_t ids[3000], n;
    const struct label *got;

    profile_init(&p);
    for (int len = 1; len <= 12; len++) {
        uint32_t a, b;

        for (int i = 0; i < len; i++) {
            /* keys repeat, so the other fields order them too */
            l[i] = (struct label){ .key = (uint32_t)(i % 3), .str = (uint32_t)(len - i),
                                   .num = i, .unit = (uint32_t)i, .spare = 7 };
            r[len - 1 - i] = l[i];
        }
        a = profile_labelset(&p, l, (size_t)len);
        b = profile_labelset(&p, r, (size_t)len);
        ck_assert_uint_eq(a, b);
        got = profile_set_labels(&p, a, &n);
        ck_assert_uint_eq(n, (uint32_t)len);
        for (uint32_t i = 0; i < n; i++) {
            ck_assert_uint_eq(got[i].spare, 0);
            if (i)
                ck_assert(got[i - 1].key < got[i].key ||
                          (got[i - 1].key == got[i].key && got[i - 1].str < got[i].str));
        }
    }
    for (uint32_t i = 0; i < 3000; i++) {
        struct label two[2] = { { .key = 1, .str = i }, { .key = 2, .num = (int64_t)i * 7 } };

        ids[i] = profile_labelset(&p, two, 2);
    }
    for (uint32_t i = 0; i < 3000; i++) {
        struct label two[2] = { { .key = 2, .num = (int64_t)i * 7 }, { .key = 1, .str = i } };

        ck_assert_uint_eq(profile_labelset(&p, two, 2), ids[i]);
    }
    ck_assert_uint_eq(p.nsets, 1 + 12 + 3000);
    profile_free(&p);
}
END_TEST

/* Room for the samples a loader adds, in one step: no run without
 * samples, and the next file's samples get a run of their own shape. */
START_TEST(reserve_samples)
{
    struct profile p;
    struct source a = { .types = 1 }, b = { .types = 3 };
    uint32_t sa, sb;
    const struct sample *before;

    profile_init(&p);
    profile_type(&p, 1, 2);
    profile_type(&p, 3, 4);
    sa = profile_add_source(&p, &a);
    sb = profile_add_source(&p, &b);
    profile_reserve_samples(&p, 0, sa);
    ck_assert_uint_eq(p.nruns, 0);
    profile_reserve_samples(&p, 5000, sa);
    ck_assert_uint_ge(p.samples_cap, 5000);
    before = p.samples;
    for (uint32_t i = 0; i < 5000; i++)
        profile_row(&p, profile_add_sample(&p, i, 0, sa))[0] = i;
    ck_assert_ptr_eq(p.samples, before);        /* no growth on the way */
    profile_reserve_samples(&p, 3, sb);
    for (uint32_t i = 0; i < 3; i++)
        profile_set_value(&p, profile_add_sample(&p, i, 0, sb), 1, 10 + i);
    ck_assert_uint_eq(p.nruns, 2);
    ck_assert_uint_eq(p.nsamples, 5003);
    ck_assert_int_eq(profile_value(&p, 4999, 0), 4999);
    ck_assert_int_eq(profile_value(&p, 4999, 1), 0);
    ck_assert_int_eq(profile_value(&p, 5002, 1), 12);
    profile_free(&p);
}
END_TEST

Suite *pprofdec_suite(void)
{
    Suite *s = suite_create("pprofdec");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, packed_ids_and_values);
    tcase_add_test(tc, unpacked_and_mixed);
    tcase_add_test(tc, labels_all_fields);
    tcase_add_test(tc, unknown_fields_and_repeats);
    tcase_add_test(tc, keys);
    tcase_add_test(tc, truncated_varints);
    tcase_add_test(tc, lengths_past_the_end);
    tcase_add_test(tc, varint_lengths);
    tcase_add_test(tc, wrong_wire_types);
    tcase_add_test(tc, zero_length_and_value_counts);
    tcase_add_test(tc, error_order);
    tcase_add_test(tc, budgets);
    tcase_add_test(tc, label_bytes_lookup);
    tcase_add_test(tc, label_bytes_many);
    tcase_add_test(tc, file_tag);
    tcase_add_test(tc, shared_column_saturates);
    tcase_add_test(tc, sparse_ids);
    tcase_add_test(tc, deep_stack);
    tcase_add_test(tc, fixtures_same_model);
    tcase_add_test(tc, labelset_interning);
    tcase_add_test(tc, reserve_samples);
    suite_add_tcase(s, tc);
    return s;
}
