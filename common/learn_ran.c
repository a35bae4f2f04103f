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
 * gives the same model.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "learn.h"
#include "util.h"

struct run {
	struct when	 min, max;
	struct model	*m;
};

struct ran {
	struct when	 at;
	char		*program;
};

/* One label and pid: its runs and the programs it ran. */
struct proc {
	char		*key;		/* in procs: label, NUL, pid */
	size_t		 keylen;
	struct run	*cur;		/* taking events, or NULL */
	struct run	**runs;
	struct ran	*rans;
	size_t		 nruns, runcap, nrans, rancap;
};

static struct htab	  procs;
static struct proc	**all;
static size_t		  nall, allcap;

static int
cmp_when(struct when a, struct when b)
{
	if (a.t != b.t)
		return a.t < b.t ? -1 : 1;
	return (a.serial > b.serial) - (a.serial < b.serial);
}

static struct proc *
proc_of(const char *label, long long pid)
{
	static struct jw k;
	struct proc *p;

	k.len = 0;
	jw_raw(&k, label, strlen(label) + 1);
	jw_printf(&k, "%lld", pid);
	if ((p = htab_sget(&procs, k.buf, k.len)) != NULL)
		return p;
	p = xcalloc(1, sizeof(*p));
	p->key = xmemdup(k.buf, k.len);
	p->keylen = k.len;
	htab_sput(&procs, p->key, p->keylen, p);
	all = xgrow(all, &allcap, nall + 1, sizeof(*all), 16);
	all[nall++] = p;
	return p;
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
		r->m = model_new();
		p->runs = xgrow(p->runs, &p->runcap, p->nruns + 1,
		    sizeof(*p->runs), 4);
		p->runs[p->nruns++] = p->cur = r;
	}
	r->max = at;
	obs_route(r->m, NULL, 0);
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

static void
to_program(struct proc *p, struct model *m, const char *program,
    int files_only)
{
	pidpath_merge(learned, m, p->key, program,
	    program ? strlen(program) + 1 : 0, files_only);
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
		to_program(p, r->m, j > 0 ? p->rans[j - 1].program : NULL, 0);
		for (; j < p->nrans && cmp_when(p->rans[j].at, r->max) < 0; j++)
			to_program(p, r->m, p->rans[j].program, 0);
		if (j < p->nrans)
			to_program(p, r->m, p->rans[j].program, 1);
	}
}

/* The capabilities of each label's runs, by label; their models, in kept. */
static void
label_caps(struct htab *caps, struct model ***kept, size_t *nkept)
{
	struct model *m;
	size_t i, j, cap = 0;

	for (i = 0; i < nall; i++) {
		const char *label = all[i]->key;

		if ((m = htab_sget(caps, label, strlen(label))) == NULL) {
			m = model_new();
			htab_sput(caps, label, strlen(label), m);
			*kept = xgrow(*kept, &cap, *nkept + 1, sizeof(**kept), 4);
			(*kept)[(*nkept)++] = m;
		}
		for (j = 0; j < all[i]->nruns; j++)
			model_merge_section(m, all[i]->runs[j]->m,
			    S_CAPABILITIES, NULL, 0);
	}
}

/* Granted, not seen: no count of events added. */
static void
share_caps(struct model *caps, const char *program)
{
	struct entry *const *e;
	size_t n = model_entries(caps, S_CAPABILITIES, &e), i;

	for (i = 0; i < n; i++) {
		struct entry x = *e[i];

		x.count = 0;
		model_merge_entry(learned, S_CAPABILITIES, &x, program,
		    program ? strlen(program) + 1 : 0);
	}
}

void
ran_settle(void)
{
	struct htab caps = { NULL, 0, 0, 0 };
	struct model *m, **kept = NULL;
	size_t i, j, nkept = 0;

	label_caps(&caps, &kept, &nkept);
	for (i = 0; i < nall; i++) {
		struct proc *p = all[i];

		settle_proc(p);
		m = htab_sget(&caps, p->key, strlen(p->key));
		share_caps(m, NULL);
		for (j = 0; j < p->nrans; j++)
			share_caps(m, p->rans[j].program);
	}
	for (i = 0; i < nkept; i++)
		model_free(kept[i]);
	free(kept);
	htab_free(&caps);
}

void
ran_free(void)
{
	size_t i, j;

	for (i = 0; i < nall; i++) {
		struct proc *p = all[i];

		for (j = 0; j < p->nruns; j++) {
			model_free(p->runs[j]->m);
			free(p->runs[j]);
		}
		for (j = 0; j < p->nrans; j++)
			free(p->rans[j].program);
		free(p->runs);
		free(p->rans);
		free(p->key);
		free(p);
	}
	free(all);
	all = NULL;
	nall = allcap = 0;
	htab_free(&procs);
}
