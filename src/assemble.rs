//! Cross-file checks: forms, ballots and rosters grouped by whom they rate.
//!
//! Two scoring forms (or two registers, or two rosters) for one branch are a
//! duplicate submission: every file is named and what they rate is held back
//! (待核实). Ballots and rosters find their branch through the
//! [`crate::directory`] of scoring forms (a disagreeing parent is reported). A branch known only from its ballots or
//! roster is still a branch of the round: it is held back, never dropped.

// Works on values read from untrusted files: no panic may be reachable from them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::collections::{BTreeMap, BTreeSet};

use crate::directory::{BranchKey, Directory, Match};
use crate::forms::{BallotLayout, BallotSheet, Form, Identity, Roster, ScoredForm, SheetRef};
use crate::issue::{Issue, ParentDisagreement, Privacy, Problem};
use crate::results::{Assessment, MissingForm};
use crate::scheme::Subject;

/// Everything submitted for one branch or party group that has a scoring form.
#[derive(Debug, Clone)]
pub struct Case {
    /// Who is rated, as its (first) scoring form names it.
    pub identity: Identity,
    /// Its scoring form, unless submitted more than once.
    pub form: Option<ScoredForm>,
    /// Every scoring form submitted, for messages.
    pub form_sources: Vec<SheetRef>,
    /// Its ballots (branches only).
    pub ballots: Vec<BallotSheet>,
    /// Held back (待核实) because of an error.
    pub blocked: bool,
    /// Why there is no scoring form, for a branch known only from its
    /// ballots or roster.
    pub missing_form: Option<MissingForm>,
    /// Inputs beside its form that no form was read from, and why (the
    /// ballots it lacks may be in them).
    pub unread: Option<String>,
}

/// The members of one branch, from its roster(s).
#[derive(Debug, Clone)]
pub struct MemberGroup {
    /// The branch, as its scoring form (or else its roster) names it.
    pub branch: Identity,
    /// Each member's result, scored on its own.
    pub members: Vec<Assessment>,
    /// The rosters read.
    pub sources: Vec<SheetRef>,
    /// Every member held back (duplicate rosters, unclear branch).
    pub blocked: bool,
}

/// Everything assembled from all forms.
#[derive(Debug, Default)]
pub struct Assembly {
    /// Branches, sorted by parent and name: with a scoring form, or known
    /// only from ballots or a roster (held back).
    pub cases: Vec<Case>,
    /// Party groups, sorted likewise.
    pub groups: Vec<Case>,
    /// Members by branch, sorted likewise.
    pub members: Vec<MemberGroup>,
    /// Problems found across files.
    pub issues: Vec<Issue>,
}

/// Branches with a scoring form, and the directory that finds them.
struct Branches {
    cases: BTreeMap<BranchKey, Case>,
    directory: Directory,
}

impl Branches {
    fn new(cases: BTreeMap<BranchKey, Case>) -> Branches {
        let directory = Directory::new(cases.values().map(|c| &c.identity));
        Branches { cases, directory }
    }
}

/// Parents of the branches an identity could mean, for messages.
fn parents(candidates: &[Option<String>]) -> String {
    candidates
        .iter()
        .map(|p| p.clone().unwrap_or_else(|| "未填写".into()))
        .collect::<Vec<_>>()
        .join("、")
}

