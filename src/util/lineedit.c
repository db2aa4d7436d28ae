#include "lineedit.h"

#include <string.h>

#include "text.h"

static int is_cont(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

static int is_word(char c)
{
    unsigned char u = (unsigned char)c;

    return u >= 0x80 || u == '_' || (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z');
}

/* Removes [from, to) and puts the cursor at from. */
static int erase(struct lineedit *e, size_t from, size_t to)
{
    if (from >= to)
        return 0;
    memmove(e->buf + from, e->buf + to, e->len - to + 1);
    e->len -= to - from;
    e->cur = from;
    e->gen++;
    return 1;
}

static size_t prev_char(const struct lineedit *e, size_t at)
{
    while (at > 0 && is_cont(e->buf[--at]))
        ;
    return at;
}

static size_t next_char(const struct lineedit *e, size_t at)
{
    if (at < e->len)
        while (++at < e->len && is_cont(e->buf[at]))
            ;
    return at;
}

void lineedit_set(struct lineedit *e, const char *s)
{
    size_t n = strlen(s);

    if (n >= LINEEDIT_MAX)
        n = LINEEDIT_MAX - 1;
    while (n > 0 && n < strlen(s) && is_cont(s[n]))    /* never half a character */
        n--;
    memcpy(e->buf, s, n);
    e->buf[n] = '\0';
    e->len = e->cur = n;
    e->hpos = e->nhist;
    e->gen++;
}

int lineedit_insert(struct lineedit *e, const char *s, size_t n)
{
    if (e->len + n >= LINEEDIT_MAX)
        return -1;
    memmove(e->buf + e->cur + n, e->buf + e->cur, e->len - e->cur + 1);
    memcpy(e->buf + e->cur, s, n);
    e->len += n;
    e->cur += n;
    e->gen++;
    return 0;
}

int lineedit_insert_cp(struct lineedit *e, uint32_t cp)
{
    char u[4];

    return lineedit_insert(e, u, text_utf8_encode(cp, u));
}

static int move_to(struct lineedit *e, size_t at)
{
    if (at == e->cur)
        return 0;
    e->cur = at;
    return 1;
}

int lineedit_left(struct lineedit *e) { return move_to(e, prev_char(e, e->cur)); }
int lineedit_right(struct lineedit *e) { return move_to(e, next_char(e, e->cur)); }
int lineedit_home(struct lineedit *e) { return move_to(e, 0); }
int lineedit_end(struct lineedit *e) { return move_to(e, e->len); }

int lineedit_backspace(struct lineedit *e) { return erase(e, prev_char(e, e->cur), e->cur); }
int lineedit_delete(struct lineedit *e) { return erase(e, e->cur, next_char(e, e->cur)); }
int lineedit_erase_to_start(struct lineedit *e) { return erase(e, 0, e->cur); }
int lineedit_erase_to_end(struct lineedit *e) { return erase(e, e->cur, e->len); }

int lineedit_erase_word(struct lineedit *e)
{
    size_t at = e->cur;

    while (at > 0 && e->buf[at - 1] == ' ')
        at--;
    if (at > 0) {
        int word = is_word(e->buf[at - 1]);

        while (at > 0 && e->buf[at - 1] != ' ' && is_word(e->buf[at - 1]) == word)
            at--;
    }
    return erase(e, at, e->cur);
}

/* Shows history line i (or the draft when i == nhist), keeping hpos. */
static int show(struct lineedit *e, int i)
{
    if (e->hpos == e->nhist)
        memcpy(e->draft, e->buf, e->len + 1);
    lineedit_set(e, i == e->nhist ? e->draft : e->hist[i]);
    e->hpos = i;
    return 1;
}

int lineedit_history_prev(struct lineedit *e)
{
    return e->hpos > 0 ? show(e, e->hpos - 1) : 0;
}

int lineedit_history_next(struct lineedit *e)
{
    return e->hpos < e->nhist ? show(e, e->hpos + 1) : 0;
}

void lineedit_history_add(struct lineedit *e, const char *s)
{
    size_t n = strlen(s);

    if (!n || n >= LINEEDIT_MAX || (e->nhist && !strcmp(e->hist[e->nhist - 1], s))) {
        e->hpos = e->nhist;
        return;
    }
    if (e->nhist == LINEEDIT_HISTORY) {
        memmove(e->hist[0], e->hist[1], sizeof e->hist[0] * (LINEEDIT_HISTORY - 1));
        e->nhist--;
    }
    memcpy(e->hist[e->nhist++], s, n + 1);
    e->hpos = e->nhist;
}

const char *lineedit_history_last(const struct lineedit *e)
{
    return e->nhist ? e->hist[e->nhist - 1] : NULL;
}
