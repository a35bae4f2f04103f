/*
 * bm-merge: NDJSON events (aa-evtparse, bpf-mountwatch) and models in,
 * one behaviour model out, in the shape of vArmor's ArmorProfileModel.
 */
#include <ctype.h>
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "labels.h"
#include "learn.h"
#include "metrics.h"
#include "merge.h"
#include "modes.h"
#include "out.h"
#include "util.h"

static const char usage_line[] =
    "usage: bm-merge [--profile NAME | --all-profiles] [--mode LIST] [--event LIST] "
    "[--comm LIST] [--exe LIST] [--pid LIST] [--ses LIST] [--name NAME] "
    "[--no-generalize] [--refuse-broad] [--counts] [--metrics FILE] [--stats] "
    "[--strict] [-o FILE] [FILE ...]";

static const char help_text[] =
	    "Fold NDJSON events (from aa-evtparse and bpf-mountwatch) and whole\n"
	    "models into one behaviour model: a vArmor ArmorProfileModel, one line.\n\n"
	    "  --profile NAME     only events of AppArmor profile NAME and its NAME//children\n"
	    "  --all-profiles     fold events of several profiles into one model (else\n"
	    "                     refused, naming them)\n"
	    "  --mode LIST        AppArmor modes and seccomp actions learnt from\n"
	    "                     (default ALLOWED,AUDIT,log,allow: not denials)\n"
	    "  --event LIST       kinds read: apparmor,seccomp,mount,model (default all)\n"
	    "  --comm LIST        only events of these commands\n"
	    "  --exe LIST         only events of these executables\n"
	    "  --pid LIST         only events of these process ids\n"
	    "  --ses LIST         only events of these audit sessions (a container\n"
	    "                     started in a session of its own: bm-merge(1))\n"
	    "  --name NAME        metadata.name (default: the --profile NAME, else the\n"
	    "                     input models' name, else the one profile seen; made\n"
	    "                     a valid Kubernetes name)\n"
	    "  --no-generalize    keep file paths as seen (globs still escaped)\n"
	    "  --refuse-broad     leave out whole an input model with an entry learning\n"
	    "                     never writes (/**, sys_module, init_module, a mount\n"
	    "                     of /: bm-merge(1)), as from a node taken over\n"
	    "  --counts           add to each entry its event count, firstSeen, lastSeen\n"
	    "  --metrics FILE     the run's counts for Prometheus (node_exporter's\n"
	    "                     textfile collector), written at exit\n"
	    "  --stats            print counts on stderr at the end\n"
	    "  --strict           stop at the first bad input (exit 2)\n"
	    "  -o FILE            write to FILE instead of stdout\n"
	    "  --help, --version\n\n"
	    "Exit status: 0 all read, 1 some input skipped, 2 usage or write error or\n"
	    "a --strict stop.\n";

static int
event_kinds(const char *list)
{
	char **v = split_list(list), **p;
	int kinds = 0;

	if (v == NULL)
		usage_error(usage_line, "--event: an empty list");
	for (p = v; *p != NULL; p++) {
		if (strcmp(*p, "apparmor") == 0)
			kinds |= EV_APPARMOR;
		else if (strcmp(*p, "seccomp") == 0)
			kinds |= EV_SECCOMP;
		else if (strcmp(*p, "mount") == 0)
			kinds |= EV_MOUNT;
		else if (strcmp(*p, "model") == 0)
			kinds |= EV_MODEL;
		else
			usage_error(usage_line, "--event %s: not apparmor, "
			    "seccomp, mount or model", *p);
	}
	free_list(v);
	return kinds;
}

static char **
list_arg(const char *opt, const char *s)
{
	return usage_list(usage_line, opt, s);
}

static char **
mode_list(const char *s)
{
	char **v = list_arg("--mode", s);
	const char *bad = mode_unknown(v);

	if (bad != NULL)
		usage_error(usage_line, "--mode %s: not %s", bad,
		    modes_known_text);
	return v;
}

static void
write_model(const char *name, int counts)
{
	static const char head[] =
	    "\"apiVersion\":\"crd.varmor.org/v1beta1\","
	    "\"kind\":\"ArmorProfileModel\",\"metadata\":{\"name\":";
	static const char mid[] = "},\"data\":{\"dynamicResult\":";
	struct view v = { 0, counts };
	struct jw w;

	memset(&w, 0, sizeof(w));
	w.stream = 1;
	jw_begin(&w);
	jw_raw(&w, head, sizeof(head) - 1);
	jw_str(&w, name, strlen(name));
	jw_raw(&w, mid, sizeof(mid) - 1);
	model_put(&w, learned, &v);
	jw_raw(&w, "}", 1);
	jw_end(&w);
	free(w.buf);
}

