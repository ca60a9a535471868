#ifndef KEEL_SEED_H
#define KEEL_SEED_H
#include <stdint.h>
/* Folds n words of board-specific variation into a 16-byte seed. */
void seed_mix(uint8_t seed[16], const uint32_t *words, unsigned n);
#endif
