/*
 * Learning: NDJSON values (aa-evtparse and bpf-mountwatch events, whole
 * models) folded into a behaviour model (model.h), as bm-merge folds
 * them and bm-diff compares them.  learn.c takes a value, filters it and
 * hands it to the reader of its kind: learn_aa.c, learn_mount.c, or the
 * model reader; obs.c holds its observations until the value is read;
 * member.c gives their fields by name.  learnstate.c holds the run's
 * options, counts and model, which all of them read and nothing calls.
 */
#ifndef BM_LEARN_H
#define BM_LEARN_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "model.h"

/* Where an input value came from, for messages. */
struct src {
	const char	*file;
	unsigned long	 line;
};

/* What goes in: the defaults are every kind, modes ALLOWED and DENIED. */
struct learn_opts {
	int		 events;	/* EV_* */
	char		**modes;	/* AppArmor modes kept */
	const char	*profile;
	char		**comms, **exes, **pids, **sessions;
	int		 generalize;
	int		 refuse_broad;	/* models with broad entries (broad.c) */
	int		 origin;	/* entries keep who did them (bm-diff) */
};
enum { EV_APPARMOR = 1, EV_SECCOMP = 2, EV_MOUNT = 4, EV_MODEL = 8 };
extern struct learn_opts learn_opts;
int	mode_wanted(const char *);	/* an AppArmor mode or seccomp action */

struct learn_stats {
	unsigned long	 values, apparmor, seccomp, mount, models;
	unsigned long	 filtered, unattributed, ignored, lost_upstream;
	unsigned long	 lost_reports, lost_records;	/* the audit log's */
	unsigned long	 unnamed_children;	/* events of null- profiles no exec named */
	unsigned long	 matched;	/* events past the process and profile filters */
};
extern struct learn_stats learn_stats;

/* The model values go into (learnstate.c). */
extern struct model	*learned;

/* learn.c: the least metadata.name of input models; after the input. */
const char		*learned_name(void);
/* The profiles of the events, NAME for NAME//child, sorted: all those
 * seen, or (kept) those that passed the filters. */
size_t			 learn_profiles(int kept, const char *const **names);
void			 learn_warn_lost(void);
void			 learn_free(void);

/*
 * learn_child.c: null- profiles' events kept apart by program, when the
 * model keeps children; children_settle once the input is read.
 */
void	child_exec(const char *target, const char *program,
	    const char *parent, long long pid);
void	child_route(const char *label, long long pid);
void	children_settle(void);
void	children_free(void);

/*
 * learn_ran.c: children told apart by the exec records of a process
 * that stays in its profile; ran_settle once the input is read.
 */
struct when {
	int64_t		 t;		/* µs since the epoch; -1: unknown */
	long long	 serial;	/* the audit serial; -1: none */
};
void	ran_route(const char *label, long long pid, struct when);
void	ran_exec(const char *label, long long pid, struct when,
	    const char *program);
void	ran_settle(void);
void	ran_free(void);

/* pidpath.c: files named by a pid of the profile's processes */
void	pidpath_pid(const char *label, long long pid);
void	pidpath_merge(struct model *dst, struct model *src,
	    const char *label, const char *child, size_t childlen);
/* The pattern for lit, a file of label's (write: asked to write), or NULL */
char	*pidpath_pattern(const char *label, const char *lit, int write);
void	pidpath_free(void);

/* obs.c: building observations; strings live until obs_commit/obs_drop */
struct obs	*obs_new(enum section);
void		 obs_set_val(struct obs *, const char *field, const char *);
void		 obs_set_words(struct obs *, int field, const char *);
char		*obs_strdup(const char *, size_t);
char		*obs_keep(char *);	/* freed with the observations */
extern int64_t	 obs_time;		/* of the value being read */
extern int	 obs_denied;		/* it is a denial: its entries say so */
extern const char *obs_profile, *obs_program;	/* who: learn_opts.origin */
/* Where the next value's observations go (not its label: the workload) */
void		 obs_route(struct model *, const char *child, size_t childlen);
/* ... or to take(arg, obs), which copies what it keeps */
void		 obs_route_to(void (*take)(void *, const struct obs *),
		    void *arg);
void		 obs_commit(void);
void		 obs_drop(void);

/*
 * learn.c, learn_aa.c, learn_mount.c: one input value each.  The
 * ingest_* readers return 1 when they learnt something, 2 when the value
 * has nothing to learn, 0 when a filter left it out, -1 when it was bad.
 */
void	ingest(cJSON *, const struct src *);
void	ingest_file(const char *path);	/* every value of a file, or "-" */
int	ingest_apparmor(cJSON *, const struct src *, const char *label);
int	ingest_seccomp(cJSON *, const struct src *);
int	ingest_mount(cJSON *, const struct src *);

/* member.c: typed field access; absent is NULL, a wrong type reported */
void		 index_members(cJSON *);	/* the event read; NULL: the end */
cJSON		*event_member(cJSON *, const char *);	/* fast for the event read */
const char	*get_str(cJSON *, const char *, const struct src *, int *bad);
int		 get_num(cJSON *, const char *, long long *, const struct src *,
		     int *bad);

/* learn_seccomp.c: libseccomp's name for a call the audit log named */
const char	*seccomp_name(const char *audit_name, long long nr);

/* broad.c: why an entry is too broad for a learned model, or NULL */
const char	*broad_entry(const struct obs *);

/* genpath.c: how an access may widen its path (see there) */
enum access {
	ACCESS_READ,		/* reads, maps, executes */
	ACCESS_WRITE,		/* writes to a file it did not create */
	ACCESS_CREATE		/* created the file */
};
struct htab;
char	*path_pattern(const char *path, int generalize, enum access,
	    const struct htab *ids);

/* mountopt.c */
void	mount_flags_apparmor(struct obs *, int field, const char *flags);
void	mount_flags_bpf(struct obs *, int field, cJSON *flags,
	    const struct src *, int *bad);

#endif