static void
print_stats(void)
{
	fprintf(stderr, "bm-merge: %lu values: %lu apparmor, %lu seccomp, "
	    "%lu mount events, %lu models; %lu filtered out, %lu without a "
	    "profile, %lu not modelled, %lu bad, %lu lost upstream, %lu loss "
	    "reports\n",
	    learn_stats.values, learn_stats.apparmor, learn_stats.seccomp,
	    learn_stats.mount, learn_stats.models, learn_stats.filtered,
	    learn_stats.unattributed, learn_stats.ignored, bad_input_count,
	    learn_stats.lost_upstream, learn_stats.lost_reports);
	if (learn_stats.unnamed_children > 0)
		fprintf(stderr, "bm-merge: %lu event%s of a null- profile no "
		    "exec event named, folded\n", learn_stats.unnamed_children,
		    learn_stats.unnamed_children == 1 ? "" : "s");
}

/* What the command line asks for beside learn_opts (learnstate.c). */
/* --metrics: what print_stats says, for Prometheus. */
static void
values_metric(const char *kind, unsigned long n)
{
	char label[64];

	metric("last_run_learnt", "What the last run learnt from, by kind: "
	    "events that passed the filters, and models.",
	    metric_label(label, sizeof(label), "kind", kind), n);
}

static void
fill_metrics(int status)
{
	(void)status;
	values_metric("apparmor", learn_stats.apparmor);
	values_metric("seccomp", learn_stats.seccomp);
	values_metric("mount", learn_stats.mount);
	values_metric("model", learn_stats.models);
	metric("last_run_filtered_events", "Events the options left out.",
	    NULL, learn_stats.filtered);
	metric("last_run_unattributed_events", "Events with no AppArmor "
	    "label, left out of a --profile model.", NULL,
	    learn_stats.unattributed);
	metric("last_run_bad_values", "Malformed lines and values, and "
	    "unreadable files, skipped (exit status 1).", NULL,
	    bad_input_count);
	metric("last_run_loss_reports", "aa-evtparse's reports of audit "
	    "records lost before the log, read by the last run.", NULL,
	    learn_stats.lost_reports);
	metric("last_run_lost_records", "Audit records those reports said "
	    "were lost.", NULL, learn_stats.lost_records);
}

struct args {
	const char	*outpath, *name, *metrics;
	int		 stats, counts, all_profiles;
	char		**files;
	int		 nfiles;
};

static void
parse_args(int argc, char **argv, struct args *a)
{
	enum { O_PROFILE = 256, O_MODE, O_EVENT, O_COMM, O_EXE, O_PID, O_SES,
	    O_NAME, O_NOGEN, O_BROAD, O_COUNTS, O_STATS, O_STRICT, O_ALL,
	    O_METRICS };
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, O_PROFILE },
		{ "all-profiles", no_argument, NULL, O_ALL },
		{ "mode", required_argument, NULL, O_MODE },
		{ "event", required_argument, NULL, O_EVENT },
		{ "comm", required_argument, NULL, O_COMM },
		{ "exe", required_argument, NULL, O_EXE },
		{ "pid", required_argument, NULL, O_PID },
		{ "ses", required_argument, NULL, O_SES },
		{ "name", required_argument, NULL, O_NAME },
		{ "no-generalize", no_argument, NULL, O_NOGEN },
		{ "refuse-broad", no_argument, NULL, O_BROAD },
		{ "counts", no_argument, NULL, O_COUNTS },
		{ "stats", no_argument, NULL, O_STATS },
		{ "metrics", required_argument, NULL, O_METRICS },
		{ "strict", no_argument, NULL, O_STRICT },
		STD_LONGOPTS
	};
	int c;

	memset(a, 0, sizeof(*a));
	opterr = 0;		/* one usage line, nothing more */
	while ((c = getopt_long(argc, argv, STD_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case O_PROFILE:	learn_opts.profile = optarg; break;
		case O_ALL:	a->all_profiles = 1; break;
		case O_MODE:	learn_opts.modes = mode_list(optarg); break;
		case O_EVENT:	learn_opts.events = event_kinds(optarg); break;
		case O_COMM:	learn_opts.comms = list_arg("--comm", optarg); break;
		case O_EXE:	learn_opts.exes = list_arg("--exe", optarg); break;
		case O_PID:	learn_opts.pids = list_arg("--pid", optarg); break;
		case O_SES:	learn_opts.sessions = list_arg("--ses", optarg); break;
		case O_NAME:	a->name = optarg; break;
		case O_NOGEN:	learn_opts.generalize = 0; break;
		case O_BROAD:	learn_opts.refuse_broad = 1; break;
		case O_COUNTS:	a->counts = learn_opts.counts = 1; break;
		case O_STATS:	a->stats = 1; break;
		case O_METRICS:	a->metrics = optarg; break;
		case O_STRICT:	bad_input_strict = 1; break;
		default:
			std_option(c, argv[optind - 1], usage_line, help_text,
			    &a->outpath);
		}
	}
	if (a->name != NULL && !is_kube_name(a->name))
		usage_error(usage_line, "--name %s: not a Kubernetes object "
		    "name (lower-case letters, digits, '-' and '.')", a->name);
	if (a->name != NULL && strcmp(a->name, "unconfined") == 0)
		usage_error(usage_line, "--name %s: AppArmor's label for no "
		    "confinement, not a profile's", a->name);
	a->files = argv + optind;
	a->nfiles = argc - optind;
}

