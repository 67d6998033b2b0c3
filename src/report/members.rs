//! 党员星级汇总.xlsx: five-star members to report (上报名单), members to
//! mentor with their mentors (帮扶名单), and every member (党员星级总表).

use rust_xlsxwriter::{Workbook, XlsxError};

use super::NO_PARENT;
use super::listed::{self, ListTitles};
use super::trail_tier;
use crate::layout::{BRANCH_IDENTITY, NUMBER, ROSTER, printed};
use crate::results::Evaluation;
use crate::results::{Listed, MemberResult, MemberYear, Status};
use crate::scheme::{Scheme, TierId};
use crate::xlsx::{Cell, Column, Columns, Trail, TrailRow, fitting_width, new_workbook, print_table};

/// File name of the member summary.
pub const FILE: &str = "党员星级汇总.xlsx";
/// Sheet names, in workbook order.
pub const SHEETS: [&str; 3] = ["上报名单", "帮扶名单", "党员星级总表"];
/// The sheet of the year's member rounds side by side.
pub const YEAR_SHEET: &str = "年度汇总";
/// Shown for a mentee whose branch has no member of the mentor tier.
pub const NEEDS_ASSIGNMENT: &str = "需上级指派";

/// The member's branch, its parent and the member, titled as on the roster.
const BRANCH: &str = printed(BRANCH_IDENTITY.name);
const PARENT: &str = printed(BRANCH_IDENTITY.parent);
const NAME: &str = printed(ROSTER.name);

/// Builds the workbook's bytes.
pub fn build(eval: &Evaluation) -> Result<Vec<u8>, XlsxError> {
    let scheme = &eval.schemes.member;
    let mut wb = new_workbook(&eval.heading(&format!("{}汇总", scheme.title)));
    // A province lists over a hundred thousand members: rows are written in
    // order and streamed out instead of held in memory.
    let rated = |m: &&MemberResult| m.assessment.status == Status::Rated;
    let top = TierId(0);
    let mut five: Vec<&MemberResult> = eval
        .members
        .iter()
        .filter(rated)
        .filter(|m| m.assessment.tier == Some(top))
        .collect();
    five.sort_by(|a, b| {
        branch_order(a, b).then(
            b.assessment
                .total
                .unwrap_or(0.0)
                .total_cmp(&a.assessment.total.unwrap_or(0.0)),
        )
    });
    // Branch and parent columns fit the longest names of the round.
    let (branch, parent) = (
        fitting_width(eval.members.iter().map(|m| m.branch.name.as_str()), 12.0, 26.0),
        fitting_width(
            eval.members
                .iter()
                .map(|m| m.branch.parent.as_deref().unwrap_or(NO_PARENT)),
            10.0,
            22.0,
        ),
    );
    let who = || who(branch, parent);
    let total = || {
        Column::new("总分", 7.0, |(_, m): &MemberRow| {
            Cell::Points(m.assessment.total.unwrap_or(0.0), 1)
        })
    };

    let ws = wb.add_worksheet_with_low_memory()?.set_name(SHEETS[0])?;
    let top_name = &scheme.tier(top).name;
    let mut columns = vec![number()];
    columns.extend(who());
    columns.push(total());
    let columns = Columns(columns);
    let layout = columns.layout();
    columns.write_header(ws, 0, &layout)?;
    for (i, m) in five.iter().enumerate() {
        columns.write_row(ws, i as u32 + 1, &(i, m), None, &layout)?;
    }
    layout.apply(ws)?;
    print_table(
        ws,
        &eval.heading(&format!("{}　{top_name}党员上报名单", scheme.title)),
        1,
        &layout,
        0,
        &[],
    )?;

    let ws = wb.add_worksheet_with_low_memory()?.set_name(SHEETS[1])?;
    let mut columns = vec![number()];
    columns.extend(who());
    columns.push(total());
    columns.push(Column::new("星级", 14.0, |(_, m): &MemberRow| tier_cell(scheme, m)));
    columns.push(
        Column::new("帮扶指导员", 12.0, |(_, m): &MemberRow| {
            Cell::text(m.mentor.as_deref().unwrap_or(NEEDS_ASSIGNMENT))
        })
        .wrapping(),
    );
    let columns = Columns(columns);
    let layout = columns.layout();
    columns.write_header(ws, 0, &layout)?;
    let mentees: Vec<&MemberResult> = eval.members.iter().filter(|m| m.mentee).collect();
    for (i, m) in mentees.iter().enumerate() {
        let fill = m.mentor.is_none().then_some(0xFFEB9C);
        columns.write_row(ws, i as u32 + 1, &(i, m), fill, &layout)?;
    }
    layout.apply(ws)?;
    print_table(
        ws,
        &eval.heading(&format!("{}　帮扶名单", scheme.title)),
        1,
        &layout,
        0,
        &[],
    )?;

    let ws = wb.add_worksheet_with_low_memory()?.set_name(SHEETS[2])?;
    let mut columns: Vec<Column<MemberRow>> = who().into();
    columns.extend(score_columns(scheme, 6.0, 7.0));
    columns.push(
        Column::new("标记", 20.0, |(_, m): &MemberRow| {
            Cell::text(if m.assessment.status == Status::Pending {
                "原因见汇总排名的问题清单".to_string()
            } else {
                m.assessment.vetoed.join("；")
            })
        })
        .wrapping(),
    );
    let columns = Columns(columns);
    let layout = columns.layout();
    columns.write_header(ws, 0, &layout)?;
    for (i, m) in eval.members.iter().enumerate() {
        columns.write_row(ws, i as u32 + 1, &(i, m), tier_fill(scheme, m), &layout)?;
    }
    ws.set_freeze_panes(1, 3)?;
    ws.autofilter(0, 0, eval.members.len() as u32, (columns.0.len() - 1) as u16)?;
    layout.apply(ws)?;
    print_table(
        ws,
        &eval.heading(&format!("{}　党员星级总表", scheme.title)),
        1,
        &layout,
        3,
        &[],
    )?;
    if let Some(h) = &eval.history {
        if let Some(year) = &h.member_year {
            member_year(&mut wb, eval, year)?;
        }
        let listed: Vec<&Listed> = h.members.iter().collect();
        if let Some(rule) = &scheme.rounds.unimproved
            && !listed.is_empty()
        {
            let name = format!("连续{}", rule.tier);
            let heading = eval.heading(&format!("{}　连续{}的党员", scheme.title, rule.tier));
            let titles = ListTitles {
                parent: BRANCH,
                name: NAME,
            };
            listed::sheet(&mut wb, (&name, &heading), titles, &listed)?;
        }
    }
    wb.save_to_buffer()
}

