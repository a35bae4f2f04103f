/*
 * The model: one hash table per section, entries known by a key built
 * from their identity fields.  Written sorted by key, so the output is
 * the same whatever order the input came in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "jsonw.h"
#include "merge.h"
#include "util.h"

struct sset {
	const char	**s;		/* interned */
	size_t		 n, cap;
};

struct entry {
	struct entry	*next;		/* same 64-bit hash */
	char		*key;
	size_t		 keylen;
	const char	*val[MAXFIELDS];	/* into key; oldPath its own */
	struct sset	 set[MAXSETS];
	int		 owner;
	uint64_t	 count;
	int64_t		 first, last;
};

struct table {
	struct u64map	 map;
	struct entry	**all;
	size_t		 n, cap;
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

static struct table	 tables[NSECTIONS];
static struct u64map	 interned;
static char		*offered_name;

static int
plain(enum section sec)
{
	return sections[sec].f[0].name == NULL;
}

static enum role
role_of(enum section sec, int i)
{
	return plain(sec) ? (i == 0 ? F_ID : 0) : sections[sec].f[i].role;
}

static int
is_set(enum role r)
{
	return r == F_SET || r == F_IDSET;
}

/* Permission, flag and signal names recur: one copy of each. */
static const char *
intern(const char *s, size_t n)
{
	uint64_t h = hash_bytes(s, n, 1);
	struct istr *head = u64map_get(&interned, h), *x;

	for (x = head; x != NULL; x = x->next)
		if (strncmp(x->s, s, n) == 0 && x->s[n] == '\0')
			return x->s;
	x = xmalloc(sizeof(*x) + n + 1);
	memcpy(x->s, s, n);
	x->s[n] = '\0';
	x->next = head;
	u64map_put(&interned, h, x);
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
	if (ss->n == ss->cap) {
		ss->cap = ss->cap ? 2 * ss->cap : 4;
		ss->s = xrealloc(ss->s, ss->cap * sizeof(*ss->s));
	}
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
clean_obs(const struct obs *o, struct clean *c)
{
	int i, si = 0, j;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < MAXFIELDS; i++) {
		enum role r = role_of(o->sec, i);
		const char *v = o->val[i];

		/* "" is absent: vArmor writes empty fields as "" */
		if (v != NULL && v[0] != '\0' && !is_set(r)) {
			c->fixed[i] = utf8_fixed(v, strlen(v));
			c->val[i] = c->fixed[i] ? c->fixed[i] : v;
		}
		if (!is_set(r))
			continue;
		for (j = 0; j < o->set[si].n; j++) {
			const char *e = o->set[si].s[j];
			size_t n = o->set[si].len[j];
			char *fixed = utf8_fixed(e, n);

			c->set[si][c->n[si]++] = fixed ? intern(fixed,
			    strlen(fixed)) : intern(e, n);
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

		if (r == F_ID || r == F_NUM) {
			jw_raw(k, c->val[i] ? "\1" : "\2", 1);
			off[i] = k->len;
			if (c->val[i])
				jw_raw(k, c->val[i], strlen(c->val[i]));
			jw_raw(k, "", 1);
		} else if (r == F_IDSET) {
			jw_raw(k, "\1", 1);
			for (j = 0; j < c->n[si]; j++) {
				if (j > 0 && c->set[si][j] == c->set[si][j - 1])
					continue;
				if (j > 0)
					jw_raw(k, "\3", 1);
				jw_raw(k, c->set[si][j], strlen(c->set[si][j]));
			}
			jw_raw(k, "", 1);
		}
		if (is_set(r))
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
	free(e->key);
	free(e);
}

static struct entry *
new_entry(struct table *t, enum section sec, const struct clean *c,
    const struct jw *k, const size_t *off)
{
	struct entry *e = xcalloc(1, sizeof(*e));
	int i;

	e->key = xmalloc(k->len);
	memcpy(e->key, k->buf, k->len);
	e->keylen = k->len;
	for (i = 0; i < MAXFIELDS; i++)
		if (c->val[i] != NULL && (role_of(sec, i) == F_ID ||
		    role_of(sec, i) == F_NUM))
			e->val[i] = e->key + off[i];
	e->owner = 1;
	e->first = e->last = -1;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->all = xrealloc(t->all, t->cap * sizeof(*t->all));
	}
	t->all[t->n++] = e;
	return e;
}

/* The union: sets grow, owner narrows, the least oldPath, counts add. */
static void
fold(struct entry *e, enum section sec, const struct obs *o,
    const struct clean *c)
{
	int i, j, op = field_index(sec, "oldPath");

	for (i = 0; i < MAXSETS; i++)
		for (j = 0; j < c->n[i]; j++)
			sset_add(&e->set[i], c->set[i][j]);
	e->owner = e->owner && o->owner;
	if (op >= 0 && c->val[op] != NULL && (e->val[op] == NULL ||
	    strcmp(c->val[op], e->val[op]) < 0)) {
		free((char *)e->val[op]);
		e->val[op] = xstrdup(c->val[op]);
	}
	e->count += o->count;
	if (o->first >= 0 && (e->first < 0 || o->first < e->first))
		e->first = o->first;
	if (o->last > e->last)
		e->last = o->last;
}

void
model_add(const struct obs *o)
{
	static struct jw k;
	static struct clean c;
	struct table *t = &tables[o->sec];
	struct entry *x, *head;
	size_t off[MAXFIELDS];
	uint64_t h;
	int i;

	if (plain(o->sec) && (o->val[0] == NULL || o->val[0][0] == '\0'))
		return;
	clean_obs(o, &c);
	build_key(&k, o->sec, &c, off);
	h = hash_bytes(k.buf, k.len, 0);
	head = u64map_get(&t->map, h);
	for (x = head; x != NULL; x = x->next)
		if (x->keylen == k.len && memcmp(x->key, k.buf, k.len) == 0)
			break;
	if (x == NULL) {
		x = new_entry(t, o->sec, &c, &k, off);
		x->next = head;
		u64map_put(&t->map, h, x);
	}
	fold(x, o->sec, o, &c);
	for (i = 0; i < MAXFIELDS; i++)
		free(c.fixed[i]);
}

/* Names from input models: the least one wins, whatever the order. */
void
model_offer_name(const char *name)
{
	if (offered_name == NULL || strcmp(name, offered_name) < 0) {
		free(offered_name);
		offered_name = xstrdup(name);
	}
}

/*
 * metadata.name when none is given: an input model's, else the one
 * profile every event came from, else a fixed name.
 */
const char *
model_default_name(void)
{
	static char *root;
	struct table *t = &tables[S_PROFILES];
	size_t i, n;

	if (offered_name != NULL)
		return offered_name;
	for (i = 0; i < t->n; i++) {
		const char *p = t->all[i]->val[0], *sep = strstr(p, "//");

		n = sep ? (size_t)(sep - p) : strlen(p);
		if (root == NULL) {
			root = xmalloc(n + 1);
			memcpy(root, p, n);
			root[n] = '\0';
		} else if (strlen(root) != n || memcmp(root, p, n) != 0)
			return "behavior-model";
	}
	return root ? root : "behavior-model";
}

void
model_free(void)
{
	size_t s, i;

	for (s = 0; s < NSECTIONS; s++) {
		for (i = 0; i < tables[s].n; i++)
			free_entry(tables[s].all[i], (enum section)s);
		free(tables[s].all);
		u64map_free(&tables[s].map);
	}
	memset(tables, 0, sizeof(tables));
	for (i = 0; i < interned.cap; i++) {
		struct istr *x = interned.vals[i], *next;

		for (; x != NULL; x = next) {
			next = x->next;
			free(x);
		}
	}
	u64map_free(&interned);
	free(offered_name);
	offered_name = NULL;
}

/* Writing: jw for strings, commas by hand. */

static void
key(struct jw *w, const char *name, int *first)
{
	if (!*first)
		jw_raw(w, ",", 1);
	*first = 0;
	jw_str(w, name, strlen(name));
	jw_raw(w, ":", 1);
}

static void
put_time(struct jw *w, int64_t us)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%lld.%06lld",
	    (long long)(us / 1000000), (long long)(us % 1000000));

