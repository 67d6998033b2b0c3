//! Scoring schemes (评星方案): embedded presets and user files, validated on load.
//!
//! Every number of the rating lives here, never in code: items and maxima,
//! tiers and colours, medals, veto items, ballot ratings.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::grid::norm_label;
use crate::layout::{ExtraTitles, Role};
use crate::points::{fmt_points, same};

/// The built-in presets, embedded so the binary runs from anywhere.
pub const PRESETS: &[(&str, &str)] = &[
    ("standard", include_str!("../templates/standard.toml")),
    ("jiguan", include_str!("../templates/jiguan.toml")),
    ("member", include_str!("../templates/member.toml")),
    ("group", include_str!("../templates/group.toml")),
];

/// The preset for member ratings.
pub const MEMBER_PRESET: &str = "member";
/// The preset for party-group assessments.
pub const GROUP_PRESET: &str = "group";

/// The preset used when `--scheme` is not given.
pub const DEFAULT_PRESET: &str = "standard";

/// A validated scoring scheme.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// Short name, e.g. `standard`.
    pub name: String,
    /// Title shown in outputs.
    pub title: String,
    /// Who is rated.
    #[serde(default)]
    pub subject: Subject,
    /// Upper bound of the total (indicators plus bonus).
    pub total_cap: f64,
    /// Bonus points (加分); a scheme without `[bonus]` has none.
    #[serde(default)]
    pub bonus: Bonus,
    /// Indicators (指标) in form order.
    pub indicators: Vec<Indicator>,
    /// Weighted parts; none means the indicators add up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// Each score taken from both score columns, weighted (支部自评分 × 40% +
    /// 上级考评分 × 60%); none means the assessed column alone counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_columns: Option<ScoreColumns>,
    /// Indicator medals (单项星), highest share first.
    #[serde(default)]
    pub medals: Vec<Medal>,
    /// Tiers, highest threshold first.
    pub tiers: Vec<Tier>,
    /// Veto items (一票否决).
    #[serde(default)]
    pub veto: Veto,
    /// Ceilings on the tier (至多…), each with its trigger.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caps: Vec<Cap>,
    /// Limits on how many reach a tier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotas: Vec<Quota>,
    /// Improvement projects by tier.
    #[serde(default)]
    pub projects: Vec<Project>,
    /// Ballot questions and rating values.
    #[serde(default)]
    pub ballot: BallotRules,
    /// Thresholds for result flags.
    #[serde(default)]
    pub flags: Flags,
    /// Eligibility rule for an excellent parent organisation.
    #[serde(default)]
    pub excellence: Option<Excellence>,
    /// Who mentors whom (帮扶), for member ratings.
    #[serde(default)]
    pub mentoring: Option<Mentoring>,
    /// `[labels]`: column titles and identity labels the locality's forms
    /// use, read alongside the built-in ones.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: ExtraTitles,
    /// `[register]`: how the branch register (支部名册) is read against the round.
    #[serde(default, rename = "register", skip_serializing_if = "RollRules::is_empty")]
    pub roll: RollRules,
    /// `[notice]`: who issues the public star list (亮星公示) and how long it is posted.
    #[serde(default, skip_serializing_if = "Notice::is_empty")]
    pub notice: Notice,
    /// `[rounds]`: rules read over the archived rounds before this one.
    #[serde(default, skip_serializing_if = "RoundRules::is_empty")]
    pub rounds: RoundRules,
    /// The TOML text the scheme was read from.
    #[serde(skip)]
    pub source: String,
}

/// What the branch register (支部名册) means to the scheme.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RollRules {
    /// 支部类型 the scheme does not rate for branch stars (离退休党支部…):
    /// registered, expected to send member rosters only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_rated: Vec<String>,
}

impl RollRules {
    fn is_empty(&self) -> bool {
        self.not_rated.is_empty()
    }
}

/// Rules over rounds: they need the archive of earlier rounds.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RoundRules {
    /// The year's best (年度先进党小组): the highest average total of the
    /// year's two half-year rounds within each parent, ties all shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best_of_year: Option<String>,
    /// Rated at or below a tier in consecutive years: listed with advice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
    /// Left at a tier a year on (不予评星 not improved): listed, facts only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unimproved: Option<Unimproved>,
}

impl RoundRules {
    fn is_empty(&self) -> bool {
        self.best_of_year.is_none() && self.review.is_none() && self.unimproved.is_none()
    }
}

/// Rated at or below `at_or_below` in every round of `years` consecutive
/// years (this round's year and those before it).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// The tier, at or below which a round counts.
    pub at_or_below: TierRef,
    /// Consecutive years, at least 1.
    pub years: u16,
    /// What the list advises (建议调整党小组长人选).
    pub advice: String,
}

/// At `tier` in a round at least `months` before this one and in every
/// round since, this one included.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Unimproved {
    /// The tier (不予评星).
    pub tier: TierRef,
    /// Months, at least 1.
    pub months: u16,
    /// The procedure the list reminds of (限期整改，仍无转变的劝其退党).
    pub procedure: String,
}

/// The public star list's issuer and posting period (公示期).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// The issuing body (中共××市直机关工委).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Days the list is posted, counted from the round's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Where objections go (联系电话…), printed under the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

impl Notice {
    fn is_empty(&self) -> bool {
        *self == Notice::default()
    }
}

/// Bonus points (加分) rule.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Bonus {
    /// Row label on the form.
    pub label: String,
    /// Largest bonus counted.
    pub max: f64,
    /// Kinds of bonus with caps of their own (表彰 5, 创新项目 5), within
    /// `max`; a bonus row names its kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<BonusItem>,
}

/// The weights of the two score columns in each score.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreColumns {
    /// Weight of the self score (自评分).
    #[serde(rename = "self")]
    pub self_score: f64,
    /// Weight of the assessed score (考核得分).
    pub assessed: f64,
}

impl ScoreColumns {
    /// The score that counts, from a self and an assessed score.
    pub fn blend(&self, self_score: f64, assessed: f64) -> f64 {
        self.self_score * self_score + self.assessed * assessed
    }
}

/// One kind of bonus and its cap.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BonusItem {
    /// Its name on the bonus row.
    pub label: String,
    /// Largest bonus of this kind counted.
    pub max: f64,
}

impl Default for Bonus {
    /// No bonus: a form's 加分 row, if any, is capped at 0.
    fn default() -> Bonus {
        Bonus {
            label: "加分".to_string(),
            max: 0.0,
            items: Vec::new(),
        }
    }
}

/// Who a scheme rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    /// Party branches (党支部), from scoring forms and ballots.
    #[default]
    Branch,
    /// Party members (党员), from member rosters.
    Member,
    /// Party groups (党小组), from group scoring forms.
    Group,
}

impl Subject {
    /// The Chinese name of who is rated.
    pub fn label(self) -> &'static str {
        match self {
            Subject::Branch => "党支部",
            Subject::Member => "党员",
            Subject::Group => "党小组",
        }
    }
}

/// Where an indicator's score comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Items scored on the scoring form.
    #[default]
    Form,
    /// Computed from the anonymous ballots.
    Ballot,
}

/// One indicator (指标) with its items.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Indicator name as printed on the form.
    pub name: Arc<str>,
    /// Maximum points.
    pub max: f64,
    /// Form-scored or ballot-scored.
    #[serde(default)]
    pub source: Source,
    /// Items (考评内容); empty for ballot-scored indicators, and for
    /// indicators scored directly as one value.
    #[serde(default)]
    pub items: Vec<Item>,
    /// A 减分项 (负面清单): its points are deducted, at most `max`.
    #[serde(default, skip_serializing_if = "is_no")]
    pub negative: bool,
    /// The weighted part it belongs to (基础项, 评议项…), when the scheme has `[[parts]]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
}

