#!/bin/sh
# Makes tests/data/photos/*.jpg again from Debian's copy of the NASA astronaut portrait (README.md):
#   apt-get install python3-skimage libopencv-imgcodecs-dev libopencv-imgproc-dev
#   tests/data/photos/make_photos.sh [ASTRONAUT_PNG]
# The tool is built in a temporary directory and deleted; only the JPEGs land here.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
source=${1:-/usr/lib/python3/dist-packages/skimage/data/astronaut.png}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
${CXX:-g++} -std=c++20 -O1 -isystem /usr/include/opencv4 "$here/make_photos.cpp" -o "$tmp/make_photos" \
  -lopencv_imgcodecs -lopencv_imgproc -lopencv_core
"$tmp/make_photos" "$source" "$here"
