//! The branch scoring form (评分表), and the party group's.
//!
//! A sheet is read in two steps: [`prepare`] reads its structure (the
//! table's blocks and extent, the 是/否 blocks, who it names), and
//! [`read_part`] its scores at the stage its submission is at — the sheets
//! of one workbook that rate the same branch are one submission, merged by
//! [`finish`]. Blocks are matched to the scheme by indicator name, items
//! by name or order; a row without points is an indicator's content, not
//! an item.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use serde::{Deserialize, Serialize};

use super::answers::{self, Section, Which};
use super::structure::{self, Block, Columns, FooterKind, Kind, Shape, Vocabulary, has_points, starts_with_word};
use super::table::{ColumnSpec, Header, find_header};
use super::{Identity, Sheet, SheetRef};
use crate::grid::{half_width, indicator_name, label_points, norm_label};
use crate::issue::{CellRef, Issue, Privacy, Problem, has_error};
use crate::layout::{BRANCH_SCORING, GROUP_SCORING, Label, Role, ScoringLayout, printed, scoring_rows, titles};
use crate::points::{fmt_points, same, snap};
use crate::scheme::{Indicator, Item, Scheme, Schemes, Source, Subject, TierId};

const COL_INDICATOR: usize = 0;
const COL_STANDARD: usize = 1;
const COL_MAX: usize = 2;
const COL_SELF: usize = 3;
const COL_ASSESSED: usize = 4;
const COL_REASON: usize = 5;
const COL_CATEGORY: usize = 6;
const COL_DEDUCTION: usize = 7;

/// A column's titles: built-in, then those the branch and party-group
/// schemes add (the two kinds of form share their columns).
pub(crate) fn column_titles(schemes: &Schemes, role: Role) -> Vec<&str> {
    let mut words = titles(role.builtin(), role, &schemes.branch.labels);
    words.extend(
        schemes
            .group
            .labels
            .get(&role)
            .into_iter()
            .flatten()
            .map(String::as_str),
    );
    words
}

/// The columns a reader looks for: [`ScoringLayout::ROLES`], then a
/// grouping column.
fn specs(schemes: &Schemes) -> Vec<ColumnSpec> {
    ScoringLayout::ROLES
        .iter()
        .chain([&Role::Category, &Role::Deduction])
        .map(|&role| ColumnSpec::exact(&column_titles(schemes, role)))
        .collect()
}

/// Which scores a form carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Assessed scores filled in (定星).
    Final,
    /// Only self scores (荐星): results are preliminary (预评).
    Preliminary,
}

/// One item as filled in on the form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormItem {
    /// Self score, when valid.
    pub self_score: Option<f64>,
    /// Assessed score, when valid.
    pub assessed: Option<f64>,
    /// Reason for lost points, as written.
    pub reason: Option<String>,
    /// Zero-based row on the sheet.
    pub row: u32,
    /// One score for the whole indicator, in a cell merged over its items.
    pub whole: bool,
}

impl FormItem {
    /// The score that counts at a stage.
    pub fn score(&self, stage: Stage) -> Option<f64> {
        match stage {
            Stage::Final => self.assessed,
            Stage::Preliminary => self.self_score,
        }
    }
}

/// A problem in a score column that does not count at this stage is only a
/// warning: the self score does not change the result.
fn counted_at_stage(issue: Issue, is_stage: bool) -> Issue {
    if is_stage {
        issue
    } else {
        issue.downgraded("自评分不影响评定结果")
    }
}

/// A scored form — a branch's or party group's scoring form, or one member's
/// row of a roster — with items aligned with its scheme.
#[derive(Debug, Clone)]
pub struct ScoredForm {
    /// Who is rated.
    pub subject: Subject,
    /// Its name and parent.
    pub identity: Identity,
    /// File and sheet (the first sheet of a form spread over several).
    pub source: SheetRef,
    /// Final or preliminary.
    pub stage: Stage,
    /// Items per scheme indicator (empty for ballot-scored indicators).
    pub items: Vec<Vec<FormItem>>,
    /// Bonus at the form's stage, capped at the scheme maximum.
    pub bonus: f64,
    /// Answers aligned with the scheme's veto and cap items.
    pub veto: Vec<bool>,
    /// Answers aligned with the scheme's tier conditions.
    pub conditions: Vec<bool>,
    /// Totals the form states that its items alone do not give (a line
    /// under the table may state the final total): checked once scored.
    pub stated: Vec<Stated>,
    /// Tiers the form states (支部申报星级, 党委评定星级).
    pub declared: Vec<Declared>,
    /// Whether the form is free of errors.
    pub valid: bool,
}

/// A total a form states, where it states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Stated {
    /// File and sheet.
    pub source: SheetRef,
    /// Its cell.
    pub cell: CellRef,
    /// Its label as written (合计, 综合考评得分).
    pub label: String,
    /// The number.
    pub value: f64,
}

/// A tier a form states, where it states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Declared {
    /// File and sheet.
    pub source: SheetRef,
    /// Its cell.
    pub cell: CellRef,
    /// Its label as written (支部申报星级).
    pub label: String,
    /// The tier named, if the scheme has it.
    pub tier: Option<TierId>,
    /// As written.
    pub text: String,
}

/// Finds the header row of a scoring form.
pub fn detect(grid: &crate::grid::Grid, schemes: &Schemes) -> Option<Header> {
    find_header(grid, &specs(schemes), |h| {
        h.col(COL_INDICATOR).is_some()
            && (h.col(COL_SELF).is_some() || h.col(COL_ASSESSED).is_some())
            && h.matched() >= 3
    })
}

/// The labels a scheme's forms use, for [`structure::shape`].
pub struct SchemeWords<'a> {
    scheme: &'a Scheme,
    /// A sheet that is one indicator's table: its labels are that
    /// indicator's rows.
    whole: bool,
    indicators: Vec<String>,
    bonus: Vec<&'a str>,
    totals: Vec<&'a str>,
    declared: Vec<&'a str>,
    headings: Vec<String>,
}

impl<'a> SchemeWords<'a> {
    /// The words of `scheme`.
    pub fn new(scheme: &'a Scheme) -> SchemeWords<'a> {
        let bonus = std::iter::once(scheme.bonus.label.as_str())
            .chain(scheme.bonus.items.iter().map(|i| i.label.as_str()))
            .collect();
        let headings = scheme
            .parts
            .iter()
            .map(|p| indicator_name(&p.name))
            .chain([Role::Veto, Role::Condition].into_iter().flat_map(|role| {
                titles(role.builtin(), role, &scheme.labels)
                    .into_iter()
                    .map(indicator_name)
                    .collect::<Vec<_>>()
            }))
            .collect();
        SchemeWords {
            scheme,
            whole: false,
            indicators: scheme.indicators.iter().map(|i| norm_label(&i.name)).collect(),
            bonus,
            totals: titles(Role::Total.builtin(), Role::Total, &scheme.labels),
            declared: titles(Role::Declared.builtin(), Role::Declared, &scheme.labels),
            headings,
        }
    }
}

impl Vocabulary for SchemeWords<'_> {
    fn kind(&self, name: &str, _: &str) -> Kind {
        if let Some(k) = self.indicators.iter().position(|i| i == name) {
            return Kind::Indicator(k);
        }
        if starts_with_word(name, &self.bonus) {
            Kind::Bonus
        } else if starts_with_word(name, &self.totals) {
            Kind::Total
        } else if self.headings.iter().any(|h| h == name) {
            Kind::Heading
        } else if self.whole {
            Kind::Candidate
        } else {
            Kind::Unknown
        }
    }

