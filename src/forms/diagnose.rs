//! Why a sheet was not read: the kind of form it is closest to, which of
//! its header's titles were recognised, which are missing with the titles
//! accepted for them, and the scheme entry that would make it readable.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use super::Sheet;
use super::scoring::column_titles;
use crate::grid::{Grid, Value, norm_label, parse_number};
use crate::issue::Problem;
use crate::layout::{Role, ScoringLayout};
use crate::scheme::Schemes;

/// Forms put their header near the top; a diagnosis looks no further.
const HEADER_ROWS: u32 = 40;

/// Rating words forms use, to recognise a ballot whose words the scheme lacks.
const RATING_WORDS: [&str; 16] = [
    "好",
    "较好",
    "一般",
    "差",
    "满意",
    "基本满意",
    "不满意",
    "不了解",
    "优秀",
    "良好",
    "合格",
    "基本合格",
    "不合格",
    "称职",
    "基本称职",
    "不称职",
];

/// The closest form a sheet that no reader took resembles, if any.
pub fn diagnose(sheet: &Sheet) -> Option<Problem> {
    scoring(sheet).or_else(|| ballot(sheet))
}

/// One header cell and the role it was taken for.
#[derive(Debug, Clone)]
pub struct Titled {
    /// What the column holds.
    pub role: Role,
    /// Zero-based column.
    pub col: u32,
    /// The title as written (recognised) or as compared (suggested).
    pub text: String,
}

/// The header row that looks most like a scoring form's.
#[derive(Debug, Clone)]
pub struct HeaderScan {
    /// Zero-based row.
    pub row: u32,
    /// Titles recognised, built-in or added by the scheme.
    pub known: Vec<Titled>,
    /// Titles whose last word suggests a role.
    pub suggested: Vec<Titled>,
}

impl HeaderScan {
    /// The column of a role, recognised or suggested.
    pub fn col(&self, role: Role) -> Option<u32> {
        self.known
            .iter()
            .chain(&self.suggested)
            .find(|t| t.role == role)
            .map(|t| t.col)
    }
}

/// Finds the row most like a scoring form's header: recognised titles
/// count twice, suggested ones once; at least three titles, one of them an
/// indicator or a score.
pub fn scan_header(grid: &Grid, schemes: &Schemes) -> Option<HeaderScan> {
    let accepted: Vec<(Role, Vec<String>)> = ScoringLayout::ROLES
        .iter()
        .map(|&role| {
            let titles = column_titles(schemes, role).into_iter().map(norm_label).collect();
            (role, titles)
        })
        .collect();
    let mut best: Option<(usize, HeaderScan)> = None;
    for (row, _) in grid.rows().take_while(|(r, _)| *r < HEADER_ROWS) {
        let texts: Vec<(u32, &str, &str)> = grid
            .row(row)
            .iter()
            .filter_map(|(c, cell)| Some((*c, grid.text(row, *c)?.trim(), cell.label()?)))
            .filter(|(_, _, norm)| !norm.is_empty() && norm.chars().count() <= 12)
            .collect();
        let mut known: Vec<Titled> = Vec::new();
        let mut rest: Vec<(u32, &str)> = Vec::new();
        for (col, text, norm) in texts {
            let role = accepted
                .iter()
                .find(|(role, titles)| titles.iter().any(|t| t == norm) && !known.iter().any(|t| t.role == *role));
            match role {
                Some((role, _)) => known.push(Titled {
                    role: *role,
                    col,
                    text: text.to_string(),
                }),
                None => rest.push((col, norm)),
            }
        }
        let mut suggested: Vec<Titled> = Vec::new();
        for (col, norm) in rest {
            let taken = |role: Role| known.iter().chain(&suggested).any(|t| t.role == role);
            // Suggested as compared: without spaces or a trailing （分）;
            // never for a role the column's cells contradict.
            let fits = |role: &Role| content_fits(grid, row, col, *role);
            if let Some(role) = suggest(norm).filter(|r| !taken(*r) && fits(r)) {
                suggested.push(Titled {
                    role,
                    col,
                    text: norm.to_string(),
                });
            }
        }
        let scores_or_items = known
            .iter()
            .chain(&suggested)
            .any(|t| matches!(t.role, Role::Indicator | Role::SelfScore | Role::Assessed));
        let score = 2 * known.len() + suggested.len();
        if known.len() + suggested.len() >= 3 && scores_or_items && best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, HeaderScan { row, known, suggested }));
        }
    }
    best.map(|(_, scan)| scan)
}

