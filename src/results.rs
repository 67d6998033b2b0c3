//! What a run found: every result type the scoring stage produces and the
//! reports read — branch, group and member assessments, ballot statistics,
//! organisation statistics, the input manifest — and the whole evaluation.
//!
//! Plain data: the stages before fill it, the stages after only read it.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::directory::BranchKey;
use crate::forms::{FormKind, Identity, SheetRef, Stage};
use crate::issue::{BALLOT_FILE_PLACEHOLDER, Issue, Problem, Severity};
use crate::points::{fmt_percent, fmt_points};
use crate::round::{Period, Round};
use crate::scheme::{QuotaMode, Rating, Scheme, Schemes, Source, Subject, TierId, Unmet};
use crate::workbook::Format;

impl QuestionStats {
    /// Valid answers: those of the options that count.
    pub fn valid(&self, ratings: &[Rating]) -> u32 {
        self.of(ratings, |r| r.counted)
    }

    /// Answers of options counted as satisfied.
    pub fn satisfied(&self, ratings: &[Rating]) -> u32 {
        self.of(ratings, |r| r.counted && r.satisfied)
    }

    fn of(&self, ratings: &[Rating], pick: impl Fn(&Rating) -> bool) -> u32 {
        self.counts
            .iter()
            .zip(ratings)
            .filter(|(_, r)| pick(r))
            .map(|(n, _)| *n)
            .sum()
    }
}

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
    /// Per voter category, in schemes that weigh them (scheme order, every
    /// category listed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<CategoryStats>,
}

/// One voter category's ballots, in aggregate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryStats {
    /// Category name from the scheme.
    pub name: String,
    /// Its weight in the scheme.
    pub weight: f64,
    /// Ballots counted.
    pub counted: u32,
    /// Ballots with at least one valid mark.
    pub valid: u32,
    /// Mean rating value over the category's valid ratings; `None` once withheld.
    pub mean: Option<f64>,
    /// Share of the category's valid ratings that are satisfied; `None` once withheld.
    pub satisfaction: Option<f64>,
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
    /// Mean rating value over all valid ratings; in schemes that weigh
    /// voter categories, the weighted mean of the categories' means.
    pub mean: Option<f64>,
    /// Share of valid ratings that are satisfied (好 + 较好); weighted like
    /// the mean in schemes that weigh voter categories.
    pub satisfaction: Option<f64>,
    /// The 议星 result: the median recommended star.
    pub yixing: Option<TierId>,
}

impl BallotDetail {
    /// Whether any ballot recommended a tier (a tally or a register without
    /// 推荐星级 has none).
    pub fn has_star_votes(&self) -> bool {
        self.star_over_votes > 0 || self.stars.iter().any(|&n| n > 0)
    }
}

impl BallotStats {
    /// The statistics as they may leave the tool: with fewer valid ballots
    /// than `min_valid`, the aggregates would tell what each voter answered
    /// (one ballot's counts are that ballot), so only the issued, returned
    /// and valid counts stay. This is the one place the rule is applied:
    /// results keep nothing more, so no output can show it.
    ///
    /// With voter categories, one category under `min_valid` withholds the
    /// whole detail too: its answers would follow from the totals less the
    /// other categories, or from the pooled and the weighted rates.
    pub fn disclosed(mut self, min_valid: u32) -> BallotStats {
        if self.valid < min_valid || self.short_category(min_valid).is_some() {
            self.detail = None;
            for c in &mut self.categories {
                c.mean = None;
                c.satisfaction = None;
            }
        }
        self
    }

    /// The first voter category with some, but fewer than `min_valid`, valid ballots.
    pub fn short_category(&self, min_valid: u32) -> Option<&CategoryStats> {
        self.categories.iter().find(|c| (1..min_valid).contains(&c.valid))
    }

    /// Whether the aggregates were withheld for anonymity.
    pub fn withheld(&self) -> bool {
        self.detail.is_none()
    }
}

/// One item's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// A 减分项: `score` is the points deducted.
    #[serde(default, skip_serializing_if = "is_no")]
    pub negative: bool,
}

