/* HTTP(S) transfers on libcurl's multi interface, driven from the
 * caller's poll loop through the socket and timer callbacks (Debian 12's
 * libcurl 7.88 has no curl_multi_waitfds). Every failure becomes one line
 * that names no credentials. */
#include "fetch.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "text.h"
#include "xalloc.h"

#define DEFAULT_CONNECT_NS (5 * 1000000000LL)
#define DEFAULT_REDIRECTS 5
/* Beyond a CPU profile's seconds=, how long its answer may take. */
#define TIMEOUT_MARGIN_S 15

struct watch {
    curl_socket_t fd;
    short events;
};

struct fetcher {
    CURLM *multi;
    struct watch *w;
    int nw, cap;
    int64_t deadline;           /* CLOCK_MONOTONIC ns; INT64_MAX: none */
    struct fetch *list;         /* running transfers */
    unsigned running;
};

struct fetch {
    struct fetcher *f;
    CURL *easy;
    char *url;                  /* without credentials */
    char *userinfo;             /* "user:pass" cut from the URL (or the request's
                                 * secrets as ":secret"), to scrub; may be NULL */
    char *userinfo2;            /* a second one (a request's token beside a URL's) */
    struct curl_slist *headers;
    long status;                /* the HTTP status once ended */
    void (*done)(void *ctx, struct fetch *t);
    void *ctx;
    enum fetch_state state;
    uint8_t *body;
    size_t len, cap, max_size;
    int too_big, redirects;
    const char *size_hint;      /* the options', borrowed (a static text) */
    int page_cut;               /* an error page's end was not read */
    int64_t connect_ns, timeout_ns, started, ended;
    char err[FETCH_ERR_MAX];
    char curl_err[CURL_ERROR_SIZE];
    struct fetch *next;
};

