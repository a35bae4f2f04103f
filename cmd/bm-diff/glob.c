/*
 * AppArmor patterns (apparmor.d(5)): does an approved pattern cover a
 * path?  The path is itself a pattern as bm-merge writes it: glob
 * characters of a real path escaped (\*), a generalised part a bare *.
 * A bare * in the path stands for any name within one component, so
 * only a * or ** of the approved pattern covers it; ** only **.
 */
#include <stdio.h>
#include <string.h>

#include "diff.h"

enum { LIT, STAR, STAR2, END };

/* The path's token at s: a literal byte (in *c), *, ** or the end. */
static int
token(const char *s, char *c, size_t *width)
{
	*width = 1;
	if (*s == '\0')
		return END;
	if (*s == '\\' && s[1] != '\0') {
		*c = s[1];
		*width = 2;
		return LIT;
	}
	if (*s == '*') {
		*width = s[1] == '*' ? 2 : 1;
		return s[1] == '*' ? STAR2 : STAR;
	}
	*c = *s;
	return LIT;
}

/* [abc], [^a-z]: whether c is in the class at p; *end past its ]. */
static int
in_class(const char *p, char c, const char **end)
{
	int neg = *p == '^', in = 0;

	p += neg;
	for (; *p != '\0' && (*p != ']'); p++) {
		char lo = *p == '\\' && p[1] ? *++p : *p, hi = lo;

		if (p[1] == '-' && p[2] != ']' && p[2] != '\0') {
			p += 2;
			hi = *p == '\\' && p[1] ? *++p : *p;
		}
		in |= c >= lo && c <= hi;
	}
	*end = *p == ']' ? p + 1 : p;
	return in != neg;
}

/* The end of the alternation that opens at p ({), or NULL. */
static const char *
brace_end(const char *p)
{
	int depth = 0;

	for (; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '{')
			depth++;
		else if (*p == '}' && --depth == 0)
			return p;
	}
	return NULL;
}

static int match(const char *, const char *, int);

/* {a,b,c}rest: each alternative in turn, in front of the rest. */
static int
alternatives(const char *a, const char *n, int depth)
{
	const char *end = brace_end(a), *alt = a + 1, *p;
	char buf[4096];
	int nest = 0;

	if (end == NULL)
		return 0;
	for (p = alt; p <= end; p++) {
		if (*p == '\\' && p < end) {
			p++;
			continue;
		}
		nest += *p == '{';
		nest -= *p == '}' && p < end;
		if ((*p == ',' && nest == 0) || p == end) {
			int len = snprintf(buf, sizeof(buf), "%.*s%s",
			    (int)(p - alt), alt, end + 1);

			if (len < (int)sizeof(buf) && match(buf, n, depth + 1))
				return 1;
			alt = p + 1;
		}
	}
	return 0;
}

/* * (within a component) or ** (across them): the rest after each stop. */
static int
stars(const char *rest, const char *n, int across, int depth)
{
	size_t w;
	char c;
	int t;

	for (;;) {
		if (match(rest, n, depth))
			return 1;
		t = token(n, &c, &w);
		if (t == END || (!across && (t == STAR2 || (t == LIT && c == '/'))))
			return 0;
		n += w;
	}
}

static int
match(const char *a, const char *n, int depth)
{
	size_t w;
	char c;
	int t;

	if (depth > 16)
		return 0;	/* alternations nested past sense */
	for (;;) {
		t = token(n, &c, &w);
		switch (*a) {
		case '\0':
			return t == END;
		case '*':
			return a[1] == '*' ? stars(a + 2, n, 1, depth) :
			    stars(a + 1, n, 0, depth);
		case '{':
			return alternatives(a, n, depth);
		case '?':
			if (t != LIT || c == '/')
				return 0;
			a++;
			break;
		case '[':
			if (t != LIT || c == '/' || !in_class(a + 1, c, &a))
				return 0;
			break;
		case '\\':
			if (a[1] != '\0')
				a++;
			/* FALLTHROUGH */
		default:
			if (t != LIT || c != *a)
				return 0;
			a++;
			break;
		}
		n += w;
	}
}

int
pattern_covers(const char *pattern, const char *path)
{
	return match(pattern, path, 0);
}

/* The literal text a pattern or path starts with, unescaped. */
size_t
literal_prefix(const char *s, char *buf, size_t size, int is_pattern)
{
	size_t n = 0;

	for (; *s != '\0' && n + 1 < size; s++) {
		if (*s == '\\' && s[1] != '\0')
			s++;
		else if (*s == '*' || (is_pattern && strchr("?[{", *s)))
			break;
		buf[n++] = *s;
	}
	buf[n] = '\0';
	return n;
}
