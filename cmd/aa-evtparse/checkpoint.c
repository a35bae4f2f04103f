/*
 * --checkpoint: where each file was left, the newest record seen, when
 * the run started, and the lines of events still open at its end, so
 * that a cron job gets every event once, whole, across runs and
 * rotations.
 *
 * A file is the same file if its inode and its first line are: inodes
 * get reused, and copytruncate keeps the inode.  When the file was
 * rotated, every rotated sibling (NAME.1, NAME.2.gz, NAME-20261123, ...)
 * written since the last run is read first, oldest first: the one that
 * was the file from where it was left, the others past the newest
 * record seen.  One run at a time: the checkpoint is locked for the
 * whole run, and the lock is taken before any input is read, which also
 * proves the checkpoint can be written.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "evtparse.h"
#include "hash.h"
#include "out.h"
#include "safefile.h"
#include "util.h"

#define CK_MAGIC	"aa-evtparse-checkpoint"
#define HEAD_BYTES	512	/* of the first line, to know a file again */
/* File times come from a coarse clock: a margin before "since the last run". */
#define MTIME_SLACK_NS	2000000000LL

struct ck {
	char		*path;
	dev_t		 dev;
	ino_t		 ino;
	off_t		 off;
	uint64_t	 head;
};

static const char	*ck_file;
static const char	*ck_name;	/* its last component, in ck_dir */
static int		 ck_dir = -1;
static struct ck	*cks;
static size_t		 ncks;
static long long	 last_start_ns;	/* when the last run started; 0: unknown */
static long long	 start_ns;	/* this run's */
static struct out_mark	 out_at;	/* the output as the run left it */
static int		 out_known;
static struct cline {
	char		*s;
	size_t		 len;
} *carried;				/* the lines carried over */
static size_t		 ncarried;

static long long
ns_of(struct timespec ts)
{
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

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

/*
 * The lock, FILE.lock beside the checkpoint, held until the process
 * ends.  Made before any input is read: a directory that is missing or
 * not writable is found before anything is written.  Only we can open
 * it (0600, ours: safefile.h), so no one else can hold it to stall us.
 */
void
checkpoint_lock(const char *file, int wait_s)
{
	char *lock = xmalloc(strlen(file) + 6);
	struct timespec now;
	int fd, waited_ms = 0;

	ck_file = file;
	clock_gettime(CLOCK_REALTIME, &now);
	start_ns = ns_of(now);
	ck_dir = sf_parent(file, &ck_name);
	if (faccessat(ck_dir, ".", W_OK | X_OK, AT_EACCESS) < 0)
		err(EXIT_FATAL, "%s: the checkpoint's directory", file);
	sprintf(lock, "%s.lock", file);
	fd = sf_open_own(ck_dir, lock + (ck_name - file), lock,
	    O_RDWR | O_CREAT);
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK)
			err(EXIT_FATAL, "%s", lock);
		if (waited_ms >= wait_s * 1000)
			errx(EXIT_LOCKED, "%s: another run holds the checkpoint; "
			    "gave up after %d s, read and wrote nothing", file,
			    wait_s);
		usleep(100000);
		waited_ms += 100;
	}
	free(lock);
}

/* "carry LEN" then LEN bytes and a newline, for each carried line. */
static void
load_carried(FILE *fp, const char *line)
{
	size_t len;

	struct cline *c;

	if (sscanf(line, "carry %zu", &len) != 1 || len > LINE_MAX_BYTES)
		errx(EXIT_FATAL, "%s: corrupt checkpoint line", ck_file);
	carried = xrealloc(carried, (ncarried + 1) * sizeof(*carried));
	c = &carried[ncarried++];
	c->s = xmalloc(len + 1);
	c->len = len;
	if (fread(c->s, 1, len, fp) != len || fgetc(fp) != '\n')
		errx(EXIT_FATAL, "%s: corrupt carried line", ck_file);
}

