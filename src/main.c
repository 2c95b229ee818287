/* main.c — the command line: find the subcommand, run it, return its code.
 * Everything else lives in src/cmd/ (headless commands) and src/ui/. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/opts.h"
#include "common.h"
#include "pool.h"

const Command COMMANDS[] = {
    {"train", cmd_train,
     "train --dataset NAME [--arch rt|mlp] [--epochs N] [--save FILE] [--csv FILE]"},
    {"eval", cmd_eval, "eval --model FILE --dataset NAME [--tau X] [--json]"},
    {"sweep", cmd_sweep, "sweep --model FILE --dataset NAME --index I   θ by θ for one image"},
    {"classify", cmd_classify,
     "classify --model FILE IMAGE... [--json]   PNG/JPEG/BMP/GIF/PGM → prediction"},
    {"export", cmd_export, "export --model FILE --out F.safetensors"},
    {"bench", cmd_bench, "bench [--json] [--quick]   speed figures"},
    {"datasets", cmd_datasets, "datasets                   what is installed, how to get the rest"},
};
const int NCOMMANDS = (int)(sizeof COMMANDS / sizeof COMMANDS[0]);

static void usage(FILE *f) {
    fprintf(f,
            "rtviz %s — train and watch RayTracing networks (arXiv 2502.14788)\n\n"
            "usage: rtviz [options]        the interactive UI: train live, watch blocks fire\n",
            RTVIZ_VERSION);
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(f, "       rtviz %s\n", COMMANDS[i].synopsis);
    fprintf(f, "\nOptions of the interactive UI:\n");
    opts_usage(f, OPTS_UI);
    fprintf(f, "\n`rtviz COMMAND --help` lists a command's options and their defaults.\n"
               "Exit status: 0 success, 1 runtime error, 2 bad usage.\n");
}

int main(int argc, char **argv) {
    if (argc >= 2 && argv[1][0] != '-') {
        for (int i = 0; i < NCOMMANDS; i++)
            if (!strcmp(argv[1], COMMANDS[i].name)) {
                int rc = COMMANDS[i].run(argc - 2, argv + 2);
                pool_done(); /* join the engine's workers (a clean exit under valgrind) */
                return rc;
            }
        fprintf(stderr, "rtviz: unknown command '%s' (see rtviz --help)\n", argv[1]);
        return EXIT_USAGE;
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--version")) {
            printf("rtviz %s\n", RTVIZ_VERSION);
            return 0;
        }
    }
    int rc = cmd_ui(argc - 1, argv + 1);
    pool_done();
    return rc;
}
