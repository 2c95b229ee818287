/* cmd.h — subcommands. Each takes the arguments after its name and returns
 * the process exit code: 0 success, 1 runtime error, 2 bad usage. Errors are
 * printed as one line "rtviz CMD: message" on stderr. */
#ifndef RTVIZ_CMD_H
#define RTVIZ_CMD_H

#include <stdint.h>
#include <stdio.h>

#include "checkpoint.h"
#include "dataset.h"
#include "opts.h"

#define EXIT_RUNTIME 1
#define EXIT_USAGE   2

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *synopsis; /* one line for `rtviz --help` */
} Command;

int cmd_ui(int argc, char **argv); /* default: the interactive UI (src/ui) */
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_classify(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_datasets(int argc, char **argv);
int cmd_gallery(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_snapshot(int argc, char **argv); /* src/ui/sdl/snapshot.c */

/* The errno of a failed write to stdout, noted by a command that checks its
 * writes (main() names it in the exit-time stdout check); 0 if none. */
extern int cmd_stdout_errno;

/* Print "rtviz CMD: msg" to stderr, control characters escaped (rt_escape);
 * returns code (for `return fail(...)`). */
int cmd_fail(const char *cmd, int code, const char *msg);

/* The prologue every command shares: opts_default + opts_parse with the
 * command's allowed options, then --help (usage on stdout) and --version.
 * Returns -1 to go on, or the exit code to return at once (0 after --help or
 * --version, EXIT_USAGE after a bad flag, with its one-line message). */
int cmd_parse(const char *cmd, Opts *o, int argc, char **argv, uint64_t allowed,
              void (*usage)(FILE *));

/* Load --model (required) and its dataset (--dataset, else the one the model
 * was trained on), and check that the images and classes fit the model.
 * Returns 0, or the exit code after printing one line; on failure nothing is
 * left allocated. */
int cmd_load_model_data(const char *cmd, const Opts *o, Model *m, CkptMeta *meta, Dataset *ds);

extern const Command COMMANDS[];
extern const int NCOMMANDS;

#endif
