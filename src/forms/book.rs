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

use super::identity::{self, Labeled};
use super::marks::{Mark, Marked, Marks};
use super::scoring::{self, Extra, Prepared};
use super::{Form, FormKind, Identity, READERS, Sheet, SheetOutcome};
use crate::grid::Grid;
use crate::issue::CellRef;
use crate::issue::{Issue, Problem};
use crate::layout::{self, Role, titles};
use crate::scheme::Subject;

/// How one sheet was first read.
enum First {
    /// A scoring table, its structure read.
    Scoring(Box<Prepared>),
    /// Another kind of form, read whole; its header's cells marked.
    Other(SheetOutcome, Marks),
    /// No form: it may still name the branch and answer its 是/否 items.
    Unread(Option<Identity>, Marks),
}

/// Reads every sheet of a workbook; one outcome per sheet, in order. A
/// submission spread over sheets is given with its first sheet.
pub fn read_book(sheets: &[Sheet]) -> Vec<SheetOutcome> {
    read(sheets, false).0
}

/// [`read_book`], with what each cell of each sheet was read as.
pub fn explain_book(sheets: &[Sheet]) -> (Vec<SheetOutcome>, Vec<Vec<Marked>>) {
    let (outcomes, marks) = read(sheets, true);
    (outcomes, marks.into_iter().map(Marks::into_sorted).collect())
}

