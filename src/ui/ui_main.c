/* ui.c — `rtviz ui` (placeholder until its issue lands). */
#include "cmd/cmd.h"

int cmd_ui(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return cmd_fail("ui", EXIT_RUNTIME, "not implemented yet");
}