static int64_t clock_ns(clockid_t c)
{
    struct timespec ts;

    clock_gettime(c, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---- URLs ---- */

/* Where the authority (host[:port], after any user:pass@) of url starts
 * and ends; the scheme's "//" is required. */
static int authority(const char *url, const char **start, const char **end)
{
    const char *s = strstr(url, "://");

    if (!s)
        return -1;
    s += 3;
    *start = s;
    *end = s + strcspn(s, "/?#");
    return 0;
}

/* url without user:pass@, malloc'd; the userinfo into *userinfo (or NULL). */
static char *strip_credentials(const char *url, char **userinfo)
{
    const char *a, *e, *at;
    char *out;

    *userinfo = NULL;
    if (authority(url, &a, &e))
        return xstrdup(url);
    at = NULL;
    for (const char *c = a; c < e; c++)
        if (*c == '@')
            at = c;
    if (!at)
        return xstrdup(url);
    *userinfo = xmalloc((size_t)(at - a) + 1);
    memcpy(*userinfo, a, (size_t)(at - a));
    (*userinfo)[at - a] = '\0';
    out = xmalloc(strlen(url) + 1);
    memcpy(out, url, (size_t)(a - url));
    strcpy(out + (a - url), at + 1);
    return out;
}

char *fetch_clean_url(const char *url)
{
    char *userinfo, *clean = strip_credentials(url, &userinfo);

    free(userinfo);
    return clean;
}

void fetch_hide_credentials(char *arg)
{
    const char *a, *e, *at = NULL;

    if (authority(arg, &a, &e))
        return;
    for (const char *c = a; c < e; c++)
        if (*c == '@')
            at = c;
    if (at)
        memset(arg + (a - arg), '*', (size_t)(at - a));
}

static int token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("._~%-", c));
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
           c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* s percent-decoded, malloc'd. */
static char *percent_decode(const char *s)
{
    char *out = xmalloc(strlen(s) + 1), *o = out;

    for (; *s; s++) {
        int h, l;

        if (*s == '%' && (h = hex_digit(s[1])) >= 0 && (l = hex_digit(s[2])) >= 0) {
            *o++ = (char)(h * 16 + l);
            s += 2;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/* A secret this short is replaced only where it is a whole token, so that
 * a one-letter password does not blank every "a" of a message; a longer
 * one is replaced wherever it occurs, inside a word too ("hunter2-long."
 * holds "hunter2"), since a secret that leaks a head or a tail leaks. The
 * userinfo as a whole (which may be a user name alone, no secret) goes
 * only as a whole token: the password in it goes by the first rule. */
#define SCRUB_WHOLE_BELOW 4

/* Replaces the hits of secret (n bytes) in b: every one, or only whole
 * tokens when the secret is short or not a secret by itself. */
static void scrub_one(struct sbuf *b, const char *secret, size_t n, int everywhere)
{
    struct sbuf o = { 0 };
    const char *c, *end, *hit;
    int changed = 0;

    if (!n || !b->len)
        return;
    c = b->s;
    end = b->s + b->len;
    while ((hit = memmem(c, (size_t)(end - c), secret, n))) {
        int whole = (hit == b->s || !token_char(hit[-1])) && (hit + n == end || !token_char(hit[n]));

        sbuf_add(&o, c, (size_t)(hit - c));
        if ((everywhere && n >= SCRUB_WHOLE_BELOW) || whole) {
            sbuf_add(&o, "***", 3);
            changed = 1;
        } else {
            sbuf_add(&o, hit, n);
        }
        c = hit + n;
    }
    if (!changed) {
        sbuf_free(&o);
        return;
    }
    sbuf_add(&o, c, (size_t)(end - c));
    memset(b->s, 0, b->len);
    sbuf_free(b);
    *b = o;
}

/* s in base64 (RFC 4648, what an Authorization: Basic header carries)
 * without its '=' padding, malloc'd. */
static char *base64(const char *s)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(s), k = 0;
    char *out = xmalloc(n / 3 * 4 + 5);
    const unsigned char *u = (const unsigned char *)s;

    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)u[i] << 16 | (i + 1 < n ? (uint32_t)u[i + 1] << 8 : 0) |
                     (i + 2 < n ? u[i + 2] : 0);
        size_t chars = i + 2 < n ? 4 : i + 1 < n ? 3 : 2;

        for (size_t j = 0; j < chars; j++)
            out[k++] = abc[v >> (18 - 6 * j) & 63];
    }
    out[k] = '\0';
    return out;
}

void fetch_scrub_text(struct sbuf *b, const char *userinfo)
{
    char *secret[6];
    int everywhere[6] = { 0, 0, 1, 1, 1, 1 };
    const char *colon;
    int ns = 0;

    if (!userinfo || !*userinfo)
        return;
    colon = strchr(userinfo, ':');
    /* the whole userinfo and the longer forms before the password in them */
    secret[ns++] = xstrdup(userinfo);
    secret[ns++] = percent_decode(userinfo);
    if (colon) {
        /* Authorization: Basic base64(user:password), and the secret's own */
        secret[ns++] = base64(colon == userinfo ? userinfo + 1 : secret[1]);
        if (colon > userinfo && strchr(secret[1], ':'))
            secret[ns++] = base64(strchr(secret[1], ':') + 1);
        secret[ns] = xstrdup(colon + 1);
        secret[ns + 1] = percent_decode(secret[ns]);
        ns += 2;
    }
    for (int i = 0; i < ns; i++) {
        scrub_one(b, secret[i], strlen(secret[i]), everywhere[i]);
        memset(secret[i], 0, strlen(secret[i]));
        free(secret[i]);
    }
}

void fetch_scrub(char *s, size_t size, const char *userinfo)
{
    struct sbuf b = { 0 };

    if (!userinfo || !*userinfo || !size)
        return;
    sbuf_add(&b, s, strlen(s));
    fetch_scrub_text(&b, userinfo);
    snprintf(s, size, "%.*s", (int)b.len, b.s ? b.s : "");
    if (b.s)
        memset(b.s, 0, b.len);
    sbuf_free(&b);
}

static int has_scheme(const char *arg)
{
    return !strncmp(arg, "http://", 7) || !strncmp(arg, "https://", 8);
}

/* host:port[/path] as go tool pprof takes it: a host name, an IPv4
 * address or a bracketed IPv6 one, a colon, digits. */
static int host_port(const char *arg)
{
    const char *c = arg;

    if (*c == '[') {
        c = strchr(c, ']');
        if (!c || c[1] != ':')
            return 0;
        c++;
    } else {
        if (!isalnum((unsigned char)*c))
            return 0;
        while (isalnum((unsigned char)*c) || *c == '.' || *c == '-' || *c == '_')
            c++;
        if (*c != ':')
            return 0;
    }
    c++;
    if (!isdigit((unsigned char)*c))
        return 0;
    while (isdigit((unsigned char)*c))
        c++;
    return !*c || *c == '/';
}

int fetch_is_url(const char *arg)
{
    struct stat st;

    if (has_scheme(arg))
        return 1;
    /* a file that happens to be named like host:port stays a file */
    return host_port(arg) && stat(arg, &st) != 0;
}

/* The seconds a Go endpoint takes for url's seconds=, or -1 without one:
 * as net/http/pprof reads it, a value that is empty, not a whole number
 * or not positive means 30. */
static long query_seconds(const char *url)
{
    const char *q = strchr(url, '?');

    for (const char *s = q; s; s = strchr(s + 1, '&'))
        if (!strncmp(s + 1, "seconds=", 8)) {
            char *end;
            long v = strtol(s + 9, &end, 10);

            return end > s + 9 && (!*end || *end == '&' || *end == '#') && v > 0 ? v : 30;
        }
    return -1;
}

/* Whether url's path is Go's CPU profile endpoint. */
static int cpu_endpoint(const char *url)
{
    const char *a, *e;
    size_t n;

    if (authority(url, &a, &e))
        return 0;
    n = strcspn(e, "?#");
    return n >= 20 && !strncmp(e + n - 20, "/debug/pprof/profile", 20) &&
           (n == 20 || e[n - 21] != '/');
}

int fetch_url_for(const char *arg, int seconds, char *out, size_t n, char *err, size_t errsize)
{
    int len;

    if (has_scheme(arg))
        len = snprintf(out, n, "%s", arg);
    else if (host_port(arg) && !strchr(arg, '/'))
        len = snprintf(out, n, "http://%s/debug/pprof/profile", arg);
    else if (host_port(arg))
        len = snprintf(out, n, "http://%s", arg);
    else {
        snprintf(err, errsize, "not a URL (http://, https:// or host:port)");
        return -1;
    }
    if (len >= 0 && (size_t)len < n && cpu_endpoint(out) && query_seconds(out) < 0 &&
        !strchr(out, '#'))
        len += snprintf(out + len, n - (size_t)len, "%sseconds=%d", strchr(out, '?') ? "&" : "?",
                        seconds);
    if (len < 0 || (size_t)len >= n) {
        snprintf(err, errsize, "URL too long");
        return -1;
    }
    return 0;
}

void fetch_source_name(const char *url, char *out, size_t n)
{
    const char *a, *e, *at;

    if (!n)
        return;
    if (authority(url, &a, &e)) {
        snprintf(out, n, "%s", url);
        return;
    }
    for (at = a; at < e; at++)
        if (*at == '@')
            a = at + 1;
    snprintf(out, n, "%.*s", (int)(e - a), a);
}

/* ---- the fetcher ---- */

static int sock_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *sockp)
{
    struct fetcher *f = userp;
    int i;

    (void)easy;
    (void)sockp;
    for (i = 0; i < f->nw && f->w[i].fd != fd; i++)
        ;
    if (what == CURL_POLL_REMOVE) {
        if (i < f->nw)
            f->w[i] = f->w[--f->nw];
        return 0;
    }
    if (i == f->nw) {
        if (f->nw == f->cap) {
            f->cap = f->cap ? f->cap * 2 : 8;
            f->w = xreallocarray(f->w, (size_t)f->cap, sizeof *f->w);
        }
        f->nw++;
    }
    f->w[i].fd = fd;
    f->w[i].events = (short)((what & CURL_POLL_IN ? POLLIN : 0) |
                             (what & CURL_POLL_OUT ? POLLOUT : 0));
    return 0;
}

