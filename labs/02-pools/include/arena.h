/*
 * arena.h - an arena (stack) allocator with markers (task 3).
 *
 * An arena hands out memory by bumping an offset: an allocation is an
 * alignment round-up, a comparison and an addition.  Nothing is freed
 * one object at a time.  Instead you take a *marker* (the current
 * position), allocate, and later roll back to the marker, which frees
 * everything allocated since in one step; arena_reset() rolls back to
 * the very beginning.  Perfect for memory whose lifetime is a phase: a
 * request, a frame, a parse.
 *
 *   block:  [hdr][ a ][b][pad][  c  ][          free          ]
 *                            ^                  ^
 *                          marker m            top
 *   arena_rollback(a, m): top = m, and c is gone.
 *
 * When the current block has no room left the arena *grows*: it maps a
 * new block with mmap and chains it to the previous one, so allocation
 * fails only when mmap does.  Rolling back past a block boundary unmaps
 * the blocks that were chained after the marker.
 *
 * Not thread-safe: one arena, one thread at a time.
 */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

/* The alignment to use when you have no other: enough for any type
 * (alignof(max_align_t) on x86-64). */
#define ARENA_ALIGN 16

/* The largest alignment arena_alloc() accepts: one page. */
#define ARENA_MAX_ALIGN ((size_t)4096)

/* The block size arena_create(0) picks. */
#define ARENA_DEFAULT_BLOCK ((size_t)64 << 10)

struct arena; /* yours: defined in src/arena.c */

/* A position in an arena, from arena_mark().  Plain data: copy it,
 * keep it on the stack. */
struct arena_marker {
	void *block; /* the block that was current */
	size_t top;  /* its offset of the first free byte */
};

/*
 * A new arena whose blocks are `block_size` bytes (rounded up to whole
 * pages; 0 means ARENA_DEFAULT_BLOCK).  The first block is mapped now,
 * so a new arena's footprint is one block.  A block holds a small
 * header, so slightly less than block_size is usable in it.
 * Returns NULL, with errno set, when block_size is over PTRDIFF_MAX / 2
 * (EINVAL) or memory runs out (ENOMEM).
 */
struct arena *arena_create(size_t block_size);

/*
 * n bytes whose address is a multiple of align, from the current
 * block; contents unspecified.  align must be a power of two from 1 to
 * ARENA_MAX_ALIGN (ARENA_ALIGN is the usual choice).
 *
 * Overflow: when the current block lacks room, a new block is mapped and
 * chained (of the arena's block size, or larger if n needs it: a
 * request bigger than a block gets a block of its own) and the rest of
 * the old block is left unused.
 *
 * Returns NULL, and leaves the arena exactly as it was, when
 *   n == 0                          EINVAL: nothing to hand out
 *   align is 0, not a power of two
 *   or above ARENA_MAX_ALIGN        EINVAL
 *   n > PTRDIFF_MAX (SIZE_MAX too)  ENOMEM: no block can hold it; the
 *                                   room check must not wrap around
 *   mmap fails                      ENOMEM
 */
void *arena_alloc(struct arena *a, size_t n, size_t align);

/* The current position, to roll back to later. */
struct arena_marker arena_mark(const struct arena *a);

/*
 * Free everything allocated since m was taken: the next allocation
 * starts where the first allocation after arena_mark() did, blocks
 * chained since then are unmapped, and the footprint is what it was
 * at the mark.  Memory allocated before the mark is untouched.
 * Markers nest like a stack: rolling back to m invalidates markers
 * taken after m (using one is undefined); m itself stays valid, and
 * so do older markers.  arena_reset() invalidates all markers.
 */
void arena_rollback(struct arena *a, struct arena_marker m);

/* Free everything: keep the first block, unmap the others, and start
 * again at its beginning. */
void arena_reset(struct arena *a);

/* Bytes in use since creation or the last reset: in each block, from
 * the start of its usable area to its top, so the requests plus their
 * alignment padding (the tail of a block left behind on overflow is not
 * counted).  0 for a new or reset arena. */
size_t arena_used(const struct arena *a);

/* Bytes the arena has mapped now: the lengths of its blocks.  A page
 * multiple, never 0 for a live arena. */
size_t arena_footprint(const struct arena *a);

/* Bytes mapped by all arenas of this process together, now; 0 when all
 * are destroyed.  Safe to call from any thread. */
size_t arena_mapped_total(void);

/* Unmap every block and free a.  NULL is a no-op. */
void arena_destroy(struct arena *a);

#endif
