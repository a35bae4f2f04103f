/*
 * bm-profile: behaviour models in (bm-merge, vArmor), deny-by-default
 * confinement out: an AppArmor profile, an OCI seccomp profile, or the
 * model with vArmor's data.profile.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "jsonin.h"
#include "out.h"
#include "profile.h"
#include "util.h"

static const char usage_line[] =
    "usage: bm-profile [--apparmor | --seccomp | --varmor] [--name NAME] "
    "[--namespace NS] [--varmor-release 0.7|0.8|0.9] [--exec MODE] "
    "[--fine-network] [--abi 3.0|4.0] [--baseline FILE] [--allow LIST] "
    "[--complain] [--log-denials] [--errno NAME] [--strict] [-o FILE] "
    "[MODEL ...] | --learn [--seccomp] [--arch LIST] [-o FILE] [MODEL ...] | "
    "--learn --apparmor --name NAME [-o FILE]";

static const char help_text[] =
	    "Turn behaviour models (bm-merge, vArmor ArmorProfileModel) into\n"
	    "deny-by-default confinement.  Several models give their union.\n\n"
	    "  --apparmor         an AppArmor profile (the default)\n"
	    "  --seccomp          an OCI runtime-spec seccomp profile (JSON, one line)\n"
	    "  --varmor           an ArmorProfileModel vArmor's CRD takes whole, with\n"
	    "                     data.profile filled in\n"
	    "  --learn            the profile to learn under.  Seccomp (the default):\n"
	    "                     every call allowed and logged, or with MODELs, as\n"
	    "                     --complain: their calls silently; --apparmor:\n"
	    "                     profile --name in complain mode, every program run\n"
	    "                     kept in it and each exec logged\n"
	    "  --complain         observe: what the profile would deny is logged and\n"
	    "                     let be (AppArmor flags=(complain); seccomp\n"
	    "                     SCMP_ACT_LOG by default)\n"
	    "  --log-denials      seccomp: the kernel logs each denial too\n"
	    "                     (SECCOMP_FILTER_FLAG_LOG: crun, not Debian's runc)\n"
	    "  --errno NAME       seccomp: the errno a denied call gets (default EPERM)\n"
	    "  --arch LIST        --learn --seccomp: these architectures (uname -m\n"
	    "                     names; default this machine's)\n"
	    "  --name NAME        the profile name (default: the model's metadata.name)\n"
	    "  --namespace NS     --varmor: metadata.namespace\n"
	    "  --varmor-release V --varmor for vArmor 0.9 and later (the default),\n"
	    "                     or for 0.8 or 0.7\n"
	    "  --exec MODE        how a program run is confined: ix (default) folds it in,\n"
	    "                     cx a child profile, px a profile of its own; also Px,\n"
	    "                     Cx, pix, cix, Pix, Cix\n"
	    "  --exec PATH=MODE   the mode for the program PATH alone; repeatable\n"
	    "  --fine-network     one network rule per domain and type, not network,\n"
	    "  --abi VERSION      3.0 (default) or 4.0: userns, io_uring, mqueue and\n"
	    "                     network addresses need 4.0\n"
	    "  --baseline FILE    seccomp: these syscalls (one a line) instead of the\n"
	    "                     built-in baseline a container runtime needs\n"
	    "  --allow LIST       seccomp: these syscalls too, beside the baseline\n"
	    "  --strict           stop at the first bad input (exit 2)\n"
	    "  -o FILE            write to FILE instead of stdout\n"
	    "  --help, --version\n\n"
	    "Exit status: 0 all read, 1 some input skipped, 2 usage or write error,\n"
	    "a bad profile name or a --strict stop.\n";

static int
valid_exec(const char *m)
{
	static const char *const modes[] = { "ix", "px", "cx", "Px", "Cx",
	    "pix", "cix", "Pix", "Cix", NULL };

	return str_in(modes, m);
}

/* --exec MODE, or --exec PATH=MODE for one program. */
static void
exec_option(struct opts *o, char *arg)
{
	char *eq = strrchr(arg, '=');
	const char *mode = eq ? eq + 1 : arg;

	if (!valid_exec(mode))
		usage_error(usage_line, "--exec %s: %s is not ix, px, cx, Px, "
		    "Cx, pix, cix, Pix or Cix", arg, mode);
	if (eq == NULL) {
		o->exec_mode = mode;
		return;
	}
	if (eq == arg)
		usage_error(usage_line, "--exec %s: no PATH before =", arg);
	*eq = '\0';
	o->exec_for = xrealloc(o->exec_for, (o->nexec_for + 1) *
	    sizeof(*o->exec_for));
	o->exec_for[o->nexec_for].path = arg;
	o->exec_for[o->nexec_for++].mode = mode;
}