    fn states_tier(&self, name: &str) -> bool {
        self.declared.iter().any(|d| name.ends_with(&norm_label(d)))
    }

    fn states_total(&self, name: &str) -> bool {
        starts_with_word(name, &self.totals)
            || scoring_rows::TOTAL_ENDINGS.iter().any(|e| name.ends_with(e))
            || self
                .scheme
                .labels
                .get(&Role::Total)
                .is_some_and(|t| t.iter().any(|t| norm_label(t) == name))
    }
}

/// A scoring sheet whose structure is read, before its scores are: what
/// the sheets of one submission need to agree on its stage.
pub struct Prepared {
    /// Branch or party group.
    pub subject: Subject,
    /// The columns.
    pub cols: Columns,
    /// The table's structure.
    pub shape: Shape,
    /// The 是/否 blocks.
    pub sections: Vec<Section>,
    /// Who the sheet names, if it does.
    pub identity: Option<Identity>,
    /// The cells its name, parent and code were read from.
    pub identity_cells: Vec<(CellRef, String)>,
    /// Problems of its identity fields.
    pub issues: Vec<Issue>,
    /// Whether any self, assessed and deduction cell of the table is filled.
    pub filled: [bool; 3],
}

impl Prepared {
    /// The indicators whose blocks the sheet holds.
    pub fn indicators(&self) -> impl Iterator<Item = usize> + '_ {
        self.shape.blocks.iter().filter_map(|b| match b.kind {
            Kind::Indicator(k) => Some(k),
            _ => None,
        })
    }
}

/// Reads a scoring sheet's structure: identity, columns, blocks, answers.
pub fn prepare(sheet: &Sheet, header: &Header) -> Prepared {
    let subject = subject_of(sheet, header);
    let scheme = sheet.schemes.for_subject(subject);
    let layout = match subject {
        Subject::Group => &GROUP_SCORING,
        _ => &BRANCH_SCORING,
    };
    let (found, issues) = sheet.found_identity(header.row, Privacy::Public, (&layout.identity, &scheme.labels), true);
    let identity = found.identity();
    let identity_cells = [
        ("名称", &found.name),
        ("所属党组织", &found.parent),
        ("编码", &found.code),
    ]
    .into_iter()
    .filter_map(|(what, field)| field.as_ref().map(|f| (f.cell, format!("{what}：{}", f.value))))
    .collect();
    let cols = Columns {
        indicator: header.col(COL_INDICATOR).unwrap_or(0),
        standard: header.col(COL_STANDARD),
        max: header.col(COL_MAX),
        self_score: header.col(COL_SELF),
        assessed: header.col(COL_ASSESSED),
        reason: header.col(COL_REASON),
        category: header.col(COL_CATEGORY),
        deduction: header.col(COL_DEDUCTION),
    };
    let sections = answers::sections(sheet.grid, &answers::titles_of(scheme), Some(header.row));
    let skip = |row: u32| sections.iter().any(|s| s.holds(row));
    let words = SchemeWords::new(scheme);
    let mut shape = structure::shape(sheet.grid, header.row, &cols, &words, &skip);
    // A sheet whose table names none of the indicators, while its name or
    // title names one (a sheet per star level: 三星级标准), is that
    // indicator's table: every row with points is one of its rows.
    if !shape.blocks.iter().any(|b| matches!(b.kind, Kind::Indicator(_)))
        && let Some(k) = sheet_indicator(sheet, scheme, header.row)
    {
        let words = SchemeWords { whole: true, ..words };
        shape = structure::shape(sheet.grid, header.row, &cols, &words, &skip);
        shape.merge_candidates(k);
    }
    let filled = [cols.self_score, cols.assessed, cols.deduction].map(|col| {
        col.is_some_and(|c| {
            shape
                .blocks
                .iter()
                .filter(|b| matches!(b.kind, Kind::Indicator(_) | Kind::Unknown))
                .flat_map(|b| &b.rows)
                .any(|&row| sheet.grid.get(row, c).is_some())
        })
    });
    Prepared {
        subject,
        cols,
        shape,
        sections,
        identity,
        identity_cells,
        issues,
        filled,
    }
}

/// Whether a sheet holds only part of indicator `k`: fewer rows with
/// points than the scheme lists items, or (an indicator without items)
/// stated points short of its maximum.
pub fn holds_part(grid: &crate::grid::Grid, prepared: &Prepared, scheme: &Scheme, k: usize) -> bool {
    let Some(indicator) = scheme.indicators.get(k) else {
        return false;
    };
    let cols = &prepared.cols;
    let rows = prepared.shape.rows_with_points(grid, cols, Kind::Indicator(k));
    if !indicator.items.is_empty() {
        return rows.len() < indicator.items.len();
    }
    let Some(max_col) = cols.max else {
        return false;
    };
    let stated: Option<f64> = rows
        .iter()
        .map(|&r| match &grid.get(r, max_col)?.value {
            crate::grid::Value::Number(n) => Some(*n),
            crate::grid::Value::Text(t) => crate::grid::parse_number(t),
            _ => None,
        })
        .sum();
    rows.len() > 1 && stated.is_some_and(|s| snap(s) < snap(indicator.max))
}

/// The one indicator a sheet's name or title names (`三星级标准`), if any.
fn sheet_indicator(sheet: &Sheet, scheme: &Scheme, header_row: u32) -> Option<usize> {
    let names: Vec<String> = scheme.indicators.iter().map(|i| norm_label(&i.name)).collect();
    let sheet_name = norm_label(sheet.name);
    if let Some(k) = names.iter().position(|n| *n == sheet_name) {
        return Some(k);
    }
    let above: Vec<&str> = sheet
        .grid
        .texts()
        .filter(|(c, _, _)| c.row < header_row)
        .map(|(_, _, label)| label)
        .collect();
    let mut named = names
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.is_empty() && above.iter().any(|t| t.contains(n.as_str())));
    match (named.next(), named.next()) {
        (Some((k, _)), None) => Some(k),
        _ => None,
    }
}

