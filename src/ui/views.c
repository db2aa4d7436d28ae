/* The table of views and overlays the explorer core runs on. A new view is
 * one file defining its `const struct view_class` and one line here. */
#include "keymap.h"
#include "view.h"

/* The views, indexed by enum view_id; views without an id (opened by
 * their class's open_key) after them. One line per view. */
#define VIEWS(X)                                                                                   \
    X(view_flame)                                                                                  \
    X(view_table)                                                                                  \
    X(view_both)                                                                                   \
    X(view_sandwich)                                                                               \
    X(view_tags)                                                                                   \
    X(view_compare)                                                                                \
    X(view_diff)                                                                                   \
    X(view_metadata)                                                                               \
    X(view_source)                                                                                 \
    /* a new view: one line above this one */

#define DECLARE(v) extern const struct view_class v;
#define ENTRY(v) &v,
VIEWS(DECLARE)
extern const struct view_class overlay_help, overlay_search, overlay_types, overlay_query,
    overlay_export, overlay_picker;

const struct view_class *const view_classes[] = { VIEWS(ENTRY) };
const int view_count = sizeof view_classes / sizeof *view_classes;
_Static_assert(sizeof view_classes / sizeof *view_classes <= VIEW_MAX,
               "VIEW_MAX: room for every view");

/* Indexed by enum overlay. */
const struct view_class *const overlay_classes[] = {
    [OV_HELP] = &overlay_help,
    [OV_SEARCH] = &overlay_search,
    [OV_TYPES] = &overlay_types,
    [OV_QUERY] = &overlay_query,
    [OV_EXPORT] = &overlay_export,
    [OV_PICKER] = &overlay_picker,
};

/* The keys of every context, for ? and --keys: the global ones, then each
 * view's and overlay's tables in their order, each once. */
const struct keymap *keymap_nth(size_t i)
{
    static const struct keymap *list[64];
    static size_t n;

    if (!n) {
        list[n++] = &keymap_global;
        list[n++] = &keymap_time;
        for (int pass = 0; pass < 2; pass++) {
            int count = pass ? OV_COUNT : view_count;

            for (int v = 0; v < count; v++) {
                const struct view_class *vc = pass ? overlay_classes[v] : view_classes[v];

                for (int k = 0; vc && k < 3 && vc->help[k]; k++) {
                    size_t j = 0;

                    while (j < n && list[j] != vc->help[k])
                        j++;
                    if (j == n && n < sizeof list / sizeof *list)
                        list[n++] = vc->help[k];
                }
            }
        }
        list[n++] = &keymap_filters;    /* every view's, after the views' own */
        list[n++] = &keymap_granularity;       /* r: after the views' own keys */
    }
    return i < n ? list[i] : NULL;
}
