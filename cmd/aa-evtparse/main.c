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
#include <time.h>
#include <unistd.h>

#include "evtparse.h"
#include "lineio.h"
#include "metrics.h"
#include "modes.h"
#include "out.h"
#include "util.h"


static const char usage_line[] =
    "usage: aa-evtparse [-f] [--event apparmor|seccomp] [--mode LIST] "
    "[--profile NAME] [--pid LIST] [--uid LIST] [--comm LIST] [--exe LIST] "
    "[--since TIME] [--until TIME] [--checkpoint FILE] "
    "[--lock-wait SECONDS] [--trust LIST] [--format json|text] [--summary] "
    "[--metrics FILE] [--stats] [--strict] [-o FILE] [FILE ...]";

static const char help_text[] =
	    "Read audit logs (auditd, kern.log, syslog, dmesg, journald; plain or\n"
	    "gzip) and write one JSON object per AppArmor or seccomp event.\n\n"
	    "  --event KIND       only apparmor or only seccomp events\n"
	    "  --mode LIST        only these modes or actions (DENIED,ALLOWED,kill_process,...)\n"
	    "  --profile NAME     only events of profile NAME and its children NAME//...\n"
	    "  --pid LIST         only events of these process ids\n"
	    "  --uid LIST         only events of these user ids (uid, else fsuid)\n"
	    "  --comm LIST        only events of these commands (comm)\n"
	    "  --exe LIST         only events of these executables (exe)\n"
	    "  --since TIME       only events at or after TIME (epoch seconds, ISO 8601,\n"
	    "                     now, today, yesterday, recent, -1h, \"2 days ago\")\n"
	    "  --until TIME       only events before TIME\n"
	    "  --checkpoint FILE  resume where the last run with FILE stopped\n"
	    "  --lock-wait SECONDS  how long to wait for another run holding the\n"
	    "                     checkpoint (default 60), then exit 75\n"
	    "  --trust LIST       also read records that these programs wrote to\n"
	    "                     syslog (beside kernel, audit, auditd, audispd,\n"
	    "                     audisp-syslog)\n"
	    "  --format FORMAT    json (one object per event, the default) or text\n"
	    "                     (one line per event, local times, for people)\n"
	    "  --summary          the events counted by profile, mode, operation and\n"
	    "                     object, most first, instead of the events\n"
	    "  -f, --follow       keep reading as the files grow or are rotated\n"
	    "  --metrics FILE     the run's counts for Prometheus (node_exporter's\n"
	    "                     textfile collector), written at exit\n"
	    "  --stats            print counts on stderr at the end\n"
	    "  --strict           stop at the first malformed line (exit 2)\n"
	    "  -o FILE            write to FILE instead of stdout\n"
	    "  --help, --version\n\n"
	    "Exit status: 0 all read, 1 some input skipped, 2 usage or write error,\n"
	    "75 the checkpoint is held by another run.\n";

static void
print_stats(void)
{
	fprintf(stderr, "aa-evtparse: %lu lines, %lu audit records, "
	    "%lu apparmor events, %lu seccomp events, %lu filtered out, "
	    "%lu loss reports, %lu by untrusted programs, %lu malformed\n",
	    stats.lines, stats.records, stats.apparmor, stats.seccomp,
	    stats.filtered, stats.lost, stats.untrusted,
	    bad_input_count - stats.untrusted);
}

/*
 * Not one event: say what there was instead, exit 1, so that a pipeline
 * over a wrong or empty log does not pass for one with nothing in it.
 * A run with a checkpoint is one of many: finding nothing new is normal.
 */
static int
nothing_found(int nopen)
{
	char seen[512];

	exit_status();		/* what was unsaid is said first */
	profiles_passed_over(seen, sizeof(seen));
	if (nopen == 0)
		warnx("no event: no input could be read");
	else if (stats.lines == 0)
		warnx("no event: the input is empty");
	else if (stats.filtered > 0 && seen[0] != '\0')
		warnx("no event passed the filters: %lu filtered out; --profile "
		    "%s matched none, profiles seen: %s", stats.filtered,
		    opts.profile, seen);
	else if (stats.filtered > 0)
		warnx("no event passed the filters: %lu filtered out by "
		    "--event, --mode, --since, --until, --pid, --uid, --comm "
		    "or --exe", stats.filtered);
	else
		warnx("no AppArmor or seccomp event in %lu lines (%lu audit "
		    "records)", stats.lines, stats.records);
	return EXIT_BADINPUT;
}

/* --metrics: the run's figures, as print_stats gives them and more. */
static void
events_metric(const char *kind, const char *mode, unsigned long n)
{
	char labels[128], k[64], m[64];

	snprintf(labels, sizeof(labels), "%s,%s",
	    metric_label(k, sizeof(k), "kind", kind),
	    metric_label(m, sizeof(m), "mode", mode));
	metric("last_run_events", "Events written by the last run, by kind "
	    "and mode (AppArmor's mode, seccomp's action).", labels, n);
}

