//! The results contract: what results.json holds, written by one round and
//! read back by a later one.
//!
//! Every value is named, not numbered: tiers by their names, ratings by
//! their labels, issues by their codes, so a record stays readable when the
//! scheme that made it has changed. Strings borrow from the evaluation when
//! written and are owned when read back ([`Record::from_json`]).
//!
//! A change that removes or retypes a field raises [`SCHEMA_VERSION`];
//! adding an optional field does not.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::forms::{Identity, SheetRef, Stage};
use crate::issue::{CellRef, Issue, Severity};
use crate::results::{
    Assessment, BallotStats, Eligibility, Evaluation, IndicatorScore, ManifestLine, MissingForm, OrgStats, PartScore,
    Previous, QuotaDecision, QuotaOutcome, Resemblance, Status,
};
use crate::results::{Collection, Listed};
use crate::round::RoundRecord;
use crate::scheme::{QuotaMode, Scheme};

/// Version of the record layout, written as `schema_version`.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole round's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record<'a> {
    /// Layout version; see [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The round rated, when the run named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<RoundRecord>,
    /// The round checked against its branch register, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<Collection>,
    /// The branch scheme the round was scored by.
    pub scheme: SchemeInfo<'a>,
    /// Branches, ranked; pending ones last.
    pub branches: Vec<Rated<'a>>,
    /// Party groups, ranked; pending ones last.
    pub groups: Vec<Rated<'a>>,
    /// Members by branch, in roster order.
    pub members: Vec<Member<'a>>,
    /// Tier counts per parent organisation, then the whole round.
    pub organisations: Vec<Organisation<'a>>,
    /// Every quota decision, when the scheme has quotas.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotas: Vec<QuotaRecord>,
    /// Party groups and members the schemes' rules over rounds list, when
    /// an archive of earlier rounds was read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listed: Vec<Listed>,
    /// Every problem, ballot details removed.
    pub issues: Vec<IssueRecord<'a>>,
    /// Forms that look copied or made up (疑似雷同), when any were found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resemblances: Vec<ResemblanceRecord<'a>>,
    /// The input manifest.
    pub files: Vec<ManifestLine<'a>>,
}

/// One quota in one scope, tiers by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotaRecord {
    /// The tier limited.
    pub tier: String,
    /// The parent organisation counted; absent for the whole round.
    pub scope: Option<String>,
    /// Its share of the rated.
    pub share: f64,
    /// Rated in the scope.
    pub rated: u32,
    /// How many may hold the tier.
    pub allowed: u32,
    /// `warn` or `enforce`.
    pub mode: QuotaMode,
    /// Each that reached the tier, best total first.
    pub entries: Vec<QuotaEntryRecord>,
}

/// A branch that reached a tier with a quota.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotaEntryRecord {
    /// Name.
    pub name: String,
    /// Parent organisation.
    pub parent: Option<String>,
    /// Total.
    pub total: f64,
    /// `kept`, `moved`, `tie` or `over`.
    pub outcome: String,
    /// The tier it was moved to, if moved.
    pub moved_to: Option<String>,
}

impl QuotaRecord {
    fn of(eval: &Evaluation, d: &QuotaDecision) -> QuotaRecord {
        let scheme = eval.schemes.for_subject(d.subject);
        QuotaRecord {
            tier: scheme.tier(d.tier).name.clone(),
            scope: d.scope.clone(),
            share: d.share,
            rated: d.rated,
            allowed: d.allowed,
            mode: d.mode,
            entries: d
                .entries
                .iter()
                .map(|e| {
                    let (outcome, moved_to) = match e.outcome {
                        QuotaOutcome::Kept => ("kept", None),
                        QuotaOutcome::Moved(to) => ("moved", Some(scheme.tier(to).name.clone())),
                        QuotaOutcome::Tie => ("tie", None),
                        QuotaOutcome::Over => ("over", None),
                    };
                    QuotaEntryRecord {
                        name: e.identity.name.clone(),
                        parent: e.identity.parent.clone(),
                        total: e.total,
                        outcome: outcome.to_string(),
                        moved_to,
                    }
                })
                .collect(),
        }
    }
}

/// Which scheme scored the round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchemeInfo<'a> {
    /// Preset or file name.
    pub name: Cow<'a, str>,
    /// Title printed on outputs.
    pub title: Cow<'a, str>,
}

