/*
 * --checkpoint: where each file was left, and the newest record seen, so
 * that a cron job gets every event once across runs and rotations.  A
 * file is the same file if its inode and its first line are: inodes get
 * reused, and copytruncate keeps the inode.  If the file was rotated, the
 * rest of the old one is read first: found by inode and first line
 * (audit.log.1), or, when compression changed that, the newest rotated
 * sibling read past the newest record seen.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evtparse.h"
#include "hash.h"
#include "util.h"

#define CK_MAGIC "aa-evtparse-checkpoint 2"
#define HEAD_BYTES 512		/* of the first line, to know a file again */

struct ck {
	char		*path;
	dev_t		 dev;
	ino_t		 ino;
	off_t		 off;
	uint64_t	 head;
};

static const char	*ck_file;
static struct ck	*cks;
static size_t		 ncks;
static long long	 seen_ms = -1;
static unsigned long	 seen_serial;

/* A hash of the start of a file's first line; 0 for an empty file. */
static uint64_t
head_hash(const char *path)
{
	char buf[HEAD_BYTES], *nl;
	gzFile gz;
	int n;

	if ((gz = gzopen(path, "rb")) == NULL)
		return 0;
	n = gzread(gz, buf, sizeof(buf));
	gzclose(gz);
	if (n <= 0)
		return 0;
	if ((nl = memchr(buf, '\n', (size_t)n)) != NULL)
		n = (int)(nl - buf);
	return hash_bytes(buf, (size_t)n, 0) | 1;
}

static int
same_file(const struct ck *c, const char *path, const struct stat *st)
{
	return st->st_dev == c->dev && st->st_ino == c->ino &&
	    st->st_size >= c->off &&
	    (c->head == 0 || head_hash(path) == c->head);
}

static struct ck *
ck_find(const char *path)
{
	size_t i;

	for (i = 0; i < ncks; i++)
		if (strcmp(cks[i].path, path) == 0)
			return &cks[i];
	cks = xrealloc(cks, (ncks + 1) * sizeof(*cks));
	memset(&cks[ncks], 0, sizeof(cks[ncks]));
	cks[ncks].path = xstrdup(path);
	cks[ncks].off = -1;
	return &cks[ncks++];
}

void
checkpoint_load(const char *file)
{
	char line[8192], path[4096];
	unsigned long long dev, ino, head;
	long long off;
	struct ck *c;
	FILE *fp;

	ck_file = file;
	if ((fp = fopen(file, "r")) == NULL) {
		if (errno == ENOENT)
			return;
		err(EXIT_FATAL, "%s", file);
	}
	if (fgets(line, sizeof(line), fp) == NULL ||
	    sscanf(line, CK_MAGIC " %lld %lu", &seen_ms, &seen_serial) != 2)
		errx(EXIT_FATAL, "%s: not an aa-evtparse checkpoint", file);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%llu %llu %lld %llx %4095[^\n]", &dev, &ino,
		    &off, &head, path) != 5)
			errx(EXIT_FATAL, "%s: corrupt checkpoint line", file);
		c = ck_find(path);
		c->dev = (dev_t)dev;
		c->ino = (ino_t)ino;
		c->off = (off_t)off;
		c->head = head;
	}
	fclose(fp);
}

void
checkpoint_saw(long long ms, unsigned long serial)
{
	if (ms > seen_ms || (ms == seen_ms && serial > seen_serial)) {
		seen_ms = ms;
		seen_serial = serial;
	}
}

/* A rotated sibling of path: NAME.1, NAME-20261123, NAME.2.gz ... */
static char *
rotated_sibling(const char *path, const struct ck *c, int *by_inode)
{
	char *dcopy = xstrdup(path), *bcopy = xstrdup(path), *dir, *base;
	char *best = NULL, full[8192];
	time_t best_mtime = 0;
	struct dirent *de;
	struct stat st;
	size_t blen;
	DIR *d;

	dir = dirname(dcopy);
	base = basename(bcopy);
	blen = strlen(base);
	*by_inode = 0;
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strncmp(de->d_name, base, blen) != 0 ||
			    strchr(".-_", de->d_name[blen]) == NULL ||
			    de->d_name[blen] == '\0')
				continue;
			snprintf(full, sizeof(full), "%s/%s", dir, de->d_name);
			if (stat(full, &st) < 0 || !S_ISREG(st.st_mode))
				continue;
			if (same_file(c, full, &st)) {
				free(best);
				best = xstrdup(full);
				*by_inode = 1;
				break;
			}
			if (best == NULL || st.st_mtime > best_mtime) {
				free(best);
				best = xstrdup(full);
				best_mtime = st.st_mtime;
			}
		}
		closedir(d);
	}
	free(dcopy);
	free(bcopy);
	return best;
}

static void
read_rotated(const char *path, const struct ck *c)
{
	struct input old;
	char *sib;
	int by_inode;

	if ((sib = rotated_sibling(path, c, &by_inode)) == NULL)
		return;
	if (input_open(&old, sib)) {
		old.lr.hold_partial = 1;
		if (by_inode)
			lr_seek(&old.lr, c->off);
		else {
			old.skip_seen = 1;
			old.seen_ms = seen_ms;
			old.seen_serial = seen_serial;
		}
		read_lines(&old);
		lr_close(&old.lr);
	}
	free(sib);
}

void
checkpoint_resume(struct input *in)
{
	struct ck *c;
	struct stat st;

	if (strcmp(in->path, "-") == 0 || stat(in->path, &st) < 0)
		return;
	c = ck_find(in->path);
	if (c->off < 0)
		return;			/* a file new to this checkpoint */
	if (same_file(c, in->path, &st)) {
		if (lr_seek(&in->lr, c->off) < 0)
			bad_input(in->path, 0, "cannot seek to the checkpoint");
		return;
	}
	read_rotated(in->path, c);
}

void
checkpoint_note(const struct input *in)
{
	struct ck *c;

	if (strcmp(in->path, "-") == 0)
		return;
	c = ck_find(in->path);
	c->dev = in->dev;
	c->ino = in->ino;
	c->off = in->lr.offset;
	c->head = head_hash(in->path);
}

void
checkpoint_save(void)
{
	char tmp[8192];
	size_t i;
	FILE *fp;

	snprintf(tmp, sizeof(tmp), "%s.tmp", ck_file);
	if ((fp = fopen(tmp, "w")) == NULL)
		err(EXIT_FATAL, "%s", tmp);
	fprintf(fp, CK_MAGIC " %lld %lu\n", seen_ms, seen_serial);
	for (i = 0; i < ncks; i++)
		if (cks[i].off >= 0)
			fprintf(fp, "%llu %llu %lld %llx %s\n",
			    (unsigned long long)cks[i].dev,
			    (unsigned long long)cks[i].ino,
			    (long long)cks[i].off,
			    (unsigned long long)cks[i].head, cks[i].path);
	if (fflush(fp) != 0 || fsync(fileno(fp)) != 0 || fclose(fp) != 0)
		err(EXIT_FATAL, "%s", tmp);
	if (rename(tmp, ck_file) < 0)
		err(EXIT_FATAL, "rename %s", ck_file);
}
