/* aa-evtparse: audit log lines to AppArmor and seccomp events. */
#ifndef EVTPARSE_H
#define EVTPARSE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <sys/types.h>

#include "hash.h"
#include "lineio.h"

/* Record types that matter here (numbers as in libaudit.h). */
enum {
	T_OTHER = 0,
	T_USER_AVC = 1107,
	T_SYSCALL = 1300,
	T_PATH = 1302,
	T_CWD = 1307,
	T_EOE = 1320,
	T_DAEMON_ABORT = 1202,
	T_DAEMON_RESUME = 1206,
	T_DAEMON_ERR = 1209,
	T_SECCOMP = 1326,
	T_PROCTITLE = 1327,
	T_AVC = 1400,
	T_APPARMOR = 1500,	/* pre-2.6.36 free text, not supported */
	T_APPARMOR_FIRST = 1501,	/* APPARMOR_AUDIT ... */
	T_APPARMOR_LAST = 1508		/* ... APPARMOR_AUTO */
};

/* One audit record found in a log line; pointers into the line. */
struct record {
	int		 type;
	int		 has_id;	/* audit(SEC.MS:SERIAL) was there */
	long long	 sec;
	int		 ms;
	unsigned long	 serial;
	const char	*node;
	size_t		 nodelen;
	const char	*body;		/* key=value text */
	size_t		 bodylen;
	const char	*enriched;	/* after auditd's 0x1d separator */
	size_t		 enrlen;
	const char	*prefix;	/* syslog prefix, for its date */
	size_t		 prefixlen;
	int		 audit_word;	/* "audit" is in the line */
};

enum { REC_NONE, REC_OK, REC_BAD };

/* logline.c */
int	parse_logline(const char *, size_t, struct record *, const char **why);
int	syslog_time(const char *, size_t, time_t ref, long long *sec, int *ms);
int	parse_when(const char *, long long *msec);

/* kv.c: key=value pairs of a record body */
enum { F_QUOTED = 1, F_ENRICHED = 2 };

struct kv {
	const char	*key, *val;
	uint32_t	 klen, vlen;
	unsigned	 flags;
};

struct kvs {
	struct kv	*v;
	size_t		 n, cap;
};

int	kv_parse(struct kvs *, const char *, size_t, unsigned flags);
const struct kv *kv_get(const struct kvs *, const char *key);

/* A set of key names, looked up by hash on hot paths. */
struct name {
	const char	*s;
	size_t		 n;
};
#define NAME(lit)	{ lit, sizeof(lit) - 1 }

struct nameset {
	const struct name *names;	/* ended by { NULL, 0 } */
	struct htab	 t;		/* made at the first look-up */
};

int	in_set(struct nameset *, const char *, size_t);

/* interp.c: names for numbers, decoding */
const char *protocol_name(long, int is_netlink);	/* else IP's */
const char *arch_name(unsigned long arch, int *machine);
const char *syscall_name(long nr, int machine);
const char *seccomp_action(unsigned long code);
const char *apparmor_mode_of_type(int type);
int	is_hex_string_key(const char *, size_t);
int	is_string_key(const char *, size_t);
size_t	hex_decode(const char *, size_t, char *out);	/* 0: not hex */
int	scan_digits(const char *, const char *end, const char **stop,
	    long long *);
int	parse_long(const char *, size_t, long long *);
int	parse_hex(const char *, size_t, unsigned long *);

/* producer.c: who wrote a line, and whether it may write records */
void	producer_trust(const char *list);		/* --trust */
int	producer_trusted(const char *prefix, size_t len, const char **name,
	    size_t *n);

/* event.c: records of one audit event joined, in arrival order */
enum { EV_APPARMOR = 1, EV_SECCOMP = 2 };

struct efield {			/* a field, as offsets into event text */
	uint32_t	 k, kl, v, vl;
	unsigned	 flags;
};

struct event {
	struct event	*next;		/* arrival order */
	struct event	*sibling;	/* next event of the same serial */
	uint64_t	 key;
	unsigned long long seq;		/* of its first line (carry.c) */
	int		 kind;
	int		 done;		/* nothing more will be attached */
	int		 has_id;
	unsigned	 njoined;	/* events joined to this first one */
	unsigned	 ncontext;	/* context records joined to it */
	long long	 sec;
	int		 ms;
	unsigned long	 serial;
	long long	 arrived_ms;	/* the log's time when it was read */
	uint32_t	 node, nodelen, mode, modelen;
	char		*text;
	size_t		 len, cap;
	struct efield	*f;
	size_t		 nf, capf;
};

/* These two: 1 when the record is the first past a bound on its id. */
int	events_add(const struct record *, int kind, const char *mode,
	    size_t modelen, const struct kvs *);
