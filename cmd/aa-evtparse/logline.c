/*
 * Find the audit record in one log line, whatever wrote the line:
 * auditd (raw or enriched), the kernel through syslog, kern.log, dmesg
 * or journald, or a userspace daemon (dbus) logging AppArmor's words.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "evtparse.h"

#define STARTS(p, end, lit) \
	((size_t)((end) - (p)) >= sizeof(lit) - 1 && \
	 memcmp((p), (lit), sizeof(lit) - 1) == 0)

#define TN(lit, type) { lit, sizeof(lit) - 1, type }
static const struct { const char *name; size_t len; int type; } type_names[] = {
	TN("SYSCALL", T_SYSCALL), TN("PATH", T_PATH), TN("CWD", T_CWD),
	TN("PROCTITLE", T_PROCTITLE), TN("EOE", T_EOE), TN("AVC", T_AVC),
	TN("SECCOMP", T_SECCOMP), TN("USER_AVC", T_USER_AVC),
	TN("APPARMOR", T_APPARMOR), TN("DAEMON_ABORT", T_DAEMON_ABORT),
	TN("DAEMON_RESUME", T_DAEMON_RESUME), TN("DAEMON_ERR", T_DAEMON_ERR),
	TN("APPARMOR_AUDIT", 1501), TN("APPARMOR_ALLOWED", 1502),
	TN("APPARMOR_DENIED", 1503), TN("APPARMOR_HINT", 1504),
	TN("APPARMOR_STATUS", 1505), TN("APPARMOR_ERROR", 1506),
	TN("APPARMOR_KILL", 1507), TN("APPARMOR_AUTO", 1508),
};

/* TYPE in "type=TYPE", "UNKNOWN[1503]" or a number; T_OTHER if unknown. */
static int
type_of(const char *p, size_t n)
{
	const char *stop;
	long long v;
	size_t i;

	if (n > 0 && isdigit((unsigned char)*p))
		return scan_digits(p, p + n, &stop, &v) && stop == p + n ? (int)v :
		    T_OTHER;
	if (n > 9 && memcmp(p, "UNKNOWN[", 8) == 0)
		return type_of(p + 8, n - 9);
	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (type_names[i].len == n &&
		    memcmp(type_names[i].name, p, n) == 0)
			return type_names[i].type;
	return T_OTHER;
}

/*
 * "audit(SEC.MS:SERIAL):" at p; the text after it, or NULL.  A time past
 * the year 9999 is no time: refused, so that none overflows as ms.
 */
#define MAX_EPOCH	253402300799LL
static const char *
audit_id(const char *p, const char *end, struct record *r)
{
	long long v;

	p += 6;		/* "audit(" */
	if (!scan_digits(p, end, &p, &r->sec) || r->sec > MAX_EPOCH ||
	    p == end || *p++ != '.')
		return NULL;
	if (!scan_digits(p, end, &p, &v) || v > 999 || p == end || *p++ != ':')
		return NULL;
	r->ms = (int)v;
	if (!scan_digits(p, end, &p, &v) || p == end || *p++ != ')')
		return NULL;
	r->serial = (unsigned long)v;
	/*
	 * audit(0000000000.000:0000), as some kernels write it, names no
	 * time and no event: the record is read as one without an id.
	 */
	r->has_id = r->sec != 0 || r->ms != 0;
	if (p < end && *p == ':')
		p++;
	return p;
}

static void
set_body(struct record *r, const char *p, const char *end)
{
	const char *gs;

	while (p < end && *p == ' ')
		p++;
	r->body = p;
	r->bodylen = (size_t)(end - p);
	if ((gs = memchr(p, 0x1d, r->bodylen)) != NULL) {
		r->bodylen = (size_t)(gs - p);
		r->enriched = gs + 1;
		r->enrlen = (size_t)(end - gs - 1);
	}
}

/* auditd: [node=HOST ]type=TYPE msg=audit(...): body */
static int
auditd_line(const char *p, const char *end, struct record *r,
    const char **why)
{
	const char *t;

	if (STARTS(p, end, "node=")) {
		r->node = p += 5;
		while (p < end && *p != ' ')
			p++;
		r->nodelen = (size_t)(p - r->node);
		while (p < end && *p == ' ')
			p++;
	}
	if (!STARTS(p, end, "type="))
		return REC_NONE;
	for (t = p += 5; p < end && *p != ' '; p++)
		;
	r->type = type_of(t, (size_t)(p - t));
	while (p < end && *p == ' ')
		p++;
	if (r->type == T_DAEMON_ERR && !STARTS(p, end, "msg=audit(")) {
		set_body(r, p, end);	/* auditd could not format an event */
		return REC_OK;
	}
	if (!STARTS(p, end, "msg=audit(") ||
	    (p = audit_id(p + 4, end, r)) == NULL) {
		*why = "malformed audit record id, expected msg=audit(SECONDS.MS:SERIAL)";
		return REC_BAD;
	}
	set_body(r, p, end);
	return REC_OK;
}

