//! 测评统计: ballot counts and aggregates per branch, withheld below the anonymity threshold.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::{SHEETS, parent, parent_name};
use crate::forms::Identity;
use crate::layout::{BRANCH_IDENTITY, REGISTER, printed};
use crate::results::Evaluation;
use crate::results::{Assessment, BallotStats, MissingForm, Status};
use crate::xlsx::{Cell, Layout, break_label, fitting_width, header_format, merge_text, print_table, write_table_row};

pub(super) fn ballot_stats(wb: &mut Workbook, eval: &Evaluation) -> Result<(), XlsxError> {
    let scheme = &eval.schemes.branch;
    let ws = wb.add_worksheet_with_low_memory()?.set_name(SHEETS[3])?;
    let fixed = [
        printed(BRANCH_IDENTITY.name),
        printed(BRANCH_IDENTITY.parent),
        "评定情况",
        printed(REGISTER.issued),
        printed(REGISTER.returned),
        "登记票数",
        printed(REGISTER.blank),
        "有效票",
    ];
    let header = header_format();
    // Too wide for a page at any readable size: printed over pages side by
    // side, broken only between blocks, the branch name repeated on each.
    let mut layout = Layout::default()
        .wrapping(fitting_width(
            eval.branches.iter().map(|b| b.identity.name.as_str()),
            12.0,
            24.0,
        ))
        .wrapping(fitting_width(
            eval.branches.iter().map(|b| parent_name(&b.identity)),
            10.0,
            20.0,
        ))
        .wrapping(8.0);
    for _ in 3..fixed.len() {
        layout = layout.col(5.0);
    }
    let mut blocks = Vec::new();
    ws.set_row_height(0, 20)?;
    ws.set_row_height(1, 32)?;
    let mut col: u16 = 0;
    for label in fixed {
        let label = break_label(label, 4.6);
        ws.merge_range(0, col, 1, col, &label, &header)?;
        col += 1;
    }
    // Per voter category: its valid ballots and satisfaction rate.
    let categories = &scheme.ballot.categories;
    if !categories.is_empty() {
        blocks.push(usize::from(col));
    }
    let mut second_row = Vec::new();
    for category in categories {
        merge_text(ws, (0, col), (0, col + 1), &category.name, &header)?;
        second_row.extend(["有效票", "满意率"].map(String::from));
        layout = layout.col(5.0).col(7.0);
        col += 2;
    }
    for q in &scheme.ballot.questions {
        blocks.push(usize::from(col));
        let span: Vec<String> = scheme
            .ballot
            .ratings
            .iter()
            .map(|r| r.label.clone())
            .chain([REGISTER.over_vote, "未评"].map(String::from))
            .collect();
        merge_text(ws, (0, col), (0, col + span.len() as u16 - 1), q, &header)?;
        col += span.len() as u16;
        for _ in &span {
            layout = layout.col(5.0);
        }
        second_row.extend(span);
    }
    blocks.push(usize::from(col));
    ws.merge_range(0, col, 1, col, crate::report::satisfaction_title(scheme), &header)?;
    layout = layout.col(7.0);
    col += 1;
    let star_span: Vec<String> = scheme
        .tiers
        .iter()
        .map(|t| t.name.clone())
        .chain([REGISTER.over_vote.to_string()])
        .collect();
    ws.merge_range(
        0,
        col,
        0,
        col + star_span.len() as u16 - 1,
        printed(REGISTER.recommended),
        &header,
    )?;
    col += star_span.len() as u16;
    for _ in &star_span {
        layout = layout.col(5.0);
    }
    for label in ["议星结果", "评定星级", "需复核"] {
        ws.merge_range(0, col, 1, col, &break_label(label, 4.6), &header)?;
        layout = layout.col(5.0);
        col += 1;
    }
    let first_group = (fixed.len() + 2 * categories.len()) as u16;
    for (k, label) in second_row.iter().enumerate() {
        ws.write_string_with_format(1, fixed.len() as u16 + k as u16, label, &header)?;
    }
    let star_first = fixed.len() as u16 + second_row.len() as u16 + 1;
    for (k, label) in star_span.iter().enumerate() {
        ws.write_string_with_format(1, star_first + k as u16, label, &header)?;
    }

    let rows: Vec<(&Identity, &BallotStats, &str, &Assessment)> = eval
        .branches
        .iter()
        .filter_map(|b| {
            let state = match (&b.status, &b.missing_form) {
                (Status::Rated, _) => "已评定",
                (_, Some(MissingForm::NotReceived)) => "无评分表",
                (_, Some(MissingForm::Unreadable { .. })) => "评分表无法读取",
                _ => "待核实",
            };
            b.ballots.as_deref().map(|s| (&b.identity, s, state, b))
        })
        .collect();
    for (i, (id, stats, state, result)) in rows.iter().enumerate() {
        let opt = |n: Option<u32>| n.map_or(Cell::Empty, |n| Cell::Count(n.into()));
        let mut cells = vec![
            Cell::text(&id.name),
            Cell::text(parent(id)),
            Cell::text(*state),
            opt(stats.issued),
            opt(stats.returned),
            Cell::Count(stats.counted.into()),
            Cell::Count(stats.blank.into()),
            Cell::Count(stats.valid.into()),
        ];
        for c in &stats.categories {
            cells.push(Cell::Count(c.valid.into()));
            cells.push(match (stats.withheld(), c.satisfaction) {
                (true, _) => Cell::text("—"),
                (false, rate) => rate.map_or(Cell::Empty, Cell::Percent),
            });
        }
        match &stats.detail {
            Some(d) => {
                for q in &d.questions {
                    cells.extend(q.counts.iter().map(|n| Cell::Count((*n).into())));
                    cells.push(Cell::Count(q.over_votes.into()));
                    cells.push(Cell::Count((q.abstentions + q.invalid).into()));
                }
                cells.push(d.satisfaction.map_or(Cell::Empty, Cell::Percent));
                if d.has_star_votes() {
                    cells.extend(d.stars.iter().map(|n| Cell::Count((*n).into())));
                    cells.push(Cell::Count(d.star_over_votes.into()));
                } else {
                    cells.resize(cells.len() + d.stars.len() + 1, Cell::Empty);
                }
                cells.push(Cell::opt(d.yixing.map(|y| scheme.tier(y).name.clone())));
            }
            None => {
                cells.resize(star_first as usize + star_span.len(), Cell::Empty);
                cells.push(Cell::text("—"));
            }
        }
        cells.push(Cell::opt(result.tier.map(|t| scheme.tier(t).name.clone())));
        cells.push(Cell::text(if result.flags.needs_review { "需复核" } else { "" }));
        let row = i as u32 + 2;
        write_table_row(ws, row, &cells, None, &layout)?;
        if stats.withheld() {
            // Too few ballots: one note where the distributions would be.
            let text = format!(
                "{}有效票少于 {} 张，为保护测评人匿名，不列分项统计、满意率和推荐星级",
                stats
                    .short_category(scheme.ballot.min_valid)
                    .map_or(String::new(), |c| format!("「{}」", c.name)),
                scheme.ballot.min_valid
            );
            let last = star_first + star_span.len() as u16 - 1;
            ws.merge_range(row, first_group, row, last, &text, &crate::xlsx::body_format())?;
        }
    }
    ws.set_freeze_panes(2, 1)?;
    layout.apply(ws)?;
    print_table(
        ws,
        &eval.heading(&format!("{}　测评统计（仅汇总数）", scheme.title)),
        2,
        &layout,
        1,
        &blocks,
    )
}
