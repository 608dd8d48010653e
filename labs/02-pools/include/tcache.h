/*
 * tcache.h - a fixed-size block pool with a cache per thread in front of
 * it (task 4), and its statistics (task 5).
 *
 * A pool shared by many threads needs a lock, and a lock taken on every
 * allocation is a line every core fights over.  So each thread keeps a
 * small stack of free blocks of its own and takes the lock only when
 * that stack is empty (refill a batch) or too full (spill a batch):
 *
 *	thread A        thread B        thread C
 *	[cache: 5]      [cache: 0]      [cache: 12]     no lock, no sharing
 *	     \              |               /
 *	      +-------------+--------------+            batches, under the
 *	      |  shared free list + chunks |            pool's mutex
 *	      +----------------------------+
 *	               mmap'd chunks
 *
 * glibc's tcache, tcmalloc's per-thread caches and Go's per-P mcache
 * are this idea.  A cache holds at most `cache_cap` blocks, and a thread
 * gives its cache back when it exits (a pthread key destructor) or when
 * it calls tc_flush().
 *
 * Bad input (freeing a block this pool did not hand out, freeing twice,
 * using a pool after tc_destroy) is undefined behaviour, as with free():
 * this allocator is built for speed and checks nothing.  The debug
 * allocator of task 6 (debugalloc.h) is the one that checks.
 */
#ifndef TCACHE_H
#define TCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Every block is aligned to TC_ALIGN bytes; block sizes are rounded up
 * to a multiple of it. */
#define TC_ALIGN 16
/* Largest block size tc_create accepts. */
#define TC_MAX_BLOCK 65536
/* Largest per-thread cache bound tc_create accepts. */
#define TC_MAX_CACHE 4096

struct tc_pool; /* yours: defined in src/tcache.c */

/* A pool of blocks of block_size bytes (rounded up to TC_ALIGN), where a
 * thread's cache holds at most cache_cap free blocks.  NULL when
 * block_size is 0 or above TC_MAX_BLOCK, cache_cap is 0 or above
 * TC_MAX_CACHE, or memory runs out. */
struct tc_pool *tc_create(size_t block_size, size_t cache_cap);

/* A block of the pool's block size, aligned to TC_ALIGN; NULL when the
 * system has no memory left.  Safe from any number of threads. */
void *tc_alloc(struct tc_pool *p);

/* Give back a block that tc_alloc of this pool returned, from any
 * thread (not necessarily the one that allocated it).  NULL is a no-op. */
void tc_free(struct tc_pool *p, void *block);

/* Move every block of the calling thread's cache back to the shared
 * pool.  A thread that exits does this by itself. */
void tc_flush(struct tc_pool *p);

/* Free blocks in the calling thread's cache now (0 if it has none);
 * never more than cache_cap. */
size_t tc_cached(struct tc_pool *p);

/* Free blocks on the shared free list now (not in any cache). */
size_t tc_shared_free(struct tc_pool *p);

/* Release everything the pool holds: chunks, caches, the pool itself.
 * Every thread that used the pool must have exited or stopped using it;
 * blocks still allocated become invalid.  NULL is a no-op. */
void tc_destroy(struct tc_pool *p);

/*
 * Statistics (task 5).  Counted since tc_create, by every thread,
 * including threads that have exited.  Safe to read while other threads
 * allocate: each field is then a value it had during the call.
 */
struct tc_stats {
	uint64_t allocs;       /* successful tc_alloc calls */
	uint64_t frees;	       /* tc_free calls with a non-NULL block */
	uint64_t cache_hits;   /* tc_alloc calls served from the cache */
	uint64_t cache_misses; /* tc_alloc calls that went to the pool */
	uint64_t bytes_in_use; /* (allocs - frees) * block size */
	uint64_t peak_bytes;   /* the highest bytes_in_use ever reached */
	uint64_t footprint;    /* bytes mapped from the system for blocks */
	double hit_rate;       /* cache_hits / allocs, 0 when allocs == 0 */
};

/* Fill *out with the pool's statistics. */
void tc_get_stats(struct tc_pool *p, struct tc_stats *out);

/* Print the statistics to f, one `name: value` per line, in this order
 * and with these names:
 *	allocs: 10
 *	frees: 4
 *	bytes_in_use: 384
 *	peak_bytes: 512
 *	cache_hits: 7
 *	cache_misses: 3
 *	hit_rate: 70.0%
 *	footprint: 65536
 * (hit_rate with one decimal and a percent sign).  Returns 0, or -1 if
 * writing failed. */
int tc_print_stats(struct tc_pool *p, FILE *f);

#endif
