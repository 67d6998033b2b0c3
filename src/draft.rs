//! `starsheet scheme draft`: a scheme drafted from one form in a locality's
//! own layout — indicators, items and maxima from its rows and labels, the
//! titles it uses as `[labels]` — with tiers and ballot settings left as
//! commented defaults to edit.

// Reads an untrusted file: no panic may be reachable from its content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::fmt::Write as _;
use std::path::Path;

use crate::forms::diagnose::{HeaderScan, scan_header};
use crate::forms::scoring::{column_titles, indicator_name};
use crate::grid::{Grid, half_width, label_points, norm_label};
use crate::issue::Problem;
use crate::layout::{Role, scoring_rows};
use crate::scheme::Schemes;
use crate::workbook::{self, Limits};

/// Marks the part of a draft a locality edits: tiers and ballot settings.
pub const EDIT_BELOW: &str = "# ---- 以下档次、测评设置为默认值，请按本地方案修改 ----";

/// Words that name a part scored from ballots rather than on the form.
const BALLOT_WORDS: [&str; 4] = ["群众评价", "满意度", "民主测评", "群众测评"];

/// One indicator as the form lays it out.
#[derive(Debug, Clone, PartialEq)]
struct Drafted {
    name: String,
    max: Option<f64>,
    items: Vec<(String, Option<f64>)>,
    /// The grouping column's entry (类别: 基础项), if the form has one.
    category: Option<String>,
}

/// Drafts a scheme from the first sheet of `path` that looks like a scoring
/// form (titles recognised as `schemes` knows them); the error says why
/// none did.
pub fn draft(path: &Path, schemes: &Schemes) -> Result<String, Problem> {
    let limits = Limits::default();
    let bytes = std::fs::read(path).map_err(|e| Problem::Unreadable {
        detail: crate::issue::describe_io(&e),
    })?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_lowercase();
    let book = workbook::open(&bytes, &ext, &limits)?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("本地方案");
    book.sheets
        .iter()
        .filter_map(|sheet| sheet.grid.as_ref().ok())
        .find_map(|grid| {
            let scan = scan_header(grid, schemes)?;
            // A grouping column (类别) is read past by the reader; the
            // draft keeps its entries as comments over their indicators.
            let category: Vec<String> = column_titles(schemes, Role::Category)
                .into_iter()
                .map(norm_label)
                .collect();
            let category_col = grid
                .row(scan.row)
                .iter()
                .find(|(_, cell)| cell.label().is_some_and(|l| category.iter().any(|t| t == l)))
                .map(|(c, _)| *c);
            Some(write(stem, grid, &scan, category_col))
        })
        .ok_or(Problem::NoFormInWorkbook)
}

/// The scheme text for one form.
fn write(stem: &str, grid: &Grid, scan: &HeaderScan, category_col: Option<u32>) -> String {
    let (indicators, bonus, veto, note) = rows(grid, scan, category_col);
    let title = title(grid, scan.row).unwrap_or_else(|| stem.to_string());
    let mut out = String::new();
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let n = |v: f64| crate::points::fmt_points(v);
    let _ = writeln!(
        out,
        "# 评星方案草稿：由「{stem}」生成。指标、分值和栏目名称取自表格，请逐项核对；"
    );
    let _ = writeln!(out, "# 档次、测评等次、一票否决的结果档次是默认值，请按本地方案修改。");
    let _ = writeln!(out);
    let _ = writeln!(out, "name = {}", q(stem));
    let _ = writeln!(out, "title = {}", q(&title));
    let each = note.as_ref().map(|(_, max)| *max);
    let total: f64 = indicators.iter().filter_map(|i| i.max.or(each)).sum();
    let bonus_max = bonus.as_ref().and_then(|b| b.1).unwrap_or(0.0);
    let _ = writeln!(out, "total_cap = {}", n(total + bonus_max));
    let _ = writeln!(out);
    match &bonus {
        Some((label, max)) => {
            let _ = writeln!(out, "[bonus]\nlabel = {}\nmax = {}", q(label), n(max.unwrap_or(0.0)));
        }
        None => {
            let _ = writeln!(out, "# 表中没有加分行：不设加分（需要时加 [bonus] label、max）");
        }
    }
    let mut category = None;
    for ind in &indicators {
        if ind.category.is_some() && ind.category != category {
            category = ind.category.clone();
            let _ = write!(out, "\n# 类别：{}\n", category.as_deref().unwrap_or_default());
        }
        let _ = writeln!(out, "\n[[indicators]]\nname = {}", q(&ind.name));
        match (ind.max, &note) {
            (Some(max), _) => {
                let _ = writeln!(out, "max = {}", n(max));
            }
            (None, Some((text, max))) => {
                let _ = writeln!(out, "max = {}  # 取自表下说明「{text}」", n(*max));
            }
            (None, None) => {
                let _ = writeln!(out, "max = 0  # 表中没有分值，请填写");
            }
        }
        if BALLOT_WORDS.iter().any(|w| ind.name.contains(w)) {
            let _ = writeln!(out, "# 由测评票或测评汇总表计分；若在评分表上打分，删去下一行");
            let _ = writeln!(out, "source = \"ballot\"");
            continue;
        }
        if !ind.items.is_empty() {
            let _ = writeln!(out, "items = [");
            for (name, max) in &ind.items {
                let _ = writeln!(out, "  {{ name = {}, max = {} }},", q(name), n(max.unwrap_or(0.0)));
            }
            let _ = writeln!(out, "]");
        }
    }
    let labels = labels(grid, scan);
    if !labels.is_empty() {
        let _ = writeln!(out, "\n# 本地表格的栏目名称\n[labels]");
        for (key, title) in labels {
            let _ = writeln!(out, "{key} = [{}]", q(&title));
        }
    }
    if !veto.is_empty() {
        let _ = writeln!(
            out,
            "\n# 一票否决：任一事项为“是”即评为 tier 档（请核对）\n[veto]\ntier = \"一星\"\nitems = ["
        );
        for item in &veto {
            let _ = writeln!(out, "  {},", q(item));
        }
        let _ = writeln!(out, "]");
    }
    let _ = writeln!(out, "\n{EDIT_BELOW}");
    out.push_str(DEFAULT_TIERS_AND_BALLOT);
    out
}

