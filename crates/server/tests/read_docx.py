"""Opens a Word file with python-docx, an independent reader, for
crates/server/tests/supervision.rs: prints its paragraphs' text and its
tables' cells as JSON, the colour of the first run (the red head), and how
many pictures (charts) it holds.

    read_docx.py FILE
"""
import json
import sys

import docx


def main(path):
    d = docx.Document(path)
    paragraphs = [p.text for p in d.paragraphs if p.text.strip()]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
    colours = []
    for p in d.paragraphs:
        for r in p.runs:
            if r.text.strip() and r.font.color is not None and r.font.color.rgb is not None:
                colours.append([r.text, str(r.font.color.rgb)])
    section = d.sections[0]
    page = {"width_mm": round(section.page_width.mm), "height_mm": round(section.page_height.mm),
            "top_mm": round(section.top_margin.mm), "left_mm": round(section.left_margin.mm)}
    images = len(d.inline_shapes)
    print(json.dumps({"paragraphs": paragraphs, "tables": tables, "colours": colours, "page": page, "images": images},
                     ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
