/*
 * vecmath.S - task 2, reference solution: AVX2 kernels on doubles.
 *
 * Every loop uses unaligned loads (vmovupd, or a memory operand of
 * vaddpd, which needs no alignment under VEX), whole vectors only while
 * four doubles remain, then one double at a time: no load ever reaches
 * past x + n.  Every exit goes through vzeroupper.
 */
	.text

/* double vec_sum(const double *x, size_t n)
 * vaddpd has a latency of about 4 cycles and the core can start two per
 * cycle, so one accumulator chain would leave 7 of 8 slots idle: eight
 * independent accumulators (32 doubles per iteration) keep both ports
 * busy. */
	.globl	vec_sum
	.type	vec_sum, @function
vec_sum:
	vxorpd	%xmm0, %xmm0, %xmm0	/* VEX: zeroes all 256 bits */
	vxorpd	%xmm1, %xmm1, %xmm1
	vxorpd	%xmm2, %xmm2, %xmm2
	vxorpd	%xmm3, %xmm3, %xmm3
	vxorpd	%xmm4, %xmm4, %xmm4
	vxorpd	%xmm5, %xmm5, %xmm5
	vxorpd	%xmm6, %xmm6, %xmm6
	vxorpd	%xmm7, %xmm7, %xmm7
	cmp	$32, %rsi
	jb	2f
1:	vaddpd	(%rdi), %ymm0, %ymm0
	vaddpd	32(%rdi), %ymm1, %ymm1
	vaddpd	64(%rdi), %ymm2, %ymm2
	vaddpd	96(%rdi), %ymm3, %ymm3
	vaddpd	128(%rdi), %ymm4, %ymm4
	vaddpd	160(%rdi), %ymm5, %ymm5
	vaddpd	192(%rdi), %ymm6, %ymm6
	vaddpd	224(%rdi), %ymm7, %ymm7
	add	$256, %rdi
	sub	$32, %rsi
	cmp	$32, %rsi
	jae	1b
2:	cmp	$4, %rsi		/* whole vectors left */
	jb	3f
	vaddpd	(%rdi), %ymm0, %ymm0
	add	$32, %rdi
	sub	$4, %rsi
	jmp	2b
3:	vaddpd	%ymm1, %ymm0, %ymm0	/* fold the eight into one */
	vaddpd	%ymm3, %ymm2, %ymm2
	vaddpd	%ymm5, %ymm4, %ymm4
	vaddpd	%ymm7, %ymm6, %ymm6
	vaddpd	%ymm2, %ymm0, %ymm0
	vaddpd	%ymm6, %ymm4, %ymm4
	vaddpd	%ymm4, %ymm0, %ymm0
	vextractf128 $1, %ymm0, %xmm1	/* then the four lanes into one */
	vaddpd	%xmm1, %xmm0, %xmm0
	vunpckhpd %xmm0, %xmm0, %xmm1
	vaddsd	%xmm1, %xmm0, %xmm0
4:	test	%rsi, %rsi		/* the last 0-3, one at a time */
	jz	5f
	vaddsd	(%rdi), %xmm0, %xmm0
	add	$8, %rdi
	dec	%rsi
	jmp	4b
5:	vzeroupper
	ret
	.size	vec_sum, .-vec_sum

/* void vec_add(double *dst, const double *a, const double *b, size_t n)
 * rdi dst, rsi a, rdx b, rcx n; rax is the index. */
	.globl	vec_add
	.type	vec_add, @function
vec_add:
	xor	%eax, %eax
	mov	%rcx, %r8
	and	$-8, %r8		/* elements done eight at a time */
	jmp	2f
1:	vmovupd	(%rsi,%rax,8), %ymm0
	vmovupd	32(%rsi,%rax,8), %ymm1
	vaddpd	(%rdx,%rax,8), %ymm0, %ymm0
	vaddpd	32(%rdx,%rax,8), %ymm1, %ymm1
	vmovupd	%ymm0, (%rdi,%rax,8)
	vmovupd	%ymm1, 32(%rdi,%rax,8)
	add	$8, %rax
2:	cmp	%r8, %rax
	jb	1b
	jmp	4f
3:	vmovsd	(%rsi,%rax,8), %xmm0
	vaddsd	(%rdx,%rax,8), %xmm0, %xmm0
	vmovsd	%xmm0, (%rdi,%rax,8)
	inc	%rax
4:	cmp	%rcx, %rax
	jb	3b
	vzeroupper
	ret
	.size	vec_add, .-vec_add

/* double vec_dot(const double *a, const double *b, size_t n)
 * Four FMA chains, 16 products per iteration; vfmadd231pd computes
 * acc = a * b + acc with one rounding. */
	.globl	vec_dot
	.type	vec_dot, @function
vec_dot:
	vxorpd	%xmm0, %xmm0, %xmm0
	vxorpd	%xmm1, %xmm1, %xmm1
	vxorpd	%xmm2, %xmm2, %xmm2
	vxorpd	%xmm3, %xmm3, %xmm3
	cmp	$16, %rdx
	jb	2f
1:	vmovupd	(%rdi), %ymm4
	vmovupd	32(%rdi), %ymm5
	vmovupd	64(%rdi), %ymm6
	vmovupd	96(%rdi), %ymm7
	vfmadd231pd (%rsi), %ymm4, %ymm0
	vfmadd231pd 32(%rsi), %ymm5, %ymm1
	vfmadd231pd 64(%rsi), %ymm6, %ymm2
	vfmadd231pd 96(%rsi), %ymm7, %ymm3
	add	$128, %rdi
	add	$128, %rsi
	sub	$16, %rdx
	cmp	$16, %rdx
	jae	1b
2:	cmp	$4, %rdx
	jb	3f
	vmovupd	(%rdi), %ymm4
	vfmadd231pd (%rsi), %ymm4, %ymm0
	add	$32, %rdi
	add	$32, %rsi
	sub	$4, %rdx
	jmp	2b
3:	vaddpd	%ymm1, %ymm0, %ymm0
	vaddpd	%ymm3, %ymm2, %ymm2
	vaddpd	%ymm2, %ymm0, %ymm0
	vextractf128 $1, %ymm0, %xmm1
	vaddpd	%xmm1, %xmm0, %xmm0
	vunpckhpd %xmm0, %xmm0, %xmm1
	vaddsd	%xmm1, %xmm0, %xmm0
4:	test	%rdx, %rdx
	jz	5f
	vmovsd	(%rdi), %xmm1
	vfmadd231sd (%rsi), %xmm1, %xmm0
	add	$8, %rdi
	add	$8, %rsi
	dec	%rdx
	jmp	4b
5:	vzeroupper
	ret
	.size	vec_dot, .-vec_dot

	.section .note.GNU-stack,"",@progbits
