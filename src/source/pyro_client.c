/* The Pyroscope client over HTTP: each call one POST through the fetcher
 * (fetch.h), several at once on the caller's poll loop, decoded by the
 * codec (pyro_codec.c). Messages name the server by its URL without
 * credentials; a secret the server echoes is scrubbed. */
#include "pyro.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text.h"
#include "xalloc.h"

#define PYRO_USER_AGENT "User-Agent: ember (Pyroscope client)"
/* The whole call, when --timeout is not given: a merge over an hour of a
 * busy service may take seconds; the fetcher's 15 s is for profiles. */
#define PYRO_DEFAULT_TIMEOUT_NS (30 * 1000000000LL)
#define PYRO_DEFAULT_MAX_SIZE ((size_t)1 << 30)
/* The answers but SelectMergeProfile's (which the model's loader reads
 * within its own budget, and --max-size bounds) are lists of names and
 * series: a few MiB hold more than any view shows, and a hostile answer
 * is refused before it costs memory (pyro_decode bounds the rest). */
#define PYRO_LIST_MAX_SIZE ((size_t)4 << 20)
#define PYRO_SERIES_MAX_SIZE ((size_t)8 << 20)

struct client {
    char *base;                 /* the URL as given, no trailing '/' */
    char *clean;                /* the same without user:password@ */
    char *name;                 /* clean, and " (tenant T)" */
    char *username, *password, *token;
    char *tenant_header;        /* "X-Scope-OrgID: T", or NULL */
    /* what to scrub from a server's text (fetch_scrub's forms): the URL's
     * user:pass, username:password, ":token"; NULL-terminated */
    char *secrets[4];
    struct fetch_options fo;
    struct fetcher *f;
    struct pyro_call *calls;
    unsigned running;
};

struct pyro_call {
    struct client *c;
    struct fetch *t;
    enum pyro_method m;
    pyro_done_fn done;
    void *arg;
    struct pyro_call *next;
};

static char *dup_opt(const char *s)
{
    return s && *s ? xstrdup(s) : NULL;
}

/* Frees a secret after wiping it. */
static void free_secret(char *s)
{
    if (s) {
        memset(s, 0, strlen(s));
        free(s);
    }
}

static void unlink_call(struct pyro_call *k)
{
    for (struct pyro_call **pp = &k->c->calls; *pp; pp = &(*pp)->next)
        if (*pp == k) {
            *pp = k->next;
            k->c->running--;
            return;
        }
}

/* Removes whatever secret of c's an untrusted text holds. */
static void scrub_secrets(const struct client *c, char *s, size_t n)
{
    for (int i = 0; c->secrets[i]; i++)
        fetch_scrub(s, n, c->secrets[i]);
}

/* "user:pass" of url's authority (malloc'd), or NULL. */
static char *url_userinfo(const char *url)
{
    const char *a = strstr(url, "://"), *e, *at = NULL;
    char *u;

    if (!a)
        return NULL;
    a += 3;
    e = a + strcspn(a, "/?#");
    for (const char *p = a; p < e; p++)
        if (*p == '@')
            at = p;
    if (!at || at == a)
        return NULL;
    u = xmalloc((size_t)(at - a) + 1);
    memcpy(u, a, (size_t)(at - a));
    u[at - a] = '\0';
    return u;
}

/* c->secrets from the connection's credentials. */
static void collect_secrets(struct client *c)
{
    struct sbuf b = { 0 };
    int n = 0;

    if ((c->secrets[n] = url_userinfo(c->base)))
        n++;
    if (c->password) {
        sbuf_add(&b, c->username ? c->username : "", c->username ? strlen(c->username) : 0);
        sbuf_addc(&b, ':');
        sbuf_add(&b, c->password, strlen(c->password));
        c->secrets[n++] = b.s;
    }
    if (c->token) {
        c->secrets[n] = xmalloc(strlen(c->token) + 2);
        c->secrets[n][0] = ':';
        strcpy(c->secrets[n++] + 1, c->token);
    }
}

/* Why a failed transfer failed, as one line. */
static void failure_line(const struct client *c, struct fetch *t, char *err, size_t n)
{
    size_t len;
    const uint8_t *page = fetch_error_body(t, &len);
    long status = fetch_status(t);

    if (status == 404)
        snprintf(err, n, "no Pyroscope API at %s (404): check the URL and its path prefix",
                 c->clean);
    else if (page)
        pyro_error_line(status, page, len, (const char *const *)c->secrets, err, n);
    else
        snprintf(err, n, "%s", fetch_error(t));
    scrub_secrets(c, err, n);
}

