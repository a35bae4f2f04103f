/*
 * An OCI runtime-spec seccomp profile (runc, crun, containerd, Docker,
 * Podman, Kubernetes): deny with EPERM by default, allow the system
 * calls of the model and a baseline, on the architectures seen; answer
 * ENOSYS where a program falls back on it.  Or, to observe, log what
 * it would deny and let it be.
 */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <seccomp.h>

#include "lineio.h"
#include "profile.h"
#include "util.h"

/*
 * What the container runtimes still do once they have installed the
 * filter, measured (t/runtimes.bats; bm-profile(1) says which needs
 * what): runc 1.1 and crun 1.8, alone and under podman 4.3.  The Go
 * runtime's own calls are added, as runc's threads may make them at
 * any moment; the entrypoint's exit too.
 */
static const char *const baseline[] = {
	"capget", "capset", "chdir", "close", "epoll_ctl", "epoll_pwait",
	"execve", "exit", "exit_group", "faccessat2", "fcntl", "fstat",
	"fstatfs", "futex", "getcwd", "getdents64", "getpid", "getppid",
	"gettid", "madvise", "mmap", "munmap", "nanosleep", "newfstatat",
	"openat", "prctl", "pselect6", "read", "rt_sigaction",
	"rt_sigprocmask", "rt_sigreturn", "sched_yield", "setgid",
	"setgroups", "setresgid", "setresuid", "setuid", "sigaltstack",
	"tgkill", "write", NULL
};

struct names {
	struct rules	 r;
	struct jw	 line;
};

static void
add(struct names *c, const char *s)
{
	jw_puts(&c->line, s);
	rules_add(&c->r, &c->line);
}

static void
syscall_entry(const struct ent *e, void *arg)
{
	add(arg, ent_str(e, NULL));
}

static void
arch_add(struct names *c, const char *seen)
{
	const char *const *scmp = scmp_arches(seen);
	int j;

	for (j = 0; scmp != NULL && j < 4 && scmp[j] != NULL; j++)
		add(c, scmp[j]);
}

static void
arch_entry(const struct ent *e, void *arg)
{
	arch_add(arg, ent_str(e, NULL));
}

/* The architectures asked for, else this machine's. */
static void
arch_list(struct names *c, char **asked)
{
	struct utsname u;

	for (; asked != NULL && *asked != NULL; asked++)
		arch_add(c, *asked);
	if (c->r.n == 0 && uname(&u) == 0)
		arch_add(c, u.machine);
}

static void
baseline_file(struct names *c, const char *path)
{
	struct lines lr;
	char *line;
	size_t len;
	int rc;

	if (lr_open(&lr, path) < 0)
		err(EXIT_FATAL, "%s", path);
	while ((rc = lr_next(&lr, &line, &len)) == LR_LINE) {
		char *copy = xmalloc(len + 1), *s;
		size_t n;

		memcpy(copy, line, len);
		copy[len] = '\0';
		s = copy + strspn(copy, " \t");
		s[strcspn(s, "#\r")] = '\0';	/* a comment to the end */
		for (n = strlen(s); n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t');)
			s[--n] = '\0';
		if (is_syscall_name(s))
			add(c, s);
		else if (*s != '\0')
			bad_input(path, lr.lineno, "not a system call name");
		free(copy);
	}
	if (rc != LR_EOF)
		errx(EXIT_FATAL, "%s: cannot read", path);
	lr_close(&lr);
}

static int
allowed(const struct rules *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i], name) == 0)
			return 1;
	return 0;
}

/* The calls libseccomp knows on this machine, by name: made once. */
struct known {
	char	*name;
	int	 nr;
};
static struct known	*known;
static size_t		 nknown;

static int
cmp_known(const void *a, const void *b)
{
	return strcmp(((const struct known *)a)->name,
	    ((const struct known *)b)->name);
}

