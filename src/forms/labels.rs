//! Label synonyms the readers look for, in order of preference.
//!
//! Labels are compared after [`crate::grid::norm_label`], so white space,
//! full-width characters, colons and bracketed notes do not matter.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

/// Branch name (支部名称).
pub const BRANCH_NAME: &[&str] = &["支部名称", "党支部名称", "党支部"];
/// Parent organisation (所属党组织).
pub const PARENT: &[&str] = &["所属党组织", "上级党组织", "所属党委"];
/// Optional branch code.
pub const BRANCH_CODE: &[&str] = &["支部编码"];
/// Party group name (党小组名称).
pub const GROUP_NAME: &[&str] = &["党小组名称", "党小组", "小组名称"];
/// The branch a party group belongs to.
pub const GROUP_PARENT: &[&str] = &["所属党支部", "党支部名称", "支部名称", "党支部"];

/// Labels naming who a form is about, whom it belongs to, and its code.
#[derive(Debug)]
pub struct IdentityLabels {
    /// The name, preferred label first.
    pub name: &'static [&'static str],
    /// The parent organisation.
    pub parent: &'static [&'static str],
    /// An optional code.
    pub code: &'static [&'static str],
    /// The noun a form title names the subject with (`…第一党支部评分表`).
    pub title_noun: &'static str,
    /// What the subject is called in messages.
    pub who: &'static str,
}

/// Identity of a branch (scoring forms, ballots, member rosters).
pub const BRANCH_IDENTITY: IdentityLabels = IdentityLabels {
    name: BRANCH_NAME,
    parent: PARENT,
    code: BRANCH_CODE,
    title_noun: "支部",
    who: "支部",
};
/// Identity of a party group.
pub const GROUP_IDENTITY: IdentityLabels = IdentityLabels {
    name: GROUP_NAME,
    parent: GROUP_PARENT,
    code: &[],
    title_noun: "小组",
    who: "党小组",
};

/// Member roster columns.
pub const MEMBER_NAME: &[&str] = &["姓名", "党员姓名"];
/// The roster's stated total.
pub const JOINT_TOTAL: &[&str] = &[JOINT_TOTAL_NAME];
/// The joint total's label as messages name it.
pub const JOINT_TOTAL_NAME: &str = "联评总分";
/// The roster's veto column.
pub const MEMBER_VETO: &[&str] = &[MEMBER_VETO_NAME, "否决"];
/// The member veto column's label as messages name it.
pub const MEMBER_VETO_NAME: &str = "不予评星";
/// Rows of a roster that are no member.
pub const ROSTER_END: &[&str] = &["合计", "平均", "小计"];

/// Indicator column of the scoring form.
pub const INDICATOR: &[&str] = &["考评项目", "指标", "项目"];
/// Standard (item) column.
pub const STANDARD: &[&str] = &["考评内容", "评分标准", "考评标准"];
/// Max points column.
pub const MAX: &[&str] = &["分值", "标准分", "满分"];
/// Self score column.
pub const SELF: &[&str] = &["自评分", "自评得分"];
/// Assessed score column.
pub const ASSESSED: &[&str] = &["考核得分", "评定得分", "考核评分"];
/// Reason column.
pub const REASON: &[&str] = &["扣分原因", "备注"];
/// Total row labels.
pub const TOTAL_ROW: &[&str] = &["合计", "总分", "总计"];
/// Veto section label.
pub const VETO_SECTION: &str = "一票否决";
/// Veto answer column.
pub const VETO_ANSWER: &[&str] = &["是否", "是/否", "是否发生"];
/// Veto answers meaning yes.
pub const YES: &[&str] = &["是", "✓", "√", "✔", "☑", "Y", "YES"];
/// Veto answers meaning no.
pub const NO: &[&str] = &["否", "×", "✗", "✘", "☐", "N", "NO", "无"];

/// 发出票数.
pub const ISSUED: &[&str] = &["发出票数", "发放票数"];
/// 收回票数.
pub const RETURNED: &[&str] = &["收回票数", "回收票数"];
/// Recommended star column or row.
pub const RECOMMENDED: &[&str] = &["推荐星级", "推荐星级评定"];
/// Question column of a one-voter ballot.
pub const BALLOT_QUESTION: &[&str] = &["测评项目", "测评内容", "评价项目"];
/// A register cell recording that the voter marked more than one choice.
pub const OVER_VOTE: &str = "多选";
/// Marks that make a register row a blank ballot.
pub const BLANK_BALLOT: &[&str] = &["空白票", "空白", "废票"];
/// Rows that end a register's ballot rows.
pub const REGISTER_END: &[&str] = &["合计", "小计", "统计", "监票人", "计票人"];

/// Separators between two marks written in one register cell (an over-vote).
pub const MARK_SEPARATORS: &[char] = &['、', ',', '，', '/', '／', ';', '；', ' ', '\u{3000}', '+'];

/// Every label that may start an identity value, to split a cell holding
/// several `label：value` pairs.
pub fn identity_labels() -> impl Iterator<Item = &'static str> {
    BRANCH_NAME
        .iter()
        .chain(PARENT)
        .chain(BRANCH_CODE)
        .chain(ISSUED)
        .chain(RETURNED)
        .copied()
}
