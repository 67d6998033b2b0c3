//! Anonymous ballots (无记名测评票): registers and one-voter sheets.
//!
//! A question with two or more marks is an over-vote, no mark an abstention;
//! a ballot with no valid mark at all is blank. Problems about one ballot are
//! marked private so its row and content never reach a written output.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::collections::BTreeSet;

use super::identity::Labeled;
use super::table::{ColumnSpec, Header, find_header, match_row};
use super::{Form, FormKind, Identity, Sheet, SheetOutcome, SheetRef};
use crate::grid::{Grid, Value, half_width, norm_label, strip_numbering};
use crate::issue::{CellRef, Issue, Privacy, Problem, has_error};
use crate::layout::{self, Label, MARK_SEPARATORS, REGISTER, Role, SINGLE_BALLOT, printed};
use crate::scheme::Scheme;

/// One answer on a ballot: a rating (or star) index into the scheme's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Answer {
    /// Exactly one valid mark: an index into the scheme's options (u16 keeps
    /// a province's ballots small; schemes have a handful of options).
    Rated(u16),
    /// Two or more marks: invalid for this question.
    OverVote,
    /// No mark.
    Abstain,
    /// A mark that is no rating word.
    Invalid,
}

impl Answer {
    /// The answer choosing option `i`.
    fn rated(i: usize) -> Answer {
        u16::try_from(i).map_or(Answer::Invalid, Answer::Rated)
    }
}

/// One voter's ballot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    /// Answers aligned with the scheme's ballot questions.
    pub answers: Box<[Answer]>,
    /// Recommended star, an index into the scheme's tiers.
    pub star: Answer,
    /// Who voted: an index into the scheme's voter categories, in schemes
    /// that weigh them.
    pub category: Option<u16>,
    /// Zero-based sheet row of a register's ballot (a one-voter ballot: its
    /// question header), so a repeated run can be named by its rows.
    pub row: u32,
}

impl Ballot {
    /// A ballot with no valid mark at all (空白票).
    pub fn is_blank(&self) -> bool {
        !self
            .answers
            .iter()
            .chain([&self.star])
            .any(|a| matches!(a, Answer::Rated(_)))
    }

    fn blank(questions: usize, category: Option<u16>, row: u32) -> Ballot {
        Ballot {
            answers: vec![Answer::Abstain; questions].into_boxed_slice(),
            star: Answer::Abstain,
            category,
            row,
        }
    }
}

/// How the ballots were submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BallotLayout {
    /// A register: one row per paper ballot, with turnout figures.
    Register {
        /// 发出票数.
        issued: Option<u32>,
        /// 收回票数.
        returned: Option<u32>,
    },
    /// One voter's ballot on its own sheet.
    Single,
    /// Counts per question and option, as an office sums them (测评票汇总).
    Tally {
        /// 发出票数.
        issued: Option<u32>,
        /// 收回票数.
        returned: Option<u32>,
        /// Ballots the counts come from: the largest count of a question.
        ballots: u32,
    },
}

/// Ballots read from one sheet.
#[derive(Debug, Clone)]
pub struct BallotSheet {
    /// The branch rated.
    pub identity: Identity,
    /// File and sheet.
    pub source: SheetRef,
    /// Register or single ballot.
    pub layout: BallotLayout,
    /// The ballots (none for a tally).
    pub ballots: Vec<Ballot>,
    /// A tally's counts per scheme question, per option (empty otherwise).
    pub tallied: Vec<Vec<u32>>,
    /// The voter category the whole sheet states (`测评人类别：党员`): a
    /// tally's category, and that of register rows that name none.
    pub category: Option<u16>,
    /// Whether the sheet is free of errors.
    pub valid: bool,
}

/// Finds the header of a one-voter ballot: `测评项目 | 好 | 较好 | 一般 | 差`.
pub fn detect_single(grid: &Grid, scheme: &Scheme) -> Option<Header> {
    let specs = single_specs(scheme);
    find_header(grid, &specs, |h| h.col(0).is_some() && h.matched() == specs.len())
}

fn single_specs(scheme: &Scheme) -> Vec<ColumnSpec> {
    let mut specs = vec![ColumnSpec::exact(SINGLE_BALLOT.question)];
    specs.extend(
        scheme
            .ballot
            .ratings
            .iter()
            .map(|r| ColumnSpec::exact(&[r.label.as_str()])),
    );
    specs
}

/// Finds the header of a tally: the one-voter ballot's header (a question
/// column, one column per option) with counts beneath instead of ticks.
pub fn detect_tally(grid: &Grid, scheme: &Scheme) -> Option<Header> {
    let header = detect_single(grid, scheme)?;
    let option_cols: Vec<u32> = (1..=scheme.ballot.ratings.len())
        .filter_map(|i| header.col(i))
        .collect();
    let counts = grid.rows_below(header.row).any(|(row, _)| {
        option_cols.iter().any(|&c| {
            grid.get(row, c)
                .and_then(|cell| count(&cell.value))
                .is_some_and(|n| n > 1)
        })
    });
    counts.then_some(header)
}

