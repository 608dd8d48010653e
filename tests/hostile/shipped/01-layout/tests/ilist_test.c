#include "wb/test.h"

TEST(ilist_insert_order) { CHECK(0, "the doctored test ran: the grader used a shipped test file"); }
