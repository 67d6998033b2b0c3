//! `label：value` fields shared by every form: branch identity, ballot counts.
//!
//! A value stands in the same cell after a colon (`支部名称：税务局第一党支部`,
//! full- or half-width colon) or in the next non-empty cell to the right.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::borrow::Cow;

use memchr::memmem::Finder;
use serde::{Deserialize, Serialize};

use crate::grid::{Grid, Value, half_width, norm_label, strip_invisible};
use crate::issue::CellRef;
use crate::layout::{self, IdentityWords, PlaceWords};

/// A value and the cell it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was read.
    pub cell: CellRef,
}

/// Who a form is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Identity {
    /// Branch name as written.
    pub name: String,
    /// Parent organisation, if given.
    pub parent: Option<String>,
    /// Branch code, if given.
    pub code: Option<String>,
}

impl Identity {
    /// Name normalised for matching forms and ballots of one branch.
    pub fn name_key(&self) -> String {
        norm_label(&self.name)
    }

    /// Parent normalised for matching, if given.
    pub fn parent_key(&self) -> Option<String> {
        self.parent.as_deref().map(norm_label)
    }
}

/// Identity fields as found on a sheet.
#[derive(Debug, Clone, Default)]
pub struct FoundIdentity {
    /// Branch name.
    pub name: Option<Located<String>>,
    /// Parent organisation.
    pub parent: Option<Located<String>>,
    /// Branch code.
    pub code: Option<Located<String>>,
    /// Cells whose value held invisible characters, removed from it.
    pub invisible: Vec<CellRef>,
    /// The parent's label cell, when the label is there but its value is not.
    pub parent_label: Option<CellRef>,
}

impl FoundIdentity {
    /// Reads identity fields, preferring the rows above the table header.
    pub fn read(grid: &Grid, header_row: u32, labels: &IdentityWords) -> FoundIdentity {
        let labeled = Labeled::new(grid);
        let text = |synonyms: &[&str]| {
            labeled.value(synonyms, header_row).and_then(|found| {
                let text = found.value.to_string();
                (!text.is_empty()).then_some(Located {
                    value: text,
                    cell: found.cell,
                })
            })
        };
        let name = text(&labels.name);
        // A place line names both, where no label names the subject.
        let place = name
            .is_none()
            .then(|| labels.place.and_then(|words| place_line(grid, header_row, words)))
            .flatten();
        let (name, parent) = match place {
            Some((name, parent)) => (Some(name), text(&labels.parent).or(Some(parent))),
            None => (name, text(&labels.parent)),
        };
        let parent_label = match parent {
            None => labeled.label_cell(&labels.parent, header_row),
            Some(_) => None,
        };
        let mut found = FoundIdentity {
            name: name.or_else(|| name_from_title(grid, header_row, labels.title_noun, labels.place)),
            parent,
            code: text(&labels.code),
            invisible: Vec::new(),
            parent_label,
        };
        // A name is matched across files as written: what cannot be seen
        // must not tell two branches apart.
        for field in [&mut found.name, &mut found.parent, &mut found.code]
            .into_iter()
            .flatten()
        {
            if let Cow::Owned(clean) = strip_invisible(&field.value) {
                field.value = clean.trim().to_string();
                found.invisible.push(field.cell);
            }
        }
        found.invisible.dedup();
        found
    }

    /// The identity, when the branch name was found.
    pub fn identity(&self) -> Option<Identity> {
        Some(Identity {
            name: self.name.as_ref()?.value.clone(),
            parent: self.parent.as_ref().map(|p| p.value.clone()),
            code: self.code.as_ref().map(|c| c.value.clone()),
        })
    }
}

/// A sheet's text cells, each normalised once for any number of label
/// searches (a ballot register has hundreds of text cells).
pub struct Labeled<'g> {
    grid: &'g Grid,
    texts: Vec<LabelText<'g>>,
}

