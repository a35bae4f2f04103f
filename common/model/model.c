/*
 * A model: one hash table per section, entries known by a key built
 * from their identity fields.  modelout.c writes it sorted by key, so
 * the output is the same whatever order the input came in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "jsonw.h"
#include "model.h"
#include "util.h"

struct table {
	struct htab	 map;
	struct entry	**all;
	size_t		 n, cap;
	int		 sorted;
};

/* An observation's strings, made valid UTF-8 and set members interned. */
struct clean {
	const char	*val[MAXFIELDS];
	char		*fixed[MAXFIELDS];	/* to free */
	const char	*set[MAXSETS][MAXELEMS];
	int		 n[MAXSETS];
};

struct istr {
	struct istr	*next;
	char		 s[];
};

struct model {
	struct table	 tables[NSECTIONS];
	struct entry	*last[NSECTIONS];	/* a plain list's last added */
	struct htab	 interned;
	int		 keep_kids;
	struct htab	 kidmap;
	struct kid	**kids;
	size_t		 nkids, capkids;
	int		 kids_sorted;
};

static enum role
role_of(enum section sec, int i)
{
	return is_plain(sec) ? (i == 0 ? F_ID : 0) : sections[sec].f[i].role;
}

void
obs_clear(struct obs *o, enum section sec)
{
	int i;

	memset(o->val, 0, sizeof(o->val));	/* not the sets' 2 KiB */
	o->child = NULL;
	o->childlen = 0;
	for (i = 0; i < MAXSETS; i++)
		o->set[i].n = 0;
	o->sec = sec;
	o->owner = 0;
	o->denied = 0;
	o->profile = o->program = NULL;
	o->count = 1;
	o->first = o->last = -1;
}

void
obs_set_add(struct obs *o, int field, const char *s, size_t len)
{
	struct obs_set *ss = &o->set[set_slot(o->sec, field)];

	if (len == 0 || ss->n == MAXELEMS)
		return;
	ss->s[ss->n] = s;
	ss->len[ss->n++] = len;
}

/* Permission, flag and signal names recur: one copy of each. */
static const char *
intern(struct model *m, const char *s, size_t n)
{
	uint64_t h = hash_place(s, n);
	struct istr *head = htab_get(&m->interned, h), *x;

	for (x = head; x != NULL; x = x->next)
		if (strncmp(x->s, s, n) == 0 && x->s[n] == '\0')
			return x->s;
	x = xmalloc(sizeof(*x) + n + 1);
	memcpy(x->s, s, n);
	x->s[n] = '\0';
	x->next = head;
	htab_put(&m->interned, h, x);
	return x->s;
}

/* Add an interned string unless present; the set stays sorted. */
static void
sset_add(struct sset *ss, const char *s)
{
	size_t lo = 0, hi = ss->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = ss->s[mid] == s ? 0 : strcmp(ss->s[mid], s);

		if (c == 0)
			return;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	ss->s = xgrow(ss->s, &ss->cap, ss->n + 1, sizeof(*ss->s), 4);
	memmove(ss->s + lo + 1, ss->s + lo, (ss->n - lo) * sizeof(*ss->s));
	ss->s[lo] = s;
	ss->n++;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* What is keyed is what is written: invalid UTF-8 fixed first. */
static void
clean_obs(struct model *m, const struct obs *o, struct clean *c)
{
	int i, si = 0, j;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < MAXFIELDS; i++) {
		enum role r = role_of(o->sec, i);
		const char *v = o->val[i];

		/* "" is absent: vArmor writes empty fields as "" */
		if (v != NULL && v[0] != '\0' && !is_set_role(r)) {
			c->fixed[i] = utf8_fixed(v, strlen(v));
			c->val[i] = c->fixed[i] ? c->fixed[i] : v;
		}
		if (!is_set_role(r))
			continue;
		for (j = 0; j < o->set[si].n; j++) {
			const char *e = o->set[si].s[j];
			size_t n = o->set[si].len[j];
			char *fixed = utf8_fixed(e, n);

			c->set[si][c->n[si]++] = fixed ? intern(m, fixed,
			    strlen(fixed)) : intern(m, e, n);
			free(fixed);
		}
		if (r == F_IDSET)
			qsort(c->set[si], (size_t)c->n[si], sizeof(char *),
			    cmp_str);
		si++;
	}
}

/*
 * Identity fields in order, each as 1 VALUE NUL or as 2 NUL when
 * absent; an identity set as its sorted members, 3 between them.
 * off[i] is where field i's value starts in the key.
 */
