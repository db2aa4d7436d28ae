/* The Pyroscope client (pyro.h): the codec against bytes made by protoc
 * from committed text (tests/data/pyro-txtpb, make.sh there), the error
 * line on real Pyroscope error bodies, garbage and truncated answers, and
 * the client's requests as a one-shot loopback server of the test's own
 * receives them (headers, path prefix, auth, tenant) with each failure's
 * line. The stand-in Pyroscope server's runs are tests/remote.sh. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loopback.h"
#include "check_suites.h"
#include "pyro.h"
#include "selector.h"
#include "text.h"

static uint8_t *txtpb(const char *name, size_t *len)
{
    char path[128];

    snprintf(path, sizeof path, "pyro-txtpb/%s.bin", name);
    return read_fixture(path, len);
}

/* pyro_encode's bytes for q equal protoc's for the text fixture. */
static void encodes_as(const struct pyro_ask *q, const char *fixture)
{
    size_t want_len, len;
    uint8_t *want = txtpb(fixture, &want_len), *body;
    char err[PYRO_ERR_MAX];

    ck_assert_int_eq(pyro_encode(q, &body, &len, err, sizeof err), 0);
    ck_assert_uint_eq(len, want_len);
    ck_assert_mem_eq(body, want, len);
    free(body);
    free(want);
}

START_TEST(encodes_as_protoc_does)
{
    const char *groups[] = { "region", "pod" };
    const char *matchers[] = { "{service_name=\"checkout\"}" };
    struct pyro_ask merge = {
        .method = PYRO_SELECT_MERGE_PROFILE, .start_ms = 1764630000000, .end_ms = 1764633600000,
        .type_id = "process_cpu:cpu:nanoseconds:cpu:nanoseconds",
        .selector = "{service_name=\"checkout\",region=~\"eu-.*\"}",
    };
    struct pyro_ask series = {
        .method = PYRO_SELECT_SERIES, .start_ms = 1764630000000, .end_ms = 1764633600000,
        .type_id = "memory:inuse_space:bytes:space:bytes", .selector = "{}",
        .labels = groups, .nlabels = 2, .step_s = 15, .aggregation = PYRO_AVERAGE,
    };
    struct pyro_ask values = {
        .method = PYRO_LABEL_VALUES, .start_ms = 1764630000000, .end_ms = 1764633600000,
        .name = "region", .matchers = matchers, .nmatchers = 1,
    };

    encodes_as(&merge, "select_merge_profile_req");
    encodes_as(&series, "select_series_req");
    encodes_as(&values, "label_values_req");
}
END_TEST

START_TEST(refuses_requests_without_range_or_type)
{
    struct pyro_ask q = { .method = PYRO_SELECT_MERGE_PROFILE, .start_ms = 1, .end_ms = 2 };
    uint8_t *body;
    size_t len;
    char err[PYRO_ERR_MAX];

    ck_assert_int_eq(pyro_encode(&q, &body, &len, err, sizeof err), -1);
    ck_assert_str_eq(err, "SelectMergeProfile: no profile type");
    q = (struct pyro_ask){ .method = PYRO_LABEL_NAMES };
    ck_assert_int_eq(pyro_encode(&q, &body, &len, err, sizeof err), -1);
    ck_assert_str_eq(err, "LabelNames: a time range is required");
    q = (struct pyro_ask){ .method = PYRO_PROFILE_TYPES };     /* the one without */
    ck_assert_int_eq(pyro_encode(&q, &body, &len, err, sizeof err), 0);
    ck_assert_uint_eq(len, 0);
    free(body);
}
END_TEST

static void decode(enum pyro_method m, const char *fixture, struct pyro_answer *a)
{
    size_t len;
    uint8_t *b = txtpb(fixture, &len);
    char err[PYRO_ERR_MAX] = "";

    ck_assert_msg(pyro_decode(m, b, len, a, err, sizeof err) == 0, "%s: %s", fixture, err);
    ck_assert_int_eq(a->method, m);
    free(b);
}

