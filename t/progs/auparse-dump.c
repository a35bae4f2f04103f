/*
 * auparse-dump FILE: each record as libauparse (auditd's own parser)
 * reads it, one JSON object per line: its type, id, and every field's
 * name, value as written and value as libauparse interprets it.  The
 * differential test (t/auparse.bats) holds aa-evtparse's events to it.
 * With -c, only the AppArmor and seccomp records are counted, as
 * "APPARMOR SECCOMP": the parser's own speed (bench/run.sh).
 */
#include <auparse.h>
#include <err.h>
#include <stdio.h>
#include <string.h>

static void
str(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	if (s == NULL) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (; *p; p++)
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			printf("\\u%04x", *p);	/* bytes, not characters */
		else
			putchar(*p);
	putchar('"');
}

static void
record(auparse_state_t *au)
{
	const au_event_t *e = auparse_get_timestamp(au);
	int first = 1;

	printf("{\"type\":%d,\"time\":\"%lu.%03u\",\"serial\":%lu,"
	    "\"fields\":[", auparse_get_type(au), (unsigned long)e->sec,
	    e->milli, e->serial);
	if (auparse_first_field(au) > 0)
		do {
			printf("%s[", first ? "" : ",");
			str(auparse_get_field_name(au));
			putchar(',');
			str(auparse_get_field_str(au));
			putchar(',');
			str(auparse_interpret_field(au));
			putchar(']');
			first = 0;
		} while (auparse_next_field(au) > 0);
	puts("]}");
}

/* An AppArmor record (an AVC, not SELinux's), a seccomp one, or neither. */
static void
tally(auparse_state_t *au, unsigned long *a, unsigned long *s)
{
	int t = auparse_get_type(au);

	if (t == 1326)
		++*s;
	else if ((t >= 1501 && t <= 1508) || ((t == 1400 || t == 1107) &&
	    auparse_find_field(au, "apparmor") != NULL))
		++*a;
}

int
main(int argc, char **argv)
{
	auparse_state_t *au;
	int count = argc == 3 && strcmp(argv[1], "-c") == 0;
	unsigned long a = 0, s = 0;

	if (argc != 2 + count)
		errx(2, "usage: auparse-dump [-c] FILE");
	if ((au = auparse_init(AUSOURCE_FILE, argv[1 + count])) == NULL)
		err(1, "%s", argv[1 + count]);
	auparse_set_escape_mode(au, AUPARSE_ESC_RAW);
	while (auparse_next_event(au) > 0)
		do {
			if (count)
				tally(au, &a, &s);
			else
				record(au);
		} while (auparse_next_record(au) > 0);
	if (count)
		printf("%lu %lu\n", a, s);
	auparse_destroy(au);
	return 0;
}
