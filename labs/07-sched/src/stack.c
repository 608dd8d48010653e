/*
 * stack.c - task 1: stacks from mmap with a guard page.  Yours to write.
 *
 * Read include/ctx.h.  One mapping of size + one page, read-write, and
 * then mprotect(PROT_NONE) on its lowest page: a stack grows down, so the
 * guard goes below it.  Keep a count of the stacks alive for
 * stack_live() (tasks after this one use it to prove stacks are freed).
 */
#include "ctx.h"

#include "wb/todo.h"

int stack_alloc(struct stack *s, size_t size)
{
	(void)s;
	(void)size;
	TODO();
}

void stack_free(struct stack *s)
{
	(void)s;
	TODO();
}

long stack_live(void)
{
	TODO();
}
