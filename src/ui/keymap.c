#include "keymap.h"

int keymap_dispatch(const struct keymap *m, struct app *a, void *pane, int key)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->b[i].act && (m->b[i].key == key || (m->b[i].alt && m->b[i].alt == key)))
            return m->b[i].act(a, pane);
    return R_UNHANDLED;
}
