//! 是/否 answers a scoring form gives beside its table: the 一票否决 items
//! (with the caps' items) and the conditions tiers require.
//!
//! They stand in a block anywhere on the sheet — above the table, under it,
//! on an application sheet — headed by a title the scheme knows (一票否决,
//! 评定条件, or its `[labels] veto` / `condition`: 否决条件, 四无), each item
//! answered 是/否/有/无/✓/×/√ to its right, under it, or after a colon. An
//! item with no block is still found where it stands outside the table; a
//! condition may also be stated in a line of the form (`说明：有党建创新项目`,
//! `无党建创新项目`).

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use super::structure::split_colon;
use super::table::{ColumnSpec, match_row};
use super::yes_no;
use crate::grid::{Grid, Value, half_width, norm_label};
use crate::issue::{CellRef, Problem};
use crate::layout::{Role, scoring_rows, titles};
use crate::scheme::Scheme;

/// Which 是/否 items a block holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The 一票否决 items and the caps' items.
    Veto,
    /// The conditions tiers require.
    Condition,
}

impl Which {
    /// The problem of a missing block, for messages: the titles looked
    /// for and the items the scheme lists.
    pub fn missing_section(self, scheme: &Scheme, items: &[&String]) -> Problem {
        match self {
            Which::Veto => {
                let role = self.role();
                let titles = titles(role.builtin(), role, &scheme.labels)
                    .iter()
                    .map(|t| format!("“{t}”"))
                    .collect::<Vec<_>>()
                    .join("或");
                let items = items.iter().map(|i| format!("「{i}」")).collect::<String>();
                Problem::VetoSectionMissing { titles, items }
            }
            Which::Condition => Problem::ConditionSectionMissing,
        }
    }

    /// The problem of a missing item.
    pub fn missing_item(self, item: String) -> Problem {
        match self {
            Which::Veto => Problem::VetoItemMissing { item },
            Which::Condition => Problem::ConditionItemMissing { item },
        }
    }

    fn unrecognised(self, item: String, text: String) -> Problem {
        match self {
            Which::Veto => Problem::VetoUnrecognised { item, text },
            Which::Condition => Problem::ConditionUnrecognised { item, text },
        }
    }

    fn role(self) -> Role {
        match self {
            Which::Veto => Role::Veto,
            Which::Condition => Role::Condition,
        }
    }
}

/// A titled block of 是/否 items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    /// Veto or conditions.
    pub which: Which,
    /// The title cell.
    pub title: CellRef,
    /// Its last row (the rows run from the title's).
    pub last: u32,
}

impl Section {
    /// Whether the block holds a row.
    pub fn holds(&self, row: u32) -> bool {
        (self.title.row..=self.last).contains(&row)
    }
}

/// The titles of a scheme's 是/否 blocks: the built-in ones and its
/// `[labels] veto` / `condition`, normalised.
pub fn titles_of(scheme: &Scheme) -> Vec<(Which, Vec<String>)> {
    [Which::Veto, Which::Condition]
        .into_iter()
        .map(|which| {
            let role = which.role();
            let words = titles(role.builtin(), role, &scheme.labels)
                .into_iter()
                .map(norm_label)
                .collect();
            (which, words)
        })
        .collect()
}

/// The titled 是/否 blocks of a sheet. A block runs from its title down to
/// the first empty row, the table's header or another block's title.
pub fn sections(grid: &Grid, words: &[(Which, Vec<String>)], header: Option<u32>) -> Vec<Section> {
    let title_of = |label: &str| {
        words
            .iter()
            .find(|(_, ws)| ws.iter().any(|w| !w.is_empty() && label.starts_with(w.as_str())))
            .map(|(which, _)| *which)
    };
    let mut found: Vec<Section> = Vec::new();
    for (cell, _, label) in grid.texts() {
        if found.iter().any(|s| s.holds(cell.row)) || header == Some(cell.row) {
            continue;
        }
        let Some(which) = title_of(label) else {
            continue;
        };
        let mut last = cell.row;
        for (row, cells) in grid.rows_below(cell.row) {
            let titled = cells
                .iter()
                .any(|(_, c)| c.label().is_some_and(|l| title_of(l).is_some()));
            if row != last + 1 || header == Some(row) || titled {
                break;
            }
            last = row;
        }
        found.push(Section {
            which,
            title: cell,
            last,
        });
    }
    found
}

