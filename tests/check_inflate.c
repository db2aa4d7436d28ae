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

Suite *inflate_suite(void)
{
    Suite *s = suite_create("inflate");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, large_gzip_inflates_to_the_same_bytes);
    tcase_add_test(tc, large_zstd_inflates_to_the_same_bytes);
    suite_add_tcase(s, tc);
    return s;
}
