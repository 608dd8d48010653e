/*
 * hpstack.h - task 4, part 2: a Treiber stack of values that frees its
 * nodes, safely, through hazard pointers.
 *
 * Unlike the stacks of tasks 1-3, this one owns its nodes: push
 * allocates one, pop retires it to the hazard-pointer domain, which
 * frees it (with the domain's free_fn) when no thread can still be
 * reading it.  Hazard pointers also remove the ABA problem: a node that
 * a pending pop has protected cannot be freed, so its address cannot be
 * reused and pushed again under that pop's feet.
 */
#ifndef HPSTACK_H
#define HPSTACK_H

#include "hazard.h"

#include <stdbool.h>

struct hpstack {
	/* void * rather than struct lf_node *, so that hp_protect() can
	 * take its address as it is. */
	_Atomic(void *) top;
	struct hp_domain *hp;
	/* Fired by hpstack_pop() once the node it is about to pop is
	 * protected (hp_protect() returned it) and before it reads the
	 * node's next, once per attempt. */
	struct lf_hook after_protect;
};

/* An empty stack whose nodes are reclaimed through d, with no hook. */
void hpstack_init(struct hpstack *s, struct hp_domain *d);

/* Free the nodes still on the stack (with d's free_fn).  No thread may
 * be using the stack. */
void hpstack_destroy(struct hpstack *s);

/* Push value in a new node from malloc.  0, or ENOMEM. */
int hpstack_push(struct hpstack *s, uintptr_t value);

/* Pop the value pushed last into *value and return true; false when the
 * stack is empty.  r is the calling thread's record in s->hp; on return
 * r's slots are clear. */
bool hpstack_pop(struct hpstack *s, struct hp_record *r, uintptr_t *value);

#endif
