/*
 * AppArmor patterns (apparmor.d(5)): does an approved pattern cover a
 * path?  The path is itself a pattern as bm-merge writes it: glob
 * characters of a real path escaped (\*), a generalised part a bare *
 * or a class ([0-9a-f]) for each character.  A * in the path stands for
 * any name within one component, so only a * or ** of the approved
 * pattern covers it; ** only **; a class, a class holding it, ? or *.
 *
 * Both become tokens, an alternation {a,b} one pattern for each of its
 * choices, and each pattern is matched by dynamic programming: time
 * pattern length times path length, whatever the stars, where trying
 * each split of each star would take exponential time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "util.h"

enum { LIT, STAR, STAR2, ANY, CLASS };

struct tok {
	int		 t;
	char		 c;		/* LIT */
	const char	*cls;		/* CLASS: after its [ */
};

#define MAX_CHOICES	1024	/* patterns an alternation may stand for */
#define MAX_NESTING	16	/* alternations in one pattern */
#define MAX_TOKENS	8192

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

/* Every byte of the path's class q is in the pattern's class p. */
static int
class_within(const char *q, const char *p)
{
	const char *end;
	int c;

	for (c = 1; c < 256; c++)
		if (c != '/' && in_class(q, (char)c, &end) &&
		    !in_class(p, (char)c, &end))
			return 0;
	return 1;
}

/* s as tokens; *, ?, [ are globs in a pattern, * and [ in a path. */
static size_t
tokens(const char *s, struct tok *v, int is_pattern)
{
	const char *end;
	size_t n = 0;

	for (; *s != '\0' && n < MAX_TOKENS; n++) {
		v[n].t = LIT;
		if (*s == '\\' && s[1] != '\0') {
			v[n].c = s[1];
			s += 2;
		} else if (*s == '*') {
			v[n].t = s[1] == '*' ? STAR2 : STAR;
			s += s[1] == '*' ? 2 : 1;
		} else if (*s == '?' && is_pattern) {
			v[n].t = ANY;
			s++;
		} else if (*s == '[') {
			v[n].t = CLASS;
			v[n].cls = s + 1;
			in_class(s + 1, 'a', &end);
			s = end;
		} else
			v[n].c = *s++;
	}
	return n;
}

/* Whether the pattern's token p covers the path's token n, one for one. */
static int
one(const struct tok *p, const struct tok *n)
{
	const char *end;

	switch (p->t) {
	case LIT:
		return n->t == LIT && n->c == p->c;
	case ANY:
		return (n->t == LIT && n->c != '/') || n->t == CLASS;
	case CLASS:
		return (n->t == LIT && n->c != '/' && in_class(p->cls, n->c,
		    &end)) || (n->t == CLASS && class_within(n->cls, p->cls));
	}
	return 0;
}

/*
 * The pattern's tokens p against the path's n: row[j] says whether
 * p[i..] covers n[j..], from the last i to the first.
 */
static int
covers(const struct tok *p, size_t np, const struct tok *n, size_t nn)
{
	char *row = xcalloc(nn + 1, 1), *next = xcalloc(nn + 1, 1), *t;
	size_t i, j;
	int ok;

	next[nn] = 1;			/* nothing covers nothing */
	for (i = np; i-- > 0; ) {
		for (j = nn + 1; j-- > 0; ) {
			if (p[i].t == STAR2)
				row[j] = next[j] || (j < nn && row[j + 1]);
			else if (p[i].t == STAR)
				row[j] = next[j] || (j < nn && n[j].t != STAR2 &&
				    !(n[j].t == LIT && n[j].c == '/') &&
				    row[j + 1]);
			else
				row[j] = j < nn && one(&p[i], &n[j]) &&
				    next[j + 1];
		}
		t = row, row = next, next = t;
	}
	ok = next[0];
	free(row);
	free(next);
	return ok;
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

/* The first { of a that opens an alternation, or NULL. */
static const char *
first_brace(const char *a)
{
	for (; *a != '\0'; a++) {
		if (*a == '\\' && a[1] != '\0')
			a++;
		else if (*a == '{')
			return a;
	}
	return NULL;
}

/*
 * Each pattern a stands for, its alternations chosen, tried until one
 * covers; *budget counts the patterns tried, depth the alternations.
 */
static int
each_choice(const char *a, const struct tok *n, size_t nn, int *budget,
    int depth)
{
	const char *open = first_brace(a), *end, *alt, *p;
	struct tok *v;
	size_t np;
	int nest = 0, ok = 0;

	if (depth > MAX_NESTING)
		return 0;
	if (open == NULL || (end = brace_end(open)) == NULL) {
		if (--*budget < 0)
			return 0;
		v = xcalloc(strlen(a) + 1, sizeof(*v));
		np = tokens(a, v, 1);
		ok = covers(v, np, n, nn);
		free(v);
		return ok;
	}
	for (alt = p = open + 1; p <= end && !ok && *budget >= 0; p++) {
		if (*p == '\\' && p < end) {
			p++;
			continue;
		}
		nest += *p == '{';
		nest -= *p == '}' && p < end;
		if ((*p == ',' && nest == 0) || p == end) {
			char *buf = xmalloc(strlen(a) + 1);

			sprintf(buf, "%.*s%.*s%s", (int)(open - a), a,
			    (int)(p - alt), alt, end + 1);
			ok = each_choice(buf, n, nn, budget, depth + 1);
			free(buf);
			alt = p + 1;
		}
	}
	return ok;
}

int
pattern_covers(const char *pattern, const char *path)
{
	struct tok *n = xcalloc(strlen(path) + 1, sizeof(*n));
	size_t nn = tokens(path, n, 0);
	int budget = MAX_CHOICES, ok;

	ok = each_choice(pattern, n, nn, &budget, 0);
	free(n);
	return ok;
}

/* The literal text a pattern or path starts with, unescaped. */
size_t
literal_prefix(const char *s, char *buf, size_t size, int is_pattern)
{
	size_t n = 0;

	for (; *s != '\0' && n + 1 < size; s++) {
		if (*s == '\\' && s[1] != '\0')
			s++;
		else if (*s == '*' || *s == '[' || (is_pattern && strchr("?{", *s)))
			break;
		buf[n++] = *s;
	}
	buf[n] = '\0';
	return n;
}
