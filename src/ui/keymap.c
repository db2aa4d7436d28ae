#include "keymap.h"

#include "app.h"

int keymap_dispatch(const struct keymap *m, struct app *a, void *pane, int key)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->b[i].act && (m->b[i].key == key || (m->b[i].alt && m->b[i].alt == key)))
            return m->b[i].act(a, pane);
    return R_UNHANDLED;
}

const struct keymap *const keymap_all[] = {
    &keymap_global, &keymap_time, &keymap_both, &keymap_flame, &keymap_table, &keymap_sandwich,
    &keymap_tags, &keymap_diff, &keymap_sides, &keymap_prompt, &keymap_query, &keymap_lineedit,
};
const size_t keymap_all_count = sizeof keymap_all / sizeof *keymap_all;