impl IndicatorScore {
    /// What the indicator adds to the total: its score, or minus the
    /// points a 减分项 deducts.
    pub fn signed(&self) -> f64 {
        self.sign(self.score)
    }

    /// A value of this indicator (its score, an item's, a self score) as
    /// it counts: negative for a 减分项, and no −0 for one that deducted
    /// nothing.
    pub fn sign(&self, v: f64) -> f64 {
        if self.negative && v != 0.0 { -v } else { v }
    }
}

fn is_no(b: &bool) -> bool {
    !*b
}

/// One weighted part of a total (基础项, 评议项…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartScore {
    /// Part name.
    pub name: Arc<str>,
    /// Its indicators less its 减分项, at least 0, before weighing.
    pub score: f64,
    /// Share that counts.
    pub weight: f64,
}

/// Whether a branch was rated or is held back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Scored and ranked.
    Rated,
    /// Held back because of errors (待核实).
    Pending,
}

/// Why a branch the round knows of has no scoring form to score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Weighted parts, when the scheme has them.
    pub parts: Vec<PartScore>,
    /// Total, unrounded and capped.
    pub total: Option<f64>,
    /// Tier.
    pub tier: Option<TierId>,
    /// Veto items answered 是.
    pub vetoed: Vec<String>,
    /// Rules other than the points' band and a veto that set the tier.
    pub adjustments: Vec<Adjustment>,
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
    /// The tier it held in the archived round compared with, when there is one.
    pub previous: Option<Previous>,
}

/// A branch in the round compared with (上轮): its tier then and the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Previous {
    /// The round compared with, as printed (`2025年度`).
    pub round: String,
    /// Its tier then; `None` when it was not in that round or held back.
    pub tier: Option<String>,
    /// What changed.
    pub change: Change,
}

/// How a branch's tier changed since the round compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// A higher tier (升星).
    Up,
    /// A lower tier (降星).
    Down,
    /// The same tier (保持).
    Same,
    /// Not in the round compared with (新参评).
    New,
    /// Held back then, or now, or a tier the scheme no longer has: no change to tell.
    Unclear,
}

impl Change {
    /// The word in 总排名 and 增星摘星.
    pub fn label(self) -> &'static str {
        match self {
            Change::Up => "升星",
            Change::Down => "降星",
            Change::Same => "保持",
            Change::New => "新参评",
            Change::Unclear => "",
        }
    }
}

/// The archived round a round was compared with.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// That round, as printed.
    pub round: String,
    /// Its rated branches that are not in this round (本轮未参评), with their tier then.
    pub absent: Vec<(Identity, Option<String>)>,
}

/// A rule that set a tier other than by the band its points fall in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Adjustment {
    /// A tier was out of reach for rules other than points.
    Unmet {
        /// The tier not reached, though the total reached its lower bound.
        tier: TierId,
        /// The rules not met.
        unmet: Vec<Unmet>,
    },
    /// A quota on the tier: moved down, tied at the cut, or over it.
    Quota {
        /// The tier with the quota.
        tier: TierId,
        /// Its share of the rated branches.
        share: f64,
        /// How many it allows in the branch's scope.
        allowed: u32,
        /// What became of the branch.
        outcome: QuotaOutcome,
    },
    /// A ceiling held the tier down.
    Capped {
        /// The best tier allowed.
        at_most: TierId,
        /// What set it off.
        reason: CapReason,
    },
}

/// What a quota did with one branch at its tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuotaOutcome {
    /// Within the quota.
    Kept,
    /// Over it: moved down to this tier (enforced).
    Moved(TierId),
    /// Equal to the last kept at the cut: kept, for the committee to decide.
    Tie,
    /// Over it, listed only (warn).
    Over,
}

/// One quota in one scope: who reached the tier and what became of each.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuotaDecision {
    /// Branches or party groups.
    pub subject: Subject,
    /// The tier limited.
    pub tier: TierId,
    /// Its share of the rated branches.
    pub share: f64,
    /// Listed or enforced.
    pub mode: QuotaMode,
    /// The parent organisation counted, or `None` for the whole round.
    pub scope: Option<String>,
    /// Rated branches in the scope.
    pub rated: u32,
    /// How many may hold the tier.
    pub allowed: u32,
    /// Every branch that reached the tier, best total first.
    pub entries: Vec<QuotaEntry>,
}

