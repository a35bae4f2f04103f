/*
 * The behaviour model, once for every tool: vArmor's ArmorProfileModel
 * (data.dynamicResult) and the suite's extensions to it.
 *
 * schema.c is the table of sections and fields, with the names each
 * vArmor release gives them; modelin.c reads any of those shapes into
 * observations; model.c keeps a set of entries, and modelout.c writes
 * it back, as the native model or as one release's CRD declares it.
 *
 * A section is a list of entries known by their identity fields; what
 * an entry allows (permissions, signals, ports) is a set that grows by
 * union, owner by conjunction, oldPath by the least original, counts by
 * sum.  Every step is commutative, associative and idempotent, so any
 * order and grouping of the same input gives the same model.
 */
#ifndef BM_MODEL_H
#define BM_MODEL_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "jsonw.h"

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

/* One entry on its way into a model; its strings are the caller's. */
struct obs_set {
	const char	*s[MAXELEMS];
	size_t		 len[MAXELEMS];
	int		 n;
};

struct obs {
	enum section	 sec;
	const char	*child;		/* its programs, each NUL-ended; NULL: none */
	size_t		 childlen;
	const char	*val[MAXFIELDS];	/* F_ID, F_NUM, F_FLAG, F_OLDPATH */
	struct obs_set	 set[MAXSETS];		/* the set fields, in order */
	int		 owner;
	int		 denied;		/* from a denial (asked for) */
	const char	*profile, *program;	/* who did it (bm-diff asks) */
	uint64_t	 count;			/* events behind it */
	int64_t		 first, last;		/* µs since the epoch; -1: unknown */
};

void	obs_clear(struct obs *, enum section);
void	obs_set_add(struct obs *, int field, const char *, size_t);

/* An entry of a model: val[] and the sets are the model's own. */
struct sset {
	const char	**s;		/* sorted by bytes, each once */
	size_t		 n, cap;
};

struct entry {
	struct entry	*next;		/* same 64-bit hash */
	size_t		 keylen;
	const char	*val[MAXFIELDS];
	struct sset	 set[MAXSETS];
	int		 owner;
	int		 denied;	/* every observation behind it a denial */
	const char	*profile, *program;	/* of its first event */
	uint64_t	 count;
	int64_t		 first, last;
	char		 key[];		/* one allocation: one cache miss */
};

struct model;

/*
 * A child: what a program ran by the workload did under AppArmor's
 * null- profiles, apart from the workload's own (bm-merge(1),
 * CHILDREN).  Its key is the programs from the workload down, each
 * ended by a NUL: "/bin/sh\0/usr/bin/curl\0" is curl run by sh.
 */
struct kid {
	char		*key;
	size_t		 len;
	struct model	*m;
};

struct model	*model_new(void);
/* Only a model told so keeps children apart; others fold them in. */
void		 model_keep_children(struct model *);
int		 model_keeps_children(const struct model *);
/* The entry o went into (NULL: o was nothing), valid until the model
 * changes otherwise than by adding. */
struct entry	*model_add(struct model *, const struct obs *);
/* e seen again, as the observation that made it: count and times grow */
void		 model_tally(struct entry *e, uint64_t count, int64_t first,
		    int64_t last);
/* Every entry of src (not its children) added to dst, as child or not. */
void		 model_merge(struct model *dst, struct model *src,
		    const char *child, size_t childlen);
void		 model_merge_section(struct model *dst, struct model *src,
		    enum section, const char *child, size_t childlen);
void		 model_merge_entry(struct model *dst, enum section,
		    const struct entry *, const char *child, size_t childlen);
/* The child of key, made if new. */
struct model	*model_child(struct model *, const char *key, size_t len);
/* Each child's entries into the model's own, the children gone; how many. */
size_t		 model_fold_children(struct model *);
/* The children, sorted by key: a parent before its own. */
size_t		 model_children(struct model *, struct kid *const **);
/* A section's entries, sorted by identity. */
size_t		 model_count(const struct model *, enum section);
/*
 * Nothing a profile could grant: no entry but the profiles' names,
 * architectures and unhandled operations, in it or a child.
 */
int		 model_empty(const struct model *);
size_t		 model_entries(struct model *, enum section,
		    struct entry *const **);
void		 model_free(struct model *);

/* Field access on an entry; NULL or an empty set when absent. */
const char		*entry_val(const struct entry *, enum section,
			    const char *field);
const struct sset	*entry_set(const struct entry *, enum section,
			    const char *field);
int			 sset_has(const struct sset *, const char *);

/*
 * How a model is written: native (release 0: every section and field,
 * in the current group names) or as release R_* declares it.
 */
struct view {
	int	release;
	int	counts;		/* count, firstSeen, lastSeen (native only) */
};

/* modelout.c: data.dynamicResult's object; one entry (a plain list's: its string). */
void	model_put(struct jw *, struct model *, const struct view *);
void	model_put_entry(struct jw *, enum section, const struct entry *,
	    const struct view *);
/* µs since the epoch as seconds, no trailing zeros: 1700000000.1 */
void	model_put_time(struct jw *, int64_t us);
/* Whether the model has entries that the view leaves out. */
int	model_section_left_out(struct model *, const struct view *,
	    enum section);

/*
 * Reading a model value: every shape vArmor has written since 0.7 and
 * the native one.  Each entry, as an observation, goes to take(); an
 * entry with a field of the wrong type is reported by its JSON path and
 * left out.  With refuse set, a bad entry is fatal (exit 2), as for a
 * tool whose answer would be wrong without it.
 */
struct model_src {
	const char	*file;
	unsigned long	 line;
	int		 refuse;
	int		 quiet;		/* faults not reported (a first look) */
};

/*
 * Where an entry stands: SECTION[INDEX], or SECTIONCounts.KEY for the
 * counts of a plain list's KEY.  Made into text only for a message.
 */
struct model_at {
	const char	*section;	/* data.dynamicResult.appArmor.files */
	int		 index;
	const char	*key;
};
void	model_where(const struct model_at *, char *buf, size_t size);

typedef void	(*take_fn)(struct obs *, const struct model_at *, void *);

/* 1 read (some entries may have been bad), -1 not a model. */
int	model_read(cJSON *, const struct model_src *, take_fn, void *);
/* metadata.name of a model value, or NULL. */
const char	*model_name_of(cJSON *);
/* Report a fault at a JSON path (or NULL) by the source's policy. */
void	model_bad(const struct model_src *, const char *where,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
