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
    let (identity, mut issues) = sheet.identity(
        header.row,
        Privacy::Public,
        (&layout::BRANCH_IDENTITY, &scheme.labels),
        false,
    );
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
        let mut counts = vec![0; ratings.len()];
        for (k, (slot, rating)) in counts.iter_mut().zip(ratings).enumerate() {
            let Some(col) = header.col(k + 1) else { continue };
            let Some(cell) = grid.get(row, col) else { continue };
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
    if let Some(Form::Ballots(b)) = &mut outcome.form {
        b.tallied = tallied
            .into_iter()
            .map(|c| c.unwrap_or_else(|| vec![0; ratings.len()]))
            .collect();
    }
    outcome
}

/// Finds the header of a ballot register: question columns and `推荐星级`,
/// or, in a register without 推荐星级, at least two question columns.
pub fn detect_register(grid: &Grid, scheme: &Scheme) -> Option<Header> {
    let count = scheme.ballot.questions.len();
    find_header(grid, &register_specs(scheme), |h| {
        let questions = (1..=count).filter(|&i| h.col(i).is_some()).count();
        (h.col(0).is_some() && questions >= 1) || questions >= 2
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

/// Reads a ballot register whose header row was found.
pub fn read_register(sheet: &Sheet, header: &Header) -> SheetOutcome {
    let grid = sheet.grid;
    let scheme = &sheet.schemes.branch;
    let (identity, mut issues) = sheet.identity(
        header.row,
        Privacy::Public,
        (&layout::BRANCH_IDENTITY, &sheet.schemes.branch.labels),
        false,
    );
    let branch = identity.as_ref().map_or("（未知）".to_string(), |id| id.name.clone());
    let labeled = Labeled::new(grid);
    let issued = turnout(sheet, &labeled, REGISTER.issued, header.row, &mut issues);
    let returned = turnout(sheet, &labeled, REGISTER.returned, header.row, &mut issues);

    let star_col = header.col(0);
    if star_col.is_none() {
        issues.push(sheet.issue(None, Problem::NoRecommendedColumn));
    }
    let voter_col = header.col(scheme.ballot.questions.len() + 1);
    let sheet_voter = match voter_col {
        Some(_) => None,
        None => sheet_category(sheet, (&labeled, header.row), (&branch, Privacy::Public), &mut issues),
    };

    let question_cols: Vec<Option<u32>> = (0..scheme.ballot.questions.len()).map(|i| header.col(i + 1)).collect();
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
    for (row, cells) in grid.rows_below(header.row) {
        let mut texts = cells.iter().filter_map(|(_, cell)| cell.label());
        if texts.clone().any(|t| REGISTER.end.iter().any(|end| t.starts_with(end))) {
            break;
        }
        let blank = texts.any(|t| REGISTER.blank.contains(&t));
        // A pre-numbered row with no marks is not a ballot.
        let used: Vec<u32> = question_cols.iter().chain([&star_col]).flatten().copied().collect();
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
        // A row marked 空白票 in any cell is a blank ballot.
        if blank {
            ballots.push(Ballot::blank(question_cols.len(), category, row));
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
        let answers = question_cols.iter().map(|&c| answer(c, false)).collect();
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
            star_option(scheme, &n)
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

/// A recommended star written as `四星`, `四星级`, `4星`, `4` or `★★★★☆`.
fn star_option(scheme: &Scheme, token: &str) -> Option<usize> {
    let by_name = |name: &str| scheme.tiers.iter().position(|t| norm_label(&t.name) == name);
    let by_stars = |n: usize| scheme.tiers.iter().position(|t| t.stars.map(usize::from) == Some(n));
    if let Some(i) = by_name(token).or_else(|| token.strip_suffix('级').and_then(by_name)) {
        return Some(i);
    }
    if !token.is_empty() && token.chars().all(|c| c == '★' || c == '☆') {
        return by_stars(token.chars().filter(|&c| c == '★').count());
    }
    let digits = token
        .strip_suffix("星级")
        .or_else(|| token.strip_suffix('星'))
        .unwrap_or(token);
    digits.parse::<usize>().ok().and_then(by_stars)
}

/// Reads a one-voter ballot whose question header row was found.
pub fn read_single(sheet: &Sheet, header: &Header) -> SheetOutcome {
    let grid = sheet.grid;
    let scheme = &sheet.schemes.branch;
    let (identity, mut issues) = sheet.identity(
        header.row,
        Privacy::Ballot,
        (&layout::BRANCH_IDENTITY, &sheet.schemes.branch.labels),
        false,
    );
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
    let form = identity.map(|identity| {
        Form::Ballots(BallotSheet {
            identity,
            source: sheet.source(),
            layout,
            ballots,
            tallied: Vec::new(),
            category,
            valid,
        })
    });
    SheetOutcome {
        kind: Some(kind),
        form,
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
