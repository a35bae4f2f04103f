#include <err.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lineio.h"
#include "util.h"

#define READ_CHUNK (256 * 1024)	/* of lines: the buffer grows by this */
#define RAW_CHUNK (64 * 1024)	/* of the file, compressed or not */
#define MEM_CHUNK 4096		/* from memory: small inputs, many of them */

static struct {
	const char	*name;
	const void	*data;
	size_t		 n;
} mem;

void
lr_mem(const char *name, const void *data, size_t n)
{
	mem.name = name;
	mem.data = data;
	mem.n = n;
}

/* All of memory held as raw input, as if read. */
static void
mem_rewind(struct lines *lr)
{
	lr->z.next_in = (unsigned char *)lr->mem;
	lr->z.avail_in = (uInt)lr->memlen;
}

static int
open_mem(struct lines *lr)
{
	if ((uInt)mem.n != mem.n) {
		errno = EFBIG;
		return -1;
	}
	lr->fd = -1;
	lr->mem = mem.data;
	lr->memlen = mem.n;
	mem_rewind(lr);
	lr->chunk = MEM_CHUNK;
	lr->cap = 2 * lr->chunk;
	lr->buf = xmalloc(lr->cap);
	return 0;
}

enum { SRC_UNKNOWN, SRC_PLAIN, SRC_GZIP, SRC_GZIP_END };

int
lr_open(struct lines *lr, const char *path)
{
	struct stat st;
	int fd;

	memset(lr, 0, sizeof(*lr));
	lr->name = path;
	lr->max = LINE_MAX_BYTES;
	if (mem.name != NULL && strcmp(path, mem.name) == 0)
		return open_mem(lr);
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
	pipe_widen(fd);
	lr->fd = fd;
	lr->raw = xmalloc(RAW_CHUNK);
	lr->chunk = READ_CHUNK;
	lr->cap = 2 * lr->chunk;
	lr->buf = xmalloc(lr->cap);
	return 0;
}

/* Raw bytes after those held, if none are; 0 at the end, -1 on error. */
static int
raw_more(struct lines *lr)
{
	unsigned char *at;
	ssize_t n;

	if (lr->mem != NULL)
		return 0;	/* all of it is held */
	at = lr->raw + lr->z.avail_in;
	if (lr->z.avail_in > 0 && lr->z.next_in != lr->raw)
		memmove(lr->raw, lr->z.next_in, lr->z.avail_in);
	lr->z.next_in = lr->raw;
	do
		n = read(lr->fd, at, RAW_CHUNK - lr->z.avail_in);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		lr->error = strerror(errno);
		return -1;
	}
	lr->z.avail_in += (uInt)n;
	return n > 0;
}

/* The kind of source, from its first two bytes: a gzip magic or not. */
static int
decide(struct lines *lr)
{
	while (lr->z.avail_in < 2 && raw_more(lr) > 0)
		;
	if (lr->z.avail_in < 2 || lr->z.next_in[0] != 0x1f ||
	    lr->z.next_in[1] != 0x8b) {
		lr->kind = SRC_PLAIN;
		return lr->error ? -1 : 0;
	}
	if (inflateInit2(&lr->z, 15 + 16) != Z_OK)
		errx(EXIT_FATAL, "out of memory");
	lr->kind = SRC_GZIP;
	return 0;
}

static int
plain_read(struct lines *lr, char *to, size_t room)
{
	ssize_t n;

	if (lr->z.avail_in > 0) {	/* the bytes decide() looked at */
		n = (ssize_t)(lr->z.avail_in < room ? lr->z.avail_in : room);
		memcpy(to, lr->z.next_in, (size_t)n);
		lr->z.next_in += n;
		lr->z.avail_in -= (uInt)n;
		return (int)n;
	}
	if (lr->mem != NULL)
		return 0;
	do
		n = read(lr->fd, to, room);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		lr->error = strerror(errno);
	return (int)n;
}

/*
 * After a member's end: another member, the end of the file, or bytes
 * that are neither, which would be lost if read past.
 */