static void
lost_reports_metric(const char *reason, unsigned long reports,
    unsigned long records)
{
	char label[96];

	(void)records;
	metric("last_run_loss_reports", "Reports of audit records lost "
	    "before the log, read by the last run, by reason.",
	    metric_label(label, sizeof(label), "reason", reason), reports);
}

static void
lost_records_metric(const char *reason, unsigned long reports,
    unsigned long records)
{
	char label[96];

	(void)reports;
	if (records == 0)
		return;		/* no report said how many */
	metric("last_run_lost_records", "Audit records those reports said "
	    "were lost (where they said how many), by reason.",
	    metric_label(label, sizeof(label), "reason", reason), records);
}

static void
fill_metrics(int status)
{
	(void)status;
	emit_counts(events_metric);
	emit_lost_counts(lost_reports_metric);
	emit_lost_counts(lost_records_metric);
	metric("last_run_lines", "Log lines the last run read.", NULL,
	    stats.lines);
	metric("last_run_records", "Audit records the last run read.", NULL,
	    stats.records);
	metric("last_run_filtered_events", "Events the options left out.",
	    NULL, stats.filtered);
	metric("last_run_bad_lines", "Malformed lines and unreadable files "
	    "the last run skipped (exit status 1).", NULL,
	    bad_input_count - stats.untrusted);
	metric("last_run_untrusted_records", "Audit records in the syslog "
	    "lines of programs not trusted to write them, skipped.", NULL,
	    stats.untrusted);
}

/* What the command line asks for beside opts (filter.c). */
struct args {
	const char	*outpath, *ckpt, *metrics;
	int		 lock_wait, stats;
	const char	**paths;
	int		 npaths;
};

static char **
list_arg(const char *opt, const char *s)
{
	return usage_list(usage_line, opt, s);
}

/* Decimal numbers, as the log writes them: 0100 would match no pid. */
static char **
id_list(const char *opt, const char *s)
{
	char **v = list_arg(opt, s), **p;

	for (p = v; *p != NULL; p++)
		if (strspn(*p, "0123456789") != strlen(*p) ||
		    ((*p)[0] == '0' && (*p)[1] != '\0') || strlen(*p) > 10)
			usage_error(usage_line, "%s %s: not a number as the "
			    "log writes one (%s)", opt, *p, s);
	return v;
}

static void
parse_args(int argc, char **argv, struct args *a)
{
	enum { O_EVENT = 256, O_MODE, O_PROFILE, O_SINCE, O_UNTIL, O_CKPT,
	    O_WAIT, O_STATS, O_STRICT, O_TRUST, O_PID, O_UID, O_COMM, O_EXE,
	    O_FORMAT, O_SUMMARY, O_METRICS };
	static const struct option longopts[] = {
		{ "event", required_argument, NULL, O_EVENT },
		{ "mode", required_argument, NULL, O_MODE },
		{ "profile", required_argument, NULL, O_PROFILE },
		{ "pid", required_argument, NULL, O_PID },
		{ "uid", required_argument, NULL, O_UID },
		{ "comm", required_argument, NULL, O_COMM },
		{ "exe", required_argument, NULL, O_EXE },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "summary", no_argument, NULL, O_SUMMARY },
		{ "metrics", required_argument, NULL, O_METRICS },
		{ "since", required_argument, NULL, O_SINCE },
		{ "until", required_argument, NULL, O_UNTIL },
		{ "checkpoint", required_argument, NULL, O_CKPT },
		{ "lock-wait", required_argument, NULL, O_WAIT },
		{ "follow", no_argument, NULL, 'f' },
		{ "stats", no_argument, NULL, O_STATS },
		{ "strict", no_argument, NULL, O_STRICT },
		{ "trust", required_argument, NULL, O_TRUST },
		STD_LONGOPTS
	};
	static const char *stdin_only[] = { "-" };
	static const char not_a_time[] = "not a time (1700000000, "
	    "@1700000000, 2026-11-23, \"2026-11-23 10:00\", "
	    "2026-11-23T10:00:05Z, now, today, yesterday, recent, -1h, "
	    "\"2 days ago\")";
	const char *bad;
	char *end;
	int c;

	memset(a, 0, sizeof(*a));
	a->lock_wait = 60;
	opterr = 0;		/* one usage line, nothing more */
	while ((c = getopt_long(argc, argv, "f" STD_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case O_EVENT:
			if (strcmp(optarg, "apparmor") == 0)
				opts.events = EV_APPARMOR;
			else if (strcmp(optarg, "seccomp") == 0)
				opts.events = EV_SECCOMP;
			else
				usage_error(usage_line, "--event %s: not apparmor "
				    "or seccomp", optarg);
			break;
		case O_MODE:
			if ((opts.modes = split_list(optarg)) == NULL)
				usage_error(usage_line, "--mode: an empty list");
			if ((bad = mode_unknown(opts.modes)) != NULL)
				usage_error(usage_line, "--mode %s: not %s", bad,
				    modes_known_text);
			break;
		case O_PROFILE:	opts.profile = optarg; break;
		case O_PID:	opts.pids = id_list("--pid", optarg); break;
		case O_UID:	opts.uids = id_list("--uid", optarg); break;
		case O_COMM:	opts.comms = list_arg("--comm", optarg); break;
		case O_EXE:	opts.exes = list_arg("--exe", optarg); break;
		case O_FORMAT:
			if (strcmp(optarg, "json") != 0 &&
			    strcmp(optarg, "text") != 0)
				usage_error(usage_line, "--format %s: not json "
				    "or text", optarg);
			opts.text = strcmp(optarg, "text") == 0;
			break;
		case O_SUMMARY:	opts.summary = 1; break;
		case O_METRICS:	a->metrics = optarg; break;
		case O_SINCE:
			if (!parse_when(optarg, &opts.since_ms))
				usage_error(usage_line, "--since %s: %s", optarg,
				    not_a_time);
			break;
		case O_UNTIL:
			if (!parse_when(optarg, &opts.until_ms))
				usage_error(usage_line, "--until %s: %s", optarg,
				    not_a_time);
			break;
		case O_CKPT:	a->ckpt = optarg; break;
		case O_WAIT:
			a->lock_wait = (int)strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || a->lock_wait < 0 ||
			    a->lock_wait > 86400)
				usage_error(usage_line, "--lock-wait %s: not a "
				    "number of seconds from 0 to 86400", optarg);
			break;
		case 'f':	opts.follow = 1; break;
		case O_STATS:	a->stats = 1; break;
		case O_STRICT:	bad_input_strict = 1; break;
		case O_TRUST:
			if (split_list(optarg) == NULL)
				usage_error(usage_line, "--trust: an empty list");
			producer_trust(optarg);
			break;
		default:
			std_option(c, argv[optind - 1], usage_line, help_text,
			    &a->outpath);
		}
	}
	if (opts.summary && (opts.follow || a->ckpt != NULL))
		usage_error(usage_line, "--summary counts what one run reads: "
		    "not with -f or --checkpoint");
	if (opts.since_ms >= 0 && opts.until_ms >= 0 &&
	    opts.since_ms >= opts.until_ms)
		usage_error(usage_line, "--since is not before --until: no "
		    "time is in both");
	a->paths = optind < argc ? (const char **)argv + optind : stdin_only;
	a->npaths = optind < argc ? argc - optind : 1;
}

