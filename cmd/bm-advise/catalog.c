/*
 * A rule catalog in the schema of vArmor's built-in-rules.json: an
 * object of categories, each a list of rules with id, enforcers, and
 * optional conflicts (features, capabilities, syscalls, executions,
 * files, and our mounts) and applicable (features, capabilities).  A
 * catalog that is not that is refused whole: the advice would be wrong.
 */
#include <err.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advise.h"
#include "hash.h"
#include "jsonin.h"
#include "util.h"

const char *const category_names[NCATEGORIES] = {
	"escape_pattern", "capability_set", "capability",
	"blocking_exploit_vectors", "information_leak",
	"sensitive_operations", "vulnerability_mitigation"
};

/*
 * Where the reading is, and where a fault goes: bad() writes the message
 * and jumps back to catalog_read, which frees what was read.
 */
struct where {
	const char	*file;
	const char	*id;		/* the rule's, once known */
	char		 path[128];	/* category[3].conflicts.files[0] */
	struct htab	 ids;		/* of the rules so far */
	char		*msg;
	size_t		 msgsize;
	jmp_buf		 fault;
};

static void __attribute__((noreturn, format(printf, 2, 3)))
bad(struct where *w, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w->id != NULL)
		snprintf(w->msg, w->msgsize, "%s: rule %s: %s", w->file,
		    w->id, msg);
	else
		snprintf(w->msg, w->msgsize, "%s: %s: %s", w->file, w->path,
		    msg);
	longjmp(w->fault, 1);
}

/* A list of strings, or absent; given tells the key was there. */
static void
get_strs_at(struct where *w, cJSON *obj, const char *at,
    const char *key, struct strs *s)
{
	cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, key);

	memset(s, 0, sizeof(*s));
	if (a != NULL && !strs_take(s, a, 0))
		bad(w, "%s%s%s: expected a list of strings", at ? at : "",
		    at ? "." : "", key);
}

static void
get_strs(struct where *w, cJSON *obj, const char *key, struct strs *s)
{
	get_strs_at(w, obj, NULL, key, s);
}

#define RE_MAX	1000	/* Go's regexp: repeat count, nesting */

/* A number of a bound, held at RE_MAX + 1 once over. */
static unsigned long
count(const char **sp, int *digits)
{
	unsigned long n = 0;

	for (*digits = 0; **sp >= '0' && **sp <= '9'; (*sp)++, (*digits)++)
		if (n <= RE_MAX)
			n = 10 * n + (unsigned long)(**sp - '0');
	return n > RE_MAX ? RE_MAX + 1 : n;
}

/* {N}, {N,}, {,M} or {N,M} at *sp: how many copies regcomp makes; 0: none. */
static unsigned long
bound(const char **sp)
{
	const char *s = *sp + 1;
	unsigned long n, m;
	int digits, mdigits = 0;

	n = m = count(&s, &digits);
	if (*s == ',') {
		s++;
		m = count(&s, &mdigits);
		if (mdigits == 0)
			m = n + 1;	/* {N,}: N copies and a star */
	}
	if ((digits == 0 && mdigits == 0) || *s != '}')
		return 0;
	*sp = s;
	return m > n ? m : n > 0 ? n : 1;
}

/*
 * glibc's regcomp expands repetitions, so stacked or nested ones cost it
 * time and memory exponential in their number: "d" and 24 "+" took a
 * minute, "x", 40 "?" and "+++" a second.  So, as Go's regexp (which
 * vArmor's rules are written for) does, a repetition operator right
 * after another is refused, but for one "?" (Go's lazy form), and so is
 * one with nothing to repeat; a repeat count over 1000, counted through
 * nested groups, and groups nested over 1000 deep are refused too.
 */
static const char *
too_costly(const char *s)
{
	unsigned long inner[RE_MAX + 1], last = 1, f;
	int depth = 0, after = 0;	/* 0: start, 1: an atom, 2: an operator, 3: lazy */

	inner[0] = 1;
	for (; *s != '\0'; s++) {
		f = 0;
		switch (*s) {
		case '\\':
			if (s[1] != '\0')
				s++;
			last = 1;
			break;
		case '[':	/* to its ], which may come first: []a] [^]a] */
			s += s[1] == '^' ? 2 : 1;
			if (*s == ']')
				s++;
			while (*s != '\0' && *s != ']')
				s += s[0] == '[' && (s[1] == ':' || s[1] == '.' ||
				    s[1] == '=') && strchr(s + 2, ']') ?
				    strchr(s + 2, ']') - s + 1 : 1;
			if (*s == '\0')
				return NULL;	/* regcomp says what is wrong */
			last = 1;
			break;
		case '(':
			if (depth == RE_MAX)
				return "groups nested over 1000 deep";
			inner[++depth] = 1;
			after = 0;
			continue;
		case ')':
			last = depth > 0 ? inner[depth--] : 1;
			break;
		case '|':
			after = 0;
			continue;
		case '+':
			f = 2;
			break;
		case '*':
		case '?':
			f = 1;
			break;
		case '{':
			if ((f = bound(&s)) == 0)
				last = 1;
			break;
		default:
			last = 1;
		}
		if (f == 0) {
			after = 1;
		} else if (after == 2 && *s == '?') {
			after = 3;	/* x+? */
			continue;
		} else if (after != 1) {
			return after == 0 ? "missing argument to repetition "
			    "operator" : "nested repetition operator";
		} else {
			after = 2;
			if ((last *= f) > RE_MAX)
				return "repeat count over 1000, counted "
				    "through nested groups";
		}
		if (last > inner[depth])
			inner[depth] = last;
	}
	return NULL;
}