/// One member's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member<'a> {
    /// The member's branch.
    pub branch: Cow<'a, str>,
    /// That branch's parent organisation.
    pub branch_parent: Option<Cow<'a, str>>,
    /// Member name.
    pub name: Cow<'a, str>,
    /// Rated or held back.
    pub status: Status,
    /// Aspect scores.
    pub aspects: Cow<'a, [IndicatorScore]>,
    /// Bonus points.
    pub bonus: f64,
    /// Total, unrounded.
    pub total: Option<f64>,
    /// Tier name.
    pub tier: Option<Cow<'a, str>>,
    /// Stars of that tier.
    pub stars: Option<u8>,
    /// Veto rules that applied.
    pub vetoed: Cow<'a, [String]>,
    /// Rated low enough to be mentored.
    pub mentee: bool,
    /// Mentor assigned.
    pub mentor: Option<Cow<'a, str>>,
}

/// A branch or party group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rated<'a> {
    /// Rank in the round.
    pub rank: Option<u32>,
    /// Rank within the parent organisation.
    pub parent_rank: Option<u32>,
    /// Name, parent and code.
    #[serde(flatten)]
    pub identity: Cow<'a, Identity>,
    /// Rated or held back.
    pub status: Status,
    /// Which scores the form carried.
    pub stage: Option<Stage>,
    /// Total, unrounded.
    pub total: Option<f64>,
    /// Tier name.
    pub tier: Option<Cow<'a, str>>,
    /// Stars of that tier.
    pub stars: Option<u8>,
    /// Indicator scores.
    pub indicators: Cow<'a, [IndicatorScore]>,
    /// Bonus points.
    pub bonus: f64,
    /// Weighted parts, when the scheme has them.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub parts: Cow<'a, [PartScore]>,
    /// Veto rules that applied.
    pub vetoed: Cow<'a, [String]>,
    /// Other rules that set the tier, in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// Flags in plain words.
    pub flags: Vec<Cow<'a, str>>,
    /// Ballot statistics, when ballots arrived.
    pub ballots: Option<Ballots<'a>>,
    /// Sheets the result was read from.
    pub sources: Cow<'a, [SheetRef]>,
    /// Why there is no scoring form, when there is none.
    pub missing_form: Option<Cow<'a, MissingForm>>,
    /// The tier in the archived round compared with, and the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Cow<'a, Previous>>,
}

/// Ballot statistics of one branch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ballots<'a> {
    /// Ballots issued, as the register says.
    pub issued: Option<u32>,
    /// Ballots returned, as the register says.
    pub returned: Option<u32>,
    /// Ballots counted.
    pub counted: u32,
    /// Blank ballots.
    pub blank: u32,
    /// Valid ballots.
    pub valid: u32,
    /// Too few valid ballots: the aggregates below are not given.
    pub withheld: bool,
    /// The aggregates, unless withheld.
    #[serde(flatten)]
    pub detail: Option<Detail<'a>>,
}

/// Ballot aggregates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detail<'a> {
    /// Counts per question.
    pub questions: Vec<Question<'a>>,
    /// Recommended tiers, by tier name.
    pub recommended: Vec<Count<'a>>,
    /// Ballots recommending more than one tier.
    pub recommended_over_votes: u32,
    /// Mean rating score.
    pub mean_rating: Option<f64>,
    /// Share of satisfied ratings.
    pub satisfaction: Option<f64>,
    /// Tier named by the ballots (议星).
    pub yixing: Option<Cow<'a, str>>,
}

/// Counts for one ballot question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question<'a> {
    /// The question.
    pub question: Cow<'a, str>,
    /// Counts by rating label.
    pub ratings: Vec<Count<'a>>,
    /// Ballots ticking more than one rating.
    pub over_votes: u32,
    /// Unreadable answers.
    pub invalid: u32,
    /// No answer.
    pub abstentions: u32,
}

/// A count under a label (a tier or a rating).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Count<'a> {
    /// Tier name or rating label.
    pub label: Cow<'a, str>,
    /// How many.
    pub count: u32,
}

/// Tier counts of one parent organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation<'a> {
    /// Parent organisation; none for branches that gave none.
    pub parent: Option<Cow<'a, str>>,
    /// Totals over the whole round.
    pub overall: bool,
    /// All branches, pending included.
    pub branches: u32,
    /// Branches held back.
    pub pending: u32,
    /// Rated branches by tier name.
    pub tiers: Vec<Count<'a>>,
    /// Excellence eligibility, when the scheme has the rule.
    pub eligibility: Option<Eligibility>,
}

