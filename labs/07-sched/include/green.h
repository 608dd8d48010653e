/*
 * green.h - task 2: green threads on one OS thread (src/green.c).
 *
 * Cooperative: a green thread runs until it yields, joins a thread that
 * has not finished yet, or exits.  The scheduler keeps the runnable
 * threads in a FIFO queue: green_yield puts the caller at the back and
 * runs the front one, and a new thread goes at the back.  The code that
 * calls green_* first (main, on its own OS stack) is itself a green
 * thread, the first one, without a stack of its own to free.
 *
 * All of this is for one OS thread; nothing here is thread-safe.
 */
#ifndef GREEN_H
#define GREEN_H

#include <stddef.h>

struct green;

/* Usable stack of each green thread (plus its guard page). */
#define GREEN_STACK_SIZE (64 * 1024)

/*
 * Create a thread that will run fn(arg) on its own stack (stack_alloc
 * from task 1); returning from fn is the same as green_exit().  The new
 * thread goes at the back of the run queue; the caller keeps running.
 * NULL if there is no memory for it.
 */
struct green *green_spawn(void (*fn)(void *), void *arg);

/* Let the others run: back of the queue, and the front thread runs. */
void green_yield(void);

/*
 * End the calling green thread.  Its stack is unmapped as soon as it is
 * no longer running on it (you cannot munmap the stack you stand on:
 * the next thread to run does it), whether or not anyone joins.  Not for
 * the first thread (main), which has no stack to give back: it aborts.
 * If a thread blocks (join) with nothing left to run, that is a
 * deadlock: the program says so on stderr and aborts.
 */
_Noreturn void green_exit(void);

/*
 * Wait until t has ended, then free what is left of it; t is invalid
 * afterwards.  Each thread is joined at most once, never by itself.  The
 * caller sleeps (it is not in the run queue) until t ends.
 */
void green_join(struct green *t);

/* The calling green thread (the first one too). */
struct green *green_self(void);

/* Threads spawned and not yet joined (the first one not counted). */
long green_count(void);

#endif
