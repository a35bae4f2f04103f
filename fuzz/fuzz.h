/*
 * libFuzzer harnesses, one per input parser (make fuzz).  Each names
 * its input as a file that the line reader reads from memory, and runs
 * the tool's reading code on it, as the tool would.  Run with
 * -close_fd_mask=3: the tools' messages about bad input are not the
 * fuzzer's.
 */
#ifndef BM_FUZZ_H
#define BM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

const char	*fuzz_file(const uint8_t *, size_t);	/* the input's name */

#endif
