/*
 * Children: what a program the workload ran did in complain mode, under
 * the null- profile AppArmor made for it, kept apart from the workload's
 * own behaviour and keyed by the programs (model.h, struct kid).
 *
 * null-/usr/bin/curl names its program.  null-1234 (a number, often in
 * hex) and null-complain do not: the exec event that entered the profile
 * does, by its target and pid.  The events of a child may come before
 * that exec event, and from another file, so they wait here, by label and
 * pid, until the whole input is read; then each goes to its child, or,
 * when no exec event names the program, to the nearest parent it can
 * name, and is reported.  Only sets grow on the way, so the result is the
 * same in any order.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "learn.h"
#include "util.h"

/* An exec into a null- profile: target, pid, parent label, program. */
struct entered {
	char		*key;		/* in entered_set */
	char		*tpkey;		/* in by_pid: target and pid */
	size_t		 tplen;
	char		*target, *parent, *program;
	long long	 pid;
};

/* The events of one label and pid, until the programs are known. */
struct waiting {
	char		*key;		/* in waiting_set */
	char		*label;
	long long	 pid;
	unsigned long	 events;
	struct model	*m;
};

struct list {
	void	**v;
	size_t	  n, cap;
};

static struct htab	entered_set, waiting_set;	/* by their text */
static struct list	entered, waiting;
/* At the end: by target and pid, and by target (SEVERAL: not one) */
static struct htab	by_pid, by_target;
static struct entered	several;
static unsigned long	unnamed_events;

static void
list_add(struct list *l, void *p)
{
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v), 16);
	l->v[l->n++] = p;
}

/* A key of strings and a pid: each string NUL-ended, then the pid. */
static size_t
make_key(struct jw *k, const char *a, const char *b, const char *c,
    long long pid)
{
	k->len = 0;
	jw_raw(k, a, strlen(a) + 1);
	if (b != NULL)
		jw_raw(k, b, strlen(b) + 1);
	if (c != NULL)
		jw_raw(k, c, strlen(c) + 1);
	jw_printf(k, "%lld", pid);
	return k->len;
}

/* "null-..." but for null-/PATH, which names its program. */
static int
unnamed(const char *comp, size_t n)
{
	return n >= 5 && strncmp(comp, "null-", 5) == 0 &&
	    (n == 5 || comp[5] != '/');
}

static int
is_null(const char *comp)
{
	return strncmp(comp, "null-", 5) == 0;
}

void
child_exec(const char *target, const char *program, const char *parent,
    long long pid)
{
	static struct jw k;
	const char *last;
	struct entered *e;
	size_t len;

	if (target == NULL || program == NULL || parent == NULL ||
	    !model_keeps_children(learned))
		return;
	for (last = target; strstr(last, "//") != NULL;
	    last = strstr(last, "//") + 2)
		;
	if (!unnamed(last, strlen(last)))
		return;
	len = make_key(&k, target, parent, program, pid);
	if (htab_sget(&entered_set, k.buf, len) != NULL)
		return;
	e = xmalloc(sizeof(*e));
	e->key = xmemdup(k.buf, len);
	htab_sput(&entered_set, e->key, len, e);
	e->tplen = make_key(&k, target, NULL, NULL, pid);
	e->tpkey = xmemdup(k.buf, e->tplen);
	e->target = xstrdup(target);
	e->parent = xstrdup(parent);
	e->program = xstrdup(program);
	e->pid = pid;
	list_add(&entered, e);
}

/*
 * Where the observations of an event of label go: the workload, a child
 * named by the label alone, or to wait for the exec events.
 */
void
child_route(const char *label, long long pid)
{
	static struct jw key, k;
	const char *c, *end;
	struct waiting *w;
	int nulls = 0;

	if (label == NULL || !model_keeps_children(learned))
		return;
	key.len = 0;
	for (c = label; ; c = end + 2) {
		end = strstr(c, "//");
		if (unnamed(c, end ? (size_t)(end - c) : strlen(c)))
			break;
		if (c != label && is_null(c)) {
			nulls++;
			jw_raw(&key, c + 5, end ? (size_t)(end - c - 5) :
			    strlen(c + 5));
			jw_raw(&key, "", 1);
		}
		if (end == NULL) {
			if (nulls > 0)
				obs_route(NULL, key.buf, key.len);
			return;
		}
	}
	make_key(&k, label, NULL, NULL, pid);
	if ((w = htab_sget(&waiting_set, k.buf, k.len)) == NULL) {
		w = xcalloc(1, sizeof(*w));
		w->key = xmemdup(k.buf, k.len);
		w->label = xstrdup(label);
		w->pid = pid;
		w->m = model_new();
		htab_sput(&waiting_set, w->key, k.len, w);
		list_add(&waiting, w);
	}
	w->events++;
	obs_route(w->m, NULL, 0);
}

