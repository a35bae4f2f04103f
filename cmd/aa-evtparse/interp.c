/* Names for the numbers the kernel logs: protocols, arches, syscalls,
 * seccomp actions.  Syscall and arch tables are libaudit's. */
#include <libaudit.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "evtparse.h"
#include "modes.h"

static const struct { long nr; const char *name; } protocols[] = {
	{ IPPROTO_IP, "ip" }, { IPPROTO_ICMP, "icmp" },
	{ IPPROTO_IGMP, "igmp" }, { IPPROTO_IPIP, "ipip" },
	{ IPPROTO_TCP, "tcp" }, { IPPROTO_EGP, "egp" },
	{ IPPROTO_PUP, "pup" }, { IPPROTO_UDP, "udp" },
	{ IPPROTO_IDP, "idp" }, { IPPROTO_TP, "tp" },
	{ IPPROTO_DCCP, "dccp" }, { IPPROTO_IPV6, "ipv6" },
	{ IPPROTO_RSVP, "rsvp" }, { IPPROTO_GRE, "gre" },
	{ IPPROTO_ESP, "esp" }, { IPPROTO_AH, "ah" },
	{ IPPROTO_ICMPV6, "icmpv6" }, { IPPROTO_MTP, "mtp" },
	{ IPPROTO_BEETPH, "beetph" }, { IPPROTO_ENCAP, "encap" },
	{ IPPROTO_PIM, "pim" }, { IPPROTO_COMP, "comp" },
	{ IPPROTO_SCTP, "sctp" }, { IPPROTO_UDPLITE, "udplite" },
	{ IPPROTO_MPLS, "mpls" }, { IPPROTO_RAW, "raw" },
};

/* linux/netlink.h's NETLINK_*, by number, in lower case */
static const char *const netlink[] = {
	"route", "unused", "usersock", "firewall", "sock_diag", "nflog",
	"xfrm", "selinux", "iscsi", "audit", "fib_lookup", "connector",
	"netfilter", "ip6_fw", "dnrtmsg", "kobject_uevent", "generic", NULL,
	"scsitransport", "ecryptfs", "rdma", "crypto", "smc"
};

const char *
protocol_name(long nr, int is_netlink)
{
	size_t i;

	if (is_netlink)
		return nr >= 0 && nr < (long)(sizeof(netlink) /
		    sizeof(netlink[0])) ? netlink[nr] : NULL;
	for (i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
		if (protocols[i].nr == nr)
			return protocols[i].name;
	return NULL;
}

const char *
arch_name(unsigned long arch, int *machine)
{
	*machine = audit_elf_to_machine((unsigned int)arch);
	return *machine < 0 ? NULL : audit_machine_to_name(*machine);
}

const char *
syscall_name(long nr, int machine)
{
	return machine < 0 ? NULL : audit_syscall_to_name((int)nr, machine);
}

const char *
seccomp_action(unsigned long code)
{
	switch (code & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:	return "kill_process";
	case SECCOMP_RET_KILL_THREAD:	return "kill_thread";
	case SECCOMP_RET_TRAP:		return "trap";
	case SECCOMP_RET_ERRNO:		return "errno";
	case SECCOMP_RET_USER_NOTIF:	return "user_notif";
	case SECCOMP_RET_TRACE:		return "trace";
	case SECCOMP_RET_LOG:		return "log";
	case SECCOMP_RET_ALLOW:		return "allow";
	}
	return NULL;
}

/* APPARMOR_AUDIT .. APPARMOR_AUTO carry the mode in the record type. */
const char *
apparmor_mode_of_type(int type)
{
	if (type < T_APPARMOR_FIRST || type > T_APPARMOR_LAST)
		return NULL;
	return apparmor_modes[type - T_APPARMOR_FIRST];
}

/*
 * Keys whose values the kernel writes with audit_log_untrustedstring():
 * quoted when plain, hex when they hold a space, quote or control byte.
 */
#define HEX_STRING_KEYS NAME("comm"), NAME("exe"), NAME("cwd"), \
	NAME("proctitle"), NAME("name"), NAME("name2"), NAME("profile"), \
	NAME("label"), NAME("peer"), NAME("peer_label"), NAME("target"), \
	NAME("srcname"), NAME("fstype"), NAME("execpath"), NAME("tcontext"), \
	NAME("namespace"), NAME("addr"), NAME("peer_addr"), NAME("path"), \
	NAME("data")

int
is_hex_string_key(const char *k, size_t n)
{
	static const struct name names[] = { HEX_STRING_KEYS, { NULL, 0 } };
	static struct nameset keys = { names, { 0 } };

	return in_set(&keys, k, n);
}

/*
 * Keys whose values are words or names, never numbers, however they
 * look: profile=0 unquoted is the profile "0".  The others are numbers
 * when they read as one (pid=1, exit=-13).
 */
int
is_string_key(const char *k, size_t n)
{
	static const struct name names[] = { NAME("apparmor"),
	    NAME("operation"), NAME("class"), NAME("info"),
	    NAME("requested_mask"), NAME("denied_mask"), NAME("signal"),
	    NAME("capname"), NAME("family"), NAME("sock_type"),
	    NAME("subj"), NAME("key"), NAME("tty"), NAME("res"),
	    NAME("success"), NAME("flags"), NAME("mode"), NAME("requested"),
	    NAME("denied"), NAME("bus"), NAME("interface"), NAME("member"),
	    NAME("mqueue"), HEX_STRING_KEYS, { NULL, 0 } };
	static struct nameset keys = { names, { 0 } };

	return in_set(&keys, k, n);	/* one look-up: on every number */
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode n hex digits into out (n/2 bytes); 0 if s is not hex. */
size_t
hex_decode(const char *s, size_t n, char *out)
{
	size_t i;
	int hi, lo;

	if (n == 0 || n % 2 != 0)
		return 0;
	for (i = 0; i < n; i += 2) {
		if ((hi = hexval((unsigned char)s[i])) < 0 ||
		    (lo = hexval((unsigned char)s[i + 1])) < 0)
			return 0;
		out[i / 2] = (char)(hi << 4 | lo);
	}
	return n / 2;
}

/* Up to 18 decimal digits at p, their value in *v, *stop after them. */
int
scan_digits(const char *p, const char *end, const char **stop, long long *v)
{
	const char *s = p;

	*v = 0;
	while (p < end && *p >= '0' && *p <= '9' && p - s < 18)
		*v = *v * 10 + (*p++ - '0');
	*stop = p;
	return p > s;
}

/* A whole value that is a decimal integer, optionally negative. */
int
parse_long(const char *s, size_t n, long long *v)
{
	const char *end = s + n, *stop;
	int neg = n > 0 && s[0] == '-';

	if (!scan_digits(s + neg, end, &stop, v) || stop != end)
		return 0;
	if (neg)
		*v = -*v;
	return 1;
}

/* Hex digits, with or without 0x, that fit an unsigned long. */
int
parse_hex(const char *s, size_t n, unsigned long *v)
{
	size_t i = 0;
	int d;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	if (i == n || n - i > 16)
		return 0;
	for (*v = 0; i < n; i++) {
		if ((d = hexval((unsigned char)s[i])) < 0)
			return 0;
		*v = *v << 4 | (unsigned long)d;
	}
	return 1;
}
