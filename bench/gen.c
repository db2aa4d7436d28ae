/*
 * bench/gen.c - deterministic pprof profile generator for ember benchmarks.
 *
 *   gen OUT [--stacks N] [--functions F] [--depth D] [--seed S]
 *
 * Writes a gzip-compressed pprof profile (perftools.profiles.Profile, see
 * proto/profile.proto) to OUT.  The protobuf wire format is encoded by hand:
 * this file is only an encoder (varints, length-delimited fields, packed
 * repeated fields).
 *
 * The profile is the hard case for a call-tree builder: N distinct stacks
 * (depth uniform in D/4..2D-D/4, i.e. 8..56 for D=32) that are random walks
 * down a layered call graph of F functions (2-8 callees each, the first one
 * favoured and mostly a hot function) from five root functions
 * (runtime.goexit, main.main, ...), so stacks share prefixes near the root
 * and diverge below.  ~5% of locations carry 2-3 Lines (inlined frames), ~5%
 * of stacks recurse, ~80% of samples have string labels (region, pod, env)
 * and ~30% a numeric label (bytes).  Hot locations get small ids.
 *
 * On stderr it prints what it made, including the exact number of call-tree
 * nodes (distinct root-to-node function paths, inlined frames expanded,
 * counted with 64-bit path hashes).  Defaults: ~89 MB of protobuf, ~47 MB
 * gzipped, ~22.6 M nodes.  Same arguments -> byte-identical output.
 *
 * Build: cc -O2 -std=c11 -Wall -Wextra bench/gen.c -lz -o build/bench-gen
 */
#define _DEFAULT_SOURCE /* madvise(MADV_HUGEPAGE) */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <threads.h>
#include <time.h>
#include <zlib.h>

/* ---- tuning knobs (the defaults give ~90 MB and ~22 M call-tree nodes) */
#define NPKG 200            /* packages pkg0..pkg199 */
#define FILES_PER_PKG 12    /* pkgNN/file_0.go .. file_11.go */
#define MIN_CALLEES 2       /* callees per function: 2..8, geometric-ish */
#define MAX_CALLEES 8
#define ROOT_CALLEES 48     /* fan-out of each root function */
#define CALLEE_CONT 0.4     /* walk: P(callee index > c | > c-1), geometric */
#define SKEW_FIRST 4        /* first callee: u^4 into its level: mostly hot ones */
#define SKEW_OTHER 1        /* other callees: uniform over their level */
#define BACK_PCT 4          /* % of other callees on a level above: recursion */
#define INLINE_PCT 5        /* % of locations carrying 2-3 Lines */
#define LABEL_PCT 80        /* % of samples with string labels */
#define BYTES_PCT 30        /* % of samples with the numeric "bytes" label */
#define PERIOD 10000000LL   /* 10 ms */
#define TIME_NANOS 1700000000000000000LL
#define BUSY_CORES 50       /* duration = total cpu / 50 (one core per pod) */

static const char *roots[] = {"runtime.goexit", "main.main", "runtime.mstart",
                              "runtime.mcall", "runtime.morestack"};
static const unsigned root_weight[] = {50, 25, 10, 10, 5}; /* percent */
#define NROOTS 5

/* ---- PRNG: splitmix64 ------------------------------------------------- */
static uint64_t rng_state;
static uint64_t rnd(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static double rnd01(void) { return (double)(rnd() >> 11) * 0x1.0p-53; }
static uint64_t rnd_below(uint64_t n) { return rnd() % n; }

static uint64_t fmix64(uint64_t k) {
    k ^= k >> 33; k *= 0xFF51AFD7ED558CCDULL;
    k ^= k >> 33; k *= 0xC4CEB9FE1A85EC53ULL;
    k ^= k >> 33;
    return k;
}
static uint64_t hstep(uint64_t h, uint64_t x) {
    return fmix64(h * 0x9E3779B97F4A7C15ULL ^ x);
}

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) { fprintf(stderr, "gen: out of memory\n"); exit(1); }
    return p;
}
static void *xcalloc(size_t n, size_t sz) {
    void *p = calloc(n ? n : 1, sz);
    if (!p) { fprintf(stderr, "gen: out of memory\n"); exit(1); }
    return p;
}

