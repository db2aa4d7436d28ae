#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decompress.h"
#include "jsonin.h"
#include "snapshot.h"
#include "text.h"
#include "xalloc.h"

static int load_file(struct profile *p, const char *path, const struct load_options *o,
                     char *err);

static int too_large(size_t cap, char *err)
{
    snprintf(err, SOURCE_ERR_MAX, "file exceeds the limit of %zu MiB (--max-size raises it)",
             cap >> 20);
    return -1;
}

/* Reads all of fd, refusing more than cap bytes: a regular file by its
 * size before reading it, a stream as soon as it passes cap (the buffer
 * never grows past cap + 1 bytes). */
static int read_all(int fd, size_t cap, uint8_t **out, size_t *out_len, char *err)
{
    struct stat st;
    size_t size = 1 << 16, used = 0, most = cap < SIZE_MAX / 2 ? cap + 1 : SIZE_MAX / 2;
    uint8_t *buf;

    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, SOURCE_ERR_MAX, "is a directory");
        return -1;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        if ((uintmax_t)st.st_size > cap)
            return too_large(cap, err);
        size = (size_t)st.st_size + 1;
    }
    if (size > most)
        size = most;
    buf = xmalloc(size);
    for (;;) {
        ssize_t n;

        if (used == size) {
            size = size > most / 2 ? most : size * 2;
            buf = xreallocarray(buf, size, 1);
        }
        n = read(fd, buf + used, size - used);
        if (n == 0)
            break;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, SOURCE_ERR_MAX, "%s", strerror(errno));
            free(buf);
            return -1;
        }
        used += (size_t)n;
        if (used > cap) {
            free(buf);
            return too_large(cap, err);
        }
    }
    *out = buf;
    *out_len = used;
    return 0;
}

/* Adds key=value (file=<base name of the file>) to the label set of every
 * sample from `first` on, so that files compare like any label. A file
 * label the profile carries itself is dropped: the file name must win, or --diff
 * base.pb new.pb could put a profile labelled file="new.pb" on the wrong
 * side. */
static void add_label(struct profile *p, size_t first, const char *k, const char *v)
{
    uint32_t key = profile_intern(p, k, strlen(k)), val = profile_intern(p, v, strlen(v));
    struct label *buf = NULL;
    size_t cap = 0;
    struct intmap done;         /* old set -> new set */

    intmap_init(&done, 64);
    for (size_t s = first; s < p->nsamples; s++) {
        uint32_t old = p->samples[s].labels, n, m = 0, set = intmap_get(&done, old);
        const struct label *l;

        if (set == INTMAP_NONE) {
            l = profile_set_labels(p, old, &n);
            if (n + 1 > cap) {
                cap = (n + 1) * 2;
                buf = xreallocarray(buf, cap, sizeof *buf);
            }
            for (uint32_t i = 0; i < n; i++)
                if (l[i].key != key)
                    buf[m++] = l[i];
            buf[m++] = (struct label){ .key = key, .str = val };
            set = profile_labelset(p, buf, m);
            intmap_put(&done, old, set);
        }
        p->samples[s].labels = set;
    }
    intmap_free(&done);
    free(buf);
}

/* Whether bytes that failed to parse were meant to be pprof: binary (a
 * profile has length bytes below 0x20 early on) starting with the tag of a
 * field of the Profile message (Go's encoder starts with time_nanos, 0x48;
 * most with sample_type, 0x0a). Text and other binaries are not. */
static int meant_as_pprof(const uint8_t *d, size_t len)
{
    static const uint8_t tags[] = { 0x0a, 0x12, 0x1a, 0x22, 0x2a, 0x32, 0x38, 0x40,
                                    0x48, 0x50, 0x5a, 0x60, 0x68, 0x6a, 0x70 };
    size_t scan = len < 256 ? len : 256;
    int binary = 0;

    for (size_t i = 0; i < scan && !binary; i++)
        binary = (d[i] < 0x20 && d[i] != '\t' && d[i] != '\n' && d[i] != '\r') || d[i] == 0x7f;
    return binary && len && memchr(tags, d[0], sizeof tags);
}

/* Parses plain (decompressed) bytes as JSON (Pyroscope's, speedscope's),
 * folded stacks or pprof. Bytes that begin as JSON but fail to parse are
 * still folded stacks when they read as such ("{anon};main 3"). */
