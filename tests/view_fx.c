/* The shared view-test fixture (view_fx.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "source.h"
#include "view_fx.h"

void fx_begin(struct fx *f)
{
    memset(f, 0, sizeof *f);
    profile_init(&f->p);
}

size_t fx_add_folded(struct fx *f, const char *folded, uint32_t labels)
{
    char err[SOURCE_ERR_MAX];
    size_t first = f->p.nsamples;

    ck_assert_int_eq(folded_load(&f->p, 0, (const uint8_t *)folded, strlen(folded), err), 0);
    for (size_t s = first; labels && s < f->p.nsamples; s++)
        f->p.samples[s].labels = labels;
    return first;
}

void fx_add_file(struct fx *f, const char *name)
{
    static const struct load_options opts = { .max_size = (size_t)1 << 30 };
    char err[SOURCE_ERR_MAX];
    size_t len;
    uint8_t *data = read_fixture(name, &len);

    ck_assert_int_eq(source_load_buffer(&f->p, name, data, len, &opts, err), 0);
    free(data);
}

void fx_add_path(struct fx *f, const char *path)
{
    static const struct load_options opts = { .max_size = (size_t)1 << 30 };
    char err[SOURCE_ERR_MAX];

    ck_assert_msg(source_load_path(&f->p, path, &opts, err) == 0, "%s: %s", path, err);
}

uint32_t fx_labelset(struct fx *f, const char *key, const char *value)
{
    struct label l = { .key = profile_intern(&f->p, key, strlen(key)),
                       .str = profile_intern(&f->p, value, strlen(value)) };

    return profile_labelset(&f->p, &l, 1);
}

void fx_start(struct fx *f, uint32_t type, const struct side_spec *spec, const char *title, int w,
              int h)
{
    profile_finish(&f->p);
    canvas_init(&f->c, w, h, 1);
    app_init(&f->a, &f->p, type, spec, title, 1);
}

void fx_open_folded(struct fx *f, const char *folded, const char *title, int w, int h)
{
    fx_begin(f);
    fx_add_folded(f, folded, 0);
    fx_start(f, 0, NULL, title, w, h);
}

void fx_close(struct fx *f)
{
    for (int y = 0; y < FX_ROWS; y++)
        free(f->rows[y]);
    app_free(&f->a);
    canvas_free(&f->c);
    profile_free(&f->p);
}

void fx_render(struct fx *f)
{
    if (f->settle)
        app_finish_work(&f->a);
    app_render(&f->a, &f->c, f->c.w, f->c.h);
    for (int y = 0; y < f->c.h && y < FX_ROWS; y++) {
        free(f->rows[y]);
        f->rows[y] = canvas_row(&f->c, y);
    }
}

int fx_key(struct fx *f, int k)
{
    struct event ev = { .kind = EV_KEY, .key = k };
    int r = app_event(&f->a, &ev);

    fx_render(f);
    return r;
}

void fx_type(struct fx *f, const char *s)
{
    for (; *s; s++)
        fx_key(f, (unsigned char)*s);
}

void fx_click(struct fx *f, int x, int y, enum mouse_action m)
{
    struct event ev = { .kind = EV_MOUSE, .x = x, .y = y, .mouse = m };

    app_event(&f->a, &ev);
    fx_render(f);
}

const char *fx_status(struct fx *f)
{
    return f->rows[f->c.h - 2];
}

const char *fx_prompt(struct fx *f)
{
    static char text[1024];
    const char *row = f->rows[f->c.h - 1], *sp = strchr(row, ' ');
    char *end;

    ck_assert_ptr_nonnull(sp);
    snprintf(text, sizeof text, "%s", sp + 1);
    if ((end = strstr(text, "\u2588")))    /* the cursor after the text */
        *end = '\0';
    end = text + strlen(text);
    while (end > text && end[-1] == ' ')
        *--end = '\0';
    return text;
}

int fx_row_with(struct fx *f, const char *text)
{
    for (int y = 0; y < f->c.h; y++)
        if (strstr(f->rows[y], text))
            return y;
    return -1;
}

int fx_rows_with(struct fx *f, const char *text)
{
    int n = 0;

    for (int y = 0; y < f->c.h - 2; y++)
        n += strstr(f->rows[y], text) != NULL;
    return n;
}
