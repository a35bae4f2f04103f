/*
 * Lines to records to events: each line's record goes to the event it
 * opens or completes.
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "evtparse.h"
#include "lineio.h"
#include "util.h"

static long long now_ms;	/* the latest log time seen */
struct seen	 seen_max = { -1, 0 };

static int
event_record(struct record *r, struct kvs *fs, int kind)
{
	const struct kv *f;
	const char *mode = "";
	unsigned long code;
	size_t modelen;

	if (kind == EV_SECCOMP) {	/* the action stands for the mode */
		if ((f = kv_get(fs, "code")) != NULL &&
		    parse_hex(f->val, f->vlen, &code) &&
		    seccomp_action(code) != NULL)
			mode = seccomp_action(code);
		modelen = strlen(mode);
	} else if ((f = kv_get(fs, "apparmor")) != NULL) {
		mode = f->val;
		modelen = f->vlen;
	} else if ((mode = apparmor_mode_of_type(r->type)) != NULL) {
		modelen = strlen(mode);
	} else {
		return 0;	/* an SELinux AVC */
	}
	if (!event_wanted(kind, mode, modelen, r, fs)) {
		stats.filtered++;
		return 0;
	}
	if (kind == EV_APPARMOR)
		stats.apparmor++;
	else
		stats.seccomp++;
	return events_add(r, kind, kind == EV_APPARMOR ? mode : "",
	    kind == EV_APPARMOR ? modelen : 0, fs) ? 2 : 1;
}

/* The first record past a bound on the records of one id. */
static void
too_many(struct input *in, unsigned long lineno, const struct record *r)
{
	bad_input(in->lr.name, lineno, "too many records with the audit id "
	    "%lld.%03d:%lu: no more are joined into one event",
	    r->sec, r->ms, r->serial);
}

/* A loss report, timed like any record without an id. */
static void
lost_report(struct input *in, struct lost *l)
{
	if (!l->has_id && !syslog_time(l->prefix, l->prefixlen, in->year_ref,
	    &l->sec, &l->ms)) {
		l->sec = now_ms > 0 ? now_ms / 1000 : -1;	/* -1: unknown */
		l->ms = (int)(now_ms % 1000);
	}
	if (l->sec >= 0 && !time_wanted(l->sec * 1000 + l->ms))
		return;
	stats.lost++;
	emit_lost(l);
}

/* USER_AVC: the AppArmor fields are inside msg='...'. */
static int
user_avc_fields(struct kvs *fs, const struct record *r)
{
	const struct kv *msg;
	struct kvs outer = { 0 };
	int rc = -1;

	if (kv_parse(&outer, r->body, r->bodylen, 0) == 0 &&
	    (msg = kv_get(&outer, "msg")) != NULL)
		rc = kv_parse(fs, msg->val, msg->vlen, 0);
	free(outer.v);
	return rc;
}

/* 1 when the record opened an event or joined one. */
static int
handle_record(struct input *in, struct record *r, unsigned long lineno)
{
	static struct kvs fs;
	struct event *waiting = NULL;
	struct lost l;
	int kind, rc;

	kind = r->type == T_SECCOMP ? EV_SECCOMP :
	    (r->type == T_AVC || r->type == T_USER_AVC ||
	    apparmor_mode_of_type(r->type) != NULL) ? EV_APPARMOR : 0;
	if (kind == 0) {
		if (lost_record(r, &l)) {
			lost_report(in, &l);
			return 0;
		}
		if (r->type != T_SYSCALL && r->type != T_CWD &&
		    r->type != T_PROCTITLE && r->type != T_EOE)
			return 0;
		if ((waiting = events_waiting(r)) == NULL)
			return 0;	/* context for no event of ours */
		if (r->type == T_EOE) {
			events_end(waiting);
			return 1;
		}
	}
	fs.n = 0;
	rc = r->type == T_USER_AVC ? user_avc_fields(&fs, r) :
	    kv_parse(&fs, r->body, r->bodylen, 0);
	if (rc == 0 && r->enrlen > 0)
		rc = kv_parse(&fs, r->enriched, r->enrlen, F_ENRICHED);
	if (rc < 0 && kind != 0) {
		bad_input(in->lr.name, lineno,
		    "truncated record: a quoted value is never closed");
		return 0;
	}
	if (kind != 0)
		rc = event_record(r, &fs, kind);
	else
		rc = events_context(waiting, &fs) ? 2 : 1;
	if (rc == 2)
		too_many(in, lineno, r);
	return rc != 0;
}

