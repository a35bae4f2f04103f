/* bm-merge: events and models in, one behaviour model out (learn.h). */
#ifndef BM_MERGE_H
#define BM_MERGE_H

/* name.c: metadata.name */
const char	*default_name(void);
char		*kube_name(const char *);	/* made valid; to free */

#endif
