/*
 * A whole model in: its entries are taken as they are (paths were
 * generalised when the model was made).  An entry with a field of the
 * wrong type is reported by its JSON path and left out; the rest of the
 * model still counts.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "merge.h"
#include "util.h"

struct min {
	const struct src	*src;
	char			 where[160];	/* data.dynamicResult.apparmor.files[3] */
};

static void
bad_field(struct min *m, const char *field, const char *want)
{
	bad_input(m->src->file, m->src->line, "%s%s%s: expected %s", m->where,
	    field ? "." : "", field ? field : "", want);
}

static int
section_of(const char *group, const char *parent, const char *name)
{
	int s;

	for (s = 0; s < NSECTIONS; s++)
		if (strcmp(sections[s].group, group) == 0 &&
		    strcmp(sections[s].name, name) == 0 &&
		    (parent == NULL) == (sections[s].parent == NULL) &&
		    (parent == NULL || strcmp(parent, sections[s].parent) == 0))
			return s;
	return -1;
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
read_counts(struct min *m, cJSON *e, struct obs *o)
{
	cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "count");

	o->count = 0;
	o->first = o->last = -1;
	if (e != NULL && !cJSON_IsObject(e)) {
		bad_field(m, NULL, "an object");
		return 0;
	}
	if (c != NULL && (!cJSON_IsNumber(c) || c->valuedouble < 0 ||
	    c->valuedouble != floor(c->valuedouble))) {
		bad_field(m, "count", "a whole number");
		return 0;
	}
	if (c != NULL)
		o->count = (uint64_t)c->valuedouble;
	if (!read_time(cJSON_GetObjectItemCaseSensitive(e, "firstSeen"),
	    &o->first)) {
		bad_field(m, "firstSeen", "seconds since the epoch");
		return 0;
	}
	if (!read_time(cJSON_GetObjectItemCaseSensitive(e, "lastSeen"),
	    &o->last)) {
		bad_field(m, "lastSeen", "seconds since the epoch");
		return 0;
	}
	return 1;
}

static int
read_field(struct min *m, struct obs *o, int i, cJSON *v)
{
	const struct field *f = &sections[o->sec].f[i];
	cJSON *el;
	char num[24];

	if (v == NULL || cJSON_IsNull(v))
		return 1;
	switch (f->role) {
	case F_ID:
	case F_OLDPATH:
		if (!cJSON_IsString(v))
			return bad_field(m, f->name, "a string"), 0;
		if (f->role == F_ID || v->valuestring[0] != '\0')
			o->val[i] = v->valuestring;
		return 1;
	case F_NUM:
		if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
		    v->valuedouble > 4294967295.0 ||
		    v->valuedouble != floor(v->valuedouble))
			return bad_field(m, f->name, "a whole number"), 0;
		snprintf(num, sizeof(num), "%.0f", v->valuedouble);
		o->val[i] = obs_strdup(num, strlen(num));
		return 1;
	case F_OWNER:
		if (!cJSON_IsBool(v))
			return bad_field(m, f->name, "true or false"), 0;
		o->owner = cJSON_IsTrue(v);
		return 1;
	default:
		if (!cJSON_IsArray(v))
			return bad_field(m, f->name, "an array of strings"), 0;
		cJSON_ArrayForEach(el, v) {
			if (!cJSON_IsString(el))
				return bad_field(m, f->name,
				    "an array of strings"), 0;
			obs_set_add(o, i, el->valuestring,
			    strlen(el->valuestring));
		}
		return 1;
	}
}

/* Older vArmor named a socket's domain family and its type sockType. */
static cJSON *
member(cJSON *e, enum section sec, const char *name)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(e, name);

	if (v != NULL || (sec != S_SOCKETS && sec != S_ENDPOINTS &&
	    sec != S_UNIX))
		return v;
	if (strcmp(name, "domain") == 0)
		return cJSON_GetObjectItemCaseSensitive(e, "family");
	if (strcmp(name, "type") == 0)
		return cJSON_GetObjectItemCaseSensitive(e, "sockType");
	return NULL;
}

static void
read_entry(struct min *m, enum section sec, cJSON *e, cJSON *counts)
{
	struct obs *o = obs_new(sec);
	int i, ok = 1;

	if (sections[sec].f[0].name == NULL) {
		if (!cJSON_IsString(e))
			ok = (bad_field(m, NULL, "a string"), 0);
		else
			o->val[0] = e->valuestring;
		o->count = 0;
		o->first = o->last = -1;
		if (ok && counts != NULL) {
			char *bracket = strrchr(m->where, '[');

			if (bracket != NULL)	/* list[3] -> listCounts.NAME */
				snprintf(bracket, sizeof(m->where) -
				    (size_t)(bracket - m->where), "Counts.%s",
				    e->valuestring);
			ok = read_counts(m, cJSON_GetObjectItemCaseSensitive(
			    counts, e->valuestring), o);
		}
	} else if (!cJSON_IsObject(e))
		ok = (bad_field(m, NULL, "an object"), 0);
	else {
		for (i = 0; ok && i < MAXFIELDS && sections[sec].f[i].name; i++)
			ok = read_field(m, o, i, member(e, sec,
			    sections[sec].f[i].name));
		ok = ok && read_counts(m, e, o);
	}
	if (ok)
		obs_commit();
	else
		obs_drop();
}

