//! Form layouts as data: for each kind of form, its title, its identity
//! fields and its columns, each column as the title our templates print
//! followed by the other titles branches write for it.
//!
//! The readers find columns by these titles, the templates and the sample
//! inbox print them, and the reports that echo a form's columns take their
//! headers from here, so a title is spelt in one place. Titles are compared
//! after [`crate::grid::norm_label`]: white space, full-width characters,
//! colons and bracketed notes do not matter.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A column or field: the title printed on our forms first, then the other
/// titles accepted for it.
pub type Label = &'static [&'static str];

/// The title a label is printed and named with.
pub const fn printed(label: Label) -> &'static str {
    match label.first() {
        Some(word) => word,
        None => "",
    }
}

/// The fields naming who a form is about, whom it belongs to, and its code.
#[derive(Debug)]
pub struct IdentityLabels {
    /// The name.
    pub name: Label,
    /// The parent organisation.
    pub parent: Label,
    /// An optional code.
    pub code: Label,
    /// The nouns a form title names the subject with (`…第一党支部评分表`,
    /// `…党总支…`).
    pub title_noun: Label,
    /// A place line naming the subject and its parent, if this kind has one.
    pub place: Option<&'static PlaceWords>,
    /// What the subject is called in messages.
    pub who: &'static str,
}

/// A place line above a village form's table (`城关镇　东关村　考评时间：…`):
/// the village or community is the subject, the town its parent.
#[derive(Debug)]
pub struct PlaceWords {
    /// What a parent's name ends with.
    pub parent: Label,
    /// What the subject's name ends with.
    pub name: Label,
}

/// Towns and the villages and communities under them.
pub const PLACE_LINE: PlaceWords = PlaceWords {
    parent: &["街道", "镇", "乡"],
    name: &["社区", "村"],
};

impl IdentityLabels {
    /// These fields with the titles a scheme adds.
    pub fn with<'a>(&self, extra: &'a ExtraTitles) -> IdentityWords<'a> {
        IdentityWords {
            name: titles(self.name, Role::Name, extra),
            parent: titles(self.parent, Role::Parent, extra),
            code: titles(self.code, Role::Code, extra),
            printed_name: printed(self.name),
            title_noun: self.title_noun,
            place: self.place,
            who: self.who,
        }
    }
}

/// Identity fields as a reader looks for them: built-in titles, then a
/// scheme's.
#[derive(Debug, Clone)]
pub struct IdentityWords<'a> {
    /// The name.
    pub name: Vec<&'a str>,
    /// The parent organisation.
    pub parent: Vec<&'a str>,
    /// An optional code.
    pub code: Vec<&'a str>,
    /// The name's printed title, for messages.
    pub printed_name: &'static str,
    /// The nouns a form title names the subject with.
    pub title_noun: Label,
    /// A place line naming the subject and its parent, if this kind has one.
    pub place: Option<&'static PlaceWords>,
    /// What the subject is called in messages.
    pub who: &'static str,
}

/// What a column or field of a form holds: the keys of a scheme's
/// `[labels]`, where a locality adds the titles its own forms use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The indicator (指标) column.
    Indicator,
    /// The item standard column.
    Standard,
    /// The maximum points column.
    Max,
    /// The self score column.
    SelfScore,
    /// The assessed score column.
    Assessed,
    /// The reason column.
    Reason,
    /// The name field.
    Name,
    /// The parent organisation field.
    Parent,
    /// The code field.
    Code,
    /// A grouping column above the indicators (类别: 基础项, 加分项…),
    /// read past: its words are no indicator.
    Category,
    /// The points deducted (扣分): the score is the maximum less them.
    Deduction,
    /// The voter category (测评人类别) of a ballot register row or sheet.
    Voter,
    /// The title of a 一票否决 block (否决条件, 四无), wherever it stands.
    Veto,
    /// The title of a block of conditions a tier requires (评定条件).
    Condition,
    /// A row stating the form's total (合计, 综合考评得分), in or under the table.
    Total,
    /// A line stating a tier on the form (申报星级, 党委评定星级).
    Declared,
}

impl Role {
    /// Every role, in the order they are listed.
    pub const ALL: [Role; 16] = [
        Role::Indicator,
        Role::Standard,
        Role::Max,
        Role::SelfScore,
        Role::Assessed,
        Role::Reason,
        Role::Name,
        Role::Parent,
        Role::Code,
        Role::Category,
        Role::Deduction,
        Role::Voter,
        Role::Veto,
        Role::Condition,
        Role::Total,
        Role::Declared,
    ];

