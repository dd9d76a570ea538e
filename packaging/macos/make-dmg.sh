#!/usr/bin/env bash
# macOS: the same spec builds "dist/Shelter Desk.app" (PyInstaller's BUNDLE step); this wraps
# it in a compressed disk image with hdiutil, which ships with macOS.
#   make package && bash packaging/macos/make-dmg.sh
# Not built or tried on this project's Linux machine: see packaging/README.md. The app is
# not signed or notarised; Gatekeeper asks the user to open it from the context menu once.
set -euo pipefail
cd "$(dirname "$0")/../.."
app="dist/Shelter Desk.app"
[ -d "$app" ] || { echo "build first: $app is missing" >&2; exit 1; }
version=$(.venv/bin/python -c 'import shelter_desk; print(shelter_desk.__version__)')
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "Shelter Desk" -srcfolder "$staging" -ov -format UDZO \
  "dist/shelter-desk-$version-macos.dmg"