/// One problem as written out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueRecord<'a> {
    /// Severity.
    pub severity: Severity,
    /// Stable machine-readable kind.
    pub code: Cow<'a, str>,
    /// Input path relative to the inbox.
    pub file: Cow<'a, str>,
    /// Sheet name.
    pub sheet: Option<Cow<'a, str>>,
    /// Cell, A1 style.
    pub cell: Option<CellRef>,
    /// Chinese message.
    pub message: Cow<'a, str>,
}

/// A resemblance as written out: the summary's words beside its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResemblanceRecord<'a> {
    /// 类别, as the summary names it.
    pub category: Cow<'a, str>,
    /// 情况, in words.
    pub detail: Cow<'a, str>,
    /// What was found (`kind`) and its figures, and the sheets concerned.
    #[serde(flatten)]
    pub resemblance: Cow<'a, Resemblance>,
}

/// Why a record could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// Not JSON of the record's shape.
    #[error("结果文件格式不对：{0}")]
    Json(#[from] serde_json::Error),
    /// Written by a layout this build does not know.
    #[error("结果文件版本 {found} 无法读取（本程序读取版本 {SCHEMA_VERSION}）")]
    Version {
        /// Version found in the file.
        found: u32,
    },
}

impl<'a> Record<'a> {
    /// The record of an evaluation, borrowing its strings.
    pub fn of(eval: &'a Evaluation) -> Record<'a> {
        let scheme = &eval.schemes.branch;
        Record {
            schema_version: SCHEMA_VERSION,
            round: eval.round.map(|r| r.record()),
            collection: eval.collection.clone(),
            scheme: SchemeInfo {
                name: Cow::Borrowed(&scheme.name),
                title: Cow::Borrowed(&scheme.title),
            },
            branches: eval.branches.iter().map(|b| Rated::of(scheme, b)).collect(),
            groups: eval.groups.iter().map(|g| Rated::of(&eval.schemes.group, g)).collect(),
            members: eval
                .members
                .iter()
                .map(|m| {
                    let member = &eval.schemes.member;
                    let a = &m.assessment;
                    Member {
                        branch: Cow::Borrowed(&m.branch.name),
                        branch_parent: m.branch.parent.as_deref().map(Cow::Borrowed),
                        name: Cow::Borrowed(&a.identity.name),
                        status: a.status,
                        aspects: Cow::Borrowed(&a.indicators),
                        bonus: a.bonus,
                        total: a.total,
                        tier: a.tier.map(|t| Cow::Borrowed(member.tier(t).name.as_str())),
                        stars: a.tier.and_then(|t| member.tier(t).stars),
                        vetoed: Cow::Borrowed(&a.vetoed),
                        mentee: m.mentee,
                        mentor: m.mentor.as_deref().map(Cow::Borrowed),
                    }
                })
                .collect(),
            organisations: eval.organisations.iter().map(|o| Organisation::of(scheme, o)).collect(),
            quotas: eval.quotas.iter().map(|d| QuotaRecord::of(eval, d)).collect(),
            listed: eval
                .history
                .iter()
                .flat_map(|h| h.groups.iter().chain(&h.members))
                .cloned()
                .collect(),
            issues: eval.issues.iter().map(|i| IssueRecord::of(i.for_output())).collect(),
            resemblances: eval
                .resemblances
                .iter()
                .map(|r| ResemblanceRecord {
                    category: Cow::Borrowed(r.label()),
                    detail: Cow::Owned(r.describe()),
                    resemblance: Cow::Borrowed(r),
                })
                .collect(),
            files: eval.manifest(),
        }
    }

    /// Reads a record back from results.json, refusing an unknown layout.
    pub fn from_json(bytes: &[u8]) -> Result<Record<'static>, RecordError> {
        #[derive(Deserialize)]
        struct Version {
            schema_version: u32,
        }
        let Version { schema_version } = serde_json::from_slice(bytes)?;
        if schema_version != SCHEMA_VERSION {
            return Err(RecordError::Version { found: schema_version });
        }
        Ok(serde_json::from_slice(bytes)?)
    }
}