static void
read_section(struct min *m, enum section sec, cJSON *arr, cJSON *counts,
    const char *path)
{
	cJSON *e;
	int i = 0;

	if (!cJSON_IsArray(arr)) {
		snprintf(m->where, sizeof(m->where), "%s", path);
		bad_field(m, NULL, "an array");
		return;
	}
	if (counts != NULL && !cJSON_IsObject(counts)) {
		snprintf(m->where, sizeof(m->where), "%sCounts", path);
		bad_field(m, NULL, "an object");
		counts = NULL;
	}
	cJSON_ArrayForEach(e, arr) {
		snprintf(m->where, sizeof(m->where), "%s[%d]", path, i++);
		read_entry(m, sec, e, counts);
	}
}

/* "capabilitiesCounts" beside "capabilities" (written by --counts) */
static int
counts_of_a_list(const char *group, const char *name, size_t len)
{
	int s;

	if (len <= 6 || strcmp(name + len - 6, "Counts") != 0)
		return 0;
	for (s = 0; s < NSECTIONS; s++)
		if (strcmp(sections[s].group, group) == 0 &&
		    sections[s].f[0].name == NULL &&
		    strlen(sections[s].name) == len - 6 &&
		    strncmp(sections[s].name, name, len - 6) == 0)
			return 1;
	return 0;
}

static void
read_group(struct min *m, const char *group, cJSON *g, const char *path)
{
	char sub[128], countsname[64];
	cJSON *s, *n;
	int sec;

	cJSON_ArrayForEach(s, g) {
		const char *name = s->string;
		size_t len = strlen(name);

		snprintf(sub, sizeof(sub), "%s.%s", path, name);
		if (counts_of_a_list(group, name, len))
			continue;	/* read with its list */
		if (strcmp(group, "apparmor") == 0 &&
		    strcmp(name, "networks") == 0 && cJSON_IsArray(s)) {
			read_section(m, S_SOCKETS, s, NULL, sub);  /* older vArmor */
			continue;
		}
		if (strcmp(group, "apparmor") == 0 &&
		    strcmp(name, "networks") == 0 && cJSON_IsObject(s)) {
			cJSON_ArrayForEach(n, s) {
				char nsub[160];

				snprintf(nsub, sizeof(nsub), "%s.%s", sub, n->string);
				if ((sec = section_of(group, "networks",
				    n->string)) >= 0)
					read_section(m, sec, n, NULL, nsub);
				else
					bad_input(m->src->file, m->src->line,
					    "%s: section not known; left out", nsub);
			}
			continue;
		}
		if (strcmp(group, "apparmor") == 0 &&
		    strcmp(name, "networks") == 0) {
			bad_input(m->src->file, m->src->line,
			    "%s: expected an object", sub);
			continue;
		}
		if ((sec = section_of(group, NULL, name)) < 0) {
			bad_input(m->src->file, m->src->line,
			    "%s: section not known; left out", sub);
			continue;
		}
		snprintf(countsname, sizeof(countsname), "%sCounts", name);
		read_section(m, sec, s, cJSON_GetObjectItemCaseSensitive(g,
		    countsname), sub);
	}
}

int
ingest_model(cJSON *v, const struct src *src)
{
	struct min m = { src, "" };
	cJSON *kind = cJSON_GetObjectItemCaseSensitive(v, "kind");
	cJSON *name = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(v, "metadata"), "name");
	cJSON *dr = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(v, "data"), "dynamicResult");
	cJSON *g;

	if (kind != NULL && (!cJSON_IsString(kind) ||
	    strcmp(kind->valuestring, "ArmorProfileModel") != 0)) {
		bad_input(src->file, src->line, "not an ArmorProfileModel");
		return -1;
	}
	if (dr != NULL && !cJSON_IsObject(dr)) {
		bad_input(src->file, src->line,
		    "data.dynamicResult: expected an object");
		return -1;
	}
	stats.models++;
	if (cJSON_IsString(name) && name->valuestring[0] != '\0')
		model_offer_name(name->valuestring);
	cJSON_ArrayForEach(g, dr) {
		char path[96];
		const char *group = g->string;

		if (strcmp(group, "appArmor") == 0)	/* vArmor's policy advisor */
			group = "apparmor";
		snprintf(path, sizeof(path), "data.dynamicResult.%s", g->string);
		if (strcmp(group, "apparmor") != 0 && strcmp(group, "bpf") != 0 &&
		    strcmp(group, "seccomp") != 0) {
			bad_input(src->file, src->line,
			    "%s: section not known; left out", path);
			continue;
		}
		if (!cJSON_IsObject(g)) {
			bad_input(src->file, src->line,
			    "%s: expected an object", path);
			continue;
		}
		read_group(&m, group, g, path);
	}
	return 1;
}
