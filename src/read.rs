//! Reading every input file in parallel: bytes, hash, workbook, forms.
//!
//! Each file is read independently; a panic while reading one file becomes an
//! issue for that file and the batch goes on.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::discover::Candidate;
use crate::forms::{self, Form, FormKind, Roster, ScoredForm, Sheet};
use crate::grid::Grid;
use crate::issue::{CellRef, Issue, Privacy, Problem, Severity, describe_io, has_error};
use crate::plan::Progress;
use crate::results::{FileEntry, FileStatus};
use crate::scheme::Schemes;
use crate::workbook::{self, Format, Limits};

/// Everything read from one file.
#[derive(Debug)]
pub struct FileRead<M = ScoredForm> {
    /// Manifest line.
    pub entry: FileEntry,
    /// Forms found; `M` is what a roster holds per member.
    pub forms: Vec<Form<M>>,
    /// Problems found.
    pub issues: Vec<Issue>,
    /// For each scoring form that does not fit the chosen scheme but fits a
    /// built-in one, that preset's name.
    pub fits_other: Vec<String>,
}

impl FileRead {
    /// The same file, each roster replaced by `score(roster)`.
    pub fn score_members<M>(self, score: impl Fn(Roster) -> Roster<M>) -> FileRead<M> {
        FileRead {
            entry: self.entry,
            forms: self.forms.into_iter().map(|f| f.score_members(&score)).collect(),
            issues: self.issues,
            fits_other: self.fits_other,
        }
    }
}

/// Reads all candidates on the current rayon pool, keeping their order;
/// `then` runs on each file as soon as it is read, so what a large round
/// keeps of a file is what `then` returns, not every form it held.
pub fn read_all<T: Send>(
    candidates: &[Candidate],
    schemes: &Schemes,
    limits: &Limits,
    progress: &dyn Progress,
    then: impl Fn(FileRead) -> T + Sync,
) -> Vec<T> {
    progress.phase("读取", candidates.len());
    candidates
        .par_iter()
        .map(|c| {
            let read = then(read_file(&c.path, &c.rel, &c.ext, schemes, limits));
            progress.step();
            read
        })
        .collect()
}

/// Reads one file; never panics.
pub fn read_file(path: &Path, rel: &str, ext: &str, schemes: &Schemes, limits: &Limits) -> FileRead {
    match load(path, limits.max_file_bytes) {
        Ok(bytes) => read_bytes(&bytes, rel, ext, schemes, limits),
        Err((size, problem)) => failed(FileEntry::new(rel, size), problem),
    }
}

