/* export.c — `rtviz export --model FILE --out F.safetensors`: a checkpoint's
 * weights as safetensors for other frameworks (tensor names and layouts in
 * docs/FORMATS.md). --out is checked before the checkpoint is read, must not
 * be the checkpoint itself, and is written atomically (atomicio.h). */
#include <stdio.h>

#include "atomicio.h"
#include "checkpoint.h"
#include "cmd.h"
#include "opts.h"

#define EXPORT_OPTS (OPTBIT(OPT_MODEL) | OPTBIT(OPT_OUT))

static void usage(FILE *f) {
    fprintf(f, "usage: rtviz export --model FILE --out F.safetensors\n"
               "Write a checkpoint's weights as safetensors (F32, row-major; names in "
               "docs/FORMATS.md).\n\n");
    opts_usage(f, EXPORT_OPTS);
}

int cmd_export(int argc, char **argv) {
    Opts o;
    RtErr e;
    int pr = cmd_parse("export", &o, argc, argv, EXPORT_OPTS, usage);
    if (pr >= 0) return pr;
    if (!(o.given & OPTBIT(OPT_MODEL)))
        return cmd_fail("export", EXIT_USAGE, "--model FILE is required (see --help)");
    if (!(o.given & OPTBIT(OPT_OUT)))
        return cmd_fail("export", EXIT_USAGE, "--out FILE is required (see --help)");
    /* the output first: a bad --out costs no loading, and never the input */
    if (aw_check_distinct(o.out, "--out", o.model, "--model", &e))
        return cmd_fail("export", EXIT_USAGE, e.msg);
    if (aw_check(o.out, &e)) return cmd_fail("export", EXIT_RUNTIME, e.msg);
    Model m;
    if (ckpt_load(o.model, &m, NULL, NULL, &e)) return cmd_fail("export", EXIT_RUNTIME, e.msg);
    int rc = ckpt_export_safetensors(o.out, &m, &e);
    long nt = m.nt;
    size_t n = m.n;
    model_free(&m);
    if (rc) return cmd_fail("export", EXIT_RUNTIME, e.msg);
    char shown[2 * RT_ERRLEN];
    printf("%s: %ld tensors, %zu parameters\n", rt_escape(shown, sizeof shown, o.out), nt, n);
    return 0;
}
