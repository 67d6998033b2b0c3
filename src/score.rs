//! Scoring and ranking: pure functions from forms and scheme to results.
//!
//! Totals are compared unrounded against the tier thresholds (see
//! [`crate::points`]); rounding happens only when results are displayed.

// Works on values read from untrusted files: no panic may be reachable from them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::assemble::{Case, MemberGroup};
use crate::forms::{Answer, BallotLayout, BallotSheet, Identity, Roster, ScoredForm, SheetRef, Stage};
use crate::issue::{Issue, Privacy, Problem};
use crate::points::{same, snap};
use crate::scheme::{Scheme, Source, TierId};

/// Per-question ballot statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionStats {
    /// The question.
    pub question: String,
    /// Valid ratings per scheme rating word.
    pub counts: Vec<u32>,
    /// Questions marked more than once.
    pub over_votes: u32,
    /// Marks that are no rating word.
    pub invalid: u32,
    /// Questions left unmarked (on non-blank ballots).
    pub abstentions: u32,
}

/// Aggregate ballot statistics for one branch; never a single ballot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BallotStats {
    /// 发出票数, when a register states it.
    pub issued: Option<u32>,
    /// 收回票数, when a register states it.
    pub returned: Option<u32>,
    /// Ballots counted.
    pub counted: u32,
    /// Blank ballots (空白票).
    pub blank: u32,
    /// Ballots with at least one valid mark.
    pub valid: u32,
    /// What the ballots said, in aggregate; `None` once withheld (see
    /// [`BallotStats::disclosed`]).
    pub detail: Option<BallotDetail>,
}

/// What a branch's ballots said, in aggregate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BallotDetail {
    /// Per question.
    pub questions: Vec<QuestionStats>,
    /// Recommended-star votes per scheme tier.
    pub stars: Vec<u32>,
    /// Recommended star marked more than once.
    pub star_over_votes: u32,
    /// Mean rating value over all valid ratings.
    pub mean: Option<f64>,
    /// Share of valid ratings that are satisfied (好 + 较好).
    pub satisfaction: Option<f64>,
    /// The 议星 result: the median recommended star.
    pub yixing: Option<TierId>,
}

impl BallotStats {
    /// The statistics as they may leave the tool: with fewer valid ballots
    /// than `min_valid`, the aggregates would tell what each voter answered
    /// (one ballot's counts are that ballot), so only the issued, returned
    /// and valid counts stay. This is the one place the rule is applied:
    /// results keep nothing more, so no output can show it.
    pub fn disclosed(mut self, min_valid: u32) -> BallotStats {
        if self.valid < min_valid {
            self.detail = None;
        }
        self
    }

    /// Whether the aggregates were withheld for anonymity.
    pub fn withheld(&self) -> bool {
        self.detail.is_none()
    }
}

/// Sums the ballots of one branch, every aggregate included: for scoring
/// only, before [`BallotStats::disclosed`].
pub fn tally(scheme: &Scheme, sheets: &[BallotSheet]) -> BallotStats {
    let ratings = &scheme.ballot.ratings;
    let mut questions: Vec<QuestionStats> = scheme
        .ballot
        .questions
        .iter()
        .map(|q| QuestionStats {
            question: q.clone(),
            counts: vec![0; ratings.len()],
            over_votes: 0,
            invalid: 0,
            abstentions: 0,
        })
        .collect();
    let mut stats = BallotStats {
        issued: None,
        returned: None,
        counted: 0,
        blank: 0,
        valid: 0,
        detail: None,
    };
    let mut detail = BallotDetail {
        questions: Vec::new(),
        stars: vec![0; scheme.tiers.len()],
        star_over_votes: 0,
        mean: None,
        satisfaction: None,
        yixing: None,
    };
    let add = |a: Option<u32>, b: Option<u32>| match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    };
    for sheet in sheets {
        if let BallotLayout::Register { issued, returned } = sheet.layout {
            stats.issued = add(stats.issued, issued);
            stats.returned = add(stats.returned, returned);
        }
        for ballot in &sheet.ballots {
            stats.counted += 1;
            if ballot.is_blank() {
                stats.blank += 1;
                continue;
            }
            stats.valid += 1;
            for (q, answer) in questions.iter_mut().zip(&ballot.answers) {
                match *answer {
                    Answer::Rated(i) => bump(&mut q.counts, usize::from(i)),
                    Answer::OverVote => q.over_votes += 1,
                    Answer::Invalid => q.invalid += 1,
                    Answer::Abstain => q.abstentions += 1,
                }
            }
            match ballot.star {
                Answer::Rated(t) => bump(&mut detail.stars, usize::from(t)),
                Answer::OverVote => detail.star_over_votes += 1,
                Answer::Invalid | Answer::Abstain => {}
            }
        }
    }
    let (mut n, mut sum, mut satisfied) = (0u32, 0.0, 0u32);
    for q in &questions {
        for (count, rating) in q.counts.iter().zip(ratings) {
            n += count;
            sum += f64::from(*count) * rating.value;
            if rating.satisfied {
                satisfied += count;
            }
        }
    }
    if n > 0 {
        detail.mean = Some(sum / f64::from(n));
        detail.satisfaction = Some(f64::from(satisfied) / f64::from(n));
    }
    detail.yixing = median_star(&detail.stars);
    detail.questions = questions;
    stats.detail = Some(detail);
    stats
}

