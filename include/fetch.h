/* Fetching profiles over HTTP(S) (libcurl's multi interface), on the
 * caller's poll(2) loop: no threads, nothing blocks. The source layer:
 * no curses, no model. Issue 10 (live endpoints) is its first user, the
 * Pyroscope client (issue 11) its second.
 *
 * A fetcher runs transfers; each transfer (struct fetch) is RUNNING until
 * it turns DONE (its body, whole, within the limits) or FAILED (one line
 * saying why: DNS, refused, TLS, timeout, HTTP status with the body's first
 * line, over the size limit, truncated). fetch_cancel forgets a transfer at
 * once (its done callback is never called). Messages and URLs given out
 * never carry credentials (user:password@ is cut from a URL).
 *
 * The loop: poll on fetcher_fds() and the terminal with a timeout until
 * fetcher_deadline(), then fetcher_step(), which calls each finished
 * transfer's done callback from there. */
#ifndef EMBER_FETCH_H
#define EMBER_FETCH_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#define FETCH_ERR_MAX 512

struct fetcher;
struct fetch;

enum fetch_state { FETCH_RUNNING, FETCH_DONE, FETCH_FAILED };

struct fetch_options {
    int64_t connect_timeout_ns; /* 0: 5 s */
    int64_t timeout_ns;         /* the whole transfer; 0: the URL's seconds=
                                 * (0 when none) plus 15 s */
    size_t max_size;            /* a larger body fails (after decoding gzip) */
    int max_redirects;          /* followed; 0: 5 (negative: none) */
    const char *size_hint;      /* after "exceeds the limit of SIZE" (NULL:
                                 * "(--max-size raises it)") */
};

struct fetcher *fetcher_new(void);
/* Stops what runs and frees the fetcher. A transfer still running turns
 * FAILED ("cancelled") without its done callback; the caller still
 * fetch_frees it. */
void fetcher_free(struct fetcher *f);

/* Starts fetching url; done(ctx, t) is called from fetcher_step when it
 * ends (DONE or FAILED). The transfer is the caller's: fetch_free it after
 * done, or fetch_cancel it before. */
struct fetch *fetch_start(struct fetcher *f, const char *url, const struct fetch_options *o,
                          void (*done)(void *ctx, struct fetch *t), void *ctx);
/* What an API client adds to a fetch (the Pyroscope client, pyro.h): a
 * POST body, headers, and credentials that go in headers, never in the
 * URL. Everything is copied by fetch_start_request. Secrets (password,
 * token) never show in a message: they are scrubbed as a URL's are. */
struct fetch_request {
    const uint8_t *body;        /* POSTed when non-NULL (len may be 0) */
    size_t len;
    const char *const *headers; /* "Name: value" each (a User-Agent here wins) */
    int nheaders;
    const char *username;       /* basic auth (CURLOPT_USERNAME/PASSWORD) when set */
    const char *password;
    const char *bearer;         /* Authorization: Bearer TOKEN when set and no username */
};

/* fetch_start with a request (r may be NULL: a GET as fetch_start). */
struct fetch *fetch_start_request(struct fetcher *f, const char *url, const struct fetch_options *o,
                                  const struct fetch_request *r,
                                  void (*done)(void *ctx, struct fetch *t), void *ctx);
/* The HTTP status of an ended transfer (0: none came, as for a refused
 * connection). */
long fetch_status(const struct fetch *t);
/* A FAILED transfer's error page (a status of 400 or more): its first
 * 4 KiB, decoded (borrowed until fetch_free), or NULL. An API's error
 * (Connect's JSON) is read from it. */
const uint8_t *fetch_error_body(const struct fetch *t, size_t *len);

/* Stops a running transfer (or frees an ended one); t is gone after it. */
void fetch_cancel(struct fetch *t);
void fetch_free(struct fetch *t);

enum fetch_state fetch_state(const struct fetch *t);
/* The body of a DONE transfer (borrowed until fetch_free), or NULL. */
const uint8_t *fetch_body(const struct fetch *t, size_t *len);
/* Moves the body out (the caller frees it with free); NULL when none. */
uint8_t *fetch_take_body(struct fetch *t, size_t *len);
/* Why a FAILED transfer failed (one line, no credentials), "" otherwise. */
const char *fetch_error(const struct fetch *t);
/* The URL as given, without credentials. */
const char *fetch_url(const struct fetch *t);
/* When it started and ended, CLOCK_REALTIME nanoseconds (0: not yet). */
int64_t fetch_started(const struct fetch *t);
int64_t fetch_ended(const struct fetch *t);

/* The loop's three calls. fds: up to max descriptors; returns how many.
 * deadline: CLOCK_MONOTONIC nanoseconds of the next timeout libcurl wants,
 * INT64_MAX when none. step: drives every transfer, calls done callbacks. */
int fetcher_fds(struct fetcher *f, struct pollfd *out, int max);
int64_t fetcher_deadline(struct fetcher *f);
void fetcher_step(struct fetcher *f);
/* How many transfers are running. */
unsigned fetcher_running(const struct fetcher *f);

/* Blocking, for batch mode: fetches url into *data (malloc'd) and *len;
 * returns 0, or -1 with the reason in err. */
int fetch_blocking(const char *url, const struct fetch_options *o, uint8_t **data, size_t *len,
                   char *err, size_t errsize);

/* What a command-line argument means: 1 for a URL (http:// or https://, or
 * host:port as go tool pprof takes it), 0 for a file. */
int fetch_is_url(const char *arg);
/* The URL to fetch for arg: host:port becomes
 * http://host:port/debug/pprof/profile?seconds=N; a Go pprof CPU endpoint
 * without seconds= gets seconds=N. Returns 0, or -1 with err set. */
int fetch_url_for(const char *arg, int seconds, char *out, size_t n, char *err, size_t errsize);
/* The --timeout of a URL without one: its seconds= (as Go reads it: 30
 * when empty or not a positive whole number; 0 without one) plus 15 s. */
int64_t fetch_default_timeout(const char *url);
/* url without user:password@, malloc'd: what names it in titles and
 * messages. */
char *fetch_clean_url(const char *url);
/* Overwrites, in place, the user:password of a URL argument with '*'s, so
 * that ps and /proc/PID/cmdline no longer show it (as curl does). */
void fetch_hide_credentials(char *arg);
/* Replaces in s (a NUL-terminated text of size bytes, another program's
 * message) with "***" each occurrence of userinfo ("user:pass", or
 * ":secret" for a token), of its password, of their percent-decoded
 * forms, and of the base64 of user:pass and of the password (what an
 * echoed Authorization header holds). A form of 4 bytes or more goes
 * wherever it is, inside a word too; a shorter one only as a whole token,
 * bounded by characters outside [A-Za-z0-9._~%-] (or the text's ends), so
 * that a password "a" leaves "cannot" alone. The user name alone is not a
 * secret and stays. Scrub a text whole before cutting it: a cut through a
 * secret leaves its head, which no longer matches. */
void fetch_scrub(char *s, size_t size, const char *userinfo);
struct sbuf;
/* The same over a text of any length (text.h's sbuf, replaced in place). */
void fetch_scrub_text(struct sbuf *b, const char *userinfo);
/* The `source` label's value for a URL: host:port (no credentials). */
void fetch_source_name(const char *url, char *out, size_t n);

#endif
