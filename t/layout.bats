#!/usr/bin/env bats
# The layout's one-way rules (scripts/filegraph.py, run by make check):
# files that call one way, headers without cycles, and common/'s layers
# each using only those below it.

load helpers

# The objects of the tools under test: build/, or build-asan/ for bin-asan.
objdir() {
	local o=$ROOT/build
	[ "$(basename "$BIN")" != bin-asan ] || o=$ROOT/build-asan
	[ -d "$o/common/base" ] || fail "$o: not built with this layout (make)"
	echo "$o"
}

@test "the tree holds to them" {
	local o
	o=$(objdir)
	cd "$ROOT"
	run scripts/filegraph.py "$o"
	assert_success
	assert_output ''
}

@test "a planted include from a layer above, and a header cycle, are caught" {
	local c=$BATS_TEST_TMPDIR/tree o
	o=$(objdir)
	mkdir -p "$c"
	cp -r "$ROOT/Makefile" "$ROOT/common" "$ROOT/cmd" "$ROOT/bpf" "$ROOT/scripts" "$c/"
	cd "$c"
	printf '#include "learn.h"\n' >> common/base/util.h
	sed -i 's|^#define BM_SCHEMA_H$|#define BM_SCHEMA_H\n#include "model.h"|' common/model/schema.h
	run scripts/filegraph.py "$o"
	assert_failure 1
	assert_line 'common/base/util.h includes common/learn/learn.h, from a layer above it'
	assert_line --regexp '^headers: an include cycle between .*common/model/model\.h, common/model/schema\.h'
}