/// A whole number of ballots written in a cell (`12`, `12票`, `12人`).
fn count(value: &Value) -> Option<u32> {
    let n = match value {
        Value::Number(n) => *n,
        Value::Text(t) => crate::grid::parse_number(t.trim().trim_end_matches(['票', '张', '人', '份']))?,
        _ => return None,
    };
    (n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n)).then_some(n as u32)
}

/// Reads a tally whose header row was found: one row per question (or one
/// row for a scheme that asks one question), counts per option.
pub fn read_tally(sheet: &Sheet, header: &Header) -> SheetOutcome {
    let grid = sheet.grid;
    let scheme = &sheet.schemes.branch;
    let (identity, mut issues) = sheet.branch_identity(header.row, Privacy::Public);
    let labeled = Labeled::new(grid);
    let issued = turnout(sheet, &labeled, REGISTER.issued, header.row, &mut issues);
    let returned = turnout(sheet, &labeled, REGISTER.returned, header.row, &mut issues);
    let branch = identity.as_ref().map_or("（未知）", |id| id.name.as_str());
    let category = sheet_category(sheet, (&labeled, header.row), (branch, Privacy::Public), &mut issues);
    let questions: Vec<String> = scheme.ballot.questions.iter().map(|q| norm_label(q)).collect();
    let ratings = &scheme.ballot.ratings;
    let question_col = header.col(0).unwrap_or(0);
    let mut tallied: Vec<Option<Vec<u32>>> = vec![None; questions.len()];
    for (row, _) in grid.rows_below(header.row) {
        let Some(text) = grid.text(row, question_col) else {
            continue;
        };
        let name = norm_label(strip_numbering(text));
        if REGISTER.end.iter().any(|end| name.starts_with(end)) {
            break;
        }
        let by_name = questions
            .iter()
            .position(|q| !q.is_empty() && name.contains(q.as_str()));
        // A scheme asking one question takes the one row, whatever it is called.
        let only = (questions.len() == 1).then_some(0);
        let Some(q) = by_name
            .or(only)
            .filter(|&q| tallied.get(q).is_some_and(Option::is_none))
        else {
            issues.push(sheet.issue(
                Some(CellRef::new(row, question_col)),
                Problem::UnknownTallyRow {
                    text: text.trim().to_string(),
                },
            ));
            continue;
        };
        let counts = option_counts(sheet, row, &|k| header.col(k + 1), &mut issues);
        if let Some(slot) = tallied.get_mut(q) {
            *slot = Some(counts);
        }
    }
    for (question, counts) in scheme.ballot.questions.iter().zip(&tallied) {
        if counts.is_none() {
            issues.push(sheet.issue(
                None,
                Problem::MissingQuestion {
                    question: question.clone(),
                },
            ));
        }
    }
    let ballots = tallied
        .iter()
        .flatten()
        .map(|c| c.iter().sum::<u32>())
        .max()
        .unwrap_or(0);
    if ballots == 0 {
        issues.push(sheet.issue(None, Problem::EmptyRegister));
    }
    if let Some(r) = &returned
        && ballots > r.value
    {
        issues.push(sheet.issue(
            Some(r.cell),
            Problem::CountedOverReturned {
                counted: ballots,
                returned: r.value,
            },
        ));
    }
    let layout = BallotLayout::Tally {
        issued: issued.map(|i| i.value),
        returned: returned.map(|r| r.value),
        ballots,
    };
    let mut outcome = finish(sheet, FormKind::Tally, identity, layout, (Vec::new(), category), issues);
    if let Some(Form::Ballots(b)) = outcome.forms.first_mut() {
        b.tallied = tallied
            .into_iter()
            .map(|c| c.unwrap_or_else(|| vec![0; ratings.len()]))
            .collect();
    }
    outcome
}

/// Columns of a table of counts: the options, then 发放票数, 收回票数, the
/// stated satisfaction rate and (for a table of many branches) the name and
/// parent.
fn count_specs(scheme: &Scheme) -> Vec<ColumnSpec> {
    let mut specs: Vec<ColumnSpec> = scheme
        .ballot
        .ratings
        .iter()
        .map(|r| ColumnSpec::exact(&[r.label.as_str()]))
        .collect();
    specs.push(ColumnSpec::exact(REGISTER.issued));
    specs.push(ColumnSpec::exact(REGISTER.returned));
    specs.push(ColumnSpec::exact(REGISTER.rate));
    let ids = &layout::BRANCH_IDENTITY;
    specs.push(ColumnSpec::exact(&layout::titles(ids.name, Role::Name, &scheme.labels)));
    specs.push(ColumnSpec::exact(&layout::titles(
        ids.parent,
        Role::Parent,
        &scheme.labels,
    )));
    specs
}

