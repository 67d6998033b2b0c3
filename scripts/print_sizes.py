"""Smallest printed text size per page of the PDFs scripts/render.sh made.

    python3 scripts/print_sizes.py [target/render/pdf]

Prints one line per page: file, page, smallest glyph height in points, and how
many characters fall under 7 pt (too small to read on a printed table).
Needs pdfminer.six (pip install pdfminer.six).
"""

import glob
import os
import sys

from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextContainer

MIN_PT = 7.0


def chars(element):
    if isinstance(element, LTChar):
        yield element
    elif hasattr(element, "__iter__"):
        for child in element:
            yield from chars(child)


def main(folder):
    worst = 0
    for pdf in sorted(glob.glob(os.path.join(folder, "*.pdf"))):
        for number, page in enumerate(extract_pages(pdf), start=1):
            sizes = [round(c.size, 1) for c in chars(page) if c.get_text().strip()]
            if not sizes:
                continue
            small = sum(1 for s in sizes if s < MIN_PT)
            worst = max(worst, small)
            print(f"{os.path.basename(pdf)}\tpage {number}\tmin {min(sizes):.1f} pt\t{small} chars < {MIN_PT} pt")
    return 1 if worst else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "target/render/pdf"))
