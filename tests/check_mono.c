/* Monochrome (NO_COLOR, TERM=vt100): the app drawn into an in-memory canvas
 * with a.mono set, each cell looked up in the monochrome theme. Bars, the
 * selection, matches, grew and shrank must be told apart by what a
 * terminal without colors shows: the text, and attributes (bold shows on
 * letters only; reverse and underline on spaces too). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "check_suites.h"
#include "diff.h"
#include "theme.h"
#include "view_fx.h"

#define RULE 0x258F             /* the rule a bar ends with */

/* Side A (region a): grow 10, shrink 40, same 50 of 100; side B (region b):
 * grow 30, shrink 20, same 50. Shares: grow 10% -> 30% (+200%), shrink
 * 40% -> 20% (-50%), same 50% -> 50% and m 100% -> 100% (no change). */
static const char *stacks[2] = { "m;grow 10\nm;shrink 40\nm;same 50\n",
                                 "m;grow 30\nm;shrink 20\nm;same 50\n" };

static void open_mono(struct fx *f, int w, int h)
{
    fx_begin(f);
    for (int i = 0; i < 2; i++)
        fx_add_folded(f, stacks[i], fx_labelset(f, "region", i ? "b" : "a"));
    fx_start(f, 0, NULL, "mono", w, h);
    f->a.mono = 1;
    ck_assert_int_eq(app_set_query(&f->a, 0, "{region=\"a\"}"), 0);
    ck_assert_int_eq(app_set_query(&f->a, 1, "{region=\"b\"}"), 0);
}

static int attrs_at(struct fx *f, int x, int y)
{
    const struct cell *cell = canvas_at(&f->c, x, y);

    return theme_style(THEME_MONO, (enum role)cell->role, cell->color).attrs;
}

static int is_bar(const struct cell *cell)
{
    return cell->role == ROLE_FLAME || cell->role == ROLE_FLAME_FADED || cell->role == ROLE_DIFF ||
           cell->role == ROLE_SELECTED || cell->role == ROLE_MATCH;
}

/* The first cell at or right of column x0 where text starts on a row, in
 * cells of a bar (the header and status bar hold names too). */
static int find(struct fx *f, const char *text, int x0, int *fx, int *fy)
{
    size_t n = strlen(text);

    for (int y = 0; y < f->c.h; y++) {
        for (int x = x0; x + (int)n <= f->c.w; x++) {
            size_t i = 0;

            while (i < n && canvas_at(&f->c, x + (int)i, y)->ch == (unsigned char)text[i] &&
                   is_bar(canvas_at(&f->c, x + (int)i, y)))
                i++;
            if (i == n) {
                *fx = x;
                *fy = y;
                return 1;
            }
        }
    }
    return 0;
}

/* What a bar shows without colors: its mark ('+', '-' or none), the
 * attributes of its name's first letter, and the attributes that show on
 * its padding spaces. The bar must end with the rule. */
struct look {
    uint32_t mark;
    int name, pad;
};

static struct look look_of(struct fx *f, const char *name, int x0)
{
    struct look l = { 0, 0, 0 };
    int x, y, end;

    ck_assert_msg(find(f, name, x0, &x, &y), "no bar '%s'", name);
    if (x > 0 && strchr("+-", (int)canvas_at(&f->c, x - 1, y)->ch))
        l.mark = canvas_at(&f->c, x - 1, y)->ch;
    l.name = attrs_at(f, x, y);
    for (end = x + (int)strlen(name); end < f->c.w && canvas_at(&f->c, end, y)->ch == ' '; end++)
        ;
    ck_assert_msg(end > x + (int)strlen(name), "bar '%s' has no padding", name);
    ck_assert_msg(end < f->c.w && canvas_at(&f->c, end, y)->ch == RULE, "bar '%s' ends without a rule",
                  name);
    l.pad = attrs_at(f, end - 1, y) & (STYLE_REVERSE | STYLE_UNDERLINE);
    return l;
}

