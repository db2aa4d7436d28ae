#include "text.h"

#include <stdlib.h>
#include <string.h>

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

static void add_hex(struct sbuf *b, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

    sbuf_add(b, e, 4);
}

void text_escape(struct sbuf *b, const char *s, size_t len, enum text_escape_mode mode)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        size_t n;

        if (c < 0x20 || c == 0x7f) {
            add_hex(b, c);
            i++;
        } else if (c < 0x80 || mode == TEXT_ESCAPE_CONTROLS) {
            sbuf_addc(b, (char)c);
            i++;
        } else if (!(n = text_utf8_decode(s + i, len - i, &cp)) || (cp >= 0x80 && cp < 0xa0)) {
            add_hex(b, c);
            i++;
        } else {
            sbuf_add(b, s + i, n);
            i += n;
        }
    }
}

void text_write_escaped(FILE *f, const char *s, size_t len, enum text_escape_mode mode)
{
    struct sbuf b = { 0 };

    text_escape(&b, s, len, mode);
    if (b.len)
        fwrite(b.s, 1, b.len, f);
    sbuf_free(&b);
}