/// What one sheet gives its submission.
#[derive(Debug)]
pub struct Part {
    /// File and sheet.
    pub source: SheetRef,
    /// Per scheme indicator, its items if the sheet holds it.
    pub items: Vec<Option<Vec<FormItem>>>,
    /// The bonus rows' sum at the stage, per kind capped; `None` without rows.
    pub bonus: Option<f64>,
    /// The 是/否 answers found on the sheet.
    pub answers: answers::Answers,
    /// Totals stated that the sheet's items do not give.
    pub stated: Vec<Stated>,
    /// Tiers stated.
    pub declared: Vec<Declared>,
    /// The self-score column's title, if the sheet has one.
    pub self_column: Option<CellRef>,
    /// Self-score cells left empty.
    pub missing_self: Vec<CellRef>,
    /// Problems found.
    pub issues: Vec<Issue>,
}

/// The stage of a submission from the cells its sheets fill: assessed or
/// deducted scores anywhere make it final, self scores alone preliminary;
/// `None` when nothing is filled.
pub fn stage_of<'a>(sheets: impl IntoIterator<Item = &'a Prepared>) -> Option<Stage> {
    let mut filled = [false; 3];
    for p in sheets {
        for (f, g) in filled.iter_mut().zip(p.filled) {
            *f |= g;
        }
    }
    match filled {
        [_, true, _] | [_, _, true] => Some(Stage::Final),
        [true, _, _] => Some(Stage::Preliminary),
        _ => None,
    }
}

/// Reads a prepared sheet's scores at the submission's stage.
pub fn read_part(sheet: &Sheet, prepared: &Prepared, stage: Stage) -> Part {
    let scheme = sheet.schemes.for_subject(prepared.subject);
    let cols = &prepared.cols;
    let shape = &prepared.shape;
    let mut issues = Vec::new();
    let mut part = Part {
        source: sheet.source(),
        items: vec![None; scheme.indicators.len()],
        bonus: None,
        answers: answers::Answers::default(),
        stated: Vec::new(),
        declared: Vec::new(),
        self_column: cols.self_score.map(|c| CellRef::new(shape.header, c)),
        missing_self: Vec::new(),
        issues: Vec::new(),
    };
    // Without a 分值 column the labels must give the points.
    let points_in_labels = shape.blocks.iter().any(|b| {
        b.points.is_some()
            || b.rows.iter().any(|&row| {
                cols.standard
                    .and_then(|c| sheet.grid.text(row, c))
                    .and_then(label_points)
                    .is_some()
            })
    });
    if cols.max.is_none() && !points_in_labels {
        issues.push(sheet.issue(
            None,
            Problem::NoPointsOnForm {
                scheme: scheme.name.clone(),
            },
        ));
    }
    let stage_col = match stage {
        Stage::Final => cols.assessed.or(cols.deduction),
        Stage::Preliminary => cols.self_score,
    };
    let Some(stage_col) = stage_col else {
        issues.push(sheet.issue(None, missing_column(sheet.schemes, Role::Assessed)));
        part.issues = issues;
        return part;
    };
    let read = Reading {
        sheet,
        scheme,
        cols,
        stage,
        stage_col,
    };
    // A level's sheet left blank where the others are filled: the level
    // was not applied for, and is not reached.
    let held: Vec<usize> = prepared.indicators().collect();
    let levels = |k: &usize| scheme.level_of(*k).is_some();
    if stage == Stage::Final && prepared.filled == [false; 3] && !held.is_empty() && held.iter().all(levels) {
        for &k in &held {
            let Some(indicator) = scheme.indicators.get(k) else {
                continue;
            };
            let first = shape
                .blocks
                .iter()
                .find(|b| b.kind == Kind::Indicator(k))
                .and_then(|b| b.rows.first());
            let zero = FormItem {
                self_score: Some(0.0),
                assessed: Some(0.0),
                reason: None,
                row: first.copied().unwrap_or(shape.header),
                whole: false,
            };
            if let Some(slot) = part.items.get_mut(k) {
                *slot = Some(vec![zero; indicator.scored_items().len()]);
            }
        }
        let names = held
            .iter()
            .filter_map(|&k| scheme.indicators.get(k))
            .map(|i| format!("「{}」", i.name))
            .collect();
        issues.push(sheet.issue(None, Problem::LevelBlank { names }));
        part.answers = answers::read(sheet.grid, scheme, &prepared.sections, &|row| !shape.holds(row));
        part.issues = issues;
        return part;
    }
    read.items(shape, &mut part, &mut issues);
    let bonus_rows: Vec<u32> = shape
        .blocks
        .iter()
        .filter(|b| b.kind == Kind::Bonus)
        .flat_map(|b| b.rows.iter().copied())
        .filter(|&r| {
            cols.scores()
                .into_iter()
                .flatten()
                .any(|c| sheet.grid.get(r, c).is_some())
        })
        .collect();
    let (bonus, bonus_by_col) = read_bonus(sheet, scheme, cols, &bonus_rows, (stage, stage_col), &mut issues);
    part.bonus = (!bonus_rows.is_empty()).then_some(bonus);
    let totals = Totals {
        items: &part.items,
        bonus: bonus_by_col,
        ballot_rows: ballot_rows_on_form(sheet, scheme, cols, shape),
    };
    part.stated = check_totals(&read, shape, &totals, &mut issues);
    part.declared = declared(sheet, scheme, shape);
    let outside = |row: u32| !shape.holds(row);
    part.answers = answers::read(sheet.grid, scheme, &prepared.sections, &outside);
    part.issues = issues;
    part
}

/// What reading one sheet's items needs.
struct Reading<'a> {
    sheet: &'a Sheet<'a>,
    scheme: &'a Scheme,
    cols: &'a Columns,
    stage: Stage,
    stage_col: u32,
}

