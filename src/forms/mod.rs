//! Form readers: each turns a sheet's [`Grid`] into a typed form plus issues.
//!
//! A sheet is classified by its content, never by its name or file name. All
//! readers share the same header matcher, identity reader and cell parsing;
//! the scheme supplies the labels that differ.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

pub mod answers;
pub mod ballot;
pub mod book;
pub mod diagnose;
pub mod identity;
pub mod marks;
pub mod structure;

pub mod roll;
pub mod roster;
pub mod scoring;
pub mod table;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::grid::{Grid, Value, parse_number};
use crate::issue::{CellRef, Issue, Privacy, Problem};
use crate::layout::{self, ExtraTitles, IdentityLabels};
use crate::points::{fmt_points, snap};
use crate::scheme::Schemes;
use table::Header;

pub use ballot::{Answer, Ballot, BallotLayout, BallotSheet};
pub use identity::{FoundIdentity, Identity, Located};
pub use roll::{Roll, RollEntry};
pub use roster::Roster;
pub use scoring::{FormItem, ScoredForm, Stage};

/// Where a form was read: file and sheet.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SheetRef {
    /// Input path relative to the inbox (shared: every member of a roster
    /// names its sheet).
    pub file: Arc<str>,
    /// Sheet name.
    pub sheet: Arc<str>,
}

/// The kinds of form a sheet can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    /// Branch scoring form (评分表).
    Scoring,
    /// Ballot register (测评票登记表).
    Register,
    /// One voter's ballot (测评票).
    Ballot,
    /// Member roster (党员星级评定表).
    Roster,
    /// Party-group scoring form (党小组考评表).
    Group,
    /// Ballot counts summed per branch (测评票汇总表).
    Tally,
    /// The branches a round expects (支部名册).
    Roll,
    /// A sheet of a branch's submission without a table: it names the
    /// branch, states a tier or answers 是/否 items (申报表).
    Application,
}

impl FormKind {
    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            FormKind::Scoring => "评分表",
            FormKind::Register => "测评票登记表",
            FormKind::Ballot => "单张测评票",
            FormKind::Roster => "党员星级评定表",
            FormKind::Group => "党小组考评表",
            FormKind::Tally => "测评票汇总表",
            FormKind::Roll => "支部名册",
            FormKind::Application => "申报表",
        }
    }
}

/// A form read from one sheet; `M` is what a roster holds per member (the
/// member's form when read, its result once scored).
#[derive(Debug, Clone)]
pub enum Form<M = ScoredForm> {
    /// A scoring form.
    Scoring(ScoredForm),
    /// A register or a single ballot.
    Ballots(BallotSheet),
    /// A member roster.
    Roster(Roster<M>),
    /// A branch register: about many branches, not one.
    Roll(Roll),
}

impl Form {
    /// The same form, a roster replaced by `score(roster)` (its members scored).
    pub fn score_members<M>(self, score: impl FnOnce(Roster) -> Roster<M>) -> Form<M> {
        match self {
            Form::Scoring(f) => Form::Scoring(f),
            Form::Ballots(b) => Form::Ballots(b),
            Form::Roster(r) => Form::Roster(score(r)),
            Form::Roll(r) => Form::Roll(r),
        }
    }
}

impl<M> Form<M> {
    /// Who the form is about; a register is about many.
    pub fn identity(&self) -> Option<&Identity> {
        match self {
            Form::Scoring(f) => Some(&f.identity),
            Form::Ballots(b) => Some(&b.identity),
            Form::Roster(r) => Some(&r.identity),
            Form::Roll(_) => None,
        }
    }

    /// Names whom the form is about, where its sheet named no one.
    fn set_identity(&mut self, identity: Identity) {
        match self {
            Form::Scoring(f) => f.identity = identity,
            Form::Ballots(b) => b.identity = identity,
            Form::Roster(r) => r.identity = identity,
            Form::Roll(_) => {}
        }
    }
}

/// What reading one sheet produced.
#[derive(Debug, Default)]
pub struct SheetOutcome {
    /// The kind of form recognised, if any.
    pub kind: Option<FormKind>,
    /// The forms: none when it could not be attributed to a branch, one per
    /// branch for a table of many.
    pub forms: Vec<Form>,
    /// Problems found.
    pub issues: Vec<Issue>,
}