static int timer_cb(CURLM *multi, long ms, void *userp)
{
    struct fetcher *f = userp;

    (void)multi;
    f->deadline = ms < 0 ? INT64_MAX : clock_ns(CLOCK_MONOTONIC) + (int64_t)ms * 1000000;
    return 0;
}

struct fetcher *fetcher_new(void)
{
    struct fetcher *f = xcalloc(1, sizeof *f);
    static int inited;

    if (!inited) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        inited = 1;
    }
    f->multi = curl_multi_init();
    if (!f->multi)
        fatal("libcurl: cannot start (out of memory)");
    f->deadline = INT64_MAX;
    curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
    curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
    curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
    curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
    return f;
}

static void unlink_fetch(struct fetch *t)
{
    struct fetcher *f = t->f;

    if (!f)
        return;
    for (struct fetch **pp = &f->list; *pp; pp = &(*pp)->next)
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    if (t->easy) {
        curl_multi_remove_handle(f->multi, t->easy);
        curl_easy_cleanup(t->easy);
        t->easy = NULL;
    }
    if (t->state == FETCH_RUNNING)
        f->running--;
    t->f = NULL;
}

void fetch_free(struct fetch *t)
{
    if (!t)
        return;
    unlink_fetch(t);
    free(t->body);
    free(t->url);
    free(t->userinfo);
    free(t->userinfo2);
    curl_slist_free_all(t->headers);
    free(t);
}