/// 年度汇总: each member's tier in the year's member rounds, then the
/// average total of the rounds rated.
fn member_year(wb: &mut Workbook, eval: &Evaluation, year: &MemberYear) -> Result<(), XlsxError> {
    let scheme = &eval.schemes.member;
    let ws = wb.add_worksheet_with_low_memory()?.set_name(YEAR_SHEET)?;
    let rows = year
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| TrailRow {
            who: vec![
                Cell::Count(i as u64 + 1),
                Cell::text(&line.branch.name),
                Cell::text(&line.name),
            ],
            tiers: line
                .rounds
                .iter()
                .map(|r| r.as_ref().and_then(|(tier, _)| trail_tier(scheme, tier)))
                .collect(),
            after: vec![
                line.average().map_or(Cell::Empty, |a| Cell::Points(a, 1)),
                Cell::Count(line.rounds.iter().flatten().count() as u64),
            ],
        })
        .collect();
    let trail = Trail {
        who: vec![
            (NUMBER.to_string(), 6.0, false),
            (
                BRANCH.to_string(),
                fitting_width(year.lines.iter().map(|l| l.branch.name.as_str()), 12.0, 26.0),
                true,
            ),
            (NAME.to_string(), 10.0, true),
        ],
        rounds: year.rounds.iter().map(|p| p.heading()).collect(),
        after: vec![("平均分".to_string(), 7.0, false), ("评定次数".to_string(), 6.0, false)],
        top: scheme.tiers.len() as f64,
        rows,
    };
    let layout = trail.write(ws, YEAR_SHEET, 0)?;
    ws.set_freeze_panes(1, 3)?;
    let title = format!(
        "{}　{}年党员逐次评定汇总",
        scheme.title,
        eval.round.map_or(0, |r| r.period.year())
    );
    print_table(ws, &eval.heading(&title), 1, &layout, 3, &[])
}