impl Indicator {
    /// The units scored on a form: the items, or the indicator itself when
    /// it is scored directly (as a member's aspect is).
    pub fn scored_items(&self) -> Cow<'_, [Item]> {
        match self.source {
            Source::Form if self.items.is_empty() => Cow::Owned(vec![Item {
                name: self.name.clone(),
                max: self.max,
            }]),
            _ => Cow::Borrowed(&self.items),
        }
    }
}

/// One scored item (考评内容).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Item name.
    pub name: Arc<str>,
    /// Maximum points.
    pub max: f64,
}

/// An indicator medal (金星/银星/铜星) by share of the indicator maximum.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Medal {
    /// Medal name.
    pub name: Arc<str>,
    /// Minimum share of the indicator maximum, inclusive.
    pub share: f64,
}

/// A result tier (五星…无星, or 优秀…不合格).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Tier label.
    pub name: String,
    /// Lower bound of the total, inclusive; absent on the last tier, and
    /// on a tier set by its indicators' medals alone.
    #[serde(default)]
    pub min: Option<f64>,
    /// Number of stars for the glyphs, if the tier is a star tier.
    #[serde(default)]
    pub stars: Option<u8>,
    /// Row fill colour, `#RRGGBB`.
    pub color: String,
    /// At least `count` indicators hold a medal (or a better one): the
    /// star-count schemes, where each indicator is a star earned at a share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medals: Option<MedalCount>,
    /// A medal (or a better one) every indicator scored must hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<String>,
    /// Conditions answered 是 on the form (its 评定条件 section), such as
    /// 有党建创新项目.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<String>,
    /// A level earned in order: its indicators, and those of every level
    /// below, each at its pass line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
}

/// The indicators a level (a star level's sheet of standards) consists of,
/// and the pass line each must reach: a share of its maximum or a medal.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The indicators, as `[[indicators]]` names them.
    pub indicators: Vec<String>,
    /// The share of each indicator's maximum to reach (0.8 for 80 %).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Or the medal each must hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medal: Option<String>,
}

/// How many indicators must hold a medal for a tier.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MedalCount {
    /// The medal, as `[[medals]]` names it.
    pub medal: String,
    /// How many indicators.
    pub count: u32,
}

/// What a branch holds that a tier's rules look at.
#[derive(Debug, Clone, Copy)]
pub struct Standing<'a> {
    /// Total, capped.
    pub total: f64,
    /// Per indicator: the index of its medal in [`Scheme::medals`], and
    /// whether it counts for medal rules (not a 减分项).
    pub medals: &'a [(Option<usize>, bool)],
    /// Answers to [`Scheme::condition_items`].
    pub conditions: &'a [bool],
    /// Per indicator: its score.
    pub scores: &'a [f64],
}

/// A rule of a tier a branch did not meet, though its points did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unmet {
    /// Fewer indicators than required hold the medal.
    Medals {
        /// The medal.
        medal: String,
        /// Indicators required.
        count: u32,
        /// Indicators holding it.
        held: u32,
    },
    /// Some indicators fall short of the medal every one must hold.
    Every {
        /// The medal.
        medal: String,
        /// The indicators short of it.
        short: Vec<String>,
    },
    /// A condition not answered 是.
    Condition(String),
    /// Indicators of this level or one below short of their pass line.
    Level {
        /// The indicators short of it.
        short: Vec<String>,
    },
}

impl std::fmt::Display for Unmet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unmet::Medals { medal, count, held } => write!(f, "{medal} {held} 项（需 {count} 项）"),
            Unmet::Every { medal, short } => write!(f, "「{}」未达{medal}", short.join("」「")),
            Unmet::Condition(item) => write!(f, "不具备「{item}」"),
            Unmet::Level { short } => write!(f, "「{}」未达标", short.join("」「")),
        }
    }
}

/// Veto rule (一票否决).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Veto {
    /// Tier forced by any veto item answered 是.
    #[serde(default)]
    pub tier: TierRef,
    /// Veto item texts.
    #[serde(default)]
    pub items: Vec<String>,
}

/// A ceiling on the tier (至多二星) when its trigger holds: 是/否 items on
/// the form, answered in its 一票否决 section, or a satisfaction rate.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cap {
    /// The best tier allowed.
    pub at_most: TierRef,
    /// Items of which any answered 是 caps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// A satisfaction rate below this share caps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfaction_below: Option<f64>,
}

/// A limit on how many reach a tier (五星不超过总数的 30%).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Quota {
    /// The tier limited.
    pub tier: TierRef,
    /// Largest share of the rated branches at the tier; the count is
    /// rounded down.
    pub share: f64,
    /// Over all rated branches or within each parent organisation.
    #[serde(default)]
    pub per: QuotaScope,
    /// List those over it, or move them down.
    pub mode: QuotaMode,
}

/// Whom a quota counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuotaScope {
    /// Every rated branch of the round.
    #[default]
    All,
    /// The rated branches of each parent organisation.
    Parent,
}

/// What a quota does with those over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuotaMode {
    /// Lists them; tiers stay.
    Warn,
    /// Keeps the best by total, moves the rest down one tier; a tie at the
    /// cut is kept and left to the committee.
    Enforce,
}

/// An improvement project (示范/提升/转化工程) for some tiers.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// Project name.
    pub name: String,
    /// Its aim, in a few words.
    pub aim: String,
    /// Tiers it applies to.
    pub tiers: Vec<TierRef>,
}

/// A rating word on the ballot and its value.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    /// Word on the ballot (好, 较好, …).
    pub label: String,
    /// Value in `0.0..=1.0`.
    pub value: f64,
    /// Counts towards the satisfaction rate.
    #[serde(default)]
    pub satisfied: bool,
    /// Counts as a valid answer; an option such as 不了解 does not: it is
    /// shown, but left out of the valid answers, the mean and the rate.
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub counted: bool,
}

fn yes() -> bool {
    true
}

fn is_yes(b: &bool) -> bool {
    *b
}

fn is_no(b: &bool) -> bool {
    !*b
}

/// A weighted part of the total: total = Σ weight × (its indicators − its
/// 减分项, at least 0), plus the bonus.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// Part name, as the indicators' `part` names it.
    pub name: String,
    /// Share of the part's points that counts (0.7 for 70 %).
    pub weight: f64,
}

/// Ballot rules.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BallotRules {
    /// Questions rated on each ballot; defaults to the indicator names.
    #[serde(default)]
    pub questions: Vec<String>,
    /// Fewer valid ballots than this is a warning.
    #[serde(default = "default_min_valid")]
    pub min_valid: u32,
    /// A 议星 result this many tiers below the score tier needs review.
    #[serde(default = "default_review_gap")]
    pub review_gap: usize,
    /// Rating words, best first.
    #[serde(default = "default_ratings")]
    pub ratings: Vec<Rating>,
    /// Voter categories (党员, 群众代表…) weighed in the ballot score; none
    /// means every voter counts alike.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<VoterCategory>,
}

/// A kind of voter whose ballots are averaged apart and weighed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VoterCategory {
    /// Name written on ballots (测评人类别).
    pub name: String,
    /// Other names ballots use for it (群众 for 群众代表).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Weight of the category's mean rating; weights need not add up to 1,
    /// they are shared out over the categories a branch has ballots of.
    pub weight: f64,
}

impl BallotRules {
    /// The category a ballot's 测评人类别 names, by name or alias.
    pub fn category(&self, written: &str) -> Option<usize> {
        let written = norm_label(written);
        self.categories.iter().position(|c| {
            std::iter::once(&c.name)
                .chain(&c.aliases)
                .any(|n| norm_label(n) == written)
        })
    }
}

fn default_min_valid() -> u32 {
    5
}

fn default_review_gap() -> usize {
    2
}

