#include <stdio.h>
#include <string.h>

#include "check_suites.h"
#include "profile.h"

#define S(p, lit) profile_intern((p), lit, sizeof lit - 1)

START_TEST(label_sets_are_order_insensitive)
{
    struct profile p;
    struct label a[2], b[2], c[1];
    uint32_t sa, sb, sc, n;
    const struct label *l;

    profile_init(&p);
    a[0] = (struct label){ .key = S(&p, "region"), .str = S(&p, "eu") };
    a[1] = (struct label){ .key = S(&p, "bytes"), .num = 512, .unit = S(&p, "bytes") };
    b[0] = a[1];
    b[1] = a[0];
    c[0] = a[0];
    sa = profile_labelset(&p, a, 2);
    sb = profile_labelset(&p, b, 2);
    sc = profile_labelset(&p, c, 1);
    ck_assert_uint_eq(sa, sb);
    ck_assert_uint_ne(sa, sc);
    ck_assert_uint_ne(sa, 0);
    ck_assert_uint_eq(profile_labelset(&p, c, 0), 0);
    l = profile_set_labels(&p, sa, &n);
    ck_assert_uint_eq(n, 2);
    ck_assert(l[0].key == S(&p, "region") || l[1].key == S(&p, "region"));
    profile_free(&p);
}
END_TEST

START_TEST(many_label_sets)
{
    struct profile p;
    char buf[16];
    uint32_t ids[3000];

    profile_init(&p);
    for (int i = 0; i < 3000; i++) {
        struct label l = { .key = S(&p, "pod"),
                           .str = profile_intern(&p, buf, (size_t)snprintf(buf, 16, "pod-%d", i)) };
        ids[i] = profile_labelset(&p, &l, 1);
    }
    for (int i = 0; i < 3000; i++) {
        struct label l = { .key = S(&p, "pod"),
                           .str = profile_intern(&p, buf, (size_t)snprintf(buf, 16, "pod-%d", i)) };
        ck_assert_uint_eq(profile_labelset(&p, &l, 1), ids[i]);
    }
    ck_assert_uint_eq(p.nsets, 3001);
    profile_free(&p);
}
END_TEST

START_TEST(new_type_widens_existing_samples)
{
    struct profile p;
    uint32_t cpu, alloc;
    size_t s0, s1;

    profile_init(&p);
    cpu = profile_type(&p, S(&p, "cpu"), S(&p, "nanoseconds"));
    s0 = profile_add_sample(&p, TRIE_ROOT, 0, 0);
    profile_set_value(&p, s0, cpu, 7);
    alloc = profile_type(&p, S(&p, "alloc_space"), S(&p, "bytes"));
    ck_assert_uint_eq(profile_type(&p, S(&p, "cpu"), S(&p, "nanoseconds")), cpu);
    s1 = profile_add_sample(&p, TRIE_ROOT, 0, 0);
    profile_set_value(&p, s1, alloc, 9);
    ck_assert_int_eq(profile_value(&p, s0, cpu), 7);
    ck_assert_int_eq(profile_value(&p, s0, alloc), 0);
    ck_assert_int_eq(profile_value(&p, s1, cpu), 0);
    ck_assert_int_eq(profile_value(&p, s1, alloc), 9);
    ck_assert_uint_eq(profile_find_type(&p, "alloc_space"), alloc);
    ck_assert_uint_eq(profile_find_type(&p, "cpu/nanoseconds"), cpu);
    ck_assert_uint_eq(profile_find_type(&p, "cpu/bytes"), UINT32_MAX);
    ck_assert_uint_eq(profile_find_type(&p, "cp"), UINT32_MAX);
    profile_free(&p);
}
END_TEST

START_TEST(frames_merge_by_name)
{
    struct profile p;
    uint32_t a, b;

    profile_init(&p);
    a = profile_frame(&p, S(&p, "main.f"), 0, 0);
    b = profile_frame(&p, S(&p, "main.f"), S(&p, "f.go"), 12);
    ck_assert_uint_eq(a, b);
    ck_assert_str_eq(profile_str(&p, p.frames[a].file), "f.go");
    ck_assert_int_eq(p.frames[a].line, 12);
    ck_assert_uint_ne(profile_frame(&p, S(&p, "main.g"), 0, 0), a);
    profile_free(&p);
}
END_TEST

Suite *profile_suite(void)
{
    Suite *s = suite_create("profile");
    TCase *tc = tcase_create("model");

    tcase_add_test(tc, label_sets_are_order_insensitive);
    tcase_add_test(tc, many_label_sets);
    tcase_add_test(tc, new_type_widens_existing_samples);
    tcase_add_test(tc, frames_merge_by_name);
    suite_add_tcase(s, tc);
    return s;
}
