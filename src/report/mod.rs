//! Outputs: one module per file written, plus what several of them share:
//! the input manifest and how totals are displayed. Workbooks are built with
//! [`crate::xlsx`] and written by [`crate::output`].

pub mod feedback;
pub mod json;
pub mod members;
pub mod public;
pub mod summary;
pub mod terminal;

use std::collections::BTreeMap;

use crate::forms::FormKind;
use crate::issue::BALLOT_FILE_PLACEHOLDER;
use crate::points::snap;
use crate::results::Evaluation;
use crate::results::FileStatus;
use crate::scheme::{Scheme, TierId};
use crate::workbook::Format as FileFormat;

/// Name of the consolidated ranking workbook.
pub const SUMMARY_FILE: &str = "汇总排名.xlsx";
/// Name of the public star list.
pub const PUBLIC_FILE: &str = "亮星公示.xlsx";
/// Default name of the JSON results.
pub const JSON_FILE: &str = "results.json";
/// One line of the input manifest (文件清单) as every output writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestLine<'a> {
    /// Path relative to the inbox, or the placeholder for one-voter ballots.
    pub path: &'a str,
    /// Detected format.
    pub format: Option<FileFormat>,
    /// Kinds of form found, one per recognised sheet.
    pub forms: Vec<FormKind>,
    /// Branches the forms belong to.
    pub branches: Vec<String>,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content.
    pub sha256: Option<&'a str>,
    /// Outcome.
    pub status: FileStatus,
}

/// The input manifest: every file read, in path order, then the one-voter
/// ballot files summed per branch — their names, sizes and hashes could
/// identify a voter, so none is listed on its own.
pub fn manifest(eval: &Evaluation) -> Vec<ManifestLine<'_>> {
    let mut lines = Vec::with_capacity(eval.files.len());
    let mut private: BTreeMap<Vec<String>, ManifestLine<'_>> = BTreeMap::new();
    for f in &eval.files {
        if !f.private {
            lines.push(ManifestLine {
                path: &f.path,
                format: f.format,
                forms: f.forms.clone(),
                branches: f.branches.clone(),
                size: f.size,
                sha256: f.sha256.as_deref(),
                status: f.status,
            });
            continue;
        }
        let line = private.entry(f.branches.clone()).or_insert_with(|| ManifestLine {
            path: BALLOT_FILE_PLACEHOLDER,
            format: None,
            forms: Vec::new(),
            branches: f.branches.clone(),
            size: 0,
            sha256: None,
            status: FileStatus::Read,
        });
        line.forms.extend(&f.forms);
        line.size += f.size;
        if f.status != FileStatus::Read {
            line.status = FileStatus::ReadWithErrors;
        }
    }
    lines.extend(private.into_values());
    lines
}

/// Decimals to display a total with: one, or as many as it takes for the
/// displayed number not to suggest another tier (94.96 shows as 94.96, not
/// 95.0, next to 四星) nor to look equal to a neighbour ranked differently.
pub fn total_decimals(scheme: &Scheme, total: f64, tier: TierId, vetoed: bool, neighbours: &[f64]) -> usize {
    let round = |x: f64, d: usize| {
        let factor = 10f64.powi(d as i32);
        snap((x * factor).round() / factor)
    };
    (1..=4)
        .find(|&d| {
            let shown = round(total, d);
            (vetoed || scheme.tier_for(shown) == tier)
                && neighbours
                    .iter()
                    .all(|&n| crate::points::same(n, total) || round(n, d) != shown)
        })
        .unwrap_or(4)
}

/// Display decimals for each total of a ranked list (see [`total_decimals`]).
pub fn ranked_decimals(scheme: &Scheme, results: &[crate::results::Assessment]) -> Vec<usize> {
    let total = |i: usize| results.get(i).and_then(|r| r.total);
    (0..results.len())
        .map(|i| match (results[i].total, results[i].tier) {
            (Some(t), Some(tier)) => {
                let neighbours: Vec<f64> = [i.checked_sub(1).and_then(total), total(i + 1)]
                    .into_iter()
                    .flatten()
                    .collect();
                total_decimals(scheme, t, tier, !results[i].vetoed.is_empty(), &neighbours)
            }
            _ => 1,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_never_display_as_another_tier() {
        let s = Scheme::load("standard").unwrap();
        let d = |t: f64, n: &[f64]| total_decimals(&s, t, s.tier_for(t), false, n);
        assert_eq!(d(92.35, &[]), 1);
        assert_eq!(d(94.96, &[]), 2);
        assert_eq!(d(94.996, &[]), 3);
        assert_eq!(d(95.0, &[]), 1);
        assert_eq!(d(59.95, &[]), 2);
        // Neighbours ranked apart never look equal; tied ones may.
        assert_eq!(d(92.634, &[93.5, 92.594]), 2);
        assert_eq!(d(92.6, &[92.6]), 1);
    }
}
