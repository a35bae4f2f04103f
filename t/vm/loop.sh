#!/bin/sh
# Inside the VM (t/vm/boot), as t/kernel.bats asks: learn t/vm/workload
# under the learning profile bm-profile --learn writes, with
# bpf-mountwatch beside it; make profiles of what the kernel logged;
# enforce each and run the workload again, then the things it never did.
# All the host checks lands in /out; nothing here decides pass or fail.
PATH=/usr/local/bin:$PATH
set -u

mkdir -p /etc/wl /srv/wl/data /srv/wl/mnt /var/lib/wl /opt/wl /mnt
echo greeting=hello >/etc/wl/wl.conf
echo secret >/etc/wl/secret
touch /srv/wl/data/a /srv/wl/data/b
cp /vm/workload /vm/wlchild /opt/wl/
uname -r >/out/uname

# under profile $1: the rest of the command line
as() { sh -c 'echo "exec $0" >/proc/self/attr/exec && exec "$@"' "$@"; }
# the kernel's messages since the last call
log() { dmesg -c >"/out/$1.dmesg"; }

/opt/wl/workload >/out/plain.out 2>&1

# learn: profile wl, entered by name; /opt/wl/workload, attached by path
bpf-mountwatch >/out/mountwatch.json 2>/out/mountwatch.err &
mw=$!
i=0
until grep -q watching /out/mountwatch.err || [ $((i += 1)) -gt 300 ]; do
	usleep 100000
done
bm-profile --learn --apparmor --name wl >/out/learn.aa &&
    apparmor_parser -a /out/learn.aa
bm-profile --learn --apparmor --name /opt/wl/workload >/out/learn-path.aa &&
    apparmor_parser -a /out/learn-path.aa
dmesg -c >/dev/null
as wl /opt/wl/workload >/out/learn.out 2>&1
log learn
kill -INT $mw
wait $mw
echo $? >/out/mountwatch.rc
/opt/wl/workload >/out/learn-path.out 2>&1
log learn-path
apparmor_parser -R /out/learn.aa /out/learn-path.aa

aa-evtparse /out/learn.dmesg | bm-merge >/out/model.json 2>/out/model.err
aa-evtparse /out/learn-path.dmesg | bm-merge >/out/model-path.json 2>/out/model-path.err

# enforce: as wl, one way of running children each; then by path
enforce() {	# NAME MODEL OPTIONS RUN... (RUN: how the workload starts)
	v=$1 model=$2 opts=$3
	shift 3
	bm-profile --apparmor $opts "$model" >"/out/$v.aa" 2>"/out/$v.aa.err"
	apparmor_parser -r "/out/$v.aa" 2>"/out/$v.parser"
	echo $? >"/out/$v.parser.rc"
	dmesg -c >/dev/null
	"$@" /opt/wl/workload >"/out/$v.out" 2>&1
	echo $? >"/out/$v.rc"
	log "$v"
	for p in read write mount; do
		"$@" /opt/wl/workload $p >"/out/$v.$p.out" 2>&1
		echo $? >"/out/$v.$p.rc"
		log "$v.$p"
	done
	apparmor_parser -R "/out/$v.aa"
}
enforce ix /out/model.json "--exec ix" as wl
enforce cx /out/model.json "--exec cx" as wl
enforce px /out/model.json "--exec /opt/wl/wlchild=px" as wl
enforce net /out/model.json "--fine-network" as wl
enforce path /out/model-path.json "" env
# observe: the same profile in complain mode; what it would deny is let be
enforce complain /out/model.json "--complain" as wl
cat /sys/kernel/security/apparmor/profiles >/out/profiles-left
