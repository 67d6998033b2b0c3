//! Problems found in the inputs: one record type and every user-facing message.
//!
//! A problem in the data is a value, not an error: it is collected, sorted and
//! reported to the terminal, to 问题清单 and to results.json alike.

use std::fmt;
use std::io;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks the branch it concerns (待核实) or loses a whole input.
    Error,
    /// Worth a look; results stand.
    Warning,
    /// Information, e.g. a skipped file.
    Note,
}

impl Severity {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Note => "提示",
        }
    }
}

/// A zero-based absolute cell position, shown in A1 style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    /// Zero-based row.
    pub row: u32,
    /// Zero-based column.
    pub col: u32,
}

impl CellRef {
    /// A cell at a zero-based row and column.
    pub fn new(row: u32, col: u32) -> CellRef {
        CellRef { row, col }
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let col = u16::try_from(self.col).unwrap_or(u16::MAX);
        f.write_str(&rust_xlsxwriter::utility::row_col_to_cell(self.row, col))
    }
}

impl std::str::FromStr for CellRef {
    type Err = String;

    /// Parses A1 style (`B7`, `AA10`); `$` signs are accepted.
    fn from_str(text: &str) -> Result<CellRef, String> {
        let bad = || format!("不是单元格位置：{text}");
        let plain = text.replace('$', "");
        let digits = plain.find(|c: char| c.is_ascii_digit()).ok_or_else(bad)?;
        let (letters, number) = plain.split_at(digits);
        if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(bad());
        }
        let col = letters.chars().try_fold(0u32, |acc, c| {
            let digit = u32::from(c.to_ascii_uppercase()) - u32::from('A') + 1;
            acc.checked_mul(26)?.checked_add(digit)
        });
        let row = number.parse::<u32>().ok().filter(|r| *r > 0);
        match (col, row) {
            (Some(col), Some(row)) => Ok(CellRef::new(row - 1, col - 1)),
            _ => Err(bad()),
        }
    }
}

impl Serialize for CellRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CellRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<CellRef, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// How much of an issue's location may leave the tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Privacy {
    /// Everything may be written.
    #[default]
    Public,
    /// Concerns one row of a ballot register: row and content stay on the terminal.
    BallotRow,
    /// Concerns a one-voter ballot: file, sheet and content stay on the terminal.
    Ballot,
}

/// One problem, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    /// Severity.
    pub severity: Severity,
    /// Stable machine-readable kind.
    pub code: &'static str,
    /// Input path relative to the inbox.
    pub file: String,
    /// Sheet name, when the problem is inside a sheet.
    pub sheet: Option<String>,
    /// Cell, when the problem is a cell.
    pub cell: Option<CellRef>,
    /// Chinese message.
    pub message: String,
    /// What may be written to output files.
    #[serde(skip)]
    pub privacy: Privacy,
    /// Message safe to write when the issue concerns one ballot.
    #[serde(skip)]
    pub redacted: Option<String>,
}

impl Issue {
    /// An issue about a whole file.
    pub fn file(file: &str, problem: Problem) -> Issue {
        Issue::at(file, None, None, problem)
    }

    /// An issue at an optional sheet and cell.
    pub fn at(file: &str, sheet: Option<&str>, cell: Option<CellRef>, problem: Problem) -> Issue {
        Issue {
            severity: problem.severity(),
            code: problem.code(),
            file: file.to_string(),
            sheet: sheet.map(str::to_string),
            cell,
            message: problem.to_string(),
            privacy: Privacy::Public,
            redacted: problem.redacted(),
        }
    }

    /// Marks the issue as concerning one ballot.
    pub fn private(mut self, privacy: Privacy) -> Issue {
        self.privacy = privacy;
        self
    }

    /// Lowers an error to a warning, saying why it does not count.
    pub fn downgraded(mut self, why: &str) -> Issue {
        if self.severity == Severity::Error {
            self.severity = Severity::Warning;
            self.message = format!("{}（{why}）", self.message);
        }
        self
    }

    /// The issue as it may appear in a written output: ballot details removed.
    pub fn for_output(&self) -> Issue {
        let mut out = self.clone();
        if self.privacy != Privacy::Public {
            out.cell = None;
            if let Some(text) = &self.redacted {
                out.message = text.clone();
            }
        }
        if self.privacy == Privacy::Ballot {
            out.sheet = None;
            out.file = BALLOT_FILE_PLACEHOLDER.to_string();
        }
        out
    }

    /// Location for messages: `file › sheet › A1`.
    pub fn location(&self) -> String {
        let mut s = self.file.clone();
        if let Some(sheet) = &self.sheet {
            s.push_str(" › ");
            s.push_str(sheet);
        }
        if let Some(cell) = self.cell {
            s.push_str(" › ");
            s.push_str(&cell.to_string());
        }
        s
    }

    /// Order for reports: the inbox as a whole, then by file, sheet, cell,
    /// severity and message.
    pub fn report_order(&self, other: &Issue) -> std::cmp::Ordering {
        // What concerns the whole inbox comes before any one file.
        let whole = |i: &Issue| i.file != INBOX;
        (
            whole(self),
            &self.file,
            &self.sheet,
            self.cell,
            self.severity,
            &self.message,
        )
            .cmp(&(
                whole(other),
                &other.file,
                &other.sheet,
                other.cell,
                other.severity,
                &other.message,
            ))
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}：{}", self.severity.label(), self.location(), self.message)
    }
}

/// Codes of the problems that say a form belongs to another scheme.
pub const SCHEME_MISMATCH: [&str; 4] = [
    "unknown_indicator",
    "missing_indicator",
    "item_count_mismatch",
    "max_mismatch",
];

/// Names the inbox as a whole where an issue has no single file.
pub const INBOX: &str = "（收件箱）";

/// Stands in for the path of a one-voter ballot in written outputs.
pub const BALLOT_FILE_PLACEHOLDER: &str = "（单张测评票，路径不公开）";

