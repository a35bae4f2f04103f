/*
 * Children told apart by pid: what a program did when the workload ran
 * it in the workload's own profile (ix, as bm-profile --learn --apparmor
 * asks), kept apart from the workload's behaviour and keyed by the
 * program, as learn_child.c keys a null- profile's.
 *
 * The label says nothing then; the exec records do.  An exec that stays
 * in its profile (target the label) says that its pid is the program
 * from then on, so a process's events belong to the program of the last
 * exec before them, in the order of time and audit serial, and to the
 * workload before any.  A process that forks without exec keeps its
 * program, but AppArmor's records do not say whose child it is: it is
 * taken for the workload.  And what a process opened before it ran a
 * program (a shell's redirections) the program uses as its own open
 * files, so those files are the program's too.
 *
 * AppArmor logs a capability once per profile until another profile
 * logs one (its audit cache), so the capabilities of all the programs
 * learnt in one profile are granted to each of them.
 *
 * The events of each process wait in runs: events in order of time,
 * none after an exec.  A run straddling an exec (input out of order)
 * goes to both programs.  Only sets grow, so any order of whole files
 * gives the same model.  A run keeps each distinct observation once,
 * in a pool all runs share, and for itself only a reference with the
 * count and times of its events: holding a process's events costs a
 * few words per distinct observation, not a model.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "learn.h"
#include "util.h"

/* A distinct observation: its text, as obs_key writes it, the key in pool. */
struct pooled {
	char		*blob;
	size_t		 len;
	enum section	 sec;
};

/* What a run saw of one: how many events, first and last. */
struct ref {
	const struct pooled	*p;
	uint64_t		 count;
	int64_t			 first, last;
};

/* Open addressing by pooled address; at most half full. */
struct run {
	struct when	 min, max;
	struct ref	*refs;
	size_t		 n, cap;
};

struct ran {
	struct when	 at;
	char		*program;
};

/* One label and pid: its runs and the programs it ran. */
struct proc {
	char		*key;		/* in procs: label, NUL, pid's bytes */
	size_t		 keylen;
	long long	 pid;
	struct run	*cur;		/* taking events, or NULL */
	struct run	**runs;
	struct ran	*rans;
	size_t		 nruns, runcap, nrans, rancap;
};

static struct htab	  procs, pool;
static struct proc	 *last;		/* the last proc_of */
static struct proc	**all;
static struct pooled	**pooled;
static size_t		  nall, allcap, npooled, poolcap;

static int
cmp_when(struct when a, struct when b)
{
	if (a.t != b.t)
		return a.t < b.t ? -1 : 1;
	return (a.serial > b.serial) - (a.serial < b.serial);
}

static void
put_str(struct jw *k, const char *s, size_t n)
{
	jw_raw(k, s ? "s" : "-", 1);
	if (s != NULL)
		jw_raw(k, s, n);
	jw_raw(k, "", 1);
}

/* The observation but its count, times and child, as text. */
static void
obs_key(struct jw *k, const struct obs *o)
{
	int i, j;

	char head[3 + MAXSETS];

	head[0] = (char)(1 + o->sec);	/* never NUL: one byte each */
	head[1] = (char)(1 + (o->owner != 0));
	head[2] = (char)(1 + (o->denied != 0));
	for (i = 0; i < MAXSETS; i++)
		head[3 + i] = (char)(1 + o->set[i].n);
	k->len = 0;
	jw_raw(k, head, sizeof(head));
	for (i = 0; i < MAXFIELDS; i++)
		put_str(k, o->val[i], o->val[i] ? strlen(o->val[i]) : 0);
	for (i = 0; i < MAXSETS; i++) {
		for (j = 0; j < o->set[i].n; j++)
			put_str(k, o->set[i].s[j], o->set[i].len[j]);
	}
	put_str(k, o->profile, o->profile ? strlen(o->profile) : 0);
	put_str(k, o->program, o->program ? strlen(o->program) : 0);
}

static const char *
blob_str(const char **at)
{
	const char *s = **at == 's' ? *at + 1 : NULL;

	*at += strlen(*at) + 1;
	return s;
}

/* obs_key read back: o's strings are the blob's. */
static void
unpack(const struct pooled *p, struct obs *o)
{
	const char *at = p->blob + 3 + MAXSETS;
	int i, j;

	obs_clear(o, p->sec);
	o->owner = p->blob[1] - 1;
	o->denied = p->blob[2] - 1;
	for (i = 0; i < MAXFIELDS; i++)
		o->val[i] = blob_str(&at);
	for (i = 0; i < MAXSETS; i++) {
		o->set[i].n = p->blob[3 + i] - 1;
		for (j = 0; j < o->set[i].n; j++) {
			o->set[i].s[j] = blob_str(&at);
			o->set[i].len[j] = strlen(o->set[i].s[j]);
		}
	}
	o->profile = blob_str(&at);
	o->program = blob_str(&at);
}