/// Whether a column's cells under a header hold what a role holds: a
/// score or points column numbers, an item column texts that differ row by
/// row (not one text merged over several rows, which is an indicator's),
/// an indicator column texts. Advice never proposes a column for a role
/// its content contradicts.
pub fn content_fits(grid: &Grid, header_row: u32, col: u32, role: Role) -> bool {
    let mut numbers = 0;
    let mut texts: Vec<&str> = Vec::new();
    let mut merged = 0;
    for (row, _) in grid.rows_below(header_row).take(80) {
        let Some(cell) = grid.get(row, col) else { continue };
        if cell.merged || grid.region_at(row, col).is_some_and(|m| m.top < row) {
            merged += 1;
            continue;
        }
        match &cell.value {
            Value::Number(_) => numbers += 1,
            Value::Text(t) if parse_number(t).is_some() => numbers += 1,
            Value::Text(t) => texts.push(t.trim()),
            _ => {}
        }
    }
    let distinct = {
        let mut d = texts.clone();
        d.sort_unstable();
        d.dedup();
        d.len()
    };
    match role {
        Role::SelfScore | Role::Assessed | Role::Max | Role::Deduction => numbers >= texts.len(),
        Role::Standard => texts.len() >= 2 && distinct * 5 >= texts.len() * 4 && merged * 4 <= texts.len(),
        Role::Indicator => !texts.is_empty() || numbers == 0,
        _ => true,
    }
}

/// What keeps a sheet that looks like a scoring form from being read.
fn scoring(sheet: &Sheet) -> Option<Problem> {
    let HeaderScan { row, known, suggested } = scan_header(sheet.grid, sheet.schemes)?;
    let has = |role: Role| known.iter().any(|t| t.role == role);
    let mut missing: Vec<Role> = Vec::new();
    if !has(Role::Indicator) {
        missing.push(Role::Indicator);
    }
    if !has(Role::SelfScore) && !has(Role::Assessed) {
        missing.push(Role::Assessed);
    }
    if !has(Role::Max) {
        missing.push(Role::Max);
    }
    let found = known
        .iter()
        .map(|t| format!("「{}」（{}）", t.text, t.role.what()))
        .collect::<Vec<_>>()
        .join("、");
    let missing_text = missing
        .iter()
        .map(|role| {
            let titles = column_titles(sheet.schemes, *role).join("、");
            match role {
                Role::Max => format!(
                    "{}（可写作：{titles}；或在项目名称中写明分值，如“领导班子（15分）”）",
                    role.what()
                ),
                _ => format!("{}（可写作：{titles}）", role.what()),
            }
        })
        .collect::<Vec<_>>()
        .join("、");
    let entries = suggested
        .iter()
        .map(|t| format!("{} = [\"{}\"]", t.role.key(), t.text))
        .collect::<Vec<_>>()
        .join("，");
    Some(Problem::NearlyForm {
        kind: "评分表",
        row: row + 1,
        found,
        missing: missing_text,
        labels: entries,
    })
}

/// The role a title's last word suggests (党委考评 → a score, 考评记载 →
/// a note); `项目及分值` is an indicator whose points are in its cells.
pub fn suggest(norm: &str) -> Option<Role> {
    let title = norm
        .strip_suffix("及分值")
        .or_else(|| norm.strip_suffix("及分数"))
        .unwrap_or(norm);
    ScoringLayout::ROLES
        .iter()
        .filter_map(|&role| {
            // The longest hint that ends the title: 自评分 over 评分.
            let hint = role
                .hints()
                .iter()
                .filter(|h| title.ends_with(*h))
                .max_by_key(|h| h.len())?;
            Some((hint.len(), role))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, role)| role)
}

/// A header row of rating words the scheme does not use: a ballot or tally
/// written with the locality's own words.
fn ballot(sheet: &Sheet) -> Option<Problem> {
    let scheme = &sheet.schemes.branch;
    let ours: Vec<String> = scheme.ballot.ratings.iter().map(|r| norm_label(&r.label)).collect();
    for (row, cells) in sheet.grid.rows().take_while(|(r, _)| *r < HEADER_ROWS) {
        let words: Vec<&str> = cells
            .iter()
            .filter_map(|(_, cell)| cell.label())
            .filter(|w| RATING_WORDS.contains(w))
            .collect();
        let unknown = words.iter().any(|w| !ours.iter().any(|o| o == w));
        if words.len() >= 2 && unknown {
            let quoted = |list: &mut dyn Iterator<Item = &str>| list.map(|w| format!("「{w}」")).collect::<String>();
            return Some(Problem::UnknownRatings {
                row: row + 1,
                found: quoted(&mut words.iter().copied()),
                ours: quoted(&mut scheme.ballot.ratings.iter().map(|r| r.label.as_str())),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_titles_last_word_names_its_role() {
        assert_eq!(suggest("项目及分值"), Some(Role::Indicator));
        assert_eq!(suggest("评分要点"), Some(Role::Standard));
        assert_eq!(suggest("党支部自评"), Some(Role::SelfScore));
        assert_eq!(suggest("党委考评"), Some(Role::Assessed));
        assert_eq!(suggest("考评记载"), Some(Role::Reason));
        assert_eq!(suggest("审核得分"), Some(Role::Assessed));
        assert_eq!(suggest("评分办法"), None);
    }
}