static void
get_regex(struct where *w, cJSON *obj, const char *at, const char *key,
    regex_t *re, int *has)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	const char *why;
	char msg[160];
	int rc;

	*has = 0;
	if (v == NULL)
		return;
	if (!cJSON_IsString(v))
		bad(w, "%s.%s: expected a string", at, key);
	if ((why = too_costly(v->valuestring)) != NULL)
		bad(w, "%s.%s: regex \"%s\" refused: %s", at, key,
		    v->valuestring, why);
	if ((rc = regcomp(re, v->valuestring, REG_EXTENDED | REG_NOSUB)) != 0) {
		regerror(rc, re, msg, sizeof(msg));
		bad(w, "%s.%s: bad regex \"%s\": %s", at, key, v->valuestring,
		    msg);
	}
	*has = 1;	/* now there is a regex to free */
}

/* Only these keys; anything else is a check this tool would not make. */
static void
only_keys(struct where *w, cJSON *obj, const char *what,
    const char *const *keys)
{
	cJSON *k;
	const char *const *p;

	if (!cJSON_IsObject(obj))
		bad(w, "%s: expected an object", what);
	cJSON_ArrayForEach(k, obj) {
		for (p = keys; *p != NULL; p++)
			if (strcmp(*p, k->string) == 0)
				break;
		if (*p == NULL)
			bad(w, "%s.%s: unknown %s", what, k->string,
			    strcmp(what, "rule") == 0 ? "key" : "check kind");
	}
}

static void
file_checks(struct where *w, cJSON *files, struct rule *r)
{
	static const char *const keys[] = { "path_regex", "permissions", NULL };
	cJSON *f;
	size_t i = 0;
	int has;

	if (files == NULL)
		return;
	if (!cJSON_IsArray(files))
		bad(w, "conflicts.files: expected a list");
	r->files_given = 1;
	r->files = xcalloc((size_t)cJSON_GetArraySize(files) + 1,
	    sizeof(*r->files));
	cJSON_ArrayForEach(f, files) {
		char at[48];

		snprintf(at, sizeof(at), "conflicts.files[%zu]", i);
		only_keys(w, f, at, keys);
		get_regex(w, f, at, "path_regex", &r->files[i].re, &has);
		if (!has)
			bad(w, "%s: no path_regex", at);
		r->nfiles = ++i;
		get_strs_at(w, f, at, "permissions", &r->files[i - 1].perms);
	}
}

static void
mount_checks(struct where *w, cJSON *mounts, struct rule *r)
{
	static const char *const keys[] = { "operation", "fstype",
	    "source_regex", "path_regex", "flags", NULL };
	cJSON *m, *op;
	size_t i = 0;

	if (mounts == NULL)
		return;
	if (!cJSON_IsArray(mounts))
		bad(w, "conflicts.mounts: expected a list");
	r->mounts = xcalloc((size_t)cJSON_GetArraySize(mounts) + 1,
	    sizeof(*r->mounts));
	cJSON_ArrayForEach(m, mounts) {
		struct mount_check *c = &r->mounts[i];
		char at[48];

		r->nmounts = i + 1;	/* zeroed: freed whole even if cut */
		snprintf(at, sizeof(at), "conflicts.mounts[%zu]", i);
		only_keys(w, m, at, keys);
		op = cJSON_GetObjectItemCaseSensitive(m, "operation");
		if (op != NULL && (!cJSON_IsString(op) || (strcmp(op->valuestring,
		    "mount") != 0 && strcmp(op->valuestring, "umount") != 0 &&
		    strcmp(op->valuestring, "pivot_root") != 0)))
			bad(w, "conflicts.mounts[%zu].operation: expected mount, "
			    "umount or pivot_root", i);
		c->operation = op ? op->valuestring : NULL;
		get_strs_at(w, m, at, "fstype", &c->fstypes);
		get_strs_at(w, m, at, "flags", &c->flags);
		get_regex(w, m, at, "source_regex", &c->source, &c->has_source);
		get_regex(w, m, at, "path_regex", &c->path, &c->has_path);
		i++;
	}
}

