//! Quotas across branches: how many may reach a tier, over the round or
//! within each parent organisation; listed, or enforced by total.

use std::collections::BTreeMap;

use crate::points::{same, snap};
use crate::results::{Adjustment, Assessment, QuotaDecision, QuotaEntry, QuotaOutcome, Status};
use crate::scheme::{Quota, QuotaMode, QuotaScope, Scheme, TierId};

/// Applies the scheme's quotas, best tier first (a branch moved down counts
/// towards the next tier's quota), and returns every decision: one per
/// quota and scope, listing each branch at the tier.
pub fn apply_quotas(scheme: &Scheme, results: &mut [Assessment]) -> Vec<QuotaDecision> {
    let mut quotas: Vec<(TierId, &Quota)> = scheme.quotas.iter().filter_map(|q| Some((q.tier.id()?, q))).collect();
    quotas.sort_by_key(|(tier, _)| *tier);
    let mut decisions = Vec::new();
    for (tier, quota) in quotas {
        let mut scopes: BTreeMap<Option<String>, Scope> = BTreeMap::new();
        for (i, r) in results.iter().enumerate() {
            let Some(total) = r.total.filter(|_| r.status == Status::Rated) else {
                continue;
            };
            let scope = match quota.per {
                QuotaScope::All => None,
                QuotaScope::Parent => Some(r.identity.parent.clone().unwrap_or_default()),
            };
            let (rated, at_tier) = scopes.entry(scope).or_default();
            *rated += 1;
            if r.tier == Some(tier) {
                at_tier.push((i, total));
            }
        }
        for (scope, (rated, mut at_tier)) in scopes {
            // 不超过 30%: rounded down, with float noise removed first.
            let allowed = snap(quota.share * f64::from(rated)).floor() as u32;
            let name = |i: usize| results.get(i).map(|r| &r.identity);
            at_tier.sort_by(|(a, ta), (b, tb)| snap(*tb).total_cmp(&snap(*ta)).then(name(*a).cmp(&name(*b))));
            let outcomes = outcomes(&at_tier, allowed, quota.mode, tier);
            let mut entries = Vec::with_capacity(at_tier.len());
            for (&(i, total), outcome) in at_tier.iter().zip(outcomes) {
                let Some(r) = results.get_mut(i) else {
                    continue;
                };
                if let QuotaOutcome::Moved(to) = outcome {
                    r.tier = Some(to);
                }
                if outcome != QuotaOutcome::Kept {
                    r.adjustments.push(Adjustment::Quota {
                        tier,
                        share: quota.share,
                        allowed,
                        outcome,
                    });
                }
                entries.push(QuotaEntry {
                    identity: r.identity.clone(),
                    total,
                    outcome,
                });
            }
            decisions.push(QuotaDecision {
                subject: scheme.subject,
                tier,
                share: quota.share,
                mode: quota.mode,
                scope,
                rated,
                allowed,
                entries,
            });
        }
    }
    decisions
}

/// One scope of a quota: the rated count, and those at the tier (index
/// into the results, total).
type Scope = (u32, Vec<(usize, f64)>);

/// What becomes of each of `ranked` (best total first) under a quota of
/// `allowed`: kept within it; over it, moved down one tier or only listed;
/// equal to the last kept at the cut, kept for the committee to decide.
fn outcomes(ranked: &[(usize, f64)], allowed: u32, mode: QuotaMode, tier: TierId) -> Vec<QuotaOutcome> {
    let total_at = |k: u32| ranked.get(k as usize).map(|(_, t)| *t);
    let over = ranked.len() as u32 > allowed;
    let cut = allowed
        .checked_sub(1)
        .and_then(total_at)
        .filter(|last| over && total_at(allowed).is_some_and(|first_out| same(*last, first_out)));
    ranked
        .iter()
        .enumerate()
        .map(|(k, (_, total))| {
            let within = (k as u32) < allowed;
            match (within, cut.is_some_and(|c| same(c, *total)), mode) {
                (_, true, _) => QuotaOutcome::Tie,
                (true, false, _) => QuotaOutcome::Kept,
                (false, false, QuotaMode::Warn) => QuotaOutcome::Over,
                (false, false, QuotaMode::Enforce) => QuotaOutcome::Moved(TierId(tier.0 + 1)),
            }
        })
        .collect()
}
