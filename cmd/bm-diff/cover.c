/*
 * Coverage as AppArmor means it.  An approved entry covers a new one
 * when every identity field it names matches (paths, peers and labels
 * as patterns, other names as they are; a field it leaves out matches
 * anything; mount flags as the same set) and, for a file, when its
 * owner rule applies.  The new entry is covered when the union of what
 * the matching approved entries allow holds all it asked for (w holds
 * a).  What was asked of an approved entry is marked used, for
 * --unused.  Counts, first/last seen, oldPath and a mount's data (no
 * AppArmor mount rule matches it) are not behaviour: ignored.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "jsonw.h"
#include "util.h"

#define CLOSEST	3

unsigned long	news;

struct judge {
	enum section		 sec;
	struct entry *const	*a;
	size_t			 na;
	struct index		*x;
	unsigned char		**used;	/* per approved entry: a bit a set member */
	unsigned char		*hit;	/* per approved entry */
	const struct entry	*n;	/* being judged */
	size_t			*matched, nmatched;
	size_t			*near, nnear;	/* the first field matches */
};

/* A socket or egress entry that names nothing allows it all, as its rule. */
static int
empty_grants_all(enum section sec, int field)
{
	const char *name = sections[sec].f[field].name;

	return strcmp(name, "ports") == 0 || ((sec == S_SOCKETS ||
	    sec == S_BPF_SOCKETS) && strcmp(name, "permissions") == 0);
}

static int
same_set(const struct sset *x, const struct sset *y)
{
	size_t i;

	if (x->n != y->n)
		return 0;
	for (i = 0; i < x->n; i++)
		if (strcmp(x->s[i], y->s[i]) != 0)
			return 0;
	return 1;
}

static int
field_matches(enum section sec, int i, const char *a, const char *n)
{
	enum how how = field_how(sec, i);

	if (a == NULL || how == NOT_COMPARED)
		return 1;
	if (n == NULL)
		return 0;
	return how == BY_PATTERN ? pattern_covers(a, n) : strcmp(a, n) == 0;
}

static int
identity_matches(enum section sec, const struct entry *a,
    const struct entry *n)
{
	const struct field *f = sections[sec].f;
	int i;

	if (is_plain(sec))
		return field_matches(sec, 0, a->val[0], n->val[0]);
	for (i = 0; i < MAXFIELDS && f[i].name != NULL; i++) {
		switch (f[i].role) {
		case F_ID:
		case F_NUM:
		case F_FLAG:
			if (!field_matches(sec, i, a->val[i], n->val[i]))
				return 0;
			break;
		case F_IDSET:
			if (!same_set(&a->set[set_slot(sec, i)],
			    &n->set[set_slot(sec, i)]))
				return 0;
			break;
		case F_OWNER:
			if (a->owner && !n->owner)
				return 0;
			break;
		default:
			break;
		}
	}
	return 1;
}

static void
candidate(size_t i, void *arg)
{
	struct judge *j = arg;

	if (!field_matches(j->sec, 0, j->a[i]->val[0], j->n->val[0]))
		return;
	j->near[j->nnear++] = i;
	if (identity_matches(j->sec, j->a[i], j->n))
		j->matched[j->nmatched++] = i;
}

/* Bit k of approved entry i: member k of its sets, counted through. */
static void
mark(struct judge *j, size_t i, int si, size_t k)
{
	size_t bit = k;
	int s;

	for (s = 0; s < si; s++)
		bit += j->a[i]->set[s].n;
	if (j->used[i] == NULL) {
		size_t total = 0;

		for (s = 0; s < MAXSETS; s++)
			total += j->a[i]->set[s].n;
		j->used[i] = xcalloc(total / 8 + 1, 1);
	}
	j->used[i][bit / 8] |= (unsigned char)(1 << (bit % 8));
}

