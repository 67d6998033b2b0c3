#!/usr/bin/env bash
# Renders outputs the way a reader meets them: every workbook of an output
# folder and the standard templates to PDF with LibreOffice (as printed),
# every PDF page to PNG, then lists the smallest printed text per page.
#
#   scripts/render.sh                 # scores samples/inbox, renders into target/render/
#   scripts/render.sh 输出目录 [渲染目录]
#
# Needs soffice (libreoffice-calc-nogui), the Calibri-compatible Carlito font
# (fonts-crosextra-carlito: without it LibreOffice sizes columns with a wider
# font and prints everything smaller than Excel or WPS would), pdftoppm
# (poppler-utils) and, for the sizes, pdfminer.six.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-}
dest=${2:-target/render}
if [ -z "$out" ]; then
  out=target/render/评定结果
  # Exit status 2 (results written, some inputs had errors) is expected here.
  cargo run --release --quiet -- score samples/inbox -o "$out" -q --json || [ $? -eq 2 ]
fi
rm -rf "$dest/pdf" "$dest/png"
mkdir -p "$dest/pdf" "$dest/png"
flat=$(mktemp -d)
trap 'rm -rf "$flat"' EXIT
# One flat folder: feedback workbooks of different organisations share names.
find "$out" -name '*.xlsx' -print0 | sort -z | while IFS= read -r -d '' f; do
  rel=${f#"$out"/}
  cp "$f" "$flat/${rel//\//_}"
done
for f in templates/standard/*.xlsx; do
  cp "$f" "$flat/模板_$(basename "$f")"
done
soffice --headless -env:UserInstallation="file://$flat/profile" --convert-to pdf --outdir "$dest/pdf" "$flat"/*.xlsx >/dev/null 2>&1
for pdf in "$dest/pdf"/*.pdf; do
  pdftoppm -r 70 -png "$pdf" "$dest/png/$(basename "${pdf%.pdf}")"
done
echo "PDF: $dest/pdf  PNG: $dest/png ($(ls "$dest/png" | wc -l) pages)"
if python3 -c 'import pdfminer' 2>/dev/null; then
  python3 scripts/print_sizes.py "$dest/pdf"
fi
