//! The branch scoring form (评分表).
//!
//! Items are matched to the scheme by indicator name and order; a blank
//! indicator cell inherits the one above, which also covers vertically
//! merged indicator cells whatever the file format.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use serde::{Deserialize, Serialize};

use super::table::{ColumnSpec, Header, find_header, match_row};
use super::{Form, FormKind, Identity, Sheet, SheetOutcome, SheetRef};
use crate::grid::{half_width, label_points, norm_label, strip_numbering};
use crate::issue::{CellRef, Issue, Privacy, Problem, has_error};
use crate::layout::{BRANCH_SCORING, GROUP_SCORING, Label, Role, ScoringLayout, printed, scoring_rows, titles};
use crate::points::{fmt_points, same, snap};
use crate::scheme::{Indicator, Item, Scheme, Schemes, Source, Subject};

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

/// A scored form — a branch's or party group's scoring form, or one member's
/// row of a roster — with items aligned with its scheme.
#[derive(Debug, Clone)]
pub struct ScoredForm {
    /// Who is rated.
    pub subject: Subject,
    /// Its name and parent.
    pub identity: Identity,
    /// File and sheet.
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
    /// Whether the form is free of errors.
    pub valid: bool,
}

/// Finds the header row of a scoring form.
pub fn detect(grid: &crate::grid::Grid, schemes: &Schemes) -> Option<Header> {
    find_header(grid, &specs(schemes), |h| {
        h.col(COL_INDICATOR).is_some()
            && (h.col(COL_SELF).is_some() || h.col(COL_ASSESSED).is_some())
            && h.matched() >= 3
    })
}

/// The columns found on a scoring form.
struct Columns {
    indicator: u32,
    standard: Option<u32>,
    /// 分值; a form without one gives its points in the labels.
    max: Option<u32>,
    self_score: Option<u32>,
    assessed: Option<u32>,
    reason: Option<u32>,
    category: Option<u32>,
    /// 扣分: the assessed score as points deducted from the maximum.
    deduction: Option<u32>,
}

impl Columns {
    /// The columns a score may be written in: self, then assessed.
    fn scores(&self) -> [Option<u32>; 2] {
        [self.self_score, self.assessed]
    }

    /// The column whose scores count at a stage.
    fn of_stage(&self, stage: Stage) -> Option<u32> {
        match stage {
            Stage::Final => self.assessed.or(self.deduction),
            Stage::Preliminary => self.self_score,
        }
    }
}

/// Rows of one indicator as they appear on the form.
struct Group {
    name: String,
    cell: CellRef,
    /// Points written in the indicator's label (`领导班子（15分）`).
    points: Option<f64>,
    rows: Vec<u32>,
}

