/*
 * lfpool.c - task 5: a lock-free pool of nodes over a tagstack.
 */
#include "lfpool.h"

#include <errno.h>
#include <stdlib.h>

/* A chunk: a header, then its nodes.  Chunks are linked for destroy and
 * never freed before it, which is what makes reading a stale node's
 * next in tagstack_pop() safe. */
struct chunk {
	struct chunk *next;
	struct lf_node nodes[];
};

int lfpool_init(struct lfpool *p, size_t chunk_nodes)
{
	if (chunk_nodes == 0)
		return EINVAL;
	tagstack_init(&p->free);
	p->chunks = NULL;
	p->chunk_nodes = chunk_nodes;
	atomic_init(&p->made, 0);
	return pthread_mutex_init(&p->grow_lock, NULL);
}

void lfpool_destroy(struct lfpool *p)
{
	struct chunk *c = p->chunks, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	p->chunks = NULL;
	tagstack_init(&p->free);
	pthread_mutex_destroy(&p->grow_lock);
}

/* The slow path: a new chunk, its first node for the caller and the rest
 * pushed to the free list.  Under the lock, only one thread grows at a
 * time; one that waited finds the other's nodes and need not grow. */
static struct lf_node *grow(struct lfpool *p)
{
	struct lf_node *n;
	struct chunk *c;

	pthread_mutex_lock(&p->grow_lock);
	n = tagstack_pop(&p->free);
	if (n)
		goto out;
	c = malloc(sizeof *c + p->chunk_nodes * sizeof c->nodes[0]);
	if (!c) {
		errno = ENOMEM;
		goto out;
	}
	c->next = p->chunks;
	p->chunks = c;
	for (size_t i = 1; i < p->chunk_nodes; i++)
		tagstack_push(&p->free, &c->nodes[i]);
	atomic_fetch_add_explicit(&p->made, p->chunk_nodes, memory_order_relaxed);
	n = &c->nodes[0];
out:
	pthread_mutex_unlock(&p->grow_lock);
	return n;
}

struct lf_node *lfpool_get(struct lfpool *p)
{
	struct lf_node *n = tagstack_pop(&p->free);

	return n ? n : grow(p);
}

void lfpool_put(struct lfpool *p, struct lf_node *n)
{
	tagstack_push(&p->free, n);
}

size_t lfpool_made(struct lfpool *p)
{
	return atomic_load_explicit(&p->made, memory_order_relaxed);
}
