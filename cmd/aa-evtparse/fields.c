#include <string.h>

#include "evtparse.h"
#include "util.h"

static int
is_keychar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static void
add(struct fields *fs, const char *k, size_t kl, const char *v, size_t vl,
    unsigned flags)
{
	struct field *f;

	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 32;
		fs->v = xrealloc(fs->v, fs->cap * sizeof(*fs->v));
	}
	f = &fs->v[fs->n++];
	f->key = k;
	f->klen = (uint32_t)kl;
	f->val = v;
	f->vlen = (uint32_t)vl;
	f->flags = flags;
}

/*
 * The end of a bare value.  AppArmor labels in subj= carry their mode
 * after a space, "subj=/usr/bin/foo (enforce)": that is one value.
 */
static const char *
bare_end(const char *p, const char *end)
{
	const char *q;

	while (p < end && *p != ' ' && *p != '\t')
		p++;
	if (end - p > 2 && p[0] == ' ' && p[1] == '(') {
		for (q = p + 2; q < end && *q != ')' && *q != ' ' && *q != '=';
		    q++)
			;
		if (q < end && *q == ')' && (q + 1 == end || q[1] == ' '))
			return q + 1;
	}
	return p;
}

/*
 * Append the key=value pairs of s to fs.  Values are "double quoted",
 * 'single quoted' (USER_AVC's msg, which may be cut short at the end of
 * the line) or bare.  Words without '=' are skipped.  Returns -1 when a
 * double quote is never closed: the record was truncated.
 */
int
fields_parse(struct fields *fs, const char *s, size_t len, unsigned flags)
{
	const char *p = s, *end = s + len, *k, *v, *q;

	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		for (k = p; p < end && is_keychar((unsigned char)*p); p++)
			;
		if (p == end || *p != '=' || p == k) {
			while (p < end && *p != ' ' && *p != '\t')
				p++;
			continue;
		}
		v = ++p;
		if (p < end && (*p == '"' || *p == '\'')) {
			q = memchr(p + 1, *p, (size_t)(end - p - 1));
			if (q == NULL && *p == '"')
				return -1;
			if (q == NULL)
				q = end;
			add(fs, k, (size_t)(v - 1 - k), p + 1,
			    (size_t)(q - p - 1), flags | F_QUOTED);
			p = q < end ? q + 1 : end;
		} else {
			p = bare_end(p, end);
			add(fs, k, (size_t)(v - 1 - k), v, (size_t)(p - v),
			    flags);
		}
	}
	return 0;
}

int
field_is(const struct field *f, const char *key)
{
	size_t n = strlen(key);

	return f->klen == n && memcmp(f->key, key, n) == 0;
}

int
field_eq(const struct field *f, const char *val)
{
	size_t n = strlen(val);

	return f->vlen == n && memcmp(f->val, val, n) == 0;
}

const struct field *
fields_get(const struct fields *fs, const char *key)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (field_is(&fs->v[i], key))
			return &fs->v[i];
	return NULL;
}
