/* Every module's Check suite; tests/check_main.c runs them all. */
#ifndef EMBER_CHECK_SUITES_H
#define EMBER_CHECK_SUITES_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

Suite *util_suite(void);
Suite *text_suite(void);
Suite *units_suite(void);
Suite *trie_suite(void);
Suite *profile_suite(void);
Suite *decompress_suite(void);
Suite *pprof_suite(void);
Suite *folded_suite(void);
Suite *query_suite(void);
Suite *ftree_suite(void);
Suite *canvas_suite(void);
Suite *app_suite(void);
Suite *selector_suite(void);
Suite *timeline_suite(void);
Suite *numbers_suite(void);
Suite *hints_suite(void);

/* Reads a fixture under tests/data into a malloc'd buffer. */
uint8_t *read_fixture(const char *name, size_t *len);

#endif
