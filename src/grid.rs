//! A sheet as a sparse grid of typed cells, and the text and number
//! normalisation that every form reader shares.
//!
//! The grid stores only non-empty cells, so its memory follows the content of
//! a sheet, never the dimensions a file declares.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::borrow::Cow;
use std::fmt;

use crate::issue::CellRef;
use crate::points::fmt_points;

/// A cell value, independent of the file format it came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number (integers included).
    Number(f64),
    /// Text.
    Text(String),
    /// TRUE or FALSE.
    Bool(bool),
    /// A date or time, already formatted for messages.
    Date(String),
    /// An error value such as `#DIV/0!`.
    Error(String),
    /// A formula whose result was not saved in the file.
    Formula(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(n) => f.write_str(&fmt_points(*n)),
            Value::Text(t) => f.write_str(t.trim()),
            Value::Bool(b) => f.write_str(if *b { "TRUE" } else { "FALSE" }),
            Value::Date(d) => f.write_str(d),
            Value::Error(e) => f.write_str(e),
            Value::Formula(formula) => write!(f, "={formula}"),
        }
    }
}

/// A non-empty cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Its value.
    pub value: Value,
    /// A copy of the top cell of a vertically merged region, not typed here.
    pub merged: bool,
    /// Computed by a formula (the value is its saved result).
    pub formula: bool,
    /// [`norm_label`] of a text value, empty otherwise: every reader matches
    /// labels against the same cells, so they are normalised once.
    label: Box<str>,
}

impl Cell {
    fn new(value: Value) -> Cell {
        let label = match &value {
            Value::Text(t) => norm_label(t).into_boxed_str(),
            _ => Box::default(),
        };
        Cell {
            value,
            merged: false,
            formula: false,
            label,
        }
    }

    /// The normalised label of a text cell ([`norm_label`]).
    pub fn label(&self) -> Option<&str> {
        match self.value {
            Value::Text(_) => Some(&self.label),
            _ => None,
        }
    }
}

/// A merged region, zero-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// First row.
    pub top: u32,
    /// First column.
    pub left: u32,
    /// Last row.
    pub bottom: u32,
    /// Last column.
    pub right: u32,
}

/// Merged regions taller than this are not filled: no form merges more rows.
const MAX_MERGE_FILL_ROWS: u32 = 500;
/// Most cells filled from merged regions in one sheet.
const MAX_MERGE_COPIES: usize = 100_000;

/// Most merged regions kept per sheet for the readers' questions about
/// blocks; a sheet with more is hostile, and the rest are ignored.
const MAX_REGIONS: usize = 20_000;

/// One sheet's non-empty cells, by row, and its merged regions.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    rows: Vec<(u32, Vec<(u32, Cell)>)>,
    /// Merged regions of more than one cell, sorted by top then left.
    regions: Vec<Region>,
    /// For each row a region covers, the indices of those regions, by row.
    covering: Vec<(u32, Vec<u32>)>,
}

impl Grid {
    /// Builds a grid from cells in any order and the sheet's merged regions.
    ///
    /// A vertically merged region's top value is copied down its first column,
    /// so that a merged indicator or header cell reads on every row it spans.
    pub fn new(mut cells: Vec<(u32, u32, Value)>, merges: &[Region]) -> Grid {
        cells.retain(|(_, _, v)| !matches!(v, Value::Text(t) if t.trim().is_empty()));
        cells.sort_by_key(|(r, c, _)| (*r, *c));
        cells.dedup_by_key(|(r, c, _)| (*r, *c));
        let mut all: Vec<(u32, u32, Cell)> = cells.into_iter().map(|(r, c, v)| (r, c, Cell::new(v))).collect();
        let real = all.len();
        for m in merges {
            if m.bottom <= m.top || m.bottom - m.top > MAX_MERGE_FILL_ROWS {
                continue;
            }
            // A sheet part can list hundreds of thousands of overlapping
            // merges; the copies they would make are bounded here.
            if all.len() - real + (m.bottom - m.top) as usize > MAX_MERGE_COPIES {
                break;
            }
            let found = all
                .get(..real)
                .and_then(|cells| cells.binary_search_by_key(&(m.top, m.left), |(r, c, _)| (*r, *c)).ok());
            let Some((_, _, top)) = found.and_then(|i| all.get(i)) else {
                continue;
            };
            let copy = Cell {
                merged: true,
                ..top.clone()
            };
            all.extend((m.top + 1..=m.bottom).map(|row| (row, m.left, copy.clone())));
        }
        // A real cell wins over a merge copy at the same place.
        all.sort_by_key(|(r, c, cell)| (*r, *c, cell.merged));
        all.dedup_by_key(|(r, c, _)| (*r, *c));
        let mut rows: Vec<(u32, Vec<(u32, Cell)>)> = Vec::new();
        for (r, c, cell) in all {
            match rows.last_mut() {
                Some((row, cells)) if *row == r => cells.push((c, cell)),
                _ => rows.push((r, vec![(c, cell)])),
            }
        }
        let (regions, covering) = index_regions(merges);
        Grid {
            rows,
            regions,
            covering,
        }
    }