impl Reading<'_> {
    /// Reads every indicator block of the table into `part.items`; a
    /// label the scheme does not know, on a row with points, is reported.
    fn items(&self, shape: &Shape, part: &mut Part, issues: &mut Vec<Issue>) {
        let grid = self.sheet.grid;
        // An indicator whose rows stand apart on the form (its label
        // written again further down) is one block.
        let mut blocks: Vec<(usize, Block)> = Vec::new();
        for block in &shape.blocks {
            match block.kind {
                Kind::Indicator(k) => match blocks.iter_mut().find(|(j, _)| *j == k) {
                    Some((_, b)) => b.rows.extend(&block.rows),
                    None => blocks.push((k, block.clone())),
                },
                Kind::Unknown if block.rows.iter().any(|&r| has_points(grid, self.cols, r)) => {
                    let name = if block.name.is_empty() {
                        "（空）".to_string()
                    } else {
                        block.name.clone()
                    };
                    issues.push(self.sheet.issue(
                        Some(block.cell),
                        Problem::UnknownIndicator {
                            name,
                            scheme: self.scheme.name.clone(),
                        },
                    ));
                }
                _ => {}
            }
        }
        for (k, block) in blocks {
            let Some(indicator) = self.scheme.indicators.get(k) else {
                continue;
            };
            if indicator.source == Source::Ballot {
                let scored = block.rows.iter().any(|&row| {
                    self.cols
                        .scores()
                        .into_iter()
                        .flatten()
                        .any(|c| grid.get(row, c).is_some_and(|cell| !cell.merged))
                });
                if scored {
                    let problem = Problem::BallotIndicatorOnForm {
                        indicator: indicator.name.to_string(),
                    };
                    issues.push(self.sheet.issue(Some(block.cell), problem));
                }
                continue;
            }
            let read = self.block(indicator, &block, issues, &mut part.missing_self);
            if let Some(slot) = part.items.get_mut(k) {
                *slot = read;
            }
        }
    }

    /// One indicator's block: its items, or the indicator scored whole
    /// (one score merged over its rows, or one row for an indicator
    /// without items), or the sum of its rows (an indicator the scheme
    /// lists no items for, scored row by row, such as a 减分项 block of one
    /// deduction a row). Rows without points are its content, not items.
    fn block(
        &self,
        indicator: &Indicator,
        block: &Block,
        issues: &mut Vec<Issue>,
        missing_self: &mut Vec<CellRef>,
    ) -> Option<Vec<FormItem>> {
        let grid = self.sheet.grid;
        let scored = indicator.scored_items();
        let with_points = block.rows_with_points(grid, self.cols);
        let itemless = indicator.items.is_empty();
        // An indicator with items may give its own points in its label.
        if let Some(points) = block.points.filter(|p| !itemless && !same(*p, indicator.max)) {
            issues.push(self.mismatch(indicator, block.cell, &indicator.name, indicator.max, Some(points)));
        }
        let first = with_points.first().or(block.rows.first()).copied()?;
        // One score cell merged over the block's rows scores it whole.
        let spans = |col: u32| {
            grid.region_at(first, col).is_some_and(|m| {
                m.top == first && m.bottom > first && block.rows.iter().any(|r| *r > first && *r <= m.bottom)
            })
        };
        // Merged over every row of the block that has points.
        let last = with_points.last().copied().unwrap_or(first);
        let covers = |col: u32| spans(col) && grid.region_at(first, col).is_some_and(|m| m.bottom >= last);
        let whole = block.rows.len() > 1 && covers(self.stage_col);
        // The rows that are the scheme's items: those with points, or every
        // row when that is how many items there are (some left empty).
        let item_rows: Option<&[u32]> = if with_points.len() == scored.len() {
            Some(&with_points)
        } else if block.rows.len() == scored.len() {
            Some(&block.rows)
        } else {
            None
        };
        if whole && !itemless {
            // Each item still states its points; the score is the block's.
            match item_rows {
                Some(rows) => {
                    for (row, item) in aligned(self.sheet, self.cols, rows, &scored) {
                        let label = self.item_label(row);
                        self.check_max(row, indicator, &item.name, item.max, label, issues);
                    }
                }
                None if self.cols.max.is_some_and(covers) => {
                    self.check_max(first, indicator, &indicator.name, indicator.max, None, issues);
                }
                None => {}
            }
            let mut item =
                self.entry(first, indicator.max, indicator.negative)
                    .read(self, covers, issues, missing_self);
            item.whole = true;
            return Some(vec![item]);
        }
        if whole || (scored.len() == 1 && with_points.len() <= 1) {
            let max = scored.first().map_or(indicator.max, |i| i.max);
            let label = if itemless {
                block.points.map(|p| (block.cell, p))
            } else {
                self.item_label(first)
            };
            self.check_max(first, indicator, &indicator.name, max, label, issues);
            let usable = |c: u32| !whole || covers(c);
            return Some(vec![self.entry(first, max, indicator.negative).read(
                self,
                usable,
                issues,
                missing_self,
            )]);
        }
        if scored.len() == 1 {
            return Some(vec![self.summed(indicator, &with_points, issues, missing_self)]);
        }
        let Some(rows) = item_rows else {
            issues.push(self.sheet.issue(
                Some(block.cell),
                Problem::ItemCountMismatch {
                    indicator: indicator.name.to_string(),
                    found: with_points.len(),
                    expected: scored.len(),
                },
            ));
            return Some(Vec::new());
        };
        let mut read = Vec::with_capacity(rows.len());
        for (row, item) in aligned(self.sheet, self.cols, rows, &scored) {
            let label = self.item_label(row);
            self.check_max(row, indicator, &item.name, item.max, label, issues);
            read.push(
                self.entry(row, item.max, indicator.negative)
                    .read(self, |_| true, issues, missing_self),
            );
        }
        Some(read)
    }

    /// Several rows scoring one indicator the scheme lists no items for:
    /// their scores add up, within the indicator's maximum.
    fn summed(
        &self,
        indicator: &Indicator,
        rows: &[u32],
        issues: &mut Vec<Issue>,
        missing_self: &mut Vec<CellRef>,
    ) -> FormItem {
        let first = rows.first().copied().unwrap_or_default();
        let mut sum = FormItem {
            self_score: Some(0.0),
            assessed: Some(0.0),
            reason: None,
            row: first,
            whole: false,
        };
        let add = |a: Option<f64>, b: Option<f64>| Some(a? + b.unwrap_or(0.0));
        let mut reasons = Vec::new();
        // Each row within its own 分值 where it states one; those stated
        // must add up to the indicator's maximum.
        let maxima: Vec<Option<f64>> = rows
            .iter()
            .map(|&r| self.cols.max.and_then(|c| self.sheet.number(r, c, "").ok().flatten()))
            .collect();
        let stated: Option<Vec<f64>> = maxima.iter().copied().collect();
        if let Some(stated) = stated.filter(|m| !m.is_empty() && !indicator.negative) {
            let total: f64 = stated.iter().sum();
            if !same(total, indicator.max) {
                let cell = self
                    .cols
                    .max
                    .map_or(CellRef::new(first, self.stage_col), |c| CellRef::new(first, c));
                issues.push(self.mismatch(indicator, cell, &indicator.name, indicator.max, Some(total)));
            }
        }
        for (&row, max) in rows.iter().zip(&maxima) {
            let max = max.filter(|_| !indicator.negative).unwrap_or(indicator.max);
            let item = self
                .entry(row, max, indicator.negative)
                .read(self, |_| true, issues, missing_self);
            sum.self_score = add(sum.self_score, item.self_score);
            sum.assessed = add(sum.assessed, item.assessed);
            reasons.extend(item.reason);
        }
        // An empty row of a 减分项 block deducted nothing; of another block,
        // it is reported where it is read.
        sum.reason = (!reasons.is_empty()).then(|| reasons.join("；"));
        if let Some(v) = sum.score(self.stage).filter(|v| snap(*v) > snap(indicator.max)) {
            let column = printed(match self.stage {
                Stage::Final => BRANCH_SCORING.assessed,
                Stage::Preliminary => BRANCH_SCORING.self_score,
            });
            let problem = Problem::OverMax {
                column: format!("「{}」各行合计的{column}", indicator.name),
                value: fmt_points(v),
                max: fmt_points(indicator.max),
            };
            issues.push(self.sheet.issue(Some(CellRef::new(first, self.stage_col)), problem));
            sum.assessed = None;
        }
        sum
    }

    /// Points written in a row's item label (`（3分）`).
    fn item_label(&self, row: u32) -> Option<(CellRef, f64)> {
        let c = self.cols.standard?;
        Some((CellRef::new(row, c), label_points(self.sheet.grid.text(row, c)?)?))
    }

    fn entry(&self, row: u32, max: f64, negative: bool) -> Entry {
        Entry { row, max, negative }
    }

    fn mismatch(&self, indicator: &Indicator, cell: CellRef, item: &str, max: f64, found: Option<f64>) -> Issue {
        self.sheet.issue(
            Some(cell),
            Problem::MaxMismatch {
                indicator: indicator.name.to_string(),
                item: item.to_string(),
                found: found.map_or("（空）".to_string(), fmt_points),
                expected: fmt_points(max),
            },
        )
    }

    /// The points a row gives — its 分值 cell, and the points in its label —
    /// agree with each other and with the scheme's `max`.
    fn check_max(
        &self,
        row: u32,
        indicator: &Indicator,
        item: &str,
        max: f64,
        label: Option<(CellRef, f64)>,
        issues: &mut Vec<Issue>,
    ) {
        let grid = self.sheet.grid;
        let at = |c: u32| Some(CellRef::new(row, c));
        let column = self
            .cols
            .max
            .map(|c| (c, self.sheet.number(row, c, printed(BRANCH_SCORING.max))));
        match (column, label) {
            (Some((c, Err(p))), _) => issues.push(self.sheet.issue(at(c), p)),
            (Some((_, Ok(Some(m)))), Some((cell, p))) if !same(m, p) => issues.push(self.sheet.issue(
                Some(cell),
                Problem::MaxDisagrees {
                    label: grid.text(cell.row, cell.col).unwrap_or_default().trim().to_string(),
                    column: fmt_points(m),
                },
            )),
            // An empty 分值 cell is filled by the label's points; a form
            // that states no points at all is checked against the scheme.
            (Some((c, Ok(value))), label) => {
                let found = value.or(label.map(|(_, p)| p));
                if found.is_some_and(|m| !same(m, max)) {
                    issues.push(self.mismatch(indicator, CellRef::new(row, c), item, max, found));
                }
            }
            (None, Some((cell, p))) if !same(p, max) => {
                issues.push(self.mismatch(indicator, cell, item, max, Some(p)));
            }
            (None, _) => {}
        }
    }
}
/// A row whose scores are read against a maximum: an item's row, or the
/// first row of an indicator scored as a whole.
struct Entry {
    row: u32,
    max: f64,
    /// A 减分项's row: the points deducted, written as `5` or `-5`; an
    /// empty cell deducted nothing.
    negative: bool,
}

