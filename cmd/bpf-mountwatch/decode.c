/* Names for syscalls, commands and flag bits, in the kernel's bit order. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "watch.h"

#define BIT(v, name)	{ (v), (v), (name) }
#define END		{ 0, 0, NULL }

const struct flagname ms_flags[] = {
	BIT(0x1, "MS_RDONLY"), BIT(0x2, "MS_NOSUID"), BIT(0x4, "MS_NODEV"),
	BIT(0x8, "MS_NOEXEC"), BIT(0x10, "MS_SYNCHRONOUS"),
	BIT(0x20, "MS_REMOUNT"), BIT(0x40, "MS_MANDLOCK"),
	BIT(0x80, "MS_DIRSYNC"), BIT(0x100, "MS_NOSYMFOLLOW"),
	BIT(0x400, "MS_NOATIME"), BIT(0x800, "MS_NODIRATIME"),
	BIT(0x1000, "MS_BIND"), BIT(0x2000, "MS_MOVE"), BIT(0x4000, "MS_REC"),
	BIT(0x8000, "MS_SILENT"), BIT(0x10000, "MS_POSIXACL"),
	BIT(0x20000, "MS_UNBINDABLE"), BIT(0x40000, "MS_PRIVATE"),
	BIT(0x80000, "MS_SLAVE"), BIT(0x100000, "MS_SHARED"),
	BIT(0x200000, "MS_RELATIME"), BIT(0x400000, "MS_KERNMOUNT"),
	BIT(0x800000, "MS_I_VERSION"), BIT(0x1000000, "MS_STRICTATIME"),
	BIT(0x2000000, "MS_LAZYTIME"), END
};

const struct flagname umount_flags[] = {
	BIT(0x1, "MNT_FORCE"), BIT(0x2, "MNT_DETACH"), BIT(0x4, "MNT_EXPIRE"),
	BIT(0x8, "UMOUNT_NOFOLLOW"), END
};

const struct flagname clone_flags[] = {
	BIT(0x100, "CLONE_VM"), BIT(0x200, "CLONE_FS"),
	BIT(0x400, "CLONE_FILES"), BIT(0x800, "CLONE_SIGHAND"),
	BIT(0x1000, "CLONE_PIDFD"), BIT(0x2000, "CLONE_PTRACE"),
	BIT(0x4000, "CLONE_VFORK"), BIT(0x8000, "CLONE_PARENT"),
	BIT(0x10000, "CLONE_THREAD"), BIT(0x20000, "CLONE_NEWNS"),
	BIT(0x40000, "CLONE_SYSVSEM"), BIT(0x80000, "CLONE_SETTLS"),
	BIT(0x100000, "CLONE_PARENT_SETTID"),
	BIT(0x200000, "CLONE_CHILD_CLEARTID"), BIT(0x400000, "CLONE_DETACHED"),
	BIT(0x800000, "CLONE_UNTRACED"), BIT(0x1000000, "CLONE_CHILD_SETTID"),
	BIT(0x2000000, "CLONE_NEWCGROUP"), BIT(0x4000000, "CLONE_NEWUTS"),
	BIT(0x8000000, "CLONE_NEWIPC"), BIT(0x10000000, "CLONE_NEWUSER"),
	BIT(0x20000000, "CLONE_NEWPID"), BIT(0x40000000, "CLONE_NEWNET"),
	BIT(0x80000000, "CLONE_IO"), BIT(0x80, "CLONE_NEWTIME"),
	BIT(0x100000000ULL, "CLONE_CLEAR_SIGHAND"),
	BIT(0x200000000ULL, "CLONE_INTO_CGROUP"), END
};

const struct flagname mount_attr_flags[] = {
	BIT(0x1, "MOUNT_ATTR_RDONLY"), BIT(0x2, "MOUNT_ATTR_NOSUID"),
	BIT(0x4, "MOUNT_ATTR_NODEV"), BIT(0x8, "MOUNT_ATTR_NOEXEC"),
	{ 0x70, 0x10, "MOUNT_ATTR_NOATIME" },
	{ 0x70, 0x20, "MOUNT_ATTR_STRICTATIME" },
	{ 0x70, 0x70, "MOUNT_ATTR__ATIME" },	/* attr_clr: any atime setting */
	BIT(0x80, "MOUNT_ATTR_NODIRATIME"), BIT(0x100000, "MOUNT_ATTR_IDMAP"),
	BIT(0x200000, "MOUNT_ATTR_NOSYMFOLLOW"), END
};

const struct flagname fsopen_flags[] = { BIT(0x1, "FSOPEN_CLOEXEC"), END };
const struct flagname fsmount_flags[] = { BIT(0x1, "FSMOUNT_CLOEXEC"), END };

const struct flagname fspick_flags[] = {
	BIT(0x1, "FSPICK_CLOEXEC"), BIT(0x2, "FSPICK_SYMLINK_NOFOLLOW"),
	BIT(0x4, "FSPICK_NO_AUTOMOUNT"), BIT(0x8, "FSPICK_EMPTY_PATH"), END
};

