/*
 * aa-evtparse: audit logs in, one JSON object per AppArmor or seccomp
 * event out.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evtparse.h"
#include "lineio.h"
#include "out.h"
#include "util.h"

struct opts	opts = { EV_APPARMOR | EV_SECCOMP, NULL, NULL, -1, -1, 0 };
struct stats	stats;
static long long now_ms;	/* the latest log time seen */

static const char usage_line[] =
    "usage: aa-evtparse [-f] [--event apparmor|seccomp] [--mode LIST] "
    "[--profile NAME] [--since TIME] [--until TIME] [--checkpoint FILE] "
    "[--stats] [--strict] [-o FILE] [FILE ...]";

static void
usage(void)
{
	fprintf(stderr, "%s\n", usage_line);
	exit(EXIT_FATAL);
}

static void
help(void)
{
	printf("%s\n\n"
	    "Read audit logs (auditd, kern.log, syslog, dmesg, journald; plain or\n"
	    "gzip) and write one JSON object per AppArmor or seccomp event.\n\n"
	    "  --event KIND       only apparmor or only seccomp events\n"
	    "  --mode LIST        only these modes or actions (DENIED,ALLOWED,kill_process,...)\n"
	    "  --profile NAME     only events of profile NAME and its children NAME//...\n"
	    "  --since TIME       only events at or after TIME (epoch seconds or ISO 8601)\n"
	    "  --until TIME       only events before TIME\n"
	    "  --checkpoint FILE  resume where the last run with FILE stopped\n"
	    "  -f, --follow       keep reading as the files grow or are rotated\n"
	    "  --stats            print counts on stderr at the end\n"
	    "  --strict           stop at the first malformed line (exit 2)\n"
	    "  -o FILE            write to FILE instead of stdout\n"
	    "  --help, --version\n\n"
	    "Exit status: 0 all read, 1 some input skipped, 2 usage or write error.\n",
	    usage_line);
	exit(EXIT_OK);
}

static char **
split_list(const char *s)
{
	char *copy = xstrdup(s), *tok, **v = NULL;
	size_t n = 0;

	for (tok = strtok(copy, ","); tok != NULL; tok = strtok(NULL, ",")) {
		v = xrealloc(v, (n + 2) * sizeof(*v));
		v[n++] = tok;
	}
	if (v == NULL)
		usage();
	v[n] = NULL;
	return v;
}

static int
mode_wanted(const char *mode, size_t len)
{
	char **m;

	if (opts.modes == NULL)
		return 1;
	for (m = opts.modes; *m != NULL; m++)
		if (strlen(*m) == len && strncasecmp(*m, mode, len) == 0)
			return 1;
	return 0;
}

/* NAME itself or a child NAME//...; labels may be hex-encoded. */
static int
profile_wanted(const struct field *f)
{
	char buf[4096];
	const char *p;
	size_t n, want;

	if (opts.profile == NULL)
		return 1;
	if (f == NULL)
		return 0;
	p = f->val;
	n = f->vlen;
	if (!(f->flags & F_QUOTED) && n <= 2 * sizeof(buf) &&
	    (want = hex_decode(p, n, buf)) > 0) {
		p = buf;
		n = want;
	}
	if (n > 2 && p[n - 1] == ')' && memchr(p, ' ', n) != NULL)
		n = (size_t)((const char *)memrchr(p, ' ', n) - p);
	want = strlen(opts.profile);
	return n >= want && memcmp(p, opts.profile, want) == 0 &&
	    (n == want || (n > want + 1 && p[want] == '/' && p[want + 1] == '/'));
}

static int
time_wanted(const struct record *r)
{
	long long t = r->sec * 1000 + r->ms;

	return (opts.since_ms < 0 || t >= opts.since_ms) &&
	    (opts.until_ms < 0 || t < opts.until_ms);
}

