/*
 * The child program of t/vm's workload: a program of its own (not one
 * every process of the VM runs), so that --exec px has a profile to
 * attach by path.  Reads the workload's configuration, writes a file
 * named by its pid, says so.
 */
#include <err.h>
#include <stdio.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	char path[64], line[128];
	FILE *f;

	if (argc != 2)
		errx(2, "usage: wlchild DIR");
	if ((f = fopen("/etc/wl/wl.conf", "r")) == NULL ||
	    fgets(line, sizeof(line), f) == NULL)
		err(1, "/etc/wl/wl.conf");
	fclose(f);
	snprintf(path, sizeof(path), "%s/child.%d", argv[1], (int)getpid());
	if ((f = fopen(path, "w")) == NULL || fputs(line, f) == EOF ||
	    fclose(f) == EOF)
		err(1, "%s", path);
	printf("child read %s", line);
	return 0;
}
