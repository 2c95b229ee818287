/* cmd.h — subcommands. Each takes the arguments after its name and returns
 * the process exit code: 0 success, 1 runtime error, 2 bad usage. Errors are
 * printed as one line "rtviz CMD: message" on stderr. */
#ifndef RTVIZ_CMD_H
#define RTVIZ_CMD_H

#include <stdio.h>

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
int cmd_export(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_datasets(int argc, char **argv);

/* Print "rtviz CMD: msg" to stderr; returns code (for `return fail(...)`). */
int cmd_fail(const char *cmd, int code, const char *msg);

extern const Command COMMANDS[];
extern const int NCOMMANDS;

#endif
