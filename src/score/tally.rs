//! Ballots summed per branch: counts, distributions, satisfaction, 议星.

use crate::forms::{Answer, BallotLayout, BallotSheet};
use crate::results::{BallotDetail, BallotStats, QuestionStats};
use crate::scheme::{Scheme, TierId};

use super::bump;

/// Sums the ballots of one branch, every aggregate included: for scoring
/// only, before [`BallotStats::disclosed`].
pub fn tally(scheme: &Scheme, sheets: &[BallotSheet]) -> BallotStats {
    let ratings = &scheme.ballot.ratings;
    let mut questions: Vec<QuestionStats> = scheme
        .ballot
        .questions
        .iter()
        .map(|q| QuestionStats {
            question: q.clone(),
            counts: vec![0; ratings.len()],
            over_votes: 0,
            invalid: 0,
            abstentions: 0,
        })
        .collect();
    let mut stats = BallotStats {
        issued: None,
        returned: None,
        counted: 0,
        blank: 0,
        valid: 0,
        detail: None,
    };
    let mut detail = BallotDetail {
        questions: Vec::new(),
        stars: vec![0; scheme.tiers.len()],
        star_over_votes: 0,
        mean: None,
        satisfaction: None,
        yixing: None,
    };
    let add = |a: Option<u32>, b: Option<u32>| match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    };
    for sheet in sheets {
        match sheet.layout {
            BallotLayout::Register { issued, returned } => {
                stats.issued = add(stats.issued, issued);
                stats.returned = add(stats.returned, returned);
            }
            // Counts already summed: added as they are; a voter who left a
            // question out is an abstention of that question.
            BallotLayout::Tally {
                issued,
                returned,
                ballots,
            } => {
                stats.issued = add(stats.issued, issued);
                stats.returned = add(stats.returned, returned);
                stats.counted += ballots;
                stats.valid += ballots;
                for (q, counts) in questions.iter_mut().zip(&sheet.tallied) {
                    for (total, n) in q.counts.iter_mut().zip(counts) {
                        *total += n;
                    }
                    q.abstentions += ballots.saturating_sub(counts.iter().sum());
                }
            }
            BallotLayout::Single => {}
        }
        for ballot in &sheet.ballots {
            stats.counted += 1;
            if ballot.is_blank() {
                stats.blank += 1;
                continue;
            }
            stats.valid += 1;
            for (q, answer) in questions.iter_mut().zip(&ballot.answers) {
                match *answer {
                    Answer::Rated(i) => bump(&mut q.counts, usize::from(i)),
                    Answer::OverVote => q.over_votes += 1,
                    Answer::Invalid => q.invalid += 1,
                    Answer::Abstain => q.abstentions += 1,
                }
            }
            match ballot.star {
                Answer::Rated(t) => bump(&mut detail.stars, usize::from(t)),
                Answer::OverVote => detail.star_over_votes += 1,
                Answer::Invalid | Answer::Abstain => {}
            }
        }
    }
    let (mut n, mut sum, mut satisfied) = (0u32, 0.0, 0u32);
    for q in &questions {
        n += q.valid(ratings);
        satisfied += q.satisfied(ratings);
        // One running sum, rating by rating: the order fixes the last bit.
        for (count, rating) in q.counts.iter().zip(ratings).filter(|(_, r)| r.counted) {
            sum += f64::from(*count) * rating.value;
        }
    }
    if n > 0 {
        detail.mean = Some(sum / f64::from(n));
        detail.satisfaction = Some(f64::from(satisfied) / f64::from(n));
    }
    detail.yixing = median_star(&detail.stars);
    detail.questions = questions;
    stats.detail = Some(detail);
    stats
}

/// The highest tier that more than half of the star votes reach or exceed.
///
/// A median, not a mean: one hostile or careless vote cannot drag the
/// result down by more than its own position in the order.
pub fn median_star(votes_per_tier: &[u32]) -> Option<TierId> {
    let total: u32 = votes_per_tier.iter().sum();
    let mut at_or_above = 0;
    for (i, votes) in votes_per_tier.iter().enumerate() {
        at_or_above += votes;
        if at_or_above * 2 > total {
            return Some(TierId(i));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_star_on_odd_and_even_counts() {
        // tiers: 五星, 四星, 三星, 二星, 一星, 无星
        assert_eq!(median_star(&[2, 1, 0, 0, 0, 0]), Some(TierId(0)));
        assert_eq!(
            median_star(&[2, 2, 0, 0, 0, 0]),
            Some(TierId(1)),
            "half is not more than half"
        );
        assert_eq!(median_star(&[1, 0, 0, 0, 0, 2]), Some(TierId(5)));
        assert_eq!(median_star(&[0; 6]), None);
    }
}