/* Two bars that differ only by bold letters, or not at all, cannot be told
 * apart at a glance: the mark or what shows on spaces must differ. */
static void assert_apart(struct look a, struct look b, const char *what)
{
    ck_assert_msg(a.mark != b.mark || a.pad != b.pad, "%s look alike without colors", what);
}

START_TEST(bars_selection_and_matches_differ)
{
    struct fx f;
    struct look plain, sel, match, faded;

    open_mono(&f, 80, 12);
    app_set_view(&f.a, VIEW_FLAME);
    fx_render(&f);
    plain = look_of(&f, "same", 0);         /* side A's flamegraph: total selected */
    sel = look_of(&f, "total", 0);
    ck_assert_int_eq(plain.name, 0);
    ck_assert(sel.pad & STYLE_REVERSE);     /* the selection alone is reversed */
    assert_apart(plain, sel, "a bar and the selection");
    fx_key(&f, '/');
    for (const char *s = "shrink"; *s; s++)
        fx_key(&f, *s);
    fx_key(&f, K_ENTER);
    match = look_of(&f, "shrink", 0);
    faded = look_of(&f, "same", 0);
    ck_assert(match.name & STYLE_BOLD);
    assert_apart(match, sel, "a match and the selection");
    assert_apart(match, plain, "a match and a bar");
    assert_apart(match, faded, "a match and a bar that does not match");
    fx_close(&f);
}
END_TEST

START_TEST(diff_grew_and_shrank_differ)
{
    struct fx f;
    struct look grew, shrank, same, sel, match, legend_grew, legend_shrank;
    int x, y, fx0 = 0;

    open_mono(&f, 120, 16);
    app_set_view(&f.a, VIEW_DIFF);
    fx_render(&f);                             /* the flamegraph has the focus */
    ck_assert(find(&f, "total", 40, &x, &y));
    fx0 = x;                                /* the flamegraph's first column */
    grew = look_of(&f, "grow", fx0);
    shrank = look_of(&f, "shrink", fx0);
    same = look_of(&f, "same", fx0);
    sel = look_of(&f, "total", fx0);
    ck_assert_uint_eq(grew.mark, '+');
    ck_assert_uint_eq(shrank.mark, '-');
    ck_assert_uint_eq(same.mark, 0);
    fx_key(&f, K_TAB);                         /* the table's function shows as a match */
    fx_key(&f, 'g');                           /* its first row: grow, the largest change */
    match = look_of(&f, "grow", fx0);
    ck_assert_uint_eq(match.mark, '+');     /* a match that grew keeps its mark */
    match.mark = 0;
    {
        struct look all[] = { same, sel, match, grew, shrank };
        const char *names[] = { "a bar", "the selection", "a match", "grew", "shrank" };

        for (int i = 0; i < 5; i++) {
            for (int j = i + 1; j < 5; j++) {
                char what[64];

                snprintf(what, sizeof what, "%s and %s", names[i], names[j]);
                assert_apart(all[i], all[j], what);
            }
        }
    }
    /* the legend shows the same marks in the same attributes */
    ck_assert(find(&f, "-shrank", 0, &x, &y));
    legend_shrank = (struct look){ '-', attrs_at(&f, x + 1, y), 0 };
    ck_assert(find(&f, "+grew", 0, &x, &y));
    legend_grew = (struct look){ '+', attrs_at(&f, x + 1, y), 0 };
    ck_assert_int_eq(legend_shrank.name, shrank.name);
    ck_assert_int_eq(legend_grew.name, grew.name);
    fx_close(&f);
}
END_TEST

Suite *mono_suite(void)
{
    Suite *s = suite_create("mono");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, bars_selection_and_matches_differ);
    tcase_add_test(tc, diff_grew_and_shrank_differ);
    suite_add_tcase(s, tc);
    return s;
}