/// Reads the sheets; with `explain`, marks the cells each was read from.
fn read(sheets: &[Sheet], explain: bool) -> (Vec<SheetOutcome>, Vec<Marks>) {
    let firsts: Vec<First> = sheets.iter().map(|s| read_first(s, explain)).collect();
    let named: BTreeSet<String> = firsts
        .iter()
        .flat_map(|first| -> Vec<String> {
            match first {
                First::Scoring(p) => p.identity.iter().map(Identity::name_key).collect(),
                First::Other(o, _) => o
                    .forms
                    .iter()
                    .filter_map(|f| f.identity())
                    .map(Identity::name_key)
                    .filter(|k| !k.is_empty())
                    .collect(),
                First::Unread(id, _) => id.iter().map(Identity::name_key).collect(),
            }
        })
        .collect();
    // The one branch the workbook names, for sheets that name none.
    let only = (named.len() == 1)
        .then(|| {
            firsts.iter().find_map(|first| match first {
                First::Scoring(p) => p.identity.clone(),
                First::Other(o, _) => o
                    .forms
                    .iter()
                    .filter_map(|f| f.identity())
                    .find(|id| !id.name.is_empty())
                    .cloned(),
                First::Unread(id, _) => id.clone(),
            })
        })
        .flatten();
    let mut outcomes: Vec<SheetOutcome> = Vec::with_capacity(sheets.len());
    let mut marks: Vec<Marks> = vec![Marks::default(); sheets.len()];
    let mut prepared: Members = Vec::new();
    let mut unread: Vec<(usize, Option<Identity>)> = Vec::new();
    for (i, first) in firsts.into_iter().enumerate() {
        match first {
            First::Scoring(mut p) => {
                inherit_prepared(&mut p, only.as_ref());
                outcomes.push(SheetOutcome {
                    kind: Some(match p.subject {
                        Subject::Group => FormKind::Group,
                        _ => FormKind::Scoring,
                    }),
                    ..SheetOutcome::default()
                });
                prepared.push((i, p));
            }
            First::Other(mut o, m) => {
                inherit(&mut o, only.as_ref());
                outcomes.push(o);
                if let Some(slot) = marks.get_mut(i) {
                    *slot = m;
                }
            }
            // Only a sheet that names the branch itself joins its
            // submission: an instructions sheet that names none does not.
            First::Unread(id, m) => {
                outcomes.push(SheetOutcome::default());
                unread.push((i, id));
                if let Some(slot) = marks.get_mut(i) {
                    *slot = m;
                }
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
    // A table continued on the next sheet is read as one sheet.
    let chains = continuations(sheets, &prepared);
    let grids: Vec<Stacked> = chains
        .iter()
        .filter_map(|chain| {
            let (&first, rest) = chain.split_first()?;
            let mut grid = sheets.get(first)?.grid.clone();
            let mut moved = Vec::new();
            for &i in rest {
                let (stacked, offset) = Grid::stacked(&grid, sheets.get(i)?.grid);
                grid = stacked;
                moved.push((i, offset));
            }
            Some((first, grid, moved))
        })
        .collect();
    let views: Vec<Sheet> = sheets
        .iter()
        .enumerate()
        .map(|(i, sheet)| match grids.iter().find(|(first, _, _)| *first == i) {
            Some((_, grid, _)) => Sheet { grid, ..*sheet },
            None => Sheet { ..*sheet },
        })
        .collect();
    let consumed: BTreeSet<usize> = grids
        .iter()
        .flat_map(|(_, _, moved)| moved.iter().map(|(i, _)| *i))
        .collect();
    let prepared: Members = prepared
        .into_iter()
        .filter(|(i, _)| !consumed.contains(i))
        .map(|(i, p)| {
            let stacked = grids.iter().any(|(first, _, _)| *first == i);
            let again = stacked
                .then(|| views.get(i))
                .flatten()
                .and_then(|view| Some((view, scoring::detect(view.grid, view.schemes)?)))
                .map(|(view, header)| {
                    let mut p = Box::new(scoring::prepare(view, &header));
                    inherit_prepared(&mut p, only.as_ref());
                    p
                });
            (i, again.unwrap_or(p))
        })
        .collect();
    for (at, form, issues, read_marks) in submissions(&views, prepared, &unread, explain) {
        if let Some(outcome) = outcomes.get_mut(at) {
            outcome.forms.extend(form);
            outcome.issues.extend(issues);
        }
        for (i, m) in read_marks {
            if let Some(slot) = marks.get_mut(i) {
                *slot = m;
            }
        }
    }
    // Problems and marks of a continued table, at the sheet they are on.
    for (first, _, moved) in &grids {
        relocate(sheets, &mut outcomes, &mut marks, *first, moved);
    }
    (outcomes, marks)
}

/// A table continued over sheets, read as one: its first sheet, the grid
/// of them all, and each later sheet with the row its cells start at.
type Stacked = (usize, Grid, Vec<(usize, u32)>);

/// Names in place a name the workbook gives to a scoring sheet that names
/// no branch.
fn inherit_prepared(p: &mut Prepared, only: Option<&Identity>) {
    if p.identity.is_none()
        && let Some(id) = only
    {
        p.identity = Some(id.clone());
        p.issues.retain(|issue| issue.code != "missing_name");
    }
}

/// Chains of scoring sheets of one branch whose tables continue one
/// another: a later sheet holding an indicator an earlier one holds, each
/// holding only part of it (fewer items than the scheme's, or points short
/// of its maximum) — one level's standards over two sheets. Holding it
/// whole on both is a duplicate, not a continuation.
fn continuations(sheets: &[Sheet], prepared: &Members) -> Vec<Vec<usize>> {
    let mut chains: Vec<Vec<usize>> = Vec::new();
    for (k, (i, p)) in prepared.iter().enumerate() {
        let Some(sheet) = sheets.get(*i) else { continue };
        let scheme = sheet.schemes.for_subject(p.subject);
        let held: BTreeSet<usize> = p.indicators().collect();
        let earlier = prepared.get(..k).unwrap_or_default().iter().rev().find(|(j, q)| {
            let Some(other) = sheets.get(*j) else { return false };
            let same = q.subject == p.subject
                && q.identity.as_ref().map(Identity::name_key) == p.identity.as_ref().map(Identity::name_key);
            let shared: Vec<usize> = q.indicators().filter(|x| held.contains(x)).collect();
            same && p.identity.is_some()
                && !shared.is_empty()
                && shared.iter().all(|&x| {
                    scoring::holds_part(sheet.grid, p, scheme, x) && scoring::holds_part(other.grid, q, scheme, x)
                })
        });
        if let Some((j, _)) = earlier {
            match chains.iter_mut().find(|c| c.last() == Some(j)) {
                Some(chain) => chain.push(*i),
                None => chains.push(vec![*j, *i]),
            }
        }
    }
    chains
}

/// Moves what was read of a continued table back to its sheets: problems
/// and marks below `offset` belong to the sheet that was stacked there.
fn relocate(
    sheets: &[Sheet],
    outcomes: &mut [SheetOutcome],
    marks: &mut [Marks],
    first: usize,
    moved: &[(usize, u32)],
) {
    let Some(first_name) = sheets.get(first).map(|s| s.name) else {
        return;
    };
    let whose = |row: u32| moved.iter().rev().find(|(_, offset)| row >= *offset).copied();
    for outcome in outcomes.iter_mut() {
        for issue in &mut outcome.issues {
            let Some(cell) = issue.cell.filter(|_| issue.sheet.as_deref() == Some(first_name)) else {
                continue;
            };
            if let Some((i, offset)) = whose(cell.row)
                && let Some(sheet) = sheets.get(i)
            {
                issue.sheet = Some(sheet.name.to_string());
                issue.cell = Some(CellRef::new(cell.row - offset, cell.col));
            }
        }
    }
    let Some(stacked) = marks.get_mut(first).map(std::mem::take) else {
        return;
    };
    for m in stacked.into_sorted() {
        let (to, cell) = match whose(m.cell.row) {
            Some((i, offset)) => (i, CellRef::new(m.cell.row - offset, m.cell.col)),
            None => (first, m.cell),
        };
        if let Some(slot) = marks.get_mut(to) {
            slot.put(cell, m.mark, m.note);
        }
    }
}

/// Reads a sheet far enough to know what it is; with `explain`, marks the
/// header and identity cells of a form that is no scoring table (a
/// ballot's content is never marked).
fn read_first(sheet: &Sheet, explain: bool) -> First {
    if let Some(header) = scoring::detect(sheet.grid, sheet.schemes) {
        return First::Scoring(Box::new(scoring::prepare(sheet, &header)));
    }
    let found = READERS
        .iter()
        .find_map(|reader| (reader.detect)(sheet).map(|header| ((reader.read)(sheet, &header), header)));
    match found {
        Some((outcome, header)) => {
            let mut marks = Marks::default();
            if explain {
                let labels = layout::BRANCH_IDENTITY.with(&sheet.schemes.branch.labels);
                let id = identity::FoundIdentity::read(sheet.grid, header.row, &labels);
                for (what, field) in [("名称", &id.name), ("所属党组织", &id.parent)] {
                    if let Some(f) = field {
                        marks.put(f.cell, Mark::Identity, format!("{what}：{}", f.value));
                    }
                }
                let kind = outcome.kind.map_or("", FormKind::label);
                for (col, cell) in sheet.grid.row(header.row) {
                    if let Some(label) = cell.label() {
                        let note = column_note(sheet, label).unwrap_or_else(|| format!("{kind}的栏目，未使用"));
                        marks.put(CellRef::new(header.row, *col), Mark::Header, note);
                    }
                }
                // Turnout fields (发放票数：42) above the table.
                let labeled = Labeled::new(sheet.grid);
                for (label, what) in [
                    (layout::REGISTER.issued, "发放票数"),
                    (layout::REGISTER.returned, "收回票数"),
                ] {
                    if let Some(found) = labeled.value(label, header.row) {
                        marks.put(found.cell, Mark::Header, format!("{what}：{}", found.value));
                    }
                }
            }
            First::Other(outcome, marks)
        }
        None => {
            let id = labelled_identity(sheet);
            let mut marks = Marks::default();
            if explain && id.is_some() {
                let labels = layout::BRANCH_IDENTITY.with(&sheet.schemes.branch.labels);
                let found = identity::FoundIdentity::read(sheet.grid, u32::MAX, &labels);
                for (what, field) in [("名称", &found.name), ("所属党组织", &found.parent)] {
                    if let Some(f) = field {
                        marks.put(f.cell, Mark::Identity, format!("{what}：{}", f.value));
                    }
                }
            }
            First::Unread(id, marks)
        }
    }
}

/// What a column title of a ballot, tally or roster is read as.
fn column_note(sheet: &Sheet, label: &str) -> Option<String> {
    let scheme = &sheet.schemes.branch;
    let is = |words: &[&str]| words.iter().any(|w| crate::grid::norm_label(w) == label);
    if let Some(r) = scheme
        .ballot
        .ratings
        .iter()
        .find(|r| crate::grid::norm_label(&r.label) == label)
    {
        return Some(format!("评价等次「{}」", r.label));
    }
    if let Some(q) = scheme
        .ballot
        .questions
        .iter()
        .find(|q| !q.is_empty() && label.contains(crate::grid::norm_label(q).as_str()))
    {
        return Some(format!("测评题目「{q}」"));
    }
    let register = &layout::REGISTER;
    let known: [(&[&str], &str); 8] = [
        (register.recommended, "推荐星级"),
        (register.voter, "测评人类别"),
        (register.issued, "发放票数"),
        (register.returned, "收回票数"),
        (register.rate, "写明的满意率（与票数核对）"),
        (layout::SINGLE_BALLOT.question, "测评项目栏"),
        (layout::ROSTER.name, "姓名"),
        (layout::BRANCH_IDENTITY.name, "名称"),
    ];
    if let Some((words, what)) = known.iter().find(|(words, _)| is(words)) {
        if *words == register.voter && scheme.ballot.categories.is_empty() {
            return Some("测评人类别（方案不分类别计权，未使用）".to_string());
        }
        return Some((*what).to_string());
    }
    let member = &sheet.schemes.member;
    member
        .indicators
        .iter()
        .find(|i| crate::grid::norm_label(&i.name) == label)
        .map(|i| format!("党员评定的方面「{}」", i.name))
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
    prepared: Members,
    unread: &[(usize, Option<Identity>)],
    explain: bool,
) -> Vec<Submission> {
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
            out.push(submission(sheets, subject, members, extras, explain));
        }
    }
    out
}

/// A submission read: the sheet it is given with, its form, its problems,
/// and (explaining) each sheet's marks.
type Submission = (usize, Option<Form>, Vec<Issue>, Vec<(usize, Marks)>);

/// One scoring submission from its sheets.
fn submission(sheets: &[Sheet], subject: Subject, members: Members, extras: Vec<Extra>, explain: bool) -> Submission {
    let first = members.first().map_or(0, |(i, _)| *i);
    let identity = members.iter().find_map(|(_, p)| p.identity.clone());
    let mut issues: Vec<Issue> = Vec::new();
    for (_, p) in &members {
        issues.extend(p.issues.iter().cloned());
    }
    let Some(sheet) = sheets.get(first) else {
        return (first, None, issues, Vec::new());
    };
    let scheme = sheet.schemes.for_subject(subject);
    let Some(stage) = scoring::stage_of(members.iter().map(|(_, p)| p.as_ref())) else {
        // Never filled in: one message, and whose form it is, so that its
        // branch is held back rather than taken for one that sent nothing.
        issues.retain(|i| i.code != "missing_parent");
        issues.push(sheet.issue(None, Problem::EmptyForm));
        let form = identity.map(|identity| Form::Scoring(scoring::unusable(scheme, subject, identity, sheet.source())));
        return (first, form, issues, Vec::new());
    };
    let parts: Vec<scoring::Part> = members
        .iter()
        .filter_map(|(i, p)| Some(scoring::read_part(sheets.get(*i)?, p, stage)))
        .collect();
    let marks = if explain {
        members
            .iter()
            .zip(&parts)
            .filter_map(|((i, p), part)| Some((*i, super::marks::of_scoring(sheets.get(*i)?, p, part))))
            .collect()
    } else {
        Vec::new()
    };
    let Some(identity) = identity else {
        // Read for its problems; a form naming no branch is not counted.
        let (_, found) = scoring::finish(scheme, (subject, Identity::default()), stage, parts, extras);
        issues.extend(found.into_iter().filter(|i| i.code != "missing_self_column"));
        return (first, None, issues, marks);
    };
    let (form, found) = scoring::finish(scheme, (subject, identity), stage, parts, extras);
    issues.extend(found);
    (first, form.map(Form::Scoring), issues, marks)
}