/// The highest tier that more than half of the star votes reach or exceed.
///
/// A median, not a mean: one hostile or careless vote cannot drag the
/// result down by more than its own position in the order.
pub fn median_star(votes_per_tier: &[u32]) -> Option<TierId> {
    let total: u32 = votes_per_tier.iter().sum();
    let mut at_or_above = 0;
    for (i, votes) in votes_per_tier.iter().enumerate() {
        at_or_above += votes;
        if at_or_above * 2 > total {
            return Some(TierId(i));
        }
    }
    None
}

/// One item's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemScore {
    /// Item name from the scheme.
    pub name: Arc<str>,
    /// Maximum points.
    pub max: f64,
    /// Score that counts (assessed, or self in the 荐星 stage).
    pub score: f64,
    /// Self score, when given.
    pub self_score: Option<f64>,
    /// Reason for lost points, as written on the form.
    pub reason: Option<Box<str>>,
}

/// One indicator's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorScore {
    /// Indicator name.
    pub name: Arc<str>,
    /// Maximum points.
    pub max: f64,
    /// Where the score came from.
    pub source: Source,
    /// Score, unrounded.
    pub score: f64,
    /// Self score sum, when every item has one.
    pub self_score: Option<f64>,
    /// Medal (单项星) earned.
    pub medal: Option<Arc<str>>,
    /// Self score exceeds the assessed score by more than the scheme allows.
    pub self_inflated: bool,
    /// Items (empty for ballot-scored indicators); boxed, as they never grow.
    pub items: Box<[ItemScore]>,
}

/// Whether a branch was rated or is held back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Scored and ranked.
    Rated,
    /// Held back because of errors (待核实).
    Pending,
}

/// Why a branch the round knows of has no scoring form to score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum MissingForm {
    /// None arrived: the branch is known from its ballots or roster only.
    NotReceived,
    /// An input that could not be read names the branch in its file name.
    Unreadable {
        /// That input, relative to the inbox.
        file: String,
    },
}

impl MissingForm {
    /// The unreadable file, if that is what became of the form.
    pub fn file(&self) -> Option<String> {
        match self {
            MissingForm::Unreadable { file } => Some(file.clone()),
            MissingForm::NotReceived => None,
        }
    }

    /// In plain words, for the 标记 column.
    pub fn label(&self) -> String {
        match self {
            MissingForm::NotReceived => "未收到评分表".to_string(),
            MissingForm::Unreadable { file } => format!("评分表无法读取：{file}"),
        }
    }
}

/// Result flags, explained in outputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Flags {
    /// Scored from self scores (预评).
    pub preliminary: bool,
    /// Some indicator's self score is inflated (自评偏高).
    pub self_inflated: bool,
    /// The 议星 result is far below the tier (需复核).
    pub needs_review: bool,
    /// Fewer valid ballots than the scheme wants (测评人数不足).
    pub few_ballots: bool,
}