/* ---- hash set of nonzero 64-bit keys (open addressing, linear probing) */
typedef struct { uint64_t *k; size_t mask, n; int mapped; } Set;
static void set_init(Set *s, size_t want) {
    size_t cap = 1024;
    while (cap < want + want / 3 + 1) cap *= 2; /* load factor <= 0.75 */
    s->mask = cap - 1; s->n = 0; s->mapped = 0;
    size_t bytes = cap * sizeof *s->k;
    if (bytes >= (8u << 20)) {
        /* big tables are probed at random: huge pages spare the TLB */
        void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED) {
#ifdef MADV_HUGEPAGE
            madvise(p, bytes, MADV_HUGEPAGE);
#endif
            s->k = p; s->mapped = 1;
            return;
        }
    }
    s->k = xcalloc(cap, sizeof *s->k);
}
static void set_free(Set *s) {
    if (s->mapped) munmap(s->k, (s->mask + 1) * sizeof *s->k);
    else free(s->k);
    s->k = NULL;
}
static size_t set_slot(const Set *s, uint64_t key) { return (size_t)(key ^ (key >> 29)) & s->mask; }
static int set_add(Set *s, uint64_t key);
static void set_grow(Set *s) {
    Set old = *s;
    set_init(s, old.mask + 1);
    for (size_t i = 0; i <= old.mask; i++) if (old.k[i]) set_add(s, old.k[i]);
    set_free(&old);
}
/* returns 1 if key was new */
static int set_add(Set *s, uint64_t key) {
    if (!key) key = 1;
    if (4 * (s->n + 1) > 3 * (s->mask + 1)) set_grow(s);
    size_t i = set_slot(s, key);
    while (s->k[i]) {
        if (s->k[i] == key) return 0;
        i = (i + 1) & s->mask;
    }
    s->k[i] = key; s->n++;
    return 1;
}

/* ---- growable byte buffer + protobuf wire encoding --------------------- */
typedef struct { uint8_t *p; size_t n, cap; } Buf;
static void buf_need(Buf *b, size_t extra) {
    if (b->n + extra <= b->cap) return;
    size_t c = b->cap ? b->cap : 256;
    while (c < b->n + extra) c *= 2;
    uint8_t *p = realloc(b->p, c);
    if (!p) { fprintf(stderr, "gen: out of memory\n"); exit(1); }
    b->p = p; b->cap = c;
}
static size_t varint_len(uint64_t v) { size_t n = 1; while (v >= 0x80) { v >>= 7; n++; } return n; }
static void put_varint(Buf *b, uint64_t v) {
    buf_need(b, 10);
    while (v >= 0x80) { b->p[b->n++] = (uint8_t)(v | 0x80); v >>= 7; }
    b->p[b->n++] = (uint8_t)v;
}
enum { WT_VARINT = 0, WT_LEN = 2 };
static void put_key(Buf *b, unsigned field, unsigned wt) { put_varint(b, (uint64_t)field << 3 | wt); }
/* proto3 scalar: zero values are omitted */
static void put_uint(Buf *b, unsigned field, uint64_t v) {
    if (v) { put_key(b, field, WT_VARINT); put_varint(b, v); }
}
static void put_bytes(Buf *b, unsigned field, const void *d, size_t n) {
    put_key(b, field, WT_LEN); put_varint(b, n);
    buf_need(b, n); memcpy(b->p + b->n, d, n); b->n += n;
}
static void put_msg(Buf *b, unsigned field, const Buf *m) { put_bytes(b, field, m->p, m->n); }
static void put_packed(Buf *b, unsigned field, const uint64_t *v, size_t n) {
    size_t len = 0;
    for (size_t i = 0; i < n; i++) len += varint_len(v[i]);
    put_key(b, field, WT_LEN); put_varint(b, len);
    for (size_t i = 0; i < n; i++) put_varint(b, v[i]);
}

