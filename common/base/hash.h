/*
 * Hashing, and the one hash table of the suite: open addressing, linear
 * probing, at most half full.  Keys are 64-bit numbers the caller made
 * (a hash of its own) or byte strings, which are hashed here and compared
 * whole, so two strings never pass for one because their hashes meet.
 * A table can be emptied at once (htab_clear) however large it grew.
 */
#ifndef BM_HASH_H
#define BM_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t	hash_bytes(const void *, size_t, uint64_t seed);	/* FNV-1a */
uint64_t	hash_mix(uint64_t);
/* Only to place keys in a table: a word at a time, never written down */
uint64_t	hash_place(const void *, size_t);

struct hslot {
	uint64_t	 h;
	const char	*k;	/* a string key, not copied; NULL: a number key */
	void		*v;
	uint32_t	 n;
	uint32_t	 gen;	/* empty unless the table's (0: never) */
};

struct htab {
	struct hslot	*slot;
	size_t		 cap, count;
	uint32_t	 gen;
};

/* Number keys.  A value is never NULL: NULL is "not there". */
void	*htab_get(const struct htab *, uint64_t key);
void	 htab_put(struct htab *, uint64_t key, void *val);
void	*htab_del(struct htab *, uint64_t key);
/* String keys: k[0..n), which must live as long as the entry. */
void	*htab_sget(const struct htab *, const char *k, size_t n);
void	 htab_sput(struct htab *, const char *k, size_t n, void *val);
int	 htab_sadd(struct htab *, const char *k, size_t n, void *val); /* 0: was there */
/*
 * For a lookup of the key of hash h soon: its slot into the cache, or with deep (the
 * slot fetched before), what the slot points to; a lookup waits for
 * main memory's answer about 100 times as long as for the cache's.
 */
void	 htab_sprefetch(const struct htab *, uint64_t h, int deep);
/* htab_sget of a key whose hash_place is h, made once for both calls */
void	*htab_sget_h(const struct htab *, uint64_t h, const char *k, size_t n);
/* Each value in turn, its number key in *key if asked: start *i at 0. */
void	*htab_next(const struct htab *, size_t *i, uint64_t *key);
void	 htab_clear(struct htab *);
void	 htab_free(struct htab *);

#endif
