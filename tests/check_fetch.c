/* URLs (fetch_is_url, fetch_url_for, fetch_source_name, fetch_clean_url),
 * failures that need no server (a refused port, a name under .invalid),
 * record_write's names and atomicity, and --every's durations. The
 * transfers against a real Go server are tests/live.sh. */
#include <arpa/inet.h>
#include <dirent.h>
#include <sched.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_suites.h"
#include "fetch.h"
#include "live.h"
#include "units.h"

static const char *url_for(const char *arg, int seconds)
{
    static char out[512];
    char err[128];

    if (fetch_url_for(arg, seconds, out, sizeof out, err, sizeof err))
        snprintf(out, sizeof out, "error: %s", err);
    return out;
}

START_TEST(host_port_is_the_cpu_endpoint)
{
    /* as go tool pprof host:port reads it */
    ck_assert_str_eq(url_for("localhost:6060", 7),
                     "http://localhost:6060/debug/pprof/profile?seconds=7");
    ck_assert_str_eq(url_for("[::1]:6060", 10), "http://[::1]:6060/debug/pprof/profile?seconds=10");
    ck_assert_str_eq(url_for("host:1/debug/pprof/heap", 7), "http://host:1/debug/pprof/heap");
    ck_assert_str_eq(url_for("host:1/debug/pprof/profile", 3),
                     "http://host:1/debug/pprof/profile?seconds=3");
}
END_TEST

START_TEST(urls_keep_their_seconds)
{
    ck_assert_str_eq(url_for("http://h:1/debug/pprof/profile?seconds=30", 7),
                     "http://h:1/debug/pprof/profile?seconds=30");
    ck_assert_str_eq(url_for("http://h:1/debug/pprof/profile?debug=0", 7),
                     "http://h:1/debug/pprof/profile?debug=0&seconds=7");
    ck_assert_str_eq(url_for("https://h/debug/pprof/profile", 5),
                     "https://h/debug/pprof/profile?seconds=5");
    /* not the CPU endpoint: as given */
    ck_assert_str_eq(url_for("http://h:1/debug/pprof/heap", 7), "http://h:1/debug/pprof/heap");
    ck_assert_str_eq(url_for("http://h/x/profile", 7), "http://h/x/profile");
    ck_assert_str_eq(url_for("http://h/my/debug/pprof/profiles", 7),
                     "http://h/my/debug/pprof/profiles");
    ck_assert_str_eq(url_for("profile.pb.gz", 7),
                     "error: not a URL (http://, https:// or host:port)");
}
END_TEST

START_TEST(what_is_a_url)
{
    ck_assert_int_eq(fetch_is_url("http://x/y"), 1);
    ck_assert_int_eq(fetch_is_url("https://x"), 1);
    ck_assert_int_eq(fetch_is_url("localhost:6060"), 1);
    ck_assert_int_eq(fetch_is_url("10.0.0.1:6060/debug/pprof/heap"), 1);
    ck_assert_int_eq(fetch_is_url("cpu.pb.gz"), 0);
    ck_assert_int_eq(fetch_is_url("-"), 0);
    ck_assert_int_eq(fetch_is_url("dir/a:1"), 0);
    ck_assert_int_eq(fetch_is_url("host:port"), 0);
    ck_assert_int_eq(fetch_is_url("ftp://x/y"), 0);
}
END_TEST

START_TEST(a_file_named_like_host_port_is_a_file)
{
    char dir[] = "/tmp/ember-fetch-XXXXXX", old[4096];

    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_ptr_nonnull(getcwd(old, sizeof old));
    ck_assert_int_eq(chdir(dir), 0);
    ck_assert_int_eq(fetch_is_url("box:6060"), 1);
    close(open("box:6060", O_CREAT | O_WRONLY, 0644));
    ck_assert_int_eq(fetch_is_url("box:6060"), 0);
    unlink("box:6060");
    ck_assert_int_eq(chdir(old), 0);
    rmdir(dir);
}
END_TEST

START_TEST(no_credentials_in_names)
{
    char name[256], *clean;

    fetch_source_name("http://user:s3cret@db-1.example:6060/debug/pprof/heap", name, sizeof name);
    ck_assert_str_eq(name, "db-1.example:6060");
    fetch_source_name("https://example.com/x?y=1", name, sizeof name);
    ck_assert_str_eq(name, "example.com");
    fetch_source_name("http://[::1]:6060/", name, sizeof name);
    ck_assert_str_eq(name, "[::1]:6060");
    clean = fetch_clean_url("http://user:s3cret@h:1/debug/pprof/heap");
    ck_assert_str_eq(clean, "http://h:1/debug/pprof/heap");
    free(clean);
    /* an @ after the host is the path's, not credentials */
    clean = fetch_clean_url("http://h:1/a@b?c=d@e");
    ck_assert_str_eq(clean, "http://h:1/a@b?c=d@e");
    free(clean);
}
END_TEST

