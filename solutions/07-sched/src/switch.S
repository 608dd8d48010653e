/*
 * switch.S - task 1: the context switch (reference solution).
 *
 * A suspended context keeps everything on its own stack; struct ctx holds
 * only the stack pointer.  Frame at ctx->sp, lowest address first:
 *
 *	0	x87 control word (2 bytes), 2 bytes unused
 *	4	MXCSR (4 bytes)
 *	8	r15
 *	16	r14
 *	24	r13
 *	32	r12
 *	40	rbx
 *	48	rbp
 *	56	return address (where the context resumes)
 */
#define FRAME	56

	.text

/* void ctx_switch(struct ctx *from, struct ctx *to) */
	.globl	ctx_switch
	.type	ctx_switch, @function
ctx_switch:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	sub	$8, %rsp
	stmxcsr	4(%rsp)
	fnstcw	(%rsp)
	mov	%rsp, (%rdi)
	mov	(%rsi), %rsp
	ldmxcsr	4(%rsp)
	fldcw	(%rsp)
	add	$8, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.size	ctx_switch, .-ctx_switch

/*
 * The first code of a new context: ctx_switch "returns" here with fn in
 * r12 and arg in r13, and rsp a multiple of 16, so that the call below
 * enters fn with rsp + 8 a multiple of 16, as any call would.
 */
	.type	ctx_entry, @function
ctx_entry:
	mov	%r13, %rdi
	call	*%r12
	ud2				/* fn returned: there is nowhere to go */
	.size	ctx_entry, .-ctx_entry

/* void ctx_make(struct ctx *c, void *stack_top, void (*fn)(void *), void *arg) */
	.globl	ctx_make
	.type	ctx_make, @function
ctx_make:
	/* ctx_switch pops FRAME bytes and the return address: rsp ends at
	 * sp + FRAME + 8, which must be a multiple of 16.  stack_top is;
	 * the 16 bytes above the frame are left as a zero "return address"
	 * and padding, so a backtrace stops there. */
	lea	-(FRAME + 8 + 16)(%rsi), %rax
	movq	$0, FRAME + 8(%rax)
	movq	$0, FRAME + 16(%rax)
	movw	$0x037f, (%rax)
	movl	$0x1f80, 4(%rax)
	movq	$0, 8(%rax)		/* r15 */
	movq	$0, 16(%rax)		/* r14 */
	mov	%rcx, 24(%rax)		/* r13: arg */
	mov	%rdx, 32(%rax)		/* r12: fn */
	movq	$0, 40(%rax)		/* rbx */
	movq	$0, 48(%rax)		/* rbp: 0 ends frame-pointer walks */
	lea	ctx_entry(%rip), %rdx
	mov	%rdx, FRAME(%rax)
	mov	%rax, (%rdi)
	ret
	.size	ctx_make, .-ctx_make

	.section .note.GNU-stack,"",@progbits
