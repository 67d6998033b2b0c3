//! Parent organisations: tier counts and the excellence rule, computed once
//! per run for every output to read.

use std::collections::BTreeMap;

use crate::results::{Assessment, Eligibility, OrgStats, Status};
use crate::scheme::Scheme;

use super::bump;

/// Tier counts per parent organisation (sorted), then the overall totals.
pub fn org_stats(scheme: &Scheme, results: &[Assessment]) -> Vec<OrgStats> {
    let empty = |parent: Option<String>, overall| OrgStats {
        parent,
        overall,
        tiers: vec![0; scheme.tiers.len()],
        pending: 0,
        eligibility: None,
    };
    let mut by_parent: BTreeMap<Option<String>, OrgStats> = BTreeMap::new();
    let mut all = empty(None, true);
    for r in results {
        let org = by_parent
            .entry(r.identity.parent.clone())
            .or_insert_with(|| empty(r.identity.parent.clone(), false));
        for stats in [org, &mut all] {
            match r.tier {
                Some(t) if r.status == Status::Rated => bump(&mut stats.tiers, t.0),
                _ => stats.pending += 1,
            }
        }
    }
    let mut out: Vec<OrgStats> = by_parent.into_values().chain([all]).collect();
    for stats in &mut out {
        stats.eligibility = eligibility(scheme, stats);
    }
    out
}

/// The excellence rule (at least `min_top` top-tier branches and `min_share`
/// at or above a tier), judged for the worst and best outcome of pending branches.
fn eligibility(scheme: &Scheme, s: &OrgStats) -> Option<Eligibility> {
    let rule = scheme.excellence.as_ref()?;
    let top = rule.top_tier.id()?;
    let bar = rule.at_or_above.id()?;
    let all = f64::from(s.branches());
    let passes = |top_count: u32, above: u32| {
        top_count >= rule.min_top && all > 0.0 && crate::points::reaches(f64::from(above) / all, rule.min_share)
    };
    let top_count = s.tiers.get(top.0).copied().unwrap_or(0);
    let worst = passes(top_count, s.at_or_above(bar));
    let best = passes(top_count + s.pending, s.at_or_above(bar) + s.pending);
    Some(match (worst, best) {
        (true, _) => Eligibility::Eligible,
        (false, false) => Eligibility::NotEligible,
        (false, true) => Eligibility::Undecided,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::TierId;
    use crate::score::fixtures::rated;

    #[test]
    fn excellence_needs_a_top_branch_and_the_share_and_waits_for_pending_ones() {
        let scheme = Scheme::load("standard").unwrap();
        let mut results = vec![
            rated("一", "甲", 0, 96.0),
            rated("二", "甲", 1, 92.0),
            rated("三", "甲", 1, 91.0),
            rated("四", "甲", 1, 90.0),
            rated("五", "甲", 2, 85.0), // 4 of 5 at 四星 or above = 80 %: eligible
            rated("六", "乙", 1, 93.0), // no 五星: not eligible
            rated("七", "丙", 0, 97.0),
            rated("八", "丙", 1, 91.0),
            rated("九", "丙", 1, 90.5),
        ];
        let mut pending = rated("十", "丙", 0, 0.0);
        (pending.status, pending.tier, pending.total) = (Status::Pending, None, None);
        results.push(pending); // 丙: 3 of 4 at 四星 or above now, 4 of 4 if 十 turns out well → undecided
        let stats = org_stats(&scheme, &results);
        let got: Vec<(Option<&str>, u32, u32, Option<Eligibility>)> = stats
            .iter()
            .map(|s| (s.parent.as_deref(), s.rated(), s.pending, s.eligibility))
            .collect();
        assert_eq!(
            got,
            [
                (Some("丙"), 3, 1, Some(Eligibility::Undecided)),
                (Some("乙"), 1, 0, Some(Eligibility::NotEligible)),
                (Some("甲"), 5, 0, Some(Eligibility::Eligible)),
                (None, 9, 1, Some(Eligibility::Eligible)),
            ]
        );
        assert!(stats[3].overall);
        assert_eq!(stats[2].tiers, [1, 3, 1, 0, 0, 0]);
        assert_eq!(stats[2].share(stats[2].at_or_above(TierId(1))), Some(0.8));
    }
}
