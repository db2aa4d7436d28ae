/* The review's findings on fetching (issue 10): credentials scrubbed from
 * others' messages by whole tokens, and overwritten in argv. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>

#include "fetch.h"
#include "loopback.h"
#include "live.h"

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
    /* a password of 4 bytes or more goes inside words too (issue 11) */
    strcpy(s, "Failed for user:s3cret@127.0.0.1 (s3cret; s3crets too)");
    fetch_scrub(s, sizeof s, "user:s3cret");
    ck_assert_str_eq(s, "Failed for ***@127.0.0.1 (***; ***s too)");
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

/* A loopback port that accepts connections (the kernel's backlog) and
 * never answers; its socket into *fd. */
static int silent_port(int *fd)
{
    return loopback_listen(fd, 4);
}

/* --timeout under 1 ms is 1 ms, not none (0 ms was curl's "no limit"):
 * against a server that never answers, the fetch fails at once. Before,
 * it waited forever (the test's 10 s limit ended it). */
START_TEST(timeout_under_a_millisecond)
{
    struct fetch_options o = { .timeout_ns = 500000 };     /* 0.5 ms */
    struct timespec t0, t1;
    char url[64], err[FETCH_ERR_MAX];
    uint8_t *data = NULL;
    size_t len = 0;
    int fd, port = silent_port(&fd);

    snprintf(url, sizeof url, "http://127.0.0.1:%d/x", port);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ck_assert_int_eq(fetch_blocking(url, &o, &data, &len, err, sizeof err), -1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 3);
    ck_assert_ptr_nonnull(strstr(err, "timed out") ? err : strstr(err, "no connection"));
    free(data);
    close(fd);
}
END_TEST

/* ?seconds= without a value: Go's net/http/pprof takes 30 s (its
 * ParseInt fails: sec = 30), so the default timeout is 30 + 15 s, not the
 * 15 s of a URL without seconds=. */
START_TEST(empty_seconds_as_go)
{
    const int64_t s = 1000000000LL;

    ck_assert_int_eq(fetch_default_timeout("http://h:1/debug/pprof/profile?seconds="), 45 * s);
    ck_assert_int_eq(fetch_default_timeout("http://h:1/debug/pprof/profile?seconds=&x=1"), 45 * s);
    ck_assert_int_eq(fetch_default_timeout("http://h:1/debug/pprof/profile?seconds=0"), 45 * s);
    ck_assert_int_eq(fetch_default_timeout("http://h:1/debug/pprof/profile?seconds=2x"), 45 * s);
    ck_assert_int_eq(fetch_default_timeout("http://h:1/debug/pprof/profile?seconds=5"), 20 * s);
    ck_assert_int_eq(fetch_default_timeout("http://h:1/debug/pprof/heap"), 15 * s);
}
END_TEST

/* A loopback port whose accept queue is full: a connect to it hangs (the
 * kernel drops the SYN), nothing leaves the machine. */
static int full_port(int fd[3])
{
    int port = loopback_listen(&fd[0], 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
                             .sin_port = htons((uint16_t)port) };

    for (int i = 1; i < 3; i++) {       /* fill the queue (0 holds one) */
        fd[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        connect(fd[i], (struct sockaddr *)&a, sizeof a);
    }
    return port;
}

/* A --timeout shorter than the connect timeout that fires during the
 * connect is the --timeout's message (it said "no connection within 5 s
 * (--connect-timeout)" after 0.3 s). */
START_TEST(timeout_during_connect)
{
    struct fetch_options o = { .timeout_ns = 300000000 };  /* 0.3 s; connect 5 s */
    char url[64], err[FETCH_ERR_MAX];
    uint8_t *data = NULL;
    size_t len = 0;
    int fd[3], port = full_port(fd);

    snprintf(url, sizeof url, "http://127.0.0.1:%d/x", port);
    ck_assert_int_eq(fetch_blocking(url, &o, &data, &len, err, sizeof err), -1);
    ck_assert_str_eq(err, "timed out after 0.3 s with 0 bytes received (--timeout)");
    for (int i = 0; i < 3; i++)
        close(fd[i]);
}
END_TEST

/* link() as on a file system without hard links (FAT: EPERM) when set:
 * this definition takes the place of libc's in the test binary. */
static int link_fails;

int link(const char *from, const char *to)
{
    if (link_fails) {
        errno = EPERM;
        return -1;
    }
    return linkat(AT_FDCWD, from, AT_FDCWD, to, 0);
}

/* --record without hard links: the answer is renamed into place, never
 * over an existing file (two in the same millisecond: NAME and NAME-2),
 * and no temporary file stays. Before: "cannot write ...: Operation not
 * permitted". */
START_TEST(record_without_hard_links)
{
    char dir[] = "/tmp/ember-nolink-XXXXXX", path[4096], err[4200], cmd[256];
    const uint8_t body[] = "main;f 1\n";
    int n = 0;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    link_fails = 1;
    for (int i = 0; i < 2; i++) {
        int r = record_write(dir, "h:1", 1764627330123000000LL, body, sizeof body - 1, path,
                             sizeof path, err, sizeof err);

        ck_assert_msg(r == 0, "%s", err);
    }
    link_fails = 0;
    ck_assert_ptr_nonnull(strstr(path, "-2.txt"));
    DIR *d = opendir(dir);
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.')
            n++;
        else
            ck_assert_msg(!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."),
                          "left: %s", e->d_name);
    closedir(d);
    ck_assert_int_eq(n, 2);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *fixfetch_suite(void)
{
    Suite *s = suite_create("fixfetch");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, scrub_whole_tokens);
    tcase_add_test(tc, scrub_password_and_decoded);
    tcase_add_test(tc, hide_credentials_in_place);
    tcase_add_test(tc, timeout_under_a_millisecond);
    tcase_add_test(tc, empty_seconds_as_go);
    tcase_add_test(tc, timeout_during_connect);
    tcase_add_test(tc, record_without_hard_links);
    tcase_set_timeout(tc, 10);
    suite_add_tcase(s, tc);
    return s;
}
