//! The schemes' rules over rounds (`[rounds]`): the year's best party
//! groups, groups rated low for years on end, members left at a tier for a
//! year, and the year's member ratings round by round.
//!
//! Every rule reads only what the archive holds; a round the archive lacks
//! is never assumed. The lists state facts: what to do stays with the branch.

use std::collections::{BTreeMap, HashMap};

use super::{Known, former_names};
use crate::archive::{PastMember, PastRound};
use crate::forms::Identity;
use crate::grid::norm_label;
use crate::results::{Assessment, Evaluation, Listed, ListedRule, MemberYear, MemberYearLine, RoundResult, Status};
use crate::round::Period;
use crate::scheme::Scheme;

/// A tier and total in one round, `None` where the round did not rate it.
type Trail = Vec<(Period, Option<RoundResult>)>;

/// This round's result, as a line of a trail.
fn now(scheme: &Scheme, period: Period, a: &Assessment) -> RoundResult {
    let rated = a.status == Status::Rated;
    RoundResult {
        round: period.to_string(),
        tier: a.tier.filter(|_| rated).map(|t| scheme.tier(t).name.clone()),
        total: a.total.filter(|_| rated),
    }
}

/// Party groups the group scheme's rules over rounds list: each parent's
/// best of the year, then those to review, each by parent and name.
pub(super) fn groups(eval: &Evaluation, period: Period, window: &[PastRound]) -> Vec<Listed> {
    let scheme = &eval.schemes.group;
    let rules = &scheme.rounds;
    if eval.groups.is_empty() || (rules.best_of_year.is_none() && rules.review.is_none()) {
        return Vec::new();
    }
    let known: Vec<(Period, Known)> = window
        .iter()
        .filter(|r| !r.groups.is_empty())
        .map(|r| (r.period, Known::new(&r.groups)))
        .collect();
    let trails: Vec<(&Assessment, Trail)> = eval
        .groups
        .iter()
        .map(|a| {
            let mut trail: Trail = known
                .iter()
                .map(|(p, k)| {
                    let found = k.find(&a.identity, &[]).map(|(_, g)| RoundResult {
                        round: p.to_string(),
                        tier: g.tier.clone(),
                        total: g.total,
                    });
                    (*p, found)
                })
                .collect();
            trail.push((period, Some(now(scheme, period, a))));
            (a, trail)
        })
        .collect();
    let mut out = Vec::new();
    if let Some(label) = &rules.best_of_year {
        out.extend(best_of_year(label, period.year(), &trails));
    }
    if let Some(review) = &rules.review {
        let Some(limit) = review.at_or_below.id() else {
            return out;
        };
        let first = (period.year() + 1).saturating_sub(review.years);
        for (a, trail) in &trails {
            let read: Vec<&RoundResult> = trail
                .iter()
                .filter(|(p, _)| (first..=period.year()).contains(&p.year()))
                .filter_map(|(_, r)| r.as_ref())
                .filter(|r| r.tier.is_some())
                .collect();
            let every_year = (first..=period.year()).all(|y| {
                trail
                    .iter()
                    .any(|(p, r)| p.year() == y && r.as_ref().is_some_and(|r| r.tier.is_some()))
            });
            // A tier this scheme does not know is never counted as low.
            let all_low = read.iter().all(|r| {
                r.tier
                    .as_deref()
                    .and_then(|t| scheme.tier_named(t))
                    .is_some_and(|i| i >= limit)
            });
            if every_year && all_low {
                out.push(Listed {
                    identity: a.identity.clone(),
                    branch_parent: None,
                    rule: ListedRule::Review {
                        at_or_below: review.at_or_below.name.clone(),
                        years: review.years,
                        advice: review.advice.clone(),
                    },
                    rounds: read.into_iter().cloned().collect(),
                });
            }
        }
    }
    out
}

/// Within each parent, the groups with the highest average total of the
/// year's two half-year rounds; only groups rated in both count.
fn best_of_year(label: &str, year: u16, trails: &[(&Assessment, Trail)]) -> Vec<Listed> {
    // Per parent: each group's average, the group and its two halves.
    type Averaged<'a> = (f64, &'a Assessment, Vec<RoundResult>);
    let mut by_parent: BTreeMap<String, Vec<Averaged>> = BTreeMap::new();
    for (a, trail) in trails {
        let halves: Vec<&RoundResult> = [1, 2]
            .iter()
            .filter_map(|h| {
                trail
                    .iter()
                    .find(|(p, _)| *p == Period::Half(year, *h))
                    .and_then(|(_, r)| r.as_ref())
                    .filter(|r| r.total.is_some())
            })
            .collect();
        if let [first, second] = halves.as_slice()
            && let (Some(t1), Some(t2)) = (first.total, second.total)
        {
            let average = (t1 + t2) / 2.0;
            let parent = a.identity.parent_key().unwrap_or_default();
            by_parent
                .entry(parent)
                .or_default()
                .push((average, a, halves.into_iter().cloned().collect()));
        }
    }
    let mut out = Vec::new();
    for groups in by_parent.into_values() {
        let best = groups.iter().map(|g| g.0).fold(f64::NEG_INFINITY, f64::max);
        let top: Vec<_> = groups.into_iter().filter(|g| g.0 == best).collect();
        let tie = top.len() > 1;
        for (average, a, rounds) in top {
            out.push(Listed {
                identity: a.identity.clone(),
                branch_parent: None,
                rule: ListedRule::Best {
                    label: label.to_string(),
                    average,
                    tie,
                },
                rounds,
            });
        }
    }
    out
}

