/*
 * Eight bytes at a time: which of a word's bytes are c, or below c.
 * The lowest byte marked is the first such; those after it may be
 * marked falsely (a borrow), so only the lowest may be trusted.
 */
#ifndef BM_BYTES_H
#define BM_BYTES_H

#include <stdint.h>
#include <string.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "a word's first byte is taken for its lowest"
#endif

#define BYTES_ONES	0x0101010101010101ULL
#define BYTES_HIGHS	0x8080808080808080ULL

static inline uint64_t
bytes_load(const void *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

static inline uint64_t
bytes_eq(uint64_t w, unsigned char c)
{
	w ^= c * BYTES_ONES;
	return (w - BYTES_ONES) & ~w & BYTES_HIGHS;
}

/* Below c (c at most 0x80), or 0x80 and up when high is set. */
static inline uint64_t
bytes_below(uint64_t w, unsigned char c)
{
	return (w - c * BYTES_ONES) & ~w & BYTES_HIGHS;
}

/* The place of the lowest marked byte in a non-zero mark. */
static inline unsigned
bytes_first(uint64_t m)
{
	return (unsigned)__builtin_ctzll(m) / 8;
}

#endif
