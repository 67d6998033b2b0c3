//! 问题清单: every problem found, most serious first.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::SHEETS;
use crate::issue::{Issue, Severity};
use crate::layout::NUMBER;
use crate::results::Evaluation;
use crate::xlsx::{Cell, Column, Columns, fitting_width, print_table};

/// 问题清单, errors first.
pub(super) fn problems(wb: &mut Workbook, eval: &Evaluation) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet_with_low_memory()?.set_name(SHEETS[4])?;
    // Errors first, then warnings, then notes, each by file: what needs
    // fixing leads. Sorted as written, so a redacted ballot's place in the
    // list says nothing of its file.
    let mut listed: Vec<Issue> = eval.issues.iter().map(Issue::for_output).collect();
    listed.sort_by(|a, b| a.severity.cmp(&b.severity).then_with(|| a.report_order(b)));
    let columns = Columns(vec![
        Column::new(NUMBER, 5.0, |(i, _): &(usize, &Issue)| Cell::Count(*i as u64 + 1)),
        Column::new("严重程度", 6.0, |(_, issue): &(usize, &Issue)| {
            Cell::text(issue.severity.label())
        }),
        Column::new(
            "文件",
            fitting_width(listed.iter().map(|i| i.file.as_str()), 16.0, 36.0),
            |(_, issue): &(usize, &Issue)| Cell::text(&issue.file),
        )
        .wrapping(),
        Column::new("工作表", 12.0, |(_, issue): &(usize, &Issue)| {
            Cell::opt(issue.sheet.clone())
        })
        .wrapping(),
        Column::new("单元格", 6.0, |(_, issue): &(usize, &Issue)| {
            Cell::opt(issue.cell.map(|c| c.to_string()))
        }),
        Column::new("说明", 60.0, |(_, issue): &(usize, &Issue)| {
            Cell::text(&issue.message)
        })
        .wrapping(),
    ]);
    let layout = columns.layout();
    columns.write_header(ws, 0, &layout)?;
    for (i, issue) in listed.iter().enumerate() {
        let fill = match issue.severity {
            Severity::Error => Some(0xFFC7CE),
            Severity::Warning => Some(0xFFEB9C),
            Severity::Note => None,
        };
        columns.write_row(ws, i as u32 + 1, &(i, issue), fill, &layout)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, eval.issues.len() as u32, 5)?;
    layout.apply(ws)?;
    print_table(ws, &eval.heading("问题清单"), 1, &layout, 0, &[])
}
