#!/bin/sh
# grader/deps.sh - install what the workbook needs, or say how.
#
# Debian 12 package names.  Root installs them with apt-get; anyone else
# gets the exact command to run.  Quiet when everything is there, so
# `make grade` and `make test` can call this every time.
#
#   build-essential  gcc, make, libc headers: builds the grader and labs
#   bubblewrap       isolates student code (read-only system, no network)
#   libxml2-utils    xmllint: `make test` checks the JUnit report with it
#   python3, patch   `make test` checks reports, applies catalogue patches
#   valgrind         callgrind counts instructions for benches (wb/icount.h);
#                    its headers are in the same package
#   liburing-dev     lab 04: io_uring through liburing
set -eu

packages="build-essential patch bubblewrap libxml2-utils python3 valgrind liburing-dev"

missing=""
for p in $packages; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing:$missing; this is not a Debian system, so install" >&2
	echo "      the equivalent packages with your package manager." >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing:$missing. Install them with:" >&2
	echo "      sudo apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# Try the local package lists first: an update costs time and network.
apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 || {
	apt-get update >/dev/null
	apt-get install -y --no-install-recommends $missing >/dev/null
}