static void
build_key(struct jw *k, enum section sec, const struct clean *c,
    size_t *off)
{
	int i, si = 0, j;

	k->len = 0;
	for (i = 0; i < MAXFIELDS; i++) {
		enum role r = role_of(sec, i);

		if (r == F_ID || r == F_NUM || r == F_FLAG) {
			jw_raw(k, c->val[i] ? "\1" : "\2", 1);
			off[i] = k->len;
			if (c->val[i])
				jw_puts(k, c->val[i]);
			jw_raw(k, "", 1);
		} else if (r == F_IDSET) {
			jw_raw(k, "\1", 1);
			for (j = 0; j < c->n[si]; j++) {
				if (j > 0 && c->set[si][j] == c->set[si][j - 1])
					continue;
				if (j > 0)
					jw_raw(k, "\3", 1);
				jw_puts(k, c->set[si][j]);
			}
			jw_raw(k, "", 1);
		}
		if (is_set_role(r))
			si++;
	}
}

static void
free_entry(struct entry *e, enum section sec)
{
	int i;

	for (i = 0; i < MAXSETS; i++)
		free(e->set[i].s);
	i = field_index(sec, "oldPath");
	if (i >= 0)
		free((char *)e->val[i]);
	free(e);
}

static struct entry *
new_entry(struct table *t, enum section sec, const struct clean *c,
    const struct jw *k, const size_t *off)
{
	struct entry *e = xmalloc(sizeof(*e) + k->len);
	int i;

	memset(e, 0, sizeof(*e));
	memcpy(e->key, k->buf, k->len);
	e->keylen = k->len;
	for (i = 0; i < MAXFIELDS; i++)
		if (c->val[i] != NULL && (role_of(sec, i) == F_ID ||
		    role_of(sec, i) == F_NUM || role_of(sec, i) == F_FLAG))
			e->val[i] = e->key + off[i];
	e->owner = 1;
	e->denied = 1;
	e->first = e->last = -1;
	t->all = xgrow(t->all, &t->cap, t->n + 1, sizeof(*t->all), 64);
	t->all[t->n++] = e;
	return e;
}

static int
str_cmp(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "");
}

/*
 * Who did it: the profile and program of the earliest event, the least
 * of them at the same time, so that any order gives the same.  A time
 * not known comes after every known one.
 */
static void
keep_origin(struct model *m, struct entry *e, const struct obs *o)
{
	int c;

	if (o->profile == NULL && o->program == NULL)
		return;
	if (e->profile != NULL || e->program != NULL) {
		if (o->first != e->first)
			c = o->first < 0 ? 1 : e->first < 0 ? -1 :
			    o->first < e->first ? -1 : 1;
		else if ((c = str_cmp(o->profile, e->profile)) == 0)
			c = str_cmp(o->program, e->program);
		if (c >= 0)
			return;
	}
	e->profile = o->profile ? intern(m, o->profile, strlen(o->profile)) :
	    NULL;
	e->program = o->program ? intern(m, o->program, strlen(o->program)) :
	    NULL;
}

/*
 * The union: sets grow, owner and denied narrow (one event the workload
 * was let do makes an entry more than a denial), the least oldPath,
 * counts add.
 */
static void
fold(struct model *m, struct entry *e, enum section sec,
    const struct obs *o, const struct clean *c)
{
	int i, j, op = field_index(sec, "oldPath");

	for (i = 0; i < MAXSETS; i++)
		for (j = 0; j < c->n[i]; j++)
			sset_add(&e->set[i], c->set[i][j]);
	e->owner = e->owner && o->owner;
	e->denied = e->denied && o->denied;
	if (op >= 0 && c->val[op] != NULL && (e->val[op] == NULL ||
	    strcmp(c->val[op], e->val[op]) < 0)) {
		free((char *)e->val[op]);
		e->val[op] = xstrdup(c->val[op]);
	}
	keep_origin(m, e, o);
	model_tally(e, o->count, o->first, o->last);
}

void
model_tally(struct entry *e, uint64_t count, int64_t first, int64_t last)
{
	e->count += count;
	if (first >= 0 && (e->first < 0 || first < e->first))
		e->first = first;
	if (last > e->last)
		e->last = last;
}

struct model *
model_new(void)
{
	return xcalloc(1, sizeof(struct model));
}

void
model_keep_children(struct model *m)
{
	m->keep_kids = 1;
}

int
model_keeps_children(const struct model *m)
{
	return m->keep_kids;
}

