#!/usr/bin/env bash
# Smoke test of the packaged app, as a shelter's laptop runs it: a copy of dist/shelter-desk
# in a folder of its own, far from the source tree, with a bare environment (no Python, no
# virtual environment, no PATH entries of ours), offscreen.
#
#     bash packaging/smoke-test.sh dist/shelter-desk
#
# Checks: it prints its version; creates a demo installation; prints an Arabic intake form
# whose text extracts as Arabic (pdftotext); renders the Hebrew screens; and writes nothing
# outside its data folder and the files it was asked to write (HOME and TMPDIR stay empty).
set -euo pipefail

built=${1:?usage: smoke-test.sh DIST_FOLDER}
[ -x "$built/shelter-desk" ] || { echo "no program at $built/shelter-desk" >&2; exit 1; }
command -v pdftotext >/dev/null || { echo "pdftotext (poppler-utils) is needed" >&2; exit 1; }

place=$(mktemp -d /tmp/shelter-desk-smoke.XXXXXX)
trap 'rm -rf "$place"' EXIT
cp -a "$built" "$place/app"
mkdir -p "$place/home" "$place/tmp" "$place/out"
app="$place/app/shelter-desk"
data="$place/data"
bare() { env -i HOME="$place/home" TMPDIR="$place/tmp" QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 "$@"; }

step() { printf '%-52s' "$1"; }
ok() { echo "ok${1:+ ($1)}"; }

step "version"
version=$(bare "$app" --version)
[[ $version =~ ^shelter-desk\ [0-9]+\.[0-9]+\.[0-9]+ ]] || { echo "got: $version"; exit 1; }
ok "$version"

step "demo installation"
start=$(date +%s.%N)
bare "$app" --data-dir "$data" demo --cases 30 >"$place/out/demo.txt" 2>"$place/out/demo.err"
grep -q '^passphrase: ' "$place/out/demo.txt"
ok "$(awk "BEGIN {printf \"%.1f s\", $(date +%s.%N) - $start}")"

step "Arabic intake form, text extracts as Arabic"
passphrase=$(sed -n 's/^passphrase: //p' "$place/out/demo.txt" | head -1)  # the administrator comes first
user=$(sed -n 's/^user: //p' "$place/out/demo.txt" | head -1)
number=$(printf '%s\n' "$passphrase" | bare "$app" --data-dir "$data" --user "$user" \
  case list --limit 1 | awk '{print $1}')
printf '%s\n' "$passphrase" | bare "$app" --data-dir "$data" --user "$user" --lang ar \
  print intake --lang ar --case "$number" --out "$place/out/intake-ar.pdf" >/dev/null
pdftotext "$place/out/intake-ar.pdf" - >"$place/out/intake-ar.txt"
arabic=$(LC_ALL=C.UTF-8 grep -oP '\p{Arabic}' "$place/out/intake-ar.txt" | wc -l)
[ "$arabic" -gt 200 ] || { echo "only $arabic Arabic letters extracted"; exit 1; }
LC_ALL=C.UTF-8 grep -q 'الاستقبال' "$place/out/intake-ar.txt" || { echo "the form's title is missing"; exit 1; }
ok "$arabic Arabic letters"

step "Hebrew screenshots"
bare "$app" --data-dir "$data" --lang he screenshots --out "$place/out/shots" >/dev/null 2>"$place/out/shots.err"
shots=$(find "$place/out/shots" -name '*.png' -size +10k | wc -l)
[ "$shots" -ge 8 ] || { echo "only $shots screenshots"; exit 1; }
ok "$shots screens"

step "nothing written outside the data folder"
left=$(find "$place/home" "$place/tmp" -mindepth 1 | head -5)
[ -z "$left" ] || { echo "left behind:"; echo "$left"; exit 1; }
inside=$(find "$place/app" -newer "$place/out/demo.txt" -type f | head -5)
[ -z "$inside" ] || { echo "wrote into the program folder:"; echo "$inside"; exit 1; }
ok

echo "smoke test passed: $(du -sh "$place/app" | cut -f1) unpacked"
