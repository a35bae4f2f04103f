/*
 * Observations made from one input value wait here until the whole
 * value has been read: a value with a bad field adds nothing at all.
 */
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "util.h"

#define MAXOBS		8
#define MAXALLOCS	64

static struct obs	 staged[MAXOBS];
static int		 nstaged;
static char		*allocs[MAXALLOCS];
static int		 nallocs;
int64_t			 obs_time = -1;

struct obs *
obs_new(enum section sec)
{
	struct obs *o;
	int i;

	if (nstaged == MAXOBS)
		abort();	/* no input value makes this many */
	o = &staged[nstaged++];
	memset(o->val, 0, sizeof(o->val));	/* not the sets' 2 KiB */
	for (i = 0; i < MAXSETS; i++)
		o->set[i].n = 0;
	o->owner = 0;
	o->sec = sec;
	o->count = 1;
	o->first = o->last = obs_time;
	return o;
}

/* Which of the section's sets field i is. */
static int
set_slot(enum section sec, int field)
{
	int i, si = 0;

	for (i = 0; i < field; i++)
		if (sections[sec].f[i].role == F_SET ||
		    sections[sec].f[i].role == F_IDSET)
			si++;
	return si;
}

void
obs_set_add(struct obs *o, int field, const char *s, size_t len)
{
	struct strs *ss = &o->set[set_slot(o->sec, field)];

	if (len == 0 || ss->n == MAXELEMS)
		return;
	ss->s[ss->n] = s;
	ss->len[ss->n++] = len;
}

/* "send receive", "send, receive": one element per word. */
void
obs_set_words(struct obs *o, int field, const char *s)
{
	while (*s != '\0') {
		size_t n;

		s += strspn(s, " ,");
		n = strcspn(s, " ,");
		obs_set_add(o, field, s, n);
		s += n;
	}
}

char *
obs_strdup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	if (nallocs == MAXALLOCS)
		abort();
	memcpy(p, s, n);
	p[n] = '\0';
	allocs[nallocs++] = p;
	return p;
}

char *
obs_keep(char *p)
{
	if (nallocs == MAXALLOCS)
		abort();
	allocs[nallocs++] = p;
	return p;
}

void
obs_drop(void)
{
	while (nallocs > 0)
		free(allocs[--nallocs]);
	nstaged = 0;
}

void
obs_commit(void)
{
	int i;

	for (i = 0; i < nstaged; i++)
		model_add(&staged[i]);
	obs_drop();
}
