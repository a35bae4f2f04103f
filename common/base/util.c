#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

unsigned long	bad_input_count;
int		bad_input_strict;

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		err(EXIT_FATAL, "malloc");
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		err(EXIT_FATAL, "realloc");
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		err(EXIT_FATAL, "calloc");
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		err(EXIT_FATAL, "strdup");
	return p;
}

void *
xmemdup(const void *p, size_t n)
{
	return memcpy(xmalloc(n), p, n);
}

void *
grow_to(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t c = *cap ? *cap : first;

	while (c < need) {
		if (c > SIZE_MAX / 2 / size)
			errx(EXIT_FATAL, "out of memory");
		c *= 2;
	}
	*cap = c;
	return xrealloc(p, c * size);
}

int
str_in(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

char **
split_list(const char *s)
{
	char *copy = xstrdup(s), *tok, *save, **v = NULL;
	size_t n = 0;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		v = xrealloc(v, (n + 3) * sizeof(*v));
		v[n++] = tok;
	}
	if (v == NULL) {
		free(copy);
		return NULL;
	}
	v[n] = NULL;
	v[n + 1] = copy;	/* for free_list: the first word need not be it */
	return v;
}

void
free_list(char **v)
{
	char **p = v;

	if (v == NULL)
		return;
	while (*p != NULL)
		p++;
	free(p[1]);
	free(v);
}

/*
 * A binary file or a wrong format would bury the first message under
 * thousands: after SHOWN of one input, the rest are counted, and said
 * in one line before another input's first message or at the end.
 */
#define SHOWN	10
static char		*said_file;
static unsigned long	 said, unsaid;

static void
say_unsaid(void)
{
	if (unsaid > 0)
		fprintf(stderr, "%s: %lu more bad input%s not shown\n",
		    said_file, unsaid, unsaid == 1 ? "" : "s");
	free(said_file);
	said_file = NULL;
	said = unsaid = 0;
}

static int
shown_for(const char *file)
{
	if (said_file == NULL || strcmp(said_file, file) != 0) {
		say_unsaid();
		said_file = xstrdup(file);
	}
	if (said < SHOWN) {
		said++;
		return 1;
	}
	unsaid++;
	return 0;
}

void
bad_input(const char *file, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	bad_input_count++;
	if (shown_for(file)) {
		fprintf(stderr, "%s:%lu: ", file, line);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	if (bad_input_strict)
		errx(EXIT_FATAL, "stopping at the first bad input (--strict)");
}

void
bad_file(const char *file)
{
	warn("%s", file);
	bad_input_count++;
	if (bad_input_strict)
		errx(EXIT_FATAL, "stopping at the first bad input (--strict)");
}

int
exit_status(void)
{
	say_unsaid();
	return bad_input_count ? EXIT_BADINPUT : EXIT_OK;
}

void
print_version(void)
{
	extern const char *__progname;

	printf("%s %s\n", __progname, BM_VERSION);
	exit(EXIT_OK);
}

void
print_help(const char *usage_line, const char *body)
{
	printf("%s\n\n%s", usage_line, body);
	exit(EXIT_OK);
}

void
std_option(int c, const char *arg, const char *usage_line,
    const char *help_text, const char **outpath)
{
	extern char *optarg;

	if (c == 'o')
		*outpath = optarg;
	else if (c == OPT_HELP || c == 'h')
		print_help(usage_line, help_text);
	else if (c == OPT_VERSION || c == 'V')
		print_version();
	else
		usage_error(usage_line, "%s: not an option, or its value is "
		    "missing", arg);
}

void
usage_error(const char *usage_line, const char *fmt, ...)
{
	extern const char *__progname;
	va_list ap;

	fprintf(stderr, "%s: ", __progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s\n", usage_line);
	exit(EXIT_FATAL);
}

int
is_kube_name(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i < n; i++) {
		int edge = i == 0 || i == n - 1 || s[i - 1] == '.' ||
		    s[i + 1] == '.';

		if (islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]))
			continue;
		if (edge || (s[i] != '-' && s[i] != '.'))
			return 0;
	}
	return 1;
}

/*
 * Ctrl-C in a pipeline reaches every process of it: the producer drains
 * and closes the pipe, and a filter that died with it would leave no
 * output at all.  So the first SIGINT lets the input run to its end and
 * the output be written; a second one ends the tool as SIGINT does.
 */
static void
on_first_sigint(int sig)
{
	static const char msg[] = ": interrupted: finishing the input; "
	    "interrupt again to stop now\n";
	extern const char *__progname;
	ssize_t rc;

	(void)sig;
	rc = write(STDERR_FILENO, __progname, strlen(__progname));
	rc = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)rc;
}

void
finish_input_on_sigint(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_first_sigint;
	sa.sa_flags = SA_RESTART | SA_RESETHAND;	/* the second: default */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}

void
pipe_widen(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
}

char **
usage_list(const char *usage_line, const char *opt, const char *s)
{
	char **v = split_list(s);

	if (v == NULL)
		usage_error(usage_line, "%s \"%s\": an empty list", opt, s);
	return v;
}