/*
 * A profile name that needs no quoting and can be a peer label; not
 * AppArmor's own label for no confinement, which the profile's ptrace
 * and signal rules would then grant.
 */
static int
valid_profile_name(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < 256 && strcmp(s, "unconfined") != 0 &&
	    (isalnum((unsigned char)s[0]) ||
	    s[0] == '/') && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+:/@") == n &&
	    strstr(s, "//") == NULL;
}

static int
is_arch(const char *s)
{
	return scmp_arches(s) != NULL;
}

/* A comma list whose every name passes ok(); else a usage error. */
static char **
name_list(const char *opt, const char *s, int (*ok)(const char *),
    const char *what)
{
	char **v = split_list(s), **p;

	for (p = v; p != NULL && *p != NULL; p++)
		if (!ok(*p))
			usage_error(usage_line, "%s: %s is not %s", opt, *p, what);
	if (v == NULL)
		usage_error(usage_line, "%s: an empty list", opt);
	return v;
}

/* A Kubernetes namespace: an RFC 1123 label. */
static int
valid_namespace(const char *s)
{
	return strlen(s) <= 63 && strchr(s, '.') == NULL && is_kube_name(s);
}

static int
varmor_release(const char *v)
{
	if (strcmp(v, "0.7") == 0)
		return R_07;
	if (strcmp(v, "0.8") == 0)
		return R_08;
	if (strcmp(v, "0.9") == 0)
		return R_CURRENT;
	usage_error(usage_line, "--varmor-release %s: not 0.7, 0.8 or 0.9", v);
}

/* vArmor names a policy's profile varmor-NAMESPACE-POLICY. */
static void
check_varmor_name(const char *name, const char *namespace)
{
	size_t n;
	int policy;

	if (!is_kube_name(name))
		errx(EXIT_FATAL, "--varmor: \"%s\" is not a Kubernetes object "
		    "name; give one with --name", name);
	if (namespace == NULL)
		return;
	n = strlen(namespace);
	policy = strncmp(name, "varmor-", 7) == 0 &&
	    ((strncmp(name + 7, namespace, n) == 0 && name[7 + n] == '-') ||
	    strncmp(name + 7, "cluster-", 8) == 0);
	if (!policy)
		warnx("--varmor: vArmor loads the profile of policy P in "
		    "namespace %s as varmor-%s-P, not as %s", namespace,
		    namespace, name);
}

enum { F_APPARMOR = 1, F_SECCOMP, F_VARMOR, F_LEARN };

/* What the command line asks for. */
struct args {
	struct opts	 o;
	int		 format, release, learn;
	const char	*outpath, *name, *namespace;
	char		**arches;
	char		**models;
	int		 nmodels;
};

/* The number of an errno name (EPERM), as glibc names them; 0: none. */
static int
errno_named(const char *s)
{
	const char *n;
	int e;

	for (e = 1; e < 4096; e++)
		if ((n = strerrorname_np(e)) != NULL && strcmp(n, s) == 0)
			return e;
	return 0;
}