/// Tiers and ballot settings every draft starts from.
const DEFAULT_TIERS_AND_BALLOT: &str = r##"
[[tiers]]
name = "五星"
min = 90
stars = 5
color = "#FFD966"

[[tiers]]
name = "四星"
min = 80
stars = 4
color = "#C6E0B4"

[[tiers]]
name = "三星"
min = 70
stars = 3
color = "#BDD7EE"

[[tiers]]
name = "二星"
min = 60
stars = 2
color = "#F8CBAD"

[[tiers]]
name = "一星"
stars = 1
color = "#E2D0EE"

[ballot]
# 测评题目（默认与指标名称相同）、有效票下限和评价等次
min_valid = 5
ratings = [
  { label = "满意", value = 1.0, satisfied = true },
  { label = "基本满意", value = 0.8, satisfied = true },
  { label = "不满意", value = 0.0 },
]
"##;

/// The form's title: the first text above the header that is no field.
fn title(grid: &Grid, header_row: u32) -> Option<String> {
    grid.texts()
        .filter(|(cell, text, _)| cell.row < header_row && !half_width(text).contains(':'))
        .map(|(_, text, _)| text.trim().to_string())
        .find(|t| !t.is_empty())
}

/// Indicators, the bonus row (label and points), the veto items, and a note
/// under the table giving every indicator's points (`每颗星基准分100分`),
/// from the rows under the header.
type Rows = (
    Vec<Drafted>,
    Option<(String, Option<f64>)>,
    Vec<String>,
    Option<(String, f64)>,
);

/// Words before the points each indicator is worth, in a note under a form
/// that writes no points in its rows.
const EACH_POINTS: [&str; 3] = ["基准分", "满分", "分值"];

/// A note's points for every indicator: `每颗星基准分100分` gives 100.
fn points_in_note(text: &str) -> Option<f64> {
    let half = half_width(text);
    if !half.contains('每') {
        return None;
    }
    EACH_POINTS.iter().find_map(|word| {
        let rest = half
            .get(half.find(word)? + word.len()..)?
            .trim_start_matches(['为', '是', ' ']);
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        rest.get(digits.len()..)?
            .starts_with('分')
            .then(|| digits.parse().ok())
            .flatten()
    })
}

