#include "decompress.h"

#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "xalloc.h"

enum compression decompress_detect(const uint8_t *d, size_t len)
{
    if (len >= 2 && d[0] == 0x1f && d[1] == 0x8b)
        return COMPRESSION_GZIP;
    if (len >= 4 && d[0] == 0x28 && d[1] == 0xb5 && d[2] == 0x2f && d[3] == 0xfd)
        return COMPRESSION_ZSTD;
    /* a skippable frame (magic 0x184D2A50..5F) may come first: zstd skips it */
    if (len >= 4 && (d[0] & 0xf0) == 0x50 && d[1] == 0x2a && d[2] == 0x4d && d[3] == 0x18)
        return COMPRESSION_ZSTD;
    return COMPRESSION_NONE;
}

const char *decompress_name(enum compression c)
{
    return c == COMPRESSION_GZIP ? "gzip" : c == COMPRESSION_ZSTD ? "zstd" : "none";
}

static void too_big(size_t cap, char *err, size_t errlen)
{
    snprintf(err, errlen, "decompressed size exceeds the limit of %zu MiB (--max-size raises it)",
             cap >> 20);
}

/* The output buffer's pages are mapped on the other core while the
 * inflater writes them from the start (xpopulate): on a VM the first touch
 * of a page costs about as much as inflating into it (0.2 s of the bench
 * profile's 89 MB). Only for a size the input declares, and no more than
 * POPULATE_RATIO times the input: a file that lies about its size costs no
 * more than its bytes are worth (the rest faults in as it is written). */
#define POPULATE_RATIO 8

static void populate_start(struct xpopulate *w, void *p, size_t size, size_t in_len)
{
    size_t len = in_len < SIZE_MAX / POPULATE_RATIO && size > in_len * POPULATE_RATIO ?
                 in_len * POPULATE_RATIO : size;

    xpopulate_start(w, p, len);
}

/* Deflate inflates at most 1032 bytes per byte of input. */
#define DEFLATE_MAX_RATIO 1032

/* A gzip member ends with its inflated size mod 2^32: a first guess, which
 * a file may fake, so it is held to what the data can inflate to. */
static size_t gzip_size_hint(const uint8_t *d, size_t len, size_t cap)
{
    size_t hint = len >= 4 ? (size_t)d[len - 4] | (size_t)d[len - 3] << 8 |
                  (size_t)d[len - 2] << 16 | (size_t)d[len - 1] << 24 : 0;

    if (hint < len)
        hint = len * 4;
    if (len < SIZE_MAX / DEFLATE_MAX_RATIO && hint > len * DEFLATE_MAX_RATIO)
        hint = len * DEFLATE_MAX_RATIO;
    return hint > cap ? cap : hint + 64;
}

/* Inflates one gzip member at data into out[*used..size); grows out as
 * needed up to cap. Returns bytes of input consumed, 0 on error. */
static size_t gunzip_member(struct libdeflate_decompressor *z, const uint8_t *d, size_t len,
                            size_t cap, uint8_t **out, size_t *size, size_t *used,
                            struct xpopulate *w, char *err, size_t errlen)
{
    for (;;) {
        size_t in_used = 0, produced = 0;
        enum libdeflate_result r = libdeflate_gzip_decompress_ex(
            z, d, len, *out + *used, *size - *used, &in_used, &produced);

        if (r == LIBDEFLATE_SUCCESS) {
            *used += produced;
            return in_used;
        }
        if (r != LIBDEFLATE_INSUFFICIENT_SPACE) {
            snprintf(err, errlen, "truncated or corrupt gzip data");
            return 0;
        }
        if (*size >= cap) {
            too_big(cap, err, errlen);
            return 0;
        }
        *size = *size > cap / 2 ? cap : *size * 2;
        xpopulate_stop(w);
        *out = xreallocarray(*out, *size, 1);
    }
}

static int all_zero(const uint8_t *d, size_t len)
{
    return d[0] == 0 && !memcmp(d, d + 1, len - 1);
}

static int gunzip(const uint8_t *d, size_t len, size_t cap, uint8_t **out, size_t *out_len,
                  char *err, size_t errlen)
{
    struct libdeflate_decompressor *z = libdeflate_alloc_decompressor();
    size_t size = gzip_size_hint(d, len, cap), used = 0;
    uint8_t *buf = xmalloc(size);
    struct xpopulate w = { .running = 0 };

    if (!z)
        fatal("out of memory (gzip decompressor)");
    if (size > len)             /* the trailer's size, not a guess */
        populate_start(&w, buf, size, len);
    /* Concatenated members form one stream (as gzip -d treats them); zero
     * bytes after a member are padding (tape and block writers add it;
     * gzip -d ignores it too). */
    while (len && !(used && all_zero(d, len))) {
        size_t n = gunzip_member(z, d, len, cap, &buf, &size, &used, &w, err, errlen);

        if (!n) {
            xpopulate_stop(&w);
            free(buf);
            libdeflate_free_decompressor(z);
            return -1;
        }
        d += n;
        len -= n;
    }
    xpopulate_stop(&w);
    libdeflate_free_decompressor(z);
    *out = buf;
    *out_len = used;
    return 0;
}