START_TEST(decodes_profile_types)
{
    struct pyro_answer a;

    decode(PYRO_PROFILE_TYPES, "profile_types", &a);
    ck_assert_uint_eq(a.ntypes, 2);
    ck_assert_str_eq(a.types[0].id, "process_cpu:cpu:nanoseconds:cpu:nanoseconds");
    ck_assert_str_eq(a.types[0].name, "process_cpu");
    ck_assert_str_eq(a.types[0].sample_type, "cpu");
    ck_assert_str_eq(a.types[0].sample_unit, "nanoseconds");
    ck_assert_str_eq(a.types[0].period_type, "cpu");
    ck_assert_str_eq(a.types[0].period_unit, "nanoseconds");
    ck_assert_str_eq(a.types[1].id, "memory:alloc_space:bytes:space:bytes");
    ck_assert_str_eq(a.types[1].sample_type, "alloc_space");
    ck_assert_str_eq(a.types[1].period_type, "space");
    pyro_answer_free(&a);
}
END_TEST

START_TEST(decodes_names_and_values)
{
    struct pyro_answer a;

    decode(PYRO_LABEL_NAMES, "label_names", &a);
    ck_assert_uint_eq(a.nnames, 4);
    ck_assert_str_eq(a.names[0], "__name__");       /* hiding them is the data set's */
    ck_assert_str_eq(a.names[3], "service_name");
    pyro_answer_free(&a);
    decode(PYRO_LABEL_VALUES, "label_values", &a);
    ck_assert_uint_eq(a.nnames, 2);
    ck_assert_str_eq(a.names[0], "cart");
    ck_assert_str_eq(a.names[1], "checkout");
    pyro_answer_free(&a);
}
END_TEST

START_TEST(decodes_series)
{
    struct pyro_answer a;

    decode(PYRO_SERIES, "series", &a);
    ck_assert_uint_eq(a.nseries, 2);
    ck_assert_uint_eq(a.series[0].nlabels, 2);
    ck_assert_str_eq(a.series[0].labels[1].name, "__profile_type__");
    ck_assert_str_eq(a.series[0].labels[1].value, "process_cpu:cpu:nanoseconds:cpu:nanoseconds");
    ck_assert_uint_eq(a.series[1].nlabels, 1);
    ck_assert_str_eq(a.series[1].labels[0].value, "cart");
    ck_assert_uint_eq(a.series[0].npoints, 0);
    pyro_answer_free(&a);
    decode(PYRO_SELECT_SERIES, "select_series", &a);
    ck_assert_uint_eq(a.nseries, 2);
    ck_assert_str_eq(a.series[0].labels[0].value, "eu-north");
    ck_assert_uint_eq(a.series[0].npoints, 2);
    ck_assert(a.series[0].points[0].value == 1.5e9);
    ck_assert_int_eq(a.series[0].points[0].ts_ms, 1764633600000);
    ck_assert(a.series[0].points[1].value == 0.25);
    ck_assert_int_eq(a.series[0].points[1].ts_ms, 1764633615000);
    ck_assert_uint_eq(a.series[1].npoints, 1);
    ck_assert(a.series[1].points[0].value == 3);
    pyro_answer_free(&a);
}
END_TEST

/* SelectMergeProfile's answer is pprof's bytes, kept as they are: a real
 * profile (raw and gzip) passes, text does not. */
START_TEST(merge_profile_is_pprof_bytes)
{
    size_t len;
    uint8_t *raw = read_fixture("go-cpu.pb", &len), *gz;
    struct pyro_answer a;
    char err[PYRO_ERR_MAX];
    const char *html = "<html><body>502 Bad Gateway</body></html>";

    ck_assert_int_eq(pyro_decode(PYRO_SELECT_MERGE_PROFILE, raw, len, &a, err, sizeof err), 0);
    ck_assert_uint_eq(a.profile_len, len);
    ck_assert_mem_eq(a.profile, raw, len);
    pyro_answer_free(&a);
    gz = read_fixture("go-cpu.pb.gz", &len);
    ck_assert_int_eq(pyro_decode(PYRO_SELECT_MERGE_PROFILE, gz, len, &a, err, sizeof err), 0);
    pyro_answer_free(&a);
    ck_assert_int_eq(pyro_decode(PYRO_SELECT_MERGE_PROFILE, (const uint8_t *)html, strlen(html),
                                 &a, err, sizeof err), -1);
    ck_assert_str_eq(err, "the answer to SelectMergeProfile is not a profile (41 bytes of garbage)");
    ck_assert_ptr_null(a.profile);
    free(raw);
    free(gz);
}
END_TEST

/* Garbage and a cut answer fail with one line for every method (an empty
 * answer is a valid empty message: Pyroscope sends one for no names). */
