/*
 * bm-profile: a behaviour model (bm-merge, vArmor) to deny-by-default
 * confinement: an AppArmor profile, an OCI seccomp profile, or the
 * model with vArmor's data.profile filled in.
 */
#ifndef BM_PROFILE_H
#define BM_PROFILE_H

#include <cjson/cJSON.h>

#include "jsonw.h"
#include "model.h"

/* --exec PATH=MODE */
struct exec_for {
	const char	*path;
	const char	*mode;
};

struct opts {
	const char	*exec_mode;	/* ix, px, cx, ...: the default */
	struct exec_for	*exec_for;
	size_t		 nexec_for;
	int		 fine_network;
	int		 abi4;		/* --abi 4.0 */
	const char	*baseline;	/* a file of syscall names, or NULL */
	char		**allow;	/* names added to the baseline */
	int		 complain;	/* log what it would deny, let it be */
	int		 log_denials;	/* seccomp: SECCOMP_FILTER_FLAG_LOG */
	int		 errno_ret;	/* seccomp: the default errno */
};

/* An entry of the folded model, as the rule writers see it. */
struct ent {
	const struct entry	*e;
	enum section		 sec;
};

typedef void	(*ent_fn)(const struct ent *, void *);

/* check.c: names AppArmor and libseccomp take */
int		 is_word(const char *);
int		 is_syscall_name(const char *);
const char *const *scmp_arches(const char *seen);	/* NULL: not known */

/* model.c */
size_t		 read_models(struct model *, const char *path, char **name);
void		 ent_each(struct model *, enum section, ent_fn, void *);
/* In ent_each's fn, its entry; NULL elsewhere. */
const struct entry *ent_current(void);
int		 has_entries(struct model *, enum section);
const char	*ent_str(const struct ent *, const char *);	/* NULL: plain */
const struct sset *ent_set(const struct ent *, const char *);
int		 ent_num(const struct ent *, const char *, long long *);

/* rule.c: rule lines, sorted and made unique when written */
struct rules {
	char	**v;
	size_t	 n, cap;
};
void	rules_add(struct rules *, struct jw *);	/* takes and resets it */
void	rules_put(struct jw *, struct rules *, const char *heading);
void	rules_sort(struct rules *);
void	rules_free(struct rules *);

void	put_perms(struct jw *, const struct sset *, int parens);
void	put_path(struct jw *, const char *, int from_bpf);

/* aanet.c, aamount.c */
void	net_rules(struct model *, struct rules *, const struct opts *);
void	ipc_rules(struct model *, struct rules *unix_, struct rules *dbus);
void	mount_rules(struct model *, struct rules *);

/* children.c */
const char	*exec_mode_of(const struct opts *, const char *path);
int		 exec_kind(const char *mode);	/* i, c or p */
int		 is_literal(const char *path);	/* no AppArmor glob */
struct model	*child_profiles(struct model *, const struct opts *);

/* apparmor.c */
void	apparmor_profile(struct jw *, struct model *, const char *name,
	    const struct opts *);

/* seccomp.c */
void	seccomp_profile(struct jw *, struct model *, const struct opts *);
void	seccomp_learning(struct jw *, char **arches);
void	apparmor_learning(struct jw *, const char *name);

/* varmor.c */
void	varmor_model(struct jw *, struct model *, const char *name,
	    const char *namespace, int release, const struct opts *);

#endif
