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
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "learn.h"
#include "util.h"

/*
 * A distinct observation of a label: its text, as obs_key writes it,
 * the key in pool, and which of the first runs saw it (bit i: run i).
 * Once in the model, the entry it went into, for the next run that
 * takes it to the same program.
 */
struct pooled {
	uint64_t	 runs;
	enum section	 sec;
	uint32_t	 id;		/* its place in pooled[], + 1 */
	struct entry	*entry;		/* or NULL */
	const char	*program;	/* whose entry it is (NULL: the workload's) */
	char		 blob[];
};

/* What a run saw of one, when counts are kept: how many events, when. */
struct tally {
	uint64_t	 count;
	int64_t		 first, last;
};
static const struct tally untallied = { 1, -1, -1 };	/* counts not kept */

/*
 * The observations a run saw.  One of the first BITRUNS runs, when the
 * model keeps no counts, is a bit in each pooled observation it saw:
 * the few long-lived processes of most workloads cost nothing more.
 * Any other keeps them by id: open addressing, at most three quarters
 * full, four bytes each, and a tally beside each when the model keeps
 * counts (learn_opts.counts).
 */
#define BITRUNS		64

struct dest {
	const char	*program;	/* NULL: the workload */
	int		 files_only;
};

struct run {
	const char	*label;
	struct when	 min, max;
	int		 bit;		/* its bit, or -1 */
	uint32_t	*ids;		/* 0: an empty slot */
	struct tally	*tally;		/* or NULL */
	size_t		 n, cap;
	struct dest	*dests;		/* where it goes, once settled */
	size_t		 ndests, destcap;
};

