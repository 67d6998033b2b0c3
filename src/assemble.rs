//! Cross-file checks: forms and ballots grouped by branch.
//!
//! Two scoring forms (or two registers) for one branch are a duplicate
//! submission: every file is named and the branch is held back (待核实).
//! Ballots find their branch by code, by parent and name, or by a name that
//! is unique among the scoring forms.

use std::collections::BTreeMap;

use crate::forms::{BallotLayout, BallotSheet, Form, Identity, ScoredForm, SheetRef};
use crate::issue::{Issue, Privacy, Problem};

/// Everything submitted for one branch that has a scoring form.
#[derive(Debug, Clone)]
pub struct Case {
    /// The branch, as its (first) scoring form names it.
    pub identity: Identity,
    /// Its scoring form, unless submitted more than once.
    pub form: Option<ScoredForm>,
    /// Every scoring form submitted, for messages.
    pub form_sources: Vec<SheetRef>,
    /// Its ballots.
    pub ballots: Vec<BallotSheet>,
    /// Held back (待核实) because of an error.
    pub blocked: bool,
}

/// Ballots for a branch that sent no scoring form.
#[derive(Debug, Clone)]
pub struct OrphanBallots {
    /// The branch, as the ballots name it.
    pub identity: Identity,
    /// The ballots.
    pub ballots: Vec<BallotSheet>,
}

/// Branches assembled from all forms.
#[derive(Debug, Default)]
pub struct Assembly {
    /// Branches with a scoring form, sorted by parent and name.
    pub cases: Vec<Case>,
    /// Ballots without a scoring form, sorted likewise.
    pub orphans: Vec<OrphanBallots>,
    /// Problems found across files.
    pub issues: Vec<Issue>,
}

type Key = (String, String);

fn key(id: &Identity) -> Key {
    (id.parent_key().unwrap_or_default(), id.name_key())
}

/// Groups forms by branch and checks what only shows across files.
pub fn assemble(forms: Vec<Form>) -> Assembly {
    let mut out = Assembly::default();
    let mut by_key: BTreeMap<Key, Vec<ScoredForm>> = BTreeMap::new();
    let mut ballot_sheets = Vec::new();
    for form in forms {
        match form {
            Form::Scoring(f) => by_key.entry(key(&f.identity)).or_default().push(f),
            Form::Ballots(b) => ballot_sheets.push(b),
        }
    }

    let mut cases: BTreeMap<Key, Case> = BTreeMap::new();
    for (k, mut forms) in by_key {
        forms.sort_by(|a, b| a.source.cmp(&b.source));
        let sources: Vec<SheetRef> = forms.iter().map(|f| f.source.clone()).collect();
        let identity = forms[0].identity.clone();
        let duplicate = forms.len() > 1;
        if duplicate {
            for f in &forms {
                let others = others(&sources, &f.source);
                let problem = Problem::DuplicateForm {
                    branch: identity.name.clone(),
                    others,
                };
                out.issues
                    .push(Issue::at(&f.source.file, Some(&f.source.sheet), None, problem));
            }
        }
        let blocked = duplicate || !forms[0].valid;
        let form = if duplicate { None } else { forms.pop() };
        cases.insert(
            k,
            Case {
                identity,
                form,
                form_sources: sources,
                ballots: Vec::new(),
                blocked,
            },
        );
    }

    let mut orphans: BTreeMap<Key, OrphanBallots> = BTreeMap::new();
    for sheet in ballot_sheets {
        let id = &sheet.identity;
        let by_code = id
            .code
            .as_ref()
            .and_then(|code| cases.iter().find(|(_, c)| c.identity.code.as_ref() == Some(code)));
        let target = match by_code {
            Some((k, _)) => Some(k.clone()),
            None if id.parent.is_some() => cases.contains_key(&key(id)).then(|| key(id)),
            None => {
                let same_name: Vec<&Key> = cases.keys().filter(|(_, name)| *name == id.name_key()).collect();
                if same_name.len() > 1 {
                    let parents = same_name
                        .iter()
                        .map(|k| cases[*k].identity.parent.clone().unwrap_or_else(|| "未填写".into()))
                        .collect::<Vec<_>>()
                        .join("、");
                    let problem = Problem::AmbiguousBallots {
                        branch: id.name.clone(),
                        parents,
                    };
                    out.issues.push(ballot_issue(&sheet, problem));
                    continue;
                }
                same_name.first().map(|k| (*k).clone())
            }
        };
        match target.and_then(|k| cases.get_mut(&k)) {
            Some(case) => case.ballots.push(sheet),
            None => orphans
                .entry(key(id))
                .or_insert_with(|| OrphanBallots {
                    identity: id.clone(),
                    ballots: Vec::new(),
                })
                .ballots
                .push(sheet),
        }
    }

    for case in cases.values_mut() {
        case.ballots.sort_by(|a, b| a.source.cmp(&b.source));
        let registers: Vec<&BallotSheet> = case
            .ballots
            .iter()
            .filter(|b| matches!(b.layout, BallotLayout::Register { .. }))
            .collect();
        let singles = case.ballots.len() - registers.len();
        if registers.len() > 1 {
            let sources: Vec<SheetRef> = registers.iter().map(|b| b.source.clone()).collect();
            for r in &registers {
                let problem = Problem::DuplicateRegister {
                    branch: case.identity.name.clone(),
                    others: others(&sources, &r.source),
                };
                out.issues
                    .push(Issue::at(&r.source.file, Some(&r.source.sheet), None, problem));
            }
            case.blocked = true;
        }
        if let Some(first) = registers.first().filter(|_| singles > 0) {
            let problem = Problem::MixedBallots {
                branch: case.identity.name.clone(),
            };
            out.issues
                .push(Issue::at(&first.source.file, Some(&first.source.sheet), None, problem));
            case.blocked = true;
        }
        if case.ballots.iter().any(|b| !b.valid) {
            case.blocked = true;
        }
    }
    for orphan in orphans.values_mut() {
        orphan.ballots.sort_by(|a, b| a.source.cmp(&b.source));
        let problem = Problem::BallotsWithoutForm {
            branch: orphan.identity.name.clone(),
        };
        out.issues.push(ballot_issue(&orphan.ballots[0], problem));
    }
    out.cases = cases.into_values().collect();
    out.orphans = orphans.into_values().collect();
    out
}

/// An issue located at a ballot sheet; a one-voter ballot's location stays private.
fn ballot_issue(sheet: &BallotSheet, problem: Problem) -> Issue {
    let issue = Issue::at(&sheet.source.file, Some(&sheet.source.sheet), None, problem);
    match sheet.layout {
        BallotLayout::Single => issue.private(Privacy::Ballot),
        BallotLayout::Register { .. } => issue,
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
                s.file.clone()
            }
        })
        .collect();
    names.dedup();
    names.join("、")
}
