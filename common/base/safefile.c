#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safefile.h"
#include "util.h"

/* Whether others can write the directory st describes. */
static int
sf_shared(const struct stat *st)
{
	return (st->st_mode & (S_IWGRP | S_IWOTH)) != 0 ||
	    (st->st_uid != geteuid() && st->st_uid != 0);
}

/*
 * Whether the link name in dirfd may be followed: a link in a directory
 * only we and root can write was made by one of us; in a sticky one,
 * only our own links stay ours (nobody else can replace them).
 */
static int
may_follow(int dirfd, const char *name)
{
	struct stat d, l;

	if (fstat(dirfd, &d) < 0 || fstatat(dirfd, name, &l,
	    AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (!sf_shared(&d))
		return 1;
	return (d.st_mode & S_ISVTX) && l.st_uid == geteuid();
}

/* The directory name in dirfd, opened; a link only as may_follow says. */
static int
open_dir(int dirfd, const char *name, const char *path)
{
	int flags = O_PATH | O_DIRECTORY | O_CLOEXEC, fd;
	struct stat st = { 0 };

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode) && !may_follow(dirfd, name))
		errx(EXIT_FATAL, "%s: %s is a symbolic link in a directory "
		    "others can write; not followed", path, name);
	if (!S_ISLNK(st.st_mode))
		flags |= O_NOFOLLOW;	/* and stays no link */
	if ((fd = openat(dirfd, name, flags)) < 0)
		err(EXIT_FATAL, "%s", path);
	return fd;
}

int
sf_parent(const char *path, const char **name)
{
	char *copy = xstrdup(path), *p, *slash;
	int fd, next;

	fd = open(*path == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		err(EXIT_FATAL, "%s", path);
	for (p = copy; (slash = strchr(p, '/')) != NULL; p = slash + 1) {
		*slash = '\0';
		if (*p == '\0' || strcmp(p, ".") == 0)
			continue;
		next = open_dir(fd, p, path);
		close(fd);
		fd = next;
	}
	*name = path + (p - copy);
	free(copy);
	if (**name == '\0')
		errx(EXIT_FATAL, "%s: names a directory, not a file", path);
	return fd;
}

/*
 * Refuse a file others may have made or written: in a shared directory,
 * one not ours or with other links; with mine_only, also one others can
 * write, and one others can read becomes 0600.
 */
static void
check_own(int fd, const char *path, int shared_dir, int mine_only)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		err(EXIT_FATAL, "%s", path);
	if (!S_ISREG(st.st_mode)) {
		if (mine_only || (shared_dir && st.st_uid != geteuid()))
			errx(EXIT_FATAL, "%s: not a regular file of ours; "
			    "refused", path);
		return;
	}
	if ((shared_dir || mine_only) && st.st_uid != geteuid())
		errx(EXIT_FATAL, "%s: owned by uid %lu, not by us (uid %lu); "
		    "refused: remove it, or choose another path", path,
		    (unsigned long)st.st_uid, (unsigned long)geteuid());
	if ((shared_dir || mine_only) && st.st_nlink != 1)
		errx(EXIT_FATAL, "%s: has %lu hard links; refused", path,
		    (unsigned long)st.st_nlink);
	if (mine_only && (st.st_mode & (S_IWGRP | S_IWOTH)))
		errx(EXIT_FATAL, "%s: others can write it (mode %04o); "
		    "refused: remove it", path, st.st_mode & 07777);
	if (mine_only && (st.st_mode & 077) && fchmod(fd, 0600) < 0)
		err(EXIT_FATAL, "%s: chmod 0600", path);
}

int
sf_output(const char *path, int append)
{
	const char *name;
	struct stat d;
	int dirfd, fd, shared;

	dirfd = sf_parent(path, &name);
	if (fstat(dirfd, &d) < 0)
		err(EXIT_FATAL, "%s", path);
	shared = sf_shared(&d);
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd >= 0 && fchmod(fd, 0600) < 0)
		err(EXIT_FATAL, "%s: chmod 0600", path);
	if (fd < 0 && errno == EEXIST) {
		int mode = O_WRONLY | O_CLOEXEC | (append ? O_APPEND : 0);

		fd = openat(dirfd, name, mode | O_NOFOLLOW);
		if (fd < 0 && errno == ELOOP && may_follow(dirfd, name))
			fd = openat(dirfd, name, mode);
		else if (fd < 0 && errno == ELOOP)
			errx(EXIT_FATAL, "%s: a symbolic link in a directory "
			    "others can write; not followed", path);
		if (fd >= 0) {
			check_own(fd, path, shared, 0);
			if (!append && ftruncate(fd, 0) < 0 && errno != EINVAL)
				err(EXIT_FATAL, "%s", path);
		}
	}
	if (fd < 0)
		err(EXIT_FATAL, "%s", path);
	close(dirfd);
	return fd;
}

int
sf_open_own(int dirfd, const char *name, const char *path, int flags)
{
	int fd = openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC, 0600);
	struct stat st;

	/* O_CREAT on a link in a sticky directory fails EACCES, not ELOOP */
	if (fd < 0 && (errno == ELOOP || errno == EACCES) &&
	    fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode))
		errx(EXIT_FATAL, "%s: a symbolic link; refused", path);
	if (fd < 0 && errno == ENOENT && !(flags & O_CREAT))
		return -1;
	if (fd < 0)
		err(EXIT_FATAL, "%s", path);
	check_own(fd, path, 1, 1);
	return fd;
}

int
sf_temp(int dirfd, const char *name, char *tmpname)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char r[6];
	size_t n = strlen(name);
	int fd, tries, i;

	for (tries = 0; tries < 100; tries++) {
		if (getrandom(r, sizeof(r), 0) != sizeof(r))
			err(EXIT_FATAL, "getrandom");
		memcpy(tmpname, name, n);
		tmpname[n] = '.';
		for (i = 0; i < 6; i++)
			tmpname[n + 1 + i] = abc[r[i] % (sizeof(abc) - 1)];
		tmpname[n + 7] = '\0';
		fd = openat(dirfd, tmpname, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 && fchmod(fd, 0600) == 0)
			return fd;
		if (fd >= 0 || errno != EEXIST)
			err(EXIT_FATAL, "%s: temporary file", name);
	}
	errx(EXIT_FATAL, "%s: no free temporary name", name);
}
