/*
 * A seccomp event: its call and architecture.  Seccomp profiles name
 * system calls as libseccomp does; the audit log names them as libaudit
 * does, and a few differ.  Calls newer than the
 * audit tables have only their number (aa-evtparse: "unknown(452)"),
 * the same on every architecture from 424 on.
 */
#include <string.h>

#include "learn.h"

static const char *const renamed[][2] = {
	{ "pread", "pread64" }, { "pwrite", "pwrite64" },
	{ "sys_kexec_load", "kexec_load" },
	{ "sched_rr_get_interval64", "sched_rr_get_interval_time64" },
	{ NULL, NULL }
};

/* 424 on, in order (include/uapi/asm-generic/unistd.h). */
static const char *const unified[] = {
	"pidfd_send_signal", "io_uring_setup", "io_uring_enter",
	"io_uring_register", "open_tree", "move_mount", "fsopen", "fsconfig",
	"fsmount", "fspick", "pidfd_open", "clone3", "close_range", "openat2",
	"pidfd_getfd", "faccessat2", "process_madvise", "epoll_pwait2",
	"mount_setattr", "quotactl_fd", "landlock_create_ruleset",
	"landlock_add_rule", "landlock_restrict_self", "memfd_secret",
	"process_mrelease", "futex_waitv", "set_mempolicy_home_node",
	"cachestat", "fchmodat2", "map_shadow_stack", "futex_wake",
	"futex_wait", "futex_requeue", "statmount", "listmount",
	"lsm_get_self_attr", "lsm_set_self_attr", "lsm_list_modules",
	"mseal", "setxattrat", "getxattrat", "listxattrat", "removexattrat",
	"open_tree_attr"
};

const char *
seccomp_name(const char *audit_name, long long nr)
{
	int i;

	if (audit_name == NULL || strncmp(audit_name, "unknown(", 8) == 0) {
		if (nr >= 424 && nr < 424 + (long long)(sizeof(unified) /
		    sizeof(unified[0])))
			return unified[nr - 424];
		return NULL;
	}
	for (i = 0; renamed[i][0] != NULL; i++)
		if (strcmp(renamed[i][0], audit_name) == 0)
			return renamed[i][1];
	return audit_name;
}

int
ingest_seccomp(struct event *ev, const struct src *src)
{
	int bad = 0;
	const char *sc = get_str(ev, M_SYSCALL, src, &bad);
	const char *arch = get_str(ev, M_ARCH, src, &bad);
	const char *action = get_str(ev, M_ACTION, src, &bad);
	long long nr = -1;

	get_num(ev, M_SYSCALL_NR, &nr, src, &bad);
	if (bad)
		return -1;
	if (action != NULL && !mode_wanted(action))
		return 0;	/* denied (errno, kill, trap): not by default */
	obs_denied = action != NULL && (strcmp(action, "errno") == 0 ||
	    strcmp(action, "trap") == 0 || strncmp(action, "kill", 4) == 0);
	learn_stats.seccomp++;
	if ((sc = seccomp_name(sc, nr)) != NULL)
		obs_new(S_SYSCALLS)->val[0] = sc;
	if (arch != NULL)
		obs_new(S_ARCHITECTURES)->val[0] = arch;
	return 1;
}
