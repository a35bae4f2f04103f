/*
 * The sections of the model, in output order, and their fields: the
 * JSON names of vArmor's ArmorProfileModel (its Go json tags and CRD
 * schemas of 0.7 and 0.8, and of 0.9 onwards), and the suite's own beside
 * them (crd 0).  A field vArmor requires is written even when empty.
 */
#include <string.h>

#include "schema.h"

#define A	R_ALL
#define C	R_CURRENT
#define O	R_OLD

/* name, role, native always, declared in, required in, old name */
#define ID(n)		{ n, F_ID, 0, 0, 0, NULL }
#define NUM(n)		{ n, F_NUM, 0, 0, 0, NULL }
#define SET(n)		{ n, F_SET, 0, 0, 0, NULL }
#define FILE_FIELDS { \
	{ "path", F_ID, 1, A, A, NULL }, \
	{ "owner", F_OWNER, 1, A, O, NULL }, \
	{ "permissions", F_SET, 1, A, A, NULL }, \
	{ "oldPath", F_OLDPATH, 1, A, O, NULL } }
#define SOCKET_FIELDS { \
	{ "domain", F_ID, 0, A, O, "family" }, \
	{ "type", F_ID, 0, A, O, "sockType" }, \
	{ "protocol", F_ID, 0, A, O, NULL }, \
	SET("permissions") }
#define EGRESS_FIELDS { \
	{ "ip", F_ID, 1, C, C, NULL }, \
	{ "ports", F_NUMSET, 1, C, C, NULL } }
#define PTRACE_FIELDS { \
	{ "peer", F_ID, 1, A, O, NULL }, \
	{ "external", F_FLAG, 0, C, 0, NULL }, \
	{ "permissions", F_SET, 1, A, A, NULL } }
#define MOUNT_FIELDS(c) { \
	{ "path", F_ID, 1, c, c, NULL }, { "type", F_ID, 0, c, 0, NULL }, \
	{ "flags", F_IDSET, 1, c, 0, NULL }, ID("source"), ID("data") }

const struct section_desc sections[NSECTIONS] = {
	[S_PROFILES] = { "appArmor", NULL, "profiles", A, { { 0 } } },
	[S_EXECUTIONS] = { "appArmor", NULL, "executions", A, { { 0 } } },
	[S_FILES] = { "appArmor", NULL, "files", A, FILE_FIELDS },
	[S_CAPABILITIES] = { "appArmor", NULL, "capabilities", A, { { 0 } } },
	[S_SOCKETS] = { "appArmor", "networks", "sockets", A, SOCKET_FIELDS },
	[S_EGRESSES] = { "appArmor", "networks", "egresses", C,
	    EGRESS_FIELDS },
	[S_ENDPOINTS] = { "appArmor", "networks", "endpoints", 0, {
	    ID("domain"), ID("type"), ID("addr"), NUM("port"),
	    ID("peerAddr"), NUM("peerPort"), SET("permissions") } },
	[S_UNIX] = { "appArmor", NULL, "unix", 0, {
	    ID("type"), ID("addr"), ID("peerAddr"), ID("peerLabel"),
	    SET("permissions") } },
	[S_PTRACES] = { "appArmor", NULL, "ptraces", A, PTRACE_FIELDS },
	[S_SIGNALS] = { "appArmor", NULL, "signals", A, {
	    { "peer", F_ID, 1, A, A, NULL },
	    { "permissions", F_SET, 1, A, A, NULL },
	    { "signals", F_SET, 1, A, A, NULL } } },
	[S_DBUS] = { "appArmor", NULL, "dbus", 0, {
	    ID("bus"), ID("path"), ID("interface"), ID("member"),
	    ID("name"), ID("peerLabel"), SET("permissions") } },
	[S_MQUEUES] = { "appArmor", NULL, "mqueues", 0, {
	    ID("type"), ID("name"), SET("permissions") } },
	[S_IO_URING] = { "appArmor", NULL, "ioUring", 0, {
	    ID("label"), SET("permissions") } },
	[S_USERNS] = { "appArmor", NULL, "userns", 0, { { 0 } } },
	[S_CHANGE_PROFILES] = { "appArmor", NULL, "changeProfiles", 0,
	    { { 0 } } },
	[S_MOUNTS] = { "appArmor", NULL, "mounts", 0, MOUNT_FIELDS(0) },
	[S_UNHANDLED] = { "appArmor", NULL, "unhandled", A, { { 0 } } },
	[S_BPF_EXECUTIONS] = { "bpf", NULL, "executions", C, { { 0 } } },
	[S_BPF_FILES] = { "bpf", NULL, "files", C, FILE_FIELDS },
	[S_BPF_CAPABILITIES] = { "bpf", NULL, "capabilities", C, { { 0 } } },
	[S_BPF_SOCKETS] = { "bpf", "network", "sockets", C, SOCKET_FIELDS },
	[S_BPF_EGRESSES] = { "bpf", "network", "egresses", C, EGRESS_FIELDS },
	[S_BPF_PTRACES] = { "bpf", NULL, "ptraces", C, PTRACE_FIELDS },
	[S_BPF_MOUNTS] = { "bpf", NULL, "mounts", C, MOUNT_FIELDS(C) },
	[S_SYSCALLS] = { "seccomp", NULL, "syscalls", A, { { 0 } } },
	[S_ARCHITECTURES] = { "seccomp", NULL, "architectures", 0, { { 0 } } },
};

int
field_index(enum section sec, const char *name)
{
	int i;

	for (i = 0; i < MAXFIELDS; i++)		/* the literal, merged */
		if (sections[sec].f[i].name == name)
			return i;
	for (i = 0; i < MAXFIELDS && sections[sec].f[i].name != NULL; i++)
		if (strcmp(sections[sec].f[i].name, name) == 0)
			return i;
	return -1;
}

int
set_slot(enum section sec, int field)
{
	int i, si = 0;

	for (i = 0; i < field; i++)
		if (is_set_role(sections[sec].f[i].role))
			si++;
	return si;
}