fn rows(grid: &Grid, scan: &HeaderScan, category_col: Option<u32>) -> Rows {
    let indicator_col = scan.col(Role::Indicator).unwrap_or(0);
    let mut category: Option<String> = None;
    let mut note = None;
    let standard_col = scan.col(Role::Standard);
    let max_col = scan.col(Role::Max);
    let number = |row: u32, col: Option<u32>| {
        col.and_then(|c| grid.get(row, c)).and_then(|cell| match &cell.value {
            crate::grid::Value::Number(n) => Some(*n),
            crate::grid::Value::Text(t) => crate::grid::parse_number(t),
            _ => None,
        })
    };
    let mut indicators: Vec<Drafted> = Vec::new();
    let mut bonus = None;
    let mut veto = Vec::new();
    let mut in_veto = false;
    let mut after_total = false;
    let mut last_veto_row = 0;
    for (row, cells) in grid.rows_below(scan.row) {
        let first = cells.iter().find_map(|(c, _)| grid.text(row, *c)).unwrap_or_default();
        let first_norm = norm_label(first);
        if first_norm.starts_with(scoring_rows::VETO_SECTION) {
            in_veto = true;
            last_veto_row = row;
            continue;
        }
        // The veto items follow one another; a gap ends them.
        if in_veto && row > last_veto_row + 1 {
            in_veto = false;
            after_total = true;
        }
        if in_veto {
            last_veto_row = row;
            if !first_norm.is_empty() && !["签", "盖章", "年月日"].iter().any(|w| first_norm.contains(w)) {
                veto.push(first.trim().to_string());
            }
            continue;
        }
        // A lone `说明：…` or `…（签字）：` line under the table ends it too.
        let footer = cells.len() == 1
            && (half_width(first).contains(':') || ["说明", "注"].iter().any(|w| first_norm.starts_with(w)));
        if footer && note.is_none() {
            note = points_in_note(first).map(|points| (first.trim().to_string(), points));
        }
        // The table ends at its 合计 row; what follows is signatures and
        // notes, or a 一票否决 section.
        if after_total || footer || scoring_rows::TOTAL.iter().any(|t| first_norm.starts_with(t)) {
            after_total = true;
            continue;
        }
        if let Some(text) = category_col.and_then(|c| grid.text(row, c)) {
            category = Some(text.trim().to_string());
        }
        let indicator_text = grid.text(row, indicator_col);
        let standard_text = standard_col.and_then(|c| grid.text(row, c));
        if let Some(text) = indicator_text
            && indicator_name(text).starts_with("加分")
        {
            let points = label_points(text).or_else(|| number(row, max_col));
            bonus = Some((indicator_name(text), points));
            continue;
        }
        match indicator_text {
            Some(text) => {
                let name = indicator_name(text);
                if name.is_empty() || indicators.last().is_some_and(|i| i.name == name) {
                    if let Some(last) = indicators.last_mut() {
                        push_item(last, standard_text, number(row, max_col));
                    }
                    continue;
                }
                let mut ind = Drafted {
                    name,
                    max: label_points(text),
                    items: Vec::new(),
                    category: category.clone(),
                };
                push_item(&mut ind, standard_text, number(row, max_col));
                indicators.push(ind);
            }
            // A blank indicator cell continues the one above (merged cells).
            None if standard_text.is_some() => {
                if let Some(last) = indicators.last_mut() {
                    push_item(last, standard_text, number(row, max_col));
                }
            }
            None => {}
        }
    }
    for ind in &mut indicators {
        // One row is the indicator itself; several are its items.
        if ind.items.len() == 1 {
            let (_, max) = ind.items.remove(0);
            ind.max = ind.max.or(max);
        } else if ind.max.is_none() {
            ind.max = ind.items.iter().map(|(_, m)| *m).sum();
        }
    }
    (indicators, bonus, veto, note)
}

/// Adds a row as an item: its text (points removed) and its points.
fn push_item(ind: &mut Drafted, text: Option<&str>, column: Option<f64>) {
    let name = text.map(norm_label).unwrap_or_default();
    let points = column.or_else(|| text.and_then(label_points));
    ind.items
        .push((if name.is_empty() { ind.name.clone() } else { name }, points));
}

/// `[labels]` entries: the header's titles that are not built in, and
/// identity labels above the header that are not.
fn labels(grid: &Grid, scan: &HeaderScan) -> Vec<(&'static str, String)> {
    let mut entries: Vec<(&'static str, String)> = scan
        .suggested
        .iter()
        .filter(|t| t.role != Role::Max || !t.text.contains("分值"))
        .map(|t| (t.role.key(), t.text.clone()))
        .collect();
    let builtin = |role: Role| role.builtin().iter().map(|b| norm_label(b)).collect::<Vec<_>>();
    for (_, text, _) in grid.texts().filter(|(c, _, _)| c.row < scan.row) {
        let half = half_width(text);
        let Some((label, _)) = half.split_once(':') else {
            continue;
        };
        let label = norm_label(label);
        let role = if label.contains("名称") {
            Role::Name
        } else if label.contains("上级") || label.contains("所属") {
            Role::Parent
        } else if label.contains("编码") || label.contains("代码") {
            Role::Code
        } else {
            continue;
        };
        if !builtin(role).contains(&label) && !entries.iter().any(|(k, _)| *k == role.key()) {
            entries.push((role.key(), label));
        }
    }
    entries
}
