#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void
bad_input(const char *file, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%lu: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	bad_input_count++;
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
std_option(int c, const char *usage_line, const char *help_text,
    const char **outpath)
{
	extern char *optarg;

	if (c == 'o')
		*outpath = optarg;
	else if (c == OPT_HELP)
		print_help(usage_line, help_text);
	else if (c == OPT_VERSION)
		print_version();
	else
		usage_exit(usage_line);
}

void
usage_exit(const char *usage_line)
{
	fprintf(stderr, "%s\n", usage_line);
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