START_TEST(garbage_and_truncated_fail)
{
    static const uint8_t junk[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
    const char *fixture[PYRO_METHODS] = {
        [PYRO_PROFILE_TYPES] = "profile_types", [PYRO_LABEL_NAMES] = "label_names",
        [PYRO_LABEL_VALUES] = "label_values", [PYRO_SERIES] = "series",
        [PYRO_SELECT_MERGE_PROFILE] = "profile_types", [PYRO_SELECT_SERIES] = "select_series",
    };

    for (int m = 0; m < PYRO_METHODS; m++) {
        struct pyro_answer a;
        char err[PYRO_ERR_MAX] = "";
        size_t len;
        uint8_t *b = txtpb(fixture[m], &len);

        ck_assert_int_eq(pyro_decode(m, junk, sizeof junk, &a, err, sizeof err), -1);
        ck_assert_ptr_nonnull(strstr(err, pyro_method_path(m) + 27));   /* its name */
        ck_assert_ptr_null(strchr(err, '\n'));
        /* cut inside a length-delimited field: claims more than is there */
        ck_assert_int_eq(pyro_decode(m, b, len - 3, &a, err, sizeof err), -1);
        pyro_answer_free(&a);
        free(b);
    }
}
END_TEST

static const char *error_line(long status, const char *body)
{
    static char out[PYRO_ERR_MAX];

    pyro_error_line(status, (const uint8_t *)body, strlen(body), NULL, out, sizeof out);
    return out;
}

/* Bodies as Pyroscope sends them (Connect's JSON; QueryTooLongErrorMsg of
 * pkg/validation/validate.go; dskit's "no org id"), Go's 404 page, and a
 * proxy's text. */
START_TEST(error_lines_from_real_bodies)
{
    ck_assert_str_eq(error_line(400, "{\"code\":\"invalid_argument\",\"message\":\"the query time "
                                     "range exceeds the limit (max_query_length, actual: "
                                     "25h0m0s, limit: 1d)\"}"),
                     "400 Bad Request: the query time range exceeds the limit "
                     "(max_query_length, actual: 25h0m0s, limit: 1d)");
    ck_assert_str_eq(error_line(401, "{\"code\":\"unauthenticated\",\"message\":\"no org id\"}"),
                     "the server refused the credentials or the tenant (401 Unauthorized: "
                     "no org id)");
    ck_assert_str_eq(error_line(403, "{\"code\":\"permission_denied\",\"message\":\"denied\","
                                     "\"details\":[]}"),
                     "the server refused the credentials or the tenant (403 Forbidden: denied)");
    ck_assert_str_eq(error_line(404, "404 page not found\n"),
                     "no Pyroscope API at this URL (404): check the URL and its path prefix");
    ck_assert_str_eq(error_line(500, "{\"code\":\"internal\",\"message\":\"rpc error: code = "
                                     "Unavailable desc = no healthy ingester\"}"),
                     "server error (500 Internal Server Error): rpc error: code = Unavailable "
                     "desc = no healthy ingester");
    ck_assert_str_eq(error_line(503, "upstream connect error or disconnect/reset before headers"
                                     "\r\nmore"),
                     "server error (503 Service Unavailable): upstream connect error or "
                     "disconnect/reset before headers");
    ck_assert_str_eq(error_line(400, "{\"code\":\"invalid_argument\"}"),
                     "400 Bad Request: invalid_argument");
    ck_assert_str_eq(error_line(502, ""), "server error (502 Bad Gateway): (no message)");
}
END_TEST

/* The message is decoded (escapes, \u) and then escaped for a terminal; a
 * "message" inside another string is not the key; order does not matter. */
START_TEST(error_line_json_details)
{
    ck_assert_str_eq(error_line(400, "{ \"details\": [\"\\\"message\\\":\\\"no\\\"\"], "
                                     "\"message\" : \"a \\\"quoted\\\" \\u00e9\\n\\u001b[2J\", "
                                     "\"code\": \"invalid_argument\" }"),
                     "400 Bad Request: a \"quoted\" \xc3\xa9\\x0a\\x1b[2J");
    ck_assert_str_eq(error_line(418, "{\"message\":\"teapot\"}"), "418: teapot");
    /* unterminated JSON: the first line as text */
    ck_assert_str_eq(error_line(400, "{\"message\":\"cut"), "400 Bad Request: {\"message\":\"cut");
}
END_TEST

/* ---- the client against a one-shot server of the test's own ---- */

struct fake {
    int lfd;
    pid_t pid;
    char url[96];
    char request[128];          /* where the child writes what it received */
};

/* Reads one HTTP request (headers, then Content-Length bytes) from fd. */
static size_t read_request(int fd, char *buf, size_t cap)
{
    size_t got = 0, want = 0;
    char *end = NULL;

    while (got < cap - 1) {
        ssize_t n = read(fd, buf + got, cap - 1 - got);

        if (n <= 0)
            break;
        got += (size_t)n;
        buf[got] = '\0';
        if (!end && (end = strstr(buf, "\r\n\r\n"))) {
            char *cl = strcasestr(buf, "\ncontent-length:");

            want = (size_t)(end + 4 - buf) + (cl && cl < end ? strtoul(cl + 16, NULL, 10) : 0);
        }
        if (end && got >= want)
            break;
    }
    return got;
}

/* Serves one connection: saves the request into f->request, then answers
 * status with body (hang: answers nothing, until killed). */
static void fake_start(struct fake *f, const char *prefix, int status, const void *body,
                       size_t len, int hang)
{
    int port = loopback_listen(&f->lfd, 4);

    snprintf(f->url, sizeof f->url, "http://127.0.0.1:%d%s", port, prefix);
    snprintf(f->request, sizeof f->request, "/tmp/ember-check-pyro-%d.req", (int)getpid());
    f->pid = fork();
    ck_assert_int_ge(f->pid, 0);
    if (f->pid)
        return;
    alarm(20);                  /* never outlives a broken test */
    int c = accept(f->lfd, NULL, NULL);
    static char req[65536];
    size_t n = read_request(c, req, sizeof req);
    FILE *out = fopen(f->request, "wb");

    fwrite(req, 1, n, out);
    fclose(out);
    if (hang)
        pause();
    dprintf(c, "HTTP/1.1 %d X\r\nContent-Type: application/%s\r\nContent-Length: %zu\r\n"
            "Connection: close\r\n\r\n", status, status >= 400 ? "json" : "proto", len);
    if (write(c, body, len) < 0)
        _exit(1);
    close(c);
    _exit(0);
}

/* What the server received, NUL-terminated (malloc'd). */
static char *fake_end(struct fake *f, size_t *len)
{
    FILE *in;
    char *buf = calloc(1, 65536);

    kill(f->pid, SIGKILL);     /* SIGTERM may have a handler from Check */
    waitpid(f->pid, NULL, 0);
    close(f->lfd);
    in = fopen(f->request, "rb");
    *len = in ? fread(buf, 1, 65535, in) : 0;
    if (in)
        fclose(in);
    unlink(f->request);
    return buf;
}

START_TEST(sends_headers_auth_tenant_prefix)
{
    struct fake f;
    size_t len, blen, got;
    uint8_t *answer = txtpb("label_values", &len), *body;
    const char *matchers[] = { "{service_name=\"checkout\"}" };
    struct pyro_ask q = { .method = PYRO_LABEL_VALUES, .start_ms = 1764630000000,
                          .end_ms = 1764633600000, .name = "region", .matchers = matchers,
                          .nmatchers = 1 };
    struct pyro_answer a;
    char err[PYRO_ERR_MAX], *req;

    fake_start(&f, "/api/datasources/proxy/uid/abc/", 200, answer, len, 0);
    struct pyro_conn c = { .url = f.url, .tenant = "team-a", .username = "alice",
                           .password = "s3cr3t-pw", .token = "tok-not-sent" };

    ck_assert_msg(pyro_call_blocking(&c, &q, &a, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(a.nnames, 2);
    ck_assert_str_eq(a.names[1], "checkout");
    pyro_answer_free(&a);
    req = fake_end(&f, &got);
    /* the prefix kept, its trailing '/' not doubled */
    ck_assert_msg(!strncmp(req, "POST /api/datasources/proxy/uid/abc/querier.v1.QuerierService/"
                                "LabelValues HTTP/1.1\r\n", 77), "%.80s", req);
    ck_assert_ptr_nonnull(strstr(req, "\r\nContent-Type: application/proto\r\n"));
    ck_assert_ptr_nonnull(strstr(req, "\r\nAccept: */*;allow-utf8-labelnames=true\r\n"));
    ck_assert_ptr_nonnull(strstr(req, "\r\nConnect-Protocol-Version: 1\r\n"));
    ck_assert_ptr_nonnull(strstr(req, "\r\nX-Scope-OrgID: team-a\r\n"));
    ck_assert_ptr_nonnull(strstr(req, "\r\nUser-Agent: ember"));
    ck_assert_ptr_nonnull(strcasestr(req, "\r\nAccept-Encoding: ") );
    ck_assert_ptr_nonnull(strstr(strcasestr(req, "\r\nAccept-Encoding: "), "gzip"));
    /* base64 of "alice:s3cr3t-pw" (python3 base64.b64encode): basic wins over the token */
    ck_assert_ptr_nonnull(strstr(req, "\r\nAuthorization: Basic YWxpY2U6czNjcjN0LXB3\r\n"));
    ck_assert_ptr_null(strstr(req, "Bearer"));
    ck_assert_ptr_null(strstr(req, "s3cr3t-pw"));       /* not in the URL either */
    /* the body is the request as protoc encodes it */
    answer = (free(answer), txtpb("label_values_req", &len));
    body = (uint8_t *)strstr(req, "\r\n\r\n") + 4;
    blen = got - (size_t)((char *)body - req);
    ck_assert_uint_eq(blen, len);
    ck_assert_mem_eq(body, answer, len);
    free(answer);
    free(req);
}
END_TEST

START_TEST(sends_a_bearer_token)
{
    struct fake f;
    size_t len, got;
    uint8_t *answer = txtpb("profile_types", &len);
    struct pyro_ask q = { .method = PYRO_PROFILE_TYPES };
    struct pyro_answer a;
    char err[PYRO_ERR_MAX], *req;

    fake_start(&f, "", 200, answer, len, 0);
    struct pyro_conn c = { .url = f.url, .token = "glc_abc.def-123" };

    ck_assert_msg(pyro_call_blocking(&c, &q, &a, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(a.ntypes, 2);
    pyro_answer_free(&a);
    req = fake_end(&f, &got);
    ck_assert_ptr_nonnull(strstr(req, "POST /querier.v1.QuerierService/ProfileTypes HTTP/1.1"));
    ck_assert_ptr_nonnull(strstr(req, "\r\nAuthorization: Bearer glc_abc.def-123\r\n"));
    ck_assert_ptr_null(strstr(req, "X-Scope-OrgID"));
    free(answer);
    free(req);
}
END_TEST

/* The line of one call answered status with body. */
static const char *call_fails(int status, const char *body, int hang, const char *prefix)
{
    static char err[PYRO_ERR_MAX];
    struct fake f;
    struct pyro_ask q = { .method = PYRO_LABEL_NAMES, .start_ms = 1, .end_ms = 2 };
    struct pyro_answer a;
    size_t got;
    struct pyro_conn c = { 0 };

    fake_start(&f, prefix, status, body, strlen(body), hang);
    c = (struct pyro_conn){ .url = f.url, .username = "bob", .password = "hunter2-long",
                            .fetch = { .timeout_ns = 300000000 } };
    ck_assert_int_eq(pyro_call_blocking(&c, &q, &a, err, sizeof err), -1);
    free(fake_end(&f, &got));
    return err;
}

START_TEST(each_failure_is_one_line)
{
    char want[256], port_url[128];

    ck_assert_str_eq(call_fails(401, "{\"code\":\"unauthenticated\",\"message\":\"invalid "
                                     "credentials for hunter2-long\"}", 0, ""),
                     "the server refused the credentials or the tenant (401 Unauthorized: "
                     "invalid credentials for ***)");
    ck_assert_str_eq(call_fails(400, "{\"code\":\"invalid_argument\",\"message\":\"parse error "
                                     "at line 1, col 2\"}", 0, ""),
                     "400 Bad Request: parse error at line 1, col 2");
    ck_assert_str_eq(call_fails(500, "boom", 0, ""), "server error (500 Internal Server Error): "
                                                     "boom");
    ck_assert_str_eq(call_fails(200, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 0, ""),
                     "the answer to LabelNames does not decode as types.v1.LabelNamesResponse "
                     "(11 bytes: garbage or cut short)");
    ck_assert_str_eq(call_fails(200, "", 1, ""),
                     "timed out after 0.3 s with 0 bytes received (--timeout)");
    /* 404 names the URL as given (no credentials) */
    snprintf(port_url, sizeof port_url, "%s", call_fails(404, "404 page not found\n", 0, "/pfx"));
    ck_assert_msg(strstr(port_url, "no Pyroscope API at http://127.0.0.1:") == port_url, "%s",
                  port_url);
    snprintf(want, sizeof want, "/pfx (404): check the URL and its path prefix");
    ck_assert_ptr_nonnull(strstr(port_url, want));
}
END_TEST

/* The truncated answer (a Content-Length longer than what is sent) and a
 * URL that is not http are one line each too. */
START_TEST(truncated_and_bad_url)
{
    struct pyro_api api;
    char err[PYRO_ERR_MAX];
    struct pyro_conn c = { .url = "ftp://user:pw@host/" };
    struct pyro_conn nl = { .url = "http://h/", .tenant = "a\r\nX-Evil: 1" };

    ck_assert_int_eq(pyro_client_new(&c, &api, err, sizeof err), -1);
    ck_assert_str_eq(err, "--url: want http:// or https://, not 'ftp://host/'");
    ck_assert_int_eq(pyro_client_new(&nl, &api, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "control character"));

    int lfd, port = loopback_listen(&lfd, 4);
    char url[64];
    pid_t pid;
    struct pyro_ask q = { .method = PYRO_LABEL_NAMES, .start_ms = 1, .end_ms = 2 };
    struct pyro_answer ans;

    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    if (!(pid = fork())) {
        static char req[65536];
        int fd = accept(lfd, NULL, NULL);

        read_request(fd, req, sizeof req);
        dprintf(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n\x0a\x03" "abc");
        close(fd);
        _exit(0);
    }
    c = (struct pyro_conn){ .url = url };
    ck_assert_int_eq(pyro_call_blocking(&c, &q, &ans, err, sizeof err), -1);
    ck_assert_str_eq(err, "truncated: the connection closed after 5 of 100 bytes");
    waitpid(pid, NULL, 0);
    close(lfd);
}
END_TEST

struct outcome {
    int calls;
    struct pyro_answer *a;
    char err[PYRO_ERR_MAX];
};

static void record_done(void *arg, struct pyro_call *c, struct pyro_answer *a, const char *err)
{
    struct outcome *o = arg;

    (void)c;
    o->calls++;
    o->a = a;
    snprintf(o->err, sizeof o->err, "%s", err ? err : "");
}

/* Two calls run at once on one client: the server holds ProfileTypes and
 * answers LabelValues meanwhile; the held one is then cancelled: its done
 * never comes, nothing runs, and the server sees its connection close. */
START_TEST(calls_run_in_parallel_and_cancel)
{
    int lfd, status, port = loopback_listen(&lfd, 4);
    char url[64], err[PYRO_ERR_MAX];
    size_t len;
    uint8_t *answer = txtpb("label_values", &len);
    pid_t pid;

    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    if (!(pid = fork())) {
        static char req[65536];
        int held = -1;

        alarm(20);
        for (int i = 0; i < 2; i++) {
            int fd = accept(lfd, NULL, NULL);

            read_request(fd, req, sizeof req);
            if (strstr(req, "/ProfileTypes ")) {
                held = fd;
                continue;
            }
            dprintf(fd, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n", len);
            if (write(fd, answer, len) < 0)
                _exit(3);
            close(fd);
        }
        /* the held request's connection: closed by the client's cancel */
        struct pollfd p = { .fd = held, .events = POLLIN };
        _exit(held >= 0 && poll(&p, 1, 10000) == 1 && read(held, req, 1) == 0 ? 0 : 4);
    }
    struct pyro_conn c = { .url = url };
    struct pyro_api api;
    struct outcome held = { 0 }, quick = { 0 };
    struct pyro_ask types = { .method = PYRO_PROFILE_TYPES };
    struct pyro_ask values = { .method = PYRO_LABEL_VALUES, .start_ms = 1, .end_ms = 2,
                               .name = "region" };

    ck_assert_int_eq(pyro_client_new(&c, &api, err, sizeof err), 0);
    struct pyro_call *h = api.start(api.ctx, &types, record_done, &held);

    api.start(api.ctx, &values, record_done, &quick);
    ck_assert_uint_eq(api.running(api.ctx), 2);
    for (int i = 0; i < 1000 && !quick.calls; i++) {      /* at most 10 s */
        struct pollfd p[16];
        int n = api.fds(api.ctx, p, 16);

        poll(p, (nfds_t)n, 10);
        api.step(api.ctx);
    }
    ck_assert_int_eq(quick.calls, 1);
    ck_assert_ptr_nonnull(quick.a);
    ck_assert_uint_eq(quick.a->nnames, 2);
    pyro_answer_free(quick.a);
    free(quick.a);
    ck_assert_uint_eq(api.running(api.ctx), 1);
    ck_assert_str_eq(api.name(api.ctx), url);
    api.cancel(api.ctx, h);
    ck_assert_uint_eq(api.running(api.ctx), 0);
    for (int i = 0; i < 20; i++)
        api.step(api.ctx);
    ck_assert_int_eq(held.calls, 0);
    waitpid(pid, &status, 0);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "server: %d", status);
    api.free(api.ctx);
    close(lfd);
    free(answer);
}
END_TEST

START_TEST(conn_names_without_credentials)
{
    struct pyro_conn c = { .url = "https://123:glc_secret@profiles-prod-001.grafana.net/" };
    char *name = pyro_conn_name(&c);

    ck_assert_str_eq(name, "https://profiles-prod-001.grafana.net");
    free(name);
    c.tenant = "t1";
    name = pyro_conn_name(&c);
    ck_assert_str_eq(name, "https://profiles-prod-001.grafana.net (tenant t1)");
    free(name);
}
END_TEST

/* The type before '{' as a server names it: the whole ID kept, its
 * sample type and unit as the type files are asked for. */
START_TEST(queries_take_type_ids)
{
    struct selector s;
    char err[SELECTOR_ERR_MAX];
    struct sbuf b = { 0 };

    ck_assert_int_eq(selector_parse("memory:alloc_space:bytes:space:bytes{service_name=\"x\", "
                                    "pod=~\"a.*\",}", &s, err), 0);
    ck_assert_str_eq(s.type_id, "memory:alloc_space:bytes:space:bytes");
    ck_assert_str_eq(s.type, "alloc_space/bytes");
    selector_matchers_text(&s, &b);
    ck_assert_str_eq(b.s, "{service_name=\"x\",pod=~\"a.*\"}");
    sbuf_free(&b);
    selector_free(&s);
    ck_assert_int_eq(selector_parse("wall:wall:nanoseconds::{}", &s, err), 0);   /* empty period */
    ck_assert_str_eq(s.type, "wall/nanoseconds");
    selector_free(&s);
    ck_assert_int_eq(selector_parse("alloc_space/bytes", &s, err), 0);
    ck_assert_ptr_null(s.type_id);
    ck_assert_str_eq(s.type, "alloc_space/bytes");
    selector_matchers_text(&s, &b);
    ck_assert_str_eq(b.s, "{}");
    sbuf_free(&b);
    selector_free(&s);
    ck_assert_int_eq(selector_parse("a::c:d:e{}", &s, err), -1);
    ck_assert_str_eq(err, "column 3: a profile type ID names its sample type and unit");
    ck_assert_int_eq(selector_parse("alloc_space/{}", &s, err), -1);
    ck_assert_str_eq(err, "column 13: expected a unit after '/' (alloc_space/bytes)");
}
END_TEST

Suite *pyro_suite(void)
{
    Suite *s = suite_create("pyro");
    TCase *codec = tcase_create("codec"), *client = tcase_create("client");

    tcase_add_test(codec, encodes_as_protoc_does);
    tcase_add_test(codec, refuses_requests_without_range_or_type);
    tcase_add_test(codec, decodes_profile_types);
    tcase_add_test(codec, decodes_names_and_values);
    tcase_add_test(codec, decodes_series);
    tcase_add_test(codec, merge_profile_is_pprof_bytes);
    tcase_add_test(codec, garbage_and_truncated_fail);
    tcase_add_test(codec, error_lines_from_real_bodies);
    tcase_add_test(codec, error_line_json_details);
    tcase_add_test(codec, queries_take_type_ids);
    tcase_add_test(client, sends_headers_auth_tenant_prefix);
    tcase_add_test(client, sends_a_bearer_token);
    tcase_add_test(client, each_failure_is_one_line);
    tcase_add_test(client, truncated_and_bad_url);
    tcase_add_test(client, calls_run_in_parallel_and_cancel);
    tcase_add_test(client, conn_names_without_credentials);
    tcase_set_timeout(client, 30);
    suite_add_tcase(s, codec);
    suite_add_tcase(s, client);
    return s;
}
