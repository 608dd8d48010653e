/*
 * switch.S - task 1: the context switch.  Yours to write.
 *
 * Read include/ctx.h first.  Two functions:
 *
 *   ctx_switch(from, to): push what the ABI says a callee must keep
 *     (rbx, rbp, r12-r15) and the two floating-point control words
 *     (stmxcsr, fnstcw) on the current stack, store rsp in from->sp,
 *     load rsp from to->sp, and undo the same steps in reverse order
 *     (ldmxcsr, fldcw, pops, ret).  The ret returns into whatever the
 *     other context was doing when it called ctx_switch.
 *
 *   ctx_make(c, stack_top, fn, arg): build on the new stack the frame
 *     ctx_switch would have left there, so that switching to c "returns"
 *     into a small entry routine of yours that calls fn(arg).  fn and arg
 *     can travel in two of the callee-saved slots.  Mind the alignment:
 *     at fn's first instruction rsp + 8 must be a multiple of 16.
 *
 * GNU as, AT&T syntax (source first, destination second); `.intel_syntax
 * noprefix` at the top if you prefer Intel's order.  This file goes
 * through the C preprocessor (capital .S), so #define and C comments
 * work.
 */

/*
 * TODO(name): ends the running test with "not implemented: name".  It
 * tail-calls wb_todo(const char *func, const char *file) from the
 * harness, the function behind TODO() in C: the two arguments go in rdi
 * and rsi, and the strings sit in .rodata, addressed relative to rip
 * (the binaries are position-independent).  Replace each TODO(...) line
 * with your code.
 */
#define TODO(name)				\
	lea	99f(%rip), %rdi;		\
	lea	98f(%rip), %rsi;		\
	jmp	wb_todo@PLT;			\
	.pushsection .rodata.str1.1, "aMS", @progbits, 1; \
99:	.asciz	#name;				\
98:	.asciz	__FILE__;			\
	.popsection

	.text

/* void ctx_switch(struct ctx *from, struct ctx *to) */
	.globl	ctx_switch
	.type	ctx_switch, @function
ctx_switch:
	TODO(ctx_switch)
	.size	ctx_switch, .-ctx_switch

/* void ctx_make(struct ctx *c, void *stack_top, void (*fn)(void *), void *arg) */
	.globl	ctx_make
	.type	ctx_make, @function
ctx_make:
	TODO(ctx_make)
	.size	ctx_make, .-ctx_make

	.section .note.GNU-stack,"",@progbits
