/*
 * bm-profile: a behaviour model (bm-merge, vArmor) to deny-by-default
 * confinement: an AppArmor profile, an OCI seccomp profile, or the
 * model with vArmor's data.profile filled in.
 */
#ifndef BM_PROFILE_H
#define BM_PROFILE_H

#include <cjson/cJSON.h>

#include "jsonw.h"

struct opts {
	const char	*exec_mode;	/* ix, px, cx, ... */
	int		 fine_network;
	int		 abi4;		/* --abi 4.0 */
	const char	*baseline;	/* a file of syscall names, or NULL */
};
extern struct opts opts;

struct model {
	cJSON		*root;
	const char	*file;
	unsigned long	 line;
};

/* One entry of a model section, read field by field. */
struct ent {
	const struct model	*m;
	cJSON			*v;
	char			 where[192];	/* its JSON path, for messages */
	int			 bad;		/* a field had the wrong type */
};

typedef void	(*ent_fn)(struct ent *, void *);

/* model.c */
void		 each(const struct model *, size_t, const char *group,
		     const char *parent, const char *name, ent_fn, void *);
const char	*ent_str(struct ent *, const char *);
cJSON		*ent_strs(struct ent *, const char *);	/* array of strings */
cJSON		*ent_words(struct ent *, const char *);	/* of names (is_word) */
const char	*ent_word(struct ent *, const char *);
int		 ent_bool(struct ent *, const char *);
int		 ent_num(struct ent *, const char *, long long *);	/* a port */
int		 json_has(cJSON *strings, const char *);
int		 has_entries(const struct model *, size_t, const char *group,
		     const char *name);

/* Rule lines, sorted and made unique when written. */
struct rules {
	char	**v;
	size_t	 n, cap;
};
void	rules_add(struct rules *, struct jw *);	/* takes and resets it */
void	rules_put(struct jw *, struct rules *, const char *heading);
void	rules_sort(struct rules *);
void	rules_free(struct rules *);

/* apparmor.c, aanet.c, aamount.c */
void	apparmor_profile(struct jw *, const struct model *, size_t,
	    const char *name);
void	put_perms(struct jw *, cJSON *, int parens);
int	is_word(const char *);
void	put_path(struct jw *, const char *, int from_bpf);
void	net_rules(const struct model *, size_t, struct rules *, int abi4);
void	ipc_rules(const struct model *, size_t, struct rules *unix_,
	    struct rules *dbus);
void	mount_rules(const struct model *, size_t, struct rules *);

/* seccomp.c */
void	seccomp_profile(struct jw *, const struct model *, size_t);
int	model_has_syscalls(const struct model *, size_t);

/* varmor.c */
void	varmor_model(struct jw *, const struct model *, const char *name,
	    int legacy);

#endif
