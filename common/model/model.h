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
#include "schema.h"

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
