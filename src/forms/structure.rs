//! A scoring table's structure, read the way a person reads it: the
//! columns its header names, the blocks under it (an indicator's rows, a
//! 减分项 block, the bonus and total rows), where it ends, and the lines
//! under it (footers: a stated total, a stated tier, notes).
//!
//! A block starts where a label starts: a cell of the indicator column
//! that is not the continuation of a merged cell above, or a merged cell
//! that starts there and spans into the indicator column from the grouping
//! column (`减分项` merged over 类别 and 考核项目). Its rows run to the next
//! label, and at least over the cells its label is merged across.
//!
//! The table ends at the first row after the last indicator whose label
//! matches nothing the reader knows and that lies outside every merged
//! block; what follows is footers. The same rules serve scheme readers
//! (which know the indicators) and drafts (which know none yet, and take a
//! block that states its points for one).

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use crate::grid::{Grid, Value, half_width, indicator_name, label_points, norm_label, parse_number};
use crate::issue::CellRef;
use crate::layout::scoring_rows;

/// The columns a scoring table's header names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    /// The indicator (考评项目) column.
    pub indicator: u32,
    /// The item standard (考评内容) column.
    pub standard: Option<u32>,
    /// 分值; a form without one gives its points in the labels.
    pub max: Option<u32>,
    /// 自评分.
    pub self_score: Option<u32>,
    /// 考核得分.
    pub assessed: Option<u32>,
    /// 扣分原因.
    pub reason: Option<u32>,
    /// A grouping column before the indicators (类别).
    pub category: Option<u32>,
    /// 扣分: the assessed score as points deducted from the maximum.
    pub deduction: Option<u32>,
}

impl Columns {
    /// The columns a score may be written in: self, then assessed.
    pub fn scores(&self) -> [Option<u32>; 2] {
        [self.self_score, self.assessed]
    }

    /// The columns whose cells give a row points: maximum, scores, deduction.
    pub fn entries(&self) -> impl Iterator<Item = u32> {
        [self.max, self.self_score, self.assessed, self.deduction]
            .into_iter()
            .flatten()
    }

    /// The leftmost and rightmost columns the header names.
    pub fn span(&self) -> (u32, u32) {
        let all = [
            Some(self.indicator),
            self.standard,
            self.max,
            self.self_score,
            self.assessed,
            self.reason,
            self.category,
            self.deduction,
        ];
        let cols = all.into_iter().flatten();
        (cols.clone().min().unwrap_or(0), cols.max().unwrap_or(0))
    }
}

/// What a block's label is, as the reader knows the labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One of the scheme's indicators (its index).
    Indicator(usize),
    /// An indicator to a draft, which knows none yet.
    Candidate,
    /// The bonus (加分) row or block.
    Bonus,
    /// A row stating a total (合计).
    Total,
    /// A heading of a part (基础项) or other known word with no points of its own.
    Heading,
    /// Matches nothing known.
    Unknown,
}

/// The labels a reader knows: a scheme's, or a draft's built-in words.
pub trait Vocabulary {
    /// What a block labelled `text`, read as `name` (its
    /// [`indicator_name`]), is.
    fn kind(&self, name: &str, text: &str) -> Kind;

    /// Whether a footer label states a tier (申报星级, 党委评定星级).
    fn states_tier(&self, name: &str) -> bool;

    /// Whether a footer label states a total (合计, 综合考评得分).
    fn states_total(&self, name: &str) -> bool;
}

/// One block of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// What its label is.
    pub kind: Kind,
    /// The label as an indicator name (`一、领导班子（15分）` → `领导班子`).
    pub name: String,
    /// The label as written.
    pub text: String,
    /// Where the label is.
    pub cell: CellRef,
    /// Points written in the label (`领导班子（15分）`).
    pub points: Option<f64>,
    /// Every row of the block that has content, in order.
    pub rows: Vec<u32>,
    /// The label is one cell merged over the grouping and indicator columns.
    pub spans_grouping: bool,
}

