/*
 * A program to run under a seccomp filter: a little real work with a
 * fixed set of syscalls, so that a profile learned from one run lets the
 * next one through.
 *
 *   seccomp-probe            read the head of its own binary (openat,
 *                            read, close), getppid, clock_gettime, then
 *                            write "ok" and exit 0
 *   seccomp-probe --extra    the same, then one syscall it never makes
 *                            otherwise, sysinfo: if that fails it writes
 *                            "sysinfo: <strerror>" instead of "ok" and
 *                            exits 3 for EPERM, 1 for anything else
 *
 * Every syscall is made directly: clock_gettime through syscall(2), not
 * the vDSO, and output through write(2), not stdio (whose first write
 * would also fstat stdout).  A syscall of the common part that fails is
 * reported by err(3) and the status is 1.
 */
#include <sys/syscall.h>
#include <sys/sysinfo.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
say(const char *line)
{
	size_t len = strlen(line);

	if (write(STDOUT_FILENO, line, len) != (ssize_t)len)
		err(1, "write");
}

/* The first bytes of our own binary must be an ELF header. */
static void
read_self(const char *path)
{
	char magic[4];
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "open %s", path);
	if (read(fd, magic, sizeof(magic)) != (ssize_t)sizeof(magic))
		err(1, "read %s", path);
	if (memcmp(magic, "\177ELF", sizeof(magic)) != 0)
		errx(1, "%s: not an ELF file", path);
	if (close(fd) == -1)
		err(1, "close %s", path);
}

static void
work(const char *self)
{
	struct timespec ts;

	read_self(self);
	if (getppid() <= 0)
		errx(1, "getppid: no parent");
	if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) == -1)
		err(1, "clock_gettime");
}

/* The unusual syscall: 0 when allowed, else the exit status. */
static int
extra(void)
{
	struct sysinfo info;
	char line[128];
	int e;

	if (syscall(SYS_sysinfo, &info) == 0)
		return 0;
	e = errno;
	snprintf(line, sizeof(line), "sysinfo: %s\n", strerror(e));
	say(line);
	return e == EPERM ? 3 : 1;
}

int
main(int argc, char *argv[])
{
	int status;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--extra") != 0)) {
		fprintf(stderr, "usage: seccomp-probe [--extra]\n");
		return 2;
	}
	work(argv[0]);
	if (argc == 2 && (status = extra()) != 0)
		return status;
	say("ok\n");
	return 0;
}
