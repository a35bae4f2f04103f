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

static size_t
slot_of(const struct u64map *m, uint64_t key)
{
	size_t i = (size_t)hash_mix(key) & (m->cap - 1);

	while (m->vals[i] != NULL && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

void *
u64map_get(const struct u64map *m, uint64_t key)
{
	if (m->cap == 0)
		return NULL;
	return m->vals[slot_of(m, key)];
}

static void
grow(struct u64map *m)
{
	struct u64map old = *m;
	size_t i;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->keys = xcalloc(m->cap, sizeof(*m->keys));
	m->vals = xcalloc(m->cap, sizeof(*m->vals));
	m->count = 0;
	for (i = 0; i < old.cap; i++)
		if (old.vals[i] != NULL)
			u64map_put(m, old.keys[i], old.vals[i]);
	free(old.keys);
	free(old.vals);
}

void
u64map_put(struct u64map *m, uint64_t key, void *val)
{
	size_t i;

	if (2 * (m->count + 1) > m->cap)
		grow(m);
	i = slot_of(m, key);
	if (m->vals[i] == NULL)
		m->count++;
	m->keys[i] = key;
	m->vals[i] = val;
}

/* Backward-shift deletion keeps probe chains intact without tombstones. */
void *
u64map_del(struct u64map *m, uint64_t key)
{
	size_t i, j, home;
	void *val;

	if (m->cap == 0)
		return NULL;
	i = slot_of(m, key);
	if ((val = m->vals[i]) == NULL)
		return NULL;
	m->vals[i] = NULL;
	m->count--;
	for (j = (i + 1) & (m->cap - 1); m->vals[j] != NULL;
	    j = (j + 1) & (m->cap - 1)) {
		home = (size_t)hash_mix(m->keys[j]) & (m->cap - 1);
		/* move j back to i unless its home lies cyclically in (i, j] */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && (home <= i && home > j))) {
			m->keys[i] = m->keys[j];
			m->vals[i] = m->vals[j];
			m->vals[j] = NULL;
			i = j;
		}
	}
	return val;
}

void
u64map_free(struct u64map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