    /// The key in `[labels]`.
    pub fn key(self) -> &'static str {
        match self {
            Role::Indicator => "indicator",
            Role::Standard => "standard",
            Role::Max => "max",
            Role::SelfScore => "self_score",
            Role::Assessed => "assessed",
            Role::Reason => "reason",
            Role::Name => "name",
            Role::Parent => "parent",
            Role::Code => "code",
            Role::Category => "category",
            Role::Deduction => "deduction",
            Role::Voter => "voter",
            Role::Veto => "veto",
            Role::Condition => "condition",
            Role::Total => "total",
            Role::Declared => "declared",
        }
    }

    /// What the role is, in words, for messages.
    pub fn what(self) -> &'static str {
        match self {
            Role::Indicator => "指标栏",
            Role::Standard => "考评内容栏",
            Role::Max => "分值栏",
            Role::SelfScore => "自评分栏",
            Role::Assessed => "考核得分栏",
            Role::Reason => "扣分原因栏",
            Role::Name => "名称",
            Role::Parent => "所属党组织",
            Role::Code => "编码",
            Role::Category => "分类栏",
            Role::Deduction => "扣分栏",
            Role::Voter => "测评人类别",
            Role::Veto => "一票否决部分",
            Role::Condition => "评定条件部分",
            Role::Total => "总分行",
            Role::Declared => "星级行",
        }
    }

    /// Words a column title of this role often contains, for suggesting a
    /// `[labels]` entry when a form's titles are not known (a title's last
    /// word names what it holds: 党委考评 is a score, 考评记载 a note).
    pub fn hints(self) -> &'static [&'static str] {
        match self {
            Role::Indicator => &["项目", "指标"],
            Role::Standard => &["内容", "要点", "标准", "细则"],
            Role::Max => &["分值", "满分", "标准分"],
            Role::SelfScore => &["自评", "自查", "自评分"],
            Role::Assessed => &["考评", "考核", "审核", "评分", "得分", "评定"],
            Role::Reason => &["原因", "记载", "备注", "说明", "情况"],
            Role::Deduction => &["扣分"],
            Role::Name
            | Role::Parent
            | Role::Code
            | Role::Category
            | Role::Voter
            | Role::Veto
            | Role::Condition
            | Role::Total
            | Role::Declared => &[],
        }
    }

    /// The titles built in for a branch's forms.
    pub fn builtin(self) -> Label {
        let form = &BRANCH_SCORING;
        match self {
            Role::Indicator => form.indicator,
            Role::Standard => form.standard,
            Role::Max => form.max,
            Role::SelfScore => form.self_score,
            Role::Assessed => form.assessed,
            Role::Reason => form.reason,
            Role::Name => BRANCH_IDENTITY.name,
            Role::Parent => BRANCH_IDENTITY.parent,
            Role::Code => BRANCH_IDENTITY.code,
            Role::Category => scoring_rows::CATEGORY,
            Role::Deduction => scoring_rows::DEDUCTION,
            Role::Voter => REGISTER.voter,
            Role::Veto => scoring_rows::VETO_TITLES,
            Role::Condition => scoring_rows::CONDITION_TITLES,
            Role::Total => scoring_rows::TOTAL,
            Role::Declared => scoring_rows::DECLARED,
        }
    }
}

/// Titles a scheme adds to the built-in ones, by role.
pub type ExtraTitles = BTreeMap<Role, Vec<String>>;

/// A role's titles: the built-in ones, then those a scheme adds.
pub fn titles(builtin: Label, role: Role, extra: &ExtraTitles) -> Vec<&str> {
    let added = extra.get(&role).into_iter().flatten().map(String::as_str);
    builtin.iter().copied().chain(added).collect()
}

/// Identity of a branch (scoring forms, ballots, member rosters).
pub const BRANCH_IDENTITY: IdentityLabels = IdentityLabels {
    name: &["支部名称", "党支部名称", "党支部"],
    parent: &["所属党组织", "上级党组织", "所属党委"],
    code: &["支部编码"],
    title_noun: &["支部", "总支", "党组织"],
    place: Some(&PLACE_LINE),
    who: "支部",
};

/// Identity of a party group.
pub const GROUP_IDENTITY: IdentityLabels = IdentityLabels {
    name: &["党小组名称", "党小组", "小组名称"],
    parent: &["所属党支部", "党支部名称", "支部名称", "党支部"],
    code: &[],
    title_noun: &["小组"],
    place: None,
    who: "党小组",
};

/// Serial-number column every table form starts with (not read).
pub const NUMBER: &str = "序号";
/// Free-text notes column.
pub const NOTE: &str = "备注";

/// A scoring form (评分表) of a branch or a party group.
#[derive(Debug)]
pub struct ScoringLayout {
    /// Title printed on the template.
    pub title: &'static str,
    /// Sheet name of the template.
    pub sheet: &'static str,
    /// Who the form is about.
    pub identity: IdentityLabels,
    /// The template's third identity field (a code, or the period rated).
    pub extra_field: &'static str,
    /// Indicator (指标) column.
    pub indicator: Label,
    /// Item standard column.
    pub standard: Label,
    /// Maximum points column.
    pub max: Label,
    /// Self score column.
    pub self_score: Label,
    /// Assessed score column.
    pub assessed: Label,
    /// Reason for lost points.
    pub reason: Label,
}

