/* classify.c — `rtviz classify --model F IMAGE...`: each image file is read
 * with the images module (src/engine/image.h), converted to the model's
 * input format the way its dataset's images were made, and run through the θ
 * sweep: prediction, probabilities, activation %, active blocks, stop θ.
 * Every file is tried; a bad one gets its line on stderr and the exit code
 * is 1 at the end. --json prints one cJSON document on stdout. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "checkpoint.h"
#include "cmd.h"
#include "dataset.h"
#include "image.h"
#include "mlp.h"
#include "model.h"
#include "opts.h"
#include "owndata.h"
#include "rtnet.h"

#define ALLOWED (OPTBIT(OPT_MODEL) | OPTBIT(OPT_JSON) | OPTBIT(OPT_TAU) | OPTBIT(OPT_DATASET))

static void usage(FILE *f) {
    fprintf(f,
            "usage: rtviz classify --model FILE IMAGE... [--json] [--tau X] [--dataset NAME]\n"
            "Classify image files (PNG, JPEG, BMP, GIF, binary PGM/PPM; at most %d pixels a\n"
            "side, %ld pixels, %zu MiB) with a checkpoint: prediction, probabilities,\n"
            "activation %%, active blocks and the θ the sweep stopped at.\n"
            "Each image is converted to the model's input the way its dataset was made: grey\n"
            "or RGB, light backgrounds inverted, the content's bounding box scaled (20x20 in\n"
            "28x28 and centred by mass for MNIST and your own grey data; the whole frame,\n"
            "centred, for Fashion-MNIST, sample and USPS); RGB datasets take the middle of a\n"
            "photo, resized. --dataset names the class names' source (default: the model's).\n"
            "Every file is tried: a bad one is reported on stderr (one line) and the exit\n"
            "status is then 1; --json lists it with an \"error\".\n\n",
            IMAGE_MAX_SIDE, IMAGE_MAX_PIXELS, IMAGE_MAX_FILE >> 20);
    opts_usage(f, ALLOWED);
}

/* The class names and the image conversion, from --dataset or the model's dataset. */
typedef struct {
    char names[RT_MAX_C][32];
    ImagePrep prep;
} Setup;

static void setup(const ModelConfig *c, const char *dsname, Setup *s) {
    int C = 0;
    const char *const *reg = dsname ? dataset_class_names(dsname, &C) : NULL;
    for (int k = 0; k < c->C && k < RT_MAX_C; k++) {
        if (reg && k < C)
            snprintf(s->names[k], sizeof s->names[k], "%s", reg[k]);
        else
            snprintf(s->names[k], sizeof s->names[k], "%d", k);
    }
    if (!reg && dsname) owndata_class_names(dsname, c->C, s->names); /* classes.txt, if any */
    image_prep_default(&s->prep, dsname, c->ch, c->h, c->w);
}

/* A float as the shortest decimal that reads back as it (0.9f prints 0.9, not
 * 0.899999976), for the JSON. */
static double jfloat(float x) {
    char b[32];
    for (int p = 6; p <= 9; p++) {
        snprintf(b, sizeof b, "%.*g", p, (double)x);
        if ((float)strtod(b, NULL) == x) break;
    }
    return strtod(b, NULL);
}

typedef struct {
    int pred; /* predicted class, -1 when no ray reached the output */
    float prob[RT_MAX_C];
    float theta;   /* stop θ (RT) */
    int active;    /* active blocks at the stop (RT) */
    int blocks;    /* all blocks (RT), 0 for an MLP */
    float act_pct; /* activation % */
} Result;