/// An item's answer and where it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answered {
    /// 是 (or 有, ✓…).
    pub yes: bool,
    /// The item's cell.
    pub item: CellRef,
    /// The answer's cell; the item's own for a stated line.
    pub answer: CellRef,
}

/// What one sheet answers.
#[derive(Debug, Clone, Default)]
pub struct Answers {
    /// Per veto and cap item ([`Scheme::yes_no_items`]): its answer, if given here.
    pub veto: Vec<Option<Answered>>,
    /// Per condition ([`Scheme::condition_items`]).
    pub conditions: Vec<Option<Answered>>,
    /// Whether the sheet has a veto block.
    pub veto_section: bool,
    /// Whether it has a conditions block.
    pub condition_section: bool,
    /// Unrecognised answers, with their cells.
    pub problems: Vec<(CellRef, Problem)>,
}

/// Reads the answers of one sheet. `outside` says which rows lie outside
/// the scoring table (all of them on a sheet without one).
pub fn read(grid: &Grid, scheme: &Scheme, sections: &[Section], outside: &dyn Fn(u32) -> bool) -> Answers {
    let vetoes: Vec<&String> = scheme.yes_no_items().collect();
    let conditions: Vec<&String> = scheme.condition_items().collect();
    let mut out = Answers {
        veto_section: sections.iter().any(|s| s.which == Which::Veto),
        condition_section: sections.iter().any(|s| s.which == Which::Condition),
        ..Answers::default()
    };
    for (which, items) in [(Which::Veto, &vetoes), (Which::Condition, &conditions)] {
        let mut answers = Vec::with_capacity(items.len());
        for item in items.iter() {
            let in_block = sections.iter().filter(|s| s.which == which).find_map(|s| {
                let rows = s.title.row..=s.last;
                find_item(grid, item, rows, answer_column(grid, s)).into_iter().next()
            });
            let answer = match in_block {
                Some(found) => match found.answer {
                    Some((at, value)) => match yes_no(&value) {
                        Some(yes) => Some(Answered {
                            yes,
                            item: found.item,
                            answer: at,
                        }),
                        // Reported as an error, which holds the branch: the
                        // item is there, its answer is not readable.
                        None => {
                            let text = value.to_string();
                            out.problems.push((at, which.unrecognised(item.to_string(), text)));
                            Some(Answered {
                                yes: false,
                                item: found.item,
                                answer: at,
                            })
                        }
                    },
                    // Listed in its block with the answer left blank: 否.
                    None => Some(Answered {
                        yes: false,
                        item: found.item,
                        answer: found.item,
                    }),
                },
                // Outside a block an item counts only where a 是/否 word
                // answers it: a printed rule that names it answers nothing.
                None => {
                    let rows = grid.rows().map(|(r, _)| r).filter(|r| outside(*r));
                    let beside = rows.flat_map(|r| find_item(grid, item, r..=r, None)).find_map(|f| {
                        let (at, value) = f.answer?;
                        let yes = yes_no(&value).filter(|_| yes_no_word(&value))?;
                        Some(Answered {
                            yes,
                            item: f.item,
                            answer: at,
                        })
                    });
                    beside.or_else(|| stated_anywhere(grid, item, which, outside, &mut out.problems))
                }
            };
            answers.push(answer);
        }
        match which {
            Which::Veto => out.veto = answers,
            Which::Condition => out.conditions = answers,
        }
    }
    out
}

/// The column headed 是否 in the first rows of a block, if any.
fn answer_column(grid: &Grid, section: &Section) -> Option<u32> {
    let spec = [ColumnSpec::exact(scoring_rows::VETO_ANSWER)];
    (section.title.row..=section.last.min(section.title.row + 2)).find_map(|r| match_row(grid, r, &spec).col(0))
}

/// An item found on the sheet, with the value answering it, if any.
struct Found {
    item: CellRef,
    answer: Option<(CellRef, Value)>,
}