impl<'g> Labeled<'g> {
    /// Prepares the text cells of `grid`.
    pub fn new(grid: &'g Grid) -> Labeled<'g> {
        let texts = grid
            .texts()
            .map(|(cell, text, norm)| LabelText {
                cell,
                norm,
                half: half_width(text),
            })
            .collect();
        Labeled { grid, texts }
    }

    /// The value of the first of `synonyms` that labels a cell, searching the
    /// rows above `header_row` first, then the whole sheet.
    pub fn value(&self, synonyms: &[&str], header_row: u32) -> Option<Located<Value>> {
        let above = |t: &&LabelText<'_>| t.cell.row < header_row;
        let below = |t: &&LabelText<'_>| t.cell.row >= header_row;
        [&above as &dyn Fn(&&LabelText<'_>) -> bool, &below]
            .into_iter()
            .find_map(|in_part| {
                synonyms.iter().find_map(|label| {
                    let finder = Finder::new(label);
                    self.texts
                        .iter()
                        .filter(in_part)
                        .find_map(|text| match_label(self.grid, text, label, &finder))
                })
            })
    }
}

impl Labeled<'_> {
    /// The cell of the first of `synonyms` used as a label (`所属党组织：` or
    /// `所属党组织` alone), above `header_row` first, whether or not a value
    /// follows it.
    pub fn label_cell(&self, synonyms: &[&str], header_row: u32) -> Option<CellRef> {
        let is_label = |t: &&LabelText<'_>| {
            synonyms.iter().any(|label| {
                t.norm == *label
                    || [':', '：']
                        .iter()
                        .any(|colon| t.half.contains(&format!("{label}{colon}")))
            })
        };
        let above = self.texts.iter().filter(|t| t.cell.row < header_row).find(is_label);
        above.or_else(|| self.texts.iter().find(is_label)).map(|t| t.cell)
    }
}

/// A text cell prepared for label matching.
struct LabelText<'g> {
    cell: CellRef,
    /// [`norm_label`] of the text.
    norm: &'g str,
    /// [`half_width`] of the trimmed text.
    half: Cow<'g, str>,
}

fn match_label(grid: &Grid, text: &LabelText<'_>, label: &str, finder: &Finder) -> Option<Located<Value>> {
    let cell = text.cell;
    if text.norm == label {
        return next_value_right(grid, cell);
    }
    let t: &str = &text.half;
    let mut from = 0;
    // A valid UTF-8 needle only matches a valid UTF-8 haystack at character
    // boundaries, so the byte positions below slice safely.
    while let Some(pos) = t
        .get(from..)
        .and_then(|rest| finder.find(rest.as_bytes()))
        .map(|p| p + from)
    {
        from = pos + label.len();
        let at_boundary = t
            .get(..pos)
            .and_then(|s| s.chars().next_back())
            .is_none_or(|c| !c.is_alphanumeric());
        let rest = t.get(pos + label.len()..).unwrap_or_default().trim_start();
        let Some(after_colon) = rest.strip_prefix([':', '：']) else {
            continue;
        };
        if !at_boundary {
            continue;
        }
        let value = value_before_next_field(after_colon);
        return if value.is_empty() {
            next_value_right(grid, cell)
        } else {
            Some(Located {
                value: Value::Text(value.to_string()),
                cell,
            })
        };
    }
    None
}

/// Cuts a value where the next `label：` field in the same cell begins.
fn value_before_next_field(text: &str) -> &str {
    let text = text.trim();
    let mut end = text.len();
    for label in layout::identity_labels() {
        if let Some(p) = text
            .find(&format!("{label}:"))
            .or_else(|| text.find(&format!("{label}：")))
        {
            end = end.min(p);
        }
    }
    // `名称：X    填表日期：…`: a space followed by another field ends the value.
    if let Some(space) = text[..end].find(char::is_whitespace)
        && text[space..end].contains([':', '：'])
    {
        end = space;
    }
    text[..end].trim()
}

/// The next non-empty cell to the right, unless it is itself a label (an
/// empty fill-in cell is followed by the next `label：`).
fn next_value_right(grid: &Grid, cell: CellRef) -> Option<Located<Value>> {
    let (col, found) = grid
        .row(cell.row)
        .iter()
        .find(|(c, v)| *c > cell.col && !matches!(&v.value, Value::Text(t) if t.trim().is_empty()))?;
    if let (Value::Text(t), Some(n)) = (&found.value, found.label())
        && (half_width(t.trim()).ends_with(':') || layout::identity_labels().any(|l| l == n))
    {
        return None;
    }
    Some(Located {
        value: found.value.clone(),
        cell: CellRef::new(cell.row, *col),
    })
}