struct model *
model_child(struct model *m, const char *key, size_t len)
{
	struct kid *k = htab_sget(&m->kidmap, key, len);

	if (k != NULL)
		return k->m;
	k = xmalloc(sizeof(*k));
	k->key = xmemdup(key, len);
	k->len = len;
	k->m = model_new();
	htab_sput(&m->kidmap, k->key, len, k);
	m->kids = xgrow(m->kids, &m->capkids, m->nkids + 1, sizeof(*m->kids),
	    8);
	m->kids[m->nkids++] = k;
	m->kids_sorted = 0;
	return k->m;
}

struct entry *
model_add(struct model *m, const struct obs *o)
{
	static struct jw k;
	static struct clean c;
	struct table *t;
	struct entry *x, *head;
	size_t off[MAXFIELDS];
	uint64_t h;
	int i;

	if (is_plain(o->sec) && (o->val[0] == NULL || o->val[0][0] == '\0'))
		return NULL;
	if (o->child != NULL && o->childlen > 0 && m->keep_kids)
		m = model_child(m, o->child, o->childlen);
	if (is_plain(o->sec) && (x = m->last[o->sec]) != NULL &&
	    strcmp(x->val[0], o->val[0]) == 0) {
		x->owner = x->owner && o->owner;	/* fold, but no sets */
		x->denied = x->denied && o->denied;
		keep_origin(m, x, o);
		model_tally(x, o->count, o->first, o->last);
		return x;		/* each event's profile: the last one */
	}
	t = &m->tables[o->sec];
	clean_obs(m, o, &c);
	build_key(&k, o->sec, &c, off);
	h = hash_place(k.buf, k.len);
	head = htab_get(&t->map, h);
	for (x = head; x != NULL; x = x->next)
		if (x->keylen == k.len && memcmp(x->key, k.buf, k.len) == 0)
			break;
	if (x == NULL) {
		x = new_entry(t, o->sec, &c, &k, off);
		t->sorted = 0;
		x->next = head;
		htab_put(&t->map, h, x);
	}
	fold(m, x, o->sec, o, &c);
	for (i = 0; i < MAXFIELDS; i++)
		free(c.fixed[i]);
	if (is_plain(o->sec))
		m->last[o->sec] = x;
	return x;
}

/* Byte order, a key before any longer key it starts. */
static int
cmp_key(const char *x, size_t xn, const char *y, size_t yn)
{
	int c = memcmp(x, y, xn < yn ? xn : yn);

	if (c != 0)
		return c;
	return xn < yn ? -1 : xn > yn;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a;
	const struct entry *y = *(struct entry *const *)b;

	return cmp_key(x->key, x->keylen, y->key, y->keylen);
}

/* An entry by the 8 bytes of its key after the prefix all keys share. */
struct ranked {
	uint64_t	 word;		/* big-endian, 0 past the key's end */
	struct entry	*e;
};

static int
cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->word != y->word)
		return x->word < y->word ? -1 : 1;
	return cmp_entry(&x->e, &y->e);
}

/*
 * Sorted by key: each key is fetched once for its word, and most
 * comparisons end there, in the array, instead of at two keys far
 * apart in memory.  A shorter key's 0s sort it before any key it
 * starts, as cmp_key does.
 */
static void
sort_entries(struct entry **all, size_t n)
{
	struct ranked *r = xcalloc(n, sizeof(*r));
	size_t i, j, lcp = all[0]->keylen;

	for (i = 1; i < n && lcp > 0; i++) {
		if (all[i]->keylen < lcp)
			lcp = all[i]->keylen;
		for (j = 0; j < lcp && all[i]->key[j] == all[0]->key[j]; j++)
			;
		lcp = j;
	}
	for (i = 0; i < n; i++) {
		r[i].e = all[i];
		for (j = lcp; j < lcp + 8; j++)
			r[i].word = r[i].word << 8 | (j < all[i]->keylen ?
			    (unsigned char)all[i]->key[j] : 0);
	}
	qsort(r, n, sizeof(*r), cmp_ranked);
	for (i = 0; i < n; i++)
		all[i] = r[i].e;
	free(r);
}

size_t
model_entries(struct model *m, enum section sec, struct entry *const **all)
{
	struct table *t = &m->tables[sec];

	if (!t->sorted && t->n > 1)
		sort_entries(t->all, t->n);
	t->sorted = 1;
	*all = t->all;
	return t->n;
}

