/*
 * bpf-mountwatch: every mount-family syscall, live, one JSON object each,
 * with every loss counted.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "jsonw.h"
#include "mountwatch.skel.h"
#include "out.h"
#include "util.h"
#include "watch.h"

#define TRACEFS		"/sys/kernel/tracing"
#define DEBUGFS_TRACING	"/sys/kernel/debug/tracing"

struct opts {
	uint32_t	 pid;
	const char	*comm, *cgroup, *output;
	uint64_t	 mntns;
	int		 ok, failed, compat;
	double		 duration;	/* seconds; 0: until interrupted */
	unsigned long	 count;		/* records; 0: no limit */
	uint32_t	 ring_size;
};

static const char usage_line[] =
    "usage: bpf-mountwatch [--pid PID] [--comm COMM] [--cgroup PATH] "
    "[--mntns ID | --mntns-of PID] [--failed | --ok] [--compat] "
    "[--duration SECONDS] [--count N] [--ring-size BYTES] [-o FILE]";

static volatile sig_atomic_t stopping;
static unsigned long delivered, reported_lost[MW_NLOST];
static struct opts opts;

static const char help_text[] =
	    "Write one JSON object per mount-family syscall (mount, umount2,\n"
	    "pivot_root, the new mount API, and unshare/setns/clone with\n"
	    "CLONE_NEWNS) until interrupted; counts every event lost.\n\n"
	    "  -p, --pid PID        only this process (thread group)\n"
	    "  -c, --comm COMM      only tasks with this command name\n"
	    "  --cgroup PATH        only this cgroup (v2) and its descendants\n"
	    "  --mntns ID           only this mount namespace (inode number)\n"
	    "  --mntns-of PID       only the mount namespace PID is in\n"
	    "  --failed, --ok       only failed, or only successful, syscalls\n"
	    "  --compat             also 32-bit callers (a BPF program on every syscall)\n"
	    "  -d, --duration SECS  stop after SECS seconds\n"
	    "  -n, --count N        stop after N syscall records\n"
	    "  --ring-size BYTES    ring buffer size (power of 2; default 4M)\n"
	    "  -o FILE              write to FILE instead of stdout\n"
	    "  --help, --version\n\n"
	    "Needs root (CAP_BPF and CAP_PERFMON) and a kernel with BTF.  While\n"
	    "any syscall tracepoint is on, every syscall takes the kernel's\n"
	    "slower traced path (bench/README.md has the cost).\n"
	    "Exit status: 0 stopped as asked, 2 usage, load or write error.\n";

static unsigned long long
number(const char *opt, const char *s, unsigned long long min,
    unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *s == '-' || v < min ||
	    v > max)
		usage_error(usage_line, "%s %s: not a whole number from %llu "
		    "to %llu", opt, s, min, max);
	return v;
}

static uint64_t
mntns_of(const char *pid)
{
	char path[64];
	struct stat st;

	number("--mntns-of", pid, 1, INT_MAX);
	snprintf(path, sizeof(path), "/proc/%s/ns/mnt", pid);
	if (stat(path, &st) < 0)
		err(EXIT_FATAL, "%s", path);
	return st.st_ino;
}

static uint32_t
ring_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	if (end == s || *end != '\0' || v < 4096 || v > (1ULL << 30) ||
	    (v & (v - 1)) != 0)
		usage_error(usage_line, "--ring-size %s: not a power of two "
		    "from 4K to 1G", s);
	return (uint32_t)v;
}

