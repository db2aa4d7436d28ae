#include "diff.h"

#include <math.h>

double diff_share(int64_t v, int64_t total)
{
    return total > 0 ? 100.0 * (double)v / (double)total : 0;
}

double diff_relative(int64_t base, int64_t base_total, int64_t cmp, int64_t cmp_total)
{
    double pl = diff_share(base, base_total), pr = diff_share(cmp, cmp_total);

    if (pl <= 0)
        return pr > 0 ? HUGE_VAL : 0;
    return (pr - pl) / pl * 100;
}

double diff_change(int64_t base, int64_t base_total, int64_t cmp, int64_t cmp_total)
{
    double change = diff_relative(base, base_total, cmp, cmp_total);

    return change > 100 ? 100 : change < -100 ? -100 : change;
}

int diff_level(double change)
{
    double a = change < 0 ? -change : change;
    int level = a < 10 ? 0 : a < 25 ? 1 : a < 45 ? 2 : a < 65 ? 3 : a < 85 ? 4 : 5;

    return change < 0 ? -level : level;
}
