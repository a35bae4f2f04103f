/*
 * Mount flags as AppArmor names them in a mount rule's options=( ):
 * lower case, propagation changes as make-*, a recursive bind as rbind.
 * The kernel's AppArmor audit always says rw or ro; so do we, whatever
 * the source, so both sources give the same entry for the same call.
 */
#include <string.h>

#include "learn.h"
#include "util.h"

/* AppArmor's audit names to its rule names. */
static const char *const audit_to_rule[][2] = {
	{ "private", "make-private" }, { "rprivate", "make-rprivate" },
	{ "slave", "make-slave" }, { "rslave", "make-rslave" },
	{ "shared", "make-shared" }, { "rshared", "make-rshared" },
	{ "unbindable", "make-unbindable" },
	{ "runbindable", "make-runbindable" },
	{ NULL, NULL }
};

void
mount_flags_apparmor(struct obs *o, int field, const char *flags)
{
	int rw_said = 0;

	while (flags != NULL && *flags != '\0') {
		size_t n, i;

		flags += strspn(flags, " ,");
		n = strcspn(flags, " ,");
		for (i = 0; audit_to_rule[i][0] != NULL; i++)
			if (strlen(audit_to_rule[i][0]) == n &&
			    memcmp(audit_to_rule[i][0], flags, n) == 0)
				break;
		if (audit_to_rule[i][0] != NULL)
			obs_set_add(o, field, audit_to_rule[i][1],
			    strlen(audit_to_rule[i][1]));
		else
			obs_set_add(o, field, flags, n);
		rw_said |= n == 2 && (memcmp(flags, "ro", 2) == 0 ||
		    memcmp(flags, "rw", 2) == 0);
		flags += n;
	}
	if (!rw_said)
		obs_set_add(o, field, "rw", 2);
}

/* mount(2) flags as bpf-mountwatch names them; recursive form second. */
static const struct {
	const char	*ms, *plain, *rec;
} ms_to_rule[] = {
	{ "MS_RDONLY", "ro", "ro" }, { "MS_NOSUID", "nosuid", "nosuid" },
	{ "MS_NODEV", "nodev", "nodev" }, { "MS_NOEXEC", "noexec", "noexec" },
	{ "MS_SYNCHRONOUS", "sync", "sync" },
	{ "MS_REMOUNT", "remount", "remount" }, { "MS_MANDLOCK", "mand", "mand" },
	{ "MS_DIRSYNC", "dirsync", "dirsync" },
	{ "MS_NOSYMFOLLOW", "nosymfollow", "nosymfollow" },
	{ "MS_NOATIME", "noatime", "noatime" },
	{ "MS_NODIRATIME", "nodiratime", "nodiratime" },
	{ "MS_BIND", "bind", "rbind" }, { "MS_MOVE", "move", "move" },
	{ "MS_SILENT", "silent", "silent" }, { "MS_POSIXACL", "acl", "acl" },
	{ "MS_UNBINDABLE", "make-unbindable", "make-runbindable" },
	{ "MS_PRIVATE", "make-private", "make-rprivate" },
	{ "MS_SLAVE", "make-slave", "make-rslave" },
	{ "MS_SHARED", "make-shared", "make-rshared" },
	{ "MS_RELATIME", "relatime", "relatime" },
	{ "MS_I_VERSION", "iversion", "iversion" },
	{ "MS_STRICTATIME", "strictatime", "strictatime" },
	{ "MS_LAZYTIME", "lazytime", "lazytime" },
	{ NULL, NULL, NULL }
};

/*
 * MS_REC only modifies others; MS_KERNMOUNT and unnamed bits (hex)
 * have no rule name and are left out.
 */
void
mount_flags_bpf(struct obs *o, int field, const struct jf_val *member,
    const struct src *src, int *bad)
{
	cJSON *f, *flags = member != NULL && member->type == JF_TREE ?
	    member->tree : NULL;
	int rec = 0, ro = 0, i;

	if (member != NULL && !cJSON_IsArray(flags)) {
		bad_input(src->file, src->line,
		    "field \"flags\": expected an array of strings");
		*bad = 1;
		return;
	}
	cJSON_ArrayForEach(f, flags)
		if (cJSON_IsString(f) && strcmp(f->valuestring, "MS_REC") == 0)
			rec = 1;
	cJSON_ArrayForEach(f, flags) {
		if (!cJSON_IsString(f)) {
			bad_input(src->file, src->line,
			    "field \"flags\": expected an array of strings");
			*bad = 1;
			return;
		}
		for (i = 0; ms_to_rule[i].ms != NULL; i++)
			if (strcmp(f->valuestring, ms_to_rule[i].ms) == 0)
				break;
		if (ms_to_rule[i].ms == NULL)
			continue;
		ro |= i == 0;
		if (i > 0)
			obs_set_add(o, field, rec ? ms_to_rule[i].rec :
			    ms_to_rule[i].plain, strlen(rec ? ms_to_rule[i].rec :
			    ms_to_rule[i].plain));
	}
	obs_set_add(o, field, ro ? "ro" : "rw", 2);
}
