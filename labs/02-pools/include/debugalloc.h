/*
 * debugalloc.h - a debug allocator that catches the classic mistakes
 * (task 6).
 *
 * Blocks come from one region mapped at dbg_create, cut into slots of
 * equal size.  Each slot wraps the caller's payload in checks:
 *
 *	slot:  [ header            ][ payload (size bytes) ][ canary ... ]
 *	         magic, state, size   what the caller gets    DBG_CANARY bytes
 *	                                                      up to the slot end
 *	                                                      (at least
 *	                                                      DBG_CANARY_MIN)
 *
 * - The header starts with DBG_MAGIC and ends with DBG_MAGIC too (the
 *   guard just before the payload): a write before the payload, or a
 *   pointer that is not a payload, breaks one of them.
 * - The state says allocated or free, so a second free is seen.
 * - The canary bytes right after the payload are checked on free: a
 *   write past the end is seen, with the block's address.
 * - A freed payload is filled with DBG_FREE_FILL (a use after free
 *   reads garbage that stands out, and a write after free is seen by
 *   dbg_check), and, in an AddressSanitizer build, poisoned, so ASan
 *   reports the very access.
 *
 * Every problem goes to the report callback with the block's address.
 * The default callback prints one line to stderr and calls abort().  If
 * a callback returns, the faulty operation is abandoned: a bad free
 * frees nothing, so no other block is corrupted.
 *
 * Using a pool after dbg_destroy: the pool and its region are gone.  A
 * block pointer then points into unmapped memory, so any access faults
 * at once (SIGSEGV at that address) instead of corrupting something
 * else; a call with the pool handle is a use after free of the handle,
 * which an ASan build reports as such.
 */
#ifndef DEBUGALLOC_H
#define DEBUGALLOC_H

#include <stddef.h>
#include <stdint.h>

#define DBG_ALIGN 16	     /* every payload is aligned to this */
#define DBG_MAGIC 0xdeb6a11cu /* the header's first and last 32 bits */
#define DBG_CANARY 0xfd	     /* the byte after every payload */
#define DBG_CANARY_MIN 16    /* canary bytes at least, after any payload */
#define DBG_ALLOC_FILL 0xcd  /* a new payload's bytes */
#define DBG_FREE_FILL 0xdd   /* a freed payload's bytes */
#define DBG_MAX_SIZE (1u << 20)

enum dbg_error {
	DBG_DOUBLE_FREE = 1, /* dbg_free of a block that is already free */
	DBG_FOREIGN,	     /* dbg_free of a pointer the pool never gave out */
	DBG_OVERFLOW,	     /* a canary after the payload was overwritten */
	DBG_BAD_HEADER,	     /* the header's magic was overwritten */
	DBG_WRITE_AFTER_FREE, /* a freed payload no longer holds the fill */
};

struct dbg_report {
	enum dbg_error error;
	const void *block; /* the pointer concerned, as the caller knows it */
	size_t size;	   /* its requested size, 0 when unknown */
};

typedef void (*dbg_report_fn)(const struct dbg_report *r, void *ctx);

struct dbg_pool; /* yours: defined in src/debugalloc.c */

/* A pool of nblocks blocks of up to max_size bytes each.  NULL when
 * max_size is 0 or above DBG_MAX_SIZE, nblocks is 0 or above 1 << 20, or
 * memory runs out.  Reports go to the default callback. */
struct dbg_pool *dbg_create(size_t max_size, size_t nblocks);

/* Send reports to fn(report, ctx) from now on; fn == NULL restores the
 * default (a line on stderr, then abort()). */
void dbg_set_reporter(struct dbg_pool *p, dbg_report_fn fn, void *ctx);

/* A payload of size bytes (1 <= size <= max_size), aligned to
 * DBG_ALIGN, filled with DBG_ALLOC_FILL and followed by canary bytes.
 * NULL when size is out of range or every block is in use.  Freed
 * blocks are reused oldest first (a quarantine: a stale pointer keeps
 * pointing at poisoned memory as long as possible); reusing one whose
 * fill changed reports DBG_WRITE_AFTER_FREE first. */
void *dbg_alloc(struct dbg_pool *p, size_t size);

/* Give a block back.  Checks, in this order: that block is a payload of
 * this pool (else DBG_FOREIGN), that its header is intact (else
 * DBG_BAD_HEADER), that it is allocated (else DBG_DOUBLE_FREE), that its
 * canary bytes are intact (else DBG_OVERFLOW).  On any report the block
 * stays as it was.  NULL is a no-op. */
void dbg_free(struct dbg_pool *p, void *block);

/* Walk every block: report a broken header, an allocated block's broken
 * canary (DBG_OVERFLOW) and a free block whose fill changed
 * (DBG_WRITE_AFTER_FREE).  Returns the number of reports made. */
size_t dbg_check(struct dbg_pool *p);

/* Blocks allocated now. */
size_t dbg_live(struct dbg_pool *p);

/* Release the pool and its region.  Returns the number of blocks that
 * were still allocated (leaks).  NULL is a no-op returning 0. */
size_t dbg_destroy(struct dbg_pool *p);

/* "double free", "foreign pointer", "overflow", "bad header",
 * "write after free"; "?" for anything else. */
const char *dbg_error_name(enum dbg_error e);

#endif