/// Every cell in `rows` naming `item` (a text containing the item, or a
/// text of four characters or more the item contains), with its answer —
/// in the 是否 column, else the last cell to its right, else a 是/否 word
/// after a colon in its own cell, else one in the cell under it.
fn find_item(grid: &Grid, item: &str, rows: std::ops::RangeInclusive<u32>, answer_col: Option<u32>) -> Vec<Found> {
    let key = norm_label(item);
    let mut found = Vec::new();
    for (row, cells) in grid.rows().filter(|(r, _)| rows.contains(r)) {
        for (col, cell) in cells {
            let Some(label) = cell.label() else { continue };
            let (head, after) = split_colon(label);
            let names = head.contains(key.as_str()) || (head.chars().count() >= 4 && key.contains(head));
            if !names || head.is_empty() {
                continue;
            }
            let at = |c: u32| CellRef::new(row, c);
            let answer = match answer_col.filter(|ac| ac != col) {
                Some(ac) => grid.get(row, ac).map(|c| (at(ac), c.value.clone())),
                None => cells
                    .iter()
                    .rev()
                    .find(|(c, _)| c > col)
                    .map(|(c, v)| (at(*c), v.value.clone())),
            };
            let own = after
                .map(|a| Value::Text(a.to_string()))
                .filter(yes_no_word)
                .map(|v| (at(*col), v));
            let below = || {
                let under = grid.get(row + 1, *col)?;
                yes_no_word(&under.value).then(|| (CellRef::new(row + 1, *col), under.value.clone()))
            };
            found.push(Found {
                item: at(*col),
                answer: answer.or(own).or_else(below),
            });
        }
    }
    found
}

/// Whether a value is a 是/否 word (not an empty cell or other text).
fn yes_no_word(value: &Value) -> bool {
    match value {
        Value::Text(t) => !t.trim().is_empty() && yes_no(value).is_some(),
        Value::Bool(_) => true,
        _ => false,
    }
}

/// An item stated by a line outside the table; two lines disagreeing are
/// an unrecognised answer.
fn stated_anywhere(
    grid: &Grid,
    item: &str,
    which: Which,
    outside: &dyn Fn(u32) -> bool,
    problems: &mut Vec<(CellRef, Problem)>,
) -> Option<Answered> {
    let mut found: Option<Answered> = None;
    for (cell, text, _) in grid.texts().filter(|(c, _, _)| outside(c.row)) {
        let Some(yes) = statement(text, item) else {
            continue;
        };
        match found {
            Some(first) if first.yes != yes => {
                let problem = which.unrecognised(item.to_string(), text.to_string());
                problems.push((cell, problem));
                return None;
            }
            Some(_) => {}
            None => {
                found = Some(Answered {
                    yes,
                    item: cell,
                    answer: cell,
                })
            }
        }
    }
    found
}

/// Words that deny what follows them, and words that affirm it; longer
/// first, so that 没有 is not read as 有.
const MARKERS: [(&str, bool); 8] = [
    ("没有", false),
    ("尚无", false),
    ("具有", true),
    ("已有", true),
    ("无", false),
    ("未", false),
    ("不", false),
    ("有", true),
];
/// Words that, before a marker, make a line a rule rather than a statement.
const HYPOTHETICAL: [&str; 4] = ["是否", "如", "若", "凡"];
/// What joins the items one marker governs (`无“一票否决”和“黄牌警告”`).
const JOINERS: [char; 6] = ['和', '及', '与', '或', '、', '/'];
/// What ends a clause.
const CLAUSE_ENDS: [char; 8] = [',', '，', '.', '。', ';', '；', ':', '：'];

