/*
 * regs.S - the tests' trampolines (not a student file).
 *
 * regs_roundtrip(from, to, seed, out) loads rbx, rbp, r12-r15 with
 * values made from seed (seed + 1 ... seed + 6, in that order), calls
 * ctx_switch(from, to), and when the switch comes back stores what those
 * six registers then hold into out[0..5], in the same order.  It keeps
 * the ABI itself: its caller's callee-saved registers are saved and
 * restored around all this.
 *
 * entry_probe(arg) is a context entry function that records rsp at its
 * first instruction in entry_rsp, then jumps (not calls) to the function
 * in entry_probe_next, so the C body sees the alignment it was given.
 * (Through a pointer: the bench links this file too, without the body.)
 */
	.text
	.globl	regs_roundtrip
	.type	regs_roundtrip, @function
regs_roundtrip:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rcx			/* out, at 8(%rsp) below */
	push	%rdx
	sub	$8, %rsp		/* 8 pushes + 8 + return address: the
					 * call below is made with rsp aligned */
	lea	1(%rdx), %rbx
	lea	2(%rdx), %rbp
	lea	3(%rdx), %r12
	lea	4(%rdx), %r13
	lea	5(%rdx), %r14
	lea	6(%rdx), %r15
	call	ctx_switch@PLT
	mov	16(%rsp), %rcx
	mov	%rbx, 0(%rcx)
	mov	%rbp, 8(%rcx)
	mov	%r12, 16(%rcx)
	mov	%r13, 24(%rcx)
	mov	%r14, 32(%rcx)
	mov	%r15, 40(%rcx)
	add	$24, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.size	regs_roundtrip, .-regs_roundtrip

	.globl	entry_probe
	.type	entry_probe, @function
entry_probe:
	mov	%rsp, entry_rsp(%rip)
	jmp	*entry_probe_next(%rip)
	.size	entry_probe, .-entry_probe

	.bss
	.globl	entry_rsp
	.align	8
entry_rsp:
	.zero	8
	.globl	entry_probe_next
	.align	8
entry_probe_next:
	.zero	8

	.section .note.GNU-stack,"",@progbits