static const struct pooled *
pool_of(const struct obs *o)
{
	static struct jw k;
	struct pooled *p;

	obs_key(&k, o);
	if ((p = htab_sget(&pool, k.buf, k.len)) != NULL)
		return p;
	p = xmalloc(sizeof(*p));
	p->blob = xmemdup(k.buf, k.len);
	p->len = k.len;
	p->sec = o->sec;
	htab_sput(&pool, p->blob, p->len, p);
	pooled = xgrow(pooled, &poolcap, npooled + 1, sizeof(*pooled), 64);
	pooled[npooled++] = p;
	return p;
}

static size_t
slot(const struct run *r, const struct pooled *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p;
	size_t i;

	h = (h ^ (h >> 29)) * 0x9e3779b97f4a7c15ULL;
	i = (size_t)(h >> 32) & (r->cap - 1);

	while (r->refs[i].p != NULL && r->refs[i].p != p)
		i = (i + 1) & (r->cap - 1);
	return i;
}

static void
grow_refs(struct run *r)
{
	struct ref *old = r->refs;
	size_t i, n = r->cap;

	r->cap = n ? 2 * n : 8;
	r->refs = xcalloc(r->cap, sizeof(*r->refs));
	for (i = 0; i < n; i++)
		if (old[i].p != NULL)
			r->refs[slot(r, old[i].p)] = old[i];
	free(old);
}

/* obs_commit's taker for a run: the observation pooled, counted here. */
static void
hold(void *arg, const struct obs *o)
{
	struct run *r = arg;
	const struct pooled *p = pool_of(o);
	struct ref *x;

	if (2 * (r->n + 1) > r->cap)
		grow_refs(r);
	x = &r->refs[slot(r, p)];
	if (x->p == NULL) {
		x->p = p;
		x->first = x->last = -1;
		r->n++;
	}
	x->count += o->count;
	if (o->first >= 0 && (x->first < 0 || o->first < x->first))
		x->first = o->first;
	if (o->last > x->last)
		x->last = o->last;
}

/* The label's and pid's, made if new; the last one asked is at hand. */
static struct proc *
proc_of(const char *label, long long pid)
{
	static struct jw k;
	struct proc *p;

	if (last != NULL && last->pid == pid && strcmp(last->key, label) == 0)
		return last;
	k.len = 0;
	jw_raw(&k, label, strlen(label) + 1);
	jw_raw(&k, (const char *)&pid, sizeof(pid));
	if ((p = htab_sget(&procs, k.buf, k.len)) != NULL)
		return last = p;
	p = xcalloc(1, sizeof(*p));
	p->key = xmemdup(k.buf, k.len);
	p->keylen = k.len;
	p->pid = pid;
	htab_sput(&procs, p->key, p->keylen, p);
	all = xgrow(all, &allcap, nall + 1, sizeof(*all), 16);
	all[nall++] = p;
	return last = p;
}

/* The observations of an event of label, a profile of its own. */
void
ran_route(const char *label, long long pid, struct when at)
{
	struct proc *p;
	struct run *r;

	if (pid < 0) {
		obs_route(NULL, NULL, 0);	/* whose, unknown: the workload's */
		return;
	}
	p = proc_of(label, pid);
	if ((r = p->cur) == NULL || cmp_when(at, r->max) < 0) {
		r = xcalloc(1, sizeof(*r));
		r->min = at;
		p->runs = xgrow(p->runs, &p->runcap, p->nruns + 1,
		    sizeof(*p->runs), 4);
		p->runs[p->nruns++] = p->cur = r;
	}
	r->max = at;
	obs_route_to(hold, r);
}

/* After ran_route: the event was an exec of program staying in label. */
void
ran_exec(const char *label, long long pid, struct when at,
    const char *program)
{
	struct proc *p;

	if (pid < 0 || program == NULL)
		return;
	p = proc_of(label, pid);
	p->rans = xgrow(p->rans, &p->rancap, p->nrans + 1, sizeof(*p->rans), 4);
	p->rans[p->nrans].at = at;
	p->rans[p->nrans++].program = xstrdup(program);
	p->cur = NULL;
}

static int
cmp_ran(const void *a, const void *b)
{
	const struct ran *x = a, *y = b;
	int c = cmp_when(x->at, y->at);

	return c != 0 ? c : strcmp(x->program, y->program);
}

static int
asks_write(const struct obs *o)
{
	int f = set_slot(S_FILES, field_index(S_FILES, "permissions")), i;

	for (i = 0; i < o->set[f].n; i++)
		if (o->set[f].len[i] == 1 && strchr("wa", o->set[f].s[i][0]))
			return 1;
	return 0;
}

