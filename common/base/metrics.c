#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jsonw.h"
#include "metrics.h"
#include "safefile.h"
#include "util.h"

static const char	*file, *name_in_dir, *prefix;
static int		 dirfd_ = -1;
static void		(*fill_fn)(int);
static struct jw	 text;		/* the file, as it is made */
static char		 last[128];	/* the last metric's name */
static struct timespec	 started;

static double
seconds(struct timespec t)
{
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The last success the old file says, or 0. */
static double
last_success(void)
{
	char want[160], line[256];
	struct stat st;
	double v = 0;
	FILE *fp;
	int fd;

	snprintf(want, sizeof(want), "%s_last_success_timestamp_seconds ",
	    prefix);
	/* ours, a plain file: no one else's figure, no FIFO to hang on */
	if ((fd = openat(dirfd_, name_in_dir, O_RDONLY | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC)) < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (fp = fdopen(fd, "r")) == NULL) {
		close(fd);
		return 0;
	}
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, want, strlen(want)) == 0)
			v = strtod(line + strlen(want), NULL);
	fclose(fp);
	return v > 0 ? v : 0;
}

void
metric(const char *name, const char *help, const char *labels,
    double value)
{
	if (strcmp(name, last) != 0) {
		jw_printf(&text, "# HELP %s_%s %s\n# TYPE %s_%s gauge\n",
		    prefix, name, help, prefix, name);
		snprintf(last, sizeof(last), "%s", name);
	}
	jw_printf(&text, "%s_%s%s%s%s %.17g\n", prefix, name,
	    labels ? "{" : "", labels ? labels : "", labels ? "}" : "",
	    value);
}

const char *
metric_label(char *buf, size_t size, const char *key, const char *value)
{
	char *fixed = utf8_fixed(value, strlen(value));
	const char *v = fixed ? fixed : value;
	size_t n;

	n = (size_t)snprintf(buf, size, "%s=\"", key);
	for (; *v && n + 4 < size; v++) {
		if (*v == '\\' || *v == '"')
			buf[n++] = '\\', buf[n++] = *v;
		else if (*v == '\n')
			buf[n++] = '\\', buf[n++] = 'n';
		else
			buf[n++] = *v;
	}
	buf[n++] = '"';
	buf[n] = '\0';
	free(fixed);
	return buf;
}

/* Written at exit, with the status: a failed run says so too. */
static void
write_at_exit(int status, void *arg)
{
	struct timespec now;
	double success;
	char tmp[4096];
	int fd;

	(void)arg;
	clock_gettime(CLOCK_REALTIME, &now);
	success = status == 0 ? seconds(now) : last_success();
	text.len = 0;
	last[0] = '\0';
	if (fill_fn != NULL)
		fill_fn(status);
	metric("last_run_exit_status", "The exit status of the last run "
	    "(0 all read, 1 some input skipped, 2 trouble).", NULL, status);
	metric("last_run_duration_seconds", "How long the last run took.",
	    NULL, seconds(now) - seconds(started));
	metric("last_run_timestamp_seconds", "When the last run ended.",
	    NULL, seconds(now));
	metric("last_success_timestamp_seconds", "When the last run that "
	    "exited 0 ended; 0: none yet.", NULL, success);
	/* no exit(3) from here: sf_temp's way, by hand, and _exit */
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", name_in_dir, (long)getpid());
	unlinkat(dirfd_, tmp, 0);	/* a killed run's, of this pid */
	fd = openat(dirfd_, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	/* counts only, no audit data: node_exporter, another user, reads it */
	if (fd < 0 || fchmod(fd, 0644) < 0 || write(fd, text.buf, text.len) !=
	    (ssize_t)text.len || fsync(fd) < 0 || close(fd) < 0 ||
	    renameat(dirfd_, tmp, dirfd_, name_in_dir) < 0) {
		warn("%s: writing the metrics", file);
		if (fd >= 0)
			unlinkat(dirfd_, tmp, 0);
		_exit(EXIT_FATAL);
	}
}

void
metrics_init(const char *path, const char *tool_prefix,
    void (*fill)(int status))
{
	clock_gettime(CLOCK_REALTIME, &started);
	file = path;
	prefix = tool_prefix;
	fill_fn = fill;
	dirfd_ = sf_parent(path, &name_in_dir);
	if (faccessat(dirfd_, ".", W_OK | X_OK, AT_EACCESS) < 0)
		err(EXIT_FATAL, "%s: the metrics file's directory", path);
	if (on_exit(write_at_exit, NULL) != 0)
		errx(EXIT_FATAL, "on_exit");
}
