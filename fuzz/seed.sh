#!/usr/bin/env bash
# Fills corpus/read_workbook with the fixture workbooks and a few samples of
# every form kind, as starting points for the fuzzer.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus="$here/corpus/read_workbook"
mkdir -p "$corpus"
cp "$here"/../tests/fixtures/*.xls* "$here"/../tests/fixtures/*.ods "$corpus"/
find "$here/../samples/inbox" -type f \( -name '*.xlsx' -o -name '*.xls' -o -name '*.ods' \) | sort | head -40 |
  while read -r f; do cp "$f" "$corpus/$(printf '%s' "$f" | sha1sum | cut -c1-12).${f##*.}"; done
ls "$corpus" | wc -l
