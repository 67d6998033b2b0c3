//! `starsheet scheme draft`: a scheme drafted from a locality's own form —
//! indicators, items and maxima from its table, the titles it uses as
//! `[labels]` — with tiers and ballot settings left as defaults to edit.
//!
//! The table is read by the same structure rules as scoring forms
//! ([`crate::forms::structure`]): blocks, where the table ends, the lines
//! under it (left out). Every sheet with a scoring table adds its
//! indicators. An indicator's items are its rows that state points, named
//! from the column whose texts differ row by row; rows without points are
//! its content. The draft is loaded before it is given: it loads, or the
//! error says why none could be written.

// Reads an untrusted file: no panic may be reachable from its content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::fmt::Write as _;
use std::path::Path;

use crate::forms::answers;
use crate::forms::diagnose::{HeaderScan, content_fits, scan_header};
use crate::forms::scoring::column_titles;

use crate::forms::structure::{self, Columns, Kind, Shape, Vocabulary, starts_with_word};
use crate::forms::{self, Sheet};
use crate::grid::{Grid, Value, half_width, indicator_name, label_points, norm_label, parse_number};
use crate::issue::Problem;
use crate::layout::{self, Role, scoring_rows};
use crate::points::fmt_points;
use crate::scheme::{Scheme, Schemes};
use crate::workbook::{self, Limits};

/// Marks the part of a draft a locality edits: tiers and ballot settings.
pub const EDIT_BELOW: &str = "# ---- 以下档次、测评设置为默认值，请按本地方案修改 ----";

/// Words by which a form says an indicator is scored from ballots.
const BALLOT_WORDS: [&str; 2] = ["测评", "测评票"];
/// Titles of a veto block a draft recognises, besides the built-in one.
const VETO_TITLES: [&str; 5] = ["一票否决", "否决条件", "否决事项", "否决项目", "四无"];
/// Words before the points each indicator is worth, in a note under a form
/// that writes no points in its rows.
const EACH_POINTS: [&str; 3] = ["基准分", "满分", "分值"];
/// Words that end an item column's title (its texts name the items), and
/// words that end a rules column's title (how an item is scored).
const ITEM_TITLES: [&str; 5] = ["内容", "要点", "评分点", "事项", "项目"];
const RULE_TITLES: [&str; 5] = ["标准", "办法", "方法", "细则", "说明"];

/// One indicator as the form lays it out.
#[derive(Debug, Clone, PartialEq)]
struct Drafted {
    name: String,
    /// Its maximum, and where it was read if not from the table.
    max: Option<f64>,
    /// Its items: name and maximum.
    items: Vec<(String, f64)>,
    /// Rows scored without points of their own (no items can be listed).
    unlisted: usize,
    /// The grouping column's entry (类别: 基础项), if the form has one.
    category: Option<String>,
    /// A 减分项 block.
    negative: bool,
    /// The form says it is scored from 测评.
    ballot: bool,
}

/// What one sheet's table gives the draft.
#[derive(Debug, Default)]
struct SheetDraft {
    indicators: Vec<Drafted>,
    bonus: Option<(String, Option<f64>)>,
    veto: Vec<String>,
    veto_title: Option<String>,
    /// A note's points for every indicator (`每颗星基准分100分`), with its text.
    note: Option<(String, f64)>,
    labels: Vec<(&'static str, String)>,
    title: Option<String>,
}

/// The labels a draft knows: no indicator yet, so any block is one,
/// except the bonus, the totals and the lines a table ends with.
struct DraftWords;

impl Vocabulary for DraftWords {
    fn kind(&self, name: &str, text: &str) -> Kind {
        if name.is_empty() || structure::signs(text) {
            Kind::Unknown
        } else if starts_with_word(name, &["加分"]) {
            Kind::Bonus
        } else if starts_with_word(name, scoring_rows::TOTAL) {
            Kind::Total
        } else if self.states_total(name)
            || self.states_tier(name)
            || starts_with_word(name, scoring_rows::NOTES)
            || name.contains(['=', ':'])
            || layout::identity_labels().any(|l| name.starts_with(&norm_label(l)))
        {
            Kind::Unknown
        } else {
            Kind::Candidate
        }
    }

