/*
 * testutil.h - helpers shared by the lab's tests: files with known
 * contents, descriptor counts, privileges.  Every helper that can fail
 * ends the test with a message (wb/test.h).
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Byte i of the test pattern `seed`: a hash of (seed, i / 8), so any
 * range of a file can be made or checked without keeping it all. */
void tu_pattern(void *buf, size_t n, uint64_t seed, uint64_t offset);

/* Create (or truncate) path and write size bytes of pattern seed. */
void tu_make_file(const char *path, uint64_t size, uint64_t seed);

/* Check that path holds exactly size bytes of pattern seed; what names
 * the copy in the failure message, which gives the first bad offset. */
void tu_check_file(const char *path, uint64_t size, uint64_t seed,
		   const char *what);

/* Entries in /proc/self/fd: open descriptors. */
int tu_fd_count(void);

/* A fresh, empty directory for this test under base ("/tmp" or "."):
 * returns its path (static storage, one per call site is enough). */
const char *tu_fresh_dir(const char *base, const char *name);

/* Number of entries (not . or ..) in dir. */
int tu_dir_entries(const char *dir);

/* Remove the files in dir, then dir. */
void tu_remove_dir(const char *dir);

/* Lose the power to read files whatever their mode: drop
 * CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH when running as root (the
 * grader's sandbox does), so chmod 000 means unreadable. */
void tu_drop_dac(void);

/* Is the page at addr mapped? (msync fails with ENOMEM if not) */
int tu_mapped(const void *addr);

#endif
