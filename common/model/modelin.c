/*
 * A model value in, whatever vArmor release or tool wrote it: the
 * AppArmor group as appArmor (0.9 on) or apparmor (up to 0.8), networks
 * as an object or (up to 0.8) a list, a socket's domain and type or (up
 * to 0.8) family and sockType, the BPF group's network or networks, and the
 * counts --counts writes.  Each entry becomes one observation, its
 * strings pointing into the value.
 */
#include <err.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "model.h"
#include "util.h"

struct rd {
	const struct model_src	*src;
	take_fn			 take;
	void			*arg;
	char			 section[192];	/* data.dynamicResult.appArmor.files */
	struct model_at		 at;
	const char		*child;		/* of appArmor.children[i]; obs.child */
	size_t			 childlen;
	char			 nums[MAXFIELDS][24];
	char			 elems[MAXELEMS][24];
	struct htab		 denied;	/* a plain list's NAMEDenied */
};

void
model_bad(const struct model_src *src, const char *where, const char *fmt,
    ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (src->quiet)
		return;
	if (src->refuse)
		errx(EXIT_FATAL, "%s: %s%s%s", src->file, where ? where : "",
		    where ? ": " : "", msg);
	bad_input(src->file, src->line, "%s%s%s", where ? where : "",
	    where ? ": " : "", msg);
}

void
model_where(const struct model_at *at, char *buf, size_t size)
{
	if (at->key != NULL)
		snprintf(buf, size, "%sCounts.%s", at->section, at->key);
	else if (at->index >= 0)
		snprintf(buf, size, "%s[%d]", at->section, at->index);
	else
		snprintf(buf, size, "%s", at->section);
}

static int
wrong(struct rd *r, const char *field, const char *want)
{
	char at[240], where[300];

	model_where(&r->at, at, sizeof(at));
	snprintf(where, sizeof(where), "%s%s%s", at, field ? "." : "",
	    field ? field : "");
	model_bad(r->src, where, "expected %s", want);
	return 0;
}

static int
whole(cJSON *v, double max)
{
	return cJSON_IsNumber(v) && v->valuedouble >= 0 &&
	    v->valuedouble <= max && v->valuedouble == floor(v->valuedouble);
}

static int
read_time(cJSON *v, int64_t *us)
{
	if (v == NULL)
		return 1;
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble >= 9e12)
		return 0;
	*us = llround(v->valuedouble * 1e6);
	return 1;
}

/* count, firstSeen, lastSeen: a model made without --counts has none. */
static int
read_counts(struct rd *r, cJSON *e, struct obs *o)
{
	cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "count");

	o->count = 0;
	o->first = o->last = -1;
	if (e != NULL && !cJSON_IsObject(e))
		return wrong(r, NULL, "an object");
	if (c != NULL && !whole(c, 1.8e19))
		return wrong(r, "count", "a whole number");
	if (c != NULL)
		o->count = (uint64_t)c->valuedouble;
	if (!read_time(cJSON_GetObjectItemCaseSensitive(e, "firstSeen"),
	    &o->first))
		return wrong(r, "firstSeen", "seconds since the epoch");
	if (!read_time(cJSON_GetObjectItemCaseSensitive(e, "lastSeen"),
	    &o->last))
		return wrong(r, "lastSeen", "seconds since the epoch");
	return 1;
}

/* "denied": true, an entry learnt from denials only. */
static int
read_flag(struct rd *r, cJSON *e, struct obs *o)
{
	cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "denied");

	if (d != NULL && !cJSON_IsBool(d))
		return wrong(r, "denied", "true or false");
	o->denied = cJSON_IsTrue(d);
	return 1;
}

/*
 * A set bigger than an observation holds goes in as several: a union.
 * A number is written into a buffer of the element's place.
 */
static void
set_add(struct rd *r, struct obs *o, int i, const cJSON *el)
{
	struct obs_set *ss = &o->set[set_slot(o->sec, i)];
	const char *s = el->valuestring;

	if (ss->n == MAXELEMS) {
		r->take(o, &r->at, r->arg);
		ss->n = 0;
		o->count = 0;
		o->first = o->last = -1;
	}
	if (cJSON_IsNumber(el)) {
		snprintf(r->elems[ss->n], sizeof(r->elems[0]), "%.0f",
		    el->valuedouble);
		s = r->elems[ss->n];
	}
	obs_set_add(o, i, s, strlen(s));
}

