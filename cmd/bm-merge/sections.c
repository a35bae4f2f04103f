/*
 * The sections of the model, in output order, and their fields: the
 * JSON names of vArmor's ArmorProfileModel (its Go json tags and CRD
 * schema), and ours beside them.  vArmor's schema requires some fields
 * even when empty; those are always written (always = 1), as are the
 * flags of a mount.
 */
#include <string.h>

#include "merge.h"

#define ID(n)		{ n, F_ID, 0 }
#define NUM(n)		{ n, F_NUM, 0 }
#define SET(n)		{ n, F_SET, 0 }

const struct section_desc sections[NSECTIONS] = {
	[S_PROFILES] = { "apparmor", NULL, "profiles", { { 0 } } },
	[S_EXECUTIONS] = { "apparmor", NULL, "executions", { { 0 } } },
	[S_FILES] = { "apparmor", NULL, "files", {
	    { "path", F_ID, 1 }, { "owner", F_OWNER, 1 },
	    { "permissions", F_SET, 1 }, { "oldPath", F_OLDPATH, 1 } } },
	[S_CAPABILITIES] = { "apparmor", NULL, "capabilities", { { 0 } } },
	[S_SOCKETS] = { "apparmor", "networks", "sockets", {
	    ID("domain"), ID("type"), ID("protocol"), SET("permissions") } },
	[S_ENDPOINTS] = { "apparmor", "networks", "endpoints", {
	    ID("domain"), ID("type"), ID("addr"), NUM("port"),
	    ID("peerAddr"), NUM("peerPort"), SET("permissions") } },
	[S_UNIX] = { "apparmor", NULL, "unix", {
	    ID("type"), ID("addr"), ID("peerAddr"), ID("peerLabel"),
	    SET("permissions") } },
	[S_PTRACES] = { "apparmor", NULL, "ptraces", {
	    { "peer", F_ID, 1 }, { "permissions", F_SET, 1 } } },
	[S_SIGNALS] = { "apparmor", NULL, "signals", {
	    { "peer", F_ID, 1 }, { "permissions", F_SET, 1 },
	    { "signals", F_SET, 1 } } },
	[S_DBUS] = { "apparmor", NULL, "dbus", {
	    ID("bus"), ID("path"), ID("interface"), ID("member"),
	    ID("name"), ID("peerLabel"), SET("permissions") } },
	[S_MQUEUES] = { "apparmor", NULL, "mqueues", {
	    ID("type"), ID("name"), SET("permissions") } },
	[S_IO_URING] = { "apparmor", NULL, "ioUring", {
	    ID("label"), SET("permissions") } },
	[S_USERNS] = { "apparmor", NULL, "userns", { { 0 } } },
	[S_CHANGE_PROFILES] = { "apparmor", NULL, "changeProfiles", { { 0 } } },
	[S_MOUNTS] = { "apparmor", NULL, "mounts", {
	    ID("path"), ID("type"), { "flags", F_IDSET, 1 }, ID("source"),
	    ID("data") } },
	[S_UNHANDLED] = { "apparmor", NULL, "unhandled", { { 0 } } },
	[S_BPF_MOUNTS] = { "bpf", NULL, "mounts", {
	    ID("path"), ID("type"), { "flags", F_IDSET, 1 }, ID("source"),
	    ID("data") } },
	[S_SYSCALLS] = { "seccomp", NULL, "syscalls", { { 0 } } },
	[S_ARCHITECTURES] = { "seccomp", NULL, "architectures", { { 0 } } },
};

int
field_index(enum section sec, const char *name)
{
	int i;

	for (i = 0; i < MAXFIELDS && sections[sec].f[i].name != NULL; i++)
		if (sections[sec].f[i].name == name ||	/* a merged literal */
		    strcmp(sections[sec].f[i].name, name) == 0)
			return i;
	return -1;
}
