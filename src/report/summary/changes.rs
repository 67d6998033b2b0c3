//! 增星摘星: every branch whose tier changed since the archived round
//! compared with, every new one, and every one no longer rated.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::NO_PARENT;
use crate::layout::{BRANCH_IDENTITY, NUMBER, printed};
use crate::results::{Change, Comparison, Evaluation};
use crate::xlsx::{Cell, Column, Columns, merge_text, print_setup};

/// The sheet's name.
pub const CHANGES_SHEET: &str = "增星摘星";

/// One line: parent, name, tier then, tier now, and what changed
/// (`None`: no longer rated).
struct Line<'a> {
    parent: &'a str,
    name: &'a str,
    then: Option<&'a str>,
    now: Option<&'a str>,
    change: Option<Change>,
}

pub(super) fn changes(wb: &mut Workbook, eval: &Evaluation, c: &Comparison) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(CHANGES_SHEET)?;
    let scheme = &eval.schemes.branch;
    // Up first, then down, then new, each by parent and name; then those gone.
    let mut lines: Vec<Line> = eval
        .branches
        .iter()
        .filter_map(|b| {
            let p = b.previous.as_ref()?;
            matches!(p.change, Change::Up | Change::Down | Change::New).then(|| Line {
                parent: b.identity.parent.as_deref().unwrap_or(NO_PARENT),
                name: &b.identity.name,
                then: p.tier.as_deref(),
                now: b.tier.map(|t| scheme.tier(t).name.as_str()),
                change: Some(p.change),
            })
        })
        .collect();
    lines.sort_by_key(|l| (l.change, l.parent, l.name));
    let count = |change: Change| lines.iter().filter(|l| l.change == Some(change)).count();
    let intro = format!(
        "与{}相比：升星 {} 个，降星 {} 个，新参评 {} 个，本轮未参评 {} 个。",
        c.round,
        count(Change::Up),
        count(Change::Down),
        count(Change::New),
        c.absent.len()
    );
    lines.extend(c.absent.iter().map(|(identity, then)| Line {
        parent: identity.parent.as_deref().unwrap_or(NO_PARENT),
        name: &identity.name,
        then: then.as_deref(),
        now: None,
        change: None,
    }));
    let columns = Columns(vec![
        Column::new(NUMBER, 6.0, |(i, _): &(usize, &Line)| Cell::Count(*i as u64 + 1)),
        Column::new(printed(BRANCH_IDENTITY.parent), 24.0, |(_, l): &(usize, &Line)| {
            Cell::text(l.parent)
        })
        .wrapping(),
        Column::new(printed(BRANCH_IDENTITY.name), 30.0, |(_, l): &(usize, &Line)| {
            Cell::text(l.name)
        })
        .wrapping(),
        Column::new("上轮星级", 10.0, |(_, l): &(usize, &Line)| Cell::opt(l.then)),
        Column::new("本轮星级", 10.0, |(_, l): &(usize, &Line)| Cell::opt(l.now)),
        Column::new("变化", 10.0, |(_, l): &(usize, &Line)| {
            Cell::text(l.change.map_or("本轮未参评", Change::label))
        }),
    ]);
    let layout = columns.layout();
    let last = columns.0.len() as u16 - 1;
    merge_text(ws, (0, 0), (0, last), &intro, &Format::new().set_bold())?;
    columns.write_header(ws, 1, &layout)?;
    for (i, line) in lines.iter().enumerate() {
        let fill = match line.change {
            Some(Change::Up) => Some(0xE2EFDA),
            Some(Change::Down) => Some(0xFCE4D6),
            _ => None,
        };
        columns.write_row(ws, i as u32 + 2, &(i, line), fill, &layout)?;
    }
    layout.apply(ws)?;
    ws.set_freeze_panes(2, 0)?;
    print_setup(ws, &eval.heading(CHANGES_SHEET), 2)
}
