#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "jsonw.h"
#include "out.h"
#include "util.h"

static inline void
reserve(struct jw *w, size_t n)
{
	if (w->len + n <= w->cap)
		return;
	if (w->stream && w->len > 0) {
		out_write(w->buf, w->len);
		w->len = 0;
		if (n <= w->cap)
			return;
	}
	while (w->len + n > w->cap)
		w->cap = w->cap ? w->cap * 2 : w->stream ? 65536 : 1024;
	w->buf = xrealloc(w->buf, w->cap);
}

static inline void
put(struct jw *w, const char *s, size_t n)
{
	if (n == 0)
		return;		/* w->buf may not be there yet */
	reserve(w, n);
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

/* Length of the well-formed UTF-8 sequence at s, or 0 (RFC 3629). */
size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c >= 0xc2 && c <= 0xdf && n >= 2 && (s[1] & 0xc0) == 0x80)
		return 2;
	if (c >= 0xe0 && c <= 0xef && n >= 3 &&
	    (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
		if (c == 0xe0 && s[1] < 0xa0)
			return 0;	/* overlong */
		if (c == 0xed && s[1] > 0x9f)
			return 0;	/* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4 && n >= 4 && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80) {
		if (c == 0xf0 && s[1] < 0x90)
			return 0;	/* overlong */
		if (c == 0xf4 && s[1] > 0x8f)
			return 0;	/* beyond U+10FFFF */
		return 4;
	}
	return 0;
}

char *
utf8_fixed(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len;
	struct jw w = { 0 };
	size_t n;

	while (end - s >= 8 && (bytes_load(s) & BYTES_HIGHS) == 0)
		s += 8;			/* ASCII, a word at once */
	while (s < end && (*s < 0x80 || utf8_len(s, (size_t)(end - s)) > 0))
		s += *s < 0x80 ? 1 : utf8_len(s, (size_t)(end - s));
	if (s == end)
		return NULL;
	put(&w, str, (size_t)(s - (const unsigned char *)str));
	while (s < end) {
		if (*s < 0x80) {
			put(&w, (const char *)s++, 1);
		} else if ((n = utf8_len(s, (size_t)(end - s))) > 0) {
			put(&w, (const char *)s, n);
			s += n;
		} else {
			put(&w, "\xef\xbf\xbd", 3);
			s++;
		}
	}
	put(&w, "", 1);
	return w.buf;
}

/* Bytes written as they are: printable ASCII but the quote and backslash. */
#define P1(c) ((c) >= 0x20 && (c) < 0x80 && (c) != '"' && (c) != '\\')
#define P4(c) P1(c), P1(c + 1), P1(c + 2), P1(c + 3)
#define P16(c) P4(c), P4(c + 4), P4(c + 8), P4(c + 12)
static const unsigned char plain[256] = {
	P16(0), P16(16), P16(32), P16(48), P16(64), P16(80), P16(96), P16(112)
};

/* Eight bytes, all plain[]. */
static inline int
plain8(const unsigned char *s)
{
	uint64_t x = bytes_load(s);

	return (bytes_eq(x, '"') | bytes_eq(x, '\\') | bytes_below(x, 0x20) |
	    (x & BYTES_HIGHS)) == 0;
}

void
jw_escape(struct jw *w, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len;
	char esc[8];

	reserve(w, len + 2);
	while (s < end) {
		const unsigned char *run = s;
		size_t n;

		while (end - s >= 8 && plain8(s))
			s += 8;		/* the usual: plain ASCII, a word at once */
		while (s < end && plain[*s])
			s++;
		put(w, (const char *)run, (size_t)(s - run));
		if (s == end)
			break;
		if (*s == '"' || *s == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*s++;
			put(w, esc, 2);
		} else if (*s < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", *s++);
			put(w, esc, 6);
		} else if ((n = utf8_len(s, (size_t)(end - s))) > 0) {
			put(w, (const char *)s, n);
			s += n;
		} else {
			put(w, "\\ufffd", 6);
			s++;
		}
	}
}

void
jw_begin(struct jw *w)
{
	w->len = 0;
	w->first = 1;
	put(w, "{", 1);
}

void
jw_key_plain(struct jw *w, const char *key, size_t len)
{
	reserve(w, len + 4);
	if (!w->first)
		w->buf[w->len++] = ',';
	w->first = 0;
	w->buf[w->len++] = '"';
	memcpy(w->buf + w->len, key, len);
	w->len += len;
	w->buf[w->len++] = '"';
	w->buf[w->len++] = ':';
}

void
jw_str(struct jw *w, const char *s, size_t len)
{
	put(w, "\"", 1);
	jw_escape(w, s, len);
	put(w, "\"", 1);
}

void
jw_int(struct jw *w, long long v)
{
	char num[24], *p = num + sizeof(num);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		*--p = '-';
	put(w, p, (size_t)(num + sizeof(num) - p));
}

void
jw_raw(struct jw *w, const char *s, size_t len)
{
	put(w, s, len);
}

char *
jw_room(struct jw *w, size_t n)
{
	reserve(w, n);
	w->len += n;
	return w->buf + w->len - n;
}

void
jw_puts(struct jw *w, const char *s)
{
	jw_raw(w, s, strlen(s));
}

void
jw_strings(struct jw *w, const char *const *v, size_t n)
{
	size_t i;

	put(w, "[", 1);
	for (i = 0; i < n; i++) {
		if (i > 0)
			put(w, ",", 1);
		jw_str(w, v[i], strlen(v[i]));
	}
	put(w, "]", 1);
}

void
jw_printf(struct jw *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	reserve(w, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(w->buf + w->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	w->len += (size_t)n;
}

void
jw_end(struct jw *w)
{
	put(w, "}\n", 2);
	out_write(w->buf, w->len);
}
