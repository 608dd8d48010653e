/*
 * tcache.c - task 4 (a per-thread cache in front of a shared pool) and
 * task 5 (its statistics).  Reference solution.
 *
 * The shared pool is a mutex-protected free list of blocks, fed by
 * chunks mapped from the system and carved lazily with a bump pointer.
 * Each thread finds its cache through a pthread key of the pool; the
 * key's destructor hands the cache back when the thread exits.  Blocks
 * move between a cache and the pool in batches of half the cache bound,
 * so a thread that allocates and frees in a steady rhythm takes the lock
 * once per batch, not once per call.
 *
 *	free, cache full:    [cap] --- cap/2 blocks ---> shared list
 *	alloc, cache empty:  [ 0 ] <-- cap/2 blocks ---- shared list/chunk
 *
 * Statistics: the counters that change on every call (allocs, frees,
 * hits) are per thread, in the cache, with one writer each, and summed
 * on read; a thread's counters are folded into the pool's when it
 * exits.  The in-use gauge and its peak need one order over all
 * threads' calls, so they are shared atomics.
 */
#include "tcache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>

/* A free block holds the link to the next one; in use, it is all payload. */
struct tc_block {
	struct tc_block *next;
};

/* A chunk of blocks from mmap; its first TC_ALIGN bytes are this header. */
struct tc_chunk {
	struct tc_chunk *next;
	size_t bytes;
};

struct tc_cache {
	struct tc_pool *pool;
	struct tc_block *head; /* free blocks, a LIFO stack */
	size_t count;
	struct tc_cache *prev, *next; /* the pool's list of caches (locked) */
	/* Written only by the owning thread, read by tc_get_stats. */
	_Atomic uint64_t allocs, frees, hits;
};

struct tc_pool {
	size_t block_size; /* rounded up to TC_ALIGN */
	size_t cache_cap;
	size_t batch; /* blocks moved per refill or spill */
	size_t chunk_bytes;
	pthread_key_t key;

	pthread_mutex_t lock; /* everything down to `retired_*` */
	struct tc_block *shared;
	size_t shared_count;
	struct tc_chunk *chunks;
	char *bump, *bump_end; /* uncarved part of the newest chunk */
	struct tc_cache *caches;
	/* Counters of threads that exited, and of calls made without a
	 * cache (its malloc failed). */
	uint64_t retired_allocs, retired_frees, retired_hits;

	_Atomic uint64_t in_use; /* bytes */
	_Atomic uint64_t peak;
	_Atomic uint64_t footprint;
};

_Static_assert(sizeof(struct tc_chunk) <= TC_ALIGN, "chunk header too big");

/* One writer: a relaxed load and store cannot lose an update, and the
 * reader sees a whole value, not a torn one. */
static void bump_counter(_Atomic uint64_t *c)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + 1,
			      memory_order_relaxed);
}

static void return_all_locked(struct tc_pool *p, struct tc_cache *c)
{
	while (c->head) {
		struct tc_block *b = c->head;

		c->head = b->next;
		b->next = p->shared;
		p->shared = b;
	}
	p->shared_count += c->count;
	c->count = 0;
}

/* The key's destructor: the thread is exiting, its cache goes back. */
static void cache_release(void *arg)
{
	struct tc_cache *c = arg;
	struct tc_pool *p = c->pool;

	pthread_mutex_lock(&p->lock);
	return_all_locked(p, c);
	p->retired_allocs += atomic_load_explicit(&c->allocs, memory_order_relaxed);
	p->retired_frees += atomic_load_explicit(&c->frees, memory_order_relaxed);
	p->retired_hits += atomic_load_explicit(&c->hits, memory_order_relaxed);
	if (c->prev)
		c->prev->next = c->next;
	else
		p->caches = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&p->lock);
	free(c);
}

static struct tc_cache *my_cache(struct tc_pool *p, bool create)
{
	struct tc_cache *c = pthread_getspecific(p->key);