static int
read_set(struct rd *r, struct obs *o, int i, cJSON *v)
{
	const struct field *f = &sections[o->sec].f[i];
	int nums = f->role == F_NUMSET;
	const char *want = nums ? "an array of whole numbers" :
	    "an array of strings";
	cJSON *el;

	if (!cJSON_IsArray(v))
		return wrong(r, f->name, want);
	/* a set that is part of the identity cannot come in parts */
	if (f->role == F_IDSET && cJSON_GetArraySize(v) > MAXELEMS)
		return wrong(r, f->name, "64 names at most");
	cJSON_ArrayForEach(el, v)
		if (nums ? !whole(el, 65535) : !cJSON_IsString(el))
			return wrong(r, f->name, want);
	cJSON_ArrayForEach(el, v)
		set_add(r, o, i, el);
	return 1;
}

static int
read_field(struct rd *r, struct obs *o, int i, cJSON *v)
{
	const struct field *f = &sections[o->sec].f[i];

	if (v == NULL || cJSON_IsNull(v))
		return 1;
	switch (f->role) {
	case F_ID:
	case F_OLDPATH:
		if (!cJSON_IsString(v))
			return wrong(r, f->name, "a string");
		if (v->valuestring[0] != '\0')
			o->val[i] = v->valuestring;
		return 1;
	case F_NUM:
		if (!whole(v, 4294967295.0))
			return wrong(r, f->name, "a whole number");
		snprintf(r->nums[i], sizeof(r->nums[i]), "%.0f", v->valuedouble);
		o->val[i] = r->nums[i];
		return 1;
	case F_FLAG:
	case F_OWNER:
		if (!cJSON_IsBool(v))
			return wrong(r, f->name, "true or false");
		if (f->role == F_OWNER)
			o->owner = cJSON_IsTrue(v);
		else
			o->val[i] = cJSON_IsTrue(v) ? "true" : NULL;
		return 1;
	default:
		return read_set(r, o, i, v);
	}
}

static cJSON *
member(cJSON *e, const struct field *f)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(e, f->name);

	return v == NULL && f->old ? cJSON_GetObjectItemCaseSensitive(e,
	    f->old) : v;
}

/*
 * NAMECounts.NAME of a plain list's entry.  bm-merge writes them in the
 * list's order, so the next one is tried first: no scan per entry.
 */
static cJSON *
counts_of(cJSON *counts, cJSON **next, const char *name)
{
	cJSON *c = *next;

	if (c == NULL || strcmp(c->string, name) != 0)
		c = cJSON_GetObjectItemCaseSensitive(counts, name);
	if (c != NULL)
		*next = c->next;
	return c;
}

static void
read_entry(struct rd *r, enum section sec, cJSON *e, cJSON *counts,
    cJSON **next)
{
	struct obs o;
	int i, ok;

	obs_clear(&o, sec);
	o.child = r->child;
	o.childlen = r->childlen;
	if (is_plain(sec)) {
		if (!cJSON_IsString(e)) {
			wrong(r, NULL, "a string");
			return;
		}
		o.val[0] = e->valuestring;
		o.denied = htab_sget(&r->denied, e->valuestring,
		    strlen(e->valuestring)) != NULL;
		if (counts != NULL)	/* list[3] -> listCounts.NAME */
			r->at.key = e->valuestring;
		ok = read_counts(r, counts ? counts_of(counts, next,
		    e->valuestring) : NULL, &o);
		r->at.key = NULL;
	} else if (!cJSON_IsObject(e))
		ok = wrong(r, NULL, "an object");
	else {
		ok = read_counts(r, e, &o) && read_flag(r, e, &o);
		for (i = 0; ok && i < MAXFIELDS && sections[sec].f[i].name; i++)
			ok = read_field(r, &o, i, member(e, &sections[sec].f[i]));
	}
	if (ok)
		r->take(&o, &r->at, r->arg);
}