/// A member across rounds: the branch's parent and name, and the member's
/// name, normalised.
type MemberKey = (String, String, String);

fn member_key(branch: &Identity, branch_name: &str, name: &str) -> MemberKey {
    (
        branch.parent_key().unwrap_or_default(),
        norm_label(branch_name),
        norm_label(name),
    )
}

/// Members the member scheme's rule over rounds lists, and the year's
/// member rounds side by side.
pub(super) fn members(eval: &Evaluation, period: Period, window: &[PastRound]) -> (Vec<Listed>, Option<MemberYear>) {
    if eval.members.is_empty() {
        return (Vec::new(), None);
    }
    let scheme = &eval.schemes.member;
    let former = eval.collection.as_ref().map(|c| &c.former);
    let rounds: Vec<(Period, HashMap<MemberKey, &PastMember>)> = window
        .iter()
        .filter(|r| !r.members.is_empty())
        .map(|r| {
            let by_key = r
                .members
                .iter()
                .map(|m| (member_key(&m.branch, &m.branch.name, &m.name), m))
                .collect();
            (r.period, by_key)
        })
        .collect();
    // Each member's trail through the archived member rounds, this one last.
    let trails: Vec<Trail> = eval
        .members
        .iter()
        .map(|m| {
            let branch = &*m.branch;
            let name = &m.assessment.identity.name;
            // The member under the branch's name and each former name, keyed once.
            let keys: Vec<MemberKey> = std::iter::once(branch.name.as_str())
                .chain(former_names(former, branch).iter().map(String::as_str))
                .map(|b| member_key(branch, b, name))
                .collect();
            let mut trail: Trail = rounds
                .iter()
                .map(|(p, by_key)| {
                    let found = keys.iter().find_map(|k| by_key.get(k)).map(|pm| RoundResult {
                        round: p.to_string(),
                        tier: pm.tier.clone(),
                        total: pm.total,
                    });
                    (*p, found)
                })
                .collect();
            trail.push((period, Some(now(scheme, period, &m.assessment))));
            trail
        })
        .collect();

    let mut listed = Vec::new();
    if let Some(rule) = &scheme.rounds.unimproved {
        for (m, trail) in eval.members.iter().zip(&trails) {
            // Back from this round through every round that rated the
            // member; a round without the member neither breaks nor counts.
            let run: Vec<(Period, &RoundResult)> = trail
                .iter()
                .rev()
                .filter_map(|(p, r)| r.as_ref().filter(|r| r.tier.is_some()).map(|r| (*p, r)))
                .take_while(|(_, r)| r.tier.as_deref() == Some(rule.tier.name.as_str()))
                .collect();
            let Some((since, _)) = run.last() else { continue };
            let months = period.end_month().saturating_sub(since.end_month());
            if run.first().is_some_and(|(p, _)| *p == period) && months >= u32::from(rule.months) {
                listed.push(Listed {
                    identity: m.assessment.identity.clone(),
                    branch_parent: m.branch.parent.clone(),
                    rule: ListedRule::Unimproved {
                        tier: rule.tier.name.clone(),
                        since: since.to_string(),
                        months,
                        procedure: rule.procedure.clone(),
                    },
                    rounds: run.iter().rev().map(|(_, r)| (*r).clone()).collect(),
                });
            }
        }
    }

    // The year's member rounds: quarterly ones before this round, then this.
    let year: Vec<usize> = rounds
        .iter()
        .enumerate()
        .filter(|(_, (p, _))| p.year() == period.year() && matches!(p, Period::Quarter(..)))
        .map(|(i, _)| i)
        .collect();
    let member_year = (!year.is_empty()).then(|| MemberYear {
        rounds: year
            .iter()
            .filter_map(|&i| rounds.get(i).map(|r| r.0))
            .chain([period])
            .collect(),
        lines: eval
            .members
            .iter()
            .zip(&trails)
            .map(|(m, trail)| MemberYearLine {
                branch: m.branch.clone(),
                name: m.assessment.identity.name.clone(),
                rounds: year
                    .iter()
                    .map(|&i| trail.get(i))
                    .chain([trail.last()])
                    .map(|e| {
                        let r = e.and_then(|(_, r)| r.as_ref())?;
                        r.tier.clone().zip(r.total)
                    })
                    .collect(),
            })
            .collect(),
    });
    (listed, member_year)
}