/// A branch that reached a tier with a quota.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuotaEntry {
    /// The branch.
    pub identity: Identity,
    /// Its total.
    pub total: f64,
    /// What the quota did with it.
    pub outcome: QuotaOutcome,
}

/// What set off a ceiling on the tier.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CapReason {
    /// Items answered 是 on the form.
    Items(Vec<String>),
    /// A satisfaction rate below the scheme's share; the rate itself only
    /// where the ballots may be shown.
    Satisfaction {
        /// The rate, unless withheld for anonymity.
        rate: Option<f64>,
        /// The share it fell below.
        below: f64,
    },
}

impl Adjustment {
    /// The rule in words, ending with the tier given: 总分 100，…，按方案评为四星.
    pub fn describe(&self, scheme: &Scheme, total: f64, tier: TierId) -> String {
        let given = &scheme.tier(tier).name;
        match self {
            Adjustment::Unmet { unmet, .. } => {
                let unmet: Vec<String> = unmet.iter().map(ToString::to_string).collect();
                format!("总分 {}，{}，按方案评为{given}", fmt_points(total), unmet.join("，"))
            }
            Adjustment::Quota {
                tier: limited,
                share,
                allowed,
                outcome,
            } => {
                let limited = &scheme.tier(*limited).name;
                let quota = format!("{limited}名额为参评数的 {}，共 {allowed} 个", fmt_percent(*share));
                match outcome {
                    QuotaOutcome::Moved(_) => format!("超出{limited}名额（{quota}），按排名调整为{given}"),
                    QuotaOutcome::Tie => format!("与名额内最后一名同分（{quota}），是否评为{limited}请评审会议决定"),
                    QuotaOutcome::Over => format!("超出{limited}名额（{quota}），按方案只作提示，星级未调整"),
                    QuotaOutcome::Kept => format!("在{limited}名额之内（{quota}）"),
                }
            }
            Adjustment::Capped { at_most, reason } => {
                let why = match reason {
                    CapReason::Items(items) => format!("「{}」为“是”", items.join("」「")),
                    CapReason::Satisfaction { rate: Some(rate), .. } => format!("满意率 {}", fmt_percent(*rate)),
                    CapReason::Satisfaction { rate: None, below } => format!("满意率低于 {}", fmt_percent(*below)),
                };
                format!("{why}，按方案至多{}", scheme.tier(*at_most).name)
            }
        }
    }
}

impl Assessment {
    /// Whether the tier was set by more than the band of the total.
    pub fn tier_moved(&self) -> bool {
        !self.vetoed.is_empty() || !self.adjustments.is_empty()
    }

    /// The adjustments in words, as every output shows them.
    pub fn adjustment_texts(&self, scheme: &Scheme) -> Vec<String> {
        match (self.total, self.tier) {
            (Some(total), Some(tier)) => self
                .adjustments
                .iter()
                .map(|a| a.describe(scheme, total, tier))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The flags in plain words (待核实 first), as every output shows them.
    pub fn flag_labels(&self) -> Vec<&'static str> {
        let f = &self.flags;
        let mut labels = Vec::new();
        if self.status == Status::Pending {
            labels.push("待核实");
        }
        for (on, label) in [
            (f.preliminary, "预评"),
            (f.self_inflated, "自评偏高"),
            (f.needs_review, "需复核"),
            (f.few_ballots, "测评人数不足"),
        ] {
            if on {
                labels.push(label);
            }
        }
        labels
    }

    /// Holds a result back (待核实), as if scored with its form blocked.
    pub(crate) fn hold(&mut self) {
        let identity = std::mem::take(&mut self.identity);
        let sources = std::mem::take(&mut self.sources);
        *self = Assessment::pending(identity, self.ballots.take(), sources);
    }

    /// A result held back before scoring.
    pub(crate) fn pending(identity: Identity, ballots: Option<Box<BallotStats>>, sources: Vec<SheetRef>) -> Assessment {
        Assessment {
            identity,
            status: Status::Pending,
            stage: None,
            indicators: Vec::new(),
            bonus: 0.0,
            parts: Vec::new(),
            total: None,
            tier: None,
            vetoed: Vec::new(),
            adjustments: Vec::new(),
            flags: Flags::default(),
            ballots,
            rank: None,
            parent_rank: None,
            sources,
            missing_form: None,
            previous: None,
        }
    }
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

/// Whether a parent organisation qualifies under the scheme's excellence rule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
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

/// What became of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// Read without errors.
    Read,
    /// Read, with errors in some of its content.
    ReadWithErrors,
    /// Could not be read at all.
    Failed,
}

impl FileStatus {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            FileStatus::Read => "已读取",
            FileStatus::ReadWithErrors => "已读取，有错误",
            FileStatus::Failed => "无法读取",
        }
    }
}

