/* Hashing, and a map from 64-bit keys to pointers (open addressing). */
#ifndef BM_HASH_H
#define BM_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t	hash_bytes(const void *, size_t, uint64_t seed);	/* FNV-1a */
uint64_t	hash_mix(uint64_t);

struct u64map {
	uint64_t	*keys;
	void		**vals;		/* NULL: empty slot */
	size_t		 cap, count;
};

void	*u64map_get(const struct u64map *, uint64_t key);
void	 u64map_put(struct u64map *, uint64_t key, void *val);	/* val != NULL */
void	*u64map_del(struct u64map *, uint64_t key);
void	 u64map_free(struct u64map *);

#endif