/// A place line (`城关镇　东关村`, `河口乡李家村`, or town and village in two
/// cells of one row): the subject and its parent, each a name longer than
/// its ending. Above the table first, then anywhere on the sheet.
fn place_line(grid: &Grid, header_row: u32, words: &PlaceWords) -> Option<(Located<String>, Located<String>)> {
    let ends = |token: &str, endings: &[&str]| endings.iter().any(|e| token.len() > e.len() && token.ends_with(e));
    // A place name is short; a sentence of the table is none.
    let short = |t: &&str| t.chars().count() <= 12;
    let in_row = |row: u32| -> Option<(Located<String>, Located<String>)> {
        // The row's texts in order, each token with its cell.
        let tokens: Vec<(CellRef, &str)> = grid
            .row(row)
            .iter()
            .filter_map(|(c, cell)| match &cell.value {
                Value::Text(t) if !cell.merged => Some((CellRef::new(row, *c), t.as_str())),
                _ => None,
            })
            .flat_map(|(cell, text)| {
                text.split(|c: char| c.is_whitespace() || c == '_')
                    .filter(|t| !t.is_empty() && !t.contains([':', '：']))
                    .filter(short)
                    .map(move |t| (cell, t))
            })
            .collect();
        let at = |(cell, value): (CellRef, &str)| Located {
            value: value.to_string(),
            cell,
        };
        let pair = tokens.windows(2).find_map(|pair| match pair {
            [parent, name] if ends(parent.1, words.parent) && ends(name.1, words.name) => Some((*name, *parent)),
            _ => None,
        });
        match pair {
            Some((name, parent)) => Some((at(name), at(parent))),
            // `河口乡李家村` as one word: only in the lines above the table.
            None if row >= header_row => None,
            None => tokens.iter().find_map(|&(cell, t)| {
                let (parent, name) = split_place(t, words)?;
                Some((at((cell, name)), at((cell, parent))))
            }),
        }
    };
    let rows: Vec<u32> = grid.rows().map(|(r, _)| r).collect();
    rows.iter()
        .filter(|r| **r < header_row)
        .chain(rows.iter().filter(|r| **r >= header_row))
        .find_map(|&r| in_row(r))
}

/// `河口乡李家村` in one token: the parent's name ends inside it.
fn split_place<'t>(token: &'t str, words: &PlaceWords) -> Option<(&'t str, &'t str)> {
    let ends = |part: &str, endings: &[&str]| endings.iter().any(|e| part.len() > e.len() && part.ends_with(e));
    token.char_indices().find_map(|(at, _)| {
        let (parent, name) = token.split_at(at);
        (ends(parent, words.parent) && ends(name, words.name)).then_some((parent, name))
    })
}

/// Words that end the branch-name part of a form title.
const TITLE_WORDS: &[&str] = &["星级", "评分", "测评", "登记", "评定", "考评", "考核", "无记名", "民主"];
/// What a form title ends with.
const TITLE_ENDINGS: &[&str] = &["表", "测评票", "细则", "标准"];