/// What a line under the table says.
#[derive(Debug, Clone, PartialEq)]
pub enum FooterKind {
    /// A total: the number and the column it stands in (`None`: after the
    /// label, in the same cell — `最终得分：88.5`).
    Total {
        /// The number.
        value: f64,
        /// Its cell.
        at: CellRef,
        /// The score column it stands in.
        col: Option<u32>,
    },
    /// A tier, as written (`四星`), with its cell.
    Tier {
        /// The tier as written.
        text: String,
        /// Its cell.
        at: CellRef,
    },
    /// Words only.
    Note,
}

/// A line under the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Footer {
    /// Its row.
    pub row: u32,
    /// The label cell (the first text of the row).
    pub cell: CellRef,
    /// The label as written.
    pub text: String,
    /// What it says.
    pub kind: FooterKind,
}

/// A scoring table's structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The header row.
    pub header: u32,
    /// The blocks, in form order.
    pub blocks: Vec<Block>,
    /// The first row after the table, when lines follow it.
    pub end: Option<u32>,
    /// The lines under the table.
    pub footers: Vec<Footer>,
}

impl Block {
    /// Its rows that give points ([`has_points`]).
    pub fn rows_with_points(&self, grid: &Grid, cols: &Columns) -> Vec<u32> {
        self.rows
            .iter()
            .copied()
            .filter(|&r| has_points(grid, cols, r))
            .collect()
    }
}

impl Shape {
    /// The rows with points of every block of a kind, in order.
    pub fn rows_with_points(&self, grid: &Grid, cols: &Columns, kind: Kind) -> Vec<u32> {
        self.blocks
            .iter()
            .filter(|b| b.kind == kind)
            .flat_map(|b| b.rows_with_points(grid, cols))
            .collect()
    }

    /// Whether a row lies inside the table (header to end).
    pub fn holds(&self, row: u32) -> bool {
        row >= self.header && self.end.is_none_or(|end| row < end)
    }

    /// Makes the candidate blocks one block of indicator `k`, where the
    /// first stood: a table that is one indicator's, its labels grouping
    /// that indicator's rows.
    pub fn merge_candidates(&mut self, k: usize) {
        let Some(first) = self.blocks.iter().position(|b| b.kind == Kind::Candidate) else {
            return;
        };
        let rows: Vec<u32> = self
            .blocks
            .iter()
            .filter(|b| b.kind == Kind::Candidate)
            .flat_map(|b| b.rows.iter().copied())
            .collect();
        if let Some(block) = self.blocks.get_mut(first) {
            block.kind = Kind::Indicator(k);
            block.points = None;
            block.rows = rows;
        }
        self.blocks.retain(|b| b.kind != Kind::Candidate);
    }
}

/// Whether a row gives points: a real value (not the copy of a merged
/// cell) in a maximum, score or deduction column, or points in its item
/// label (`（3分）`).
pub fn has_points(grid: &Grid, cols: &Columns, row: u32) -> bool {
    cols.entries()
        .any(|c| grid.get(row, c).is_some_and(|cell| !cell.merged))
        || cols
            .standard
            .and_then(|c| grid.text(row, c))
            .and_then(label_points)
            .is_some()
}

/// Reads the structure of the table under `header`; rows `skip` says are
/// another block's (a 一票否决 section) are neither table nor footer.
pub fn shape(grid: &Grid, header: u32, cols: &Columns, words: &dyn Vocabulary, skip: &dyn Fn(u32) -> bool) -> Shape {
    let span = cols.span();
    let mut blocks: Vec<Block> = Vec::new();
    // The header written again (a table continued on a new page or sheet)
    // is no row of the table.
    let titled: Vec<(u32, &str)> = [Some(cols.indicator), cols.self_score, cols.assessed, cols.max]
        .into_iter()
        .flatten()
        .filter_map(|c| Some((c, grid.label(header, c)?)))
        .collect();
    let repeats = |row: u32| {
        titled.len() >= 2
            && titled
                .iter()
                .filter(|(c, label)| grid.label(row, *c) == Some(*label))
                .count()
                >= 2
    };
    // The last row the current block's label is merged over.
    let mut merged_to = header;
    for (row, _) in grid.rows_below(header) {
        if skip(row) || repeats(row) {
            continue;
        }
        let start = (row > merged_to).then(|| label_start(grid, cols, words, row)).flatten();
        match start {
            Some((cell, text, bottom, spans_grouping)) => {
                merged_to = bottom;
                let name = indicator_name(&text);
                // The same label again (written on every item row) continues it.
                if let Some(last) = blocks.last_mut().filter(|b| b.name == name && !name.is_empty()) {
                    last.rows.push(row);
                    continue;
                }
                blocks.push(Block {
                    kind: words.kind(&name, &text),
                    points: label_points(&text),
                    name,
                    text,
                    cell,
                    rows: vec![row],
                    spans_grouping,
                });
            }
            None => {
                if let Some(last) = blocks.last_mut() {
                    last.rows.push(row);
                }
            }
        }
    }
    let end = table_end(grid, cols, &blocks, span);
    if let Some(end) = end {
        blocks.retain(|b| b.rows.first().is_some_and(|r| *r < end));
        for b in &mut blocks {
            b.rows.retain(|r| *r < end);
        }
    }
    let footers = match end {
        Some(end) => grid
            .rows()
            .filter(|(r, _)| *r >= end && !skip(*r))
            .filter_map(|(r, _)| footer(grid, cols, words, r))
            .collect(),
        None => Vec::new(),
    };
    Shape {
        header,
        blocks,
        end,
        footers,
    }
}

