/*
 * bm-diff: what new behaviour an approved model does not cover (the CI
 * gate), and with --unused what it grants that nothing used.
 *
 * main.c reads APPROVED (approved.c) and folds NEW as bm-merge folds it
 * (learn.h); cover.c judges each entry of NEW against the approved ones
 * that index.c finds for it, matching paths as AppArmor does (glob.c),
 * and puts each change out as a line or, for --format sarif, into one
 * SARIF log (sarif.c).
 */
#ifndef BM_DIFF_H
#define BM_DIFF_H

#include <stddef.h>

#include "model.h"

/* glob.c */
int	pattern_covers(const char *pattern, const char *path);
size_t	literal_prefix(const char *, char *buf, size_t size, int is_pattern);

/* index.c: the approved entries of a section, found by their first field */
enum how { BY_NAME, BY_PATTERN, NOT_COMPARED };	/* how a field is matched */
enum how field_how(enum section, int field);
struct index;
struct index	*index_build(struct model *, enum section);
/* Calls fn for every approved entry that may cover the value v. */
void		 index_each(struct index *, const char *v,
		    void (*fn)(size_t, void *), void *);
void		 index_free(struct index *);

/* approved.c: 1 a model, 2 an OCI seccomp profile (its allowed names) */
int	approved_read(struct model *, const char *path);

/* sarif.c: --format sarif, a SARIF 2.1.0 log of the changes */
#include "jsonw.h"
void	sarif_begin(const char *approved);
/* The change open in w, out as a line or into the log; its first
 * keylen bytes are what makes it this change (no who, no when). */
void	change_out(struct jw *w, size_t keylen);
void	sarif_end(void);

/* cover.c */
void	diff_section(struct model *approved, struct model *new,
	    enum section, int unused);
extern unsigned long	news;	/* entries reported new */

#endif