void fetch_cancel(struct fetch *t)
{
    fetch_free(t);
}

void fetcher_free(struct fetcher *f)
{
    if (!f)
        return;
    /* running transfers stop; their structs are the caller's to free */
    while (f->list) {
        struct fetch *t = f->list;

        unlink_fetch(t);
        t->state = FETCH_FAILED;
        snprintf(t->err, sizeof t->err, "cancelled");
        free(t->body);
        t->body = NULL;
        t->len = t->cap = 0;
    }
    curl_multi_cleanup(f->multi);
    free(f->w);
    free(f);
}

/* "1 MiB", "512 KiB", "100 bytes": the limit as a user set it. */
static void size_text(size_t v, char *buf, size_t n)
{
    if (v >= (1 << 20) && !(v & ((1 << 20) - 1)))
        snprintf(buf, n, "%zu MiB", v >> 20);
    else if (v >= 1024 && !(v & 1023))
        snprintf(buf, n, "%zu KiB", v >> 10);
    else
        snprintf(buf, n, "%zu bytes", v);
}

/* Bodies over the limit fail as they arrive: returning short aborts. */
/* Of an error page (4xx, 5xx) only the first line shows: a few KiB are
 * kept, then the transfer stops (not --max-size per transfer). */
#define ERROR_PAGE_MAX 4096

static size_t write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
    struct fetch *t = userp;
    size_t n = size * nmemb;
    long code = 0;

    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
    if (code >= 400 && t->len + n > ERROR_PAGE_MAX) {
        n = ERROR_PAGE_MAX - t->len;
        t->page_cut = 1;
    }

    if (t->max_size && (n > t->max_size || t->len > t->max_size - n)) {
        t->too_big = 1;
        return 0;
    }
    if (t->len + n > t->cap) {
        t->cap = t->cap ? t->cap : 1 << 16;
        while (t->cap < t->len + n)
            t->cap *= 2;
        if (t->max_size && t->cap > t->max_size)
            t->cap = t->max_size;
        t->body = xreallocarray(t->body, t->cap, 1);
    }
    memcpy(t->body + t->len, data, n);
    t->len += n;
    return t->page_cut ? 0 : n;
}

int64_t fetch_default_timeout(const char *url)
{
    long s = query_seconds(url);

    return ((s > 0 && s < 86400 ? s : 0) + TIMEOUT_MARGIN_S) * 1000000000LL;
}

/* "user:secret" (basic auth, so that its base64 form is known too) or
 * ":secret" (a token) for fetch_scrub, or NULL. */
static char *secret_of(const char *user, const char *secret)
{
    struct sbuf b = { 0 };

    if (!secret || !*secret)
        return NULL;
    sbuf_add(&b, user ? user : "", user ? strlen(user) : 0);
    sbuf_addc(&b, ':');
    sbuf_add(&b, secret, strlen(secret));
    return b.s;
}

/* Scrubs every secret t knows from s. */
static void scrub(const struct fetch *t, char *s, size_t size)
{
    fetch_scrub(s, size, t->userinfo);
    fetch_scrub(s, size, t->userinfo2);
}

/* The request's body, headers and credentials onto t's handle. */
static void apply_request(struct fetch *t, const struct fetch_request *r)
{
    CURL *e = t->easy;
    char *secret = NULL;

    if (r->body) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->len);
        curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, r->len ? (const char *)r->body : "");
    }
    for (int i = 0; i < r->nheaders; i++)
        t->headers = curl_slist_append(t->headers, r->headers[i]);
    if (r->username && *r->username) {
        curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(e, CURLOPT_USERNAME, r->username);
        curl_easy_setopt(e, CURLOPT_PASSWORD, r->password ? r->password : "");
        secret = secret_of(r->username, r->password);
    } else if (r->bearer && *r->bearer) {
        struct sbuf b = { 0 };

        sbuf_add(&b, "Authorization: Bearer ", 22);
        sbuf_add(&b, r->bearer, strlen(r->bearer));
        t->headers = curl_slist_append(t->headers, b.s);
        memset(b.s, 0, b.len);
        sbuf_free(&b);
        secret = secret_of(NULL, r->bearer);
    }
    if (!t->userinfo)
        t->userinfo = secret;
    else
        t->userinfo2 = secret;
    /* redirects keep the request: credentials go to the same host only
     * (libcurl's default for CURLOPT_USERNAME; headers follow, so stay) */
    curl_easy_setopt(e, CURLOPT_POSTREDIR, (long)CURL_REDIR_POST_ALL);
    if (t->headers)
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
}

