/* aa-evtparse: audit log lines of every format, joined into events. */
#include "../cmd/aa-evtparse/evtparse.h"
#include "fuzz.h"
#include "lineio.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct input in;

	if (input_open(&in, fuzz_file(data, n))) {
		read_lines(&in);
		lr_close(&in.lr);
	}
	events_flush();
	return 0;
}
