/*
 * Make the kernel write real seccomp audit records: under a filter that
 * logs (SCMP_ACT_LOG) getppid and getpgid, call each once, then print
 * our pid so the test can find the records.
 */
#include <err.h>
#include <seccomp.h>
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	scmp_filter_ctx ctx;

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		errx(1, "seccomp_init");
	if (seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getppid), 0) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getpgid), 0) < 0)
		errx(1, "seccomp_rule_add");
	if (seccomp_load(ctx) < 0)
		errx(1, "seccomp_load");
	seccomp_release(ctx);
	getppid();
	getpgid(0);
	printf("%d\n", getpid());
	return 0;
}
