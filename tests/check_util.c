/* arena, strtab, intmap */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "check_suites.h"
#include "intmap.h"
#include "strtab.h"

START_TEST(arena_aligns_and_keeps_data)
{
    struct arena a;
    char *big, *s[1000];

    arena_init(&a, 1024);
    for (int i = 0; i < 1000; i++) {
        s[i] = arena_alloc(&a, (size_t)(i % 37) + 1);
        ck_assert_uint_eq((uintptr_t)s[i] % 16, 0);
        memset(s[i], i & 0xff, (size_t)(i % 37) + 1);
    }
    big = arena_alloc(&a, 100000);         /* larger than a chunk */
    memset(big, 7, 100000);
    for (int i = 0; i < 1000; i++)
        ck_assert_int_eq((unsigned char)s[i][i % 37], i & 0xff);
    ck_assert_str_eq(arena_strndup(&a, "hello world", 5), "hello");
    arena_reset(&a);
    ck_assert_ptr_nonnull(arena_alloc(&a, 10));
    arena_free(&a);
}
END_TEST

START_TEST(strtab_interns_each_string_once)
{
    struct strtab t;
    char name[32];
    uint32_t ids[5000];

    strtab_init(&t);
    ck_assert_uint_eq(strtab_intern(&t, "", 0), 0);
    for (int i = 0; i < 5000; i++) {       /* forces several rehashes */
        int n = snprintf(name, sizeof name, "fn_%d", i);
        ids[i] = strtab_intern(&t, name, (size_t)n);
    }
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(name, sizeof name, "fn_%d", i);
        ck_assert_uint_eq(strtab_intern(&t, name, (size_t)n), ids[i]);
        ck_assert_str_eq(strtab_str(&t, ids[i]), name);
        ck_assert_uint_eq(strtab_len(&t, ids[i]), (uint32_t)n);
    }
    ck_assert_uint_eq(t.count, 5001);
    ck_assert_uint_eq(strtab_find(&t, "nope", 4), UINT32_MAX);
    strtab_free(&t);
}
END_TEST

START_TEST(strtab_keeps_embedded_nul)
{
    struct strtab t;
    uint32_t a, b;

    strtab_init(&t);
    a = strtab_intern(&t, "a\0b", 3);
    b = strtab_intern(&t, "a\0c", 3);
    ck_assert_uint_ne(a, b);
    ck_assert_uint_eq(strtab_len(&t, a), 3);
    ck_assert_uint_eq(strtab_intern(&t, "a", 1) != a, 1);
    strtab_free(&t);
}
END_TEST

START_TEST(intmap_maps_sparse_keys)
{
    struct intmap m;

    intmap_init(&m, 4);
    for (uint64_t k = 0; k < 10000; k++)
        ck_assert_uint_eq(intmap_put(&m, k * 0x100000001ULL, (uint32_t)k), INTMAP_NONE);
    ck_assert_uint_eq(intmap_put(&m, 5 * 0x100000001ULL, 42), 5);
    for (uint64_t k = 0; k < 10000; k++)
        ck_assert_uint_eq(intmap_get(&m, k * 0x100000001ULL), k == 5 ? 42 : k);
    ck_assert_uint_eq(intmap_get(&m, 3), INTMAP_NONE);
    ck_assert_uint_eq(m.count, 10000);
    intmap_free(&m);
}
END_TEST

Suite *util_suite(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, arena_aligns_and_keeps_data);
    tcase_add_test(tc, strtab_interns_each_string_once);
    tcase_add_test(tc, strtab_keeps_embedded_nul);
    tcase_add_test(tc, intmap_maps_sparse_keys);
    suite_add_tcase(s, tc);
    return s;
}