/*
 * A userspace message (USER_AVC) may hold a newline: its msg='...' then
 * goes on in the next line, which starts with white space.
 */
static struct {
	char		*line;
	size_t		 len, cap;
	unsigned long	 lineno;
} held;

static int
msg_left_open(const struct record *r)
{
	const char *m;

	if (r->type != T_USER_AVC ||
	    (m = memmem(r->body, r->bodylen, "msg='", 5)) == NULL)
		return 0;
	m += 5;
	return memchr(m, '\'', r->bodylen - (size_t)(m - r->body)) == NULL;
}

static void
hold(const char *line, size_t len, unsigned long lineno)
{
	if (held.len + len + 1 > held.cap) {
		held.cap = held.len + len + 1024;
		held.line = xrealloc(held.line, held.cap);
	}
	if (held.len > 0)
		held.line[held.len++] = ' ';
	memcpy(held.line + held.len, line, len);
	held.len += len;
	if (lineno > 0)
		held.lineno = lineno;
}

/* A record any program could have written: skipped, and said. */
static void
untrusted(struct input *in, unsigned long lineno, const struct record *r,
    const char *who, size_t n)
{
	stats.untrusted++;
	if (who == NULL && isspace((unsigned char)r->prefix[0]))
		bad_input(in->lr.name, lineno, "an audit record in the indented "
		    "rest of another line's message: skipped");
	else if (who == NULL)
		bad_input(in->lr.name, lineno, "an audit record after a syslog "
		    "date that no program name follows: skipped");
	else
		bad_input(in->lr.name, lineno, "an audit record written by "
		    "%.*s, not by the kernel or auditd: skipped (--trust %.*s "
		    "reads it)", (int)n, who, (int)n, who);
}

static void
record_line(struct input *in, const char *line, size_t len,
    unsigned long lineno, int may_hold)
{
	struct record r;
	struct lost l;
	const char *why = NULL, *who;
	size_t n;
	long long t;

	switch (parse_logline(line, len, &r, &why)) {
	case REC_NONE:
		if (lost_line(line, len, r.audit_word, &l) &&
		    producer_trusted(l.prefix, l.prefixlen, &who, &n))
			lost_report(in, &l);
		return;
	case REC_BAD:
		bad_input(in->lr.name, lineno, "%s", why);
		return;
	}
	if (!producer_trusted(r.prefix, r.prefixlen, &who, &n)) {
		untrusted(in, lineno, &r, who, n);
		return;
	}
	if (may_hold && msg_left_open(&r)) {
		hold(line, len, lineno);
		return;
	}
	stats.records++;
	if (r.has_id) {
		t = r.sec * 1000 + r.ms;
		/*
		 * Seen before, unless it is of an event carried over still
		 * open and not one of the lines it was carried with.
		 */
		if (in->skip_seen && (t < in->seen_ms ||
		    (t == in->seen_ms && r.serial <= in->seen_serial)) &&
		    (events_waiting(&r) == NULL ||
		    carry_has(record_key(&r), line, len)))
			return;
		if (t > seen_max.ms || (t == seen_max.ms &&
		    r.serial > seen_max.serial)) {
			seen_max.ms = t;
			seen_max.serial = r.serial;
		}
		if (t > now_ms)
			now_ms = t;
	} else if (!syslog_time(r.prefix, r.prefixlen, in->year_ref, &r.sec,
	    &r.ms)) {
		r.sec = now_ms / 1000;
		r.ms = (int)(now_ms % 1000);
	}
	if (handle_record(in, &r, lineno) && carrying && r.has_id)
		carry_keep(record_key(&r), line, len);
	events_pump(now_ms);
}

static void
release_held(struct input *in)
{
	size_t len = held.len;

	if (len == 0)
		return;
	held.len = 0;
	record_line(in, held.line, len, held.lineno, 0);
}

static void
handle_line(struct input *in, const char *line, size_t len)
{
	stats.lines++;
	if (held.len > 0 && len > 0 && (line[0] == ' ' || line[0] == '\t')) {
		hold(line, len, 0);
		release_held(in);
		return;
	}
	release_held(in);
	record_line(in, line, len, in->lr.lineno, 1);
}