/* One reference into the model, for program (NULL: the workload). */
static void
add_ref(const struct proc *p, const struct ref *x, const char *program,
    int files_only)
{
	int path = field_index(S_FILES, "path");
	int old = field_index(S_FILES, "oldPath");
	char *pattern = NULL;
	struct obs o;

	if (files_only && x->p->sec != S_FILES)
		return;
	unpack(x->p, &o);
	o.count = x->count;
	o.first = x->first;
	o.last = x->last;
	o.child = program;
	o.childlen = program ? strlen(program) + 1 : 0;
	if (o.sec == S_FILES && (pattern = pidpath_pattern(p->key,
	    o.val[old] && *o.val[old] ? o.val[old] : o.val[path],
	    asks_write(&o))) != NULL) {
		if (o.val[old] == NULL || *o.val[old] == '\0')
			o.val[old] = o.val[path];
		o.val[path] = pattern;
	}
	model_add(learned, &o);
	free(pattern);
}

static void
to_program(const struct proc *p, const struct run *r, const char *program,
    int files_only)
{
	size_t i;

	for (i = 0; i < r->cap; i++)
		if (r->refs[i].p != NULL)
			add_ref(p, &r->refs[i], program, files_only);
}

/*
 * A run to the program of the last exec before it, and of any exec
 * inside it; its files to the program of the next exec at its end or
 * after (what the process had open when it ran that program).
 */
static void
settle_proc(struct proc *p)
{
	size_t i, j;

	if (p->nrans > 1)
		qsort(p->rans, p->nrans, sizeof(*p->rans), cmp_ran);
	for (i = 0; i < p->nruns; i++) {
		struct run *r = p->runs[i];

		for (j = 0; j < p->nrans && cmp_when(p->rans[j].at, r->min) < 0;
		    j++)
			;
		to_program(p, r, j > 0 ? p->rans[j - 1].program : NULL, 0);
		for (; j < p->nrans && cmp_when(p->rans[j].at, r->max) < 0; j++)
			to_program(p, r, p->rans[j].program, 0);
		if (j < p->nrans)
			to_program(p, r, p->rans[j].program, 1);
	}
}

/* One label's capabilities, each pooled once, with its first and last. */
struct caps {
	struct ref	*v;
	size_t		 n, cap;
};

static void
note_caps(struct caps *c, const struct run *r)
{
	size_t i, k;

	for (k = 0; k < r->cap; k++) {
		const struct ref *x = &r->refs[k];

		if (x->p == NULL || x->p->sec != S_CAPABILITIES)
			continue;
		for (i = 0; i < c->n && c->v[i].p != x->p; i++)
			;
		if (i == c->n) {
			c->v = xgrow(c->v, &c->cap, c->n + 1, sizeof(*c->v), 8);
			c->v[c->n++] = *x;
		}
		if (x->first >= 0 && (c->v[i].first < 0 ||
		    x->first < c->v[i].first))
			c->v[i].first = x->first;
		if (x->last > c->v[i].last)
			c->v[i].last = x->last;
	}
}

/* Granted, not seen: no count. */
static void
share_caps(const struct caps *c, const char *program)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		struct obs o;

		unpack(c->v[i].p, &o);
		o.count = 0;
		o.first = c->v[i].first;
		o.last = c->v[i].last;
		o.child = program;
		o.childlen = program ? strlen(program) + 1 : 0;
		model_add(learned, &o);
	}
}

void
ran_settle(void)
{
	struct htab labels = { NULL, 0, 0, 0 };
	struct caps **kept = NULL, *c;
	size_t i, j, nkept = 0, keptcap = 0;

	for (i = 0; i < nall; i++) {
		const char *label = all[i]->key;

		settle_proc(all[i]);
		if ((c = htab_sget(&labels, label, strlen(label))) == NULL) {
			c = xcalloc(1, sizeof(*c));
			htab_sput(&labels, label, strlen(label), c);
			kept = xgrow(kept, &keptcap, nkept + 1, sizeof(*kept), 8);
			kept[nkept++] = c;
		}
		for (j = 0; j < all[i]->nruns; j++)
			note_caps(c, all[i]->runs[j]);
	}
	/* each label's capabilities to its workload and every program */
	for (i = 0; i < nall; i++) {
		c = htab_sget(&labels, all[i]->key, strlen(all[i]->key));
		share_caps(c, NULL);
		for (j = 0; j < all[i]->nrans; j++)
			share_caps(c, all[i]->rans[j].program);
	}
	for (i = 0; i < nkept; i++) {
		free(kept[i]->v);
		free(kept[i]);
	}
	free(kept);
	htab_free(&labels);
}

void
ran_free(void)
{
	size_t i, j;

	for (i = 0; i < nall; i++) {
		struct proc *p = all[i];

		for (j = 0; j < p->nruns; j++) {
			free(p->runs[j]->refs);
			free(p->runs[j]);
		}
		for (j = 0; j < p->nrans; j++)
			free(p->rans[j].program);
		free(p->runs);
		free(p->rans);
		free(p->key);
		free(p);
	}
	for (i = 0; i < npooled; i++) {
		free(pooled[i]->blob);
		free(pooled[i]);
	}
	free(all);
	free(pooled);
	all = NULL;
	pooled = NULL;
	last = NULL;
	nall = allcap = npooled = poolcap = 0;
	htab_free(&procs);
	htab_free(&pool);
}
