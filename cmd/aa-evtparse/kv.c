#include <string.h>

#include "evtparse.h"
#include "util.h"

#define K1(c) ((c) >= 'a' && (c) <= 'z' ? 1 : (c) >= 'A' && (c) <= 'Z' ? 1 : \
	(c) >= '0' && (c) <= '9' ? 1 : (c) == '_' || (c) == '-')
#define K4(c) K1(c), K1(c + 1), K1(c + 2), K1(c + 3)
#define K16(c) K4(c), K4(c + 4), K4(c + 8), K4(c + 12)
static const unsigned char keychar[256] = {
	K16(0), K16(16), K16(32), K16(48), K16(64), K16(80), K16(96), K16(112)
};
#define is_keychar(c) keychar[(unsigned char)(c)]

static void
add(struct kvs *fs, const char *k, size_t kl, const char *v, size_t vl,
    unsigned flags)
{
	struct kv *f;

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

	/* the kernel never puts a tab inside or between values */
	if ((q = memchr(p, ' ', (size_t)(end - p))) == NULL)
		return end;
	p = q;
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
 * An enriched record whose 0x1d separator was lost in transit runs its
 * last raw value into the first enriched pair: ouid=0FSUID="root".  A
 * bare value never holds '=': where an upper-case KEY=" starts in it.
 */
static const char *
lost_separator(const char *v, const char *end)
{
	const char *eq, *k;

	if (end - v < 4 || end[-1] != '"' ||	/* KEY="..." ends it */
	    (eq = memchr(v, '=', (size_t)(end - v))) == NULL || eq[1] != '"')
		return NULL;
	for (k = eq; k > v && ((k[-1] >= 'A' && k[-1] <= 'Z') || k[-1] == '_');
	    k--)
		;
	return k > v && eq - k >= 2 ? k : NULL;
}

/*
 * Append the key=value pairs of s to fs.  Values are "double quoted",
 * 'single quoted' (USER_AVC's msg, which may be cut short at the end of
 * the line) or bare.  Words without '=' are skipped.  Returns -1 when a
 * double quote is never closed: the record was truncated.
 */
int
kv_parse(struct kvs *fs, const char *s, size_t len, unsigned flags)
{
	const char *p = s, *end = s + len, *k, *v, *q;

	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		for (k = p; p < end && is_keychar(*p); p++)
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
			if ((q = lost_separator(v, p)) != NULL) {
				add(fs, k, (size_t)(v - 1 - k), v,
				    (size_t)(q - v), flags);
				flags |= F_ENRICHED;	/* the rest is */
				p = q;
				continue;
			}
			add(fs, k, (size_t)(v - 1 - k), v, (size_t)(p - v),
			    flags);
		}
	}
	return 0;
}

const struct kv *
kv_get(const struct kvs *fs, const char *key)
{
	size_t i, n = strlen(key);

	for (i = 0; i < fs->n; i++)
		if (fs->v[i].klen == n && memcmp(fs->v[i].key, key, n) == 0)
			return &fs->v[i];
	return NULL;
}

int
in_set(struct nameset *set, const char *k, size_t n)
{
	const struct name *nm;

	if (set->t.cap == 0)
		for (nm = set->names; nm->s != NULL; nm++)
			htab_sput(&set->t, nm->s, nm->n, (void *)nm);
	return htab_sget(&set->t, k, n) != NULL;
}
