/* Exit status, allocation and bad-input reporting shared by every tool. */
#ifndef BM_UTIL_H
#define BM_UTIL_H

#include <stddef.h>

/* Exit status of every tool in the suite. */
enum {
	EXIT_OK = 0,		/* all input understood */
	EXIT_BADINPUT = 1,	/* some input skipped (malformed line, unreadable file) */
	EXIT_FATAL = 2		/* usage error, write error, or --strict stop */
};

#ifndef BM_VERSION
#define BM_VERSION "0.1.0"
#endif

void	*xmalloc(size_t);
void	*xrealloc(void *, size_t);
void	*xcalloc(size_t, size_t);
char	*xstrdup(const char *);
void	*xmemdup(const void *, size_t);

/*
 * Room in p, which holds *cap elements of size, for need of them: *cap
 * doubles from first, so n appends cost O(n).  The check is inline, as
 * it runs on every append of the hot paths.
 */
void	*grow_to(void *p, size_t *cap, size_t need, size_t size,
	    size_t first);
static inline void *
xgrow(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
	return need <= *cap ? p : grow_to(p, cap, need, size, first);
}

/*
 * Bad input: "FILE:LINE: reason" on stderr, counted.  With strict set the
 * tool exits EXIT_FATAL at the first one.
 */
extern unsigned long	bad_input_count;
extern int		bad_input_strict;
void	bad_input(const char *file, unsigned long line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* An input that could not be read at all: reported, counted, not fatal. */
void	bad_file(const char *file);
int	exit_status(void);
void	finish_input_on_sigint(void);	/* the first SIGINT: to the end */

/*
 * A Kubernetes object name (RFC 1123 subdomain): labels of lower case
 * letters, digits and '-', each starting and ending alphanumeric,
 * joined by '.', 253 bytes at most.
 */
int	is_kube_name(const char *);

/* s is one of the NULL-terminated list. */
int	str_in(const char *const *list, const char *s);

/* "a,b,c" as a NULL-terminated vector; NULL when it names nothing. */
char	**split_list(const char *);
/* split_list of an option's value; an empty one is a usage error. */
char	**usage_list(const char *usage_line, const char *opt, const char *s);
void	  free_list(char **);

/*
 * A pipe between two of the tools holds 1 MiB, not Linux's 64 KiB, so
 * that each side works in long stretches: at 64 KiB the two woke each
 * other every few hundred lines, and the pipeline took half as long
 * again as its slower stage.  Anything else, or a refusal, is left be.
 */
void	  pipe_widen(int fd);

/*
 * The options every tool takes end its getopt_long table: -o/--output,
 * --help, --version.  std_option takes them, and calls anything else a
 * usage error; a tool's switch hands it what it does not know.
 */
enum { OPT_HELP = 0x10000, OPT_VERSION };
#define STD_SHORTOPTS	"o:hV"		/* -h and -V: --help, --version */
#define STD_LONGOPTS \
	{ "output", required_argument, NULL, 'o' }, \
	{ "help", no_argument, NULL, OPT_HELP }, \
	{ "version", no_argument, NULL, OPT_VERSION }, \
	{ NULL, 0, NULL, 0 }
void	std_option(int c, const char *arg, const char *usage_line,
	    const char *help_text, const char **outpath);	/* arg: argv[optind - 1] */

/* --help / --version: print to stdout, exit 0. */
void	print_version(void) __attribute__((noreturn));
void	print_help(const char *usage_line, const char *body)
	    __attribute__((noreturn));
/*
 * A usage error: which argument and why on stderr, then the one usage
 * line, exit EXIT_FATAL.
 */
void	usage_error(const char *usage_line, const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 2, 3)));

#endif
