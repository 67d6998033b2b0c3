//! What each cell of a sheet was read as, for `check --explain`: a copy of
//! the form coloured by these roles, with a legend of what matched which
//! scheme entry.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use super::Sheet;
use super::answers::Which;
use super::scoring::{Part, Prepared};
use super::structure::{FooterKind, Kind, has_points};
use crate::issue::CellRef;
use crate::layout::Role;
use crate::points::fmt_points;
use crate::scheme::Source;

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

/// What each cell of a prepared and read sheet was read as.
pub fn of_scoring(sheet: &Sheet, prepared: &Prepared, part: &Part) -> Marks {
    let grid = sheet.grid;
    let scheme = sheet.schemes.for_subject(prepared.subject);
    let cols = &prepared.cols;
    let shape = &prepared.shape;
    let mut marks = Marks::default();
    for (cell, note) in &prepared.identity_cells {
        marks.put(*cell, Mark::Identity, note.clone());
    }
    let roles = [
        (Some(cols.indicator), Role::Indicator),
        (cols.standard, Role::Standard),
        (cols.max, Role::Max),
        (cols.self_score, Role::SelfScore),
        (cols.assessed, Role::Assessed),
        (cols.reason, Role::Reason),
        (cols.category, Role::Category),
        (cols.deduction, Role::Deduction),
    ];
    for (col, role) in roles {
        if let Some(col) = col {
            marks.put(CellRef::new(shape.header, col), Mark::Header, role.what());
        }
    }
    for section in &prepared.sections {
        let mark = match section.which {
            Which::Veto => Mark::Veto,
            Which::Condition => Mark::Condition,
        };
        marks.put(section.title, mark, "部分的标题");
    }
    let answered = [
        (
            Mark::Veto,
            scheme.yes_no_items().collect::<Vec<_>>(),
            &part.answers.veto,
        ),
        (
            Mark::Condition,
            scheme.condition_items().collect(),
            &part.answers.conditions,
        ),
    ];
    for (mark, items, answers) in answered {
        for (item, answer) in items.iter().zip(answers.iter()) {
            let Some(a) = answer else { continue };
            let yes = if a.yes { "是" } else { "否" };
            marks.put(a.item, mark, format!("事项「{item}」：{yes}"));
            marks.put(a.answer, mark, format!("「{item}」的回答：{yes}"));
        }
    }
    let text_cells = |row: u32| {
        grid.row(row)
            .iter()
            .filter(|(_, c)| c.label().is_some() && !c.merged)
            .map(move |(c, _)| CellRef::new(row, *c))
    };
    for block in &shape.blocks {
        match block.kind {
            Kind::Indicator(k) => {
                let Some(indicator) = scheme.indicators.get(k) else {
                    continue;
                };
                let source = if indicator.source == Source::Ballot {
                    "，由测评票计分（表上的分数不计入）"
                } else {
                    ""
                };
                let note = format!("指标「{}」，满分 {}{source}", indicator.name, fmt_points(indicator.max));
                marks.put(block.cell, Mark::Indicator, note);
                let entries = part
                    .items
                    .get(k)
                    .and_then(Option::as_ref)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let scored = indicator.scored_items();
                let with_points = block.rows_with_points(grid, cols);
                let summed = indicator.items.is_empty() && entries.len() == 1 && with_points.len() > 1;
                for (j, entry) in entries.iter().enumerate() {
                    let rows: Vec<u32> = if summed { with_points.clone() } else { vec![entry.row] };
                    let name = match scored.get(j) {
                        Some(item) if !entry.whole && !indicator.items.is_empty() => {
                            format!("考评内容「{}」，{} 分", item.name, fmt_points(item.max))
                        }
                        _ => format!("「{}」整项", indicator.name),
                    };
                    for row in rows {
                        let at = |c: Option<u32>| c.map(|c| CellRef::new(row, c));
                        // An item's text names it; an indicator scored whole
                        // has content, not items.
                        let named = !indicator.items.is_empty() && !entry.whole;
                        if let Some(c) = at(cols.standard).filter(|c| named && grid.get(c.row, c.col).is_some()) {
                            marks.put(c, Mark::Item, name.clone());
                        }
                        let cells = [
                            (cols.max, Mark::Points),
                            (cols.self_score, Mark::SelfScore),
                            (cols.assessed, Mark::Assessed),
                            (cols.deduction, Mark::Deduction),
                            (cols.reason, Mark::Reason),
                        ];
                        for (col, mark) in cells {
                            if let Some(c) = at(col).filter(|c| grid.get(c.row, c.col).is_some_and(|cell| !cell.merged))
                            {
                                let mark = if indicator.negative && matches!(mark, Mark::SelfScore | Mark::Assessed) {
                                    Mark::Deduction
                                } else {
                                    mark
                                };
                                marks.put(c, mark, name.clone());
                            }
                        }
                    }
                }
                for &row in &block.rows {
                    for cell in text_cells(row) {
                        marks.put(cell, Mark::Content, format!("「{}」的说明文字", indicator.name));
                    }
                }
            }
            Kind::Bonus | Kind::Total => {
                let (mark, note) = if block.kind == Kind::Bonus {
                    (Mark::Bonus, format!("加分「{}」", scheme.bonus.label))
                } else {
                    (Mark::Total, "写明的合计，与各项核对".to_string())
                };
                marks.put(block.cell, mark, note.clone());
                for &row in &block.rows {
                    for col in cols.scores().into_iter().flatten() {
                        if grid.get(row, col).is_some_and(|c| !c.merged) {
                            marks.put(CellRef::new(row, col), mark, note.clone());
                        }
                    }
                }
            }
            Kind::Unknown if block.rows.iter().any(|&r| has_points(grid, cols, r)) => {
                let note = format!("「{}」不在评星方案「{}」中", block.name, scheme.name);
                marks.put(block.cell, Mark::Unknown, note);
            }
            _ => {
                for &row in &block.rows {
                    for cell in text_cells(row) {
                        marks.put(cell, Mark::Content, "表中的分类或说明");
                    }
                }
            }
        }
    }
    for d in &part.declared {
        marks.put(d.cell, Mark::Footer, format!("写明的「{}」：{}", d.label, d.text));
    }
    for footer in &shape.footers {
        let note = match &footer.kind {
            FooterKind::Total { value, .. } => format!("写明的总分 {}，与评定结果核对", fmt_points(*value)),
            FooterKind::Tier { text, .. } => format!("写明的星级：{text}"),
            FooterKind::Note => "表下的说明（不计分）".to_string(),
        };
        if let FooterKind::Total { at, .. } = footer.kind {
            marks.put(at, Mark::Footer, note.clone());
        }
        marks.put(footer.cell, Mark::Footer, note);
    }
    marks
}
