/*
 * tagstack.c - task 3: a Treiber stack with a {pointer, generation} head.
 *
 * The 16-byte CAS.  GCC (since version 7) compiles a 16-byte
 * __atomic_compare_exchange into a call to libatomic, which this lab
 * does not link, because the __atomic builtins promise an atomic 16-byte
 * *load* as well, and x86-64 has none short of cmpxchg16b itself.  The
 * legacy __sync_val_compare_and_swap on an unsigned __int128, compiled
 * with -mcx16 (lab.conf sets it), becomes an inline lock cmpxchg16b.
 * It is a full barrier (any lock-prefixed instruction is, on x86), so it
 * is at least as strong as the acquire and release orders the Treiber
 * stack needs.
 *
 * Reading the head.  There is no 16-byte atomic load, and a plain read
 * of the union is a data race: the compiler may load ptr and gen with
 * two instructions, or load ptr again later, so that the pointer it
 * dereferences and the one it CASes against differ.  So: read each half
 * with its own 8-byte atomic load.  The two halves may come from
 * different moments (a torn pair); that is harmless, because the CAS
 * compares all 16 bytes and fails on a torn pair, and a failed
 * cmpxchg16b hands back the true current head for the next attempt.
 */
#include "tagstack.h"

#include <stddef.h>

static union tag_head load_head(struct tagstack *s)
{
	union tag_head h;

	/* gen first: a pop that sees a new ptr with an old gen fails its
	 * CAS either way; the order only saves a retry. */
	h.gen = __atomic_load_n(&s->head.gen, __ATOMIC_ACQUIRE);
	h.ptr = __atomic_load_n(&s->head.ptr, __ATOMIC_ACQUIRE);
	return h;
}

/* CAS the head from *old to new; on failure, *old becomes the head. */
static int cas_head(struct tagstack *s, union tag_head *old, union tag_head new)
{
	unsigned __int128 seen =
		__sync_val_compare_and_swap(&s->head.word, old->word, new.word);

	if (seen == old->word)
		return 1;
	old->word = seen;
	return 0;
}

void tagstack_init(struct tagstack *s)
{
	s->head.ptr = NULL;
	s->head.gen = 0;
	s->before_cas.fn = NULL;
	s->before_cas.arg = NULL;
}

void tagstack_push(struct tagstack *s, struct lf_node *n)
{
	union tag_head old = load_head(s), new;

	do {
		atomic_store_explicit(&n->next, old.ptr, memory_order_relaxed);
		new.ptr = n;
		new.gen = old.gen + 1;
	} while (!cas_head(s, &old, new));
}

struct lf_node *tagstack_pop(struct tagstack *s)
{
	union tag_head old = load_head(s), new;

	while (old.ptr) {
		/* old.ptr may be popped and pushed again by now; its next is
		 * then stale, and the generation makes the CAS fail. */
		new.ptr = atomic_load_explicit(&old.ptr->next,
					       memory_order_relaxed);
		new.gen = old.gen + 1;
		lf_hook_fire(&s->before_cas);
		if (cas_head(s, &old, new))
			break;
	}
	return old.ptr;
}