/// The count table's header: every counted option, and numbers under them.
fn count_header(grid: &Grid, scheme: &Scheme, many: bool) -> Option<Header> {
    if scheme.ballot.questions.len() != 1 {
        return None;
    }
    let options = scheme.ballot.ratings.len();
    let name = options + 3;
    let question = |row: u32| match_row(grid, row, &[ColumnSpec::exact(SINGLE_BALLOT.question)]).col(0);
    let header = find_header(grid, &count_specs(scheme), |h| {
        let counted = scheme
            .ballot
            .ratings
            .iter()
            .enumerate()
            .all(|(i, r)| !r.counted || h.col(i).is_some());
        counted && question(h.row).is_none()
    })?;
    let option_cols: Vec<u32> = (0..options).filter_map(|i| header.col(i)).collect();
    let counted_rows: Vec<u32> = grid
        .rows_below(header.row)
        .map(|(r, _)| r)
        .filter(|&r| {
            option_cols
                .iter()
                .any(|&c| grid.get(r, c).and_then(|cell| count(&cell.value)).is_some())
        })
        .collect();
    // Counts, not one voter's mark a row (1 under one option).
    let counts = counted_rows.iter().any(|&r| {
        let filled: Vec<u32> = option_cols
            .iter()
            .filter_map(|&c| grid.get(r, c).and_then(|cell| count(&cell.value)))
            .collect();
        filled.len() >= 2 || filled.iter().any(|&n| n > 1)
    });
    if !counts {
        return None;
    }
    // A table of many branches names each row: by a known title, or, under
    // a title the scheme does not know, a column of different names.
    let named = header.col(name).or_else(|| {
        grid.row(header.row)
            .iter()
            .filter(|(c, cell)| cell.label().is_some() && !header.found().any(|f| f == *c))
            .map(|(c, _)| *c)
            .find(|&c| {
                let mut names: Vec<&str> = counted_rows.iter().filter_map(|&r| grid.text(r, c)).collect();
                names.retain(|t| crate::grid::parse_number(t).is_none());
                names.sort_unstable();
                names.dedup();
                names.len() >= 2
            })
    });
    match named {
        Some(col) if many => Some(header.with_col(name, col)),
        None if !many => Some(header),
        _ => None,
    }
}

/// Finds a table of counts for many branches, a row each (党组织名称 | 发放票数
/// | 收回票数 | 满意 | 基本满意 | 不满意 | 满意率), in a scheme of one question.
pub fn detect_table(grid: &Grid, scheme: &Scheme) -> Option<Header> {
    count_header(grid, scheme, true)
}

/// Finds a sheet of one question's counts with no question column: the
/// options as titles and the counts under them.
pub fn detect_counts(grid: &Grid, scheme: &Scheme) -> Option<Header> {
    count_header(grid, scheme, false)
}

/// The counts a row gives under each option (`col_of` the option's
/// column); a count that is no whole number is reported at its cell.
fn option_counts(sheet: &Sheet, row: u32, col_of: &dyn Fn(usize) -> Option<u32>, issues: &mut Vec<Issue>) -> Vec<u32> {
    let ratings = &sheet.schemes.branch.ballot.ratings;
    let mut counts = vec![0; ratings.len()];
    for (k, (slot, rating)) in counts.iter_mut().zip(ratings).enumerate() {
        let Some(col) = col_of(k) else { continue };
        let Some(cell) = sheet.grid.get(row, col) else { continue };
        match count(&cell.value) {
            Some(n) => *slot = n,
            None => issues.push(sheet.issue(
                Some(CellRef::new(row, col)),
                Problem::BadTallyCount {
                    option: rating.label.clone(),
                    text: cell.value.to_string(),
                },
            )),
        }
    }
    counts
}

/// One row of counts: per option, 发放票数, 收回票数 and the stated rate,
/// each checked; problems at their cells.
struct CountRow {
    counts: Vec<u32>,
    issued: Option<u32>,
    returned: Option<u32>,
    issues: Vec<Issue>,
}

fn count_row(sheet: &Sheet, header: &Header, row: u32) -> CountRow {
    let grid = sheet.grid;
    let scheme = &sheet.schemes.branch;
    let ratings = &scheme.ballot.ratings;
    let mut issues = Vec::new();
    let counts = option_counts(sheet, row, &|k| header.col(k), &mut issues);
    let n = ratings.len();
    let mut number = |i: usize, label: Label| -> Option<u32> {
        let col = header.col(i)?;
        let cell = grid.get(row, col)?;
        let n = count(&cell.value);
        if n.is_none() {
            issues.push(sheet.issue(
                Some(CellRef::new(row, col)),
                Problem::BadTurnoutNumber {
                    label: printed(label),
                    text: cell.value.to_string(),
                },
            ));
        }
        n
    };
    let issued = number(n, REGISTER.issued);
    let returned = number(n + 1, REGISTER.returned);
    let ballots: u32 = counts.iter().sum();
    let at = |i: usize| header.col(i).map(|c| CellRef::new(row, c));
    if let Some(r) = returned {
        if ballots > r {
            let problem = Problem::CountedOverReturned {
                counted: ballots,
                returned: r,
            };
            issues.push(sheet.issue(at(n + 1), problem));
        }
        if let Some(i) = issued.filter(|i| r > *i) {
            let problem = Problem::ReturnedOverIssued { returned: r, issued: i };
            issues.push(sheet.issue(at(n + 1), problem));
        }
    }
    // A stated rate must be what the counts give, at the precision stated.
    if let Some(col) = header.col(n + 2)
        && let Some(cell) = grid.get(row, col)
        && let Some((stated, decimals)) = rate(&cell.value)
    {
        let valid: u32 = counts
            .iter()
            .zip(ratings)
            .filter(|(_, r)| r.counted)
            .map(|(c, _)| c)
            .sum();
        let satisfied: u32 = counts
            .iter()
            .zip(ratings)
            .filter(|(_, r)| r.satisfied && r.counted)
            .map(|(c, _)| c)
            .sum();
        if valid > 0 {
            let computed = f64::from(satisfied) / f64::from(valid);
            let unit = 10f64.powi(-(decimals as i32)) / 100.0;
            if (computed - stated).abs() > unit / 2.0 + 1e-12 {
                issues.push(sheet.issue(
                    Some(CellRef::new(row, col)),
                    Problem::RateMismatch {
                        stated: cell.value.to_string(),
                        computed: crate::points::fmt_percent(computed),
                    },
                ));
            }
        }
    }
    CountRow {
        counts,
        issued,
        returned,
        issues,
    }
}

