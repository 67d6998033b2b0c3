//! 汇总排名.xlsx: ranking by tier, tier distribution, organisation
//! statistics, ballot statistics, problems, forms that look copied, inputs
//! and the scheme — one module per sheet.

mod ballots;
mod changes;
mod distribution;
mod files;
mod history;
mod organisations;
mod problems;
mod quotas;
mod ranking;
mod scheme;
mod similar;
mod unsubmitted;

use rust_xlsxwriter::XlsxError;

use crate::forms::Identity;
use crate::layout::{BRANCH_IDENTITY, GROUP_IDENTITY, printed};
use crate::report::listed::{self, ListTitles};
use crate::results::OrgStats;
use crate::results::{Evaluation, Listed};
use crate::xlsx::new_workbook;

/// Sheet names, in workbook order.
pub const SHEETS: [&str; 7] = [
    "总排名",
    "星级分布",
    "党组织统计",
    "测评统计",
    "问题清单",
    "文件清单",
    "评星方案",
];

/// The party-group ranking, added after 党组织统计 when party-group forms were read.
pub const GROUP_SHEET: &str = "党小组排名";

/// What the group scheme's rules over rounds list (年度先进党小组, groups to review).
pub const GROUP_REVIEW_SHEET: &str = "党小组评议";

/// Forms that look copied or made up (疑似雷同), added after 问题清单 when
/// any were found: a run without one writes the workbook it always wrote.
pub const SIMILAR_SHEET: &str = "疑似雷同";

pub use super::NO_PARENT;

/// Builds the workbook's bytes.
pub fn build(eval: &Evaluation) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook(&format!("汇总排名 — {}", eval.heading(&eval.schemes.branch.title)));
    let schemes = &eval.schemes;
    // The page header names the sheet; the group sheet's name says whom it ranks.
    let heading = eval.heading(&format!("{}　{}", schemes.branch.title, SHEETS[0]));
    ranking::ranking(
        &mut wb,
        &schemes.branch,
        &eval.branches,
        (SHEETS[0], &heading),
        &BRANCH_IDENTITY,
    )?;
    // Who has not sent what, beside the ranking: what staff look for while forms come in.
    if let Some(c) = &eval.collection {
        unsubmitted::unsubmitted(&mut wb, eval, c)?;
    }
    if let Some(c) = &eval.comparison {
        changes::changes(&mut wb, eval, c)?;
    }
    if let Some(h) = eval.history.as_ref().filter(|_| !eval.branches.is_empty()) {
        history::history(&mut wb, eval, h)?;
    }
    let orgs = &eval.organisations;
    distribution::distribution(&mut wb, eval, orgs)?;
    organisations::organisations(&mut wb, eval, orgs)?;
    if !eval.quotas.is_empty() {
        quotas::quotas(&mut wb, eval)?;
    }
    if !eval.groups.is_empty() {
        let heading = eval.heading(GROUP_SHEET);
        ranking::ranking(
            &mut wb,
            &schemes.group,
            &eval.groups,
            (GROUP_SHEET, &heading),
            &GROUP_IDENTITY,
        )?;
    }
    // What the group scheme's rules over rounds list, beside the groups' ranking.
    if let Some(h) = eval.history.as_ref().filter(|h| !h.groups.is_empty()) {
        let rows: Vec<&Listed> = h.groups.iter().collect();
        let heading = eval.heading(GROUP_REVIEW_SHEET);
        let titles = ListTitles {
            parent: printed(GROUP_IDENTITY.parent),
            name: printed(GROUP_IDENTITY.name),
        };
        listed::sheet(&mut wb, (GROUP_REVIEW_SHEET, &heading), titles, &rows)?;
    }
    ballots::ballot_stats(&mut wb, eval)?;
    problems::problems(&mut wb, eval)?;
    if !eval.resemblances.is_empty() {
        similar::similar(&mut wb, eval)?;
    }
    files::manifest(&mut wb, eval)?;
    scheme::scheme_sheet(&mut wb, eval)?;
    wb.save_to_buffer()
}

fn parent(id: &Identity) -> String {
    parent_name(id).to_string()
}

fn parent_name(id: &Identity) -> &str {
    id.parent.as_deref().unwrap_or(NO_PARENT)
}

fn org_name(s: &OrgStats) -> String {
    if s.overall {
        "全部".to_string()
    } else {
        s.parent.clone().unwrap_or_else(|| NO_PARENT.to_string())
    }
}
