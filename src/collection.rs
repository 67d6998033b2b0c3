//! The collection register: the branches a round expects (支部名册) against
//! what arrived.
//!
//! Every registered branch is a branch of the round: one that sent nothing
//! is held back (待核实) like one whose form could not be read, so it counts
//! in the organisations' statistics. Forms of a branch the register does not
//! list are named with the closest registered names; nothing is matched by
//! a guess.

// Works on values read from untrusted files: no panic may be reachable from them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::collections::{BTreeMap, BTreeSet};

use crate::assemble::{Assembly, Case};
use crate::directory::{BranchKey, Directory, Match};
use crate::forms::{FormKind, Identity, Roll, RollEntry, SheetRef};
use crate::grid::norm_label;
use crate::issue::{Issue, Problem};
use crate::results::{Collection, MissingForm, Unsubmitted};
use crate::scheme::{Scheme, Source};

/// Checks the assembled round against its register: adds a held-back case
/// for each rated branch that sent nothing, and lists who has not sent what.
/// Registers from more than one file are refused: which one counts is the
/// officer's call.
pub fn check(rolls: Vec<Roll>, assembly: &mut Assembly, scheme: &Scheme) -> (Option<Collection>, Vec<Issue>) {
    let mut issues = Vec::new();
    let files: BTreeSet<&str> = rolls.iter().map(|r| &*r.source.file).collect();
    if files.len() > 1 {
        for roll in &rolls {
            let others: Vec<&str> = files.iter().copied().filter(|f| *f != &*roll.source.file).collect();
            let problem = Problem::SeveralRolls {
                others: others.join("、"),
            };
            issues.push(Issue::at(&roll.source.file, Some(&roll.source.sheet), None, problem));
        }
        return (None, issues);
    }
    let Some(source) = rolls.first().map(|r| r.source.clone()) else {
        return (None, issues);
    };
    let entries: Vec<RollEntry> = rolls.into_iter().flat_map(|r| r.entries).collect();
    // An empty register (a blank template) says nothing of the round.
    if entries.is_empty() {
        return (None, issues);
    }
    let directory = Directory::new(entries.iter().map(|e| &e.identity));
    let rated = |e: &RollEntry| {
        !e.kind
            .as_ref()
            .is_some_and(|k| scheme.roll.not_rated.iter().any(|n| norm_label(n) == norm_label(k)))
    };

    // What the round expects of a branch: a scoring form when it rates
    // branches, ballots when the scheme scores by them or some arrived, a
    // roster when rosters arrived.
    let rates = !assembly.cases.is_empty();
    let wants_ballots = scheme.indicators.iter().any(|i| i.source == Source::Ballot)
        || assembly.cases.iter().any(|c| !c.ballots.is_empty());
    let wants_rosters = !assembly.members.is_empty();

    let by_key: BTreeMap<BranchKey, &RollEntry> = entries.iter().map(|e| (BranchKey::of(&e.identity), e)).collect();
    let mut found: BTreeMap<BranchKey, usize> = BTreeMap::new();
    for (i, case) in assembly.cases.iter().enumerate() {
        match directory.find(&case.identity) {
            Match::Found(k) => {
                if let Some(entry) = by_key.get(&k)
                    && !rated(entry)
                    && case.form.is_some()
                {
                    let problem = Problem::UnratedKind {
                        name: entry.identity.name.clone(),
                        kind: entry.kind.clone().unwrap_or_default(),
                    };
                    issues.extend(first_source(case).map(|s| Issue::at(&s.file, Some(&s.sheet), None, problem)));
                }
                found.insert(k, i);
            }
            _ => issues.extend(not_in_roll(&case.identity, first_source(case), &entries)),
        }
    }
    let mut with_roster: BTreeSet<BranchKey> = BTreeSet::new();
    for group in &assembly.members {
        match directory.find(&group.branch) {
            Match::Found(k) => {
                with_roster.insert(k);
            }
            _ => issues.extend(not_in_roll(&group.branch, group.sources.first(), &entries)),
        }
    }

    let mut unsubmitted = Vec::new();
    let mut added = Vec::new();
    let mut former = BTreeMap::new();
    for entry in &entries {
        let k = BranchKey::of(&entry.identity);
        let case = found.get(&k).and_then(|&i| assembly.cases.get(i));
        if !entry.former.is_empty() {
            let named = case.map_or(&entry.identity, |c| &c.identity);
            former.insert(BranchKey::of(named), entry.former.clone());
        }
        let mut missing = Vec::new();
        let mut note = None;
        if rated(entry) && rates {
            if case.is_none_or(|c| c.form_sources.is_empty()) {
                missing.push(FormKind::Scoring);
                if let Some(MissingForm::Unreadable { file }) = case.and_then(|c| c.missing_form.as_ref()) {
                    note = Some(format!("评分表无法读取：{file}"));
                }
            }
            if wants_ballots && case.is_none_or(|c| c.ballots.is_empty()) {
                missing.push(FormKind::Register);
            }
            if case.is_none() {
                added.push(held_back(&entry.identity));
            }
        }
        if wants_rosters && !with_roster.contains(&k) {
            missing.push(FormKind::Roster);
        }
        if !missing.is_empty() {
            unsubmitted.push(Unsubmitted {
                identity: entry.identity.clone(),
                missing,
                note,
            });
        }
    }
    // The register's own order, its parents kept together in the order they first appear.
    let mut parents: Vec<Option<&String>> = Vec::new();
    for e in &entries {
        if !parents.contains(&e.identity.parent.as_ref()) {
            parents.push(e.identity.parent.as_ref());
        }
    }
    unsubmitted.sort_by_key(|u| parents.iter().position(|p| *p == u.identity.parent.as_ref()));
    assembly.cases.extend(added);
    assembly.cases.sort_by_key(|c| BranchKey::of(&c.identity));
    let collection = Collection {
        source,
        registered: entries.len(),
        not_rated: entries.iter().filter(|e| !rated(e)).count(),
        unsubmitted,
        former,
    };
    (Some(collection), issues)
}

