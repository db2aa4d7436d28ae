/* The review's findings on the Pyroscope client (issue 11): a small
 * hostile answer refused before it costs memory, secrets scrubbed wherever
 * they are (and in base64) and before any cut, pprof's unpacked comments
 * accepted from a server, quoted label names. The runs against the
 * stand-in server are tests/remote.sh. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loopback.h"
#include "check_suites.h"
#include "fetch.h"
#include "profile.h"
#include "pyro.h"
#include "selector.h"
#include "source.h"
#include "text.h"
#include "xalloc.h"

/* n copies of the bytes rec (k of them), malloc'd. */
static uint8_t *repeat(const char *rec, size_t k, size_t n)
{
    uint8_t *b = xmalloc(k * n + 1);

    for (size_t i = 0; i < n; i++)
        memcpy(b + i * k, rec, k);
    return b;
}

static int decodes(enum pyro_method m, const uint8_t *b, size_t len, char *err, size_t n)
{
    struct pyro_answer a;
    int r = pyro_decode(m, b, len, &a, err, n);

    pyro_answer_free(&a);
    return r;
}

/* 1: a million empty ProfileTypes (`0a 00`, 2 bytes each) unpack into about
 * 130 bytes each: refused by the budget (32 x 2 MB), not decoded. */
START_TEST(empty_message_flood_refused)
{
    size_t n = 1 << 20;
    uint8_t *b = repeat("\x0a\x00", 2, n);
    char err[PYRO_ERR_MAX];

    ck_assert_int_eq(decodes(PYRO_PROFILE_TYPES, b, 2 * n, err, sizeof err), -1);
    ck_assert_str_eq(err, "the answer to ProfileTypes would take more than 32 times its 2097152 "
                          "bytes to decode (a hostile or broken answer)");
    /* SelectSeries: a million empty series (`0a 00`) */
    ck_assert_int_eq(decodes(PYRO_SELECT_SERIES, b, 2 * n, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "would take more than 32 times"));
    free(b);
}
END_TEST

/* 1: counts past the ceilings: 4097 types of a 20-byte id (`0a 16 0a 14
 * ...`, field 1 of ProfileTypesResponse holding ProfileType.id), 2^18 + 1
 * label values of one letter (`0a 01 78`), 2^16 + 1 series of one label. */
START_TEST(counts_past_the_ceilings_refused)
{
    char err[PYRO_ERR_MAX];
    uint8_t *b = repeat("\x0a\x16\x0a\x14process_cpu:cpu:nano", 24, 4097);

    ck_assert_int_eq(decodes(PYRO_PROFILE_TYPES, b, 24 * 4096, err, sizeof err), 0);
    ck_assert_int_eq(decodes(PYRO_PROFILE_TYPES, b, 24 * 4097, err, sizeof err), -1);
    ck_assert_str_eq(err, "the answer to ProfileTypes holds too many profile types (more than "
                          "4096, ember's limit)");
    free(b);
    b = repeat("\x0a\x01x", 3, (1 << 18) + 1);
    ck_assert_int_eq(decodes(PYRO_LABEL_VALUES, b, 3 << 18, err, sizeof err), 0);
    ck_assert_int_eq(decodes(PYRO_LABEL_VALUES, b, 3 * ((1 << 18) + 1), err, sizeof err), -1);
    ck_assert_str_eq(err, "the answer to LabelValues holds too many names (more than 262144, "
                          "ember's limit)");
    free(b);
    /* Series: field 2 labels_set, each a Labels of one LabelPair {a, bcd}
     * (`12 0a 0a 08 0a 01 61 12 03 62 63 64`) */
    b = repeat("\x12\x0a\x0a\x08\x0a\x01" "a\x12\x03" "bcd", 12, (1 << 16) + 1);
    ck_assert_int_eq(decodes(PYRO_SERIES, b, 12 << 16, err, sizeof err), 0);
    ck_assert_int_eq(decodes(PYRO_SERIES, b, 12 * ((1 << 16) + 1), err, sizeof err), -1);
    ck_assert_str_eq(err, "the answer to Series holds too many series (more than 65536, "
                          "ember's limit)");
    free(b);
}
END_TEST

/* 2: a password is replaced inside a word too; a short one only whole. */
START_TEST(scrub_everywhere)
{
    char s[256] = "{\"message\":\"bad password hunter2-long.\"} (xhunter2-longx)";

    fetch_scrub(s, sizeof s, ":hunter2-long");
    ck_assert_str_eq(s, "{\"message\":\"bad password ***.\"} (x***x)");
    strcpy(s, "pw abc, abcd, xabc");
    fetch_scrub(s, sizeof s, "u:abc");
    ck_assert_str_eq(s, "pw ***, abcd, xabc");
    /* the user name alone is no secret: a URL's userinfo without a
     * password goes as a whole token only */
    strcpy(s, "user alice refused");
    fetch_scrub(s, sizeof s, "alice:s3cr3t-Pa55");
    ck_assert_str_eq(s, "user alice refused");
    strcpy(s, "alice@host: malice");
    fetch_scrub(s, sizeof s, "alice");
    ck_assert_str_eq(s, "***@host: malice");
}
END_TEST

