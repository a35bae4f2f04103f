/*
 * bm-merge: events and models folded into one behaviour model, in the
 * shape of vArmor's ArmorProfileModel (common/model.h).
 */
#ifndef BM_MERGE_H
#define BM_MERGE_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "model.h"

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

/* The model being made, and the names input models offered for it. */
extern struct model	*merged;

/* name.c: metadata.name */
void		 offer_name(const char *);
const char	*default_name(void);
char		*kube_name(const char *);	/* made valid; to free */

/* obs.c: building observations; strings live until obs_commit/obs_drop */
struct obs	*obs_new(enum section);
void		 obs_set_words(struct obs *, int field, const char *);
char		*obs_strdup(const char *, size_t);
char		*obs_keep(char *);	/* freed with the observations */
extern int64_t	 obs_time;		/* of the value being read */
void		 obs_commit(void);
void		 obs_drop(void);

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
