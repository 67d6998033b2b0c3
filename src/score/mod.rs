//! Scoring and ranking: pure functions from forms and scheme to results.
//!
//! Totals are compared unrounded against the tier thresholds (see
//! [`crate::points`]); rounding happens only when results are displayed.
//! One concern per module: ballots are tallied ([`tally`]), forms scored
//! ([`form`]), members mentored ([`members`]), results ranked ([`rank`]) and
//! organisations summed up ([`orgs`]).

// Works on values read from untrusted files: no panic may be reachable from them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

pub mod form;
pub mod members;
pub mod orgs;
pub mod quota;
pub mod rank;
pub mod tally;

use crate::assemble::Case;
use crate::forms::BallotLayout;
use crate::issue::{Issue, Privacy, Problem};
use crate::results::Assessment;
use crate::scheme::Scheme;

pub use form::score_form;
pub use members::{assign_mentors, member_results, score_roster};
pub use orgs::org_stats;
pub use quota::apply_quotas;
pub use rank::rank;
pub use tally::{median_star, tally};

/// Scores one branch or party group with its ballots; issues are the
/// problems only scoring can see.
pub fn score_case(scheme: &Scheme, case: &Case) -> (Assessment, Vec<Issue>) {
    let mut issues = Vec::new();
    let counted = (!case.ballots.is_empty()).then(|| tally(scheme, &case.ballots));
    // Scored from every valid rating; kept only as far as anonymity allows.
    let mean = counted.as_ref().and_then(|t| t.detail.as_ref()).and_then(|d| d.mean);
    let satisfaction = counted
        .as_ref()
        .and_then(|t| t.detail.as_ref())
        .and_then(|d| d.satisfaction);
    let ballots = counted.map(|t| Box::new(t.disclosed(scheme.ballot.min_valid)));
    let few = ballots
        .as_ref()
        .is_some_and(|stats| (1..scheme.ballot.min_valid).contains(&stats.valid));
    if let (Some(stats), Some(first)) = (&ballots, case.ballots.first()) {
        let min = scheme.ballot.min_valid;
        let mut problems = Vec::new();
        if few {
            problems.push(Problem::FewBallots {
                valid: stats.valid,
                min,
            });
        } else if let Some(short) = stats.short_category(min) {
            problems.push(Problem::FewCategoryBallots {
                category: short.name.clone(),
                valid: short.valid,
                min,
            });
        }
        problems.extend(
            stats
                .categories
                .iter()
                .filter(|c| c.valid == 0 && stats.valid > 0)
                .map(|c| Problem::NoCategoryBallots {
                    category: c.name.clone(),
                }),
        );
        for problem in problems {
            let issue = Issue::at(&first.source.file, Some(&first.source.sheet), None, problem);
            issues.push(if first.layout == BallotLayout::Single {
                issue.private(Privacy::Ballot)
            } else {
                issue
            });
        }
    }
    let mut result = match &case.form {
        Some(form) => {
            let (result, found) = score_form(
                scheme,
                form,
                ballots,
                (mean, satisfaction),
                case.blocked,
                (&case.form_sources, case.unread.as_deref()),
            );
            issues.extend(found);
            result
        }
        None => {
            let mut held = Assessment::pending(case.identity.clone(), ballots, case.form_sources.clone());
            held.missing_form = case.missing_form.clone();
            held
        }
    };
    result.flags.few_ballots = few;
    (result, issues)
}

/// Counts one more at `i`; indices come from the scheme the counts were sized by.
fn bump(counts: &mut [u32], i: usize) {
    if let Some(n) = counts.get_mut(i) {
        *n += 1;
    }
}

/// Results made by hand for the scoring modules' unit tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use crate::forms::{Identity, Stage};
    use crate::results::{Assessment, Flags, Status};
    use crate::scheme::TierId;

    /// A rated branch of `parent` at a tier and total.
    pub(crate) fn rated(name: &str, parent: &str, tier: usize, total: f64) -> Assessment {
        Assessment {
            identity: Identity {
                name: name.into(),
                parent: Some(parent.into()),
                code: None,
            },
            status: Status::Rated,
            stage: Some(Stage::Final),
            indicators: Vec::new(),
            bonus: 0.0,
            parts: Vec::new(),
            total: Some(total),
            tier: Some(TierId(tier)),
            vetoed: Vec::new(),
            adjustments: Vec::new(),
            flags: Flags::default(),
            ballots: None,
            rank: None,
            parent_rank: None,
            sources: Vec::new(),
            missing_form: None,
            previous: None,
        }
    }
}
