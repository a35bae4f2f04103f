/*
 * Lines from a file or stdin, gzip-compressed or not: the first two
 * bytes decide.  A gzip file is one or more members; bytes after the
 * last that are not a member are an error, as a cut member is, not an
 * end to read past in silence.  Lines may hold any byte, NUL included.
 */
#ifndef BM_LINEIO_H
#define BM_LINEIO_H

#include <stddef.h>
#include <sys/types.h>
#include <zlib.h>

#define LINE_MAX_BYTES	(16u << 20)	/* longer lines are skipped */

enum { LR_EOF = 0, LR_LINE = 1, LR_TOOLONG = 2, LR_ERROR = -1 };

struct lines {
	int		 fd;
	int		 kind;		/* of the source: SRC_* in lineio.c */
	z_stream	 z;		/* next_in, avail_in: raw bytes held */
	unsigned char	*raw;
	const char	*error;		/* why LR_ERROR: for messages */
	const char	*name;		/* for messages: the path or "-" */
	char		*buf;
	size_t		 cap, start, end;
	unsigned long	 lineno;	/* of the line last returned */
	off_t		 offset;	/* uncompressed offset after it */
	int		 eof;		/* no more data for now */
	int		 partial;	/* last line had no newline */
	int		 hold_partial;	/* keep an unfinished last line back */
	size_t		 max;		/* longest line kept; LINE_MAX_BYTES */
	size_t		 chunk;		/* the buffer grows by this */
	const unsigned char *mem;	/* read from memory (lr_mem), or NULL */
	size_t		 memlen;
};

/*
 * From now on, lr_open of name reads data, not a file (NULL: no name
 * does): the fuzzers' way in, through each tool's own entry points,
 * without a file written and read for each input.
 */
void	lr_mem(const char *name, const void *data, size_t n);

int	lr_open(struct lines *, const char *path);	/* -1 with errno */
/* LR_ERROR leaves its reason in error */
int	lr_next(struct lines *, char **line, size_t *len);
int	lr_seek(struct lines *, off_t);	/* resume at an offset */
void	lr_rewind_eof(struct lines *);	/* read again after EOF (follow) */
void	lr_close(struct lines *);

#endif
