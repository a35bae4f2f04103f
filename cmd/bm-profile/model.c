/*
 * Reading model sections.  A field of the wrong type is reported by its
 * JSON path and its entry left out; the rest of the model still counts.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsoncj.h"
#include "profile.h"
#include "util.h"

static cJSON *
group_of(const struct model *m, const char *group)
{
	cJSON *g = model_group(m->root, group);

	return cJSON_IsObject(g) ? g : NULL;
}

static cJSON *
section_of(const struct model *m, const char *group, const char *parent,
    const char *name)
{
	cJSON *g = group_of(m, group);

	if (parent != NULL)
		g = cJSON_GetObjectItemCaseSensitive(g, parent);
	if (parent != NULL && cJSON_IsArray(g) && strcmp(name, "sockets") == 0)
		return g;		/* older vArmor: networks a plain list */
	return cJSON_GetObjectItemCaseSensitive(g, name);
}

void
each(const struct model *models, size_t n, const char *group,
    const char *parent, const char *name, ent_fn fn, void *arg)
{
	size_t i;

	for (i = 0; i < n; i++) {
		cJSON *arr = section_of(&models[i], group, parent, name), *v;
		struct ent e;
		int k = 0;

		if (arr == NULL)
			continue;
		if (!cJSON_IsArray(arr)) {
			bad_input(models[i].file, models[i].line,
			    "data.dynamicResult.%s.%s%s%s: expected an array",
			    group, parent ? parent : "", parent ? "." : "",
			    name);
			continue;
		}
		cJSON_ArrayForEach(v, arr) {
			memset(&e, 0, sizeof(e));
			e.m = &models[i];
			e.v = v;
			snprintf(e.where, sizeof(e.where),
			    "data.dynamicResult.%s.%s%s%s[%d]", group,
			    parent ? parent : "", parent ? "." : "", name, k++);
			fn(&e, arg);
		}
	}
}

int
has_entries(const struct model *models, size_t n, const char *group,
    const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cJSON_GetArraySize(section_of(&models[i], group, NULL,
		    name)) > 0)
			return 1;
	return 0;
}

static void
wrong(struct ent *e, const char *field, const char *want)
{
	if (!e->bad)
		bad_input(e->m->file, e->m->line, "%s%s%s: expected %s",
		    e->where, field ? "." : "", field ? field : "", want);
	e->bad = 1;
}

/* A plain list's entry is the string itself (field NULL). */
const char *
ent_str(struct ent *e, const char *field)
{
	cJSON *v = field ? cJSON_GetObjectItemCaseSensitive(e->v, field) : e->v;

	/* older vArmor: a socket's domain was family, its type sockType */
	if (v == NULL && field != NULL && strcmp(field, "domain") == 0)
		v = cJSON_GetObjectItemCaseSensitive(e->v, "family");
	if (v == NULL && field != NULL && strcmp(field, "type") == 0)
		v = cJSON_GetObjectItemCaseSensitive(e->v, "sockType");

	if (field != NULL && !cJSON_IsObject(e->v))
		return wrong(e, NULL, "an object"), NULL;
	if (v == NULL || cJSON_IsNull(v))
		return NULL;
	if (!cJSON_IsString(v))
		return wrong(e, field, "a string"), NULL;
	return v->valuestring[0] != '\0' ? v->valuestring : NULL;
}

cJSON *
ent_strs(struct ent *e, const char *field)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(e->v, field), *s;

	if (v == NULL || cJSON_IsNull(v))
		return NULL;
	if (!cJSON_IsArray(v))
		return wrong(e, field, "an array of strings"), NULL;
	cJSON_ArrayForEach(s, v)
		if (!cJSON_IsString(s))
			return wrong(e, field, "an array of strings"), NULL;
	return v;
}

int
json_has(cJSON *strings, const char *s)
{
	cJSON *v;

	cJSON_ArrayForEach(v, strings)
		if (strcmp(v->valuestring, s) == 0)
			return 1;
	return 0;
}

/* An array of names AppArmor takes (is_word); anything else is bad. */
cJSON *
ent_words(struct ent *e, const char *field)
{
	cJSON *v = ent_strs(e, field), *s;

	cJSON_ArrayForEach(s, v)
		if (!is_word(s->valuestring))
			return wrong(e, field, "names of lower case letters, "
			    "digits, _, + and -"), NULL;
	return v;
}

/* A single name, as ent_words. */
const char *
ent_word(struct ent *e, const char *field)
{
	const char *v = ent_str(e, field);

	if (v != NULL && !is_word(v))
		return wrong(e, field, "a name of lower case letters, digits, "
		    "_, + and -"), NULL;
	return v;
}

int
ent_bool(struct ent *e, const char *field)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(e->v, field);

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsBool(v))
		return wrong(e, field, "true or false"), 0;
	return cJSON_IsTrue(v);
}

int
ent_num(struct ent *e, const char *field, long long *n)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(e->v, field);

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
	    v->valuedouble < 0 || v->valuedouble > 65535)
		return wrong(e, field, "a port number"), 0;
	*n = (long long)v->valuedouble;
	return 1;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
rules_add(struct rules *r, struct jw *line)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	jw_raw(line, "", 1);
	r->v[r->n++] = xstrdup(line->buf);
	line->len = 0;
}

/* Sorted, each once. */
void
rules_sort(struct rules *r)
{
	size_t i, k = 0;

	if (r->n == 0)
		return;
	qsort(r->v, r->n, sizeof(*r->v), cmp_str);
	for (i = 1; i < r->n; i++) {
		if (strcmp(r->v[i], r->v[k]) == 0)
			free(r->v[i]);
		else
			r->v[++k] = r->v[i];
	}
	r->n = k + 1;
}

void
rules_free(struct rules *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i]);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* "  # ---- HEADING ----" then the rules, sorted, each once. */
void
rules_put(struct jw *w, struct rules *r, const char *heading)
{
	size_t i;

	if (r->n == 0)
		return;
	rules_sort(r);
	jw_printf(w, "\n  # ---- %s ----\n", heading);
	for (i = 0; i < r->n; i++)	/* a comment takes no comma */
		jw_printf(w, "  %s%s\n", r->v[i], r->v[i][0] == '#' ? "" : ",");
	rules_free(r);
}
