#!/bin/sh
# vm/mkinitramfs.sh - build the test VM's initramfs.
#
# Usage: vm/mkinitramfs.sh OUT.cpio MODULE.ko TEST [BINARY...]
#
# The archive holds busybox-static (the whole userland), vm/init as /init,
# MODULE.ko as /lib/modules/ublk_drv.ko, TEST (a script or static program,
# run by /init) as /test, and every BINARY in /bin.  The binaries must be
# static: the guest has no libraries.  Uncompressed: the kernel unpacks it
# faster than it could gunzip it under TCG.
set -eu

say() { echo "mkinitramfs: $*" >&2; }
die() { say "error: $*"; exit 1; }

[ $# -ge 3 ] || die "usage: $0 OUT.cpio MODULE.ko TEST [BINARY...]"
out=$1 ko=$2 test=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)

busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || die "$busybox not found: install busybox-static"
command -v cpio >/dev/null 2>&1 || die "cpio not found: install cpio"
# A dynamic busybox would die in the guest with "not found", a confusing
# message; catch it here (busybox-static's ELF has no interpreter).
if LC_ALL=C readelf -l "$busybox" 2>/dev/null | grep -q 'program interpreter'; then
	die "$busybox is dynamically linked: install busybox-static"
fi
[ -f "$ko" ] || die "no module $ko (run vm/fetch-kernel.sh)"
[ -f "$test" ] || die "no test $test"

stage=$(mktemp -d "${TMPDIR:-/tmp}/initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/lib/modules" "$stage/proc" "$stage/sys" \
         "$stage/dev" "$stage/tmp" "$stage/mnt"
cp "$busybox" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
cp "$here/init" "$stage/init"
cp "$ko" "$stage/lib/modules/ublk_drv.ko"
cp "$test" "$stage/test"
chmod 755 "$stage/init" "$stage/test"
for bin in "$@"; do
	[ -f "$bin" ] || die "no binary $bin"
	if LC_ALL=C readelf -l "$bin" 2>/dev/null | grep -q 'program interpreter'; then
		die "$bin is dynamically linked: link it with -static"
	fi
	cp "$bin" "$stage/bin/"
	chmod 755 "$stage/bin/$(basename "$bin")"
done

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
say "$out: $(du -k "$out" | cut -f1) KiB, test $(basename "$test"), binaries: $*"
