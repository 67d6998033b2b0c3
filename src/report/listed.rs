//! What the schemes' rules over rounds list (年度先进党小组, groups to
//! review, members left at a tier for a year), in words and as a sheet.
//! The words state what the archive shows; the decision stays with the
//! branch.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::NO_PARENT;
use crate::layout::NUMBER;
use crate::points::fmt_points;
use crate::results::{Listed, ListedRule, RoundResult};
use crate::xlsx::{Cell, Column, Columns, fitting_width, print_table};

/// One round as the facts name it: `2026年上半年 92.5 分（合格）`.
fn round(r: &RoundResult) -> String {
    match (&r.tier, r.total) {
        (Some(tier), Some(total)) => format!("{} {} 分（{tier}）", r.round, fmt_points(total)),
        (Some(tier), None) => format!("{} {tier}", r.round),
        _ => format!("{} 待核实", r.round),
    }
}

/// What the archive shows, in one sentence.
pub fn facts(l: &Listed) -> String {
    let rounds: Vec<String> = l.rounds.iter().map(round).collect();
    let rounds = rounds.join("、");
    match &l.rule {
        ListedRule::Best { average, .. } => format!("{rounds}，平均 {} 分", fmt_points(*average)),
        ListedRule::Review { at_or_below, years, .. } => {
            format!("{rounds}：{years} 个年度内每次考评均为{at_or_below}及以下")
        }
        ListedRule::Unimproved {
            tier, since, months, ..
        } => format!("自{since}起连续 {} 次评定为{tier}，已 {months} 个月", l.rounds.len()),
    }
}

/// What the scheme says of it: the distinction, the advice or the procedure.
pub fn conclusion(l: &Listed) -> String {
    match &l.rule {
        ListedRule::Best { label, tie, .. } => {
            if *tie {
                format!("{label}（并列，由支部确定）")
            } else {
                label.clone()
            }
        }
        ListedRule::Review { advice, .. } => advice.clone(),
        ListedRule::Unimproved { procedure, .. } => format!("{procedure}（由支部按程序研究决定）"),
    }
}

/// Titles of a list's identity columns: the parent's and the name's.
pub struct ListTitles<'a> {
    /// The parent column (所属党支部, 支部名称).
    pub parent: &'a str,
    /// The name column (党小组名称, 姓名).
    pub name: &'a str,
}

/// A sheet listing `rows`: 序号, parent, name, 情况, 结论.
pub fn sheet(
    wb: &mut Workbook,
    (name, heading): (&str, &str),
    titles: ListTitles<'_>,
    rows: &[&Listed],
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(name)?;
    let parent = |l: &Listed| l.identity.parent.clone().unwrap_or_else(|| NO_PARENT.to_string());
    let columns = Columns(vec![
        Column::new(NUMBER, 5.0, |(i, _): &(usize, &Listed)| Cell::Count(*i as u64 + 1)),
        Column::new(
            titles.parent,
            fitting_width(
                rows.iter().map(|l| l.identity.parent.as_deref().unwrap_or(NO_PARENT)),
                12.0,
                26.0,
            ),
            move |(_, l): &(usize, &Listed)| Cell::text(parent(l)),
        )
        .wrapping(),
        Column::new(
            titles.name,
            fitting_width(rows.iter().map(|l| l.identity.name.as_str()), 8.0, 16.0),
            |(_, l): &(usize, &Listed)| Cell::text(&l.identity.name),
        )
        .wrapping(),
        Column::new("情况", 44.0, |(_, l): &(usize, &Listed)| Cell::text(facts(l))).wrapping(),
        Column::new("结论", 22.0, |(_, l): &(usize, &Listed)| Cell::text(conclusion(l))).wrapping(),
    ]);
    let layout = columns.layout();
    columns.write_header(ws, 0, &layout)?;
    for (i, l) in rows.iter().enumerate() {
        columns.write_row(ws, i as u32 + 1, &(i, *l), None, &layout)?;
    }
    layout.apply(ws)?;
    ws.set_freeze_panes(1, 0)?;
    print_table(ws, heading, 1, &layout, 0, &[])
}