impl ScoringLayout {
    /// The roles of [`ScoringLayout::columns`], in the same order.
    pub const ROLES: [Role; 6] = [
        Role::Indicator,
        Role::Standard,
        Role::Max,
        Role::SelfScore,
        Role::Assessed,
        Role::Reason,
    ];

    /// The columns in the order the reader looks for them, which is also
    /// their order on the template.
    pub fn columns(&self) -> [Label; 6] {
        [
            self.indicator,
            self.standard,
            self.max,
            self.self_score,
            self.assessed,
            self.reason,
        ]
    }
}

/// Scoring-form columns, shared by branch and party-group forms.
const SCORING_COLUMNS: (Label, Label, Label, Label, Label, Label) = (
    &["考评项目", "指标", "项目"],
    &["考评内容", "评分标准", "考评标准"],
    &["分值", "标准分", "满分"],
    &["自评分", "自评得分"],
    &["考核得分", "评定得分", "考核评分"],
    &["扣分原因", "备注"],
);

/// A branch's scoring form.
pub const BRANCH_SCORING: ScoringLayout = ScoringLayout {
    title: "党支部星级评定评分表",
    sheet: "评分表",
    identity: BRANCH_IDENTITY,
    extra_field: "支部编码",
    indicator: SCORING_COLUMNS.0,
    standard: SCORING_COLUMNS.1,
    max: SCORING_COLUMNS.2,
    self_score: SCORING_COLUMNS.3,
    assessed: SCORING_COLUMNS.4,
    reason: SCORING_COLUMNS.5,
};

/// A party group's scoring form.
pub const GROUP_SCORING: ScoringLayout = ScoringLayout {
    title: "党小组考评表",
    sheet: "考评表",
    identity: GROUP_IDENTITY,
    extra_field: "考评期间",
    ..BRANCH_SCORING
};

/// Rows of a scoring form below its items.
pub mod scoring_rows {
    use super::Label;

    /// The total row.
    pub const TOTAL: Label = &["合计", "总分", "总计"];
    /// The veto section's first cell.
    pub const VETO_SECTION: &str = "一票否决";
    /// Titles of a veto block; a scheme adds its own (`[labels] veto`).
    pub const VETO_TITLES: Label = &[VETO_SECTION, "否决条件", "否决事项", "否决项目"];
    /// Heads the 是/否 conditions a tier requires (有党建创新项目).
    pub const CONDITION_SECTION: &str = "评定条件";
    /// Titles of a conditions block; a scheme adds its own (`[labels] condition`).
    pub const CONDITION_TITLES: Label = &[CONDITION_SECTION, "必备条件"];
    /// What a line stating a tier ends with (支部申报星级, 党委评定星级).
    pub const DECLARED: Label = &[
        "申报星级",
        "评定星级",
        "认定星级",
        "自评星级",
        "拟评星级",
        "申报等次",
        "评定等次",
        "认定等次",
        "申报等级",
        "评定等级",
    ];
    /// A line of words only: notes, the pass line, signatures and dates.
    /// Not needed to end a table (any unknown line does); they keep a draft,
    /// which knows no indicator yet, from taking them for one.
    pub const NOTES: Label = &[
        "说明",
        "注",
        "备注",
        "填表说明",
        "通过线",
        "及格线",
        "签字",
        "签名",
        "盖章",
        "日期",
        "审核人",
        "填表人",
    ];
    /// What a row stating a total ends with, under the table (综合考评得分,
    /// 最终得分): for drafts, which know no indicator yet.
    pub const TOTAL_ENDINGS: Label = &["得分", "总分", "合计", "总计"];
    /// Names of a 减分项 block: its rows deduct.
    pub const DEDUCTIONS: Label = &["减分项", "扣分项", "负面清单", "减分", "扣分"];
    /// The veto answer column.
    pub const VETO_ANSWER: Label = &["是否", "是/否", "是否发生", "有/无", "有无"];
    /// The date field of the template.
    pub const DATE: &str = "填表日期";
    /// A grouping column some forms put before the indicators.
    pub const CATEGORY: Label = &["类别", "分类", "项目类别"];
    /// A column of points deducted, on forms scored by deduction (扣分制).
    pub const DEDUCTION: Label = &["扣分", "扣分数", "实扣分", "扣分值"];
}