struct fetch *fetch_start(struct fetcher *f, const char *url, const struct fetch_options *o,
                          void (*done)(void *ctx, struct fetch *t), void *ctx)
{
    return fetch_start_request(f, url, o, NULL, done, ctx);
}

struct fetch *fetch_start_request(struct fetcher *f, const char *url, const struct fetch_options *o,
                                  const struct fetch_request *r,
                                  void (*done)(void *ctx, struct fetch *t), void *ctx)
{
    struct fetch *t = xcalloc(1, sizeof *t);
    CURL *e = curl_easy_init();
    struct fetch_options none = { 0 };

    if (!o)
        o = &none;
    if (!e)
        fatal("libcurl: cannot start a transfer (out of memory)");
    t->f = f;
    t->easy = e;
    t->url = strip_credentials(url, &t->userinfo);
    t->done = done;
    t->ctx = ctx;
    t->max_size = o->max_size;
    t->size_hint = o->size_hint;
    t->redirects = o->max_redirects ? (o->max_redirects < 0 ? 0 : o->max_redirects)
                                    : DEFAULT_REDIRECTS;
    t->connect_ns = o->connect_timeout_ns ? o->connect_timeout_ns : DEFAULT_CONNECT_NS;
    t->timeout_ns = o->timeout_ns ? o->timeout_ns : fetch_default_timeout(url);
    t->started = clock_ns(CLOCK_REALTIME);
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)t->redirects);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    /* rounded up: 0 ms would mean no limit (curl's 300 s connect default) */
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)((t->connect_ns + 999999) / 1000000));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)((t->timeout_ns + 999999) / 1000000));
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->curl_err);
    curl_easy_setopt(e, CURLOPT_PRIVATE, t);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "ember");
    if (t->max_size)
        curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)t->max_size);
    if (r)
        apply_request(t, r);
    t->next = f->list;
    f->list = t;
    f->running++;
    curl_multi_add_handle(f->multi, e);
    return t;
}

/* ---- why a transfer failed ---- */

/* The message, escaped, into t->err. Messages are built from the URL
 * without credentials (t->url); the texts of others that may hold them
 * (curl's error buffer, an error page's line) are scrubbed first. */
static void say(struct fetch *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct fetch *t, const char *fmt, ...)
{
    char raw[FETCH_ERR_MAX];
    struct sbuf b = { 0 };
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    text_escape(&b, raw, strlen(raw), TEXT_ESCAPE_DISPLAY);
    snprintf(t->err, sizeof t->err, "%s", b.s ? b.s : "");
    sbuf_free(&b);
}

static double seconds_of(int64_t ns)
{
    return (double)ns / 1e9;
}

/* The first line of an error page, cut short: it is untrusted text (say
 * escapes it). Scrubbed whole before the cut, which could otherwise keep
 * the head of a secret that straddles it. */
static void first_line(const struct fetch *t, char *out, size_t n)
{
    struct sbuf b = { 0 };
    size_t len = t->body ? t->len : 0, i;

    for (i = 0; i < len && t->body[i] != '\n' && t->body[i] != '\r'; i++)
        ;
    if (i)
        sbuf_add(&b, (const char *)t->body, i);
    fetch_scrub_text(&b, t->userinfo); /* a server may echo the request */
    fetch_scrub_text(&b, t->userinfo2);
    snprintf(out, n, "%.*s", (int)(b.len > 160 ? 160 : b.len), b.s ? b.s : "");
    sbuf_free(&b);
}

static void http_failure(struct fetch *t, long code)
{
    char line[200];

    first_line(t, line, sizeof line);
    if (*line)
        say(t, "HTTP %ld: %s", code, line);
    else
        say(t, "HTTP %ld (empty answer)", code);
}