/// A rate as written (`96%`, `96.5％`, `0.96`), and the decimals of its
/// percentage.
fn rate(value: &Value) -> Option<(f64, usize)> {
    match value {
        Value::Number(n) if (0.0..=1.0).contains(n) => {
            let percent = crate::points::fmt_points(n * 100.0);
            Some((*n, percent.split_once('.').map_or(0, |(_, d)| d.len())))
        }
        Value::Text(t) => {
            let t = half_width(t.trim()).to_string();
            let digits = t.strip_suffix('%')?.trim();
            let n = crate::grid::parse_number(digits)?;
            Some((n / 100.0, digits.split_once('.').map_or(0, |(_, d)| d.len())))
        }
        _ => None,
    }
}

/// Reads a table of counts for many branches: one tally per row, named by
/// the row; a row naming no branch, or a 合计 row, ends nothing and counts
/// for none.
pub fn read_table(sheet: &Sheet, header: &Header) -> SheetOutcome {
    let grid = sheet.grid;
    let scheme = &sheet.schemes.branch;
    let options = scheme.ballot.ratings.len();
    let (name_col, parent_col) = (header.col(options + 3), header.col(options + 4));
    // A parent the whole sheet states (所属党组织：…) for rows without one.
    let labeled = Labeled::new(grid);
    let parent_titles = layout::titles(layout::BRANCH_IDENTITY.parent, Role::Parent, &scheme.labels);
    let sheet_parent = labeled
        .value(&parent_titles, header.row)
        .filter(|found| found.cell.row < header.row)
        .map(|found| found.value.to_string());
    let mut forms = Vec::new();
    let mut issues = Vec::new();
    for (row, _) in grid.rows_below(header.row) {
        let Some(name) = name_col.and_then(|c| grid.text(row, c)) else {
            continue;
        };
        if REGISTER.end.iter().any(|end| norm_label(name).starts_with(end)) {
            continue;
        }
        let read = count_row(sheet, header, row);
        let ballots = read.counts.iter().sum();
        let parent = parent_col
            .and_then(|c| grid.text(row, c))
            .map(str::to_string)
            .or_else(|| sheet_parent.clone());
        forms.push(Form::Ballots(BallotSheet {
            identity: Identity {
                name: name.to_string(),
                parent,
                code: None,
            },
            source: sheet.source(),
            layout: BallotLayout::Tally {
                issued: read.issued,
                returned: read.returned,
                ballots,
            },
            ballots: Vec::new(),
            tallied: vec![read.counts],
            category: None,
            valid: !has_error(&read.issues),
        }));
        issues.extend(read.issues);
    }
    if forms.is_empty() {
        issues.push(sheet.issue(None, Problem::EmptyRegister));
    }
    SheetOutcome {
        kind: Some(FormKind::Tally),
        forms,
        issues,
    }
}

/// Reads a sheet of one question's counts: the first row of numbers under
/// the options; 发放票数 and 收回票数 in their columns or as fields.
pub fn read_counts(sheet: &Sheet, header: &Header) -> SheetOutcome {
    let grid = sheet.grid;
    let scheme = &sheet.schemes.branch;
    let (identity, mut issues) = sheet.branch_identity(header.row, Privacy::Public);
    let options: Vec<u32> = (0..scheme.ballot.ratings.len()).filter_map(|i| header.col(i)).collect();
    let row = grid
        .rows_below(header.row)
        .map(|(r, _)| r)
        .find(|&r| options.iter().any(|&c| grid.get(r, c).is_some()));
    let read = row.map(|r| count_row(sheet, header, r));
    let labeled = Labeled::new(grid);
    let n = scheme.ballot.ratings.len();
    // A title over a column is no `发放票数：…` field.
    let field = |i: usize, label: Label, issues: &mut Vec<Issue>| {
        header
            .col(i)
            .is_none()
            .then(|| turnout(sheet, &labeled, label, header.row, issues).map(|c| c.value))
            .flatten()
    };
    let issued = field(n, REGISTER.issued, &mut issues);
    let returned = field(n + 1, REGISTER.returned, &mut issues);
    let branch = identity.as_ref().map_or("（未知）", |id| id.name.as_str());
    let category = sheet_category(sheet, (&labeled, header.row), (branch, Privacy::Public), &mut issues);
    let (counts, issued, returned) = match read {
        Some(read) => {
            issues.extend(read.issues);
            (read.counts, read.issued.or(issued), read.returned.or(returned))
        }
        None => (vec![0; scheme.ballot.ratings.len()], issued, returned),
    };
    let ballots: u32 = counts.iter().sum();
    if ballots == 0 {
        issues.push(sheet.issue(None, Problem::EmptyRegister));
    }
    let layout = BallotLayout::Tally {
        issued,
        returned,
        ballots,
    };
    let mut outcome = finish(sheet, FormKind::Tally, identity, layout, (Vec::new(), category), issues);
    if let Some(Form::Ballots(b)) = outcome.forms.first_mut() {
        b.tallied = vec![counts];
    }
    outcome
}