/* NAMEDenied, the denied names of a plain list, as a set of r's. */
static void
read_denied(struct rd *r, cJSON *denied)
{
	cJSON *d;

	htab_clear(&r->denied);
	if (denied == NULL)
		return;
	if (!cJSON_IsArray(denied)) {
		model_bad(r->src, r->section, "Denied: expected an array of "
		    "names");
		return;
	}
	cJSON_ArrayForEach(d, denied)
		if (cJSON_IsString(d))
			htab_sput(&r->denied, d->valuestring,
			    strlen(d->valuestring), d);
}

static void
read_section(struct rd *r, enum section sec, cJSON *arr, cJSON *counts,
    cJSON *denied, const char *path)
{
	cJSON *e, *next;
	int i = 0;

	snprintf(r->section, sizeof(r->section), "%s", path);
	r->at.section = r->section;
	r->at.index = -1;
	r->at.key = NULL;
	if (!cJSON_IsArray(arr)) {
		wrong(r, NULL, "an array");
		return;
	}
	if (counts != NULL && !cJSON_IsObject(counts)) {
		r->at.key = "";
		wrong(r, NULL, "an object");
		r->at.key = NULL;
		counts = NULL;
	}
	read_denied(r, denied);
	next = counts ? counts->child : NULL;
	cJSON_ArrayForEach(e, arr) {
		r->at.index = i++;
		read_entry(r, sec, e, counts, &next);
	}
	htab_clear(&r->denied);
}

/* The section GROUP[.PARENT].NAME; the BPF group's network is plural too. */
static int
section_of(const char *group, const char *parent, const char *name)
{
	int s;

	for (s = 0; s < NSECTIONS; s++)
		if (strcmp(sections[s].group, group) == 0 &&
		    strcmp(sections[s].name, name) == 0 &&
		    (parent == NULL) == (sections[s].parent == NULL) &&
		    (parent == NULL || strcmp(parent, sections[s].parent) == 0 ||
		    strcmp(parent, "networks") == 0))
			return s;
	return -1;
}

/*
 * "capabilitiesCounts" (written by --counts) or "capabilitiesDenied"
 * beside "capabilities": read with the list.
 */
static int
beside_a_list(const char *group, const char *name)
{
	static const char *const suffixes[] = { "Counts", "Denied", NULL };
	const char *const *x;
	size_t len = strlen(name), n;
	char list[64];
	int s;

	for (x = suffixes; *x != NULL; x++) {
		n = strlen(*x);
		if (len <= n || len - n >= sizeof(list) ||
		    strcmp(name + len - n, *x) != 0)
			continue;
		memcpy(list, name, len - n);
		list[len - n] = '\0';
		s = section_of(group, NULL, list);
		return s >= 0 && is_plain((enum section)s);
	}
	return 0;
}

/* A section a newer vArmor may have: left out, never fatal. */
static void
not_known(struct rd *r, const char *path)
{
	if (r->src->refuse)
		warnx("%s: %s: section not known; left out", r->src->file, path);
	else
		bad_input(r->src->file, r->src->line,
		    "%s: section not known; left out", path);
}

static void
read_networks(struct rd *r, const char *group, cJSON *s, const char *path)
{
	char sub[192];
	cJSON *n;
	int sec;

	if (cJSON_IsArray(s) && strcmp(group, "appArmor") == 0) {
		read_section(r, S_SOCKETS, s, NULL, NULL, path);	/* up to 0.8 */
		return;
	}
	if (!cJSON_IsObject(s)) {
		model_bad(r->src, path, "expected an object");
		return;
	}
	cJSON_ArrayForEach(n, s) {
		snprintf(sub, sizeof(sub), "%s.%s", path, n->string);
		if ((sec = section_of(group, "networks", n->string)) >= 0)
			read_section(r, (enum section)sec, n, NULL, NULL, sub);
		else
			not_known(r, sub);
	}
}

static void	read_children(struct rd *, cJSON *, const char *);