static void curl_failure(struct fetch *t, CURLcode rc)
{
    char lim[32], host[256];
    long os_errno = 0;
    curl_off_t got = 0, want = -1;
    double connect = 0;

    fetch_source_name(t->url, host, sizeof host);
    scrub(t, t->curl_err, sizeof t->curl_err);
    curl_easy_getinfo(t->easy, CURLINFO_OS_ERRNO, &os_errno);
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        say(t, "cannot resolve the host name (DNS): %s", host);
        break;
    case CURLE_COULDNT_CONNECT:
        say(t, "cannot connect to %s: %s", host,
            os_errno ? strerror((int)os_errno) : "connection refused");
        break;
    case CURLE_OPERATION_TIMEDOUT:
        curl_easy_getinfo(t->easy, CURLINFO_CONNECT_TIME, &connect);
        /* not connected yet: which limit fired is the shorter one */
        if (connect <= 0 && t->connect_ns <= t->timeout_ns)
            say(t, "no connection to %s within %.3g s (--connect-timeout)", host,
                seconds_of(t->connect_ns));
        else
            say(t, "timed out after %.3g s with %zu bytes received (--timeout)",
                seconds_of(t->timeout_ns), t->len);
        break;
    case CURLE_TOO_MANY_REDIRECTS:
        say(t, "more than %d redirects (a redirect loop?)", t->redirects);
        break;
    case CURLE_PARTIAL_FILE:
        curl_easy_getinfo(t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &want);
        curl_easy_getinfo(t->easy, CURLINFO_SIZE_DOWNLOAD_T, &got);
        if (want > 0)
            say(t, "truncated: the connection closed after %lld of %lld bytes",
                (long long)got, (long long)want);
        else
            say(t, "truncated: the connection closed after %lld bytes", (long long)got);
        break;
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_WRITE_ERROR:
        size_text(t->max_size, lim, sizeof lim);
        if (rc == CURLE_FILESIZE_EXCEEDED || t->too_big)
            say(t, "the answer exceeds the limit of %s %s", lim,
                t->size_hint ? t->size_hint : "(--max-size raises it)");
        else
            say(t, "%s", curl_easy_strerror(rc));
        break;
    case CURLE_GOT_NOTHING:
        say(t, "the server closed the connection without an answer");
        break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        say(t, "TLS: %s", *t->curl_err ? t->curl_err : curl_easy_strerror(rc));
        break;
    case CURLE_BAD_CONTENT_ENCODING:
        say(t, "the answer's content encoding is broken: %s",
            *t->curl_err ? t->curl_err : curl_easy_strerror(rc));
        break;
    default:
        say(t, "%s", *t->curl_err ? t->curl_err : curl_easy_strerror(rc));
        break;
    }
}

static void finish(struct fetch *t, CURLcode rc)
{
    long code = 0;

    t->ended = clock_ns(CLOCK_REALTIME);
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
    if (rc != CURLE_OK && !(t->page_cut && code >= 400))
        curl_failure(t, rc);
    else if (code >= 400)
        http_failure(t, code);
    else if (code >= 300)
        say(t, "HTTP %ld: a redirect without a Location", code);
    t->state = rc == CURLE_OK && code < 300 ? FETCH_DONE : FETCH_FAILED;
    t->status = code;
    /* an error page stays for fetch_error_body (at most ERROR_PAGE_MAX) */
    if (t->state == FETCH_FAILED && !(code >= 400 && (rc == CURLE_OK || t->page_cut))) {
        free(t->body);
        t->body = NULL;
        t->len = t->cap = 0;
    }
    curl_multi_remove_handle(t->f->multi, t->easy);
    curl_easy_cleanup(t->easy);
    t->easy = NULL;
}

/* ---- the loop ---- */

int fetcher_fds(struct fetcher *f, struct pollfd *out, int max)
{
    int n = 0;

    for (int i = 0; i < f->nw && n < max; i++)
        out[n++] = (struct pollfd){ .fd = f->w[i].fd, .events = f->w[i].events };
    return n;
}

int64_t fetcher_deadline(struct fetcher *f)
{
    return f->deadline;
}

unsigned fetcher_running(const struct fetcher *f)
{
    return f->running;
}

/* Takes each finished transfer off the list, then calls its callback (it
 * may free the transfer or start new ones). */