    /// `top` with `bottom` under it, `bottom`'s rows moved down by the
    /// returned offset: a table continued on a second sheet, read as one.
    pub fn stacked(top: &Grid, bottom: &Grid) -> (Grid, u32) {
        let offset = top.rows.last().map_or(0, |(r, _)| r + 2);
        let mut rows = top.rows.clone();
        rows.extend(
            bottom
                .rows
                .iter()
                .map(|(r, cells)| (r.saturating_add(offset), cells.clone())),
        );
        let moved = bottom.regions.iter().map(|m| Region {
            top: m.top.saturating_add(offset),
            bottom: m.bottom.saturating_add(offset),
            ..*m
        });
        let merges: Vec<Region> = top.regions.iter().copied().chain(moved).collect();
        let (regions, covering) = index_regions(&merges);
        (
            Grid {
                rows,
                regions,
                covering,
            },
            offset,
        )
    }

    /// The merged region (of more than one cell) a cell lies in.
    pub fn region_at(&self, row: u32, col: u32) -> Option<Region> {
        let i = self.covering.binary_search_by_key(&row, |(r, _)| *r).ok()?;
        let (_, indices) = self.covering.get(i)?;
        indices
            .iter()
            .filter_map(|&k| self.regions.get(k as usize))
            .find(|m| (m.left..=m.right).contains(&col))
            .copied()
    }

    /// Merged regions of more than one cell, sorted by top then left.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// Marks cells whose value is a formula's saved result.
    pub fn mark_formulas(&mut self, positions: &[(u32, u32)]) {
        for &(row, col) in positions {
            let cells = match self.rows.binary_search_by_key(&row, |(r, _)| *r) {
                Ok(i) => self.rows.get_mut(i).map(|(_, cells)| cells),
                Err(_) => None,
            };
            if let Some(cells) = cells
                && let Ok(k) = cells.binary_search_by_key(&col, |(c, _)| *c)
                && let Some((_, cell)) = cells.get_mut(k)
            {
                cell.formula = true;
            }
        }
    }

    /// Whether the sheet has no content.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Rows with content, in order: `(row, cells by column)`.
    pub fn rows(&self) -> impl Iterator<Item = (u32, &[(u32, Cell)])> {
        self.rows.iter().map(|(r, cells)| (*r, cells.as_slice()))
    }

    /// Rows with content strictly below `row`.
    pub fn rows_below(&self, row: u32) -> impl Iterator<Item = (u32, &[(u32, Cell)])> {
        let start = self.rows.partition_point(|(r, _)| *r <= row);
        self.rows.iter().skip(start).map(|(r, cells)| (*r, cells.as_slice()))
    }

    /// The cells of one row.
    pub fn row(&self, row: u32) -> &[(u32, Cell)] {
        match self.rows.binary_search_by_key(&row, |(r, _)| *r) {
            Ok(i) => self.rows.get(i).map_or(&[], |(_, cells)| cells.as_slice()),
            Err(_) => &[],
        }
    }

    /// The cell at a position.
    pub fn get(&self, row: u32, col: u32) -> Option<&Cell> {
        let cells = self.row(row);
        let i = cells.binary_search_by_key(&col, |(c, _)| *c).ok()?;
        cells.get(i).map(|(_, cell)| cell)
    }

    /// The trimmed text at a position, if it holds non-blank text.
    pub fn text(&self, row: u32, col: u32) -> Option<&str> {
        match self.get(row, col).map(|c| &c.value) {
            Some(Value::Text(t)) if !t.trim().is_empty() => Some(t.trim()),
            _ => None,
        }
    }

    /// The normalised label at a position, if it holds non-blank text.
    pub fn label(&self, row: u32, col: u32) -> Option<&str> {
        self.get(row, col).and_then(Cell::label)
    }

    /// Every text cell in reading order: position, trimmed text and label.
    pub fn texts(&self) -> impl Iterator<Item = (CellRef, &str, &str)> {
        self.rows().flat_map(|(r, cells)| {
            cells.iter().filter_map(move |(c, cell)| match &cell.value {
                Value::Text(t) if !t.trim().is_empty() => Some((CellRef::new(r, *c), t.trim(), &*cell.label)),
                _ => None,
            })
        })
    }

