//! 历次星级: each branch's tier in the archived rounds of this year and the
//! year before, quarterly rounds (一季一小评) beside the annual ones, this
//! round last, with a sparkline of the tiers.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::parent_name;
use crate::directory::BranchKey;
use crate::layout::{BRANCH_IDENTITY, NUMBER, printed};
use crate::report::trail_tier;
use crate::results::{Evaluation, History, Status};
use crate::xlsx::{Cell, Trail, TrailRow, fitting_width, merge_text, print_table};

/// The sheet's name.
pub const HISTORY_SHEET: &str = "历次星级";

pub(super) fn history(wb: &mut Workbook, eval: &Evaluation, h: &History) -> Result<(), XlsxError> {
    let scheme = &eval.schemes.branch;
    // Only the rounds that rated branches: a members-only round says nothing here.
    let shown: Vec<usize> = (0..h.rounds.len())
        .filter(|&k| {
            h.branches
                .values()
                .any(|tiers| tiers.get(k).is_some_and(Option::is_some))
        })
        .collect();
    if shown.is_empty() {
        return Ok(());
    }
    let ws = wb.add_worksheet_with_low_memory()?.set_name(HISTORY_SHEET)?;
    let mut rounds: Vec<String> = shown
        .iter()
        .filter_map(|&k| h.rounds.get(k).map(|p| p.heading()))
        .collect();
    rounds.push(format!(
        "{}\n（本轮）",
        eval.round.map(|r| r.period.heading()).unwrap_or_default()
    ));
    let rows = eval
        .branches
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let past = h.branches.get(&BranchKey::of(&b.identity));
            let now = b
                .tier
                .filter(|_| b.status == Status::Rated)
                .and_then(|t| trail_tier(scheme, &scheme.tier(t).name));
            TrailRow {
                who: vec![
                    Cell::Count(i as u64 + 1),
                    Cell::text(parent_name(&b.identity)),
                    Cell::text(&b.identity.name),
                ],
                tiers: shown
                    .iter()
                    .map(|&k| {
                        let name = past.and_then(|p| p.get(k)).and_then(Option::as_deref)?;
                        trail_tier(scheme, name)
                    })
                    .chain([now])
                    .collect(),
                after: Vec::new(),
            }
        })
        .collect();
    let trail = Trail {
        who: vec![
            (NUMBER.to_string(), 5.0, false),
            (
                printed(BRANCH_IDENTITY.parent).to_string(),
                fitting_width(eval.branches.iter().map(|b| parent_name(&b.identity)), 10.0, 20.0),
                true,
            ),
            (
                printed(BRANCH_IDENTITY.name).to_string(),
                fitting_width(eval.branches.iter().map(|b| b.identity.name.as_str()), 12.0, 24.0),
                true,
            ),
        ],
        rounds,
        after: Vec::new(),
        top: scheme.tiers.len() as f64,
        rows,
    };
    let columns = trail.layout().widths.len() as u16;
    let intro = "各支部在评定档案中本年度和上一年度各轮的星级（季度小评列在年度评定之前），按总排名的顺序；空格为该轮未参评或待核实。";
    merge_text(ws, (0, 0), (0, columns - 1), intro, &Format::new().set_text_wrap())?;
    ws.set_row_height(0, 30.0)?;
    let layout = trail.write(ws, HISTORY_SHEET, 1)?;
    ws.set_freeze_panes(2, 3)?;
    print_table(ws, &eval.heading(HISTORY_SHEET), 2, &layout, 3, &[])
}
