#include <stdio.h>
#include <locale.h>
#include <time.h>
#include <stdlib.h>

#include "check_suites.h"
#include "xalloc.h"

#define SUITE(name) Suite *name##_suite(void);
#include "suites.inc"
#undef SUITE

uint8_t *read_fixture(const char *name, size_t *len)
{
    char path[512];
    FILE *f;
    uint8_t *buf;
    long n;

    snprintf(path, sizeof path, "%s/%s", TEST_DATA, name);
    f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open fixture %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = xmalloc((size_t)n + 1);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

int64_t expected_top_sum(const char *file)
{
    char path[512], line[4096];
    FILE *in;
    int64_t sum = 0;

    snprintf(path, sizeof path, "%s/expected/%s", TEST_DATA, file);
    ck_assert_ptr_nonnull(in = fopen(path, "r"));
    while (fgets(line, sizeof line, in))
        sum += strtoll(line, NULL, 10);
    fclose(in);
    return sum;
}

int main(void)
{
    Suite *(*suites[])(void) = {
#define SUITE(name) name##_suite,
#include "suites.inc"
#undef SUITE
    };
    SRunner *sr = srunner_create(NULL);
    int failed;

    /* Times on screen are local: fix the zone so tests read the same anywhere. */
    setenv("TZ", "UTC0", 1);
    tzset();
    /* Width tests need a UTF-8 character type, whatever the environment. */
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "en_US.UTF-8");
    for (size_t i = 0; i < sizeof suites / sizeof *suites; i++)
        srunner_add_suite(sr, suites[i]());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