/* ---- output sink: encoded bytes -> gzip file, deflated in a second thread */
typedef struct {
    Buf pend;            /* filled by the encoder */
    Buf full;            /* being deflated by the writer */
    int has_full, done, threaded;
    mtx_t mu; cnd_t cv; thrd_t th;
    z_stream zs; FILE *f; uint64_t raw; const char *path;
} Sink;
static uint8_t zout[1 << 18];
static void sink_deflate(Sink *s, Buf *in, int flush) {
    s->zs.next_in = in->p; s->zs.avail_in = (uInt)in->n;
    do {
        s->zs.next_out = zout; s->zs.avail_out = sizeof zout;
        if (deflate(&s->zs, flush) == Z_STREAM_ERROR) { fprintf(stderr, "gen: deflate failed\n"); exit(1); }
        size_t have = sizeof zout - s->zs.avail_out;
        if (have && fwrite(zout, 1, have, s->f) != have) {
            fprintf(stderr, "gen: write %s: %s\n", s->path, strerror(errno)); exit(1);
        }
    } while (s->zs.avail_out == 0 || (flush == Z_FINISH && s->zs.avail_in));
    s->raw += in->n; in->n = 0;
}
static int sink_writer(void *arg) {
    Sink *s = arg;
    mtx_lock(&s->mu);
    for (;;) {
        while (!s->has_full && !s->done) cnd_wait(&s->cv, &s->mu);
        if (!s->has_full) break;
        mtx_unlock(&s->mu);
        sink_deflate(s, &s->full, Z_NO_FLUSH);
        mtx_lock(&s->mu);
        s->has_full = 0;
        cnd_broadcast(&s->cv);
    }
    mtx_unlock(&s->mu);
    sink_deflate(s, &s->full, Z_FINISH);
    return 0;
}
/* hand the pending bytes to the writer (or deflate them here) */
static void sink_flush(Sink *s) {
    if (!s->threaded) { sink_deflate(s, &s->pend, Z_NO_FLUSH); return; }
    mtx_lock(&s->mu);
    while (s->has_full) cnd_wait(&s->cv, &s->mu);
    Buf t = s->full; s->full = s->pend; s->pend = t;
    s->has_full = 1;
    cnd_broadcast(&s->cv);
    mtx_unlock(&s->mu);
}
static void sink_open(Sink *s, const char *path) {
    memset(s, 0, sizeof *s);
    s->path = path;
    s->f = fopen(path, "wb");
    if (!s->f) { fprintf(stderr, "gen: open %s: %s\n", path, strerror(errno)); exit(1); }
    /* windowBits 31 = gzip wrapper; the gzip header carries no mtime/name */
    if (deflateInit2(&s->zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        fprintf(stderr, "gen: deflateInit2 failed\n"); exit(1);
    }
    s->threaded = mtx_init(&s->mu, mtx_plain) == thrd_success && cnd_init(&s->cv) == thrd_success &&
                  thrd_create(&s->th, sink_writer, s) == thrd_success;
}
static void sink_check(Sink *s) { if (s->pend.n >= (1 << 20)) sink_flush(s); }
static void sink_msg(Sink *s, unsigned field, const Buf *m) {
    put_msg(&s->pend, field, m);
    sink_check(s);
}
static uint64_t sink_close(Sink *s) {
    sink_flush(s);
    if (s->threaded) {
        mtx_lock(&s->mu); s->done = 1; cnd_broadcast(&s->cv); mtx_unlock(&s->mu);
        thrd_join(s->th, NULL);
    } else {
        sink_deflate(s, &s->full, Z_FINISH);
    }
    deflateEnd(&s->zs);
    long sz = ftell(s->f);
    if (fclose(s->f) != 0) { fprintf(stderr, "gen: close %s: %s\n", s->path, strerror(errno)); exit(1); }
    free(s->pend.p); free(s->full.p);
    return sz < 0 ? 0 : (uint64_t)sz;
}

/* ---- string table ------------------------------------------------------ */
static char **strs; static size_t nstrs, capstrs;
static uint64_t intern_new(const char *str) { /* caller guarantees uniqueness */
    if (nstrs == capstrs) {
        capstrs = capstrs ? capstrs * 2 : 1024;
        strs = realloc(strs, capstrs * sizeof *strs);
        if (!strs) { fprintf(stderr, "gen: out of memory\n"); exit(1); }
    }
    size_t n = strlen(str) + 1;
    strs[nstrs] = memcpy(xmalloc(n), str, n);
    return nstrs++;
}

/* ---- program model ----------------------------------------------------- */
typedef struct {
    uint64_t name, file;  /* string indices */
    int64_t start_line;
    uint8_t ninl;         /* inlined callees in this function's location: 0..2 */
    uint32_t inl[2];      /* inl[0] is inlined into f, inl[1] into inl[0] */
} Func;

static const char *verbs[] = {"Get", "Set", "Parse", "Read", "Write", "Handle", "Process",
    "Encode", "Decode", "Build", "Load", "Store", "Update", "Compute", "Validate", "Flush",
    "Marshal", "Unmarshal", "Serve", "Dispatch", "Resolve", "Render", "Scan", "Merge",
    "Apply", "Lookup", "Insert", "Delete", "Open", "Close", "Sync", "Emit"};
static const char *nouns[] = {"Header", "Request", "Response", "Buffer", "Record", "Index",
    "Table", "Node", "Tree", "Cache", "Config", "Session", "Token", "Stream", "Batch",
    "Segment", "Value", "Metric", "Span", "Frame", "Block", "Page", "Query", "Result",
    "Conn", "Pool", "Queue", "Event", "Schema", "Entry", "Chunk", "Message"};
#define NV (sizeof verbs / sizeof *verbs)
#define NN (sizeof nouns / sizeof *nouns)

static Func *funcs;      /* 1-based: funcs[1..F]; location i is function i */
static uint32_t F;
static uint32_t *callees; /* MAX_CALLEES per function, short lists padded by
                             repeating the last callee */
static uint32_t *next;    /* MAX_CALLEES per location: callees of the
                             location's innermost (inlined) function */
static uint32_t root_callees[NROOTS][ROOT_CALLEES];

/* The call graph is layered: non-root functions are split into nlevels
 * contiguous blocks, and a function at level l calls functions at levels
 * l+1..l+3 (mod nlevels), so recursion is rare.  Within the target level the
 * choice is skewed towards the first members (hot functions). */
static uint32_t nlevels;
static uint32_t level_start(uint32_t l) { return NROOTS + 1 + (uint32_t)((uint64_t)(F - NROOTS) * l / nlevels); }
static uint32_t level_of(uint32_t i) {
    uint32_t l = (uint32_t)((uint64_t)(i - NROOTS - 1) * nlevels / (F - NROOTS));
    while (l + 1 < nlevels && level_start(l + 1) <= i) l++;
    while (l > 0 && level_start(l) > i) l--;
    return l;
}
static uint32_t pick_target(uint32_t level, int skew) {
    level %= nlevels;
    uint32_t lo = level_start(level), span = level_start(level + 1) - lo;
    double u = rnd01(), x = u;
    for (int i = 1; i < skew; i++) x *= u;
    uint32_t t = (uint32_t)(x * span);
    return lo + (t < span ? t : span - 1);
}

static void build_model(uint32_t levels) {
    nlevels = levels < F - NROOTS ? levels : F - NROOTS;
    funcs = xcalloc((size_t)F + 1, sizeof *funcs);
    callees = xcalloc(((size_t)F + 1) * MAX_CALLEES, sizeof *callees);
    next = xcalloc(((size_t)F + 1) * MAX_CALLEES, sizeof *next);
    uint64_t file0 = nstrs;
    char tmp[128];
    for (int p = 0; p < NPKG; p++)
        for (int k = 0; k < FILES_PER_PKG; k++) {
            snprintf(tmp, sizeof tmp, "pkg%d/file_%d.go", p, k);
            intern_new(tmp);
        }
    uint64_t rtfile = intern_new("runtime/proc.go");
    uint64_t mainfile = intern_new("main.go");
    for (uint32_t i = 1; i <= F; i++) {
        Func *f = &funcs[i];
        if (i <= NROOTS) {
            f->name = intern_new(roots[i - 1]);
            f->file = roots[i - 1][0] == 'm' ? mainfile : rtfile;
        } else {
            int p = (int)rnd_below(NPKG);
            const char *v = verbs[rnd_below(NV)];
            const char *n1 = nouns[rnd_below(NN)];
            uint64_t r = rnd_below(10);
            if (r < 2) /* method */
                snprintf(tmp, sizeof tmp, "pkg%d.(*%s).%s%s_%u", p, n1, v, nouns[rnd_below(NN)], i);
            else if (r < 6)
                snprintf(tmp, sizeof tmp, "pkg%d.%s%s_%u", p, v, n1, i);
            else
                snprintf(tmp, sizeof tmp, "pkg%d.%s%s%s_%u", p, v, n1, nouns[rnd_below(NN)], i);
            f->name = intern_new(tmp);
            f->file = file0 + (uint64_t)p * FILES_PER_PKG + rnd_below(FILES_PER_PKG);
        }
        f->start_line = 10 + (int64_t)rnd_below(2000);
        if (i <= NROOTS) {
            for (unsigned c = 0; c < ROOT_CALLEES; c++) root_callees[i - 1][c] = pick_target(0, SKEW_OTHER);
            continue;
        }
        uint32_t lv = level_of(i);
        unsigned nc = MIN_CALLEES;
        while (nc < MAX_CALLEES && rnd_below(2)) nc++;
        uint32_t *row = &callees[(size_t)i * MAX_CALLEES];
        for (unsigned c = 0; c < MAX_CALLEES; c++) {
            uint32_t t = row[c - (c > 0)];
            if (c == 0) t = pick_target(lv + 1, SKEW_FIRST);
            else if (c < nc && rnd_below(100) < BACK_PCT) /* a call back up: recursion */
                t = pick_target(lv + nlevels - 1 - (uint32_t)rnd_below(nlevels < 8 ? nlevels : 8), SKEW_FIRST);
            else if (c < nc) t = pick_target(lv + 1 + (uint32_t)rnd_below(3), SKEW_OTHER);
            row[c] = t;
        }
    }
    /* ~INLINE_PCT% of (non-root) locations carry 2-3 Lines: f plus 1-2 of its
     * callees inlined into it (each the first callee of the one above). */
    for (uint32_t i = NROOTS + 1; i <= F; i++) {
        Func *f = &funcs[i];
        uint32_t cur = i;
        if (rnd_below(100) < INLINE_PCT) {
            unsigned want = 1 + (unsigned)rnd_below(2);
            for (unsigned j = 0; j < want; j++) {
                uint32_t g = callees[(size_t)cur * MAX_CALLEES];
                if (g == i || (j == 1 && g == f->inl[0])) break;
                f->inl[f->ninl++] = g;
                cur = g;
            }
        }
        memcpy(&next[(size_t)i * MAX_CALLEES], &callees[(size_t)cur * MAX_CALLEES],
               MAX_CALLEES * sizeof *next);
    }
}

/* ---- location ids ------------------------------------------------------
 * Hotter locations get smaller ids (shorter varints), much like the
 * first-seen order of a real profiler.  Hotness is the expected number of
 * visits of each location by the walk, computed level by level in fixed point
 * (integers, so the order is the same everywhere).  The model is then
 * renumbered so that the hot rows of next[] also sit together in memory. */
static uint32_t root_id[NROOTS];
static uint64_t *heat;
static int by_heat(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (heat[x] != heat[y]) return heat[x] > heat[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}
static void assign_ids(const uint64_t *pc, unsigned mind, unsigned maxd) {
    uint64_t *v = xcalloc((size_t)F + 1, sizeof *v), *w = xcalloc((size_t)F + 1, sizeof *w);
    heat = xcalloc((size_t)F + 1, sizeof *heat);
    const uint64_t one = 1ULL << 40;
    for (unsigned r = 0; r < NROOTS; r++) v[r + 1] = one / 100 * root_weight[r];
    unsigned levels = maxd < 64 ? maxd : 64; /* deeper levels look alike */
    for (unsigned k = 0; k < levels; k++) {
        uint64_t alive = k < mind ? 1024 : (uint64_t)(maxd - k) * 1024 / (maxd - mind + 1);
        for (uint32_t i = 1; i <= F; i++) heat[i] += (v[i] >> 10) * alive;
        memset(w, 0, ((size_t)F + 1) * sizeof *w);
        for (uint32_t i = 1; i <= F; i++) {
            if (!v[i]) continue;
            if (i <= NROOTS) {
                for (unsigned c = 0; c < ROOT_CALLEES; c++) w[root_callees[i - 1][c]] += v[i] / ROOT_CALLEES;
            } else {
                for (unsigned c = 0; c < MAX_CALLEES; c++)
                    w[next[(size_t)i * MAX_CALLEES + c]] += (v[i] >> 16) * pc[c];
            }
        }
        uint64_t *t = v; v = w; w = t;
    }
    uint32_t *order = xmalloc((size_t)F * sizeof *order); /* order[id-1] = old index */
    for (uint32_t i = 0; i < F; i++) order[i] = i + 1;
    qsort(order, F, sizeof *order, by_heat);
    uint32_t *newid = xmalloc(((size_t)F + 1) * sizeof *newid);
    for (uint32_t i = 0; i < F; i++) newid[order[i]] = i + 1;

    Func *nf = xcalloc((size_t)F + 1, sizeof *nf);
    uint32_t *nn = xcalloc(((size_t)F + 1) * MAX_CALLEES, sizeof *nn);
    for (uint32_t id = 1; id <= F; id++) {
        uint32_t i = order[id - 1];
        nf[id] = funcs[i];
        for (unsigned j = 0; j < nf[id].ninl; j++) nf[id].inl[j] = newid[nf[id].inl[j]];
        for (unsigned c = 0; c < MAX_CALLEES; c++)
            nn[(size_t)id * MAX_CALLEES + c] = newid[next[(size_t)i * MAX_CALLEES + c]];
    }
    for (unsigned r = 0; r < NROOTS; r++) {
        root_id[r] = newid[r + 1];
        for (unsigned c = 0; c < ROOT_CALLEES; c++) root_callees[r][c] = newid[root_callees[r][c]];
    }
    free(funcs); free(next); free(callees); callees = NULL;
    funcs = nf; next = nn;
    free(order); free(newid); free(v); free(w); free(heat);
}

static void usage(void) {
    fprintf(stderr, "usage: gen OUT [--stacks N] [--functions F] [--depth D] [--seed S]\n");
    exit(2);
}
static uint64_t parse_u64(const char *s) {
    char *end; errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || !*s || s[0] == '-') usage();
    return v;
}
static double now(void) {
    struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    const char *out = NULL;
    uint64_t nstacks = 1000000, nfuncs = 50000, depth = 32, seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] == '-') {
            if (i + 1 >= argc) usage();
            uint64_t v = parse_u64(argv[++i]);
            if (!strcmp(a, "--stacks")) nstacks = v;
            else if (!strcmp(a, "--functions")) nfuncs = v;
            else if (!strcmp(a, "--depth")) depth = v;
            else if (!strcmp(a, "--seed")) seed = v;
            else usage();
        } else if (!out) out = a;
        else usage();
    }
    if (!out || nfuncs < NROOTS + 2 || nfuncs > 100000000 || depth < 1 || depth > 1000 ||
        nstacks > 100000000)
        usage();
    F = (uint32_t)nfuncs;
    rng_state = seed * 0xD1B54A32D192ED03ULL + 0x1234567;
    double t0 = now();

    /* string table: 0 must be "" */
    intern_new("");
    uint64_t s_samples = intern_new("samples"), s_count = intern_new("count");
    uint64_t s_cpu = intern_new("cpu"), s_ns = intern_new("nanoseconds");
    uint64_t s_region = intern_new("region"), s_pod = intern_new("pod");
    uint64_t s_env = intern_new("env"), s_bytes = intern_new("bytes");
    uint64_t s_prod = intern_new("prod"), s_dev = intern_new("dev");
    uint64_t s_binary = intern_new("/usr/local/bin/app");
    uint64_t s_buildid = intern_new("4f2c0ffee0ddba11");
    static const char *regions[] = {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1"};
    uint64_t s_regions[5], s_pods[50];
    for (int i = 0; i < 5; i++) s_regions[i] = intern_new(regions[i]);
    for (int i = 0; i < 50; i++) { char t[16]; snprintf(t, sizeof t, "pod-%02d", i); s_pods[i] = intern_new(t); }
    build_model((uint32_t)(3 * depth));

    /* walk: depth uniform in [mind, maxd] (mean = depth); at each frame the
     * callee index c is geometric: P(c > j) = CALLEE_CONT^(j+1) */
    unsigned mind = (unsigned)(depth / 4 ? depth / 4 : 1);
    unsigned maxd = (unsigned)(2 * depth - mind);
    uint64_t cont[MAX_CALLEES], pc[MAX_CALLEES];
    {
        double p = 1.0;
        uint64_t left = 1 << 16;
        for (int c = 0; c < MAX_CALLEES; c++) {
            double q = p * (1 - CALLEE_CONT);
            pc[c] = c == MAX_CALLEES - 1 ? left : (uint64_t)(q * 65536);
            left -= pc[c];
            p *= CALLEE_CONT;
            cont[c] = (uint64_t)(p * 0x1.0p64);
        }
    }
    assign_ids(pc, mind, maxd);

    Sink sk; sink_open(&sk, out);
    Buf m = {0}, sub = {0};

    /* sample_type = 1 */
    m.n = 0; put_uint(&m, 1, s_samples); put_uint(&m, 2, s_count); sink_msg(&sk, 1, &m);
    m.n = 0; put_uint(&m, 1, s_cpu); put_uint(&m, 2, s_ns); sink_msg(&sk, 1, &m);

    /* sample = 2: nstacks distinct stacks */
    uint32_t *st = xmalloc(((size_t)maxd + 1) * sizeof *st);
    uint64_t *ids = xmalloc(((size_t)maxd + 1) * sizeof *ids);
    uint64_t *ph = xmalloc(((size_t)maxd + 1) * 3 * sizeof *ph);
    Set seen, nodes;
    set_init(&seen, (size_t)nstacks);
    set_init(&nodes, (size_t)(nstacks * depth * 11 / 10));
    uint64_t nf = 0, redraws = 0, total_lines = 0, idbytes[4] = {0};
    uint64_t labeled = 0, total_count = 0;
    uint8_t *used = xcalloc((size_t)F + 1, 1);
    for (uint64_t s = 0; s < nstacks; s++) {
        unsigned d = mind + (unsigned)rnd_below(maxd - mind + 1);
        for (unsigned tries = 0;; tries++) {
            unsigned r = (unsigned)rnd_below(100), acc = 0, root = 0;
            while (root < NROOTS - 1 && r >= (acc += root_weight[root])) root++;
            st[0] = root_id[root];
            uint64_t h = hstep(0x5eed, st[0]);
            uint32_t cur = root_callees[root][rnd_below(ROOT_CALLEES)];
            for (unsigned k = 1; k < d; k++) {
                st[k] = cur;
                h = hstep(h, cur);
                uint64_t u = rnd();
                unsigned c = 0;
                while (c < MAX_CALLEES - 1 && u < cont[c]) c++;
                cur = next[(size_t)cur * MAX_CALLEES + c];
            }
            if (set_add(&seen, h)) break;
            if (++redraws > 100 * (nstacks + 1000)) {
                fprintf(stderr, "gen: cannot find %llu distinct stacks; raise --depth or --functions\n",
                        (unsigned long long)nstacks);
                return 1;
            }
            if (tries == 1000) { /* this depth is crowded: take another */
                d = mind + (unsigned)rnd_below(maxd - mind + 1);
                tries = 0;
            }
        }
        nf += d;

        /* call-tree nodes: distinct root-to-node function paths, inlined
         * frames expanded (the caller, then its inlined callees) */
        size_t np = 0;
        uint64_t h = 0x7ee5;
        for (unsigned k = 0; k < d; k++) {
            const Func *f = &funcs[st[k]];
            ph[np++] = h = hstep(h, st[k]);
            for (unsigned j = 0; j < f->ninl; j++) ph[np++] = h = hstep(h, f->inl[j]);
        }
        total_lines += np;
#ifdef __GNUC__
        for (size_t i = 0; i < np; i++) __builtin_prefetch(&nodes.k[set_slot(&nodes, ph[i])]);
#endif
        for (size_t i = 0; i < np; i++) set_add(&nodes, ph[i]);

        /* encode the sample: location ids leaf first */
        for (unsigned k = 0; k < d; k++) {
            ids[k] = st[d - 1 - k];
            idbytes[ids[k] < 128 ? 1 : ids[k] < 16384 ? 2 : 3]++;
            used[ids[k]] = 1;
        }
        double u = rnd01();
        uint64_t count = 1 + (uint64_t)(99.0 * u * u * u * u);
        total_count += count;
        uint64_t vals[2] = {count, count * (uint64_t)PERIOD};
        m.n = 0;
        put_packed(&m, 1, ids, d);
        put_packed(&m, 2, vals, 2);
        if (rnd_below(100) < LABEL_PCT) {
            labeled++;
            sub.n = 0; put_uint(&sub, 1, s_region); put_uint(&sub, 2, s_regions[rnd_below(5)]); put_msg(&m, 3, &sub);
            sub.n = 0; put_uint(&sub, 1, s_pod); put_uint(&sub, 2, s_pods[rnd_below(50)]); put_msg(&m, 3, &sub);
            sub.n = 0; put_uint(&sub, 1, s_env); put_uint(&sub, 2, rnd_below(4) ? s_prod : s_dev); put_msg(&m, 3, &sub);
        }
        if (rnd_below(100) < BYTES_PCT) {
            uint64_t bytes = (1ULL << (6 + rnd_below(18))) + rnd_below(4096);
            sub.n = 0; put_uint(&sub, 1, s_bytes); put_uint(&sub, 3, bytes); put_uint(&sub, 4, s_bytes);
            put_msg(&m, 3, &sub);
        }
        sink_msg(&sk, 2, &m);
    }
    double t1 = now();
    uint32_t nused = 0;
    for (uint32_t i = 1; i <= F; i++) nused += used[i];

    /* mapping = 3 */
    uint64_t addr0 = 0x400000, stride = 0x40;
    m.n = 0;
    put_uint(&m, 1, 1); put_uint(&m, 2, addr0); put_uint(&m, 3, addr0 + stride * ((uint64_t)F + 2));
    put_uint(&m, 5, s_binary); put_uint(&m, 6, s_buildid);
    put_uint(&m, 7, 1); put_uint(&m, 8, 1); put_uint(&m, 9, 1); put_uint(&m, 10, 1);
    sink_msg(&sk, 3, &m);

    /* location = 4, in id order */
    unsigned ninlined = 0;
    for (uint32_t id = 1; id <= F; id++) {
        const Func *f = &funcs[id];
        ninlined += f->ninl > 0;
        m.n = 0;
        put_uint(&m, 1, id); put_uint(&m, 2, 1); put_uint(&m, 3, addr0 + stride * id + 7);
        /* Line[0] is the innermost inlined frame, the last one the caller */
        for (int j = f->ninl - 1; j >= 0; j--) {
            const Func *g = &funcs[f->inl[j]];
            sub.n = 0; put_uint(&sub, 1, f->inl[j]);
            put_uint(&sub, 2, (uint64_t)(g->start_line + 2 + j));
            put_msg(&m, 4, &sub);
        }
        sub.n = 0; put_uint(&sub, 1, id); put_uint(&sub, 2, (uint64_t)(f->start_line + 3 + id % 97));
        put_msg(&m, 4, &sub);
        sink_msg(&sk, 4, &m);
    }

    /* function = 5, in id order */
    for (uint32_t id = 1; id <= F; id++) {
        const Func *f = &funcs[id];
        m.n = 0;
        put_uint(&m, 1, id); put_uint(&m, 2, f->name); put_uint(&m, 3, f->name);
        put_uint(&m, 4, f->file); put_uint(&m, 5, (uint64_t)f->start_line);
        sink_msg(&sk, 5, &m);
    }

    /* string_table = 6: every entry, including the empty string 0 */
    for (size_t i = 0; i < nstrs; i++) {
        put_bytes(&sk.pend, 6, strs[i], strlen(strs[i]));
        sink_check(&sk);
    }

    /* time_nanos = 9, duration_nanos = 10, period_type = 11, period = 12,
     * default_sample_type = 14 */
    Buf *p = &sk.pend;
    put_uint(p, 9, (uint64_t)TIME_NANOS);
    uint64_t dur = total_count * (uint64_t)PERIOD / BUSY_CORES;
    put_uint(p, 10, dur - dur % 1000000000 + 1000000000);
    sub.n = 0; put_uint(&sub, 1, s_cpu); put_uint(&sub, 2, s_ns); put_msg(p, 11, &sub);
    put_uint(p, 12, (uint64_t)PERIOD);
    put_uint(p, 14, s_cpu);
    uint64_t gz = sink_close(&sk);
    double t2 = now();

    fprintf(stderr,
            "gen: %s: stacks %llu (redraws %llu), functions %u, locations %u (%u with inlined lines), "
            "strings %zu\n"
            "gen: total frames %llu (mean depth %.2f; ids 1/2/3 bytes: %.1f/%.1f/%.1f%%), "
            "with inlines expanded %llu\n"
            "gen: locations used by samples %u, labeled samples %llu, total count %llu\n"
            "gen: call-tree nodes (distinct root-to-node function paths) %zu\n"
            "gen: uncompressed %llu bytes (%.1f MB), gzipped %llu bytes (%.1f MB)\n"
            "gen: time %.2f s (samples %.2f s)\n",
            out, (unsigned long long)nstacks, (unsigned long long)redraws, F, F, ninlined, nstrs,
            (unsigned long long)nf, nstacks ? (double)nf / nstacks : 0.0,
            nf ? 100.0 * idbytes[1] / nf : 0.0, nf ? 100.0 * idbytes[2] / nf : 0.0,
            nf ? 100.0 * idbytes[3] / nf : 0.0, (unsigned long long)total_lines,
            nused, (unsigned long long)labeled, (unsigned long long)total_count, nodes.n,
            (unsigned long long)sk.raw, sk.raw / 1e6, (unsigned long long)gz, gz / 1e6,
            t2 - t0, t1 - t0);
    return 0;
}