/// One line of the input manifest (文件清单).
#[derive(Debug, Clone, Serialize)]
pub struct FileEntry {
    /// Path relative to the inbox.
    pub path: String,
    /// Detected format.
    pub format: Option<Format>,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: Option<String>,
    /// Kinds of form found, one per recognised sheet.
    pub forms: Vec<FormKind>,
    /// Branches the forms belong to.
    pub branches: Vec<String>,
    /// Outcome.
    pub status: FileStatus,
    /// Holds only one-voter ballots: its path must not be written out.
    #[serde(skip)]
    pub private: bool,
}

impl FileEntry {
    /// A file not read (yet): its path and size.
    pub(crate) fn new(rel: &str, size: u64) -> FileEntry {
        FileEntry {
            path: rel.to_string(),
            format: None,
            size,
            sha256: None,
            forms: Vec::new(),
            branches: Vec::new(),
            status: FileStatus::Failed,
            private: false,
        }
    }
}

/// One line of the input manifest (文件清单) as every output writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestLine<'a> {
    /// Path relative to the inbox, or the placeholder for one-voter ballots.
    pub path: Cow<'a, str>,
    /// Detected format.
    pub format: Option<Format>,
    /// Kinds of form found, one per recognised sheet.
    pub forms: Vec<FormKind>,
    /// Branches the forms belong to.
    pub branches: Vec<String>,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content.
    pub sha256: Option<Cow<'a, str>>,
    /// Outcome.
    pub status: FileStatus,
}

/// A file or folder passed over.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// Path relative to the inbox.
    pub rel: String,
    /// Why.
    pub problem: Problem,
}

/// The complete result of reading, checking and scoring an inbox.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The schemes used.
    pub schemes: Schemes,
    /// The round rated, when given.
    pub round: Option<Round>,
    /// The round checked against its branch register, when one was given.
    pub collection: Option<Collection>,
    /// The archived round the branches were compared with, when there was one.
    pub comparison: Option<Comparison>,
    /// The archived rounds of this year and the year before, when any.
    pub history: Option<History>,
    /// Every input file read, in path order.
    pub files: Vec<FileEntry>,
    /// Files and folders skipped.
    pub skipped: Vec<Skipped>,
    /// Branch results, ranked; pending branches last, those known only from
    /// ballots or a roster among them.
    pub branches: Vec<Assessment>,
    /// Party-group results, ranked; pending groups last.
    pub groups: Vec<Assessment>,
    /// Member results by branch, in roster order.
    pub members: Vec<MemberResult>,
    /// Tier counts and eligibility per parent organisation, then the whole round.
    pub organisations: Vec<OrgStats>,
    /// Every quota decision on branches.
    pub quotas: Vec<QuotaDecision>,
    /// Every problem, sorted by file, sheet and cell.
    pub issues: Vec<Issue>,
    /// Forms that look copied or made up (疑似雷同), for review.
    pub resemblances: Vec<Resemblance>,
}

impl Evaluation {
    /// The round as a title names it (`2026年度`), or nothing.
    pub fn round_label(&self) -> String {
        self.round.map(|r| r.period.to_string()).unwrap_or_default()
    }

