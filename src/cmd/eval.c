/* eval.c — `rtviz eval` (placeholder until its issue lands). */
#include "cmd.h"

int cmd_eval(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return cmd_fail("eval", EXIT_RUNTIME, "not implemented yet");
}
