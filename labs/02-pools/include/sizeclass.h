/*
 * sizeclass.h - a size-class allocator (task 2).
 *
 * A fixed-size pool is perfect when every object has the same size.  A
 * general allocator serves many sizes, and a pool per exact size would
 * mean thousands of half-empty pools.  So round each request up to one
 * of a few dozen *size classes* and keep one pool per class, the design
 * of tcmalloc, jemalloc's small bins and Go's runtime:
 *
 *   request  1..16 -> class 16      request 129..144 -> class 144
 *           17..32 -> class 32              ...
 *                ...                request 257..288 -> class 288
 *
 * The classes are spaced so that rounding up wastes little:
 *
 *   up to 128 bytes   every multiple of 16 (the alignment allows no finer
 *                     step), so the waste is under 16 bytes;
 *   above 128         8 classes per power of two: between 2^k and 2^(k+1)
 *                     the step is 2^k / 8, so the waste is under 1/8 of
 *                     the class size (12.5%).
 *
 * which gives 16, 32, ..., 128, 144, ..., 256, 288, ..., 512, 576, ...,
 * up to SC_MAX_SMALL.  Larger requests go to mmap directly, one mapping
 * each.
 *
 * Frees are *sized*: the caller passes the size it asked for, as with
 * C23's free_sized() and C++'s sized delete, so the allocator needs no
 * header per block to find its class.
 *
 * Not thread-safe: one allocator, one thread at a time.
 */
#ifndef SIZECLASS_H
#define SIZECLASS_H

#include <stddef.h>

/* Every block's address is a multiple of SC_ALIGN, and every class size
 * a multiple of it. */
#define SC_ALIGN 16

/* The largest class.  Larger requests are served by mmap directly. */
#define SC_MAX_SMALL ((size_t)32 << 10)

/* No table has more classes than this (the reference has 72). */
#define SC_MAX_CLASSES 128

/* Small blocks are carved from chunks of SC_CHUNK bytes, or of 8 blocks
 * (rounded up to whole pages) for classes too large for that. */
#define SC_CHUNK ((size_t)64 << 10)

struct sc; /* yours: defined in src/sizeclass.c */

/*
 * The class table, smallest first, strictly increasing, every entry a
 * multiple of SC_ALIGN, the first SC_ALIGN and the last SC_MAX_SMALL.
 * Stores the number of classes (at most SC_MAX_CLASSES) in *count.  The
 * table is the same for every allocator and lives as long as the
 * program.
 */
const size_t *sc_classes(size_t *count);

/*
 * The class size a request of n bytes is served from: the smallest
 * class >= n.  n == 0 is served like n == 1 (the smallest class).
 * Returns 0 when n > SC_MAX_SMALL: such a request is not served from a
 * class but by mmap.  O(1): no search of the table.
 */
size_t sc_class_size(size_t n);

/* A new allocator with empty pools; it maps nothing yet.  NULL (errno
 * ENOMEM) when memory runs out. */
struct sc *sc_create(void);

/*
 * A block of at least n bytes, aligned to SC_ALIGN, contents
 * unspecified.
 *   n <= SC_MAX_SMALL   from the pool of class sc_class_size(n); O(1)
 *   n == 0              like n == 1: a unique block, to be freed with
 *                       sc_free(a, p, 0)
 *   n >  SC_MAX_SMALL   its own mapping from mmap (a page multiple)
 * Returns NULL with errno ENOMEM when memory runs out, and for requests
 * no mapping can hold (n > PTRDIFF_MAX, SIZE_MAX included: rounding it
 * up must not wrap into a small request).  Nothing changes then: the
 * footprint and the statistics are as before.
 */
void *sc_alloc(struct sc *a, size_t n);

/*
 * Free block p, which sc_alloc(a, n) returned, passing the same n.  A
 * small block goes back on its class's free list; a large one is
 * unmapped at once.  p == NULL is a no-op whatever n is.  A wrong n, a
 * block of another allocator or a double free is undefined behaviour
 * that is not detected.
 */
void sc_free(struct sc *a, void *p, size_t n);

/* Internal fragmentation, measured: the blocks live now (allocated and
 * not yet freed). */
struct sc_stats {
	size_t live;	  /* blocks */
	size_t requested; /* bytes asked for: the sum of their n */
	size_t reserved;  /* bytes set aside for them: the class size for
			   * a small block, the length of its mapping for
			   * a large one */
};

/* Fill *st.  reserved - requested is the internal fragmentation; for a
 * small block it is under max(16, class / 8) bytes. */
void sc_stats(const struct sc *a, struct sc_stats *st);

/*
 * Bytes a has mapped from the kernel and not unmapped: its chunks plus
 * the mappings of its live large blocks.  A page multiple; 0 for a new
 * allocator.  Freeing a large block makes it drop at once; small
 * blocks are reused, so a loop of allocating and freeing the same sizes
 * does not make it grow after the first round.
 */
size_t sc_footprint(const struct sc *a);

/* Bytes mapped by all allocators of this process together, now; 0 when
 * every allocator has been destroyed.  Safe to call from any thread. */
size_t sc_mapped_total(void);

/* Unmap everything a mapped, small chunks and live large blocks alike,
 * and free a.  NULL is a no-op. */
void sc_destroy(struct sc *a);

#endif