int cmd_classify(int argc, char **argv) {
    Opts o;
    RtErr e = {{0}};
    opts_default(&o);
    if (opts_parse(&o, argc, argv, ALLOWED, argc, &e))
        return cmd_fail("classify", EXIT_USAGE, e.msg);
    if (o.help) {
        usage(stdout);
        opts_free(&o);
        return 0;
    }
    if (o.version) {
        printf("rtviz %s\n", RTVIZ_VERSION);
        opts_free(&o);
        return 0;
    }
    if (!o.model) {
        opts_free(&o);
        return cmd_fail("classify", EXIT_USAGE, "--model FILE is required (see --help)");
    }
    if (o.npos == 0) {
        opts_free(&o);
        return cmd_fail("classify", EXIT_USAGE, "no image files given (see --help)");
    }
    Model m;
    CkptMeta meta;
    memset(&m, 0, sizeof m);
    memset(&meta, 0, sizeof meta);
    if (ckpt_load(o.model, &m, NULL, &meta, &e)) {
        opts_free(&o);
        return cmd_fail("classify", EXIT_RUNTIME, e.msg);
    }
    const ModelConfig *c = &m.cfg;
    if (c->ch != 1 && c->ch != 3) {
        char msg[RT_ERRLEN + 64];
        snprintf(msg, sizeof msg,
                 "%s: the model takes %d-channel images; classify reads grey or RGB", o.model,
                 c->ch);
        model_free(&m);
        opts_free(&o);
        return cmd_fail("classify", EXIT_RUNTIME, msg);
    }
    float tau = (o.given & OPTBIT(OPT_TAU)) ? o.tau : c->tau;
    Setup *su = calloc(1, sizeof *su);
    uint8_t *img8 = malloc((size_t)c->D);
    float *x = malloc((size_t)c->D * sizeof *x);
    RtWork *rw = NULL;
    MlpWork *mw = NULL;
    cJSON *root = NULL, *arr = NULL;
    int rc = 0, bad = 0;
    if (!su || !img8 || !x) {
        rc = cmd_fail("classify", EXIT_RUNTIME, "out of memory");
        goto done;
    }
    blas_init();
    if (c->arch == ARCH_RT)
        rw = rt_work_new(&m, 1, &e);
    else
        mw = mlp_work_new(&m, 1, &e);
    if (!rw && !mw) {
        rc = cmd_fail("classify", EXIT_RUNTIME, e.msg);
        goto done;
    }
    const char *dsname = o.dataset ? o.dataset : meta.dataset[0] ? meta.dataset : NULL;
    setup(c, dsname, su);
    if (o.json) {
        root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "model", o.model);
        cJSON_AddStringToObject(root, "arch", c->arch == ARCH_RT ? "rt" : "mlp");
        cJSON_AddStringToObject(root, "dataset", dsname ? dsname : "");
        if (c->arch == ARCH_RT) cJSON_AddNumberToObject(root, "tau", jfloat(tau));
        arr = cJSON_AddArrayToObject(root, "images");
        if (!root || !arr) {
            rc = cmd_fail("classify", EXIT_RUNTIME, "out of memory");
            goto done;
        }
    }
    for (int i = 0; i < o.npos; i++) {
        const char *path = o.pos[i];
        Image im;
        Result r;
        memset(&r, 0, sizeof r);
        if (image_load(path, &im, &e) ||
            image_prepare(im.pix, im.w, im.h, im.comp, &su->prep, img8, &e)) {
            if (im.pix) image_free(&im);
            cmd_fail("classify", EXIT_RUNTIME, e.msg);
            bad++;
            if (arr) {
                cJSON *j = cJSON_CreateObject();
                cJSON_AddStringToObject(j, "file", path);
                cJSON_AddStringToObject(j, "error", e.msg);
                cJSON_AddItemToArray(arr, j);
            }
            continue;
        }
        int w = im.w, h = im.h;
        image_free(&im);
        for (int k = 0; k < c->D; k++)
            x[k] = img8[k] / 255.0f;
        if (rw) {
            RtSweepOut so;
            rt_sweep(&m, rw, x, 1, tau, 0.0f, &so, r.prob);
            r.pred = so.reached ? so.pred : -1;
            r.theta = so.theta;
            r.active = so.active;
            r.blocks = c->L * c->B;
            r.act_pct = so.act_pct;
        } else {
            mlp_forward(&m, mw, x, 1, r.prob);
            r.pred = 0;
            for (int k = 1; k < c->C; k++)
                if (r.prob[k] > r.prob[r.pred]) r.pred = k;
            r.act_pct = 100.0f;
        }
        if (arr) {
            cJSON *j = cJSON_CreateObject(), *p = cJSON_CreateObject();
            cJSON_AddStringToObject(j, "file", path);
            cJSON_AddNumberToObject(j, "width", w);
            cJSON_AddNumberToObject(j, "height", h);
            if (r.pred >= 0) {
                cJSON_AddStringToObject(j, "prediction", su->names[r.pred]);
                cJSON_AddNumberToObject(j, "class", r.pred);
                cJSON_AddNumberToObject(j, "confidence", jfloat(r.prob[r.pred]));
            } else {
                cJSON_AddNullToObject(j, "prediction");
                cJSON_AddNullToObject(j, "class");
                cJSON_AddNullToObject(j, "confidence");
            }
            for (int k = 0; k < c->C; k++)
                cJSON_AddNumberToObject(p, su->names[k], jfloat(r.prob[k]));
            cJSON_AddItemToObject(j, "probabilities", p);
            cJSON_AddNumberToObject(j, "activation_pct", jfloat(r.act_pct));
            if (rw) {
                cJSON_AddNumberToObject(j, "active_blocks", r.active);
                cJSON_AddNumberToObject(j, "blocks", r.blocks);
                cJSON_AddNumberToObject(j, "theta", jfloat(r.theta));
            }
            cJSON_AddItemToArray(arr, j);
            continue;
        }
        char shown[4 * DS_PATH_MAX];
        rt_escape(shown, sizeof shown, path); /* a file name can hold control characters */
        if (r.pred < 0)
            printf("%s: no answer: no ray reached the output\n", shown);
        else if (rw)
            printf("%s: %s (p %.3f) at θ = %.4g, %.1f%% of the parameters, %d of %d blocks\n", path,
                   su->names[r.pred], r.prob[r.pred], r.theta, r.act_pct, r.active, r.blocks);
        else
            printf("%s: %s (p %.3f), MLP: 100%% of the parameters\n", shown, su->names[r.pred],
                   r.prob[r.pred]);
        printf("  ");
        for (int k = 0; k < c->C; k++)
            printf("%s%s %.3f", k ? "  " : "", su->names[k], r.prob[k]);
        printf("\n");
    }
    if (root) {
        cJSON_AddNumberToObject(root, "failed", bad);
        char *s = cJSON_Print(root);
        if (!s) {
            rc = cmd_fail("classify", EXIT_RUNTIME, "out of memory");
            goto done;
        }
        printf("%s\n", s);
        free(s);
    }
    if (bad && !rc) rc = EXIT_RUNTIME;
done:
    fflush(stdout);
    cJSON_Delete(root);
    rt_work_free(rw);
    if (mw) mlp_work_free(mw);
    free(su);
    free(img8);
    free(x);
    model_free(&m);
    opts_free(&o);
    return rc;
}
