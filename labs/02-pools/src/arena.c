/*
 * arena.c - task 3: an arena (stack) allocator with markers.  Yours to
 * write.
 *
 * Read include/arena.h first.  A chain of mmap'd blocks, a bump offset
 * into the newest, markers to roll back to.  Delete each TODO() as you
 * implement it.
 */
#include "arena.h"
#include "wb/todo.h"

/* Your design: what an arena holds.  This placeholder only lets the
 * skeleton compile. */
struct arena {
	size_t top;
};

struct arena *arena_create(size_t block_size)
{
	(void)block_size;
	TODO();
}

void *arena_alloc(struct arena *a, size_t n, size_t align)
{
	(void)a;
	(void)n;
	(void)align;
	TODO();
}

struct arena_marker arena_mark(const struct arena *a)
{
	(void)a;
	TODO();
}

void arena_rollback(struct arena *a, struct arena_marker m)
{
	(void)a;
	(void)m;
	TODO();
}

void arena_reset(struct arena *a)
{
	(void)a;
	TODO();
}

size_t arena_used(const struct arena *a)
{
	(void)a;
	TODO();
}

size_t arena_footprint(const struct arena *a)
{
	(void)a;
	TODO();
}

size_t arena_mapped_total(void)
{
	TODO();
}

void arena_destroy(struct arena *a)
{
	(void)a;
	TODO();
}
