/*
 * Reports that audit records were lost before they reached the log.  A
 * model learnt across one may miss calls, so each becomes an event:
 * the kernel's printk lines ("audit: backlog limit exceeded",
 * "kauditd_printk_skb: N callbacks suppressed"), auditd's syslog
 * sentences, auditd's DAEMON_ERR, DAEMON_ABORT and DAEMON_RESUME
 * records, and journald's "Missed N kernel messages" (the kernel's ring
 * overwrote them before it read them).
 */
#include <ctype.h>
#include <string.h>

#include "evtparse.h"

#define L(text, source, reason) { text, sizeof(text) - 1, source, reason, NULL }
static const struct said {
	const char	*text;
	size_t		 len;
	const char	*source, *reason;
	const char	*tail;		/* after the count, to the end */
} said[] = {
	/* kernel/audit.c: the text is the whole message */
	L("audit: rate limit exceeded", "kernel", "rate_limit"),
	L("audit: backlog limit exceeded", "kernel", "backlog_limit"),
	L("audit: kauditd hold queue overflow", "kernel", "queue_overflow"),
	L("audit: kauditd retry queue overflow", "kernel", "queue_overflow"),
	L("audit: printk limit exceeded", "kernel", "printk_limit"),
	L("audit: out of memory in audit_log_start", "kernel", "out_of_memory"),
	L("audit: out of memory in audit_expand", "kernel", "out_of_memory"),
	/* auditd: a sentence it sends to syslog */
	L("queue to plugins is full - dropping event", "auditd",
	    "plugin_queue_full"),
	L("Auditd is suspending event passing to plugins due to overflowing "
	    "its queue.", "auditd", "plugin_queue_full"),
	/* ... then the rest of the sentence says why */
	L("Audit daemon is suspending logging due to ", "auditd",
	    "logging_suspended"),
};

/* Messages with numbers: "audit: KEY=N ..." and printk's summary. */
#define LN(text, reason, tail) { text, sizeof(text) - 1, "kernel", reason, tail }
static const struct said counted[] = {
	LN("audit: audit_lost=", "audit_lost", NULL),
	LN("audit: audit_backlog=", "backlog_limit", NULL),
	LN("kauditd_printk_skb: ", "printk_suppressed", " callbacks suppressed"),
	/* journald read /dev/kmsg after the ring had overwritten lines */
	{ "Missed ", 7, "journald", "kernel_messages_missed",
	    " kernel messages" },
};

/* LIT then digits at *p; *p moves past them. */
static int
then_num(const char **p, const char *end, const char *lit, long long *v)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
		return 0;
	return scan_digits(*p + n, end, p, v);
}

/* The numbers of a counted message, which must be all of it. */
static int
numbers(const struct said *s, const char *p, const char *end,
    struct lost *l)
{
	if (s->tail != NULL)		/* a count of lines not had */
		return then_num(&p, end, "", &l->count) &&
		    (size_t)(end - p) == strlen(s->tail) &&
		    memcmp(p, s->tail, strlen(s->tail)) == 0;
	if (strcmp(s->reason, "audit_lost") == 0)
		return then_num(&p, end, "", &l->total) &&
		    then_num(&p, end, " audit_rate_limit=", &l->rate_limit) &&
		    then_num(&p, end, " audit_backlog_limit=",
		    &l->backlog_limit) && p == end;
	return then_num(&p, end, "", &l->backlog) &&
	    then_num(&p, end, " > audit_backlog_limit=", &l->backlog_limit) &&
	    p == end;
}

/* Where the message of a log line starts: after "] ", ": " or at 0. */
static int
message_start(const char *line, const char *at)
{
	return at == line || (at - line >= 2 && (at[-1] == ' ') &&
	    (at[-2] == ']' || at[-2] == ':'));
}

/* A daemon's words count only in its own lines (its name before them). */
static int
said_by(const struct said *s, const char *line, const char *at)
{
	const char *who = strcmp(s->source, "auditd") == 0 ? "audit" :
	    strcmp(s->source, "journald") == 0 ? "journal" : NULL;

	return who == NULL || memmem(line, (size_t)(at - line), who,
	    strlen(who)) != NULL;
}

static void
lost_init(struct lost *l, const struct said *s, const char *line,
    size_t prefixlen)
{
	memset(l, 0, sizeof(*l));
	l->source = s->source;
	l->reason = s->reason;
	l->count = l->total = l->rate_limit = l->backlog_limit = l->backlog = -1;
	l->prefix = line;
	l->prefixlen = prefixlen;
}

/*
 * A kernel or auditd loss report in a line that holds no audit record;
 * 1 and *l filled in when it is one.  The message must end the line, so
 * an event that quotes it is not one.
 */
int
lost_line(const char *line, size_t len, int audit_word, struct lost *l)
{
	const char *end = line + len, *at;
	size_t i;

	while (end > line && (end[-1] == ' ' || end[-1] == '\r'))
		end--;
	/* every report names audit (parse_logline looked), but journald's */
	if (!audit_word && ((size_t)(end - line) < 16 ||
	    memcmp(end - 16, " kernel messages", 16) != 0))
		return 0;
	for (i = 0; i < sizeof(said) / sizeof(said[0]); i++) {
		const struct said *s = &said[i];
		int whole = s->text[s->len - 1] != ' ';

		if ((at = memmem(line, (size_t)(end - line), s->text,
		    s->len)) == NULL || !message_start(line, at) ||
		    (whole && at + s->len != end) || (!whole && at + s->len == end))
			continue;
		if (!said_by(s, line, at))
			continue;
		lost_init(l, s, line, (size_t)(at - line));
		return 1;
	}
	for (i = 0; i < sizeof(counted) / sizeof(counted[0]); i++) {
		const struct said *s = &counted[i];

		if ((at = memmem(line, (size_t)(end - line), s->text,
		    s->len)) == NULL || !message_start(line, at) ||
		    !said_by(s, line, at))
			continue;
		lost_init(l, s, line, (size_t)(at - line));
		if (numbers(s, at + s->len, end, l))
			return 1;
	}
	return 0;
}

/* auditd's own records that say records went unwritten; 1 if r is one. */
int
lost_record(const struct record *r, struct lost *l)
{
	static const struct said auditd = { "", 0, "auditd", NULL, NULL };
	const char *reason = NULL;

	if (r->type == T_DAEMON_ABORT)
		reason = "auditd_abort";
	else if (r->type == T_DAEMON_ERR)
		reason = "auditd_error";
	else if (r->type == T_DAEMON_RESUME &&
	    memmem(r->body, r->bodylen, "op=resume-logging", 17) != NULL)
		reason = "logging_suspended";
	if (reason == NULL)
		return 0;
	lost_init(l, &auditd, r->prefix, r->prefixlen);
	l->reason = reason;
	l->sec = r->sec;
	l->ms = r->ms;
	l->has_id = r->has_id;
	l->serial = r->serial;
	l->node = r->node;
	l->nodelen = r->nodelen;
	return 1;
}
