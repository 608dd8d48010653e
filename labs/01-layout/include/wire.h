/*
 * wire.h - packed wire formats with explicit byte order (task 2).
 *
 * Two formats.  Each is defined byte by byte, never by a C struct: a
 * struct's layout belongs to the compiler and the ABI, a wire format to
 * the protocol, and they agree only by accident.
 *
 * 1. The ublk control command: the 32 bytes a ublk server puts in the
 *    command area of an io_uring SQE (struct ublksrv_ctrl_cmd of Linux's
 *    include/uapi/linux/ublk_cmd.h).  All fields little-endian.
 *
 *    offset  size  field
 *       0     4    dev_id        device number
 *       4     2    queue_id      0xffff when the command is for no queue
 *       6     2    len           length of the buffer at addr
 *       8     8    addr          user address of an IN or OUT buffer
 *      16     8    data          inline argument (data[0] in the kernel)
 *      24     2    dev_path_len  length of the device path, NUL included
 *      26     2    pad           must be 0
 *      28     4    reserved      must be 0
 *
 * 2. A message of our own little RPC protocol: a 20-byte header, all
 *    fields big-endian ("network order"), then `length` payload bytes.
 *
 *    offset  size  field
 *       0     2    magic         0x5742 ("WB")
 *       2     1    version       1
 *       3     1    type          1 request, 2 reply, 3 event
 *       4     4    length        payload bytes, at most WIRE_MAX_PAYLOAD
 *       8     8    seq           sequence number
 *      16     4    status        signed, two's complement (-errno in
 *                                replies, 0 otherwise)
 *      20   length payload
 *
 * The rules for every function here: read and write the buffers one byte
 * at a time (or memcpy, then fix the byte order explicitly); never cast a
 * buffer pointer to a wider type; never read past the length you were
 * given; and produce the same bytes on every host, little- or big-endian.
 */
#ifndef WIRE_H
#define WIRE_H

#include <stddef.h>
#include <stdint.h>

/* Errors: negative, distinct, never 0. */
enum {
	WIRE_ESHORT = -1,    /* fewer bytes than a command or a header */
	WIRE_EMAGIC = -2,    /* the header does not start with WIRE_MAGIC */
	WIRE_EVERSION = -3,  /* a version other than WIRE_VERSION */
	WIRE_ETYPE = -4,     /* a type that is not a enum wire_type value */
	WIRE_ETOOBIG = -5,   /* length > WIRE_MAX_PAYLOAD */
	WIRE_ETRUNC = -6,    /* header fine, payload not all there yet */
	WIRE_ERESERVED = -7, /* a must-be-zero field is not zero */
};

/* ---- the ublk control command ------------------------------------- */

#define WIRE_CTRL_SIZE 32

/*
 * The command as the program sees it.  This is not the wire layout: pad
 * and reserved are missing (the encoder writes zeros, the decoder checks
 * them), and the compiler puts 6 bytes of padding at the end, whose
 * contents are whatever was in that memory before.
 */
struct wire_ctrl {
	uint32_t dev_id;
	uint16_t queue_id;
	uint16_t len;
	uint64_t addr;
	uint64_t data;
	uint16_t dev_path_len;
};

/* Write exactly WIRE_CTRL_SIZE bytes to out: the fields of *c in the
 * layout above, pad and reserved zero.  Cannot fail. */
void wire_ctrl_encode(const struct wire_ctrl *c, uint8_t *out);

/*
 * Decode one command from the len bytes at buf (bytes past the first
 * WIRE_CTRL_SIZE are ignored).  Returns WIRE_CTRL_SIZE, the number of
 * bytes consumed, and fills *c; or, leaving *c unchanged:
 *   WIRE_ESHORT     len < WIRE_CTRL_SIZE
 *   WIRE_ERESERVED  pad or reserved is not zero
 */
int wire_ctrl_decode(const uint8_t *buf, size_t len, struct wire_ctrl *c);

/* ---- the message header ------------------------------------------- */

#define WIRE_HDR_SIZE 20
#define WIRE_MAGIC 0x5742
#define WIRE_VERSION 1
#define WIRE_MAX_PAYLOAD (1u << 20)

enum wire_type {
	WIRE_T_REQUEST = 1,
	WIRE_T_REPLY = 2,
	WIRE_T_EVENT = 3,
};

/* The header as the program sees it; magic and version are implied. */
struct wire_hdr {
	uint8_t type;
	uint32_t length;
	uint64_t seq;
	int32_t status;
};

/* Write exactly WIRE_HDR_SIZE bytes to out: WIRE_MAGIC, WIRE_VERSION and
 * the fields of *h.  The caller guarantees that h->type is a wire_type
 * and h->length <= WIRE_MAX_PAYLOAD. */
void wire_hdr_encode(const struct wire_hdr *h, uint8_t *out);

/*
 * Parse one message at the start of the len bytes at buf.  On success,
 * fill *h, point *payload at the payload inside buf (no copy; it may be
 * odd-aligned), and return the bytes the message takes, WIRE_HDR_SIZE +
 * h->length, so the next message starts there.
 *
 * On error return the first that applies, in this order, and leave *h and
 * *payload unchanged:
 *   WIRE_ESHORT    len < WIRE_HDR_SIZE
 *   WIRE_EMAGIC    the magic is wrong
 *   WIRE_EVERSION  the version is not WIRE_VERSION
 *   WIRE_ETYPE     the type is not 1, 2 or 3
 *   WIRE_ETOOBIG   length > WIRE_MAX_PAYLOAD (whatever len is)
 *   WIRE_ETRUNC    fewer than length bytes follow the header
 * Only the header is read; the payload bytes are the caller's business.
 */
int wire_msg_parse(const uint8_t *buf, size_t len, struct wire_hdr *h,
		   const uint8_t **payload);

#endif
