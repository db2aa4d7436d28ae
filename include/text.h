/* Text from profiles is untrusted: every name goes through here before it
 * is written anywhere a terminal may read it. */
#ifndef EMBER_TEXT_H
#define EMBER_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A growable string. */
struct sbuf {
    char *s;
    size_t len, cap;
};

void sbuf_add(struct sbuf *b, const char *s, size_t len);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_free(struct sbuf *b);

/* Decodes one UTF-8 character at s (len > 0 bytes available). Returns its
 * length and stores the code point, or returns 0 for an invalid sequence
 * (overlong forms, surrogates and values past U+10FFFF included). */
size_t text_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes code point cp (below U+110000) as UTF-8 into out; returns its
 * length, 1 to 4. */
size_t text_utf8_encode(uint32_t cp, char out[4]);

/* C0, DEL, C1 (as UTF-8) and bidi controls are escaped in every mode;
 * invalid UTF-8 on a terminal and for display; invisible characters
 * (text_is_invisible) for display only. */
enum text_escape_mode {
    TEXT_ESCAPE_CONTROLS,       /* machine output: invalid UTF-8 kept as is */
    TEXT_ESCAPE_DISPLAY,        /* also invalid UTF-8 and invisibles become \xNN */
    TEXT_ESCAPE_TERMINAL,       /* machine output on a terminal: invalid UTF-8
                                 * escaped (a lone 0x9b is an 8-bit CSI), valid
                                 * UTF-8 kept as is */
};

/* The mode of machine output (--raw, --folded) written to f: byte-exact
 * into a pipe or a file, TEXT_ESCAPE_TERMINAL when f is a terminal. */
enum text_escape_mode text_machine_mode(FILE *f);

/* Whether cp is one of Unicode's bidi controls (U+061C, U+200E-F,
 * U+202A-E, U+2066-9). */
int text_is_bidi_control(uint32_t cp);

/* Whether cp shows as nothing, so two names differing by it look alike:
 * the bidi controls, zero-width and format characters (U+00AD, U+180E,
 * U+200B-F, U+2028-E, U+2060-4, U+2066-F, U+FEFF, U+FFF9-B) and the tag
 * characters U+E0000-E007F. Both --top and the explorer escape them. */
int text_is_invisible(uint32_t cp);

/* Appends s[0..len) to b with unsafe bytes written as \xNN. */
void text_escape(struct sbuf *b, const char *s, size_t len, enum text_escape_mode mode);

/* Writes s escaped to f. */
void text_write_escaped(FILE *f, const char *s, size_t len, enum text_escape_mode mode);

/* Prints "ember: <message>" and a newline to stderr, the message escaped
 * as a whole (TEXT_ESCAPE_DISPLAY): every message that may hold a file
 * name or a profile's string goes through here. */
void text_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One displayable unit of text on a terminal: a code point of width 1 or 2,
 * or a byte shown escaped as \xNN (four columns: controls, invalid UTF-8,
 * anything non-ASCII when the terminal is not UTF-8). */
struct text_glyph {
    uint32_t cp;
    int width;
    size_t bytes;
    int escaped;
};

/* The glyph at s (len > 0 bytes available). */
struct text_glyph text_next_glyph(const char *s, size_t len, int utf8);

/* The columns s takes written whole. */
int text_width(const char *s, size_t len, int utf8);
/* text_width, but it stops once past limit columns: a name's first
 * limit + 1 columns say whether it fits in limit, whatever its length. */
int text_width_upto(const char *s, size_t len, int utf8, int limit);

/* Fits a name from a profile into maxw columns. A qualified name ends with
 * its most telling part (lib/utilities/foo.py:bar, pkg.(*T).Method), so a
 * name too wide keeps its end: returns the byte offset of the first glyph
 * kept, with *cut set when the caller must write one column of ellipsis
 * before it (the kept tail then takes at most maxw - 1 columns). A name that
 * fits returns 0 with *cut clear; maxw < 1 keeps nothing. */
size_t text_fit_tail(const char *s, size_t len, int maxw, int utf8, int *cut);

#endif
