#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "util.h"

uint64_t
hash_bytes(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;

	while (n-- > 0) {
		h ^= *s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t
hash_mix(uint64_t x)		/* splitmix64 finaliser */
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/*
 * String keys, a word at a time: FNV-1a (hash_bytes) is kept for what is
 * written down or ordered by it; this one only places keys in a table.
 */
static inline uint64_t
hash_key(const char *k, size_t n)
{
	const char *end = k + n;
	uint64_t h = (uint64_t)n * 0x9e3779b97f4a7c15ULL, w;
	uint32_t a, b;

	if (n >= 8) {
		for (; end - k > 8; k += 8) {
			memcpy(&w, k, 8);
			h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
			h ^= h >> 29;
		}
		memcpy(&w, end - 8, 8);		/* the last 8, overlapping */
	} else if (n >= 4) {			/* first 4 and last 4: all */
		memcpy(&a, k, 4);
		memcpy(&b, end - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else if (n > 0) {			/* 1 to 3 bytes: all */
		w = (uint64_t)(unsigned char)k[0] << 16 |
		    (uint64_t)(unsigned char)k[n / 2] << 8 |
		    (unsigned char)k[n - 1];
	} else
		w = 0;
	h = (h ^ w) * 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

uint64_t
hash_place(const void *p, size_t n)
{
	return hash_key(p, n);
}

/* A slot is live in the table's generation (1 on): 0 is never one. */
static int
live(const struct htab *t, const struct hslot *s)
{
	return s->gen == t->gen;
}

/* Number keys have no string (k NULL, n 0): the hash is the key. */
static int
same(const struct hslot *s, uint64_t h, const char *k, size_t n)
{
	return s->h == h && s->n == n &&
	    (s->k == k || (k != NULL && s->k != NULL && memcmp(s->k, k, n) == 0));
}

/* A string's hash is mixed already; a number key may be anything. */
static size_t
home(const struct htab *t, uint64_t h, const char *k)
{
	return (size_t)(k != NULL ? h : hash_mix(h)) & (t->cap - 1);
}

/* The slot of the key, or the empty one where it would go. */
static inline size_t
slot_of(const struct htab *t, uint64_t h, const char *k, size_t n)
{
	size_t i = home(t, h, k);

	while (live(t, &t->slot[i]) && !same(&t->slot[i], h, k, n))
		i = (i + 1) & (t->cap - 1);
	return i;
}

static inline void *
get(const struct htab *t, uint64_t h, const char *k, size_t n)
{
	const struct hslot *s;

	if (t->cap == 0)
		return NULL;
	s = &t->slot[slot_of(t, h, k, n)];
	return live(t, s) ? s->v : NULL;
}

static inline int put(struct htab *, uint64_t, const char *, size_t, void *,
		    int);

static void
grow(struct htab *t)
{
	struct htab old = *t;
	size_t i;

	t->cap = old.cap ? old.cap * 2 : 64;
	t->slot = xcalloc(t->cap, sizeof(*t->slot));
	t->count = 0;
	t->gen = 1;
	for (i = 0; i < old.cap; i++)
		if (live(&old, &old.slot[i]))
			put(t, old.slot[i].h, old.slot[i].k, old.slot[i].n,
			    old.slot[i].v, 0);
	free(old.slot);
}

/*
 * Put the key's value; with keep, not over one already there.  0 when
 * the key was there.
 */
static inline int
put(struct htab *t, uint64_t h, const char *k, size_t n, void *val, int keep)
{
	struct hslot *s;

	if (2 * (t->count + 1) > t->cap)
		grow(t);
	s = &t->slot[slot_of(t, h, k, n)];
	if (live(t, s) && keep)
		return 0;
	if (!live(t, s))
		t->count++;
	s->h = h;
	s->k = k;
	s->n = (uint32_t)n;
	s->v = val;
	s->gen = t->gen;
	return 1;
}

void *
htab_get(const struct htab *t, uint64_t key)
{
	return get(t, key, NULL, 0);
}

void
htab_put(struct htab *t, uint64_t key, void *val)
{
	put(t, key, NULL, 0, val, 0);
}

void *
htab_sget(const struct htab *t, const char *k, size_t n)
{
	return get(t, hash_key(k, n), k, n);
}

void *
htab_sget_h(const struct htab *t, uint64_t h, const char *k, size_t n)
{
	return get(t, h, k, n);
}

void
htab_sprefetch(const struct htab *t, uint64_t h, int deep)
{
	const struct hslot *s;

	if (t->cap == 0)
		return;
	s = &t->slot[home(t, h, "")];		/* a string key's */
	if (!deep)
		__builtin_prefetch(s);
	else if (live(t, s)) {
		__builtin_prefetch(s->k);
		__builtin_prefetch(s->k + 64);
		__builtin_prefetch(s->v);
	}
}

void
htab_sput(struct htab *t, const char *k, size_t n, void *val)
{
	put(t, hash_key(k, n), k, n, val, 0);
}

int
htab_sadd(struct htab *t, const char *k, size_t n, void *val)
{
	return put(t, hash_key(k, n), k, n, val, 1);
}

/* Backward-shift deletion keeps probe chains intact without tombstones. */
void *
htab_del(struct htab *t, uint64_t key)
{
	size_t i, j, at, mask = t->cap - 1;
	void *val;

	if (t->cap == 0)
		return NULL;
	i = slot_of(t, key, NULL, 0);
	if (!live(t, &t->slot[i]))
		return NULL;
	val = t->slot[i].v;
	t->slot[i].gen = 0;
	t->count--;
	for (j = (i + 1) & mask; live(t, &t->slot[j]); j = (j + 1) & mask) {
		at = home(t, t->slot[j].h, t->slot[j].k);
		/* move j back to i unless its home lies cyclically in (i, j] */
		if ((j > i && (at <= i || at > j)) ||
		    (j < i && (at <= i && at > j))) {
			t->slot[i] = t->slot[j];
			t->slot[j].gen = 0;
			i = j;
		}
	}
	return val;
}

void *
htab_next(const struct htab *t, size_t *i, uint64_t *key)
{
	for (; *i < t->cap; (*i)++)
		if (live(t, &t->slot[*i])) {
			if (key != NULL)
				*key = t->slot[*i].h;
			return t->slot[(*i)++].v;
		}
	return NULL;
}

/* Every slot of an older generation is empty; at the wrap, really. */
void
htab_clear(struct htab *t)
{
	t->count = 0;
	if (t->cap > 0 && ++t->gen == 0) {
		memset(t->slot, 0, t->cap * sizeof(*t->slot));
		t->gen = 1;
	}
}

void
htab_free(struct htab *t)
{
	free(t->slot);
	memset(t, 0, sizeof(*t));
}