    /// Number of stored cells.
    pub fn len(&self) -> usize {
        self.rows.iter().map(|(_, cells)| cells.len()).sum()
    }
}

/// Regions worth asking about (more than one cell, no taller than a form
/// merges), bounded, with the rows each covers; overlapping regions (which
/// no spreadsheet program writes) are kept as given.
fn index_regions(merges: &[Region]) -> (Vec<Region>, Vec<(u32, Vec<u32>)>) {
    let mut regions: Vec<Region> = merges
        .iter()
        .filter(|m| m.bottom >= m.top && m.right >= m.left)
        .filter(|m| (m.bottom > m.top || m.right > m.left) && m.bottom - m.top <= MAX_MERGE_FILL_ROWS)
        .take(MAX_REGIONS)
        .copied()
        .collect();
    regions.sort_by_key(|m| (m.top, m.left));
    regions.dedup();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for (k, m) in regions.iter().enumerate() {
        if pairs.len() + (m.bottom - m.top) as usize >= MAX_MERGE_COPIES {
            regions.truncate(k);
            break;
        }
        pairs.extend((m.top..=m.bottom).map(|row| (row, k as u32)));
    }
    pairs.sort_unstable();
    let mut covering: Vec<(u32, Vec<u32>)> = Vec::new();
    for (row, k) in pairs {
        match covering.last_mut() {
            Some((r, ks)) if *r == row => ks.push(k),
            _ => covering.push((row, vec![k])),
        }
    }
    (regions, covering)
}

/// Folds full-width ASCII and the ideographic space to half-width; borrows
/// text that has none.
pub fn half_width(s: &str) -> Cow<'_, str> {
    if s.chars().all(|c| half_width_char(c) == c) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().map(half_width_char).collect())
    }
}

