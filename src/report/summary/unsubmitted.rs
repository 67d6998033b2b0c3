//! 未提交: registered branches that have not sent every form the round
//! expects, grouped by parent organisation, to phone round.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::NO_PARENT;
use crate::layout::{BRANCH_IDENTITY, NUMBER, printed};
use crate::results::{Collection, Evaluation, Unsubmitted, missing_label};
use crate::xlsx::{Cell, Column, Columns, merge_text, print_setup};

/// The sheet's name.
pub const UNSUBMITTED_SHEET: &str = "未提交";

/// One line: its number on the list and the branch.
type Line<'a> = (usize, &'a Unsubmitted);

pub(super) fn unsubmitted(wb: &mut Workbook, eval: &Evaluation, c: &Collection) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(UNSUBMITTED_SHEET)?;
    let columns = Columns(vec![
        Column::new(NUMBER, 6.0, |(i, _): &Line| Cell::Count(*i as u64 + 1)),
        Column::new(printed(BRANCH_IDENTITY.name), 30.0, |(_, u): &Line| {
            Cell::text(&u.identity.name)
        })
        .wrapping(),
        Column::new(printed(BRANCH_IDENTITY.code), 12.0, |(_, u): &Line| {
            Cell::opt(u.identity.code.clone())
        }),
        Column::new("未提交", 30.0, |(_, u): &Line| {
            let missing: Vec<&str> = u.missing.iter().map(|k| missing_label(*k)).collect();
            Cell::text(missing.join("、"))
        })
        .wrapping(),
        Column::new("说明", 40.0, |(_, u): &Line| Cell::opt(u.note.clone())).wrapping(),
    ]);
    let layout = columns.layout();
    let last = columns.0.len() as u16 - 1;
    let intro = format!(
        "支部名册（{}）登记 {} 个支部，{} 个未提交齐全。",
        c.source.file,
        c.registered,
        c.unsubmitted.len()
    );
    merge_text(ws, (0, 0), (0, last), &intro, &Format::new().set_bold())?;
    columns.write_header(ws, 1, &layout)?;
    let group = Format::new().set_bold().set_background_color(0xDDEBF7);
    let parent_of = |u: &Unsubmitted| u.identity.parent.as_deref().unwrap_or(NO_PARENT).to_string();
    let mut row = 2;
    let mut parent: Option<String> = None;
    for (i, u) in c.unsubmitted.iter().enumerate() {
        let this = parent_of(u);
        if parent.as_ref() != Some(&this) {
            let n = c.unsubmitted.iter().filter(|o| parent_of(o) == this).count();
            merge_text(ws, (row, 0), (row, last), &format!("{this}（{n} 个支部）"), &group)?;
            row += 1;
            parent = Some(this);
        }
        columns.write_row(ws, row, &(i, u), None, &layout)?;
        row += 1;
    }
    layout.apply(ws)?;
    ws.set_freeze_panes(2, 0)?;
    print_setup(ws, &eval.heading(UNSUBMITTED_SHEET), 2)
}