	if (c || !create)
		return c;
	c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->pool = p;
	if (pthread_setspecific(p->key, c) != 0) {
		free(c);
		return NULL;
	}
	pthread_mutex_lock(&p->lock);
	c->next = p->caches;
	if (p->caches)
		p->caches->prev = c;
	p->caches = c;
	pthread_mutex_unlock(&p->lock);
	return c;
}

struct tc_pool *tc_create(size_t block_size, size_t cache_cap)
{
	if (block_size == 0 || block_size > TC_MAX_BLOCK || cache_cap == 0 ||
	    cache_cap > TC_MAX_CACHE)
		return NULL;

	struct tc_pool *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->block_size = (block_size + TC_ALIGN - 1) & ~(size_t)(TC_ALIGN - 1);
	p->cache_cap = cache_cap;
	p->batch = cache_cap / 2 ? cache_cap / 2 : 1;
	/* At least 64 blocks or 64 KiB per chunk, whole pages. */
	size_t want = TC_ALIGN + 64 * p->block_size;
	if (want < 65536)
		want = 65536;
	p->chunk_bytes = (want + 4095) & ~(size_t)4095;
	if (pthread_key_create(&p->key, cache_release) != 0) {
		free(p);
		return NULL;
	}
	if (pthread_mutex_init(&p->lock, NULL) != 0) {
		pthread_key_delete(p->key);
		free(p);
		return NULL;
	}
	return p;
}

/* One block from the shared list, or carved from a chunk; NULL when the
 * system is out of memory.  Called with the lock held. */
static struct tc_block *take_locked(struct tc_pool *p)
{
	struct tc_block *b = p->shared;