/* The kernel through printk: "type=1400 audit(...): body" (or the old
 * "audit(...): type=1503 body"), after any syslog or dmesg prefix. */
static int
kernel_line(const char *line, const char *q, const char *end,
    struct record *r, const char **why)
{
	const char *p = q, *t, *stop;
	long long v;

	while (p > line && p[-1] == ' ')
		p--;
	for (t = p; t > line && isdigit((unsigned char)t[-1]); t--)
		;
	if (t - line >= 5 && memcmp(t - 5, "type=", 5) == 0 && t < p)
		r->type = type_of(t, (size_t)(p - t));
	r->prefix = line;
	r->prefixlen = (size_t)(q - line);
	if ((p = audit_id(q, end, r)) == NULL) {
		*why = "malformed audit record id, expected audit(SECONDS.MS:SERIAL)";
		return REC_BAD;
	}
	while (p < end && *p == ' ')
		p++;
	if (r->type == T_OTHER && STARTS(p, end, "type=") &&
	    scan_digits(p + 5, end, &stop, &v)) {
		r->type = (int)v;
		p = stop;
	}
	set_body(r, p, end);
	if (r->type == T_OTHER && STARTS(r->body, end, "apparmor=\""))
		r->type = T_AVC;	/* quoted without its type, as docs do */
	return REC_OK;
}

/*
 * No audit id: journald's audit transport ("audit[PID]: AVC body") or a
 * daemon logging AppArmor mediation itself ("dbus[PID]: apparmor=...").
 */
static int
bare_line(const char *line, const char *end, struct record *r,
    const char *audit)	/* NULL: the line has no "audit" */
{
	const char *p, *t;

	if (audit != NULL && ((p = STARTS(line, end, "audit[") ? line :
	    NULL) != NULL ||
	    (p = memmem(line, (size_t)(end - line), " audit[", 7)) != NULL) &&
	    (p = memmem(p, (size_t)(end - p), "]: ", 3)) != NULL) {
		r->prefix = line;
		r->prefixlen = (size_t)(p - line);
		for (t = p += 3; p < end && (isupper((unsigned char)*p) ||
		    *p == '_'); p++)
			;
		r->type = type_of(t, (size_t)(p - t));
		set_body(r, p, end);
		return r->type == T_OTHER ? REC_NONE : REC_OK;
	}
	if ((p = memmem(line, (size_t)(end - line), "apparmor=\"", 10)) ==
	    NULL)
		return REC_NONE;
	r->prefix = line;
	r->prefixlen = (size_t)(p - line);
	r->type = T_AVC;
	set_body(r, p, end);
	return REC_OK;
}

/*
 * An auditd record after other text: a forwarder's syslog prefix
 * ("audispd[568]: node=web1 type=..."), grep -n's "52:", auditd's own
 * "Malformed event skipped, rc=9. ".  Where its [node=X ]type=T starts.
 */
static const char *
auditd_start(const char *line, const char *m)
{
	const char *t, *n;

	for (t = m; t > line && t[-1] != ' ' && t[-1] != ':'; t--)
		;
	if (m - t < 6 || memcmp(t, "type=", 5) != 0)
		return NULL;
	if (t - line < 2 || t[-1] != ' ')
		return t;
	for (n = t - 1; n > line && n[-1] != ' ' && n[-1] != ':'; n--)
		;
	return memcmp(n, "node=", 5) == 0 ? n : t;
}

/* An audit id at q after some text: auditd's record or the kernel's. */
static int
prefixed_line(const char *line, const char *q, const char *end,
    struct record *r, const char **why)
{
	const char *t;
	int rc;

	if (q - line >= 5 && memcmp(q - 5, " msg=", 5) == 0 &&
	    (t = auditd_start(line, q - 5)) != NULL &&
	    (rc = auditd_line(t, end, r, why)) != REC_NONE) {
		r->prefix = line;
		r->prefixlen = (size_t)(t - line);
		return rc;
	}
	memset(r, 0, sizeof(*r));
	return kernel_line(line, q, end, r, why);
}

int
parse_logline(const char *line, size_t len, struct record *r,
    const char **why)
{
	const char *end = line + len, *q = line;
	int rc;

	memset(r, 0, sizeof(*r));
	if (memchr(line, '\0', len) != NULL) {
		*why = "binary data (NUL byte) in line";
		return REC_BAD;
	}
	if ((rc = auditd_line(line, end, r, why)) != REC_NONE)
		return rc;
	memset(r, 0, sizeof(*r));
	/* one scan tells most lines of a busy syslog apart: no "audit" */
	if ((q = memmem(line, len, "udit", 4)) == NULL)
		return bare_line(line, end, r, NULL);
	r->audit_word = 1;
	q = q > line ? q - 1 : q;
	while ((q = memmem(q, (size_t)(end - q), "audit(", 6)) != NULL) {
		if (q + 6 < end && isdigit((unsigned char)q[6]))
			return prefixed_line(line, q, end, r, why);
		q += 6;
	}
	return bare_line(line, end, r, line);
}
