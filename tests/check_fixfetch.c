/* The review's findings on fetching (issue 10): credentials scrubbed from
 * others' messages by whole tokens, and overwritten in argv. */
#include <check.h>
#include <string.h>

#include "fetch.h"

/* Only whole tokens go: "a" as a user name leaves "cannot" and "can't" alone. */
START_TEST(scrub_whole_tokens)
{
    char s[256] = "cannot connect to a@127.0.0.1: a is not allowed, aa neither";

    fetch_scrub(s, sizeof s, "a");
    ck_assert_str_eq(s, "cannot connect to ***@127.0.0.1: *** is not allowed, aa neither");
}
END_TEST

/* user:pass, the password alone, and their percent-decoded forms. */
START_TEST(scrub_password_and_decoded)
{
    char s[256] = "URL http://us%40er:p%2Fss@host/ (user us@er, password p/ss or p%2Fss)";

    fetch_scrub(s, sizeof s, "us%40er:p%2Fss");
    ck_assert_str_eq(s, "URL http://***@host/ (user us@er, password *** or ***)");
    strcpy(s, "Failed for user:s3cret@127.0.0.1 (s3cret; s3crets stays)");
    fetch_scrub(s, sizeof s, "user:s3cret");
    ck_assert_str_eq(s, "Failed for ***@127.0.0.1 (***; s3crets stays)");
}
END_TEST

/* The bytes of the argument itself: ps shows them. */
START_TEST(hide_credentials_in_place)
{
    char arg[] = "http://user:s3cret@127.0.0.1:6060/debug/pprof/heap", plain[] = "host:6060";

    fetch_hide_credentials(arg);
    ck_assert_str_eq(arg, "http://***********@127.0.0.1:6060/debug/pprof/heap");
    fetch_hide_credentials(plain);
    ck_assert_str_eq(plain, "host:6060");
}
END_TEST

Suite *fixfetch_suite(void)
{
    Suite *s = suite_create("fixfetch");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, scrub_whole_tokens);
    tcase_add_test(tc, scrub_password_and_decoded);
    tcase_add_test(tc, hide_credentials_in_place);
    suite_add_tcase(s, tc);
    return s;
}
