/* The theme's color tables: every role readable at every depth. */
#include <math.h>

#include "check_suites.h"
#include "diff.h"
#include "theme.h"

/* xterm's default RGB for the eight basic colors. */
static const double rgb8[8][3] = {
    { 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
    { 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
};

/* WCAG 2 relative luminance of an sRGB color. */
static double luminance(const double *c)
{
    double l[3];

    for (int i = 0; i < 3; i++) {
        double v = c[i] / 255;

        l[i] = v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

static double contrast(const double *a, const double *b)
{
    double x = luminance(a), y = luminance(b);

    return x > y ? (x + 0.05) / (y + 0.05) : (y + 0.05) / (x + 0.05);
}

/* The worst contrast of fg on bg, where -1 (the terminal's default) may be
 * black or white: a terminal may be dark or light. */
static double worst_contrast(short fg, short bg)
{
    static const double black[3] = { 0, 0, 0 }, white[3] = { 255, 255, 255 };
    const double *fgs[2], *bgs[2];
    int nf = 0, nb = 0;
    double worst = 100;

    if (fg < 0 && bg < 0)
        return 21;              /* the terminal's own pair */
    if (fg < 0) { fgs[nf++] = black; fgs[nf++] = white; } else fgs[nf++] = rgb8[fg];
    if (bg < 0) { bgs[nb++] = black; bgs[nb++] = white; } else bgs[nb++] = rgb8[bg];
    for (int i = 0; i < nf; i++)
        for (int j = 0; j < nb; j++)
            worst = fmin(worst, contrast(fgs[i], bgs[j]));
    return worst;
}

/* Roles and the colors each takes (a flame hue, a diff level). */
static int colors_of(enum role r)
{
    return r == ROLE_DIFF ? 2 * DIFF_LEVELS + 1 : r == ROLE_FLAME || r == ROLE_FLAME_FADED
                                                      ? THEME_HUES : 1;
}

/* Before the fix, the status bar (and header) were color 15 on 4, a pair
 * an 8-color terminal refuses, so they drew black on black. 3:1 is WCAG's
 * least contrast for large text and interface parts. */
START_TEST(eight_colors_are_readable)
{
    for (int r = 0; r < ROLE_COUNT; r++) {
        for (int h = 0; h < colors_of((enum role)r); h++) {
            struct style s = theme_style(THEME_8, (enum role)r, (uint8_t)h);

            ck_assert_msg(s.fg >= -1 && s.fg <= 7 && s.bg >= -1 && s.bg <= 7,
                          "role %d color %d: %d on %d is not one of the 8 colors", r, h, s.fg,
                          s.bg);
            ck_assert_msg(worst_contrast(s.fg, s.bg) >= 3.0,
                          "role %d color %d: %d on %d has contrast %.2f", r, h, s.fg, s.bg,
                          worst_contrast(s.fg, s.bg));
        }
    }
}
END_TEST

START_TEST(two_fifty_six_colors_are_in_range)
{
    for (int r = 0; r < ROLE_COUNT; r++) {
        for (int h = 0; h < colors_of((enum role)r); h++) {
            struct style s = theme_style(THEME_256, (enum role)r, (uint8_t)h);

            ck_assert(s.fg >= -1 && s.fg <= 255 && s.bg >= -1 && s.bg <= 255);
            ck_assert_msg(s.fg < 0 || s.fg != s.bg, "role %d color %d: %d on itself", r, h, s.fg);
        }
    }
}
END_TEST

/* Monochrome: attributes only, and each role of a bar looks different. */
START_TEST(mono_has_no_colors)
{
    for (int r = 0; r < ROLE_COUNT; r++) {
        for (int h = 0; h < colors_of((enum role)r); h++) {
            struct style s = theme_style(THEME_MONO, (enum role)r, (uint8_t)h);

            ck_assert_int_eq(s.fg, -1);
            ck_assert_int_eq(s.bg, -1);
        }
    }
}
END_TEST

START_TEST(fit_keeps_pairs_drawable)
{
    struct style s;

    s = theme_fit((struct style){ 15, 4, 0 }, 8, 1);        /* bright white: white */
    ck_assert_int_eq(s.fg, 7);
    ck_assert_int_eq(s.bg, 4);
    s = theme_fit((struct style){ 200, 4, 0 }, 8, 1);       /* no such color: default */
    ck_assert_int_eq(s.fg, -1);
    s = theme_fit((struct style){ -1, 6, 0 }, 8, 0);        /* no default colors */
    ck_assert_int_eq(s.fg, 0);                              /* black on cyan */
    ck_assert_int_eq(s.bg, 6);
    s = theme_fit((struct style){ 5, -1, 0 }, 8, 0);
    ck_assert_int_eq(s.fg, 5);
    ck_assert_int_eq(s.bg, 0);
    s = theme_fit((struct style){ -1, -1, 0 }, 8, 0);       /* the terminal's own pair */
    ck_assert_int_eq(s.fg, -1);
    ck_assert_int_eq(s.bg, -1);
    s = theme_fit((struct style){ 8, 0, 0 }, 8, 1);         /* grey on black: black */
    ck_assert_int_ne(s.fg, s.bg);
    s = theme_fit((struct style){ 16, 153, 0 }, 256, 1);    /* fits: unchanged */
    ck_assert_int_eq(s.fg, 16);
    ck_assert_int_eq(s.bg, 153);
}
END_TEST

Suite *theme_suite(void)
{
    Suite *s = suite_create("theme");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, eight_colors_are_readable);
    tcase_add_test(tc, two_fifty_six_colors_are_in_range);
    tcase_add_test(tc, mono_has_no_colors);
    tcase_add_test(tc, fit_keeps_pairs_drawable);
    suite_add_tcase(s, tc);
    return s;
}
