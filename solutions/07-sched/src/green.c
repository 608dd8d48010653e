/*
 * green.c - task 2: green threads on one OS thread (reference).
 */
#include "green.h"

#include "ctx.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

struct green {
	struct ctx ctx;
	struct stack stack;
	void (*fn)(void *);
	void *arg;
	struct green *next;   /* run queue link */
	struct green *joiner; /* asleep in green_join(this) */
	bool done;
};

static struct green first;	  /* main, on the OS stack */
static struct green *current;	  /* NULL until the first call */
static struct green *head, *tail; /* FIFO run queue */
static struct green *reap;	  /* ended; its stack still to unmap */
static long count;

static struct green *me(void)
{
	if (!current)
		current = &first;
	return current;
}

static void enqueue(struct green *t)
{
	t->next = NULL;
	if (tail)
		tail->next = t;
	else
		head = t;
	tail = t;
}

static struct green *dequeue(void)
{
	struct green *t = head;

	if (t) {
		head = t->next;
		if (!head)
			tail = NULL;
		t->next = NULL;
	}
	return t;
}

/* The stack of a thread that ended is unmapped by whoever runs next,
 * once nothing is running on it. */
static void reap_dead(void)
{
	if (reap) {
		stack_free(&reap->stack);
		reap = NULL;
	}
}

/* Switch to the front of the queue; the caller has already put itself
 * in the queue, or on a joiner slot, or is ending. */
static void run_next(void)
{
	struct green *self = me(), *next = dequeue();

	if (!next) {
		fputs("green: deadlock: every thread is blocked\n", stderr);
		abort();
	}
	if (next != self) {
		current = next;
		ctx_switch(&self->ctx, &next->ctx);
		current = self;
	}
	reap_dead();
}

static void trampoline(void *p)
{
	struct green *t = p;

	reap_dead(); /* we may have been switched to by a thread that ended */
	t->fn(t->arg);
	green_exit();
}

struct green *green_spawn(void (*fn)(void *), void *arg)
{
	struct green *t = calloc(1, sizeof *t);

	me();
	if (!t)
		return NULL;
	if (stack_alloc(&t->stack, GREEN_STACK_SIZE) != 0) {
		free(t);
		return NULL;
	}
	t->fn = fn;
	t->arg = arg;
	ctx_make(&t->ctx, stack_top(&t->stack), trampoline, t);
	count++;
	enqueue(t);
	return t;
}

void green_yield(void)
{
	enqueue(me());
	run_next();
}

void green_exit(void)
{
	struct green *self = me();

	if (self == &first) {
		fputs("green: green_exit called by the first thread\n", stderr);
		abort();
	}
	self->done = true;
	if (self->joiner)
		enqueue(self->joiner);
	reap_dead(); /* at most one pending: ours comes next */
	reap = self;
	run_next();
	abort(); /* never resumed */
}

void green_join(struct green *t)
{
	struct green *self = me();

	if (t == self || t->joiner) {
		fputs("green: bad join (self, or joined twice)\n", stderr);
		abort();
	}
	if (!t->done) {
		t->joiner = self;
		run_next();
	}
	/* done; its stack went as soon as it stopped running on it */
	count--;
	free(t);
}

struct green *green_self(void)
{
	return me();
}

long green_count(void)
{
	return count;
}
