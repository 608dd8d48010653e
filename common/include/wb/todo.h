/*
 * wb/todo.h - for skeletons.  An unimplemented entry point calls TODO(),
 * which ends the running test with "not implemented: <function>" instead
 * of letting it crash on a garbage return value.  Delete the call when you
 * write the function.
 */
#ifndef WB_TODO_H
#define WB_TODO_H

_Noreturn void wb_todo(const char *func, const char *file);

#define TODO() wb_todo(__func__, __FILE__)

#endif
