//! One form scored against its scheme: items, indicators, medals, bonus,
//! capped total, tier, veto and flags — for branches, groups and members alike.

use crate::forms::{ScoredForm, SheetRef, Stage};
use crate::issue::{Issue, Problem};
use crate::points::snap;
use crate::results::{Adjustment, Assessment, BallotStats, CapReason, IndicatorScore, ItemScore, PartScore, Status};
use crate::scheme::{Scheme, Source, Standing, TierId};

/// Scores one form against its scheme — items, indicators (ballot-scored
/// ones from the mean rating `ballot_mean`), medals, bonus, capped total,
/// tier, veto, caps (some by the satisfaction rate of every valid ballot,
/// shown or not) and flags; `ballots` are kept as the result's statistics.
/// The same steps serve branches, party groups and members.
pub fn score_form(
    scheme: &Scheme,
    form: &ScoredForm,
    ballots: Option<Box<BallotStats>>,
    (ballot_mean, satisfaction): (Option<f64>, Option<f64>),
    blocked: bool,
    (sources, unread): (&[SheetRef], Option<&str>),
) -> (Assessment, Vec<Issue>) {
    let mut issues = Vec::new();
    let mut result = Assessment::pending(form.identity.clone(), ballots, sources.to_vec());
    result.stage = Some(form.stage);
    // Exact size: a province holds over a hundred thousand of these.
    result.indicators.reserve_exact(scheme.indicators.len());
    let stage = form.stage;
    let mut pending = blocked;
    for (k, indicator) in scheme.indicators.iter().enumerate() {
        let (score, items) = match indicator.source {
            Source::Form => {
                let entries = form.items.get(k).map(Vec::as_slice).unwrap_or_default();
                let item = |name: &std::sync::Arc<str>, max: f64, entry: &crate::forms::FormItem| ItemScore {
                    name: name.clone(),
                    max,
                    score: counted(scheme, stage, entry),
                    self_score: entry.self_score,
                    reason: entry.reason.as_deref().map(Box::from),
                };
                let items: Box<[ItemScore]> = match entries {
                    // Scored as a whole: one line for the indicator.
                    [entry] if entry.whole => Box::new([item(&indicator.name, indicator.max, entry)]),
                    _ => indicator
                        .scored_items()
                        .iter()
                        .zip(entries)
                        .map(|(scored, entry)| item(&scored.name, scored.max, entry))
                        .collect(),
                };
                (items.iter().map(|i| i.score).sum::<f64>(), items)
            }
            Source::Ballot => match ballot_mean {
                Some(mean) => (indicator.max * mean, Box::default()),
                None => {
                    let problem = Problem::NoBallots {
                        branch: form.identity.name.clone(),
                        indicator: indicator.name.to_string(),
                        unread: unread.map(str::to_string),
                    };
                    if let Some(src) = sources.first() {
                        issues.push(Issue::at(&src.file, Some(&src.sheet), None, problem));
                    }
                    pending = true;
                    (0.0, Box::default())
                }
            },
        };
        let self_score = (indicator.source == Source::Form && !items.is_empty())
            .then(|| items.iter().map(|i| i.self_score).sum::<Option<f64>>())
            .flatten();
        let allowed = scheme.flags.self_inflation_share * indicator.max;
        // A 减分项 is inflated the other way: the branch deducted too little.
        let over = |s: f64| if indicator.negative { score - s } else { s - score };
        let self_inflated = stage == Stage::Final && self_score.is_some_and(|s| snap(over(s)) > snap(allowed));
        result.indicators.push(IndicatorScore {
            name: indicator.name.clone(),
            max: indicator.max,
            source: indicator.source,
            score,
            self_score,
            medal: (!indicator.negative)
                .then(|| scheme.medal_for(score, indicator.max))
                .flatten()
                .map(|m| m.name.clone()),
            self_inflated,
            items,
            negative: indicator.negative,
        });
    }
    if pending {
        result.indicators.clear();
        result.stage = None;
        return (result, issues);
    }
    result.status = Status::Rated;
    result.bonus = form.bonus;
    let (sum, parts) = combine(scheme, &result.indicators);
    result.parts = parts;
    let total = snap(sum + form.bonus).max(0.0).min(scheme.total_cap);
    result.total = Some(total);
    result.vetoed = scheme
        .yes_no_items()
        .zip(&form.veto)
        .filter(|(_, yes)| **yes)
        .map(|(item, _)| item.clone())
        .collect();
    let (veto_answers, cap_answers) = form.veto.split_at(scheme.veto.items.len().min(form.veto.len()));
    let mut tier = if !veto_answers.contains(&true) {
        let medals: Vec<(Option<usize>, bool)> = result
            .indicators
            .iter()
            .map(|i| {
                let medal = i
                    .medal
                    .as_ref()
                    .and_then(|m| scheme.medals.iter().position(|s| s.name == *m));
                (medal, !i.negative)
            })
            .collect();
        let scores: Vec<f64> = result.indicators.iter().map(|i| i.score).collect();
        let (tier, shortfall) = scheme.tier_of(Standing {
            total,
            medals: &medals,
            conditions: &form.conditions,
            scores: &scores,
        });
        // A tier its points reached but another rule kept it from; a tier
        // set by medals alone (star counts) is the rule itself, not a move.
        if let Some((above, unmet)) = shortfall.filter(|(above, _)| scheme.tier(*above).min.is_some()) {
            result.adjustments.push(Adjustment::Unmet { tier: above, unmet });
        }
        tier
    } else {
        scheme.veto_tier()
    };
    // Ceilings: each that holds and is below the tier lowers it, and says so.
    let mut answers = cap_answers.iter();
    for cap in &scheme.caps {
        let hit: Vec<String> = cap
            .items
            .iter()
            .zip(answers.by_ref())
            .filter(|(_, yes)| **yes)
            .map(|(item, _)| item.clone())
            .collect();
        let reason = match cap.satisfaction_below {
            Some(below) => satisfaction
                .filter(|rate| snap(*rate) < snap(below))
                .map(|rate| CapReason::Satisfaction {
                    rate: result.ballots.as_ref().and_then(|b| b.detail.as_ref()).map(|_| rate),
                    below,
                }),
            None => (!hit.is_empty()).then_some(CapReason::Items(hit)),
        };
        if let (Some(reason), Some(at_most)) = (reason, cap.at_most.id())
            && at_most > tier
        {
            result.adjustments.push(Adjustment::Capped { at_most, reason });
            tier = at_most;
        }
    }
    result.tier = Some(tier);
    issues.extend(stated_totals(scheme, form, total, sum + form.bonus));
    issues.extend(declared_tiers(scheme, form, tier));
    result.flags.preliminary = stage == Stage::Preliminary;
    result.flags.self_inflated = result.indicators.iter().any(|i| i.self_inflated);
    // Only where the 议星 result may be shown: the flag would tell it.
    result.flags.needs_review = result
        .ballots
        .as_ref()
        .and_then(|b| b.detail.as_ref())
        .and_then(|d| d.yixing)
        .is_some_and(|y| y.0 >= tier.0 + scheme.ballot.review_gap);
    (result, issues)
}

