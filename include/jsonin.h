/* JSON profiles (issue 12's imports): Pyroscope's flamebearer (its export
 * button, ember's own export), the Connect JSON answer of
 * SelectMergeStacktraces, and speedscope files. Parsed by jansson (its
 * depth limit, JSON_PARSER_MAX_DEPTH), whose memory is held to what the
 * model's budget leaves. Source layer: no curses, no printing; errors name
 * the place ("levels[3]: 5 values, not a multiple of 4"). */
#ifndef EMBER_JSONIN_H
#define EMBER_JSONIN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "profile.h"

/* Whether data is meant as JSON: its first byte past white space (and a
 * UTF-8 byte order mark) is '{'. */
int jsonin_sniff(const uint8_t *data, size_t len);

/* Parses data as JSON and loads the profile it holds into p as source
 * `name` (a string id). Returns 0; -1 with the reason in err (bad JSON with
 * its line and column, a broken profile with the place); SOURCE_NOT_PROFILE
 * for valid JSON that is none of the formats. */
int jsonin_load(struct profile *p, uint32_t name, const uint8_t *data, size_t len, char *err);

/* The importers, on a parsed document (flamebearer.c, speedscope.c). */
int flamebearer_load(struct profile *p, uint32_t name, const json_t *doc, char *err);
int connect_flamegraph_load(struct profile *p, uint32_t name, const json_t *doc, char *err);
int speedscope_load(struct profile *p, uint32_t name, const json_t *doc, char *err);

/* A whole number: a JSON integer, or a string of one (protojson writes
 * int64 so). Returns 0, or -1 when v is neither or out of int64. */
int jsonin_int(const json_t *v, int64_t *out);

#endif
