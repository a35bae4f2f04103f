/*
 * Mount-family syscalls, from tracepoints only: the arguments are kept at
 * entry and sent with the return value at exit, when the kernel has
 * already paged in every user string it read.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "mountwatch.h"

#define CLONE_NEWNS	0x00020000
#define TS_COMPAT	0x0002		/* x86 thread_info.status: 32-bit syscall */
#define FSCONFIG_SET_STRING	1
#define FSCONFIG_SET_BINARY	2
#define FSCONFIG_SET_PATH	3
#define FSCONFIG_SET_PATH_EMPTY	4

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Filters, set before load. */
const volatile __u32 filter_tgid;
const volatile __u8 filter_comm[MW_COMM_LEN];
const volatile __u64 filter_cgroup;
const volatile __s32 filter_cgroup_level;
const volatile __u64 filter_mntns;
const volatile __u8 want_ok = 1, want_failed = 1;

/* Read by user space through the mapped .bss. */
__u64 seq;			/* syscalls that happened and passed the filters */
__u64 lost[MW_NLOST];
/*
 * Set by user space when it stops: detaching 30 tracepoints takes
 * seconds, and what happens meanwhile is not to be counted.
 */
__u8 stopped;

struct inflight {
	__u64	start_ns, mntns;
	__u64	args[6];
	__u64	clone3_flags;
	__u16	sys;
	__u8	compat, clone3_known;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MW_INFLIGHT);
	__type(key, __u32);
	__type(value, struct inflight);
} inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");

