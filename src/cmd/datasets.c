/* datasets.c — `rtviz datasets`: for every dataset of the registry, whether
 * it is here, where, its sizes and image shape (each found dataset is loaded
 * in full, so a broken file shows up here too), and how to get it if not. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cmd.h"
#include "dataset.h"
#include "opts.h"
#include "owndata.h"

#define NCAND 8

static void usage(FILE *f) {
    fprintf(f, "usage: rtviz datasets [PATH...] [--test-split X]\n\n"
               "Lists every dataset rtviz knows: whether it is installed, where, its training\n"
               "and test sizes and image shape, and the command to get it when it is missing.\n"
               "Search order: $RTVIZ_DATA/NAME, datasets/NAME (in the current directory, then\n"
               "beside the executable), then system directories; the sample set lives in\n"
               "the assets directory ($RTVIZ_ASSETS overrides it).\n\n"
               "With PATHs, loads and describes your own data instead (what --dataset PATH\n"
               "would train on): a directory of the four IDX files (class names from an\n"
               "optional classes.txt), a CSV file (label,p0,p1,... a row; an optional header;\n"
               "values 0-255 or 0-1), or a directory of class folders of images (DIR/cat/*.png;\n"
               "or DIR/train/CLASS and DIR/test/CLASS). Exit 1 if any of them is unusable.\n\n");
    opts_usage(f, OPTBIT(OPT_TEST_SPLIT));
}

/* `rtviz datasets PATH...`: each own-data source loaded in full and described. */
static int own_paths(const Opts *o) {
    int bad = 0;
    for (int i = 0; i < o->npos; i++) {
        Dataset ds;
        RtErr e = {{0}};
        char note[RT_ERRLEN];
        double t0 = rt_now();
        char shown[4 * DS_PATH_MAX];
        rt_escape(shown, sizeof shown, o->pos[i]);
        if (owndata_load(o->pos[i], &ds, note, sizeof note, &e)) {
            printf("%s   unusable\n", shown);
            fflush(stdout);
            cmd_fail("datasets", EXIT_RUNTIME, e.msg);
            bad++;
            continue;
        }
        double dt = rt_now() - t0;
        printf("%s   own data, found\n", shown);
        printf("  %s\n", note);
        printf("  train %d, test %d, images %dx%dx%d, %d classes (loaded in %.2f s)\n", ds.train.n,
               ds.test.n, ds.train.ch, ds.train.h, ds.train.w, ds.classes, dt);
        printf("  classes:");
        for (int k = 0; k < ds.classes; k++)
            printf("%s %s", k ? "," : "", ds.class_names[k]);
        printf("\n");
        dataset_free(&ds);
    }
    fflush(stdout);
    return bad ? EXIT_RUNTIME : 0;
}

/* Outside text (paths from the environment and the file system) escaped. */
static const char *esc(const char *s) {
    static char buf[4 * DS_PATH_MAX];
    return rt_escape(buf, sizeof buf, s);
}

/* Flush stdout; note the first failure's errno for main()'s exit check. */
static void flush_out(void) {
    errno = 0;
    if ((fflush(stdout) != 0 || ferror(stdout)) && !cmd_stdout_errno)
        cmd_stdout_errno = errno ? errno : EIO;
}

int cmd_datasets(int argc, char **argv) {
    Opts o;
    RtErr e = {{0}};
    opts_default(&o);
    if (opts_parse(&o, argc, argv, OPTBIT(OPT_TEST_SPLIT), argc, &e))
        return cmd_fail("datasets", EXIT_USAGE, e.msg);
    if (o.help || o.version) {
        if (o.help)
            usage(stdout);
        else
            printf("rtviz %s\n", RTVIZ_VERSION);
        opts_free(&o);
        return 0;
    }
    if (o.npos > 0) {
        int rc = own_paths(&o);
        opts_free(&o);
        return rc;
    }
    opts_free(&o);
    for (int i = 0; i < dataset_count(); i++) {
        const DatasetInfo *info = dataset_info(i);
        char dir[DS_PATH_MAX];
        if (dataset_locate(info->name, dir, sizeof dir, &e)) {
            char cands[NCAND][DS_PATH_MAX];
            int nc = dataset_candidates(info->name, cands, NCAND);
            printf("%-13s %-30s missing\n", info->name, info->title);
            for (int k = 0; k < nc; k++) {
                struct stat st;
                int exists = stat(cands[k], &st) == 0 && S_ISDIR(st.st_mode);
                printf("%-13s %s %s%s\n", "", k ? "          " : "looked in:", esc(cands[k]),
                       exists ? "   (exists, but some files are missing)" : "");
            }
            printf("%-13s get it:    %s\n", "", info->how_to_get);
            flush_out();
            continue;
        }
        Dataset ds;
        double t0 = rt_now();
        if (dataset_load(info->name, &ds, &e)) {
            printf("%-13s %-30s found but unusable\n", info->name, info->title);
            printf("%-13s in:        %s\n", "", esc(dir));
            printf("%-13s error:     %s\n", "", esc(e.msg));
            flush_out();
            continue;
        }
        double dt = rt_now() - t0;
        printf("%-13s %-30s found\n", info->name, info->title);
        printf("%-13s in:        %s\n", "", esc(ds.dir));
        printf("%-13s train %d, test %d, images %dx%dx%d, %d classes (loaded in %.2f s)\n", "",
               ds.train.n, ds.test.n, ds.train.ch, ds.train.h, ds.train.w, ds.classes, dt);
        dataset_free(&ds);
        flush_out();
    }
    return 0;
}