void
checkpoint_load(void)
{
	char line[8192], path[4096];
	unsigned long long dev, ino, head;
	long long off;
	int version, n, fd;
	struct ck *c;
	FILE *fp;

	if ((fd = sf_open_own(ck_dir, ck_name, ck_file, O_RDONLY)) < 0)
		return;			/* the first run */
	if ((fp = fdopen(fd, "r")) == NULL)
		err(EXIT_FATAL, "%s", ck_file);
	if (fgets(line, sizeof(line), fp) == NULL ||
	    (n = sscanf(line, CK_MAGIC " %d %lld %lu %lld", &version,
	    &seen_max.ms, &seen_max.serial, &last_start_ns)) < 3 ||
	    version < 2 || version > 4 || (version > 2 && n != 4))
		errx(EXIT_FATAL, "%s: not an aa-evtparse checkpoint", ck_file);
	if (version == 2)
		last_start_ns = 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, "carry ", 6) == 0) {
			load_carried(fp, line);
			continue;
		}
		if (strncmp(line, "output ", 7) == 0) {
			if (sscanf(line, "output %llu %llu %lld", &dev, &ino,
			    &off) != 3 || off < 0)
				errx(EXIT_FATAL, "%s: corrupt checkpoint line",
				    ck_file);
			out_at.dev = (dev_t)dev;
			out_at.ino = (ino_t)ino;
			out_at.len = (off_t)off;
			out_known = 1;
			continue;
		}
		if (sscanf(line, "%llu %llu %lld %llx %4095[^\n]", &dev, &ino,
		    &off, &head, path) != 5)
			errx(EXIT_FATAL, "%s: corrupt checkpoint line", ck_file);
		c = ck_find(path);
		c->dev = (dev_t)dev;
		c->ino = (ino_t)ino;
		c->off = (off_t)off;
		c->head = head;
	}
	fclose(fp);
}

static void
write_carried(const char *line, size_t len, void *fp)
{
	fprintf(fp, "carry %zu\n", len);
	fwrite(line, 1, len, fp);
	fputc('\n', fp);
}

/*
 * Written whole to a new file, then renamed over the checkpoint; start:
 * when the run that read what it says started (0: not known).  Lines
 * carried from the last run are in it until they are read again.
 */
static void
save(long long start)
{
	char *tmp = xmalloc(strlen(ck_name) + 8);
	size_t i;
	FILE *fp;

	if ((fp = fdopen(sf_temp(ck_dir, ck_name, tmp), "w")) == NULL)
		err(EXIT_FATAL, "%s", ck_file);
	fprintf(fp, CK_MAGIC " 4 %lld %lu %lld\n", seen_max.ms,
	    seen_max.serial, start);
	if (out_known)
		fprintf(fp, "output %llu %llu %lld\n",
		    (unsigned long long)out_at.dev,
		    (unsigned long long)out_at.ino, (long long)out_at.len);
	for (i = 0; i < ncks; i++)
		if (cks[i].off >= 0)
			fprintf(fp, "%llu %llu %lld %llx %s\n",
			    (unsigned long long)cks[i].dev,
			    (unsigned long long)cks[i].ino,
			    (long long)cks[i].off,
			    (unsigned long long)cks[i].head, cks[i].path);
	for (i = 0; i < ncarried; i++)
		write_carried(carried[i].s, carried[i].len, fp);
	carry_each(events_queued, write_carried, fp);
	if (fflush(fp) != 0 || fsync(fileno(fp)) != 0 || fclose(fp) != 0) {
		int e = errno;

		unlinkat(ck_dir, tmp, 0);
		errno = e;
		err(EXIT_FATAL, "%s: writing the checkpoint", ck_file);
	}
	if (renameat(ck_dir, tmp, ck_dir, ck_name) < 0)
		err(EXIT_FATAL, "rename %s", ck_file);
	free(tmp);
}

void
checkpoint_save(void)
{
	save(start_ns);
}

/*
 * The output file as the last run committed it: what a run killed before
 * its checkpoint was saved added to it, the next run writes again.  An
 * output the checkpoint does not know yet is known before anything is
 * written to it: the checkpoint is saved again, as it was loaded.
 */
void
checkpoint_cut_output(const char *path)
{
	struct out_mark now;

	if (!out_mark(&now))
		return;			/* the standard output, a pipe */
	if (!out_known || now.dev != out_at.dev || now.ino != out_at.ino) {
		out_at = now;		/* a new file: all of it is before us */
		out_known = 1;
		save(last_start_ns);
		return;
	}
	if (now.len <= out_at.len)
		return;
	warnx("%s: %lld bytes past the %lld the last finished run left, "
	    "written by a run that did not finish: cut, to be written again",
	    path, (long long)(now.len - out_at.len), (long long)out_at.len);
	out_cut(out_at.len);
}

