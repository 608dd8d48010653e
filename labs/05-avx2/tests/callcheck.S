/*
 * callcheck.S - the tests' trampolines (not a student file).
 *
 * cc_call(frame) calls frame->fn the way a C caller would, with the
 * callee-saved registers rbx, rbp, r12-r15 holding known values, then
 * records which of them came back changed, the return values, and
 * (when frame->avx) XINUSE, read with xgetbv(ecx = 1) right after the
 * return: bit 2 set means the upper halves of the YMM registers are not
 * in their initial state, i.e. the routine returned without vzeroupper.
 *
 * Layout of struct cc_frame: see kit.h; the offsets below must match.
 */
#define F_FN	0
#define F_ARG	8	/* six integer arguments, 8..55 */
#define F_X0	56	/* xmm0 argument */
#define F_STK0	64	/* 7th integer argument, on the stack */
#define F_STK1	72	/* 8th */
#define F_AVX	80	/* nonzero: vzeroupper before, xgetbv(1) after */
#define F_RAX	88
#define F_XMM0	96
#define F_BAD	104	/* bit per changed callee-saved register */
#define F_XIN	112	/* XINUSE after the call */
#define F_XIN0	120	/* XINUSE before it */

#define C_RBX	0x0b0b0b0b5eed0001
#define C_RBP	0x0b0b0b0b5eed0002
#define C_R12	0x0b0b0b0b5eed0012
#define C_R13	0x0b0b0b0b5eed0013
#define C_R14	0x0b0b0b0b5eed0014
#define C_R15	0x0b0b0b0b5eed0015

	.text
	.globl	cc_call
	.type	cc_call, @function
cc_call:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi			/* the frame, at 16(%rsp) below */
	push	F_STK1(%rdi)
	push	F_STK0(%rdi)		/* 9 pushes + return address: aligned */
	mov	%rdi, %r11
	cmpq	$0, F_AVX(%r11)
	je	1f
	vzeroupper
	mov	$1, %ecx
	xgetbv
	mov	%eax, %eax
	mov	%rax, F_XIN0(%r11)
1:	mov	F_ARG+8(%r11), %rsi
	mov	F_ARG+16(%r11), %rdx
	mov	F_ARG+24(%r11), %rcx
	mov	F_ARG+32(%r11), %r8
	mov	F_ARG+40(%r11), %r9
	mov	F_ARG(%r11), %rdi
	movsd	F_X0(%r11), %xmm0
	mov	F_FN(%r11), %r11
	movabs	$C_RBX, %rbx
	movabs	$C_RBP, %rbp
	movabs	$C_R12, %r12
	movabs	$C_R13, %r13
	movabs	$C_R14, %r14
	movabs	$C_R15, %r15
	call	*%r11
	mov	%rax, %r10
	mov	16(%rsp), %r11
	cmpq	$0, F_AVX(%r11)
	je	2f
	mov	$1, %ecx		/* before anything else can touch ymm */
	xgetbv
	mov	%eax, %eax
	mov	%rax, F_XIN(%r11)
2:	mov	%r10, F_RAX(%r11)
	movsd	%xmm0, F_XMM0(%r11)
	xor	%ecx, %ecx
	movabs	$C_RBX, %rdx
	cmp	%rdx, %rbx
	je	3f
	or	$1, %ecx
3:	movabs	$C_RBP, %rdx
	cmp	%rdx, %rbp
	je	3f
	or	$2, %ecx
3:	movabs	$C_R12, %rdx
	cmp	%rdx, %r12
	je	3f
	or	$4, %ecx
3:	movabs	$C_R13, %rdx
	cmp	%rdx, %r13
	je	3f
	or	$8, %ecx
3:	movabs	$C_R14, %rdx
	cmp	%rdx, %r14
	je	3f
	or	$16, %ecx
3:	movabs	$C_R15, %rdx
	cmp	%rdx, %r15
	je	3f
	or	$32, %ecx
3:	mov	%rcx, F_BAD(%r11)
	add	$24, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.size	cc_call, .-cc_call

/* Dirty the upper half of ymm15 and return without vzeroupper: the
 * tests' proof that XINUSE shows what it should on this machine. */
	.globl	cc_dirty_upper
	.type	cc_dirty_upper, @function
cc_dirty_upper:
	vpcmpeqd %ymm15, %ymm15, %ymm15
	ret
	.size	cc_dirty_upper, .-cc_dirty_upper

	.globl	cc_vzeroupper
	.type	cc_vzeroupper, @function
cc_vzeroupper:
	vzeroupper
	ret
	.size	cc_vzeroupper, .-cc_vzeroupper

	.section .note.GNU-stack,"",@progbits
