/* Lists of names: vArmor's matching, and reading them. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "advise.h"
#include "util.h"

/* vArmor's has_common_item: a * in the first list matches anything. */
const char *
first_common(const struct strs *a, const struct strs *b)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], "*") == 0 || in_strs(b, a->v[i]))
			return a->v[i];
	return NULL;
}

int
has_common(const struct strs *a, const struct strs *b)
{
	return first_common(a, b) != NULL;
}

int
in_strs(const struct strs *s, const char *v)
{
	return s->v != NULL && str_in(s->v, v);
}

/* "AppArmor,BPF" from the command line: lower case, as vArmor reads it. */
void
strs_split(struct strs *s, const char *commas)
{
	char **v = split_list(commas), **p, *c;

	memset(s, 0, sizeof(*s));
	s->given = 1;
	for (p = v; p != NULL && *p != NULL; p++, s->n++)
		for (c = *p; *c != '\0'; c++)
			*c = (char)tolower((unsigned char)*c);
	s->v = (const char **)v;
	s->owned = 1;
}

/* Append the strings of a JSON list; 0 when it is not one. */
int
strs_take(struct strs *s, cJSON *list, int basename)
{
	cJSON *e;

	s->given = 1;
	if (!cJSON_IsArray(list))
		return 0;
	cJSON_ArrayForEach(e, list) {
		const char *v, *slash;

		if (!cJSON_IsString(e))
			return 0;
		v = e->valuestring;
		if (basename && (slash = strrchr(v, '/')) != NULL)
			v = slash + 1;
		strs_add(s, v);
	}
	return 1;
}

/* The list grows geometrically: a model's lists can be long. */
void
strs_add(struct strs *s, const char *v)
{
	s->v = xgrow(s->v, &s->cap, s->n + 2, sizeof(*s->v), 8);
	s->v[s->n++] = v;
	s->v[s->n] = NULL;
}

void
strs_free(struct strs *s)
{
	if (s->owned)
		free_list((char **)s->v);
	else
		free(s->v);
	memset(s, 0, sizeof(*s));
}
