/*
 * Makes exactly the mount-family syscalls a test names, so that what
 * bpf-mountwatch reports can be checked field by field.  Run it inside a
 * private mount namespace (unshare -m).  Builds as 64- and 32-bit.
 *
 *   mountcalls mount SRC TARGET FSTYPE FLAGS DATA   ("-": a NULL pointer)
 *   mountcalls umount TARGET FLAGS
 *   mountcalls pivot NEW_ROOT PUT_OLD
 *   mountcalls newmount FSTYPE SOURCE TARGET ATTR [KEY[=VALUE]...]
 *   mountcalls binary FSTYPE KEY HEXBYTES
 *   mountcalls opentree SOURCE TARGET FLAGS
 *   mountcalls setattr TARGET FLAGS ATTR_SET ATTR_CLR PROPAGATION
 *   mountcalls reconfigure TARGET [KEY[=VALUE]...]
 *   mountcalls fault TARGET          mount(2) with an unreadable source
 *   mountcalls unshare               unshare(CLONE_NEWNS), setns back
 *   mountcalls clone3                a child in a new mount namespace
 *   mountcalls storm WORKERS PAIRS DIR
 *
 * Numbers may be hex (0x...).  Each prints nothing and exits 0 when every
 * syscall it makes returns what the test asked for; a syscall meant to
 * fail is up to the caller to expect through the watcher.
 */
#define _GNU_SOURCE
#include <err.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_open_tree
#define SYS_open_tree		428
#define SYS_move_mount		429
#define SYS_fsopen		430
#define SYS_fsconfig		431
#define SYS_fsmount		432
#define SYS_fspick		433
#endif
#ifndef SYS_clone3
#define SYS_clone3		435
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr	442
#endif

struct mount_attr_ {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

static const char *
str(const char *s)
{
	return strcmp(s, "-") == 0 ? NULL : s;
}

static unsigned long
num(const char *s)
{
	return strtoul(s, NULL, 0);
}

static long
check(long r, const char *what)
{
	if (r < 0)
		err(1, "%s", what);
	return r;
}

/* Each KEY=VALUE a string option, each KEY a flag. */
static void
configure(int fd, char **opts)
{
	for (; *opts != NULL; opts++) {
		char *eq = strchr(*opts, '=');

		if (eq != NULL) {
			*eq = '\0';
			check(syscall(SYS_fsconfig, fd, FSCONFIG_SET_STRING,
			    *opts, eq + 1, 0), "fsconfig");
		} else {
			check(syscall(SYS_fsconfig, fd, FSCONFIG_SET_FLAG,
			    *opts, NULL, 0), "fsconfig");
		}
	}
}

static void
newmount(char **argv)
{
	int fs, mnt;

	fs = (int)check(syscall(SYS_fsopen, argv[0], FSOPEN_CLOEXEC), "fsopen");
	check(syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "source", argv[1],
	    0), "fsconfig source");
	configure(fs, argv + 4);
	check(syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0),
	    "fsconfig create");
	mnt = (int)check(syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, num(argv[3])),
	    "fsmount");
	check(syscall(SYS_move_mount, mnt, "", AT_FDCWD, argv[2],
	    MOVE_MOUNT_F_EMPTY_PATH), "move_mount");
	close(mnt);
	close(fs);
}

static void
binary(char **argv)
{
	unsigned char blob[256];
	size_t n = 0;
	const char *h;
	int fs;

	for (h = argv[2]; h[0] && h[1] && n < sizeof(blob); h += 2)
		sscanf(h, "%2hhx", &blob[n++]);
	fs = (int)check(syscall(SYS_fsopen, argv[0], FSOPEN_CLOEXEC), "fsopen");
	syscall(SYS_fsconfig, fs, FSCONFIG_SET_BINARY, argv[1], blob, n);
	close(fs);
}

static void
opentree(char **argv)
{
	int t = (int)check(syscall(SYS_open_tree, AT_FDCWD, argv[0],
	    num(argv[2])), "open_tree");

	check(syscall(SYS_move_mount, t, "", AT_FDCWD, argv[1],
	    MOVE_MOUNT_F_EMPTY_PATH), "move_mount");
	close(t);
}

static void
setattr(char **argv)
{
	struct mount_attr_ attr = { num(argv[2]), num(argv[3]), num(argv[4]), 0 };

	check(syscall(SYS_mount_setattr, AT_FDCWD, argv[0], num(argv[1]), &attr,
	    sizeof(attr)), "mount_setattr");
}

static void
reconfigure(char **argv)
{
	int fs = (int)check(syscall(SYS_fspick, AT_FDCWD, argv[0],
	    FSPICK_CLOEXEC), "fspick");

	configure(fs, argv + 1);
	check(syscall(SYS_fsconfig, fs, FSCONFIG_CMD_RECONFIGURE, NULL, NULL,
	    0), "fsconfig reconfigure");
	close(fs);
}

static void
namespaces(void)
{
	int self = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);

	check(self, "/proc/self/ns/mnt");
	check(unshare(CLONE_NEWNS), "unshare");
	check(setns(self, CLONE_NEWNS), "setns");
	close(self);
}

static void
clone3_newns(void)
{
	struct clone_args args = { .flags = CLONE_NEWNS,
	    .exit_signal = SIGCHLD };
	long pid = check(syscall(SYS_clone3, &args, sizeof(args)), "clone3");
	int status;

	if (pid == 0)
		_exit(0);
	waitpid((pid_t)pid, &status, 0);
}

static void
storm(char **argv)
{
	int workers = (int)num(argv[0]), pairs = (int)num(argv[1]), w, i, st;
	char dir[4096];

	for (w = 0; w < workers; w++) {
		if (fork() != 0)
			continue;
		snprintf(dir, sizeof(dir), "%s/%d", argv[2], w);
		for (i = 0; i < pairs; i++) {
			check(syscall(SYS_mount, "storm", dir, "tmpfs", 0UL,
			    NULL), "mount");
			check(syscall(SYS_umount2, dir, 0), "umount2");
		}
		_exit(0);
	}
	while (wait(&st) > 0)
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			errx(1, "a worker failed");
}

int
main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";

	if (strcmp(op, "mount") == 0 && argc == 7)
		syscall(SYS_mount, str(argv[2]), str(argv[3]), str(argv[4]),
		    num(argv[5]), str(argv[6]));
	else if (strcmp(op, "umount") == 0 && argc == 4)
		syscall(SYS_umount2, argv[2], num(argv[3]));
	else if (strcmp(op, "pivot") == 0 && argc == 4)
		syscall(SYS_pivot_root, argv[2], argv[3]);
	else if (strcmp(op, "newmount") == 0 && argc >= 6)
		newmount(argv + 2);
	else if (strcmp(op, "binary") == 0 && argc == 5)
		binary(argv + 2);
	else if (strcmp(op, "opentree") == 0 && argc == 5)
		opentree(argv + 2);
	else if (strcmp(op, "setattr") == 0 && argc == 7)
		setattr(argv + 2);
	else if (strcmp(op, "reconfigure") == 0 && argc >= 3)
		reconfigure(argv + 2);
	else if (strcmp(op, "fault") == 0 && argc == 3)
		syscall(SYS_mount, (char *)8, argv[2], "tmpfs", 0UL, NULL);
	else if (strcmp(op, "unshare") == 0 && argc == 2)
		namespaces();
	else if (strcmp(op, "clone3") == 0 && argc == 2)
		clone3_newns();
	else if (strcmp(op, "storm") == 0 && argc == 5)
		storm(argv + 2);
	else
		errx(2, "usage: see the comment at the top of mountcalls.c");
	return 0;
}