impl Entry {
    /// Reads the scores in the columns `usable` allows, the reason, and
    /// notes an empty self score.
    fn read(
        &self,
        reading: &Reading,
        usable: impl Fn(u32) -> bool,
        issues: &mut Vec<Issue>,
        missing_self: &mut Vec<CellRef>,
    ) -> FormItem {
        let Entry { row, max, negative } = *self;
        let Reading { sheet, cols, stage, .. } = *reading;
        let layout = &BRANCH_SCORING;
        let empty = |col: Option<u32>| col.is_none_or(|c| sheet.grid.get(row, c).is_none());
        let mut score = |col: Option<u32>, column: Label, is_stage: bool| -> Option<f64> {
            let col = col.filter(|&c| usable(c))?;
            if negative && sheet.grid.get(row, col).is_none() {
                return Some(0.0);
            }
            let read = if negative { Sheet::deduction } else { Sheet::score };
            read(sheet, row, col, printed(column), max).unwrap_or_else(|p| {
                issues.push(counted_at_stage(sheet.issue(Some(CellRef::new(row, col)), p), is_stage));
                None
            })
        };
        let self_score = score(cols.self_score, layout.self_score, stage == Stage::Preliminary);
        let written = score(cols.assessed, layout.assessed, stage == Stage::Final);
        let deducted = score(cols.deduction, scoring_rows::DEDUCTION, stage == Stage::Final);
        let assessed = match (written, deducted) {
            (Some(a), Some(d)) if !negative && !same(a, max - d) && !empty(cols.deduction) => {
                let at = cols.assessed.map(|c| CellRef::new(row, c));
                let problem = Problem::DeductionMismatch {
                    score: fmt_points(a),
                    deducted: fmt_points(d),
                    max: fmt_points(max),
                    expected: fmt_points(max - d),
                };
                issues.push(counted_at_stage(sheet.issue(at, problem), stage == Stage::Final));
                None
            }
            (Some(a), _) => Some(a),
            (None, Some(d)) if !negative => Some(max - d),
            (None, Some(d)) => Some(d),
            // A form of deductions alone: an empty cell deducted nothing.
            (None, None) if cols.assessed.is_none() && cols.deduction.filter(|&c| usable(c)).is_some() => {
                empty(cols.deduction).then_some(max)
            }
            (None, None) => None,
        };
        if stage == Stage::Final
            && !negative
            && cols.assessed.is_some_and(&usable)
            && empty(cols.assessed)
            && empty(cols.deduction)
        {
            let at = cols.assessed.map(|c| CellRef::new(row, c));
            issues.push(sheet.issue(at, Problem::MissingAssessed));
        }
        if let Some(c) = cols
            .self_score
            .filter(|&c| sheet.grid.get(row, c).is_none() && !negative)
        {
            missing_self.push(CellRef::new(row, c));
        }
        FormItem {
            self_score,
            assessed,
            reason: cols.reason.and_then(|c| sheet.grid.text(row, c)).map(str::to_string),
            row,
            whole: false,
        }
    }
}

/// Item rows paired with the scheme's items, in the scheme's order: by
/// name where every row names a different item (a form may list them in
/// its own order), otherwise by position.
fn aligned<'a>(sheet: &Sheet, cols: &Columns, rows: &[u32], items: &'a [Item]) -> Vec<(u32, &'a Item)> {
    let names: Vec<String> = items.iter().map(|i| norm_label(&i.name)).collect();
    let by_name: Option<Vec<usize>> = rows
        .iter()
        .map(|&row| {
            let text = norm_label(cols.standard.and_then(|c| sheet.grid.text(row, c))?);
            names.iter().position(|n| *n == text)
        })
        .collect();
    let distinct = by_name.as_ref().is_some_and(|found| {
        let mut sorted = found.clone();
        sorted.sort_unstable();
        sorted.dedup();
        sorted.len() == found.len()
    });
    let mut pairs: Vec<(usize, u32)> = match by_name.filter(|_| distinct) {
        Some(found) => found.into_iter().zip(rows.iter().copied()).collect(),
        None => rows.iter().copied().enumerate().collect(),
    };
    pairs.sort_by_key(|(k, _)| *k);
    pairs
        .into_iter()
        .filter_map(|(k, row)| Some((row, items.get(k)?)))
        .collect()
}