/* 2: an echoed Authorization header: base64 of user:password (printf
 * 'user:hunter2' | base64 gives dXNlcjpodW50ZXIy), and a token's and a
 * password's own base64 (printf hunter2-long-secret | base64:
 * aHVudGVyMi1sb25nLXNlY3JldA==). */
START_TEST(scrub_base64)
{
    char s[256] = "got Authorization: Basic dXNlcjpodW50ZXIy";

    fetch_scrub(s, sizeof s, "user:hunter2");
    ck_assert_str_eq(s, "got Authorization: Basic ***");
    strcpy(s, "token aHVudGVyMi1sb25nLXNlY3JldA== refused");
    fetch_scrub(s, sizeof s, ":hunter2-long-secret");
    ck_assert_str_eq(s, "token ***== refused");
}
END_TEST

/* 3: a secret straddling the cut (the JSON message's 400 bytes, a plain
 * first line's 160): scrubbed whole, so not even its head shows. */
START_TEST(scrub_before_the_cut)
{
    const char *secrets[] = { ":hunter2-long-secret", NULL };
    struct sbuf body = { 0 };
    char out[PYRO_ERR_MAX];

    sbuf_add(&body, "{\"message\":\"", 12);
    for (int i = 0; i < 390; i++)
        sbuf_addc(&body, 'm');
    sbuf_add(&body, " hunter2-long-secret\"}", 22);
    pyro_error_line(400, (const uint8_t *)body.s, body.len, secrets, out, sizeof out);
    ck_assert_ptr_null(strstr(out, "hunt"));
    ck_assert_ptr_nonnull(strstr(out, "mmm ***"));
    sbuf_free(&body);
    for (int i = 0; i < 150; i++)
        sbuf_addc(&body, 't');
    sbuf_add(&body, " hunter2-long-secret more\n", 26);
    pyro_error_line(502, (const uint8_t *)body.s, body.len, secrets, out, sizeof out);
    ck_assert_ptr_null(strstr(out, "hunt"));
    ck_assert_ptr_nonnull(strstr(out, "ttt ***"));
    sbuf_free(&body);
}
END_TEST

/* A one-shot loopback HTTP server of the test's own: answers the first
 * request with resp (len bytes), then exits. */
static pid_t serve_once(const char *resp, size_t len, int *port)
{
    int lfd;
    pid_t pid;

    *port = loopback_listen(&lfd, 4);
    if (!(pid = fork())) {
        char req[8192];
        struct pollfd p = { .fd = lfd, .events = POLLIN };
        int cfd = poll(&p, 1, 10000) == 1 ? accept(lfd, NULL, NULL) : -1;
        ssize_t got = 0;

        if (cfd < 0)
            _exit(1);
        /* the request's headers (and a short body) in a few reads */
        for (int i = 0; i < 4 && !memmem(req, (size_t)(got > 0 ? got : 0), "\r\n\r\n", 4); i++) {
            ssize_t k = read(cfd, req + got, sizeof req - (size_t)got);

            if (k <= 0)
                break;
            got += k;
        }
        for (size_t off = 0; off < len;) {
            ssize_t w = write(cfd, resp + off, len - off);

            if (w <= 0)
                break;
            off += (size_t)w;
        }
        shutdown(cfd, SHUT_WR);
        while (read(cfd, req, sizeof req) > 0)
            ;
        _exit(0);
    }
    close(lfd);
    return pid;
}

/* 3, fetch.c's first_line: a 401 page's first line with the URL's
 * password straddling its 160-byte cut. */
START_TEST(fetch_page_scrubbed_before_the_cut)
{
    struct sbuf r = { 0 };
    char url[128], err[FETCH_ERR_MAX];
    uint8_t *data = NULL;
    size_t len;
    int port, status;
    pid_t pid;

    const char *head = "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\n"
                       "Connection: close\r\n\r\n";

    sbuf_add(&r, head, strlen(head));
    for (int i = 0; i < 150; i++)
        sbuf_addc(&r, 'p');
    sbuf_add(&r, " hunter2-long-secret\n", 21);
    pid = serve_once(r.s, r.len, &port);
    snprintf(url, sizeof url, "http://bob:hunter2-long-secret@127.0.0.1:%d/debug/pprof/heap", port);
    ck_assert_int_eq(fetch_blocking(url, NULL, &data, &len, err, sizeof err), -1);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_ptr_nonnull(strstr(err, "HTTP 401: ppp"));
    ck_assert_ptr_null(strstr(err, "hunt"));
    sbuf_free(&r);
}
END_TEST

/* 1: a ProfileTypes answer over the list methods' 4 MiB is refused as it
 * arrives, whatever --max-size (1 GiB by default) says. */
