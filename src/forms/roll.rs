//! The branch register (支部名册): one row per branch a round expects, with
//! its parent organisation and, optionally, code, former names (曾用名),
//! kind (支部类型) and number of members.

// Reads untrusted files: no panic may be reachable from their content.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::collections::BTreeMap;

use super::table::{ColumnSpec, Header, find_header};
use super::{Form, FormKind, Identity, Sheet, SheetOutcome, SheetRef};
use crate::grid::{Grid, Value, norm_label, parse_number};
use crate::issue::{CellRef, Problem};
use crate::layout::{self, BRANCH_IDENTITY, REGISTER, ROLL, Role};
use crate::scheme::Schemes;

/// One registered branch.
#[derive(Debug, Clone, PartialEq)]
pub struct RollEntry {
    /// Name, parent and code as registered.
    pub identity: Identity,
    /// Names the branch had before (曾用名).
    pub former: Vec<String>,
    /// 支部类型, when given.
    pub kind: Option<String>,
    /// 党员数, when given.
    pub members: Option<u32>,
    /// Where the row is.
    pub cell: CellRef,
}

/// A branch register read from one sheet.
#[derive(Debug, Clone)]
pub struct Roll {
    /// File and sheet.
    pub source: SheetRef,
    /// The branches, in register order.
    pub entries: Vec<RollEntry>,
}

/// Column specs: name, parent, code, former names, kind, members.
fn specs(schemes: &Schemes) -> Vec<ColumnSpec> {
    let labels = &schemes.branch.labels;
    vec![
        ColumnSpec::exact(&layout::titles(BRANCH_IDENTITY.name, Role::Name, labels)),
        ColumnSpec::exact(&layout::titles(BRANCH_IDENTITY.parent, Role::Parent, labels)),
        ColumnSpec::exact(&layout::titles(BRANCH_IDENTITY.code, Role::Code, labels)),
        ColumnSpec::exact(ROLL.former),
        ColumnSpec::exact(ROLL.kind),
        ColumnSpec::exact(ROLL.members),
    ]
}

/// Finds the header of a register: name and parent as column titles (not
/// `支部名称：` field labels, which every form has) over a row of names, or,
/// in a register not filled in yet, with two more of its columns.
pub fn detect(grid: &Grid, schemes: &Schemes) -> Option<Header> {
    let titled = |h: &Header, i: usize| {
        h.col(i)
            .and_then(|c| grid.get(h.row, c))
            .is_some_and(|cell| matches!(&cell.value, Value::Text(t) if !t.trim_end().ends_with([':', '：'])))
    };
    let specs = specs(schemes);
    let titles: Vec<&String> = specs.iter().flat_map(|s| &s.synonyms).collect();
    // `党支部名称 | 郑州枢纽项目部党支部 | 上级党组织 | …党委`: fields of one
    // branch (an application sheet), each title followed by its value,
    // where a register's titles stand side by side over their columns.
    let value_after = |row: u32, col: u32| {
        grid.row(row)
            .iter()
            .find(|(c, _)| *c > col)
            .is_some_and(|(_, cell)| cell.label().is_none_or(|l| !titles.iter().any(|t| t.as_str() == l)))
    };
    find_header(grid, &specs, |h| {
        let (Some(name), Some(parent)) = (h.col(0), h.col(1)) else {
            return false;
        };
        titled(h, 0)
            && titled(h, 1)
            && !(value_after(h.row, name) && value_after(h.row, parent))
            && (h.matched() >= 4
                || grid
                    .rows_below(h.row)
                    .any(|(r, _)| grid.label(r, name).is_some() && grid.label(r, parent).is_some()))
    })
}

/// Reads a register whose header row was found.
pub fn read(sheet: &Sheet, header: &Header) -> SheetOutcome {
    let grid = sheet.grid;
    let cols: Vec<Option<u32>> = (0..6).map(|i| header.col(i)).collect();
    let col = |i: usize| cols.get(i).copied().flatten();
    let text = |row: u32, i: usize| -> Option<String> {
        let cell = grid.get(row, col(i)?)?;
        let t = cell.value.to_string();
        let t = t.trim();
        (!t.is_empty()).then(|| t.to_string())
    };
    let mut issues = Vec::new();
    let mut entries: Vec<RollEntry> = Vec::new();
    let mut seen: BTreeMap<(String, String), CellRef> = BTreeMap::new();
    for (row, _) in grid.rows_below(header.row) {
        let Some(name) = text(row, 0) else { continue };
        if REGISTER.end.iter().any(|end| norm_label(&name).starts_with(end)) {
            break;
        }
        let cell = CellRef::new(row, col(0).unwrap_or(0));
        let parent = text(row, 1);
        if parent.is_none() {
            issues.push(sheet.issue(Some(cell), Problem::RollMissingParent { name: name.clone() }));
        }
        let key = (norm_label(parent.as_deref().unwrap_or_default()), norm_label(&name));
        if let Some(first) = seen.get(&key) {
            let problem = Problem::RollDuplicate {
                name: name.clone(),
                first: *first,
            };
            issues.push(sheet.issue(Some(cell), problem));
            continue;
        }
        seen.insert(key, cell);
        let members = match col(5).and_then(|c| grid.get(row, c).map(|v| (c, v))) {
            None => None,
            Some((c, v)) => {
                let n = match &v.value {
                    Value::Number(n) => Some(*n),
                    Value::Text(t) => parse_number(t.trim().trim_end_matches('人')),
                    _ => None,
                };
                let whole = n.filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n));
                if whole.is_none() {
                    let problem = Problem::RollBadMembers {
                        text: v.value.to_string(),
                    };
                    issues.push(sheet.issue(Some(CellRef::new(row, c)), problem));
                }
                whole.map(|n| n as u32)
            }
        };
        let former = text(row, 3)
            .map(|t| {
                t.split(['、', '，', ',', '；', ';', '/'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        entries.push(RollEntry {
            identity: Identity {
                name,
                parent,
                code: text(row, 2),
            },
            former,
            kind: text(row, 4),
            members,
            cell,
        });
    }
    if entries.is_empty() {
        issues.push(sheet.issue(None, Problem::EmptyRoll));
    }
    SheetOutcome {
        kind: Some(FormKind::Roll),
        forms: vec![Form::Roll(Roll {
            source: sheet.source(),
            entries,
        })],
        issues,
    }
}
