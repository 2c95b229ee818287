/* datasets.c — `rtviz datasets` (placeholder until its issue lands). */
#include "cmd.h"

int cmd_datasets(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return cmd_fail("datasets", EXIT_RUNTIME, "not implemented yet");
}