    /// A page heading: the round, then `title`, set apart by a wide space.
    pub fn heading(&self, title: &str) -> String {
        match self.round {
            Some(r) => format!("{}　{title}", r.period),
            None => title.to_string(),
        }
    }

    /// The input manifest: every file read, in path order, then the one-voter
    /// ballot files summed per branch — their names, sizes and hashes could
    /// identify a voter, so none is listed on its own.
    pub fn manifest(&self) -> Vec<ManifestLine<'_>> {
        let mut lines = Vec::with_capacity(self.files.len());
        let mut private: BTreeMap<Vec<String>, ManifestLine<'_>> = BTreeMap::new();
        for f in &self.files {
            if !f.private {
                lines.push(ManifestLine {
                    path: Cow::Borrowed(&f.path),
                    format: f.format,
                    forms: f.forms.clone(),
                    branches: f.branches.clone(),
                    size: f.size,
                    sha256: f.sha256.as_deref().map(Cow::Borrowed),
                    status: f.status,
                });
                continue;
            }
            let line = private.entry(f.branches.clone()).or_insert_with(|| ManifestLine {
                path: Cow::Borrowed(BALLOT_FILE_PLACEHOLDER),
                format: None,
                forms: Vec::new(),
                branches: f.branches.clone(),
                size: 0,
                sha256: None,
                status: FileStatus::Read,
            });
            line.forms.extend(&f.forms);
            line.size += f.size;
            if f.status != FileStatus::Read {
                line.status = FileStatus::ReadWithErrors;
            }
        }
        lines.extend(private.into_values());
        lines
    }

    /// Whether any input had an error.
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }

    /// Whether any file held a form: without one there is nothing to rate
    /// and nothing is written.
    pub fn has_forms(&self) -> bool {
        self.files.iter().any(|f| !f.forms.is_empty())
    }

    /// Exit status per the contract: 0 clean, 2 results but input errors.
    pub fn exit_status(&self) -> u8 {
        if self.has_errors() { 2 } else { 0 }
    }
}

/// What a scoring run wrote.
#[derive(Debug)]
pub struct Outcome {
    /// The evaluation behind the outputs.
    pub evaluation: Evaluation,
    /// Files written, in order (feedback workbooks apart).
    pub written: Vec<PathBuf>,
    /// Feedback workbooks written, one per branch.
    pub feedback: Vec<(Identity, PathBuf)>,
    /// What storing the round in the archive did, when one was given.
    pub archived: Option<Stored>,
}

/// What the register says of the round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Collection {
    /// Where the register was read.
    pub source: SheetRef,
    /// Branches registered.
    pub registered: usize,
    /// Registered branches the scheme does not rate (离退休党支部…).
    pub not_rated: usize,
    /// Registered branches missing a form the round expects, in register
    /// order, grouped by parent.
    pub unsubmitted: Vec<Unsubmitted>,
    /// The names registered branches had before (曾用名), keyed by the
    /// branch as this round names it: earlier rounds knew them so.
    #[serde(skip)]
    pub former: BTreeMap<BranchKey, Vec<String>>,
}

/// What the archived rounds before this one add: each branch's tiers then
/// (历次星级) and what the schemes' rules over rounds list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// The archived rounds read, oldest first.
    pub rounds: Vec<Period>,
    /// Each branch's tier in each of `rounds` (`None`: not rated then), by
    /// the branch as this round names it.
    pub branches: HashMap<BranchKey, Vec<Option<String>>>,
    /// Party groups a rule over rounds lists, by parent and name.
    pub groups: Vec<Listed>,
    /// Members a rule over rounds lists, by branch and name.
    pub members: Vec<Listed>,
    /// The year's member ratings round by round, when the archive holds
    /// member rounds of this round's year.
    pub member_year: Option<MemberYear>,
}

/// A party group or member a rule over rounds lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listed {
    /// Name, and parent: a group's or member's branch.
    #[serde(flatten)]
    pub identity: Identity,
    /// A member's branch's parent organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_parent: Option<String>,
    /// The rule that lists it.
    pub rule: ListedRule,
    /// The rounds the rule read, this one last: tier and total in each.
    pub rounds: Vec<RoundResult>,
}

