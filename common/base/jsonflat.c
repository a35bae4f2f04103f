/*
 * The usual event line, an object of strings, numbers, true, false and
 * null on one line, read without building a tree: a tenth of cJSON's
 * cost, and no strtod, whose locale lookup alone cost more than this.
 *
 * It takes a strict part of what cJSON takes and reads it to the same
 * values; whatever else (nesting, \u escapes, escaped keys, exponents,
 * numbers of more than 15 digits, control bytes, text after the object)
 * it leaves untouched to cJSON, so that every fault is still found and
 * reported as it was.  Numbers are exact: a whole number of up to 15
 * digits over a power of ten up to 10^15 are both exact doubles, and
 * IEEE division rounds their quotient correctly, as strtod does.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "jsonin.h"
#include "util.h"

#define MAXDIGITS	15

static const double	tens[MAXDIGITS + 1] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
	1e13, 1e14, 1e15
};

/* Where a string value's text is, until the whole line has passed. */
struct jf_span {
	int		 slot;
	char		*from;		/* after the opening quote */
	size_t		 len;		/* to the closing quote */
	int		 esc;
};

static const char *
space(const char *p, const char *end)
{
	while (p < end && (unsigned char)*p <= ' ' &&
	    (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

/* Where in p..end the next quote, backslash or control byte is. */
static const char *
string_stop(const char *p, const char *end)
{
	uint64_t w, m;

	for (; end - p >= 8; p += 8) {
		w = bytes_load(p);
		m = bytes_eq(w, '"') | bytes_eq(w, '\\') | bytes_below(w, 0x20);
		if (m != 0)
			return p + bytes_first(m);
	}
	while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
		p++;
	return p;
}

/* A string's end (its closing quote); NULL: not one this reader takes. */
static const char *
string_end(const char *p, const char *end, int *esc)
{
	for (*esc = 0; (p = string_stop(p, end)) < end; p++) {
		if (*p == '"')
			return p;
		if (*p != '\\')
			return NULL;		/* a control byte */
		if (++p == end || *p == '\0' ||
		    strchr("\"\\/bfnrt", *p) == NULL)
			return NULL;		/* \u and faults: cJSON's */
		*esc = 1;
	}
	return NULL;
}

/* A number in JSON's grammar, no exponent, at most MAXDIGITS digits. */
static const char *
number(const char *p, const char *end, double *num)
{
	unsigned long long mant = 0;
	int neg = 0, digits = 0, frac = 0;

	if (p < end && *p == '-')
		neg = 1, p++;
	if (p == end || *p < '0' || *p > '9')
		return NULL;
	if (*p == '0' && p + 1 < end && p[1] >= '0' && p[1] <= '9')
		return NULL;			/* a leading zero */
	for (; p < end && *p >= '0' && *p <= '9'; p++, digits++)
		mant = mant * 10 + (unsigned)(*p - '0');
	if (p < end && *p == '.') {
		if (++p == end || *p < '0' || *p > '9')
			return NULL;
		for (; p < end && *p >= '0' && *p <= '9'; p++, frac++)
			mant = mant * 10 + (unsigned)(*p - '0');
	}
	if (digits + frac > MAXDIGITS || (p < end && (*p == 'e' ||
	    *p == 'E')))
		return NULL;
	*num = (double)mant / tens[frac];
	if (neg)
		*num = -*num;
	return p;
}

static const char *
literal(const char *p, const char *end, enum jf_type *type)
{
	static const struct { const char *s; enum jf_type t; } lit[] = {
		{ "true", JF_TRUE }, { "false", JF_FALSE }, { "null", JF_NULL }
	};
	size_t i, n;

	for (i = 0; i < 3; i++) {
		n = strlen(lit[i].s);
		if ((size_t)(end - p) >= n && memcmp(p, lit[i].s, n) == 0) {
			*type = lit[i].t;
			return p + n;
		}
	}
	return NULL;
}

/* Escapes undone in place; the text ends with a NUL. */
static void
unescape(char *s, size_t n)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	char *w = s, *end = s + n;

	for (; s < end; s++) {
		if (*s == '\\')
			s++, *w++ = to[strchr(from, *s) - from];
		else
			*w++ = *s;
	}
	*w = '\0';
}

/* One value at p: its type, and its place when it is kept. */
static const char *
value(const char *p, const char *end, struct jf_val *v, struct jf_span *sp)
{
	const char *q;

	v->tree = NULL;		/* a tree's, read before, is not this one */
	if (p == end)
		return NULL;
	if (*p == '"') {
		if ((q = string_end(p + 1, end, &sp->esc)) == NULL)
			return NULL;
		v->type = JF_STRING;
		sp->from = (char *)p + 1;
		sp->len = (size_t)(q - p - 1);
		return q + 1;
	}
	if (*p == '-' || (*p >= '0' && *p <= '9')) {
		v->type = JF_NUMBER;
		return number(p, end, &v->num);
	}
	return literal(p, end, &v->type);
}

void
jf_clear(struct jflat *f)
{
	while (f->nset > 0)
		f->val[f->set[--f->nset]].type = JF_ABSENT;
}

/*
 * Past the object, each value kept is in f->val by the slot its key
 * names; 0 (nothing kept, the line untouched) when it is not a line
 * this reader takes, or a key wants a tree.
 */
static int
members(struct jflat *f, const char *p, const char *end, struct jf_span *sp,
    size_t *nsp)
{
	struct jf_val scratch, *v;
	const char *k;
	int slot, esc;

	if ((p = space(p, end)) < end && *p == '}')
		return space(p + 1, end) == end;
	for (;;) {
		if (p == end || *p != '"' ||
		    (k = string_end(p + 1, end, &esc)) == NULL || esc)
			return 0;
		if ((slot = f->slot(p + 1, (size_t)(k - p - 1),
		    (size_t)(end - p - 1))) >= f->nflat)
			return 0;	/* a member only a tree holds */
		v = &scratch;
		if (slot >= 0 && f->val[slot].type == JF_ABSENT) {
			v = &f->val[slot];	/* the first of a name */
			f->set[f->nset++] = slot;
		}
		if ((p = space(k + 1, end)) == end || *p != ':')
			return 0;
		p = value(space(p + 1, end), end, v, &sp[*nsp]);
		if (p == NULL)
			return 0;
		if (v != &scratch && v->type == JF_STRING)
			sp[(*nsp)++].slot = slot;
		if ((p = space(p, end)) == end)
			return 0;
		if (*p == '}')
			return space(p + 1, end) == end;
		if (*p != ',')
			return 0;
		p = space(p + 1, end);
	}
}

void
jf_init(struct jflat *f, int nslots, int nflat,
    int (*slot)(const char *, size_t, size_t))
{
	memset(f, 0, sizeof(*f));
	f->slot = slot;
	f->nflat = nflat;
	f->val = xcalloc((size_t)nslots, sizeof(*f->val));
	f->set = xcalloc((size_t)nslots, sizeof(*f->set));
	f->spans = xcalloc((size_t)nslots + 1, sizeof(*f->spans));
}

void
jf_free(struct jflat *f)
{
	free(f->val);
	free(f->set);
	free(f->spans);
	memset(f, 0, sizeof(*f));
}

/* A member read from a tree, for the same reader: 0 when one was set. */
int
jf_set(struct jflat *f, int slot, const struct jf_val *v)
{
	if (f->val[slot].type != JF_ABSENT)
		return 0;
	f->val[slot] = *v;
	f->set[f->nset++] = slot;
	return 1;
}

int
jf_parse(struct jflat *f, char *line, size_t len)
{
	const char *p = space(line, line + len), *end = line + len;
	struct jf_span *sp;
	size_t i, nsp = 0;

	if (p == end || *p != '{')
		return 0;
	sp = f->spans;
	if (!members(f, p + 1, end, sp, &nsp)) {
		jf_clear(f);
		return 0;
	}
	for (i = 0; i < nsp; i++) {
		if (sp[i].esc)
			unescape(sp[i].from, sp[i].len);
		else
			sp[i].from[sp[i].len] = '\0';
		f->val[sp[i].slot].s = sp[i].from;
	}
	return 1;
}
