/*
 * bm-advise: which hardening rules a workload can take, from a rule
 * catalog (vArmor's built-in-rules.json schema, plus conflicts.mounts)
 * and, optionally, its behaviour model.  The decisions are vArmor's
 * policy advisor's; mounts in the model are what it cannot see.
 */
#ifndef BM_ADVISE_H
#define BM_ADVISE_H

#include <cjson/cJSON.h>
#include <regex.h>
#include <stddef.h>

enum category {
	C_ESCAPE, C_CAPSET, C_CAP, C_EXPLOIT, C_LEAK, C_SENSITIVE, C_VULN,
	NCATEGORIES
};
extern const char *const category_names[NCATEGORIES];

/* A list of names, NULL-terminated. */
struct strs {
	const char	**v;
	size_t		 n, cap;
	int		 given;		/* the key was there, even empty */
	int		 owned;		/* the strings are its own (strs_split) */
};

struct file_check {
	regex_t		 re;
	struct strs	 perms;
};

/* A mount of the model conflicts when every part given matches. */
struct mount_check {
	const char	*operation;	/* mount, umount, pivot_root; NULL: any */
	struct strs	 fstypes, flags;
	regex_t		 source, path;
	int		 has_source, has_path;
};

struct rule {
	const char		*id;
	enum category		 cat;
	struct strs		 enforcers;
	struct strs		 features, capabilities, syscalls, executions;
	struct file_check	*files;
	size_t			 nfiles;
	int			 files_given;
	struct mount_check	*mounts;
	size_t			 nmounts;
	int			 applicable;	/* an applicable object was there */
	struct strs		 app_features, app_capabilities;
};

struct catalog {
	cJSON		*root;
	struct rule	*rules;
	size_t		 n, cap;
};

struct mfile {
	const char	*path;		/* oldPath when there is one */
	struct strs	 perms;
};

struct mmount {
	const char	*path, *type, *source;
	struct strs	 flags;
	const char	*operation;	/* mount, umount or pivot_root */
};

/* What the model shows, and the features it implies. */
struct facts {
	int		 have_model;
	struct strs	 capabilities, syscalls, executions;
	struct mfile	*files;
	size_t		 nfiles;
	struct mmount	*mounts;
	size_t		 nmounts;
	char		*mount_why, *umount_why;	/* implied mount-sth, umount-sth */
	char		*infer_why[8];			/* --infer */
	const char	*infer_features[8];
	int		 ninfer;
};

struct context {
	struct strs	 enforcers, features, capabilities;
	int		 infer;			/* --infer */
};

/* catalog.c: catalog_load exits 2 naming the rule and field on a fault */
int	catalog_read(struct catalog *, cJSON *root, const char *name,
	    char *msg, size_t msgsize);
void	catalog_load(struct catalog *, const char *path);
void	catalog_free(struct catalog *);
extern const char builtin_catalog[];

/* facts.c: exits 2 naming the field on any fault */
void	facts_load(struct facts *, const char *path, int infer);
void	facts_free(struct facts *);
char	*mount_sentence(const struct mmount *);	/* to free */

/* decide.c */
void	advise(const struct catalog *, const struct facts *,
	    const struct context *, int policy);

/* strs.c */
const char *first_common(const struct strs *, const struct strs *);
int	has_common(const struct strs *, const struct strs *);
int	in_strs(const struct strs *, const char *);
void	strs_split(struct strs *, const char *commas);	/* lower-cased */
int	strs_take(struct strs *, cJSON *list, int basename);
void	strs_add(struct strs *, const char *);
void	strs_free(struct strs *);

#endif
