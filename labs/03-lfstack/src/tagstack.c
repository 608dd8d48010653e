/*
 * tagstack.c - task 3: a Treiber stack with a {pointer, generation}
 * head and a 16-byte CAS.  Yours to write.
 *
 * Read include/tagstack.h and the handout's section on cmpxchg16b
 * first: the obvious __atomic builtin does not link here, on purpose.
 * Delete each TODO() as you implement it.
 */
#include "tagstack.h"
#include "wb/todo.h"

void tagstack_init(struct tagstack *s)
{
	(void)s;
	TODO();
}

void tagstack_push(struct tagstack *s, struct lf_node *n)
{
	(void)s;
	(void)n;
	TODO();
}

struct lf_node *tagstack_pop(struct tagstack *s)
{
	(void)s;
	TODO();
}