	while (num[n - 1] == '0')
		n--;
	if (num[n - 1] == '.')
		n--;
	jw_raw(w, num, (size_t)n);
}

static void
put_counts(struct jw *w, const struct entry *e, int *first)
{
	key(w, "count", first);
	jw_int(w, (long long)e->count);
	if (e->first >= 0) {
		key(w, "firstSeen", first);
		put_time(w, e->first);
		key(w, "lastSeen", first);
		put_time(w, e->last);
	}
}

static void
put_entry(struct jw *w, enum section sec, const struct entry *e)
{
	const struct field *f = sections[sec].f;
	int i, si = 0, first = 1;

	jw_raw(w, "{", 1);
	for (i = 0; i < MAXFIELDS && f[i].name != NULL; i++) {
		const char *v = e->val[i];

		switch (f[i].role) {
		case F_ID:
		case F_OLDPATH:
			if (v == NULL && !f[i].always)
				break;
			key(w, f[i].name, &first);
			jw_str(w, v ? v : "", v ? strlen(v) : 0);
			break;
		case F_NUM:
			if (v == NULL)
				break;
			key(w, f[i].name, &first);
			jw_raw(w, v, strlen(v));
			break;
		case F_SET:
		case F_IDSET:
			if (e->set[si].n > 0 || f[i].always) {
				key(w, f[i].name, &first);
				jw_strings(w, e->set[si].s, e->set[si].n);
			}
			si++;
			break;
		case F_OWNER:
			key(w, f[i].name, &first);
			jw_raw(w, e->owner ? "true" : "false", e->owner ? 4 : 5);
			break;
		}
	}
	if (opts.counts)
		put_counts(w, e, &first);
	jw_raw(w, "}", 1);
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a;
	const struct entry *y = *(struct entry *const *)b;
	size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
	int c = memcmp(x->key, y->key, n);

	if (c != 0)
		return c;
	return x->keylen < y->keylen ? -1 : x->keylen > y->keylen;
}