fn default_ratings() -> Vec<Rating> {
    [
        ("好", 1.0, true),
        ("较好", 0.8, true),
        ("一般", 0.6, false),
        ("差", 0.0, false),
    ]
    .into_iter()
    .map(|(label, value, satisfied)| Rating {
        label: label.to_string(),
        value,
        satisfied,
        counted: true,
    })
    .collect()
}

impl Default for BallotRules {
    fn default() -> Self {
        BallotRules {
            questions: Vec::new(),
            min_valid: default_min_valid(),
            review_gap: default_review_gap(),
            ratings: default_ratings(),
            categories: Vec::new(),
        }
    }
}

/// Thresholds for result flags.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Flags {
    /// 自评偏高 when self exceeds assessed by more than this share of the indicator max.
    pub self_inflation_share: f64,
}

impl Default for Flags {
    fn default() -> Self {
        Flags {
            self_inflation_share: 0.2,
        }
    }
}

/// Eligibility of a parent organisation as excellent (先进机关党组织).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Excellence {
    /// Title of the distinction.
    pub label: String,
    /// Tier of which at least `min_top` branches are needed.
    pub top_tier: TierRef,
    /// Required number of `top_tier` branches.
    pub min_top: u32,
    /// Tier at or above which `min_share` of branches must be.
    pub at_or_above: TierRef,
    /// Required share in `0.0..=1.0`.
    pub min_share: f64,
}

/// Mentoring (帮扶): members at or below a tier get a mentor of the top tier.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Mentoring {
    /// Tier whose members mentor.
    pub mentor_tier: TierRef,
    /// Members at this tier or below are mentored.
    pub mentee_at_or_below: TierRef,
}

/// Index of a tier in [`Scheme::tiers`]; smaller is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TierId(pub usize);

/// A tier a rule names. The file names it; its place among the tiers is
/// found once, when the scheme is loaded, so rules compare ids, not text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(from = "String", into = "String")]
pub struct TierRef {
    /// The name as written in the scheme.
    pub name: String,
    id: Option<TierId>,
}

impl TierRef {
    /// The tier named; `None` only where the scheme lets the rule go unused
    /// (a veto tier without veto items).
    pub fn id(&self) -> Option<TierId> {
        self.id
    }

    /// Finds the tier among `tiers`; false when there is none of that name.
    fn resolve(&mut self, tiers: &[Tier]) -> bool {
        self.id = tiers.iter().position(|t| t.name == self.name).map(TierId);
        self.id.is_some()
    }
}

impl From<String> for TierRef {
    fn from(name: String) -> TierRef {
        TierRef { name, id: None }
    }
}

impl From<TierRef> for String {
    fn from(tier: TierRef) -> String {
        tier.name
    }
}

impl fmt::Display for TierRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// Why a scheme could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SchemeError {
    /// Neither a preset name nor a readable file.
    #[error("找不到评星方案「{0}」：内置方案有 {presets}，也可以给出 .toml 文件路径", presets = preset_names().join("、"))]
    Unknown(String),
    /// The file could not be read.
    #[error("无法读取评星方案文件 {path}：{}", crate::issue::describe_io(source))]
    Io {
        /// The file as given.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The TOML is malformed or has unknown keys.
    #[error("评星方案 {origin} 格式有误：{message}")]
    Syntax {
        /// The preset or file.
        origin: String,
        /// What the parser said, with the line.
        message: String,
    },
    /// The scheme rates someone else than the command needs.
    #[error("评星方案「{name}」用于{subject}星级评定，这里需要用于{wanted}的评星方案")]
    WrongSubject {
        /// The scheme.
        name: String,
        /// Whom it rates.
        subject: &'static str,
        /// Whom the command rates.
        wanted: &'static str,
    },
    /// A value breaks a rule; `key` names it.
    #[error("评星方案 {origin} 中 {key} 有误：{message}")]
    Invalid {
        /// The preset or file.
        origin: String,
        /// The key at fault.
        key: String,
        /// What is wrong.
        message: String,
    },
}

/// The schemes of one run: branches, members and party groups.
#[derive(Debug, Clone)]
pub struct Schemes {
    /// Rates branches from scoring forms and ballots.
    pub branch: Scheme,
    /// Rates members from rosters.
    pub member: Scheme,
    /// Rates party groups from their scoring forms.
    pub group: Scheme,
}

impl Schemes {
    /// Loads the three schemes by name or path, checking whom each rates.
    pub fn load(branch: &str, member: &str, group: &str) -> Result<Schemes, SchemeError> {
        let load = |name: &str, wanted: Subject| {
            let scheme = Scheme::load(name)?;
            if scheme.subject != wanted {
                let subject = scheme.subject.label();
                return Err(SchemeError::WrongSubject {
                    name: scheme.name,
                    subject,
                    wanted: wanted.label(),
                });
            }
            Ok(scheme)
        };
        Ok(Schemes {
            branch: load(branch, Subject::Branch)?,
            member: load(member, Subject::Member)?,
            group: load(group, Subject::Group)?,
        })
    }

    /// A branch scheme with the built-in member and group presets.
    pub fn with_branch(branch: &str) -> Result<Schemes, SchemeError> {
        Schemes::load(branch, MEMBER_PRESET, GROUP_PRESET)
    }

    /// The scheme for a subject.
    pub fn for_subject(&self, subject: Subject) -> &Scheme {
        match subject {
            Subject::Branch => &self.branch,
            Subject::Member => &self.member,
            Subject::Group => &self.group,
        }
    }
}

/// The built-in presets that rate branches, parsed once.
pub fn branch_presets() -> &'static [Scheme] {
    static PRESETS_PARSED: std::sync::OnceLock<Vec<Scheme>> = std::sync::OnceLock::new();
    PRESETS_PARSED.get_or_init(|| {
        preset_names()
            .into_iter()
            .filter_map(|name| Scheme::load(name).ok())
            .filter(|s| s.subject == Subject::Branch)
            .collect()
    })
}

/// Names of the built-in presets.
pub fn preset_names() -> Vec<&'static str> {
    PRESETS.iter().map(|(name, _)| *name).collect()
}

/// The TOML text of a built-in preset.
pub fn preset_text(name: &str) -> Option<&'static str> {
    PRESETS.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

