//! 疑似雷同: forms that look copied from another branch's, or made up —
//! for the office to review, never a veto and never a reason to hold a
//! branch back.
//!
//! Every rule groups sheets by a hash of their content, so a round of ten
//! thousand branches takes one pass, never a comparison of every pair; only
//! scoring forms found alike are then held against the round's other forms,
//! to tell a copy from a form that is merely common. Only content that
//! carries information is compared: full marks without a reason, one score
//! on every item, uniform voting and short registers are what honest
//! branches share by chance. One-voter ballots are never looked at (only
//! registers, many ballots on one sheet), and a finding states rows and
//! counts, never what a ballot said.

// Works on values read from untrusted files: no panic may be reachable from them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

use rayon::prelude::*;

use crate::assemble::{Assembly, Case, MemberGroup};
use crate::forms::{Answer, Ballot, BallotLayout, BallotSheet, FormKind, Identity, ScoredForm, SheetRef};
use crate::grid::norm_label;
use crate::points::snap;
use crate::results::{Assessment, RepeatedBlock, Resemblance, ResemblanceKind, ResemblingSheet, RowSpan};
use crate::scheme::{Scheme, Schemes};

/// Items of a scoring form that must lose points or carry a reason before a
/// form alike another's is a case: one or two deductions with the assessors'
/// stock reason are what near-perfect branches share by chance.
pub const MIN_MARKED_ITEMS: usize = 3;
/// Items within which other forms of the round count as near two alike
/// forms (see [`MIN_NEAR_FORMS`]).
pub const NEAR_ITEMS: usize = 3;
/// Near forms that make two alike scoring forms chance: where forms this
/// alike are common, two the same are expected. Measured on the 10,000-branch
/// sample, two forms alike by chance had at least 7 others within three
/// items; a copy of 85 % of its forms has fewer than 3.
pub const MIN_NEAR_FORMS: usize = 3;
/// Ballots two registers must share, in order.
pub const MIN_SHARED_BALLOTS: usize = 5;
/// Ballots a register must hold, every one the same, to be a case.
pub const MIN_IDENTICAL_BALLOTS: usize = 10;
/// Shortest run of ballots that, recurring in its register, is a case.
pub const MIN_BLOCK: usize = 5;
/// Members two rosters must name alike.
pub const MIN_SHARED_NAMES: usize = 3;
/// Members whose scores two rosters must give alike, in order.
pub const MIN_SHARED_SCORES: usize = 5;

/// Every resemblance in the assembled round, in a fixed order: by kind,
/// then by the sheets concerned. Runs on the current thread pool.
pub fn check(assembly: &Assembly, schemes: &Schemes) -> Vec<Resemblance> {
    let mut found = scoring_forms(&assembly.cases, &schemes.branch, FormKind::Scoring);
    found.extend(scoring_forms(&assembly.groups, &schemes.group, FormKind::Group));
    found.extend(registers(&assembly.cases, schemes.branch.ballot.min_valid));
    found.extend(rosters(&assembly.members));
    for r in &mut found {
        r.sheets.sort_by(|a, b| a.source.cmp(&b.source));
    }
    found.sort_by(|a, b| {
        order(&a.kind)
            .cmp(&order(&b.kind))
            .then_with(|| sources(a).cmp(sources(b)))
    });
    found
}

