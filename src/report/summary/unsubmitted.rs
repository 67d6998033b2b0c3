//! 未提交: registered branches that have not sent every form the round
//! expects, grouped by parent organisation, to phone round.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::NO_PARENT;
use crate::layout::{BRANCH_IDENTITY, NUMBER, printed};
use crate::results::Evaluation;
use crate::results::{Collection, missing_label};
use crate::xlsx::{Cell, Layout, merge_text, print_setup, write_header, write_table_row};

/// The sheet's name.
pub const UNSUBMITTED_SHEET: &str = "未提交";

pub(super) fn unsubmitted(wb: &mut Workbook, eval: &Evaluation, c: &Collection) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(UNSUBMITTED_SHEET)?;
    let labels = [
        NUMBER,
        printed(BRANCH_IDENTITY.name),
        printed(BRANCH_IDENTITY.code),
        "未提交",
        "说明",
    ]
    .map(String::from);
    let last = labels.len() as u16 - 1;
    let layout = Layout::default()
        .col(6.0)
        .wrapping(30.0)
        .col(12.0)
        .wrapping(30.0)
        .wrapping(40.0);
    let group = Format::new().set_bold().set_background_color(0xDDEBF7);
    let mut row = 0;
    let intro = format!(
        "支部名册（{}）登记 {} 个支部，{} 个未提交齐全。",
        c.source.file,
        c.registered,
        c.unsubmitted.len()
    );
    merge_text(ws, (row, 0), (row, last), &intro, &Format::new().set_bold())?;
    row += 1;
    write_header(ws, row, &labels)?;
    let header_row = row;
    row += 1;
    let mut parent: Option<&str> = None;
    for (i, u) in c.unsubmitted.iter().enumerate() {
        let this = u.identity.parent.as_deref().unwrap_or(NO_PARENT);
        if parent != Some(this) {
            let n = c
                .unsubmitted
                .iter()
                .filter(|o| o.identity.parent.as_deref().unwrap_or(NO_PARENT) == this)
                .count();
            merge_text(ws, (row, 0), (row, last), &format!("{this}（{n} 个支部）"), &group)?;
            row += 1;
            parent = Some(this);
        }
        let missing: Vec<&str> = u.missing.iter().map(|k| missing_label(*k)).collect();
        let cells = [
            Cell::Count(i as u64 + 1),
            Cell::text(&u.identity.name),
            Cell::opt(u.identity.code.clone()),
            Cell::text(missing.join("、")),
            Cell::opt(u.note.clone()),
        ];
        write_table_row(ws, row, &cells, None, &layout)?;
        row += 1;
    }
    layout.apply(ws)?;
    ws.set_freeze_panes(header_row + 1, 0)?;
    print_setup(ws, &eval.heading(UNSUBMITTED_SHEET), header_row + 1)
}
