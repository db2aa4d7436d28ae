/* libFuzzer harness for the query language and the time parser: typed by
 * people, but a parser all the same. Run: make fuzz-query. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "selector.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    char *text = malloc(len + 1), err[SELECTOR_ERR_MAX];
    struct selector s;
    struct profile p;
    int64_t t;

    memcpy(text, data, len);
    text[len] = '\0';
    if (selector_parse(text, &s, err) == 0) {
        struct label l = { 0 };

        profile_init(&p);           /* match against one labelled and one bare set */
        l.key = profile_intern(&p, "region", 6);
        l.str = profile_intern(&p, "eu-north", 8);
        selector_match_set(&s, &p, profile_labelset(&p, &l, 1));
        selector_match_set(&s, &p, 0);
        profile_free(&p);
        selector_free(&s);
    }
    selector_parse_time(text, 1800000000LL * 1000000000LL, &t);
    free(text);
    return 0;
}
