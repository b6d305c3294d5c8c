#!/usr/bin/env bash
# Download EmoDB's audio from its official site into data/emodb-wav/.
# Needs internet; fails with a clear message without it. Tests never call this.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
url="http://emodb.bilderbar.info/download/download.zip"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "fetching $url"
if ! curl -fsSL --connect-timeout 15 -o "$tmp/emodb.zip" "$url"; then
  echo "fetch-emodb: could not download $url (offline, or the site moved)." >&2
  echo "Get EmoDB by hand from http://emodb.bilderbar.info/ and unpack its wav/ folder as $here/emodb-wav/" >&2
  exit 1
fi
mkdir -p "$here/emodb-wav"
unzip -q -o -j "$tmp/emodb.zip" 'wav/*' -d "$here/emodb-wav"
echo "EmoDB audio: $(ls "$here/emodb-wav" | wc -l) files in $here/emodb-wav"