const struct flagname move_mount_flags[] = {
	BIT(0x1, "MOVE_MOUNT_F_SYMLINKS"), BIT(0x2, "MOVE_MOUNT_F_AUTOMOUNTS"),
	BIT(0x4, "MOVE_MOUNT_F_EMPTY_PATH"), BIT(0x10, "MOVE_MOUNT_T_SYMLINKS"),
	BIT(0x20, "MOVE_MOUNT_T_AUTOMOUNTS"),
	BIT(0x40, "MOVE_MOUNT_T_EMPTY_PATH"), BIT(0x100, "MOVE_MOUNT_SET_GROUP"),
	BIT(0x200, "MOVE_MOUNT_BENEATH"), END
};

const struct flagname open_tree_flags[] = {
	BIT(0x1, "OPEN_TREE_CLONE"), BIT(0x100, "AT_SYMLINK_NOFOLLOW"),
	BIT(0x800, "AT_NO_AUTOMOUNT"), BIT(0x1000, "AT_EMPTY_PATH"),
	BIT(0x8000, "AT_RECURSIVE"), BIT(02000000, "OPEN_TREE_CLOEXEC"), END
};

const struct flagname at_flags[] = {
	BIT(0x100, "AT_SYMLINK_NOFOLLOW"), BIT(0x800, "AT_NO_AUTOMOUNT"),
	BIT(0x1000, "AT_EMPTY_PATH"), BIT(0x8000, "AT_RECURSIVE"), END
};

static const char *const sys_names[MW_NSYS] = {
	[MW_MOUNT] = "mount", [MW_UMOUNT2] = "umount2", [MW_UMOUNT] = "umount",
	[MW_PIVOT_ROOT] = "pivot_root", [MW_FSOPEN] = "fsopen",
	[MW_FSCONFIG] = "fsconfig", [MW_FSMOUNT] = "fsmount",
	[MW_MOVE_MOUNT] = "move_mount", [MW_OPEN_TREE] = "open_tree",
	[MW_FSPICK] = "fspick", [MW_MOUNT_SETATTR] = "mount_setattr",
	[MW_UNSHARE] = "unshare", [MW_SETNS] = "setns", [MW_CLONE] = "clone",
	[MW_CLONE3] = "clone3",
};

const char *
sys_name(unsigned sys)
{
	return sys < MW_NSYS && sys_names[sys] ? sys_names[sys] : "unknown";
}

const char *
fsconfig_cmd_name(uint64_t cmd)
{
	static const char *const names[] = {
		"FSCONFIG_SET_FLAG", "FSCONFIG_SET_STRING", "FSCONFIG_SET_BINARY",
		"FSCONFIG_SET_PATH", "FSCONFIG_SET_PATH_EMPTY", "FSCONFIG_SET_FD",
		"FSCONFIG_CMD_CREATE", "FSCONFIG_CMD_RECONFIGURE",
		"FSCONFIG_CMD_CREATE_EXCL",
	};

	return cmd < sizeof(names) / sizeof(names[0]) ? names[cmd] : NULL;
}

/* Before 2.4, mount(2) wanted 0xC0ED in the top half; the kernel drops it. */
uint64_t
ms_strip_magic(uint64_t flags)
{
	flags &= 0xffffffffULL;
	if ((flags & 0xffff0000ULL) == 0xc0ed0000ULL)
		flags &= 0xffff;
	return flags;
}

/* The mount(2) flags that give a mount the same MOUNT_ATTR_* settings. */
uint64_t
mount_attr_to_ms(uint64_t attr)
{
	static const uint64_t map[][2] = {
		{ 0x1, 0x1 }, { 0x2, 0x2 }, { 0x4, 0x4 }, { 0x8, 0x8 },
		{ 0x80, 0x800 }, { 0x200000, 0x100 },
	};
	uint64_t ms = 0;
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (attr & map[i][0])
			ms |= map[i][1];
	if ((attr & 0x70) == 0x10)
		ms |= 0x400;		/* MS_NOATIME */
	else if ((attr & 0x70) == 0x20)
		ms |= 0x1000000;	/* MS_STRICTATIME */
	return ms;
}

/* key: ["NAME", ..., "0xUNKNOWN"], names in table order. */
void
mw_put_flags(struct jw *w, const char *key, uint64_t v, const struct flagname *t)
{
	uint64_t rest = v;
	int first = 1;
	char hex[24];

	jw_key_plain(w, key, strlen(key));
	jw_raw(w, "[", 1);
	for (; t->name != NULL; t++) {
		if ((v & t->mask) != t->value || t->value == 0)
			continue;
		if (!first)
			jw_raw(w, ",", 1);
		jw_str(w, t->name, strlen(t->name));
		rest &= ~t->mask;
		first = 0;
	}
	if (rest) {
		if (!first)
			jw_raw(w, ",", 1);
		snprintf(hex, sizeof(hex), "0x%" PRIx64, rest);
		jw_str(w, hex, strlen(hex));
	}
	jw_raw(w, "]", 1);
}