START_TEST(refused_and_unresolvable)
{
    char err[FETCH_ERR_MAX];
    uint8_t *data = NULL;
    size_t len;
    struct fetch_options o = { .connect_timeout_ns = 5000000000LL };

    unsetenv("http_proxy");     /* straight to loopback */
    unsetenv("ALL_PROXY");
    unsetenv("all_proxy");

    /* port 1 on loopback: nothing listens (tcpmux is not run anywhere) */
    ck_assert_int_eq(fetch_blocking("http://u:s3cret@127.0.0.1:1/x", &o, &data, &len, err,
                                    sizeof err), -1);
    ck_assert_str_eq(err, "cannot connect to 127.0.0.1:1: Connection refused");
}
END_TEST

/* RFC 6761: .invalid never resolves; resolved in a child with a network
 * namespace of its own (no network at all: the resolver fails locally),
 * so no query leaves the machine. Skipped where that is not allowed. */
START_TEST(unresolvable_without_network)
{
    char err[FETCH_ERR_MAX] = "";
    uint8_t *data = NULL;
    size_t len;
    struct fetch_options o = { .connect_timeout_ns = 5000000000LL };
    int fd[2], status;
    pid_t pid;

    ck_assert_int_eq(pipe(fd), 0);
    if (!(pid = fork())) {
        close(fd[0]);
        if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
            _exit(77);
        fetch_blocking("http://u:s3cret@ember-test.invalid/x", &o, &data, &len, err, sizeof err);
        ssize_t w = write(fd[1], err, strlen(err));
        _exit(w < 0);
    }
    close(fd[1]);
    ssize_t got = read(fd[0], err, sizeof err - 1);
    close(fd[0]);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
        fputs("check_fetch: the DNS failure skipped: no network namespace here\n", stderr);
        return;
    }
    err[got > 0 ? got : 0] = '\0';
    ck_assert_str_eq(err, "cannot resolve the host name (DNS): ember-test.invalid");
    ck_assert_ptr_null(strstr(err, "s3cret"));
}
END_TEST

/* A transfer in flight (connected to a loopback listener of the test's
 * own that never answers) cancels: it stops running and its connection
 * closes (the server side reads end of file). */
START_TEST(a_running_transfer_cancels)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t alen = sizeof a;
    int lfd = socket(AF_INET, SOCK_STREAM, 0), cfd = -1;
    char url[64], byte[512];
    struct fetcher *f = fetcher_new();
    struct fetch *t;

    ck_assert_int_eq(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(lfd, 4), 0);
    ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&a, &alen), 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/x", ntohs(a.sin_port));
    t = fetch_start(f, url, NULL, NULL, NULL);
    for (int i = 0; i < 500 && cfd < 0; i++) {      /* at most 5 s */
        struct pollfd p[9] = { { .fd = lfd, .events = POLLIN } };
        int n = fetcher_fds(f, p + 1, 8);

        fetcher_step(f);
        poll(p, (nfds_t)n + 1, 10);
        if (p[0].revents & POLLIN)
            cfd = accept(lfd, NULL, NULL);
    }
    ck_assert_int_ge(cfd, 0);
    for (int i = 0; i < 20; i++)                    /* the request goes out */
        fetcher_step(f);
    ck_assert_int_eq(fetcher_running(f), 1);
    ck_assert_int_eq(fetch_state(t), FETCH_RUNNING);
    ck_assert_str_eq(fetch_url(t), url);
    fetch_cancel(t);
    ck_assert_int_eq(fetcher_running(f), 0);
    /* the request's bytes, then end of file: the connection is closed */
    struct pollfd p = { .fd = cfd, .events = POLLIN };
    ssize_t got = 1;

    while (got > 0 && poll(&p, 1, 5000) == 1)
        got = read(cfd, byte, sizeof byte);
    ck_assert_int_eq(got, 0);
    fetcher_free(f);
    close(cfd);
    close(lfd);
}
END_TEST

/* The names in dir, sorted, one per line (dot files too). */
static void list_dir(const char *dir, char *out, size_t n)
{
    struct dirent **e;
    int k = scandir(dir, &e, NULL, alphasort);
    size_t at = 0;

    out[0] = '\0';
    for (int i = 0; i < k; i++) {
        if (strcmp(e[i]->d_name, ".") && strcmp(e[i]->d_name, ".."))
            at += (size_t)snprintf(out + at, n - at, "%s\n", e[i]->d_name);
        free(e[i]);
    }
    free(e);
}

static void slurp(const char *path, char *out, size_t n)
{
    FILE *f = fopen(path, "rb");
    size_t got = f ? fread(out, 1, n - 1, f) : 0;

    out[got] = '\0';
    if (f)
        fclose(f);
}