/// Bonus rows: each score column summed; the stage column's sum counts,
/// capped at the scheme maximum. Returns it and the sum per score column.
fn read_bonus(
    sheet: &Sheet,
    scheme: &Scheme,
    cols: &Columns,
    bonus_rows: &[u32],
    (stage, stage_col): (Stage, u32),
    issues: &mut Vec<Issue>,
) -> (f64, [f64; 2]) {
    let mut by_col = [0.0_f64; 2];
    // The stage column's bonus per kind (the scheme's items, then rows of
    // no kind), and the first row of each.
    let kinds = &scheme.bonus.items;
    let mut by_kind: Vec<(f64, Option<u32>)> = vec![(0.0, None); kinds.len() + 1];
    for &row in bonus_rows {
        // The kind is named anywhere in the row's labels (加分（表彰）, or
        // 表彰 in the 考评内容 column), brackets and all.
        let plain = |t: &str| half_width(t).chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let text = |c: u32| sheet.grid.text(row, c).map(plain).unwrap_or_default();
        let label = [cols.indicator]
            .into_iter()
            .chain(cols.standard)
            .map(text)
            .collect::<String>();
        let kind = kinds
            .iter()
            .position(|k| label.contains(&plain(&k.label)))
            .unwrap_or(kinds.len());
        for (sum, col) in by_col.iter_mut().zip(cols.scores()) {
            let Some(col) = col else { continue };
            let is_stage = col == stage_col;
            let at = Some(CellRef::new(row, col));
            match sheet.number(row, col, &scheme.bonus.label) {
                Ok(Some(v)) if v < 0.0 => {
                    let p = Problem::Negative {
                        column: scheme.bonus.label.clone(),
                        value: fmt_points(v),
                    };
                    issues.push(counted_at_stage(sheet.issue(at, p), is_stage));
                }
                Ok(v) => {
                    *sum += v.unwrap_or(0.0);
                    if let (true, Some(slot)) = (is_stage, by_kind.get_mut(kind)) {
                        slot.0 += v.unwrap_or(0.0);
                        slot.1.get_or_insert(row);
                    }
                }
                Err(p) => issues.push(counted_at_stage(sheet.issue(at, p), is_stage)),
            }
        }
    }
    // Each kind within its own cap, then all within the bonus cap.
    let mut bonus = 0.0;
    for (k, (sum, first)) in by_kind.into_iter().enumerate() {
        match kinds.get(k) {
            Some(kind) if snap(sum) > snap(kind.max) => {
                issues.push(sheet.issue(
                    first.map(|r| CellRef::new(r, stage_col)),
                    Problem::BonusItemOverMax {
                        item: kind.label.clone(),
                        value: fmt_points(sum),
                        max: fmt_points(kind.max),
                    },
                ));
                bonus += kind.max;
            }
            _ => bonus += sum,
        }
    }
    if kinds.is_empty() {
        // One sum as before, not regrouped (the same float order).
        let [self_bonus, assessed_bonus] = by_col;
        bonus = if stage == Stage::Final {
            assessed_bonus
        } else {
            self_bonus
        };
    }
    if snap(bonus) > snap(scheme.bonus.max) {
        let cell = bonus_rows.first().map(|&r| CellRef::new(r, stage_col));
        issues.push(sheet.issue(
            cell,
            Problem::BonusOverMax {
                value: fmt_points(bonus),
                max: fmt_points(scheme.bonus.max),
            },
        ));
        bonus = scheme.bonus.max;
    }
    (bonus, by_col)
}

/// What a stated total may add up: the items read, the bonus, and the
/// scores written on the form for parts the scheme takes from elsewhere (a
/// 群众评价 row the office filled in), each per score column.
struct Totals<'a> {
    items: &'a [Option<Vec<FormItem>>],
    bonus: [f64; 2],
    ballot_rows: [f64; 2],
}

/// The scores written on the form in the rows of ballot-scored indicators,
/// per score column.
fn ballot_rows_on_form(sheet: &Sheet, scheme: &Scheme, cols: &Columns, shape: &Shape) -> [f64; 2] {
    let mut sums = [0.0; 2];
    for block in &shape.blocks {
        let Kind::Indicator(k) = block.kind else { continue };
        if scheme.indicators.get(k).is_none_or(|i| i.source != Source::Ballot) {
            continue;
        }
        for &row in &block.rows {
            for (sum, col) in sums.iter_mut().zip(cols.scores()) {
                if let Some(Ok(Some(v))) = col.map(|c| sheet.number(row, c, "")) {
                    *sum += v;
                }
            }
        }
    }
    sums
}

/// Which sums a stated total may be: of the self scores, of the assessed
/// scores, or (in schemes that weigh both columns) of the two weighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sum {
    Own,
    Assessed,
    Blended,
}

