/*
 * Cgroup v2 ids and paths.  An event carries its task's cgroup id; the
 * path is found from the id (a kernfs file handle), not from /proc, as
 * a short-lived task is gone before user space could look.
 */
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "util.h"
#include "watch.h"

#define FILEID_KERNFS	0xfe

static char		*root;		/* where cgroup2 is mounted */
static int		 root_fd = -1;
static struct htab	 paths;		/* id -> path, "" if unknown */

static int
find_root(void)
{
	char line[4096], mnt[PATH_MAX], fstype[64];
	FILE *f;

	if (root_fd >= 0)
		return 1;
	if ((f = fopen("/proc/self/mountinfo", "re")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		const char *dash = strstr(line, " - ");

		if (dash == NULL || sscanf(dash, " - %63s", fstype) != 1 ||
		    strcmp(fstype, "cgroup2") != 0 ||
		    sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		root = xstrdup(mnt);
		break;
	}
	fclose(f);
	if (root == NULL)
		return 0;
	root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return root_fd >= 0;
}

static char *
lookup(uint64_t id)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh = { .handle_bytes = sizeof(uint64_t),
	    .handle_type = FILEID_KERNFS }, .id = id };
	char link[64], path[PATH_MAX];
	size_t rootlen = strlen(root);
	ssize_t n;
	int fd;

	if ((fd = open_by_handle_at(root_fd, &h.fh, O_RDONLY | O_CLOEXEC)) < 0)
		return xstrdup("");
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	close(fd);
	if (n < 0 || (size_t)n < rootlen || memcmp(path, root, rootlen) != 0)
		return xstrdup("");
	path[n] = '\0';
	return xstrdup(path[rootlen] == '\0' ? "/" : path + rootlen);
}

/* The cgroup's path below the cgroup2 root, or NULL if unknown. */
const char *
cgroup_path(uint64_t id)
{
	char *p;

	if (!find_root())
		return NULL;
	if ((p = htab_get(&paths, id)) == NULL) {
		p = lookup(id);
		htab_put(&paths, id, p);
	}
	return *p ? p : NULL;
}

/*
 * A cgroup named by its path below the cgroup2 root (or its full path
 * under the mount): its id, and its depth for the ancestor check.
 */
int
cgroup_resolve(const char *path, uint64_t *id, int *level)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh = { .handle_bytes = sizeof(uint64_t) } };
	char full[PATH_MAX];
	const char *rel, *p;
	size_t rootlen;
	int mount_id;

	if (!find_root()) {
		warnx("no cgroup2 filesystem is mounted");
		return 0;
	}
	rootlen = strlen(root);
	rel = path;
	if (strncmp(path, root, rootlen) == 0 &&
	    (path[rootlen] == '/' || path[rootlen] == '\0'))
		rel = path + rootlen;
	snprintf(full, sizeof(full), "%s/%s", root, rel);
	if (name_to_handle_at(AT_FDCWD, full, &h.fh, &mount_id, 0) < 0 ||
	    h.fh.handle_bytes != sizeof(uint64_t)) {
		warn("cgroup %s", full);
		return 0;
	}
	*id = h.id;
	*level = 0;
	for (p = rel; *p; p++)
		if (*p != '/' && (p == rel || p[-1] == '/'))
			(*level)++;
	return 1;
}

void
cgroup_free(void)
{
	size_t i = 0;
	char *p;

	while ((p = htab_next(&paths, &i, NULL)) != NULL)
		free(p);
	htab_free(&paths);
	free(root);
	if (root_fd >= 0)
		close(root_fd);
}
