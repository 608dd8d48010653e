#!/bin/sh
# vm/run-vm.sh - boot the test VM once (twice if it hangs) and report.
#
# Usage: vm/run-vm.sh INITRAMFS.cpio LOG [KEY=VALUE...]
#
# Boots VM_DIR/vmlinuz (default <repo>/build/vm, from fetch-kernel.sh) with
# INITRAMFS under qemu's TCG, console on a serial port captured in LOG.
# KEY=VALUE words go on the kernel command line and reach the guest's
# /init and /test as environment variables (vm_test_timeout=SECONDS, ...).
#
# The guest's /init prints one "VM-VERDICT: PASS|FAIL ..." line.  Exit 0
# only on PASS, 1 on FAIL, 2 when no verdict came (hang, crash, no qemu).
# A boot without a verdict is retried once: this kernel under TCG has
# died or stalled (RCU) before userspace now and then (see boot() below);
# each attempt's log is kept (LOG, LOG.1).
#
#   VM_TIMEOUT  wall-clock seconds per attempt (default 300)
#   VM_MEM      guest memory (default 512M)
#   VM_SMP      guest CPUs (default 1: faster here, see below)
#   VM_ACCEL    qemu accelerator (default tcg: KVM crashes this guest)
#   VM_CPU      guest CPU model (default max,-cx16: see below)
set -u

[ $# -ge 2 ] || { echo "usage: $0 INITRAMFS LOG [KEY=VALUE...]" >&2; exit 2; }
initrd=$1 log=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
vm_dir=${VM_DIR:-$(cd "$here/../../.." && pwd)/build/vm}
kernel=$vm_dir/vmlinuz
qemu=${QEMU:-qemu-system-x86_64}
limit=${VM_TIMEOUT:-300}

command -v "$qemu" >/dev/null 2>&1 ||
	{ echo "run-vm: $qemu not found: install qemu-system-x86" >&2; exit 2; }
[ -f "$kernel" ] || { echo "run-vm: no $kernel: run vm/fetch-kernel.sh" >&2; exit 2; }
[ -f "$initrd" ] || { echo "run-vm: no $initrd" >&2; exit 2; }

# One boot; its console goes to $1.
#
# Why -cpu max,-cx16 and one CPU: under qemu 7.2's TCG this kernel often
# died while booting (double fault at the CMPXCHG16B in kmem_cache_alloc,
# or a stray GP or #DB), in about half the boots on a loaded host and in
# 2 of 2 boots with -smp 2.  Without CMPXCHG16B the kernel takes its
# fallback path, and all of about 40 boots since came up clean (16 of
# them two at a time on a 2-CPU host).  -smp 2 with -cx16 boots too, but
# the VM test took 28 s instead of 15-18 s: one CPU it is.
#
# loglevel=5 keeps warnings and worse (RCU stalls, WARN splats, oopses)
# in the log and the boot chatter out.  -no-reboot with panic=-1 turns a
# guest panic into a qemu exit instead of a reboot loop.
boot() {
	timeout -k 5 "$limit" "$qemu" -accel "${VM_ACCEL:-tcg}" -cpu "${VM_CPU:-max,-cx16}" \
		-smp "${VM_SMP:-1}" -m "${VM_MEM:-512M}" \
		-nodefaults -no-reboot -display none -monitor none \
		-serial stdio -kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 loglevel=5 $*" \
		< /dev/null > "$1" 2>&1
}

# The guest's output lines that matter, with the serial port's \r removed.
report() {
	tr -d '\r' < "$1" | grep -E '^VM-' | sed 's/^/  /' >&2
}

attempt=1 logfile=$log
while :; do
	start=$(date +%s.%N)
	boot "$logfile" "$@"
	rc=$?
	secs=$(echo "$(date +%s.%N) $start" | awk '{printf "%.1f", $1 - $2}')
	verdict=$(tr -d '\r' < "$logfile" | grep -m 1 '^VM-VERDICT:' || true)
	report "$logfile"
	case $verdict in
	"VM-VERDICT: PASS"*)
		echo "run-vm: PASS in ${secs} s (attempt $attempt, log $logfile)" >&2
		exit 0 ;;
	"VM-VERDICT: FAIL"*)
		echo "run-vm: FAIL in ${secs} s (attempt $attempt, log $logfile): ${verdict#VM-VERDICT: FAIL }" >&2
		tr -d '\r' < "$logfile" | tail -n 25 | sed 's/^/  | /' >&2
		exit 1 ;;
	esac
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		why="no verdict within $limit s"
	else
		why="qemu exited $rc without a verdict"
	fi
	echo "run-vm: $why (attempt $attempt, log $logfile); last lines:" >&2
	tr -d '\r' < "$logfile" | tail -n 15 | sed 's/^/  | /' >&2
	[ $attempt -lt 2 ] || exit 2
	attempt=2 logfile=$log.1
	echo "run-vm: retrying once" >&2
done
