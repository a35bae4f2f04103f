/*
 * Typed access to the members of an input value, the event being read
 * found by name in one pass, so that each field is had without a scan
 * of the object; a member of the wrong type is reported, not guessed.
 */
#include <math.h>
#include <string.h>

#include "hash.h"
#include "learn.h"
#include "util.h"

/*
 * The members of the event being read, by name, found in one pass:
 * each field is then had without a scan of the object.
 */
static struct htab	 members;
static cJSON		*indexed;	/* the event they are of */

void
index_members(cJSON *ev)
{
	cJSON *m;

	if (ev == NULL) {		/* the end: let go */
		htab_free(&members);
		indexed = NULL;
		return;
	}
	htab_clear(&members);
	cJSON_ArrayForEach(m, ev)	/* the first of a repeated name */
		htab_sadd(&members, m->string, strlen(m->string), m);
	indexed = ev;
}

cJSON *
event_member(cJSON *o, const char *name)
{
	if (o != indexed)
		return cJSON_GetObjectItemCaseSensitive(o, name);
	return htab_sget(&members, name, strlen(name));
}

const char *
get_str(cJSON *o, const char *name, const struct src *src, int *bad)
{
	cJSON *v = event_member(o, name);

	if (v == NULL || cJSON_IsNull(v))
		return NULL;
	if (cJSON_IsString(v))
		return v->valuestring;
	if (!*bad)
		bad_input(src->file, src->line,
		    "field \"%s\": expected a string", name);
	*bad = 1;
	return NULL;
}

/* 1 with *n set, 0 when absent. */
int
get_num(cJSON *o, const char *name, long long *n, const struct src *src,
    int *bad)
{
	cJSON *v = event_member(o, name);

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) &&
	    fabs(v->valuedouble) < 9.2e18) {
		*n = (long long)v->valuedouble;
		return 1;
	}
	if (!*bad)
		bad_input(src->file, src->line,
		    "field \"%s\": expected a whole number", name);
	*bad = 1;
	return 0;
}