/// Finds the header of a ballot register: question columns and `推荐星级`;
/// in a register without 推荐星级, at least two question columns, or one
/// whose cells below hold the scheme's rating words (a register of one
/// overall question).
pub fn detect_register(grid: &Grid, scheme: &Scheme) -> Option<Header> {
    let count = scheme.ballot.questions.len();
    let ratings: Vec<String> = scheme.ballot.ratings.iter().map(|r| norm_label(&r.label)).collect();
    find_header(grid, &register_specs(scheme), |h| {
        let cols: Vec<u32> = (1..=count).filter_map(|i| h.col(i)).collect();
        let rated = |col: u32| {
            grid.rows_below(h.row)
                .filter(|(r, _)| grid.label(*r, col).is_some_and(|l| ratings.iter().any(|o| o == l)))
                .take(2)
                .count()
                == 2
        };
        (h.col(0).is_some() && !cols.is_empty()) || cols.len() >= 2 || cols.iter().any(|&c| rated(c))
    })
}

/// 推荐星级, the questions, then (in schemes that weigh voter categories)
/// the 测评人类别 column.
fn register_specs(scheme: &Scheme) -> Vec<ColumnSpec> {
    let mut specs = vec![ColumnSpec::exact(REGISTER.recommended)];
    specs.extend(scheme.ballot.questions.iter().map(|q| ColumnSpec::containing(q)));
    if !scheme.ballot.categories.is_empty() {
        specs.push(ColumnSpec::exact(&layout::titles(
            REGISTER.voter,
            Role::Voter,
            &scheme.labels,
        )));
    }
    specs
}

/// How a register row gives its answers: a rating word per question
/// column, or a mark under one of the option columns of its one question.
enum Marking {
    Words(Vec<Option<u32>>),
    Ticks(Vec<Option<u32>>),
}

/// Reads a ballot register whose header row was found.
pub fn read_register(sheet: &Sheet, header: &Header) -> SheetOutcome {
    let scheme = &sheet.schemes.branch;
    let question_cols: Vec<Option<u32>> = (0..scheme.ballot.questions.len()).map(|i| header.col(i + 1)).collect();
    let voter_col = header.col(scheme.ballot.questions.len() + 1);
    read_rows(
        sheet,
        header.row,
        (header.col(0), voter_col),
        Marking::Words(question_cols),
    )
}

/// Finds a register of one question whose options are its columns, each
/// row one ballot with a mark (✓ √ ○ 1 …) under the option chosen: every
/// counted option, no branch column, and rows of single marks under them.
pub fn detect_ticks(grid: &Grid, scheme: &Scheme) -> Option<Header> {
    if scheme.ballot.questions.len() != 1 {
        return None;
    }
    let options = scheme.ballot.ratings.len();
    let mut specs = count_specs(scheme);
    specs.push(ColumnSpec::exact(&layout::titles(
        REGISTER.voter,
        Role::Voter,
        &scheme.labels,
    )));
    let header = find_header(grid, &specs, |h| {
        let counted = scheme
            .ballot
            .ratings
            .iter()
            .enumerate()
            .all(|(i, r)| !r.counted || h.col(i).is_some());
        counted && h.col(options + 3).is_none()
    })?;
    let cols: Vec<u32> = (0..options).filter_map(|i| header.col(i)).collect();
    let ticked = grid
        .rows_below(header.row)
        .filter(|(row, _)| {
            let marks: Vec<&Value> = cols
                .iter()
                .filter_map(|&c| grid.get(*row, c))
                .map(|c| &c.value)
                .collect();
            marks.len() == 1 && marks.iter().all(|v| is_mark(v))
        })
        .take(2)
        .count();
    (ticked == 2).then_some(header)
}

/// Reads a register of ticks under the options (see [`detect_ticks`]).
pub fn read_ticks(sheet: &Sheet, header: &Header) -> SheetOutcome {
    let scheme = &sheet.schemes.branch;
    let options = scheme.ballot.ratings.len();
    let cols = (0..options).map(|i| header.col(i)).collect();
    let voter = header.col(options + 5).filter(|_| !scheme.ballot.categories.is_empty());
    read_rows(sheet, header.row, (None, voter), Marking::Ticks(cols))
}