static const struct field *
profile_field(const struct fields *fs)
{
	const struct field *f;

	if ((f = fields_get(fs, "profile")) == NULL &&
	    (f = fields_get(fs, "label")) == NULL)
		f = fields_get(fs, "subj");
	return f;
}

static void
event_record(struct record *r, struct fields *fs, int kind)
{
	const struct field *f;
	const char *mode;
	size_t modelen;

	if (kind == EV_APPARMOR) {
		if ((f = fields_get(fs, "apparmor")) != NULL) {
			mode = f->val;
			modelen = f->vlen;
		} else if ((mode = apparmor_mode_of_type(r->type)) != NULL) {
			modelen = strlen(mode);
		} else {
			return;		/* an SELinux AVC */
		}
	} else {
		f = fields_get(fs, "code");
		mode = "";
		modelen = 0;
		unsigned long code;
		if (f != NULL && parse_hex(f->val, f->vlen, &code) &&
		    seccomp_action(code) != NULL) {
			mode = seccomp_action(code);
			modelen = strlen(mode);
		}
	}
	if (!(opts.events & kind) || !mode_wanted(mode, modelen) ||
	    !profile_wanted(profile_field(fs)) || !time_wanted(r)) {
		stats.filtered++;
		return;
	}
	if (kind == EV_APPARMOR)
		stats.apparmor++;
	else
		stats.seccomp++;
	events_add(r, kind, kind == EV_APPARMOR ? mode : "", 
	    kind == EV_APPARMOR ? modelen : 0, fs);
}

/* USER_AVC: the AppArmor fields are inside msg='...'. */
static int
user_avc_fields(struct fields *fs, const struct record *r)
{
	const struct field *msg;
	struct fields outer = { 0 };
	int rc = -1;

	if (fields_parse(&outer, r->body, r->bodylen, 0) == 0 &&
	    (msg = fields_get(&outer, "msg")) != NULL)
		rc = fields_parse(fs, msg->val, msg->vlen, 0);
	free(outer.v);
	return rc;
}

static void
handle_record(struct input *in, struct record *r)
{
	static struct fields fs;
	int kind, rc;

	kind = r->type == T_SECCOMP ? EV_SECCOMP :
	    (r->type == T_AVC || r->type == T_USER_AVC ||
	    apparmor_mode_of_type(r->type) != NULL) ? EV_APPARMOR : 0;
	if (kind == 0 && r->type != T_SYSCALL && r->type != T_CWD &&
	    r->type != T_PROCTITLE && r->type != T_EOE)
		return;
	if (r->type == T_EOE) {
		events_end(r);
		return;
	}
	fs.n = 0;
	rc = r->type == T_USER_AVC ? user_avc_fields(&fs, r) :
	    fields_parse(&fs, r->body, r->bodylen, 0);
	if (rc == 0 && r->enrlen > 0)
		rc = fields_parse(&fs, r->enriched, r->enrlen, F_ENRICHED);
	if (rc < 0 && kind != 0) {
		bad_input(in->lr.name, in->lr.lineno,
		    "truncated record: a quoted value is never closed");
		return;
	}
	if (kind == 0)
		events_context(r, &fs);
	else
		event_record(r, &fs, kind);
}

static void
handle_line(struct input *in, const char *line, size_t len)
{
	struct record r;
	const char *why = NULL;
	long long t;

	stats.lines++;
	switch (parse_logline(line, len, &r, &why)) {
	case REC_NONE:
		return;
	case REC_BAD:
		bad_input(in->lr.name, in->lr.lineno, "%s", why);
		return;
	}
	stats.records++;
	if (r.has_id) {
		t = r.sec * 1000 + r.ms;
		if (in->skip_seen && (t < in->seen_ms ||
		    (t == in->seen_ms && r.serial <= in->seen_serial)))
			return;
		checkpoint_saw(t, r.serial);
		if (t > now_ms)
			now_ms = t;
	} else if (!syslog_time(r.prefix, r.prefixlen, in->year_ref, &r.sec,
	    &r.ms)) {
		r.sec = now_ms / 1000;
		r.ms = (int)(now_ms % 1000);
	}
	handle_record(in, &r);
	events_pump(now_ms);
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
			bad_input(in->lr.name, in->lr.lineno + 1,
			    "read error or corrupt compressed data");
			break;
		}
	}
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

