//! 增星摘星: every branch whose tier changed since the archived round
//! compared with, every new one, and every one no longer rated.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::NO_PARENT;
use crate::layout::{BRANCH_IDENTITY, NUMBER, printed};
use crate::results::{Change, Comparison, Evaluation};
use crate::xlsx::{Cell, Layout, merge_text, print_setup, write_header, write_table_row};

/// The sheet's name.
pub const CHANGES_SHEET: &str = "增星摘星";

/// One line: the change, parent, name, tier then, tier now.
type Line<'a> = (Change, &'a str, &'a str, Option<&'a str>, Option<&'a str>);

pub(super) fn changes(wb: &mut Workbook, eval: &Evaluation, c: &Comparison) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(CHANGES_SHEET)?;
    let scheme = &eval.schemes.branch;
    let labels = [
        NUMBER,
        printed(BRANCH_IDENTITY.parent),
        printed(BRANCH_IDENTITY.name),
        "上轮星级",
        "本轮星级",
        "变化",
    ]
    .map(String::from);
    let last = labels.len() as u16 - 1;
    let layout = Layout::default()
        .col(6.0)
        .wrapping(24.0)
        .wrapping(30.0)
        .col(10.0)
        .col(10.0)
        .col(10.0);
    // Up first, then down, then new, each by parent and name; then those gone.
    let mut rows: Vec<Line> = eval
        .branches
        .iter()
        .filter_map(|b| {
            let p = b.previous.as_ref()?;
            matches!(p.change, Change::Up | Change::Down | Change::New).then(|| {
                (
                    p.change,
                    b.identity.parent.as_deref().unwrap_or(NO_PARENT),
                    b.identity.name.as_str(),
                    p.tier.as_deref(),
                    b.tier.map(|t| scheme.tier(t).name.as_str()),
                )
            })
        })
        .collect();
    rows.sort();
    let count = |change: Change| rows.iter().filter(|r| r.0 == change).count();
    let intro = format!(
        "与{}相比：升星 {} 个，降星 {} 个，新参评 {} 个，本轮未参评 {} 个。",
        c.round,
        count(Change::Up),
        count(Change::Down),
        count(Change::New),
        c.absent.len()
    );
    merge_text(ws, (0, 0), (0, last), &intro, &Format::new().set_bold())?;
    write_header(ws, 1, &labels)?;
    let mut row = 2;
    for (i, (change, parent, name, then, now)) in rows.iter().enumerate() {
        let fill = match change {
            Change::Up => Some(0xE2EFDA),
            Change::Down => Some(0xFCE4D6),
            _ => None,
        };
        let cells = [
            Cell::Count(i as u64 + 1),
            Cell::text(*parent),
            Cell::text(*name),
            Cell::opt(*then),
            Cell::opt(*now),
            Cell::text(change.label()),
        ];
        write_table_row(ws, row, &cells, fill, &layout)?;
        row += 1;
    }
    for (k, (identity, then)) in c.absent.iter().enumerate() {
        let cells = [
            Cell::Count((rows.len() + k) as u64 + 1),
            Cell::text(identity.parent.as_deref().unwrap_or(NO_PARENT)),
            Cell::text(&identity.name),
            Cell::opt(then.clone()),
            Cell::Empty,
            Cell::text("本轮未参评"),
        ];
        write_table_row(ws, row, &cells, None, &layout)?;
        row += 1;
    }
    layout.apply(ws)?;
    ws.set_freeze_panes(2, 0)?;
    print_setup(ws, &eval.heading(CHANGES_SHEET), 2)
}
