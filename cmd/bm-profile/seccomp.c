/*
 * An OCI runtime-spec seccomp profile (runc, crun, containerd, Docker,
 * Podman, Kubernetes): deny with EPERM by default, allow the system
 * calls of the model and a baseline, on the architectures seen.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "lineio.h"
#include "profile.h"
#include "util.h"

/*
 * What a container runtime still does once it has installed the filter
 * (runc: the Go runtime's threads, then execve of the entrypoint), and
 * what vArmor always allows (open, openat, openat2, close, read, write).
 */
static const char *const baseline[] = {
	"capget", "capset", "close", "close_range", "epoll_ctl",
	"epoll_pwait", "execve", "execveat", "exit", "exit_group", "fcntl",
	"fstat", "futex", "getpid", "gettid", "madvise", "mmap", "munmap",
	"nanosleep", "newfstatat", "open", "openat", "openat2", "prctl",
	"read", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn",
	"sched_yield", "sigaltstack", "tgkill", "write", NULL
};

/* Each architecture with the ones a process on it may also call. */
static const struct {
	const char	*seen;
	const char	*scmp[4];
} arches[] = {
	{ "x86_64", { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32" } },
	{ "i386", { "SCMP_ARCH_X86" } }, { "i686", { "SCMP_ARCH_X86" } },
	{ "x32", { "SCMP_ARCH_X32" } },
	{ "aarch64", { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM" } },
	{ "arm", { "SCMP_ARCH_ARM" } }, { "armeb", { "SCMP_ARCH_ARM" } },
	{ "armv7l", { "SCMP_ARCH_ARM" } },
	{ "ppc64le", { "SCMP_ARCH_PPC64LE" } },
	{ "ppc64", { "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC" } },
	{ "ppc", { "SCMP_ARCH_PPC" } },
	{ "s390x", { "SCMP_ARCH_S390X", "SCMP_ARCH_S390" } },
	{ "s390", { "SCMP_ARCH_S390" } },
	{ "riscv64", { "SCMP_ARCH_RISCV64" } },
	{ "loongarch64", { "SCMP_ARCH_LOONGARCH64" } },
	{ NULL, { NULL } }
};

struct names {
	struct rules	 r;
	struct jw	 line;
};

static void
add(struct names *c, const char *s)
{
	jw_raw(&c->line, s, strlen(s));
	rules_add(&c->r, &c->line);
}

static int
syscall_name(const char *s)
{
	return s != NULL && *s != '\0' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s);
}

static void
syscall_entry(struct ent *e, void *arg)
{
	const char *s = ent_str(e, NULL);

	if (e->bad || s == NULL)
		return;
	if (!syscall_name(s)) {
		bad_input(e->m->file, e->m->line, "%s: not a system call name",
		    e->where);
		return;
	}
	add(arg, s);
}

static int
arch_add(struct names *c, const char *seen)
{
	int i, j;

	for (i = 0; arches[i].seen != NULL; i++)
		if (strcmp(arches[i].seen, seen) == 0)
			break;
	if (arches[i].seen == NULL)
		return 0;
	for (j = 0; j < 4 && arches[i].scmp[j] != NULL; j++)
		add(c, arches[i].scmp[j]);
	return 1;
}

static void
arch_entry(struct ent *e, void *arg)
{
	const char *s = ent_str(e, NULL);

	if (e->bad || s == NULL)
		return;
	if (!arch_add(arg, s))
		bad_input(e->m->file, e->m->line,
		    "%s: architecture %s not known; left out", e->where, s);
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
		if (syscall_name(s))
			add(c, s);
		else if (*s != '\0')
			bad_input(path, lr.lineno, "not a system call name");
		free(copy);
	}
	if (rc != LR_EOF)
		errx(EXIT_FATAL, "%s: cannot read", path);
	lr_close(&lr);
}

/* The rules' lines, sorted and unique, as a JSON array of strings. */
static void
put_array(struct jw *w, struct rules *r)
{
	rules_sort(r);
	jw_strings(w, (const char *const *)r->v, r->n);
	rules_free(r);
}

int
model_has_syscalls(const struct model *m, size_t n)
{
	return has_entries(m, n, "seccomp", "syscalls");
}

void
seccomp_profile(struct jw *w, const struct model *m, size_t n)
{
	struct names c = { { NULL, 0, 0 }, { NULL, 0, 0, 0 } };
	const char *const *b;
	struct utsname u;

	jw_printf(w, "{\"defaultAction\":\"SCMP_ACT_ERRNO\","
	    "\"defaultErrnoRet\":1,\"architectures\":");
	each(m, n, "seccomp", NULL, "architectures", arch_entry, &c);
	if (c.r.n == 0 && uname(&u) == 0)	/* none seen: this machine's */
		arch_add(&c, u.machine);
	put_array(w, &c.r);
	jw_printf(w, ",\"syscalls\":[{\"names\":");
	each(m, n, "seccomp", NULL, "syscalls", syscall_entry, &c);
	if (opts.baseline != NULL)
		baseline_file(&c, opts.baseline);
	else
		for (b = baseline; *b != NULL; b++)
			add(&c, *b);
	put_array(w, &c.r);
	jw_printf(w, ",\"action\":\"SCMP_ACT_ALLOW\"}]}\n");
	free(c.line.buf);
}