/*
 * The look-ups: by target and pid the least program, by target the one
 * program and parent of all its exec events, if one.
 */
static void
index_entered(void)
{
	struct entered *e, *x;
	size_t i;

	for (i = 0; i < entered.n; i++) {
		e = entered.v[i];
		if ((x = htab_sget(&by_pid, e->tpkey, e->tplen)) == NULL ||
		    strcmp(e->program, x->program) < 0)
			htab_sput(&by_pid, x ? x->tpkey : e->tpkey, e->tplen, e);
		if ((x = htab_sget(&by_target, e->target,
		    strlen(e->target))) == NULL)
			htab_sput(&by_target, e->target, strlen(e->target), e);
		else if (x != &several && (strcmp(x->program, e->program) != 0 ||
		    strcmp(x->parent, e->parent) != 0))
			htab_sput(&by_target, x->target, strlen(x->target),
			    &several);
	}
}

/* The exec event that entered target from pid, else the only one. */
static const struct entered *
entered_by(const char *target, long long pid)
{
	static struct jw k;
	const struct entered *e;

	make_key(&k, target, NULL, NULL, pid);
	if ((e = htab_sget(&by_pid, k.buf, k.len)) != NULL)
		return e;
	e = htab_sget(&by_target, target, strlen(target));
	return e == &several ? NULL : e;
}

/*
 * The programs of label, into key; 0 when every null- profile in it was
 * named, else -1 with the programs named before the first that was not.
 * A bare null-complain-profile, AppArmor 2.1's, is named with its parent.
 */
static int
programs(const char *label, long long pid, struct jw *key, int depth)
{
	const struct entered *e;
	const char *c, *end;
	char *prefix;
	int rc = 0;

	if (depth > 64)
		return -1;		/* exec events that loop */
	for (c = label; rc == 0; c = end + 2) {
		size_t n;

		end = strstr(c, "//");
		n = end ? (size_t)(end - c) : strlen(c);
		if (unnamed(c, n)) {
			prefix = xmemdup(label, (size_t)(c - label) + n + 1);
			prefix[(size_t)(c - label) + n] = '\0';
			e = entered_by(prefix, pid);
			free(prefix);
			if (e != NULL && c == label)
				rc = programs(e->parent, pid, key, depth + 1);
			if (e == NULL)
				rc = -1;
			else if (rc == 0)
				jw_raw(key, e->program, strlen(e->program) + 1);
		} else if (c != label && is_null(c)) {
			jw_raw(key, c + 5, n - 5);
			jw_raw(key, "", 1);
		}
		if (end == NULL)
			break;
	}
	return rc;
}

static int
cmp_waiting(const void *a, const void *b)
{
	const struct waiting *x = *(void *const *)a, *y = *(void *const *)b;
	int c = strcmp(x->label, y->label);

	return c != 0 ? c : (x->pid > y->pid) - (x->pid < y->pid);
}

/* Each waiting event to its child, or its nearest named parent. */
void
children_settle(void)
{
	struct jw key = { 0 };
	const char *last = NULL;
	size_t i, labels = 0;

	ran_settle();
	index_entered();
	if (waiting.n > 1)
		qsort(waiting.v, waiting.n, sizeof(*waiting.v), cmp_waiting);
	for (i = 0; i < waiting.n; i++) {
		struct waiting *w = waiting.v[i];

		key.len = 0;
		if (programs(w->label, w->pid, &key, 0) < 0) {
			unnamed_events += w->events;
			if ((last == NULL || strcmp(last, w->label) != 0) &&
			    labels++ < 10)
				warnx("%s: no exec event names the program; "
				    "its events are folded into %s", w->label,
				    key.len ? "the child that ran it" :
				    "the workload");
			last = w->label;
		}
		pidpath_merge(learned, w->m, w->label, key.len ? key.buf : NULL,
		    key.len);
	}
	free(key.buf);
	if (labels > 10)
		warnx("%zu more labels whose exec event is missing: folded too",
		    labels - 10);
	learn_stats.unnamed_children = unnamed_events;
}

void
children_free(void)
{
	size_t i;

	for (i = 0; i < entered.n; i++) {
		struct entered *e = entered.v[i];

		free(e->key);
		free(e->tpkey);
		free(e->target);
		free(e->parent);
		free(e->program);
		free(e);
	}
	for (i = 0; i < waiting.n; i++) {
		struct waiting *w = waiting.v[i];

		free(w->key);
		free(w->label);
		model_free(w->m);
		free(w);
	}
	free(entered.v);
	free(waiting.v);
	memset(&entered, 0, sizeof(entered));
	memset(&waiting, 0, sizeof(waiting));
	htab_free(&entered_set);
	htab_free(&waiting_set);
	htab_free(&by_pid);
	htab_free(&by_target);
	unnamed_events = 0;
	ran_free();
	pidpath_free();
}