START_TEST(list_answers_have_a_small_limit)
{
    size_t body = (size_t)5 << 20;
    struct sbuf r = { 0 };
    char head[160], url[64], err[PYRO_ERR_MAX];
    struct pyro_answer a;
    struct pyro_ask q = { .method = PYRO_PROFILE_TYPES, .start_ms = 1, .end_ms = 2 };
    struct pyro_conn c = { .url = url };
    int port, status;
    pid_t pid;
    uint8_t *flood = repeat("\x0a\x00", 2, body / 2);

    snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: application/proto\r\n"
             "Content-Length: %zu\r\nConnection: close\r\n\r\n", body);
    sbuf_add(&r, head, strlen(head));
    sbuf_add(&r, (const char *)flood, body);
    free(flood);
    pid = serve_once(r.s, r.len, &port);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    ck_assert_int_eq(pyro_call_blocking(&c, &q, &a, err, sizeof err), -1);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_str_eq(err, "the answer exceeds the limit of 4 MiB (ember's limit for a "
                          "ProfileTypes, LabelNames or LabelValues answer)");
    sbuf_free(&r);
}
END_TEST

/* 4: google/pprof writes a comment (field 13) unpacked, as a varint
 * (`68 00`: field 13, wire type 0, value 0): the loader takes such a file,
 * and so does the server's answer. */
START_TEST(unpacked_comment_from_a_server)
{
    size_t len;
    uint8_t *raw = read_fixture("go-cpu.pb", &len), *b = xmalloc(len + 4);
    struct pyro_answer a;
    char err[PYRO_ERR_MAX];
    struct profile p;
    struct load_options o = { 0 };

    profile_init(&p);
    memcpy(b, raw, len);
    memcpy(b + len, "\x68\x00\x78\x01", 4);    /* and doc_url (15) as a varint */
    ck_assert_int_eq(source_load_buffer(&p, "go-cpu.pb", b, len + 4, &o, err), 0);
    ck_assert_int_eq(pyro_decode(PYRO_SELECT_MERGE_PROFILE, b, len + 4, &a, err, sizeof err), 0);
    ck_assert_uint_eq(a.profile_len, len + 4);
    pyro_answer_free(&a);
    /* a message field as a varint is still garbage (sample_type, 1) */
    memcpy(b + len, "\x08\x00", 2);
    ck_assert_int_eq(pyro_decode(PYRO_SELECT_MERGE_PROFILE, b, len + 2, &a, err, sizeof err), -1);
    pyro_answer_free(&a);
    profile_free(&p);
    free(raw);
    free(b);
}
END_TEST

/* 5: names that are not legacy Prometheus names go quoted to the server,
 * and ember's parser reads a quoted name back. */
START_TEST(quoted_label_names)
{
    struct selector s;
    char err[SELECTOR_ERR_MAX];
    struct sbuf b = { 0 };

    ck_assert_int_eq(selector_parse("{service.name=\"checkout\",k8s-pod=~\"a.*\",region=\"eu\"}",
                                    &s, err), 0);
    selector_matchers_text(&s, &b);
    ck_assert_str_eq(b.s, "{\"service.name\"=\"checkout\",\"k8s-pod\"=~\"a.*\",region=\"eu\"}");
    selector_free(&s);
    ck_assert_int_eq(selector_parse(b.s, &s, err), 0);
    ck_assert_uint_eq(s.n, 3);
    ck_assert_str_eq(s.m[0].name, "service.name");
    ck_assert_str_eq(s.m[1].name, "k8s-pod");
    sbuf_free(&b);
    selector_free(&s);
    ck_assert_int_eq(selector_parse("{\"a b\\\"c\" = \"x\"}", &s, err), 0);
    ck_assert_str_eq(s.m[0].name, "a b\"c");
    selector_matchers_text(&s, &b);
    ck_assert_str_eq(b.s, "{\"a b\\\"c\"=\"x\"}");
    sbuf_free(&b);
    selector_free(&s);
    ck_assert_int_eq(selector_parse("{\"\"=\"x\"}", &s, err), -1);
    ck_assert_str_eq(err, "column 2: an empty label name");
    ck_assert_int_eq(selector_parse("{\"abc=\"x\"}", &s, err), -1);
}
END_TEST

Suite *pyrofix_suite(void)
{
    Suite *s = suite_create("pyrofix");
    TCase *t = tcase_create("core");

    tcase_set_timeout(t, 30);
    tcase_add_test(t, empty_message_flood_refused);
    tcase_add_test(t, counts_past_the_ceilings_refused);
    tcase_add_test(t, scrub_everywhere);
    tcase_add_test(t, scrub_base64);
    tcase_add_test(t, scrub_before_the_cut);
    tcase_add_test(t, fetch_page_scrubbed_before_the_cut);
    tcase_add_test(t, list_answers_have_a_small_limit);
    tcase_add_test(t, unpacked_comment_from_a_server);
    tcase_add_test(t, quoted_label_names);
    suite_add_tcase(s, t);
    return s;
}
