/*
 * genlog: write a large, realistic auditd log (raw format) on stdout,
 * for benchmarking aa-evtparse.
 *
 *	genlog [N]		about N lines (default 1000000): AppArmor
 *				AVCs, half of them with their SYSCALL, CWD,
 *				PATH, PROCTITLE and EOE records, lone SECCOMP
 *				records, dbus USER_AVCs, unrelated syscall
 *				events and USER_* records
 *	genlog --storm [N]	a denial storm: N (default 200000) lone AVC
 *				and SECCOMP records within two seconds
 *
 * The output is the same on every run.  The number of AppArmor records
 * (AVC and USER_AVC) and SECCOMP records written goes to stderr.
 */
#include <err.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define PICK(a)		(&(a)[rnd(NELEM(a))])

struct proc {
	const char	*label;		/* AppArmor label; NULL: unconfined */
	const char	*comm, *exe;
	const char	*argv;		/* '|' between the arguments */
	int		 uid, pid, complain;
};

/* Confined services and apps: the AppArmor denials. */
static const struct proc confined[] = {
	{ "/usr/sbin/nginx", "nginx", "/usr/sbin/nginx",
	    "nginx: worker process", 33, 1234, 0 },
	{ "/usr/sbin/cupsd", "cupsd", "/usr/sbin/cupsd",
	    "/usr/sbin/cupsd|-l", 0, 812, 0 },
	{ "snap.firefox.firefox", "firefox",
	    "/snap/firefox/3358/usr/lib/firefox/firefox",
	    "/snap/firefox/3358/usr/lib/firefox/firefox", 1000, 4711, 0 },
	{ "docker-default", "node", "/usr/local/bin/node",
	    "node|/app/server.js", 0, 20311, 0 },
	{ "/usr/sbin/mysqld", "mysqld", "/usr/sbin/mysqld",
	    "/usr/sbin/mysqld", 108, 977, 1 },
	{ "/usr/bin/man", "man", "/usr/bin/man", "man|ls", 1000, 30120, 1 },
	{ "rsyslogd", "rs:main Q:Reg", "/usr/sbin/rsyslogd",
	    "/usr/sbin/rsyslogd|-n|-iNONE", 0, 640, 0 },
};

/* Processes under a seccomp filter. */
static const struct proc filtered[] = {
	{ "docker-default", "node", "/usr/local/bin/node",
	    "node|/app/server.js", 0, 20311, 0 },
	{ NULL, "chrome", "/opt/google/chrome/chrome",
	    "/opt/google/chrome/chrome|--type=renderer", 1000, 7001, 0 },
	{ NULL, "systemd-resolve", "/usr/lib/systemd/systemd-resolved",
	    "/lib/systemd/systemd-resolved", 101, 455, 0 },
	{ "snap.firefox.firefox", "Socket Process",
	    "/snap/firefox/3358/usr/lib/firefox/firefox",
	    "/snap/firefox/3358/usr/lib/firefox/firefox|-contentproc", 1000,
	    4790, 0 },
	{ NULL, "s", "/tmp/s", "./s", 0, 2470, 0 },
};

/* Everyday activity that audit rules log. */
static const struct proc busy[] = {
	{ NULL, "sshd", "/usr/sbin/sshd", "sshd: alice [priv]", 0, 2201, 0 },
	{ NULL, "cron", "/usr/sbin/cron", "/usr/sbin/cron|-f", 0, 588, 0 },
	{ NULL, "bash", "/usr/bin/bash", "-bash", 1000, 2230, 0 },
	{ NULL, "unattended-upgr", "/usr/bin/python3.11",
	    "/usr/bin/python3|/usr/bin/unattended-upgrade", 0, 3102, 0 },
	{ NULL, "systemd-journal", "/usr/lib/systemd/systemd-journald",
	    "/lib/systemd/systemd-journald", 0, 301, 0 },
	{ NULL, "vim", "/usr/bin/vim.basic", "vim|/etc/ssh/sshd_config", 1000,
	    2290, 0 },
};

/* What busy processes exec. */
static const struct proc progs[] = {
	{ NULL, "ls", "/usr/bin/ls", "ls|-la|/tmp", 1000, 0, 0 },
	{ NULL, "grep", "/usr/bin/grep", "grep|-r|TODO|src", 1000, 0, 0 },
	{ NULL, "sh", "/usr/bin/dash",
	    "/bin/sh|-c|run-parts --report /etc/cron.hourly", 0, 0, 0 },
	{ NULL, "apt-get", "/usr/bin/apt-get", "apt-get|-qq|update", 0, 0, 0 },
	{ NULL, "id", "/usr/bin/id", "id|-u", 1000, 0, 0 },
};