/* The whole file in one call (every frame of it) into the buffer made
 * for it (of the declared size, or the guess): zstd's one-shot decoder,
 * which the streaming loop below falls back from. On the bench profile
 * (a frame that declares no size, 89 MB out of 35) the load's peak memory
 * measured 441 MB this way against 465 through the loop, the same bytes
 * out; the peak comes later, in the build. 0, with z reset, when it does
 * not do (more bytes than the buffer holds, corrupt or truncated data):
 * the loop then grows the buffer or says why, as before. */
static int one_shot(ZSTD_DCtx *z, ZSTD_outBuffer *ob, const uint8_t *d, size_t len, size_t cap)
{
    size_t n = ZSTD_decompressDCtx(z, ob->dst, ob->size, d, len);

    if (!ZSTD_isError(n) && n <= cap) {
        ob->pos = n;
        return 1;
    }
    ZSTD_DCtx_reset(z, ZSTD_reset_session_and_parameters);
    return 0;
}

static int unzstd(const uint8_t *d, size_t len, size_t cap, uint8_t **out, size_t *out_len,
                  char *err, size_t errlen)
{
    ZSTD_DCtx *z = ZSTD_createDCtx();
    ZSTD_inBuffer in = { d, len, 0 };
    ZSTD_outBuffer ob = { NULL, len * 4 < cap ? len * 4 + 4096 : cap, 0 };
    size_t r = 1;

    if (!z)
        fatal("out of memory (zstd decompressor)");
    /* A frame that declares its size says at once whether it fits. */
    unsigned long long declared = ZSTD_getFrameContentSize(d, len);
    if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR &&
        declared > cap) {
        too_big(cap, err, errlen);
        ZSTD_freeDCtx(z);
        return -1;
    }
    /* The declared size is not checked until the end: trust it only as far
     * as a small multiple of the input, and grow from there. */
    if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR &&
        declared + 1 > ob.size)
        ob.size = declared < (unsigned long long)len * 64 + (1 << 20) ? (size_t)declared + 1 :
                  len * 64 + (1 << 20);
    ob.dst = xmalloc(ob.size);
    struct xpopulate w = { .running = 0 };

    if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR)
        populate_start(&w, ob.dst, ob.size, len);
    if (one_shot(z, &ob, d, len, cap)) {
        xpopulate_stop(&w);
        ZSTD_freeDCtx(z);
        *out = ob.dst;
        *out_len = ob.pos;
        return 0;
    }
    while (in.pos < in.size || ob.pos == ob.size) {
        if (ob.pos == ob.size) {
            if (ob.size >= cap) {
                too_big(cap, err, errlen);
                goto fail;
            }
            ob.size = ob.size > cap / 2 ? cap : ob.size * 2;
            xpopulate_stop(&w);
            ob.dst = xreallocarray(ob.dst, ob.size, 1);
        }
        r = ZSTD_decompressStream(z, &ob, &in);
        if (ZSTD_isError(r)) {
            snprintf(err, errlen, "corrupt zstd data (%s)", ZSTD_getErrorName(r));
            goto fail;
        }
    }
    if (r) {
        snprintf(err, errlen, "truncated zstd data");
        goto fail;
    }
    xpopulate_stop(&w);
    ZSTD_freeDCtx(z);
    *out = ob.dst;
    *out_len = ob.pos;
    return 0;
fail:
    xpopulate_stop(&w);
    free(ob.dst);
    ZSTD_freeDCtx(z);
    return -1;
}

int decompress(enum compression c, const uint8_t *data, size_t len, size_t cap,
               uint8_t **out, size_t *out_len, char *err, size_t errlen)
{
    enum compression inner;
    int r = -1;

    if (c == COMPRESSION_GZIP)
        r = gunzip(data, len, cap, out, out_len, err, errlen);
    else if (c == COMPRESSION_ZSTD)
        r = unzstd(data, len, cap, out, out_len, err, errlen);
    else
        snprintf(err, errlen, "not compressed");
    if (r)
        return r;
    /* A second layer is no profile (neither protobuf nor text starts with
     * a magic), and pprof too undoes only one: say what it is rather than
     * "malformed protobuf". */
    if ((inner = decompress_detect(*out, *out_len)) != COMPRESSION_NONE) {
        snprintf(err, errlen, "%s data inside %s: the file was compressed twice (ember, as "
                 "pprof, decompresses one layer)", decompress_name(inner), decompress_name(c));
        free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}