/// Groups forms by whom they rate and checks what only shows across files;
/// `unreadable` are the inputs that could not be read at all.
pub fn assemble(forms: Vec<Form<Assessment>>, unreadable: &[String]) -> Assembly {
    let mut out = Assembly::default();
    let mut scored: BTreeMap<(Subject, BranchKey), Vec<ScoredForm>> = BTreeMap::new();
    let mut ballot_sheets = Vec::new();
    let mut rosters = Vec::new();
    for form in forms {
        match form {
            Form::Scoring(f) => scored
                .entry((f.subject, BranchKey::of(&f.identity)))
                .or_default()
                .push(f),
            Form::Ballots(b) => ballot_sheets.push(b),
            Form::Roster(r) => rosters.push(r),
            // The register is checked against the round once it is assembled.
            Form::Roll(_) => {}
        }
    }

    let mut cases: BTreeMap<BranchKey, Case> = BTreeMap::new();
    let mut groups: BTreeMap<BranchKey, Case> = BTreeMap::new();
    for ((subject, k), forms) in scored {
        let Some(case) = case_of(forms, &mut out.issues) else {
            continue;
        };
        match subject {
            Subject::Group => groups.insert(k, case),
            _ => cases.insert(k, case),
        };
    }
    // A round that rates branches; a quarterly round of member rosters alone
    // has no branch to hold back.
    let rating = !cases.is_empty() || !ballot_sheets.is_empty();

    let mut branches = Branches::new(cases);
    let mut pending = Pending::new(unreadable);
    for sheet in ballot_sheets {
        match branches.directory.find(&sheet.identity) {
            Match::Found(k) => {
                if let Some(case) = branches.cases.get_mut(&k) {
                    if let Some(problem) = parent_disagrees(case, &sheet.identity, &sheet.source) {
                        out.issues.push(ballot_issue(&sheet, problem));
                    }
                    case.ballots.push(sheet);
                }
            }
            Match::Ambiguous(candidates) => {
                let problem = Problem::AmbiguousBallots {
                    branch: sheet.identity.name.clone(),
                    parents: parents(&candidates),
                };
                out.issues.push(ballot_issue(&sheet, problem));
            }
            Match::Missing => pending.case(&sheet.identity).ballots.push(sheet),
        }
    }
    for case in branches.cases.values_mut() {
        check_ballots(case, &mut out.issues);
    }
    for case in pending.cases.values_mut() {
        case.ballots.sort_by(|a, b| a.source.cmp(&b.source));
        let problem = Problem::BallotsWithoutForm {
            branch: case.identity.name.clone(),
            unreadable: case.missing_form.as_ref().and_then(MissingForm::file),
        };
        if let Some(first) = case.ballots.first() {
            out.issues.push(ballot_issue(first, problem));
        }
    }
    out.members = member_groups(rosters, &branches, rating.then_some(&mut pending), &mut out.issues);
    let mut cases = branches.cases;
    cases.extend(pending.cases);
    out.cases = cases.into_values().collect();
    out.groups = groups.into_values().collect();
    out
}

/// Branches the round knows of without a scoring form: held back, each with
/// what became of its form.
struct Pending<'a> {
    cases: BTreeMap<BranchKey, Case>,
    unreadable: &'a [String],
}

