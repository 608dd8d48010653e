/*
 * green.c - task 2: green threads on one OS thread.  Yours to write.
 *
 * Read include/green.h.  What you need: a struct green per thread (its
 * struct ctx, its struct stack, fn and arg, a link for the run queue, who
 * waits in green_join for it, whether it has ended); a static struct
 * green for main (no stack of its own); a pointer to the running thread;
 * a FIFO run queue.  The hard part is green_exit: the thread ending is
 * still running on the stack it wants to free.
 */
#include "green.h"

#include "ctx.h"

#include "wb/todo.h"

struct green *green_spawn(void (*fn)(void *), void *arg)
{
	(void)fn;
	(void)arg;
	TODO();
}

void green_yield(void)
{
	TODO();
}

void green_exit(void)
{
	TODO();
}

void green_join(struct green *t)
{
	(void)t;
	TODO();
}

struct green *green_self(void)
{
	TODO();
}

long green_count(void)
{
	TODO();
}
