/*
 * probe.S - task 1's callback probe (not a student file).
 *
 * cc_probe_cb(x, ctx) is the callback the tests hand to abi_apply_twice.
 * It counts the calls made with a misaligned stack (the ABI wants rsp a
 * multiple of 16 at every call instruction, so rsp + 8 is one at entry),
 * then calls cc_probe_body (C, in the test) on an aligned stack with
 * garbage in every caller-saved register that carries no argument, and
 * garbles them again, all but the result, before returning: any C
 * function may leave them so.
 */
	.text
#define JUNK	0x7ff4dead7ff4dead	/* a NaN, as an integer */

	.macro	garble_xmm
	pcmpeqd	%xmm1, %xmm1
	pcmpeqd	%xmm2, %xmm2
	pcmpeqd	%xmm3, %xmm3
	pcmpeqd	%xmm4, %xmm4
	pcmpeqd	%xmm5, %xmm5
	pcmpeqd	%xmm6, %xmm6
	pcmpeqd	%xmm7, %xmm7
	pcmpeqd	%xmm8, %xmm8
	pcmpeqd	%xmm9, %xmm9
	pcmpeqd	%xmm10, %xmm10
	pcmpeqd	%xmm11, %xmm11
	pcmpeqd	%xmm12, %xmm12
	pcmpeqd	%xmm13, %xmm13
	pcmpeqd	%xmm14, %xmm14
	pcmpeqd	%xmm15, %xmm15
	.endm

	.globl	cc_probe_cb
	.type	cc_probe_cb, @function
cc_probe_cb:
	push	%rbp
	mov	%rsp, %rbp
	lea	16(%rbp), %rax		/* the caller's rsp before its call */
	test	$15, %al
	jz	1f
	incq	cc_misaligned(%rip)
1:	and	$-16, %rsp		/* call on, aligned, whatever came */
	movabs	$JUNK, %rax
	mov	%rax, %rsi
	mov	%rax, %rdx
	mov	%rax, %rcx
	mov	%rax, %r8
	mov	%rax, %r9
	mov	%rax, %r10
	mov	%rax, %r11
	garble_xmm
	call	cc_probe_body@PLT
	movabs	$JUNK, %rdi
	mov	%rdi, %rsi
	mov	%rdi, %rdx
	mov	%rdi, %rcx
	mov	%rdi, %r8
	mov	%rdi, %r9
	mov	%rdi, %r10
	mov	%rdi, %r11
	garble_xmm
	leave
	ret
	.size	cc_probe_cb, .-cc_probe_cb

	.bss
	.align	8
	.globl	cc_misaligned
cc_misaligned:
	.quad	0

	.section .note.GNU-stack,"",@progbits