    fn states_tier(&self, name: &str) -> bool {
        scoring_rows::DECLARED.iter().any(|d| name.ends_with(d))
    }

    fn states_total(&self, name: &str) -> bool {
        starts_with_word(name, scoring_rows::TOTAL) || scoring_rows::TOTAL_ENDINGS.iter().any(|e| name.ends_with(e))
    }
}

/// Drafts a scheme from the scoring tables of every sheet of `path`
/// (titles recognised as `schemes` knows them); the error says why none
/// could be drafted.
pub fn draft(path: &Path, schemes: &Schemes) -> Result<String, Problem> {
    let limits = Limits::default();
    let (bytes, ext) = crate::read::load_one(path, &limits)?;
    let book = workbook::open(&bytes, &ext, &limits)?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("本地方案");
    let file = path.file_name().and_then(|s| s.to_str()).unwrap_or(stem);
    let mut drafts = Vec::new();
    let mut reasons = Vec::new();
    for sheet in &book.sheets {
        let grid = match &sheet.grid {
            Ok(grid) if grid.is_empty() => continue,
            Ok(grid) => grid,
            Err(problem) => {
                reasons.push(format!("工作表「{}」{problem}", sheet.name));
                continue;
            }
        };
        match scan_header(grid, schemes).and_then(|scan| sheet_draft(grid, &scan, schemes)) {
            Some(d) => drafts.push(d),
            None => reasons.push(not_scoring(file, &sheet.name, grid, schemes)),
        }
    }
    if drafts.is_empty() {
        if reasons.is_empty() {
            reasons.push("工作表都是空白的".to_string());
        }
        return Err(Problem::NoScoringTable {
            reasons: reasons.join("；"),
        });
    }
    let text = write(stem, drafts)?;
    // A draft that does not load is no draft: say why instead.
    if let Err(e) = Scheme::parse(&text, "草稿") {
        if std::env::var_os("STARSHEET_DRAFT_DEBUG").is_some() {
            eprintln!("{text}");
        }
        return Err(Problem::DraftInvalid { detail: e.to_string() });
    }
    Ok(text)
}

/// Why a sheet gives no scoring table: the form it is instead, or what it
/// lacks.
fn not_scoring(file: &str, name: &str, grid: &Grid, schemes: &Schemes) -> String {
    let view = Sheet {
        file,
        name,
        file_stem: file,
        grid,
        schemes,
    };
    if let Some(kind) = forms::read_sheet(&view).kind {
        return format!("工作表「{name}」是{}，不是评分表", kind.label());
    }
    match forms::diagnose::diagnose(&view) {
        Some(problem) => format!("工作表「{name}」{problem}"),
        None => format!(
            "工作表「{name}」没有评分表的表头（需要一行栏目名称，含考评项目与得分栏，如：{}、{}）",
            column_titles(schemes, Role::Indicator).join("/"),
            column_titles(schemes, Role::Assessed).join("/")
        ),
    }
}

/// The draft of one sheet whose header was found; `None` when its table
/// has no indicator.
fn sheet_draft(grid: &Grid, scan: &HeaderScan, schemes: &Schemes) -> Option<SheetDraft> {
    let category_titles: Vec<String> = column_titles(schemes, Role::Category)
        .into_iter()
        .map(norm_label)
        .collect();
    let category = grid
        .row(scan.row)
        .iter()
        .find(|(_, cell)| cell.label().is_some_and(|l| category_titles.iter().any(|t| t == l)))
        .map(|(c, _)| *c);
    let cols = Columns {
        indicator: scan.col(Role::Indicator)?,
        standard: scan.col(Role::Standard),
        max: scan.col(Role::Max),
        self_score: scan.col(Role::SelfScore),
        assessed: scan.col(Role::Assessed),
        reason: scan.col(Role::Reason),
        category,
        deduction: None,
    };
    let sections: Vec<answers::Section> = veto_sections(grid, scan.row);
    let skip = |row: u32| sections.iter().any(|s| s.holds(row));
    let shape = structure::shape(grid, scan.row, &cols, &DraftWords, &skip);
    let item_col = item_column(grid, &cols, &shape, scan.row);
    let mut out = SheetDraft {
        title: title(grid, scan.row),
        labels: labels(grid, scan, item_col),
        ..SheetDraft::default()
    };
    out.note = shape
        .footers
        .iter()
        .find_map(|f| points_in_note(&f.text).map(|p| (f.text.clone(), p)));
    let mut grouping: Option<String> = None;
    for block in &shape.blocks {
        if let Some(text) = category.and_then(|c| grid.text(block.cell.row, c)) {
            grouping = Some(text.trim().to_string());
        }
        match block.kind {
            Kind::Bonus => {
                let max = block.points.or_else(|| first_number(grid, cols.max, &block.rows));
                out.bonus = Some((block.name.clone(), max));
            }
            Kind::Candidate => {
                let category = if block.spans_grouping {
                    Some(block.text.trim().to_string())
                } else {
                    grouping.clone()
                };
                out.indicators.push(indicator(grid, &cols, block, item_col, category));
            }
            _ => {}
        }
    }
    if out.indicators.is_empty() {
        return None;
    }
    (out.veto, out.veto_title) = veto_items(grid, &sections);
    Some(out)
}

/// The 一票否决 blocks of a sheet, under the titles a draft knows.
fn veto_sections(grid: &Grid, header: u32) -> Vec<answers::Section> {
    let words = [(
        answers::Which::Veto,
        VETO_TITLES.iter().map(|t| norm_label(t)).collect(),
    )];
    answers::sections(grid, &words, Some(header))
}

/// The items of a veto block: in each row after its title, the longest
/// text that is no title of its own and no 是/否 answer.
fn veto_items(grid: &Grid, sections: &[answers::Section]) -> (Vec<String>, Option<String>) {
    let Some(section) = sections.first() else {
        return (Vec::new(), None);
    };
    let titles = ["序号", "内容", "事项", "是否", "有无", "有/无", "是/否", "备注"];
    let mut items = Vec::new();
    for (_, cells) in grid.rows_below(section.title.row).filter(|(r, _)| *r <= section.last) {
        let item = cells
            .iter()
            .filter_map(|(_, cell)| Some((cell.label()?, cell)))
            .filter(|(label, cell)| {
                !titles.contains(label) && forms::yes_no(&cell.value).is_none() && !label.starts_with('注')
            })
            .filter_map(|(_, cell)| match &cell.value {
                Value::Text(t) => Some(t.trim()),
                _ => None,
            })
            .max_by_key(|t| t.chars().count());
        if let Some(item) = item.filter(|t| !["签", "盖章", "年月日"].iter().any(|w| t.contains(w))) {
            items.push(strip_numbering_dot(item));
        }
    }
    let title = grid.text(section.title.row, section.title.col).map(|t| {
        let (head, _) = structure::split_colon(t);
        indicator_name(head)
    });
    let local = title.filter(|t| !scoring_rows::VETO_TITLES.iter().any(|b| t.starts_with(b)));
    (items, local)
}

/// An item text without a leading `1.` or `（一）`.
fn strip_numbering_dot(text: &str) -> String {
    crate::grid::strip_numbering(text).trim().to_string()
}

/// The first number in `col` over `rows`.
fn first_number(grid: &Grid, col: Option<u32>, rows: &[u32]) -> Option<f64> {
    let col = col?;
    rows.iter().find_map(|&r| number(grid, r, col))
}

fn number(grid: &Grid, row: u32, col: u32) -> Option<f64> {
    match &grid.get(row, col).filter(|c| !c.merged)?.value {
        Value::Number(n) => Some(*n),
        Value::Text(t) => parse_number(t),
        _ => None,
    }
}

/// The column that names an indicator's items: of the text columns under
/// the header, the one whose texts differ row by row over the rows with
/// points; a title saying it holds the content (考评内容, 评分要点) over one
/// saying it holds the rule (评分标准, 评分办法); then the nearest to the
/// indicator column.
fn item_column(grid: &Grid, cols: &Columns, shape: &Shape, header: u32) -> Option<u32> {
    let rows = shape.rows_with_points(grid, cols, Kind::Candidate);
    let taken = [
        Some(cols.indicator),
        cols.max,
        cols.self_score,
        cols.assessed,
        cols.category,
    ];
    let mut best: Option<(i64, u32)> = None;
    for (col, cell) in grid.row(header) {
        if taken.contains(&Some(*col)) {
            continue;
        }
        let title = cell.label().unwrap_or_default();
        let texts: Vec<&str> = rows.iter().filter_map(|&r| grid.text(r, *col)).collect();
        let mut distinct = texts.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if texts.len() < rows.len().min(2) || distinct.len() * 10 < texts.len() * 9 {
            continue;
        }
        let hint = if ITEM_TITLES.iter().any(|t| title.ends_with(t)) {
            2
        } else if RULE_TITLES.iter().any(|t| title.ends_with(t)) {
            -2
        } else {
            0
        };
        let distance = i64::from(col.abs_diff(cols.indicator));
        let score = hint * 100 - distance;
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, *col));
        }
    }
    best.map(|(_, col)| col).or(cols.standard)
}

