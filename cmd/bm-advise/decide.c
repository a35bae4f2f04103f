/*
 * The decisions of vArmor's policy advisor, rule by rule, with the
 * reason for each: the enforcer, the context (features and capabilities
 * given, and those the model implies), then the model's capabilities,
 * syscalls, executions and files, and beyond vArmor its mounts.
 *
 * Like the advisor, a rule's model check stops at the first kind of
 * conflict it lists (capabilities, syscalls, executions, files, in that
 * order) unless --infer asks for all of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "advise.h"
#include "jsonw.h"
#include "out.h"
#include "util.h"

struct verdict {
	int		 skip;
	const char	*check;		/* what decided a skip */
	char		 value[512];
	char		 reason[1600];
};

struct policy {
	struct strs	 hardening, attack, vuln;
	int		 any;
};

static int
skip(struct verdict *v, const char *check, const char *value,
    const char *fmt, const char *a, const char *b)
{
	v->skip = 1;
	v->check = check;
	snprintf(v->value, sizeof(v->value), "%s", value);
	snprintf(v->reason, sizeof(v->reason), fmt, a ? a : "", b ? b : "");
	return 1;
}

static void
join(char *buf, size_t n, const struct strs *s)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < s->n && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s",
		    i ? ", " : "", s->v[i]);
}

/* Why a feature is on: given with -f, or implied by the model. */
static const char *
feature_why(const struct context *c, const struct facts *f,
    const char *feature)
{
	int i;

	if (in_strs(&c->features, feature))
		return "given with -f";
	if (strcmp(feature, "mount-sth") == 0 && f->mount_why)
		return f->mount_why;
	if (strcmp(feature, "umount-sth") == 0 && f->umount_why)
		return f->umount_why;
	for (i = 0; i < f->ninfer; i++)
		if (strcmp(feature, f->infer_features[i]) == 0)
			return f->infer_why[i];
	return "given with -f";
}

static int
context_skip(const struct rule *r, const struct context *c,
    const struct facts *f, const struct strs *features, struct verdict *v)
{
	char list[400], list2[400];
	const char *hit;

	if (!has_common(&c->enforcers, &r->enforcers)) {
		join(list, sizeof(list), &r->enforcers);
		return skip(v, "enforcer", list, "needs enforcer %s%s", list,
		    NULL);
	}
	if ((hit = first_common(&r->features, features)) != NULL)
		return skip(v, "feature", hit, "conflicts with feature %s: %s",
		    hit, strcmp(hit, "*") == 0 ? "with every workload" :
		    feature_why(c, f, hit));
	if ((hit = first_common(&r->capabilities, &c->capabilities)) != NULL)
		return skip(v, "capability", hit, "conflicts with capability "
		    "%s, given with -c%s", hit, NULL);
	if (!r->applicable)
		return 0;
	if ((hit = first_common(&r->app_features, features)) != NULL) {
		if (strcmp(hit, "*") == 0)
			snprintf(v->reason, sizeof(v->reason), "applies to "
			    "every workload");
		else
			snprintf(v->reason, sizeof(v->reason), "applies with "
			    "feature %s: %s", hit, feature_why(c, f, hit));
		return 0;
	}
	if ((hit = first_common(&r->app_capabilities, &c->capabilities))) {
		snprintf(v->reason, sizeof(v->reason), "applies with "
		    "capability %s, given with -c", hit);
		return 0;
	}
	join(list, sizeof(list), &r->app_features);
	join(list2, sizeof(list2), &r->app_capabilities);
	snprintf(v->reason, sizeof(v->reason), "applies only with feature "
	    "(%s)%s%s%s", list, list2[0] ? " or capability (" : "", list2,
	    list2[0] ? ")" : "");
	v->skip = 1;
	v->check = "applicable";
	snprintf(v->value, sizeof(v->value), "%s", list);
	return 1;
}

static const char *
file_conflict(const struct rule *r, const struct facts *f, const char **perm)
{
	size_t i, j;

	for (i = 0; i < f->nfiles; i++)
		for (j = 0; j < r->nfiles; j++)
			if (regexec(&r->files[j].re, f->files[i].path, 0, NULL,
			    0) == 0 && (*perm = first_common(&r->files[j].perms,
			    &f->files[i].perms)) != NULL)
				return f->files[i].path;
	return NULL;
}