/// Groups of two or more entries with equal keys (`None`: not compared).
/// Each key is hashed on all cores and the map holds only the hashes;
/// entries alike in hash are then compared in full, so a collision can
/// never make two different sheets alike. Groups list entries in order.
fn alike<K: Hash + Eq + Sync>(keys: &[Option<K>]) -> Vec<Vec<usize>> {
    let hashes: Vec<Option<u64>> = keys
        .par_iter()
        .map(|k| {
            k.as_ref().map(|k| {
                // Fixed keys: the same groups in every run.
                let mut h = DefaultHasher::new();
                k.hash(&mut h);
                h.finish()
            })
        })
        .collect();
    let mut by_hash: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, h) in hashes.iter().enumerate() {
        if let Some(h) = h {
            by_hash.entry(*h).or_default().push(i);
        }
    }
    let key = |i: usize| keys.get(i).and_then(Option::as_ref);
    let mut groups = Vec::new();
    for mut rest in by_hash.into_values().filter(|g| g.len() > 1) {
        while let Some(&first) = rest.first() {
            let (same, other): (Vec<usize>, Vec<usize>) = rest.iter().partition(|&&i| key(i) == key(first));
            if same.len() > 1 {
                groups.push(same);
            }
            rest = other;
        }
    }
    groups
}

/// Kinds in the order the summary lists them.
fn order(kind: &ResemblanceKind) -> u8 {
    match kind {
        ResemblanceKind::ScoringForms { .. } => 0,
        ResemblanceKind::Registers { .. } => 1,
        ResemblanceKind::RepeatedBlocks { .. } => 2,
        ResemblanceKind::IdenticalBallots { .. } => 3,
        ResemblanceKind::RosterNames { .. } => 4,
        ResemblanceKind::RosterScores { .. } => 5,
    }
}

fn sources(r: &Resemblance) -> impl Iterator<Item = &SheetRef> {
    r.sheets.iter().map(|s| &s.source)
}

fn sheet(identity: &Identity, source: &SheetRef) -> ResemblingSheet {
    ResemblingSheet {
        identity: identity.clone(),
        source: source.clone(),
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A value compared exactly, floating-point noise aside.
fn bits(v: Option<f64>) -> Option<u64> {
    v.map(|v| snap(v).to_bits())
}

/// One item as compared: its indicator, self score, assessed score and reason.
type ItemPrint<'a> = (usize, Option<u64>, Option<u64>, Option<&'a str>);

/// Scoring forms of one scheme alike item for item, unless forms this
/// alike are common in the round.
fn scoring_forms(cases: &[Case], scheme: &Scheme, form: FormKind) -> Vec<Resemblance> {
    let forms: Vec<(&Case, &ScoredForm)> = cases.iter().filter_map(|c| Some((c, c.form.as_ref()?))).collect();
    let prints: Vec<FormPrint> = forms.par_iter().map(|(_, f)| form_print(f, scheme)).collect();
    let keys: Vec<Option<&[ItemPrint]>> = prints
        .iter()
        .map(|p| p.informative().then_some(p.items.as_slice()))
        .collect();
    alike(&keys)
        .into_iter()
        .filter_map(|group| {
            let print = prints.get(*group.first()?)?;
            if common(&print.items, &prints) {
                return None;
            }
            Some(Resemblance {
                kind: ResemblanceKind::ScoringForms {
                    form,
                    items: count(print.items.len()),
                    marked: count(print.marked),
                },
                sheets: group
                    .iter()
                    .filter_map(|&i| forms.get(i))
                    .map(|(c, f)| sheet(&c.identity, &f.source))
                    .collect(),
            })
        })
        .collect()
}

/// Whether at least [`MIN_NEAR_FORMS`] other forms of the round differ from
/// `items` in no more than [`NEAR_ITEMS`] items. Only forms alike another
/// are asked, and each comparison stops at the fourth difference, so the
/// round is scanned a few times at most.
fn common(items: &[ItemPrint], prints: &[FormPrint]) -> bool {
    let near = |other: &[ItemPrint]| {
        if other.len() != items.len() {
            return false;
        }
        let mut differ = 0;
        for (a, b) in items.iter().zip(other) {
            if a != b {
                differ += 1;
                if differ > NEAR_ITEMS {
                    return false;
                }
            }
        }
        differ > 0
    };
    prints.iter().filter(|p| near(&p.items)).take(MIN_NEAR_FORMS).count() >= MIN_NEAR_FORMS
}

/// A scoring form's items as compared.
struct FormPrint<'a> {
    items: Vec<ItemPrint<'a>>,
    /// Items that lost points or carry a reason.
    marked: usize,
    /// Whether any item carries a reason.
    reasons: bool,
}