/// One sheet being read, with what its messages need.
#[derive(Clone, Copy)]
pub struct Sheet<'a> {
    /// Input path relative to the inbox.
    pub file: &'a str,
    /// Sheet name.
    pub name: &'a str,
    /// File name without extension, for messages.
    pub file_stem: &'a str,
    /// The cells.
    pub grid: &'a Grid,
    /// The schemes in force.
    pub schemes: &'a Schemes,
}

impl Sheet<'_> {
    /// An issue in this sheet.
    pub fn issue(&self, cell: Option<CellRef>, problem: Problem) -> Issue {
        Issue::at(self.file, Some(self.name), cell, problem)
    }

    /// The file and sheet, for forms.
    pub fn source(&self) -> SheetRef {
        SheetRef {
            file: self.file.into(),
            sheet: self.name.into(),
        }
    }

    /// Reads the number in a cell: `Ok(None)` when empty.
    pub fn number(&self, row: u32, col: u32, column: &str) -> Result<Option<f64>, Problem> {
        let Some(cell) = self.grid.get(row, col) else {
            return Ok(None);
        };
        let column = column.to_string();
        if cell.merged {
            return Err(Problem::MergedScore { column });
        }
        match &cell.value {
            Value::Number(n) => Ok(Some(*n)),
            Value::Text(t) => parse_number(t).map(Some).ok_or(Problem::BadNumber {
                column,
                text: t.trim().to_string(),
            }),
            Value::Date(text) => Err(Problem::DateInScore {
                column,
                text: text.clone(),
            }),
            Value::Bool(_) => Err(Problem::BoolInScore { column }),
            Value::Error(value) => Err(Problem::ErrorValue {
                column,
                value: value.clone(),
            }),
            Value::Formula(formula) => Err(Problem::FormulaNoValue {
                column,
                formula: formula.clone(),
            }),
        }
    }

    /// Reads the number in a score cell and checks `0 ≤ value ≤ max`.
    pub fn score(&self, row: u32, col: u32, column: &str, max: f64) -> Result<Option<f64>, Problem> {
        self.points(row, col, column, max, false)
    }

    /// Reads the points a 减分项 deducts: `-5` and `5` both deduct 5, at most `max`.
    pub fn deduction(&self, row: u32, col: u32, column: &str, max: f64) -> Result<Option<f64>, Problem> {
        self.points(row, col, column, max, true)
    }

    fn points(&self, row: u32, col: u32, column: &str, max: f64, deducted: bool) -> Result<Option<f64>, Problem> {
        // A deduction may be written as such: `扣3分`, `减2分`.
        let written = match self.grid.get(row, col).map(|c| &c.value) {
            Some(Value::Text(t)) if deducted => crate::grid::half_width(t.trim())
                .strip_prefix(['扣', '减'])
                .and_then(parse_number),
            _ => None,
        };
        let Some(mut v) = (match written {
            Some(v) => Some(v),
            None => self.number(row, col, column)?,
        }) else {
            return Ok(None);
        };
        if deducted {
            v = v.abs();
        }
        if v < 0.0 {
            return Err(Problem::Negative {
                column: column.to_string(),
                value: fmt_points(v),
            });
        }
        if snap(v) > snap(max) {
            return Err(Problem::OverMax {
                column: column.to_string(),
                value: fmt_points(v),
                max: fmt_points(max),
            });
        }
        Ok(Some(v))
    }

    /// Reads identity fields (built-in titles and those `extra` adds) and
    /// reports a missing name or parent.
    fn identity(
        &self,
        header_row: u32,
        privacy: Privacy,
        (labels, extra): (&IdentityLabels, &ExtraTitles),
        require_parent: bool,
    ) -> (Option<Identity>, Vec<Issue>) {
        let (found, issues) = self.found_identity(header_row, privacy, (labels, extra), require_parent);
        (found.identity(), issues)
    }

    /// The branch a ballot, tally or roster names, its parent optional.
    fn branch_identity(&self, header_row: u32, privacy: Privacy) -> (Option<Identity>, Vec<Issue>) {
        let labels = (&layout::BRANCH_IDENTITY, &self.schemes.branch.labels);
        self.identity(header_row, privacy, labels, false)
    }

    /// [`Sheet::identity`], with the cells each field was read from.
    fn found_identity(
        &self,
        header_row: u32,
        privacy: Privacy,
        (labels, extra): (&IdentityLabels, &ExtraTitles),
        require_parent: bool,
    ) -> (FoundIdentity, Vec<Issue>) {
        let labels = labels.with(extra);
        let found = FoundIdentity::read(self.grid, header_row, &labels);
        let mut issues: Vec<Issue> = found
            .invisible
            .iter()
            .map(|cell| self.issue(Some(*cell), Problem::InvisibleCharacters).private(privacy))
            .collect();
        match found.identity() {
            None => {
                let problem = Problem::MissingName {
                    label: labels.printed_name,
                    who: labels.who,
                    file_stem: self.file_stem.to_string(),
                };
                issues.push(self.issue(None, problem).private(privacy));
            }
            Some(id) if id.parent.is_none() && require_parent => {
                let problem = Problem::MissingParent {
                    labels: labels.parent.join("/"),
                };
                // At the empty label, where the value belongs; else at the name.
                let cell = found.parent_label.or(found.name.as_ref().map(|n| n.cell));
                issues.push(self.issue(cell, problem));
            }
            Some(_) => {}
        }
        (found, issues)
    }
}