static const char *denied_files[] = { "/etc/ssl/private/key.pem",
    "/proc/sys/kernel/random/boot_id", "/etc/shadow", "/run/user/1000/bus",
    "/home/alice/.ssh/id_ed25519", "/sys/fs/cgroup/memory.max",
    "/var/lib/mysql/ibdata1", "/home/alice/My Documents/taxes.pdf" };
static const char *denied_dirs[] = { "/var/cache/nginx/client_temp/",
    "/home/alice/.cache/mozilla/", "/tmp/.X11-unix/", "/run/cups/certs/" };
static const char *denied_execs[] = { "/usr/bin/bash", "/usr/bin/curl",
    "/usr/bin/python3.11", "/usr/sbin/ldconfig" };
static const char *watched[] = { "/etc/passwd", "/etc/shadow",
    "/etc/sudoers", "/var/log/auth.log", "/etc/ssh/sshd_config",
    "/home/alice/My Documents/report.odt" };

static const struct cap { int nr; const char *name; int sys; } caps[] = {
	{ 1, "dac_override", 257 }, { 2, "dac_read_search", 257 },
	{ 12, "net_admin", 54 }, { 19, "sys_ptrace", 101 },
	{ 21, "sys_admin", 165 }, { 24, "sys_resource", 160 },
};

/* Seccomp: action codes (with the signal) and denied syscalls. */
static const struct { unsigned code; int sig; } actions[] = {
	{ 0x7ffc0000, 0 }, { 0x7ffc0000, 0 }, { 0x7ffc0000, 0 },
	{ 0x00050026, 0 }, { 0x00050001, 0 }, { 0x80000000, 31 },
	{ 0x00000000, 31 },
};
static const int bad_syscalls[] = { 110, 165, 101, 321, 272, 250, 310 };

static const struct user {
	const char	*type, *text;
	int		 pid;		/* 0: any */
} users[] = {
	{ "USER_ACCT", "uid=0 auid=4294967295 ses=4294967295 subj=unconfined "
	    "msg='op=PAM:accounting grantors=pam_permit acct=\"root\" "
	    "exe=\"/usr/sbin/cron\" hostname=? addr=? terminal=cron "
	    "res=success'", 0 },
	{ "CRED_ACQ", "uid=0 auid=4294967295 ses=4294967295 subj=unconfined "
	    "msg='op=PAM:setcred grantors=pam_permit acct=\"root\" "
	    "exe=\"/usr/sbin/cron\" hostname=? addr=? terminal=cron "
	    "res=success'", 0 },
	{ "LOGIN", "uid=0 subj=unconfined old-auid=4294967295 auid=0 "
	    "tty=(none) old-ses=4294967295 ses=812 res=1", 0 },
	{ "USER_START", "uid=0 auid=0 ses=812 subj=unconfined "
	    "msg='op=PAM:session_open grantors=pam_loginuid,pam_env,"
	    "pam_permit,pam_unix,pam_limits acct=\"root\" "
	    "exe=\"/usr/sbin/cron\" hostname=? addr=? terminal=cron "
	    "res=success'", 0 },
	{ "USER_END", "uid=0 auid=0 ses=812 subj=unconfined "
	    "msg='op=PAM:session_close grantors=pam_loginuid,pam_env,"
	    "pam_permit,pam_unix,pam_limits acct=\"root\" "
	    "exe=\"/usr/sbin/cron\" hostname=? addr=? terminal=cron "
	    "res=success'", 0 },
	{ "USER_AUTH", "uid=0 auid=4294967295 ses=4294967295 subj=unconfined "
	    "msg='op=PAM:authentication grantors=? acct=\"root\" "
	    "exe=\"/usr/sbin/sshd\" hostname=203.0.113.7 addr=203.0.113.7 "
	    "terminal=ssh res=failed'", 0 },
	{ "SERVICE_START", "uid=0 auid=4294967295 ses=4294967295 "
	    "subj=unconfined msg='unit=systemd-tmpfiles-clean comm=\"systemd\" "
	    "exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? "
	    "res=success'", 1 },
};

static uint64_t		 seed = 88172645463325252ULL;
static long long	 now_ms = 1700000000000LL;
static unsigned long	 serial = 4200;
static unsigned long	 nlines, napparmor, nseccomp;

static unsigned
rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

/* One record of the current event. */
static void
rec(const char *type, const char *fmt, ...)
{
	va_list ap;

	printf("type=%s msg=audit(%lld.%03lld:%lu): ", type, now_ms / 1000,
	    now_ms % 1000, serial);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	nlines++;
}