/// A mark in a one-voter cell or a tick register: any text, or the number
/// 1; a count above 1 is no mark, and 0 marks nothing.
fn is_mark(value: &Value) -> bool {
    match value {
        Value::Number(n) => *n == 1.0,
        Value::Text(t) => !t.trim().is_empty() && t.trim() != "0",
        Value::Bool(b) => *b,
        _ => false,
    }
}

/// Reads the ballot rows under a register's header.
fn read_rows(
    sheet: &Sheet,
    header_row: u32,
    (star_col, voter_col): (Option<u32>, Option<u32>),
    marking: Marking,
) -> SheetOutcome {
    let grid = sheet.grid;
    let scheme = &sheet.schemes.branch;
    let (identity, mut issues) = sheet.branch_identity(header_row, Privacy::Public);
    let branch = identity.as_ref().map_or("（未知）".to_string(), |id| id.name.clone());
    let labeled = Labeled::new(grid);
    let issued = turnout(sheet, &labeled, REGISTER.issued, header_row, &mut issues);
    let returned = turnout(sheet, &labeled, REGISTER.returned, header_row, &mut issues);

    if star_col.is_none() {
        issues.push(sheet.issue(None, Problem::NoRecommendedColumn));
    }
    let sheet_voter = match voter_col {
        Some(_) => None,
        None => sheet_category(sheet, (&labeled, header_row), (&branch, Privacy::Public), &mut issues),
    };
    let question_cols: Vec<Option<u32>> = match &marking {
        Marking::Words(cols) => cols.clone(),
        Marking::Ticks(_) => Vec::new(),
    };
    for (question, col) in scheme.ballot.questions.iter().zip(&question_cols) {
        if col.is_none() {
            issues.push(sheet.issue(
                None,
                Problem::MissingQuestion {
                    question: question.clone(),
                },
            ));
        }
    }
    let ratings: Vec<String> = scheme.ballot.ratings.iter().map(|r| norm_label(&r.label)).collect();
    let mut ballots = Vec::new();
    let answer_cols: Vec<u32> = match &marking {
        Marking::Words(cols) | Marking::Ticks(cols) => cols.iter().flatten().copied().collect(),
    };
    for (row, cells) in grid.rows_below(header_row) {
        let mut texts = cells.iter().filter_map(|(_, cell)| cell.label());
        if texts.clone().any(|t| REGISTER.end.iter().any(|end| t.starts_with(end))) {
            break;
        }
        // A row noted 空白票 (`空白票，作废`) in any cell is a blank ballot.
        let blank = texts.any(|t| REGISTER.blank.iter().any(|b| t.starts_with(b)));
        // A pre-numbered row with no marks is not a ballot.
        let used: Vec<u32> = answer_cols.iter().chain(&star_col).copied().collect();
        if !blank && !used.iter().any(|&c| grid.get(row, c).is_some()) {
            continue;
        }
        // Who voted: the row's own 测评人类别, else the sheet's. A blank
        // ballot rates nothing, so it needs none.
        let category = match voter_col.and_then(|c| grid.get(row, c).map(|cell| (c, cell))) {
            Some((col, cell)) => voter_category(
                sheet,
                (&cell.value, CellRef::new(row, col)),
                (&branch, Privacy::BallotRow),
                &mut issues,
            ),
            None => {
                if let (Some(col), None, false) = (voter_col, sheet_voter, blank) {
                    let problem = Problem::MissingVoterCategory { branch: branch.clone() };
                    issues.push(
                        sheet
                            .issue(Some(CellRef::new(row, col)), problem)
                            .private(Privacy::BallotRow),
                    );
                }
                sheet_voter
            }
        };
        if blank {
            ballots.push(Ballot::blank(scheme.ballot.questions.len(), category, row));
            continue;
        }
        let mut answer = |col: Option<u32>, star: bool| -> Answer {
            let Some(col) = col else {
                return Answer::Abstain;
            };
            let Some(cell) = grid.get(row, col) else {
                return Answer::Abstain;
            };
            match register_answer(&cell.value, &ratings, scheme, star) {
                Ok(a) => a,
                Err(text) => {
                    let problem = Problem::UnknownMark {
                        branch: branch.clone(),
                        text,
                    };
                    issues.push(
                        sheet
                            .issue(Some(CellRef::new(row, col)), problem)
                            .private(Privacy::BallotRow),
                    );
                    Answer::Invalid
                }
            }
        };
        let answers = match &marking {
            Marking::Words(cols) => cols.iter().map(|&c| answer(c, false)).collect(),
            Marking::Ticks(cols) => {
                let marked: Vec<usize> = cols
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| {
                        c.and_then(|c| grid.get(row, c))
                            .is_some_and(|cell| is_mark(&cell.value))
                    })
                    .map(|(i, _)| i)
                    .collect();
                let one = match marked.as_slice() {
                    [] => Answer::Abstain,
                    [i] => Answer::rated(*i),
                    _ => Answer::OverVote,
                };
                vec![one].into_boxed_slice()
            }
        };
        let star = answer(star_col, true);
        ballots.push(Ballot {
            answers,
            star,
            category,
            row,
        });
    }

    let counted = u32::try_from(ballots.len()).unwrap_or(u32::MAX);
    if ballots.is_empty() {
        issues.push(sheet.issue(None, Problem::EmptyRegister));
    }
    if let Some(r) = &returned {
        if counted > r.value {
            issues.push(sheet.issue(
                Some(r.cell),
                Problem::CountedOverReturned {
                    counted,
                    returned: r.value,
                },
            ));
        }
        if let Some(i) = issued.as_ref().filter(|i| r.value > i.value) {
            issues.push(sheet.issue(
                Some(r.cell),
                Problem::ReturnedOverIssued {
                    returned: r.value,
                    issued: i.value,
                },
            ));
        }
    }
    let layout = BallotLayout::Register {
        issued: issued.map(|i| i.value),
        returned: returned.map(|r| r.value),
    };
    finish(
        sheet,
        FormKind::Register,
        identity,
        layout,
        (ballots, sheet_voter),
        issues,
    )
}

