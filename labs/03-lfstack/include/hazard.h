/*
 * hazard.h - task 4, part 1: hazard pointers, for freeing popped nodes.
 *
 * A popped node cannot simply be freed: another thread may have read
 * its address from `top` a moment ago and be about to read its `next`.
 * Hazard pointers make that thread say so first.  Each thread owns a
 * record with HP_SLOTS slots; before it dereferences a shared pointer
 * it publishes the pointer in a slot, then checks that the pointer is
 * still reachable (top still holds it).  A node that is removed is not
 * freed but *retired* to the remover's private list; when the list
 * reaches the domain's threshold, the remover scans every record's slots
 * and frees exactly the retired nodes that no slot holds.
 *
 *   records:  T0 [ A  | -- ]     T1 [ -- | -- ]     T2 [ D  | -- ]
 *   T1 retired: A B C D   --scan-->  free B, C;  keep A, D
 *
 * A retired list never holds more than HP_RETIRE_MAX nodes: after a scan
 * at most HP_SLOTS * HP_MAX_THREADS of them can still be protected.
 */
#ifndef HAZARD_H
#define HAZARD_H

#include "lf_node.h"

#include <stdbool.h>
#include <stddef.h>

#define HP_SLOTS       2  /* hazard slots per thread */
#define HP_MAX_THREADS 16 /* records in a domain */
#define HP_RETIRE_MAX  64 /* > HP_SLOTS * HP_MAX_THREADS, so a scan frees */

/* One thread's record.  Padded to a cache line of its own: the slots
 * are written on every operation, and only by their owner. */
struct hp_record {
	_Alignas(64) _Atomic(void *) slot[HP_SLOTS]; /* read by every scan */
	atomic_bool in_use;           /* claimed by a thread (hp_enter) */
	struct hp_domain *domain;
	void *retired[HP_RETIRE_MAX]; /* private to the owner */
	size_t nretired;
};

struct hp_domain {
	struct hp_record rec[HP_MAX_THREADS];
	size_t threshold;                 /* scan when nretired reaches it */
	void (*free_fn)(void *p, void *arg); /* how a node is freed */
	void *free_arg;
	/* Fired by hp_protect() between its load of *src and the store
	 * that publishes the loaded pointer, once per attempt. */
	struct lf_hook before_publish;
};

/*
 * Prepare d: no record in use, no hook.  threshold is clamped to
 * 1..HP_RETIRE_MAX.  free_fn(p, arg) frees one retired node; NULL means
 * free(p).
 */
void hp_domain_init(struct hp_domain *d, size_t threshold,
		    void (*free_fn)(void *p, void *arg), void *arg);

/* Free every node still retired in any record.  No thread may be
 * using the domain. */
void hp_domain_destroy(struct hp_domain *d);

/* Claim a free record for the calling thread, slots cleared; NULL if all
 * HP_MAX_THREADS are taken.  A record left by hp_leave() may come back
 * with retired nodes of its previous owner still on its list. */
struct hp_record *hp_enter(struct hp_domain *d);

/* Clear r's slots, scan once, and give r back to the domain. */
void hp_leave(struct hp_record *r);

/*
 * Load the pointer *src, publish it in slot i, and return it once it is
 * safe: once *src still holds it after the publication.  From then on,
 * until slot i is cleared or reused, the node cannot be freed by any
 * scan.  Returns NULL (slot cleared) if *src is NULL.
 */
void *hp_protect(struct hp_record *r, int i, _Atomic(void *) *src);

/* Empty slot i. */
void hp_clear(struct hp_record *r, int i);

/* p has been unlinked and no new reference to it can be made: free it
 * once no slot holds it.  Scans when the list reaches the threshold. */
void hp_retire(struct hp_record *r, void *p);

/* Free the retired nodes of r that no slot in the domain holds. */
void hp_scan(struct hp_record *r);

/* How many nodes r has retired and not yet freed. */
size_t hp_retired_count(const struct hp_record *r);

#endif