/* The next event: a later serial, a little later in time. */
static void
next_event(unsigned max_ms)
{
	serial += 1 + (rnd(8) == 0);
	now_ms += rnd(max_ms + 1);
}

/*
 * A string as the kernel logs one it does not trust: quoted, or in hex
 * if it has a space, quote or control character.  Four results can be
 * in use at once.
 */
static const char *
untrustedn(const char *s, size_t n)
{
	static char bufs[4][1024];
	static unsigned slot;
	char *buf = bufs[slot++ % 4];
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '"' || (unsigned char)s[i] < 0x21 ||
		    (unsigned char)s[i] > 0x7e)
			break;
	if (i == n) {
		snprintf(buf, sizeof(bufs[0]), "\"%.*s\"", (int)n, s);
		return buf;
	}
	for (i = 0; i < n && 2 * i + 2 < sizeof(bufs[0]); i++)
		snprintf(buf + 2 * i, 3, "%02X", (unsigned char)s[i]);
	return buf;
}

static const char *
q(const char *s)
{
	return untrustedn(s, strlen(s));
}

static const char *
proctitle(const struct proc *p)
{
	char argv[512], *c;

	snprintf(argv, sizeof(argv), "%s", p->argv);
	for (c = argv; *c != '\0'; c++)
		if (*c == '|')
			*c = '\0';
	return untrustedn(argv, strlen(p->argv));
}

static const char *
subj(const struct proc *p)
{
	static char buf[128];

	if (p->label == NULL)
		return "unconfined";
	snprintf(buf, sizeof(buf), "%s (%s)", p->label,
	    p->complain ? "complain" : "enforce");
	return buf;
}

static void
syscall_rec(const struct proc *p, int pid, int nr, int ret, int items,
    const char *key)
{
	int user = p->uid >= 1000;
	unsigned auid = user ? (unsigned)p->uid : 4294967295U;

	rec("SYSCALL", "arch=c000003e syscall=%d success=%s exit=%d a0=%x "
	    "a1=%llx a2=%x a3=0 items=%d ppid=%d pid=%d auid=%u uid=%d gid=%d "
	    "euid=%d suid=%d fsuid=%d egid=%d sgid=%d fsgid=%d tty=%s ses=%u "
	    "comm=%s exe=%s subj=%s key=%s", nr, ret < 0 ? "no" : "yes", ret,
	    rnd(0x100), 0x7ffd00000000ULL + rnd(1U << 31), rnd(0x80000),
	    items, user ? 2230 : 1, pid, auid, p->uid, p->uid, p->uid, p->uid,
	    p->uid, p->uid, p->uid, p->uid, user ? "pts0" : "(none)",
	    user ? 2U : 4294967295U, q(p->comm), q(p->exe), subj(p), key);
}

static void
path_rec(int item, const char *name, const char *nametype)
{
	rec("PATH", "item=%d name=%s inode=%u dev=fd:01 mode=0100640 ouid=0 "
	    "ogid=0 rdev=00:00 nametype=%s cap_fp=0 cap_fi=0 cap_fe=0 "
	    "cap_fver=0 cap_frootid=0", item, q(name), 1000 + rnd(900000),
	    nametype);
}

static void
execve_rec(const struct proc *p)
{
	char argv[512], args[2048] = "", *a;
	int argc = 0;
	size_t len = 0;

	snprintf(argv, sizeof(argv), "%s", p->argv);
	for (a = strtok(argv, "|"); a != NULL && len < sizeof(args);
	    a = strtok(NULL, "|"))
		len += (size_t)snprintf(args + len, sizeof(args) - len,
		    " a%d=%s", argc++, q(a));
	rec("EXECVE", "argc=%d%s", argc, args);
}

/* The records that follow an AVC when syscall auditing is on. */
static void
avc_context(const struct proc *p, int pid, int nr, const char *path)
{
	syscall_rec(p, pid, nr, p->complain ? 0 : -13, path != NULL, "(null)");
	if (path != NULL) {
		rec("CWD", "cwd=\"/\"");
		path_rec(0, path, "NORMAL");
	}
	rec("PROCTITLE", "proctitle=%s", proctitle(p));
	rec("EOE", "%s", "");
}

