/*
 * APPROVED: a behaviour model (any shape vArmor or bm-merge writes, as
 * bm-merge reads it, --counts and pretty-printed included) or an OCI
 * runtime-spec seccomp profile, whose allowed names are its approved
 * system calls.  Anything wrong with it is fatal: a gate that reads
 * half its approval would pass what it should stop.
 */
#include <err.h>
#include <string.h>

#include "diff.h"
#include "jsonin.h"
#include "util.h"

static void
take(struct obs *o, const struct model_at *at, void *m)
{
	(void)at;
	model_add(m, o);
}

static int
allows(const cJSON *action)
{
	return cJSON_IsString(action) &&
	    (strcmp(action->valuestring, "SCMP_ACT_ALLOW") == 0 ||
	    strcmp(action->valuestring, "SCMP_ACT_LOG") == 0);
}

/* Rules with argument conditions count as allowing the name. */
static int
seccomp_read(struct model *m, const cJSON *v, const char *path)
{
	const cJSON *rules = cJSON_GetObjectItemCaseSensitive(v, "syscalls");
	const cJSON *rule, *names, *name;
	struct obs o;
	int i = 0;

	if (allows(cJSON_GetObjectItemCaseSensitive(v, "defaultAction")))
		return 3;
	if (rules != NULL && !cJSON_IsArray(rules))
		errx(EXIT_FATAL, "%s: syscalls: expected an array", path);
	cJSON_ArrayForEach(rule, rules) {
		names = cJSON_GetObjectItemCaseSensitive(rule, "names");
		if (!cJSON_IsArray(names))
			errx(EXIT_FATAL, "%s: syscalls[%d].names: expected an "
			    "array of strings", path, i);
		cJSON_ArrayForEach(name, names) {
			if (!cJSON_IsString(name))
				errx(EXIT_FATAL, "%s: syscalls[%d].names: "
				    "expected an array of strings", path, i);
			if (!allows(cJSON_GetObjectItemCaseSensitive(rule,
			    "action")))
				continue;
			obs_clear(&o, S_SYSCALLS);
			o.val[0] = name->valuestring;
			model_add(m, &o);
		}
		i++;
	}
	return 2;
}

/* Read in place, not copied: an approved model can be large. */
int
approved_read(struct model *m, const char *path)
{
	struct model_src src = { path, 0, 1, 0 };
	unsigned long bad = bad_input_count;
	struct jsonin ji;
	cJSON *v;
	int kind = 0;

	if (ji_open(&ji, path) < 0)
		err(EXIT_FATAL, "%s", path);
	while (ji_next(&ji, &v, &src.line)) {
		if (kind != 0)
			errx(EXIT_FATAL, "%s:%lu: one approved model or seccomp "
			    "profile only: merge them with bm-merge first", path,
			    src.line);
		if (cJSON_GetObjectItemCaseSensitive(v, "defaultAction") != NULL)
			kind = seccomp_read(m, v, path);
		else {
			model_read(v, &src, take, m);
			kind = 1;
		}
	}
	ji_close(&ji);
	if (kind == 0 || bad_input_count != bad)
		errx(EXIT_FATAL, "%s: not a JSON model or seccomp profile", path);
	return kind;
}
