/* adam_check.h — the assertion the fused-Adam tests share: two training
 * states (gradients, weights, moments, undo) equal bit for bit. */
#ifndef RTVIZ_ADAM_CHECK_H
#define RTVIZ_ADAM_CHECK_H

#include <criterion/criterion.h>
#include <string.h>

#include "model.h"
#include "optim.h"

static inline void assert_same_step(const Model *m1, const Model *m2, const Adam *a1,
                                    const Adam *a2, const AdamUndo *u1, const AdamUndo *u2,
                                    int step) {
    size_t nb = m1->n * sizeof(float);
    cr_assert_eq(m1->n, m2->n);
    cr_assert_eq(memcmp(m1->g, m2->g, nb), 0, "gradients differ, step %d", step);
    cr_assert_eq(memcmp(m1->w, m2->w, nb), 0, "weights differ, step %d", step);
    cr_assert_eq(memcmp(a1->m, a2->m, nb), 0, "first moments differ, step %d", step);
    cr_assert_eq(memcmp(a1->v, a2->v, nb), 0, "second moments differ, step %d", step);
    cr_assert_eq(memcmp(u1->w, u2->w, nb), 0, "undo weights differ, step %d", step);
    cr_assert_eq(memcmp(u1->m, u2->m, nb), 0, "undo first moments differ, step %d", step);
    cr_assert_eq(memcmp(u1->v, u2->v, nb), 0, "undo second moments differ, step %d", step);
}

#endif