struct ran {
	struct when	 at;
	const char	*program;	/* program_of's */
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

static struct htab	  procs, pool, programs;
static struct proc	 *last;		/* the last proc_of */
static struct proc	**all;
static struct pooled	**pooled;
static size_t		  nall, allcap, npooled, poolcap;
static struct run	 *bitrun[BITRUNS];
static int		  nbitruns;
static size_t		  nrunsall;	/* runs of every kind */

static int
cmp_when(struct when a, struct when b)
{
	if (a.t != b.t)
		return a.t < b.t ? -1 : 1;
	return (a.serial > b.serial) - (a.serial < b.serial);
}

/*
 * The label's observation but its count, times and child, as text:
 * a head of one byte each (never NUL), then each string as s TEXT NUL,
 * or - NUL when absent.  Made in one piece: it is made for each event.
 */
static void
obs_key(struct jw *k, const char *label, const struct obs *o)
{
	const char *s[4 + MAXFIELDS + MAXSETS * MAXELEMS];
	size_t n[4 + MAXFIELDS + MAXSETS * MAXELEMS], ns = 0, len, i;
	char *at;
	int j;

	s[ns] = label;
	n[ns++] = strlen(label);
	for (j = 0; j < MAXFIELDS; j++) {
		s[ns] = o->val[j];
		n[ns++] = o->val[j] ? strlen(o->val[j]) : 0;
	}
	for (j = 0; j < MAXSETS; j++)
		for (i = 0; i < (size_t)o->set[j].n; i++) {
			s[ns] = o->set[j].s[i];
			n[ns++] = o->set[j].len[i];
		}
	s[ns] = o->profile;
	n[ns++] = o->profile ? strlen(o->profile) : 0;
	s[ns] = o->program;
	n[ns++] = o->program ? strlen(o->program) : 0;
	for (len = 3 + MAXSETS, i = 0; i < ns; i++)
		len += n[i] + 2;
	k->len = 0;
	at = jw_room(k, len);
	*at++ = (char)(1 + o->sec);
	*at++ = (char)(1 + (o->owner != 0));
	*at++ = (char)(1 + (o->denied != 0));
	for (j = 0; j < MAXSETS; j++)
		*at++ = (char)(1 + o->set[j].n);
	for (i = 0; i < ns; i++) {
		*at++ = s[i] ? 's' : '-';
		if (s[i] != NULL)
			memcpy(at, s[i], n[i]);
		at += s[i] ? n[i] : 0;
		*at++ = '\0';
	}
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
	blob_str(&at);			/* the label */
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

/* The label in an observation's text: its first string. */
static const char *
blob_label(const struct pooled *p)
{
	return p->blob + 3 + MAXSETS + 1;
}

static struct pooled *
pool_of(const struct jw *k, uint64_t h, enum section sec)
{
	struct pooled *p;

	if ((p = htab_sget_h(&pool, h, k->buf, k->len)) != NULL)
		return p;
	if (npooled == UINT32_MAX)
		errx(EXIT_FATAL, "more than %u distinct observations held",
		    UINT32_MAX - 1);
	p = xmalloc(sizeof(*p) + k->len);
	memcpy(p->blob, k->buf, k->len);
	p->sec = sec;
	p->runs = 0;
	p->entry = NULL;
	p->program = NULL;
	htab_sput(&pool, p->blob, k->len, p);
	pooled = xgrow(pooled, &poolcap, npooled + 1, sizeof(*pooled), 64);
	pooled[npooled++] = p;
	p->id = (uint32_t)npooled;
	return p;
}

static size_t
slot(const struct run *r, uint32_t id)
{
	size_t i = (size_t)(((uint64_t)id * 0x9e3779b97f4a7c15ULL) >> 32) &
	    (r->cap - 1);

	while (r->ids[i] != 0 && r->ids[i] != id)
		i = (i + 1) & (r->cap - 1);
	return i;
}

static void
grow_run(struct run *r)
{
	uint32_t *ids = r->ids;
	struct tally *tally = r->tally;
	size_t i, j, n = r->cap;

	r->cap = n ? 2 * n : 8;
	r->ids = xcalloc(r->cap, sizeof(*r->ids));
	if (learn_opts.counts)
		r->tally = xcalloc(r->cap, sizeof(*r->tally));
	for (i = 0; i < n; i++) {
		if (ids[i] == 0)
			continue;
		j = slot(r, ids[i]);
		r->ids[j] = ids[i];
		if (tally != NULL)
			r->tally[j] = tally[i];
	}
	free(ids);
	free(tally);
}

/* The observation keyed by k pooled, noted in its run. */
static void
hold_key(struct run *r, const struct jw *k, uint64_t h, enum section sec,
    const struct tally *t)
{
	struct pooled *p = pool_of(k, h, sec);
	struct tally *x;
	size_t i;

	if (r->bit >= 0) {
		p->runs |= 1ULL << r->bit;
		return;
	}
	if (4 * (r->n + 1) > 3 * r->cap)
		grow_run(r);
	i = slot(r, p->id);
	if (r->ids[i] == 0) {
		r->ids[i] = p->id;
		r->n++;
		if (r->tally != NULL)
			r->tally[i].first = r->tally[i].last = -1;
	}
	if ((x = r->tally) == NULL)
		return;
	x += i;
	x->count += t->count;
	if (t->first >= 0 && (x->first < 0 || t->first < x->first))
		x->first = t->first;
	if (t->last > x->last)
		x->last = t->last;
}

/*
 * Observations wait AHEAD events for their pool lookup: the pool is as
 * large as the distinct observations, and each lookup would stall on
 * main memory twice (its slot, its key); fetched ahead, meanwhile the
 * next lines are read.  The order they are held in changes nothing.
 */
#define AHEAD	16

struct waiting {
	struct run	*r;
	struct jw	 k;
	uint64_t	 h;
	enum section	 sec;
	struct tally	 t;
};
static struct waiting	 ahead[AHEAD];
static size_t		 nahead, oldest;

static void
hold_oldest(void)
{
	struct waiting *w = &ahead[oldest];

	hold_key(w->r, &w->k, w->h, w->sec, &w->t);
	oldest = (oldest + 1) % AHEAD;
	nahead--;
}

static void
hold_waiting(void)
{
	while (nahead > 0)
		hold_oldest();
}

/* obs_commit's taker for a run: the observation pooled, noted there. */
static void
hold(void *arg, const struct obs *o)
{
	struct waiting *w;

	if (nahead == AHEAD)
		hold_oldest();
	w = &ahead[(oldest + nahead++) % AHEAD];
	w->r = arg;
	obs_key(&w->k, w->r->label, o);
	w->sec = o->sec;
	w->t.count = o->count;
	w->t.first = o->first;
	w->t.last = o->last;
	w->h = hash_place(w->k.buf, w->k.len);
	htab_sprefetch(&pool, w->h, 0);
	if (nahead > AHEAD / 2)
		htab_sprefetch(&pool,
		    ahead[(oldest + nahead - 1 - AHEAD / 2) % AHEAD].h, 1);
}

/* What a run saw of the observation in slot i (no counts: one, no time). */
static struct tally
tally_of(const struct run *r, size_t i)
{
	return r->tally != NULL ? r->tally[i] : untallied;
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
		r->label = p->key;
		r->min = at;
		r->bit = -1;
		nrunsall++;
		if (!learn_opts.counts && nbitruns < BITRUNS)
			bitrun[r->bit = nbitruns++] = r;
		p->runs = xgrow(p->runs, &p->runcap, p->nruns + 1,
		    sizeof(*p->runs), 4);
		p->runs[p->nruns++] = p->cur = r;
	}
	r->max = at;
	obs_route_to(hold, r);
}

/* One copy of each program's name: an entry's owner is known by address. */
static const char *
program_of(const char *program)
{
	size_t n = strlen(program);
	char *p = htab_sget(&programs, program, n);

	if (p == NULL) {
		p = xstrdup(program);
		htab_sput(&programs, p, n, p);
	}
	return p;
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
	p->rans[p->nrans++].program = program_of(program);
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

/*
 * An observation a run saw into the model, for the run's program (NULL:
 * the workload); again into the entry it made before, when it went to
 * the same program: the same label's observation becomes the same entry.
 */
static void
add_ref(struct pooled *x, struct tally t, const struct dest *d)
{
	int path = field_index(S_FILES, "path");
	int old = field_index(S_FILES, "oldPath");
	const char *program = d->program;
	char *pattern = NULL;
	struct obs o;

	if (d->files_only && x->sec != S_FILES)
		return;
	if (x->entry != NULL && x->program == program && !learn_opts.origin) {
		model_tally(x->entry, t.count, t.first, t.last);
		return;
	}
	unpack(x, &o);
	o.count = t.count;
	o.first = t.first;
	o.last = t.last;
	o.child = program;
	o.childlen = program ? strlen(program) + 1 : 0;
	if (o.sec == S_FILES && (pattern = pidpath_pattern(blob_label(x),
	    o.val[old] && *o.val[old] ? o.val[old] : o.val[path],
	    asks_write(&o))) != NULL) {
		if (o.val[old] == NULL || *o.val[old] == '\0')
			o.val[old] = o.val[path];
		o.val[path] = pattern;
	}
	x->entry = model_add(learned, &o);
	x->program = program;
	free(pattern);
}

static void
to_program(struct run *r, const char *program, int files_only)
{
	r->dests = xgrow(r->dests, &r->destcap, r->ndests + 1,
	    sizeof(*r->dests), 2);
	r->dests[r->ndests].program = program;
	r->dests[r->ndests++].files_only = files_only;
}

/* Each run's observations where it goes: by the bits, then by ids. */
static void
settle_runs(void)
{
	uint64_t bits;
	size_t i, j, k;
	struct run *r;
	int b;

	for (i = 0; i < npooled; i++) {
		for (bits = pooled[i]->runs; bits != 0; bits &= bits - 1) {
			r = bitrun[b = __builtin_ctzll(bits)];
			for (k = 0; k < r->ndests; k++)
				add_ref(pooled[i], untallied, &r->dests[k]);
		}
		/* its memory for the model's next entries, when done with */
		if (nrunsall == (size_t)nbitruns &&
		    pooled[i]->sec != S_CAPABILITIES) {
			free(pooled[i]);
			pooled[i] = NULL;
		}
	}
	for (i = 0; i < nall; i++)
		for (j = 0; j < all[i]->nruns; j++) {
			if ((r = all[i]->runs[j])->bit >= 0)
				continue;	/* taken above */
			for (k = 0; k < r->ndests; k++)
				for (b = 0; (size_t)b < r->cap; b++)
					if (r->ids[b] != 0)
						add_ref(pooled[r->ids[b] - 1],
						    tally_of(r, (size_t)b),
						    &r->dests[k]);
		}
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
		to_program(r, j > 0 ? p->rans[j - 1].program : NULL, 0);
		for (; j < p->nrans && cmp_when(p->rans[j].at, r->max) < 0; j++)
			to_program(r, p->rans[j].program, 0);
		if (j < p->nrans)
			to_program(r, p->rans[j].program, 1);
	}
}

/* One label's capabilities, each pooled once, with its first and last. */
struct cap {
	const struct pooled	*p;
	struct tally		 t;
};
struct caps {
	struct cap	*v;
	size_t		 n, cap;
};

static struct cap *
cap_in(struct caps *c, const struct pooled *x)
{
	size_t i;

	for (i = 0; i < c->n && c->v[i].p != x; i++)
		;
	if (i == c->n) {
		c->v = xgrow(c->v, &c->cap, c->n + 1, sizeof(*c->v), 8);
		c->v[c->n].p = x;
		c->v[c->n].t.first = c->v[c->n].t.last = -1;
		c->n++;
	}
	return &c->v[i];
}

/* When a run kept tallies: the first and last of its capabilities. */
static void
note_caps(struct caps *c, const struct run *r)
{
	const struct pooled *x;
	struct tally t;
	struct cap *v;
	size_t k;

	for (k = 0; r->tally != NULL && k < r->cap; k++) {
		if (r->ids[k] == 0 ||
		    (x = pooled[r->ids[k] - 1])->sec != S_CAPABILITIES)
			continue;
		t = tally_of(r, k);
		v = cap_in(c, x);
		if (t.first >= 0 && (v->t.first < 0 || t.first < v->t.first))
			v->t.first = t.first;
		if (t.last > v->t.last)
			v->t.last = t.last;
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
		o.first = c->v[i].t.first;
		o.last = c->v[i].t.last;
		o.child = program;
		o.childlen = program ? strlen(program) + 1 : 0;
		model_add(learned, &o);
	}
}

void
ran_settle(void)
{
	struct htab labels = { 0 };
	struct caps **kept = NULL, *c;
	size_t i, j, nkept = 0, keptcap = 0;

	hold_waiting();
	htab_free(&pool);	/* nothing more to find: room for the model */
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
	settle_runs();
	for (i = 0; i < npooled; i++)	/* a label's own, whoever saw them */
		if (pooled[i] != NULL && pooled[i]->sec == S_CAPABILITIES)
			cap_in(htab_sget(&labels, blob_label(pooled[i]),
			    strlen(blob_label(pooled[i]))), pooled[i]);
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
	ran_free();		/* all it held is in the model now */
}

void
ran_free(void)
{
	size_t i, j;
	char *name;

	for (i = 0; i < nall; i++) {
		struct proc *p = all[i];

		for (j = 0; j < p->nruns; j++) {
			free(p->runs[j]->ids);
			free(p->runs[j]->tally);
			free(p->runs[j]->dests);
			free(p->runs[j]);
		}
		free(p->runs);
		free(p->rans);
		free(p->key);
		free(p);
	}
	for (i = 0; i < npooled; i++)
		free(pooled[i]);
	nbitruns = 0;
	nrunsall = 0;
	for (i = 0; i < AHEAD; i++) {
		free(ahead[i].k.buf);
		memset(&ahead[i].k, 0, sizeof(ahead[i].k));
	}
	nahead = oldest = 0;
	for (i = 0; (name = htab_next(&programs, &i, NULL)) != NULL; )
		free(name);
	free(all);
	free(pooled);
	all = NULL;
	pooled = NULL;
	last = NULL;
	nall = allcap = npooled = poolcap = 0;
	htab_free(&procs);
	htab_free(&pool);
	htab_free(&programs);
}
