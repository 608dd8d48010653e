/*
 * audit.c - layout audit (task 1).  Yours to edit.
 *
 * Read "Task 1" in the handout first: it gives the three layout rules and
 * works one struct through by hand.  The API and its exact contract are
 * in include/audit.h.  Delete each TODO() as you write the function.
 */
#include "audit.h"

#include <errno.h>
#include <stdint.h>

#include "wb/todo.h"

/* ---- Part A: predict ---------------------------------------------- */

/*
 * Replace every 0 with your prediction, worked out on paper: sizeof,
 * _Alignof, total padding, and the offset of each member in declaration
 * order.  Writing sizeof/offsetof here would pass the tests and teach you
 * nothing; use them afterwards, in _Static_assert, to check yourself.
 */
static const struct audit_guess guesses[] = {
	/* name               size align padding  offsets */
	{"sensor_rec",         0,   0,    0,      {0, 0, 0, 0, 0, 0}},
	{"span",               0,   0,    0,      {0, 0}},
	{"msg_slot",           0,   0,    0,      {0, 0, 0, 0}},
	{"box_val",            0,   0,    0,      {0, 0, 0}},
	{"value_box",          0,   0,    0,      {0, 0, 0}},
	{"frame",              0,   0,    0,      {0, 0, 0}},
	{"lab_reading",        0,   0,    0,      {0, 0, 0}},
	{"wire_hdr_packed",    0,   0,    0,      {0, 0, 0}},
};

const struct audit_guess *audit_guesses(size_t *n)
{
	TODO(); /* fill in the table above, then delete this line */
	*n = sizeof guesses / sizeof guesses[0];
	return guesses;
}

/* ---- Part B: compute a layout (handout: "The rules") --------------- */

int audit_layout(const struct audit_field *f, size_t n,
		 struct audit_layout *out)
{
	(void)f;
	(void)n;
	(void)out;
	TODO();
}

int audit_holes(const struct audit_field *f, size_t n, struct audit_hole *out,
		size_t cap)
{
	(void)f;
	(void)n;
	(void)out;
	(void)cap;
	TODO();
}

/* ---- Part C: reorder (handout: "Reordering for size") -------------- */

int audit_reorder(const struct audit_field *f, size_t n, size_t *order)
{
	(void)f;
	(void)n;
	(void)order;
	TODO();
}

/* ---- Part D: your struct (handout: "Pinning a layout") ------------- */

/*
 * Declare struct sensor_rec_tight here: the members of struct sensor_rec,
 * reordered so the struct is as small as it can be without packing, and
 * a _Static_assert on its sizeof.  Then list its members in audit_tight()
 * with AUDIT_MEMBER(struct sensor_rec_tight, name).
 */

size_t audit_tight(struct audit_member *out, size_t cap, size_t *size)
{
	(void)out;
	(void)cap;
	(void)size;
	TODO();
}
