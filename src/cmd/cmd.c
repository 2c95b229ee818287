/* cmd.c — helpers shared by the subcommands. */
#include "cmd.h"

int cmd_fail(const char *cmd, int code, const char *msg) {
    fprintf(stderr, "rtviz%s%s: %s\n", cmd ? " " : "", cmd ? cmd : "", msg);
    return code;
}
