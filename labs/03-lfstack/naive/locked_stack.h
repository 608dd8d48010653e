/*
 * locked_stack.h - the baseline the benchmarks compare against: the
 * plainest thread-safe stack, a list behind a pthread mutex.
 */
#ifndef LOCKED_STACK_H
#define LOCKED_STACK_H

#include "lf_node.h"

#include <pthread.h>

struct locked_stack {
	pthread_mutex_t lock;
	struct lf_node *top;
};

void locked_init(struct locked_stack *s);
void locked_push(struct locked_stack *s, struct lf_node *n);
struct lf_node *locked_pop(struct locked_stack *s);

#endif
