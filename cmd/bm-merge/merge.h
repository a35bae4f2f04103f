/*
 * bm-merge: events and models folded into one behaviour model, in the
 * shape of vArmor's ArmorProfileModel.
 *
 * The model is a set of sections (apparmor.files, bpf.mounts, ...).  An
 * entry is known by its identity fields; what it allows (permissions,
 * signals) is a set that grows by union, owner by conjunction, oldPath
 * by the least original, counts by sum.  Every step is commutative,
 * associative and idempotent, so any order and grouping of the same
 * input gives the same model.
 */
#ifndef BM_MERGE_H
#define BM_MERGE_H

#include <cjson/cJSON.h>
#include <stdint.h>

enum section {
	S_PROFILES, S_EXECUTIONS, S_FILES, S_CAPABILITIES, S_SOCKETS,
	S_ENDPOINTS, S_UNIX, S_PTRACES, S_SIGNALS, S_DBUS, S_MQUEUES,
	S_IO_URING, S_USERNS, S_CHANGE_PROFILES, S_MOUNTS, S_UNHANDLED,
	S_BPF_MOUNTS, S_SYSCALLS, S_ARCHITECTURES, NSECTIONS
};

enum role {
	F_ID = 1,	/* identity, a string */
	F_NUM,		/* identity, a whole number (kept as its decimal text) */
	F_SET,		/* a set of strings, grown by union */
	F_IDSET,	/* a set of strings that is part of the identity */
	F_OWNER,	/* true while every access was by the owner */
	F_OLDPATH	/* one original path behind a generalised one */
};

#define MAXFIELDS	7
#define MAXSETS		2
#define MAXELEMS	64

struct field {
	const char	*name;
	enum role	 role;
	int		 always;	/* written even when empty, as vArmor does */
};

struct section_desc {
	const char	*group;		/* apparmor, bpf or seccomp */
	const char	*parent;	/* networks, or NULL */
	const char	*name;
	struct field	 f[MAXFIELDS];	/* none: a plain array of strings */
};
extern const struct section_desc sections[NSECTIONS];

struct strs {
	const char	*s[MAXELEMS];
	size_t		 len[MAXELEMS];
	int		 n;
};

/* One observation on its way into the model. */
struct obs {
	enum section	 sec;
	const char	*val[MAXFIELDS];	/* F_ID, F_NUM, F_OLDPATH; NULL: absent */
	struct strs	 set[MAXSETS];		/* F_SET and F_IDSET, in field order */
	int		 owner;
	uint64_t	 count;			/* events behind it */
	int64_t		 first, last;		/* µs since the epoch; -1: unknown */
};

/* Where an input value came from, for messages. */
struct src {
	const char	*file;
	unsigned long	 line;
};

/* Options that decide what goes in. */
struct opts {
	int		 events;	/* EV_* */
	char		**modes;	/* AppArmor modes kept */
	const char	*profile;
	char		**comms, **exes, **pids;
	int		 generalize;
	int		 counts;
};
enum { EV_APPARMOR = 1, EV_SECCOMP = 2, EV_MOUNT = 4, EV_MODEL = 8 };
extern struct opts opts;

struct stats {
	unsigned long	 values, apparmor, seccomp, mount, models;
	unsigned long	 filtered, unattributed, ignored, lost_upstream;
};
extern struct stats stats;

/* model.c */
void	model_add(const struct obs *);
void	model_offer_name(const char *);
const char *model_default_name(void);
void	model_write(const char *name);
void	model_free(void);

/* obs.c: building observations; strings live until obs_commit/obs_drop */
struct obs	*obs_new(enum section);
void		 obs_set_add(struct obs *, int field, const char *, size_t);
void		 obs_set_words(struct obs *, int field, const char *);
char		*obs_strdup(const char *, size_t);
char		*obs_keep(char *);	/* freed with the observations */
extern int64_t	 obs_time;		/* of the value being read */
void		 obs_commit(void);
void		 obs_drop(void);
int		 field_index(enum section, const char *name);

/*
 * event.c, apparmor.c, mount.c, model_in.c: one input value each.  The
 * ingest_* readers return 1 when they learnt something, 2 when the value
 * has nothing to learn, 0 when a filter left it out, -1 when it was bad.
 */
void	ingest(cJSON *, const struct src *);
int	ingest_apparmor(cJSON *, const struct src *, const char *label);
int	ingest_seccomp(cJSON *, const struct src *);
int	ingest_mount(cJSON *, const struct src *);
int	ingest_model(cJSON *, const struct src *);

/* Typed field access: absent is NULL; a wrong type is reported. */
cJSON		*event_member(cJSON *, const char *);	/* fast for the event read */
const char	*get_str(cJSON *, const char *, const struct src *, int *bad);
int		 get_num(cJSON *, const char *, long long *, const struct src *,
		     int *bad);
int64_t		 event_time(cJSON *);

/* syscall.c: libseccomp's name for a call the audit log named */
const char	*seccomp_name(const char *audit_name, long long nr);

/* genpath.c */
char	*path_pattern(const char *path, int generalize);

/* mountopt.c */
void	mount_flags_apparmor(struct obs *, int field, const char *flags);
void	mount_flags_bpf(struct obs *, int field, cJSON *flags,
	    const struct src *, int *bad);

#endif