/* An entry as an observation again; a set longer than one holds, in parts. */
void
model_merge_entry(struct model *dst, enum section sec, const struct entry *e,
    const char *child, size_t childlen)
{
	struct obs o;
	size_t k;
	int i, si = 0;

	obs_clear(&o, sec);
	o.child = child;
	o.childlen = childlen;
	memcpy(o.val, e->val, sizeof(o.val));
	o.owner = e->owner;
	o.denied = e->denied;
	o.profile = e->profile;
	o.program = e->program;
	o.count = e->count;
	o.first = e->first;
	o.last = e->last;
	for (i = 0; i < MAXFIELDS; i++) {
		if (!is_set_role(role_of(sec, i)))
			continue;
		for (k = 0; k < e->set[si].n; k++) {
			if (o.set[si].n == MAXELEMS) {
				model_add(dst, &o);
				o.set[si].n = 0;
				o.count = 0;
			}
			obs_set_add(&o, i, e->set[si].s[k],
			    strlen(e->set[si].s[k]));
		}
		si++;
	}
	model_add(dst, &o);
}

void
model_merge(struct model *dst, struct model *src, const char *child,
    size_t childlen)
{
	int s;

	for (s = 0; s < NSECTIONS; s++)
		model_merge_section(dst, src, (enum section)s, child, childlen);
}

void
model_merge_section(struct model *dst, struct model *src, enum section sec,
    const char *child, size_t childlen)
{
	struct entry *const *all;
	size_t n, i;

	n = model_entries(src, sec, &all);
	for (i = 0; i < n; i++)
		model_merge_entry(dst, sec, all[i], child, childlen);
}

static int
cmp_kid(const void *a, const void *b)
{
	const struct kid *x = *(struct kid *const *)a;
	const struct kid *y = *(struct kid *const *)b;

	return cmp_key(x->key, x->len, y->key, y->len);
}

size_t
model_children(struct model *m, struct kid *const **all)
{
	if (!m->kids_sorted && m->nkids > 1)
		qsort(m->kids, m->nkids, sizeof(*m->kids), cmp_kid);
	m->kids_sorted = 1;
	*all = m->kids;
	return m->nkids;
}

static void
free_kids(struct model *m)
{
	size_t i;

	for (i = 0; i < m->nkids; i++) {
		model_free(m->kids[i]->m);
		free(m->kids[i]->key);
		free(m->kids[i]);
	}
	free(m->kids);
	htab_free(&m->kidmap);
	m->kids = NULL;
	m->nkids = m->capkids = 0;
}

size_t
model_fold_children(struct model *m)
{
	size_t n = m->nkids, i;

	for (i = 0; i < n; i++)
		model_merge(m, m->kids[i]->m, NULL, 0);
	free_kids(m);
	return n;
}

size_t
model_count(const struct model *m, enum section sec)
{
	return m->tables[sec].n;
}

int
model_empty(const struct model *m)
{
	size_t i;
	int s;

	for (s = 0; s < NSECTIONS; s++)
		if (section_grants((enum section)s) && m->tables[s].n > 0)
			return 0;
	for (i = 0; i < m->nkids; i++)
		if (!model_empty(m->kids[i]->m))
			return 0;
	return 1;
}

void
model_free(struct model *m)
{
	struct istr *x, *next;
	size_t s, i;

	if (m == NULL)
		return;
	for (s = 0; s < NSECTIONS; s++) {
		for (i = 0; i < m->tables[s].n; i++)
			free_entry(m->tables[s].all[i], (enum section)s);
		free(m->tables[s].all);
		htab_free(&m->tables[s].map);
	}
	i = 0;
	while ((x = htab_next(&m->interned, &i, NULL)) != NULL) {
		for (; x != NULL; x = next) {
			next = x->next;
			free(x);
		}
	}
	htab_free(&m->interned);
	free_kids(m);
	free(m);
}

const char *
entry_val(const struct entry *e, enum section sec, const char *field)
{
	int i = field ? field_index(sec, field) : 0;

	return i >= 0 ? e->val[i] : NULL;
}

const struct sset *
entry_set(const struct entry *e, enum section sec, const char *field)
{
	static const struct sset none;
	int i = field_index(sec, field);

	return i >= 0 && is_set_role(sections[sec].f[i].role) ?
	    &e->set[set_slot(sec, i)] : &none;
}

int
sset_has(const struct sset *ss, const char *s)
{
	size_t i;

	for (i = 0; i < ss->n; i++)
		if (strcmp(ss->s[i], s) == 0)
			return 1;
	return 0;
}
