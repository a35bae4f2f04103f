/*
 * The behaviour model's schema: its sections in output order, their
 * fields and roles, and the names vArmor's releases give them
 * (schema.c).  A leaf: the model (model.h) is built on it.
 */
#ifndef BM_SCHEMA_H
#define BM_SCHEMA_H

enum section {
	S_PROFILES, S_EXECUTIONS, S_FILES, S_CAPABILITIES, S_SOCKETS,
	S_EGRESSES, S_ENDPOINTS, S_UNIX, S_PTRACES, S_SIGNALS, S_DBUS,
	S_MQUEUES, S_IO_URING, S_USERNS, S_CHANGE_PROFILES, S_MOUNTS,
	S_UNHANDLED,
	S_BPF_EXECUTIONS, S_BPF_FILES, S_BPF_CAPABILITIES, S_BPF_SOCKETS,
	S_BPF_EGRESSES, S_BPF_PTRACES, S_BPF_MOUNTS,
	S_SYSCALLS, S_ARCHITECTURES, NSECTIONS
};

enum role {
	F_ID = 1,	/* identity, a string */
	F_NUM,		/* identity, a whole number (kept as its decimal text) */
	F_FLAG,		/* identity, true or absent */
	F_SET,		/* a set of strings, grown by union */
	F_IDSET,	/* a set of strings that is part of the identity */
	F_NUMSET,	/* a set of whole numbers, grown by union */
	F_OWNER,	/* true while every access was by the owner */
	F_OLDPATH	/* one original path behind a generalised one */
};

/*
 * vArmor releases whose CRD declares a section or field.  R_CURRENT is
 * 0.9 and later (appArmor, networks an object with egresses, the BPF
 * group); 0.7 and 0.8 share the older shape (apparmor, networks a list
 * of family/sockType, every file field required) and differ only in how
 * data.profile holds the profiles.
 */
enum { R_07 = 1, R_08 = 2, R_OLD = 3, R_CURRENT = 4, R_ALL = 7 };

#define MAXFIELDS	7
#define MAXSETS		2
#define MAXELEMS	64

struct field {
	const char	*name;
	enum role	 role;
	int		 always;	/* the native model writes it even empty */
	int		 crd;		/* R_* releases that declare it */
	int		 required;	/* R_* releases that require it */
	const char	*old;		/* its name up to 0.8, when other */
};

struct section_desc {
	const char	*group;		/* appArmor, bpf or seccomp */
	const char	*parent;	/* networks (bpf: network), or NULL */
	const char	*name;
	int		 crd;		/* R_* releases that declare it */
	struct field	 f[MAXFIELDS];	/* none: a plain list of strings */
};
extern const struct section_desc sections[NSECTIONS];

int	field_index(enum section, const char *name);	/* -1: none */
int	set_slot(enum section, int field);	/* field's place among the sets */

/* A section whose entries grant something: not the profiles' names,
 * the architectures or the operations not modelled. */
static inline int
section_grants(enum section sec)
{
	return sec != S_PROFILES && sec != S_ARCHITECTURES &&
	    sec != S_UNHANDLED;
}

/* A plain list of strings, no fields (on the merge's hot path). */
static inline int
is_plain(enum section sec)
{
	return sections[sec].f[0].name == NULL;
}

static inline int
is_set_role(enum role r)
{
	return r == F_SET || r == F_IDSET || r == F_NUMSET;
}

#endif