void
read_lines(struct input *in)
{
	char *line;
	size_t len;
	int rc;

	while ((rc = lr_next(&in->lr, &line, &len)) != LR_EOF) {
		if (rc == LR_LINE)
			handle_line(in, line, len);
		else if (rc == LR_TOOLONG)
			bad_input(in->lr.name, in->lr.lineno,
			    "line longer than %u bytes", LINE_MAX_BYTES);
		else {
			bad_input(in->lr.name, in->lr.lineno + 1, "%s",
			    in->lr.error);
			break;
		}
	}
	release_held(in);	/* a continuation never crosses files or runs */
}

/* A line carried over from the last run: from names the checkpoint. */
void
read_carried(const char *line, size_t len, void *from)
{
	static struct input carried;

	carried.lr.name = from;
	carried.year_ref = time(NULL);
	record_line(&carried, line, len, 0, 0);
}

/*
 * Now, for closing open events: the log's latest time, or the clock's
 * when later.  The kernel writes an event's records within moments, so
 * one older than that by the wait will get no more.
 */
long long
settle_time(void)
{
	struct timespec now;
	long long wall;

	clock_gettime(CLOCK_REALTIME, &now);
	wall = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	return wall > now_ms ? wall : now_ms;
}

/* Open path; 0 if it cannot be read (reported, counted). */
int
input_open(struct input *in, const char *path)
{
	struct stat st;

	memset(in, 0, sizeof(*in));
	in->path = path;
	if (lr_open(&in->lr, path) < 0) {
		bad_file(path);
		return 0;
	}
	in->lr.hold_partial = opts.follow;
	in->year_ref = time(NULL);
	if (strcmp(path, "-") != 0 && stat(path, &st) == 0) {
		in->year_ref = st.st_mtime;
		in->dev = st.st_dev;
		in->ino = st.st_ino;
	}
	return 1;
}

/*
 * When the first record a trusted producer wrote in path was made: its
 * id, or the date before it (syslog, journal; a year from the file's
 * mtime); with no record saying, the file's mtime.
 */
struct firstrec
first_record(const char *path, const struct stat *st)
{
	struct firstrec f = { (long long)st->st_mtime * 1000 +
	    st->st_mtim.tv_nsec / 1000000, 0 };
	struct lines lr;
	struct record r;
	const char *why, *who;
	char *line;
	size_t len, n;
	int rc;

	if (lr_open(&lr, path) < 0)
		return f;		/* reported when it is read */
	while ((rc = lr_next(&lr, &line, &len)) != LR_EOF && rc != LR_ERROR) {
		if (rc != LR_LINE || parse_logline(line, len, &r, &why) !=
		    REC_OK || !producer_trusted(r.prefix, r.prefixlen, &who,
		    &n))
			continue;
		if (!r.has_id && !syslog_time(r.prefix, r.prefixlen,
		    st->st_mtime, &r.sec, &r.ms))
			continue;
		f.ms = r.sec * 1000 + r.ms;
		f.serial = r.has_id ? r.serial : 0;
		break;
	}
	lr_close(&lr);
	return f;
}

int
cmp_first(const struct firstrec *x, const struct firstrec *y)
{
	if (x->ms != y->ms)
		return x->ms < y->ms ? -1 : 1;
	if (x->serial != y->serial)
		return x->serial < y->serial ? -1 : 1;
	return 0;
}

struct placed {
	const char	*path;
	struct firstrec	 first;
	int		 at;		/* its place as given */
};

static int
cmp_placed(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;
	int c = cmp_first(&x->first, &y->first);

	return c != 0 ? c : x->at - y->at;
}

/*
 * Files given in any order (a shell's glob puts audit.log before
 * audit.log.1) in the order of their first records, so that a timeline
 * runs forward; a file with none at its modification time, one that
 * cannot be read at the end.  A pipe (the standard input, <(...)) cannot
 * be looked into first: with one, the order stays as given.
 */
void
oldest_first(const char **paths, int n)
{
	struct placed *v = xcalloc((size_t)n, sizeof(*v));
	struct stat st;
	int i, ok;

	for (i = 0; i < n && strcmp(paths[i], "-") != 0; i++) {
		if ((ok = stat(paths[i], &st) == 0) && !S_ISREG(st.st_mode))
			break;		/* read once, as it comes */
		v[i].path = paths[i];
		v[i].at = i;
		if (!ok)
			v[i].first.ms = LLONG_MAX;
		else
			v[i].first = first_record(paths[i], &st);
	}
	if (i == n) {
		qsort(v, (size_t)n, sizeof(*v), cmp_placed);
		for (i = 0; i < n; i++)
			paths[i] = v[i].path;
	}
	free(v);
}
