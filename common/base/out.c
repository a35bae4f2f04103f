#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "out.h"
#include "safefile.h"
#include "util.h"

#define OUT_BUFSZ (64 * 1024)

static char		out_buf[OUT_BUFSZ];
static size_t		out_len;
static int		out_fd = STDOUT_FILENO;
static const char	*out_name = "stdout";
static int		out_exiting;	/* exit(3) must not be called again */
static int		out_failed;	/* the error is told once */

static void
write_all(const char *p, size_t n)
{
	while (n > 0 && !out_failed) {
		ssize_t w = write(out_fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EPIPE)
			_exit(EXIT_FATAL);	/* reader is gone: nothing to say */
		if (w <= 0)
			out_failed = 1;
		if (w <= 0 && out_exiting) {
			warn("write %s", out_name);
			_exit(EXIT_FATAL);
		}
		if (w <= 0)
			err(EXIT_FATAL, "write %s", out_name);
		p += w;
		n -= (size_t)w;
	}
}

void
out_flush(void)
{
	size_t n = out_len;

	out_len = 0;
	write_all(out_buf, n);
}

static void
flush_at_exit(void)
{
	out_exiting = 1;
	out_flush();
}

static void
open_as(const char *path, int append)
{
	/* EPIPE, not a signal, so that a closed pipe ends us in one place. */
	signal(SIGPIPE, SIG_IGN);
	atexit(flush_at_exit);
	if (path == NULL || strcmp(path, "-") == 0) {
		pipe_widen(out_fd);
		return;
	}
	out_fd = sf_output(path, append);
	out_name = path;
}

void
out_open(const char *path)
{
	open_as(path, 0);
}

void
out_append(const char *path)
{
	open_as(path, 1);
}

int
out_mark(struct out_mark *m)
{
	struct stat st;

	out_flush();
	if (out_fd == STDOUT_FILENO)
		return 0;
	if (fstat(out_fd, &st) < 0)
		err(EXIT_FATAL, "%s", out_name);
	if (!S_ISREG(st.st_mode))
		return 0;
	m->dev = st.st_dev;
	m->ino = st.st_ino;
	m->len = st.st_size;
	return 1;
}

void
out_cut(off_t len)
{
	if (ftruncate(out_fd, len) < 0)
		err(EXIT_FATAL, "%s: cutting back to %lld bytes", out_name,
		    (long long)len);
}

void
out_write(const void *p, size_t n)
{
	if (n > sizeof(out_buf) - out_len) {
		out_flush();
		if (n > sizeof(out_buf)) {
			write_all(p, n);
			return;
		}
	}
	memcpy(out_buf + out_len, p, n);
	out_len += n;
}

void
out_close(void)
{
	out_flush();
	if (out_fd == STDOUT_FILENO)
		return;
	if (fsync(out_fd) < 0 && errno != EINVAL)
		err(EXIT_FATAL, "fsync %s", out_name);
	if (close(out_fd) < 0)
		err(EXIT_FATAL, "close %s", out_name);
	out_fd = STDOUT_FILENO;
}