static int
mount_matches(const struct mount_check *c, const struct mmount *m)
{
	if (c->operation && strcmp(c->operation, m->operation) != 0)
		return 0;
	if (c->fstypes.given && !(in_strs(&c->fstypes, "*") ||
	    (m->type && in_strs(&c->fstypes, m->type))))
		return 0;
	if (c->flags.given && !has_common(&c->flags, &m->flags))
		return 0;
	if (c->has_source && (m->source == NULL ||
	    regexec(&c->source, m->source, 0, NULL, 0) != 0))
		return 0;
	if (c->has_path && (m->path == NULL ||
	    regexec(&c->path, m->path, 0, NULL, 0) != 0))
		return 0;
	return 1;
}

static int
mount_skip(const struct rule *r, const struct facts *f, struct verdict *v)
{
	size_t i, j;

	for (i = 0; i < f->nmounts; i++)
		for (j = 0; j < r->nmounts; j++) {
			const struct mmount *m = &f->mounts[i];
			char *why;

			if (!mount_matches(&r->mounts[j], m))
				continue;
			why = mount_sentence(m);
			skip(v, "mount", m->path ? m->path : "", "%s%s", why,
			    NULL);
			free(why);
			return 1;
		}
	return 0;
}

static int
model_skip(const struct rule *r, const struct context *c,
    const struct facts *f, struct verdict *v)
{
	const char *hit, *perm;

	if (r->capabilities.given) {
		if ((hit = first_common(&r->capabilities, &f->capabilities)))
			return skip(v, "capability", hit, "the model uses "
			    "capability %s%s", hit, NULL);
		if (!c->infer)
			return mount_skip(r, f, v);
	}
	if (r->syscalls.given) {
		if ((hit = first_common(&r->syscalls, &f->syscalls)))
			return skip(v, "syscall", hit, "the model calls %s(2)%s",
			    hit, NULL);
		if (!c->infer)
			return mount_skip(r, f, v);
	}
	if (r->executions.given) {
		if ((hit = first_common(&r->executions, &f->executions)))
			return skip(v, "execution", hit, "the model executes "
			    "%s%s", hit, NULL);
		if (!c->infer)
			return mount_skip(r, f, v);
	}
	if (r->files_given && (hit = file_conflict(r, f, &perm)) != NULL)
		return skip(v, "file", hit, "the model accesses %s with %s",
		    hit, perm);
	return mount_skip(r, f, v);
}

static void
decide(const struct rule *r, const struct context *c, const struct facts *f,
    const struct strs *features, struct verdict *v)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->reason, sizeof(v->reason), "nothing conflicts");
	if (!context_skip(r, c, f, features, v))
		model_skip(r, c, f, v);
}

static void
emit(const struct rule *r, const struct verdict *v)
{
	struct jw w = { 0 };
	const char *cat = category_names[r->cat];

	jw_begin(&w);
	jw_key_plain(&w, "id", 2);
	jw_str(&w, r->id, strlen(r->id));
	jw_key_plain(&w, "category", 8);
	jw_str(&w, cat, strlen(cat));
	jw_key_plain(&w, "decision", 8);
	jw_str(&w, v->skip ? "skip" : "recommend", v->skip ? 4 : 9);
	if (v->skip) {
		jw_key_plain(&w, "check", 5);
		jw_str(&w, v->check, strlen(v->check));
		jw_key_plain(&w, "value", 5);
		jw_str(&w, v->value, strlen(v->value));
	}
	jw_key_plain(&w, "reason", 6);
	jw_str(&w, v->reason, strlen(v->reason));
	jw_end(&w);
	free(w.buf);
}

static void
take(struct policy *p, const struct rule *r)
{
	p->any = 1;
	if (r->cat == C_LEAK || r->cat == C_SENSITIVE)
		strs_add(&p->attack, r->id);
	else if (r->cat == C_VULN)
		strs_add(&p->vuln, r->id);
	else
		strs_add(&p->hardening, r->id);
}

/*
 * Capabilities: none for a privileged container or dind; else the
 * first capability set that fits, or failing one, rule by rule.
 */