/* The output as this run leaves it, all written: what the next keeps. */
void
checkpoint_note_output(void)
{
	out_known = out_mark(&out_at);
}

/* The events the last run left open come first, whole. */
void
checkpoint_replay(void)
{
	size_t i;

	for (i = 0; i < ncarried; i++) {
		read_carried(carried[i].s, carried[i].len, (void *)ck_file);
		free(carried[i].s);
	}
	free(carried);
	carried = NULL;
	ncarried = 0;
}

/* After NAME: .N, -DATE, _N, each maybe .gz; digits, dots, dashes. */
static int
rotation_suffix(const char *s)
{
	size_t n = strlen(s), i;
	int digits = 0;

	if (n > 3 && strcmp(s + n - 3, ".gz") == 0)
		n -= 3;
	if (n < 2 || strchr(".-_", s[0]) == NULL)
		return 0;
	for (i = 1; i < n; i++) {
		if (strchr("0123456789.-_", s[i]) == NULL)
			return 0;
		digits += s[i] >= '0' && s[i] <= '9';
	}
	return digits > 0;
}

/*
 * A file's place among its siblings: the time and serial of its first
 * record, as a file's clock may not tell (two rotations in one tick of
 * a 1-second mtime); a file without one stands at its mtime.  mtime
 * and name break what is left.
 */
struct sibling {
	char		*path;
	struct firstrec	 first;
	long long	 mtime_ns;
	int		 same;		/* the file the checkpoint left */
};

static int
cmp_sibling(const void *a, const void *b)
{
	const struct sibling *x = a, *y = b;
	int c = cmp_first(&x->first, &y->first);

	if (c != 0)
		return c;
	if (x->mtime_ns != y->mtime_ns)
		return x->mtime_ns < y->mtime_ns ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* The rotated siblings of path written since the last run, oldest first. */
static size_t
siblings(const char *path, const struct ck *c, struct sibling **out)
{
	char *dcopy = xstrdup(path), *bcopy = xstrdup(path), *dir, *base;
	char full[8192];
	struct sibling *v = NULL;
	struct dirent *de;
	struct stat st;
	size_t n = 0, blen;
	DIR *d;

	dir = dirname(dcopy);
	base = basename(bcopy);
	blen = strlen(base);
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			int same;

			if (strncmp(de->d_name, base, blen) != 0 ||
			    !rotation_suffix(de->d_name + blen))
				continue;
			snprintf(full, sizeof(full), "%s/%s", dir, de->d_name);
			if (lstat(full, &st) < 0 || !S_ISREG(st.st_mode))
				continue;
			same = same_file(c, full, &st);
			if (!same && last_start_ns > 0 && ns_of(st.st_mtim) <
			    last_start_ns - MTIME_SLACK_NS)
				continue;	/* all of it was read before */
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n].path = xstrdup(full);
			v[n].mtime_ns = ns_of(st.st_mtim);
			v[n].first = first_record(full, &st);
			v[n++].same = same;
		}
		closedir(d);
	}
	free(dcopy);
	free(bcopy);
	qsort(v, n, sizeof(*v), cmp_sibling);
	*out = v;
	return n;
}

static void
read_sibling(const struct sibling *s, const struct ck *c)
{
	struct input old;

	if (!input_open(&old, s->path))
		return;
	old.lr.hold_partial = 1;
	if (s->same)
		lr_seek(&old.lr, c->off);
	else {
		old.skip_seen = 1;	/* past the newest record read so far */
		old.seen_ms = seen_max.ms;
		old.seen_serial = seen_max.serial;
	}
	read_lines(&old);
	lr_close(&old.lr);
}

void
checkpoint_resume(struct input *in)
{
	struct sibling *sib;
	struct ck *c;
	struct stat st;
	size_t i, n;

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
	n = siblings(in->path, c, &sib);
	for (i = 0; i < n; i++) {
		read_sibling(&sib[i], c);
		free(sib[i].path);
	}
	free(sib);
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