/// Falls back to a title such as `税务局第一党支部星级评定评分表`: a short
/// line ending in a form name, not a sentence of instructions.
fn name_from_title(
    grid: &Grid,
    header_row: u32,
    nouns: &[&str],
    place: Option<&PlaceWords>,
) -> Option<Located<String>> {
    grid.texts()
        .filter(|(cell, _, _)| cell.row < header_row)
        .find_map(|(cell, _, t)| {
            if t.chars().count() > 40
                || t.contains(['；', '。', ';', '，', ','])
                || !TITLE_ENDINGS.iter().any(|e| t.ends_with(e))
            {
                return None;
            }
            let cut = TITLE_WORDS.iter().filter_map(|w| t.find(w)).min()?;
            let head = &t[..cut];
            // A village's or community's title names it by its place
            // (`东关村星级创建工作考评细则`, `城关镇东关村…`).
            let village = place.and_then(|w| {
                let named = w.name.iter().any(|e| head.len() > e.len() && head.ends_with(e));
                named.then(|| split_place(head, w).map_or(head, |(_, name)| name))
            });
            // The name ends where the last of the nouns does.
            let noun_end = nouns.iter().filter_map(|n| head.rfind(n).map(|at| at + n.len())).max();
            let mut name = match (noun_end, village) {
                (Some(end), _) => &head[..end],
                (None, Some(village)) => village,
                (None, None) => return None,
            };
            if let Some(year_end) = name
                .find('年')
                .filter(|&p| p > 0 && name[..p].chars().all(|c| c.is_ascii_digit()))
            {
                name = name[year_end + '年'.len_utf8()..].trim_start_matches('度');
            }
            // A bare 党支部 is a blank template's generic title, not a name.
            (!matches!(
                name,
                "支部"
                    | "党支部"
                    | "基层党支部"
                    | "机关党支部"
                    | "总支"
                    | "党总支"
                    | "党组织"
                    | "基层党组织"
                    | "村党组织"
                    | "小组"
                    | "党小组"
            ))
            .then(|| Located {
                value: name.to_string(),
                cell,
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    impl FoundIdentity {
        fn read_branch(grid: &Grid, header_row: u32) -> FoundIdentity {
            FoundIdentity::read(grid, header_row, &layout::BRANCH_IDENTITY.with(&Default::default()))
        }
    }

    #[test]
    fn group_identity_names_the_group_and_its_branch() {
        let g = grid(&[(0, 0, "第一党小组考评表"), (1, 0, "所属党支部：税务局第一党支部")]);
        let id = FoundIdentity::read(&g, 3, &layout::GROUP_IDENTITY.with(&Default::default()))
            .identity()
            .unwrap();
        assert_eq!(
            (id.name.as_str(), id.parent.as_deref()),
            ("第一党小组", Some("税务局第一党支部"))
        );
    }

    fn grid(cells: &[(u32, u32, &str)]) -> Grid {
        Grid::new(
            cells
                .iter()
                .map(|(r, c, t)| (*r, *c, Value::Text(t.to_string())))
                .collect(),
            &[],
        )
    }

    #[test]
    fn name_after_colon_or_in_next_cell() {
        let g = grid(&[
            (0, 0, "支部名称：税务局第一党支部"),
            (1, 0, "所属党组织"),
            (1, 2, "市税务局机关党委"),
        ]);
        let id = FoundIdentity::read_branch(&g, 5).identity().unwrap();
        assert_eq!(id.name, "税务局第一党支部");
        assert_eq!(id.parent.as_deref(), Some("市税务局机关党委"));
    }

    #[test]
    fn two_fields_in_one_cell() {
        let g = grid(&[(
            0,
            0,
            "所属党委: 市教育局机关党委　　党支部名称：第二党支部  填表日期：2026-11-01",
        )]);
        let found = FoundIdentity::read_branch(&g, 5);
        let id = found.identity().unwrap();
        assert_eq!(id.name, "第二党支部");
        assert_eq!(id.parent.as_deref(), Some("市教育局机关党委"));
        assert_eq!(found.name.unwrap().cell, CellRef::new(0, 0));
    }

    #[test]
    fn name_from_title_when_no_label() {
        let g = grid(&[(0, 0, "2026年度 税务局第一党支部星级评定评分表")]);
        assert_eq!(
            FoundIdentity::read_branch(&g, 3).identity().unwrap().name,
            "税务局第一党支部"
        );
        let generic = grid(&[(0, 0, "党支部星级评定评分表")]);
        assert!(FoundIdentity::read_branch(&generic, 3).name.is_none());
        let sentence = grid(&[(0, 0, "荐星阶段由支部填写自评分；定星阶段由考核组填写考核得分。")]);
        assert!(FoundIdentity::read_branch(&sentence, 3).name.is_none());
        let register = grid(&[(0, 0, "市档案局机关第一党支部无记名民主测评票登记表")]);
        assert_eq!(
            FoundIdentity::read_branch(&register, 3).identity().unwrap().name,
            "市档案局机关第一党支部"
        );
    }

    #[test]
    fn an_empty_fill_in_cell_does_not_borrow_the_next_label() {
        let g = grid(&[
            (1, 0, "支部名称："),
            (1, 4, "所属党组织："),
            (1, 5, "甲党委"),
            (2, 0, "支部编码："),
            (2, 4, "填表日期："),
        ]);
        let found = FoundIdentity::read_branch(&g, 5);
        assert!(found.name.is_none());
        assert!(found.code.is_none());
        assert_eq!(found.parent.unwrap().value, "甲党委");
    }

    #[test]
    fn a_place_line_names_the_village_and_its_town() {
        for line in [
            "城关镇　东关村　　　考评时间：2014年1月10日",
            "河口乡东关村",
            "城关镇 东关村",
        ] {
            let g = grid(&[(0, 0, "全县村级组织星级创建工作考评细则"), (1, 0, line)]);
            let found = FoundIdentity::read_branch(&g, 2);
            let id = found.identity().unwrap();
            assert_eq!(id.name, "东关村", "{line}");
            assert!(matches!(id.parent.as_deref(), Some("城关镇" | "河口乡")), "{line}");
            assert_eq!(found.name.unwrap().cell, CellRef::new(1, 0));
        }
        // The blank form's line names nothing; a label still comes first.
        let blank = grid(&[(1, 0, "　　　　镇　　　　村　　　　考评时间：")]);
        assert!(FoundIdentity::read_branch(&blank, 2).name.is_none());
        let labeled = grid(&[(0, 0, "城关镇 东关村"), (1, 0, "支部名称：东关村党支部")]);
        let id = FoundIdentity::read_branch(&labeled, 2).identity().unwrap();
        assert_eq!((id.name.as_str(), id.parent), ("东关村党支部", None));
    }

    #[test]
    fn labels_inside_words_do_not_match() {
        let g = grid(&[
            (0, 0, "市局第一党支部：按期换届"),
            (4, 0, "党支部名称"),
            (4, 1, "第三党支部"),
        ]);
        assert_eq!(FoundIdentity::read_branch(&g, 9).identity().unwrap().name, "第三党支部");
    }
}
