//! Comparing a round with the archived ones: with the one before it, each
//! branch's tier then (上轮星级), what changed (升星, 降星, 保持, 新参评) and
//! who is no longer rated; with this year's and last year's, each branch's
//! tiers (历次星级) and the schemes' rules over rounds ([`rules`]).
//!
//! Branches are matched as ballots are matched to forms: by code, then by
//! parent and name, then by a name that is unique, then by a former name
//! the register gives (曾用名); nothing by a guess.

mod rules;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::archive::{PastBranch, PastRound};
use crate::directory::{BranchKey, Directory, Match};
use crate::forms::Identity;
use crate::results::{Change, Comparison, Evaluation, History, Previous, Status};
use crate::round::Period;

/// Records on each branch its tier in `period` and the change since.
pub fn compare(eval: &mut Evaluation, period: Period, past: Vec<PastBranch>) {
    let round = period.to_string();
    let known = Known::new(&past);
    let scheme = &eval.schemes.branch;
    let former = eval.collection.as_ref().map(|c| &c.former);
    let mut seen: HashSet<BranchKey> = HashSet::new();
    for result in &mut eval.branches {
        let before = known
            .find(&result.identity, former_names(former, &result.identity))
            .map(|(k, p)| {
                seen.insert(k);
                p
            });
        let now = result.tier.filter(|_| result.status == Status::Rated);
        let change = match (before, now) {
            (None, _) => Change::New,
            (Some(p), Some(now)) => match p.tier.as_deref().and_then(|t| scheme.tier_named(t)) {
                // Smaller is better: a tier earlier in the scheme is higher.
                Some(then) if now < then => Change::Up,
                Some(then) if now > then => Change::Down,
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

/// Each branch's tiers in the archived rounds of this year and the year
/// before, and what the schemes' rules over rounds list.
pub fn history(eval: &mut Evaluation, period: Period, window: &[PastRound]) {
    if window.is_empty() {
        return;
    }
    let former = eval.collection.as_ref().map(|c| &c.former);
    let known: Vec<Known> = window.iter().map(|r| Known::new(&r.branches)).collect();
    let branches = eval
        .branches
        .iter()
        .map(|b| {
            let former = former_names(former, &b.identity);
            let tiers = known
                .iter()
                .map(|k| k.find(&b.identity, former).and_then(|(_, p)| p.tier.clone()))
                .collect();
            (BranchKey::of(&b.identity), tiers)
        })
        .collect();
    let groups = rules::groups(eval, period, window);
    let (members, member_year) = rules::members(eval, period, window);
    eval.history = Some(History {
        rounds: window.iter().map(|r| r.period).collect(),
        branches,
        groups,
        members,
        member_year,
    });
}

/// The former names (曾用名) the register gives a branch.
fn former_names<'a>(former: Option<&'a BTreeMap<BranchKey, Vec<String>>>, id: &Identity) -> &'a [String] {
    former
        .and_then(|f| f.get(&BranchKey::of(id)))
        .map_or(&[], Vec::as_slice)
}

/// One archived round's branches (or party groups), found as this round
/// names them.
struct Known<'a> {
    directory: Directory,
    // By key, not searched: a province compares tens of thousands.
    by_key: HashMap<BranchKey, &'a PastBranch>,
}

impl<'a> Known<'a> {
    fn new(past: &'a [PastBranch]) -> Known<'a> {
        Known {
            directory: Directory::new(past.iter().map(|p| &p.identity)),
            by_key: past.iter().map(|p| (BranchKey::of(&p.identity), p)).collect(),
        }
    }

    /// The entry `id` names, else one under a former name with the parent
    /// it has now (a branch renamed since); with its key.
    fn find(&self, id: &Identity, former: &[String]) -> Option<(BranchKey, &'a PastBranch)> {
        let renamed = former.iter().map(|name| Identity {
            name: name.clone(),
            parent: id.parent.clone(),
            code: None,
        });
        std::iter::once(id.clone())
            .chain(renamed)
            .find_map(|id| match self.directory.find(&id) {
                Match::Found(k) => self.by_key.get(&k).map(|p| (k, *p)),
                _ => None,
            })
    }
}