/* One AppArmor AVC record; the syscall behind it, *path what it names. */
static int
avc(const struct proc *p, int pid, const char **path)
{
	const char *m = p->complain ? "ALLOWED" : "DENIED";
	const char *lab = p->label, *comm = q(p->comm);
	const struct cap *c;

	napparmor++;
	*path = NULL;
	switch (rnd(10)) {
	case 0:
	case 1:
	case 2:
		*path = *PICK(denied_files);
		rec("AVC", "apparmor=\"%s\" operation=\"open\" class=\"file\" "
		    "profile=\"%s\" name=%s pid=%d comm=%s requested_mask=\"r\" "
		    "denied_mask=\"r\" fsuid=%d ouid=0", m, lab, q(*path), pid,
		    comm, p->uid);
		return 257;
	case 3:
		*path = *PICK(denied_dirs);
		rec("AVC", "apparmor=\"%s\" operation=\"mkdir\" class=\"file\" "
		    "profile=\"%s\" name=%s pid=%d comm=%s requested_mask=\"c\" "
		    "denied_mask=\"c\" fsuid=%d ouid=%d", m, lab, q(*path), pid,
		    comm, p->uid, p->uid);
		return 83;
	case 4:
		*path = *PICK(denied_execs);
		rec("AVC", "apparmor=\"%s\" operation=\"exec\" class=\"file\" "
		    "profile=\"%s\" name=%s pid=%d comm=%s requested_mask=\"x\" "
		    "denied_mask=\"x\" fsuid=%d ouid=0", m, lab, q(*path), pid,
		    comm, p->uid);
		return 59;
	case 5:
		c = PICK(caps);
		rec("AVC", "apparmor=\"%s\" operation=\"capable\" class=\"cap\" "
		    "profile=\"%s\" pid=%d comm=%s capability=%d  capname=\"%s\"",
		    m, lab, pid, comm, c->nr, c->name);
		return c->sys;
	case 6:
		if (rnd(2)) {
			rec("AVC", "apparmor=\"%s\" operation=\"connect\" "
			    "class=\"net\" profile=\"%s\" pid=%d comm=%s "
			    "family=\"inet\" sock_type=\"stream\" protocol=6 "
			    "requested_mask=\"connect\" denied_mask=\"connect\"",
			    m, lab, pid, comm);
			return 42;
		}
		rec("AVC", "apparmor=\"%s\" operation=\"sendmsg\" class=\"net\" "
		    "profile=\"%s\" pid=%d comm=%s family=\"inet6\" "
		    "sock_type=\"dgram\" protocol=17 requested_mask=\"send\" "
		    "denied_mask=\"send\"", m, lab, pid, comm);
		return 46;
	case 7:
		rec("AVC", "apparmor=\"%s\" operation=\"mount\" class=\"mount\" "
		    "info=\"failed mntpnt match\" error=-13 profile=\"%s\" "
		    "name=\"/sys/fs/cgroup/\" pid=%d comm=%s fstype=\"cgroup2\" "
		    "srcname=\"cgroup\" flags=\"rw, nosuid, nodev, noexec\"",
		    m, lab, pid, comm);
		return 165;
	case 8:
		rec("AVC", "apparmor=\"%s\" operation=\"signal\" "
		    "class=\"signal\" profile=\"%s\" pid=%d comm=%s "
		    "requested_mask=\"send\" denied_mask=\"send\" signal=term "
		    "peer=\"unconfined\"", m, lab, pid, comm);
		return 62;
	default:
		rec("AVC", "apparmor=\"%s\" operation=\"ptrace\" "
		    "class=\"ptrace\" profile=\"%s\" pid=%d comm=%s "
		    "requested_mask=\"read\" denied_mask=\"read\" "
		    "peer=\"unconfined\"", m, lab, pid, comm);
		return 101;
	}
}

static void
apparmor_event(int with_context)
{
	const struct proc *p = PICK(confined);
	const char *path;
	int pid = p->pid + (int)rnd(4), nr;

	nr = avc(p, pid, &path);
	if (with_context)
		avc_context(p, pid, nr, path);
}

static void
seccomp_event(void)
{
	const struct proc *p = PICK(filtered);
	int user = p->uid >= 1000, a = (int)rnd(NELEM(actions));

	nseccomp++;
	rec("SECCOMP", "auid=%u uid=%d gid=%d ses=%u subj=%s pid=%d comm=%s "
	    "exe=%s sig=%d arch=c000003e syscall=%d compat=0 ip=0x%llx "
	    "code=0x%x", user ? (unsigned)p->uid : 4294967295U, p->uid,
	    p->uid, user ? 2U : 4294967295U, subj(p), p->pid + (int)rnd(4),
	    q(p->comm), q(p->exe), actions[a].sig, *PICK(bad_syscalls),
	    0x7f4fc8800000ULL + rnd(1U << 20), actions[a].code);
}