static void
put_section(struct jw *w, enum section sec, int *first)
{
	struct table *t = &tables[sec];
	char countsname[64];
	size_t i;
	int cf = 1;

	qsort(t->all, t->n, sizeof(*t->all), cmp_entry);
	key(w, sections[sec].name, first);
	jw_raw(w, "[", 1);
	for (i = 0; i < t->n; i++) {
		if (i > 0)
			jw_raw(w, ",", 1);
		if (plain(sec))
			jw_str(w, t->all[i]->val[0], strlen(t->all[i]->val[0]));
		else
			put_entry(w, sec, t->all[i]);
	}
	jw_raw(w, "]", 1);
	if (!opts.counts || !plain(sec))
		return;
	/* A plain list has no room for counts: they go beside it. */
	snprintf(countsname, sizeof(countsname), "%sCounts", sections[sec].name);
	key(w, countsname, first);
	jw_raw(w, "{", 1);
	for (i = 0; i < t->n; i++) {
		int f = 1;

		key(w, t->all[i]->val[0], &cf);
		jw_raw(w, "{", 1);
		put_counts(w, t->all[i], &f);
		jw_raw(w, "}", 1);
	}
	jw_raw(w, "}", 1);
}

/* The sections of one group, with networks.* nested. */
static void
put_group(struct jw *w, const char *group, int *gfirst)
{
	int s, first = 1, nfirst = 1, any = 0;
	const char *open_parent = NULL;

	for (s = 0; s < NSECTIONS; s++)
		if (strcmp(sections[s].group, group) == 0 && tables[s].n > 0)
			any = 1;
	if (!any)
		return;
	key(w, group, gfirst);
	jw_raw(w, "{", 1);
	for (s = 0; s < NSECTIONS; s++) {
		const char *parent = sections[s].parent;

		if (strcmp(sections[s].group, group) != 0 || tables[s].n == 0)
			continue;
		if (open_parent != NULL && (parent == NULL ||
		    strcmp(parent, open_parent) != 0)) {
			jw_raw(w, "}", 1);
			open_parent = NULL;
		}
		if (parent != NULL && open_parent == NULL) {
			key(w, parent, &first);
			jw_raw(w, "{", 1);
			open_parent = parent;
			nfirst = 1;
		}
		put_section(w, (enum section)s, parent ? &nfirst : &first);
	}
	if (open_parent != NULL)
		jw_raw(w, "}", 1);
	jw_raw(w, "}", 1);
}

void
model_write(const char *name)
{
	static const char head[] =
	    "\"apiVersion\":\"crd.varmor.org/v1beta1\","
	    "\"kind\":\"ArmorProfileModel\",\"metadata\":{\"name\":";
	static const char mid[] = "},\"data\":{\"dynamicResult\":{";
	struct jw w;
	int first = 1;

	memset(&w, 0, sizeof(w));
	jw_begin(&w);
	jw_raw(&w, head, sizeof(head) - 1);
	jw_str(&w, name, strlen(name));
	jw_raw(&w, mid, sizeof(mid) - 1);
	put_group(&w, "apparmor", &first);
	put_group(&w, "bpf", &first);
	put_group(&w, "seccomp", &first);
	jw_raw(&w, "}}", 2);
	jw_end(&w);
	free(w.buf);
}
