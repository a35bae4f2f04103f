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

/* The rules' lines, sorted and unique, as a JSON array of strings. */
static void
put_array(struct jw *w, struct rules *r)
{
	rules_sort(r);
	jw_strings(w, (const char *const *)r->v, r->n);
	rules_free(r);
}

void
seccomp_profile(struct jw *w, struct model *m)
{
	struct names c = { { NULL, 0, 0 }, { NULL, 0, 0, 0 } };
	const char *const *b;
	struct utsname u;

	jw_printf(w, "{\"defaultAction\":\"SCMP_ACT_ERRNO\","
	    "\"defaultErrnoRet\":1,\"architectures\":");
	each(m, S_ARCHITECTURES, arch_entry, &c);
	if (c.r.n == 0 && uname(&u) == 0)	/* none seen: this machine's */
		arch_add(&c, u.machine);
	put_array(w, &c.r);
	jw_printf(w, ",\"syscalls\":[{\"names\":");
	each(m, S_SYSCALLS, syscall_entry, &c);
	if (opts.baseline != NULL)
		baseline_file(&c, opts.baseline);
	else
		for (b = baseline; *b != NULL; b++)
			add(&c, *b);
	put_array(w, &c.r);
	jw_printf(w, ",\"action\":\"SCMP_ACT_ALLOW\"}]}\n");
	free(c.line.buf);
}
