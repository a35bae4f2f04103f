#!/usr/bin/env bats
# The Debian package: dpkg-buildpackage on a clean copy of the tree, the
# package's contents, lintian, the packaged tools' output, completion,
# and make install's same set.

load helpers

setup_file() {
	local src=$BATS_FILE_TMPDIR/b/src
	mkdir -p "$src"
	git -C "$ROOT" ls-files -co --exclude-standard -z |
	    (cd "$ROOT" && xargs -0 tar -cf - --no-recursion) | tar -xf - -C "$src"
	(cd "$src" && dpkg-buildpackage -us -uc -b) > "$BATS_FILE_TMPDIR/build.log" 2>&1 ||
	    echo failed > "$BATS_FILE_TMPDIR/build.failed"
}

setup() {
	[ ! -e "$BATS_FILE_TMPDIR/build.failed" ] ||
	    fail "dpkg-buildpackage failed: $(tail -20 "$BATS_FILE_TMPDIR/build.log")"
	VERSION=$(sed -n 's/^VERSION[[:space:]]*= *//p' "$ROOT/Makefile")
	DEB=$BATS_FILE_TMPDIR/b/bm-tools_${VERSION}_$(dpkg --print-architecture).deb
	T=$BATS_TEST_TMPDIR
}

# The package's files, as paths from /.
contents() { dpkg-deb -c "$DEB" | awk '{ print $6 }' | sed 's|^\.||; s|/$||' | grep .; }

@test "dpkg-buildpackage builds bm-tools at the Makefile's VERSION, its Depends from the shared libraries" {
	[ -s "$DEB" ]
	[ "$(dpkg-deb -f "$DEB" Version)" = "$VERSION" ]
	run dpkg-deb -f "$DEB" Depends
	assert_output --regexp 'libaudit1 .*libbpf1 .*libc6 .*libcjson1 .*zlib1g'
}

@test "the package holds the six tools, their man pages and completion, the units, the catalog and the docs" {
	run contents
	for t in aa-evtparse bpf-mountwatch bm-merge bm-profile bm-advise bm-diff; do
		assert_line "/usr/bin/$t"
		assert_line "/usr/share/bash-completion/completions/$t"
	done
	for m in man1/aa-evtparse.1 man1/bm-merge.1 man1/bm-profile.1 man1/bm-advise.1 \
	    man1/bm-diff.1 man8/bpf-mountwatch.8; do
		assert_line "/usr/share/man/$m.gz"
	done
	assert_line /lib/systemd/system/aa-evtparse.service
	assert_line /lib/systemd/system/aa-evtparse.timer
	assert_line /usr/share/bm/bm-rules.json
	assert_line /usr/share/doc/bm-tools/README.md.gz
	assert_line /usr/share/doc/bm-tools/copyright
	# the service runs the packaged tool; nothing is enabled on install
	dpkg-deb --fsys-tarfile "$DEB" | tar -xOf - ./lib/systemd/system/aa-evtparse.service |
	    grep -q "^ExecStart=/usr/bin/aa-evtparse --checkpoint"
	# (dh_installsystemd --no-enable --no-start: enabled again on upgrade
	# only if the administrator had enabled it; never started)
	dpkg-deb -e "$DEB" "$T/ctl"
	grep -q "was-enabled 'aa-evtparse.timer'" "$T/ctl/postinst"
	! grep -q 'deb-systemd-invoke' "$T/ctl/postinst"
}

@test "lintian: no error, no warning" {
	run lintian "$DEB"
	assert_success
	refute_output --regexp '^[EW]: '
}

@test "the packaged tools give the sample's model byte for byte" {
	dpkg-deb -x "$DEB" "$T/root"
	"$T/root/usr/bin/aa-evtparse" "$T/root/usr/share/doc/bm-tools/sample.log" |
	    "$T/root/usr/bin/bm-merge" --all-profiles > "$T/pkg.json"
	"$BIN/aa-evtparse" "$DATA/sample.log" | "$BIN/bm-merge" --all-profiles > "$T/bin.json"
	cmp "$T/pkg.json" "$T/bin.json"
	[ "$("$T/root/usr/bin/bm-profile" --version)" = "$("$BIN/bm-profile" --version)" ]
}

@test "bash completion: each tool's options from its --help, and the values options take" {
	dpkg-deb -x "$DEB" "$T/root"
	run bash -c '
	    source /usr/share/bash-completion/bash_completion
	    source "$1/usr/share/bash-completion/completions/bm-profile"
	    PATH=$1/usr/bin:$PATH
	    complete -p aa-evtparse bm-merge bm-diff
	    c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _bm_tools "$1"; echo "$*: ${COMPREPLY[*]}"; }
	    c bm-profile --exec c
	    c bm-profile --exec /usr/bin/x=p
	    c aa-evtparse --event ""
	    c bm-merge --event apparmor,se
	    c bm-diff --un
	    c bm-advise ""' _ "$T/root"
	assert_success
	assert_line 'complete -F _bm_tools aa-evtparse'
	assert_line 'bm-profile --exec c: cx cix'
	assert_line 'bm-profile --exec /usr/bin/x=p: /usr/bin/x=px /usr/bin/x=pix'
	assert_line 'aa-evtparse --event : apparmor seccomp'
	assert_line 'bm-merge --event apparmor,se: apparmor,seccomp'
	assert_line 'bm-diff --un: --unused'
	assert_line 'bm-advise : AppArmor BPF Seccomp'
}

@test "make install with PREFIX and DESTDIR installs the package's set" {
	make -s -C "$ROOT" install DESTDIR="$T/inst" PREFIX=/usr \
	    UNITDIR=/lib/systemd/system
	(cd "$T/inst" && find . -mindepth 1 | sed 's|^\.||; s|\.gz$||' | sort) > "$T/make"
	contents | sed 's|\.gz$||' | grep -v '^/usr/share/doc/bm-tools/\(copyright\|changelog\)$' |
	    grep -v '^/usr/share/lintian' | sort > "$T/deb"
	diff "$T/make" "$T/deb"
}
