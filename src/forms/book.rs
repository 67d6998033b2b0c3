//! The sheets of one workbook, read as the submission(s) they are.
//!
//! A branch may spread its form over sheets: an application sheet and one
//! sheet per star level, a scoring sheet and its tally. The sheets of a
//! workbook are one submission unless they name different branches: a
//! sheet that names none takes the branch the workbook names, and scoring
//! sheets of one branch holding different indicators are one form. Two
//! scoring tables holding the same indicators for one branch are still two
//! submissions — a duplicate, held back by `assemble`.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::collections::BTreeSet;

use super::identity::Labeled;
use super::scoring::{self, Extra, Prepared};
use super::{Form, FormKind, Identity, READERS, Sheet, SheetOutcome};
use crate::issue::{Issue, Problem};
use crate::layout::{self, Role, titles};
use crate::scheme::Subject;

/// How one sheet was first read.
enum First {
    /// A scoring table, its structure read.
    Scoring(Box<Prepared>),
    /// Another kind of form, read whole.
    Other(SheetOutcome),
    /// No form: it may still name the branch and answer its 是/否 items.
    Unread(Option<Identity>),
}

/// Reads every sheet of a workbook; one outcome per sheet, in order. A
/// submission spread over sheets is given with its first sheet.
pub fn read_book(sheets: &[Sheet]) -> Vec<SheetOutcome> {
    let firsts: Vec<First> = sheets.iter().map(read_first).collect();
    let named: BTreeSet<String> = firsts
        .iter()
        .flat_map(|first| -> Vec<String> {
            match first {
                First::Scoring(p) => p.identity.iter().map(Identity::name_key).collect(),
                First::Other(o) => o
                    .forms
                    .iter()
                    .filter_map(|f| f.identity())
                    .map(Identity::name_key)
                    .filter(|k| !k.is_empty())
                    .collect(),
                First::Unread(id) => id.iter().map(Identity::name_key).collect(),
            }
        })
        .collect();
    // The one branch the workbook names, for sheets that name none.
    let only = (named.len() == 1)
        .then(|| {
            firsts.iter().find_map(|first| match first {
                First::Scoring(p) => p.identity.clone(),
                First::Other(o) => o
                    .forms
                    .iter()
                    .filter_map(|f| f.identity())
                    .find(|id| !id.name.is_empty())
                    .cloned(),
                First::Unread(id) => id.clone(),
            })
        })
        .flatten();
    let mut outcomes: Vec<SheetOutcome> = Vec::with_capacity(sheets.len());
    let mut prepared: Vec<(usize, Box<Prepared>)> = Vec::new();
    let mut unread: Vec<(usize, Option<Identity>)> = Vec::new();
    for (i, first) in firsts.into_iter().enumerate() {
        match first {
            First::Scoring(mut p) => {
                if p.identity.is_none()
                    && let Some(id) = &only
                {
                    p.identity = Some(id.clone());
                    p.issues.retain(|issue| issue.code != "missing_name");
                }
                outcomes.push(SheetOutcome {
                    kind: Some(match p.subject {
                        Subject::Group => FormKind::Group,
                        _ => FormKind::Scoring,
                    }),
                    ..SheetOutcome::default()
                });
                prepared.push((i, p));
            }
            First::Other(mut o) => {
                inherit(&mut o, only.as_ref());
                outcomes.push(o);
            }
            // Only a sheet that names the branch itself joins its
            // submission: an instructions sheet that names none does not.
            First::Unread(id) => {
                outcomes.push(SheetOutcome::default());
                unread.push((i, id));
            }
        }
    }
    let named: BTreeSet<String> = prepared
        .iter()
        .filter_map(|(_, p)| p.identity.as_ref().map(Identity::name_key))
        .collect();
    // A sheet without a table that names a branch scored here is part of
    // its submission (an application sheet), not a sheet left unread.
    for (i, id) in &unread {
        if id.as_ref().is_some_and(|id| named.contains(&id.name_key()))
            && let Some(outcome) = outcomes.get_mut(*i)
        {
            outcome.kind = Some(FormKind::Application);
        }
    }
    for (at, form, issues) in submissions(sheets, prepared, &unread) {
        if let Some(outcome) = outcomes.get_mut(at) {
            outcome.forms.extend(form);
            outcome.issues.extend(issues);
        }
    }
    outcomes
}

/// Reads a sheet far enough to know what it is.
fn read_first(sheet: &Sheet) -> First {
    if let Some(header) = scoring::detect(sheet.grid, sheet.schemes) {
        return First::Scoring(Box::new(scoring::prepare(sheet, &header)));
    }
    let outcome = READERS
        .iter()
        .find_map(|reader| (reader.detect)(sheet).map(|header| (reader.read)(sheet, &header)));
    match outcome {
        Some(outcome) => First::Other(outcome),
        None => First::Unread(labelled_identity(sheet)),
    }
}