/// The score an item counts for: at the final stage its assessed score,
/// or both columns weighted where the scheme says so; else its self score.
fn counted(scheme: &Scheme, stage: Stage, entry: &crate::forms::FormItem) -> f64 {
    match (stage, &scheme.score_columns) {
        (Stage::Final, Some(columns)) => columns.blend(entry.self_score.unwrap_or(0.0), entry.assessed.unwrap_or(0.0)),
        _ => entry.score(stage).unwrap_or(0.0),
    }
}

/// Totals the form states that its items alone did not give: each must be
/// the scored total (or the sum before the cap), as precise as it is
/// written (a form writes 89.07 for 89.0736…).
fn stated_totals(scheme: &Scheme, form: &ScoredForm, total: f64, uncapped: f64) -> Vec<Issue> {
    let _ = scheme;
    form.stated
        .iter()
        .filter(|s| {
            let unit = 10f64.powi(-(crate::points::shown_decimals(s.value) as i32));
            ![total, uncapped]
                .iter()
                .any(|t| (t - s.value).abs() <= unit / 2.0 + 1e-9)
        })
        .map(|s| {
            let problem = Problem::StatedTotalMismatch {
                label: s.label.clone(),
                stated: crate::points::fmt_points(s.value),
                computed: crate::points::fmt_points(total),
            };
            Issue::at(&s.source.file, Some(&s.source.sheet), Some(s.cell), problem)
        })
        .collect()
}

/// Tiers the form states other than the tier scored, noted.
fn declared_tiers(scheme: &Scheme, form: &ScoredForm, tier: TierId) -> Vec<Issue> {
    form.declared
        .iter()
        .filter_map(|d| {
            let stated = d.tier.filter(|t| *t != tier)?;
            let problem = Problem::DeclaredDiffers {
                label: d.label.clone(),
                stated: scheme.tier(stated).name.clone(),
                scored: scheme.tier(tier).name.clone(),
            };
            Some(Issue::at(&d.source.file, Some(&d.source.sheet), Some(d.cell), problem))
        })
        .collect()
}

/// The indicators combined: added up with 减分项 deducted; with weighted
/// parts, each part's indicators less its 减分项 (at least 0) times its
/// weight. The bonus and the cap come after.
fn combine(scheme: &Scheme, indicators: &[IndicatorScore]) -> (f64, Vec<PartScore>) {
    if scheme.parts.is_empty() {
        return (indicators.iter().map(IndicatorScore::signed).sum(), Vec::new());
    }
    let parts: Vec<PartScore> = scheme
        .parts
        .iter()
        .map(|part| {
            let raw: f64 = scheme
                .indicators
                .iter()
                .zip(indicators)
                .filter(|(ind, _)| ind.part.as_deref() == Some(part.name.as_str()))
                .map(|(_, scored)| scored.signed())
                .sum();
            PartScore {
                name: part.name.as_str().into(),
                score: snap(raw).max(0.0),
                weight: part.weight,
            }
        })
        .collect();
    (parts.iter().map(|p| p.score * p.weight).sum(), parts)
}
