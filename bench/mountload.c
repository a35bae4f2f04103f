/*
 * mountload: load for bench/mountwatch.sh.
 *
 *   mountload pairs N DIR   in a private mount namespace of its own, N
 *                           times: mount a tmpfs on DIR, umount it
 *   mountload getppid N     N calls of syscall(SYS_getppid)
 *
 * Prints one line on stdout, "pairs N SECONDS PAIRS_PER_S" or
 * "getppid N SECONDS NS_PER_CALL"; the clock is CLOCK_MONOTONIC and
 * covers the loop only.  Exit 1 on any failed syscall.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		err(1, "clock_gettime");
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long
count(const char *s)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *s == '-' || v == 0)
		errx(1, "not a positive count: %s", s);
	return v;
}

static void
usage(void)
{
	fprintf(stderr, "usage: mountload pairs N DIR | mountload getppid N\n");
	exit(1);
}

static void
pairs(unsigned long n, const char *dir)
{
	unsigned long i;
	double t0, t;

	/* Our own namespace, propagating nothing back to the host's. */
	if (unshare(CLONE_NEWNS) < 0)
		err(1, "unshare(CLONE_NEWNS)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		err(1, "making / private");
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		err(1, "%s", dir);

	t0 = now();
	for (i = 0; i < n; i++) {
		if (mount("mountload", dir, "tmpfs", 0, "size=64k") < 0)
			err(1, "mount tmpfs on %s (pair %lu)", dir, i);
		if (umount2(dir, 0) < 0)
			err(1, "umount %s (pair %lu)", dir, i);
	}
	t = now() - t0;
	printf("pairs %lu %.6f %.1f\n", n, t, (double)n / t);
}

static void
getppids(unsigned long n)
{
	unsigned long i;
	double t0, t;

	t0 = now();
	for (i = 0; i < n; i++)
		if (syscall(SYS_getppid) < 0)
			err(1, "getppid");
	t = now() - t0;
	printf("getppid %lu %.6f %.2f\n", n, t, t * 1e9 / (double)n);
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "pairs") == 0)
		pairs(count(argv[2]), argv[3]);
	else if (argc == 3 && strcmp(argv[1], "getppid") == 0)
		getppids(count(argv[2]));
	else
		usage();
	if (fflush(stdout) != 0 || ferror(stdout))
		err(1, "stdout");
	return 0;
}
