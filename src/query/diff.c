#include "diff.h"

double diff_change(int64_t base, int64_t base_total, int64_t cmp, int64_t cmp_total)
{
    double pl = base_total > 0 ? 100.0 * (double)base / (double)base_total : 0;
    double pr = cmp_total > 0 ? 100.0 * (double)cmp / (double)cmp_total : 0;
    double change;

    if (pl <= 0)
        return pr > 0 ? 100 : 0;
    change = (pr - pl) / pl * 100;
    return change > 100 ? 100 : change < -100 ? -100 : change;
}

int diff_level(double change)
{
    double a = change < 0 ? -change : change;
    int level = a < 10 ? 0 : a < 25 ? 1 : a < 45 ? 2 : a < 65 ? 3 : a < 85 ? 4 : 5;

    return change < 0 ? -level : level;
}
