#include "text.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "xalloc.h"

void sbuf_add(struct sbuf *b, const char *s, size_t len)
{
    if (b->len + len + 1 > b->cap) {
        b->cap = (b->len + len + 1) * 2;
        b->s = xreallocarray(b->s, b->cap, 1);
    }
    memcpy(b->s + b->len, s, len);
    b->len += len;
    b->s[b->len] = '\0';
}

void sbuf_addc(struct sbuf *b, char c)
{
    sbuf_add(b, &c, 1);
}

void sbuf_free(struct sbuf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

size_t text_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
    size_t n;
    uint32_t c;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        n = 2, c = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        n = 3, c = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        n = 4, c = s[0] & 0x07;
    else
        return 0;
    if (n > len)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3f);
    }
    if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

size_t text_utf8_encode(uint32_t cp, char u[4])
{
    if (cp < 0x80) {
        u[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    u[2] = (char)(0x80 | (cp >> 6 & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Unicode's Bidi_Control characters: they reorder the text around them
 * (U+202E turns "gpj.exe" round), so a name could show as another. */
int text_is_bidi_control(uint32_t cp)
{
    return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

int text_is_invisible(uint32_t cp)
{
    return text_is_bidi_control(cp) || cp == 0x00ad || cp == 0x180e ||
           (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x206f) || cp == 0xfeff ||
           (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f);
}

enum text_escape_mode text_machine_mode(FILE *f)
{
    return isatty(fileno(f)) ? TEXT_ESCAPE_TERMINAL : TEXT_ESCAPE_CONTROLS;
}

/* The next unit of s (one byte, or one UTF-8 character) as it is written
 * out: into out (at most 16 bytes). Returns the bytes written to out and
 * sets *used to the bytes of s consumed. */
static size_t escape_unit(const char *s, size_t len, enum text_escape_mode mode, char *out,
                          size_t *used)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char c = (unsigned char)s[0];
    uint32_t cp;
    size_t n = 1, escape;

    if (c < 0x20 || c == 0x7f)
        escape = 1;
    else if (c < 0x80)
        escape = 0;
    else if (!(n = text_utf8_decode(s, len, &cp)))
        /* invalid UTF-8: kept as is for machines, escaped on terminals */
        n = 1, escape = mode != TEXT_ESCAPE_CONTROLS;
    else
        /* C1 controls (U+009B is CSI) and bidi controls in every mode,
         * invisibles for people */
        escape = (cp >= 0x80 && cp < 0xa0) || text_is_bidi_control(cp) ||
                 (mode == TEXT_ESCAPE_DISPLAY && text_is_invisible(cp));
    *used = n;
    if (!escape) {
        memcpy(out, s, n);
        return n;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];

        out[4 * i] = '\\';
        out[4 * i + 1] = 'x';
        out[4 * i + 2] = hex[b >> 4];
        out[4 * i + 3] = hex[b & 15];
    }
    return 4 * n;
}

void text_escape(struct sbuf *b, const char *s, size_t len, enum text_escape_mode mode)
{
    char out[16];

    for (size_t i = 0, used; i < len; i += used)
        sbuf_add(b, out, escape_unit(s + i, len - i, mode, out, &used));
}

/* Allocates nothing: fatal() writes its out-of-memory message with it. */
void text_write_escaped(FILE *f, const char *s, size_t len, enum text_escape_mode mode)
{
    char out[256];
    size_t n = 0;

    for (size_t i = 0, used; i < len; i += used) {
        if (n > sizeof out - 16) {
            fwrite(out, 1, n, f);
            n = 0;
        }
        n += escape_unit(s + i, len - i, mode, out + n, &used);
    }
    if (n)
        fwrite(out, 1, n, f);
}

void text_say(const char *fmt, ...)
{
    va_list ap;
    char small[512], *s = small;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof small) {
        s = xmalloc((size_t)n + 1);
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    fputs("ember: ", stderr);
    if (n > 0)
        text_write_escaped(stderr, s, (size_t)n, TEXT_ESCAPE_DISPLAY);
    fputc('\n', stderr);
    if (s != small)
        free(s);
}

struct text_glyph text_next_glyph(const char *s, size_t len, int utf8)
{
    unsigned char b = (unsigned char)s[0];
    struct text_glyph g = { b, 1, 1, 0 };
    size_t n;
    int w;

    if (b >= 0x20 && b < 0x7f)
        return g;
    /* invisibles are escaped whatever wcwidth says of them, as in --top */
    if (b >= 0x80 && utf8 && (n = text_utf8_decode(s, len, &g.cp)) && g.cp >= 0xa0 &&
        !text_is_invisible(g.cp) && (w = wcwidth((wchar_t)g.cp)) >= 1) {
        g.width = w > 2 ? 2 : w;
        g.bytes = n;
        return g;
    }
    g.escaped = 1;
    g.width = 4;
    return g;
}

int text_width(const char *s, size_t len, int utf8)
{
    int w = 0;

    for (size_t i = 0; i < len;) {
        struct text_glyph g = text_next_glyph(s + i, len - i, utf8);

        w += g.width;
        i += g.bytes;
    }
    return w;
}

int text_width_upto(const char *s, size_t len, int utf8, int limit)
{
    int w = 0;

    for (size_t i = 0; i < len && w <= limit;) {
        struct text_glyph g = text_next_glyph(s + i, len - i, utf8);

        w += g.width;
        i += g.bytes;
    }
    return w;
}

/* The glyph that ends at s + end, found going back: the nearest byte that is
 * no UTF-8 continuation starts it if it decodes to exactly the bytes up to
 * end (forward reading splits there too, since a lead byte is never taken as
 * a continuation); else the last byte stands alone, as forward reading
 * escapes a stray continuation. */
static struct text_glyph prev_glyph(const char *s, size_t end, int utf8)
{
    size_t k = end - 1;

    while (k > 0 && end - k < 4 && ((unsigned char)s[k] & 0xc0) == 0x80)
        k--;
    if (k < end - 1) {
        struct text_glyph g = text_next_glyph(s + k, end - k, utf8);

        if (g.bytes == end - k)
            return g;
    }
    return text_next_glyph(s + end - 1, 1, utf8);
}

size_t text_fit_tail(const char *s, size_t len, int maxw, int utf8, int *cut)
{
    size_t i = len;
    int rest = 0;

    *cut = 0;
    /* only the first maxw + 1 columns tell whether it fits */
    if (text_width_upto(s, len, utf8, maxw) <= maxw)
        return 0;
    if (maxw < 1)
        return len;
    *cut = 1;
    /* keep glyphs from the end while they fit beside the ellipsis: a huge
     * name costs what is shown, not its length */
    while (i > 0) {
        struct text_glyph g = prev_glyph(s, i, utf8);

        if (rest + g.width > maxw - 1)
            break;
        rest += g.width;
        i -= g.bytes;
    }
    return i;
}
