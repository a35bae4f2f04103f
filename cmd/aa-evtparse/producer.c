/*
 * Who wrote a log line.  Only the kernel and auditd (with its syslog
 * forwarders) write audit records, but any program can write a syslog
 * line that looks like one (logger needs no privilege): a record under
 * another program's name must not become an event someone learns an
 * allow rule from.  The syslog or journal header before the record names
 * the program; lines with no such header come from auditd's own log or
 * from dmesg, which only they and the kernel write.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "evtparse.h"
#include "util.h"

static const char *const trusted_default[] = {
	"kernel", "audit", "auditd", "audispd", "audisp-syslog",
	"systemd-journald",	/* its reports of kernel messages it missed */
	NULL
};
static char	**trusted_more;		/* --trust */

void
producer_trust(const char *list)
{
	char **add = split_list(list), **old = trusted_more;
	size_t n = 0, m = 0, i;

	while (old != NULL && old[n] != NULL)
		n++;
	while (add != NULL && add[m] != NULL)
		m++;
	trusted_more = xrealloc(old, (n + m + 1) * sizeof(*old));
	for (i = 0; i < m; i++)
		trusted_more[n + i] = add[i];
	trusted_more[n + m] = NULL;
	free(add);
}

static const char *
skip_word(const char *p, const char *end)
{
	while (p < end && *p != ' ')
		p++;
	while (p < end && *p == ' ')
		p++;
	return p;
}

/* Past a syslog or journal date: "Mon DD hh:mm:ss", ISO 8601, "[mono]". */
static const char *
skip_date(const char *p, const char *end)
{
	if (p < end && *p == '[') {
		while (p < end && *p != ']')
			p++;
		return p < end ? skip_word(p, end) : NULL;
	}
	if (end - p >= 10 && isdigit((unsigned char)p[0]) && p[4] == '-') {
		p = skip_word(p, end);		/* the date, with T and time */
		return end - p > 3 && isdigit((unsigned char)*p) &&
		    p[2] == ':' ? skip_word(p, end) : p;	/* or apart */
	}
	if (end - p >= 15 && isupper((unsigned char)p[0]) &&
	    islower((unsigned char)p[1]) && p[3] == ' ') {
		p = skip_word(p, end);		/* month */
		p = skip_word(p, end);		/* day */
		return p < end && isdigit((unsigned char)*p) &&
		    p[2] == ':' ? skip_word(p, end) : NULL;
	}
	return NULL;
}

/* A header's program: NAME in "NAME[PID]: " or "NAME: " at p. */
static int
program(const char *p, const char *end, const char **name, size_t *n)
{
	const char *q = p;

	while (q < end && *q != ' ' && *q != '[' && *q != ':')
		q++;
	if (q == p || q == end || *q == ' ')
		return 0;
	*name = p;
	*n = (size_t)(q - p);
	return 1;
}

static int
listed(const char *const *list, const char *name, size_t n)
{
	for (; list != NULL && *list != NULL; list++)
		if (strlen(*list) == n && memcmp(*list, name, n) == 0)
			return 1;
	return 0;
}

/*
 * Whether a trusted program wrote the line whose record follows prefix;
 * if not, the program its header names in *name and *n (NULL: none).
 */
int
producer_trusted(const char *prefix, size_t len, const char **name,
    size_t *n)
{
	const char *p = prefix, *end, *date;

	*name = NULL;
	*n = 0;
	if (prefix == NULL || len == 0)
		return 1;		/* auditd's own log */
	end = prefix + len;
	if (isspace((unsigned char)*p))
		return 0;		/* the rest of another's message */
	if (*p == '<')			/* <priority> */
		while (p < end && *p++ != '>')
			;
	if ((date = skip_date(p, end)) == NULL)
		return 1;		/* no header: dmesg, or auditd's */
	if (*p == '[' && date == end)
		return 1;		/* dmesg: the kernel's message follows */
	if (program(date, end, name, n)) {	/* no host before it */
		/* dmesg "[  12.3] audit: ", socklog's facility "kern.notice: " */
		if (*p == '[' || (*n > 5 && memcmp(*name, "kern.", 5) == 0))
			return 1;
	} else if (!program(skip_word(date, end), end, name, n))
		return 0;		/* a date, but no program after it */
	return listed(trusted_default, *name, *n) ||
	    listed((const char *const *)trusted_more, *name, *n);
}
