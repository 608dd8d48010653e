/*
 * hpstack.c - task 4: a Treiber stack that frees popped nodes safely.
 *
 * Memory orders are those of treiber.c; hazard.c adds the ones that
 * keep a node alive while a pop reads it.
 */
#include "hpstack.h"

#include <errno.h>
#include <stdlib.h>

void hpstack_init(struct hpstack *s, struct hp_domain *d)
{
	atomic_init(&s->top, NULL);
	s->hp = d;
	s->after_protect.fn = NULL;
	s->after_protect.arg = NULL;
}

void hpstack_destroy(struct hpstack *s)
{
	struct lf_node *n = atomic_load_explicit(&s->top, memory_order_relaxed);

	while (n) {
		struct lf_node *next =
			atomic_load_explicit(&n->next, memory_order_relaxed);

		if (s->hp->free_fn)
			s->hp->free_fn(n, s->hp->free_arg);
		else
			free(n);
		n = next;
	}
	atomic_store_explicit(&s->top, NULL, memory_order_relaxed);
}

int hpstack_push(struct hpstack *s, uintptr_t value)
{
	struct lf_node *n = malloc(sizeof *n);
	void *top;

	if (!n)
		return ENOMEM;
	n->value = value;
	top = atomic_load_explicit(&s->top, memory_order_relaxed);
	do
		atomic_store_explicit(&n->next, top, memory_order_relaxed);
	while (!atomic_compare_exchange_weak_explicit(&s->top, &top, n,
						      memory_order_release,
						      memory_order_relaxed));
	return 0;
}

bool hpstack_pop(struct hpstack *s, struct hp_record *r, uintptr_t *value)
{
	struct lf_node *t;

	for (;;) {
		void *expected;

		t = hp_protect(r, 0, &s->top);
		if (!t)
			return false;
		lf_hook_fire(&s->after_protect);
		/* Safe: t is protected, so even if it has been popped by now
		 * it has not been freed. */
		expected = t;
		if (atomic_compare_exchange_strong_explicit(
			    &s->top, &expected,
			    atomic_load_explicit(&t->next, memory_order_relaxed),
			    memory_order_acquire, memory_order_relaxed))
			break;
	}
	/* The value first: once retired, t may be freed at any scan. */
	*value = t->value;
	hp_clear(r, 0);
	hp_retire(r, t);
	return true;
}