/* Each file that opens, read to its end (from the checkpoint on). */
static struct input *
read_inputs(const struct args *a, int *nopen)
{
	struct input *inputs = xcalloc((size_t)a->npaths, sizeof(*inputs));
	int i;

	*nopen = 0;
	oldest_first(a->paths, a->npaths);
	for (i = 0; i < a->npaths; i++) {
		unsigned long lines = stats.lines, records = stats.records;
		unsigned long lost = stats.lost, bad = bad_input_count;

		if (!input_open(&inputs[*nopen], a->paths[i]))
			continue;
		if (a->ckpt != NULL) {
			inputs[*nopen].lr.hold_partial = 1;
			checkpoint_resume(&inputs[*nopen]);
		}
		read_lines(&inputs[(*nopen)++]);
		if (stats.lines > lines && stats.records == records &&
		    stats.lost == lost && bad_input_count == bad &&
		    a->ckpt == NULL)		/* a wrong file? */
			warnx("%s: no audit record in %lu line%s", a->paths[i],
			    stats.lines - lines, stats.lines - lines == 1 ? "" : "s");
	}
	return inputs;
}

int
main(int argc, char **argv)
{
	struct args a;
	struct input *inputs;
	int i, nopen;

	parse_args(argc, argv, &a);
	if (a.metrics != NULL)		/* its directory checked now */
		metrics_init(a.metrics, "aa_evtparse", fill_metrics);
	finish_input_on_sigint();	/* -f: follow.c's own, later */
	if (a.ckpt != NULL)		/* before any input or output */
		checkpoint_lock(a.ckpt, a.lock_wait);
	if (a.ckpt != NULL)	/* each run adds to what the last committed */
		out_append(a.outpath);
	else
		out_open(a.outpath);
	atexit(events_flush);	/* --strict stops: what came before still goes out */
	if (a.ckpt != NULL) {
		checkpoint_load();
		checkpoint_cut_output(a.outpath);
		carrying = 1;
		checkpoint_replay();
	}
	inputs = read_inputs(&a, &nopen);
	if (opts.follow)
		follow(inputs, (size_t)nopen);
	if (a.ckpt != NULL)	/* events still open wait for the next run */
		events_settle(settle_time());
	else
		events_flush();
	if (opts.summary)
		summary_put(opts.text);
	if (a.ckpt != NULL)
		checkpoint_note_output();
	out_close();		/* the events are out before the checkpoint says so */
	if (a.ckpt != NULL) {
		for (i = 0; i < nopen; i++)
			checkpoint_note(&inputs[i]);
		checkpoint_save();
		events_flush_or_drop(1);	/* carried, not written */
		carry_free();
	}
	if (a.stats)
		print_stats();
	for (i = 0; i < nopen; i++)
		lr_close(&inputs[i].lr);
	free(inputs);
	if (a.ckpt == NULL && stats.apparmor + stats.seccomp + stats.lost == 0)
		return nothing_found(nopen);
	return exit_status();
}