/// Every kind of problem, with the data its message needs.
///
/// A variant's fields are the values its message names, as their names say;
/// [`fmt::Display`] below is where they are explained.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// An Excel/WPS lock file.
    LockFile,
    /// A hidden file.
    HiddenFile,
    /// Not a spreadsheet by its extension.
    NotSpreadsheetFile,
    /// The output folder lies inside the inbox.
    OutputDirSkipped,
    /// A pipe, socket or device named like a workbook.
    NotRegularFile,
    /// A link to a folder, not entered.
    LinkedFolder,
    /// The file could not be read from disk.
    Unreadable { detail: String },
    /// Reading went past the size limit (the file grew, or never ends).
    ReadPastLimit { limit: u64 },
    /// The file is larger than the limit.
    FileTooLarge { size: u64, limit: u64 },
    /// The content is no spreadsheet format.
    NotAWorkbook,
    /// The workbook is password protected.
    Encrypted,
    /// The workbook is damaged.
    Corrupt { detail: String },
    /// A part of the package decompresses beyond the limit.
    PartTooLarge { part: String, size: u64, limit: u64 },
    /// The extension does not match the content.
    FormatMismatch { actual: &'static str },
    /// A sheet could not be read.
    SheetUnreadable { detail: String },
    /// A sheet holds more cells than any form.
    SheetTooManyCells { limit: usize },
    /// A sheet of a workbook read whole holds more cells than any form.
    TooManyCells { sheet: String, count: u64, limit: usize },
    /// A sheet spans a grid larger than the limit.
    GridTooLarge {
        sheet: String,
        rows: u64,
        cols: u64,
        limit: u64,
    },
    /// Hidden rows or columns hold content, which was read.
    HiddenCells { spans: String },
    /// A hidden sheet was read.
    HiddenSheet,
    /// A sheet is no known form.
    UnrecognisedSheet,
    /// The workbook holds no known form.
    NoFormInWorkbook,
    /// Every sheet of the workbook is empty.
    EmptyWorkbook,
    /// A bug: reading panicked.
    Internal { detail: String },
    /// No name on the form (branch or party group).
    MissingName {
        label: &'static str,
        who: &'static str,
        file_stem: String,
    },
    /// No parent organisation on the form.
    MissingParent { labels: String },
    /// An identity held characters that print as nothing; they were removed.
    InvisibleCharacters,
    /// A required column is missing.
    MissingColumn { label: &'static str, synonyms: String },
    /// An indicator the scheme does not know.
    UnknownIndicator { name: String, scheme: String },
    /// An indicator of the scheme is absent.
    MissingIndicator { name: String },
    /// An indicator has a different number of items than the scheme.
    ItemCountMismatch {
        indicator: String,
        found: usize,
        expected: usize,
    },
    /// An item's max differs from the scheme.
    MaxMismatch {
        indicator: String,
        item: String,
        found: String,
        expected: String,
    },
    /// Points written in a label differ from the 分值 cell of its row.
    MaxDisagrees { label: String, column: String },
    /// Text that is no number.
    BadNumber { column: String, text: String },
    /// A date where a number belongs.
    DateInScore { column: String, text: String },
    /// TRUE/FALSE where a number belongs.
    BoolInScore { column: String },
    /// An error value such as #DIV/0!.
    ErrorValue { column: String, value: String },
    /// A formula without a saved result.
    FormulaNoValue { column: String, formula: String },
    /// A negative score.
    Negative { column: String, value: String },
    /// A score above the item max.
    OverMax { column: String, value: String, max: String },
    /// A score cell merged with the one above.
    MergedScore { column: String },
    /// One assessed score missing while others are filled.
    MissingAssessed,
    /// A self score missing on a 荐星 form, where it counts.
    MissingSelf,
    /// Some self scores missing on a final form.
    SelfPartlyMissing,
    /// No self score at all on a final form.
    NoSelfScores,
    /// The form has no self-score column.
    MissingSelfColumn { synonyms: String },
    /// A file `scheme draft` found no scoring table in, and why.
    NoScoringTable { reasons: String },
    /// A draft with no points for an indicator and no note giving them.
    DraftNoPoints { indicator: String },
    /// A draft that would not load.
    DraftInvalid { detail: String },
    /// No scoring form of the round has a self-score column: said once.
    NoSelfColumnInRound { forms: usize, synonyms: String },
    /// No ballot register of the round has a 推荐星级 column: said once.
    NoRecommendedInRound { registers: usize },
    /// The 合计 row disagrees with the items.
    TotalMismatch {
        column: String,
        stated: String,
        computed: String,
    },
    /// The bonus exceeds the scheme's maximum.
    BonusOverMax { value: String, max: String },
    /// One kind of bonus above its own cap.
    BonusItemOverMax { item: String, value: String, max: String },
    /// A veto answer that is neither yes nor no.
    VetoUnrecognised { item: String, text: String },
    /// No veto section on the form.
    VetoSectionMissing { titles: String, items: String },
    /// A veto item not listed on the form.
    VetoItemMissing { item: String },
    /// A total stated on the form that the scored total does not agree with.
    StatedTotalMismatch {
        label: String,
        stated: String,
        computed: String,
    },
    /// A star level's sheet left blank: the level is not reached.
    LevelBlank { names: String },
    /// A tier stated on the form other than the one scored.
    DeclaredDiffers {
        label: String,
        stated: String,
        scored: String,
    },
    /// A score and a deduction on one row that do not agree.
    DeductionMismatch {
        score: String,
        deducted: String,
        max: String,
        expected: String,
    },
    /// A tier condition's answer that is no 是/否.
    ConditionUnrecognised { item: String, text: String },
    /// A scoring form without the 评定条件 section a tier requires.
    ConditionSectionMissing,
    /// A tier condition not listed on the form.
    ConditionItemMissing { item: String },
    /// Scores given on the form for a ballot-scored indicator.
    BallotIndicatorOnForm { indicator: String },
    /// No assessed score at all: a 荐星 self-assessment.
    Preliminary,
    /// Neither self nor assessed scores: the form was not filled in.
    EmptyForm,
    /// A ballot question column is missing from a register.
    MissingQuestion { question: String },
    /// A ballot mark that is no rating word.
    UnknownMark { branch: String, text: String },
    /// A 测评人类别 that is none of the scheme's voter categories.
    UnknownVoterCategory {
        branch: String,
        text: String,
        known: String,
    },
    /// A register row without its 测评人类别, in a scheme that weighs them.
    MissingVoterCategory { branch: String },
    /// Ballots that say nowhere who voted, in a scheme that weighs categories.
    NoVoterCategory { known: String },
    /// A sheet no reader took that looks like a form: what is missing, and
    /// the `[labels]` entries its titles suggest.
    NearlyForm {
        kind: &'static str,
        row: u32,
        found: String,
        missing: String,
        labels: String,
    },
    /// A ballot or tally whose rating words the scheme does not use.
    UnknownRatings { row: u32, found: String, ours: String },
    /// A register without a 推荐星级 column: no 议星 result.
    NoRecommendedColumn,
    /// A scoring form that states no points: the scheme's maxima apply.
    NoPointsOnForm { scheme: String },
    /// A tally row that names no question of the scheme.
    UnknownTallyRow { text: String },
    /// A tally count that is no whole number.
    BadTallyCount { option: String, text: String },
    /// A tally's stated satisfaction rate is not what its counts give.
    RateMismatch { stated: String, computed: String },
    /// 发出票数/收回票数 is not a whole number.
    BadTurnoutNumber { label: &'static str, text: String },
    /// More ballots counted than returned.
    CountedOverReturned { counted: u32, returned: u32 },
    /// More ballots returned than issued.
    ReturnedOverIssued { returned: u32, issued: u32 },
    /// A register with no ballot rows.
    EmptyRegister,
    /// Two scoring forms for one branch.
    DuplicateForm { branch: String, others: String },
    /// Two ballot registers for one branch.
    DuplicateRegister { branch: String, others: String },
    /// A register and one-voter ballots for one branch.
    MixedBallots { branch: String },
    /// Ballots for a branch without a scoring form.
    BallotsWithoutForm { branch: String, unreadable: Option<String> },
    /// Ballots or a roster matched by name, their parent disagreeing with the form's.
    ParentDisagrees(Box<ParentDisagreement>),
    /// No ballots for a branch whose score needs them.
    NoBallots {
        branch: String,
        indicator: String,
        unread: Option<String>,
    },
    /// Too few valid ballots for anonymity.
    FewBallots { valid: u32, min: u32 },
    /// A register row without its parent organisation.
    RollMissingParent { name: String },
    /// A branch listed twice in the register.
    RollDuplicate { name: String, first: CellRef },
    /// A 党员数 that is no whole number.
    RollBadMembers { text: String },
    /// A register sheet listing no branch.
    EmptyRoll,
    /// Forms of a branch the register does not list.
    NotInRoll {
        name: String,
        renamed: Option<String>,
        closest: String,
    },
    /// A scoring form of a branch whose kind the scheme does not rate.
    UnratedKind { name: String, kind: String },
    /// Two sheets registering branches: one round has one register.
    SeveralRolls { others: String },
    /// Too few valid ballots of one voter category for anonymity.
    FewCategoryBallots { category: String, valid: u32, min: u32 },
    /// No ballots of a weighed voter category.
    NoCategoryBallots { category: String },
    /// Ballots whose branch name matches several branches.
    AmbiguousBallots { branch: String, parents: String },
    /// A roster without the column of an aspect.
    MissingAspectColumn { aspect: String },
    /// A roster row with scores but no name.
    MissingMemberName,
    /// A member's aspect left empty.
    MissingAspect { aspect: String },
    /// A member listed twice in one roster.
    DuplicateMember { name: String, first: String },
    /// A roster with no member rows.
    EmptyRoster,
    /// Two rosters for one branch.
    DuplicateRoster { branch: String, others: String },
    /// A roster for a branch that sent no scoring form this round.
    RosterUnknownBranch { branch: String, unreadable: Option<String> },
    /// A roster whose branch name matches several branches.
    AmbiguousRoster { branch: String, parents: String },
    /// Most scoring forms do not fit the chosen scheme but fit a built-in one.
    OtherSchemeFits {
        scheme: String,
        fitting: usize,
        forms: usize,
        preset: String,
        title: String,
    },
    /// No file of the inbox holds a form to rate; `found` says what it holds.
    NothingToRate { found: String },
    /// A branch's feedback workbook could not be built (a defect).
    FeedbackNotBuilt { path: String, detail: String },
}

impl Problem {
    /// Default severity of the problem.
    pub fn severity(&self) -> Severity {
        self.kind().1
    }

    /// Stable machine-readable kind, for results.json.
    pub fn code(&self) -> &'static str {
        self.kind().0
    }

    /// Code and default severity, side by side so that a new problem needs
    /// both: there is no default to fall into.
    fn kind(&self) -> (&'static str, Severity) {
        use Problem::*;
        use Severity::{Error, Note, Warning};
        match self {
            LockFile => ("lock_file", Note),
            HiddenFile => ("hidden_file", Note),
            NotSpreadsheetFile => ("not_spreadsheet_file", Note),
            OutputDirSkipped => ("output_dir_skipped", Note),
            NotRegularFile => ("not_regular_file", Error),
            LinkedFolder => ("linked_folder", Warning),
            Unreadable { .. } => ("unreadable", Error),
            ReadPastLimit { .. } => ("read_past_limit", Error),
            FileTooLarge { .. } => ("file_too_large", Error),
            NotAWorkbook => ("not_a_workbook", Error),
            Encrypted => ("encrypted", Error),
            Corrupt { .. } => ("corrupt", Error),
            PartTooLarge { .. } => ("part_too_large", Error),
            FormatMismatch { .. } => ("format_mismatch", Note),
            SheetUnreadable { .. } => ("sheet_unreadable", Error),
            SheetTooManyCells { .. } => ("sheet_too_many_cells", Error),
            HiddenSheet => ("hidden_sheet", Note),
            HiddenCells { .. } => ("hidden_cells", Note),
            GridTooLarge { .. } => ("grid_too_large", Error),
            TooManyCells { .. } => ("too_many_cells", Error),
            UnrecognisedSheet => ("unrecognised_sheet", Note),
            NoFormInWorkbook => ("no_form_in_workbook", Error),
            EmptyWorkbook => ("empty_workbook", Error),
            Internal { .. } => ("internal", Error),
            MissingName { .. } => ("missing_name", Error),
            MissingParent { .. } => ("missing_parent", Warning),
            InvisibleCharacters => ("invisible_characters", Note),
            MissingColumn { .. } => ("missing_column", Error),
            UnknownIndicator { .. } => ("unknown_indicator", Error),
            MissingIndicator { .. } => ("missing_indicator", Error),
            ItemCountMismatch { .. } => ("item_count_mismatch", Error),
            MaxMismatch { .. } => ("max_mismatch", Error),
            MaxDisagrees { .. } => ("max_disagrees", Error),
            BadNumber { .. } => ("bad_number", Error),
            DateInScore { .. } => ("date_in_score", Error),
            BoolInScore { .. } => ("bool_in_score", Error),
            ErrorValue { .. } => ("error_value", Error),
            FormulaNoValue { .. } => ("formula_no_value", Error),
            Negative { .. } => ("negative", Error),
            OverMax { .. } => ("over_max", Error),
            MergedScore { .. } => ("merged_score", Error),
            MissingAssessed => ("missing_assessed", Error),
            MissingSelf => ("missing_self", Error),
            SelfPartlyMissing => ("self_partly_missing", Warning),
            NoSelfScores => ("no_self_scores", Warning),
            MissingSelfColumn { .. } => ("missing_self_column", Warning),
            NoSelfColumnInRound { .. } => ("no_self_column_in_round", Note),
            NoScoringTable { .. } => ("no_scoring_table", Error),
            DraftNoPoints { .. } => ("draft_no_points", Error),
            DraftInvalid { .. } => ("draft_invalid", Error),
            NoRecommendedInRound { .. } => ("no_recommended_in_round", Note),
            TotalMismatch { .. } => ("total_mismatch", Warning),
            BonusOverMax { .. } => ("bonus_over_max", Warning),
            BonusItemOverMax { .. } => ("bonus_item_over_max", Warning),
            VetoUnrecognised { .. } => ("veto_unrecognised", Error),
            VetoSectionMissing { .. } => ("veto_section_missing", Error),
            VetoItemMissing { .. } => ("veto_item_missing", Error),
            StatedTotalMismatch { .. } => ("stated_total_mismatch", Warning),
            DeclaredDiffers { .. } => ("declared_differs", Note),
            LevelBlank { .. } => ("level_blank", Note),
            ConditionUnrecognised { .. } => ("condition_unrecognised", Error),
            DeductionMismatch { .. } => ("deduction_mismatch", Error),
            ConditionSectionMissing => ("condition_section_missing", Warning),
            ConditionItemMissing { .. } => ("condition_item_missing", Warning),
            BallotIndicatorOnForm { .. } => ("ballot_indicator_on_form", Note),
            Preliminary => ("preliminary", Note),
            EmptyForm => ("empty_form", Error),
            MissingQuestion { .. } => ("missing_question", Warning),
            UnknownMark { .. } => ("unknown_mark", Warning),
            UnknownVoterCategory { .. } => ("unknown_voter_category", Error),
            MissingVoterCategory { .. } => ("missing_voter_category", Error),
            NoVoterCategory { .. } => ("no_voter_category", Error),
            NoRecommendedColumn => ("no_recommended_column", Note),
            NoPointsOnForm { .. } => ("no_points_on_form", Note),
            NearlyForm { .. } => ("nearly_form", Warning),
            UnknownRatings { .. } => ("unknown_ratings", Warning),
            UnknownTallyRow { .. } => ("unknown_tally_row", Warning),
            BadTallyCount { .. } => ("bad_tally_count", Error),
            RateMismatch { .. } => ("rate_mismatch", Warning),
            BadTurnoutNumber { .. } => ("bad_turnout_number", Error),
            CountedOverReturned { .. } => ("counted_over_returned", Error),
            ReturnedOverIssued { .. } => ("returned_over_issued", Error),
            EmptyRegister => ("empty_register", Warning),
            DuplicateForm { .. } => ("duplicate_form", Error),
            DuplicateRegister { .. } => ("duplicate_register", Error),
            MixedBallots { .. } => ("mixed_ballots", Error),
            BallotsWithoutForm { .. } => ("ballots_without_form", Error),
            ParentDisagrees(_) => ("parent_disagrees", Warning),
            NoBallots { .. } => ("no_ballots", Error),
            FewBallots { .. } => ("few_ballots", Warning),
            RollMissingParent { .. } => ("roll_missing_parent", Warning),
            RollDuplicate { .. } => ("roll_duplicate", Warning),
            RollBadMembers { .. } => ("roll_bad_members", Warning),
            EmptyRoll => ("empty_roll", Warning),
            NotInRoll { .. } => ("not_in_roll", Warning),
            UnratedKind { .. } => ("unrated_kind", Warning),
            SeveralRolls { .. } => ("several_rolls", Error),
            FewCategoryBallots { .. } => ("few_category_ballots", Warning),
            NoCategoryBallots { .. } => ("no_category_ballots", Warning),
            AmbiguousBallots { .. } => ("ambiguous_ballots", Error),
            MissingAspectColumn { .. } => ("missing_aspect_column", Error),
            MissingMemberName => ("missing_member_name", Error),
            MissingAspect { .. } => ("missing_aspect", Error),
            DuplicateMember { .. } => ("duplicate_member", Error),
            EmptyRoster => ("empty_roster", Warning),
            DuplicateRoster { .. } => ("duplicate_roster", Error),
            RosterUnknownBranch { .. } => ("roster_unknown_branch", Error),
            AmbiguousRoster { .. } => ("ambiguous_roster", Error),
            NothingToRate { .. } => ("nothing_to_rate", Error),
            OtherSchemeFits { .. } => ("other_scheme_fits", Warning),
            FeedbackNotBuilt { .. } => ("feedback_not_built", Error),
        }
    }

    /// What a skipped entry is, in a word or two, for counts.
    pub fn skip_kind(&self) -> &'static str {
        use Problem::*;
        match self {
            LockFile => "临时锁定文件",
            HiddenFile => "隐藏文件",
            NotSpreadsheetFile => "非表格文件",
            OutputDirSkipped => "输出目录",
            NotRegularFile => "非普通文件",
            LinkedFolder => "文件夹链接",
            _ => "无法读取的文件夹",
        }
    }

    /// The message without a ballot's content, for problems about one ballot.
    fn redacted(&self) -> Option<String> {
        match self {
            Problem::UnknownMark { branch, .. } => Some(format!(
                "支部「{branch}」有一张测评票的填写无法识别，该题按无效计（为保护匿名，具体位置只在终端显示）"
            )),
            Problem::UnknownVoterCategory { branch, known, .. } => Some(format!(
                "支部「{branch}」有测评票的测评人类别不是评星方案中的类别（{known}），无法按类别计权，该支部列为待核实（为保护匿名，具体位置只在终端显示）"
            )),
            Problem::MissingVoterCategory { branch } => Some(format!(
                "支部「{branch}」有测评票没有填写测评人类别，无法按类别计权，该支部列为待核实（为保护匿名，具体位置只在终端显示）"
            )),
            _ => None,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Problem::*;
        match self {
            LockFile => write!(f, "Excel/WPS 打开文件时生成的临时锁定文件，已跳过"),
            HiddenFile => write!(f, "隐藏文件，已跳过"),
            NotSpreadsheetFile => write!(f, "不是电子表格文件（支持 .xlsx .xlsm .xls .xlsb .ods），已跳过"),
            OutputDirSkipped => write!(f, "这是本次的输出目录，不作为输入读取"),
            NotRegularFile => write!(
                f,
                "不是普通文件（是管道、设备或套接字，或指向它们的链接），未读取；请把表格文件本身放进收件箱"
            ),
            LinkedFolder => write!(
                f,
                "这是指向其他位置的文件夹链接，其中的文件未读取（以免重复或循环读取）；如需评定，请把文件复制到收件箱中"
            ),
            Unreadable { detail } => write!(f, "无法读取文件：{detail}"),
            ReadPastLimit { limit } => write!(
                f,
                "读取的内容超过上限 {}（文件在读取时仍在变大），未读取",
                fmt_bytes(*limit)
            ),
            FileTooLarge { size, limit } => {
                write!(
                    f,
                    "文件大小 {} 超过上限 {}，未读取",
                    fmt_bytes(*size),
                    fmt_bytes(*limit)
                )
            }
            NotAWorkbook => write!(f, "文件内容不是 Excel/WPS 表格（文件可能已损坏，或只是改了扩展名）"),
            Encrypted => write!(f, "文件已加密：请取消打开密码后重新提交"),
            Corrupt { detail } => write!(f, "文件已损坏，无法打开（{detail}）"),
            PartTooLarge { part, size, limit } => write!(
                f,
                "文件中的 {part} 解压后为 {}，超过上限 {}，疑似异常文件，未读取",
                fmt_bytes(*size),
                fmt_bytes(*limit)
            ),
            FormatMismatch { actual } => write!(f, "扩展名与内容不符，实际为 {actual} 格式，已按实际格式读取"),
            SheetUnreadable { detail } => write!(f, "工作表无法读取（{detail}）"),
            SheetTooManyCells { limit } => {
                write!(f, "工作表的非空单元格超过 {limit} 个，不像评分表或测评票，未读取")
            }
            HiddenSheet => write!(f, "隐藏的工作表，已照常读取"),
            HiddenCells { spans } => write!(f, "{spans}被隐藏，其中的内容已照常读取，请核对是否应当计入"),
            TooManyCells { sheet, count, limit } => write!(
                f,
                "工作表「{sheet}」有 {count} 个非空单元格，超过上限 {limit} 个，不像评分表或测评票，疑似异常文件，未读取"
            ),
            GridTooLarge {
                sheet,
                rows,
                cols,
                limit,
            } => write!(
                f,
                "工作表「{sheet}」的内容范围达 {rows} 行 × {cols} 列，超过上限 {limit} 个单元格，疑似异常文件，未读取"
            ),
            UnrecognisedSheet => write!(f, "不是评分表、测评票登记表或测评票，已忽略"),
            NoFormInWorkbook => write!(f, "文件中没有可识别的评分表、测评票登记表或测评票"),
            EmptyWorkbook => write!(
                f,
                "文件中的工作表都是空白的，没有可读取的内容（可能保存前未填写或保存错了文件）"
            ),
            Internal { detail } => write!(
                f,
                "读取时出错（{detail}），文件可能已损坏；若文件在 Excel/WPS 中能正常打开，请将其反馈给维护人员"
            ),
            MissingName { label, who, file_stem } => write!(
                f,
                "表内未找到{label}（请填写“{label}：……”）；不能仅凭文件名「{file_stem}」认定{who}，本表未计入"
            ),
            MissingParent { labels } => {
                let first = labels.split('/').next().unwrap_or_default();
                write!(f, "未填写{first}（{labels}），归入“未填写”")
            }
            InvisibleCharacters => write!(
                f,
                "名称中有看不见的字符（如零宽空格、BOM，常随网页或聊天软件复制而来），已去除后再与其他表格比对"
            ),
            MissingColumn { label, synonyms } => {
                write!(f, "评分表缺少“{label}”列（可用的列名：{synonyms}），本表未计入")
            }
            UnknownIndicator { name, scheme } => {
                write!(f, "考评项目「{name}」不在评星方案「{scheme}」中")
            }
            MissingIndicator { name } => write!(f, "评分表中没有考评项目「{name}」"),
            ItemCountMismatch {
                indicator,
                found,
                expected,
            } => write!(
                f,
                "考评项目「{indicator}」有 {found} 项考评内容，评星方案规定 {expected} 项；该表可能属于其他版本的方案"
            ),
            MaxMismatch {
                indicator,
                item,
                found,
                expected,
            } => write!(
                f,
                "「{indicator}」中「{item}」的分值为 {found}，评星方案为 {expected}；该表可能属于其他版本的方案"
            ),
            MaxDisagrees { label, column } => write!(
                f,
                "「{label}」写明的分值与本行分值栏的 {column} 不一致，请核对哪一个是对的"
            ),
            BadNumber { column, text } => write!(f, "{column}「{text}」不是有效的数字"),
            DateInScore { column, text } => write!(f, "{column}填写的是日期（{text}），不是分数"),
            BoolInScore { column } => write!(f, "{column}填写的是逻辑值（TRUE/FALSE），不是分数"),
            ErrorValue { column, value } => write!(f, "{column}是错误值 {value}，请检查公式"),
            FormulaNoValue { column, formula } => write!(
                f,
                "{column}是公式 ={formula}，但文件中没有保存计算结果；请在 Excel/WPS 中打开、保存后重新提交"
            ),
            Negative { column, value } => write!(f, "{column} {value} 不能为负数"),
            OverMax { column, value, max } => write!(f, "{column} {value} 超过该项满分 {max}"),
            MergedScore { column } => write!(f, "{column}单元格与上一行合并，无法确定该项得分"),
            MissingAssessed => write!(f, "考核得分未填写（本表其他项目已填写考核得分）"),
            MissingSelf => write!(f, "自评分未填写（本表为荐星自评，按自评分计算）"),
            SelfPartlyMissing => write!(f, "自评分未填写，该指标不检查自评偏高"),
            NoSelfScores => write!(f, "自评分均未填写，不检查自评偏高"),
            MissingSelfColumn { synonyms } => {
                write!(f, "评分表没有“自评分”列（可用的列名：{synonyms}），不检查自评偏高")
            }
            TotalMismatch {
                column,
                stated,
                computed,
            } => {
                write!(f, "{column} {stated} 与各项之和 {computed} 不一致，按各项之和计算")
            }
            BonusItemOverMax { item, value, max } => {
                write!(f, "加分中「{item}」共 {value} 分，超过该项上限 {max}，按 {max} 分计")
            }
            BonusOverMax { value, max } => {
                write!(f, "加分 {value} 超过方案上限 {max}，按 {max} 分计")
            }
            VetoUnrecognised { item, text } => {
                write!(f, "一票否决事项「{item}」填写为「{text}」，无法识别；请填写“是”或“否”")
            }
            VetoSectionMissing { titles, items } => write!(
                f,
                "表中没有找到一票否决部分（标题为{titles}，方案的事项：{items}），无法确认是否否决，该支部列为待核实；\
                 请补填，或在评星方案 [labels] 的 veto 中写明本地表格的标题"
            ),
            VetoItemMissing { item } => write!(
                f,
                "一票否决事项「{item}」在表中没有找到，无法确认是否否决，该支部列为待核实"
            ),
            StatedTotalMismatch {
                label,
                stated,
                computed,
            } => write!(
                f,
                "「{label}」写明 {stated}，按评星方案计算的总分为 {computed}，以计算结果为准，请核对"
            ),
            LevelBlank { names } => write!(f, "{names}未填写，按未达标计（0 分）"),
            DeclaredDiffers { label, stated, scored } => {
                write!(f, "表中「{label}」为{stated}，按评星方案评定为{scored}")
            }
            DeductionMismatch {
                score,
                deducted,
                max,
                expected,
            } => write!(
                f,
                "考核得分 {score} 与扣分 {deducted} 不一致（满分 {max}，扣 {deducted} 分应得 {expected}），请核对哪一个是对的"
            ),
            ConditionUnrecognised { item, text } => {
                write!(f, "评定条件「{item}」填写为「{text}」，无法识别；请填写“是”或“否”")
            }
            ConditionSectionMissing => write!(f, "评分表中没有“评定条件”，按不具备处理，需要这些条件的档次不能评定"),
            ConditionItemMissing { item } => write!(f, "评定条件「{item}」未列出，按“否”处理"),
            BallotIndicatorOnForm { indicator } => {
                write!(f, "「{indicator}」由测评票计算，评分表中填写的分数不计入")
            }
            Preliminary => write!(f, "考核得分均未填写，按荐星自评阶段计算，结果为预评"),
            EmptyForm => write!(f, "本表尚未填写（自评分和考核得分均为空），未计入"),
            MissingQuestion { question } => {
                write!(f, "测评票登记表缺少测评题目「{question}」列，该题按弃权计")
            }
            UnknownMark { text, .. } => write!(f, "无法识别的填写「{text}」，该题按无效计"),
            UnknownVoterCategory { text, known, .. } => write!(
                f,
                "测评人类别「{text}」不是评星方案中的类别（{known}），无法按类别计权，该支部列为待核实；请改写为方案中的类别，或在方案的 [ballot] categories 中为该类别加上 aliases"
            ),
            MissingVoterCategory { .. } => write!(f, "这张测评票没有填写测评人类别，无法按类别计权，该支部列为待核实"),
            NoVoterCategory { known } => write!(
                f,
                "评星方案按测评人类别（{known}）计权，本表既没有「测评人类别」列，也没有注明「测评人类别：…」，测评票无法计权，该支部列为待核实"
            ),
            NearlyForm {
                kind,
                row,
                found,
                missing,
                labels,
            } => {
                write!(f, "这张表像{kind}（表头在第 {row} 行）")?;
                if !found.is_empty() {
                    write!(f, "，认出了{found}")?;
                }
                write!(f, "，但缺少{missing}，本表未读取")?;
                if !labels.is_empty() {
                    write!(
                        f,
                        "。若本地表格用的就是这些栏目名称，在评星方案的 [labels] 中写：{labels}"
                    )?;
                }
                Ok(())
            }
            UnknownRatings { row, found, ours } => write!(
                f,
                "这张表像测评票或测评汇总表（第 {row} 行），但其中的评价等次{found}与评星方案的{ours}不同，本表未读取；\
                 若本地用这些等次，在评星方案的 [ballot] ratings 中写明每个等次及其分值"
            ),
            NoRecommendedColumn => write!(f, "登记表没有“推荐星级”栏，该支部没有议星结果"),
            NoScoringTable { reasons } => write!(f, "文件中没有评分表：{reasons}"),
            DraftNoPoints { indicator } => write!(
                f,
                "表中没有写明「{indicator}」的分值（没有分值栏，项目名称中没有“（N分）”，表下也没有“每项满分 N 分”的说明），\
                 无法起草；请在表中写明分值后再起草，或用 starsheet scheme show standard 导出方案后按本地方案修改"
            ),
            DraftInvalid { detail } => write!(f, "起草的方案无法载入（{detail}），请把此表反馈给维护人员"),
            NoSelfColumnInRound { forms, synonyms } => write!(
                f,
                "本轮 {forms} 份评分表都没有“自评分”列（可用的列名：{synonyms}），不检查自评偏高"
            ),
            NoRecommendedInRound { registers } => write!(
                f,
                "本轮 {registers} 份测评票登记表都没有“推荐星级”栏，各支部没有议星结果"
            ),
            NoPointsOnForm { scheme } => {
                write!(
                    f,
                    "表中没有写明分值（没有“分值”列，项目中也没有“（N分）”），得分按评星方案「{scheme}」的分值核对"
                )
            }
            UnknownTallyRow { text } => write!(f, "汇总表中的「{text}」不是评星方案的测评题目，该行未计入"),
            BadTallyCount { option, text } => write!(f, "「{option}」的票数「{text}」不是整数"),
            RateMismatch { stated, computed } => write!(
                f,
                "写明的满意率 {stated} 与各栏票数算出的 {computed} 不一致，按票数计算，请核对"
            ),
            BadTurnoutNumber { label, text } => write!(f, "{label}「{text}」不是有效的整数"),
            CountedOverReturned { counted, returned } => {
                write!(f, "登记的测评票 {counted} 张，多于收回票数 {returned} 张")
            }
            ReturnedOverIssued { returned, issued } => {
                write!(f, "收回票数 {returned} 多于发出票数 {issued}")
            }
            EmptyRegister => write!(f, "测评票登记表中没有登记任何测评票"),
            DuplicateForm { branch, others } => {
                write!(f, "支部「{branch}」的评分表重复提交（另见 {others}），该支部列为待核实")
            }
            DuplicateRegister { branch, others } => {
                write!(
                    f,
                    "支部「{branch}」的测评票登记表重复提交（另见 {others}），该支部列为待核实"
                )
            }
            MixedBallots { branch } => write!(
                f,
                "支部「{branch}」既有测评票登记表又有单张测评票，无法排除重复计票，该支部列为待核实"
            ),
            BallotsWithoutForm {
                branch,
                unreadable: None,
            } => write!(f, "支部「{branch}」有测评票，但没有收到评分表，该支部列为待核实"),
            BallotsWithoutForm {
                branch,
                unreadable: Some(file),
            } => write!(
                f,
                "支部「{branch}」有测评票，但其评分表（{file}）无法读取，该支部列为待核实"
            ),
            ParentDisagrees(d) => write!(
                f,
                "支部「{}」的所属党组织，评分表 {} 写作「{}」，本表写作「{}」；已按支部名称对应（{}），请核对后统一",
                d.branch, d.form_file, d.form_parent, d.parent, d.file
            ),
            NoBallots {
                branch,
                indicator,
                unread: Some(files),
            } => write!(
                f,
                "同一文件夹中{files}，因此支部「{branch}」没有有效的测评票，无法计算「{indicator}」，该支部列为待核实"
            ),
            NoBallots { branch, indicator, .. } => {
                write!(
                    f,
                    "支部「{branch}」没有有效的测评票，无法计算「{indicator}」，该支部列为待核实"
                )
            }
            FewBallots { valid, min } => {
                write!(
                    f,
                    "有效测评票仅 {valid} 张，少于 {min} 张（测评人数不足）：为保护测评人匿名，各输出只列发出、收回、登记和有效票数，不列分项统计、满意率和议星结果；群众评价仍按这些票计分"
                )
            }
            RollMissingParent { name } => write!(f, "支部名册中「{name}」没有填写所属党组织，只能按名称对应各表"),
            RollDuplicate { name, first } => write!(f, "支部名册中「{name}」与第 {} 行重复，只计一次", first.row + 1),
            RollBadMembers { text } => write!(f, "党员数「{text}」不是整数，未计入"),
            EmptyRoll => write!(f, "支部名册中没有登记任何支部"),
            NotInRoll { name, renamed, closest } => {
                write!(f, "「{name}」不在支部名册中")?;
                match (renamed, closest.is_empty()) {
                    (Some(now), _) => write!(
                        f,
                        "：名册中{now}的曾用名是「{name}」，该支部可能已更名，请按现名填写或核对名册"
                    ),
                    (None, true) => write!(f, "，请核对支部名称或补入名册"),
                    (None, false) => write!(f, "，名册中相近的有：{closest}；请核对支部名称"),
                }
            }
            UnratedKind { name, kind } => write!(
                f,
                "支部名册中「{name}」是{kind}，按方案不参加支部星级评定；收到的评分表照常计分，是否列入请核定"
            ),
            SeveralRolls { others } => write!(
                f,
                "收到不止一份支部名册（另见 {others}）：一轮评定只用一份名册，请只保留一份；本次不按名册核对"
            ),
            FewCategoryBallots { category, valid, min } => write!(
                f,
                "「{category}」的有效测评票仅 {valid} 张，少于 {min} 张：为保护测评人匿名，各输出不列该支部的分项统计、满意率和议星结果（各类别只列有效票数）；群众评价仍按全部测评票计分"
            ),
            NoCategoryBallots { category } => write!(
                f,
                "没有「{category}」的有效测评票：群众评价只按收到的类别计算，其余类别的权重按比例折算"
            ),
            AmbiguousBallots { branch, parents } => write!(
                f,
                "测评票上的支部「{branch}」对应多个党组织的同名支部（{parents}），请在测评票上填写所属党组织"
            ),
            MissingAspectColumn { aspect } => write!(f, "党员星级评定表缺少“{aspect}”列，本表未计入"),
            MissingMemberName => write!(f, "这一行有分数，但姓名未填写"),
            MissingAspect { aspect } => write!(f, "「{aspect}」未填写"),
            DuplicateMember { name, first } => {
                write!(f, "党员「{name}」在本表重复出现（另见 {first}），两行均列为待核实")
            }
            EmptyRoster => write!(f, "党员星级评定表中没有党员"),
            DuplicateRoster { branch, others } => write!(
                f,
                "支部「{branch}」的党员星级评定表重复提交（另见 {others}），该支部党员列为待核实"
            ),
            RosterUnknownBranch {
                branch,
                unreadable: None,
            } => write!(
                f,
                "党员星级评定表所属支部「{branch}」没有收到评分表（请核对支部名称），该支部列为待核实，党员照常评定"
            ),
            RosterUnknownBranch {
                branch,
                unreadable: Some(file),
            } => write!(
                f,
                "党员星级评定表所属支部「{branch}」的评分表（{file}）无法读取，该支部列为待核实，党员照常评定"
            ),
            AmbiguousRoster { branch, parents } => write!(
                f,
                "党员星级评定表上的支部「{branch}」对应多个党组织的同名支部（{parents}），请在表上填写所属党组织"
            ),
            OtherSchemeFits {
                scheme,
                fitting,
                forms,
                preset,
                title,
            } => write!(
                f,
                "{forms} 份评分表中有 {fitting} 份与所选评星方案「{scheme}」不符，却符合内置方案「{preset}」（{title}）：\
                 是否应该用 --scheme {preset}？下面逐条列出的“不在评星方案中”“分值不一致”等问题多半由此而来"
            ),
            NothingToRate { found } => write!(
                f,
                "收件箱中没有可评定的表格（评分表、测评票登记表、测评票、党员星级评定表、党小组考评表）：{found}"
            ),
            FeedbackNotBuilt { path, detail } => write!(
                f,
                "该支部的反馈表 {path} 未能生成（{detail}），其他支部的反馈和汇总照常写出；请将此情况反馈给维护人员"
            ),
        }
    }
}

/// Two files of one branch naming different parent organisations.
#[derive(Debug, Clone, PartialEq)]
pub struct ParentDisagreement {
    /// The branch.
    pub branch: String,
    /// Its scoring form.
    pub form_file: String,
    /// The parent the form gives, or （未填写）.
    pub form_parent: String,
    /// The file that disagrees.
    pub file: String,
    /// The parent it gives.
    pub parent: String,
}

/// An operating-system error in plain Chinese, with the system's own words
/// kept in brackets for whoever has to look further.
pub fn describe_io(e: &io::Error) -> String {
    use io::ErrorKind::*;
    let plain = match e.kind() {
        NotFound => "路径不存在",
        PermissionDenied => "没有权限（请检查文件夹的写入权限，或文件是否被其他程序占用）",
        AlreadyExists => "已存在同名的文件或文件夹",
        StorageFull => "磁盘空间不足",
        ReadOnlyFilesystem => "所在磁盘或文件夹是只读的",
        QuotaExceeded => "超出磁盘配额",
        FileTooLarge => "文件超过文件系统允许的大小",
        DirectoryNotEmpty => "文件夹不是空的",
        NotADirectory => "路径中有一段不是文件夹",
        IsADirectory => "这是一个文件夹，不是文件",
        InvalidFilename => "文件名无效或过长",
        CrossesDevices => "不能跨磁盘移动",
        ResourceBusy => "文件或文件夹正被占用",
        TimedOut => "操作超时",
        Interrupted => "操作被中断",
        _ => "",
    };
    let raw = e.to_string();
    match plain {
        "" => raw,
        plain => format!("{plain}（{raw}）"),
    }
}

/// Formats a byte count for messages.
pub fn fmt_bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= 1024 * MIB {
        format!("{:.1} GB", n as f64 / (1024 * MIB) as f64)
    } else if n >= MIB {
        format!("{:.1} MB", n as f64 / MIB as f64)
    } else if n >= 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{n} 字节")
    }
}

/// Whether any of the issues is an error.
pub fn has_error(issues: &[Issue]) -> bool {
    issues.iter().any(|i| i.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_print_in_a1_style() {
        assert_eq!(CellRef::new(0, 0).to_string(), "A1");
        assert_eq!(CellRef::new(11, 27).to_string(), "AB12");
    }

    #[test]
    fn ballot_issues_lose_location_and_content_in_outputs() {
        let issue = Issue::at(
            "一支部/票3.xlsx",
            Some("张三"),
            Some(CellRef::new(4, 2)),
            Problem::UnknownMark {
                branch: "一支部".into(),
                text: "还行".into(),
            },
        )
        .private(Privacy::Ballot);
        assert_eq!(
            issue.to_string(),
            "[警告] 一支部/票3.xlsx › 张三 › C5：无法识别的填写「还行」，该题按无效计"
        );
        let out = issue.for_output();
        assert_eq!(out.file, BALLOT_FILE_PLACEHOLDER);
        assert_eq!((out.sheet, out.cell), (None, None));
        assert!(!out.message.contains("还行"));
    }
}