impl FormPrint<'_> {
    /// Whether the form says enough to tell a copy from chance: some items
    /// lost points or carry a reason, and not one score on every item
    /// without a reason (that says no more than full marks).
    fn informative(&self) -> bool {
        let first = self.items.first().map(|p| (p.1, p.2));
        let one_score = self.items.iter().all(|p| Some((p.1, p.2)) == first);
        self.marked >= MIN_MARKED_ITEMS && (self.reasons || !one_score)
    }
}

/// A form's items as compared.
fn form_print<'a>(form: &'a ScoredForm, scheme: &Scheme) -> FormPrint<'a> {
    let mut print = FormPrint {
        items: Vec::new(),
        marked: 0,
        reasons: false,
    };
    for (k, (indicator, entries)) in scheme.indicators.iter().zip(&form.items).enumerate() {
        let items = indicator.scored_items();
        for (j, entry) in entries.iter().enumerate() {
            let max = match items.get(j) {
                Some(item) if !entry.whole => item.max,
                _ => indicator.max,
            };
            // A 减分项 is full when nothing was deducted.
            let lost = |score: Option<f64>| {
                score.is_some_and(|s| {
                    if indicator.negative {
                        snap(s) > 0.0
                    } else {
                        snap(s) < snap(max)
                    }
                })
            };
            let reason = entry.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
            print.reasons |= reason.is_some();
            if reason.is_some() || lost(entry.self_score) || lost(entry.assessed) {
                print.marked += 1;
            }
            print
                .items
                .push((k, bits(entry.self_score), bits(entry.assessed), reason));
        }
    }
    print
}

/// A ballot as compared: its answers and recommended star.
type BallotPrint<'a> = (&'a [Answer], Answer);

fn ballot_print(b: &Ballot) -> BallotPrint<'_> {
    (&b.answers, b.star)
}

/// Registers: alike across branches, or repeating within themselves.
fn registers(cases: &[Case], min_valid: u32) -> Vec<Resemblance> {
    // Only registers: a one-voter ballot is never compared with anything.
    let registers: Vec<(usize, &Case, &BallotSheet)> = cases
        .iter()
        .enumerate()
        .flat_map(|(i, case)| {
            case.ballots
                .iter()
                .filter(|s| matches!(s.layout, BallotLayout::Register { .. }))
                .map(move |s| (i, case, s))
        })
        .collect();
    let looked: Vec<(Option<Resemblance>, Option<Vec<BallotPrint>>)> = registers
        .par_iter()
        .map(|&(_, case, register)| {
            let ids = ballot_ids(&register.ballots);
            let mixed = ids.iter().any(|&id| id != 0);
            let key = (register.ballots.len() >= MIN_SHARED_BALLOTS && mixed)
                .then(|| register.ballots.iter().map(ballot_print).collect());
            (within(case, register, &ids, min_valid), key)
        })
        .collect();
    let (mut found, keys): (Vec<Option<Resemblance>>, Vec<Option<Vec<BallotPrint>>>) = looked.into_iter().unzip();
    for group in alike(&keys) {
        let sheets: Vec<&(usize, &Case, &BallotSheet)> = group.iter().filter_map(|&i| registers.get(i)).collect();
        // Parts of one branch's register alike are its own business.
        let branches: BTreeSet<usize> = sheets.iter().map(|(i, _, _)| *i).collect();
        let Some((_, _, first)) = sheets.first().filter(|_| branches.len() > 1) else {
            continue;
        };
        found.push(Some(Resemblance {
            kind: ResemblanceKind::Registers {
                ballots: count(first.ballots.len()),
            },
            sheets: sheets
                .iter()
                .map(|(_, case, register)| sheet(&case.identity, &register.source))
                .collect(),
        }));
    }
    found.into_iter().flatten().collect()
}

