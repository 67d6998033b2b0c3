//! 党员星级汇总.xlsx: five-star members to report (上报名单), members to
//! mentor with their mentors (帮扶名单), and every member (党员星级总表).

use rust_xlsxwriter::XlsxError;

use super::summary::NO_PARENT;
use crate::forms::layout::{BRANCH_IDENTITY, NUMBER, ROSTER, printed};
use crate::results::Evaluation;
use crate::results::{MemberResult, Status};
use crate::scheme::{Scheme, TierId};
use crate::xlsx::{Cell, Layout, fitting_width, new_workbook, print_table, write_table_header, write_table_row};

/// File name of the member summary.
pub const FILE: &str = "党员星级汇总.xlsx";
/// Sheet names, in workbook order.
pub const SHEETS: [&str; 3] = ["上报名单", "帮扶名单", "党员星级总表"];
/// Shown for a mentee whose branch has no member of the mentor tier.
pub const NEEDS_ASSIGNMENT: &str = "需上级指派";

/// The member's branch, its parent and the member, titled as on the roster.
const BRANCH: &str = printed(BRANCH_IDENTITY.name);
const PARENT: &str = printed(BRANCH_IDENTITY.parent);
const NAME: &str = printed(ROSTER.name);

/// Builds the workbook's bytes.
pub fn build(eval: &Evaluation) -> Result<Vec<u8>, XlsxError> {
    let scheme = &eval.schemes.member;
    let mut wb = new_workbook(&format!("{}汇总", scheme.title));
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
    let ws = wb.add_worksheet_with_low_memory()?.set_name(SHEETS[0])?;
    let top_name = &scheme.tier(top).name;
    let layout = Layout::default()
        .col(5.0)
        .wrapping(branch)
        .wrapping(parent)
        .wrapping(10.0)
        .col(7.0);
    let labels = [NUMBER, BRANCH, PARENT, NAME, "总分"].map(String::from);
    write_table_header(ws, 0, &labels, &layout)?;
    for (i, m) in five.iter().enumerate() {
        let mut cells = vec![Cell::Count(i as u64 + 1)];
        cells.extend(who(m));
        cells.push(Cell::Points(m.assessment.total.unwrap_or(0.0), 1));
        write_table_row(ws, i as u32 + 1, &cells, None, &layout)?;
    }
    layout.apply(ws)?;
    print_table(
        ws,
        &format!("{}　{top_name}党员上报名单", scheme.title),
        1,
        &layout,
        0,
        &[],
    )?;

    let ws = wb.add_worksheet_with_low_memory()?.set_name(SHEETS[1])?;
    let layout = Layout::default()
        .col(5.0)
        .wrapping(branch)
        .wrapping(parent)
        .wrapping(10.0)
        .col(7.0)
        .col(14.0)
        .wrapping(12.0);
    let labels = [NUMBER, BRANCH, PARENT, NAME, "总分", "星级", "帮扶指导员"].map(String::from);
    write_table_header(ws, 0, &labels, &layout)?;
    let mentees: Vec<&MemberResult> = eval.members.iter().filter(|m| m.mentee).collect();
    for (i, m) in mentees.iter().enumerate() {
        let mut cells = vec![Cell::Count(i as u64 + 1)];
        cells.extend(who(m));
        cells.push(Cell::Points(m.assessment.total.unwrap_or(0.0), 1));
        cells.push(tier_cell(scheme, m));
        let fill = m.mentor.is_none().then_some(0xFFEB9C);
        cells.push(Cell::text(m.mentor.as_deref().unwrap_or(NEEDS_ASSIGNMENT)));
        write_table_row(ws, i as u32 + 1, &cells, fill, &layout)?;
    }
    layout.apply(ws)?;
    print_table(ws, &format!("{}　帮扶名单", scheme.title), 1, &layout, 0, &[])?;

    let ws = wb.add_worksheet_with_low_memory()?.set_name(SHEETS[2])?;
    let mut labels: Vec<String> = [BRANCH, PARENT, NAME].map(String::from).to_vec();
    labels.extend(score_labels(scheme));
    labels.push("标记".into());
    let mut layout = Layout::default().wrapping(branch).wrapping(parent).wrapping(10.0);
    for _ in 0..=scheme.indicators.len() {
        layout = layout.col(6.0);
    }
    let layout = layout.col(7.0).col(14.0).wrapping(12.0).wrapping(20.0);
    write_table_header(ws, 0, &labels, &layout)?;
    for (i, m) in eval.members.iter().enumerate() {
        let mut cells = who(m);
        let (scores, fill) = score_cells(scheme, m);
        cells.extend(scores);
        cells.push(tier_cell(scheme, m));
        cells.push(mentor_cell(m));
        let note = if m.assessment.status == Status::Pending {
            "原因见汇总排名的问题清单".to_string()
        } else {
            m.assessment.vetoed.join("；")
        };
        cells.push(Cell::text(note));
        write_table_row(ws, i as u32 + 1, &cells, fill, &layout)?;
    }
    ws.set_freeze_panes(1, 3)?;
    ws.autofilter(0, 0, eval.members.len() as u32, (labels.len() - 1) as u16)?;
    layout.apply(ws)?;
    print_table(ws, &format!("{}　党员星级总表", scheme.title), 1, &layout, 3, &[])?;
    wb.save_to_buffer()
}

fn branch_order(a: &MemberResult, b: &MemberResult) -> std::cmp::Ordering {
    (&a.branch.parent, &a.branch.name).cmp(&(&b.branch.parent, &b.branch.name))
}

/// 支部名称, 所属党组织, 姓名.
fn who(m: &MemberResult) -> Vec<Cell> {
    vec![
        Cell::text(&m.branch.name),
        Cell::text(m.branch.parent.clone().unwrap_or_else(|| NO_PARENT.to_string())),
        Cell::text(&m.assessment.identity.name),
    ]
}

/// Headers of a member's results: aspects, bonus, total, tier, mentor.
pub fn score_labels(scheme: &Scheme) -> Vec<String> {
    let mut labels: Vec<String> = scheme.indicators.iter().map(|a| a.name.to_string()).collect();
    labels.extend([
        scheme.bonus.label.clone(),
        "总分".into(),
        "星级".into(),
        "帮扶指导员".into(),
    ]);
    labels
}

/// A member's aspect scores, bonus and total, and the row fill of its tier;
/// empty cells for a pending member.
pub fn score_cells(scheme: &Scheme, m: &MemberResult) -> (Vec<Cell>, Option<u32>) {
    let a = &m.assessment;
    match (a.status, a.tier) {
        (Status::Rated, Some(tier)) => {
            let mut cells: Vec<Cell> = a.indicators.iter().map(|ind| Cell::Score(ind.score)).collect();
            cells.extend([Cell::Score(a.bonus), Cell::Points(a.total.unwrap_or(0.0), 1)]);
            (cells, Some(scheme.tier(tier).rgb()))
        }
        _ => (vec![Cell::Empty; scheme.indicators.len() + 2], None),
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