static void
know_calls(void)
{
	size_t cap = 0;
	char *name;
	int nr;

	for (nr = 0; nr < 1024; nr++)
		if ((name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
		    nr)) != NULL) {
			known = xgrow(known, &cap, nknown + 1, sizeof(*known),
			    512);
			known[nknown].name = name;
			known[nknown++].nr = nr;
		}
	qsort(known, nknown, sizeof(*known), cmp_known);
}

static int
number_of(const char *name)
{
	struct known key = { (char *)name, 0 }, *k;

	k = bsearch(&key, known, nknown, sizeof(*known), cmp_known);
	return k != NULL ? k->nr : -1;
}

/*
 * The calls to answer ENOSYS, not the default errno: glibc starts a
 * thread with clone3 and falls back to clone only on ENOSYS, as Docker's
 * default profile allows for; and a call newer than every call allowed
 * (by this machine's numbers: the kernel numbers them as they come) is
 * one the workload may probe and fall back from, as runc's own stub
 * answers it.
 */
static void
enosys_calls(struct names *out, const struct rules *allow)
{
	int max = -1, nr;
	size_t i;

	if (known == NULL)
		know_calls();
	for (i = 0; i < allow->n; i++)
		if ((nr = number_of(allow->v[i])) > max)
			max = nr;
	for (i = 0; i < nknown; i++)
		if (known[i].nr > max)
			add(out, known[i].name);
	if (!allowed(allow, "clone3"))
		add(out, "clone3");
}

/* The rules' lines, sorted and unique, as a JSON array of strings. */
static void
put_array(struct jw *w, struct rules *r)
{
	rules_sort(r);
	jw_strings(w, (const char *const *)r->v, r->n);
	rules_free(r);
}

void
seccomp_profile(struct jw *w, struct model *m, const struct opts *o)
{
	struct names c = { { NULL, 0, 0 }, { 0 } }, nosys = c;
	const char *const *b;

	if (o->complain)
		jw_printf(w, "{\"defaultAction\":\"SCMP_ACT_LOG\"");
	else
		jw_printf(w, "{\"defaultAction\":\"SCMP_ACT_ERRNO\","
		    "\"defaultErrnoRet\":%d", o->errno_ret);
	if (o->log_denials)
		jw_printf(w, ",\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"]");
	jw_printf(w, ",\"architectures\":");
	ent_each(m, S_ARCHITECTURES, arch_entry, &c);
	arch_list(&c, NULL);		/* none seen: this machine's */
	put_array(w, &c.r);
	jw_printf(w, ",\"syscalls\":[{\"names\":");
	ent_each(m, S_SYSCALLS, syscall_entry, &c);
	if (o->baseline != NULL)
		baseline_file(&c, o->baseline);
	else
		for (b = baseline; *b != NULL; b++)
			add(&c, *b);
	for (b = (const char *const *)o->allow; b != NULL && *b != NULL; b++)
		add(&c, *b);
	if (!o->complain)	/* observing, every call is let be */
		enosys_calls(&nosys, &c.r);
	put_array(w, &c.r);
	jw_printf(w, ",\"action\":\"SCMP_ACT_ALLOW\"}");
	if (nosys.r.n > 0 && o->errno_ret != ENOSYS) {
		jw_printf(w, ",{\"names\":");
		put_array(w, &nosys.r);
		jw_printf(w, ",\"action\":\"SCMP_ACT_ERRNO\","
		    "\"errnoRet\":%d}", ENOSYS);
	}
	rules_free(&nosys.r);
	jw_printf(w, "]}\n");
	free(c.line.buf);
	free(nosys.line.buf);
}

/*
 * The profile to learn under: every call allowed and logged, so the
 * kernel writes a SECCOMP record for each (aa-evtparse reads them).
 */
void
seccomp_learning(struct jw *w, char **arches)
{
	struct names c = { { NULL, 0, 0 }, { 0 } };

	jw_printf(w, "{\"defaultAction\":\"SCMP_ACT_LOG\",\"architectures\":");
	arch_list(&c, arches);
	put_array(w, &c.r);
	jw_printf(w, "}\n");
	free(c.line.buf);
}
