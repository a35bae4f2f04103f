/*
 * Load a real seccomp filter with libseccomp, then exec a program under
 * it: the way a container runtime applies an OCI seccomp profile.
 *
 *   seccomp-oci --log PROG [ARG...]
 *	every syscall allowed and logged (default action SCMP_ACT_LOG),
 *	so the kernel writes one audit SECCOMP record per syscall of PROG
 *	from its execve on
 *   seccomp-oci PROFILE.json PROG [ARG...]
 *	the filter an OCI runtime-spec profile describes (linux.seccomp,
 *	as runc and containerd take it)
 *
 * PROG is run by execv(3): a path, not looked up in PATH.  Nothing is
 * written but errors, so that PROG's output is all there is.
 *
 * Of a profile: defaultAction; defaultErrnoRet (default 1, EPERM);
 * architectures, each added beside the native one; syscalls, each with
 * names, action and optional errnoRet (for SCMP_ACT_ERRNO and
 * SCMP_ACT_TRACE, default 1).  Actions: SCMP_ACT_ALLOW, SCMP_ACT_ERRNO,
 * SCMP_ACT_LOG, SCMP_ACT_TRAP, SCMP_ACT_TRACE, SCMP_ACT_KILL,
 * SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL_PROCESS.  As runc does, a syscall
 * name libseccomp does not know is warned about and skipped, and a rule
 * whose action is the default action is left out (libseccomp refuses
 * it).  Argument conditions (a non-empty args) are refused; other keys
 * (flags, listenerPath, includes, ...) are ignored.
 *
 * Any error, in the arguments, the profile, libseccomp or execv, is
 * reported on stderr and the status is 125, so that a test can tell it
 * from PROG's own.
 */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <seccomp.h>

#define FAIL	125	/* our own failure, as docker and runc use it */

static const char *profile;	/* for messages */

static void usage(void) __attribute__((__noreturn__));

static void
usage(void)
{
	fprintf(stderr, "usage: seccomp-oci --log | PROFILE.json "
	    "PROG [ARG...]\n");
	exit(FAIL);
}

/* The whole file, NUL-terminated. */
static char *
slurp(const char *path)
{
	FILE *f;
	char *buf = NULL, *nbuf;
	size_t len = 0, cap = 0, n;

	if ((f = fopen(path, "r")) == NULL)
		err(FAIL, "%s", path);
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			if ((nbuf = realloc(buf, cap)) == NULL)
				err(FAIL, NULL);
			buf = nbuf;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	if (ferror(f))
		err(FAIL, "%s", path);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* An errno value: errnoRet or defaultErrnoRet, or dflt when absent. */
static uint16_t
errno_ret(const cJSON *obj, const char *key, uint16_t dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	double d;

	if (v == NULL || cJSON_IsNull(v))
		return dflt;
	if (!cJSON_IsNumber(v))
		errx(FAIL, "%s: %s: not a number", profile, key);
	d = v->valuedouble;
	/* the kernel takes SECCOMP_RET_DATA, 16 bits; errno is up to 4095 */
	if (d != (double)(int)d || d < 0 || d > 4095)
		errx(FAIL, "%s: %s: %g is not an errno value", profile, key, d);
	return (uint16_t)d;
}

/*
 * An action by its OCI name.  ret_key: the key of an errno value the
 * object gave (errnoRet, defaultErrnoRet), which only SCMP_ACT_ERRNO and
 * SCMP_ACT_TRACE take; NULL when it gave none.
 */
static uint32_t
action(const char *name, uint16_t ret, const char *ret_key)
{
	static const struct {
		const char	*name;
		uint32_t	 act;
	} acts[] = {
		{ "SCMP_ACT_ALLOW",		SCMP_ACT_ALLOW },
		{ "SCMP_ACT_LOG",		SCMP_ACT_LOG },
		{ "SCMP_ACT_TRAP",		SCMP_ACT_TRAP },
		{ "SCMP_ACT_KILL",		SCMP_ACT_KILL },
		{ "SCMP_ACT_KILL_THREAD",	SCMP_ACT_KILL_THREAD },
		{ "SCMP_ACT_KILL_PROCESS",	SCMP_ACT_KILL_PROCESS },
	};
	size_t i;

	if (strcmp(name, "SCMP_ACT_ERRNO") == 0)
		return SCMP_ACT_ERRNO(ret);
	if (strcmp(name, "SCMP_ACT_TRACE") == 0)
		return SCMP_ACT_TRACE(ret);
	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		if (strcmp(name, acts[i].name) != 0)
			continue;
		if (ret_key != NULL)
			errx(FAIL, "%s: %s with %s: only SCMP_ACT_ERRNO "
			    "and SCMP_ACT_TRACE take one", profile, ret_key,
			    name);
		return acts[i].act;
	}
	errx(FAIL, "%s: unknown or unsupported action \"%s\"", profile, name);
}

/* The action of an object: defaultAction or a rule's action. */
static uint32_t
action_of(const cJSON *obj, const char *key, const char *ret_key,
    const char *what)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, key);
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(obj, ret_key);

	if (!cJSON_IsString(a))
		errx(FAIL, "%s: %s: no %s string", profile, what, key);
	return action(a->valuestring, errno_ret(obj, ret_key, 1),
	    r != NULL && !cJSON_IsNull(r) ? ret_key : NULL);
}

