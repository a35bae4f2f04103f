/*
 * bm-advise: which hardening rules a workload can take.  The inputs of
 * vArmor's policy advisor (enforcers, features, capabilities, a model)
 * and its decisions, one NDJSON line a rule with the reason, or its
 * policy template (--policy); mounts in the model decide the mount rules.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "advise.h"
#include "out.h"
#include "util.h"

static const char usage_line[] =
    "usage: bm-advise [-f FEATURES] [-c CAPABILITIES] [--catalog FILE] "
    "[--policy] [--infer] [-o FILE] ENFORCERS [MODEL]";

static const char help_text[] =
	    "Decide which rules of a catalog (vArmor's built-in-rules.json schema)\n"
	    "a workload can take, as vArmor's policy advisor does, and from the\n"
	    "mounts of its behaviour model.  ENFORCERS: AppArmor,BPF,Seccomp.\n\n"
	    "  -f, --features LIST      the workload's features: privileged-container,\n"
	    "                           mount-sth, umount-sth, share-containers-pid-ns,\n"
	    "                           share-host-pid-ns, dind, require-sa,\n"
	    "                           bind-privileged-socket-port, load-bpf\n"
	    "  -c, --capabilities LIST  capabilities it needs (sys_admin,net_admin,...)\n"
	    "  --catalog FILE           rules from FILE, not the built-in catalog\n"
	    "  --policy                 vArmor's policy template, not one line a rule\n"
	    "  --infer                  also features the model implies beyond mounts\n"
	    "                           (load-bpf, require-sa, bind-privileged-socket-port),\n"
	    "                           and every kind of conflict a rule lists\n"
	    "  -o FILE                  write to FILE instead of stdout\n"
	    "  --help, --version\n\n"
	    "Exit status: 0 advice given, 2 usage error, bad catalog or bad model,\n"
	    "or write error.\n";

static void
enforcers(struct strs *s, const char *arg)
{
	static const char *const known[] = { "apparmor", "bpf", "seccomp",
	    NULL };
	size_t i;

	strs_split(s, arg);
	if (s->n == 0)
		usage_error(usage_line, "ENFORCERS: an empty list");
	for (i = 0; i < s->n; i++)
		if (!str_in(known, s->v[i]))
			usage_error(usage_line, "ENFORCERS %s: %s is not "
			    "AppArmor, BPF or Seccomp", arg, s->v[i]);
}

int
main(int argc, char **argv)
{
	enum { O_CATALOG = 256, O_POLICY, O_INFER };
	static const struct option longopts[] = {
		{ "features", required_argument, NULL, 'f' },
		{ "capabilities", required_argument, NULL, 'c' },
		{ "catalog", required_argument, NULL, O_CATALOG },
		{ "policy", no_argument, NULL, O_POLICY },
		{ "infer", no_argument, NULL, O_INFER },
		STD_LONGOPTS
	};
	const char *outpath = NULL, *catalog_path = NULL;
	struct context ctx;
	struct catalog cat;
	struct facts facts;
	int c, policy = 0;

	memset(&ctx, 0, sizeof(ctx));
	opterr = 0;		/* one usage line, nothing more */
	while ((c = getopt_long(argc, argv, "f:c:" STD_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'f':	strs_free(&ctx.features);
				strs_split(&ctx.features, optarg); break;
		case 'c':	strs_free(&ctx.capabilities);
				strs_split(&ctx.capabilities, optarg); break;
		case O_CATALOG:	catalog_path = optarg; break;
		case O_POLICY:	policy = 1; break;
		case O_INFER:	ctx.infer = 1; break;
		default:
			std_option(c, argv[optind - 1], usage_line, help_text,
			    &outpath);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2)
		usage_error(usage_line, argc < 1 ? "no ENFORCERS given" :
		    "%s: one MODEL at most", argv[2]);
	enforcers(&ctx.enforcers, argv[0]);

	catalog_load(&cat, catalog_path);
	facts_load(&facts, argc == 2 ? argv[1] : NULL, ctx.infer);
	out_open(outpath);
	advise(&cat, &facts, &ctx, policy);
	out_close();
	facts_free(&facts);
	catalog_free(&cat);
	strs_free(&ctx.enforcers);
	strs_free(&ctx.features);
	strs_free(&ctx.capabilities);
	return EXIT_OK;
}
