/*
 * wire.c - packed wire formats with explicit byte order (task 2),
 * KNOWN-WRONG variant "wire_memcpy_struct"
 * (the reference solution with one bug; see expect.conf).
 *
 * Every multi-byte field goes through one of the get/put helpers below,
 * which build values from single bytes with shifts.  That makes the code
 * independent of the host's byte order and of the buffer's alignment,
 * and it never reads a byte it was not asked to: no casts of a uint8_t *
 * to a wider pointer, so no misaligned access and no aliasing questions.
 * GCC and Clang recognise these patterns and emit one (byte-swapping)
 * load or store on x86-64, so clarity costs nothing.
 */
#include "wire.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* ---- byte order helpers ------------------------------------------- */

/*
 * Each byte is widened to the result type *before* it is shifted.  A
 * uint8_t is promoted to int, and for a byte >= 0x80, (int)b << 24 does
 * not fit in an int: undefined behaviour, and in practice a negative
 * value that sign-extends when it is widened to 64 bits later.
 */
static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] | (uint16_t)p[1] << 8);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | (uint16_t)p[1]);
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | (uint64_t)get_be32(p + 4);
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

static void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, (uint32_t)(v >> 32));
	put_be32(p + 4, (uint32_t)v);
}

/*
 * uint32_t -> int32_t as two's complement.  A plain cast of a value above
 * INT32_MAX is implementation-defined in C; this arithmetic is not, and
 * compiles to nothing.  (The other way, int32_t -> uint32_t, is defined:
 * conversion to an unsigned type is modulo 2^32.)
 */
static int32_t s32_from_bits(uint32_t u)
{
	if (u <= INT32_MAX)
		return (int32_t)u;
	return (int32_t)(u - 0x80000000u) - INT32_MAX - 1;
}

/* ---- the ublk control command ------------------------------------- */

enum {
	CTRL_DEV_ID = 0,
	CTRL_QUEUE_ID = 4,
	CTRL_LEN = 6,
	CTRL_ADDR = 8,
	CTRL_DATA = 16,
	CTRL_DEV_PATH_LEN = 24,
	CTRL_PAD = 26,
	CTRL_RESERVED = 28,
};

/* struct wire_ctrl is 32 bytes with the same field order, and x86 is
 * little-endian: one copy does it. */
_Static_assert(sizeof(struct wire_ctrl) == WIRE_CTRL_SIZE, "layout");

void wire_ctrl_encode(const struct wire_ctrl *c, uint8_t *out)
{
	memcpy(out, c, WIRE_CTRL_SIZE);
}

int wire_ctrl_decode(const uint8_t *buf, size_t len, struct wire_ctrl *c)
{
	struct wire_ctrl tmp;

	if (len < WIRE_CTRL_SIZE)
		return WIRE_ESHORT;
	/* Must-be-zero fields are checked, not ignored: that is what lets a
	 * later version give them a meaning without old readers silently
	 * misreading new commands. */
	if (get_le16(buf + CTRL_PAD) != 0 || get_le32(buf + CTRL_RESERVED) != 0)
		return WIRE_ERESERVED;
	tmp.dev_id = get_le32(buf + CTRL_DEV_ID);
	tmp.queue_id = get_le16(buf + CTRL_QUEUE_ID);
	tmp.len = get_le16(buf + CTRL_LEN);
	tmp.addr = get_le64(buf + CTRL_ADDR);
	tmp.data = get_le64(buf + CTRL_DATA);
	tmp.dev_path_len = get_le16(buf + CTRL_DEV_PATH_LEN);
	*c = tmp;
	return WIRE_CTRL_SIZE;
}

/* ---- the message header ------------------------------------------- */

enum {
	HDR_MAGIC = 0,
	HDR_VERSION = 2,
	HDR_TYPE = 3,
	HDR_LENGTH = 4,
	HDR_SEQ = 8,
	HDR_STATUS = 16,
};

void wire_hdr_encode(const struct wire_hdr *h, uint8_t *out)
{
	put_be16(out + HDR_MAGIC, WIRE_MAGIC);
	out[HDR_VERSION] = WIRE_VERSION;
	out[HDR_TYPE] = h->type;
	put_be32(out + HDR_LENGTH, h->length);
	put_be64(out + HDR_SEQ, h->seq);
	put_be32(out + HDR_STATUS, (uint32_t)h->status);
}

int wire_msg_parse(const uint8_t *buf, size_t len, struct wire_hdr *h,
		   const uint8_t **payload)
{
	uint32_t length;
	uint8_t type;

	if (len < WIRE_HDR_SIZE)
		return WIRE_ESHORT;
	if (get_be16(buf + HDR_MAGIC) != WIRE_MAGIC)
		return WIRE_EMAGIC;
	if (buf[HDR_VERSION] != WIRE_VERSION)
		return WIRE_EVERSION;
	type = buf[HDR_TYPE];
	if (type < WIRE_T_REQUEST || type > WIRE_T_EVENT)
		return WIRE_ETYPE;
	length = get_be32(buf + HDR_LENGTH);
	if (length > WIRE_MAX_PAYLOAD)
		return WIRE_ETOOBIG;
	/* Subtract on the side that cannot wrap: len >= WIRE_HDR_SIZE here,
	 * while WIRE_HDR_SIZE + length could overflow a narrower type. */
	if (len - WIRE_HDR_SIZE < length)
		return WIRE_ETRUNC;
	h->type = type;
	h->length = length;
	h->seq = get_be64(buf + HDR_SEQ);
	h->status = s32_from_bits(get_be32(buf + HDR_STATUS));
	*payload = buf + WIRE_HDR_SIZE;
	/* At most WIRE_HDR_SIZE + 1 MiB: fits an int. */
	return (int)(WIRE_HDR_SIZE + length);
}
