/*
 * The model as an ArmorProfileModel that vArmor's CRD takes whole: only
 * what the release declares, with data.profile filled in (the AppArmor
 * profile text and the seccomp JSON: plain, or base64 for 0.7) and
 * storageType CRDInternal, so vArmor reads the object and no stale file.
 *
 * What the CRD has no field for stays in the profiles and is named on
 * stderr.  vArmor loads one profile per workload: its name is the one
 * profile listed, children and other labels folded into it; file
 * permissions are vArmor's mrwalk (an exec is an execution).
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "util.h"

struct copy {
	struct model	*to;
	int		 release;
	enum section	 as;		/* the section it goes to */
};

/* An entry with only the fields the release declares. */
static void
copy_entry(const struct ent *e, void *arg)
{
	const struct copy *c = arg;
	const struct field *f = sections[e->sec].f;
	struct obs o;
	size_t k;
	int i;

	obs_clear(&o, c->as);
	o.val[0] = e->e->val[0];
	o.owner = e->e->owner;
	for (i = 0; i < MAXFIELDS && f[i].name != NULL; i++) {
		const struct sset *ss = &e->e->set[set_slot(e->sec, i)];

		o.val[i] = f[i].crd & c->release ? e->e->val[i] : NULL;
		if (!is_set_role(f[i].role) || !(f[i].crd & c->release))
			continue;
		for (k = 0; k < ss->n; k++) {
			if (o.set[set_slot(e->sec, i)].n == MAXELEMS) {
				model_add(c->to, &o);	/* a union: in parts */
				o.set[set_slot(e->sec, i)].n = 0;
			}
			if (strcmp(ss->s[k], "x") != 0 || (e->sec != S_FILES &&
			    e->sec != S_BPF_FILES))
				obs_set_add(&o, i, ss->s[k], strlen(ss->s[k]));
		}
	}
	if ((e->sec == S_FILES || e->sec == S_BPF_FILES) && o.set[0].n == 0)
		return;		/* exec only: in executions */
	model_add(c->to, &o);
}

/* vArmor's egresses, {ip, ports}, from the endpoints a task talked to. */
static void
egress_of(const struct ent *e, void *arg)
{
	const struct copy *c = arg;
	const char *domain = ent_str(e, "domain"), *ip = ent_str(e, "peerAddr");
	const char *port = ent_str(e, "peerPort");
	struct obs o;

	if (ip == NULL || domain == NULL || (strcmp(domain, "inet") != 0 &&
	    strcmp(domain, "inet6") != 0))
		return;
	obs_clear(&o, S_EGRESSES);
	o.val[field_index(S_EGRESSES, "ip")] = ip;
	if (port != NULL)
		obs_set_add(&o, field_index(S_EGRESSES, "ports"), port,
		    strlen(port));
	model_add(c->to, &o);
}

/* The other profile names the model holds, folded into name. */
static void
fold_profiles(struct model *m, const char *name)
{
	struct entry *const *all;
	size_t n = model_entries(m, S_PROFILES, &all), i, others = 0;

	for (i = 0; i < n; i++)
		others += strcmp(all[i]->val[0], name) != 0;
	if (others > 0)
		warnx("--varmor: %zu other profile name%s (children, other "
		    "labels) folded into %s, as vArmor loads one profile", others,
		    others == 1 ? "" : "s", name);
}

static struct model *
export_model(struct model *m, const char *name, int release)
{
	struct copy c = { model_new(), release, S_PROFILES };
	struct obs o;
	int s;

	for (s = 0; s < NSECTIONS; s++) {
		if (s == S_PROFILES || !(sections[s].crd & release))
			continue;
		c.as = (enum section)s;
		ent_each(m, (enum section)s, copy_entry, &c);
	}
	if (sections[S_EGRESSES].crd & release)
		ent_each(m, S_ENDPOINTS, egress_of, &c);
	obs_clear(&o, S_PROFILES);
	o.val[0] = name;
	model_add(c.to, &o);
	fold_profiles(m, name);
	return c.to;
}

