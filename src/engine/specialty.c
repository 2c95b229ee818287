/* specialty.c — see specialty.h. One rt_trace per image: the trace is the
 * same computation the view shows, so the window's numbers agree with it. */
#include "specialty.h"

#include <stdlib.h>
#include <string.h>

#include "rtnet.h"

int rt_specialty(const Model *m, const DataSplit *s, float tau, float floor, int l, int i,
                 int limit, RtSpecialty *out, RtErr *e) {
    const ModelConfig *c = &m->cfg;
    memset(out, 0, sizeof *out);
    if (c->arch != ARCH_RT) return rt_err(e, "a dense MLP has no blocks to single out");
    if (l < 0 || l >= c->L || i < 0 || i >= c->B)
        return rt_err(e, "block L%d.B%d does not exist (%d layers of %d blocks)", l + 1, i, c->L,
                      c->B);
    if (s->d != c->D) return rt_err(e, "the data has %d inputs, the model %d", s->d, c->D);
    int n = limit > 0 && limit < s->n ? limit : s->n;
    float *x = rt_calloc((size_t)c->D, sizeof *x, "specialty input", e);
    RtTrace *tr = x ? rt_calloc(1, sizeof *tr, "specialty trace", e) : NULL;
    if (!tr) {
        free(x);
        return -1;
    }
    out->l = l;
    out->i = i;
    out->C = c->C;
    for (int k = 0; k < SPEC_TOP; k++)
        out->top[k] = -1;
    for (int j = 0; j < n; j++) {
        data_batch_float(s, &j, 1, x);
        if (rt_trace(m, x, tau, floor, tr, e)) {
            free(x);
            free(tr);
            return -1;
        }
        int st = tr->stop;
        int y = s->y[j];
        if (y < RT_MAX_C) out->class_n[y]++;
        if (st < 0 || st >= tr->nsteps || !tr->active[st][l][i]) continue;
        out->nactive++;
        if (y < RT_MAX_C) out->class_active[y]++;
        float r = tr->rate[st][l][i];
        /* insertion into the top list (strictly higher rate moves up: ties keep index order) */
        int at = out->ntop;
        while (at > 0 && out->top_rate[at - 1] < r)
            at--;
        if (at >= SPEC_TOP) continue;
        int last = out->ntop < SPEC_TOP ? out->ntop : SPEC_TOP - 1;
        for (int k = last; k > at; k--) {
            out->top[k] = out->top[k - 1];
            out->top_rate[k] = out->top_rate[k - 1];
            out->top_label[k] = out->top_label[k - 1];
        }
        out->top[at] = j;
        out->top_rate[at] = r;
        out->top_label[at] = y;
        if (out->ntop < SPEC_TOP) out->ntop++;
    }
    for (int k = 0; k < out->ntop; k++)
        memcpy(out->top_pix[k], s->x + (size_t)out->top[k] * s->d,
               (size_t)(s->d < SPEC_MAX_PIX ? s->d : SPEC_MAX_PIX));
    out->n = n;
    free(x);
    free(tr);
    return 0;
}
