# bash completion for aa-evtparse, bpf-mountwatch, bm-merge, bm-profile,
# bm-advise and bm-diff: installed once per tool name in bash-completion's
# completions directory (make install), or sourced.  Options come from
# the tool's own --help, so they are never out of date; the values below
# are those the tools take.

# Complete the last element of a comma list from the words $2.
_bm_list() {
	local cur=$1 head=
	[[ $cur == *,* ]] && head=${cur%,*},
	COMPREPLY=($(compgen -P "$head" -W "$2" -- "${cur##*,}"))
	compopt -o nospace 2>/dev/null
}

_bm_files() {
	if declare -F _filedir >/dev/null; then
		_filedir
	else
		COMPREPLY=($(compgen -f -- "$1"))
	fi
}

_bm_tools() {
	local cmd=${1##*/} cur=${COMP_WORDS[COMP_CWORD]} prev=
	local modes="AUDIT ALLOWED DENIED HINT STATUS ERROR KILLED AUTO
	    kill_process kill_thread trap errno user_notif trace log allow"
	local execs="ix cx px Px Cx pix cix Pix Cix"

	COMPREPLY=()
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	case $cmd:$prev in
	aa-evtparse:--event)	COMPREPLY=($(compgen -W "apparmor seccomp" -- "$cur")); return ;;
	*:--event)		_bm_list "$cur" "apparmor seccomp mount model"; return ;;
	*:--mode)		_bm_list "$cur" "$modes"; return ;;
	*:--exec)
		if [[ $cur == *=* ]]; then
			COMPREPLY=($(compgen -P "${cur%%=*}=" -W "$execs" -- "${cur#*=}"))
		else
			COMPREPLY=($(compgen -W "$execs" -- "$cur"))
			[[ $cur == /* ]] && _bm_files "$cur"
		fi
		return ;;
	*:--abi)		COMPREPLY=($(compgen -W "3.0 4.0" -- "$cur")); return ;;
	*:--varmor-release)	COMPREPLY=($(compgen -W "0.7 0.8 0.9" -- "$cur")); return ;;
	*:--arch)		_bm_list "$cur" "x86_64 i386 i686 x32 aarch64 arm armeb
				    armv7l ppc64le ppc64 ppc s390x s390 riscv64 loongarch64"; return ;;
	bm-advise:-f|bm-advise:--features)	_bm_list "$cur" "privileged-container mount-sth umount-sth
				    share-containers-pid-ns share-host-pid-ns dind require-sa
				    bind-privileged-socket-port load-bpf"; return ;;
	bm-advise:-c|bm-advise:--capabilities)	_bm_list "$cur" "$(_bm_caps)"; return ;;
	*:-o|*:--checkpoint|*:--catalog|*:--baseline)
		_bm_files "$cur"; return ;;
	*:--cgroup)		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	*:--profile|*:--name|*:--namespace|*:--since|*:--until|*:--lock-wait|\
	*:--trust|*:--comm|*:--exe|*:--pid|*:--ses|*:--allow|*:--count|\
	*:--duration|*:--mntns|*:--mntns-of|*:--ring-size)
		return ;;	# a value of the user's own
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$("$1" --help 2>/dev/null |
		    grep -oE -- '(^ +|\[|, |\| )--?[a-zA-Z][a-z-]*' |
		    grep -oE -- '--?[a-zA-Z][a-z-]*' |
		    sort -u)" -- "$cur"))
	elif [[ $cmd == bm-advise ]] && ! [[ " ${COMP_WORDS[*]:1:COMP_CWORD-1} " =~ \ (AppArmor|BPF|Seccomp) ]]; then
		_bm_list "$cur" "AppArmor BPF Seccomp"
	elif [[ $cmd != bpf-mountwatch ]]; then
		_bm_files "$cur"
	fi
}

# The capability names of capabilities(7), as the tools write them.
_bm_caps() {
	echo chown dac_override dac_read_search fowner fsetid kill setgid \
	    setuid setpcap linux_immutable net_bind_service net_broadcast \
	    net_admin net_raw ipc_lock ipc_owner sys_module sys_rawio \
	    sys_chroot sys_ptrace sys_pacct sys_admin sys_boot sys_nice \
	    sys_resource sys_time sys_tty_config mknod lease audit_write \
	    audit_control setfcap mac_override mac_admin syslog wake_alarm \
	    block_suspend audit_read perfmon bpf checkpoint_restore
}

complete -F _bm_tools aa-evtparse bpf-mountwatch bm-merge bm-profile \
    bm-advise bm-diff
