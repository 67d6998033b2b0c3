//! The member roster (党员星级评定表): one row per member, aspects as columns.
//!
//! Each member row becomes a [`ScoredForm`] of the member scheme, so members
//! are checked and scored by the same code as branches and party groups.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::collections::BTreeMap;

use super::table::{ColumnSpec, Header, find_header};
use super::{FormItem, FormKind, Identity, Sheet, SheetOutcome, SheetRef, Stage};
use crate::grid::{Grid, norm_label};
use crate::issue::{CellRef, Issue, Privacy, Problem, Severity};
use crate::layout::{ROSTER, printed};
use crate::points::{fmt_points, same, snap};
use crate::scheme::{Scheme, Subject};

use super::{Form, ScoredForm};

/// A member roster: the branch and its members — as read (one form per
/// member), or once each member is scored (`M` is then the result).
#[derive(Debug, Clone)]
pub struct Roster<M = ScoredForm> {
    /// The branch the members belong to.
    pub identity: Identity,
    /// File and sheet.
    pub source: SheetRef,
    /// One entry per member, in roster order.
    pub members: Vec<M>,
}

/// Column specs: 姓名, the aspects, 加分, 联评总分, 不予评星, 备注.
fn specs(scheme: &Scheme) -> Vec<ColumnSpec> {
    let mut specs = vec![ColumnSpec::exact(ROSTER.name)];
    specs.extend(scheme.indicators.iter().map(|a| ColumnSpec::exact(&[&*a.name])));
    specs.push(ColumnSpec::exact(&[scheme.bonus.label.as_str()]));
    specs.push(ColumnSpec::exact(ROSTER.joint_total));
    specs.push(ColumnSpec::exact(ROSTER.veto));
    specs.push(ColumnSpec::exact(ROSTER.reason));
    specs
}

/// Finds the header of a roster: 姓名 and at least three aspect columns.
pub fn detect(grid: &Grid, scheme: &Scheme) -> Option<Header> {
    let aspects = scheme.indicators.len();
    find_header(grid, &specs(scheme), |h| {
        h.col(0).is_some() && (1..=aspects).filter(|&i| h.col(i).is_some()).count() >= 3.min(aspects)
    })
}