static void
rule_load(struct where *w, cJSON *v, struct rule *r)
{
	static const char *const rule_keys[] = { "id", "enforcers",
	    "conflicts", "applicable", "description", NULL };
	static const char *const conflict_keys[] = { "features",
	    "capabilities", "syscalls", "executions", "files", "mounts", NULL };
	static const char *const applicable_keys[] = { "features",
	    "capabilities", NULL };
	static const char *const enforcers[] = { "apparmor", "bpf", "seccomp",
	    "*", NULL };
	size_t i;
	cJSON *id = cJSON_GetObjectItemCaseSensitive(v, "id");
	cJSON *conflicts = cJSON_GetObjectItemCaseSensitive(v, "conflicts");
	cJSON *applicable = cJSON_GetObjectItemCaseSensitive(v, "applicable");

	if (!cJSON_IsObject(v))
		bad(w, "expected a rule object");
	if (!cJSON_IsString(id) || id->valuestring[0] == '\0')
		bad(w, "no \"id\"");
	w->id = r->id = id->valuestring;
	only_keys(w, v, "rule", rule_keys);
	get_strs(w, v, "enforcers", &r->enforcers);
	if (!r->enforcers.given)
		bad(w, "no \"enforcers\"");
	for (i = 0; i < r->enforcers.n; i++)
		if (!str_in(enforcers, r->enforcers.v[i]))
			bad(w, "enforcers: %s is not apparmor, bpf, seccomp or *",
			    r->enforcers.v[i]);
	if (conflicts != NULL) {
		only_keys(w, conflicts, "conflicts", conflict_keys);
		get_strs(w, conflicts, "features", &r->features);
		get_strs(w, conflicts, "capabilities", &r->capabilities);
		get_strs(w, conflicts, "syscalls", &r->syscalls);
		get_strs(w, conflicts, "executions", &r->executions);
		file_checks(w, cJSON_GetObjectItemCaseSensitive(conflicts,
		    "files"), r);
		mount_checks(w, cJSON_GetObjectItemCaseSensitive(conflicts,
		    "mounts"), r);
	}
	if (applicable != NULL) {
		only_keys(w, applicable, "applicable", applicable_keys);
		r->applicable = 1;
		get_strs(w, applicable, "features", &r->app_features);
		get_strs(w, applicable, "capabilities", &r->app_capabilities);
	}
	w->id = NULL;
}

static void
category_load(struct catalog *c, struct where *w, cJSON *cat)
{
	cJSON *v;
	int i = 0, k;

	for (k = 0; k < NCATEGORIES; k++)
		if (strcmp(cat->string, category_names[k]) == 0)
			break;
	snprintf(w->path, sizeof(w->path), "%s", cat->string);
	if (k == NCATEGORIES)
		bad(w, "unknown category");
	if (!cJSON_IsArray(cat))
		bad(w, "expected a list of rules");
	cJSON_ArrayForEach(v, cat) {
		struct rule *r;

		c->rules = xgrow(c->rules, &c->cap, c->n + 1, sizeof(*c->rules),
		    64);
		/* counted before it is read: a fault frees it too */
		r = memset(&c->rules[c->n++], 0, sizeof(*c->rules));
		r->cat = (enum category)k;
		snprintf(w->path, sizeof(w->path), "%s[%d]", cat->string, i++);
		rule_load(w, v, r);
		if (!htab_sadd(&w->ids, r->id, strlen(r->id), r))
			bad(w, "rule %s is there twice", r->id);
	}
}

/*
 * Read the catalog in root, which it then owns; -1 with the first fault
 * in msg, root and all freed.
 */
int
catalog_read(struct catalog *c, cJSON *root, const char *name, char *msg,
    size_t msgsize)
{
	struct where w;
	cJSON *cat;

	memset(c, 0, sizeof(*c));
	c->root = root;
	if (!cJSON_IsObject(root)) {
		snprintf(msg, msgsize, "%s: expected an object of categories",
		    name);
		catalog_free(c);
		return -1;
	}
	memset(&w, 0, sizeof(w));
	w.file = name;
	w.msg = msg;
	w.msgsize = msgsize;
	if (setjmp(w.fault) != 0) {
		htab_free(&w.ids);
		catalog_free(c);
		return -1;
	}
	cJSON_ArrayForEach(cat, root)
		category_load(c, &w, cat);
	htab_free(&w.ids);
	return 0;
}

void
catalog_load(struct catalog *c, const char *path)
{
	char msg[1024];
	cJSON *root = path ? ji_read_one(path, "catalog", "") :
	    cJSON_Parse(builtin_catalog);

	if (catalog_read(c, root, path ? path : "built-in catalog", msg,
	    sizeof(msg)) < 0)
		errx(EXIT_FATAL, "%s", msg);
}

void
catalog_free(struct catalog *c)
{
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		struct rule *r = &c->rules[i];

		strs_free(&r->enforcers);
		strs_free(&r->features);
		strs_free(&r->capabilities);
		strs_free(&r->syscalls);
		strs_free(&r->executions);
		strs_free(&r->app_features);
		strs_free(&r->app_capabilities);
		for (j = 0; j < r->nfiles; j++) {
			regfree(&r->files[j].re);
			strs_free(&r->files[j].perms);
		}
		for (j = 0; j < r->nmounts; j++) {
			if (r->mounts[j].has_source)
				regfree(&r->mounts[j].source);
			if (r->mounts[j].has_path)
				regfree(&r->mounts[j].path);
			strs_free(&r->mounts[j].fstypes);
			strs_free(&r->mounts[j].flags);
		}
		free(r->files);
		free(r->mounts);
	}
	free(c->rules);
	cJSON_Delete(c->root);
}
