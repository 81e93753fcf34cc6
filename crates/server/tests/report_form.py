"""Opens and fills bighealth's Excel report forms with openpyxl, an
independent reader, for crates/server/tests/reporting.rs.

    report_form.py inspect FILE           prints what the file holds, as JSON
    report_form.py fill FILE OUT          fills every item rightly
    report_form.py fill-bad FILE OUT      the same with three wrong cells
    report_form.py break FILE OUT         fills rightly, then adds a column
"""
import json
import sys

import openpyxl


def inspect(path):
    book = openpyxl.load_workbook(path)
    out = {"sheets": book.sheetnames, "hidden": [s.title for s in book.worksheets if s.sheet_state != "visible"]}
    for name in ("进度表", "指标表", "项目表"):
        ws = book[name]
        out[name] = {
            "headers": [c.value for c in ws[1]],
            "rows": ws.max_row - 1,
            "protected": bool(ws.protection.sheet),
            "validations": [str(v.sqref) for v in ws.data_validations.dataValidation],
            "lists": [v.formula1 for v in ws.data_validations.dataValidation if v.type == "list"],
            "id_locked": bool(ws.max_row < 2 or ws.cell(2, 1).protection.locked),
            "input_unlocked": [not ws.cell(2, c).protection.locked for c in range(1, ws.max_column + 1)] if ws.max_row >= 2 else [],
        }
    print(json.dumps(out, ensure_ascii=False))


def fill(path, out, bad=False, breaks=False):
    book = openpyxl.load_workbook(path)
    tasks, targets, projects = book["进度表"], book["指标表"], book["项目表"]
    for r in range(2, tasks.max_row + 1):
        tasks.cell(r, 4, "序时推进")  # D 状态
        tasks.cell(r, 5, 40)  # E 完成进度（%）
        tasks.cell(r, 8, "按序时推进，完成阶段目标")  # H 进展情况
    for r in range(2, targets.max_row + 1):
        targets.cell(r, 6, 1)  # F 本期末数值
    for r in range(2, projects.max_row + 1):
        projects.cell(r, 6, 0)  # F 本月完成投资
    if bad:
        tasks.cell(2, 5, 150)  # 进度表!E2: above 100
        tasks.cell(3, 4, "迟滞")  # 进度表!D3: not a status
        if projects.max_row >= 2:
            projects.cell(2, 6, "五十")  # 项目表!F2: not a number
        else:
            targets.cell(2, 6, "五十")  # 指标表!F2: not a number
    if breaks:
        tasks.cell(1, 12, "备注")
    book.save(out)


if __name__ == "__main__":
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "inspect":
        inspect(path)
    else:
        fill(path, sys.argv[3], bad=mode == "fill-bad", breaks=mode == "break")
