/*
 * wire.c - packed wire formats with explicit byte order (task 2).
 * Yours to edit.
 *
 * Read "Task 2" in the handout: it draws both formats byte by byte.  The
 * exact contract, error codes included, is in include/wire.h.  Delete
 * each TODO() as you write the function.
 *
 * Suggested first step: small static helpers such as
 *     static uint32_t get_le32(const uint8_t *p);
 *     static void put_be32(uint8_t *p, uint32_t v);
 * built from single bytes and shifts, then the four functions below in
 * terms of them.  Never cast buf to a wider pointer type.
 */
#include "wire.h"

#include <stdint.h>

#include "wb/todo.h"

/* ---- the ublk control command (handout: "The command's bytes") ----- */

void wire_ctrl_encode(const struct wire_ctrl *c, uint8_t *out)
{
	(void)c;
	(void)out;
	TODO();
}

int wire_ctrl_decode(const uint8_t *buf, size_t len, struct wire_ctrl *c)
{
	(void)buf;
	(void)len;
	(void)c;
	TODO();
}

/* ---- the message header (handout: "A header in network order") ----- */

void wire_hdr_encode(const struct wire_hdr *h, uint8_t *out)
{
	(void)h;
	(void)out;
	TODO();
}

int wire_msg_parse(const uint8_t *buf, size_t len, struct wire_hdr *h,
		   const uint8_t **payload)
{
	(void)buf;
	(void)len;
	(void)h;
	(void)payload;
	TODO();
}
