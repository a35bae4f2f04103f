/*
 * bm-profile: behaviour models in (bm-merge, vArmor), deny-by-default
 * confinement out: an AppArmor profile, an OCI seccomp profile, or the
 * model with vArmor's data.profile.
 */
#include <ctype.h>
#include <err.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "jsonin.h"
#include "out.h"
#include "profile.h"
#include "util.h"

struct opts	opts = { "ix", 0, 0, NULL };

static const char usage_line[] =
    "usage: bm-profile [--apparmor | --seccomp | --varmor | --varmor-legacy] "
    "[--name NAME] [--exec MODE] [--fine-network] [--abi 3.0|4.0] "
    "[--baseline FILE] [--strict] [-o FILE] [MODEL ...]";

static const char help_text[] =
	    "Turn behaviour models (bm-merge, vArmor ArmorProfileModel) into\n"
	    "deny-by-default confinement.  Several models give their union.\n\n"
	    "  --apparmor         an AppArmor profile (the default)\n"
	    "  --seccomp          an OCI runtime-spec seccomp profile (JSON, one line)\n"
	    "  --varmor           the model with data.profile filled in (one model)\n"
	    "  --varmor-legacy    the same as vArmor up to 0.7 stored it (base64)\n"
	    "  --name NAME        the profile name (default: the model's metadata.name)\n"
	    "  --exec MODE        exec transition: ix (default), px, cx, Px, Cx, pix, cix,\n"
	    "                     Pix, Cix\n"
	    "  --fine-network     one network rule per domain and type, not network,\n"
	    "  --abi VERSION      3.0 (default) or 4.0: userns, io_uring, mqueue and\n"
	    "                     network addresses need 4.0\n"
	    "  --baseline FILE    seccomp: these syscalls (one a line) instead of the\n"
	    "                     built-in baseline a container runtime needs\n"
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

/* A profile name that needs no quoting and can be a peer label. */
static int
valid_name(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < 256 && (isalnum((unsigned char)s[0]) ||
	    s[0] == '/') && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+:/@") == n &&
	    strstr(s, "//") == NULL;
}

static int
is_model(cJSON *v)
{
	cJSON *kind = cJSON_GetObjectItemCaseSensitive(v, "kind");

	return cJSON_IsObject(v) && (kind == NULL || (cJSON_IsString(kind) &&
	    strcmp(kind->valuestring, "ArmorProfileModel") == 0)) &&
	    cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(v, "data"), "dynamicResult"));
}

static size_t
read_models(const char *path, struct model **m, size_t n)
{
	struct jsonin ji;
	unsigned long line;
	cJSON *v;

	if (ji_open(&ji, path) < 0) {
		bad_file(path);
		return n;
	}
	while (ji_next(&ji, &v, &line)) {
		if (!is_model(v)) {
			bad_input(path, line, "not an ArmorProfileModel with "
			    "data.dynamicResult");
			continue;
		}
		*m = xrealloc(*m, (n + 1) * sizeof(**m));
		if (((*m)[n].root = cJSON_Duplicate(v, 1)) == NULL)
			errx(EXIT_FATAL, "out of memory");
		(*m)[n].file = path;
		(*m)[n++].line = line;
	}
	ji_close(&ji);
	return n;
}

/* The least metadata.name of the models, so any order gives the same. */
static const char *
model_name(const struct model *m, size_t n)
{
	const char *best = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		cJSON *name = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(m[i].root, "metadata"),
		    "name");

		if (cJSON_IsString(name) && (best == NULL ||
		    strcmp(name->valuestring, best) < 0))
			best = name->valuestring;
	}
	return best;
}

int
main(int argc, char **argv)
{
	enum { F_APPARMOR = 1, F_SECCOMP, F_VARMOR, F_LEGACY };
	enum { O_NAME = 256, O_EXEC, O_FINE, O_ABI, O_BASELINE, O_STRICT };
	static const struct option longopts[] = {
		{ "apparmor", no_argument, NULL, F_APPARMOR },
		{ "seccomp", no_argument, NULL, F_SECCOMP },
		{ "varmor", no_argument, NULL, F_VARMOR },
		{ "varmor-legacy", no_argument, NULL, F_LEGACY },
		{ "name", required_argument, NULL, O_NAME },
		{ "exec", required_argument, NULL, O_EXEC },
		{ "fine-network", no_argument, NULL, O_FINE },
		{ "abi", required_argument, NULL, O_ABI },
		{ "baseline", required_argument, NULL, O_BASELINE },
		{ "strict", no_argument, NULL, O_STRICT },
		STD_LONGOPTS
	};
	const char *outpath = NULL, *name = NULL;
	struct model *models = NULL;
	struct jw w = { NULL, 0, 0, 0 };
	size_t n = 0, i;
	int c, format = 0;

	opterr = 0;		/* one usage line, nothing more */
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (c) {
		case F_APPARMOR:
		case F_SECCOMP:
		case F_VARMOR:
		case F_LEGACY:
			if (format != 0 && format != c)
				usage_exit(usage_line);
			format = c;
			break;
		case O_NAME:	name = optarg; break;
		case O_EXEC:
			if (!valid_exec(optarg))
				usage_exit(usage_line);
			opts.exec_mode = optarg;
			break;
		case O_FINE:	opts.fine_network = 1; break;
		case O_ABI:
			if (strcmp(optarg, "3.0") != 0 &&
			    strcmp(optarg, "4.0") != 0)
				usage_exit(usage_line);
			opts.abi4 = optarg[0] == '4';
			break;
		case O_BASELINE: opts.baseline = optarg; break;
		case O_STRICT:	bad_input_strict = 1; break;
		default:	std_option(c, usage_line, help_text, &outpath);
		}
	}
	argc -= optind;
	argv += optind;
	if (name != NULL && !valid_name(name))
		usage_exit(usage_line);

	out_open(outpath);
	if (argc == 0)
		n = read_models("-", &models, n);
	for (i = 0; i < (size_t)argc; i++)
		n = read_models(argv[i], &models, n);
	if (name == NULL && (name = model_name(models, n)) == NULL)
		name = "bm-profile";
	if (!valid_name(name))
		errx(EXIT_FATAL, "profile name \"%s\" is not one AppArmor can "
		    "take unquoted; give one with --name", name);
	if (format == F_SECCOMP)
		seccomp_profile(&w, models, n);
	else if (format == F_VARMOR || format == F_LEGACY) {
		if (n != 1)
			errx(EXIT_FATAL, "--varmor writes one model, not %zu: "
			    "merge them with bm-merge first", n);
		varmor_model(&w, models, name, format == F_LEGACY);
	} else
		apparmor_profile(&w, models, n, name);
	out_write(w.buf, w.len);
	out_close();
	for (i = 0; i < n; i++)
		cJSON_Delete(models[i].root);
	free(models);
	free(w.buf);
	return exit_status();
}
