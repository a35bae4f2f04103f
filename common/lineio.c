#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lineio.h"
#include "util.h"

#define READ_CHUNK (256 * 1024)

int
lr_open(struct lines *lr, const char *path)
{
	struct stat st;
	int fd;

	memset(lr, 0, sizeof(*lr));
	lr->name = path;
	lr->max = LINE_MAX_BYTES;
	if (strcmp(path, "-") == 0)
		fd = dup(STDIN_FILENO);
	else
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;		/* not "corrupt data" at the first read */
		return -1;
	}
	if ((lr->gz = gzdopen(fd, "rb")) == NULL) {
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	gzbuffer(lr->gz, READ_CHUNK);
	lr->cap = 2 * READ_CHUNK;
	lr->buf = xmalloc(lr->cap);
	return 0;
}

/* Read more data after the buffered bytes; 0 at EOF, -1 on error. */
static int
fill(struct lines *lr)
{
	int n, zerr = Z_OK;

	if (lr->start > 0) {
		memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
		lr->end -= lr->start;
		lr->start = 0;
	}
	if (lr->cap - lr->end < READ_CHUNK) {
		lr->cap *= 2;
		lr->buf = xrealloc(lr->buf, lr->cap);
	}
	n = gzread(lr->gz, lr->buf + lr->end, (unsigned)(lr->cap - lr->end));
	if (n == 0)
		gzerror(lr->gz, &zerr);	/* a cut gzip stream ends early */
	if (n < 0 || (n == 0 && zerr != Z_OK && zerr != Z_STREAM_END))
		return -1;
	lr->end += (size_t)n;
	return n;
}

/* Drop a line too long to hold, up to and including its newline. */
static int
skip_long(struct lines *lr)
{
	char *nl;
	int n;

	for (;;) {
		lr->offset += lr->end - lr->start;
		lr->start = lr->end = 0;
		if ((n = fill(lr)) <= 0)
			return n < 0 ? LR_ERROR : LR_TOOLONG;
		if ((nl = memchr(lr->buf, '\n', lr->end)) != NULL) {
			lr->start = (size_t)(nl - lr->buf) + 1;
			lr->offset += lr->start;
			return LR_TOOLONG;
		}
	}
}

int
lr_next(struct lines *lr, char **line, size_t *len)
{
	size_t scanned = 0;
	char *p, *nl;
	int n;

	for (;;) {
		p = lr->buf + lr->start;
		nl = memchr(p + scanned, '\n', lr->end - lr->start - scanned);
		if (nl != NULL)
			break;
		scanned = lr->end - lr->start;
		if (scanned >= lr->max) {
			lr->lineno++;
			return skip_long(lr);
		}
		if ((n = fill(lr)) < 0)
			return LR_ERROR;
		if (n == 0) {
			lr->eof = 1;
			if (lr->end == lr->start || lr->hold_partial)
				return LR_EOF;
			/* a last line with no newline */
			lr->partial = 1;
			lr->lineno++;
			*line = lr->buf + lr->start;
			*len = lr->end - lr->start;
			lr->offset += *len;
			lr->start = lr->end;
			return LR_LINE;
		}
	}
	lr->partial = 0;
	lr->lineno++;
	*line = p;
	*len = (size_t)(nl - p);
	lr->offset += *len + 1;
	lr->start += *len + 1;
	if (*len > 0 && p[*len - 1] == '\r')
		(*len)--;
	return LR_LINE;
}

int
lr_seek(struct lines *lr, off_t off)
{
	if (gzseek(lr->gz, off, SEEK_SET) < 0)
		return -1;
	lr->start = lr->end = 0;
	lr->offset = off;
	lr->eof = 0;
	return 0;
}

void
lr_rewind_eof(struct lines *lr)
{
	gzclearerr(lr->gz);
	lr->eof = 0;
}

void
lr_close(struct lines *lr)
{
	if (lr->gz != NULL)
		gzclose(lr->gz);
	free(lr->buf);
	memset(lr, 0, sizeof(*lr));
}
