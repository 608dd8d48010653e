/*
 * mstack.c - task 1: a stack behind a mutex, with a blocking pop.
 */
#include "mstack.h"

#include <errno.h>
#include <time.h>

int mstack_init(struct mstack *s)
{
	pthread_condattr_t ca;
	int err;

	s->top = NULL;
	s->size = 0;
	if ((err = pthread_mutex_init(&s->lock, NULL)))
		return err;
	if ((err = pthread_condattr_init(&ca)))
		goto no_cond;
	/* The default clock is CLOCK_REALTIME, which jumps when someone
	 * sets the time; a timeout is a duration, so measure it on the
	 * clock that only moves forward. */
	err = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (!err)
		err = pthread_cond_init(&s->nonempty, &ca);
	pthread_condattr_destroy(&ca);
	if (!err)
		return 0;
no_cond:
	pthread_mutex_destroy(&s->lock);
	return err;
}

void mstack_destroy(struct mstack *s)
{
	pthread_cond_destroy(&s->nonempty);
	pthread_mutex_destroy(&s->lock);
}

void mstack_push(struct mstack *s, struct lf_node *n)
{
	pthread_mutex_lock(&s->lock);
	atomic_store_explicit(&n->next, s->top, memory_order_relaxed);
	s->top = n;
	s->size++;
	/* Signal while holding the lock: a waiter that has checked the
	 * stack is either already asleep on the condition variable or still
	 * waiting for the lock, so it cannot miss this wake-up. */
	pthread_cond_signal(&s->nonempty);
	pthread_mutex_unlock(&s->lock);
}

/* Unlink the top node; the caller holds the lock. */
static struct lf_node *take_top(struct mstack *s)
{
	struct lf_node *n = s->top;

	if (n) {
		s->top = atomic_load_explicit(&n->next, memory_order_relaxed);
		s->size--;
	}
	return n;
}

struct lf_node *mstack_pop(struct mstack *s)
{
	struct lf_node *n;

	pthread_mutex_lock(&s->lock);
	n = take_top(s);
	pthread_mutex_unlock(&s->lock);
	return n;
}

/* now + ns on CLOCK_MONOTONIC, as the absolute time timedwait wants. */
static struct timespec deadline_after(long long ns)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += (time_t)(ns / 1000000000);
	t.tv_nsec += (long)(ns % 1000000000);
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

struct lf_node *mstack_pop_wait(struct mstack *s, long long timeout_ns)
{
	struct timespec deadline = deadline_after(timeout_ns > 0 ? timeout_ns : 0);
	struct lf_node *n;
	int err = 0;

	pthread_mutex_lock(&s->lock);
	/* A loop, not an if: a wake-up is only a hint.  Another popper may
	 * have taken the node first, and waits may end spuriously. */
	while (!s->top && timeout_ns > 0 && err != ETIMEDOUT)
		err = pthread_cond_timedwait(&s->nonempty, &s->lock, &deadline);
	n = take_top(s);
	pthread_mutex_unlock(&s->lock);
	return n;
}

size_t mstack_size(struct mstack *s)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->size;
	pthread_mutex_unlock(&s->lock);
	return n;
}
