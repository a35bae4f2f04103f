/*
 * The profiles some events came from, each once, by its root label:
 * NAME for NAME//child (a hat, a null- learning profile) and for AppArmor
 * 2's bare null-N children; unconfined is no profile.  For messages that
 * name what was seen, and bm-merge's one-profile check.
 */
#ifndef BM_LABELS_H
#define BM_LABELS_H

#include <stddef.h>

#include "hash.h"

struct labels {
	struct htab	 set;
	char		**names;
	size_t		 n, cap;
	const char	*last;		/* the name last added or found */
};

void	labels_add(struct labels *, const char *label, size_t len);
/* The names, sorted; valid until the next labels_add. */
size_t	labels_sorted(struct labels *, const char *const **);
void	labels_free(struct labels *);

/* "a, b, c" of up to ten names, then " and N more"; cut to size. */
void	names_text(const char *const *names, size_t n, char *buf,
	    size_t size);

#endif