static int parse_plain(struct profile *p, uint32_t id, const uint8_t *data, size_t len,
                       const struct load_options *o, char *err)
{
    if (jsonin_sniff(data, len)) {
        int r = jsonin_load(p, id, data, len, err);

        if (r != -1 || p->nsamples || !folded_sniff(data, len) || strncmp(err, "JSON line", 9))
            return r;
    }
    if (folded_sniff(data, len))
        return folded_load(p, id, data, len, err);
    if (!pprof_load_with(p, id, data, len, o, err))
        return 0;
    return meant_as_pprof(data, len) ? -1 : SOURCE_NOT_PROFILE;
}

/* A fetched profile is labelled source=host:port where a file's is file=. */
static int load_labelled(struct profile *p, const char *name, const char *key,
                         const char *value, const uint8_t *data, size_t len,
                         const struct load_options *o, char *err, uint8_t **own);

/* own: NULL, or where the caller's buffer (data) is held; it is freed (and
 * *own set to NULL) once decompressed, so that the compressed bytes do not
 * stay resident beside the model while it is built (47 MB of the bench
 * profile's peak). */
static int load_buffer(struct profile *p, const char *name, const uint8_t *data, size_t len,
                       const struct load_options *o, char *err, uint8_t **own)
{
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;

    return load_labelled(p, name, "file", base, data, len, o, err, own);
}

int source_load_buffer(struct profile *p, const char *name, const uint8_t *data, size_t len,
                       const struct load_options *o, char *err)
{
    return load_buffer(p, name, data, len, o, err, NULL);
}

int source_load_url(struct profile *p, const char *url, const char *source, int64_t time_ns,
                    const uint8_t *data, size_t len, const struct load_options *o, char *err)
{
    uint32_t first = p->nsources;
    int r = load_labelled(p, url, "source", source, data, len, o, err, NULL);

    for (uint32_t i = first; !r && i < p->nsources; i++)
        if (!p->sources[i].time_nanos)
            p->sources[i].time_nanos = time_ns;
    return r;
}

static int load_labelled(struct profile *p, const char *name, const char *key,
                         const char *value, const uint8_t *data, size_t len,
                         const struct load_options *o, char *err, uint8_t **own)
{
    enum compression c = decompress_detect(data, len);
    uint8_t *plain = NULL;
    uint32_t id = profile_intern(p, name, strlen(name));
    int r;

    if (!len) {
        snprintf(err, SOURCE_ERR_MAX, "empty file");
        return SOURCE_NOT_PROFILE;
    }
    if (c != COMPRESSION_NONE) {
        if (o->progress)
            o->progress(o->progress_ctx, "decompressing", 0);
        if (decompress(c, data, len, o->max_size, &plain, &len, err, SOURCE_ERR_MAX))
            return -1;
        data = plain;
        if (own) {
            free(*own);
            *own = NULL;
        }
        if (!len) {
            snprintf(err, SOURCE_ERR_MAX, "empty after %s decompression", decompress_name(c));
            free(plain);
            return -1;
        }
    }
    size_t first = p->nsamples;

    /* Everything loaded together may cost the model a few times what one
     * file may be: the loaders refuse a file that passes it. */
    p->budget = o->max_size > UINT64_MAX / PROFILE_BUDGET_PER_MAX ? 0 :
                (uint64_t)o->max_size * PROFILE_BUDGET_PER_MAX;
    if (p->budget && p->budget_old)
        p->budget = p->budget > UINT64_MAX - p->budget_old ? 0 : p->budget + p->budget_old;
    struct load_options mine = *o;

    int taken = 0;

    mine.consume_input = plain || own;  /* our buffer: the parser may give its pages back */
    mine.tag_key = key, mine.tag_value = value, mine.tag_taken = &taken;
    r = parse_plain(p, id, data, len, &mine, err);
    if (!r) {
        if (!taken)
            add_label(p, first, key, value);
        p->data_bytes += len;
    }
    if (!r && p->budget && profile_cost(p) > p->budget) {     /* folded stacks, labels */
        snprintf(err, SOURCE_ERR_MAX, "the profiles need more than %" PRIu64 " MiB of memory "
                 "(limit %d x --max-size; --max-size raises it)", p->budget >> 20,
                 PROFILE_BUDGET_PER_MAX);
        r = -1;
    }
    free(plain);
    return r;
}

