/* SipHash-2-4 against the published test vectors: key 00 01 .. 0f, message
 * the first n bytes of 00 01 02 .., n = 0..63 (the reference implementation's
 * vector table; n = 15 is the worked example of the paper's Appendix A). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "siphash.h"

/* Output as the 64-bit integer v0^v1^v2^v3 (the byte string little-endian). */
static const uint64_t vectors[64] = {
	0x726fdb47dd0e0e31ull, 0x74f839c593dc67fdull, 0x0d6c8009d9a94f5aull, 0x85676696d7fb7e2dull,
	0xcf2794e0277187b7ull, 0x18765564cd99a68dull, 0xcbc9466e58fee3ceull, 0xab0200f58b01d137ull,
	0x93f5f5799a932462ull, 0x9e0082df0ba9e4b0ull, 0x7a5dbbc594ddb9f3ull, 0xf4b32f46226bada7ull,
	0x751e8fbc860ee5fbull, 0x14ea5627c0843d90ull, 0xf723ca908e7af2eeull, 0xa129ca6149be45e5ull,
	0x3f2acc7f57c29bdbull, 0x699ae9f52cbe4794ull, 0x4bc1b3f0968dd39cull, 0xbb6dc91da77961bdull,
	0xbed65cf21aa2ee98ull, 0xd0f2cbb02e3b67c7ull, 0x93536795e3a33e88ull, 0xa80c038ccd5ccec8ull,
	0xb8ad50c6f649af94ull, 0xbce192de8a85b8eaull, 0x17d835b85bbb15f3ull, 0x2f2e6163076bcfadull,
	0xde4daaaca71dc9a5ull, 0xa6a2506687956571ull, 0xad87a3535c49ef28ull, 0x32d892fad841c342ull,
	0x7127512f72f27cceull, 0xa7f32346f95978e3ull, 0x12e0b01abb051238ull, 0x15e034d40fa197aeull,
	0x314dffbe0815a3b4ull, 0x027990f029623981ull, 0xcadcd4e59ef40c4dull, 0x9abfd8766a33735cull,
	0x0e3ea96b5304a7d0ull, 0xad0c42d6fc585992ull, 0x187306c89bc215a9ull, 0xd4a60abcf3792b95ull,
	0xf935451de4f21df2ull, 0xa9538f0419755787ull, 0xdb9acddff56ca510ull, 0xd06c98cd5c0975ebull,
	0xe612a3cb9ecba951ull, 0xc766e62cfcadaf96ull, 0xee64435a9752fe72ull, 0xa192d576b245165aull,
	0x0a8787bf8ecb74b2ull, 0x81b3e73d20b49b6full, 0x7fa8220ba3b2eceaull, 0x245731c13ca42499ull,
	0xb78dbfaf3a8d83bdull, 0xea1ad565322a1a0bull, 0x60e61c23a3795013ull, 0x6606d7e446282b93ull,
	0x6ca4ecb15c5f91e1ull, 0x9f626da15c9625f3ull, 0xe51b38608ef25f57ull, 0x958a324ceb064572ull,
};

static uint8_t key[16], msg[64];

static int setup(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (unsigned i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	return 0;
}

static void test_empty_message(void **state)
{
	(void)state;
	assert_int_equal(siphash24(key, msg, 0), vectors[0]);
	assert_int_equal(siphash24(key, NULL, 0), vectors[0]);
}

/* The lengths that exercise each path: one tail byte, exactly one block,
 * one block plus a 7-byte tail (the paper's example), many blocks. */
static void test_boundary_lengths(void **state)
{
	(void)state;
	static const size_t lens[] = { 1, 7, 8, 9, 15, 16, 63 };
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
		assert_int_equal(siphash24(key, msg, lens[i]), vectors[lens[i]]);
}

static void test_all_vectors(void **state)
{
	(void)state;
	for (size_t n = 0; n < 64; n++)
		assert_int_equal(siphash24(key, msg, n), vectors[n]);
}

/* Byte loads only: an odd address for key and message changes nothing
 * (UBSan's alignment check would trap a word load here). */
static void test_unaligned_inputs(void **state)
{
	(void)state;
	uint8_t kbuf[17], mbuf[65];
	memcpy(kbuf + 1, key, 16);
	memcpy(mbuf + 1, msg, 64);
	for (size_t n = 0; n < 64; n++)
		assert_int_equal(siphash24(kbuf + 1, mbuf + 1, n), vectors[n]);
}

/* The fixed-length entry point is the same function: the published
 * 12-byte vector, and the generic one's value for other keys and inputs
 * at every alignment. */
static void test_fixed_12_bytes(void **state)
{
	(void)state;
	assert_int_equal(siphash24_12(key, msg), vectors[12]);
	static uint8_t buf[12 + 7];
	uint8_t k2[16];
	for (unsigned i = 0; i < 16; i++)
		k2[i] = (uint8_t)(0xa5u ^ (i * 29u));
	for (unsigned a = 0; a < 8; a++) {
		for (unsigned i = 0; i < 12; i++)
			buf[a + i] = (uint8_t)(i * 73u + a);
		assert_int_equal(siphash24_12(k2, buf + a), siphash24(k2, buf + a, 12));
	}
}

static void test_key_matters(void **state)
{
	(void)state;
	uint8_t k2[16];
	for (unsigned bit = 0; bit < 128; bit++) {
		memcpy(k2, key, 16);
		k2[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_true(siphash24(k2, msg, 15) != vectors[15]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_empty_message, setup),
		cmocka_unit_test_setup(test_boundary_lengths, setup),
		cmocka_unit_test_setup(test_all_vectors, setup),
		cmocka_unit_test_setup(test_unaligned_inputs, setup),
		cmocka_unit_test_setup(test_key_matters, setup),
		cmocka_unit_test_setup(test_fixed_12_bytes, setup),
	};
	return cmocka_run_group_tests_name("siphash", tests, NULL, NULL);
}
