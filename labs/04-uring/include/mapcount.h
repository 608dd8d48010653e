/*
 * mapcount.h - task 1: count a file through a read-only mapping.
 *
 * wc(1) reads a file through a buffer: the kernel copies every byte from
 * the page cache into it.  Mapped, the file's page-cache pages appear in
 * our address space and the scan reads them where they are.  The price:
 * the mapping is only as long as the file was when we mapped it, an
 * empty file cannot be mapped at all, and a file that shrinks under the
 * mapping turns the next read of a vanished page into SIGBUS.
 *
 *   file:     |<-------------- st_size ------------->|
 *   mapping:  [ page ][ page ][ page ][ page ][ pa|ge ]
 *                                              ^   ^ zero-filled tail of
 *                                              |     the last page: not
 *                                     the end of the file, count nothing
 */
#ifndef MAPCOUNT_H
#define MAPCOUNT_H

#include <stddef.h>
#include <stdint.h>

struct mc_counts {
	uint64_t bytes; /* the file's size */
	uint64_t lines; /* '\n' bytes */
	uint64_t words; /* maximal runs of bytes that are not white space */
};

/*
 * White space, as in the C locale's isspace(): ' ', '\t', '\n', '\v',
 * '\f', '\r'.  Every other byte, 0x00 and 0x80..0xff included, is part
 * of a word.
 */
int mc_is_space(unsigned char c);

/*
 * Count the bytes, lines and words of n bytes at p (n == 0 gives zeros).
 * Pure: no system calls, no signals.
 */
void mc_count_mem(const void *p, size_t n, struct mc_counts *out);

/*
 * Count the regular file open on fd, from offset 0 to the size it has
 * when the call starts, through one read-only mapping (PROT_READ) that
 * is advised for sequential access (madvise MADV_SEQUENTIAL) and
 * unmapped before the call returns.  fd's file offset is not used or
 * changed; fd stays open.
 *
 * Returns 0 and fills *out, or a negative errno (and *out is zeroed):
 *   -EBADF, ...   fstat() or mmap() failed: that call's errno, negated
 *                 (mmap of a descriptor not open for reading: -EACCES)
 *   -EISDIR       fd is a directory
 *   -EINVAL       fd is not a regular file (a pipe, a device, a socket)
 *   -EIO          the file shrank while it was being counted: a read of
 *                 a page past its new end raised SIGBUS.  The handler
 *                 in force before the call is back in force after it.
 * An empty file gives zeros without mapping anything (mmap refuses a
 * length of 0).
 */
int mc_count_fd(int fd, struct mc_counts *out);

/*
 * Open path read-only (without blocking, even on a FIFO), count it with
 * mc_count_fd() and close it.  Errors as mc_count_fd(), plus those of
 * open(), negated: -ENOENT, -EACCES, ...
 */
int mc_count_path(const char *path, struct mc_counts *out);

/*
 * A test hook.  When it is not NULL, mc_count_fd() calls it once, right
 * after the mapping is made and advised and before the first byte is
 * read, with the descriptor, the mapping and its length.  The tests use
 * it to look at the mapping and to truncate the file under it.  Define
 * it in src/mapcount.c, initialised to NULL.
 */
extern void (*mc_after_map)(int fd, const void *map, size_t len);

#endif