/// Checks the totals a sheet states — 合计 rows in its table, total lines
/// under it — against what the sheet holds: its items, with or without the
/// bonus and the rows of parts scored elsewhere, or weighted. Only where
/// every indicator the sheet holds was read in full, and never where the
/// total is a formula (it sums the cells itself). A total in the column
/// that counts which the sheet's items do not give may be the final total
/// (ballots and weights included): it is returned, to be checked once the
/// branch is scored.
fn check_totals(read: &Reading, shape: &Shape, totals: &Totals, issues: &mut Vec<Issue>) -> Vec<Stated> {
    let Reading {
        sheet,
        scheme,
        cols,
        stage,
        ..
    } = *read;
    let grid = sheet.grid;
    // A value in a cell merged over both score columns is neither's own.
    let sums_of = |at: CellRef| -> &'static [Sum] {
        let both = match (cols.self_score, cols.assessed) {
            (Some(a), Some(b)) => grid
                .region_at(at.row, at.col)
                .is_some_and(|m| (m.left..=m.right).contains(&a) && (m.left..=m.right).contains(&b)),
            _ => false,
        };
        if both || Some(at.col) != cols.self_score || cols.self_score == cols.assessed {
            &[Sum::Assessed, Sum::Blended]
        } else {
            &[Sum::Own]
        }
    };
    // Each stated total: its label's row, its cell, the value, and whether
    // it stands under the table (where the final total may be stated).
    let mut lines: Vec<(u32, CellRef, f64, bool)> = Vec::new();
    for block in shape.blocks.iter().filter(|b| b.kind == Kind::Total) {
        for &row in &block.rows {
            for col in cols.scores().into_iter().flatten() {
                let real = grid.get(row, col).is_some_and(|c| !c.merged);
                if let (true, Ok(Some(v))) = (real, sheet.number(row, col, "")) {
                    lines.push((block.cell.row, CellRef::new(row, col), v, false));
                }
            }
        }
    }
    for footer in &shape.footers {
        if let FooterKind::Total { value, at, .. } = footer.kind {
            lines.push((footer.cell.row, at, value, true));
        }
    }
    lines.dedup_by_key(|(_, at, _, _)| *at);
    let items = totals.items;
    let read_whole = items.iter().zip(&scheme.indicators).all(|(slot, ind)| match slot {
        Some(v) => {
            v.len() == ind.scored_items().len() || matches!(v.as_slice(), [one] if one.whole || ind.items.is_empty())
        }
        None => true,
    });
    let item_count: usize = items.iter().flatten().map(Vec::len).sum();
    if !read_whole || item_count == 0 {
        return Vec::new();
    }
    let blend = |own: f64, assessed: f64| scheme.score_columns.map(|c| c.blend(own, assessed));
    // Each sum: the items' values (a 减分项 counts against), and what may
    // be added to them: the bonus and the rows scored elsewhere.
    let sum = |which: Sum| -> Option<(Vec<f64>, f64, f64)> {
        let values: Option<Vec<(f64, &Indicator)>> = items
            .iter()
            .zip(&scheme.indicators)
            .flat_map(|(slot, ind)| slot.iter().flatten().map(move |it| (it, ind)))
            .map(|(it, ind)| {
                let v = match which {
                    Sum::Own => it.self_score?,
                    Sum::Assessed => it.assessed?,
                    Sum::Blended => blend(it.self_score?, it.assessed?)?,
                };
                Some((if ind.negative { -v } else { v }, ind))
            })
            .collect();
        let values = values.filter(|v| v.len() == item_count)?;
        let plain: f64 = values.iter().map(|(v, _)| v).sum();
        // With weighted parts the form may state the weighted total.
        let weighted: f64 = scheme
            .parts
            .iter()
            .map(|part| {
                let in_part = values
                    .iter()
                    .filter(|(_, ind)| ind.part.as_deref() == Some(part.name.as_str()));
                in_part.map(|(v, _)| v).sum::<f64>().max(0.0) * part.weight
            })
            .sum();
        let mut candidates = vec![plain];
        if !scheme.parts.is_empty() {
            candidates.push(weighted);
        }
        let [bonus, rows] = match which {
            Sum::Own => [totals.bonus[0], totals.ballot_rows[0]],
            Sum::Assessed => [totals.bonus[1], totals.ballot_rows[1]],
            Sum::Blended => [
                blend(totals.bonus[0], totals.bonus[1])?,
                blend(totals.ballot_rows[0], totals.ballot_rows[1])?,
            ],
        };
        Some((candidates, bonus, rows))
    };
    let layout = &BRANCH_SCORING;
    let mut stated = Vec::new();
    for (label_row, cell, value, under) in lines {
        if grid.get(cell.row, cell.col).is_some_and(|c| c.formula) {
            continue;
        }
        let which = sums_of(cell);
        let agrees = which.iter().filter_map(|w| sum(*w)).any(|(candidates, bonus, rows)| {
            candidates.iter().any(|total| {
                [0.0, bonus, rows, bonus + rows]
                    .iter()
                    .any(|extra| same(value, total + extra))
            })
        });
        if agrees {
            continue;
        }
        let own = which == [Sum::Own];
        let label = grid
            .text(label_row, shape_label_col(shape, label_row))
            .map(|t| structure::split_colon(t).0.trim().to_string())
            .unwrap_or_else(|| printed(scoring_rows::TOTAL).to_string());
        if under && own == (stage == Stage::Preliminary) {
            stated.push(Stated {
                source: sheet.source(),
                cell,
                label,
                value,
            });
        } else if let Some((candidates, _, _)) = sum(which.first().copied().unwrap_or(Sum::Own)) {
            let column = printed(if own { layout.self_score } else { layout.assessed });
            issues.push(sheet.issue(
                Some(cell),
                Problem::TotalMismatch {
                    column: format!("{label}行的{column}"),
                    stated: fmt_points(value),
                    computed: fmt_points(candidates.first().copied().unwrap_or_default()),
                },
            ));
        }
    }
    stated
}

/// The column of the label a total line or block starts with.
fn shape_label_col(shape: &Shape, row: u32) -> u32 {
    shape
        .blocks
        .iter()
        .map(|b| b.cell)
        .chain(shape.footers.iter().map(|f| f.cell))
        .find(|c| c.row == row)
        .map_or(0, |c| c.col)
}

/// Tiers the sheet states outside its table (`支部申报星级：五星`, or the
/// label with the tier in the next cell).
pub fn declared(sheet: &Sheet, scheme: &Scheme, shape: &Shape) -> Vec<Declared> {
    declared_lines(sheet, scheme, &|row| !shape.holds(row))
}

/// Tiers stated in the rows `outside` allows.
pub fn declared_lines(sheet: &Sheet, scheme: &Scheme, outside: &dyn Fn(u32) -> bool) -> Vec<Declared> {
    let words = SchemeWords::new(scheme);
    let grid = sheet.grid;
    let mut found = Vec::new();
    for (cell, text, _) in grid.texts().filter(|(c, _, _)| outside(c.row)) {
        let (head, after) = structure::split_colon(text);
        let name = indicator_name(head);
        if name.is_empty() || !words.states_tier(&name) {
            continue;
        }
        let value = match after {
            Some(v) => Some((cell, v.to_string())),
            None => grid
                .row(cell.row)
                .iter()
                .find(|(c, v)| *c > cell.col && matches!(v.value, crate::grid::Value::Text(_)) && !v.merged)
                .and_then(|(c, _)| Some((CellRef::new(cell.row, *c), grid.text(cell.row, *c)?.to_string()))),
        };
        let Some((at, text)) = value else { continue };
        found.push(Declared {
            source: sheet.source(),
            cell: at,
            label: head.trim().to_string(),
            tier: scheme.tier_written(&norm_label(&text)),
            text,
        });
    }
    found
}

/// The form of a branch whose form cannot be scored: it still says whose
/// it is, so the branch is held back (待核实), not taken for one that sent
/// nothing.
pub fn unusable(scheme: &Scheme, subject: Subject, identity: Identity, source: SheetRef) -> ScoredForm {
    ScoredForm {
        subject,
        identity,
        source,
        stage: Stage::Final,
        items: vec![Vec::new(); scheme.indicators.len()],
        bonus: 0.0,
        veto: Vec::new(),
        conditions: Vec::new(),
        stated: Vec::new(),
        declared: Vec::new(),
        valid: false,
    }
}

/// What a sheet without a scoring table gives a submission: its 是/否
/// answers (an application sheet's 否决条件) and the tiers it states.
#[derive(Debug)]
pub struct Extra {
    /// The answers found.
    pub answers: answers::Answers,
    /// Tiers stated.
    pub declared: Vec<Declared>,
}

/// Reads what a sheet without a scoring table adds to a submission.
pub fn read_extra(sheet: &Sheet, subject: Subject) -> Extra {
    let scheme = sheet.schemes.for_subject(subject);
    let sections = answers::sections(sheet.grid, &answers::titles_of(scheme), None);
    Extra {
        answers: answers::read(sheet.grid, scheme, &sections, &|_| true),
        declared: declared_lines(sheet, scheme, &|_| true),
    }
}