struct event *events_waiting(const struct record *);	/* of its serial */
int	events_context(struct event *, const struct kvs *);
void	events_end(struct event *);		/* EOE */
void	events_pump(long long now_ms);		/* emit what is complete */
void	events_flush(void);			/* emit everything */
void	events_settle(long long now_ms);	/* emit what is complete by then */
int	events_queued(uint64_t key);
void	events_flush_or_drop(int discard);
uint64_t record_key(const struct record *);	/* its event's */

/* carry.c: the lines of events not yet written, for the next run */
extern int	carrying;
unsigned long long carry_seq(void);
void	carry_keep(uint64_t key, const char *line, size_t len);
void	carry_drop_before(unsigned long long seq);
int	carry_has(uint64_t key, const char *line, size_t len);
void	carry_each(int (*queued)(uint64_t),
	    void (*fn)(const char *, size_t, void *), void *);
void	carry_free(void);

/* lost.c: reports of records lost before the log; -1: not said */
struct lost {
	const char	*source, *reason;
	long long	 count, total, rate_limit, backlog_limit, backlog;
	const char	*prefix;	/* the line before the message */
	size_t		 prefixlen;
	long long	 sec;
	int		 ms, has_id;
	unsigned long	 serial;
	const char	*node;
	size_t		 nodelen;
};
int	lost_line(const char *, size_t, int audit_word, struct lost *);
int	lost_record(const struct record *, struct lost *);

/* fields.c */
const struct efield *event_field(const struct event *, const char *key);
/* A field's value as written out: hex-encoded text decoded; in buf. */
size_t	event_value(const struct event *, const struct efield *, char *buf,
	    size_t size);
const char *event_text(const struct event *, const char *key, char *buf,
	    size_t size);
const char *event_action(const struct event *);	/* seccomp's, by code= */

/* text.c: for people */
void	text_event(const struct event *);
void	text_lost(const struct lost *);
void	summary_event(const struct event *);
void	summary_lost(const struct lost *);
size_t	summary_put(int text);		/* the groups so far; how many */

/* emit.c: as JSON, or as --format and --summary ask */
void	emit_event(const struct event *);
/* The events written so far by kind and mode, for --metrics. */
void	emit_counts(void (*fn)(const char *kind, const char *mode,
	    unsigned long n));
/* Loss reports written by reason, and the records they said were lost. */
void	emit_lost_counts(void (*fn)(const char *reason, unsigned long reports,
	    unsigned long records));
void	emit_lost(const struct lost *);

/* filter.c: counters for --stats, kept by read.c and filter.c */
struct stats {
	unsigned long	lines, records, apparmor, seccomp, filtered, lost,
			untrusted;
};
extern struct stats stats;

/* filter.c: what the options ask for */
struct opts {
	int		 events;	/* EV_APPARMOR | EV_SECCOMP */
	char		**modes;	/* NULL: all */
	const char	*profile;
	long long	 since_ms, until_ms;
	int		 follow;
	char		**pids, **uids, **comms, **exes;	/* NULL: any */
	int		 text;		/* --format text */
	int		 summary;	/* --summary */
};
extern struct opts opts;

/* The newest record seen (read.c): a checkpoint's watermark. */
struct seen {
	long long	 ms;
	unsigned long	 serial;
};
extern struct seen	seen_max;

/* A file being read; the watermark skips what a checkpoint saw. */
struct input {
	struct lines	 lr;
	const char	*path;
	time_t		 year_ref;	/* for syslog dates without a year */
	dev_t		 dev;
	ino_t		 ino;
	int		 skip_seen;
	long long	 seen_ms;
	unsigned long	 seen_serial;
};
int	input_open(struct input *, const char *path);
void	read_lines(struct input *);
void	read_carried(const char *line, size_t len, void *from);
long long settle_time(void);		/* ms: log time or clock, the later */
/* Where a file stands in time: its first record's, else its mtime's. */
struct stat;
struct firstrec {
	long long	 ms;
	unsigned long	 serial;	/* 0: no id */
};
struct firstrec first_record(const char *path, const struct stat *);
int	cmp_first(const struct firstrec *, const struct firstrec *);
void	oldest_first(const char **paths, int n);	/* by first records */

/* filter.c */
int	time_wanted(long long ms);
void	profiles_passed_over(char *buf, size_t size);
int	event_wanted(int kind, const char *mode, size_t modelen,
	    const struct record *, const struct kvs *);
/* --pid, --uid, --comm, --exe, on the whole event; counted if not. */
int	event_passes(const struct event *);

/* checkpoint.c */
void	checkpoint_lock(const char *file, int wait_s);	/* before any input */
void	checkpoint_load(void);
void	checkpoint_cut_output(const char *path);	/* as the last run left it */
void	checkpoint_replay(void);		/* the events carried over */
void	checkpoint_resume(struct input *);	/* may read rotated files */
void	checkpoint_note(const struct input *);
void	checkpoint_note_output(void);		/* all written */
void	checkpoint_save(void);
enum { EXIT_LOCKED = 75 };		/* EX_TEMPFAIL: another run holds it */

/* follow.c */
void	follow(struct input *, size_t n);

#endif
