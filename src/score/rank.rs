//! Ranking: by tier, then total; ties share a rank, overall and within each
//! parent organisation.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::points::{same, snap};
use crate::results::{Assessment, Status};
use crate::scheme::TierId;

/// Orders results and assigns ranks: by tier, then total descending; equal
/// tier and total share a rank (1, 2, 2, 4), overall and within each parent
/// organisation. Pending branches follow, unranked.
pub fn rank(results: &mut [Assessment]) {
    results.sort_by(compare);
    let mut overall = Ranker::default();
    let mut by_parent: BTreeMap<Option<String>, Ranker> = BTreeMap::new();
    for r in results.iter_mut() {
        let (Some(tier), Some(total)) = (r.tier, r.total) else {
            continue;
        };
        r.rank = Some(overall.next(tier, total));
        r.parent_rank = Some(
            by_parent
                .entry(r.identity.parent.clone())
                .or_default()
                .next(tier, total),
        );
    }
}

fn compare(a: &Assessment, b: &Assessment) -> Ordering {
    let rated = |r: &Assessment| r.status == Status::Pending;
    rated(a)
        .cmp(&rated(b))
        .then(a.tier.cmp(&b.tier))
        .then(snap(b.total.unwrap_or(0.0)).total_cmp(&snap(a.total.unwrap_or(0.0))))
        .then(a.identity.parent.cmp(&b.identity.parent))
        .then(a.identity.name.cmp(&b.identity.name))
        .then(a.sources.cmp(&b.sources))
}

/// Competition ranking over an ordered sequence.
#[derive(Default)]
struct Ranker {
    seen: u32,
    last: Option<(TierId, f64, u32)>,
}

impl Ranker {
    fn next(&mut self, tier: TierId, total: f64) -> u32 {
        self.seen += 1;
        let rank = match self.last {
            Some((t, s, r)) if t == tier && same(s, total) => r,
            _ => self.seen,
        };
        self.last = Some((tier, total, rank));
        rank
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::fixtures::rated;

    #[test]
    fn ties_share_a_rank_overall_and_within_parent() {
        let mut results = vec![
            rated("丙", "乙委", 1, 92.0),
            rated("甲", "甲委", 0, 96.0),
            rated("乙", "甲委", 1, 92.0),
            rated("丁", "甲委", 1, 91.5),
            rated("戊", "甲委", 5, 98.0), // vetoed: tier before total
        ];
        rank(&mut results);
        let ranks: Vec<(&str, Option<u32>, Option<u32>)> = results
            .iter()
            .map(|r| (r.identity.name.as_str(), r.rank, r.parent_rank))
            .collect();
        assert_eq!(
            ranks,
            [
                ("甲", Some(1), Some(1)),
                ("丙", Some(2), Some(1)),
                ("乙", Some(2), Some(2)),
                ("丁", Some(4), Some(3)),
                ("戊", Some(5), Some(4)),
            ]
        );
    }
}