/* dbus-daemon mediating a message for AppArmor. */
static void
user_avc_event(void)
{
	napparmor++;
	rec("USER_AVC", "pid=%d uid=102 auid=4294967295 ses=4294967295 "
	    "subj=unconfined msg='apparmor=\"DENIED\" "
	    "operation=\"dbus_method_call\"  bus=\"system\" "
	    "path=\"/org/freedesktop/NetworkManager\" "
	    "interface=\"org.freedesktop.DBus.Properties\" member=\"GetAll\" "
	    "mask=\"send\" name=\"org.freedesktop.NetworkManager\" pid=%d "
	    "label=\"snap.firefox.firefox\" peer_pid=903 "
	    "peer_label=\"unconfined\" exe=\"/usr/bin/dbus-daemon\" "
	    "sauid=102 hostname=? addr=? terminal=?'", 702,
	    4711 + (int)rnd(4));
}

static void
user_event(void)
{
	const struct user *u = PICK(users);

	rec(u->type, "pid=%d %s", u->pid ? u->pid : 20000 + (int)rnd(9000),
	    u->text);
}

/* exec, open, unlink or connect by a busy process, as audit rules log them. */
static void
syscall_event(void)
{
	const struct proc *p = PICK(busy), *x;
	const char *f;
	int pid = p->pid + (int)rnd(50);

	switch (rnd(4)) {
	case 0:
		x = PICK(progs);
		syscall_rec(x, pid, 59, 0, 2, "\"exec\"");
		execve_rec(x);
		rec("CWD", "cwd=%s", q(p->uid ? "/home/alice" : "/"));
		path_rec(0, x->exe, "NORMAL");
		path_rec(1, "/lib64/ld-linux-x86-64.so.2", "NORMAL");
		rec("PROCTITLE", "proctitle=%s", proctitle(x));
		break;
	case 1:
		f = *PICK(watched);
		syscall_rec(p, pid, 257, 3, 1, "\"identity\"");
		rec("CWD", "cwd=\"/\"");
		path_rec(0, f, "NORMAL");
		rec("PROCTITLE", "proctitle=%s", proctitle(p));
		break;
	case 2:
		syscall_rec(p, pid, 87, 0, 2, "\"delete\"");
		rec("CWD", "cwd=\"/tmp\"");
		path_rec(0, "/tmp/", "PARENT");
		path_rec(1, "/tmp/sh-thd.XXXXXX", "DELETE");
		rec("PROCTITLE", "proctitle=%s", proctitle(p));
		break;
	default:
		syscall_rec(p, pid, 42, -115, 0, "\"network\"");
		rec("SOCKADDR", "saddr=02000035%08X0000000000000000",
		    0x7f000000U + rnd(256));
		rec("PROCTITLE", "proctitle=%s", proctitle(p));
		break;
	}
	rec("EOE", "%s", "");
}

/* About 60% of the lines are unrelated syscall events. */
static void
mixed(unsigned long n)
{
	unsigned r;

	while (nlines < n) {
		next_event(2);
		r = rnd(100);
		if (r < 35)
			syscall_event();
		else if (r < 65)
			apparmor_event(rnd(2));
		else if (r < 85)
			seccomp_event();
		else if (r < 98)
			user_event();
		else
			user_avc_event();
	}
}

/* n lone records, 100 a millisecond: 70% AVC, 30% SECCOMP. */
static void
storm(unsigned long n)
{
	const struct proc *p;
	const char *path;
	unsigned long i;

	for (i = 0; i < n; i++) {
		serial++;
		if (i % 100 == 0)
			now_ms++;
		if (rnd(10) < 7) {
			p = PICK(confined);
			avc(p, p->pid, &path);
		} else
			seccomp_event();
	}
}

static unsigned long
count(const char *s)
{
	char *end;
	unsigned long n = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || n == 0)
		errx(1, "usage: genlog [--storm] [N]");
	return n;
}

int
main(int argc, char **argv)
{
	static char obuf[1 << 16];
	int is_storm = argc > 1 && strcmp(argv[1], "--storm") == 0;

	argc -= 1 + is_storm;
	argv += 1 + is_storm;
	if (argc > 1)
		errx(1, "usage: genlog [--storm] [N]");
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	if (is_storm)
		storm(argc ? count(argv[0]) : 200000);
	else
		mixed(argc ? count(argv[0]) : 1000000);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	fprintf(stderr, "genlog: %lu lines, %lu apparmor records, "
	    "%lu seccomp records\n", nlines, napparmor, nseccomp);
	return 0;
}