static void
parse_args(int argc, char **argv)
{
	enum { O_CGROUP = 256, O_MNTNS, O_MNTNS_OF, O_FAILED, O_OK, O_COMPAT,
	    O_RING };
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'c' },
		{ "cgroup", required_argument, NULL, O_CGROUP },
		{ "mntns", required_argument, NULL, O_MNTNS },
		{ "mntns-of", required_argument, NULL, O_MNTNS_OF },
		{ "failed", no_argument, NULL, O_FAILED },
		{ "ok", no_argument, NULL, O_OK },
		{ "compat", no_argument, NULL, O_COMPAT },
		{ "duration", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'n' },
		{ "ring-size", required_argument, NULL, O_RING },
		STD_LONGOPTS
	};
	char *end;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "p:c:d:n:" STD_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			opts.pid = (uint32_t)number("--pid", optarg, 1, INT_MAX);
			break;
		case 'c':
			if (*optarg == '\0' || strlen(optarg) >= MW_COMM_LEN)
				usage_error(usage_line, "--comm %s: not 1 to %d "
				    "characters", optarg, MW_COMM_LEN - 1);
			opts.comm = optarg;
			break;
		case O_CGROUP:	opts.cgroup = optarg; break;
		case O_MNTNS:
			opts.mntns = number("--mntns", optarg, 1, UINT32_MAX);
			break;
		case O_MNTNS_OF: opts.mntns = mntns_of(optarg); break;
		case O_FAILED:	opts.failed = 1; break;
		case O_OK:	opts.ok = 1; break;
		case O_COMPAT:	opts.compat = 1; break;
		case 'd':
			opts.duration = strtod(optarg, &end);
			if (end == optarg || *end != '\0' ||
			    !(opts.duration > 0 && opts.duration < 1e9))
				usage_error(usage_line, "--duration %s: not a "
				    "number of seconds above 0", optarg);
			break;
		case 'n':
			opts.count = number("--count", optarg, 0, ULONG_MAX);
			break;
		case O_RING:	opts.ring_size = ring_size(optarg); break;
		default:
			std_option(c, argv[optind - 1], usage_line, help_text,
			    &opts.output);
		}
	}
	if (optind != argc)
		usage_error(usage_line, "%s: no operand is taken", argv[optind]);
	if (opts.ok && opts.failed)
		usage_error(usage_line, "--ok and --failed: one or the other");
}

/*
 * libbpf's warnings are kept until loading is over: shown when it fails
 * for a reason worth their detail, not when the answer is "be root".
 */
static char	*libbpf_log;
static size_t	 libbpf_log_len;
static int	 libbpf_log_direct;

static int
libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	if (level != LIBBPF_WARN)
		return 0;
	if (libbpf_log_direct)
		return vfprintf(stderr, fmt, ap);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n < 0)
		return n;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	libbpf_log = xrealloc(libbpf_log, libbpf_log_len + (size_t)n + 1);
	memcpy(libbpf_log + libbpf_log_len, line, (size_t)n + 1);
	libbpf_log_len += (size_t)n;
	return n;
}

static void
load_failed(int e, const char *what)
{
	if (e == -EPERM)
		errx(EXIT_FATAL, "%s needs root (CAP_BPF and CAP_PERFMON)", what);
	if (libbpf_log != NULL)
		fputs(libbpf_log, stderr);
	errx(EXIT_FATAL, "%s: %s", what, strerror(-e));
}

/* Tracepoints need tracefs; where it is not mounted, mount it privately. */
static void
need_tracefs(void)
{
	if (access(TRACEFS "/events", F_OK) == 0 ||
	    access(DEBUGFS_TRACING "/events", F_OK) == 0)
		return;
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tracefs", TRACEFS, "tracefs", 0, NULL) < 0)
		err(EXIT_FATAL, "tracefs is not mounted, and mounting it failed");
}

static void
configure(struct mountwatch_bpf *skel)
{
	struct mountwatch_bpf__rodata *ro = skel->rodata;
	uint64_t cg;
	int level;

	ro->filter_tgid = opts.pid;
	if (opts.comm != NULL)
		memcpy((char *)ro->filter_comm, opts.comm, strlen(opts.comm));
	if (opts.cgroup != NULL) {
		if (!cgroup_resolve(opts.cgroup, &cg, &level))
			exit(EXIT_FATAL);
		ro->filter_cgroup = cg;
		ro->filter_cgroup_level = level;
	}
	ro->filter_mntns = opts.mntns;
	ro->want_ok = !opts.failed;
	ro->want_failed = !opts.ok;
	if (opts.ring_size)
		bpf_map__set_max_entries(skel->maps.events, opts.ring_size);
	if (!opts.compat) {
		bpf_program__set_autoload(skel->progs.compat_enter, false);
		bpf_program__set_autoload(skel->progs.compat_exit, false);
	}
}

static struct mountwatch_bpf *
load(void)
{
	struct mountwatch_bpf *skel;
	int e;

	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		errx(EXIT_FATAL, "this kernel has no BTF "
		    "(/sys/kernel/btf/vmlinux): CONFIG_DEBUG_INFO_BTF is needed");
	libbpf_set_print(libbpf_print);
	if ((skel = mountwatch_bpf__open()) == NULL)
		load_failed(-errno, "opening the BPF object");
	configure(skel);
	if ((e = mountwatch_bpf__load(skel)) != 0)
		load_failed(e, "loading the BPF program");
	need_tracefs();
	if ((e = mountwatch_bpf__attach(skel)) != 0)
		load_failed(e, "attaching to the tracepoints");
	free(libbpf_log);
	libbpf_log = NULL;
	libbpf_log_direct = 1;
	return skel;
}