static void
read_group(struct rd *r, const char *group, cJSON *g, const char *path)
{
	char sub[160], countsname[80], deniedname[80];
	cJSON *s;
	int sec;

	cJSON_ArrayForEach(s, g) {
		const char *name = s->string;

		snprintf(sub, sizeof(sub), "%s.%s", path, name);
		if (beside_a_list(group, name))
			continue;	/* read with its list */
		if (r->child != NULL && strcmp(name, "exec") == 0)
			continue;	/* read by read_children */
		if (r->child == NULL && strcmp(group, "appArmor") == 0 &&
		    strcmp(name, "children") == 0) {
			read_children(r, s, sub);
			continue;
		}
		if (strcmp(name, "networks") == 0 ||
		    (strcmp(name, "network") == 0 && strcmp(group, "bpf") == 0)) {
			read_networks(r, group, s, sub);
			continue;
		}
		if ((sec = section_of(group, NULL, name)) < 0) {
			not_known(r, sub);
			continue;
		}
		snprintf(countsname, sizeof(countsname), "%sCounts", name);
		snprintf(deniedname, sizeof(deniedname), "%sDenied", name);
		read_section(r, (enum section)sec, s,
		    cJSON_GetObjectItemCaseSensitive(g, countsname),
		    cJSON_GetObjectItemCaseSensitive(g, deniedname), sub);
	}
}

/* The programs of a child, each NUL-ended, in a buffer the caller frees. */
static char *
child_key(cJSON *exec, size_t *len)
{
	struct jw k = { 0 };
	cJSON *p;

	if (!cJSON_IsArray(exec) || exec->child == NULL)
		return NULL;
	cJSON_ArrayForEach(p, exec) {
		if (!cJSON_IsString(p) || p->valuestring[0] == '\0') {
			free(k.buf);
			return NULL;
		}
		jw_raw(&k, p->valuestring, strlen(p->valuestring) + 1);
	}
	*len = k.len;
	return k.buf;
}

/* appArmor.children: each an object of exec and the child's sections. */
static void
read_children(struct rd *r, cJSON *kids, const char *path)
{
	char sub[192];
	cJSON *kid;
	char *key;
	int i = 0;

	if (!cJSON_IsArray(kids)) {
		model_bad(r->src, path, "expected an array");
		return;
	}
	cJSON_ArrayForEach(kid, kids) {
		snprintf(sub, sizeof(sub), "%s[%d]", path, i++);
		if (!cJSON_IsObject(kid)) {
			model_bad(r->src, sub, "expected an object");
			continue;
		}
		if ((key = child_key(cJSON_GetObjectItemCaseSensitive(kid,
		    "exec"), &r->childlen)) == NULL) {
			model_bad(r->src, sub, "exec: expected the programs, "
			    "a non-empty array of non-empty strings");
			continue;
		}
		r->child = key;
		read_group(r, "appArmor", kid, sub);
		r->child = NULL;
		r->childlen = 0;
		free(key);
	}
}

const char *
model_name_of(cJSON *v)
{
	cJSON *name = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(v, "metadata"), "name");

	return cJSON_IsString(name) && name->valuestring[0] != '\0' ?
	    name->valuestring : NULL;
}

int
model_read(cJSON *v, const struct model_src *src, take_fn take, void *arg)
{
	struct rd r;
	cJSON *kind = cJSON_GetObjectItemCaseSensitive(v, "kind");
	cJSON *dr = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(v, "data"), "dynamicResult");
	cJSON *g;

	if (!cJSON_IsObject(v) || (kind != NULL && (!cJSON_IsString(kind) ||
	    strcmp(kind->valuestring, "ArmorProfileModel") != 0))) {
		model_bad(src, NULL, "not an ArmorProfileModel");
		return -1;
	}
	if (dr != NULL && !cJSON_IsObject(dr)) {
		model_bad(src, "data.dynamicResult", "expected an object");
		return -1;
	}
	r.src = src;
	r.child = NULL;
	r.childlen = 0;
	r.take = take;
	r.arg = arg;
	memset(&r.denied, 0, sizeof(r.denied));
	cJSON_ArrayForEach(g, dr) {
		char path[96];
		const char *group = g->string;

		if (strcmp(group, "apparmor") == 0)	/* up to vArmor 0.8 */
			group = "appArmor";
		snprintf(path, sizeof(path), "data.dynamicResult.%s", g->string);
		if (strcmp(group, "appArmor") != 0 && strcmp(group, "bpf") != 0 &&
		    strcmp(group, "seccomp") != 0)
			not_known(&r, path);
		else if (!cJSON_IsObject(g))
			model_bad(src, path, "expected an object");
		else
			read_group(&r, group, g, path);
	}
	htab_free(&r.denied);
	return 1;
}
