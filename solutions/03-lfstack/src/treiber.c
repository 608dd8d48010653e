/*
 * treiber.c - task 2: the Treiber stack.
 *
 * The memory orders, and why each is enough:
 *
 *  - push's CAS is a release: it publishes the node, so the writes the
 *    pusher made before it (n->next, and the caller's n->value) must be
 *    visible to whoever acquires the node through top.
 *  - pop's load of top is an acquire, pairing with that release: after
 *    it, t->next and t->value are the pusher's values.
 *  - pop's successful CAS is an acquire too: if it succeeds on a top a
 *    concurrent push has just installed, the popper owns that node and
 *    must see the pusher's writes to it.
 *  - failed CASes reload top with acquire for the same reason as the
 *    first load; they publish nothing.
 *  - t->next is read relaxed: it was ordered by the acquire of top, and
 *    it needs to be atomic only because a stale popper can read it while
 *    its new owner rewrites it.
 */
#include "treiber.h"

#include <stddef.h>

void treiber_init(struct treiber *s)
{
	atomic_init(&s->top, NULL);
	s->before_cas.fn = NULL;
	s->before_cas.arg = NULL;
}

void treiber_push(struct treiber *s, struct lf_node *n)
{
	struct lf_node *top = atomic_load_explicit(&s->top, memory_order_relaxed);

	do
		atomic_store_explicit(&n->next, top, memory_order_relaxed);
	while (!atomic_compare_exchange_weak_explicit(&s->top, &top, n,
						      memory_order_release,
						      memory_order_relaxed));
}

struct lf_node *treiber_pop(struct treiber *s)
{
	struct lf_node *t = atomic_load_explicit(&s->top, memory_order_acquire);
	struct lf_node *next;

	while (t) {
		next = atomic_load_explicit(&t->next, memory_order_relaxed);
		lf_hook_fire(&s->before_cas);
		if (atomic_compare_exchange_weak_explicit(&s->top, &t, next,
							  memory_order_acquire,
							  memory_order_acquire))
			break;
	}
	return t;
}
