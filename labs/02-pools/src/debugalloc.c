/*
 * debugalloc.c - task 6: a debug allocator.  Yours to write.
 *
 * Read include/debugalloc.h first.  In an AddressSanitizer build,
 * __SANITIZE_ADDRESS__ is defined and <sanitizer/asan_interface.h>
 * gives ASAN_POISON_MEMORY_REGION and ASAN_UNPOISON_MEMORY_REGION.
 * Delete each TODO() as you implement it.
 */
#include "debugalloc.h"
#include "wb/todo.h"

/* Your design: the region, the slot size, the free slots, the report
 * callback.  This placeholder only lets the skeleton compile. */
struct dbg_pool {
	size_t nblocks;
};

struct dbg_pool *dbg_create(size_t max_size, size_t nblocks)
{
	(void)max_size;
	(void)nblocks;
	TODO();
}

void dbg_set_reporter(struct dbg_pool *p, dbg_report_fn fn, void *ctx)
{
	(void)p;
	(void)fn;
	(void)ctx;
	TODO();
}

void *dbg_alloc(struct dbg_pool *p, size_t size)
{
	(void)p;
	(void)size;
	TODO();
}

void dbg_free(struct dbg_pool *p, void *block)
{
	(void)p;
	(void)block;
	TODO();
}

size_t dbg_check(struct dbg_pool *p)
{
	(void)p;
	TODO();
}

size_t dbg_live(struct dbg_pool *p)
{
	(void)p;
	TODO();
}

size_t dbg_destroy(struct dbg_pool *p)
{
	(void)p;
	TODO();
}

const char *dbg_error_name(enum dbg_error e)
{
	(void)e;
	TODO();
}
