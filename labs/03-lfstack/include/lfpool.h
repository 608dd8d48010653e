/*
 * lfpool.h - task 5: a lock-free pool of nodes.
 *
 * Recycling nodes instead of calling malloc and free on every push and
 * pop: the free nodes wait on a tagstack (task 3), which is safe against
 * ABA, and memory is never returned while the pool lives, so a thread
 * that reads the next of a node that was just taken reads valid memory
 * (type-stable memory: a node stays a node).  Only when the free list is
 * empty does lfpool_get() take the slow path: it allocates a chunk of
 * nodes under a mutex, gives one to the caller and pushes the others.
 *
 *   chunks:  [hdr| n n n n n n n n]  ->  [hdr| n n n n n n n n]  -> NULL
 *   free:    tagstack of the nodes nobody holds
 */
#ifndef LFPOOL_H
#define LFPOOL_H

#include "tagstack.h"

#include <pthread.h>
#include <stddef.h>

struct lfpool {
	struct tagstack free;         /* nodes nobody holds */
	pthread_mutex_t grow_lock;    /* serialises the slow path */
	void *chunks;                 /* your chunk list, under grow_lock */
	size_t chunk_nodes;           /* nodes per chunk */
	_Atomic size_t made;          /* nodes in all chunks so far */
};

/* An empty pool whose chunks hold chunk_nodes nodes (at least 1).
 * Allocates nothing yet.  0, or EINVAL for chunk_nodes == 0, or an errno
 * value from the mutex. */
int lfpool_init(struct lfpool *p, size_t chunk_nodes);

/* Free every chunk.  No thread may be using the pool, and nodes taken
 * from it become invalid. */
void lfpool_destroy(struct lfpool *p);

/* A node nobody else holds, its fields unspecified; NULL with errno
 * ENOMEM when a new chunk was needed and could not be had.  Lock-free
 * unless the free list is empty. */
struct lf_node *lfpool_get(struct lfpool *p);

/* Give n, which came from lfpool_get(p), back.  Lock-free. */
void lfpool_put(struct lfpool *p, struct lf_node *n);

/* Nodes made so far (held or free). */
size_t lfpool_made(struct lfpool *p);

#endif
