/*
 * treiber.c - task 2: the Treiber stack.  Yours to write.
 *
 * Read include/treiber.h first.  Use the C11 atomics of <stdatomic.h>
 * with explicit memory orders, and say in a comment at the top of this
 * file why each order you chose is enough.  Delete each TODO() as you
 * implement it.
 */
#include "treiber.h"
#include "wb/todo.h"

void treiber_init(struct treiber *s)
{
	(void)s;
	TODO();
}

void treiber_push(struct treiber *s, struct lf_node *n)
{
	(void)s;
	(void)n;
	TODO();
}

struct lf_node *treiber_pop(struct treiber *s)
{
	(void)s;
	TODO();
}