static void collect(struct fetcher *f)
{
    CURLMsg *m;
    int left;

    while ((m = curl_multi_info_read(f->multi, &left))) {
        struct fetch *t = NULL;

        if (m->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        CURLcode rc = m->data.result;

        for (struct fetch **pp = &f->list; *pp; pp = &(*pp)->next)
            if (*pp == t) {
                *pp = t->next;
                break;
            }
        f->running--;
        finish(t, rc);
        t->f = NULL;
        if (t->done)
            t->done(t->ctx, t);
    }
}

void fetcher_step(struct fetcher *f)
{
    int n = f->nw, still;
    struct pollfd *p;

    if (n) {
        p = xcalloc((size_t)n, sizeof *p);
        n = fetcher_fds(f, p, n);
        if (poll(p, (nfds_t)n, 0) > 0)
            for (int i = 0; i < n; i++) {
                int ev = (p[i].revents & (POLLIN | POLLHUP | POLLERR) ? CURL_CSELECT_IN : 0) |
                         (p[i].revents & POLLOUT ? CURL_CSELECT_OUT : 0) |
                         (p[i].revents & (POLLERR | POLLNVAL) ? CURL_CSELECT_ERR : 0);

                if (ev)
                    curl_multi_socket_action(f->multi, p[i].fd, ev, &still);
            }
        free(p);
    }
    if (f->deadline != INT64_MAX && clock_ns(CLOCK_MONOTONIC) >= f->deadline) {
        f->deadline = INT64_MAX;
        curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &still);
    }
    collect(f);
}

/* ---- what a transfer holds ---- */

enum fetch_state fetch_state(const struct fetch *t)
{
    return t->state;
}

const uint8_t *fetch_body(const struct fetch *t, size_t *len)
{
    *len = t->state == FETCH_DONE ? t->len : 0;
    return t->state == FETCH_DONE ? (t->body ? t->body : (const uint8_t *)"") : NULL;
}

uint8_t *fetch_take_body(struct fetch *t, size_t *len)
{
    uint8_t *b = t->state == FETCH_DONE ? t->body : NULL;

    *len = b ? t->len : 0;
    if (t->state == FETCH_DONE && !b)
        b = xcalloc(1, 1);
    t->body = NULL;
    t->len = t->cap = 0;
    return b;
}

long fetch_status(const struct fetch *t)
{
    return t->status;
}

const uint8_t *fetch_error_body(const struct fetch *t, size_t *len)
{
    int page = t->state == FETCH_FAILED && t->status >= 400;

    *len = page ? t->len : 0;
    return page ? (t->body ? t->body : (const uint8_t *)"") : NULL;
}

const char *fetch_error(const struct fetch *t)
{
    return t->state == FETCH_FAILED ? t->err : "";
}

const char *fetch_url(const struct fetch *t)
{
    return t->url;
}

int64_t fetch_started(const struct fetch *t)
{
    return t->started;
}

int64_t fetch_ended(const struct fetch *t)
{
    return t->ended;
}

/* ---- batch mode ---- */

static void blocking_done(void *ctx, struct fetch *t)
{
    (void)t;
    *(int *)ctx = 1;
}

/* Waits on f until *flag is set (or nothing runs). */
static void wait_until(struct fetcher *f, const int *flag)
{
    struct pollfd p[64];

    while (!*flag && f->running) {
        int n = fetcher_fds(f, p, 64);
        int64_t d = fetcher_deadline(f), now = clock_ns(CLOCK_MONOTONIC);
        int ms = d == INT64_MAX ? 1000 : d <= now ? 0 : (int)((d - now) / 1000000 + 1);

        if (ms > 1000)
            ms = 1000;
        if (poll(p, (nfds_t)n, ms) < 0 && errno != EINTR)
            break;
        fetcher_step(f);
    }
}

int fetch_blocking(const char *url, const struct fetch_options *o, uint8_t **data, size_t *len,
                   char *err, size_t errsize)
{
    struct fetcher *f = fetcher_new();
    int ended = 0, r;
    struct fetch *t = fetch_start(f, url, o, blocking_done, &ended);

    fetcher_step(f);            /* the first socket_action starts the transfer */
    wait_until(f, &ended);
    if (!ended) {
        snprintf(err, errsize, "interrupted");
        r = -1;
    } else if (fetch_state(t) == FETCH_DONE) {
        *data = fetch_take_body(t, len);
        r = 0;
    } else {
        snprintf(err, errsize, "%s", fetch_error(t));
        r = -1;
    }
    fetch_free(t);
    fetcher_free(f);
    return r;
}
