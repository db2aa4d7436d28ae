/* Decompression by magic bytes, with a cap on the inflated size so that a
 * small hostile file cannot take the machine's memory. */
#ifndef EMBER_DECOMPRESS_H
#define EMBER_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>

enum compression { COMPRESSION_NONE, COMPRESSION_GZIP, COMPRESSION_ZSTD };

#define DECOMPRESS_DEFAULT_CAP ((size_t)1 << 30)

enum compression decompress_detect(const uint8_t *data, size_t len);
const char *decompress_name(enum compression c);

/* Inflates data (gzip or zstd, possibly several members/frames) into a new
 * malloc'd buffer *out of *out_len bytes, at most cap bytes. Returns 0, or
 * -1 with a reason in err (errlen bytes): also when what it inflated is
 * gzip or zstd again ("zstd data inside gzip: ..."). */
int decompress(enum compression c, const uint8_t *data, size_t len, size_t cap,
               uint8_t **out, size_t *out_len, char *err, size_t errlen);

#endif
