#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labels.h"
#include "util.h"

void
labels_add(struct labels *l, const char *label, size_t len)
{
	const char *sep;
	char *name;

	if (l->last != NULL && strncmp(l->last, label, len) == 0 &&
	    l->last[len] == '\0')
		return;			/* the usual event: the last one's */
	if ((sep = memmem(label, len, "//", 2)) != NULL)
		len = (size_t)(sep - label);
	if ((len == 10 && memcmp(label, "unconfined", 10) == 0) ||
	    (len >= 5 && memcmp(label, "null-", 5) == 0))
		return;
	if ((name = htab_sget(&l->set, label, len)) != NULL) {
		l->last = name;
		return;
	}
	name = xmemdup(label, len + 1);
	name[len] = '\0';
	htab_sput(&l->set, name, len, name);
	l->names = xgrow(l->names, &l->cap, l->n + 1, sizeof(*l->names), 8);
	l->names[l->n++] = name;
	l->last = name;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t
labels_sorted(struct labels *l, const char *const **names)
{
	if (l->n > 1)
		qsort(l->names, l->n, sizeof(*l->names), cmp_name);
	*names = (const char *const *)l->names;
	return l->n;
}

void
labels_free(struct labels *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	htab_free(&l->set);
	memset(l, 0, sizeof(*l));
}

void
names_text(const char *const *names, size_t n, char *buf, size_t size)
{
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < n && i < 10 && at < size; i++)
		at += (size_t)snprintf(buf + at, size - at, "%s%s",
		    i ? ", " : "", names[i]);
	if (n > 10 && at < size)
		snprintf(buf + at, size - at, " and %zu more", n - 10);
}
