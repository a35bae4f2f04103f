#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jsoncj.h"

static void
put_number(struct jw *w, double d)
{
	char num[32];
	int n;

	if (!isfinite(d))
		n = snprintf(num, sizeof(num), "null");
	else if (d == floor(d) && fabs(d) < 9e15)
		n = snprintf(num, sizeof(num), "%.0f", d);
	else
		n = snprintf(num, sizeof(num), "%.17g", d);
	jw_raw(w, num, (size_t)n);
}

cJSON *
model_group(const cJSON *model, const char *group)
{
	cJSON *dr = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(model, "data"), "dynamicResult");
	cJSON *g = cJSON_GetObjectItemCaseSensitive(dr, group);

	if (g == NULL && strcmp(group, "apparmor") == 0)
		g = cJSON_GetObjectItemCaseSensitive(dr, "appArmor");
	return g;
}

void
jw_cjson(struct jw *w, const cJSON *v)
{
	const cJSON *c;
	int first = 1;

	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		jw_raw(w, cJSON_IsObject(v) ? "{" : "[", 1);
		for (c = v->child; c != NULL; c = c->next, first = 0) {
			if (!first)
				jw_raw(w, ",", 1);
			if (cJSON_IsObject(v)) {
				jw_str(w, c->string, strlen(c->string));
				jw_raw(w, ":", 1);
			}
			jw_cjson(w, c);
		}
		jw_raw(w, cJSON_IsObject(v) ? "}" : "]", 1);
	} else if (cJSON_IsString(v))
		jw_str(w, v->valuestring, strlen(v->valuestring));
	else if (cJSON_IsNumber(v))
		put_number(w, v->valuedouble);
	else if (cJSON_IsTrue(v))
		jw_raw(w, "true", 4);
	else if (cJSON_IsFalse(v))
		jw_raw(w, "false", 5);
	else
		jw_raw(w, "null", 4);
}