/// One branch's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The branch.
    pub identity: Identity,
    /// Rated or pending.
    pub status: Status,
    /// Stage of its scoring form.
    pub stage: Option<Stage>,
    /// Indicator results (empty when pending).
    pub indicators: Vec<IndicatorScore>,
    /// Bonus counted.
    pub bonus: f64,
    /// Total, unrounded and capped.
    pub total: Option<f64>,
    /// Tier.
    pub tier: Option<TierId>,
    /// Veto items answered 是.
    pub vetoed: Vec<String>,
    /// Flags.
    pub flags: Flags,
    /// Ballot statistics, when ballots were sent (boxed: members, the bulk
    /// of all results, never have any).
    pub ballots: Option<Box<BallotStats>>,
    /// Overall rank; ties share a rank.
    pub rank: Option<u32>,
    /// Rank within the parent organisation.
    pub parent_rank: Option<u32>,
    /// Scoring forms submitted.
    pub sources: Vec<SheetRef>,
    /// Why there is no scoring form, for a branch held back without one.
    pub missing_form: Option<MissingForm>,
}

/// Scores one branch or party group with its ballots; issues are the
/// problems only scoring can see.
pub fn score_case(scheme: &Scheme, case: &Case) -> (Assessment, Vec<Issue>) {
    let mut issues = Vec::new();
    let counted = (!case.ballots.is_empty()).then(|| tally(scheme, &case.ballots));
    // Scored from every valid rating; kept only as far as anonymity allows.
    let mean = counted.as_ref().and_then(|t| t.detail.as_ref()).and_then(|d| d.mean);
    let ballots = counted.map(|t| Box::new(t.disclosed(scheme.ballot.min_valid)));
    let few = ballots
        .as_ref()
        .is_some_and(|stats| (1..scheme.ballot.min_valid).contains(&stats.valid));
    if let (true, Some(stats), Some(first)) = (few, &ballots, case.ballots.first()) {
        let problem = Problem::FewBallots {
            valid: stats.valid,
            min: scheme.ballot.min_valid,
        };
        let issue = Issue::at(&first.source.file, Some(&first.source.sheet), None, problem);
        issues.push(if first.layout == BallotLayout::Single {
            issue.private(Privacy::Ballot)
        } else {
            issue
        });
    }
    let mut result = match &case.form {
        Some(form) => {
            let (result, found) = score_form(scheme, form, ballots, mean, case.blocked, &case.form_sources);
            issues.extend(found);
            result
        }
        None => {
            let mut held = Assessment::pending(case.identity.clone(), ballots, case.form_sources.clone());
            held.missing_form = case.missing_form.clone();
            held
        }
    };
    result.flags.few_ballots = few;
    (result, issues)
}

impl Assessment {
    /// Holds a result back (待核实), as if scored with its form blocked.
    fn hold(&mut self) {
        let identity = std::mem::take(&mut self.identity);
        let sources = std::mem::take(&mut self.sources);
        *self = Assessment::pending(identity, self.ballots.take(), sources);
    }

    /// A result held back before scoring.
    fn pending(identity: Identity, ballots: Option<Box<BallotStats>>, sources: Vec<SheetRef>) -> Assessment {
        Assessment {
            identity,
            status: Status::Pending,
            stage: None,
            indicators: Vec::new(),
            bonus: 0.0,
            total: None,
            tier: None,
            vetoed: Vec::new(),
            flags: Flags::default(),
            ballots,
            rank: None,
            parent_rank: None,
            sources,
            missing_form: None,
        }
    }
}

