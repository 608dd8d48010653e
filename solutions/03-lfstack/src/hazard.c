/*
 * hazard.c - task 4: hazard pointers.
 *
 * The one ordering that matters most: a reader stores its hazard and
 * then loads *src again to validate; a remover unlinks the node and
 * later, in a scan, loads every hazard.  Each side does a store and
 * then a load of the other side's location, and with only acquire and
 * release both loads may see the old values (store-load reordering,
 * which x86 does too, through its store buffer): the reader would see
 * the node still linked and the scanner would see no hazard, and the
 * node would be freed under the reader.  Sequentially consistent
 * accesses on both sides forbid that outcome: one of the two loads must
 * see the other side's store.
 */
#include "hazard.h"

#include <stdlib.h>
#include <string.h>

static void free_node(struct hp_domain *d, void *p)
{
	if (d->free_fn)
		d->free_fn(p, d->free_arg);
	else
		free(p);
}

void hp_domain_init(struct hp_domain *d, size_t threshold,
		    void (*free_fn)(void *p, void *arg), void *arg)
{
	memset(d, 0, sizeof *d);
	for (int t = 0; t < HP_MAX_THREADS; t++) {
		for (int i = 0; i < HP_SLOTS; i++)
			atomic_init(&d->rec[t].slot[i], NULL);
		atomic_init(&d->rec[t].in_use, false);
		d->rec[t].domain = d;
	}
	if (threshold < 1)
		threshold = 1;
	d->threshold = threshold > HP_RETIRE_MAX ? HP_RETIRE_MAX : threshold;
	d->free_fn = free_fn;
	d->free_arg = arg;
}

void hp_domain_destroy(struct hp_domain *d)
{
	for (int t = 0; t < HP_MAX_THREADS; t++) {
		struct hp_record *r = &d->rec[t];

		for (size_t i = 0; i < r->nretired; i++)
			free_node(d, r->retired[i]);
		r->nretired = 0;
	}
}

struct hp_record *hp_enter(struct hp_domain *d)
{
	for (int t = 0; t < HP_MAX_THREADS; t++) {
		struct hp_record *r = &d->rec[t];
		bool no = false;

		/* Acquire: the retired list the last owner left is ours. */
		if (atomic_compare_exchange_strong_explicit(
			    &r->in_use, &no, true, memory_order_acquire,
			    memory_order_relaxed))
			return r;
	}
	return NULL;
}

void hp_leave(struct hp_record *r)
{
	for (int i = 0; i < HP_SLOTS; i++)
		hp_clear(r, i);
	hp_scan(r);
	/* Release: the next owner sees the retired list as we left it. */
	atomic_store_explicit(&r->in_use, false, memory_order_release);
}

void *hp_protect(struct hp_record *r, int i, _Atomic(void *) *src)
{
	void *p = atomic_load_explicit(src, memory_order_acquire);

	for (;;) {
		void *again;

		lf_hook_fire(&r->domain->before_publish);
		atomic_store_explicit(&r->slot[i], p, memory_order_seq_cst);
		/* Between our load and the store above, p may have been
		 * unlinked, retired and freed by a scan that did not yet see
		 * our hazard.  Only if *src still holds p now is it certain
		 * that any later scan will see the hazard. */
		again = atomic_load_explicit(src, memory_order_seq_cst);
		if (again == p)
			break;
		p = again;
	}
	if (!p)
		hp_clear(r, i);
	return p;
}

void hp_clear(struct hp_record *r, int i)
{
	/* Release: our reads of the node happen before a scan that sees
	 * the slot empty and frees it. */
	atomic_store_explicit(&r->slot[i], NULL, memory_order_release);
}

void hp_retire(struct hp_record *r, void *p)
{
	r->retired[r->nretired++] = p;
	if (r->nretired >= r->domain->threshold)
		hp_scan(r);
}

/* Is p in any slot of the domain?  A linear pass: HP_SLOTS *
 * HP_MAX_THREADS is 32 words, a few cache lines, cheaper to read than a
 * hash set is to build at this size. */
static bool hazardous(struct hp_domain *d, const void *p)
{
	for (int t = 0; t < HP_MAX_THREADS; t++)
		for (int i = 0; i < HP_SLOTS; i++)
			if (atomic_load_explicit(&d->rec[t].slot[i],
						 memory_order_seq_cst) == p)
				return true;
	return false;
}

void hp_scan(struct hp_record *r)
{
	struct hp_domain *d = r->domain;
	size_t kept = 0;

	/* The removers' unlinking CASes come before this point in every
	 * thread's view (seq_cst), pairing with the readers' validation. */
	atomic_thread_fence(memory_order_seq_cst);
	for (size_t i = 0; i < r->nretired; i++) {
		void *p = r->retired[i];

		if (hazardous(d, p))
			r->retired[kept++] = p;
		else
			free_node(d, p);
	}
	r->nretired = kept;
}

size_t hp_retired_count(const struct hp_record *r)
{
	return r->nretired;
}
