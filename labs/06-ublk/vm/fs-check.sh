#!/bin/sh
# vm/fs-check.sh - run by guest-server.sh while the ublk device is up:
# make an ext2 filesystem on $UBLK_DEV, write a file, unmount, mount again
# and compare.  Every block of it goes through the ublk server.
set -e
dev=${UBLK_DEV:?}
mke2fs -q -b 4096 "$dev" > /dev/null
mount -t ext2 "$dev" /mnt
dd if=/dev/urandom of=/tmp/fs-ref bs=64k count=64 2>/dev/null
cp /tmp/fs-ref /mnt/file
mkdir /mnt/dir && echo hello > /mnt/dir/hello
umount /mnt
mount -t ext2 -o ro "$dev" /mnt
cmp /tmp/fs-ref /mnt/file
[ "$(cat /mnt/dir/hello)" = hello ]
umount /mnt
echo "VM-RESULT: ext2 made, mounted, 4 MiB written, remounted and compared"
