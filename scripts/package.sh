#!/usr/bin/env bash
# Builds the Debian packages (docs/packaging.md) from a build tree, then checks them with lintian:
#   cccd-server, cccd-station, cccd-tools, libcccd-auth-client-dev
#
# Usage: scripts/package.sh [--no-build] [BUILD_DIR [OUT_DIR]]
#   BUILD_DIR   the build tree (default build/release; configured as a Release tree when it does not exist)
#   OUT_DIR     where the .deb files go (default BUILD_DIR/packages)
#   --no-build  package what the tree holds, build nothing (the packaging test: it must not rebuild the
#               tree it runs in); a missing program is an error
#
# The packaging is packaging/debian/, run by dpkg-buildpackage in a scratch source directory
# (BUILD_DIR/packaging-work) so nothing is written next to the repository: debian/rules installs each
# package's CMake install component from BUILD_DIR with prefix /usr, and debhelper strips, finds the
# shared-library dependencies, installs the man pages (help2man, from the programs' --help), the
# conffile, the systemd units and their maintainer-script snippets. lintian then must report no error,
# and for a Release tree no warning (overrides, each with its reason, are in
# packaging/debian/*.lintian-overrides).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

build_targets=1
if [ "${1:-}" = "--no-build" ]; then
  build_targets=0
  shift
fi
build=${1:-$root/build/release}
out=${2:-$build/packages}
targets=(cccd-server cccd-station cccd-kiosk cccd-card cccd-pki cccd_auth_client_bundle)

for tool in dpkg-buildpackage dh help2man lintian cmake; do
  command -v "$tool" >/dev/null || { echo "package: $tool is missing: run scripts/setup.sh" >&2; exit 2; }
done

if [ ! -f "$build/CMakeCache.txt" ]; then
  [ "$build_targets" -eq 1 ] || { echo "package: $build is not a build tree" >&2; exit 2; }
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
build=$(cd "$build" && pwd)
if [ "$build_targets" -eq 1 ]; then
  cmake --build "$build" -j "${CCCD_JOBS:-2}" --target "${targets[@]}"
fi
for program in cccd-server cccd-station cccd-kiosk cccd-card cccd-pki; do
  [ -x "$build/bin/$program" ] || { echo "package: $build/bin/$program is not built" >&2; exit 2; }
done
[ -f "$build/packaging/libcccd-auth-client.a" ] ||
  { echo "package: $build/packaging/libcccd-auth-client.a is not built (target cccd_auth_client_bundle)" >&2; exit 2; }

# One version: the project's (CMakeLists.txt) is the packages' (debian/changelog).
project_version=$(sed -n 's/^project(cccd VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
package_version=$(dpkg-parsechangelog -l "$root/packaging/debian/changelog" -SVersion)
if [ "${package_version%%-*}" != "$project_version" ]; then
  echo "package: debian/changelog says $package_version, CMakeLists.txt says $project_version: add a changelog entry" >&2
  exit 2
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
[ "$build_type" = "Release" ] || echo "package: $build is a ${build_type:-default} build: packages for testing, not for release"

# The scratch source directory: debian/ and what it installs from the repository (docs, the example).
work=$build/packaging-work
rm -rf "$work"
mkdir -p "$work/src/tests/packaging" "$out"
cp -r "$root/packaging/debian" "$work/src/debian"
cp -r "$root/docs" "$work/src/docs"
cp -r "$root/tests/packaging/consumer" "$work/src/tests/packaging/consumer"

echo "package: dpkg-buildpackage over $build (log: $work/build.log)"
if ! (cd "$work/src" && CCCD_BUILD_DIR="$build" dpkg-buildpackage -b -us -uc -d) > "$work/build.log" 2>&1; then
  tail -40 "$work/build.log" >&2
  echo "package: dpkg-buildpackage failed" >&2
  exit 1
fi
rm -f "$out"/*.deb
mv "$work"/*.deb "$out"/
ls -1 "$out"/*.deb

# lintian: no error, and from a Release tree no warning either; informational tags are printed, not
# fatal. Packages of a Debug or sanitized tree are for tests only: there a warning is reported, and only
# an error fails.
fail_on=error,warning
[ "$build_type" = "Release" ] || fail_on=error
echo "package: lintian (fails on: $fail_on)"
lintian --fail-on "$fail_on" --display-info "$out"/*.deb
echo "package: lintian passed"