static int
next_member(struct lines *lr)
{
	if (lr->z.avail_in == 0 && raw_more(lr) <= 0)
		return lr->error ? -1 : 0;
	if (lr->z.avail_in < 2 && raw_more(lr) < 0)
		return -1;
	if (lr->z.avail_in < 2 || lr->z.next_in[0] != 0x1f ||
	    lr->z.next_in[1] != 0x8b) {
		lr->error = "data after the end of the compressed data";
		return -1;
	}
	inflateReset(&lr->z);
	lr->kind = SRC_GZIP;
	return 1;
}

static int
gzip_read(struct lines *lr, char *to, size_t room)
{
	int rc, more;

	lr->z.next_out = (unsigned char *)to;
	lr->z.avail_out = (uInt)room;
	while (lr->z.avail_out == room) {
		if (lr->kind == SRC_GZIP_END && (more = next_member(lr)) <= 0)
			return more;
		if (lr->z.avail_in == 0 && (more = raw_more(lr)) <= 0) {
			if (more == 0)
				lr->error = "compressed data cut short";
			return -1;
		}
		rc = inflate(&lr->z, Z_NO_FLUSH);
		if (rc == Z_STREAM_END)
			lr->kind = SRC_GZIP_END;
		else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			lr->error = "corrupt compressed data";
			return -1;
		}
	}
	return (int)(room - lr->z.avail_out);
}

/* Read more data after the buffered bytes; 0 at EOF, -1 on error. */
static int
fill(struct lines *lr)
{
	size_t room;
	int n;

	if (lr->start > 0) {
		memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
		lr->end -= lr->start;
		lr->start = 0;
	}
	if (lr->cap - lr->end < lr->chunk) {
		lr->cap *= 2;
		lr->buf = xrealloc(lr->buf, lr->cap);
	}
	if (lr->kind == SRC_UNKNOWN && decide(lr) < 0)
		return -1;
	room = lr->cap - lr->end;
	if (room > INT_MAX)
		room = INT_MAX;
	n = lr->kind == SRC_PLAIN ? plain_read(lr, lr->buf + lr->end, room) :
	    gzip_read(lr, lr->buf + lr->end, room);
	if (n > 0)
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

/*
 * To an uncompressed offset: lseek for a plain file, else from the start
 * again, reading up to it.
 */
int
lr_seek(struct lines *lr, off_t off)
{
	int n;

	if (lr->kind == SRC_UNKNOWN && decide(lr) < 0)
		return -1;
	lr->start = lr->end = 0;
	lr->eof = 0;
	lr->offset = off;
	if (lr->kind == SRC_PLAIN && lr->mem != NULL) {
		mem_rewind(lr);
		off = off < (off_t)lr->memlen ? off : (off_t)lr->memlen;
		lr->z.next_in += off;
		lr->z.avail_in -= (uInt)off;
		return 0;
	}
	if (lr->kind == SRC_PLAIN && lseek(lr->fd, off, SEEK_SET) >= 0) {
		lr->z.avail_in = 0;
		return 0;
	}
	if (lr->mem == NULL && lseek(lr->fd, 0, SEEK_SET) < 0)
		return -1;
	if (lr->kind != SRC_PLAIN)
		inflateEnd(&lr->z);
	memset(&lr->z, 0, sizeof(lr->z));
	if (lr->mem != NULL)
		mem_rewind(lr);
	lr->kind = SRC_UNKNOWN;
	for (; off > 0; off -= n, lr->start = lr->end = 0)
		if ((n = fill(lr)) <= 0)
			return n;	/* past the end: it reads as ended */
		else if (n > off) {
			lr->start = (size_t)off;
			break;
		}
	return 0;
}

/* Read on after the end, for data written since (follow). */
void
lr_rewind_eof(struct lines *lr)
{
	lr->eof = 0;
	lr->error = NULL;
}

void
lr_close(struct lines *lr)
{
	if (lr->kind == SRC_GZIP || lr->kind == SRC_GZIP_END)
		inflateEnd(&lr->z);
	if (lr->buf != NULL && lr->fd >= 0)
		close(lr->fd);
	free(lr->raw);
	free(lr->buf);
	memset(lr, 0, sizeof(*lr));
}