static int
filtering(void)
{
	return learn_opts.profile || learn_opts.comms || learn_opts.exes ||
	    learn_opts.pids || learn_opts.sessions;
}

/*
 * One model is one workload's: events of several profiles folded into
 * one would grant each what any other did.  Models are taken as they
 * are; a profile's children and hats are its own.
 */
/* The profiles seen (kept: that passed the filters), as text; how many. */
static size_t
profiles_text(int kept, char *text, size_t len)
{
	const char *const *names;
	size_t n = learn_profiles(kept, &names);

	names_text(names, n, text, len);
	return n;
}

static void
refuse_mixed(int all_profiles)
{
	char text[1024];
	size_t n = profiles_text(1, text, sizeof(text));

	if (n > 1 && !all_profiles && learn_opts.profile == NULL)
		errx(EXIT_FATAL, "events of %zu profiles: %s; --profile NAME "
		    "learns one, --all-profiles folds them all into one model",
		    n, text);
}

/* Nothing to write: say what was read instead, exit 1. */
static int
nothing_learnt(int stats)
{
	char text[1024];
	size_t n = profiles_text(0, text, sizeof(text));

	learn_warn_lost();
	if (learn_stats.values == 0)
		warnx("no input: not one event or model was read");
	else if (filtering() && learn_stats.matched == 0)
		warnx("nothing learnt: no event of the %lu read passed "
		    "--profile, --comm, --exe, --pid or --ses%s%s",
		    learn_stats.values, n > 0 ? "; profiles seen: " : "", text);
	else {
		for (n = 0; learn_opts.modes[n] != NULL; n++)
			;
		names_text((const char *const *)learn_opts.modes, n, text,
		    sizeof(text));
		warnx("nothing learnt from %lu values: %lu filtered out (by "
		    "--event, or by --mode, which keeps %s: --mode "
		    "ALLOWED,DENIED learns from denials too), %lu bad",
		    learn_stats.values, learn_stats.filtered, text,
		    bad_input_count);
	}
	if (stats)
		print_stats();
	exit_status();
	return EXIT_BADINPUT;
}

int
main(int argc, char **argv)
{
	struct args a;
	char *name;
	int i;

	parse_args(argc, argv, &a);
	if (a.metrics != NULL)		/* its directory checked now */
		metrics_init(a.metrics, "bm_merge", fill_metrics);
	finish_input_on_sigint();
	out_open(a.outpath);
	learned = model_new();
	model_keep_children(learned);
	if (a.nfiles == 0)
		ingest_file("-");
	for (i = 0; i < a.nfiles; i++)
		ingest_file(a.files[i]);
	children_settle();
	refuse_mixed(a.all_profiles);
	if (model_empty(learned))
		return nothing_learnt(a.stats);
	name = a.name ? xstrdup(a.name) : kube_name(learn_opts.profile ?
	    learn_opts.profile : default_name());
	write_model(name, a.counts);
	out_close();
	learn_warn_lost();
	if (learn_stats.unattributed > 0)
		warnx("%lu events carry no AppArmor label and were left out; "
		    "--comm, --exe, --pid or --ses selects them",
		    learn_stats.unattributed);
	if (a.stats)
		print_stats();
	free(name);
	return exit_status();	/* the model goes with the process, at once */
}
