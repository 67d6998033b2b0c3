//! Outputs: one module per file written, plus what several of them share:
//! how totals are displayed. Workbooks are built with
//! [`crate::xlsx`] and written by [`crate::output`].

pub mod feedback;
pub mod json;
pub mod listed;
pub mod members;
pub mod public;
pub mod summary;
pub mod terminal;

use crate::points::snap;
use crate::scheme::{Scheme, TierId};
use crate::xlsx::TrailTier;

/// The title of a branch's satisfaction rate: weighted where the scheme
/// weighs voter categories.
pub fn satisfaction_title(scheme: &Scheme) -> &'static str {
    if scheme.ballot.categories.is_empty() {
        "满意率"
    } else {
        "加权满意率"
    }
}

/// A tier of `scheme` named in an archived round, as a trail shows it;
/// `None` for a name the scheme does not have.
pub fn trail_tier<'a>(scheme: &'a Scheme, name: &str) -> Option<TrailTier<'a>> {
    let id = scheme.tier_named(name)?;
    let tier = scheme.tier(id);
    Some(TrailTier {
        name: &tier.name,
        rgb: tier.rgb(),
        height: (scheme.tiers.len() - id.0) as f64,
    })
}

/// Label for a branch without a parent organisation.
pub const NO_PARENT: &str = "（未填写）";

/// Name of the consolidated ranking workbook.
pub const SUMMARY_FILE: &str = "汇总排名.xlsx";
/// Name of the public star list.
pub const PUBLIC_FILE: &str = "亮星公示.xlsx";
/// Default name of the JSON results.
pub const JSON_FILE: &str = "results.json";
/// Decimals to display a total with: one, or as many as it takes for the
/// displayed number not to suggest another tier (94.96 shows as 94.96, not
/// 95.0, next to 四星) nor to look equal to a neighbour ranked differently.
/// A tier `moved` by a veto or another rule, or not the band of the total
/// at all (tiers by medals), is not the band's to match.
pub fn total_decimals(scheme: &Scheme, total: f64, tier: TierId, moved: bool, neighbours: &[f64]) -> usize {
    let round = |x: f64, d: usize| {
        let factor = 10f64.powi(d as i32);
        snap((x * factor).round() / factor)
    };
    (1..=4)
        .find(|&d| {
            let shown = round(total, d);
            (moved || scheme.tier_for(total) != tier || scheme.tier_for(shown) == tier)
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
                total_decimals(scheme, t, tier, results[i].tier_moved(), &neighbours)
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
