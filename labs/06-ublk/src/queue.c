/*
 * queue.c - task 2: the per-queue loop of a ublk server.  Yours to write.
 *
 * Read include/ublk_queue.h first: the protocol per tag, how to fill an
 * io command SQE, the rules and the errno each breach gets.  In brief:
 * queue FETCH_REQ for every tag; then loop: submit everything queued and
 * wait for one CQE; for each CQE, by your user_data encoding, either
 * start the target I/O for a new request (ublk_target_prep) or commit a
 * finished one with COMMIT_AND_FETCH_REQ; return when every tag has
 * been aborted or UBLK_UD_QUIT arrives.  Delete the TODO() when done.
 */
#include "ublk_queue.h"
#include "ublk_target.h"
#include "wb/todo.h"

int ublk_queue_loop(struct ublk_queue *q)
{
	(void)q;
	TODO();
}
