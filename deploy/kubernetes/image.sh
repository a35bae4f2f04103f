#!/bin/sh
# Build the image localhost/bm-tools:VERSION with podman, offline, from
# this tree's tools (make all first).  Usage: deploy/kubernetes/image.sh
# IMAGE names it otherwise; BIN takes the tools from another directory.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
version=$(sed -n 's/^VERSION[ 	]*=[ 	]*//p' "$top/Makefile")
image=${IMAGE:-localhost/bm-tools:$version}
bin=${BIN:-$top/bin}
ctx=$(mktemp -d "${TMPDIR:-/tmp}/bm-image.XXXXXX")
trap 'rm -rf "$ctx"' EXIT
root=$ctx/root

mkdir -p "$root/usr/local/bin" "$root/bin" "$root/tmp" "$root/var/lib/bm"
tools="aa-evtparse bm-merge bm-profile bm-advise bm-diff bpf-mountwatch"
for t in $tools; do
	cp "$bin/$t" "$root/usr/local/bin/"
	# each shared library at the path the loader looks for it
	ldd "$bin/$t" | awk '/=>/ { print $3 } /^[ \t]*\/.*ld-linux/ { print $1 }' |
	while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done
cp /bin/busybox "$root/bin/busybox"
for a in sh cat mv rm mkdir sleep date ls test [ echo hostname wc; do
	ln -sf busybox "$root/bin/$a"
done
cp "$here/node-model.sh" "$here/merge-models.sh" "$root/usr/local/bin/"
chmod 1777 "$root/tmp"
cp "$here/Containerfile" "$ctx/"
podman build --pull=never -q -t "$image" "$ctx"
