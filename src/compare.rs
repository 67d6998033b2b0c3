//! Comparing a round with the archived one before it: each branch's tier
//! then (上轮星级) and what changed (升星, 降星, 保持, 新参评), and who is no
//! longer rated.
//!
//! Branches are matched as ballots are matched to forms: by code, then by
//! parent and name, then by a name that is unique; nothing by a guess.

use std::collections::{HashMap, HashSet};

use crate::archive::PastBranch;
use crate::directory::{BranchKey, Directory, Match};
use crate::results::{Change, Comparison, Evaluation, Previous, Status};
use crate::round::Period;

/// Records on each branch its tier in `period` and the change since.
pub fn compare(eval: &mut Evaluation, period: Period, past: Vec<PastBranch>) {
    let round = period.to_string();
    let directory = Directory::new(past.iter().map(|p| &p.identity));
    // By key, not searched: a province compares tens of thousands.
    let by_key: HashMap<BranchKey, &PastBranch> = past.iter().map(|p| (BranchKey::of(&p.identity), p)).collect();
    let scheme = &eval.schemes.branch;
    let index = |name: &str| scheme.tiers.iter().position(|t| t.name == name);
    let mut seen: HashSet<BranchKey> = HashSet::new();
    for result in &mut eval.branches {
        let before = match directory.find(&result.identity) {
            Match::Found(k) => {
                let found = by_key.get(&k).copied();
                seen.insert(k);
                found
            }
            _ => None,
        };
        let now = result.tier.filter(|_| result.status == Status::Rated);
        let change = match (before, now) {
            (None, _) => Change::New,
            (Some(p), Some(now)) => match p.tier.as_deref().and_then(index) {
                // Smaller is better: a tier earlier in the scheme is higher.
                Some(then) if now.0 < then => Change::Up,
                Some(then) if now.0 > then => Change::Down,
                Some(_) => Change::Same,
                None => Change::Unclear,
            },
            (Some(_), None) => Change::Unclear,
        };
        result.previous = Some(Previous {
            round: round.clone(),
            tier: before.and_then(|p| p.tier.clone()),
            change,
        });
    }
    let absent = past
        .iter()
        .filter(|p| p.tier.is_some() && !seen.contains(&BranchKey::of(&p.identity)))
        .map(|p| (p.identity.clone(), p.tier.clone()))
        .collect();
    eval.comparison = Some(Comparison { round, absent });
}