/// What a line states about an item such as `有党建创新项目` or
/// `黄牌警告`: yes when 有 stands before it in its clause (`有党建创新项目…`,
/// `本年度有“黄牌警告”`), no when 无, 没有, 未 or 不 does (`无“一票否决”和
/// “黄牌警告”事项`); nothing when the clause does not say it that way, or
/// says it as a rule (`有党建创新项目的加5分`, `有“一票否决”或“黄牌警告”的
/// 不评定星级`, `是否有…`).
pub fn statement(text: &str, item: &str) -> Option<bool> {
    let text: String = half_width(text).chars().filter(|c| !c.is_whitespace()).collect();
    let item = norm_label(item);
    let core = ["具有", "已有", "有"]
        .iter()
        .find_map(|p| item.strip_prefix(p))
        .filter(|c| !c.is_empty())
        .unwrap_or(&item);
    let at = text.find(core)?;
    let before = text.get(..at).unwrap_or_default();
    let after = text.get(at + core.len()..).unwrap_or_default();
    // The rest of the clause: a 的 or 或 in it makes the clause a rule.
    let rest = after.split(CLAUSE_ENDS).next().unwrap_or_default();
    let rest = rest.split(['(', '（']).next().unwrap_or_default();
    if rest.contains('的') || rest.contains('或') {
        return None;
    }
    let clause = before.rsplit(CLAUSE_ENDS).next().unwrap_or_default();
    // The marker nearest the item; between them only other items it
    // governs, quoted, and the words joining them.
    let (end, start, yes) = MARKERS
        .iter()
        .filter_map(|(m, yes)| clause.rfind(m).map(|p| (p + m.len(), p, *yes)))
        .max_by_key(|(end, start, _)| (*end, usize::MAX - start))?;
    let between = clause.get(end..).unwrap_or_default();
    if !governed(between) {
        return None;
    }
    let head = clause.get(..start).unwrap_or_default();
    if HYPOTHETICAL.iter().any(|h| head.ends_with(h)) || (yes && head.ends_with("是否")) {
        return None;
    }
    Some(yes)
}

/// Whether text between a marker and an item holds only quoted items and
/// the words joining them (or nothing).
fn governed(between: &str) -> bool {
    let mut rest = between;
    loop {
        rest = rest.trim_start_matches(|c: char| JOINERS.contains(&c) || "”\"」》'’".contains(c));
        if rest.is_empty() || rest == "“" || rest == "「" {
            return true;
        }
        let Some(inner) = rest.strip_prefix(['“', '"', '「', '《']) else {
            return false;
        };
        match inner.find(['”', '"', '」', '》']) {
            Some(close) => rest = inner.get(close..).unwrap_or_default(),
            None => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_state_conditions_both_ways_and_rules_state_nothing() {
        let c = "有党建创新项目";
        assert_eq!(statement("说明：有党建创新项目“财政惠企直通车”", c), Some(true));
        assert_eq!(statement("说明：无党建创新项目，受市级表彰加3分", c), Some(false));
        assert_eq!(statement("本年度没有党建创新项目", c), Some(false));
        assert_eq!(statement("说明：", c), None);
        assert_eq!(statement("有党建创新项目的加5分；受市级以上表彰的加3—5分", c), None);
        assert_eq!(statement("是否有党建创新项目", c), None);
        assert_eq!(statement("党建创新项目；受到上级表彰", c), None);
        assert_eq!(statement("说明：本年度无“黄牌警告”", "黄牌警告"), Some(false));
        assert_eq!(statement("说明：本年度有“黄牌警告”一次", "黄牌警告"), Some(true));
        assert_eq!(statement("受到“黄牌警告”的，不评定星级", "黄牌警告"), None);
        assert_eq!(statement("发生重大责任事故一票否决", "发生重大责任事故"), None);
        let both = "说明：本年度无“一票否决”和“黄牌警告”事项。";
        assert_eq!(statement(both, "一票否决"), Some(false));
        assert_eq!(statement(both, "黄牌警告"), Some(false));
        let rule = "评定标准：95分以上五星级；有“一票否决”或“黄牌警告”的不评定星级。";
        assert_eq!(statement(rule, "一票否决"), None);
        assert_eq!(statement(rule, "黄牌警告"), None);
        assert_eq!(
            statement("说明：本年度有“黄牌警告”事项（因安全生产被乡镇通报）。", "黄牌警告"),
            Some(true)
        );
        assert_eq!(statement("未获得市级表彰", "获得市级表彰"), Some(false));
    }
}