/// Scores one form against its scheme — items, indicators (ballot-scored
/// ones from the mean rating `ballot_mean`), medals, bonus, capped total,
/// tier, veto and flags; `ballots` are kept as the result's statistics. The
/// same steps serve branches, party groups and members.
pub fn score_form(
    scheme: &Scheme,
    form: &ScoredForm,
    ballots: Option<Box<BallotStats>>,
    ballot_mean: Option<f64>,
    blocked: bool,
    sources: &[SheetRef],
) -> (Assessment, Vec<Issue>) {
    let mut issues = Vec::new();
    let mut result = Assessment::pending(form.identity.clone(), ballots, sources.to_vec());
    result.stage = Some(form.stage);
    // Exact size: a province holds over a hundred thousand of these.
    result.indicators.reserve_exact(scheme.indicators.len());
    let stage = form.stage;
    let mut pending = blocked;
    for (k, indicator) in scheme.indicators.iter().enumerate() {
        let (score, items) = match indicator.source {
            Source::Form => {
                let items: Box<[ItemScore]> = indicator
                    .scored_items()
                    .iter()
                    .zip(form.items.get(k).map(Vec::as_slice).unwrap_or_default())
                    .map(|(item, entry)| ItemScore {
                        name: item.name.clone(),
                        max: item.max,
                        score: entry.score(stage).unwrap_or(0.0),
                        self_score: entry.self_score,
                        reason: entry.reason.as_deref().map(Box::from),
                    })
                    .collect();
                (items.iter().map(|i| i.score).sum::<f64>(), items)
            }
            Source::Ballot => match ballot_mean {
                Some(mean) => (indicator.max * mean, Box::default()),
                None => {
                    let problem = Problem::NoBallots {
                        branch: form.identity.name.clone(),
                        indicator: indicator.name.to_string(),
                    };
                    if let Some(src) = sources.first() {
                        issues.push(Issue::at(&src.file, Some(&src.sheet), None, problem));
                    }
                    pending = true;
                    (0.0, Box::default())
                }
            },
        };
        let self_score = (indicator.source == Source::Form && !items.is_empty())
            .then(|| items.iter().map(|i| i.self_score).sum::<Option<f64>>())
            .flatten();
        let allowed = scheme.flags.self_inflation_share * indicator.max;
        let self_inflated = stage == Stage::Final && self_score.is_some_and(|s| snap(s - score) > snap(allowed));
        result.indicators.push(IndicatorScore {
            name: indicator.name.clone(),
            max: indicator.max,
            source: indicator.source,
            score,
            self_score,
            medal: scheme.medal_for(score, indicator.max).map(|m| m.name.clone()),
            self_inflated,
            items,
        });
    }
    if pending {
        result.indicators.clear();
        result.stage = None;
        return (result, issues);
    }
    result.status = Status::Rated;
    result.bonus = form.bonus;
    let sum: f64 = result.indicators.iter().map(|i| i.score).sum::<f64>() + form.bonus;
    let total = snap(sum).min(scheme.total_cap);
    result.total = Some(total);
    result.vetoed = scheme
        .veto
        .items
        .iter()
        .zip(&form.veto)
        .filter(|(_, yes)| **yes)
        .map(|(item, _)| item.clone())
        .collect();
    let tier = if result.vetoed.is_empty() {
        scheme.tier_for(total)
    } else {
        scheme.veto_tier()
    };
    result.tier = Some(tier);
    result.flags.preliminary = stage == Stage::Preliminary;
    result.flags.self_inflated = result.indicators.iter().any(|i| i.self_inflated);
    // Only where the 议星 result may be shown: the flag would tell it.
    result.flags.needs_review = result
        .ballots
        .as_ref()
        .and_then(|b| b.detail.as_ref())
        .and_then(|d| d.yixing)
        .is_some_and(|y| y.0 >= tier.0 + scheme.ballot.review_gap);
    (result, issues)
}

/// One member's result and mentoring.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberResult {
    /// The member's branch, shared by all its members.
    pub branch: Arc<Identity>,
    /// The member's scores and tier (identity: name, parent = branch name).
    pub assessment: Assessment,
    /// Mentored under the scheme's mentoring rule.
    pub mentee: bool,
    /// Assigned mentor (帮扶指导员), a top-tier member of the same branch.
    pub mentor: Option<String>,
}

/// Scores each member of a roster on its own; what only the whole branch
/// decides (held back, mentors) follows in [`member_results`].
pub fn score_roster(scheme: &Scheme, roster: Roster) -> Roster<Assessment> {
    let sources = [roster.source.clone()];
    let members = roster
        .members
        .iter()
        .map(|member| score_form(scheme, member, None, None, !member.valid, &sources).0)
        .collect();
    Roster {
        identity: roster.identity,
        source: roster.source,
        members,
    }
}

/// A branch's member results: held back together when its rosters are in
/// doubt, with mentors assigned among them.
pub fn member_results(scheme: &Scheme, group: MemberGroup) -> Vec<MemberResult> {
    let MemberGroup {
        branch,
        members,
        blocked,
        ..
    } = group;
    let branch = Arc::new(branch);
    let mut results: Vec<MemberResult> = members
        .into_iter()
        .map(|mut assessment| {
            if blocked {
                assessment.hold();
            }
            MemberResult {
                branch: branch.clone(),
                assessment,
                mentee: false,
                mentor: None,
            }
        })
        .collect();
    assign_mentors(scheme, &mut results);
    results
}