fn half_width_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Characters that print as nothing — zero-width space, joiners, word
/// joiner, byte-order mark, soft hyphen. Text pasted from web pages and chat
/// apps carries them, making two names that look the same differ.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// `s` without [`is_invisible`] characters; borrowed when it has none.
pub fn strip_invisible(s: &str) -> Cow<'_, str> {
    if s.contains(is_invisible) {
        Cow::Owned(s.chars().filter(|c| !is_invisible(*c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Normalises a label for matching: half-width, no white space, no trailing
/// colon or bracketed note (`考核\n得分（分）：` → `考核得分`).
pub fn norm_label(s: &str) -> String {
    // One allocation: labels are normalised for every row a header is sought in.
    let mut t = String::with_capacity(s.len());
    t.extend(
        s.chars()
            .map(half_width_char)
            .filter(|c| !c.is_whitespace() && !is_invisible(*c)),
    );
    loop {
        let before = t.len();
        let kept = t.trim_end_matches([':', '：']).len();
        t.truncate(kept);
        if t.ends_with(')')
            && let Some(open) = t.rfind('(')
            && open > 0
        {
            t.truncate(open);
        }
        if t.len() == before {
            return t;
        }
    }
}

/// Removes a leading outline number: `一、`, `1.`, `（二）`, `3 `.
pub fn strip_numbering(label: &str) -> &str {
    const SEPARATORS: [char; 5] = ['、', '.', '．', ' ', '\u{3000}'];
    let s = label.trim_start();
    let rest = if let Some(inner) = s.strip_prefix(['(', '（']) {
        let Some(end) = inner.find([')', '）']) else {
            return s;
        };
        let body = &inner[..end];
        if body.is_empty() || !body.chars().all(is_numeral) {
            return s;
        }
        let close = inner[end..].chars().next().map_or(1, char::len_utf8);
        &inner[end + close..]
    } else {
        let end = s.find(|c: char| !is_numeral(c)).unwrap_or(s.len());
        let rest = &s[end..];
        if end == 0 || !rest.starts_with(SEPARATORS) {
            return s;
        }
        rest
    };
    let rest = rest.trim_start_matches(SEPARATORS);
    if rest.is_empty() { s } else { rest }
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "一二三四五六七八九十０１２３４５６７８９".contains(c)
}

/// Normalises an indicator cell: `一、班子建设（20分）` and `班子建设 20分` → `班子建设`.
pub fn indicator_name(text: &str) -> String {
    let n = norm_label(strip_numbering(&half_width(text)));
    let without_points = n
        .strip_suffix('分')
        .map(|s| s.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.'));
    match without_points {
        Some(s) if !s.is_empty() && s.len() < n.len() - '分'.len_utf8() => s.to_string(),
        _ => n,
    }
}

/// Parses a score written as a number or as text (`18`, `18分`, `１８`, ` 17.5 `).
pub fn parse_number(text: &str) -> Option<f64> {
    let t = half_width(text);
    let t = t.trim();
    let t = t.strip_suffix('分').unwrap_or(t).trim_end();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let ok = !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|f| f.chars().all(|c| c.is_ascii_digit()));
    if !ok {
        return None;
    }
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Points written at the end of a label, as forms without a 分值 column
/// give them: `领导班子（15分）`, `（3分）`, `班子建设 20分`, `5分`. Only a
/// number standing on its own counts: `一次5分` and `(1)` are no maximum.
pub fn label_points(text: &str) -> Option<f64> {
    let t = half_width(text);
    let t = t.trim();
    if let Some(rest) = t.strip_suffix(')') {
        let open = rest.rfind('(')?;
        let inner = rest.get(open + 1..)?.trim();
        return inner.strip_suffix('分').and_then(parse_number);
    }
    let number = t.strip_suffix('分')?;
    match number.rfind(char::is_whitespace) {
        Some(space) => parse_number(number.get(space..)?),
        None => parse_number(number),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicator_cells_are_normalised() {
        assert_eq!(indicator_name("一、班子建设（20分）"), "班子建设");
        assert_eq!(indicator_name("班子建设 20分"), "班子建设");
        assert_eq!(indicator_name("（三）工作\n机制建设"), "工作机制建设");
        assert_eq!(indicator_name("加分"), "加分");
    }

    #[test]
    fn points_written_in_labels() {
        assert_eq!(label_points("领导班子（15分）"), Some(15.0));
        assert_eq!(label_points("二、村民自治充满活力(20分)"), Some(20.0));
        assert_eq!(label_points("支部工作年初有计划、年终有总结（5 分）"), Some(5.0));
        assert_eq!(label_points("班子建设 20分"), Some(20.0));
        assert_eq!(label_points("２．５分"), Some(2.5));
        for none in [
            "领导班子",
            "一次5分",
            "(1)",
            "考核评分",
            "（分）",
            "领导班子（满分15分）",
            "15",
        ] {
            assert_eq!(label_points(none), None, "{none}");
        }
    }

    #[test]
    fn numbers_in_text_are_normalised() {
        assert_eq!(parse_number("18"), Some(18.0));
        assert_eq!(parse_number("18分"), Some(18.0));
        assert_eq!(parse_number("１８"), Some(18.0));
        assert_eq!(parse_number("１７．５分"), Some(17.5));
        assert_eq!(parse_number(" 17.5 "), Some(17.5));
        assert_eq!(parse_number("-2"), Some(-2.0));
        for bad in ["十八", "", "分", "1e3", "18.5.1", ".5", "NaN", "inf", "18 分数"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn labels_match_despite_layout_noise() {
        assert_eq!(norm_label(" 考核\n得分（分）："), "考核得分");
        assert_eq!(norm_label("支部名称:"), "支部名称");
        assert_eq!(norm_label("分　值"), "分值");
        assert_eq!(norm_label("\u{FEFF}支部\u{200B}名称"), "支部名称");
        assert_eq!(norm_label("(备注)"), "(备注)");
        assert_eq!(strip_numbering("一、班子建设"), "班子建设");
        assert_eq!(strip_numbering("（二）党员队伍建设"), "党员队伍建设");
        assert_eq!(strip_numbering("3. 工作业绩"), "工作业绩");
        assert_eq!(strip_numbering("十佳支部"), "十佳支部");
    }

    #[test]
    fn merged_cells_fill_down_their_first_column() {
        let cells = vec![
            (1, 0, Value::Text("班子建设".into())),
            (1, 1, Value::Number(4.0)),
            (2, 1, Value::Number(3.0)),
        ];
        let merges = [Region {
            top: 1,
            left: 0,
            bottom: 3,
            right: 0,
        }];
        let g = Grid::new(cells, &merges);
        assert_eq!(g.text(3, 0), Some("班子建设"));
        assert!(g.get(2, 0).is_some_and(|c| c.merged));
        assert!(g.get(1, 0).is_some_and(|c| !c.merged));
        assert_eq!(g.len(), 5);
    }

    #[test]
    fn copies_from_merges_are_bounded() {
        // 1,000 merges of 500 rows would fill 499,000 cells; the first 200 are filled.
        let cells: Vec<(u32, u32, Value)> = (0..1000).map(|k| (k * 500, 0, Value::Number(1.0))).collect();
        let merges: Vec<Region> = (0..1000)
            .map(|k| Region {
                top: k * 500,
                left: 0,
                bottom: k * 500 + 499,
                right: 0,
            })
            .collect();
        let g = Grid::new(cells, &merges);
        assert_eq!(g.len(), 1000 + 200 * 499);
    }
}