/// A file's bytes, bounded by what is read, not by what the file system
/// says: opened without waiting (a pipe put in place of the file after the
/// walk would block an ordinary open forever), refused unless it is a
/// regular file, and never read past `limit`. The error carries the size
/// known so far.
fn load(path: &Path, limit: u64) -> Result<Vec<u8>, (u64, Problem)> {
    let unreadable = |e: std::io::Error| {
        (
            0,
            Problem::Unreadable {
                detail: describe_io(&e),
            },
        )
    };
    let file = open_without_waiting(path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if !meta.is_file() {
        return Err((0, Problem::NotRegularFile));
    }
    let size = meta.len();
    if size > limit {
        return Err((size, Problem::FileTooLarge { size, limit }));
    }
    read_limited(file, size, limit).map_err(|problem| (size, problem))
}

/// One file's bytes, within the limit as every input, and its extension in
/// lower case: for the commands that read one form (`scheme draft`,
/// `check --explain`).
pub fn load_one(path: &Path, limits: &Limits) -> Result<(Vec<u8>, String), Problem> {
    let bytes = load(path, limits.max_file_bytes).map_err(|(_, problem)| problem)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_lowercase();
    Ok((bytes, ext))
}

/// Reads at most `limit` bytes; more is an error, whatever `expected` said.
pub fn read_limited(reader: impl Read, expected: u64, limit: u64) -> Result<Vec<u8>, Problem> {
    let mut bytes = Vec::with_capacity(usize::try_from(expected.min(limit)).unwrap_or(0));
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Problem::Unreadable {
            detail: describe_io(&e),
        })?;
    if bytes.len() as u64 > limit {
        return Err(Problem::ReadPastLimit { limit });
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_without_waiting(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_waiting(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

fn failed(mut entry: FileEntry, problem: Problem) -> FileRead {
    entry.status = FileStatus::Failed;
    let issues = vec![Issue::file(&entry.path, problem)];
    FileRead {
        entry,
        forms: Vec::new(),
        issues,
        fits_other: Vec::new(),
    }
}

/// Reads one workbook's bytes, `rel` naming it in messages; never panics.
pub fn read_bytes(bytes: &[u8], rel: &str, ext: &str, schemes: &Schemes, limits: &Limits) -> FileRead {
    let mut entry = FileEntry::new(rel, bytes.len() as u64);
    entry.sha256 = Some(hex(&Sha256::digest(bytes)));
    let stem = Path::new(rel)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let result = catch_unwind(AssertUnwindSafe(|| {
        read_sheets(bytes, rel, &stem, ext, schemes, limits)
    }));
    match result {
        Ok(Ok((format, forms, kinds, issues, fits_other))) => {
            entry.format = Some(format);
            entry.private = !kinds.is_empty() && kinds.iter().all(|k| *k == FormKind::Ballot);
            entry.forms = kinds;
            entry.branches = branch_names(&forms);
            entry.status = if has_error(&issues) {
                FileStatus::ReadWithErrors
            } else {
                FileStatus::Read
            };
            FileRead {
                entry,
                forms,
                issues,
                fits_other,
            }
        }
        Ok(Err(problem)) => failed(entry, problem),
        Err(panic) => failed(
            entry,
            Problem::Internal {
                detail: crate::error::panic_message(panic.as_ref()),
            },
        ),
    }
}

type SheetsRead = (Format, Vec<Form>, Vec<FormKind>, Vec<Issue>, Vec<String>);

fn read_sheets(
    bytes: &[u8],
    rel: &str,
    stem: &str,
    ext: &str,
    schemes: &Schemes,
    limits: &Limits,
) -> Result<SheetsRead, Problem> {
    let book = workbook::open(bytes, ext, limits)?;
    let mut issues = Vec::new();
    if book.extension_mismatch {
        issues.push(Issue::file(
            rel,
            Problem::FormatMismatch {
                actual: book.format.name(),
            },
        ));
    }
    let mut forms = Vec::new();
    let mut kinds = Vec::new();
    let mut unrecognised = Vec::new();
    let mut fits_other = Vec::new();
    let mut read: Vec<(&workbook::Sheet, &Grid)> = Vec::new();
    for sheet in &book.sheets {
        match &sheet.grid {
            Ok(grid) if grid.is_empty() => {}
            Ok(grid) => read.push((sheet, grid)),
            Err(problem) => issues.push(Issue::at(rel, Some(&sheet.name), None, problem.clone())),
        }
    }
    let views: Vec<Sheet> = read
        .iter()
        .map(|(sheet, grid)| Sheet {
            file: rel,
            name: &sheet.name,
            file_stem: stem,
            grid,
            schemes,
        })
        .collect();
    let outcomes = forms::book::read_book(&views);
    for ((view, (sheet, grid)), outcome) in views.iter().zip(&read).zip(outcomes) {
        if outcome.kind == Some(FormKind::Scoring) && mismatches(&outcome.issues) {
            fits_other.extend(fitting_preset(view));
        }
        let Some(kind) = outcome.kind else {
            unrecognised.push((sheet.name.clone(), forms::diagnose::diagnose(view)));
            continue;
        };
        // Where a single ballot hides something is itself part of the ballot.
        let privacy = if kind == FormKind::Ballot {
            Privacy::Ballot
        } else {
            Privacy::Public
        };
        if sheet.hidden {
            issues.push(Issue::at(rel, Some(&sheet.name), None, Problem::HiddenSheet).private(privacy));
        }
        if let Some(issue) = hidden_content(rel, sheet, grid) {
            issues.push(issue.private(privacy));
        }
        kinds.push(kind);
        forms.extend(outcome.forms);
        issues.extend(outcome.issues);
    }
    let blank = book.sheets.iter().all(|s| matches!(&s.grid, Ok(g) if g.is_empty()));
    if blank {
        issues.push(Issue::file(rel, Problem::EmptyWorkbook));
    } else {
        if kinds.is_empty() {
            issues.push(Issue::file(rel, Problem::NoFormInWorkbook));
        }
        // A sheet that looks like a form says what kept it from being read;
        // others are only listed, and only beside a form that was read.
        for (name, diagnosis) in unrecognised {
            match diagnosis {
                Some(problem) => issues.push(Issue::at(rel, Some(&name), None, problem)),
                None if !kinds.is_empty() => issues.push(Issue::at(rel, Some(&name), None, Problem::UnrecognisedSheet)),
                None => {}
            }
        }
    }
    Ok((book.format, forms, kinds, issues, fits_other))
}

/// Whether a form's problems say it belongs to another scheme.
fn mismatches(issues: &[Issue]) -> bool {
    issues.iter().any(|i| crate::issue::SCHEME_MISMATCH.contains(&i.code))
}

/// The built-in branch preset a scoring form fits, when it does not fit the
/// chosen scheme: read again against each (only such forms pay for this).
fn fitting_preset(sheet: &Sheet) -> Option<String> {
    crate::scheme::branch_presets()
        .iter()
        .filter(|preset| preset.name != sheet.schemes.branch.name)
        .find(|preset| {
            let schemes = Schemes {
                branch: (*preset).clone(),
                member: sheet.schemes.member.clone(),
                group: sheet.schemes.group.clone(),
            };
            let again = forms::read_sheet(&Sheet {
                schemes: &schemes,
                ..*sheet
            });
            again.kind == Some(FormKind::Scoring) && !mismatches(&again.issues)
        })
        .map(|preset| preset.name.clone())
}

/// A note on the hidden rows and columns of a form that hold content.
fn hidden_content(rel: &str, sheet: &workbook::Sheet, grid: &Grid) -> Option<Issue> {
    let hidden = &sheet.hidden_cells;
    let mut first = None;
    let mut rows = Vec::new();
    let mut cols = Vec::new();
    for (row, cells) in grid.rows() {
        for (col, _) in cells {
            let (row_span, col_span) = (hidden.row_span(row), hidden.col_span(*col));
            if row_span.is_none() && col_span.is_none() {
                continue;
            }
            first.get_or_insert(CellRef::new(row, *col));
            rows.extend(row_span.cloned());
            cols.extend(col_span.cloned());
        }
    }
    let first = first?;
    let mut spans = Vec::new();
    rows.sort_by_key(|s| s.start);
    rows.dedup();
    cols.sort_by_key(|s| s.start);
    cols.dedup();
    for span in rows.iter().take(5) {
        spans.push(match span.len() {
            1 => format!("第 {} 行", span.start + 1),
            _ => format!("第 {}–{} 行", span.start + 1, span.end),
        });
    }
    for span in cols.iter().take(5) {
        let name = column_name;
        spans.push(match span.len() {
            1 => format!("第 {} 列", name(span.start)),
            _ => format!("第 {}–{} 列", name(span.start), name(span.end - 1)),
        });
    }
    if rows.len() > 5 || cols.len() > 5 {
        spans.push("等".into());
    }
    let spans = spans.join("、").replace("、等", "等");
    Some(Issue::at(
        rel,
        Some(&sheet.name),
        Some(first),
        Problem::HiddenCells { spans },
    ))
}

/// Column letters of a zero-based column.
fn column_name(col: u32) -> String {
    let cell = CellRef::new(0, col).to_string();
    cell.trim_end_matches(|c: char| c.is_ascii_digit()).to_string()
}

/// Whom the forms of a file rate; a party group with its branch, as a group
/// name alone (第一党小组) says little.
fn branch_names(forms: &[Form]) -> Vec<String> {
    let mut names: Vec<String> = forms
        .iter()
        .filter_map(|f| {
            let id = f.identity()?;
            Some(match (f, &id.parent) {
                (Form::Scoring(s), Some(branch)) if s.subject == crate::scheme::Subject::Group => {
                    format!("{}（{branch}）", s.identity.name)
                }
                _ => id.name.clone(),
            })
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Counts issues by severity: (errors, warnings, notes).
pub fn count_by_severity(issues: &[Issue]) -> (usize, usize, usize) {
    let n = |s| issues.iter().filter(|i| i.severity == s).count();
    (n(Severity::Error), n(Severity::Warning), n(Severity::Note))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_at_the_limit_whatever_the_size_said() {
        let endless = std::io::repeat(0);
        assert_eq!(
            read_limited(endless, 10, 1000).unwrap_err(),
            Problem::ReadPastLimit { limit: 1000 }
        );
        assert_eq!(read_limited(&b"abc"[..], 3, 3).unwrap(), b"abc");
    }
}
