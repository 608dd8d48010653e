/*
 * vecmath.S - task 2: AVX2 kernels on doubles.  Yours to write.
 *
 * Read include/vecmath.h and README.md, "Task 2", first.  Any n, any
 * 8-byte-aligned start, nothing read or written outside the arrays, and
 * vzeroupper before every ret.  vec_sum is benchmarked: see README.md on
 * why one accumulator is not enough.
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

	.globl	vec_sum
	.type	vec_sum, @function
vec_sum:
	TODO(vec_sum)
	.size	vec_sum, .-vec_sum

	.globl	vec_add
	.type	vec_add, @function
vec_add:
	TODO(vec_add)
	.size	vec_add, .-vec_add

	.globl	vec_dot
	.type	vec_dot, @function
vec_dot:
	TODO(vec_dot)
	.size	vec_dot, .-vec_dot

	.section .note.GNU-stack,"",@progbits