static void
print_stats(void)
{
	fprintf(stderr, "aa-evtparse: %lu lines, %lu audit records, "
	    "%lu apparmor events, %lu seccomp events, %lu filtered out, "
	    "%lu malformed\n", stats.lines, stats.records, stats.apparmor,
	    stats.seccomp, stats.filtered, bad_input_count);
}

int
main(int argc, char **argv)
{
	enum { O_EVENT = 256, O_MODE, O_PROFILE, O_SINCE, O_UNTIL, O_CKPT,
	    O_STATS, O_STRICT, O_HELP, O_VERSION };
	static const struct option longopts[] = {
		{ "event", required_argument, NULL, O_EVENT },
		{ "mode", required_argument, NULL, O_MODE },
		{ "profile", required_argument, NULL, O_PROFILE },
		{ "since", required_argument, NULL, O_SINCE },
		{ "until", required_argument, NULL, O_UNTIL },
		{ "checkpoint", required_argument, NULL, O_CKPT },
		{ "follow", no_argument, NULL, 'f' },
		{ "stats", no_argument, NULL, O_STATS },
		{ "strict", no_argument, NULL, O_STRICT },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, O_HELP },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	const char *outpath = NULL, *ckpt = NULL, *stdin_only[] = { "-" };
	const char **paths;
	struct input *inputs;
	int c, want_stats = 0, i, npaths, nopen = 0;

	while ((c = getopt_long(argc, argv, "fo:", longopts, NULL)) != -1) {
		switch (c) {
		case O_EVENT:
			if (strcmp(optarg, "apparmor") == 0)
				opts.events = EV_APPARMOR;
			else if (strcmp(optarg, "seccomp") == 0)
				opts.events = EV_SECCOMP;
			else
				usage();
			break;
		case O_MODE:	opts.modes = split_list(optarg); break;
		case O_PROFILE:	opts.profile = optarg; break;
		case O_SINCE:
			if (!parse_when(optarg, &opts.since_ms))
				usage();
			break;
		case O_UNTIL:
			if (!parse_when(optarg, &opts.until_ms))
				usage();
			break;
		case O_CKPT:	ckpt = optarg; break;
		case 'f':	opts.follow = 1; break;
		case O_STATS:	want_stats = 1; break;
		case O_STRICT:	bad_input_strict = 1; break;
		case 'o':	outpath = optarg; break;
		case O_HELP:	help(); break;
		case O_VERSION:	print_version(); break;
		default:	usage();
		}
	}
	argc -= optind;
	argv += optind;
	paths = argc > 0 ? (const char **)argv : stdin_only;
	npaths = argc > 0 ? argc : 1;

	out_open(outpath);
	if (ckpt != NULL)
		checkpoint_load(ckpt);
	inputs = xcalloc((size_t)npaths, sizeof(*inputs));
	for (i = 0; i < npaths; i++) {
		if (!input_open(&inputs[nopen], paths[i]))
			continue;
		if (ckpt != NULL) {
			inputs[nopen].lr.hold_partial = 1;
			checkpoint_resume(&inputs[nopen]);
		}
		read_lines(&inputs[nopen++]);
	}
	if (opts.follow)
		follow(inputs, (size_t)nopen);
	events_flush();
	out_flush();
	if (ckpt != NULL) {
		for (i = 0; i < nopen; i++)
			checkpoint_note(&inputs[i]);
		checkpoint_save();
	}
	if (want_stats)
		print_stats();
	out_close();
	return exit_status();
}