static int
on_record(void *ctx, void *data, size_t size)
{
	const struct mw_event *e = data;
	struct mw_strings s;

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	if (opts.count && delivered >= opts.count)
		return 0;
	strs_locate(e, size, &s);
	emit_event(e, &s);
	join_event(e, &s);
	delivered++;
	return 0;
}

static const char *const lost_reasons[MW_NLOST] = {
	[MW_LOST_RINGBUF] = "ringbuf", [MW_LOST_ARGTABLE] = "argtable",
	[MW_LOST_FAULT] = "fault",
};

static uint64_t
now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

/* A "lost" line for each reason whose kernel count grew since the last. */
static void
report_lost(struct mountwatch_bpf *skel)
{
	struct jw w = { 0 };
	int i;

	for (i = 0; i < MW_NLOST; i++) {
		uint64_t now = __atomic_load_n(&skel->bss->lost[i],
		    __ATOMIC_RELAXED);

		if (now == reported_lost[i])
			continue;
		jw_begin(&w);
		jw_key_plain(&w, "event", 5);
		jw_str(&w, "lost", 4);
		mw_put_time(&w, "time", now_ns(CLOCK_BOOTTIME));
		jw_key_plain(&w, "reason", 6);
		jw_str(&w, lost_reasons[i], strlen(lost_reasons[i]));
		mw_put_u64(&w, "count", now - reported_lost[i]);
		mw_put_u64(&w, "total", now);
		jw_end(&w);
		reported_lost[i] = now;
	}
	free(w.buf);
}

static void
report_stats(struct mountwatch_bpf *skel)
{
	uint64_t events = skel->bss->seq, lost = 0;
	struct jw w = { 0 };
	int i;

	jw_begin(&w);
	jw_key_plain(&w, "event", 5);
	jw_str(&w, "stats", 5);
	mw_put_time(&w, "time", now_ns(CLOCK_BOOTTIME));
	mw_put_u64(&w, "events", events);
	mw_put_u64(&w, "delivered", delivered);
	for (i = 0; i < MW_NLOST; i++) {
		char key[32];

		snprintf(key, sizeof(key), "lost_%s", lost_reasons[i]);
		mw_put_u64(&w, key, reported_lost[i]);
		lost += reported_lost[i];
	}
	mw_put_u64(&w, "unread", events - delivered - lost);
	mw_put_u64(&w, "joined", joined);
	jw_end(&w);
	free(w.buf);
}

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void
watch(struct mountwatch_bpf *skel, struct ring_buffer *rb)
{
	uint64_t deadline = opts.duration > 0 ?
	    now_ns(CLOCK_BOOTTIME) + (uint64_t)(opts.duration * 1e9) : 0;
	int n;

	while (!stopping) {
		n = ring_buffer__poll(rb, 100);
		if (n < 0 && n != -EINTR)
			errx(EXIT_FATAL, "reading the ring buffer: %s",
			    strerror(-n));
		report_lost(skel);
		out_flush();
		if (deadline && now_ns(CLOCK_BOOTTIME) >= deadline)
			break;
		if (opts.count && delivered >= opts.count)
			break;
	}
}

int
main(int argc, char **argv)
{
	struct mountwatch_bpf *skel;
	struct ring_buffer *rb;
	struct sigaction sa = { .sa_handler = on_signal };

	parse_args(argc, argv);
	out_open(opts.output);
	skel = load();
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_record, NULL,
	    NULL);
	if (rb == NULL)
		err(EXIT_FATAL, "ring buffer");
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	wall_offset_ns = (int64_t)(now_ns(CLOCK_REALTIME) -
	    now_ns(CLOCK_BOOTTIME));
	fprintf(stderr, "bpf-mountwatch: watching\n");
	watch(skel, rb);
	/*
	 * Stop counting first, so that what is drained is all there is; a
	 * program already past the check ends well within the pause.
	 */
	__atomic_store_n(&skel->bss->stopped, 1, __ATOMIC_SEQ_CST);
	usleep(20000);
	ring_buffer__consume(rb);
	report_lost(skel);
	report_stats(skel);
	out_close();
	ring_buffer__free(rb);
	mountwatch_bpf__destroy(skel);
	join_free();
	cgroup_free();
	return EXIT_OK;
}
