/*
 * bytes.S - task 3, reference solution: byte search and byte count.
 *
 * Both read only 32-byte blocks at 32-byte-aligned addresses.  Such a
 * block lies inside one page, so if it holds at least one byte of the
 * buffer it is mapped, whatever the bytes around the buffer are.  The
 * bytes of a block that lie outside the buffer are masked out of the
 * result.  Only AVX2 (and popcnt, which every AVX2 CPU has) is used.
 */
	.text

/* void *byte_find(const void *s, int c, size_t n)
 * rdi s, esi c, rdx n: bytes left from the current block's start. */
	.globl	byte_find
	.type	byte_find, @function
byte_find:
	test	%rdx, %rdx
	jz	.Lf_none
	vmovd	%esi, %xmm0
	vpbroadcastb %xmm0, %ymm0	/* c in all 32 bytes */
	mov	%edi, %ecx
	and	$31, %ecx		/* how far s is into its block */
	mov	%rdi, %rax
	and	$-32, %rax		/* the block holding s */
	vpcmpeqb (%rax), %ymm0, %ymm1
	vpmovmskb %ymm1, %r8d		/* bit i: byte i of the block is c */
	shr	%cl, %r8d		/* drop the bytes before s */
	add	%rcx, %rdx		/* now n counts from the block start */
	test	%r8d, %r8d
	jz	.Lf_next
	bsf	%r8d, %r8d		/* first match, counted from s */
	add	%rcx, %r8
	cmp	%rdx, %r8
	jae	.Lf_none		/* found, but past the end */
	add	%r8, %rax
	vzeroupper
	ret
.Lf_next:
	cmp	$32, %rdx
	jbe	.Lf_none
	add	$32, %rax
	sub	$32, %rdx
.Lf_four:				/* 128 bytes a step while > 128 left */
	cmp	$128, %rdx
	jbe	.Lf_one
	vpcmpeqb (%rax), %ymm0, %ymm1
	vpcmpeqb 32(%rax), %ymm0, %ymm2
	vpcmpeqb 64(%rax), %ymm0, %ymm3
	vpcmpeqb 96(%rax), %ymm0, %ymm4
	vpor	%ymm1, %ymm2, %ymm5
	vpor	%ymm3, %ymm4, %ymm6
	vpor	%ymm5, %ymm6, %ymm5
	vpmovmskb %ymm5, %r8d
	test	%r8d, %r8d
	jnz	.Lf_one			/* in one of these four: look closer */
	add	$128, %rax
	sub	$128, %rdx
	jmp	.Lf_four
.Lf_one:				/* one block a step; rdx > 0 */
	vpcmpeqb (%rax), %ymm0, %ymm1
	vpmovmskb %ymm1, %r8d
	test	%r8d, %r8d
	jnz	.Lf_hit
	cmp	$32, %rdx
	jbe	.Lf_none
	add	$32, %rax
	sub	$32, %rdx
	jmp	.Lf_one
.Lf_hit:
	bsf	%r8d, %r8d
	cmp	%rdx, %r8
	jae	.Lf_none
	add	%r8, %rax
	vzeroupper
	ret
.Lf_none:
	xor	%eax, %eax
	vzeroupper
	ret
	.size	byte_find, .-byte_find

/* size_t byte_count(const void *s, int c, size_t n)
 * The first and the last block are counted with bit masks and popcnt;
 * the whole blocks between them with vpcmpeqb (a match is the byte
 * 0xff, that is -1) and vpsubb into byte counters, folded into 64-bit
 * totals with vpsadbw before any counter can pass 255. */
	.globl	byte_count
	.type	byte_count, @function
byte_count:
	xor	%eax, %eax
	test	%rdx, %rdx
	jz	.Lc_ret
	vmovd	%esi, %xmm0
	vpbroadcastb %xmm0, %ymm0
	lea	-1(%rdi,%rdx), %r9	/* the last byte */
	mov	%rdi, %r10
	and	$-32, %r10		/* first block */
	mov	%r9, %r11
	and	$-32, %r11		/* last block */
	mov	%edi, %ecx
	and	$31, %ecx
	mov	$-1, %r8d
	shl	%cl, %r8d		/* first block: bits from s on */
	mov	%r9d, %ecx
	and	$31, %ecx
	xor	$31, %ecx
	mov	$-1, %esi
	shr	%cl, %esi		/* last block: bits up to the last byte */
	cmp	%r10, %r11
	jne	1f
	and	%esi, %r8d		/* one block: both limits apply */
	vpcmpeqb (%r10), %ymm0, %ymm1
	vpmovmskb %ymm1, %ecx
	and	%r8d, %ecx
	popcnt	%ecx, %eax
	jmp	.Lc_done
1:	vpcmpeqb (%r10), %ymm0, %ymm1
	vpmovmskb %ymm1, %ecx
	and	%r8d, %ecx
	popcnt	%ecx, %eax
	vpcmpeqb (%r11), %ymm0, %ymm1
	vpmovmskb %ymm1, %ecx
	and	%esi, %ecx
	popcnt	%ecx, %ecx
	add	%rcx, %rax
	add	$32, %r10		/* whole blocks: [r10, r11) */
	vpxor	%xmm3, %xmm3, %xmm3	/* four 64-bit totals */
	vpxor	%xmm5, %xmm5, %xmm5	/* zero, for vpsadbw */
2:	mov	%r11, %rdx
	sub	%r10, %rdx
	shr	$5, %rdx		/* blocks left */
	jz	5f
	cmp	$504, %rdx		/* <= 252 (+3) per byte counter */
	jbe	3f
	mov	$504, %edx
3:	vpxor	%xmm2, %xmm2, %xmm2
	vpxor	%xmm4, %xmm4, %xmm4
	jmp	31f
30:	vpcmpeqb (%r10), %ymm0, %ymm1
	vpcmpeqb 32(%r10), %ymm0, %ymm6
	vpsubb	%ymm1, %ymm2, %ymm2
	vpsubb	%ymm6, %ymm4, %ymm4
	vpcmpeqb 64(%r10), %ymm0, %ymm1
	vpcmpeqb 96(%r10), %ymm0, %ymm6
	vpsubb	%ymm1, %ymm2, %ymm2
	vpsubb	%ymm6, %ymm4, %ymm4
	add	$128, %r10
	sub	$4, %rdx
31:	cmp	$4, %rdx
	jae	30b
	jmp	33f
32:	vpcmpeqb (%r10), %ymm0, %ymm1
	vpsubb	%ymm1, %ymm2, %ymm2
	add	$32, %r10
	dec	%rdx
33:	test	%rdx, %rdx
	jnz	32b
	vpsadbw	%ymm5, %ymm2, %ymm2	/* bytes -> 64-bit sums of 8 */
	vpsadbw	%ymm5, %ymm4, %ymm4
	vpaddq	%ymm2, %ymm3, %ymm3
	vpaddq	%ymm4, %ymm3, %ymm3
	jmp	2b
5:	vextracti128 $1, %ymm3, %xmm1
	vpaddq	%xmm1, %xmm3, %xmm3
	vpshufd	$0x4e, %xmm3, %xmm1
	vpaddq	%xmm1, %xmm3, %xmm3
	vmovq	%xmm3, %rcx
	add	%rcx, %rax
.Lc_done:
	vzeroupper
.Lc_ret:
	ret
	.size	byte_count, .-byte_count

	.section .note.GNU-stack,"",@progbits