	if (b) {
		p->shared = b->next;
		p->shared_count--;
		return b;
	}
	if ((size_t)(p->bump_end - p->bump) < p->block_size) {
		void *m = mmap(NULL, p->chunk_bytes, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			return NULL;
		struct tc_chunk *ch = m;
		ch->bytes = p->chunk_bytes;
		ch->next = p->chunks;
		p->chunks = ch;
		p->bump = (char *)m + TC_ALIGN;
		p->bump_end = (char *)m + p->chunk_bytes;
		atomic_fetch_add_explicit(&p->footprint, p->chunk_bytes,
					  memory_order_relaxed);
	}
	b = (struct tc_block *)p->bump;
	p->bump += p->block_size;
	return b;
}

static void note_alloc(struct tc_pool *p)
{
	uint64_t now = atomic_fetch_add_explicit(&p->in_use, p->block_size,
						 memory_order_relaxed) +
		       p->block_size;
	uint64_t peak = atomic_load_explicit(&p->peak, memory_order_relaxed);

	while (now > peak &&
	       !atomic_compare_exchange_weak_explicit(&p->peak, &peak, now,
						      memory_order_relaxed,
						      memory_order_relaxed))
		;
}

void *tc_alloc(struct tc_pool *p)
{
	struct tc_cache *c = my_cache(p, true);
	struct tc_block *b;

	if (c && c->head) { /* the fast path: no lock, no shared line */
		b = c->head;
		c->head = b->next;
		c->count--;
		bump_counter(&c->allocs);
		bump_counter(&c->hits);
		note_alloc(p);
		return b;
	}

	pthread_mutex_lock(&p->lock);
	b = take_locked(p);
	if (b && c) {
		/* Refill: a batch for the calls to come. */
		for (size_t i = 1; i < p->batch; i++) {
			struct tc_block *x = take_locked(p);

			if (!x)
				break;
			x->next = c->head;
			c->head = x;
			c->count++;
		}
	} else if (b) {
		p->retired_allocs++;
	}
	pthread_mutex_unlock(&p->lock);
	if (!b)
		return NULL;
	if (c)
		bump_counter(&c->allocs);
	note_alloc(p);
	return b;
}

void tc_free(struct tc_pool *p, void *block)
{
	if (!block)
		return;

	struct tc_cache *c = my_cache(p, true);
	struct tc_block *b = block;

	atomic_fetch_sub_explicit(&p->in_use, p->block_size, memory_order_relaxed);
	if (!c) {
		pthread_mutex_lock(&p->lock);
		b->next = p->shared;
		p->shared = b;
		p->shared_count++;
		p->retired_frees++;
		pthread_mutex_unlock(&p->lock);
		return;
	}
	bump_counter(&c->frees);
	if (c->count == p->cache_cap) {
		/* Full: spill a batch, keeping the most recently freed
		 * (warmest) blocks at the top of the stack. */
		pthread_mutex_lock(&p->lock);
		for (size_t i = 0; i < p->batch; i++) {
			struct tc_block *x = c->head;

			c->head = x->next;
			x->next = p->shared;
			p->shared = x;
		}
		p->shared_count += p->batch;
		pthread_mutex_unlock(&p->lock);
		c->count -= p->batch;
	}
	b->next = c->head;
	c->head = b;
	c->count++;
}

void tc_flush(struct tc_pool *p)
{
	struct tc_cache *c = my_cache(p, false);

	if (!c || c->count == 0)
		return;
	pthread_mutex_lock(&p->lock);
	return_all_locked(p, c);
	pthread_mutex_unlock(&p->lock);
}

size_t tc_cached(struct tc_pool *p)
{
	struct tc_cache *c = my_cache(p, false);

	return c ? c->count : 0;
}

size_t tc_shared_free(struct tc_pool *p)
{
	pthread_mutex_lock(&p->lock);
	size_t n = p->shared_count;
	pthread_mutex_unlock(&p->lock);
	return n;
}

void tc_destroy(struct tc_pool *p)
{
	if (!p)
		return;
	/* No destructor runs for this key any more, so free every cache
	 * here, the calling thread's included. */
	pthread_key_delete(p->key);
	while (p->caches) {
		struct tc_cache *c = p->caches;

		p->caches = c->next;
		free(c);
	}
	while (p->chunks) {
		struct tc_chunk *ch = p->chunks;

		p->chunks = ch->next;
		munmap(ch, ch->bytes);
	}
	pthread_mutex_destroy(&p->lock);
	free(p);
}

void tc_get_stats(struct tc_pool *p, struct tc_stats *out)
{
	uint64_t allocs, frees, hits;

	pthread_mutex_lock(&p->lock); /* keeps the list of caches still */
	allocs = p->retired_allocs;
	frees = p->retired_frees;
	hits = p->retired_hits;
	for (struct tc_cache *c = p->caches; c; c = c->next) {
		allocs += atomic_load_explicit(&c->allocs, memory_order_relaxed);
		frees += atomic_load_explicit(&c->frees, memory_order_relaxed);
		hits += atomic_load_explicit(&c->hits, memory_order_relaxed);
	}
	pthread_mutex_unlock(&p->lock);

	out->allocs = allocs;
	out->frees = frees;
	out->cache_hits = hits;
	out->cache_misses = allocs - hits;
	out->bytes_in_use = atomic_load_explicit(&p->in_use, memory_order_relaxed);
	out->peak_bytes = atomic_load_explicit(&p->peak, memory_order_relaxed);
	out->footprint = atomic_load_explicit(&p->footprint, memory_order_relaxed);
	out->hit_rate = allocs ? (double)hits / (double)allocs : 0.0;
}

int tc_print_stats(struct tc_pool *p, FILE *f)
{
	struct tc_stats s;

	tc_get_stats(p, &s);
	int n = fprintf(f,
			"allocs: %llu\nfrees: %llu\nbytes_in_use: %llu\n"
			"peak_bytes: %llu\ncache_hits: %llu\ncache_misses: %llu\n"
			"hit_rate: %.1f%%\nfootprint: %llu\n",
			(unsigned long long)s.allocs, (unsigned long long)s.frees,
			(unsigned long long)s.bytes_in_use,
			(unsigned long long)s.peak_bytes,
			(unsigned long long)s.cache_hits,
			(unsigned long long)s.cache_misses, 100.0 * s.hit_rate,
			(unsigned long long)s.footprint);
	return n < 0 ? -1 : 0;
}
