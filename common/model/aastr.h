/*
 * Strings in AppArmor policy.  A literal (a path seen, a label, a bus
 * name) has AppArmor's glob and alternation characters escaped, so it
 * matches itself only; a pattern keeps its globs.  Either is written as
 * one token: quoted when it holds anything that could end it, with
 * quotes, control characters and bytes that are not UTF-8 escaped, so
 * no string can end a rule or start another.
 */
#ifndef BM_AASTR_H
#define BM_AASTR_H

#include <stddef.h>

#include "jsonw.h"

#define AA_GLOB_CHARS	"*?[]{}^\\"

void	aa_escape_glob(struct jw *, const char *, size_t);
void	aa_literal(struct jw *, const char *);	/* one token */
void	aa_pattern(struct jw *, const char *);	/* one token */

#endif
