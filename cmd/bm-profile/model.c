/*
 * Models in, folded into one as they are read (common/model/model.h), and the
 * folded entries out to the rule writers.  A name AppArmor or libseccomp
 * would not take is refused here, by its JSON path, with its entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonin.h"
#include "profile.h"
#include "util.h"

enum want { WORD, PORT, SYSCALL, ARCH };

static const struct {
	enum section	 sec;
	const char	*field;		/* NULL: a plain list's string */
	enum want	 want;
} checks[] = {
	{ S_CAPABILITIES, NULL, WORD }, { S_USERNS, NULL, WORD },
	{ S_SOCKETS, "domain", WORD }, { S_SOCKETS, "type", WORD },
	{ S_SOCKETS, "permissions", WORD },
	{ S_ENDPOINTS, "domain", WORD }, { S_ENDPOINTS, "type", WORD },
	{ S_ENDPOINTS, "permissions", WORD }, { S_ENDPOINTS, "port", PORT },
	{ S_ENDPOINTS, "peerPort", PORT },
	{ S_UNIX, "type", WORD }, { S_UNIX, "permissions", WORD },
	{ S_PTRACES, "permissions", WORD },
	{ S_SIGNALS, "permissions", WORD }, { S_SIGNALS, "signals", WORD },
	{ S_DBUS, "permissions", WORD },
	{ S_MQUEUES, "type", WORD }, { S_MQUEUES, "permissions", WORD },
	{ S_IO_URING, "permissions", WORD },
	{ S_MOUNTS, "flags", WORD }, { S_BPF_MOUNTS, "flags", WORD },
	{ S_SYSCALLS, NULL, SYSCALL }, { S_ARCHITECTURES, NULL, ARCH },
};

struct reading {
	struct model		*m;
	struct model_src	 src;
};

static int
fault(const struct model_src *src, const struct model_at *at,
    const char *field, const char *msg, const char *arg)
{
	char where[240], path[300];

	model_where(at, where, sizeof(where));
	snprintf(path, sizeof(path), "%s%s%s", where, field ? "." : "",
	    field ? field : "");
	model_bad(src, path, msg, arg);
	return 1;
}

static int
set_of_words(const struct obs_set *ss)
{
	char s[24];
	int k;

	for (k = 0; k < ss->n; k++) {
		snprintf(s, sizeof(s), "%.*s", (int)ss->len[k], ss->s[k]);
		if (ss->len[k] >= sizeof(s) || !is_word(s))
			return 0;
	}
	return 1;
}

/* The first fault of an observation, reported; 0 when there is none. */
static int
faulty(const struct model_src *src, const struct obs *o,
    const struct model_at *at)
{
	const char *field;
	size_t i;
	int f;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		if (checks[i].sec != o->sec)
			continue;
		field = checks[i].field;
		f = field ? field_index(o->sec, field) : 0;
		switch (checks[i].want) {
		case WORD:
			if (is_set_role(sections[o->sec].f[f].role)) {
				if (!set_of_words(&o->set[set_slot(o->sec, f)]))
					return fault(src, at, field, "expected "
					    "names of lower case letters, "
					    "digits, _, + and -%s", "");
			} else if (o->val[f] != NULL && !is_word(o->val[f]))
				return fault(src, at, field, "expected a name "
				    "of lower case letters, digits, _, + and "
				    "-%s", "");
			break;
		case PORT:
			if (o->val[f] != NULL && atol(o->val[f]) > 65535)
				return fault(src, at, field, "expected a port "
				    "number%s", "");
			break;
		case SYSCALL:
			if (!is_syscall_name(o->val[0]))
				return fault(src, at, NULL, "not a system call "
				    "name%s", "");
			break;
		case ARCH:
			if (scmp_arches(o->val[0]) == NULL)
				return fault(src, at, NULL, "architecture %s "
				    "not known; left out", o->val[0]);
			break;
		}
	}
	return 0;
}

static void
take(struct obs *o, const struct model_at *at, void *arg)
{
	struct reading *r = arg;

	if (!faulty(&r->src, o, at))
		model_add(r->m, o);
}

/*
 * Every model of path into m; the least metadata.name so far in *name,
 * so any order gives the same.  The number of models read.
 */
size_t
read_models(struct model *m, const char *path, char **name)
{
	struct reading r = { m, { path, 0, 0, 0 } };
	struct jsonin ji;
	const char *n;
	size_t count = 0;
	cJSON *v;

	if (ji_open(&ji, path) < 0) {
		bad_file(path);
		return 0;
	}
	while (ji_next(&ji, &v, &r.src.line)) {
		if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(v, "data"),
		    "dynamicResult"))) {
			bad_input(path, r.src.line, "not an ArmorProfileModel "
			    "with data.dynamicResult");
			continue;
		}
		if (model_read(v, &r.src, take, &r) < 0)
			continue;
		count++;
		if ((n = model_name_of(v)) != NULL && (*name == NULL ||
		    strcmp(n, *name) < 0)) {
			free(*name);
			*name = xstrdup(n);
		}
	}
	ji_close(&ji);
	return count;
}

/* The entry whose rules are being written, for their comment. */
static const struct entry	*current;

const struct entry *
ent_current(void)
{
	return current;
}

void
ent_each(struct model *m, enum section sec, ent_fn fn, void *arg)
{
	struct entry *const *all;
	size_t n = model_entries(m, sec, &all), i;
	struct ent e;

	e.sec = sec;
	for (i = 0; i < n; i++) {
		e.e = current = all[i];
		fn(&e, arg);
	}
	current = NULL;
}

int
has_entries(struct model *m, enum section sec)
{
	struct entry *const *all;

	return model_entries(m, sec, &all) > 0;
}

const char *
ent_str(const struct ent *e, const char *field)
{
	return entry_val(e->e, e->sec, field);
}

const struct sset *
ent_set(const struct ent *e, const char *field)
{
	return entry_set(e->e, e->sec, field);
}

int
ent_num(const struct ent *e, const char *field, long long *n)
{
	const char *v = ent_str(e, field);

	if (v == NULL)
		return 0;
	*n = atoll(v);
	return 1;
}
