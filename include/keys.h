/* Input events as the app sees them, independent of curses. */
#ifndef EMBER_KEYS_H
#define EMBER_KEYS_H

/* Printable keys are their Unicode code point; the rest come after. */
enum {
    K_NONE = 0,
    K_CTRL_C = 3, K_TAB = 9, K_ENTER = 13, K_ESC = 27, K_BACKSPACE = 127,
    K_SPECIAL = 0x110000,
    K_UP, K_DOWN, K_LEFT, K_RIGHT, K_HOME, K_END, K_PGUP, K_PGDN, K_BTAB, K_F1, K_DELETE,
};

#define K_CTRL(c) ((c) & 0x1f)

enum event_kind { EV_NONE, EV_KEY, EV_MOUSE, EV_RESIZE, EV_QUIT };

enum mouse_action { M_CLICK = 1, M_DOUBLE, M_WHEEL_UP, M_WHEEL_DOWN, M_PRESS, M_RELEASE };

struct event {
    enum event_kind kind;
    int key;
    int x, y;
    enum mouse_action mouse;
};

#endif
