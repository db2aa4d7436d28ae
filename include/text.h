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

/* C0, DEL, C1 (as UTF-8) and bidi controls are escaped in every mode;
 * invalid UTF-8 only for display. */
enum text_escape_mode {
    TEXT_ESCAPE_CONTROLS,       /* machine output: invalid UTF-8 kept as is */
    TEXT_ESCAPE_DISPLAY,        /* also invalid UTF-8 becomes \xNN */
};

/* Whether cp is one of Unicode's bidi controls (U+061C, U+200E-F,
 * U+202A-E, U+2066-9). */
int text_is_bidi_control(uint32_t cp);

/* Appends s[0..len) to b with unsafe bytes written as \xNN. */
void text_escape(struct sbuf *b, const char *s, size_t len, enum text_escape_mode mode);

/* Writes s escaped to f. */
void text_write_escaped(FILE *f, const char *s, size_t len, enum text_escape_mode mode);

/* Prints "ember: <message>" and a newline to stderr, the message escaped
 * as a whole (TEXT_ESCAPE_DISPLAY): every message that may hold a file
 * name or a profile's string goes through here. */
void text_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