impl<'a> Pending<'a> {
    fn new(unreadable: &'a [String]) -> Pending<'a> {
        Pending {
            cases: BTreeMap::new(),
            unreadable,
        }
    }

    /// The held-back branch that `id` names, made on first sight. Files that
    /// name it without a parent and files that give one are the same branch
    /// when the name is unique; the parent, once known, is kept.
    fn case(&mut self, id: &Identity) -> &mut Case {
        let mut k = BranchKey::of(id);
        if !self.cases.contains_key(&k) {
            let mut same_name = self.cases.iter().filter(|(other, case)| {
                other.name == k.name && (id.parent.is_none() || case.identity.parent.is_none())
            });
            if let (Some((other, _)), None) = (same_name.next(), same_name.next()) {
                let other = other.clone();
                if let Some(mut case) = self.cases.remove(&other) {
                    if case.identity.parent.is_none() {
                        case.identity.parent = id.parent.clone();
                    }
                    k = BranchKey::of(&case.identity);
                    self.cases.insert(k.clone(), case);
                }
            }
        }
        let unreadable = self.unreadable;
        self.cases.entry(k).or_insert_with(|| Case {
            identity: id.clone(),
            form: None,
            form_sources: Vec::new(),
            ballots: Vec::new(),
            blocked: true,
            missing_form: Some(missing_form(id, unreadable)),
            unread: None,
        })
    }
}

/// What became of a branch's scoring form: an unreadable input whose file
/// name names the branch was most likely it (a name is never taken from a
/// file name, but a message may point at one).
fn missing_form(id: &Identity, unreadable: &[String]) -> MissingForm {
    let name = id.name_key();
    unreadable
        .iter()
        .find(|path| {
            let stem = path.rsplit('/').next().unwrap_or(path);
            !name.is_empty() && crate::grid::norm_label(stem).contains(&name)
        })
        .map_or(MissingForm::NotReceived, |file| MissingForm::Unreadable {
            file: file.clone(),
        })
}

/// A warning when ballots or a roster were matched to a branch by name while
/// their parent organisation disagrees with its scoring form's.
fn parent_disagrees(case: &Case, id: &Identity, source: &SheetRef) -> Option<Problem> {
    if id.parent.is_none() || id.parent_key() == case.identity.parent_key() {
        return None;
    }
    let form = case.form_sources.first()?;
    let shown = |p: &Option<String>| p.clone().unwrap_or_else(|| "（未填写）".to_string());
    Some(Problem::ParentDisagrees(Box::new(ParentDisagreement {
        branch: case.identity.name.clone(),
        form_file: form.file.to_string(),
        form_parent: shown(&case.identity.parent),
        file: source.file.to_string(),
        parent: shown(&id.parent),
    })))
}

/// One case from the scoring forms of one branch or group; more than one is a duplicate.
fn case_of(mut forms: Vec<ScoredForm>, issues: &mut Vec<Issue>) -> Option<Case> {
    forms.sort_by(|a, b| a.source.cmp(&b.source));
    let sources: Vec<SheetRef> = forms.iter().map(|f| f.source.clone()).collect();
    let first = forms.first()?;
    let identity = first.identity.clone();
    let valid = first.valid;
    let duplicate = forms.len() > 1;
    if duplicate {
        for f in &forms {
            let problem = Problem::DuplicateForm {
                branch: identity.name.clone(),
                others: others(&sources, &f.source),
            };
            issues.push(Issue::at(&f.source.file, Some(&f.source.sheet), None, problem));
        }
    }
    let blocked = duplicate || !valid;
    let form = if duplicate { None } else { forms.pop() };
    Some(Case {
        identity,
        form,
        form_sources: sources,
        ballots: Vec::new(),
        blocked,
        missing_form: None,
        unread: None,
    })
}

/// An input no form was read from, and why, in words.
#[derive(Debug, Clone)]
pub struct Unread {
    /// Path relative to the inbox.
    pub path: String,
    /// Why, as the first problem of the file says it.
    pub why: String,
}

/// Names, on each branch without ballots, the inputs beside its scoring
/// form (in its folder) that no form was read from: a tally in a layout
/// not recognised is the usual cause, and the message says so first.
pub fn note_unread(assembly: &mut Assembly, unread: &[Unread]) {
    let folder = |path: &str| path.rsplit_once('/').map_or("", |(dir, _)| dir).to_string();
    for case in assembly.cases.iter_mut().filter(|c| c.ballots.is_empty()) {
        let Some(dir) = case.form_sources.first().map(|s| folder(&s.file)) else {
            continue;
        };
        let beside: Vec<String> = unread
            .iter()
            .filter(|u| folder(&u.path) == dir)
            .take(3)
            .map(|u| {
                format!(
                    "「{}」未能读取（{}）",
                    u.path.rsplit('/').next().unwrap_or(&u.path),
                    u.why
                )
            })
            .collect();
        if !beside.is_empty() {
            case.unread = Some(beside.join("；"));
        }
    }
}

/// Duplicate registers and mixed layouts hold a branch back. Registers or
/// tallies of different voter categories (`测评人类别：党员` on one,
/// `群众代表` on another) are one register in parts.
fn check_ballots(case: &mut Case, issues: &mut Vec<Issue>) {
    case.ballots.sort_by(|a, b| a.source.cmp(&b.source));
    let registers: Vec<&BallotSheet> = case
        .ballots
        .iter()
        .filter(|b| matches!(b.layout, BallotLayout::Register { .. } | BallotLayout::Tally { .. }))
        .collect();
    let singles = case.ballots.len() - registers.len();
    let categories: BTreeSet<Option<u16>> = registers.iter().map(|r| r.category).collect();
    let in_parts = categories.len() == registers.len() && !categories.contains(&None);
    if registers.len() > 1 && !in_parts {
        let sources: Vec<SheetRef> = registers.iter().map(|b| b.source.clone()).collect();
        for r in &registers {
            let problem = Problem::DuplicateRegister {
                branch: case.identity.name.clone(),
                others: others(&sources, &r.source),
            };
            issues.push(Issue::at(&r.source.file, Some(&r.source.sheet), None, problem));
        }
        case.blocked = true;
    }
    if let Some(first) = registers.first().filter(|_| singles > 0) {
        let problem = Problem::MixedBallots {
            branch: case.identity.name.clone(),
        };
        issues.push(Issue::at(&first.source.file, Some(&first.source.sheet), None, problem));
        case.blocked = true;
    }
    if case.ballots.iter().any(|b| !b.valid) {
        case.blocked = true;
    }
}

/// Members grouped by the branch their roster names. In a round that rates
/// branches (`pending` given), a roster naming no branch with a scoring form
/// makes its branch one to hold back.
fn member_groups(
    rosters: Vec<Roster<Assessment>>,
    branches: &Branches,
    mut pending: Option<&mut Pending>,
    issues: &mut Vec<Issue>,
) -> Vec<MemberGroup> {
    let mut groups: BTreeMap<BranchKey, MemberGroup> = BTreeMap::new();
    for roster in rosters {
        let at = |problem| Issue::at(&roster.source.file, Some(&roster.source.sheet), None, problem);
        let (k, branch, unclear) = match branches.directory.find(&roster.identity) {
            Match::Found(k) => {
                let case = branches.cases.get(&k);
                if let Some(problem) = case.and_then(|c| parent_disagrees(c, &roster.identity, &roster.source)) {
                    issues.push(at(problem));
                }
                let branch = case.map_or_else(|| roster.identity.clone(), |c| c.identity.clone());
                (k, branch, false)
            }
            Match::Ambiguous(candidates) => {
                issues.push(at(Problem::AmbiguousRoster {
                    branch: roster.identity.name.clone(),
                    parents: parents(&candidates),
                }));
                (BranchKey::of(&roster.identity), roster.identity.clone(), true)
            }
            Match::Missing => match pending.as_deref_mut() {
                Some(pending) => {
                    let case = pending.case(&roster.identity);
                    issues.push(at(Problem::RosterUnknownBranch {
                        branch: roster.identity.name.clone(),
                        unreadable: case.missing_form.as_ref().and_then(MissingForm::file),
                    }));
                    (BranchKey::of(&case.identity), case.identity.clone(), false)
                }
                None => (BranchKey::of(&roster.identity), roster.identity.clone(), false),
            },
        };
        let group = groups.entry(k).or_insert_with(|| MemberGroup {
            branch,
            members: Vec::new(),
            sources: Vec::new(),
            blocked: false,
        });
        group.blocked |= unclear;
        group.sources.push(roster.source);
        group.members.extend(roster.members);
    }
    for group in groups.values_mut() {
        group.sources.sort();
        if group.sources.len() > 1 {
            for source in &group.sources {
                let problem = Problem::DuplicateRoster {
                    branch: group.branch.name.clone(),
                    others: others(&group.sources, source),
                };
                issues.push(Issue::at(&source.file, Some(&source.sheet), None, problem));
            }
            group.blocked = true;
        }
        // Members now belong to the branch as its scoring form names it.
        for member in &mut group.members {
            member.identity.parent = Some(group.branch.name.clone());
        }
    }
    groups.into_values().collect()
}

/// An issue located at a ballot sheet; a one-voter ballot's location stays private.
fn ballot_issue(sheet: &BallotSheet, problem: Problem) -> Issue {
    let issue = Issue::at(&sheet.source.file, Some(&sheet.source.sheet), None, problem);
    match sheet.layout {
        BallotLayout::Single => issue.private(Privacy::Ballot),
        BallotLayout::Register { .. } | BallotLayout::Tally { .. } => issue,
    }
}

fn others(all: &[SheetRef], me: &SheetRef) -> String {
    let mut names: Vec<String> = all
        .iter()
        .filter(|s| *s != me)
        .map(|s| {
            if s.file == me.file {
                format!("同一文件的工作表「{}」", s.sheet)
            } else {
                s.file.to_string()
            }
        })
        .collect();
    names.dedup();
    names.join("、")
}