fn branch_order(a: &MemberResult, b: &MemberResult) -> std::cmp::Ordering {
    (&a.branch.parent, &a.branch.name).cmp(&(&b.branch.parent, &b.branch.name))
}

/// A row of a member list: its place in the list and the member.
pub type MemberRow<'a> = (usize, &'a MemberResult);

/// 序号.
fn number<'a>() -> Column<'a, MemberRow<'a>> {
    Column::new(NUMBER, 5.0, |(i, _): &MemberRow| Cell::Count(*i as u64 + 1))
}

/// 支部名称, 所属党组织, 姓名.
fn who<'a>(branch: f64, parent: f64) -> [Column<'a, MemberRow<'a>>; 3] {
    [
        Column::new(BRANCH, branch, |(_, m): &MemberRow| Cell::text(&m.branch.name)).wrapping(),
        Column::new(PARENT, parent, |(_, m): &MemberRow| {
            Cell::text(m.branch.parent.clone().unwrap_or_else(|| NO_PARENT.to_string()))
        })
        .wrapping(),
        Column::new(NAME, 10.0, |(_, m): &MemberRow| Cell::text(&m.assessment.identity.name)).wrapping(),
    ]
}

/// A member's results: aspects, bonus and total (empty while pending), tier
/// and mentor; scores `score` wide, the total `total` wide.
pub fn score_columns(scheme: &Scheme, score: f64, total: f64) -> Vec<Column<'_, MemberRow<'_>>> {
    let rated = |m: &MemberResult| m.assessment.status == Status::Rated && m.assessment.tier.is_some();
    let mut columns: Vec<Column<MemberRow>> = scheme
        .indicators
        .iter()
        .enumerate()
        .map(|(k, aspect)| {
            Column::new(&*aspect.name, score, move |(_, m): &MemberRow| {
                match m.assessment.indicators.get(k).filter(|_| rated(m)) {
                    Some(ind) => Cell::Score(ind.score),
                    None => Cell::Empty,
                }
            })
        })
        .collect();
    columns.push(Column::new(&scheme.bonus.label, score, move |(_, m): &MemberRow| {
        if rated(m) {
            Cell::Score(m.assessment.bonus)
        } else {
            Cell::Empty
        }
    }));
    columns.push(Column::new("总分", total, move |(_, m): &MemberRow| {
        if rated(m) {
            Cell::Points(m.assessment.total.unwrap_or(0.0), 1)
        } else {
            Cell::Empty
        }
    }));
    columns.push(Column::new("星级", 14.0, |(_, m): &MemberRow| tier_cell(scheme, m)));
    columns.push(Column::new("帮扶指导员", 12.0, |(_, m): &MemberRow| mentor_cell(m)).wrapping());
    columns
}

/// The row fill of a rated member's tier.
pub fn tier_fill(scheme: &Scheme, m: &MemberResult) -> Option<u32> {
    match (m.assessment.status, m.assessment.tier) {
        (Status::Rated, Some(tier)) => Some(scheme.tier(tier).rgb()),
        _ => None,
    }
}

/// The tier as glyphs and name, e.g. `★★☆☆☆ 二星`.
pub fn tier_cell(scheme: &Scheme, m: &MemberResult) -> Cell {
    match m.assessment.tier.filter(|_| m.assessment.status == Status::Rated) {
        Some(t) => Cell::text(format!("{} {}", scheme.tier(t).glyphs(), scheme.tier(t).name).trim()),
        None => Cell::text("待核实"),
    }
}

/// The mentor, `需上级指派` when none is available, empty for non-mentees.
pub fn mentor_cell(m: &MemberResult) -> Cell {
    match (&m.mentor, m.mentee) {
        (Some(name), _) => Cell::text(name),
        (None, true) => Cell::text(NEEDS_ASSIGNMENT),
        (None, false) => Cell::Empty,
    }
}
