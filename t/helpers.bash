# Shared by every test file: where the tools and the reference corpus are.
bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load.bash'
load '/usr/lib/bats/bats-assert/load.bash'

ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
BIN=${BIN:-$ROOT/bin}
CORPUS=$ROOT/../shared/corpus
DATA=$ROOT/t/data
export TZ=UTC

# Run a tool, under valgrind when VALGRIND=1 (make valgrind): any memory
# error or leak makes the tool exit 99, which no test accepts.
tool() {
	local name=$1
	shift
	if [ "${VALGRIND:-0}" = 1 ]; then
		valgrind -q --error-exitcode=99 --leak-check=full \
		    --errors-for-leak-kinds=definite "$BIN/$name" "$@"
	else
		"$BIN/$name" "$@"
	fi
}

evtparse() { tool aa-evtparse "$@"; }

# Every line of a file is one JSON object.
assert_ndjson() {
	local file=$1 n
	n=$(wc -l < "$file")
	run jq -c 'select(type == "object")' "$file"
	assert_success
	[ "$(printf '%s\n' "$output" | grep -c .)" -eq "$n" ] ||
	    fail "$file: $n lines but not as many JSON objects"
}