/// Each ballot as a number, the same for the same answers and star: 0 for
/// the first ballot's, then in order of first appearance.
fn ballot_ids(ballots: &[Ballot]) -> Vec<u32> {
    // Sorted rather than hashed: a register holds a few dozen ballots.
    let print = |i: usize| ballots.get(i).map(ballot_print);
    let mut order: Vec<usize> = (0..ballots.len()).collect();
    order.sort_by(|&a, &b| print(a).cmp(&print(b)).then(a.cmp(&b)));
    // Each ballot's group among the sorted, then the groups renumbered.
    let mut group = vec![0; ballots.len()];
    let mut groups = 0;
    for (k, &i) in order.iter().enumerate() {
        let previous = k.checked_sub(1).and_then(|k| order.get(k)).copied();
        if previous.is_some_and(|p| print(p) != print(i)) {
            groups += 1;
        }
        if let Some(slot) = group.get_mut(i) {
            *slot = groups;
        }
    }
    let mut number: Vec<Option<u32>> = vec![None; groups + 1];
    let mut next = 0;
    group
        .iter()
        .map(|&g| match number.get_mut(g) {
            Some(Some(n)) => *n,
            Some(slot) => {
                *slot = Some(next);
                next += 1;
                next - 1
            }
            None => 0,
        })
        .collect()
}

/// One register on its own: every ballot the same, or runs that recur.
fn within(case: &Case, register: &BallotSheet, ids: &[u32], min_valid: u32) -> Option<Resemblance> {
    let ballots = &register.ballots;
    let rows = |from: usize, len: usize| -> Option<RowSpan> {
        Some(RowSpan {
            first: ballots.get(from)?.row + 1,
            last: ballots.get(from + len.checked_sub(1)?)?.row + 1,
        })
    };
    let sheets = || vec![sheet(&case.identity, &register.source)];
    // Where the scheme withholds the statistics (too few ballots, in all or
    // in one voter category), the statement and the score the ballots make
    // would tell what each voter answered.
    let mut per_category: BTreeMap<Option<u16>, usize> = BTreeMap::new();
    for b in ballots {
        *per_category.entry(b.category).or_default() += 1;
    }
    let enough = ballots.len() >= MIN_IDENTICAL_BALLOTS.max(min_valid as usize)
        && per_category.values().all(|&n| n >= min_valid as usize);
    let first = ballots.first()?;
    // A ballot of one answer (one overall question, no star) cannot be
    // told copied from chosen alike: such registers repeat by chance.
    let answers = |b: &Ballot| {
        b.answers
            .iter()
            .chain([&b.star])
            .filter(|a| matches!(a, Answer::Rated(_)))
            .count()
    };
    if ballots.iter().all(|b| answers(b) < 2) {
        return None;
    }
    if ids.iter().all(|&id| id == 0) {
        // Blank ballots carry no answer to copy.
        if !enough || first.is_blank() {
            return None;
        }
        return Some(Resemblance {
            kind: ResemblanceKind::IdenticalBallots {
                ballots: count(ballots.len()),
                rows: rows(0, ballots.len())?,
            },
            sheets: sheets(),
        });
    }
    let blocks: Vec<RepeatedBlock> = repeated_runs(ids)
        .into_iter()
        .filter_map(|(at, again, len)| {
            Some(RepeatedBlock {
                rows: rows(at, len)?,
                again: rows(again, len)?,
                ballots: count(len),
            })
        })
        .collect();
    (!blocks.is_empty()).then(|| Resemblance {
        kind: ResemblanceKind::RepeatedBlocks {
            ballots: count(ballots.len()),
            blocks,
        },
        sheets: sheets(),
    })
}

