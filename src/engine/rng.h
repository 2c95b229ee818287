/* rng.h — xoshiro256** seeded by splitmix64. One seed fixes initialisation,
 * data order and sampling (docs/DESIGN.md §2.2). */
#ifndef RTVIZ_RNG_H
#define RTVIZ_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4]; /* xoshiro256** state */
} Rng;

void rng_seed(Rng *r, uint64_t seed);
uint64_t rng_next(Rng *r);
float rng_uniform(Rng *r);              /* [0, 1) */
float rng_normal(Rng *r);               /* N(0, 1), Box-Muller */
uint32_t rng_below(Rng *r, uint32_t n); /* uniform in [0, n), n > 0 */
void rng_shuffle(Rng *r, int *a, int n);

#endif