static const char *
capabilities(const struct catalog *cat, const struct context *c,
    const struct facts *f, const struct strs *features, struct policy *p,
    int policy)
{
	static const char *priv_v[] = { "privileged-container", "dind", NULL };
	static const struct strs priv = { priv_v, 2, 0, 1, 0 };
	const char *chosen = NULL, *hit = first_common(&priv, features);
	struct verdict v;
	size_t i;
	int k;

	for (k = C_CAPSET; k <= C_CAP; k++)
		for (i = 0; i < cat->n; i++) {
			const struct rule *r = &cat->rules[i];

			if (r->cat != (enum category)k)
				continue;
			memset(&v, 0, sizeof(v));
			if (hit != NULL)
				skip(&v, "feature", hit, "no capability rule with "
				    "feature %s, as vArmor's advisor%s", hit, NULL);
			else if (chosen != NULL)
				skip(&v, "capability_set", chosen, "capability set "
				    "%s is recommended%s", chosen, NULL);
			else
				decide(r, c, f, features, &v);
			if (!v.skip) {
				take(p, r);
				if (k == C_CAPSET)
					chosen = r->id;
			}
			if (!policy)
				emit(r, &v);
		}
	return chosen;
}

/* vArmor's policy template: .spec.policy of a VarmorPolicy. */
static void
put_policy(const struct policy *p, const struct context *c,
    const struct strs *features)
{
	static const char *const names[][2] = { { "apparmor", "AppArmor" },
	    { "bpf", "BPF" }, { "seccomp", "Seccomp" } };
	struct jw w = { 0 };
	char enforcer[32] = "";
	size_t i;

	for (i = 0; p->any && i < 3; i++)
		if (in_strs(&c->enforcers, names[i][0]))
			strcat(enforcer, names[i][1]);
	jw_begin(&w);
	jw_key_plain(&w, "enforcer", 8);
	jw_str(&w, enforcer, strlen(enforcer));
	jw_printf(&w, ",\"mode\":\"EnhanceProtect\",\"enhanceProtect\":"
	    "{\"privileged\":%s,\"hardeningRules\":",
	    in_strs(features, "privileged-container") ? "true" : "false");
	jw_strings(&w, p->hardening.v, p->hardening.n);
	jw_printf(&w, ",\"attackProtectionRules\":[{\"rules\":");
	jw_strings(&w, p->attack.v, p->attack.n);
	jw_printf(&w, ",\"targets\":[]}],\"vulMitigationRules\":");
	jw_strings(&w, p->vuln.v, p->vuln.n);
	jw_raw(&w, "}", 1);
	jw_end(&w);
	free(w.buf);
}

void
advise(const struct catalog *cat, const struct facts *f,
    const struct context *c, int policy)
{
	struct policy p;
	struct strs features = c->features;

	features.owned = 0;
	struct verdict v;
	size_t i;
	int k;

	memset(&p, 0, sizeof(p));
	features.v = xcalloc(c->features.n + 3 + (size_t)f->ninfer,
	    sizeof(*features.v));		/* NULL-terminated */
	if (c->features.n > 0)
		memcpy(features.v, c->features.v, c->features.n *
		    sizeof(*features.v));
	if (f->mount_why && !in_strs(&features, "mount-sth"))
		features.v[features.n++] = "mount-sth";
	if (f->umount_why && !in_strs(&features, "umount-sth"))
		features.v[features.n++] = "umount-sth";
	for (k = 0; k < f->ninfer; k++)
		if (!in_strs(&features, f->infer_features[k]))
			features.v[features.n++] = f->infer_features[k];
	for (k = 0; k < NCATEGORIES; k++) {
		if (k == C_CAPSET) {
			capabilities(cat, c, f, &features, &p, policy);
			k = C_CAP;
			continue;
		}
		for (i = 0; i < cat->n; i++) {
			const struct rule *r = &cat->rules[i];

			if (r->cat != (enum category)k)
				continue;
			if (k == C_SENSITIVE && !f->have_model)
				skip(&v, "model", "", "only with a model, as "
				    "vArmor's advisor%s%s", NULL, NULL);
			else
				decide(r, c, f, &features, &v);
			if (!v.skip)
				take(&p, r);
			if (!policy)
				emit(r, &v);
		}
	}
	if (policy)
		put_policy(&p, c, &features);
	free(features.v);
	free(p.hardening.v);
	free(p.attack.v);
	free(p.vuln.v);
}
