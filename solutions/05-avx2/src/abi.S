/*
 * abi.S - task 1, reference solution: three scalar routines and the
 * System V AMD64 calling convention.  AT&T syntax (source, destination).
 */
	.text

/* long abi_weighted8(a, b, c, d, e, f, g, h)
 * a..f arrive in rdi, rsi, rdx, rcx, r8, r9; g and h on the stack, at
 * 8(%rsp) and 16(%rsp) (0(%rsp) is the return address).  Only
 * caller-saved registers are used, so nothing needs saving. */
	.globl	abi_weighted8
	.type	abi_weighted8, @function
abi_weighted8:
	lea	(%rdi,%rsi,2), %rax	/* a + 2b */
	lea	(%rdx,%rdx,2), %r10	/* 3c */
	add	%r10, %rax
	lea	(%rax,%rcx,4), %rax	/* + 4d */
	lea	(%r8,%r8,4), %r10	/* 5e */
	add	%r10, %rax
	imul	$6, %r9, %r10		/* 6f */
	add	%r10, %rax
	imul	$7, 8(%rsp), %r10	/* 7g, straight from the stack */
	add	%r10, %rax
	mov	16(%rsp), %r10		/* h */
	lea	(%rax,%r10,8), %rax	/* + 8h */
	ret
	.size	abi_weighted8, .-abi_weighted8

/* size_t abi_strlen(const char *s): one byte per step, never a byte
 * past the terminator. */
	.globl	abi_strlen
	.type	abi_strlen, @function
abi_strlen:
	mov	%rdi, %rax
1:	cmpb	$0, (%rax)
	je	2f
	inc	%rax
	jmp	1b
2:	sub	%rdi, %rax
	ret
	.size	abi_strlen, .-abi_strlen

/* double abi_apply_twice(fn, ctx, x) = fn(fn(x, ctx), ctx) + x
 * fn and ctx must survive two calls: they live in rbx and r12, which
 * are callee-saved, so we save the caller's values first.  x lives in
 * xmm0, and every xmm register is caller-saved: it goes to the stack.
 * On entry rsp = 16k + 8 (the call pushed the return address); two
 * pushes and 8 more bytes bring it to a multiple of 16 for our calls. */
	.globl	abi_apply_twice
	.type	abi_apply_twice, @function
abi_apply_twice:
	push	%rbx
	push	%r12
	sub	$8, %rsp
	mov	%rdi, %rbx		/* fn */
	mov	%rsi, %r12		/* ctx */
	movsd	%xmm0, (%rsp)		/* x */
	mov	%r12, %rdi		/* fn(x, ctx): x is still in xmm0 */
	call	*%rbx
	mov	%r12, %rdi		/* fn(result, ctx): result in xmm0 */
	call	*%rbx
	addsd	(%rsp), %xmm0		/* + x */
	add	$8, %rsp
	pop	%r12
	pop	%rbx
	ret
	.size	abi_apply_twice, .-abi_apply_twice

	.section .note.GNU-stack,"",@progbits
