/*
 * sysfilter.h - seccomp filters the tests install in their own process.
 *
 * sf_block() makes a system call fail with an errno, as a container's
 * seccomp profile does (task 5 checks that the probe says so clearly).
 * sf_count_enters() counts the io_uring_enter calls the process makes,
 * however it makes them (liburing enters the kernel with its own syscall
 * instruction, so no wrapper could see them all): the filter traps every
 * io_uring_enter with SIGSYS except the one made from our own handler,
 * which counts the call and makes it on the caller's behalf.  x86-64.
 */
#ifndef SYSFILTER_H
#define SYSFILTER_H

/* From now on, system call nr fails with err in this process.  0 or -errno. */
int sf_block(long nr, int err);

/* Start counting io_uring_enter calls; 0 or -errno. */
int sf_count_enters(void);

/* io_uring_enter calls since sf_count_enters(). */
unsigned long sf_enters(void);

#endif