/// Gives every mentee a mentor of the top tier from the same branch, in
/// turn, so no mentor carries two more than another; mentees without an
/// available mentor keep `None` (需上级指派).
pub fn assign_mentors(scheme: &Scheme, members: &mut [MemberResult]) {
    let Some(rule) = &scheme.mentoring else { return };
    let (Some(mentor_tier), Some(bar)) = (
        scheme.tier_by_name(&rule.mentor_tier),
        scheme.tier_by_name(&rule.mentee_at_or_below),
    ) else {
        return;
    };
    let tier_of = |m: &MemberResult| m.assessment.tier.filter(|_| m.assessment.status == Status::Rated);
    // Mentors strongest first, mentees weakest first; names break ties.
    let mut mentors: Vec<(f64, String)> = members
        .iter()
        .filter(|m| tier_of(m) == Some(mentor_tier))
        .map(|m| (m.assessment.total.unwrap_or(0.0), m.assessment.identity.name.clone()))
        .collect();
    mentors.sort_by(|a, b| snap(b.0).total_cmp(&snap(a.0)).then(a.1.cmp(&b.1)));
    let mut mentees: Vec<(f64, String, usize)> = members
        .iter()
        .enumerate()
        .filter(|(_, m)| tier_of(m).is_some_and(|t| t >= bar))
        .map(|(i, m)| {
            (
                snap(m.assessment.total.unwrap_or(0.0)),
                m.assessment.identity.name.clone(),
                i,
            )
        })
        .collect();
    mentees.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for (turn, (_, _, i)) in mentees.into_iter().enumerate() {
        if let Some(m) = members.get_mut(i) {
            m.mentee = true;
            m.mentor = mentors.get(turn % mentors.len().max(1)).map(|(_, name)| name.clone());
        }
    }
}

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

/// Whether a parent organisation qualifies under the scheme's excellence rule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Eligibility {
    /// Qualifies whatever its pending branches turn out to be.
    Eligible,
    /// Fails even if every pending branch turned out best.
    NotEligible,
    /// Depends on its pending branches.
    Undecided,
}

/// Tier counts of one parent organisation (or of all, when `parent` is `None`
/// and `overall` is set).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgStats {
    /// Parent organisation; `None` for branches that gave none.
    pub parent: Option<String>,
    /// Totals over every organisation.
    pub overall: bool,
    /// Rated branches per scheme tier.
    pub tiers: Vec<u32>,
    /// Branches held back (待核实).
    pub pending: u32,
    /// Excellence eligibility, when the scheme has the rule.
    pub eligibility: Option<Eligibility>,
}

impl OrgStats {
    /// Rated branches.
    pub fn rated(&self) -> u32 {
        self.tiers.iter().sum()
    }

    /// All branches, pending included.
    pub fn branches(&self) -> u32 {
        self.rated() + self.pending
    }

    /// Rated branches at `tier` or better.
    pub fn at_or_above(&self, tier: TierId) -> u32 {
        self.tiers.iter().take(tier.0 + 1).sum()
    }

    /// A count as a share of the rated branches.
    pub fn share(&self, count: u32) -> Option<f64> {
        (self.rated() > 0).then(|| f64::from(count) / f64::from(self.rated()))
    }
}

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
    let top = scheme.tier_by_name(&rule.top_tier)?;
    let bar = scheme.tier_by_name(&rule.at_or_above)?;
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

/// Counts one more at `i`; indices come from the scheme the counts were sized by.
fn bump(counts: &mut [u32], i: usize) {
    if let Some(n) = counts.get_mut(i) {
        *n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_star_on_odd_and_even_counts() {
        // tiers: 五星, 四星, 三星, 二星, 一星, 无星
        assert_eq!(median_star(&[2, 1, 0, 0, 0, 0]), Some(TierId(0)));
        assert_eq!(
            median_star(&[2, 2, 0, 0, 0, 0]),
            Some(TierId(1)),
            "half is not more than half"
        );
        assert_eq!(median_star(&[1, 0, 0, 0, 0, 2]), Some(TierId(5)));
        assert_eq!(median_star(&[0; 6]), None);
    }

    fn rated(name: &str, parent: &str, tier: usize, total: f64) -> Assessment {
        Assessment {
            identity: Identity {
                name: name.into(),
                parent: Some(parent.into()),
                code: None,
            },
            status: Status::Rated,
            stage: Some(Stage::Final),
            indicators: Vec::new(),
            bonus: 0.0,
            total: Some(total),
            tier: Some(TierId(tier)),
            vetoed: Vec::new(),
            flags: Flags::default(),
            ballots: None,
            rank: None,
            parent_rank: None,
            sources: Vec::new(),
            missing_form: None,
        }
    }

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
