//! 名额: every quota decision — the tier, whom it counts, how many it
//! allows, and each branch that reached the tier with what became of it.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::NO_PARENT;
use crate::layout::{BRANCH_IDENTITY, GROUP_IDENTITY, printed};
use crate::results::{Evaluation, QuotaOutcome};
use crate::scheme::{QuotaMode, Subject};
use crate::xlsx::{Cell, print_setup, write_header, write_row};

/// The sheet's name.
pub const QUOTA_SHEET: &str = "名额";

pub(super) fn quotas(wb: &mut Workbook, eval: &Evaluation) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(QUOTA_SHEET)?;
    let labels = [
        "档次",
        "范围",
        "参评数",
        "名额比例",
        "名额",
        "处理方式",
        printed(BRANCH_IDENTITY.name),
        printed(BRANCH_IDENTITY.parent),
        "总分",
        "结果",
    ]
    .map(String::from);
    write_header(ws, 0, &labels)?;
    let mut row = 1;
    for d in &eval.quotas {
        let scheme = eval.schemes.for_subject(d.subject);
        let who = match d.subject {
            Subject::Group => &GROUP_IDENTITY,
            _ => &BRANCH_IDENTITY,
        };
        let tier = &scheme.tier(d.tier).name;
        let scope = match &d.scope {
            None => "全部".to_string(),
            Some(parent) if parent.is_empty() => NO_PARENT.to_string(),
            Some(parent) => parent.clone(),
        };
        let mode = match d.mode {
            QuotaMode::Warn => "只作提示",
            QuotaMode::Enforce => "超出的按排名降一档",
        };
        let head = |cells: &mut Vec<Cell>| {
            cells.extend([
                Cell::text(tier),
                Cell::text(&scope),
                Cell::Count(d.rated.into()),
                Cell::Percent(d.share),
                Cell::Count(d.allowed.into()),
                Cell::text(mode),
            ]);
        };
        if d.entries.is_empty() {
            let mut cells = Vec::new();
            head(&mut cells);
            cells.push(Cell::text(format!("没有{}达到{tier}", who.who)));
            write_row(ws, row, &cells, None)?;
            row += 1;
        }
        for e in &d.entries {
            let mut cells = Vec::new();
            head(&mut cells);
            let (result, fill) = match e.outcome {
                QuotaOutcome::Kept => ("名额内".to_string(), None),
                QuotaOutcome::Moved(to) => (format!("调整为{}", scheme.tier(to).name), Some(0xFCE4D6)),
                QuotaOutcome::Tie => ("与名额内最后一名同分，待评审会议决定".to_string(), Some(0xFFEB9C)),
                QuotaOutcome::Over => ("超出名额（只作提示）".to_string(), Some(0xFFEB9C)),
            };
            cells.extend([
                Cell::text(&e.identity.name),
                Cell::text(e.identity.parent.as_deref().unwrap_or(NO_PARENT)),
                Cell::Points(e.total, 2),
                Cell::text(result),
            ]);
            write_row(ws, row, &cells, fill)?;
            row += 1;
        }
    }
    for (c, w) in [8, 16, 7, 8, 6, 22, 24, 16, 8, 34].into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    print_setup(
        ws,
        &eval.heading(&format!("{}　{QUOTA_SHEET}", eval.schemes.branch.title)),
        1,
    )
}