static void
parse_args(int argc, char **argv, struct args *a)
{
	enum { O_NAME = 256, O_NAMESPACE, O_RELEASE, O_EXEC, O_FINE, O_ABI,
	    O_BASELINE, O_ALLOW, O_ARCH, O_STRICT, O_COMPLAIN, O_LOGDENIALS,
	    O_ERRNO };
	static const struct option longopts[] = {
		{ "apparmor", no_argument, NULL, F_APPARMOR },
		{ "seccomp", no_argument, NULL, F_SECCOMP },
		{ "varmor", no_argument, NULL, F_VARMOR },
		{ "learn", no_argument, NULL, F_LEARN },
		{ "arch", required_argument, NULL, O_ARCH },
		{ "name", required_argument, NULL, O_NAME },
		{ "namespace", required_argument, NULL, O_NAMESPACE },
		{ "varmor-release", required_argument, NULL, O_RELEASE },
		{ "exec", required_argument, NULL, O_EXEC },
		{ "fine-network", no_argument, NULL, O_FINE },
		{ "abi", required_argument, NULL, O_ABI },
		{ "baseline", required_argument, NULL, O_BASELINE },
		{ "allow", required_argument, NULL, O_ALLOW },
		{ "strict", no_argument, NULL, O_STRICT },
		{ "complain", no_argument, NULL, O_COMPLAIN },
		{ "log-denials", no_argument, NULL, O_LOGDENIALS },
		{ "errno", required_argument, NULL, O_ERRNO },
		STD_LONGOPTS
	};
	int c, errno_given = 0;

	memset(a, 0, sizeof(*a));
	a->o.exec_mode = "ix";
	a->o.errno_ret = EPERM;
	a->release = R_CURRENT;
	opterr = 0;		/* one usage line, nothing more */
	while ((c = getopt_long(argc, argv, STD_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case F_APPARMOR:
		case F_SECCOMP:
		case F_VARMOR:
			if (a->format != 0 && a->format != c)
				usage_error(usage_line, "%s: one output format "
				    "at a time", argv[optind - 1]);
			a->format = c;
			break;
		case F_LEARN:	a->learn = 1; break;
		case O_NAME:	a->name = optarg; break;
		case O_NAMESPACE:
			if (!valid_namespace(optarg))
				usage_error(usage_line, "--namespace %s: not a "
				    "Kubernetes namespace (an RFC 1123 label)",
				    optarg);
			a->namespace = optarg;
			break;
		case O_RELEASE:	a->release = varmor_release(optarg); break;
		case O_EXEC:	exec_option(&a->o, optarg); break;
		case O_FINE:	a->o.fine_network = 1; break;
		case O_ABI:
			if (strcmp(optarg, "3.0") != 0 &&
			    strcmp(optarg, "4.0") != 0)
				usage_error(usage_line, "--abi %s: not 3.0 or 4.0",
				    optarg);
			a->o.abi4 = optarg[0] == '4';
			break;
		case O_BASELINE: a->o.baseline = optarg; break;
		case O_ALLOW:
			a->o.allow = name_list("--allow", optarg,
			    is_syscall_name, "a system call name");
			break;
		case O_ARCH:
			a->arches = name_list("--arch", optarg, is_arch,
			    "a machine uname -m names");
			break;
		case O_STRICT:	bad_input_strict = 1; break;
		case O_COMPLAIN: a->o.complain = 1; break;
		case O_LOGDENIALS: a->o.log_denials = 1; break;
		case O_ERRNO:
			if ((a->o.errno_ret = errno_named(optarg)) == 0)
				usage_error(usage_line, "--errno %s: not an errno "
				    "name (EPERM, EACCES, ENOSYS, ...)", optarg);
			errno_given = 1;
			break;
		default:
			std_option(c, argv[optind - 1], usage_line, help_text,
			    &a->outpath);
		}
	}
	if (a->format == 0)
		a->format = a->learn ? F_SECCOMP : F_APPARMOR;
	a->models = argv + optind;
	a->nmodels = argc - optind;
	if (a->name != NULL && !valid_profile_name(a->name))
		usage_error(usage_line, "--name %s: not a name AppArmor takes "
		    "unquoted for a profile", a->name);
	if (a->arches != NULL && (!a->learn || a->format != F_SECCOMP))
		usage_error(usage_line, "--arch: --learn --seccomp's alone");
	if (a->learn && a->format == F_VARMOR)
		usage_error(usage_line, "--learn: --seccomp or --apparmor");
	if (a->learn && a->nmodels > 0 && a->format != F_SECCOMP)
		usage_error(usage_line, "%s: --learn --apparmor reads no model",
		    a->models[0]);
	if (a->learn && a->nmodels > 0)
		a->learn = 0, a->o.complain = 1;	/* seeded: observe */
	if (a->o.complain && (a->format == F_VARMOR || a->learn))
		usage_error(usage_line, "--complain: --apparmor or --seccomp, "
		    "of a model");
	if ((a->o.log_denials || errno_given) && (a->format != F_SECCOMP ||
	    a->learn))
		usage_error(usage_line, "%s: a seccomp profile's, of a model",
		    a->o.log_denials ? "--log-denials" : "--errno");
	if (errno_given && a->o.complain)
		usage_error(usage_line, "--errno: --complain denies nothing");
	if (a->learn && a->format == F_APPARMOR && a->name == NULL)
		usage_error(usage_line, "--learn --apparmor: the profile needs "
		    "--name");
}

/*
 * A host program's profile keeps its name, the program's path, which
 * attaches it to the program: the one profile of the model's events,
 * when that is a path.  NULL otherwise.
 */
static const char *
host_program(struct model *m)
{
	struct entry *const *all;
	const char *name = NULL, *p;
	size_t i, n = model_entries(m, S_PROFILES, &all), len;

	for (i = 0; i < n; i++) {
		p = all[i]->val[0];
		len = strstr(p, "//") ? (size_t)(strstr(p, "//") - p) : strlen(p);
		if (p[0] != '/' || (name != NULL && (strlen(name) != len ||
		    strncmp(name, p, len) != 0)))
			return NULL;
		if (name == NULL && len == strlen(p))
			name = p;
	}
	return name != NULL && valid_profile_name(name) ? name : NULL;
}

/* --name, else a host program's, else the models' name, else ours. */
static const char *
profile_name(const char *given, const char *program, const char *of_models)
{
	const char *name = given ? given : program ? program : of_models ?
	    of_models : "bm-profile";

	if (!valid_profile_name(name))
		errx(EXIT_FATAL, "profile name \"%s\" is not one AppArmor can "
		    "take unquoted for a profile; give one with --name", name);
	return name;
}

int
main(int argc, char **argv)
{
	struct args a;
	struct model *m = model_new();
	struct jw w = { 0 };
	char *model_name = NULL;
	const char *name;
	int i;

	parse_args(argc, argv, &a);
	model_keep_children(m);		/* --exec decides what they become */
	finish_input_on_sigint();
	out_open(a.outpath);
	if (a.nmodels == 0 && !a.learn)
		read_models(m, "-", &model_name);
	for (i = 0; i < a.nmodels; i++)
		read_models(m, a.models[i], &model_name);
	if (!a.learn && model_empty(m))
		errx(EXIT_FATAL, "%s: an empty model, nothing learnt: no "
		    "profile is written for it", a.nmodels > 0 ? a.models[0] :
		    "stdin");
	name = profile_name(a.name, a.format == F_VARMOR ? NULL :
	    host_program(m), model_name);
	if (a.learn && a.format == F_SECCOMP)
		seccomp_learning(&w, a.arches);
	else if (a.learn)
		apparmor_learning(&w, name);
	else if (a.format == F_SECCOMP)
		seccomp_profile(&w, m, &a.o);
	else if (a.format == F_VARMOR) {
		check_varmor_name(name, a.namespace);
		varmor_model(&w, m, name, a.namespace, a.release, &a.o);
	} else
		apparmor_profile(&w, m, name, &a.o);
	out_write(w.buf, w.len);
	out_close();
	model_free(m);
	free(model_name);
	free_list(a.o.allow);
	free(a.o.exec_for);
	free_list(a.arches);
	free(w.buf);
	return exit_status();
}
