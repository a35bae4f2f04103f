#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "aastr.h"
#include "jsonw.h"

static int
is_glob(char c)
{
	switch (c) {		/* AA_GLOB_CHARS */
	case '*': case '?': case '[': case ']': case '{': case '}': case '^':
	case '\\':
		return 1;
	}
	return 0;
}

void
aa_escape_glob(struct jw *w, const char *s, size_t n)
{
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		if (is_glob(s[i])) {
			jw_raw(w, s + run, i - run);
			jw_raw(w, "\\", 1);
			run = i;
		}
	}
	jw_raw(w, s + run, n - run);
}

/* What ends an unquoted token, or is not safe in one. */
static int
needs_quotes(const unsigned char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 1;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f || strchr(",\"#()=!\\", s[i]))
			return 1;
	return 0;
}

static void
put_octal(struct jw *w, unsigned char c)
{
	char oct[8];

	snprintf(oct, sizeof(oct), "\\%03o", c);
	jw_raw(w, oct, 4);
}

/*
 * Quoted, the lexer would take \\" for an escaped quote: an escaped
 * backslash is written \134, a quote \042, control characters and bytes
 * that are not UTF-8 in octal too; an escape of any other character
 * stays as it is.
 */
static void
put_token(struct jw *w, const char *tok, size_t n)
{
	const unsigned char *s = (const unsigned char *)tok, *end = s + n;

	if (!needs_quotes(s, n)) {
		jw_raw(w, tok, n);
		return;
	}
	jw_raw(w, "\"", 1);
	while (s < end) {
		size_t u = *s >= 0x80 ? utf8_len(s, (size_t)(end - s)) : 0;

		if (*s == '\\' && s + 1 < end && (s[1] < ' ' || s[1] >= 0x7f)) {
			s++;		/* escaping it adds nothing */
		} else if (*s == '\\' && s + 1 < end && (s[1] == '\\' ||
		    s[1] == '"')) {
			put_octal(w, s[1]);
			s += 2;
		} else if (*s == '\\' && s + 1 < end) {
			jw_raw(w, (const char *)s, 2);
			s += 2;
		} else if (u > 0) {
			jw_raw(w, (const char *)s, u);
			s += u;
		} else if (*s < ' ' || *s >= 0x7f || *s == '"' || *s == '\\')
			put_octal(w, *s++);
		else
			jw_raw(w, (const char *)s++, 1);
	}
	jw_raw(w, "\"", 1);
}

void
aa_literal(struct jw *w, const char *s)
{
	struct jw t = { 0 };

	aa_escape_glob(&t, s, strlen(s));
	put_token(w, t.buf ? t.buf : "", t.len);
	free(t.buf);
}

/* A pattern ending in a lone backslash would escape the closing quote. */
void
aa_pattern(struct jw *w, const char *s)
{
	struct jw t = { 0 };
	size_t n = strlen(s), slashes = 0;

	while (slashes < n && s[n - 1 - slashes] == '\\')
		slashes++;
	jw_raw(&t, s, n);
	if (slashes % 2 == 1)
		jw_raw(&t, "\\", 1);
	put_token(w, t.buf ? t.buf : "", t.len);
	free(t.buf);
}