/// Where a block's label starts in `row`, if one does: its cell, text, the
/// last row it is merged over, and whether it spans from the grouping
/// column into the indicator column.
fn label_start(grid: &Grid, cols: &Columns, words: &dyn Vocabulary, row: u32) -> Option<(CellRef, String, u32, bool)> {
    let ind = cols.indicator;
    if let Some(region) = grid.region_at(row, ind) {
        if region.top < row {
            return None;
        }
        let text = grid.text(row, region.left)?.to_string();
        let spans = region.left < ind && cols.category.is_some_and(|c| (region.left..=region.right).contains(&c));
        return Some((CellRef::new(row, region.left), text, region.bottom, spans));
    }
    if let Some(cell) = grid.get(row, ind).filter(|c| !c.merged)
        && let Value::Text(t) = &cell.value
    {
        return Some((CellRef::new(row, ind), t.trim().to_string(), row, false));
    }
    // Else a line written left of the indicator column: a grouping
    // heading in the 类别 column, or a line that reads as one under a
    // table (a note, a signature, a stated total). Any other text there is
    // the content of the block above (its 考评内容, 检查方式…).
    grid.row(row)
        .iter()
        .take_while(|(c, _)| *c < ind)
        .filter(|(c, cell)| !cell.merged && grid.region_at(row, *c).is_none_or(|m| m.top == row))
        .find_map(|(c, cell)| match &cell.value {
            Value::Text(t) if !t.trim().is_empty() => Some((*c, t.trim())),
            _ => None,
        })
        .filter(|(c, t)| Some(*c) == cols.category || footer_like(words, t))
        .map(|(c, t)| (CellRef::new(row, c), t.to_string(), row, false))
}

/// Whether a label asks for a signature or a seal (`党支部书记（签字）：`).
pub fn signs(text: &str) -> bool {
    ["签字", "签名", "盖章", "（章）", "(章)"]
        .iter()
        .any(|w| text.contains(w))
}

/// Whether a text reads as a line under a table: a note, a signature, a
/// stated total or tier, or a field such as `党组织名称：…`.
fn footer_like(words: &dyn Vocabulary, text: &str) -> bool {
    let (head, _) = split_colon(text);
    let name = indicator_name(head);
    words.states_total(&name)
        || words.states_tier(&name)
        || starts_with_word(&name, scoring_rows::NOTES)
        || signs(head)
        || crate::layout::identity_labels().any(|l| name == norm_label(l))
}