/* SCMP_ARCH_X86_64 to libseccomp's x86_64, then added to the filter. */
static void
add_arch(scmp_filter_ctx ctx, const cJSON *v)
{
	static const char prefix[] = "SCMP_ARCH_";
	char name[32];
	const char *s, *p;
	uint32_t arch;
	size_t i;
	int rc;

	if (!cJSON_IsString(v))
		errx(FAIL, "%s: architectures: not a string", profile);
	s = v->valuestring;
	p = s + sizeof(prefix) - 1;
	if (strncmp(s, prefix, sizeof(prefix) - 1) != 0 ||
	    strlen(p) >= sizeof(name))
		errx(FAIL, "%s: unknown architecture \"%s\"", profile, s);
	for (i = 0; p[i] != '\0'; i++)
		name[i] = (char)tolower((unsigned char)p[i]);
	name[i] = '\0';
	if ((arch = seccomp_arch_resolve_name(name)) == 0)
		errx(FAIL, "%s: unknown architecture \"%s\"", profile, s);
	if ((rc = seccomp_arch_add(ctx, arch)) < 0 && rc != -EEXIST)
		errx(FAIL, "seccomp_arch_add %s: %s", s, strerror(-rc));
}

static void
add_archs(scmp_filter_ctx ctx, const cJSON *root)
{
	const cJSON *archs, *v;

	archs = cJSON_GetObjectItemCaseSensitive(root, "architectures");
	if (archs == NULL || cJSON_IsNull(archs))
		return;
	if (!cJSON_IsArray(archs))
		errx(FAIL, "%s: architectures: not an array", profile);
	cJSON_ArrayForEach(v, archs)
		add_arch(ctx, v);
}

/* One name of a rule; unknown to libseccomp: warned about, skipped. */
static void
add_name(scmp_filter_ctx ctx, const cJSON *v, uint32_t act)
{
	int nr, rc;

	if (!cJSON_IsString(v))
		errx(FAIL, "%s: names: not a string", profile);
	nr = seccomp_syscall_resolve_name(v->valuestring);
	if (nr == __NR_SCMP_ERROR) {
		warnx("%s: unknown syscall \"%s\", skipped", profile,
		    v->valuestring);
		return;
	}
	if ((rc = seccomp_rule_add(ctx, act, nr, 0)) < 0)
		errx(FAIL, "seccomp_rule_add %s: %s", v->valuestring,
		    strerror(-rc));
}

static void
add_rule(scmp_filter_ctx ctx, const cJSON *rule, uint32_t dflt)
{
	const cJSON *names, *args, *v;
	uint32_t act;

	if (!cJSON_IsObject(rule))
		errx(FAIL, "%s: syscalls: an entry is not an object", profile);
	args = cJSON_GetObjectItemCaseSensitive(rule, "args");
	if (args != NULL && !cJSON_IsNull(args) &&
	    (!cJSON_IsArray(args) || cJSON_GetArraySize(args) > 0))
		errx(FAIL, "%s: syscalls: args are not supported", profile);
	names = cJSON_GetObjectItemCaseSensitive(rule, "names");
	if (!cJSON_IsArray(names))
		errx(FAIL, "%s: syscalls: an entry has no names array",
		    profile);
	act = action_of(rule, "action", "errnoRet", "syscalls entry");
	if (act == dflt)	/* a no-op, and libseccomp says EACCES */
		return;
	cJSON_ArrayForEach(v, names)
		add_name(ctx, v, act);
}

static void
add_rules(scmp_filter_ctx ctx, const cJSON *root, uint32_t dflt)
{
	const cJSON *rules, *rule;

	rules = cJSON_GetObjectItemCaseSensitive(root, "syscalls");
	if (rules == NULL || cJSON_IsNull(rules))
		return;
	if (!cJSON_IsArray(rules))
		errx(FAIL, "%s: syscalls: not an array", profile);
	cJSON_ArrayForEach(rule, rules)
		add_rule(ctx, rule, dflt);
}

static scmp_filter_ctx
filter_init(uint32_t dflt)
{
	scmp_filter_ctx ctx;

	if ((ctx = seccomp_init(dflt)) == NULL)
		errx(FAIL, "seccomp_init: default action 0x%08x refused",
		    dflt);
	return ctx;
}

static scmp_filter_ctx
filter_from(const char *path)
{
	scmp_filter_ctx ctx;
	cJSON *root;
	char *text;
	uint32_t dflt;

	profile = path;
	text = slurp(path);
	if ((root = cJSON_Parse(text)) == NULL)
		errx(FAIL, "%s: not valid JSON (near byte %ld)", path,
		    (long)(cJSON_GetErrorPtr() - text));
	free(text);
	if (!cJSON_IsObject(root))
		errx(FAIL, "%s: not a JSON object", path);
	dflt = action_of(root, "defaultAction", "defaultErrnoRet", "profile");
	ctx = filter_init(dflt);
	add_archs(ctx, root);
	add_rules(ctx, root, dflt);
	cJSON_Delete(root);
	return ctx;
}

int
main(int argc, char *argv[])
{
	scmp_filter_ctx ctx;
	int rc;

	if (argc < 3)
		usage();
	if (strcmp(argv[1], "--log") == 0)
		ctx = filter_init(SCMP_ACT_LOG);
	else
		ctx = filter_from(argv[1]);
	if ((rc = seccomp_load(ctx)) < 0)
		errx(FAIL, "seccomp_load: %s", strerror(-rc));
	/* no seccomp_release: only execve between the filter and PROG */
	execv(argv[2], argv + 2);
	err(FAIL, "%s", argv[2]);
}
