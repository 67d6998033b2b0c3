//! 文件清单: every input with its format, forms, branches, size and hash.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Workbook, XlsxError};

use super::SHEETS;
use crate::forms::FormKind;
use crate::results::{Evaluation, ManifestLine, Skipped};
use crate::xlsx::{Cell, Column, Columns, fitting_width, print_table};

fn forms_label(kinds: &[FormKind]) -> String {
    let mut counts: BTreeMap<FormKind, usize> = BTreeMap::new();
    for k in kinds {
        *counts.entry(*k).or_default() += 1;
    }
    counts
        .iter()
        .map(|(k, n)| {
            if *n > 1 {
                format!("{}×{n}", k.label())
            } else {
                k.label().to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// A line of 文件清单: a file read, or one passed over.
enum Line<'a> {
    Read(ManifestLine<'a>),
    Skipped(&'a Skipped),
}

/// 文件清单: every file read, then every file and folder skipped.
pub(super) fn manifest(wb: &mut Workbook, eval: &Evaluation) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet_with_low_memory()?.set_name(SHEETS[5])?;
    let lines: Vec<Line> = eval
        .manifest()
        .into_iter()
        .map(Line::Read)
        .chain(eval.skipped.iter().map(Line::Skipped))
        .collect();
    let read = |cell: fn(&ManifestLine) -> Cell| {
        move |line: &Line| match line {
            Line::Read(l) => cell(l),
            Line::Skipped(_) => Cell::Empty,
        }
    };
    let paths = lines.iter().map(|line| match line {
        Line::Read(l) => l.path.as_ref(),
        Line::Skipped(s) => s.rel.as_str(),
    });
    let columns = Columns(vec![
        Column::new("文件", fitting_width(paths, 16.0, 40.0), |line: &Line| match line {
            Line::Read(l) => Cell::text(l.path.as_ref()),
            Line::Skipped(s) => Cell::text(&s.rel),
        })
        .wrapping(),
        Column::new("格式", 5.0, read(|l| Cell::opt(l.format.map(|x| x.name())))),
        Column::new("识别结果", 14.0, |line: &Line| match line {
            Line::Read(l) if l.forms.is_empty() => Cell::text("未识别"),
            Line::Read(l) => Cell::text(forms_label(&l.forms)),
            Line::Skipped(s) => Cell::text(s.problem.to_string()),
        })
        .wrapping(),
        Column::new("支部", 18.0, read(|l| Cell::text(l.branches.join("、")))).wrapping(),
        Column::new("大小（字节）", 7.0, read(|l| Cell::Count(l.size))),
        // A SHA-256 is 64 digits: two lines of 32.
        Column::new("SHA-256", 31.0, read(|l| Cell::opt(l.sha256.as_deref()))).wrapping(),
        Column::new("状态", 8.0, |line: &Line| match line {
            Line::Read(l) => Cell::text(l.status.label()),
            Line::Skipped(_) => Cell::text("已跳过"),
        })
        .wrapping(),
    ]);
    let layout = columns.layout();
    columns.write_header(ws, 0, &layout)?;
    for (i, line) in lines.iter().enumerate() {
        columns.write_row(ws, i as u32 + 1, line, None, &layout)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, lines.len() as u32, 6)?;
    layout.apply(ws)?;
    print_table(ws, &eval.heading("文件清单"), 1, &layout, 0, &[])
}