/// One indicator from its block.
fn indicator(
    grid: &Grid,
    cols: &Columns,
    block: &structure::Block,
    item_col: Option<u32>,
    category: Option<String>,
) -> Drafted {
    let with_points = block.rows_with_points(grid, cols);
    let item_max = |row: u32| {
        cols.max
            .and_then(|c| number(grid, row, c))
            .or_else(|| item_col.and_then(|c| grid.text(row, c)).and_then(label_points))
    };
    let texts = block
        .rows
        .iter()
        .flat_map(|&r| grid.row(r).iter().filter_map(move |(c, _)| grid.text(r, *c)))
        .chain(std::iter::once(block.text.as_str()));
    // Scored from ballots where the form says so (满意度测评, 按满意率折算),
    // unless it says the result is written on the form (由工委填写).
    let ballot =
        texts.clone().any(|t| BALLOT_WORDS.iter().any(|w| t.contains(w))) && !texts.clone().any(|t| t.contains("填写"));
    let negative = layout::scoring_rows::DEDUCTIONS
        .iter()
        .any(|d| block.name.starts_with(d) || category.as_deref().is_some_and(|c| indicator_name(c).starts_with(d)));
    // A score merged over the block's rows scores it whole.
    let whole = with_points.len() == 1
        || with_points.first().is_some_and(|&first| {
            [cols.assessed, cols.self_score].into_iter().flatten().any(|c| {
                grid.region_at(first, c)
                    .is_some_and(|m| m.top == first && m.bottom > first)
            })
        });
    let mut items: Vec<(String, f64)> = Vec::new();
    let mut unlisted = 0;
    if !whole && !ballot && !negative {
        for (k, &row) in with_points.iter().enumerate() {
            match item_max(row) {
                Some(max) if max > 0.0 => {
                    let text = item_col.and_then(|c| grid.text(row, c)).map(item_name);
                    let name = text
                        .filter(|t| !t.is_empty())
                        .unwrap_or_else(|| format!("第{}项", k + 1));
                    items.push((name, max));
                }
                _ => unlisted += 1,
            }
        }
        if unlisted > 0 {
            items.clear();
        }
        // The same name twice is no list of items: numbered apart.
        let mut seen: Vec<String> = Vec::new();
        for (name, _) in &mut items {
            let base = name.clone();
            let mut n = 2;
            while seen.contains(name) {
                *name = format!("{base}（{n}）");
                n += 1;
            }
            seen.push(name.clone());
        }
    }
    let listed: Option<f64> = (!items.is_empty()).then(|| items.iter().map(|(_, m)| m).sum());
    let max = block
        .points
        .or(listed)
        .or_else(|| whole.then(|| with_points.first().and_then(|&r| item_max(r))).flatten())
        .or_else(|| {
            let maxima: Option<Vec<f64>> = with_points.iter().map(|&r| item_max(r)).collect();
            maxima.filter(|m| !m.is_empty()).map(|m| m.iter().sum())
        });
    Drafted {
        name: block.name.clone(),
        max,
        items: if items.len() > 1 { items } else { Vec::new() },
        unlisted,
        category,
        negative,
        ballot: ballot && !negative,
    }
}

