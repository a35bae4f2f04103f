/* Dates: the syslog prefix of records without an audit id, and the
 * arguments of --since and --until. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>

#include "evtparse.h"

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

static int
num(const char **pp, const char *end, int width, int *v)
{
	const char *p = *pp;
	int i;

	*v = 0;
	for (i = 0; i < width; i++, p++) {
		if (p >= end || !isdigit((unsigned char)*p))
			return 0;
		*v = *v * 10 + (*p - '0');
	}
	*pp = p;
	return 1;
}

/* hh:mm:ss[.frac]; the milliseconds of frac */
static int
clock_time(const char **pp, const char *end, struct tm *tm, int *ms)
{
	const char *p = *pp;
	int i;

	if (!num(&p, end, 2, &tm->tm_hour) || p >= end || *p++ != ':' ||
	    !num(&p, end, 2, &tm->tm_min) || p >= end || *p++ != ':' ||
	    !num(&p, end, 2, &tm->tm_sec) || tm->tm_hour > 23 ||
	    tm->tm_min > 59 || tm->tm_sec > 60)
		return 0;
	*ms = 0;
	if (p < end && (*p == '.' || *p == ',')) {
		for (p++, i = 0; p < end && isdigit((unsigned char)*p);
		    p++, i++)
			if (i < 3)
				*ms = *ms * 10 + (*p - '0');
		for (; i < 3; i++)
			*ms *= 10;
	}
	*pp = p;
	return 1;
}

/* Z, +hh:mm, -hhmm: seconds east of UTC in *off; 0 if none given. */
static int
zone(const char *p, const char *end, long *off)
{
	int h, m = 0, sign;

	if (p < end && *p == 'Z') {
		*off = 0;
		return 1;
	}
	if (p >= end || (*p != '+' && *p != '-'))
		return 0;
	sign = *p++ == '-' ? -1 : 1;
	if (!num(&p, end, 2, &h))
		return 0;
	if (p < end && *p == ':')
		p++;
	num(&p, end, 2, &m);
	*off = sign * (h * 3600L + m * 60L);
	return 1;
}

static long long
to_epoch(struct tm *tm, int zoned, long off)
{
	if (zoned)
		return (long long)timegm(tm) - off;
	tm->tm_isdst = -1;
	return (long long)mktime(tm);
}

/* Day d of month m (1-12) of year y is on the calendar. */
static int
real_day(int y, int m, int d)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] &&
	    (m != 2 || d <= 28 + leap);
}

/* YYYY-MM-DD[T ]hh:mm:ss[.frac][zone] */
static int
iso_time(const char *p, const char *end, long long *sec, int *ms)
{
	struct tm tm = { 0 };
	long off = 0;
	int zoned;

	if (!num(&p, end, 4, &tm.tm_year) || p >= end || *p++ != '-' ||
	    !num(&p, end, 2, &tm.tm_mon) || p >= end || *p++ != '-' ||
	    !num(&p, end, 2, &tm.tm_mday) || p >= end ||
	    (*p != 'T' && *p != ' ') ||
	    !real_day(tm.tm_year, tm.tm_mon, tm.tm_mday))
		return 0;
	p++;
	if (!clock_time(&p, end, &tm, ms))
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	zoned = zone(p, end, &off);
	*sec = to_epoch(&tm, zoned, off);
	return 1;
}

/*
 * Mon DD hh:mm:ss[.frac][zone]: no year, so take the one that puts the
 * date at or before ref (a log is read after it was written).
 */
static int
bsd_time(const char *p, const char *end, time_t ref, long long *sec,
    int *ms)
{
	struct tm tm = { 0 }, now;
	const char *m;
	long off = 0;
	int zoned;

	if (end - p < 15 || (m = memmem(months, 36, p, 3)) == NULL ||
	    (m - months) % 3 != 0 || p[3] != ' ')
		return 0;
	tm.tm_mon = (int)(m - months) / 3;
	p += 4;
	if (*p == ' ')
		p++;
	if (!num(&p, end, isdigit((unsigned char)p[1]) ? 2 : 1,
	    &tm.tm_mday) || p >= end || *p++ != ' ' ||
	    !clock_time(&p, end, &tm, ms))
		return 0;
	zoned = zone(p, end, &off);
	localtime_r(&ref, &now);
	tm.tm_year = now.tm_year;
	*sec = to_epoch(&tm, zoned, off);
	if (*sec > (long long)ref + 86400) {
		tm.tm_year--;
		*sec = to_epoch(&tm, zoned, off);
	}
	return 1;
}

int
syslog_time(const char *p, size_t len, time_t ref, long long *sec, int *ms)
{
	const char *end;

	if (p == NULL)		/* no prefix at all */
		return 0;
	end = p + len;
	if (p < end && *p == '<') {	/* <priority> */
		while (p < end && *p != '>')
			p++;
		p++;
	}
	if (p < end && isdigit((unsigned char)*p))
		return iso_time(p, end, sec, ms);
	return bsd_time(p, end, ref, sec, ms);
}

