/*
 * mstack.c - task 1: a stack behind a mutex, with a blocking pop.  Yours
 * to write.
 *
 * Read include/mstack.h first.  Delete each TODO() as you implement it.
 */
#include "mstack.h"
#include "wb/todo.h"

int mstack_init(struct mstack *s)
{
	(void)s;
	TODO();
}

void mstack_destroy(struct mstack *s)
{
	(void)s;
	TODO();
}

void mstack_push(struct mstack *s, struct lf_node *n)
{
	(void)s;
	(void)n;
	TODO();
}

struct lf_node *mstack_pop(struct mstack *s)
{
	(void)s;
	TODO();
}

struct lf_node *mstack_pop_wait(struct mstack *s, long long timeout_ns)
{
	(void)s;
	(void)timeout_ns;
	TODO();
}

size_t mstack_size(struct mstack *s)
{
	(void)s;
	TODO();
}