impl Scheme {
    /// Loads a preset by name, or a TOML file by path.
    pub fn load(name_or_path: &str) -> Result<Scheme, SchemeError> {
        if let Some(text) = preset_text(name_or_path) {
            return Scheme::parse(text, &format!("「{name_or_path}」"));
        }
        let path = Path::new(name_or_path);
        if !path.is_file() {
            return Err(SchemeError::Unknown(name_or_path.to_string()));
        }
        let text = std::fs::read_to_string(path).map_err(|e| SchemeError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        Scheme::parse(&text, &path.display().to_string())
    }

    /// Parses and validates scheme TOML; `origin` names it in messages.
    pub fn parse(text: &str, origin: &str) -> Result<Scheme, SchemeError> {
        // Reader limits protect the machine, not the rating: they are a run
        // option, and a scheme that still carries them is told where they went.
        let table = toml::from_str::<toml::Table>(text);
        if table.is_ok_and(|t| t.contains_key("limits")) {
            return Err(SchemeError::Invalid {
                origin: origin.to_string(),
                key: "[limits]".into(),
                message: "读取上限已不在评星方案中设置：请把 [limits] 一节移到单独的文件，评定时用 --limits 文件 指定"
                    .into(),
            });
        }
        let mut scheme: Scheme = toml::from_str(text).map_err(|e| SchemeError::Syntax {
            origin: origin.to_string(),
            message: e.message().to_string()
                + &e.span()
                    .map(|s| format!("（第 {} 行）", line_of(text, s.start)))
                    .unwrap_or_default(),
        })?;
        if scheme.ballot.questions.is_empty() {
            scheme.ballot.questions = scheme.indicators.iter().map(|i| i.name.to_string()).collect();
        }
        scheme.source = text.to_string();
        scheme.resolve_tiers();
        scheme.validate().map_err(|(key, message)| SchemeError::Invalid {
            origin: origin.to_string(),
            key,
            message,
        })?;
        Ok(scheme)
    }

    fn validate(&self) -> Result<(), (String, String)> {
        let bad = |key: String, message: String| Err((key, message));
        if self.name.trim().is_empty() {
            return bad("name".into(), "不能为空".into());
        }
        if !positive(self.total_cap) {
            return bad("total_cap".into(), "必须大于 0".into());
        }
        if !(positive(self.bonus.max) || self.bonus.max == 0.0) {
            return bad("bonus.max".into(), "不能为负数".into());
        }
        for (i, item) in self.bonus.items.iter().enumerate() {
            let key = format!("bonus.items[{i}]（{}）", item.label);
            if item.label.trim().is_empty() {
                return bad(format!("bonus.items[{i}].label"), "不能为空".into());
            }
            if self.bonus.items[..i].iter().any(|o| o.label == item.label) {
                return bad(format!("{key}.label"), "加分项目重复".into());
            }
            if !positive(item.max) || crate::points::snap(item.max) > crate::points::snap(self.bonus.max) {
                return bad(
                    format!("{key}.max"),
                    format!(
                        "必须大于 0，且不超过加分总上限 bonus.max = {}",
                        fmt_points(self.bonus.max)
                    ),
                );
            }
        }
        self.check_labels()?;
        if self.indicators.is_empty() {
            return bad("indicators".into(), "至少需要一项指标".into());
        }
        for (i, ind) in self.indicators.iter().enumerate() {
            let key = format!("indicators[{i}]（{}）", ind.name);
            if ind.name.trim().is_empty() {
                return bad(format!("indicators[{i}].name"), "不能为空".into());
            }
            if self.indicators[..i].iter().any(|o| o.name == ind.name) {
                return bad(format!("{key}.name"), "指标名称重复".into());
            }
            if !positive(ind.max) {
                return bad(format!("{key}.max"), "必须大于 0".into());
            }
            match ind.source {
                Source::Ballot if !ind.items.is_empty() => {
                    return bad(format!("{key}.items"), "由测评票计分的指标不能列考评内容".into());
                }
                Source::Ballot if ind.negative => {
                    return bad(format!("{key}.negative"), "由测评票计分的指标不能是减分项".into());
                }
                _ => {}
            }
            match (&ind.part, self.parts.is_empty()) {
                (Some(part), true) => {
                    return bad(
                        format!("{key}.part"),
                        format!("方案没有 [[parts]]，「{part}」无从计权；要分部分计权时先列出各部分"),
                    );
                }
                (None, false) => {
                    return bad(
                        format!("{key}.part"),
                        "方案设了 [[parts]]，每项指标都要写明所属部分".into(),
                    );
                }
                (Some(part), false) if !self.parts.iter().any(|p| p.name == *part) => {
                    let names: Vec<&str> = self.parts.iter().map(|p| p.name.as_str()).collect();
                    return bad(
                        format!("{key}.part"),
                        format!("部分「{part}」不存在（[[parts]] 中有：{}）", names.join("、")),
                    );
                }
                _ => {}
            }
            for (j, item) in ind.items.iter().enumerate() {
                if !positive(item.max) {
                    return bad(format!("{key}.items[{j}].max"), "必须大于 0".into());
                }
                if ind.items[..j].iter().any(|o| o.name == item.name) {
                    return bad(
                        format!("{key}.items[{j}].name"),
                        format!("考评内容「{}」重复", item.name),
                    );
                }
            }
            let sum: f64 = ind.items.iter().map(|it| it.max).sum();
            if ind.source == Source::Form && !ind.items.is_empty() && !same(sum, ind.max) {
                return bad(
                    format!("{key}.items"),
                    format!(
                        "各项分值合计 {}，与指标满分 max = {} 不一致",
                        fmt_points(sum),
                        fmt_points(ind.max)
                    ),
                );
            }
        }
        for (i, part) in self.parts.iter().enumerate() {
            let key = format!("parts[{i}]（{}）", part.name);
            if part.name.trim().is_empty() {
                return bad(format!("parts[{i}].name"), "不能为空".into());
            }
            if self.parts[..i].iter().any(|o| o.name == part.name) {
                return bad(format!("{key}.name"), "部分名称重复".into());
            }
            if !positive(part.weight) {
                return bad(format!("{key}.weight"), "权重必须大于 0".into());
            }
            let members = self
                .indicators
                .iter()
                .filter(|ind| ind.part.as_ref() == Some(&part.name));
            if !members.clone().any(|ind| !ind.negative) {
                return bad(key, "没有计分的指标（减分项只能从某一部分中扣除）".into());
            }
        }
        if self.indicators.iter().all(|ind| ind.negative) {
            return bad("indicators".into(), "至少需要一项不是减分项的指标".into());
        }
        if let Some(c) = &self.score_columns {
            for (key, w) in [("self", c.self_score), ("assessed", c.assessed)] {
                if !(w.is_finite() && w > 0.0 && w < 1.0) {
                    return bad(format!("score_columns.{key}"), "权重必须在 0 到 1 之间".into());
                }
            }
            if !same(c.self_score + c.assessed, 1.0) {
                return bad(
                    "score_columns".into(),
                    format!(
                        "两栏权重之和为 {}，必须为 1（各项得分才不超过其分值）",
                        fmt_points(c.self_score + c.assessed)
                    ),
                );
            }
        }
        if self.tiers.is_empty() {
            return bad("tiers".into(), "至少需要一个档次".into());
        }
        for (i, tier) in self.tiers.iter().enumerate() {
            let key = format!("tiers[{i}]（{}）", tier.name);
            if tier.name.trim().is_empty() {
                return bad(format!("tiers[{i}].name"), "不能为空".into());
            }
            if self.tiers[..i].iter().any(|o| o.name == tier.name) {
                return bad(format!("{key}.name"), "档次名称重复".into());
            }
            if parse_hex_color(&tier.color).is_none() {
                return bad(
                    format!("{key}.color"),
                    format!("「{}」不是 #RRGGBB 形式的颜色", tier.color),
                );
            }
            if tier.stars.is_some_and(|s| s > 5) {
                return bad(format!("{key}.stars"), "星数不能超过 5".into());
            }
            let last = i + 1 == self.tiers.len();
            let by_medals = tier.medals.is_some() || tier.every.is_some() || tier.level.is_some();
            if let Some(level) = &tier.level {
                self.check_level(&key, level)?;
            }
            if last && (by_medals || !tier.requires.is_empty()) {
                return bad(key, "最后一档收下其余全部，不能再设条件".into());
            }
            for (j, item) in tier.requires.iter().enumerate() {
                if item.trim().is_empty() {
                    return bad(format!("{key}.requires[{j}]"), "不能为空".into());
                }
                if self.yes_no_items().any(|v| v == item) {
                    return bad(
                        format!("{key}.requires[{j}]"),
                        format!("「{item}」已是一票否决或上限事项，不能同时作为评定条件"),
                    );
                }
            }
            let known = |name: &str| self.medals.iter().any(|m| m.name.as_ref() == name);
            let medal_names = || {
                let names: Vec<&str> = self.medals.iter().map(|m| m.name.as_ref()).collect();
                if names.is_empty() {
                    "方案没有设 [[medals]]".to_string()
                } else {
                    format!("[[medals]] 中有：{}", names.join("、"))
                }
            };
            if let Some(rule) = &tier.medals {
                if !known(&rule.medal) {
                    return bad(
                        format!("{key}.medals.medal"),
                        format!("单项星「{}」不存在（{}）", rule.medal, medal_names()),
                    );
                }
                let scored = self.indicators.iter().filter(|ind| !ind.negative).count() as u32;
                if rule.count == 0 || rule.count > scored {
                    return bad(
                        format!("{key}.medals.count"),
                        format!("必须在 1 到 {scored} 之间（计分的指标共 {scored} 项）"),
                    );
                }
            }
            if let Some(medal) = tier.every.as_deref().filter(|m| !known(m)) {
                return bad(
                    format!("{key}.every"),
                    format!("单项星「{medal}」不存在（{}）", medal_names()),
                );
            }
            let previous_min = self.tiers[..i].iter().rev().find_map(|t| t.min);
            match (tier.min, previous_min) {
                (None, _) if !last && !by_medals => {
                    return bad(
                        format!("{key}.min"),
                        "只有最后一档和按单项星评定的档次可以不设下限".into(),
                    );
                }
                (Some(min), Some(prev)) if !below(min, prev) => {
                    return bad(
                        format!("{key}.min"),
                        format!(
                            "下限 {} 必须低于上一档的下限 {}（按从高到低排列）",
                            fmt_points(min),
                            fmt_points(prev)
                        ),
                    );
                }
                _ => {}
            }
        }
        for (i, medal) in self.medals.iter().enumerate() {
            let key = format!("medals[{i}]（{}）", medal.name);
            if !share(medal.share) || medal.share == 0.0 {
                return bad(format!("{key}.share"), "比例必须在 0 到 1 之间".into());
            }
            if i > 0 && !below(medal.share, self.medals[i - 1].share) {
                return bad(format!("{key}.share"), "比例必须从高到低排列".into());
            }
        }
        if !self.veto.items.is_empty() && self.veto.tier.id().is_none() {
            return bad("veto.tier".into(), format!("档次「{}」不存在", self.veto.tier));
        }
        for (i, cap) in self.caps.iter().enumerate() {
            let key = format!("caps[{i}]（至多{}）", cap.at_most);
            if cap.at_most.id().is_none() {
                return bad(format!("caps[{i}].at_most"), format!("档次「{}」不存在", cap.at_most));
            }
            match (cap.items.is_empty(), cap.satisfaction_below) {
                (true, None) | (false, Some(_)) => {
                    return bad(
                        key,
                        "要写明一种触发条件：items（评分表上的“是/否”事项）或 satisfaction_below（满意率低于）".into(),
                    );
                }
                (true, Some(rate)) if !share(rate) || rate == 0.0 => {
                    return bad(format!("{key}.satisfaction_below"), "比例必须在 0 到 1 之间".into());
                }
                _ => {}
            }
            let before: Vec<&String> = self
                .yes_no_items()
                .take(self.veto.items.len() + self.caps[..i].iter().map(|c| c.items.len()).sum::<usize>())
                .collect();
            for (j, item) in cap.items.iter().enumerate() {
                if item.trim().is_empty() {
                    return bad(format!("{key}.items[{j}]"), "不能为空".into());
                }
                if before.contains(&item) || cap.items[..j].contains(item) {
                    return bad(format!("{key}.items[{j}]"), format!("事项「{item}」重复"));
                }
            }
        }
        for (i, quota) in self.quotas.iter().enumerate() {
            let key = format!("quotas[{i}]（{}）", quota.tier);
            match quota.tier.id() {
                None => return bad(format!("quotas[{i}].tier"), format!("档次「{}」不存在", quota.tier)),
                Some(id) if id.0 + 1 == self.tiers.len() => {
                    return bad(format!("{key}.tier"), "最后一档没有更低的档次可调，不能限额".into());
                }
                Some(_) => {}
            }
            if !share(quota.share) || quota.share == 0.0 {
                return bad(format!("{key}.share"), "比例必须在 0 到 1 之间".into());
            }
            if self.quotas[..i].iter().any(|q| q.tier == quota.tier) {
                return bad(format!("{key}.tier"), "同一档次只能有一个名额限制".into());
            }
        }
        for (i, project) in self.projects.iter().enumerate() {
            for tier in &project.tiers {
                if tier.id().is_none() {
                    return bad(
                        format!("projects[{i}]（{}）.tiers", project.name),
                        format!("档次「{tier}」不存在"),
                    );
                }
                if self.projects[..i].iter().any(|p| p.tiers.contains(tier)) {
                    return bad(
                        format!("projects[{i}]（{}）.tiers", project.name),
                        format!("档次「{tier}」已属于另一项工程"),
                    );
                }
            }
        }
        let ballot = &self.ballot;
        if ballot.ratings.is_empty() {
            return bad("ballot.ratings".into(), "至少需要一个评价等次".into());
        }
        for (i, rating) in ballot.ratings.iter().enumerate() {
            if !(0.0..=1.0).contains(&rating.value) {
                return bad(
                    format!("ballot.ratings[{i}]（{}）.value", rating.label),
                    "分值必须在 0 到 1 之间".into(),
                );
            }
            if ballot.ratings[..i].iter().any(|r| r.label == rating.label) {
                return bad(
                    format!("ballot.ratings[{i}].label"),
                    format!("评价「{}」重复", rating.label),
                );
            }
        }
        for (i, q) in ballot.questions.iter().enumerate() {
            if ballot.questions[..i].contains(q) {
                return bad(format!("ballot.questions[{i}]"), format!("测评题目「{q}」重复"));
            }
        }
        if ballot.review_gap == 0 {
            return bad("ballot.review_gap".into(), "必须至少为 1".into());
        }
        if self.notice.days == Some(0) {
            return bad("notice.days".into(), "公示天数必须至少为 1".into());
        }
        let mut names: Vec<String> = Vec::new();
        for (i, category) in ballot.categories.iter().enumerate() {
            let key = format!("ballot.categories[{i}]（{}）", category.name);
            if norm_label(&category.name).is_empty() {
                return bad(format!("ballot.categories[{i}].name"), "测评人类别名称不能为空".into());
            }
            if !(category.weight.is_finite() && category.weight > 0.0) {
                return bad(format!("{key}.weight"), "权重必须是大于 0 的数".into());
            }
            for name in std::iter::once(&category.name).chain(&category.aliases) {
                let n = norm_label(name);
                if names.contains(&n) {
                    return bad(key, format!("类别名称「{name}」重复"));
                }
                names.push(n);
            }
        }
        if !share(self.flags.self_inflation_share) || self.flags.self_inflation_share == 0.0 {
            return bad("flags.self_inflation_share".into(), "比例必须在 0 到 1 之间".into());
        }
        if let Some(ex) = &self.excellence {
            for (key, tier) in [
                ("excellence.top_tier", &ex.top_tier),
                ("excellence.at_or_above", &ex.at_or_above),
            ] {
                if tier.id().is_none() {
                    return bad(key.into(), format!("档次「{tier}」不存在"));
                }
            }
            if !(0.0..=1.0).contains(&ex.min_share) {
                return bad("excellence.min_share".into(), "比例必须在 0 到 1 之间".into());
            }
        }
        if let Some(m) = &self.mentoring {
            for (key, tier) in [
                ("mentoring.mentor_tier", &m.mentor_tier),
                ("mentoring.mentee_at_or_below", &m.mentee_at_or_below),
            ] {
                if tier.id().is_none() {
                    return bad(key.into(), format!("档次「{tier}」不存在"));
                }
            }
        }
        if let Some(r) = &self.rounds.review {
            if r.at_or_below.id().is_none() {
                return bad(
                    "rounds.review.at_or_below".into(),
                    format!("档次「{}」不存在", r.at_or_below),
                );
            }
            // Rounds are read from this year and the year before.
            if !(1..=2).contains(&r.years) {
                return bad(
                    "rounds.review.years".into(),
                    "年数只能是 1 或 2（按本年度和上一年度的各轮判断）".into(),
                );
            }
        }
        if let Some(u) = &self.rounds.unimproved {
            if u.tier.id().is_none() {
                return bad("rounds.unimproved.tier".into(), format!("档次「{}」不存在", u.tier));
            }
            if !(1..=12).contains(&u.months) {
                return bad(
                    "rounds.unimproved.months".into(),
                    "月数必须在 1 到 12 之间（按本年度和上一年度的各轮判断）".into(),
                );
            }
        }
        Ok(())
    }

    /// A level's indicators exist and count, each once and in no other
    /// level; its pass line is a share or a medal of the scheme.
    fn check_level(&self, key: &str, level: &Level) -> Result<(), (String, String)> {
        let bad = |k: &str, message: String| Err((format!("{key}.level{k}"), message));
        if level.indicators.is_empty() {
            return bad(".indicators", "至少列出一项指标".into());
        }
        for (j, name) in level.indicators.iter().enumerate() {
            match self.indicators.iter().find(|i| *i.name == **name) {
                None => return bad(&format!(".indicators[{j}]"), format!("指标「{name}」不存在")),
                Some(i) if i.negative => {
                    return bad(
                        &format!(".indicators[{j}]"),
                        format!("「{name}」是减分项，不能作为达标的级别"),
                    );
                }
                Some(_) => {}
            }
            let elsewhere = self
                .tiers
                .iter()
                .filter_map(|t| t.level.as_ref())
                .filter(|l| !std::ptr::eq(*l, level))
                .any(|l| l.indicators.contains(name));
            if elsewhere || level.indicators[..j].contains(name) {
                return bad(&format!(".indicators[{j}]"), format!("指标「{name}」已属于另一级"));
            }
        }
        match (level.share, &level.medal) {
            (Some(share), None) if share > 0.0 && share <= 1.0 => Ok(()),
            (Some(_), None) => bad(".share", "比例必须在 0 到 1 之间".into()),
            (None, Some(medal)) if self.medals.iter().any(|m| *m.name == **medal) => Ok(()),
            (None, Some(medal)) => bad(".medal", format!("单项星「{medal}」不存在")),
            _ => bad("", "要写明达标线：share（满分的比例）或 medal（单项星）之一".into()),
        }
    }

    /// Each added title names one role: not blank, not under two keys, not
    /// a built-in title of another role.
    fn check_labels(&self) -> Result<(), (String, String)> {
        let mut seen: BTreeMap<String, Role> = BTreeMap::new();
        for (role, titles) in &self.labels {
            let key = format!("labels.{}", role.key());
            for title in titles {
                let norm = norm_label(title);
                if norm.is_empty() {
                    return Err((key, "栏目名称不能为空".into()));
                }
                let builtin = Role::ALL
                    .into_iter()
                    .find(|other| other != role && other.builtin().iter().any(|b| norm_label(b) == norm));
                if let Some(other) = builtin {
                    return Err((key, format!("「{title}」已是 {} 的内置名称", other.key())));
                }
                match seen.insert(norm, *role) {
                    Some(other) if other != *role => {
                        return Err((key, format!("「{title}」也列在 labels.{} 中", other.key())));
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// The tier of a total; thresholds are inclusive and compared unrounded.
    /// The tier a branch's standing reaches: the first whose every rule
    /// holds. When a tier above it was out of reach for a rule other than
    /// points (its points were there), that tier and the rules unmet.
    pub fn tier_of(&self, standing: Standing<'_>) -> (TierId, Option<(TierId, Vec<Unmet>)>) {
        let mut shortfall = None;
        let conditions: Vec<&String> = self.condition_items().collect();
        for (i, tier) in self.tiers.iter().enumerate() {
            let points = tier.min.is_none_or(|min| crate::points::reaches(standing.total, min));
            let unmet = self.unmet(tier, standing, &conditions);
            if points && unmet.is_empty() {
                return (TierId(i), shortfall);
            }
            if points && shortfall.is_none() {
                shortfall = Some((TierId(i), unmet));
            }
        }
        (TierId(self.tiers.len() - 1), shortfall)
    }

    /// The rules of `tier` other than points that `standing` does not meet.
    fn unmet(&self, tier: &Tier, standing: Standing<'_>, conditions: &[&String]) -> Vec<Unmet> {
        let rank = |name: &str| self.medals.iter().position(|m| m.name.as_ref() == name);
        let holds = |held: Option<usize>, needed: Option<usize>| matches!((held, needed), (Some(h), Some(n)) if h <= n);
        let mut unmet = Vec::new();
        if let Some(rule) = &tier.medals {
            let needed = rank(&rule.medal);
            let held = standing
                .medals
                .iter()
                .filter(|(m, counts)| *counts && holds(*m, needed))
                .count() as u32;
            if held < rule.count {
                unmet.push(Unmet::Medals {
                    medal: rule.medal.clone(),
                    count: rule.count,
                    held,
                });
            }
        }
        if tier.level.is_some() {
            // This level and every level below it, in order.
            let below = self.tiers.iter().skip_while(|t| !std::ptr::eq(*t, tier));
            let short: Vec<String> = below
                .filter_map(|t| t.level.as_ref())
                .flat_map(|level| level.indicators.iter().map(move |name| (level, name)))
                .filter(|(level, name)| !self.passes(level, name, standing))
                .map(|(_, name)| name.clone())
                .collect();
            if !short.is_empty() {
                unmet.push(Unmet::Level { short });
            }
        }
        for required in &tier.requires {
            let met = conditions
                .iter()
                .position(|item| *item == required)
                .and_then(|k| standing.conditions.get(k))
                .copied()
                .unwrap_or(false);
            if !met {
                unmet.push(Unmet::Condition(required.clone()));
            }
        }
        if let Some(medal) = &tier.every {
            let needed = rank(medal);
            let short: Vec<String> = self
                .indicators
                .iter()
                .zip(standing.medals)
                .filter(|(_, (m, counts))| *counts && !holds(*m, needed))
                .map(|(ind, _)| ind.name.to_string())
                .collect();
            if !short.is_empty() {
                unmet.push(Unmet::Every {
                    medal: medal.clone(),
                    short,
                });
            }
        }
        unmet
    }

    /// Whether indicator `name` reaches a level's pass line.
    fn passes(&self, level: &Level, name: &str, standing: Standing<'_>) -> bool {
        let Some(k) = self.indicators.iter().position(|i| *i.name == *name) else {
            return false;
        };
        let (Some(indicator), Some(&score)) = (self.indicators.get(k), standing.scores.get(k)) else {
            return false;
        };
        match (level.share, &level.medal) {
            (Some(share), _) => crate::points::reaches(score, share * indicator.max),
            (None, Some(medal)) => {
                let needed = self.medals.iter().position(|m| *m.name == **medal);
                let held = standing.medals.get(k).and_then(|(m, _)| *m);
                matches!((held, needed), (Some(h), Some(n)) if h <= n)
            }
            (None, None) => false,
        }
    }

    /// The tier a ballot or a form writes (`四星`, `四星级`, `4星`, `4`,
    /// `★★★★☆`, or a tier's name), normalised as labels are.
    pub fn tier_written(&self, token: &str) -> Option<TierId> {
        let by_name = |name: &str| self.tiers.iter().position(|t| norm_label(&t.name) == name);
        let by_stars = |n: usize| self.tiers.iter().position(|t| t.stars.map(usize::from) == Some(n));
        if let Some(i) = by_name(token).or_else(|| token.strip_suffix('级').and_then(by_name)) {
            return Some(TierId(i));
        }
        if !token.is_empty() && token.chars().all(|c| c == '★' || c == '☆') {
            return by_stars(token.chars().filter(|&c| c == '★').count()).map(TierId);
        }
        let digits = token
            .strip_suffix("星级")
            .or_else(|| token.strip_suffix('星'))
            .unwrap_or(token);
        digits.parse::<usize>().ok().and_then(by_stars).map(TierId)
    }

    /// The tier whose band holds `total`, by points alone.
    pub fn tier_for(&self, total: f64) -> TierId {
        let found = self
            .tiers
            .iter()
            .position(|t| t.min.is_some_and(|min| crate::points::reaches(total, min)));
        TierId(found.unwrap_or(self.tiers.len() - 1))
    }

    /// The tier of that name, as an earlier round or a rule names it.
    pub fn tier_named(&self, name: &str) -> Option<TierId> {
        self.tiers.iter().position(|t| t.name == name).map(TierId)
    }

    /// A tier by index.
    pub fn tier(&self, id: TierId) -> &Tier {
        &self.tiers[id.0]
    }

    /// The tier forced by a veto.
    pub fn veto_tier(&self) -> TierId {
        self.veto.tier.id().unwrap_or(TierId(self.tiers.len() - 1))
    }

    /// Finds the tier each rule names, once.
    fn resolve_tiers(&mut self) {
        let tiers = &self.tiers;
        let refs = std::iter::once(&mut self.veto.tier)
            .chain(self.caps.iter_mut().map(|c| &mut c.at_most))
            .chain(self.quotas.iter_mut().map(|q| &mut q.tier))
            .chain(self.projects.iter_mut().flat_map(|p| p.tiers.iter_mut()))
            .chain(
                self.excellence
                    .iter_mut()
                    .flat_map(|e| [&mut e.top_tier, &mut e.at_or_above]),
            )
            .chain(
                self.mentoring
                    .iter_mut()
                    .flat_map(|m| [&mut m.mentor_tier, &mut m.mentee_at_or_below]),
            )
            .chain(self.rounds.review.iter_mut().map(|r| &mut r.at_or_below))
            .chain(self.rounds.unimproved.iter_mut().map(|u| &mut u.tier));
        for tier in refs {
            tier.resolve(tiers);
        }
    }

    /// The 是/否 items a form answers in its 一票否决 section: the veto's,
    /// then each cap's, in order.
    pub fn yes_no_items(&self) -> impl Iterator<Item = &String> {
        self.veto.items.iter().chain(self.caps.iter().flat_map(|c| &c.items))
    }

    /// The conditions tiers require, each once, in tier order: what a form
    /// answers in its 评定条件 section.
    pub fn condition_items(&self) -> impl Iterator<Item = &String> {
        let mut seen: Vec<&String> = Vec::new();
        self.tiers.iter().flat_map(|t| &t.requires).filter(move |item| {
            let new = !seen.contains(item);
            if new {
                seen.push(item);
            }
            new
        })
    }

    /// The medal an indicator score earns, if any.
    pub fn medal_for(&self, score: f64, max: f64) -> Option<&Medal> {
        self.medals
            .iter()
            .find(|m| crate::points::reaches(score, m.share * max))
    }

    /// The improvement project for a tier.
    pub fn project_for(&self, tier: TierId) -> Option<&Project> {
        self.projects
            .iter()
            .find(|p| p.tiers.iter().any(|t| t.id() == Some(tier)))
    }

    /// The tier whose level an indicator belongs to, if any.
    pub fn level_of(&self, indicator: usize) -> Option<TierId> {
        let name = &self.indicators.get(indicator)?.name;
        self.tiers
            .iter()
            .position(|t| {
                t.level
                    .as_ref()
                    .is_some_and(|l| l.indicators.iter().any(|n| **n == **name))
            })
            .map(TierId)
    }

    /// Indicators scored on the form, with their index in [`Scheme::indicators`].
    pub fn form_indicators(&self) -> impl Iterator<Item = (usize, &Indicator)> {
        self.indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| i.source == Source::Form)
    }

    /// Whether any indicator is computed from ballots.
    pub fn needs_ballots(&self) -> bool {
        self.indicators.iter().any(|i| i.source == Source::Ballot)
    }
}

impl Tier {
    /// Its rules other than points, in words (`得星 5 项以上`), if any.
    pub fn rules_text(&self) -> Option<String> {
        let mut rules = Vec::new();
        if let Some(m) = &self.medals {
            rules.push(format!("{} {} 项以上", m.medal, m.count));
        }
        if let Some(medal) = &self.every {
            rules.push(format!("各项均达{medal}"));
        }
        if let Some(level) = &self.level {
            let line = match (level.share, &level.medal) {
                (Some(share), _) => format!("满分的 {}%", fmt_points(share * 100.0)),
                (None, Some(medal)) => medal.clone(),
                (None, None) => String::new(),
            };
            rules.push(format!("「{}」及以下各级均达{line}", level.indicators.join("」「")));
        }
        rules.extend(self.requires.iter().cloned());
        (!rules.is_empty()).then(|| rules.join("，"))
    }

    /// Star glyphs such as ★★★★☆, or empty for a non-star tier.
    pub fn glyphs(&self) -> String {
        match self.stars {
            Some(n) => "★".repeat(n as usize) + &"☆".repeat(5 - n as usize),
            None => String::new(),
        }
    }

    /// The fill colour as `0xRRGGBB`.
    pub fn rgb(&self) -> u32 {
        parse_hex_color(&self.color).unwrap_or(0xFFFFFF)
    }
}

/// Parses `#RRGGBB`.
pub fn parse_hex_color(text: &str) -> Option<u32> {
    let hex = text.strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(hex, 16).ok()
}

// These comparisons are false for NaN, which TOML can express, so a
// negated call rejects NaN along with the out-of-range values.
fn positive(x: f64) -> bool {
    x > 0.0
}

fn below(x: f64, bound: f64) -> bool {
    x < bound
}

fn share(x: f64) -> bool {
    (0.0..=1.0).contains(&x)
}

fn line_of(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or(0, |head| head.matches('\n').count()) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_load_and_validate() {
        for name in preset_names() {
            let scheme = Scheme::load(name).unwrap();
            assert_eq!(scheme.name, name);
            let total: f64 = scheme.indicators.iter().map(|i| i.max).sum();
            assert_eq!(total, 100.0);
        }
    }

    #[test]
    fn group_tiers_are_labels_not_stars() {
        let s = Scheme::load("group").unwrap();
        assert_eq!(s.subject, Subject::Group);
        let items: usize = s.indicators.iter().map(|i| i.items.len()).sum();
        assert_eq!(items, 12);
        let name = |t: f64| s.tier(s.tier_for(t)).name.clone();
        assert_eq!(
            [
                name(95.0),
                name(94.99),
                name(80.0),
                name(79.99),
                name(60.0),
                name(59.99)
            ],
            ["优秀", "合格", "合格", "基本合格", "基本合格", "不合格"]
        );
        assert_eq!(s.tier(s.tier_for(100.0)).glyphs(), "");
    }

    #[test]
    fn member_aspects_are_scored_directly() {
        let s = Scheme::load("member").unwrap();
        assert_eq!(s.subject, Subject::Member);
        let items = s.indicators[0].scored_items();
        assert_eq!((items.len(), &*items[0].name, items[0].max), (1, "学习", 20.0));
        let name = |t: f64| s.tier(s.tier_for(t)).name.clone();
        assert_eq!(
            (name(90.0), name(89.5), name(60.0), name(59.5)),
            ("五星".into(), "四星".into(), "三星".into(), "二星".into())
        );
        assert_eq!(s.tier(s.veto_tier()).name, "不予评星");
    }

    #[test]
    fn standard_tiers_have_inclusive_exact_bounds() {
        let s = Scheme::load("standard").unwrap();
        let name = |t: f64| s.tier(s.tier_for(t)).name.clone();
        assert_eq!(name(95.0), "五星");
        assert_eq!(name(94.99), "四星");
        assert_eq!(name(60.0), "一星");
        assert_eq!(name(59.99), "无星");
        assert_eq!(name(0.0), "无星");
    }

    #[test]
    fn item_sum_mismatch_names_the_key() {
        let text = preset_text("standard").unwrap().replacen(
            "{ name = \"班子团结\", max = 4 }",
            "{ name = \"班子团结\", max = 3 }",
            1,
        );
        let err = Scheme::parse(&text, "test.toml").unwrap_err().to_string();
        assert_eq!(
            err,
            "评星方案 test.toml 中 indicators[0]（班子建设）.items 有误：各项分值合计 19，与指标满分 max = 20 不一致"
        );
    }

    #[test]
    fn parts_and_deductions_are_checked_at_load() {
        let standard = preset_text("standard").unwrap();
        let err = |text: &str| Scheme::parse(text, "t.toml").unwrap_err().to_string();
        let with_part = standard.replacen("max = 20\n", "max = 20\npart = \"基础项\"\n", 1);
        assert_eq!(
            err(&with_part),
            "评星方案 t.toml 中 indicators[0]（班子建设）.part 有误：方案没有 [[parts]]，「基础项」无从计权；要分部分计权时先列出各部分"
        );
        let parts = "\n[[parts]]\nname = \"基础项\"\nweight = 0.7\n";
        assert_eq!(
            err(&format!("{with_part}{parts}")),
            "评星方案 t.toml 中 indicators[1]（党员队伍建设）.part 有误：方案设了 [[parts]]，每项指标都要写明所属部分"
        );
        let typo = standard.replacen("max = 20\n", "max = 20\npart = \"基础\"\n", 1);
        assert_eq!(
            err(&format!("{typo}{parts}")),
            "评星方案 t.toml 中 indicators[0]（班子建设）.part 有误：部分「基础」不存在（[[parts]] 中有：基础项）"
        );
        let all_parts = standard.replace("max = 20\n", "max = 20\npart = \"基础项\"\n");
        assert_eq!(
            err(&format!("{all_parts}{}", parts.replace("0.7", "0"))),
            "评星方案 t.toml 中 parts[0]（基础项）.weight 有误：权重必须大于 0"
        );
        let ballot_negative = standard.replacen("source = \"ballot\"", "source = \"ballot\"\nnegative = true", 1);
        assert_eq!(
            err(&ballot_negative),
            "评星方案 t.toml 中 indicators[4]（群众评价）.negative 有误：由测评票计分的指标不能是减分项"
        );
        assert!(Scheme::parse(&format!("{all_parts}{parts}"), "t.toml").is_ok());
    }

    #[test]
    fn medal_rules_of_tiers_are_checked_at_load() {
        let standard = preset_text("standard").unwrap();
        let err = |text: &str| Scheme::parse(text, "t.toml").unwrap_err().to_string();
        let rule = |rule: &str| standard.replacen("min = 95\n", &format!("min = 95\n{rule}\n"), 1);
        assert_eq!(
            err(&rule("medals = { medal = \"得星\", count = 3 }")),
            "评星方案 t.toml 中 tiers[0]（五星）.medals.medal 有误：单项星「得星」不存在（[[medals]] 中有：金星、银星、铜星）"
        );
        assert_eq!(
            err(&rule("medals = { medal = \"银星\", count = 6 }")),
            "评星方案 t.toml 中 tiers[0]（五星）.medals.count 有误：必须在 1 到 5 之间（计分的指标共 5 项）"
        );
        assert_eq!(
            err(&rule("every = \"金牌\"")),
            "评星方案 t.toml 中 tiers[0]（五星）.every 有误：单项星「金牌」不存在（[[medals]] 中有：金星、银星、铜星）"
        );
        let last = standard.replacen("name = \"无星\"\n", "name = \"无星\"\nevery = \"铜星\"\n", 1);
        assert_eq!(
            err(&last),
            "评星方案 t.toml 中 tiers[5]（无星） 有误：最后一档收下其余全部，不能再设条件"
        );
        let by_medals = rule("every = \"银星\"").replacen("min = 95\n", "", 1);
        let scheme = Scheme::parse(&by_medals, "t.toml").unwrap();
        assert_eq!(scheme.tiers[0].rules_text().as_deref(), Some("各项均达银星"));
    }

    #[test]
    fn caps_are_checked_at_load() {
        let standard = preset_text("standard").unwrap();
        let err = |cap: &str| {
            Scheme::parse(&format!("{standard}\n[[caps]]\n{cap}\n"), "t.toml")
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("at_most = \"二星\""),
            "评星方案 t.toml 中 caps[0]（至多二星） 有误：要写明一种触发条件：items（评分表上的“是/否”事项）或 satisfaction_below（满意率低于）"
        );
        assert_eq!(
            err("at_most = \"两星\"\nsatisfaction_below = 0.6"),
            "评星方案 t.toml 中 caps[0].at_most 有误：档次「两星」不存在"
        );
        assert_eq!(
            err("at_most = \"二星\"\nsatisfaction_below = 60"),
            "评星方案 t.toml 中 caps[0]（至多二星）.satisfaction_below 有误：比例必须在 0 到 1 之间"
        );
        assert_eq!(
            err("at_most = \"二星\"\nitems = [\"评星定级中弄虚作假\"]"),
            "评星方案 t.toml 中 caps[0]（至多二星）.items[0] 有误：事项「评星定级中弄虚作假」重复"
        );
    }

    #[test]
    fn quotas_are_checked_at_load() {
        let standard = preset_text("standard").unwrap();
        let err = |quota: &str| {
            Scheme::parse(&format!("{standard}\n[[quotas]]\n{quota}\n"), "t.toml")
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("tier = \"无星\"\nshare = 0.3\nmode = \"warn\""),
            "评星方案 t.toml 中 quotas[0]（无星）.tier 有误：最后一档没有更低的档次可调，不能限额"
        );
        assert_eq!(
            err("tier = \"五星\"\nshare = 30\nmode = \"warn\""),
            "评星方案 t.toml 中 quotas[0]（五星）.share 有误：比例必须在 0 到 1 之间"
        );
        assert!(err("tier = \"五星\"\nshare = 0.3").contains("mode"));
    }

    #[test]
    fn thresholds_must_descend() {
        let text = preset_text("standard").unwrap().replacen("min = 90", "min = 96", 1);
        let err = Scheme::parse(&text, "t.toml").unwrap_err().to_string();
        assert_eq!(
            err,
            "评星方案 t.toml 中 tiers[1]（四星）.min 有误：下限 96 必须低于上一档的下限 95（按从高到低排列）"
        );
    }

    #[test]
    fn bad_colour_and_unknown_key_are_named() {
        let text = preset_text("standard").unwrap().replacen("#FFD966", "gold", 1);
        let err = Scheme::parse(&text, "t.toml").unwrap_err().to_string();
        assert_eq!(
            err,
            "评星方案 t.toml 中 tiers[0]（五星）.color 有误：「gold」不是 #RRGGBB 形式的颜色"
        );

        let text = preset_text("standard")
            .unwrap()
            .replacen("total_cap = 100", "total_cap = 100\nmaximum = 3", 1);
        let err = Scheme::parse(&text, "t.toml").unwrap_err().to_string();
        assert!(
            err.starts_with("评星方案 t.toml 格式有误：unknown field `maximum`"),
            "{err}"
        );
        assert!(err.ends_with("（第 8 行）"), "{err}");
    }

    #[test]
    fn unknown_scheme_lists_presets() {
        let err = Scheme::load("nosuch").unwrap_err().to_string();
        assert_eq!(
            err,
            "找不到评星方案「nosuch」：内置方案有 standard、jiguan、member、group，也可以给出 .toml 文件路径"
        );
    }
}