/// A registered branch that sent nothing: held back, its form not received.
fn held_back(identity: &Identity) -> Case {
    Case {
        identity: identity.clone(),
        form: None,
        form_sources: Vec::new(),
        ballots: Vec::new(),
        blocked: true,
        missing_form: Some(MissingForm::NotReceived),
        unread: None,
    }
}

/// The first file that named a case: its scoring form, else its ballots.
fn first_source(case: &Case) -> Option<&SheetRef> {
    case.form_sources
        .first()
        .or_else(|| case.ballots.first().map(|b| &b.source))
}

/// A warning that `id` is not registered, naming the closest registered
/// branches: a typo, or a branch renamed since (曾用名).
fn not_in_roll(id: &Identity, source: Option<&SheetRef>, entries: &[RollEntry]) -> Option<Issue> {
    let source = source?;
    let name = norm_label(&id.name);
    let shown = |e: &RollEntry| match &e.identity.parent {
        Some(parent) => format!("「{}」（{parent}）", e.identity.name),
        None => format!("「{}」", e.identity.name),
    };
    let renamed = entries
        .iter()
        .find(|e| e.former.iter().any(|f| norm_label(f) == name))
        .map(shown);
    let mut near: Vec<(usize, String)> = Vec::new();
    if renamed.is_none() {
        for e in entries {
            let d = distance(&name, &norm_label(&e.identity.name));
            if d <= (name.chars().count() / 4).max(1) {
                near.push((d, shown(e)));
            }
        }
    }
    near.sort();
    let closest: Vec<String> = near.into_iter().take(3).map(|(_, s)| s).collect();
    let problem = Problem::NotInRoll {
        name: id.name.clone(),
        renamed,
        closest: closest.join("、"),
    };
    Some(Issue::at(&source.file, Some(&source.sheet), None, problem))
}

/// Edit distance between two names, by characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row.get(j + 1).copied().unwrap_or_default();
            let value = (diagonal + usize::from(ca != *cb)).min(up + 1).min(left + 1);
            diagonal = up;
            if let Some(slot) = row.get_mut(j + 1) {
                *slot = value;
            }
            left = value;
        }
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
    }
    row.last().copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("第一党支部", "第一党支部"), 0);
        assert_eq!(distance("第一支部", "第一党支部"), 1);
        assert_eq!(distance("第二党支部", "第三党支部"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