/// The rows under the header, by what they hold.
struct Rows {
    /// Item rows grouped by indicator, in form order.
    groups: Vec<Group>,
    bonus: Vec<u32>,
    total: Vec<u32>,
    /// First row of the 一票否决 section.
    veto: Option<u32>,
    /// First row of the 评定条件 section.
    conditions: Option<u32>,
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

/// Reads a scoring form whose header row was found.
pub fn read(sheet: &Sheet, header: &Header) -> SheetOutcome {
    let subject = subject_of(sheet, header);
    let scheme = sheet.schemes.for_subject(subject);
    let (layout, kind) = match subject {
        Subject::Group => (&GROUP_SCORING, FormKind::Group),
        _ => (&BRANCH_SCORING, FormKind::Scoring),
    };
    let (identity, mut issues) = sheet.identity(header.row, Privacy::Public, (&layout.identity, &scheme.labels), true);
    let outcome = |form, issues| SheetOutcome {
        kind: Some(kind),
        form,
        issues,
    };
    // A form that cannot be scored still says whose it is: its branch is
    // held back (待核实), not taken for one that sent nothing.
    let unusable = |identity: &Option<Identity>| {
        identity.clone().map(|identity| {
            Form::Scoring(ScoredForm {
                subject,
                identity,
                source: sheet.source(),
                stage: Stage::Final,
                items: vec![Vec::new(); scheme.indicators.len()],
                bonus: 0.0,
                veto: Vec::new(),
                conditions: Vec::new(),
                valid: false,
            })
        })
    };

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
    let rows = walk_rows(sheet, scheme, &cols, header.row);
    // Without a 分值 column the labels must give the points.
    let points_in_labels = rows.groups.iter().any(|g| {
        g.points.is_some()
            || g.rows.iter().any(|&row| {
                cols.standard
                    .and_then(|c| sheet.grid.text(row, c))
                    .and_then(label_points)
                    .is_some()
            })
    });
    // A form that states no points at all (a note under the table may say
    // 每颗星基准分100分) is checked against the scheme's maxima alone.
    if cols.max.is_none() && !points_in_labels {
        issues.push(sheet.issue(
            None,
            Problem::NoPointsOnForm {
                scheme: scheme.name.clone(),
            },
        ));
    }

    // A form with no score at all was never filled in: one message, not one per cell.
    let filled = |col: Option<u32>| {
        col.is_some_and(|c| {
            rows.groups
                .iter()
                .flat_map(|g| &g.rows)
                .any(|&row| sheet.grid.get(row, c).is_some())
        })
    };
    if !cols.scores().into_iter().chain([cols.deduction]).any(filled) {
        issues.retain(|i| i.code != "missing_parent");
        issues.push(sheet.issue(None, Problem::EmptyForm));
        return outcome(unusable(&identity), issues);
    }
    // Stage: no assessed score anywhere means a 荐星 self-assessment.
    let stage = if filled(cols.assessed) || filled(cols.deduction) {
        Stage::Final
    } else {
        Stage::Preliminary
    };
    let Some(stage_col) = cols.of_stage(stage) else {
        issues.push(sheet.issue(None, missing_column(sheet.schemes, Role::Assessed)));
        return outcome(unusable(&identity), issues);
    };
    if stage == Stage::Preliminary {
        issues.push(sheet.issue(None, Problem::Preliminary));
    }
    if cols.self_score.is_none() {
        issues.push(sheet.issue(
            None,
            Problem::MissingSelfColumn {
                synonyms: column_titles(sheet.schemes, Role::SelfScore).join("、"),
            },
        ));
    }

    let items = read_items(
        sheet,
        scheme,
        &cols,
        &rows.groups,
        (stage, stage_col),
        header.row,
        &mut issues,
    );
    let (bonus, bonus_by_col) = read_bonus(sheet, scheme, &cols, &rows.bonus, (stage, stage_col), &mut issues);
    let totals = Totals {
        items: &items,
        bonus: bonus_by_col,
        ballot_rows: ballot_rows_on_form(sheet, scheme, &cols, &rows.groups),
    };
    check_totals(sheet, scheme, &cols, &rows.total, &totals, &mut issues);
    let (veto, conditions) = read_answers(sheet, scheme, (rows.veto, rows.conditions), &mut issues);
    let valid = !has_error(&issues);
    let form = identity.map(|identity| {
        Form::Scoring(ScoredForm {
            subject,
            identity,
            source: sheet.source(),
            stage,
            items: items.into_iter().map(Option::unwrap_or_default).collect(),
            bonus,
            veto,
            conditions,
            valid,
        })
    });
    outcome(form, issues)
}

/// Walks the rows under the header: items grouped by indicator, bonus and
/// total rows, up to the veto section.
fn walk_rows(sheet: &Sheet, scheme: &Scheme, cols: &Columns, header_row: u32) -> Rows {
    let grid = sheet.grid;
    // Words such as 合计 or 一票否决 may stand in the first column too.
    let label_cols: Vec<u32> = {
        let mut label_cols = vec![0, cols.indicator];
        label_cols.extend(cols.standard);
        label_cols.sort_unstable();
        label_cols.dedup();
        label_cols
    };
    // A grouping column's 加分项 names a group of indicators, not the bonus row.
    let bonus_cols: Vec<u32> = label_cols
        .iter()
        .copied()
        .filter(|c| Some(*c) != cols.category)
        .collect();
    let starts_with = |row: u32, prefixes: &[&str], in_cols: &[u32]| {
        in_cols.iter().any(|&c| {
            grid.get(row, c).is_some_and(|cell| {
                !cell.merged && cell.label().is_some_and(|n| prefixes.iter().any(|p| n.starts_with(p)))
            })
        })
    };
    let entry_cols: Vec<u32> = [cols.max, cols.self_score, cols.assessed]
        .into_iter()
        .flatten()
        .collect();
    let mut rows = Rows {
        groups: Vec::new(),
        bonus: Vec::new(),
        total: Vec::new(),
        veto: None,
        conditions: None,
    };
    // The bonus row's label, or the label of one kind of bonus.
    let bonus_words: Vec<&str> = std::iter::once(scheme.bonus.label.as_str())
        .chain(scheme.bonus.items.iter().map(|i| i.label.as_str()))
        .collect();
    let mut current: Option<(String, CellRef, Option<f64>)> = None;
    for (row, _) in grid.rows_below(header_row) {
        // The 是/否 sections end the table, in either order.
        if starts_with(row, &[scoring_rows::VETO_SECTION], &label_cols) {
            rows.veto.get_or_insert(row);
        }
        if starts_with(row, &[scoring_rows::CONDITION_SECTION], &label_cols) {
            rows.conditions.get_or_insert(row);
        }
        if rows.veto.or(rows.conditions).is_some() {
            continue;
        }
        if starts_with(row, &bonus_words, &bonus_cols) {
            rows.bonus.push(row);
            continue;
        }
        if starts_with(row, scoring_rows::TOTAL, &label_cols) {
            rows.total.push(row);
            continue;
        }
        if let Some(text) = grid.text(row, cols.indicator) {
            current = Some((
                indicator_name(text),
                CellRef::new(row, cols.indicator),
                label_points(text),
            ));
        }
        if !entry_cols.iter().any(|&c| grid.get(row, c).is_some()) {
            continue;
        }
        let (name, cell, points) = current
            .clone()
            .unwrap_or_else(|| (String::new(), CellRef::new(row, cols.indicator), None));
        match rows.groups.iter_mut().find(|g| g.name == name) {
            Some(group) => group.rows.push(row),
            None => rows.groups.push(Group {
                name,
                cell,
                points,
                rows: vec![row],
            }),
        }
    }
    rows
}

/// Matches the groups of rows to the scheme's indicators and reads each
/// item's scores; `None` where an indicator was not found on the form.
fn read_items(
    sheet: &Sheet,
    scheme: &Scheme,
    cols: &Columns,
    groups: &[Group],
    (stage, stage_col): (Stage, u32),
    header_row: u32,
    issues: &mut Vec<Issue>,
) -> Vec<Option<Vec<FormItem>>> {
    let grid = sheet.grid;
    let layout = &BRANCH_SCORING;
    let mut items: Vec<Option<Vec<FormItem>>> = vec![None; scheme.indicators.len()];
    let mut missing_self = Vec::new();
    for group in groups {
        let found = scheme.indicators.iter().zip(items.iter_mut());
        let Some((indicator, slot)) = found.into_iter().find(|(i, _)| norm_label(&i.name) == group.name) else {
            let name = if group.name.is_empty() {
                "（空）".to_string()
            } else {
                group.name.clone()
            };
            issues.push(sheet.issue(
                Some(group.cell),
                Problem::UnknownIndicator {
                    name,
                    scheme: scheme.name.clone(),
                },
            ));
            continue;
        };
        if indicator.source == Source::Ballot {
            let scored = group
                .rows
                .iter()
                .any(|&row| cols.scores().into_iter().flatten().any(|c| grid.get(row, c).is_some()));
            if scored {
                issues.push(sheet.issue(
                    Some(group.cell),
                    Problem::BallotIndicatorOnForm {
                        indicator: indicator.name.to_string(),
                    },
                ));
            }
            continue;
        }
        if slot.is_some() {
            continue;
        }
        let scored = indicator.scored_items();
        if group.rows.len() != scored.len() {
            issues.push(sheet.issue(
                Some(group.cell),
                Problem::ItemCountMismatch {
                    indicator: indicator.name.to_string(),
                    found: group.rows.len(),
                    expected: scored.len(),
                },
            ));
            *slot = Some(Vec::new());
            continue;
        }
        let mismatch = |cell: CellRef, item: &str, max: f64, found: Option<f64>| {
            sheet.issue(
                Some(cell),
                Problem::MaxMismatch {
                    indicator: indicator.name.to_string(),
                    item: item.to_string(),
                    found: found.map_or("（空）".to_string(), fmt_points),
                    expected: fmt_points(max),
                },
            )
        };
        // An indicator with items may give its own points in its label.
        let itemless = indicator.items.is_empty();
        if let Some(points) = group.points.filter(|p| !itemless && !same(*p, indicator.max)) {
            issues.push(mismatch(group.cell, &indicator.name, indicator.max, Some(points)));
        }
        // One score cell merged over all the item rows: the indicator is
        // scored as a whole (deduction-scored forms record one score each).
        let merged_over = |col: Option<u32>| {
            let rows = || group.rows.iter().filter_map(|&r| col.and_then(|c| grid.get(r, c)));
            group.rows.len() > 1
                && rows().count() == group.rows.len()
                && rows().take(1).all(|cell| !cell.merged)
                && rows().skip(1).all(|cell| cell.merged)
        };
        let whole = merged_over(Some(stage_col));
        let mut read_items = Vec::new();
        for (row, item) in aligned(sheet, cols, &group.rows, &scored) {
            let at = |c: u32| Some(CellRef::new(row, c));
            // The points a row gives: its 分值 cell, and the points in its
            // label (the item's, or an itemless indicator's own).
            let label = if itemless {
                group.points.map(|p| (group.cell, p))
            } else {
                cols.standard
                    .and_then(|c| Some((CellRef::new(row, c), label_points(grid.text(row, c)?)?)))
            };
            let column = cols.max.map(|c| (c, sheet.number(row, c, printed(layout.max))));
            match (column, label) {
                (Some((c, Err(p))), _) => issues.push(sheet.issue(at(c), p)),
                (Some((_, Ok(Some(m)))), Some((cell, p))) if !same(m, p) => issues.push(sheet.issue(
                    Some(cell),
                    Problem::MaxDisagrees {
                        label: grid.text(cell.row, cell.col).unwrap_or_default().trim().to_string(),
                        column: fmt_points(m),
                    },
                )),
                // An empty 分值 cell is filled by the label's points.
                (Some((c, Ok(value))), label) => {
                    let found = value.or(label.map(|(_, p)| p));
                    if !found.is_some_and(|m| same(m, item.max)) {
                        issues.push(mismatch(CellRef::new(row, c), &item.name, item.max, found));
                    }
                }
                (None, Some((cell, p))) if !same(p, item.max) => {
                    issues.push(mismatch(cell, &item.name, item.max, Some(p)));
                }
                (None, _) => {}
            }
            if whole {
                continue;
            }
            let entry = Entry {
                row,
                max: item.max,
                negative: indicator.negative,
            };
            read_items.push(entry.read(sheet, cols, stage, |_| true, issues, &mut missing_self));
            // Empty on a form of deductions alone means nothing deducted.
            let empty = |col: Option<u32>| col.is_none_or(|c| grid.get(row, c).is_none());
            if stage == Stage::Final && cols.assessed.is_some() && empty(cols.assessed) && empty(cols.deduction) {
                issues.push(sheet.issue(at(stage_col), Problem::MissingAssessed));
            }
        }
        if let (true, Some(&row)) = (whole, group.rows.first()) {
            // Only a column whose cell spans the item rows holds the score.
            let entry = Entry {
                row,
                max: indicator.max,
                negative: indicator.negative,
            };
            let spans = |col: u32| merged_over(Some(col));
            let mut item = entry.read(sheet, cols, stage, spans, issues, &mut missing_self);
            item.whole = true;
            read_items.push(item);
        }
        *slot = Some(read_items);
    }
    for (k, indicator) in scheme.form_indicators() {
        if !matches!(items.get(k), Some(Some(_))) {
            issues.push(sheet.issue(
                None,
                Problem::MissingIndicator {
                    name: indicator.name.to_string(),
                },
            ));
        }
    }
    let item_count: usize = items.iter().flatten().map(Vec::len).sum();
    match stage {
        Stage::Preliminary => {
            issues.extend(
                missing_self
                    .iter()
                    .map(|&cell| sheet.issue(Some(cell), Problem::MissingSelf)),
            );
        }
        Stage::Final if !missing_self.is_empty() && missing_self.len() == item_count => {
            let cell = cols.self_score.map(|c| CellRef::new(header_row, c));
            issues.push(sheet.issue(cell, Problem::NoSelfScores));
        }
        Stage::Final => {
            issues.extend(
                missing_self
                    .iter()
                    .map(|&cell| sheet.issue(Some(cell), Problem::SelfPartlyMissing)),
            );
        }
    }
    items
}

/// A row whose scores are read against a maximum: an item's row, or the
/// first row of an indicator scored as a whole.
struct Entry {
    row: u32,
    max: f64,
    /// A 减分项's row: the points deducted, written as `5` or `-5`.
    negative: bool,
}

impl Entry {
    /// Reads the scores in the columns `usable` allows, the reason, and
    /// notes an empty self score.
    fn read(
        &self,
        sheet: &Sheet,
        cols: &Columns,
        stage: Stage,
        usable: impl Fn(u32) -> bool,
        issues: &mut Vec<Issue>,
        missing_self: &mut Vec<CellRef>,
    ) -> FormItem {
        let Entry { row, max, negative } = *self;
        let layout = &BRANCH_SCORING;
        let mut score = |col: Option<u32>, column: Label, is_stage: bool| -> Option<f64> {
            let col = col.filter(|&c| usable(c))?;
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
            (Some(a), Some(d)) if !same(a, max - d) => {
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
            (None, Some(d)) => Some(max - d),
            // A form of deductions alone: an empty cell deducted nothing.
            (None, None) if cols.assessed.is_none() && cols.deduction.filter(|&c| usable(c)).is_some() => {
                let empty = cols.deduction.is_some_and(|c| sheet.grid.get(row, c).is_none());
                empty.then_some(max)
            }
            (None, None) => None,
        };
        if let Some(c) = cols.self_score.filter(|&c| sheet.grid.get(row, c).is_none()) {
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

/// What a 合计 row may add up: the items read, the bonus, and the scores
/// written on the form for parts the scheme takes from elsewhere (a
/// 群众评价 row the office filled in), each per score column.
struct Totals<'a> {
    items: &'a [Option<Vec<FormItem>>],
    bonus: [f64; 2],
    ballot_rows: [f64; 2],
}

/// The scores written on the form in the rows of ballot-scored indicators,
/// per score column.
fn ballot_rows_on_form(sheet: &Sheet, scheme: &Scheme, cols: &Columns, groups: &[Group]) -> [f64; 2] {
    let ballot_groups = groups.iter().filter(|g| {
        scheme
            .indicators
            .iter()
            .any(|i| i.source == Source::Ballot && norm_label(&i.name) == g.name)
    });
    let mut sums = [0.0; 2];
    for group in ballot_groups {
        for &row in &group.rows {
            for (sum, col) in sums.iter_mut().zip(cols.scores()) {
                if let Some(Ok(Some(v))) = col.map(|c| sheet.number(row, c, "")) {
                    *sum += v;
                }
            }
        }
    }
    sums
}

/// A 合计 row must agree with what the form holds: the items, with or
/// without the bonus and the rows of parts scored elsewhere. Only checked
/// when every indicator was read in full, and never where the total is a
/// formula (it sums the cells itself).
fn check_totals(
    sheet: &Sheet,
    scheme: &Scheme,
    cols: &Columns,
    total_rows: &[u32],
    totals: &Totals,
    issues: &mut Vec<Issue>,
) {
    let items = totals.items;
    let complete = scheme
        .form_indicators()
        .all(|(k, ind)| matches!(items.get(k), Some(Some(v)) if v.len() == ind.scored_items().len()));
    if !complete {
        return;
    }
    let item_count: usize = items.iter().flatten().map(Vec::len).sum();
    let layout = &BRANCH_SCORING;
    let columns = [
        (
            true,
            cols.self_score,
            printed(layout.self_score),
            totals.bonus[0],
            totals.ballot_rows[0],
        ),
        (
            false,
            cols.assessed,
            printed(layout.assessed),
            totals.bonus[1],
            totals.ballot_rows[1],
        ),
    ];
    for &row in total_rows {
        for (is_self, col, column, bonus, ballot_rows) in columns {
            let Some(col) = col else { continue };
            if sheet.grid.get(row, col).is_some_and(|c| c.formula) {
                continue;
            }
            let Ok(Some(stated)) = sheet.number(row, col, column) else {
                continue;
            };
            // Each item's value with its indicator: a 减分项 counts against.
            let values: Option<Vec<(f64, &Indicator)>> = items
                .iter()
                .zip(&scheme.indicators)
                .flat_map(|(slot, ind)| slot.iter().flatten().map(move |it| (it, ind)))
                .map(|(it, ind)| {
                    let v = if is_self { it.self_score } else { it.assessed }?;
                    Some((if ind.negative { -v } else { v }, ind))
                })
                .collect();
            let Some(values) = values.filter(|v| v.len() == item_count) else {
                continue;
            };
            let computed: f64 = values.iter().map(|(v, _)| v).sum();
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
            let sums = [Some(computed), (!scheme.parts.is_empty()).then_some(weighted)];
            let agrees = sums.iter().flatten().any(|sum| {
                [0.0, bonus, ballot_rows, bonus + ballot_rows]
                    .iter()
                    .any(|extra| same(stated, sum + extra))
            });
            if !agrees {
                issues.push(sheet.issue(
                    Some(CellRef::new(row, col)),
                    Problem::TotalMismatch {
                        column: format!("合计行的{column}"),
                        stated: fmt_points(stated),
                        computed: fmt_points(computed),
                    },
                ));
            }
        }
    }
}

/// Reads the 是/否 sections under the table (一票否决, 评定条件): the
/// answers to the scheme's veto and cap items, and to its tier conditions.
fn read_answers(
    sheet: &Sheet,
    scheme: &Scheme,
    (veto_row, condition_row): (Option<u32>, Option<u32>),
    issues: &mut Vec<Issue>,
) -> (Vec<bool>, Vec<bool>) {
    let vetoes: Vec<&String> = scheme.yes_no_items().collect();
    let conditions: Vec<&String> = scheme.condition_items().collect();
    let veto = read_yes_no(sheet, &vetoes, veto_row, Section::Veto, issues);
    let met = read_yes_no(sheet, &conditions, condition_row, Section::Condition, issues);
    (veto, met)
}

/// Which 是/否 items are read, for their messages.
#[derive(Clone, Copy)]
enum Section {
    Veto,
    Condition,
}

impl Section {
    fn missing_section(self) -> Problem {
        match self {
            Section::Veto => Problem::VetoSectionMissing,
            Section::Condition => Problem::ConditionSectionMissing,
        }
    }

    fn missing_item(self, item: String) -> Problem {
        match self {
            Section::Veto => Problem::VetoItemMissing { item },
            Section::Condition => Problem::ConditionItemMissing { item },
        }
    }

    fn unrecognised(self, item: String, text: String) -> Problem {
        match self {
            Section::Veto => Problem::VetoUnrecognised { item, text },
            Section::Condition => Problem::ConditionUnrecognised { item, text },
        }
    }
}

/// Each item with a 是/否 answer, from the rows from `first_row` on.
fn read_yes_no(
    sheet: &Sheet,
    items: &[&String],
    first_row: Option<u32>,
    section: Section,
    issues: &mut Vec<Issue>,
) -> Vec<bool> {
    let grid = sheet.grid;
    if items.is_empty() {
        return Vec::new();
    }
    let Some(start) = first_row else {
        issues.push(sheet.issue(None, section.missing_section()));
        return vec![false; items.len()];
    };
    let answer_col =
        (start..start + 3).find_map(|r| match_row(grid, r, &[ColumnSpec::exact(scoring_rows::VETO_ANSWER)]).col(0));
    // Per scheme item: its normalised label, whether it was found, the answer.
    let mut found: Vec<(String, bool, bool)> = items.iter().map(|i| (norm_label(i), false, false)).collect();
    for (row, cells) in grid.rows().filter(|(r, _)| *r >= start) {
        for (col, cell) in cells {
            let Some(n) = cell.label() else {
                continue;
            };
            let hit = found
                .iter_mut()
                .zip(items)
                .find(|((key, _, _), _)| n.contains(key.as_str()) || (n.chars().count() >= 4 && key.contains(n)));
            let Some(((_, seen, yes), item)) = hit.filter(|((_, seen, _), _)| !*seen) else {
                continue;
            };
            *seen = true;
            let answer = match answer_col.filter(|ac| ac != col) {
                Some(ac) => grid.get(row, ac).map(|c| (ac, &c.value)),
                None => cells
                    .iter()
                    .rev()
                    .find(|(c, _)| c > col)
                    .map(|(c, cell)| (*c, &cell.value)),
            };
            let Some((ans_col, value)) = answer else {
                continue;
            };
            match super::yes_no(value) {
                Some(answer) => *yes = answer,
                None => issues.push(sheet.issue(
                    Some(CellRef::new(row, ans_col)),
                    section.unrecognised(item.to_string(), value.to_string()),
                )),
            }
        }
    }
    for ((_, seen, _), item) in found.iter().zip(items) {
        if !seen {
            issues.push(sheet.issue(None, section.missing_item(item.to_string())));
        }
    }
    found.into_iter().map(|(_, _, yes)| yes).collect()
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

fn missing_column(schemes: &Schemes, role: Role) -> Problem {
    Problem::MissingColumn {
        label: printed(role.builtin()),
        synonyms: column_titles(schemes, role).join("、"),
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
}