/// Reads a roster whose header row was found.
pub fn read(sheet: &Sheet, header: &Header) -> SheetOutcome {
    let grid = sheet.grid;
    let scheme = &sheet.schemes.member;
    let (identity, mut issues) = sheet.branch_identity(header.row, Privacy::Public);
    let outcome = |form: Option<Form>, issues| SheetOutcome {
        kind: Some(FormKind::Roster),
        forms: form.into_iter().collect(),
        issues,
    };
    let n = scheme.indicators.len();
    let name_col = header.col(0).unwrap_or(0);
    let aspect_cols: Vec<Option<u32>> = (1..=n).map(|i| header.col(i)).collect();
    let (bonus_col, total_col, veto_col) = (header.col(n + 1), header.col(n + 2), header.col(n + 3));
    let missing: Vec<&str> = scheme
        .indicators
        .iter()
        .zip(&aspect_cols)
        .filter(|(_, c)| c.is_none())
        .map(|(a, _)| &*a.name)
        .collect();
    if !missing.is_empty() {
        issues.extend(missing.iter().map(|aspect| {
            sheet.issue(
                None,
                Problem::MissingAspectColumn {
                    aspect: aspect.to_string(),
                },
            )
        }));
        return outcome(None, issues);
    }
    let branch = identity.as_ref().map(|id| id.name.clone());
    let mut members = Vec::new();
    let source = sheet.source();
    let mut first_seen: BTreeMap<String, (CellRef, usize)> = BTreeMap::new();
    for (row, _) in grid.rows_below(header.row) {
        let at = |c: u32| Some(CellRef::new(row, c));
        let name = grid.text(row, name_col).map(str::to_string);
        let has_scores = aspect_cols.iter().flatten().any(|&c| grid.get(row, c).is_some());
        if grid
            .label(row, name_col)
            .is_some_and(|n| ROSTER.end.iter().any(|end| n.starts_with(end)))
        {
            break;
        }
        let Some(name) = name else {
            if has_scores {
                issues.push(sheet.issue(at(name_col), Problem::MissingMemberName));
            }
            continue;
        };
        let errors_before = count_errors(&issues);
        let mut items = Vec::with_capacity(n);
        let mut sum = 0.0;
        for (aspect, col) in scheme.indicators.iter().zip(&aspect_cols) {
            let Some(col) = *col else { continue };
            let assessed = match sheet.score(row, col, &aspect.name, aspect.max) {
                Ok(Some(v)) => Some(v),
                Ok(None) => {
                    issues.push(sheet.issue(
                        at(col),
                        Problem::MissingAspect {
                            aspect: aspect.name.to_string(),
                        },
                    ));
                    None
                }
                Err(p) => {
                    issues.push(sheet.issue(at(col), p));
                    None
                }
            };
            sum += assessed.unwrap_or(0.0);
            items.push(vec![FormItem {
                self_score: None,
                assessed,
                reason: None,
                row,
                whole: false,
            }]);
        }
        let mut bonus = 0.0;
        if let Some(col) = bonus_col {
            match sheet.number(row, col, &scheme.bonus.label) {
                Ok(Some(v)) if v < 0.0 => issues.push(sheet.issue(
                    at(col),
                    Problem::Negative {
                        column: scheme.bonus.label.clone(),
                        value: fmt_points(v),
                    },
                )),
                Ok(Some(v)) if snap(v) > snap(scheme.bonus.max) => {
                    let problem = Problem::BonusOverMax {
                        value: fmt_points(v),
                        max: fmt_points(scheme.bonus.max),
                    };
                    issues.push(sheet.issue(at(col), problem));
                    bonus = scheme.bonus.max;
                }
                Ok(v) => bonus = v.unwrap_or(0.0),
                Err(p) => issues.push(sheet.issue(at(col), p)),
            }
        }
        let mut vetoed = false;
        if let Some(col) = veto_col
            && let Some(cell) = grid.get(row, col)
        {
            match super::yes_no(&cell.value) {
                Some(yes) => vetoed = yes,
                None => issues.push(sheet.issue(
                    at(col),
                    Problem::VetoUnrecognised {
                        item: printed(ROSTER.veto).to_string(),
                        text: cell.value.to_string(),
                    },
                )),
            }
        }
        // A stated 联评总分 must agree with the aspects and the bonus.
        if let Some(col) = total_col
            && let Ok(Some(stated)) = sheet.number(row, col, printed(ROSTER.joint_total))
        {
            let computed = (sum + bonus).min(scheme.total_cap);
            if count_errors(&issues) == errors_before && !same(stated, computed) {
                let problem = Problem::TotalMismatch {
                    column: printed(ROSTER.joint_total).to_string(),
                    stated: fmt_points(stated),
                    computed: fmt_points(computed),
                };
                issues.push(sheet.issue(at(col), problem));
            }
        }
        let key = norm_label(&name);
        let mut valid = count_errors(&issues) == errors_before;
        match first_seen.get(&key) {
            Some(&(first, index)) => {
                let problem = Problem::DuplicateMember {
                    name: name.clone(),
                    first: first.to_string(),
                };
                issues.push(sheet.issue(at(name_col), problem));
                if let Some(earlier) = members.get_mut(index) {
                    let earlier: &mut ScoredForm = earlier;
                    earlier.valid = false;
                }
                valid = false;
            }
            None => {
                first_seen.insert(key, (CellRef::new(row, name_col), members.len()));
            }
        }
        members.push(ScoredForm {
            subject: Subject::Member,
            identity: Identity {
                name,
                parent: branch.clone(),
                code: None,
            },
            source: source.clone(),
            stage: Stage::Final,
            items,
            bonus,
            veto: scheme.yes_no_items().map(|_| vetoed).collect(),
            conditions: Vec::new(),
            stated: Vec::new(),
            declared: Vec::new(),
            valid,
        });
    }
    if members.is_empty() {
        issues.push(sheet.issue(None, Problem::EmptyRoster));
    }
    // A sheet naming no branch may take its workbook's (see `book`).
    let form = Form::Roster(Roster {
        identity: identity.unwrap_or_default(),
        source,
        members,
    });
    outcome(Some(form), issues)
}

fn count_errors(issues: &[Issue]) -> usize {
    issues.iter().filter(|i| i.severity == Severity::Error).count()
}
