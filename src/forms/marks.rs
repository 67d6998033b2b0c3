//! What each cell of a sheet was read as, for `check --explain`: a copy of
//! the form coloured by these roles, with a legend of what matched which
//! scheme entry.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use crate::issue::CellRef;

/// The role a cell was read as. A cell no reader used has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mark {
    /// Who the form is about: name, parent, code.
    Identity,
    /// A column title the reader found.
    Header,
    /// An indicator's label.
    Indicator,
    /// An item's text.
    Item,
    /// Text of an indicator's block that is no item: its content.
    Content,
    /// The points an item or indicator is worth.
    Points,
    /// A self score.
    SelfScore,
    /// An assessed score.
    Assessed,
    /// Points deducted, or a 减分项 block's deduction.
    Deduction,
    /// A reason for lost points.
    Reason,
    /// The bonus row.
    Bonus,
    /// A row stating a total (合计).
    Total,
    /// A line under the table: a stated total or tier, a note.
    Footer,
    /// A 一票否决 block, item or answer.
    Veto,
    /// A condition a tier requires, its block, item, answer or statement.
    Condition,
    /// A label with points that matches nothing the scheme knows.
    Unknown,
}

impl Mark {
    /// Every mark, in legend order.
    pub const ALL: [Mark; 16] = [
        Mark::Identity,
        Mark::Header,
        Mark::Indicator,
        Mark::Item,
        Mark::Content,
        Mark::Points,
        Mark::SelfScore,
        Mark::Assessed,
        Mark::Deduction,
        Mark::Reason,
        Mark::Bonus,
        Mark::Total,
        Mark::Footer,
        Mark::Veto,
        Mark::Condition,
        Mark::Unknown,
    ];

    /// The role in words.
    pub fn label(self) -> &'static str {
        match self {
            Mark::Identity => "名称和所属党组织",
            Mark::Header => "栏目名称（表头）",
            Mark::Indicator => "考评项目（指标）",
            Mark::Item => "考评内容（计分的分项）",
            Mark::Content => "项目内的说明文字（不计分）",
            Mark::Points => "分值",
            Mark::SelfScore => "自评分",
            Mark::Assessed => "考核得分",
            Mark::Deduction => "扣分",
            Mark::Reason => "扣分原因",
            Mark::Bonus => "加分",
            Mark::Total => "合计（核对用）",
            Mark::Footer => "表下的行：写明的总分、星级或说明",
            Mark::Veto => "一票否决",
            Mark::Condition => "评定条件",
            Mark::Unknown => "未识别：不在评星方案中",
        }
    }

    /// Its fill, distinct on screen; the legend names each, so a
    /// black-and-white print still reads through the legend's cell list.
    pub fn color(self) -> u32 {
        match self {
            Mark::Identity => 0xD9E1F2,
            Mark::Header => 0xBFBFBF,
            Mark::Indicator => 0xFFD966,
            Mark::Item => 0xFFF2CC,
            Mark::Content => 0xEDEDED,
            Mark::Points => 0xDDEBF7,
            Mark::SelfScore => 0xE2EFDA,
            Mark::Assessed => 0xA9D08E,
            Mark::Deduction => 0xF8CBAD,
            Mark::Reason => 0xFCE4D6,
            Mark::Bonus => 0xC9C9FF,
            Mark::Total => 0x9BC2E6,
            Mark::Footer => 0xD0CECE,
            Mark::Veto => 0xFF9999,
            Mark::Condition => 0xE2D0EE,
            Mark::Unknown => 0xFF0000,
        }
    }
}

/// A cell and what it was read as, with what it matched in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Marked {
    /// The cell.
    pub cell: CellRef,
    /// Its role.
    pub mark: Mark,
    /// What it matched (`指标「班子建设」，满分 20`); empty where the role says it.
    pub note: String,
}

/// Marks collected for one sheet: the first mark of a cell stands.
#[derive(Debug, Clone, Default)]
pub struct Marks(Vec<Marked>);

impl Marks {
    /// Marks a cell, unless it is marked already.
    pub fn put(&mut self, cell: CellRef, mark: Mark, note: impl Into<String>) {
        if !self.0.iter().any(|m| m.cell == cell) {
            self.0.push(Marked {
                cell,
                mark,
                note: note.into(),
            });
        }
    }

    /// The marks, in reading order.
    pub fn into_sorted(mut self) -> Vec<Marked> {
        self.0.sort_by_key(|m| m.cell);
        self.0
    }

    /// Whether no cell is marked.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
