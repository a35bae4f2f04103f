/*
 * Observations made from one input value wait here until the whole
 * value has been read: a value with a bad field adds nothing at all.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "learn.h"
#include "util.h"

#define MAXOBS		8
#define MAXALLOCS	64

static struct obs	 staged[MAXOBS];
static int		 nstaged;
static char		*allocs[MAXALLOCS];
static int		 nallocs;
static struct model	*route;		/* NULL: learned */
static const char	*route_child;
static size_t		 route_childlen;
static void		(*route_fn)(void *, const struct obs *);
static void		*route_arg;
int64_t			 obs_time = -1;
int			 obs_denied;	/* the value is a denial */
const char		*obs_profile, *obs_program;	/* who, if asked */

struct obs *
obs_new(enum section sec)
{
	struct obs *o;

	if (nstaged == MAXOBS)
		errx(EXIT_FATAL, "internal error: more than %d observations "
		    "from one value", MAXOBS);
	o = &staged[nstaged++];
	obs_clear(o, sec);
	o->first = o->last = obs_time;
	o->denied = obs_denied;
	o->profile = obs_profile;
	o->program = obs_program;
	return o;
}

/* "send receive", "send, receive": one element per word. */
/* The field by name; a field the section does not have is not set. */
void
obs_set_val(struct obs *o, const char *field, const char *v)
{
	int i = field_index(o->sec, field);

	if (i >= 0)
		o->val[i] = v;
}

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
		errx(EXIT_FATAL, "internal error: more than %d strings from "
		    "one value", MAXALLOCS);
	memcpy(p, s, n);
	p[n] = '\0';
	allocs[nallocs++] = p;
	return p;
}

char *
obs_keep(char *p)
{
	if (nallocs == MAXALLOCS)
		errx(EXIT_FATAL, "internal error: more than %d strings from "
		    "one value", MAXALLOCS);
	allocs[nallocs++] = p;
	return p;
}

void
obs_route(struct model *m, const char *child, size_t childlen)
{
	route = m;
	route_child = child;
	route_childlen = childlen;
	route_fn = NULL;
}

void
obs_route_to(void (*take)(void *, const struct obs *), void *arg)
{
	obs_route(NULL, NULL, 0);
	route_fn = take;
	route_arg = arg;
}

void
obs_drop(void)
{
	while (nallocs > 0)
		free(allocs[--nallocs]);
	nstaged = 0;
	obs_denied = 0;
	obs_profile = obs_program = NULL;
	obs_route(NULL, NULL, 0);
}

void
obs_commit(void)
{
	struct obs *o;
	int i;

	for (i = 0; i < nstaged; i++) {
		o = &staged[i];
		if (o->sec == S_PROFILES) {	/* the label: the workload's */
			model_add(learned, o);
			continue;
		}
		o->child = route_child;
		o->childlen = route_childlen;
		if (route_fn != NULL)
			route_fn(route_arg, o);
		else
			model_add(route ? route : learned, o);
	}
	obs_drop();
}