/// Runs of at least [`MIN_BLOCK`] ballots that recur later in the same
/// register without overlapping, each holding two different ballots:
/// `(first start, later start, length)`, in the order they recur.
///
/// Each window of [`MIN_BLOCK`] ballots is paired with the latest earlier
/// window alike that it does not overlap; consecutive windows paired at the
/// same distance make one run. Linear in the ballots (but for sorting),
/// whatever the register holds.
fn repeated_runs(ids: &[u32]) -> Vec<(usize, usize, usize)> {
    let n = ids.len();
    if n < 2 * MIN_BLOCK {
        return Vec::new();
    }
    let starts = n - MIN_BLOCK + 1;
    let window = |s: usize| ids.get(s..s + MIN_BLOCK).unwrap_or_default();
    // Starts of alike windows next to each other, each group in register order.
    let mut order: Vec<usize> = (0..starts).collect();
    order.sort_by(|&a, &b| window(a).cmp(window(b)).then(a.cmp(&b)));
    let mut partner: Vec<Option<usize>> = vec![None; starts];
    let mut from = 0;
    for (k, &s) in order.iter().enumerate() {
        let previous = k.checked_sub(1).and_then(|k| order.get(k)).copied();
        if previous.is_none_or(|p| window(p) != window(s)) {
            from = k;
        }
        let group = order.get(from..k).unwrap_or_default();
        // The latest earlier window alike that this one does not overlap.
        let fitting = group.partition_point(|&p| p + MIN_BLOCK <= s);
        let p = fitting.checked_sub(1).and_then(|i| group.get(i));
        if let (Some(slot), Some(&p)) = (partner.get_mut(s), p) {
            *slot = Some(p);
        }
    }
    let mut runs = Vec::new();
    let mut s = 0;
    while s < starts {
        let Some(p) = partner.get(s).copied().flatten() else {
            s += 1;
            continue;
        };
        let mut e = s;
        while partner.get(e + 1).copied().flatten() == Some(p + (e + 1 - s)) {
            e += 1;
        }
        // A run longer than its distance overlaps its repeat: the register
        // repeats itself, named a distance at a time.
        let (matched, distance) = (e - s + MIN_BLOCK, s - p);
        let mut done = 0;
        while matched - done >= MIN_BLOCK {
            let len = (matched - done).min(distance);
            let mixed = ids
                .get(s + done..s + done + len)
                .is_some_and(|run| run.iter().any(|id| Some(id) != run.first()));
            if mixed {
                runs.push((p + done, s + done, len));
            }
            done += len;
        }
        s = e + 1;
    }
    runs
}

/// One roster sheet as compared.
struct RosterPrint<'a> {
    /// Index of its branch among the member groups.
    branch: usize,
    identity: &'a Identity,
    source: &'a SheetRef,
    /// Normalised names, sorted, each once.
    names: Vec<String>,
    /// Each member's aspect scores and bonus, in roster order (`None`: not scored).
    scores: Vec<Option<Vec<u64>>>,
}

/// A member's scores as compared: each aspect, then the bonus.
fn member_scores(m: &Assessment) -> Option<Vec<u64>> {
    if m.indicators.is_empty() {
        return None;
    }
    Some(
        m.indicators
            .iter()
            .map(|i| snap(i.score).to_bits())
            .chain([snap(m.bonus).to_bits()])
            .collect(),
    )
}

