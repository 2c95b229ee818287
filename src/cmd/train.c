/* train.c — `rtviz train` (placeholder until its issue lands). */
#include "cmd.h"

int cmd_train(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return cmd_fail("train", EXIT_RUNTIME, "not implemented yet");
}