/// One submission: the parts of the sheets that rate the same branch (or
/// party group) merged, and what none of them holds reported once, at the
/// first sheet. `extras` are the sheets without a table that belong to it.
pub fn finish(
    scheme: &Scheme,
    (subject, identity): (Subject, Identity),
    stage: Stage,
    parts: Vec<Part>,
    extras: Vec<Extra>,
) -> (Option<ScoredForm>, Vec<Issue>) {
    let mut issues: Vec<Issue> = Vec::new();
    let Some(first) = parts.first().map(|p| p.source.clone()) else {
        return (None, issues);
    };
    let at = |problem: Problem| Issue::at(&first.file, Some(&first.sheet), None, problem);
    let mut items: Vec<Option<Vec<FormItem>>> = vec![None; scheme.indicators.len()];
    let mut bonus: Option<f64> = None;
    let mut missing_self = Vec::new();
    let mut self_column: Option<(SheetRef, CellRef)> = None;
    let mut stated = Vec::new();
    let mut declared = Vec::new();
    let mut found_answers = Vec::new();
    for part in parts {
        for (slot, got) in items.iter_mut().zip(part.items) {
            if slot.is_none() {
                *slot = got;
            }
        }
        if let Some(b) = part.bonus {
            bonus = Some(bonus.unwrap_or(0.0) + b);
        }
        missing_self.extend(part.missing_self.into_iter().map(|c| (part.source.clone(), c)));
        if self_column.is_none() {
            self_column = part.self_column.map(|c| (part.source.clone(), c));
        }
        stated.extend(part.stated);
        declared.extend(part.declared);
        let source = part.source.clone();
        issues.extend(
            part.answers
                .problems
                .iter()
                .map(|(cell, p)| Issue::at(&source.file, Some(&source.sheet), Some(*cell), p.clone())),
        );
        found_answers.push(part.answers);
        issues.extend(part.issues);
    }
    for extra in extras {
        declared.extend(extra.declared);
        found_answers.push(extra.answers);
    }
    let mut bonus = bonus.unwrap_or(0.0);
    if snap(bonus) > snap(scheme.bonus.max) {
        issues.push(at(Problem::BonusOverMax {
            value: fmt_points(bonus),
            max: fmt_points(scheme.bonus.max),
        }));
        bonus = scheme.bonus.max;
    }
    if stage == Stage::Preliminary {
        issues.push(at(Problem::Preliminary));
    }
    let veto = merge_answers(
        scheme,
        scheme.yes_no_items(),
        Which::Veto,
        &found_answers,
        |a| (&a.veto, a.veto_section),
        &mut issues,
        &at,
    );
    let conditions = merge_answers(
        scheme,
        scheme.condition_items(),
        Which::Condition,
        &found_answers,
        |a| (&a.conditions, a.condition_section),
        &mut issues,
        &at,
    );
    for (k, indicator) in scheme.form_indicators() {
        if !matches!(items.get(k), Some(Some(_))) {
            issues.push(at(Problem::MissingIndicator {
                name: indicator.name.to_string(),
            }));
        }
    }
    let item_count: usize = items.iter().flatten().map(Vec::len).sum();
    let blended = scheme.score_columns.is_some() && stage == Stage::Final;
    if self_column.is_none() {
        issues.push(at(Problem::MissingSelfColumn {
            synonyms: titles(Role::SelfScore.builtin(), Role::SelfScore, &scheme.labels).join("、"),
        }));
    }
    let self_issue = |(source, cell): &(SheetRef, CellRef), problem: Problem| {
        Issue::at(&source.file, Some(&source.sheet), Some(*cell), problem)
    };
    match stage {
        Stage::Preliminary => issues.extend(missing_self.iter().map(|c| self_issue(c, Problem::MissingSelf))),
        // With scores weighted from both columns, each self score counts.
        Stage::Final if blended => issues.extend(missing_self.iter().map(|c| self_issue(c, Problem::MissingSelf))),
        Stage::Final if !missing_self.is_empty() && missing_self.len() == item_count => {
            issues.push(match &self_column {
                Some(header) => self_issue(header, Problem::NoSelfScores),
                None => at(Problem::NoSelfScores),
            });
        }
        Stage::Final => issues.extend(missing_self.iter().map(|c| self_issue(c, Problem::SelfPartlyMissing))),
    }
    let valid = !has_error(&issues);
    let form = ScoredForm {
        subject,
        identity,
        source: first,
        stage,
        items: items.into_iter().map(Option::unwrap_or_default).collect(),
        bonus,
        veto,
        conditions,
        stated,
        declared,
        valid,
    };
    (Some(form), issues)
}

/// The answers to `items` over a submission's sheets: a 是 on any sheet
/// counts; an item no sheet answers is reported (the whole block when no
/// sheet has one) and counts as 否.
fn merge_answers<'a>(
    scheme: &Scheme,
    items: impl Iterator<Item = &'a String>,
    which: Which,
    found: &[answers::Answers],
    pick: impl Fn(&answers::Answers) -> (&Vec<Option<answers::Answered>>, bool),
    issues: &mut Vec<Issue>,
    at: &dyn Fn(Problem) -> Issue,
) -> Vec<bool> {
    let items: Vec<&String> = items.collect();
    let section = found.iter().any(|a| pick(a).1);
    let answered: Vec<Option<bool>> = (0..items.len())
        .map(|k| {
            let mut given = found.iter().filter_map(|a| pick(a).0.get(k).copied().flatten());
            let first = given.next()?;
            Some(first.yes || given.any(|g| g.yes))
        })
        .collect();
    // A veto answered 是 decides, whatever the items left unanswered.
    let vetoed = which == Which::Veto && answered.iter().take(scheme.veto.items.len()).any(|a| *a == Some(true));
    if vetoed {
    } else if !items.is_empty() && !section && answered.iter().all(Option::is_none) {
        issues.push(at(which.missing_section(scheme, &items)));
    } else {
        for (item, answer) in items.iter().zip(&answered) {
            if answer.is_none() {
                issues.push(at(which.missing_item(item.to_string())));
            }
        }
    }
    answered.into_iter().map(|a| a.unwrap_or(false)).collect()
}

/// Whether a scoring form rates a branch or a party group: the scheme whose
/// indicator names it matches more (a tie is a branch form).
fn subject_of(sheet: &Sheet, header: &Header) -> Subject {
    let Some(col) = header.col(COL_INDICATOR) else {
        return Subject::Branch;
    };
    let mut names: Vec<String> = sheet
        .grid
        .rows_below(header.row)
        .filter_map(|(r, _)| sheet.grid.text(r, col))
        .map(indicator_name)
        .collect();
    names.sort();
    names.dedup();
    let matches = |scheme: &Scheme| {
        names
            .iter()
            .filter(|n| scheme.indicators.iter().any(|i| norm_label(&i.name) == **n))
            .count()
    };
    if matches(&sheet.schemes.group) > matches(&sheet.schemes.branch) {
        Subject::Group
    } else {
        Subject::Branch
    }
}

fn missing_column(schemes: &Schemes, role: Role) -> Problem {
    Problem::MissingColumn {
        label: printed(role.builtin()),
        synonyms: column_titles(schemes, role).join("、"),
    }
}