/// Rosters of different branches naming the same members, or giving the
/// same scores in the same order under other names.
fn rosters(groups: &[MemberGroup]) -> Vec<Resemblance> {
    // A branch that sent two rosters has each compared on its own.
    let mut sheets: Vec<(usize, &MemberGroup, &SheetRef, Vec<&Assessment>)> = Vec::new();
    for (branch, group) in groups.iter().enumerate() {
        let mut by_sheet: BTreeMap<&SheetRef, Vec<&Assessment>> = BTreeMap::new();
        for m in &group.members {
            if let Some(source) = m.sources.first().or(group.sources.first()) {
                by_sheet.entry(source).or_default().push(m);
            }
        }
        sheets.extend(
            by_sheet
                .into_iter()
                .map(|(source, members)| (branch, group, source, members)),
        );
    }
    let prints: Vec<RosterPrint> = sheets
        .par_iter()
        .map(|(branch, group, source, members)| {
            let names: BTreeSet<String> = members.iter().map(|m| norm_label(&m.identity.name)).collect();
            RosterPrint {
                branch: *branch,
                identity: &group.branch,
                source,
                names: names.into_iter().collect(),
                scores: members.iter().map(|m| member_scores(m)).collect(),
            }
        })
        .collect();
    let by_names: Vec<Option<&[String]>> = prints
        .iter()
        .map(|p| (p.names.len() >= MIN_SHARED_NAMES).then_some(p.names.as_slice()))
        .collect();
    let by_scores: Vec<Option<&[Option<Vec<u64>>]>> = prints
        .iter()
        .map(|p| {
            let scored: BTreeSet<&Vec<u64>> = p.scores.iter().flatten().collect();
            let members = p.scores.iter().flatten().count();
            (members >= MIN_SHARED_SCORES && scored.len() >= 2).then_some(p.scores.as_slice())
        })
        .collect();
    let mut found = Vec::new();
    let of = |group: &[usize]| -> Vec<&RosterPrint> { group.iter().filter_map(|&i| prints.get(i)).collect() };
    let across = |sheets: &[&RosterPrint]| sheets.iter().map(|p| p.branch).collect::<BTreeSet<_>>().len() > 1;
    let listed = |sheets: &[&RosterPrint]| -> Vec<ResemblingSheet> {
        sheets.iter().map(|p| sheet(p.identity, p.source)).collect()
    };
    for group in alike(&by_names) {
        let sheets = of(&group);
        let Some(first) = sheets.first().filter(|_| across(&sheets)) else {
            continue;
        };
        found.push(Resemblance {
            kind: ResemblanceKind::RosterNames {
                members: count(first.names.len()),
                same_scores: sheets.iter().all(|p| p.scores == first.scores),
            },
            sheets: listed(&sheets),
        });
    }
    for group in alike(&by_scores) {
        let sheets = of(&group);
        // Alike in names too: the names' finding says so.
        let names: BTreeSet<&[String]> = sheets.iter().map(|p| p.names.as_slice()).collect();
        let Some(first) = sheets.first().filter(|_| across(&sheets) && names.len() > 1) else {
            continue;
        };
        found.push(Resemblance {
            kind: ResemblanceKind::RosterScores {
                members: count(first.scores.len()),
            },
            sheets: listed(&sheets),
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(sequence: &str) -> Vec<(usize, usize, usize)> {
        let ids: Vec<u32> = sequence.bytes().map(|b| u32::from(b - b'a')).collect();
        repeated_runs(&ids)
    }

    #[test]
    fn a_pasted_block_is_found_once_with_its_full_length() {
        //                    4         14        24        34
        assert_eq!(runs("klmnabcdefghijopqrstuvwxabcdefghijyz"), [(4, 24, 10)]);
        // Pasted twice: each repeat named after the one before.
        assert_eq!(runs("abcdefklmnopabcdefqrstabcdefuv"), [(0, 12, 6), (12, 22, 6)]);
    }

    #[test]
    fn uniform_voting_and_short_repeats_are_no_block() {
        assert!(runs("aaaaaaaaaaaaaaaaaaaa").is_empty());
        // Four ballots recurring are too few.
        assert!(runs("abcdxyzwabcdqrst").is_empty());
        // A uniform run recurring is uniform voting.
        assert!(runs("aaaaabcdaaaaadcb").is_empty());
    }

    #[test]
    fn a_periodic_register_names_the_part_before_the_repeat() {
        // Period 6: the first six recur from the seventh on.
        assert_eq!(runs("abcdefabcdefabcdef"), [(0, 6, 6), (6, 12, 6)]);
    }
}