/// Parses one register cell: a rating word (or star level), or several.
fn register_answer(value: &Value, options: &[String], scheme: &Scheme, star: bool) -> Result<Answer, String> {
    let text = value.to_string();
    if norm_label(&text) == REGISTER.over_vote {
        return Ok(Answer::OverVote);
    }
    let mut chosen = BTreeSet::new();
    for token in half_width(&text).split(MARK_SEPARATORS).filter(|t| !t.is_empty()) {
        let n = norm_label(token);
        let found = if star {
            scheme.tier_written(&n).map(|t| t.0)
        } else {
            options.iter().position(|o| *o == n)
        };
        match found {
            Some(i) => chosen.insert(i),
            None => return Err(text.trim().to_string()),
        };
    }
    Ok(match chosen.len() {
        0 => Answer::Abstain,
        1 => chosen.first().map_or(Answer::Abstain, |&i| Answer::rated(i)),
        _ => Answer::OverVote,
    })
}

/// Reads a one-voter ballot whose question header row was found.
pub fn read_single(sheet: &Sheet, header: &Header) -> SheetOutcome {
    let grid = sheet.grid;
    let scheme = &sheet.schemes.branch;
    let (identity, mut issues) = sheet.branch_identity(header.row, Privacy::Ballot);
    let branch = identity.as_ref().map_or("（未知）", |id| id.name.as_str());
    let category = sheet_category(
        sheet,
        (&Labeled::new(grid), header.row),
        (branch, Privacy::Ballot),
        &mut issues,
    );
    let question_col = header.col(0).unwrap_or(0);
    let rating_cols: Vec<Option<u32>> = (1..=scheme.ballot.ratings.len()).map(|i| header.col(i)).collect();
    let questions: Vec<String> = scheme.ballot.questions.iter().map(|q| norm_label(q)).collect();
    let recommended: Vec<String> = SINGLE_BALLOT.recommended.iter().map(|l| norm_label(l)).collect();

    let mut ballot = Ballot::blank(questions.len(), category, header.row);
    let mut section_end = None;
    for (row, _) in grid.rows_below(header.row) {
        if grid
            .row(row)
            .iter()
            .any(|(_, cell)| cell.label().is_some_and(|l| recommended.iter().any(|r| r == l)))
        {
            section_end = Some(row);
            break;
        }
        let Some(label) = grid.label(row, question_col) else {
            continue;
        };
        let q = questions.iter().position(|q| q == label).or_else(|| {
            questions
                .iter()
                .position(|q| label.contains(q.as_str()) || (label.chars().count() >= 2 && q.contains(label)))
        });
        if let Some(answer) = q.and_then(|q| ballot.answers.get_mut(q)) {
            *answer = count_marks(grid, row, &rating_cols);
        }
    }

    // The star block: a row naming the star levels, then a row of marks.
    let tier_specs: Vec<ColumnSpec> = scheme
        .tiers
        .iter()
        .map(|t| ColumnSpec::exact(&[t.name.as_str()]))
        .collect();
    let star_header = grid
        .rows()
        .map(|(r, _)| r)
        .filter(|&r| r >= section_end.unwrap_or(header.row + 1))
        .map(|r| match_row(grid, r, &tier_specs))
        .find(|h| h.matched() >= 2);
    if let Some(star_header) = star_header {
        let cols: Vec<Option<u32>> = (0..tier_specs.len()).map(|i| star_header.col(i)).collect();
        let present: Vec<u32> = cols.iter().flatten().copied().collect();
        let marks_row = grid
            .rows_below(star_header.row)
            .take(3)
            .map(|(r, _)| r)
            .find(|&r| present.iter().any(|&c| grid.get(r, c).is_some()));
        if let Some(row) = marks_row {
            ballot.star = count_marks(grid, row, &cols);
        }
    }
    finish(
        sheet,
        FormKind::Ballot,
        identity,
        BallotLayout::Single,
        (vec![ballot], category),
        issues,
    )
}

/// Marks in a row of a one-voter ballot: any non-empty cell counts; the
/// answer is the one marked column, if exactly one is marked.
fn count_marks(grid: &Grid, row: u32, cols: &[Option<u32>]) -> Answer {
    let marked: Vec<usize> = cols
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_some_and(|c| grid.get(row, c).is_some()))
        .map(|(i, _)| i)
        .collect();
    match marked.as_slice() {
        [] => Answer::Abstain,
        [one] => Answer::rated(*one),
        _ => Answer::OverVote,
    }
}

