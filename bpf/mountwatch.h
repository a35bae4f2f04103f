/*
 * Shared by the BPF program and bpf-mountwatch: the record one syscall
 * exit sends through the ring buffer, and the loss counters.
 */
#ifndef MOUNTWATCH_H
#define MOUNTWATCH_H

#define MW_COMM_LEN	16
#define MW_NSTR		4		/* strings a record carries at most */
#define MW_STR_MAX	4096		/* PATH_MAX, and a page of mount data */
#define MW_INFLIGHT	16384		/* syscalls between entry and exit */

/* The syscalls watched; the order is the tool's, not the kernel's. */
enum mw_sys {
	MW_MOUNT = 1, MW_UMOUNT2, MW_UMOUNT, MW_PIVOT_ROOT,
	MW_FSOPEN, MW_FSCONFIG, MW_FSMOUNT, MW_MOVE_MOUNT,
	MW_OPEN_TREE, MW_FSPICK, MW_MOUNT_SETATTR,
	MW_UNSHARE, MW_SETNS, MW_CLONE, MW_CLONE3,
	MW_NSYS
};

/* Why a syscall that happened was not delivered. */
enum mw_lost {
	MW_LOST_RINGBUF,	/* ring buffer full: the reader was too slow */
	MW_LOST_ARGTABLE,	/* too many syscalls between entry and exit */
	MW_LOST_FAULT,		/* clone3 arguments unreadable at exit */
	MW_NLOST
};

/*
 * One syscall.  Pointer arguments that are strings follow the record,
 * in argument order, their lengths in str_len[]: bit i of truncated says
 * string i was longer than MW_STR_MAX - 1, of faulted that it could not
 * be read, of absent that the pointer was NULL; bit MW_NSTR of faulted
 * that extra[] could not be read.  extra[] holds what a syscall reads through a pointer
 * (clone3's flags; mount_setattr's attr_set, attr_clr, propagation,
 * userns_fd).
 */
struct mw_event {
	__u64	seq;
	__u64	start_ns;		/* CLOCK_BOOTTIME, at entry */
	__u64	latency_ns;
	__u64	cgroup_id;
	__u64	mntns;			/* at entry */
	__u64	mntns_after;		/* at exit */
	__s64	ret;
	__u64	args[6];
	__u64	extra[4];
	__u32	pid, tid, ppid, uid;
	__u16	sys;
	__u8	compat;			/* a 32-bit caller */
	__u8	truncated, faulted, absent;	/* bit i: string i */
	__u8	pad;
	__u16	str_len[MW_NSTR];
	char	comm[MW_COMM_LEN];
	__u8	pad2[2];
};	/* then the strings, end to end, no NULs */

#define MW_EVENT_MAX	(sizeof(struct mw_event) + MW_NSTR * MW_STR_MAX)

#endif