/// The first row after the table, if any row follows it.
fn table_end(grid: &Grid, cols: &Columns, blocks: &[Block], (left, right): (u32, u32)) -> Option<u32> {
    let scored = |b: &Block| b.rows.iter().any(|&r| has_points(grid, cols, r));
    // Where labels are not known, a 合计 closes the list of indicators.
    let first_total = blocks
        .iter()
        .position(|b| b.kind == Kind::Total)
        .unwrap_or(blocks.len());
    // A candidate counts where it states points; on a form that states
    // none (a blank form, points in a note under it), any does.
    let states = |b: &Block| scored(b) || b.points.is_some();
    let any_states = blocks
        .iter()
        .take(first_total)
        .any(|b| b.kind == Kind::Candidate && states(b));
    let last = blocks.iter().enumerate().rposition(|(i, b)| match b.kind {
        Kind::Indicator(_) => true,
        Kind::Candidate => i < first_total && (states(b) || !any_states),
        _ => false,
    })?;
    blocks.get(last + 1..)?.iter().find_map(|b| {
        let row = *b.rows.first()?;
        let unknown = matches!(b.kind, Kind::Unknown | Kind::Candidate);
        // A row that states a maximum in the 分值 column is the table's,
        // whatever its label.
        let states_max = cols.max.is_some_and(|c| {
            grid.get(row, c).is_some_and(|cell| {
                !cell.merged
                    && match &cell.value {
                        Value::Number(_) => true,
                        Value::Text(t) => parse_number(t).is_some(),
                        _ => false,
                    }
            })
        });
        let inside = (left..=right).any(|c| grid.region_at(row, c).is_some_and(|m| m.top < row));
        (unknown && !states_max && !inside).then_some(row)
    })
}

/// Reads one line under the table.
fn footer(grid: &Grid, cols: &Columns, words: &dyn Vocabulary, row: u32) -> Option<Footer> {
    let cells = grid.row(row);
    let (label_col, label) = cells.iter().find_map(|(c, cell)| match &cell.value {
        Value::Text(t) if !t.trim().is_empty() && !cell.merged => Some((*c, t.trim())),
        _ => None,
    })?;
    let cell = CellRef::new(row, label_col);
    let (head, after) = split_colon(label);
    let name = indicator_name(head);
    let right = |pred: &dyn Fn(&Value) -> bool| {
        cells
            .iter()
            .find(|(c, v)| *c > label_col && !v.merged && pred(&v.value))
            .map(|(c, v)| (CellRef::new(row, *c), v.value.clone()))
    };
    let kind = if words.states_tier(&name) {
        let written = after
            .map(|t| (cell, t.to_string()))
            .or_else(|| right(&|v| matches!(v, Value::Text(_))).map(|(at, v)| (at, v.to_string())));
        match written {
            Some((at, text)) => FooterKind::Tier { text, at },
            None => FooterKind::Note,
        }
    } else {
        let in_column = cols.scores().into_iter().flatten().find_map(|c| {
            let value = grid.get(row, c).filter(|cell| !cell.merged)?;
            let n = match &value.value {
                Value::Number(n) => *n,
                Value::Text(t) => parse_number(t)?,
                _ => return None,
            };
            Some((n, CellRef::new(row, c), Some(c)))
        });
        let stated = after
            .and_then(parse_number)
            .filter(|_| words.states_total(&name))
            .map(|n| (n, cell, None));
        // A number beside a signature or a note is no total (填表人：… 12).
        let note = !words.states_total(&name) && starts_with_word(&name, scoring_rows::NOTES);
        match in_column.filter(|_| !note).or(stated) {
            Some((value, at, col)) => FooterKind::Total { value, at, col },
            None => FooterKind::Note,
        }
    };
    Some(Footer {
        row,
        cell,
        text: label.to_string(),
        kind,
    })
}

/// `评定星级：四星` → (`评定星级`, `四星`); the value is `None` when the
/// cell has no colon or nothing after it.
pub fn split_colon(text: &str) -> (&str, Option<&str>) {
    match text.find([':', '：']) {
        Some(at) => {
            let colon = text.get(at..).and_then(|s| s.chars().next()).map_or(1, char::len_utf8);
            let value = text.get(at + colon..).map(str::trim).filter(|v| !v.is_empty());
            (text.get(..at).unwrap_or(text), value)
        }
        None => (text, None),
    }
}

