/*
 * tagstack.h - task 3: a Treiber stack whose head carries a generation.
 *
 * The head is two words that change together, with one 16-byte CAS
 * (x86-64's lock cmpxchg16b):
 *
 *   head = { ptr --> [C] --> [B] --> ...,  gen = 41 }
 *
 * Every successful CAS on the head installs gen + 1.  A pop that read
 * {C, 41} and stalled then fails its CAS if anything happened to the
 * stack in between, even if C is on top again ({C, 44}): the ABA problem
 * cannot fool it.  So nodes may be popped and pushed again freely.
 *
 * The union lets you name the two halves (ptr, gen) and the whole
 * (word), the form the 16-byte CAS builtins take.  It is deliberately a
 * plain, non-atomic type: how to read and CAS it safely is this task.
 */
#ifndef TAGSTACK_H
#define TAGSTACK_H

#include "lf_node.h"

union tag_head {
	struct {
		struct lf_node *ptr;
		uintptr_t gen;
	};
	unsigned __int128 word;
};

struct tagstack {
	_Alignas(16) union tag_head head; /* cmpxchg16b needs 16-byte alignment */
	/* Fired by tagstack_pop() after it has read the head and
	 * head.ptr->next and before its CAS, once per attempt. */
	struct lf_hook before_cas;
};

/* An empty stack (ptr NULL, gen 0) with no hook. */
void tagstack_init(struct tagstack *s);

/* Push n, owned by the caller until a pop returns it.  n may have been
 * on this stack before. */
void tagstack_push(struct tagstack *s, struct lf_node *n);

/* The node pushed last, unlinked; NULL when the stack is empty. */
struct lf_node *tagstack_pop(struct tagstack *s);

#endif
