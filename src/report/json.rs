//! results.json: every score, tier, statistic and issue, machine-readable.

use serde::Serialize;

use super::summary::flag_labels;
use crate::forms::{FormKind, Identity, SheetRef, Stage};
use crate::issue::Issue;
use crate::results::Evaluation;
use crate::results::FileStatus;
use crate::results::{Assessment, BallotStats, Eligibility, IndicatorScore, MissingForm, Status};
use crate::scheme::Scheme;
use crate::workbook::Format;

#[derive(Serialize)]
struct Results<'a> {
    scheme: SchemeInfo<'a>,
    branches: Vec<Rated<'a>>,
    groups: Vec<Rated<'a>>,
    members: Vec<Member<'a>>,
    organisations: Vec<Organisation<'a>>,
    issues: Vec<Issue>,
    files: Vec<File<'a>>,
}

#[derive(Serialize)]
struct SchemeInfo<'a> {
    name: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct Member<'a> {
    branch: &'a str,
    branch_parent: Option<&'a str>,
    name: &'a str,
    status: Status,
    aspects: &'a [IndicatorScore],
    bonus: f64,
    total: Option<f64>,
    tier: Option<&'a str>,
    stars: Option<u8>,
    vetoed: &'a [String],
    mentee: bool,
    mentor: Option<&'a str>,
}

/// A branch or party group.
#[derive(Serialize)]
struct Rated<'a> {
    rank: Option<u32>,
    parent_rank: Option<u32>,
    #[serde(flatten)]
    identity: &'a Identity,
    status: Status,
    stage: Option<Stage>,
    total: Option<f64>,
    tier: Option<&'a str>,
    stars: Option<u8>,
    indicators: &'a [IndicatorScore],
    bonus: f64,
    vetoed: &'a [String],
    flags: Vec<&'static str>,
    ballots: Option<Ballots<'a>>,
    sources: &'a [SheetRef],
    missing_form: Option<&'a MissingForm>,
}

#[derive(Serialize)]
struct Ballots<'a> {
    issued: Option<u32>,
    returned: Option<u32>,
    counted: u32,
    blank: u32,
    valid: u32,
    /// Too few valid ballots: the aggregates below are not given.
    withheld: bool,
    #[serde(flatten)]
    detail: Option<Detail<'a>>,
}

#[derive(Serialize)]
struct Detail<'a> {
    questions: Vec<Question<'a>>,
    recommended: Vec<Count<'a>>,
    recommended_over_votes: u32,
    mean_rating: Option<f64>,
    satisfaction: Option<f64>,
    yixing: Option<&'a str>,
}

#[derive(Serialize)]
struct Question<'a> {
    question: &'a str,
    ratings: Vec<Count<'a>>,
    over_votes: u32,
    invalid: u32,
    abstentions: u32,
}

#[derive(Serialize)]
struct Count<'a> {
    label: &'a str,
    count: u32,
}

#[derive(Serialize)]
struct Organisation<'a> {
    parent: Option<&'a str>,
    overall: bool,
    branches: u32,
    pending: u32,
    tiers: Vec<Count<'a>>,
    eligibility: Option<Eligibility>,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    format: Option<Format>,
    forms: Vec<FormKind>,
    branches: Vec<String>,
    size: u64,
    sha256: Option<&'a str>,
    status: FileStatus,
}

fn ballots<'a>(scheme: &'a Scheme, s: &'a BallotStats) -> Ballots<'a> {
    let labels = |counts: &'a [u32], names: Vec<&'a str>| -> Vec<Count<'a>> {
        names
            .into_iter()
            .zip(counts)
            .map(|(label, count)| Count { label, count: *count })
            .collect()
    };
    Ballots {
        issued: s.issued,
        returned: s.returned,
        counted: s.counted,
        blank: s.blank,
        valid: s.valid,
        withheld: s.withheld(),
        detail: s.detail.as_ref().map(|d| Detail {
            questions: d
                .questions
                .iter()
                .map(|q| Question {
                    question: &q.question,
                    ratings: labels(
                        &q.counts,
                        scheme.ballot.ratings.iter().map(|r| r.label.as_str()).collect(),
                    ),
                    over_votes: q.over_votes,
                    invalid: q.invalid,
                    abstentions: q.abstentions,
                })
                .collect(),
            recommended: labels(&d.stars, scheme.tiers.iter().map(|t| t.name.as_str()).collect()),
            recommended_over_votes: d.star_over_votes,
            mean_rating: d.mean,
            satisfaction: d.satisfaction,
            yixing: d.yixing.map(|y| scheme.tier(y).name.as_str()),
        }),
    }
}

fn rated<'a>(scheme: &'a Scheme, b: &'a Assessment) -> Rated<'a> {
    Rated {
        rank: b.rank,
        parent_rank: b.parent_rank,
        identity: &b.identity,
        status: b.status,
        stage: b.stage,
        total: b.total,
        tier: b.tier.map(|t| scheme.tier(t).name.as_str()),
        stars: b.tier.and_then(|t| scheme.tier(t).stars),
        indicators: &b.indicators,
        bonus: b.bonus,
        vetoed: &b.vetoed,
        flags: flag_labels(b),
        ballots: b.ballots.as_ref().map(|s| ballots(scheme, s)),
        sources: &b.sources,
        missing_form: b.missing_form.as_ref(),
    }
}

/// Builds the JSON bytes.
pub fn write(eval: &Evaluation, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let scheme = &eval.schemes.branch;
    let orgs = &eval.organisations;
    let results = Results {
        scheme: SchemeInfo {
            name: &scheme.name,
            title: &scheme.title,
        },
        branches: eval.branches.iter().map(|b| rated(scheme, b)).collect(),
        groups: eval.groups.iter().map(|g| rated(&eval.schemes.group, g)).collect(),
        members: eval
            .members
            .iter()
            .map(|m| Member {
                branch: &m.branch.name,
                branch_parent: m.branch.parent.as_deref(),
                name: &m.assessment.identity.name,
                status: m.assessment.status,
                aspects: &m.assessment.indicators,
                bonus: m.assessment.bonus,
                total: m.assessment.total,
                tier: m.assessment.tier.map(|t| eval.schemes.member.tier(t).name.as_str()),
                stars: m.assessment.tier.and_then(|t| eval.schemes.member.tier(t).stars),
                vetoed: &m.assessment.vetoed,
                mentee: m.mentee,
                mentor: m.mentor.as_deref(),
            })
            .collect(),
        organisations: orgs
            .iter()
            .map(|o| Organisation {
                parent: o.parent.as_deref(),
                overall: o.overall,
                branches: o.branches(),
                pending: o.pending,
                tiers: scheme
                    .tiers
                    .iter()
                    .zip(&o.tiers)
                    .map(|(t, n)| Count {
                        label: &t.name,
                        count: *n,
                    })
                    .collect(),
                eligibility: o.eligibility,
            })
            .collect(),
        issues: eval.issues.iter().map(Issue::for_output).collect(),
        files: super::manifest(eval)
            .into_iter()
            .map(|line| File {
                path: line.path,
                format: line.format,
                forms: line.forms,
                branches: line.branches,
                size: line.size,
                sha256: line.sha256,
                status: line.status,
            })
            .collect(),
    };
    // Streamed, and compact: for a province the document runs to hundreds of
    // megabytes, over half of it indentation when pretty-printed.
    serde_json::to_writer(&mut *out, &results)?;
    out.write_all(b"\n")
}