/// A ballot register (测评票登记表): one row per ballot.
#[derive(Debug)]
pub struct RegisterLayout {
    /// Title printed on the template.
    pub title: &'static str,
    /// Sheet name of the template.
    pub sheet: &'static str,
    /// Ballots issued.
    pub issued: Label,
    /// Ballots returned.
    pub returned: Label,
    /// Recommended tier column.
    pub recommended: Label,
    /// A cell recording that the voter marked more than one choice.
    pub over_vote: &'static str,
    /// Notes making a row a blank ballot.
    pub blank: Label,
    /// Rows that end the ballot rows.
    pub end: Label,
    /// The voter category column (测评人类别), in schemes that weigh categories.
    pub voter: Label,
    /// The voter category written once for a whole sheet (`测评人类别：党员`):
    /// words that label nothing else on a ballot.
    pub voter_field: Label,
    /// A tally's stated satisfaction rate, checked against its counts.
    pub rate: Label,
}

/// The ballot register.
pub const REGISTER: RegisterLayout = RegisterLayout {
    title: "党支部无记名民主测评票登记表",
    sheet: "测评票登记表",
    issued: &["发出票数", "发放票数"],
    returned: &["收回票数", "回收票数"],
    recommended: &["推荐星级", "推荐星级评定"],
    over_vote: "多选",
    blank: &["空白票", "空白", "废票"],
    end: &["合计", "小计", "统计", "监票人", "计票人"],
    voter: &["测评人类别", "测评人身份", "测评人员类别", "人员类别", "类别", "身份"],
    voter_field: &["测评人类别", "测评人身份", "测评人员类别", "人员类别"],
    rate: &["满意率", "测评满意率", "群众满意率"],
};

/// The branch register (支部名册): one row per branch the round expects.
#[derive(Debug)]
pub struct RollLayout {
    /// Title printed on the template.
    pub title: &'static str,
    /// Sheet name of the template.
    pub sheet: &'static str,
    /// Former names (曾用名), several separated by 、，；.
    pub former: Label,
    /// The kind of branch (离退休党支部…), which a scheme may leave unrated.
    pub kind: Label,
    /// Number of members.
    pub members: Label,
}

/// The branch register; name, parent and code columns are `BRANCH_IDENTITY`'s.
pub const ROLL: RollLayout = RollLayout {
    title: "党支部名册",
    sheet: "支部名册",
    former: &["曾用名", "原名称", "曾用名称"],
    kind: &["支部类型", "党支部类型", "类型"],
    members: &["党员数", "党员人数"],
};

/// A one-voter ballot (测评票).
#[derive(Debug)]
pub struct SingleBallotLayout {
    /// Title printed on the template.
    pub title: &'static str,
    /// Sheet name of the template.
    pub sheet: &'static str,
    /// Question column.
    pub question: Label,
    /// Recommended tier row.
    pub recommended: Label,
}

/// The one-voter ballot.
pub const SINGLE_BALLOT: SingleBallotLayout = SingleBallotLayout {
    title: "党支部无记名民主测评票",
    sheet: "测评票",
    question: &["测评项目", "测评内容", "评价项目"],
    recommended: REGISTER.recommended,
};

/// A member roster (党员星级评定表): one row per member.
#[derive(Debug)]
pub struct RosterLayout {
    /// Sheet name of the template.
    pub sheet: &'static str,
    /// The template's period field.
    pub period: &'static str,
    /// Member name column.
    pub name: Label,
    /// The member's own total (not read).
    pub self_total: &'static str,
    /// The stated joint total.
    pub joint_total: Label,
    /// Veto column.
    pub veto: Label,
    /// Reason column.
    pub reason: Label,
    /// Rows that are no member.
    pub end: Label,
}

/// The member roster.
pub const ROSTER: RosterLayout = RosterLayout {
    sheet: "党员星级评定表",
    period: "评定季度",
    name: &["姓名", "党员姓名"],
    self_total: "自评总分",
    joint_total: &["联评总分"],
    veto: &["不予评星", "否决"],
    reason: SCORING_COLUMNS.5,
    end: &["合计", "平均", "小计"],
};

/// Answers meaning yes (有: a 四无 block asks whether each thing happened).
pub const YES: Label = &["是", "✓", "√", "✔", "☑", "Y", "YES", "有"];
/// Answers meaning no.
pub const NO: Label = &["否", "×", "✗", "✘", "☐", "N", "NO", "无", "没有"];

/// Separators between two marks written in one register cell (an over-vote).
pub const MARK_SEPARATORS: &[char] = &['、', ',', '，', '/', '／', ';', '；', ' ', '\u{3000}', '+'];

/// Every label that may start an identity value, to split a cell holding
/// several `label：value` pairs.
pub fn identity_labels() -> impl Iterator<Item = &'static str> {
    BRANCH_IDENTITY
        .name
        .iter()
        .chain(BRANCH_IDENTITY.parent)
        .chain(BRANCH_IDENTITY.code)
        .chain(REGISTER.issued)
        .chain(REGISTER.returned)
        .copied()
}
