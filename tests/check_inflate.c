/* Large inflates (issue 14): the output buffer's pages are mapped on the
 * other core while the data inflates into it; what comes out is the same
 * bytes, and a size that lies is still refused. */
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "check_suites.h"
#include "decompress.h"

enum { BIG = 40 << 20 };

/* 40 MB that compress well but not to nothing: a counter in text. */
static uint8_t *sample_bytes(size_t n)
{
    uint8_t *d = malloc(n);

    for (size_t i = 0; i < n; i++)
        d[i] = (uint8_t)("0123456789abcdef"[(i * 7 + (i >> 10)) & 15]);
    return d;
}

static uint8_t *gzip_of(const uint8_t *d, size_t n, size_t *out_len)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(1);
    size_t bound = libdeflate_gzip_compress_bound(c, n);
    uint8_t *out = malloc(bound);

    *out_len = libdeflate_gzip_compress(c, d, n, out, bound);
    libdeflate_free_compressor(c);
    ck_assert_uint_gt(*out_len, 0);
    return out;
}

START_TEST(large_gzip_inflates_to_the_same_bytes)
{
    size_t zlen, n;
    uint8_t *d = sample_bytes(BIG), *z = gzip_of(d, BIG, &zlen), *out = NULL;
    char err[256];

    ck_assert_int_eq(decompress(COMPRESSION_GZIP, z, zlen, (size_t)1 << 30, &out, &n, err,
                                sizeof err), 0);
    ck_assert_uint_eq(n, BIG);
    ck_assert(!memcmp(out, d, BIG));
    free(out);
    /* one that claims 4 GB - 1 from a few hundred KB, then the data is cut:
     * refused, nothing left behind */
    uint32_t lie = UINT32_MAX;

    memcpy(z + zlen - 4, &lie, 4);
    out = NULL;
    ck_assert_int_ne(decompress(COMPRESSION_GZIP, z, zlen / 2, (size_t)1 << 30, &out, &n, err,
                                sizeof err), 0);
    free(z), free(d);
}
END_TEST

START_TEST(large_zstd_inflates_to_the_same_bytes)
{
    uint8_t *d = sample_bytes(BIG), *out = NULL;
    size_t bound = ZSTD_compressBound(BIG), zlen, n;
    uint8_t *z = malloc(bound);
    char err[256];

    zlen = ZSTD_compress(z, bound, d, BIG, 1);   /* declares its size */
    ck_assert(!ZSTD_isError(zlen));
    ck_assert_int_eq(decompress(COMPRESSION_ZSTD, z, zlen, (size_t)1 << 30, &out, &n, err,
                                sizeof err), 0);
    ck_assert_uint_eq(n, BIG);
    ck_assert(!memcmp(out, d, BIG));
    free(out), free(z), free(d);
}
END_TEST

/* zstd of d[0..n): with its size declared or not. */
static uint8_t *zstd_of(const uint8_t *d, size_t n, int declare, size_t *out_len)
{
    ZSTD_CCtx *c = ZSTD_createCCtx();
    size_t bound = ZSTD_compressBound(n);
    uint8_t *out = malloc(bound);

    ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, declare);
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);  /* corruption shows */
    *out_len = ZSTD_compress2(c, out, bound, d, n);
    ZSTD_freeCCtx(c);
    ck_assert(!ZSTD_isError(*out_len));
    return out;
}

static void inflates_to(const uint8_t *z, size_t zlen, const uint8_t *want, size_t n)
{
    uint8_t *out = NULL;
    size_t got;
    char err[256];

    ck_assert_msg(!decompress(COMPRESSION_ZSTD, z, zlen, (size_t)1 << 30, &out, &got, err,
                              sizeof err), "%s", err);
    ck_assert_uint_eq(got, n);
    ck_assert(!memcmp(out, want, n));
    free(out);
}

/* The one-shot decoder and the streaming loop it falls back to: a file
 * that declares no size and inflates past the first guess (four times
 * its size: 4 MB of zeros), two frames past the first one's declared
 * size, and truncated or corrupt data, which still get the loop's
 * messages. */
START_TEST(zstd_one_shot_falls_back_to_the_loop)
{
    size_t n = 4 << 20, zlen, alen, blen;
    uint8_t *zeros = calloc(n, 1), *d = sample_bytes(n), *z, *a, *b, *two, *out = NULL;
    char err[256];
    size_t got;

    z = zstd_of(zeros, n, 0, &zlen);
    ck_assert_uint_lt(zlen * 4, n);            /* past the guess */
    inflates_to(z, zlen, zeros, n);
    free(z);
    z = zstd_of(d, n, 0, &zlen);               /* no size, within the guess */
    inflates_to(z, zlen, d, n);
    a = zstd_of(d, n / 2, 1, &alen);
    b = zstd_of(d + n / 2, n - n / 2, 1, &blen);
    two = malloc(alen + blen);
    memcpy(two, a, alen);
    memcpy(two + alen, b, blen);
    inflates_to(two, alen + blen, d, n);        /* more than the first declares */
    ck_assert_int_eq(decompress(COMPRESSION_ZSTD, z, zlen - 7, (size_t)1 << 30, &out, &got, err,
                                sizeof err), -1);
    ck_assert_str_eq(err, "truncated zstd data");
    z[zlen / 2] ^= 0xff;
    z[zlen / 2 + 1] ^= 0x5a;
    ck_assert_int_eq(decompress(COMPRESSION_ZSTD, z, zlen, (size_t)1 << 30, &out, &got, err,
                                sizeof err), -1);
    ck_assert_msg(!strncmp(err, "corrupt zstd data (", 19), "%s", err);
    free(zeros), free(d), free(z), free(a), free(b), free(two);
}
END_TEST

Suite *inflate_suite(void)
{
    Suite *s = suite_create("inflate");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, large_gzip_inflates_to_the_same_bytes);
    tcase_add_test(tc, large_zstd_inflates_to_the_same_bytes);
    tcase_add_test(tc, zstd_one_shot_falls_back_to_the_loop);
    suite_add_tcase(s, tc);
    return s;
}