static int
marked(const struct judge *j, size_t i, int si, size_t k)
{
	size_t bit = k;
	int s;

	for (s = 0; s < si; s++)
		bit += j->a[i]->set[s].n;
	return j->used[i] != NULL && (j->used[i][bit / 8] & (1 << (bit % 8)));
}

static int
find(const struct sset *ss, const char *s, size_t *k)
{
	for (*k = 0; *k < ss->n; (*k)++)
		if (strcmp(ss->s[*k], s) == 0)
			return 1;
	return 0;
}

/* Whether the matching approved entries grant member m of set si. */
static int
granted(struct judge *j, int field, int si, const char *m)
{
	int files = j->sec == S_FILES || j->sec == S_BPF_FILES, ok = 0;
	size_t i, k;

	for (i = 0; i < j->nmatched; i++) {
		size_t a = j->matched[i];
		const struct sset *ss = &j->a[a]->set[si];

		if (ss->n == 0 && empty_grants_all(j->sec, field))
			ok = 1;
		else if (find(ss, m, &k) || (files && strcmp(m, "a") == 0 &&
		    find(ss, "w", &k))) {
			mark(j, a, si, k);
			ok = 1;
		}
	}
	return ok;
}

static void
section_name(struct jw *w, enum section sec)
{
	jw_key_plain(w, "section", 7);
	jw_printf(w, "\"%s.%s%s%s\"", sections[sec].group,
	    sections[sec].parent ? sections[sec].parent : "",
	    sections[sec].parent ? "." : "", sections[sec].name);
}

static void
put_entries(struct jw *w, const char *key, struct judge *j,
    const size_t *idx, size_t n)
{
	static const struct view native = { 0, 0 };
	size_t i;

	jw_key_plain(w, key, strlen(key));
	jw_raw(w, "[", 1);
	for (i = 0; i < n && i < CLOSEST; i++) {
		if (i > 0)
			jw_raw(w, ",", 1);
		model_put_entry(w, j->sec, j->a[idx[i]], &native);
	}
	jw_raw(w, "]", 1);
}

/*
 * "KEY":{"permissions":["w"]}: for each set field of e, the members left()
 * picks; nothing when it picks none.  Whether anything was written.
 */
static int
put_sets(struct jw *w, const char *key, struct judge *j,
    const struct entry *e, size_t a,
    int (*left)(struct judge *, size_t, int, int, size_t, const char *))
{
	const struct field *f = sections[j->sec].f;
	int i, si, any = 0;
	size_t k;

	for (i = 0; !is_plain(j->sec) && i < MAXFIELDS && f[i].name; i++) {
		int first = 1;

		if (f[i].role != F_SET && f[i].role != F_NUMSET)
			continue;
		si = set_slot(j->sec, i);
		for (k = 0; k < e->set[si].n; k++) {
			if (!left(j, a, i, si, k, e->set[si].s[k]))
				continue;
			if (!any) {
				jw_key_plain(w, key, strlen(key));
				jw_raw(w, "{", 1);
			}
			if (first)
				jw_printf(w, "%s\"%s\":[", any ? "," : "",
				    f[i].name);
			else
				jw_raw(w, ",", 1);
			any = 1;
			first = 0;
			jw_str(w, e->set[si].s[k], strlen(e->set[si].s[k]));
		}
		if (!first)
			jw_raw(w, "]", 1);
	}
	if (any)
		jw_raw(w, "}", 1);
	return any;
}

static int
not_granted(struct judge *j, size_t a, int field, int si, size_t k,
    const char *m)
{
	(void)a;
	(void)k;
	return !granted(j, field, si, m);
}

static int
not_used(struct judge *j, size_t a, int field, int si, size_t k,
    const char *m)
{
	(void)field;
	(void)m;
	return !marked(j, a, si, k);
}

