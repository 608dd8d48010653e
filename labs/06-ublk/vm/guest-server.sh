#!/bin/sh
# vm/guest-server.sh - /test for `make vm-test`: the split server
# (server/ + the queue and target sources) and the separate checker.
# Two devices in turn:
#   1. ioctl-encoded opcodes, 2 queues: random data checks, discards and
#      zero-outs, then ext2 on the device;
#   2. legacy opcodes only, 1 queue: a shorter data check.
# Each server is stopped with SIGTERM (STOP_DEV, DEL_DEV) and must exit 0.
# vm_ios (kernel command line) sets the first run's checker I/Os.
#
# On a host (make host-test): UBLK_BIN=<dir of ublk-server and check>
# and UBLK_FS=0 (no mke2fs/mount of the host's /mnt).
set -u
bin=${UBLK_BIN:-/bin}

# run_one NAME SIZE_MIB IOS SERVER_ARGS FS(0|1)
run_one() {
	name=$1 size=$2 ios=$3 args=$4 fs=$5
	ready=/tmp/ready.$name backing=/tmp/backing.$name.img
	rm -f "$ready" "$backing"
	# shellcheck disable=SC2086
	"$bin/ublk-server" --backing "$backing" --size "$size" --ready "$ready" $args &
	pid=$!
	n=0
	while [ ! -f "$ready" ]; do
		if ! kill -0 "$pid" 2>/dev/null || [ $n -ge 300 ]; then
			echo "VM-RESULT: $name: server never became ready"
			kill -TERM "$pid" 2>/dev/null
			wait "$pid"
			return 1
		fi
		sleep 0.1
		n=$((n + 1))
	done
	dev=$(cat "$ready")
	status=0
	"$bin/check" --dev "$dev" --backing "$backing" --size "$size" --ios "$ios" || status=1
	if [ $status -eq 0 ] && [ "$fs" -eq 1 ] && [ "${UBLK_FS:-1}" -eq 1 ]; then
		UBLK_DEV=$dev sh "$bin/fs-check.sh" || status=1
	fi
	kill -TERM "$pid"
	wait "$pid" || { echo "VM-RESULT: $name: server exited $?"; status=1; }
	rm -f "$backing"
	echo "VM-RESULT: $name: $( [ $status -eq 0 ] && echo passed || echo FAILED)"
	return $status
}

run_one ioctl 64 "${vm_ios:-2000}" "--queues 2" 1 || exit 1
run_one legacy 16 200 "--legacy 1" 0 || exit 1