/// Whether `name` begins with one of `words` as a label does: the word
/// alone, or followed by what is not a formula (`总分＝…` is a note).
pub fn starts_with_word(name: &str, words: &[&str]) -> bool {
    words.iter().any(|w| {
        let w = norm_label(w);
        name.strip_prefix(w.as_str())
            .is_some_and(|rest| !w.is_empty() && !half_width(rest).contains('='))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Region;

    struct Words;
    impl Vocabulary for Words {
        fn kind(&self, name: &str, _: &str) -> Kind {
            match name {
                "班子" => Kind::Indicator(0),
                "队伍" => Kind::Indicator(1),
                "减分项" => Kind::Indicator(2),
                _ if starts_with_word(name, &["加分"]) => Kind::Bonus,
                _ if starts_with_word(name, scoring_rows::TOTAL) => Kind::Total,
                _ => Kind::Unknown,
            }
        }
        fn states_tier(&self, name: &str) -> bool {
            name.ends_with("星级")
        }
        fn states_total(&self, name: &str) -> bool {
            name.ends_with("得分")
        }
    }

    fn text(r: u32, c: u32, t: &str) -> (u32, u32, Value) {
        (r, c, Value::Text(t.into()))
    }

    fn num(r: u32, c: u32, n: f64) -> (u32, u32, Value) {
        (r, c, Value::Number(n))
    }

    const COLS: Columns = Columns {
        indicator: 1,
        standard: Some(2),
        max: Some(3),
        self_score: None,
        assessed: Some(4),
        reason: None,
        category: Some(0),
        deduction: None,
    };

    #[test]
    fn blocks_follow_merged_labels_and_the_table_ends_at_an_unknown_line() {
        let cells = vec![
            text(0, 0, "类别"),
            text(0, 1, "项目"),
            text(0, 2, "内容"),
            text(0, 3, "分值"),
            text(0, 4, "得分"),
            text(1, 0, "基础项"),
            text(1, 1, "班子"),
            text(1, 2, "a"),
            num(1, 3, 5.0),
            num(1, 4, 5.0),
            text(2, 2, "b"),
            num(2, 3, 5.0),
            num(2, 4, 4.0),
            text(3, 1, "队伍"),
            text(3, 2, "c"),
            num(3, 3, 10.0),
            num(3, 4, 9.0),
            text(4, 0, "减分项"),
            text(4, 2, "扣一"),
            num(4, 4, -5.0),
            text(5, 2, "扣二"),
            text(6, 0, "合计"),
            num(6, 4, 13.0),
            text(7, 0, "综合考评得分"),
            num(7, 4, 13.0),
            text(8, 0, "评定星级：四星"),
            text(9, 0, "说明：有创新项目"),
        ];
        let merges = [
            Region {
                top: 1,
                left: 0,
                bottom: 3,
                right: 0,
            },
            Region {
                top: 1,
                left: 1,
                bottom: 2,
                right: 1,
            },
            Region {
                top: 4,
                left: 0,
                bottom: 5,
                right: 1,
            },
            Region {
                top: 6,
                left: 0,
                bottom: 6,
                right: 3,
            },
        ];
        let grid = Grid::new(cells, &merges);
        let s = shape(&grid, 0, &COLS, &Words, &|_| false);
        let summary: Vec<(&str, Kind, Vec<u32>, bool)> = s
            .blocks
            .iter()
            .map(|b| (b.name.as_str(), b.kind, b.rows.clone(), b.spans_grouping))
            .collect();
        assert_eq!(
            summary,
            [
                ("班子", Kind::Indicator(0), vec![1, 2], false),
                ("队伍", Kind::Indicator(1), vec![3], false),
                ("减分项", Kind::Indicator(2), vec![4, 5], true),
                ("合计", Kind::Total, vec![6], true),
            ]
        );
        assert_eq!(s.end, Some(7));
        let kinds: Vec<&FooterKind> = s.footers.iter().map(|f| &f.kind).collect();
        assert_eq!(
            kinds,
            [
                &FooterKind::Total {
                    value: 13.0,
                    at: CellRef::new(7, 4),
                    col: Some(4)
                },
                &FooterKind::Tier {
                    text: "四星".into(),
                    at: CellRef::new(8, 0)
                },
                &FooterKind::Note,
            ]
        );
    }

    #[test]
    fn labels_split_at_the_colon_and_formulas_are_no_totals() {
        assert_eq!(split_colon("评定星级：四星"), ("评定星级", Some("四星")));
        assert_eq!(split_colon("说明："), ("说明", None));
        assert_eq!(split_colon("合计"), ("合计", None));
        assert!(starts_with_word("合计", scoring_rows::TOTAL));
        assert!(!starts_with_word("总分＝基础项×70%", scoring_rows::TOTAL));
    }
}