static void call_done(void *ctx, struct fetch *t)
{
    struct pyro_call *k = ctx;
    struct client *c = k->c;
    char err[PYRO_ERR_MAX] = "";
    struct pyro_answer *a = NULL;

    unlink_call(k);
    if (fetch_state(t) != FETCH_DONE) {
        failure_line(c, t, err, sizeof err);
    } else {
        size_t len;
        const uint8_t *body = fetch_body(t, &len);

        a = xcalloc(1, sizeof *a);
        if (pyro_decode(k->m, body, len, a, err, sizeof err)) {
            pyro_answer_free(a);
            free(a);
            a = NULL;
        }
    }
    fetch_free(t);
    k->done(k->arg, k, a, a ? NULL : err);
    free(k);
}

/* The request's headers; tenant's when set. */
static int headers(const struct client *c, const char **h)
{
    int n = 0;

    h[n++] = "Content-Type: application/proto";
    h[n++] = "Accept: */*;allow-utf8-labelnames=true";
    h[n++] = "Connect-Protocol-Version: 1";
    h[n++] = PYRO_USER_AGENT;
    if (c->tenant_header)
        h[n++] = c->tenant_header;
    return n;
}

/* The size limit of method m's answer in o: --max-size for a profile,
 * the smaller of it and PYRO_*_MAX_SIZE for the others. */
static void limit_answer(enum pyro_method m, struct fetch_options *o)
{
    size_t max = m == PYRO_SERIES || m == PYRO_SELECT_SERIES ? PYRO_SERIES_MAX_SIZE
                                                             : PYRO_LIST_MAX_SIZE;

    if (m == PYRO_SELECT_MERGE_PROFILE || (o->max_size && o->max_size <= max))
        return;
    o->max_size = max;
    o->size_hint = m == PYRO_SERIES || m == PYRO_SELECT_SERIES
                       ? "(ember's limit for a Series or SelectSeries answer)"
                       : "(ember's limit for a ProfileTypes, LabelNames or LabelValues answer)";
}

static struct pyro_call *client_start(void *ctx, const struct pyro_ask *q, pyro_done_fn done,
                                      void *arg)
{
    struct client *c = ctx;
    struct pyro_call *k = xcalloc(1, sizeof *k);
    const char *h[8];
    uint8_t *body;
    size_t len;
    char err[PYRO_ERR_MAX], *url;
    const char *path = pyro_method_path(q->method);

    if (pyro_encode(q, &body, &len, err, sizeof err)) {
        /* a programmer's error (pyro_encode checks what callers build):
         * said at once, through done, and no call is returned */
        free(k);
        done(arg, NULL, NULL, err);
        return NULL;
    }
    url = xmalloc(strlen(c->base) + strlen(path) + 1);
    strcpy(url, c->base);
    strcat(url, path);
    struct fetch_request r = {
        .body = body, .len = len, .headers = h, .nheaders = headers(c, h),
        .username = c->username, .password = c->password, .bearer = c->token,
    };

    struct fetch_options fo = c->fo;

    limit_answer(q->method, &fo);
    *k = (struct pyro_call){ .c = c, .m = q->method, .done = done, .arg = arg, .next = c->calls };
    c->calls = k;
    c->running++;
    k->t = fetch_start_request(c->f, url, &fo, &r, call_done, k);
    free(url);
    free(body);
    return k;
}

static void client_cancel(void *ctx, struct pyro_call *k)
{
    (void)ctx;
    if (!k)
        return;
    unlink_call(k);
    fetch_cancel(k->t);
    free(k);
}

static int client_fds(void *ctx, struct pollfd *out, int max)
{
    return fetcher_fds(((struct client *)ctx)->f, out, max);
}

static int64_t client_deadline(void *ctx)
{
    return fetcher_deadline(((struct client *)ctx)->f);
}

static void client_step(void *ctx)
{
    fetcher_step(((struct client *)ctx)->f);
}

static unsigned client_running(void *ctx)
{
    return ((struct client *)ctx)->running;
}

static const char *client_name(void *ctx)
{
    return ((struct client *)ctx)->name;
}

static void client_free(void *ctx)
{
    struct client *c = ctx;

    if (!c)
        return;
    while (c->calls)
        client_cancel(c, c->calls);
    fetcher_free(c->f);
    free(c->base);
    free(c->clean);
    free(c->name);
    free(c->username);
    free_secret(c->password);
    free_secret(c->token);
    for (int i = 0; c->secrets[i]; i++)
        free_secret(c->secrets[i]);
    free(c->tenant_header);
    free(c);
}

