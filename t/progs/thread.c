/*
 * Starts a thread and joins it.  glibc 2.34 and later create it with
 * clone3 and fall back to clone only when clone3 answers ENOSYS: under
 * a seccomp profile that answers EPERM, the thread never starts.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static void *
run(void *arg)
{
	(void)arg;
	return (void *)"ran";
}

int
main(void)
{
	pthread_t t;
	void *r;
	int e;

	if ((e = pthread_create(&t, NULL, run, NULL)) != 0) {
		fprintf(stderr, "pthread_create: %s\n", strerror(e));
		return 1;
	}
	pthread_join(t, &r);
	printf("thread %s\n", (const char *)r);
	return 0;
}