/// The branch a sheet without a form names by a label (`党支部名称：…`),
/// never by its title: an application sheet names it so, an instructions
/// sheet's title names no branch.
fn labelled_identity(sheet: &Sheet) -> Option<Identity> {
    let extra = &sheet.schemes.branch.labels;
    let labeled = Labeled::new(sheet.grid);
    let text = |role: Role, builtin| {
        let value = labeled
            .value(&titles(builtin, role, extra), u32::MAX)?
            .value
            .to_string();
        let value = value.trim().to_string();
        (!value.is_empty()).then_some(value)
    };
    let ids = &layout::BRANCH_IDENTITY;
    Some(Identity {
        name: text(Role::Name, ids.name)?,
        parent: text(Role::Parent, ids.parent),
        code: text(Role::Code, ids.code),
    })
}

/// A form that names no branch takes the workbook's one branch; without
/// one it is dropped and its missing name stays reported.
fn inherit(outcome: &mut SheetOutcome, only: Option<&Identity>) {
    let unnamed = |f: &Form| f.identity().is_some_and(|id| id.name.is_empty());
    if !outcome.forms.iter().any(unnamed) {
        return;
    }
    match only {
        Some(id) => {
            outcome.issues.retain(|issue| issue.code != "missing_name");
            let valid = !crate::issue::has_error(&outcome.issues);
            for form in &mut outcome.forms {
                if unnamed(form) {
                    form.set_identity(id.clone());
                    if let Form::Ballots(b) = form {
                        b.valid = valid;
                    }
                }
            }
        }
        None => outcome.forms.retain(|f| !unnamed(f)),
    }
}

/// Prepared scoring sheets, each with its index in the workbook.
type Members = Vec<(usize, Box<Prepared>)>;

/// The scoring submissions of a workbook: each with the index of the sheet
/// it is given with, its form (when it names a branch), and its problems.
fn submissions(
    sheets: &[Sheet],
    prepared: Vec<(usize, Box<Prepared>)>,
    unread: &[(usize, Option<Identity>)],
) -> Vec<(usize, Option<Form>, Vec<Issue>)> {
    // Sheets of one branch and kind, in workbook order.
    let mut groups: Vec<((Subject, Option<String>), Members)> = Vec::new();
    for (i, p) in prepared {
        let key = (p.subject, p.identity.as_ref().map(Identity::name_key));
        // A sheet that names no branch (the workbook naming several) is its own.
        let found = key
            .1
            .is_some()
            .then(|| groups.iter_mut().find(|(k, _)| *k == key))
            .flatten();
        match found {
            Some((_, sheets)) => sheets.push((i, p)),
            None => groups.push((key, vec![(i, p)])),
        }
    }
    let mut out = Vec::new();
    for ((subject, key), group) in groups {
        // Sheets holding indicators another sheet already holds start a
        // submission of their own.
        let mut forms: Vec<(BTreeSet<usize>, Members)> = Vec::new();
        for (i, p) in group {
            let held: BTreeSet<usize> = p.indicators().collect();
            match forms.iter_mut().find(|(h, _)| h.is_disjoint(&held)) {
                Some((h, members)) => {
                    h.extend(held);
                    members.push((i, p));
                }
                None => forms.push((held, vec![(i, p)])),
            }
        }
        for (_, members) in forms {
            let extras: Vec<Extra> = unread
                .iter()
                .filter(|(_, id)| key.is_some() && id.as_ref().map(Identity::name_key) == key)
                .filter_map(|(i, _)| sheets.get(*i))
                .map(|sheet| scoring::read_extra(sheet, subject))
                .collect();
            out.push(submission(sheets, subject, members, extras));
        }
    }
    out
}

/// One scoring submission from its sheets.
fn submission(
    sheets: &[Sheet],
    subject: Subject,
    members: Members,
    extras: Vec<Extra>,
) -> (usize, Option<Form>, Vec<Issue>) {
    let first = members.first().map_or(0, |(i, _)| *i);
    let identity = members.iter().find_map(|(_, p)| p.identity.clone());
    let mut issues: Vec<Issue> = Vec::new();
    for (_, p) in &members {
        issues.extend(p.issues.iter().cloned());
    }
    let Some(sheet) = sheets.get(first) else {
        return (first, None, issues);
    };
    let scheme = sheet.schemes.for_subject(subject);
    let Some(stage) = scoring::stage_of(members.iter().map(|(_, p)| p.as_ref())) else {
        // Never filled in: one message, and whose form it is, so that its
        // branch is held back rather than taken for one that sent nothing.
        issues.retain(|i| i.code != "missing_parent");
        issues.push(sheet.issue(None, Problem::EmptyForm));
        let form = identity.map(|identity| Form::Scoring(scoring::unusable(scheme, subject, identity, sheet.source())));
        return (first, form, issues);
    };
    let parts = members
        .iter()
        .filter_map(|(i, p)| Some(scoring::read_part(sheets.get(*i)?, p, stage)))
        .collect();
    let Some(identity) = identity else {
        // Read for its problems; a form naming no branch is not counted.
        let (_, found) = scoring::finish(scheme, (subject, Identity::default()), stage, parts, extras);
        issues.extend(found.into_iter().filter(|i| i.code != "missing_self_column"));
        return (first, None, issues);
    };
    let (form, found) = scoring::finish(scheme, (subject, identity), stage, parts, extras);
    issues.extend(found);
    (first, form.map(Form::Scoring), issues)
}
