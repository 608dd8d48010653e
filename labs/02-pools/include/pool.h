/*
 * pool.h - a fixed-size block pool (task 1).
 *
 * A pool hands out blocks of one size, fixed when the pool is created.
 * It gets memory from the kernel in large chunks (mmap), carves them into
 * blocks, and keeps the blocks that are free on a singly linked list
 * threaded through the free blocks themselves: a free block's first
 * bytes hold the address of the next free block, so the list costs no
 * memory of its own.  pool_alloc() pops the head of that list and
 * pool_free() pushes onto it: both O(1), no search, no locks.
 *
 *   chunk:  [hdr][ used ][ free ][ used ][ free ][ free ]...
 *                           |               ^  |     ^
 *   head ------------------'                |  '-----'
 *                                           '-- next
 *
 * Blocks are never given back to the kernel one by one: memory returns
 * only when the pool is destroyed, all of it at once.
 *
 * Not thread-safe: one pool, one thread at a time (a caller that shares
 * a pool must lock around it).
 */
#ifndef POOL_H
#define POOL_H

#include <stddef.h>

/* Every block's address is a multiple of POOL_ALIGN. */
#define POOL_ALIGN 16

/* The largest block size pool_create() accepts. */
#define POOL_MAX_BLOCK ((size_t)1 << 20)

/* Chunks are mmap'd POOL_CHUNK bytes at a time, or more when a block is
 * so large that fewer than 8 would fit: then a chunk holds 8 blocks
 * (rounded up to whole pages). */
#define POOL_CHUNK ((size_t)64 << 10)

struct pool; /* yours: defined in src/pool.c */

/*
 * A new, empty pool of blocks of at least `size` bytes each.  The block
 * size is `size` rounded up to a multiple of POOL_ALIGN (so size 1 and
 * size 16 both give 16-byte blocks); pool_block_size() tells it.  The
 * pool maps no chunk yet: its footprint starts at 0.
 *
 * Returns NULL, with errno set, when
 *   size == 0                 EINVAL (a pool of nothing)
 *   size > POOL_MAX_BLOCK     EINVAL, SIZE_MAX included: the rounding up
 *                             must not wrap around into a small size
 *   memory runs out           ENOMEM
 */
struct pool *pool_create(size_t size);

/*
 * A free block of pool_block_size(p) bytes, aligned to POOL_ALIGN, whose
 * contents are unspecified (a freed block comes back with the free list
 * link in its first bytes).  O(1): it takes the head of the free list;
 * when the list is empty it carves a block from the newest chunk, and
 * when that is used up it maps a new chunk first.
 *
 * Returns NULL, with errno ENOMEM, only when a new chunk is needed and
 * mmap fails.  The pool is unchanged then.
 */
void *pool_alloc(struct pool *p);

/*
 * Give block b back to p: it goes on the free list and is handed out
 * again by a later pool_alloc().  O(1).  b == NULL is a no-op, like
 * free(NULL).  b must be a block pool_alloc(p) returned and not yet
 * freed; anything else (a block of another pool, a double free) is
 * undefined behaviour that the pool does not detect.
 */
void pool_free(struct pool *p, void *b);

/* The size of p's blocks: the size given to pool_create(), rounded up
 * to a multiple of POOL_ALIGN. */
size_t pool_block_size(const struct pool *p);

/*
 * Bytes p has mapped from the kernel and not unmapped: the sum of the
 * lengths of its chunks (the struct pool itself, from malloc, is not
 * counted).  A multiple of the page size; 0 for a new pool.  A loop
 * that allocates and frees the same number of blocks must not make it
 * grow after the first round: freed blocks are reused.
 */
size_t pool_footprint(const struct pool *p);

/*
 * Bytes mapped by all pools of this process together, now: what every
 * pool_create()d pool's footprint adds up to.  When the last pool is
 * destroyed it is 0 again.  Safe to call from any thread.
 */
size_t pool_mapped_total(void);

/*
 * Unmap every chunk of p and free p itself, whether or not its blocks
 * were freed: every block of p is invalid afterwards.  NULL is a no-op.
 */
void pool_destroy(struct pool *p);

#endif
