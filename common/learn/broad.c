/*
 * Entries too broad to take from a model no one vouches for.  Each node
 * of a fleet writes its own model, and a node taken over could plant
 * one that grants everything to every pod of the workload.  Learning
 * never writes the broad globs (its own are * within one name, classes
 * and <libdir>/ *.so*); the capabilities and calls below it writes only
 * for a workload that loads code into the kernel or rules the machine,
 * which no pod should be granted without an operator's word.  bm-merge
 * --refuse-broad turns a model holding one away (bm-merge(1)).
 */
#include <string.h>

#include "learn.h"
#include "model.h"

/* A glob of AppArmor's (unescaped) in the first n bytes of s. */
static int
glob_in(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i] != '\0'; i++) {
		if (s[i] == '\\' && s[i + 1] != '\0')
			i++;
		else if (strchr("*?[{", s[i]) != NULL)
			return 1;
	}
	return 0;
}

/* ** anywhere, or a glob in the first component (/ *, /[a-z]*, ...). */
static const char *
broad_path(const char *p)
{
	const char *slash;

	if (p == NULL)
		return NULL;
	if (strstr(p, "**") != NULL)
		return "a ** glob (any file below it)";
	slash = p[0] == '/' ? strchr(p + 1, '/') : NULL;
	if (glob_in(p, slash != NULL ? (size_t)(slash - p) : strlen(p)))
		return "a glob in the top directory (any file there)";
	return NULL;
}

static int
named(const char *s, const char *const *list)
{
	for (; s != NULL && *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

const char *
broad_entry(const struct obs *o)
{
	static const char *const caps[] = { "sys_module", "sys_rawio",
	    "sys_boot", "mac_admin", "mac_override", NULL };
	static const char *const calls[] = { "init_module", "finit_module",
	    "delete_module", "kexec_load", "kexec_file_load", "bpf", NULL };
	static const char *const root[] = { "/", NULL };
	const char *why;

	switch (o->sec) {
	case S_FILES: case S_BPF_FILES: case S_EXECUTIONS:
	case S_BPF_EXECUTIONS:
		return broad_path(o->val[0]);
	case S_CAPABILITIES: case S_BPF_CAPABILITIES:
		return named(o->val[0], caps) ?
		    "a capability over the whole machine" : NULL;
	case S_SYSCALLS:
		return named(o->val[0], calls) ?
		    "a call that loads code into the kernel" : NULL;
	case S_MOUNTS: case S_BPF_MOUNTS:	/* the host's / somewhere */
		if ((why = broad_path(o->val[field_index(o->sec, "path")])) ||
		    (why = broad_path(o->val[field_index(o->sec, "source")])))
			return why;
		return named(o->val[field_index(o->sec, "source")], root) ?
		    "a mount of the host's root directory" : NULL;
	default:
		return NULL;
	}
}