/// A located whole number such as 发出票数.
struct Count {
    value: u32,
    cell: CellRef,
}

fn turnout(sheet: &Sheet, labeled: &Labeled, label: Label, header_row: u32, issues: &mut Vec<Issue>) -> Option<Count> {
    let found = labeled.value(label, header_row)?;
    let number = match &found.value {
        Value::Number(n) => Some(*n),
        Value::Text(t) => crate::grid::parse_number(t.trim().trim_end_matches(['张', '份'])),
        _ => None,
    };
    match number.filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n <= f64::from(u32::MAX)) {
        Some(n) => Some(Count {
            value: n as u32,
            cell: found.cell,
        }),
        None => {
            let problem = Problem::BadTurnoutNumber {
                label: printed(label),
                text: found.value.to_string(),
            };
            issues.push(sheet.issue(Some(found.cell), problem));
            None
        }
    }
}

/// The voter category a whole sheet states (`测评人类别：党员`), in schemes
/// that weigh categories; a sheet that states none is an error unless its
/// rows do (a register's 测评人类别 column is read row by row instead).
fn sheet_category(
    sheet: &Sheet,
    (labeled, header_row): (&Labeled, u32),
    (branch, privacy): (&str, Privacy),
    issues: &mut Vec<Issue>,
) -> Option<u16> {
    let scheme = &sheet.schemes.branch;
    if scheme.ballot.categories.is_empty() {
        return None;
    }
    let labels = layout::titles(REGISTER.voter_field, Role::Voter, &scheme.labels);
    let Some(found) = labeled.value(&labels, header_row) else {
        let problem = Problem::NoVoterCategory {
            known: category_names(scheme),
        };
        issues.push(sheet.issue(None, problem).private(privacy));
        return None;
    };
    voter_category(sheet, (&found.value, found.cell), (branch, privacy), issues)
}

/// The scheme's voter category a cell names; an error at the cell if none.
fn voter_category(
    sheet: &Sheet,
    (value, cell): (&Value, CellRef),
    (branch, privacy): (&str, Privacy),
    issues: &mut Vec<Issue>,
) -> Option<u16> {
    let scheme = &sheet.schemes.branch;
    let text = value.to_string();
    let category = scheme.ballot.category(&text).and_then(|i| u16::try_from(i).ok());
    if category.is_none() {
        let problem = Problem::UnknownVoterCategory {
            branch: branch.to_string(),
            text: text.trim().to_string(),
            known: category_names(scheme),
        };
        issues.push(sheet.issue(Some(cell), problem).private(privacy));
    }
    category
}

/// The scheme's voter categories, for messages.
fn category_names(scheme: &Scheme) -> String {
    let names: Vec<&str> = scheme.ballot.categories.iter().map(|c| c.name.as_str()).collect();
    names.join("、")
}

fn finish(
    sheet: &Sheet,
    kind: FormKind,
    identity: Option<Identity>,
    layout: BallotLayout,
    (ballots, category): (Vec<Ballot>, Option<u16>),
    issues: Vec<Issue>,
) -> SheetOutcome {
    let valid = !has_error(&issues);
    // A sheet naming no branch may take its workbook's (see `book`).
    let form = Form::Ballots(BallotSheet {
        identity: identity.unwrap_or_default(),
        source: sheet.source(),
        layout,
        ballots,
        tallied: Vec::new(),
        category,
        valid,
    });
    SheetOutcome {
        kind: Some(kind),
        forms: vec![form],
        issues,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_cells_parse_to_answers() {
        let scheme = Scheme::load("standard").unwrap();
        let ratings: Vec<String> = scheme.ballot.ratings.iter().map(|r| r.label.clone()).collect();
        let parse = |t: &str, star| register_answer(&Value::Text(t.into()), &ratings, &scheme, star);
        assert_eq!(parse("较好", false), Ok(Answer::Rated(1)));
        assert_eq!(parse(" 好 ", false), Ok(Answer::Rated(0)));
        assert_eq!(parse("好、较好", false), Ok(Answer::OverVote));
        assert_eq!(parse("好/好", false), Ok(Answer::Rated(0)));
        assert_eq!(parse("多选", false), Ok(Answer::OverVote));
        assert_eq!(parse("多选", true), Ok(Answer::OverVote));
        assert_eq!(parse("还行", false), Err("还行".into()));
        assert_eq!(parse("四星", true), Ok(Answer::Rated(1)));
        assert_eq!(parse("四星级", true), Ok(Answer::Rated(1)));
        assert_eq!(parse("★★★☆☆", true), Ok(Answer::Rated(2)));
        assert_eq!(parse("5", true), Ok(Answer::Rated(0)));
        assert_eq!(parse("无星", true), Ok(Answer::Rated(5)));
        assert_eq!(
            register_answer(&Value::Number(4.0), &ratings, &scheme, true),
            Ok(Answer::Rated(1))
        );
    }
}
