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

#include "jsonin.h"
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
	int		 counts;	/* entries keep counts and times exact
					   (written out: --counts, bm-diff) */
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
 * member.c: an event's members, by name, typed; the last two are a
 * model's and are had only from a tree (the whole value is then
 * ev->tree).
 */
enum member {
	M_ACTION, M_ADDR, M_APPARMOR, M_ARCH, M_BUS, M_CAPNAME, M_CLASS,
	M_COMM, M_COUNT, M_DATA, M_DENIED, M_DENIED_MASK, M_EVENT, M_EXE,
	M_FADDR, M_FAMILY, M_FLAGS, M_FPORT, M_FSTYPE, M_FSUID, M_INTERFACE,
	M_LABEL, M_LADDR, M_LPORT, M_MASK, M_MEMBER, M_METHOD, M_NAME,
	M_NEW_ROOT, M_OPERATION, M_OPTIONS, M_OUID, M_PATH, M_PEER,
	M_PEER_ADDR, M_PEER_LABEL, M_PEER_PROFILE, M_PID, M_PROFILE,
	M_PROTOCOL, M_PUT_OLD, M_REQUESTED, M_REQUESTED_MASK, M_SERIAL, M_SES,
	M_SIGNAL, M_SOCK_TYPE, M_SOURCE, M_SRCNAME, M_SUBJ, M_SYSCALL,
	M_SYSCALL_NR, M_TARGET, M_TCONTEXT, M_TIME,
	M_APIVERSION, M_KIND, NMEMBERS
};
struct event {
	struct jflat	 m;
	cJSON		*tree;		/* it was read as one; NULL: flat */
};
void		 event_init(struct event *);
void		 event_from_tree(struct event *, cJSON *);
void		 event_free(struct event *);
/* NULL when absent; JSON's null is present */
const struct jf_val *event_member(const struct event *, enum member);
/* absent and null are NULL and 0; a wrong type reported, *bad set */
const char	*get_str(const struct event *, enum member,
		    const struct src *, int *bad);
int		 get_num(const struct event *, enum member, long long *,
		    const struct src *, int *bad);

/*
 * learn.c, learn_aa.c, learn_mount.c: one input value each.  The
 * ingest_* readers return 1 when they learnt something, 2 when the value
 * has nothing to learn, 0 when a filter left it out, -1 when it was bad.
 */
void	ingest(struct event *, const struct src *);
void	ingest_file(const char *path);	/* every value of a file, or "-" */
int	ingest_apparmor(struct event *, const struct src *, const char *label);
int	ingest_seccomp(struct event *, const struct src *);
int	ingest_mount(struct event *, const struct src *);

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
/* A separator of the parts of a file's name: . - _ + ~ : @ = , space */
int	path_sep(char);
/* NULL when the path is its own pattern */
char	*path_pattern(const char *path, int generalize, enum access,
	    const struct htab *ids);

/* mountopt.c */
void	mount_flags_apparmor(struct obs *, int field, const char *flags);
void	mount_flags_bpf(struct obs *, int field, const struct jf_val *flags,
	    const struct src *, int *bad);

#endif