/// A tier and total in one round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundResult {
    /// The round.
    pub round: String,
    /// Tier name; `None` when held back.
    pub tier: Option<String>,
    /// Total; `None` when held back.
    pub total: Option<f64>,
}

/// Which rule over rounds lists a group or member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListedRule {
    /// The year's best of its parent (年度先进党小组), by average total.
    Best {
        /// What the scheme calls it.
        label: String,
        /// The average of the year's half-year totals.
        average: f64,
        /// Others of the same parent share that average.
        tie: bool,
    },
    /// At or below the tier in every round of the years read.
    Review {
        /// The tier.
        at_or_below: String,
        /// Consecutive years.
        years: u16,
        /// The scheme's advice.
        advice: String,
    },
    /// At the tier since a round at least the months before, every round since.
    Unimproved {
        /// The tier.
        tier: String,
        /// The first round of the run.
        since: String,
        /// Months from the end of that round to the end of this one.
        months: u32,
        /// The procedure the scheme names.
        procedure: String,
    },
}

/// Members' tiers round by round through the year.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberYear {
    /// The rounds of the year that rated members, this one last when it did.
    pub rounds: Vec<Period>,
    /// One line per member rated this round, in this round's order.
    pub lines: Vec<MemberYearLine>,
}

/// One member through the year.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberYearLine {
    /// The member's branch.
    pub branch: Arc<Identity>,
    /// The member's name.
    pub name: String,
    /// Tier and total in each round of [`MemberYear::rounds`].
    pub rounds: Vec<Option<(String, f64)>>,
}

impl MemberYearLine {
    /// The average total of the rounds rated, unrounded.
    pub fn average(&self) -> Option<f64> {
        let totals: Vec<f64> = self.rounds.iter().flatten().map(|r| r.1).collect();
        (!totals.is_empty()).then(|| totals.iter().sum::<f64>() / totals.len() as f64)
    }
}

/// A registered branch and what it has not sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unsubmitted {
    /// As registered.
    pub identity: Identity,
    /// The forms it has not sent.
    pub missing: Vec<FormKind>,
    /// What became of a form that did arrive but could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What a missing kind of form is called on the list: ballots may have
/// come as a register, a tally or one-voter ballots.
pub fn missing_label(kind: FormKind) -> &'static str {
    match kind {
        FormKind::Register | FormKind::Ballot | FormKind::Tally => "测评票",
        other => other.label(),
    }
}

impl Collection {
    /// How many registered branches miss each kind of form, in kind order.
    pub fn missing_counts(&self) -> Vec<(FormKind, usize)> {
        let mut counts: BTreeMap<FormKind, usize> = BTreeMap::new();
        for u in &self.unsubmitted {
            for kind in &u.missing {
                *counts.entry(*kind).or_default() += 1;
            }
        }
        counts.into_iter().collect()
    }
}

/// Something in the round's forms that looks copied from another branch's
/// or made up (疑似雷同): listed for the office to review, never a veto, never
/// a problem that holds a branch back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resemblance {
    /// What was found, with its figures.
    #[serde(flatten)]
    pub kind: ResemblanceKind,
    /// The sheets concerned, in path order, each with whom it rates.
    pub sheets: Vec<ResemblingSheet>,
}

/// One sheet of a [`Resemblance`] and the branch (or party group) it rates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResemblingSheet {
    /// Whom the sheet rates, as the round names it.
    #[serde(flatten)]
    pub identity: Identity,
    /// File and sheet.
    #[serde(flatten)]
    pub source: SheetRef,
}

/// Rows of a sheet as Excel numbers them, first to last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowSpan {
    /// First row (1-based).
    pub first: u32,
    /// Last row (1-based).
    pub last: u32,
}

impl std::fmt::Display for RowSpan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.first == self.last {
            write!(f, "第{}行", self.first)
        } else {
            write!(f, "第{}—{}行", self.first, self.last)
        }
    }
}

