/*
 * ctx.h - task 1: execution contexts, their stacks, and the switch
 * between them (src/switch.S and src/stack.c).
 *
 * A context is a stack plus the registers a C function expects to find
 * unchanged across a call (System V x86-64 ABI): rbx, rbp, r12-r15, the
 * stack pointer, and the two floating-point control words (MXCSR for SSE,
 * the x87 control word).  Everything else is caller-saved, so a switch
 * that looks like an ordinary call to the compiler need not keep it.
 */
#ifndef CTX_H
#define CTX_H

#include <stddef.h>

/* A suspended context.  sp is its saved stack pointer; what sits on the
 * stack at sp is yours to choose (ctx_switch writes it, ctx_make builds
 * the first one).  Nothing else is stored here. */
struct ctx {
	void *sp;
};

/*
 * Save the running context into *from and resume *to.  Returns (in the
 * context saved in *from) when some later ctx_switch resumes *from.
 * Saves and restores rbx, rbp, r12, r13, r14, r15, rsp, MXCSR and the x87
 * control word; no system call.  from and to may be the same.
 */
void ctx_switch(struct ctx *from, struct ctx *to);

/*
 * Prepare *c so that the first ctx_switch to it calls fn(arg) on the
 * stack that ends at stack_top (the stack grows down from there; the
 * highest address the context may use is stack_top - 1).  stack_top is
 * 16-byte aligned.  fn runs with the stack aligned as after a call: rsp
 * + 8 a multiple of 16 at its first instruction.  It starts with MXCSR
 * 0x1f80 and the x87 control word 0x037f (the defaults: round to
 * nearest, exceptions masked, x87 64-bit precision), whatever the
 * creator's are.  fn must never return (it switches away for good); if
 * it does, the program stops at once (ud2 or abort), nothing silent.
 */
void ctx_make(struct ctx *c, void *stack_top, void (*fn)(void *), void *arg);

/*
 * A stack from mmap: size usable bytes (rounded up to whole pages) at
 * [base, base + size), and just below base one PROT_NONE guard page, so
 * that running off the end faults (SIGSEGV) instead of overwriting
 * whatever lies below.
 */
struct stack {
	void *base;  /* lowest usable address; the guard page is below it */
	size_t size; /* usable bytes, a multiple of the page size */
	void *map;   /* what mmap returned (the guard page's address) */
	size_t map_len;
};

/* Allocate *s as above: 0, or -1 with errno set (nothing allocated). */
int stack_alloc(struct stack *s, size_t size);
/* Unmap a stack from stack_alloc (the guard page too); NULLs *s. */
void stack_free(struct stack *s);
/* Stacks allocated and not yet freed, over the whole process. */
long stack_live(void);
/* The address ctx_make wants: one past the top of the usable stack. */
static inline void *stack_top(const struct stack *s)
{
	return (char *)s->base + s->size;
}

#endif