/* Every member of the new entry's sets granted; each one marked used. */
static int
all_granted(struct judge *j)
{
	const struct field *f = sections[j->sec].f;
	int i, ok = 1;
	size_t k;

	for (i = 0; !is_plain(j->sec) && i < MAXFIELDS && f[i].name; i++) {
		int si = set_slot(j->sec, i);

		if (f[i].role != F_SET && f[i].role != F_NUMSET)
			continue;
		for (k = 0; k < j->n->set[si].n; k++)
			ok &= granted(j, i, si, j->n->set[si].s[k]);
	}
	return ok;
}

/* Who first did it, and when: the profile, the program, the time. */
static void
put_origin(struct jw *w, const struct entry *n)
{
	if (n->profile != NULL) {
		jw_key_plain(w, "profile", 7);
		jw_str(w, n->profile, strlen(n->profile));
	}
	if (n->program != NULL) {
		jw_key_plain(w, "program", 7);
		jw_str(w, n->program, strlen(n->program));
	}
	if (n->first >= 0) {
		jw_key_plain(w, "time", 4);
		model_put_time(w, n->first);
	}
}

static void
judge_one(struct judge *j, const struct entry *n)
{
	static const struct view native = { 0, 0 };
	struct jw w = { 0 };
	size_t i, key;

	j->n = n;
	j->nmatched = j->nnear = 0;
	index_each(j->x, n->val[0], candidate, j);
	for (i = 0; i < j->nmatched; i++)
		j->hit[j->matched[i]] = 1;
	if (j->nmatched > 0 && all_granted(j))
		return;		/* covered */
	jw_begin(&w);
	jw_key_plain(&w, "change", 6);
	jw_raw(&w, "\"new\"", 5);
	section_name(&w, j->sec);
	jw_key_plain(&w, "entry", 5);
	model_put_entry(&w, j->sec, n, &native);
	if (n->denied && section_grants(j->sec)) {	/* refused, each time */
		jw_key_plain(&w, "denied", 6);
		jw_raw(&w, "true", 4);
	}
	key = w.len;
	put_origin(&w, n);
	if (j->nmatched > 0) {
		put_sets(&w, "missing", j, n, 0, not_granted);
		put_entries(&w, "closest", j, j->matched, j->nmatched);
	} else if (j->nnear > 0)
		put_entries(&w, "closest", j, j->near, j->nnear);
	change_out(&w, key);
	news++;
	free(w.buf);
}

/* "unused":{"permissions":["w"]} for what nothing asked of entry i. */
static void
report_unused(struct judge *j, size_t i)
{
	static const struct view native = { 0, 0 };
	struct jw w = { 0 };
	size_t key;

	jw_begin(&w);
	jw_key_plain(&w, "change", 6);
	jw_raw(&w, "\"unused\"", 8);
	section_name(&w, j->sec);
	jw_key_plain(&w, "entry", 5);
	model_put_entry(&w, j->sec, j->a[i], &native);
	key = w.len;
	/* an entry never matched is unused whole: no list */
	if (!j->hit[i] || put_sets(&w, "unused", j, j->a[i], i, not_used))
		change_out(&w, key);
	free(w.buf);
}

void
diff_section(struct model *approved, struct model *new, enum section sec,
    int unused)
{
	struct judge j;
	struct entry *const *n;
	size_t nn = model_entries(new, sec, &n), i;

	memset(&j, 0, sizeof(j));
	j.sec = sec;
	j.na = model_entries(approved, sec, &j.a);
	j.x = index_build(approved, sec);
	j.used = xcalloc(j.na + 1, sizeof(*j.used));
	j.hit = xcalloc(j.na + 1, 1);
	j.matched = xmalloc((j.na + 1) * sizeof(*j.matched));
	j.near = xmalloc((j.na + 1) * sizeof(*j.near));
	for (i = 0; i < nn; i++)
		judge_one(&j, n[i]);
	for (i = 0; unused && i < j.na; i++)
		report_unused(&j, i);
	for (i = 0; i < j.na; i++)
		free(j.used[i]);
	free(j.used);
	free(j.hit);
	free(j.matched);
	free(j.near);
	index_free(j.x);
}
