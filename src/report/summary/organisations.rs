//! 党组织统计: each parent organisation's tiers and shares, and its excellence eligibility.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{SHEETS, org_name};
use crate::layout::{BRANCH_IDENTITY, printed};
use crate::results::Evaluation;
use crate::results::{Eligibility, OrgStats};
use crate::xlsx::{Cell, merge_text, print_setup, write_header, write_row};

pub(super) fn organisations(wb: &mut Workbook, eval: &Evaluation, orgs: &[OrgStats]) -> Result<(), XlsxError> {
    let scheme = &eval.schemes.branch;
    let ws = wb.add_worksheet().set_name(SHEETS[2])?;
    let mut labels: Vec<String> = [printed(BRANCH_IDENTITY.parent), "支部数", "已评定", "待核实"]
        .map(String::from)
        .to_vec();
    for t in &scheme.tiers {
        labels.push(format!("{}数", t.name));
        labels.push(format!("{}占比", t.name));
    }
    let rule = scheme.excellence.as_ref();
    let bar = rule.and_then(|r| r.at_or_above.id());
    if let (Some(rule), Some(_)) = (rule, bar) {
        labels.push(format!("{}及以上数", rule.at_or_above));
        labels.push(format!("{}及以上占比", rule.at_or_above));
        labels.push(rule.label.clone());
    }
    write_header(ws, 0, &labels)?;
    for (i, org) in orgs.iter().enumerate() {
        let mut cells = vec![
            Cell::text(org_name(org)),
            Cell::Count(org.branches().into()),
            Cell::Count(org.rated().into()),
            Cell::Count(org.pending.into()),
        ];
        for n in &org.tiers {
            cells.push(Cell::Count((*n).into()));
            cells.push(org.share(*n).map_or(Cell::Empty, Cell::Percent));
        }
        let mut fill = org.overall.then_some(0xF2F2F2);
        if let (Some(_), Some(bar)) = (rule, bar) {
            let above = org.at_or_above(bar);
            cells.push(Cell::Count(above.into()));
            cells.push(org.share(above).map_or(Cell::Empty, Cell::Percent));
            let verdict = match org.eligibility {
                Some(Eligibility::Eligible) => {
                    fill = Some(0xC6EFCE);
                    "符合".to_string()
                }
                Some(Eligibility::Undecided) => {
                    fill = Some(0xFFEB9C);
                    format!("待定（{} 个支部待核实）", org.pending)
                }
                _ => "不符合".to_string(),
            };
            cells.push(Cell::text(verdict));
        }
        write_row(ws, i as u32 + 1, &cells, fill)?;
    }
    if let Some(rule) = rule {
        let text = format!(
            "{}条件：至少 {} 个{}支部，且{}及以上支部占全部支部（含待核实）的比例不低于 {}。\
             表中占比按已评定支部计算；有待核实支部时，结论可能随其结果变化，标为“待定”。",
            rule.label,
            rule.min_top,
            rule.top_tier,
            rule.at_or_above,
            crate::points::fmt_percent(rule.min_share)
        );
        let row = orgs.len() as u32 + 2;
        merge_text(
            ws,
            (row, 0),
            (row, labels.len() as u16 - 1),
            &text,
            &Format::new().set_text_wrap(),
        )?;
        ws.set_row_height(row, 32)?;
    }
    ws.set_freeze_panes(1, 1)?;
    ws.set_column_width(0, 24)?;
    for c in 1..labels.len() as u16 - 1 {
        ws.set_column_width(c, 7)?;
    }
    ws.set_column_width(labels.len() as u16 - 1, 22)?;
    ws.set_row_height(0, 30)?;
    print_setup(ws, &eval.heading(&format!("{} 党组织统计", scheme.title)), 1)
}