/* Whether s holds a byte that would break a header line. */
static int has_control(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

/* The checks of pyro_client_new: a URL of http or https, and header
 * values without line breaks. */
static int check_conn(const struct pyro_conn *cn, char *err, size_t n)
{
    if (!cn->url || (strncmp(cn->url, "http://", 7) && strncmp(cn->url, "https://", 8))) {
        char *clean = cn->url ? fetch_clean_url(cn->url) : NULL;

        snprintf(err, n, "--url: want http:// or https://, not '%s'", clean ? clean : "");
        free(clean);
        return -1;
    }
    if (has_control(cn->url) || has_control(cn->tenant) || has_control(cn->username) ||
        has_control(cn->password) || has_control(cn->token)) {
        snprintf(err, n, "the URL, tenant, username, password or token holds a control "
                 "character (a line break?)");
        return -1;
    }
    if (cn->username && strchr(cn->username, ':')) {
        /* basic auth cannot carry it (RFC 7617), and it would hide where
         * the password starts from the scrubbing */
        snprintf(err, n, "--username: a user name cannot hold ':'");
        return -1;
    }
    return 0;
}

char *pyro_conn_name(const struct pyro_conn *cn)
{
    char *clean = fetch_clean_url(cn->url ? cn->url : ""), *name;
    size_t len = strlen(clean);

    while (len > 8 && clean[len - 1] == '/')
        clean[--len] = '\0';
    if (!cn->tenant || !*cn->tenant)
        return clean;
    name = xmalloc(len + strlen(cn->tenant) + 12);
    sprintf(name, "%s (tenant %s)", clean, cn->tenant);
    free(clean);
    return name;
}

int pyro_client_new(const struct pyro_conn *cn, struct pyro_api *out, char *err, size_t n)
{
    struct client *c;
    size_t len;

    if (check_conn(cn, err, n))
        return -1;
    c = xcalloc(1, sizeof *c);
    c->base = xstrdup(cn->url);
    len = strlen(c->base);
    while (len > 8 && c->base[len - 1] == '/')
        c->base[--len] = '\0';
    c->clean = fetch_clean_url(c->base);
    c->name = pyro_conn_name(cn);
    c->username = dup_opt(cn->username);
    c->password = dup_opt(cn->password);
    c->token = dup_opt(cn->token);
    collect_secrets(c);
    if (cn->tenant && *cn->tenant) {
        c->tenant_header = xmalloc(strlen(cn->tenant) + 16);
        sprintf(c->tenant_header, "X-Scope-OrgID: %s", cn->tenant);
    }
    c->fo = cn->fetch;
    if (!c->fo.timeout_ns)
        c->fo.timeout_ns = PYRO_DEFAULT_TIMEOUT_NS;
    if (!c->fo.max_size)
        c->fo.max_size = PYRO_DEFAULT_MAX_SIZE;
    c->f = fetcher_new();
    *out = (struct pyro_api){
        .ctx = c, .start = client_start, .cancel = client_cancel, .fds = client_fds,
        .deadline = client_deadline, .step = client_step, .running = client_running,
        .name = client_name, .free = client_free,
    };
    return 0;
}

/* ---- batch mode ---- */

struct slot {
    struct pyro_answer *out;
    char *err;
    size_t n;
    int ended, failed;
};

static void slot_done(void *arg, struct pyro_call *k, struct pyro_answer *a, const char *err)
{
    struct slot *s = arg;

    (void)k;
    s->ended = 1;
    if (a) {
        *s->out = *a;
        free(a);
    } else {
        snprintf(s->err, s->n, "%s", err);
        s->failed = 1;
    }
}

static int64_t mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Steps api until nothing runs. */
static void wait_all(struct pyro_api *api)
{
    struct pollfd p[64];

    api->step(api->ctx);        /* the first socket_action starts the transfers */
    while (api->running(api->ctx)) {
        int nf = api->fds(api->ctx, p, 64);
        int64_t d = api->deadline(api->ctx), now = mono_ns();
        int ms = d == INT64_MAX || d - now > 1000000000LL ? 1000 :
                 d <= now ? 0 : (int)((d - now) / 1000000 + 1);

        if (poll(p, (nfds_t)nf, ms) < 0 && errno != EINTR)
            break;
        api->step(api->ctx);
    }
}

int pyro_call_all(const struct pyro_conn *c, const struct pyro_ask *q, int n,
                  struct pyro_answer *out, char (*err)[PYRO_ERR_MAX])
{
    struct pyro_api api;
    struct slot *s = xcalloc((size_t)n + 1, sizeof *s);
    int r = 0;

    for (int i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        err[i][0] = '\0';
    }
    if (pyro_client_new(c, &api, err[0], PYRO_ERR_MAX)) {
        for (int i = 1; i < n; i++)
            snprintf(err[i], PYRO_ERR_MAX, "%s", err[0]);
        free(s);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        s[i] = (struct slot){ .out = &out[i], .err = err[i], .n = PYRO_ERR_MAX };
        api.start(api.ctx, &q[i], slot_done, &s[i]);
    }
    wait_all(&api);
    for (int i = 0; i < n; i++)
        if (s[i].failed || !s[i].ended) {
            if (!s[i].ended)
                snprintf(err[i], PYRO_ERR_MAX, "interrupted");
            r = -1;
        }
    api.free(api.ctx);
    free(s);
    return r;
}

int pyro_call_blocking(const struct pyro_conn *c, const struct pyro_ask *q,
                       struct pyro_answer *out, char *err, size_t n)
{
    char e[1][PYRO_ERR_MAX];
    int r = pyro_call_all(c, q, 1, out, e);

    if (r)
        snprintf(err, n, "%s", e[0]);
    return r;
}