/// An item's name as written, without the points it states (`党费收缴（5分）`).
fn item_name(text: &str) -> String {
    let t = text.trim();
    match label_points(t) {
        Some(_) => t
            .rfind(['(', '（'])
            .and_then(|at| t.get(..at))
            .unwrap_or(t)
            .trim()
            .to_string(),
        None => t.to_string(),
    }
}

/// The scheme text for the sheets drafted.
fn write(stem: &str, sheets: Vec<SheetDraft>) -> Result<String, Problem> {
    let mut indicators: Vec<Drafted> = Vec::new();
    let mut bonus = None;
    let mut veto = Vec::new();
    let mut veto_title = None;
    let mut note = None;
    let mut labels: Vec<(&'static str, String)> = Vec::new();
    let mut title = None;
    for sheet in sheets {
        for ind in sheet.indicators {
            // A repeated header over a second sheet of the same table.
            if !indicators.iter().any(|i| i.name == ind.name) {
                indicators.push(ind);
            }
        }
        bonus = bonus.or(sheet.bonus);
        if veto.is_empty() {
            veto = sheet.veto;
            veto_title = sheet.veto_title;
        }
        note = note.or(sheet.note);
        title = title.or(sheet.title);
        for label in sheet.labels {
            if !labels.iter().any(|(k, _)| *k == label.0) {
                labels.push(label);
            }
        }
    }
    if let Some(missing) = indicators
        .iter()
        .find(|i| i.max.is_none() && !i.negative && note.is_none())
    {
        return Err(Problem::DraftNoPoints {
            indicator: missing.name.clone(),
        });
    }
    let each = note.as_ref().map(|(_, p)| *p);
    let max_of = |ind: &Drafted| ind.max.or(each).unwrap_or_default();
    let earned: f64 = indicators.iter().filter(|i| !i.negative).map(max_of).sum();
    if earned <= 0.0 {
        return Err(Problem::DraftNoPoints {
            indicator: indicators.first().map(|i| i.name.clone()).unwrap_or_default(),
        });
    }
    let bonus_max = bonus.as_ref().and_then(|b| b.1).unwrap_or(0.0);
    let title = title.unwrap_or_else(|| stem.to_string());
    let mut out = String::new();
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let n = fmt_points;
    let _ = writeln!(
        out,
        "# 评星方案草稿：由「{stem}」生成。指标、分值和栏目名称取自表格，请逐项核对；"
    );
    let _ = writeln!(out, "# 档次、测评等次、一票否决的结果档次是默认值，请按本地方案修改。");
    let _ = writeln!(out);
    let _ = writeln!(out, "name = {}", q(stem));
    let _ = writeln!(out, "title = {}", q(&title));
    let _ = writeln!(out, "total_cap = {}", n(earned + bonus_max));
    let _ = writeln!(out);
    match &bonus {
        Some((label, Some(max))) => {
            let _ = writeln!(out, "[bonus]\nlabel = {}\nmax = {}", q(label), n(*max));
        }
        Some((label, None)) => {
            let _ = writeln!(
                out,
                "[bonus]\nlabel = {}\nmax = 0  # 表中没有写明加分上限，请按本地方案填写",
                q(label)
            );
        }
        None => {
            let _ = writeln!(out, "# 表中没有加分行：不设加分（需要时加 [bonus] label、max）");
        }
    }
    let mut category = None;
    for ind in &indicators {
        if ind.category.is_some() && ind.category != category {
            category = ind.category.clone();
            let shown: Vec<&str> = category.as_deref().unwrap_or_default().split_whitespace().collect();
            let _ = write!(out, "\n# 类别：{}\n", shown.join(" "));
        }
        let _ = writeln!(out, "\n[[indicators]]\nname = {}", q(&ind.name));
        match (ind.max, &note) {
            (Some(max), _) if !ind.negative || max > 0.0 => {
                let _ = writeln!(out, "max = {}", n(max));
            }
            (None, Some((text, max))) if !ind.negative => {
                let _ = writeln!(out, "max = {}  # 取自表下说明「{text}」", n(*max));
            }
            _ => {
                let _ = writeln!(
                    out,
                    "max = {}  # 表中没有写明最多扣多少分：按可得分数计，扣到 0 为止",
                    n(earned)
                );
            }
        }
        if ind.negative {
            let _ = writeln!(out, "negative = true  # 减分项：表上填扣掉的分数");
            continue;
        }
        if ind.ballot {
            let _ = writeln!(out, "# 由测评票或测评汇总表计分；若在评分表上打分，删去下一行");
            let _ = writeln!(out, "source = \"ballot\"");
            continue;
        }
        if ind.unlisted > 1 {
            let _ = writeln!(
                out,
                "# 表中 {} 行打分但未写明各行分值，整项按一个分数计（各行相加）",
                ind.unlisted
            );
        }
        if !ind.items.is_empty() {
            let _ = writeln!(out, "items = [");
            for (name, max) in &ind.items {
                let _ = writeln!(out, "  {{ name = {}, max = {} }},", q(name), n(*max));
            }
            let _ = writeln!(out, "]");
        }
    }
    if let Some(title) = &veto_title {
        labels.push((Role::Veto.key(), title.clone()));
    }
    if !labels.is_empty() {
        let _ = writeln!(out, "\n# 本地表格的栏目名称\n[labels]");
        for (key, title) in &labels {
            let _ = writeln!(out, "{key} = [{}]", q(title));
        }
    }
    if !veto.is_empty() {
        let _ = writeln!(
            out,
            "\n# 一票否决：任一事项为“是”（或“有”）即评为 tier 档（请核对）\n[veto]\ntier = \"一星\"\nitems = ["
        );
        for item in &veto {
            let _ = writeln!(out, "  {},", q(item));
        }
        let _ = writeln!(out, "]");
    }
    let _ = writeln!(out, "\n{EDIT_BELOW}");
    out.push_str(DEFAULT_TIERS_AND_BALLOT);
    Ok(out)
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

/// `[labels]` entries: the header's titles that are not built in (an item
/// column's title only where the draft took its items from it), and
/// identity labels above the header that are not.
fn labels(grid: &Grid, scan: &HeaderScan, item_col: Option<u32>) -> Vec<(&'static str, String)> {
    let mut entries: Vec<(&'static str, String)> = scan
        .suggested
        .iter()
        .filter(|t| t.role != Role::Max || !t.text.contains("分值"))
        .filter(|t| t.role != Role::Standard || Some(t.col) == item_col)
        .filter(|t| content_fits(grid, scan.row, t.col, t.role))
        .map(|t| (t.role.key(), t.text.clone()))
        .collect();
    // The item column, when no title of it is built in or suggested.
    if let Some(col) = item_col
        && !scan.known.iter().chain(&scan.suggested).any(|t| t.col == col)
        && let Some(text) = grid.label(scan.row, col)
    {
        entries.push((Role::Standard.key(), text.to_string()));
    }
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
