/*
 * Buffered output on a file descriptor.  Any failed write ends the tool
 * with EXIT_FATAL (a reader closing the pipe early ends it quietly), so
 * output is never truncated silently.
 */
#ifndef BM_OUT_H
#define BM_OUT_H

#include <stddef.h>

void	out_open(const char *path);	/* NULL or "-": stdout */
void	out_write(const void *, size_t);
void	out_flush(void);
void	out_close(void);		/* flush, fsync a file, close */

#endif