/// A run of ballots in a register and where it recurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatedBlock {
    /// Where the run first appears.
    pub rows: RowSpan,
    /// Where it appears again.
    pub again: RowSpan,
    /// Ballots in the run.
    pub ballots: u32,
}

/// What kind of resemblance, with the figures its description states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ResemblanceKind {
    /// Scoring forms (or party-group forms) alike item for item: self
    /// score, assessed score and reason.
    ScoringForms {
        /// 评分表 or 党小组考评表.
        form: FormKind,
        /// Items compared.
        items: u32,
        /// Items that lost points or carry a reason.
        marked: u32,
    },
    /// Registers of different branches holding the same ballots in the same order.
    Registers {
        /// Ballots on each.
        ballots: u32,
    },
    /// Runs of ballots that recur verbatim within one register.
    RepeatedBlocks {
        /// Ballots on the register.
        ballots: u32,
        /// Each run and where it recurs.
        blocks: Vec<RepeatedBlock>,
    },
    /// Every ballot of a register the same.
    IdenticalBallots {
        /// Ballots on the register.
        ballots: u32,
        /// Where they are.
        rows: RowSpan,
    },
    /// Member rosters of different branches naming the same members.
    RosterNames {
        /// Members named.
        members: u32,
        /// Whether their scores are the same too.
        same_scores: bool,
    },
    /// Member rosters giving the same scores in the same order under other names.
    RosterScores {
        /// Members scored.
        members: u32,
    },
}

/// Blocks a description names; the rest are counted.
const NAMED_BLOCKS: usize = 5;

impl Resemblance {
    /// The category as the summary lists it (类别).
    pub fn label(&self) -> &'static str {
        match self.kind {
            ResemblanceKind::ScoringForms { .. } => "评分表雷同",
            ResemblanceKind::Registers { .. } => "测评票登记表雷同",
            ResemblanceKind::RepeatedBlocks { .. } => "测评票成块重复",
            ResemblanceKind::IdenticalBallots { .. } => "全部票相同",
            ResemblanceKind::RosterNames { .. } | ResemblanceKind::RosterScores { .. } => "党员名单雷同",
        }
    }

    /// What was found, in a sentence (情况): counts and rows, never what a
    /// ballot said.
    pub fn describe(&self) -> String {
        let copies = match self.sheets.len() {
            2 => "两份".to_string(),
            n => format!("{n} 份"),
        };
        match &self.kind {
            ResemblanceKind::ScoringForms { form, items, marked } => format!(
                "{copies}{} {items} 项的自评分、考核得分和扣分原因逐项相同（其中 {marked} 项失分或写有扣分原因）",
                form.label()
            ),
            ResemblanceKind::Registers { ballots } => {
                format!("{copies}测评票登记表的 {ballots} 张票逐张相同，顺序也相同")
            }
            ResemblanceKind::RepeatedBlocks { ballots, blocks } => {
                let mut named: Vec<String> = blocks
                    .iter()
                    .take(NAMED_BLOCKS)
                    .map(|b| format!("{}与{}完全相同（各 {} 张票）", b.rows, b.again, b.ballots))
                    .collect();
                if blocks.len() > NAMED_BLOCKS {
                    named.push(format!("另有 {} 处", blocks.len() - NAMED_BLOCKS));
                }
                format!("登记表共 {ballots} 张票，{}", named.join("；"))
            }
            ResemblanceKind::IdenticalBallots { ballots, rows } => {
                format!("登记表全部 {ballots} 张票完全相同（{rows}）")
            }
            ResemblanceKind::RosterNames { members, same_scores } => {
                let scores = if *same_scores {
                    "，各人得分也依次相同"
                } else {
                    ""
                };
                format!("{copies}党员星级评定表的 {members} 名党员姓名相同{scores}")
            }
            ResemblanceKind::RosterScores { members } => {
                format!("{copies}党员星级评定表 {members} 名党员的各项得分和加分依次相同，姓名不同")
            }
        }
    }
}

/// What storing a round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// The first version of this round.
    New,
    /// A new version; the earlier ones are kept.
    Replaced {
        /// The version now in force.
        version: u32,
    },
    /// The same results were already in force: nothing added.
    Unchanged,
}
