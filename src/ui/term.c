#define _XOPEN_SOURCE_EXTENDED 1
#include "term.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "text.h"
#include "xalloc.h"

struct look {
    attr_t attr;
    short pair;
};

static int open_now, utf8, utf8_known, default_colors;
static enum theme_depth depth;
static struct look looks[ROLE_COUNT][THEME_HUES];
static volatile sig_atomic_t quit_signal, status_shown, loading;
static struct termios load_saved;   /* the terminal's modes before the load */

/* Signals whose default action ends the process (Linux's signal(7)), but
 * for SIGKILL and SIGSTOP, which cannot be caught. The quit kind ends the
 * explorer as q does (then 128 + the signal); the crash kind dumps core:
 * ember restores the terminal, then dies by it. */
static const int quit_signals[] = {
    SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2, SIGVTALRM, SIGPROF,
#ifdef SIGPOLL
    SIGPOLL,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGQUIT, SIGILL,
                                     SIGTRAP, SIGSYS, SIGXCPU, SIGXFSZ };

/* Async-signal-safe: erases the status line of term_status. */
static void erase_status(void)
{
    if (status_shown && write(STDERR_FILENO, "\r\033[K", 4) >= 0)
        status_shown = 0;
}

/* Puts the terminal back as ember found it, from anywhere (a handler too:
 * endwin is not async-signal-safe, but it is the only way back out of
 * curses, and the process is about to end). */
static void restore_terminal(void)
{
    if (open_now)
        endwin();
    else if (loading)
        tcsetattr(STDIN_FILENO, TCSANOW, &load_saved);
    erase_status();
}

/* The explorer's wait polls this pipe beside the keyboard: a signal that
 * lands after the flag was checked but before the wait began must still
 * end the wait (a flag alone would be seen only at the next key). */
static int signal_pipe[2] = { -1, -1 };

static void on_quit_signal(int sig)
{
    int saved = errno;

    quit_signal = sig;
    if (signal_pipe[1] >= 0)
        (void)!write(signal_pipe[1], "", 1);    /* full: a byte is there already */
    errno = saved;
}

/* A crash, or a signal while loading, must not leave the terminal raw:
 * restore it, then die as the signal says (the signal is blocked while
 * this runs, and strikes once it returns). */
static void on_fatal(int sig)
{
    restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Installs fn for sig, unless ember was started with sig ignored (nohup,
 * a shell's trap '' SIG): that choice stays. */
static void catch_signal(int sig, void (*fn)(int))
{
    struct sigaction sa, old;

    if (sigaction(sig, NULL, &old) || old.sa_handler == SIG_IGN)
        return;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigaction(sig, &sa, NULL);
}

/* In the explorer, a quit signal makes term_event return EV_QUIT; while
 * loading (no event loop yet) it restores the terminal and ends ember. */
static void handle_signals(int explorer)
{
    if (explorer && signal_pipe[0] < 0 && pipe2(signal_pipe, O_NONBLOCK | O_CLOEXEC))
        signal_pipe[0] = signal_pipe[1] = -1;
    for (size_t i = 0; i < sizeof quit_signals / sizeof *quit_signals; i++)
        catch_signal(quit_signals[i], explorer ? on_quit_signal : on_fatal);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        catch_signal(sig, explorer ? on_quit_signal : on_fatal);
    for (size_t i = 0; i < sizeof crash_signals / sizeof *crash_signals; i++)
        catch_signal(crash_signals[i], on_fatal);
}

/* While loading: a thread watches the keyboard for q; the other keys are
 * kept for the explorer, as the terminal would have kept them. */
static pthread_t watcher;
static int watching, wake[2] = { -1, -1 };
static unsigned char ahead[256];
static size_t nahead;

static void *watch_keys(void *unused)
{
    struct pollfd fds[2] = { { .fd = STDIN_FILENO, .events = POLLIN },
                             { .fd = wake[0], .events = POLLIN } };
    unsigned char ch;

    (void)unused;
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return NULL;
        }
        if (fds[1].revents || !(fds[0].revents & POLLIN) || read(STDIN_FILENO, &ch, 1) != 1)
            return NULL;
        if (ch == 'q') {
            /* cancelled: nothing to save, so end here, the keys typed after
             * q discarded */
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &load_saved);
            erase_status();
            _exit(0);
        }
        if (nahead < sizeof ahead)
            ahead[nahead++] = ch;
    }
}

