/* What every Check suite shares. Each tests/check_NAME.c defines
 * Suite *NAME_suite(void); the Makefile lists them for check_main.c. */
#ifndef EMBER_CHECK_SUITES_H
#define EMBER_CHECK_SUITES_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

/* Reads a fixture under tests/data into a malloc'd buffer. */
uint8_t *read_fixture(const char *name, size_t *len);
/* The grand total of go tool pprof's table tests/data/expected/FILE (a
 * .top): the sum of its self column. */
int64_t expected_top_sum(const char *file);

#endif
