/* Port 19's constant data, the same bytes for both stacks. */
#include "side.h"

#define X16(c) c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c
#define X128(c) X16(c), X16(c), X16(c), X16(c), X16(c), X16(c), X16(c), X16(c)
const uint8_t side_source[SIDE_SOURCE_LEN] = {
	X128('k'), X128('e'), X128('e'), X128('l'), X128('-'), X128('b'), X128('e'), X128('n'),
	X128('c'), X128('h'), X128('-'), X128('d'), X128('a'), X128('t'), X128('a'), X128('\n'),
};
