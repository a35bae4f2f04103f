/*
 * One JSON object per line.  Strings are written as valid UTF-8 whatever
 * the input: each byte that is not part of a well-formed UTF-8 sequence
 * becomes U+FFFD, control characters become \uXXXX escapes, so no value
 * can break the line or the object.
 */
#ifndef BM_JSONW_H
#define BM_JSONW_H

#include <stddef.h>

struct jw {
	char	*buf;
	size_t	 len, cap;
	int	 first;		/* no member written yet */
	int	 stream;	/* out_write what is written past 64 KiB: a
				   whole model need not be held to the end */
};

void	jw_begin(struct jw *);
/* Keys are names, [A-Za-z0-9_-] only: written as they are, unescaped. */
void	jw_key_plain(struct jw *, const char *key, size_t len);
void	jw_str(struct jw *, const char *s, size_t len);
void	jw_int(struct jw *, long long);
void	jw_raw(struct jw *, const char *s, size_t len);	/* a number's text */
void	jw_puts(struct jw *, const char *s);	/* jw_raw of a C string */
/* n bytes more, for the caller to fill: where they start */
char	*jw_room(struct jw *, size_t n);
/* ["a","b"]: an array of strings. */
void	jw_strings(struct jw *, const char *const *, size_t);
/* Raw text by format: the caller vouches that it is JSON (or not JSON). */
void	jw_printf(struct jw *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	jw_end(struct jw *);		/* close, newline, send to out_write */

/* Append s as a JSON string body (no quotes) to any buffer. */
void	jw_escape(struct jw *, const char *s, size_t len);

/*
 * A NUL-terminated copy of s in which each byte that jw_str would write
 * as U+FFFD already is U+FFFD, so two strings that print the same are
 * the same.  NULL when s is valid UTF-8 and needs no copy.
 */
char	*utf8_fixed(const char *s, size_t len);
/* The length of the well-formed UTF-8 sequence at s, or 0. */
size_t	 utf8_len(const unsigned char *s, size_t n);

#endif