/* Nothing after the date but fraction digits and a zone. */
static int
iso_complete(const char *s, const char *end)
{
	const char *p = s + 19;

	while (p < end && (isdigit((unsigned char)*p) || *p == '.'))
		p++;
	return p == end || (*p == 'Z' && p + 1 == end) ||
	    ((*p == '+' || *p == '-') && end - p <= 6);
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Local midnight, days after today's (-1: yesterday's), in ms. */
static long long
midnight_ms(int days)
{
	time_t t = (time_t)(now_ms() / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += days;
	tm.tm_isdst = -1;
	return (long long)mktime(&tm) * 1000;
}

/* A unit of time, as journalctl and ausearch spell them; ms, or 0. */
static long long
unit_ms(const char *u, size_t n)
{
	static const struct { const char *name; long long ms; } units[] = {
		{ "s", 1000 }, { "sec", 1000 }, { "second", 1000 },
		{ "seconds", 1000 }, { "m", 60000 }, { "min", 60000 },
		{ "minute", 60000 }, { "minutes", 60000 }, { "h", 3600000 },
		{ "hour", 3600000 }, { "hours", 3600000 }, { "d", 86400000 },
		{ "day", 86400000 }, { "days", 86400000 },
		{ "w", 604800000 }, { "week", 604800000 },
		{ "weeks", 604800000 },
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].name) == n &&
		    strncmp(units[i].name, u, n) == 0)
			return units[i].ms;
	return 0;
}

/*
 * A span: one or more NUMBER UNIT, spaces between allowed ("1h30m",
 * "2 hours"); its ms, or -1.  Up to ten years: past that, no log.
 */
static long long
span_ms(const char *s, const char *end)
{
	long long total = 0, n, u;
	const char *w;

	while (s < end) {
		if (!isdigit((unsigned char)*s))
			return -1;
		for (n = 0; s < end && isdigit((unsigned char)*s); s++)
			if ((n = n * 10 + (*s - '0')) > 100000000)
				return -1;
		while (s < end && *s == ' ')
			s++;
		for (w = s; s < end && isalpha((unsigned char)*s); s++)
			;
		if ((u = unit_ms(w, (size_t)(s - w))) == 0)
			return -1;
		if ((total += n * u) > 10 * 366 * 86400000LL)
			return -1;
		while (s < end && *s == ' ')
			s++;
	}
	return total > 0 ? total : -1;
}

/* now, today, yesterday, recent, -SPAN, SPAN ago: ms, or -1. */
static long long
relative_ms(const char *s, const char *end)
{
	size_t n = (size_t)(end - s);
	long long d;

	if (strcmp(s, "now") == 0)
		return now_ms();
	if (strcmp(s, "today") == 0)
		return midnight_ms(0);
	if (strcmp(s, "yesterday") == 0)
		return midnight_ms(-1);
	if (strcmp(s, "recent") == 0)	/* ausearch's: ten minutes ago */
		return now_ms() - 600000;
	if (n > 1 && *s == '-' && (d = span_ms(s + 1, end)) > 0)
		return now_ms() - d;
	if (n > 4 && strcmp(end - 4, " ago") == 0 &&
	    (d = span_ms(s, end - 4)) > 0)
		return now_ms() - d;
	return -1;
}

/*
 * --since and --until: SECONDS[.MS] or @SECONDS[.MS]; YYYY-MM-DD (its
 * midnight), YYYY-MM-DD[T ]hh:mm[:ss[.frac]][zone]; now, today,
 * yesterday, recent, -SPAN, SPAN ago.  Local time without a zone.
 */
int
parse_when(const char *s, long long *msec)
{
	const char *end = s + strlen(s);
	long long sec;
	char *stop;
	double d;
	int ms = 0, at = *s == '@';
	char buf[64];

	if (!at && (*msec = relative_ms(s, end)) >= 0)
		return 1;
	s += at;
	if (*s != '\0' && strspn(s, "0123456789.") == strlen(s)) {
		d = strtod(s, &stop);
		if (*stop != '\0' || d > 1e15)
			return 0;
		*msec = (long long)(d * 1000.0 + 0.5);
		return 1;
	}
	if (at)			/* @ before a date: not a form */
		return 0;
	if (end - s == 10) {		/* a date alone: its midnight */
		snprintf(buf, sizeof(buf), "%sT00:00:00", s);
		return parse_when(buf, msec);
	}
	if (end - s == 16) {		/* hh:mm: its first second */
		snprintf(buf, sizeof(buf), "%s:00", s);
		return parse_when(buf, msec);
	}
	if (!iso_time(s, end, &sec, &ms) || !iso_complete(s, end))
		return 0;
	*msec = sec * 1000 + ms;
	return 1;
}
