/*
 * elimstack.c - task 6 (bonus): elimination backoff.
 *
 * The head is task 3's, with single attempts instead of loops, because
 * a failed attempt is the signal to try the array.
 */
#include "elimstack.h"

#include <stdbool.h>
#include <stddef.h>

static union tag_head load_head(struct elimstack *s)
{
	union tag_head h;

	h.gen = __atomic_load_n(&s->head.gen, __ATOMIC_ACQUIRE);
	h.ptr = __atomic_load_n(&s->head.ptr, __ATOMIC_ACQUIRE);
	return h;
}

static bool cas_head(struct elimstack *s, union tag_head old, union tag_head new)
{
	lf_hook_fire(&s->before_cas);
	return __sync_bool_compare_and_swap(&s->head.word, old.word, new.word);
}

void elim_init(struct elimstack *s)
{
	s->head.ptr = NULL;
	s->head.gen = 0;
	for (int i = 0; i < ELIM_SLOTS; i++)
		atomic_init(&s->slot[i].offer, 0);
	atomic_init(&s->eliminated, 0);
	s->before_cas.fn = s->offered.fn = NULL;
	s->before_cas.arg = s->offered.arg = NULL;
}

static bool try_push(struct elimstack *s, struct lf_node *n)
{
	union tag_head old = load_head(s), new;

	atomic_store_explicit(&n->next, old.ptr, memory_order_relaxed);
	new.ptr = n;
	new.gen = old.gen + 1;
	return cas_head(s, old, new);
}

/* Offer n in a free slot and wait for a pop: true if one took it. */
static bool offer(struct elimstack *s, struct lf_node *n)
{
	for (int i = 0; i < ELIM_SLOTS; i++) {
		_Atomic(uintptr_t) *o = &s->slot[i].offer;
		uintptr_t empty = 0, mine = (uintptr_t)n;

		/* Release: the popper that takes n reads its fields. */
		if (!atomic_compare_exchange_strong_explicit(
			    o, &empty, mine, memory_order_release,
			    memory_order_relaxed))
			continue;
		lf_hook_fire(&s->offered);
		for (int k = 0; k < ELIM_SPINS; k++)
			if (atomic_load_explicit(o, memory_order_acquire) != mine)
				break;
		/* Withdraw; failing that, it was taken: free the slot. */
		if (atomic_compare_exchange_strong_explicit(
			    o, &mine, 0, memory_order_relaxed,
			    memory_order_relaxed))
			return false;
		atomic_store_explicit(o, 0, memory_order_release);
		return true;
	}
	return false;
}

void elim_push(struct elimstack *s, struct lf_node *n)
{
	while (!try_push(s, n) && !offer(s, n))
		;
}

/* The first node on offer, taken; NULL if none. */
static struct lf_node *take_offer(struct elimstack *s)
{
	for (int i = 0; i < ELIM_SLOTS; i++) {
		_Atomic(uintptr_t) *o = &s->slot[i].offer;
		uintptr_t v = atomic_load_explicit(o, memory_order_acquire);

		if (v == 0 || v == ELIM_TAKEN)
			continue;
		if (atomic_compare_exchange_strong_explicit(
			    o, &v, ELIM_TAKEN, memory_order_acquire,
			    memory_order_relaxed)) {
			atomic_fetch_add_explicit(&s->eliminated, 1,
						  memory_order_relaxed);
			return (struct lf_node *)v;
		}
	}
	return NULL;
}

struct lf_node *elim_pop(struct elimstack *s)
{
	for (;;) {
		union tag_head old = load_head(s), new;
		struct lf_node *n;

		if (!old.ptr)
			return NULL;
		new.ptr = atomic_load_explicit(&old.ptr->next, memory_order_relaxed);
		new.gen = old.gen + 1;
		if (cas_head(s, old, new))
			return old.ptr;
		if ((n = take_offer(s)))
			return n;
	}
}

unsigned long elim_count(struct elimstack *s)
{
	return atomic_load_explicit(&s->eliminated, memory_order_relaxed);
}
