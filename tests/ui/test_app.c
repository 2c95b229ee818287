/* test_app.c — the loop's reaction to trainer_step results (src/ui/tui/app.c):
 * a NaN/Inf rollback (rc 1) or an error pauses training and raises the alert;
 * resuming (space) clears it; a normal step changes nothing. */
#include <criterion/criterion.h>
#include <string.h>

#include "tui/app.h"

static App app; /* large */

Test(app, step_ok_changes_nothing) {
    memset(&app, 0, sizeof app);
    RtErr e = {{0}};
    cr_assert_eq(app_step_result(&app, 0, &e), 0);
    cr_assert_eq(app.v.paused, 0);
    cr_assert_eq(app.alert[0], 0);
}

Test(app, nan_rollback_pauses_and_explains) {
    memset(&app, 0, sizeof app);
    RtErr e = {{0}};
    snprintf(e.msg, sizeof e.msg,
             "step 7: a weight became NaN/Inf; weights restored, learning rate halved 0.01 -> "
             "0.005");
    cr_assert_eq(app_step_result(&app, 1, &e), 1);
    cr_assert_eq(app.v.paused, 1, "training pauses on a NaN/Inf rollback");
    cr_assert(strstr(app.alert, "step 7") && strstr(app.alert, "0.005"), "%s", app.alert);
    cr_assert(strstr(app.alert, "space resumes"), "%s", app.alert);
    cr_assert_eq(app.alert_bad, 0);
    cr_assert(strstr(app.status, "NaN") && app.v.status_bad, "%s", app.status);
    cr_assert_gt(app.status_until, 1e9, "the status stays while paused");
    app_alert_clear(&app);
    cr_assert_eq(app.alert[0], 0);
    cr_assert_eq(app.full_redraw, 1, "what the alert covered is repainted");
    cr_assert_lt(app.status_until, 1.0);
}

Test(app, error_pauses_in_red) {
    memset(&app, 0, sizeof app);
    RtErr e = {{0}};
    snprintf(e.msg, sizeof e.msg, "out of memory");
    cr_assert_eq(app_step_result(&app, -1, &e), 1);
    cr_assert_eq(app.v.paused, 1);
    cr_assert_eq(app.alert_bad, 1);
    cr_assert(strstr(app.alert, "out of memory"), "%s", app.alert);
}

Test(app, space_resumes_and_clears_the_alert) {
    memset(&app, 0, sizeof app);
    RtErr e = {{0}};
    snprintf(e.msg, sizeof e.msg,
             "step 2: the loss became NaN/Inf; nothing to undo, learning rate halved 1 -> 0.5");
    app_step_result(&app, 1, &e);
    cr_assert_eq(keys_dispatch(&app, ' '), 1);
    cr_assert_eq(app.v.paused, 0, "space resumes");
    cr_assert_eq(app.alert[0], 0, "and the alert goes");
    app_step_result(&app, 1, &e);
    cr_assert_eq(keys_dispatch(&app, 27), 1);
    cr_assert_eq(app.alert[0], 0, "Esc hides it");
    cr_assert_eq(app.v.paused, 1, "but training stays paused");
}