void term_load_begin(void)
{
    static int registered;
    struct termios t;
    sigset_t all, old;

    if (loading || !term_can_open() || tcgetattr(STDIN_FILENO, &load_saved))
        return;
    handle_signals(0);
    if (!registered)
        atexit(term_load_end);
    registered = 1;
    fatal_set_cleanup(term_load_end);   /* out of memory: the message on a clean line */
    t = load_saved;
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ECHONL);   /* ISIG stays: Ctrl-C and Ctrl-\ */
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    loading = 1;
    tcsetattr(STDIN_FILENO, TCSANOW, &t);
    if (pipe(wake))
        return;
    /* signals go to the thread that loads (the handlers restore), not here */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    watching = !pthread_create(&watcher, NULL, watch_keys, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void term_load_end(void)
{
    if (!loading)
        return;
    if (watching && write(wake[1], "", 1) == 1)
        pthread_join(watcher, NULL);
    watching = 0;
    for (int i = 0; i < 2; i++)
        if (wake[i] >= 0)
            close(wake[i]);
    wake[0] = wake[1] = -1;
    tcsetattr(STDIN_FILENO, TCSANOW, &load_saved);
    loading = 0;
    erase_status();
}

void term_status(const char *line)
{
    if (!line) {
        erase_status();
    } else if (isatty(STDERR_FILENO)) {
        fprintf(stderr, "\r%s\033[K", line);
        status_shown = 1;
    }
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

    if (!term_can_open())
        return -1;
    term_load_end();
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
    while (nahead)              /* keys typed while loading, first out first */
        ungetch(ahead[--nahead]);
    curs_set(0);
    term_mouse(1);
    depth = THEME_MONO;
    if (!mono && !(no_color && *no_color) && has_colors()) {
        start_color();
        default_colors = use_default_colors() == OK;
        depth = COLORS >= 256 ? THEME_256 : COLORS >= 8 ? THEME_8 : THEME_MONO;
    }
    build_looks();
    handle_signals(1);
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

int term_can_open(void)
{
    return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

int term_utf8(void)
{
    if (!utf8_known)
        utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
    utf8_known = 1;
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

/* A key already read (by curses, or typed while loading) comes at once;
 * else poll waits for the keyboard or a signal, up to timeout_ms. */
#define WAIT_FDS 16             /* the keyboard, the signal pipe, a data set's */

/* One poll(2) on the keyboard, the signal pipe and the extra descriptors:
 * whichever comes first ends the wait. */
static int wait_key(int timeout_ms, wint_t *wc, const struct pollfd *extra, int n)
{
    struct pollfd fds[WAIT_FDS] = { { .fd = STDIN_FILENO, .events = POLLIN },
                                    { .fd = signal_pipe[0], .events = POLLIN } };
    int r, nfds = 2;

    timeout(0);
    if ((r = get_wch(wc)) != ERR || timeout_ms == 0 || quit_signal)
        return r;
    if (signal_pipe[0] < 0)
        fds[1].fd = -1;         /* poll skips it */
    for (int i = 0; i < n && nfds < WAIT_FDS; i++)
        fds[nfds++] = extra[i];
    if (poll(fds, (nfds_t)nfds, timeout_ms) <= 0 || quit_signal || !fds[0].revents)
        return ERR;             /* timed out, a signal (a resize shows next), or the data set */
    return get_wch(wc);
}

struct event term_event(int timeout_ms)
{
    return term_wait(timeout_ms, NULL, 0);
}

struct event term_wait(int timeout_ms, const struct pollfd *extra, int n)
{
    struct event ev = { .kind = EV_NONE };
    wint_t wc;
    int r;

    r = wait_key(timeout_ms, &wc, extra, n);
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

/* A quick press and release is a click; a slow one (a drag on the
 * timeline) comes as a press, then a release elsewhere. Off: curses
 * asks the terminal to stop reporting the mouse, whose own selection
 * then works. */
void term_mouse(int on)
{
    mousemask(on ? BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON1_PRESSED |
                   BUTTON1_RELEASED | BUTTON4_PRESSED | BUTTON5_PRESSED : 0, NULL);
}

static void base64(struct sbuf *b, const unsigned char *s, size_t len)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < len ? (uint32_t)s[i + 1] << 8 : 0) |
                     (i + 2 < len ? s[i + 2] : 0);

        sbuf_addc(b, digits[v >> 18 & 63]);
        sbuf_addc(b, digits[v >> 12 & 63]);
        sbuf_addc(b, i + 1 < len ? digits[v >> 6 & 63] : '=');
        sbuf_addc(b, i + 2 < len ? digits[v & 63] : '=');
    }
}

void term_osc52(struct sbuf *b, const char *text, size_t len, int screen)
{
    struct sbuf enc = { 0 };

    base64(&enc, (const unsigned char *)text, len);
    if (!screen) {
        sbuf_add(b, "\033]52;c;", 7);
        sbuf_add(b, enc.s ? enc.s : "", enc.len);
        sbuf_addc(b, '\a');
    } else {
        /* screen passes on what a DCS holds, up to 768 bytes a string:
         * the sequence goes in pieces of 76 base64 digits, each closed
         * (ESC \\) and the next opened (ESC P) again */
        sbuf_add(b, "\033P\033]52;c;", 9);
        for (size_t i = 0; i < enc.len; i += 76) {
            if (i)
                sbuf_add(b, "\033\\\033P", 4);
            sbuf_add(b, enc.s + i, enc.len - i < 76 ? enc.len - i : 76);
        }
        sbuf_add(b, "\a\033\\", 3);
    }
    sbuf_free(&enc);
}

static int write_all(int fd, const char *s, size_t len)
{
    while (len) {
        ssize_t n = write(fd, s, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        s += n, len -= (size_t)n;
    }
    return 0;
}

/* write_all to a pipe whose reader may be gone: SIGPIPE (which ends the
 * explorer) is held back and dropped, the write just fails. */
static int write_quietly(int fd, const char *s, size_t len)
{
    sigset_t pipe_only, old;
    struct timespec now = { 0, 0 };
    int r;

    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
    r = write_all(fd, s, len);
    while (sigtimedwait(&pipe_only, NULL, &now) == SIGPIPE)
        ;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return r;
}

/* `tmux load-buffer -w -` with text on its standard input (its output to
 * /dev/null, off the screen): tmux keeps it as its paste buffer and sends
 * it on to the clipboard of the terminal its client runs in. */
static int tmux_load(const char *text, size_t len)
{
    int in[2], status;
    pid_t pid;

    if (pipe2(in, O_CLOEXEC))
        return -1;
    if ((pid = fork()) == 0) {
        int null = open("/dev/null", O_WRONLY);

        dup2(in[0], 0);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        execlp("tmux", "tmux", "load-buffer", "-w", "-", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    if (pid < 0) {
        close(in[1]);
        return -1;
    }
    status = write_quietly(in[1], text, len);
    close(in[1]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int term_clipboard(const char *text, size_t len, char *how, size_t n)
{
    const char *tmux = getenv("TMUX"), *sty = getenv("STY");
    struct sbuf b = { 0 };
    int r;

    if (tmux && *tmux && !tmux_load(text, len)) {
        snprintf(how, n, "OSC 52 via tmux");
        return 0;
    }
    term_osc52(&b, text, len, sty && *sty && !(tmux && *tmux));
    fflush(stdout);
    r = write_all(STDOUT_FILENO, b.s, b.len);
    sbuf_free(&b);
    snprintf(how, n, "%s", r ? "the terminal refused the bytes" : tmux && *tmux ?
             "OSC 52; tmux load-buffer failed" : sty && *sty ? "OSC 52 via screen" : "OSC 52");
    return r;
}
