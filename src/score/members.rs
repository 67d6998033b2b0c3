//! Members: each scored as its roster is read, then held back or mentored per branch.

use std::sync::Arc;

use crate::assemble::MemberGroup;
use crate::forms::Roster;
use crate::points::snap;
use crate::results::{Assessment, MemberResult, Status};
use crate::scheme::Scheme;

use super::score_form;

/// Scores each member of a roster on its own; what only the whole branch
/// decides (held back, mentors) follows in [`member_results`].
pub fn score_roster(scheme: &Scheme, roster: Roster) -> Roster<Assessment> {
    let sources = [roster.source.clone()];
    let members = roster
        .members
        .iter()
        .map(|member| score_form(scheme, member, None, (None, None), !member.valid, (&sources, None)).0)
        .collect();
    Roster {
        identity: roster.identity,
        source: roster.source,
        members,
    }
}

/// A branch's member results: held back together when its rosters are in
/// doubt, with mentors assigned among them.
pub fn member_results(scheme: &Scheme, group: MemberGroup) -> Vec<MemberResult> {
    let MemberGroup {
        branch,
        members,
        blocked,
        ..
    } = group;
    let branch = Arc::new(branch);
    let mut results: Vec<MemberResult> = members
        .into_iter()
        .map(|mut assessment| {
            if blocked {
                assessment.hold();
            }
            MemberResult {
                branch: branch.clone(),
                assessment,
                mentee: false,
                mentor: None,
            }
        })
        .collect();
    assign_mentors(scheme, &mut results);
    results
}

/// Gives every mentee a mentor of the top tier from the same branch, in
/// turn, so no mentor carries two more than another; mentees without an
/// available mentor keep `None` (需上级指派).
pub fn assign_mentors(scheme: &Scheme, members: &mut [MemberResult]) {
    let Some(rule) = &scheme.mentoring else { return };
    let (Some(mentor_tier), Some(bar)) = (rule.mentor_tier.id(), rule.mentee_at_or_below.id()) else {
        return;
    };
    let tier_of = |m: &MemberResult| m.assessment.tier.filter(|_| m.assessment.status == Status::Rated);
    // Mentors strongest first, mentees weakest first; names break ties.
    let mut mentors: Vec<(f64, String)> = members
        .iter()
        .filter(|m| tier_of(m) == Some(mentor_tier))
        .map(|m| (m.assessment.total.unwrap_or(0.0), m.assessment.identity.name.clone()))
        .collect();
    mentors.sort_by(|a, b| snap(b.0).total_cmp(&snap(a.0)).then(a.1.cmp(&b.1)));
    let mut mentees: Vec<(f64, String, usize)> = members
        .iter()
        .enumerate()
        .filter(|(_, m)| tier_of(m).is_some_and(|t| t >= bar))
        .map(|(i, m)| {
            (
                snap(m.assessment.total.unwrap_or(0.0)),
                m.assessment.identity.name.clone(),
                i,
            )
        })
        .collect();
    mentees.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for (turn, (_, _, i)) in mentees.into_iter().enumerate() {
        if let Some(m) = members.get_mut(i) {
            m.mentee = true;
            m.mentor = mentors.get(turn % mentors.len().max(1)).map(|(_, name)| name.clone());
        }
    }
}