/// Reads a yes/no answer: 是/✓/√/1/TRUE or 否/×/0/FALSE/blank; `None` otherwise.
pub fn yes_no(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) if *n == 1.0 || *n == 0.0 => Some(*n == 1.0),
        Value::Text(t) => {
            let n = crate::grid::norm_label(t).to_uppercase();
            if layout::YES.contains(&n.as_str()) {
                Some(true)
            } else if layout::NO.contains(&n.as_str()) || n.is_empty() {
                Some(false)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A form reader: where its header is, and how to read the form under it.
pub(super) struct Reader {
    /// Finds the reader's header row in a sheet.
    pub(super) detect: fn(&Sheet) -> Option<Header>,
    /// Reads the form whose header was found.
    pub(super) read: fn(&Sheet, &Header) -> SheetOutcome,
}

/// The readers a sheet is tried with, in order, once it is no scoring
/// form (whose header is the most specific; [`book`] reads those, as a
/// form may spread over sheets). A table of many branches' counts first;
/// a tally (counts under the options) before a one-voter ballot (ticks
/// under the same header); a one-voter ballot before a register, whose
/// questions it also lists; a roster after them, as its aspect columns are
/// the loosest match; a branch register last, as the name and parent it
/// looks for are on every other form too.
/// A new form kind gets a module beside these and a line here.
pub(super) const READERS: [Reader; 8] = [
    Reader {
        detect: |s| ballot::detect_table(s.grid, &s.schemes.branch),
        read: ballot::read_table,
    },
    Reader {
        detect: |s| ballot::detect_tally(s.grid, &s.schemes.branch),
        read: ballot::read_tally,
    },
    Reader {
        detect: |s| ballot::detect_single(s.grid, &s.schemes.branch),
        read: ballot::read_single,
    },
    Reader {
        detect: |s| ballot::detect_ticks(s.grid, &s.schemes.branch),
        read: ballot::read_ticks,
    },
    Reader {
        detect: |s| ballot::detect_counts(s.grid, &s.schemes.branch),
        read: ballot::read_counts,
    },
    Reader {
        detect: |s| ballot::detect_register(s.grid, &s.schemes.branch),
        read: ballot::read_register,
    },
    Reader {
        detect: |s| roster::detect(s.grid, &s.schemes.member),
        read: roster::read,
    },
    Reader {
        detect: |s| roll::detect(s.grid, s.schemes),
        read: roll::read,
    },
];

/// Classifies one sheet by its content and reads the form it holds, as a
/// workbook of that sheet alone.
pub fn read_sheet(sheet: &Sheet) -> SheetOutcome {
    book::read_book(std::slice::from_ref(sheet)).pop().unwrap_or_default()
}