impl<'a> Rated<'a> {
    fn of(scheme: &'a Scheme, b: &'a Assessment) -> Rated<'a> {
        Rated {
            rank: b.rank,
            parent_rank: b.parent_rank,
            identity: Cow::Borrowed(&b.identity),
            status: b.status,
            stage: b.stage,
            total: b.total,
            tier: b.tier.map(|t| Cow::Borrowed(scheme.tier(t).name.as_str())),
            stars: b.tier.and_then(|t| scheme.tier(t).stars),
            indicators: Cow::Borrowed(&b.indicators),
            bonus: b.bonus,
            parts: Cow::Borrowed(&b.parts),
            vetoed: Cow::Borrowed(&b.vetoed),
            rules: b.adjustment_texts(scheme),
            flags: b.flag_labels().into_iter().map(Cow::Borrowed).collect(),
            ballots: b.ballots.as_ref().map(|s| Ballots::of(scheme, s)),
            sources: Cow::Borrowed(&b.sources),
            missing_form: b.missing_form.as_ref().map(Cow::Borrowed),
            previous: b.previous.as_ref().map(Cow::Borrowed),
        }
    }
}

impl<'a> Ballots<'a> {
    fn of(scheme: &'a Scheme, s: &'a BallotStats) -> Ballots<'a> {
        let ratings = || scheme.ballot.ratings.iter().map(|r| r.label.as_str());
        let tiers = || scheme.tiers.iter().map(|t| t.name.as_str());
        Ballots {
            issued: s.issued,
            returned: s.returned,
            counted: s.counted,
            blank: s.blank,
            valid: s.valid,
            withheld: s.withheld(),
            detail: s.detail.as_ref().map(|d| Detail {
                questions: d
                    .questions
                    .iter()
                    .map(|q| Question {
                        question: Cow::Borrowed(&q.question),
                        ratings: Count::zip(ratings(), &q.counts),
                        over_votes: q.over_votes,
                        invalid: q.invalid,
                        abstentions: q.abstentions,
                    })
                    .collect(),
                recommended: Count::zip(tiers(), &d.stars),
                recommended_over_votes: d.star_over_votes,
                mean_rating: d.mean,
                satisfaction: d.satisfaction,
                yixing: d.yixing.map(|y| Cow::Borrowed(scheme.tier(y).name.as_str())),
            }),
        }
    }
}

impl<'a> Count<'a> {
    /// Counts labelled in order; a count without a label is not written.
    fn zip(labels: impl Iterator<Item = &'a str>, counts: &[u32]) -> Vec<Count<'a>> {
        labels
            .zip(counts)
            .map(|(label, count)| Count {
                label: Cow::Borrowed(label),
                count: *count,
            })
            .collect()
    }
}

impl<'a> Organisation<'a> {
    fn of(scheme: &'a Scheme, o: &'a OrgStats) -> Organisation<'a> {
        Organisation {
            parent: o.parent.as_deref().map(Cow::Borrowed),
            overall: o.overall,
            branches: o.branches(),
            pending: o.pending,
            tiers: Count::zip(scheme.tiers.iter().map(|t| t.name.as_str()), &o.tiers),
            eligibility: o.eligibility,
        }
    }
}

impl IssueRecord<'static> {
    fn of(issue: Issue) -> IssueRecord<'static> {
        IssueRecord {
            severity: issue.severity,
            code: Cow::Borrowed(issue.code),
            file: Cow::Owned(issue.file),
            sheet: issue.sheet.map(Cow::Owned),
            cell: issue.cell,
            message: Cow::Owned(issue.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_back_as_written() {
        for (row, col) in [(0, 0), (6, 1), (9, 26), (1_048_575, 16_383)] {
            let cell = CellRef::new(row, col);
            assert_eq!(cell.to_string().parse::<CellRef>(), Ok(cell));
        }
        assert_eq!("$B$7".parse::<CellRef>(), Ok(CellRef::new(6, 1)));
        for bad in ["", "7", "B", "B0", "1B", "B7x", "中1"] {
            assert!(bad.parse::<CellRef>().is_err(), "{bad}");
        }
    }

    #[test]
    fn another_layout_is_refused_by_name() {
        let err = Record::from_json(br#"{"schema_version":99}"#).unwrap_err();
        assert_eq!(err.to_string(), "结果文件版本 99 无法读取（本程序读取版本 1）");
    }
}
