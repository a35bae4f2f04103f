/*
 * bm-diff: an approved behaviour model against new events or models.
 * One NDJSON line for each new entry the approved model does not cover
 * (the CI gate), and with --unused each approved entry, or part of one,
 * that nothing new exercised.  Exit status as diff(1): 0 nothing new,
 * 1 something new, 2 trouble.
 */
#include <err.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "learn.h"
#include "out.h"
#include "util.h"

static const char usage_line[] =
    "usage: bm-diff [--unused] [--format json|sarif] [-o FILE] APPROVED "
    "[NEW ...]";

static const char help_text[] =
	    "Compare new behaviour (aa-evtparse or bpf-mountwatch events, or models,\n"
	    "folded as bm-merge folds them) with an approved model or OCI seccomp\n"
	    "profile: one JSON line for each new entry it does not cover.\n\n"
	    "  --unused           also each approved entry, or the part of one, that\n"
	    "                     nothing new exercised\n"
	    "  --format FORMAT    json (a line per change, the default) or sarif (one\n"
	    "                     SARIF 2.1.0 log, for GitHub or GitLab code scanning)\n"
	    "  -o FILE            write to FILE instead of stdout\n"
	    "  --help, --version\n\n"
	    "Exit status: 0 nothing new, 1 something new, 2 trouble (unreadable or bad\n"
	    "input, usage, write error).\n";

/* What the run did or tried to do: a denial is new behaviour too. */
static char *judged[] = { "ALLOWED", "DENIED", "AUDIT", "kill_process",
    "kill_thread", "trap", "errno", "user_notif", "trace", "log", "allow",
    NULL };

int
main(int argc, char **argv)
{
	enum { O_UNUSED = 256, O_FORMAT };
	static const struct option longopts[] = {
		{ "unused", no_argument, NULL, O_UNUSED },
		{ "format", required_argument, NULL, O_FORMAT },
		STD_LONGOPTS
	};
	const char *outpath = NULL;
	struct model *approved;
	int c, i, kind, unused = 0, sarif = 0, s;

	opterr = 0;		/* one usage line, nothing more */
	while ((c = getopt_long(argc, argv, STD_SHORTOPTS, longopts, NULL)) != -1) {
		if (c == O_UNUSED)
			unused = 1;
		else if (c == O_FORMAT && (strcmp(optarg, "json") == 0 ||
		    strcmp(optarg, "sarif") == 0))
			sarif = strcmp(optarg, "sarif") == 0;
		else if (c == O_FORMAT)
			usage_error(usage_line, "--format %s: not json or "
			    "sarif", optarg);
		else
			std_option(c, argv[optind - 1], usage_line,
			    help_text, &outpath);
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage_error(usage_line, "no APPROVED model given");

	finish_input_on_sigint();
	out_open(outpath);
	if (sarif)
		sarif_begin(argv[0]);
	approved = model_new();
	kind = approved_read(approved, argv[0]);
	learned = model_new();
	learn_opts.modes = judged;
	learn_opts.origin = 1;
	learn_opts.counts = 1;	/* firstSeen */
	if (argc == 1)
		ingest_file("-");
	for (i = 1; i < argc; i++)
		ingest_file(argv[i]);
	if (learn_stats.apparmor + learn_stats.seccomp + learn_stats.mount +
	    learn_stats.models == 0) {
		warnx("nothing to judge: %lu values read, none an event or "
		    "model%s", learn_stats.values, learn_stats.values ? " kept" :
		    " (an empty input: did the capture fail?)");
		model_free(approved);
		learn_free();
		return EXIT_FATAL;
	}
	/*
	 * A profile that an approval naming its profiles does not name is
	 * new, though it grants nothing itself: events relabelled to another
	 * profile do not pass for the approved one's.
	 */
	for (s = S_PROFILES; s < NSECTIONS && kind != 3; s++)
		if ((kind == 1 && (s != S_PROFILES ||
		    model_count(approved, S_PROFILES) > 0)) || s == S_SYSCALLS)
			diff_section(approved, learned, (enum section)s, unused);
	if (sarif)
		sarif_end();
	out_close();
	learn_warn_lost();
	model_free(approved);
	learn_free();
	if (exit_status() != EXIT_OK)	/* says what it did not show */
		return EXIT_FATAL;
	return news > 0 ? 1 : 0;
}