static const struct profile *by_time_p;    /* qsort has no context argument */

static int by_time(const void *x, const void *y)
{
    int64_t a = by_time_p->sources[*(const uint32_t *)x].time_nanos;
    int64_t b = by_time_p->sources[*(const uint32_t *)y].time_nanos;

    if (a != b)
        return a < b ? -1 : 1;
    return (*(const uint32_t *)x > *(const uint32_t *)y) - (*(const uint32_t *)x < *(const uint32_t *)y);
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* The source of a file --record wrote (record.c's record_name:
 * YYYYmmddTHHMMSS.mmmZ-SOURCE[-N].EXT, SOURCE's ':' written '_') into out,
 * with the ':' before the port back; 0 for any other name. The -N of two
 * answers in one millisecond goes when the name without it is there. */
static int recorded_source(const char *dir, const char *name, char *out, size_t n)
{
    static const char *const exts[] = { ".pb.gz", ".pb.zst", ".pb", ".txt", NULL };
    static const char stamp[] = "ddddddddTdddddd.dddZ-";
    size_t len = strlen(name), at = sizeof stamp - 1, e = 0, k;
    const char *const *x;
    char *cut;

    for (size_t i = 0; i < at; i++)
        if (i >= len || (stamp[i] == 'd' ? name[i] < '0' || name[i] > '9' : name[i] != stamp[i]))
            return 0;
    for (x = exts; *x && !e; x++)
        if (len > at + strlen(*x) && !strcmp(name + len - strlen(*x), *x))
            e = strlen(*x);
    if (!e || (k = len - e - at) >= n)
        return 0;
    for (size_t i = at; i < at + k; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_", name[i]))
            return 0;
    memcpy(out, name + at, k);
    out[k] = '\0';
    if ((cut = strrchr(out, '-')) && cut > out && all_digits(cut + 1)) {
        char *base = xmalloc(strlen(dir) + len + 2);
        struct stat st;

        sprintf(base, "%s/%.*s%.*s%s", dir, (int)at, name, (int)(cut - out), out, name + len - e);
        if (stat(base, &st) == 0)
            *cut = '\0';
        free(base);
    }
    if ((cut = strrchr(out, '_')) && cut > out && all_digits(cut + 1))
        *cut = ':';
    return 1;
}

/* The folder's profiles [first, p->nsources) are snapshots of one origin
 * per set of types and recorded source: each gets its origin, then they
 * are settled in time order (cumulative counts become deltas, see
 * snapshot.h). */
static void settle_folder(struct profile *p, const char *path, uint32_t first)
{
    uint32_t n = p->nsources - first, *order = xmalloc(((size_t)n + 1) * sizeof *order);
    char src[128];

    for (uint32_t i = 0; i < n; i++) {
        const char *name = profile_str(p, p->sources[first + i].name), *slash;
        struct sbuf key = { 0 };

        slash = strrchr(name, '/');
        sbuf_add(&key, path, strlen(path));
        if (recorded_source(path, slash ? slash + 1 : name, src, sizeof src)) {
            sbuf_add(&key, "\nsource ", 8);
            sbuf_add(&key, src, strlen(src));
        }
        sbuf_addc(&key, '\0');
        order[i] = first + i;
        p->sources[first + i].origin = snapshot_folder_origin(p, key.s, first + i);
        sbuf_free(&key);
    }
    by_time_p = p;
    qsort(order, n, sizeof *order, by_time);
    for (uint32_t i = 0; i < n; i++)
        snapshot_settle(p, order[i]);
    free(order);
}

static int visible_entry(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* Every regular file of a directory (not below it), in name order. */
static int load_dir(struct profile *p, const char *path, const struct load_options *o, char *err)
{
    struct dirent **list;
    int n = scandir(path, &list, visible_entry, alphasort), loaded = 0, r = 0;
    struct load_options each = *o;
    uint32_t first = p->nsources;

    each.empty_ok = 1;      /* a folder collected over time holds idle profiles */

    if (n < 0) {
        snprintf(err, SOURCE_ERR_MAX, "%s", strerror(errno));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char *file = xmalloc(strlen(path) + strlen(list[i]->d_name) + 2), why[SOURCE_ERR_MAX];
        struct stat st;

        sprintf(file, "%s/%s", path, list[i]->d_name);
        if (!r && stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
            size_t s0 = p->nsamples;
            int got = source_load_path(p, file, &each, why);
            char src[128];

            if (!got && recorded_source(path, list[i]->d_name, src, sizeof src))
                add_label(p, s0, "source", src);     /* as when it was fetched */

            if (got == SOURCE_NOT_PROFILE) {
                /* a script or notes beside the profiles: say so, go on */
                if (o->warn)
                    o->warn(o->warn_ctx, file, "skipped: not a profile");
            } else if (got) {
                snprintf(err, SOURCE_ERR_MAX, "%.200s: %.300s", list[i]->d_name, why);
                r = -1;
            } else {
                loaded++;
            }
        }
        free(file);
        free(list[i]);
    }
    free(list);
    if (!r && !loaded) {
        snprintf(err, SOURCE_ERR_MAX, "no profiles in the directory");
        r = -1;
    }
    if (!r)
        settle_folder(p, path, first);
    return r;
}

int source_load_path(struct profile *p, const char *path, const struct load_options *o,
                     char *err)
{
    struct stat st;

    if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return load_dir(p, path, o, err);
    return load_file(p, path, o, err);
}

/* Standard input's bytes, as read (a granularity switch reads them again). */
static uint8_t *stdin_kept;
static size_t stdin_kept_len;

const uint8_t *source_stdin_kept(size_t *len)
{
    *len = stdin_kept_len;
    return stdin_kept;
}

/* A source without its own time is placed at the file's modification time. */
static int load_file(struct profile *p, const char *path, const struct load_options *o,
                     char *err)
{
    int stdin_path = !strcmp(path, "-");
    int fd = stdin_path ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    uint8_t *data;
    size_t len;
    int r;

    if (fd < 0) {
        snprintf(err, SOURCE_ERR_MAX, "%s", strerror(errno));
        return -1;
    }
    struct stat st;
    int64_t mtime = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ?
                    (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec : 0;
    uint32_t first_source = p->nsources;

    r = read_all(fd, o->max_size, &data, &len, err);
    if (!stdin_path)
        close(fd);
    if (r)
        return -1;
    /* standard input is kept for the explorer's reading again
     * (source_stdin_kept); a file's bytes go as soon as they are inflated
     * (load_buffer's own) */
    r = stdin_path ? source_load_buffer(p, "stdin", data, len, o, err)
                   : load_buffer(p, path, data, len, o, err, &data);
    if (stdin_path && !r && o->keep_stdin) {
        free(stdin_kept);
        stdin_kept = data;
        stdin_kept_len = len;
    } else {
        free(data);
    }
    for (uint32_t i = first_source; !r && i < p->nsources; i++)
        if (!p->sources[i].time_nanos)
            p->sources[i].time_nanos = mtime;
    return r;
}

int source_load_pack(struct profile *p, const uint8_t *data, size_t len,
                     const struct load_options *o, char *err)
{
    const char *s = (const char *)data, *end = s + len, *nl;
    char name[256], why[SOURCE_ERR_MAX];
    unsigned long long size;
    int files = 0;

    if (len < 12 || memcmp(s, "EMBERDEMO 1\n", 12)) {
        snprintf(err, SOURCE_ERR_MAX, "not a demo pack");
        return -1;
    }
    for (s += 12; s < end; s = nl + 1 + size) {
        if (!(nl = memchr(s, '\n', (size_t)(end - s))) ||
            sscanf(s, "%255s %llu", name, &size) != 2 || size > (size_t)(end - nl - 1)) {
            snprintf(err, SOURCE_ERR_MAX, "corrupt demo pack");
            return -1;
        }
        if (source_load_buffer(p, name, (const uint8_t *)nl + 1, (size_t)size, o, why)) {
            snprintf(err, SOURCE_ERR_MAX, "%s: %.200s", name, why);
            return -1;
        }
        files++;
    }
    if (!files) {
        snprintf(err, SOURCE_ERR_MAX, "empty demo pack");
        return -1;
    }
    return 0;
}
