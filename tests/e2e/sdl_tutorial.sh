#!/usr/bin/env bash
# The tutorial's chapter pane in the projector window: `rtviz --tutorial 3
# --sdl` shows "chapter 3 of N" and chapter 3's title in the window (its
# state log records what the pane drew); `]` sent to the window moves both
# front ends to chapter 4 (a fresh Session, the window reopened on it); `a`
# in the window reveals the answer in the terminal's pane too. Then
# `--sdl-only --tutorial 2`: `]` in the window alone enters chapter 3.
. "$(dirname "$0")/sdl_common.bash"
export RTVIZ_TUTORIAL="$RTVIZ_ROOT/tutorial" RTVIZ_ASSETS="$RTVIZ_ROOT/assets"
"$RTVIZ" datasets | grep -q '^fashionmnist .* found$' ||
    { echo "Fashion-MNIST is not installed: the chapters are about it (scripts/deps.sh test installs it)"; exit 77; }
chapters=("$RTVIZ_ROOT"/tutorial/[0-9][0-9]-*.md)
n=${#chapters[@]}
title_of() { sed -n 's/^title: //p' "$1"; }
t3=$(title_of "${chapters[2]}") t4=$(title_of "${chapters[3]}")
re_of() { printf '%s' "$1" | sed 's/[][\.*^$(){}+?|/]/\\&/g'; }
start_x 1600x900

start 160 50 --tutorial 3 --sdl --size 1280x720
wait_for "chapter 3 of $n" "$SDL_T"
win_id
wait_log "^sdl chapter chapter 3 of $n \| $(re_of "$t3")\$"
xdotool key --window "$WID" bracketright 2>>"$TMPD/xdo.err" # (the window reopens on the chapter)
wait_for "chapter 4 of $n" "$SDL_T" # the terminal entered it
wait_log "^sdl chapter chapter 4 of $n \| $(re_of "$t4")\$" # the reopened window shows it
win_id                                                      # the new window
xdotool key --window "$WID" a
wait_log "^sdl chapter chapter 4 of $n \| $(re_of "$t4") \| answer shown$" # in the window
wait_for "Answer:" "$SDL_T"                                         # and in the terminal
keys q q
[ "$(wait_exit "$SDL_T")" = 0 ] || fail "q did not exit 0"

# the window alone
rm -f "$LOG" "$TMPD/rc"
T kill-server >/dev/null 2>&1
wait_closed
start 100 10 --sdl-only --tutorial 2 --size 1280x720
win_id
wait_log "^sdl chapter chapter 2 of $n \| "
xdotool key --window "$WID" bracketright 2>>"$TMPD/xdo.err" # (the window stays, on the new Session)
wait_log "^sdl chapter chapter 3 of $n \| $(re_of "$t3")\$"
xdotool key --window "$WID" q q 2>>"$TMPD/xdo.err" # (q asks once when training is unsaved)
[ "$(wait_exit "$SDL_T")" = 0 ] || fail "--sdl-only: q did not exit 0"
echo "window chapter pane: chapter 3's title, ] to chapter 4 (terminal and window), a reveals, --sdl-only ] enters chapter 3"
