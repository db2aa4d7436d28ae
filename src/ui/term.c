#define _XOPEN_SOURCE_EXTENDED 1
#include "term.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

struct look {
    attr_t attr;
    short pair;
};

static int open_now, utf8, default_colors;
static enum theme_depth depth;
static struct look looks[ROLE_COUNT][THEME_HUES];
static volatile sig_atomic_t quit_signal;

static void on_quit_signal(int sig)
{
    quit_signal = sig;
}

/* A crash must not leave the terminal raw: restore it, then die as the
 * signal says. */
static void on_crash(int sig)
{
    if (open_now)
        endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void handle_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_quit_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_crash;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
}

static attr_t style_attrs(struct style s)
{
    attr_t a = A_NORMAL;

    if (s.attrs & STYLE_BOLD)
        a |= A_BOLD;
    if (s.attrs & STYLE_REVERSE)
        a |= A_REVERSE;
    if (s.attrs & STYLE_UNDERLINE)
        a |= A_UNDERLINE;
    if (s.attrs & STYLE_DIM)
        a |= A_DIM;
    return a;
}

/* One color pair per distinct (fg, bg), numbered as they are first seen. */
static short pair_for(short fg, short bg)
{
    static short fgs[512], bgs[512];
    static int used;

    if (fg < 0 && bg < 0)
        return 0;
    for (int i = 0; i < used; i++)
        if (fgs[i] == fg && bgs[i] == bg)
            return (short)(i + 1);
    if (used + 1 >= COLOR_PAIRS || used >= 511)
        return 0;
    if (init_pair((short)(used + 1), fg, bg) == ERR)
        return 0;               /* a refused pair would draw black on black */
    fgs[used] = fg;
    bgs[used] = bg;
    return (short)++used;
}

static void build_looks(void)
{
    for (int r = 0; r < ROLE_COUNT; r++) {
        for (int h = 0; h < THEME_HUES; h++) {
            struct style s = theme_fit(theme_style(depth, (enum role)r, (uint8_t)h), COLORS,
                                       default_colors);

            looks[r][h].attr = style_attrs(s);
            looks[r][h].pair = depth == THEME_MONO ? 0 : pair_for(s.fg, s.bg);
        }
    }
}

int term_open(int mono)
{
    const char *no_color = getenv("NO_COLOR");

    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return -1;
    utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
    if (!initscr())
        return -1;
    open_now = 1;
    fatal_set_cleanup(term_close);
    atexit(term_close);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    /* A quick press and release is a click; a slow one (a drag on the
     * timeline) comes as a press, then a release elsewhere. */
    mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED |
              BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    depth = THEME_MONO;
    if (!mono && !(no_color && *no_color) && has_colors()) {
        start_color();
        default_colors = use_default_colors() == OK;
        depth = COLORS >= 256 ? THEME_256 : COLORS >= 8 ? THEME_8 : THEME_MONO;
    }
    build_looks();
    handle_signals();
    return 0;
}

int term_signal(void)
{
    return quit_signal;
}

void term_close(void)
{
    if (!open_now)
        return;
    open_now = 0;
    endwin();
}

int term_utf8(void)
{
    return utf8;
}

enum theme_depth term_depth(void)
{
    return depth;
}

void term_size(int *w, int *h)
{
    *w = COLS;
    *h = LINES;
}

void term_draw(const struct canvas *c)
{
    for (int y = 0; y < c->h && y < LINES; y++) {
        for (int x = 0; x < c->w && x < COLS; x++) {
            const struct cell *cell = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
            const struct look *lk = &looks[cell->role][cell->color % THEME_HUES];
            wchar_t wc[2] = { (wchar_t)cell->ch, 0 };
            cchar_t cc;

            if (cell->ch == CANVAS_WIDE_TAIL)
                continue;
            setcchar(&cc, wc, lk->attr, lk->pair, NULL);
            mvadd_wch(y, x, &cc);
        }
    }
    wnoutrefresh(stdscr);
    doupdate();
}

static int special_key(int k)
{
    switch (k) {
    case KEY_UP: return K_UP;
    case KEY_DOWN: return K_DOWN;
    case KEY_LEFT: return K_LEFT;
    case KEY_RIGHT: return K_RIGHT;
    case KEY_HOME: return K_HOME;
    case KEY_END: return K_END;
    case KEY_PPAGE: return K_PGUP;
    case KEY_NPAGE: return K_PGDN;
    case KEY_BTAB: return K_BTAB;
    case KEY_F(1): return K_F1;
    case KEY_DC: return K_DELETE;
    case KEY_BACKSPACE: return K_BACKSPACE;
    case KEY_ENTER: return K_ENTER;
    default: return K_NONE;
    }
}

static struct event mouse_event(void)
{
    struct event ev = { .kind = EV_NONE };
    MEVENT m;

    if (getmouse(&m) != OK)
        return ev;
    ev.x = m.x;
    ev.y = m.y;
    if (m.bstate & BUTTON1_DOUBLE_CLICKED)
        ev.mouse = M_DOUBLE;
    else if (m.bstate & BUTTON1_CLICKED)
        ev.mouse = M_CLICK;
    else if (m.bstate & BUTTON1_PRESSED)
        ev.mouse = M_PRESS;
    else if (m.bstate & BUTTON1_RELEASED)
        ev.mouse = M_RELEASE;
    else if (m.bstate & BUTTON4_PRESSED)
        ev.mouse = M_WHEEL_UP;
    else if (m.bstate & BUTTON5_PRESSED)
        ev.mouse = M_WHEEL_DOWN;
    else
        return ev;
    ev.kind = EV_MOUSE;
    return ev;
}

struct event term_event(int timeout_ms)
{
    struct event ev = { .kind = EV_NONE };
    wint_t wc;
    int r;

    timeout(timeout_ms);
    r = get_wch(&wc);
    if (quit_signal) {
        ev.kind = EV_QUIT;
        return ev;
    }
    if (r == ERR)
        return ev;
    if (r == KEY_CODE_YES) {
        if (wc == KEY_RESIZE) {
            ev.kind = EV_RESIZE;
            return ev;
        }
        if (wc == KEY_MOUSE)
            return mouse_event();
        ev.key = special_key((int)wc);
    } else {
        ev.key = wc == '\n' || wc == '\r' ? K_ENTER : wc == 8 ? K_BACKSPACE : (int)wc;
    }
    if (ev.key != K_NONE)
        ev.kind = EV_KEY;
    return ev;
}
