#!/bin/sh
# vm/fetch-kernel.sh - fetch the kernel the VM back end boots.
#
# The dev machines' kernel has no ublk; Debian bookworm-backports' 6.12
# cloud kernel builds it as a module (CONFIG_BLK_DEV_UBLK=m).  We download
# that package with a private apt configuration under OUT (so the host's
# sources are left alone and nothing is installed), unpack it, and keep
# two files:
#
#   OUT/vmlinuz       the kernel qemu boots directly (-kernel)
#   OUT/ublk_drv.ko   the driver, uncompressed so busybox insmod can load it
#   OUT/loop.ko       the kernel's loop driver, to compare ublk against
#
# Usage: vm/fetch-kernel.sh [OUT]      (default: <repo>/build/vm)
#   FORCE=1   fetch again even if OUT already holds a kernel
#   KPKG=...  a given package instead of the newest 6.12 cloud image
#
# Idempotent: a second run finds OUT/kernel.stamp and does nothing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
out=${1:-$repo/build/vm}
mirror=${MIRROR:-http://deb.debian.org/debian}
say() { echo "fetch-kernel: $*" >&2; }
die() { say "error: $*"; exit 1; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
stamp=$out/kernel.stamp
if [ -z "${FORCE:-}" ] && [ -f "$stamp" ] && [ -f "$out/vmlinuz" ] &&
   [ -f "$out/ublk_drv.ko" ] && [ -f "$out/loop.ko" ]; then
	say "already fetched: $(cat "$stamp") (FORCE=1 to fetch again)"
	exit 0
fi

for tool in apt-get dpkg-deb; do
	command -v $tool >/dev/null 2>&1 || die "$tool not found (a Debian host is needed)"
done

# A private apt state: its own sources, lists and cache, nothing system-wide.
apt=$out/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
echo "deb $mirror bookworm-backports main" > "$apt/sources.list"
aptopts="-o Dir::Etc::sourcelist=$apt/sources.list -o Dir::Etc::sourceparts=-
 -o Dir::State::Lists=$apt/lists -o Dir::Cache=$apt/cache
 -o APT::Get::List-Cleanup=0 -o Debug::NoLocking=1 -o APT::Sandbox::User=root"

say "updating package lists for bookworm-backports from $mirror"
# apt-get update reports an unreachable mirror only as a warning ("W: Failed
# to fetch"), so we check for the lists ourselves.
# shellcheck disable=SC2086
apt-get $aptopts update > "$apt/update.log" 2>&1 || true
if grep -q '^[WE]: Failed to fetch' "$apt/update.log" ||
   ! ls "$apt/lists/"*bookworm-backports*Packages* >/dev/null 2>&1; then
	sed 's/^/  /' "$apt/update.log" >&2
	die "cannot read $mirror (bookworm-backports): is the mirror reachable?"
fi

if [ -z "${KPKG:-}" ]; then
	# shellcheck disable=SC2086
	KPKG=$(apt-cache $aptopts pkgnames linux-image-6.12. |
	       grep -E '^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$' |
	       sort -V | tail -n 1)
	[ -n "$KPKG" ] || die "no linux-image-6.12.*-cloud-amd64-unsigned in bookworm-backports"
fi
say "downloading $KPKG"
# shellcheck disable=SC2086
(cd "$apt/cache/archives" && apt-get $aptopts download "$KPKG" >&2) ||
	die "apt-get download $KPKG failed"
deb=$(ls -t "$apt/cache/archives/${KPKG}_"*.deb | head -n 1)

say "unpacking $(basename "$deb")"
rm -rf "$out/root"
dpkg-deb -x "$deb" "$out/root"
vmlinuz=$(ls "$out/root/boot/vmlinuz-"* | head -n 1)
# Modules may come compressed; busybox insmod wants them plain.
extract_module() {   # NAME: copy lib/modules/.../NAME.ko* to OUT/NAME.ko
	ko=$(find "$out/root/lib/modules" "$out/root/usr/lib/modules" \
	          -name "$1.ko*" 2>/dev/null | head -n 1)
	[ -n "$ko" ] || die "$KPKG has no $1 module"
	case $ko in
	*.ko.xz)  xz -dc "$ko" > "$out/$1.ko.tmp" ;;
	*.ko.zst) zstd -qdc "$ko" > "$out/$1.ko.tmp" ;;
	*.ko.gz)  gzip -dc "$ko" > "$out/$1.ko.tmp" ;;
	*)        cp "$ko" "$out/$1.ko.tmp" ;;
	esac
	mv "$out/$1.ko.tmp" "$out/$1.ko"   # never a half-written module
}
cp "$vmlinuz" "$out/vmlinuz.tmp"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
extract_module ublk_drv
extract_module loop
rm -rf "$out/root"   # 400 MB of modules we do not need
echo "$KPKG" > "$stamp"
say "done: $out/vmlinuz, ublk_drv.ko and loop.ko from $KPKG"
