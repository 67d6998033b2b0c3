//! 疑似雷同: forms that look copied from another branch's or made up, for
//! the office to review; written only when something was found.

use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

use super::SIMILAR_SHEET;
use crate::layout::NUMBER;
use crate::results::{Evaluation, Resemblance, ResemblingSheet};
use crate::xlsx::{Cell, Column, Columns, fitting_width, merge_text, print_setup, wrapped_lines};

/// One line: its number on the list and what was found.
type Line<'a> = (usize, &'a Resemblance);

/// A sheet's branch with its parent organisation.
fn whose(s: &ResemblingSheet) -> String {
    match &s.identity.parent {
        Some(parent) => format!("{}（{parent}）", s.identity.name),
        None => s.identity.name.clone(),
    }
}

/// Each sheet's line in a cell, in the resemblance's order.
fn lines(r: &Resemblance, line: impl Fn(&ResemblingSheet) -> String) -> Cell {
    Cell::text(r.sheets.iter().map(line).collect::<Vec<_>>().join("\n"))
}

pub(super) fn similar(wb: &mut Workbook, eval: &Evaluation) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(SIMILAR_SHEET)?;
    let place = |s: &ResemblingSheet| format!("{} › {}", s.source.file, s.source.sheet);
    let names: Vec<String> = eval.resemblances.iter().flat_map(|r| &r.sheets).map(whose).collect();
    let places: Vec<String> = eval.resemblances.iter().flat_map(|r| &r.sheets).map(place).collect();
    // Wide enough for a branch or a file on one line, as far as the page allows.
    let whose_width = fitting_width(names.iter().map(String::as_str), 20.0, 44.0);
    let place_width = fitting_width(places.iter().map(String::as_str), 24.0, 60.0);
    let columns = Columns(vec![
        Column::new(NUMBER, 6.0, |(i, _): &Line| Cell::Count(*i as u64 + 1)),
        Column::new("类别", 16.0, |(_, r): &Line| Cell::text(r.label())),
        Column::new("支部", whose_width, |(_, r): &Line| lines(r, whose)).wrapping(),
        Column::new("文件与工作表", place_width, move |(_, r): &Line| lines(r, place)).wrapping(),
        Column::new("情况", 44.0, |(_, r): &Line| Cell::text(r.describe())).wrapping(),
    ]);
    let layout = columns.layout();
    let last = columns.0.len() as u16 - 1;
    // Counted per category, in the order the list gives them.
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for r in &eval.resemblances {
        match counts.iter_mut().find(|(label, _)| *label == r.label()) {
            Some((_, n)) => *n += 1,
            None => counts.push((r.label(), 1)),
        }
    }
    let counted: Vec<String> = counts.iter().map(|(label, n)| format!("{label} {n} 处")).collect();
    let intro = format!(
        "疑似雷同 {} 处（{}）。以下情况仅供核查，不作为否决依据：请向有关支部核实，确属弄虚作假的再按评星方案处理。",
        eval.resemblances.len(),
        counted.join("、")
    );
    let width: f64 = layout.widths.iter().sum();
    ws.set_row_height(0, 15.0 * wrapped_lines(&intro, width * 0.92) as f64 + 4.0)?;
    let note = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    merge_text(ws, (0, 0), (0, last), &intro, &note)?;
    columns.write_header(ws, 1, &layout)?;
    for (i, r) in eval.resemblances.iter().enumerate() {
        columns.write_row(ws, i as u32 + 2, &(i, r), None, &layout)?;
    }
    layout.apply(ws)?;
    ws.set_freeze_panes(2, 0)?;
    print_setup(ws, &eval.heading(SIMILAR_SHEET), 2)
}