/* An event is built here, then copied to the ring at its real size. */
struct scratch {
	struct mw_event	ev;
	char		str[(MW_NSTR + 1) * MW_STR_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

/*
 * Which arguments are strings, as nibbles: argument index + 1, lowest
 * nibble first.  fsconfig's value depends on its command: see below.
 */
static __always_inline __u16
string_args(__u16 sys)
{
	switch (sys) {
	case MW_MOUNT:		return 0x5321;	/* source, target, fstype, data */
	case MW_UMOUNT2:
	case MW_UMOUNT:		return 0x1;
	case MW_PIVOT_ROOT:	return 0x21;	/* new_root, put_old */
	case MW_FSOPEN:		return 0x1;	/* fs_name */
	case MW_FSCONFIG:	return 0x3;	/* key */
	case MW_MOVE_MOUNT:	return 0x42;	/* from_path, to_path */
	case MW_OPEN_TREE:
	case MW_FSPICK:
	case MW_MOUNT_SETATTR:	return 0x2;	/* path */
	}
	return 0;
}

static __always_inline __u64
current_mntns(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	return BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
}

/* A syscall that happened and will not be delivered (why: a constant). */
static __always_inline void
lose(int why)
{
	__sync_fetch_and_add(&seq, 1);
	__sync_fetch_and_add(&lost[why], 1);
}

static __always_inline int
wanted_task(void)
{
	if (filter_tgid && bpf_get_current_pid_tgid() >> 32 != filter_tgid)
		return 0;
	if (filter_comm[0]) {
		char comm[MW_COMM_LEN];

		bpf_get_current_comm(comm, sizeof(comm));
#pragma unroll
		for (int i = 0; i < MW_COMM_LEN; i++) {
			if (comm[i] != filter_comm[i])
				return 0;
			if (comm[i] == 0)
				break;
		}
	}
	if (filter_cgroup && bpf_get_current_ancestor_cgroup_id(
	    filter_cgroup_level) != filter_cgroup)
		return 0;
	if (filter_mntns && current_mntns() != filter_mntns)
		return 0;
	return 1;
}

static __always_inline int
read_clone3_flags(__u64 uargs, __u64 *flags)
{
	return bpf_probe_read_user(flags, sizeof(*flags), (void *)uargs);
}

static __always_inline int
enter(__u16 sys, const __u64 *args, __u8 compat)
{
	struct inflight f = { .sys = sys, .compat = compat };
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (stopped)
		return 0;
	/* Namespace syscalls count only when they touch the mount namespace. */
	if ((sys == MW_UNSHARE || sys == MW_CLONE) && !(args[0] & CLONE_NEWNS))
		return 0;
	if (sys == MW_SETNS && args[1] != 0 && !(args[1] & CLONE_NEWNS))
		return 0;
	/* clone3's flags may not be paged in yet: then they are read at exit. */
	if (sys == MW_CLONE3 && read_clone3_flags(args[0], &f.clone3_flags) == 0) {
		if (!(f.clone3_flags & CLONE_NEWNS))
			return 0;
		f.clone3_known = 1;
	}
	if (!wanted_task())
		return 0;
	f.start_ns = bpf_ktime_get_boot_ns();
	f.mntns = current_mntns();
#pragma unroll
	for (int i = 0; i < 6; i++)
		f.args[i] = args[i];
	if (bpf_map_update_elem(&inflight, &tid, &f, BPF_ANY) != 0)
		lose(MW_LOST_ARGTABLE);
	return 0;
}

/* The string at user address p as the record's string i, at str + off. */
static __always_inline __u32
put_str(struct scratch *s, __u32 off, int i, __u64 p, int binary, __u64 size)
{
	char *dst = s->str + (off & (MW_NSTR * MW_STR_MAX - 1));
	long n;
	char next = 0;

	s->ev.str_len[i] = 0;
	if (p == 0) {
		s->ev.absent |= 1 << i;
		return off;
	}
	if (binary) {
		if (size > MW_STR_MAX - 1) {
			size = MW_STR_MAX - 1;
			s->ev.truncated |= 1 << i;
		}
		n = bpf_probe_read_user(dst, size & (MW_STR_MAX - 1),
		    (void *)p) == 0 ? (long)(size & (MW_STR_MAX - 1)) : -1;
	} else {
		n = bpf_probe_read_user_str(dst, MW_STR_MAX, (void *)p);
		if (n > 0)
			n--;		/* the NUL */
		if (n == MW_STR_MAX - 1 &&
		    bpf_probe_read_user(&next, 1, (void *)(p + n)) == 0 &&
		    next != 0)
			s->ev.truncated |= 1 << i;
	}
	if (n < 0) {
		s->ev.faulted |= 1 << i;
		return off;
	}
	s->ev.str_len[i] = (__u16)n;
	return off + (__u32)n;
}

static __always_inline __u32
put_strings(struct scratch *s, const struct inflight *f)
{
	__u16 which = string_args(f->sys);
	__u32 off = 0;

#pragma unroll
	for (int i = 0; i < MW_NSTR; i++) {
		int arg = (which >> (4 * i)) & 0xf;

		if (arg == 0 || arg > 6)
			break;
		off = put_str(s, off, i, f->args[arg - 1], 0, 0);
	}
	if (f->sys == MW_FSCONFIG) {
		__u64 cmd = f->args[1];

		if (cmd == FSCONFIG_SET_STRING || cmd == FSCONFIG_SET_PATH ||
		    cmd == FSCONFIG_SET_PATH_EMPTY)
			off = put_str(s, off, 1, f->args[3], 0, 0);
		else if (cmd == FSCONFIG_SET_BINARY)
			off = put_str(s, off, 1, f->args[3], 1, f->args[4]);
		else
			s->ev.absent |= 1 << 1;
	}
	return off;
}

static __always_inline void
put_extra(struct scratch *s, const struct inflight *f)
{
	if (f->sys == MW_CLONE3)
		s->ev.extra[0] = f->clone3_flags;
	if (f->sys == MW_MOUNT_SETATTR) {
		__u64 size = f->args[4] < sizeof(s->ev.extra) ?
		    f->args[4] : sizeof(s->ev.extra);

		if (bpf_probe_read_user(s->ev.extra, size & 63,
		    (void *)f->args[3]) != 0)
			s->ev.faulted |= 1 << MW_NSTR;
	}
}

/* Whether the syscall that ends with ret is one to report. */
static __always_inline int
wanted_exit(struct inflight *f, long ret, __u64 mntns_after)
{
	if (ret < 0 ? !want_failed : !want_ok)
		return 0;
	if (f->sys == MW_SETNS && !(f->args[1] & CLONE_NEWNS) &&
	    mntns_after == f->mntns)
		return 0;
	return 1;
}

static __always_inline int
leave(long ret, __u8 compat)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid(), now = bpf_ktime_get_boot_ns();
	__u32 tid = (__u32)id, zero = 0, off;
	__u64 mntns_after;
	struct inflight *f;
	struct scratch *s;

	f = bpf_map_lookup_elem(&inflight, &tid);
	if (f == NULL || f->compat != compat)
		return 0;
	mntns_after = current_mntns();
	if (stopped || !wanted_exit(f, ret, mntns_after))
		goto done;
	if (f->sys == MW_CLONE3 && !f->clone3_known) {
		if (read_clone3_flags(f->args[0], &f->clone3_flags) != 0) {
			lose(MW_LOST_FAULT);
			goto done;
		}
		if (!(f->clone3_flags & CLONE_NEWNS))
			goto done;
	}
	s = bpf_map_lookup_elem(&scratch, &zero);
	if (s == NULL)
		goto done;
	s->ev.seq = __sync_fetch_and_add(&seq, 1);
	s->ev.start_ns = f->start_ns;
	s->ev.latency_ns = now - f->start_ns;
	s->ev.cgroup_id = bpf_get_current_cgroup_id();
	s->ev.mntns = f->mntns;
	s->ev.mntns_after = mntns_after;
	s->ev.ret = ret;
#pragma unroll
	for (int i = 0; i < 6; i++)
		s->ev.args[i] = f->args[i];
	__builtin_memset(s->ev.extra, 0, sizeof(s->ev.extra));
	__builtin_memset(s->ev.str_len, 0, sizeof(s->ev.str_len));
	s->ev.pid = id >> 32;
	s->ev.tid = tid;
	s->ev.ppid = BPF_CORE_READ(task, real_parent, tgid);
	s->ev.uid = (__u32)bpf_get_current_uid_gid();
	s->ev.sys = f->sys;
	s->ev.compat = compat;
	s->ev.truncated = s->ev.faulted = s->ev.absent = 0;
	bpf_get_current_comm(s->ev.comm, sizeof(s->ev.comm));
	off = put_strings(s, f);
	put_extra(s, f);
	if (bpf_ringbuf_output(&events, s,
	    sizeof(s->ev) + (off & (MW_NSTR * MW_STR_MAX - 1)), 0) != 0)
		__sync_fetch_and_add(&lost[MW_LOST_RINGBUF], 1);
done:
	bpf_map_delete_elem(&inflight, &tid);
	return 0;
}

/*
 * A syscall's tracepoint record holds its own arguments only: reading
 * past them makes the attach fail, so each reads its nargs.
 */
#define NATIVE(name, sys, nargs)					\
SEC("tp/syscalls/sys_enter_" #name)					\
int enter_##name(struct trace_event_raw_sys_enter *ctx)		\
{									\
	__u64 a[6] = { 0 };						\
	a[0] = ctx->args[0];						\
	if (nargs > 1) a[1] = ctx->args[1];				\
	if (nargs > 2) a[2] = ctx->args[2];				\
	if (nargs > 3) a[3] = ctx->args[3];				\
	if (nargs > 4) a[4] = ctx->args[4];				\
	return enter(sys, a, 0);					\
}									\
SEC("tp/syscalls/sys_exit_" #name)					\
int exit_##name(struct trace_event_raw_sys_exit *ctx)			\
{									\
	return leave(ctx->ret, 0);					\
}

NATIVE(mount, MW_MOUNT, 5)
NATIVE(umount, MW_UMOUNT2, 2)
NATIVE(pivot_root, MW_PIVOT_ROOT, 2)
NATIVE(fsopen, MW_FSOPEN, 2)
NATIVE(fsconfig, MW_FSCONFIG, 5)
NATIVE(fsmount, MW_FSMOUNT, 3)
NATIVE(move_mount, MW_MOVE_MOUNT, 5)
NATIVE(open_tree, MW_OPEN_TREE, 3)
NATIVE(fspick, MW_FSPICK, 3)
NATIVE(mount_setattr, MW_MOUNT_SETATTR, 5)
NATIVE(unshare, MW_UNSHARE, 1)
NATIVE(setns, MW_SETNS, 2)
NATIVE(clone, MW_CLONE, 5)
NATIVE(clone3, MW_CLONE3, 2)

/*
 * 32-bit callers: the per-syscall tracepoints ignore them, so every
 * syscall's raw tracepoint is looked at (off unless --compat).
 */
static __always_inline __u16
compat_sys(long nr)
{
	switch (nr) {
	case 21:  return MW_MOUNT;
	case 22:  return MW_UMOUNT;
	case 52:  return MW_UMOUNT2;
	case 120: return MW_CLONE;
	case 217: return MW_PIVOT_ROOT;
	case 310: return MW_UNSHARE;
	case 346: return MW_SETNS;
	case 428: return MW_OPEN_TREE;
	case 429: return MW_MOVE_MOUNT;
	case 430: return MW_FSOPEN;
	case 431: return MW_FSCONFIG;
	case 432: return MW_FSMOUNT;
	case 433: return MW_FSPICK;
	case 435: return MW_CLONE3;
	case 442: return MW_MOUNT_SETATTR;
	}
	return 0;
}

static __always_inline int
in_compat_syscall(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	return BPF_CORE_READ(task, thread_info.status) & TS_COMPAT;
}

SEC("raw_tp/sys_enter")
int compat_enter(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	__u16 sys = compat_sys((long)ctx->args[1]);
	__u64 a[6];

	if (sys == 0 || !in_compat_syscall())
		return 0;
	a[0] = (__u32)BPF_CORE_READ(regs, bx);
	a[1] = (__u32)BPF_CORE_READ(regs, cx);
	a[2] = (__u32)BPF_CORE_READ(regs, dx);
	a[3] = (__u32)BPF_CORE_READ(regs, si);
	a[4] = (__u32)BPF_CORE_READ(regs, di);
	a[5] = (__u32)BPF_CORE_READ(regs, bp);
	return enter(sys, a, 1);
}

SEC("raw_tp/sys_exit")
int compat_exit(struct bpf_raw_tracepoint_args *ctx)
{
	if (!in_compat_syscall())
		return 0;
	return leave((long)ctx->args[1], 1);
}
