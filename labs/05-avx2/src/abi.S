/*
 * abi.S - task 1: three scalar routines in assembly.  Yours to write.
 *
 * Read include/abi.h and README.md, "The calling convention", first.
 * GNU as, AT&T syntax (source first, destination second: mov %rdi, %rax
 * copies rdi into rax); put `.intel_syntax noprefix` at the top if you
 * prefer Intel's order, and write it consistently.  This file goes
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

	.globl	abi_weighted8
	.type	abi_weighted8, @function
abi_weighted8:
	TODO(abi_weighted8)
	.size	abi_weighted8, .-abi_weighted8

	.globl	abi_strlen
	.type	abi_strlen, @function
abi_strlen:
	TODO(abi_strlen)
	.size	abi_strlen, .-abi_strlen

	.globl	abi_apply_twice
	.type	abi_apply_twice, @function
abi_apply_twice:
	TODO(abi_apply_twice)
	.size	abi_apply_twice, .-abi_apply_twice

	.section .note.GNU-stack,"",@progbits
