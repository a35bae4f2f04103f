/*
 * Files a tool writes, safe where other users can write too.  The tools
 * run as root over shared directories (/tmp, a volume every pod of a
 * DaemonSet mounts): nothing another user planted there may steer what
 * root writes, and nothing root writes may be read by them.
 *
 * A directory others can write is one whose mode lets a group or
 * everyone write it, or that belongs to a user other than us and root.
 * In one, a symbolic link is followed only when the directory is sticky
 * and the link is ours, and an existing file must be ours, with one
 * link.  Files are created exclusively, mode 0600 whatever the umask.
 */
#ifndef BM_SAFEFILE_H
#define BM_SAFEFILE_H


/*
 * The directory path's last component is in, opened by walking it under
 * those rules; *name points at that component inside path.  Exits
 * EXIT_FATAL, naming path, where the walk is refused or fails.
 */
int	sf_parent(const char *path, const char **name);

/*
 * For writing: created 0600, or an existing file truncated (-o FILE);
 * with append, added to (O_APPEND).
 */
int	sf_output(const char *path, int append);

/*
 * An existing file in dirfd that only we may have written: ours, one
 * link, writable by no one else; -1 with errno ENOENT if there is none.
 * Anything else exits EXIT_FATAL naming path.
 */
int	sf_open_own(int dirfd, const char *name, const char *path, int flags);

/*
 * A new file beside path, named path.XXXXXX, created exclusively 0600;
 * its name in tmpname (of size at least strlen(path) + 8).
 */
int	sf_temp(int dirfd, const char *name, char *tmpname);

#endif
