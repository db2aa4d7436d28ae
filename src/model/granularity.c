/* The granularities' names, as pprof's options spell them. */
#include <string.h>

#include "profile.h"

static const char *const names[GRAN_COUNT] = {
    [GRAN_FUNCTIONS] = "functions", [GRAN_FILEFUNCTIONS] = "filefunctions",
    [GRAN_FILES] = "files", [GRAN_LINES] = "lines", [GRAN_ADDRESSES] = "addresses",
};

const char *granularity_name(enum granularity g)
{
    return (unsigned)g < GRAN_COUNT ? names[g] : "functions";
}

int granularity_parse(const char *s)
{
    for (int g = 0; s && g < GRAN_COUNT; g++)
        if (!strcmp(s, names[g]))
            return g;
    return -1;
}