/* Which sections stayed out of data.dynamicResult, on stderr. */
static void
say_left_out(struct model *m, int release)
{
	struct view v = { release, 0 };
	struct jw list = { 0 };
	int s;

	for (s = 0; s < NSECTIONS; s++) {
		if (!model_section_left_out(m, &v, (enum section)s))
			continue;
		jw_printf(&list, "%s%s.%s%s%s", list.len ? ", " : "",
		    sections[s].group, sections[s].parent ? sections[s].parent :
		    "", sections[s].parent ? "." : "", sections[s].name);
	}
	if (list.len > 0) {
		jw_raw(&list, "", 1);
		warnx("--varmor: not in vArmor's data.dynamicResult, which has no "
		    "field for them (the profiles carry what they allow): %s",
		    list.buf);
	}
	free(list.buf);
}

static char *
base64(const char *s, size_t n)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	char *out = xmalloc(4 * ((n + 2) / 3) + 1), *o = out;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		*o++ = b64[p[i] >> 2];
		*o++ = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		*o++ = b64[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		*o++ = b64[p[i + 2] & 63];
	}
	if (i < n) {
		*o++ = b64[p[i] >> 2];
		*o++ = b64[((p[i] & 3) << 4) | (i + 1 < n ? p[i + 1] >> 4 : 0)];
		*o++ = i + 1 < n ? b64[(p[i + 1] & 15) << 2] : '=';
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

/* ,"KEY":"TEXT": 0.7 stored the profiles base64, later releases plain. */
static void
put_text(struct jw *w, const char *key, const struct jw *text, int release)
{
	char *b;

	jw_printf(w, ",\"%s\":", key);
	if (release != R_07) {
		jw_str(w, text->buf, text->len);
		return;
	}
	b = base64(text->buf, text->len);
	jw_str(w, b, strlen(b));
	free(b);
}

static void
put_profile(struct jw *w, struct model *m, const char *name, int release,
    const struct opts *o)
{
	struct jw aa = { 0 }, sc = { 0 };
	int seccomp = has_entries(m, S_SYSCALLS);

	jw_raw(w, ",\"profile\":{\"name\":", 19);
	jw_str(w, name, strlen(name));
	jw_printf(w, ",\"enforcer\":\"%s\",\"mode\":\"enforce\"",
	    seccomp ? "AppArmorSeccomp" : "AppArmor");
	apparmor_profile(&aa, m, name, o);
	put_text(w, release == R_CURRENT ? "appArmor" : "content", &aa,
	    release);
	if (seccomp) {
		seccomp_profile(&sc, m, o);
		sc.len--;		/* its newline */
		put_text(w, release == R_CURRENT ? "seccomp" : "seccompContent",
		    &sc, release);
	}
	jw_raw(w, "}", 1);
	free(aa.buf);
	free(sc.buf);
}

void
varmor_model(struct jw *w, struct model *m, const char *name,
    const char *namespace, int release, const struct opts *o)
{
	size_t kids = model_fold_children(m);
	struct model *x = export_model(m, name, release);
	struct view v = { release, 0 };

	if (kids > 0)
		warnx("--varmor: %zu child%s (programs run under null- "
		    "profiles) folded into %s, as vArmor loads one profile",
		    kids, kids == 1 ? "" : "ren", name);
	say_left_out(m, release);
	jw_printf(w, "{\"apiVersion\":\"crd.varmor.org/v1beta1\","
	    "\"kind\":\"ArmorProfileModel\",\"metadata\":{\"name\":");
	jw_str(w, name, strlen(name));
	if (namespace != NULL) {
		jw_raw(w, ",\"namespace\":", 13);
		jw_str(w, namespace, strlen(namespace));
	}
	jw_printf(w, "},\"storageType\":\"CRDInternal\",\"data\":"
	    "{\"dynamicResult\":");
	model_put(w, x, &v);
	put_profile(w, m, name, release, o);
	jw_printf(w, "}}\n");
	model_free(x);
}
