/* Human-readable values in a sample type's unit, as pprof shows them. */
#ifndef EMBER_UNITS_H
#define EMBER_UNITS_H

#include <stddef.h>
#include <stdint.h>

#define UNITS_BUF 32

/* Formats v, measured in unit ("nanoseconds", "bytes", "count", ...), with
 * three significant digits: "2.66s", "1.29GB", "12.3k", "850ms". */
void units_format(int64_t v, const char *unit, char *buf, size_t n);

/* Formats part as a percentage of whole ("21.28%"; "-" when whole is 0). */
void units_percent(int64_t part, int64_t whole, char *buf, size_t n);

/* Parses a byte size: digits with an optional K, M, G or T suffix (powers
 * of 1024, "MB"/"MiB" accepted). Returns 0, or -1 when malformed. */
int units_parse_size(const char *s, size_t *out);

/* Parses a duration: a number (a fraction allowed) with ms, s, m or h;
 * a bare number is seconds ("15s", "1.5m", "500ms", "2"). Returns 0 with
 * nanoseconds in *out_ns, or -1 when malformed. */
int units_parse_duration(const char *s, int64_t *out_ns);

#endif