START_TEST(record_names_by_time_and_source)
{
    char dir[] = "/tmp/ember-record-XXXXXX", path[4096], err[512], names[1024], want[4096];
    /* 2025-12-01T22:15:30Z is 1764627330 (date -u -d 2025-12-01T22:15:30Z +%s) */
    int64_t t = 1764627330LL * 1000000000LL + 123456789;
    static const uint8_t gz[] = { 0x1f, 0x8b, 8, 0, 'x' };
    static const uint8_t pb[] = { 0x0a, 0x02, 'a', 'b' };

    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(record_write(dir, "localhost:6060", t, gz, sizeof gz, path, sizeof path, err,
                                  sizeof err), 0);
    snprintf(want, sizeof want, "%s/20251201T221530.123Z-localhost_6060.pb.gz", dir);
    ck_assert_str_eq(path, want);
    /* unsafe characters of a source become '_' */
    ck_assert_int_eq(record_write(dir, "a/b c:[::1]*", t + 1000000000LL, pb, sizeof pb, path,
                                  sizeof path, err, sizeof err), 0);
    snprintf(want, sizeof want, "%s/20251201T221531.123Z-a_b_c____1__.pb", dir);
    ck_assert_str_eq(path, want);
    list_dir(dir, names, sizeof names);
    /* no temporary file is left */
    ck_assert_str_eq(names, "20251201T221530.123Z-localhost_6060.pb.gz\n"
                            "20251201T221531.123Z-a_b_c____1__.pb\n");
    unlink(want);
    snprintf(want, sizeof want, "%s/20251201T221530.123Z-localhost_6060.pb.gz", dir);
    slurp(want, names, sizeof names);
    ck_assert_int_eq(memcmp(names, gz, sizeof gz), 0);
    unlink(want);
    rmdir(dir);
}
END_TEST

START_TEST(record_never_overwrites)
{
    char dir[] = "/tmp/ember-record-XXXXXX", path[4096], err[512], first[4096], got[64];
    int64_t t = 1764627330LL * 1000000000LL;
    static const uint8_t a[] = "a;b 1\n", b[] = "a;c 2\n";

    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(record_write(dir, "h:1", t, a, sizeof a - 1, first, sizeof first, err,
                                  sizeof err), 0);
    ck_assert_int_eq(record_write(dir, "h:1", t, b, sizeof b - 1, path, sizeof path, err,
                                  sizeof err), 0);
    ck_assert_str_ne(path, first);
    ck_assert_ptr_nonnull(strstr(path, "20251201T221530.000Z-h_1-2.txt"));
    slurp(first, got, sizeof got);
    ck_assert_str_eq(got, "a;b 1\n");
    slurp(path, got, sizeof got);
    ck_assert_str_eq(got, "a;c 2\n");
    unlink(first);
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(record_failure_is_one_message)
{
    char path[4096], err[512];
    static const uint8_t a[] = "x";

    ck_assert_int_eq(record_write("/nonexistent-ember-dir", "h:1", 0, a, 1, path, sizeof path, err,
                                  sizeof err), -1);
    ck_assert_str_eq(err, "cannot write into /nonexistent-ember-dir: No such file or directory");
}
END_TEST

START_TEST(durations)
{
    int64_t ns;

    ck_assert_int_eq(units_parse_duration("15s", &ns), 0);
    ck_assert_int_eq(ns, 15000000000LL);
    ck_assert_int_eq(units_parse_duration("1.5m", &ns), 0);
    ck_assert_int_eq(ns, 90000000000LL);
    ck_assert_int_eq(units_parse_duration("500ms", &ns), 0);
    ck_assert_int_eq(ns, 500000000LL);
    ck_assert_int_eq(units_parse_duration("2", &ns), 0);
    ck_assert_int_eq(ns, 2000000000LL);
    ck_assert_int_eq(units_parse_duration("1h", &ns), 0);
    ck_assert_int_eq(ns, 3600000000000LL);
    ck_assert_int_eq(units_parse_duration("", &ns), -1);
    ck_assert_int_eq(units_parse_duration("s", &ns), -1);
    ck_assert_int_eq(units_parse_duration("-1s", &ns), -1);
    ck_assert_int_eq(units_parse_duration("10x", &ns), -1);
    ck_assert_int_eq(units_parse_duration("1.s", &ns), -1);
    ck_assert_int_eq(units_parse_duration("99999999999h", &ns), -1);
}
END_TEST

Suite *fetch_suite(void)
{
    Suite *s = suite_create("fetch");
    TCase *tc = tcase_create("fetch");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, host_port_is_the_cpu_endpoint);
    tcase_add_test(tc, urls_keep_their_seconds);
    tcase_add_test(tc, what_is_a_url);
    tcase_add_test(tc, a_file_named_like_host_port_is_a_file);
    tcase_add_test(tc, no_credentials_in_names);
    tcase_add_test(tc, refused_and_unresolvable);
    tcase_add_test(tc, unresolvable_without_network);
    tcase_add_test(tc, a_running_transfer_cancels);
    tcase_add_test(tc, record_names_by_time_and_source);
    tcase_add_test(tc, record_never_overwrites);
    tcase_add_test(tc, record_failure_is_one_message);
    tcase_add_test(tc, durations);
    suite_add_tcase(s, tc);
    return s;
}
