#!/bin/sh
# vm/guest-smoke.sh - /test for `make vm-test`.  Two devices in turn:
#   1. ioctl-encoded opcodes: random data checks, then ext2 on the device;
#   2. legacy opcodes only: a shorter data check, to keep that path alive.
# vm_ios (kernel command line) sets the first run's checker I/Os.
set -e
/bin/smoke --size 64 --ios "${vm_ios:-2000}" --exec /bin/fs-check.sh
/bin/smoke --size 16 --ios 200 --legacy 1
