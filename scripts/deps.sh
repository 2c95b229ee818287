#!/bin/sh
# deps.sh — install the Debian packages rtviz needs, if any are missing.
#   scripts/deps.sh build|test|run|fuzz|bench|xsmm
# As root it runs apt-get; otherwise it prints the one `sudo apt-get install`
# line and exits 1. Quiet when everything is already there.
set -u
need="pkg-config gcc make libncurses-dev libsdl2-dev libsdl2-ttf-dev libx11-dev libstb-dev libopenblas-dev zlib1g-dev libcjson-dev libcairo2-dev fonts-dejavu-core"
case "${1:-build}" in
  test) need="$need libcriterion-dev tmux dataset-fashion-mnist clang libclang-rt-14-dev clang-format time python3 xvfb xdotool x11-utils evilwm imagemagick" ;;
  run)  need="$need dataset-fashion-mnist" ;;
  fuzz) need="$need clang libclang-rt-14-dev" ;;
  bench) need="$need dataset-fashion-mnist" ;;
  xsmm) need="$need libxsmm-dev" ;;
esac
missing=""
for p in $need; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "deps: installing$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || { echo "deps: apt-get update failed" >&2; exit 1; }
  apt-get install -y -qq $missing >&2 || { echo "deps: apt-get install$missing failed" >&2; exit 1; }
  exit 0
fi
echo "rtviz needs these Debian packages; run:" >&2
echo "  sudo apt-get install -y$missing" >&2
exit 1
