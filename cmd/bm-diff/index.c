/*
 * The approved entries of one section by their first field: a name by
 * its whole text, a pattern by the literal text it starts with.  A
 * value is looked up by each of its own literal prefixes that some
 * approved pattern has, so a path costs its length, not the number of
 * patterns.  An entry without a first field may cover anything.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "hash.h"
#include "util.h"

#define MAXPREFIX	4096

struct bucket {
	const char	*key;		/* its first keylen bytes */
	size_t		 keylen;
	char		*own;		/* the key, when unescaped from a pattern */
	size_t		 first, *more;	/* the entries: most buckets have one */
	size_t		 n, cap;
	struct bucket	*next;		/* same hash */
};

struct index {
	int		 pattern;
	struct htab	 map;
	size_t		*any, nany;	/* no first field: candidates always */
	unsigned char	 lens[MAXPREFIX];	/* prefix lengths present */
};

static const struct {
	enum section	 sec;
	const char	*field;		/* NULL: a plain list's string */
	enum how	 how;
} kinds[] = {
	{ S_EXECUTIONS, NULL, BY_PATTERN }, { S_BPF_EXECUTIONS, NULL, BY_PATTERN },
	{ S_CHANGE_PROFILES, NULL, BY_PATTERN },
	{ S_FILES, "path", BY_PATTERN }, { S_BPF_FILES, "path", BY_PATTERN },
	{ S_MOUNTS, "path", BY_PATTERN }, { S_MOUNTS, "source", BY_PATTERN },
	{ S_BPF_MOUNTS, "path", BY_PATTERN },
	{ S_BPF_MOUNTS, "source", BY_PATTERN },
	{ S_UNIX, "addr", BY_PATTERN }, { S_UNIX, "peerAddr", BY_PATTERN },
	{ S_UNIX, "peerLabel", BY_PATTERN },
	{ S_PTRACES, "peer", BY_PATTERN }, { S_BPF_PTRACES, "peer", BY_PATTERN },
	{ S_SIGNALS, "peer", BY_PATTERN },
	{ S_DBUS, "path", BY_PATTERN }, { S_DBUS, "name", BY_PATTERN },
	{ S_DBUS, "peerLabel", BY_PATTERN },
	{ S_MQUEUES, "name", BY_PATTERN }, { S_IO_URING, "label", BY_PATTERN },
	/* no AppArmor mount rule matches a mount's data */
	{ S_MOUNTS, "data", NOT_COMPARED }, { S_BPF_MOUNTS, "data", NOT_COMPARED },
};

/* How AppArmor matches a field: the table above, made once into a grid. */
enum how
field_how(enum section sec, int field)
{
	static unsigned char grid[NSECTIONS][MAXFIELDS];
	static int ready;
	size_t i;

	if (!ready) {
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			grid[kinds[i].sec][kinds[i].field == NULL ? 0 :
			    field_index(kinds[i].sec, kinds[i].field)] =
			    (unsigned char)kinds[i].how;
		ready = 1;
	}
	return (enum how)grid[sec][field];
}

static struct bucket *
bucket_of(struct index *x, uint64_t h, const char *key, size_t n, int make)
{
	struct bucket *head = htab_get(&x->map, h), *b;

	for (b = head; b != NULL; b = b->next)
		if (b->keylen == n && memcmp(b->key, key, n) == 0)
			return b;
	if (!make)
		return NULL;
	b = xcalloc(1, sizeof(*b));
	b->key = key;			/* the caller's, if it lasts */
	b->keylen = n;
	b->next = head;
	htab_put(&x->map, h, b);
	return b;
}

static void
bucket_add(struct bucket *b, size_t i)
{
	if (b->n == 0) {
		b->first = i;
		b->n = 1;
		return;
	}
	b->more = xgrow(b->more, &b->cap, b->n, sizeof(*b->more), 4);
	b->more[b->n++ - 1] = i;
}

struct index *
index_build(struct model *m, enum section sec)
{
	struct index *x = xcalloc(1, sizeof(*x));
	struct entry *const *all;
	size_t n = model_entries(m, sec, &all), i, len;
	struct bucket *b;
	char key[MAXPREFIX];

	x->pattern = field_how(sec, 0) == BY_PATTERN;
	x->any = xmalloc((n + 1) * sizeof(*x->any));
	for (i = 0; i < n; i++) {
		const char *v = all[i]->val[0];

		if (v == NULL) {
			x->any[x->nany++] = i;
			continue;
		}
		if (x->pattern) {
			len = literal_prefix(v, key, sizeof(key), 1);
			x->lens[len] = 1;
		} else
			len = strlen(v);
		b = bucket_of(x, hash_bytes(x->pattern ? key : v, len, 0),
		    x->pattern ? key : v, len, 1);
		if (b->key == key && memcmp(key, v, len) == 0)
			b->key = v;	/* no escape before it: the entry's text */
		else if (b->key == key) {
			b->own = xmalloc(len + 1);
			memcpy(b->own, key, len);
			b->key = b->own;
		}
		bucket_add(b, i);
	}
	return x;
}

static void
each_in(const struct bucket *b, void (*fn)(size_t, void *), void *arg)
{
	size_t i;

	for (i = 0; b != NULL && i < b->n; i++)
		fn(i == 0 ? b->first : b->more[i - 1], arg);
}

void
index_each(struct index *x, const char *v, void (*fn)(size_t, void *),
    void *arg)
{
	char lit[MAXPREFIX];
	uint64_t h = hash_bytes("", 0, 0);	/* FNV-1a: grown a byte at a time */
	size_t i, n;

	for (i = 0; i < x->nany; i++)
		fn(x->any[i], arg);
	if (v == NULL)
		return;
	if (!x->pattern) {
		n = strlen(v);
		each_in(bucket_of(x, hash_bytes(v, n, 0), v, n, 0), fn, arg);
		return;
	}
	n = literal_prefix(v, lit, sizeof(lit), 0);
	for (i = 0; i <= n; i++) {
		if (x->lens[i])
			each_in(bucket_of(x, h, lit, i, 0), fn, arg);
		if (i < n)
			h = hash_bytes(lit + i, 1, h ^ 0xcbf29ce484222325ULL);
	}
}

void
index_free(struct index *x)
{
	struct bucket *b, *next;
	size_t i = 0;

	while ((b = htab_next(&x->map, &i, NULL)) != NULL) {
		for (; b != NULL; b = next) {
			next = b->next;
			free(b->own);
			free(b->more);
			free(b);
		}
	}
	htab_free(&x->map);
	free(x->any);
	free(x);
}
