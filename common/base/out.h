/*
 * Buffered output on a file descriptor.  Any failed write ends the tool
 * with EXIT_FATAL (a reader closing the pipe early ends it quietly), so
 * output is never truncated silently.
 */
#ifndef BM_OUT_H
#define BM_OUT_H

#include <stddef.h>
#include <sys/types.h>

void	out_open(const char *path);	/* NULL or "-": stdout */
void	out_append(const char *path);	/* a file added to, not truncated */

/* A regular file's identity and length, all written flushed; 0: other. */
struct out_mark {
	dev_t	dev;
	ino_t	ino;
	off_t	len;
};
int	out_mark(struct out_mark *);
void	out_cut(off_t len);		/* back to len, as a run left it */
void	out_write(const void *, size_t);
void	out_flush(void);
void	out_close(void);		/* flush, fsync a file, close */

#endif
