/*
 * The model with data.profile filled in, ready for kubectl apply:
 * name, enforcer, mode and the two profiles as vArmor stores them now
 * (appArmor: the profile text, seccomp: the JSON as a string) or, with
 * --varmor-legacy, as releases up to 0.7 did (content, seccompContent,
 * both base64).
 */
#include <stdlib.h>
#include <string.h>

#include "jsoncj.h"
#include "profile.h"
#include "util.h"

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

static void
add_text(cJSON *profile, const char *key, struct jw *text, int legacy)
{
	char *s;

	if (legacy) {
		s = base64(text->buf, text->len);
		cJSON_AddStringToObject(profile, key, s);
		free(s);
		return;
	}
	jw_raw(text, "", 1);
	cJSON_AddStringToObject(profile, key, text->buf);
}

void
varmor_model(struct jw *w, const struct model *m, const char *name,
    int legacy)
{
	cJSON *root = cJSON_Duplicate(m->root, 1), *data, *profile;
	struct jw aa = { NULL, 0, 0, 0 }, sc = { NULL, 0, 0, 0 };
	int seccomp = model_has_syscalls(m, 1);

	if (root == NULL)
		abort();
	if (!cJSON_IsObject(data = cJSON_GetObjectItemCaseSensitive(root,
	    "data"))) {
		cJSON_DeleteItemFromObjectCaseSensitive(root, "data");
		data = cJSON_AddObjectToObject(root, "data");
	}
	cJSON_DeleteItemFromObjectCaseSensitive(data, "profile");
	profile = cJSON_AddObjectToObject(data, "profile");
	cJSON_AddStringToObject(profile, "name", name);
	cJSON_AddStringToObject(profile, "enforcer",
	    seccomp ? "AppArmorSeccomp" : "AppArmor");
	cJSON_AddStringToObject(profile, "mode", "DefenseInDepth");
	apparmor_profile(&aa, m, 1, name);
	add_text(profile, legacy ? "content" : "appArmor", &aa, legacy);
	if (seccomp) {
		seccomp_profile(&sc, m, 1);
		sc.len--;		/* its newline */
		add_text(profile, legacy ? "seccompContent" : "seccomp", &sc,
		    legacy);
	}
	jw_cjson(w, root);
	jw_raw(w, "\n", 1);
	cJSON_Delete(root);
	free(aa.buf);
	free(sc.buf);
}
