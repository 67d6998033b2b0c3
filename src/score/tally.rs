//! Ballots summed per branch: counts, distributions, satisfaction, 议星.

use crate::forms::{Answer, Ballot, BallotLayout, BallotSheet};
use crate::results::{BallotDetail, BallotStats, CategoryStats, QuestionStats};
use crate::scheme::{Rating, Scheme, TierId};

use super::bump;

/// Sums the ballots of one branch, every aggregate included: for scoring
/// only, before [`BallotStats::disclosed`].
pub fn tally(scheme: &Scheme, sheets: &[BallotSheet]) -> BallotStats {
    let ratings = &scheme.ballot.ratings;
    let mut all = Counts::new(scheme);
    let mut by_category: Vec<Counts> = scheme.ballot.categories.iter().map(|_| Counts::new(scheme)).collect();
    let mut stats = BallotStats {
        issued: None,
        returned: None,
        counted: 0,
        blank: 0,
        valid: 0,
        detail: None,
        categories: Vec::new(),
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
            BallotLayout::Tally {
                issued,
                returned,
                ballots,
            } => {
                stats.issued = add(stats.issued, issued);
                stats.returned = add(stats.returned, returned);
                all.add_tally(ballots, &sheet.tallied);
                if let Some(c) = category_of(&mut by_category, sheet.category) {
                    c.add_tally(ballots, &sheet.tallied);
                }
            }
            BallotLayout::Single => {}
        }
        for ballot in &sheet.ballots {
            if ballot.is_blank() {
                stats.blank += 1;
            } else {
                match ballot.star {
                    Answer::Rated(t) => bump(&mut detail.stars, usize::from(t)),
                    Answer::OverVote => detail.star_over_votes += 1,
                    Answer::Invalid | Answer::Abstain => {}
                }
            }
            all.add_ballot(ballot);
            if let Some(c) = category_of(&mut by_category, ballot.category) {
                c.add_ballot(ballot);
            }
        }
    }
    if by_category.is_empty() {
        (detail.mean, detail.satisfaction) = all.rates(ratings).unzip();
    } else {
        // Each category's mean and rate, weighed over the categories that
        // have valid ratings: a missing category does not count as zero.
        let (mut weights, mut mean, mut satisfaction) = (0.0, 0.0, 0.0);
        for (category, counts) in scheme.ballot.categories.iter().zip(&by_category) {
            let rates = counts.rates(ratings);
            if let Some((m, s)) = rates {
                weights += category.weight;
                mean += category.weight * m;
                satisfaction += category.weight * s;
            }
            stats.categories.push(CategoryStats {
                name: category.name.clone(),
                weight: category.weight,
                counted: counts.counted,
                valid: counts.valid,
                mean: rates.map(|r| r.0),
                satisfaction: rates.map(|r| r.1),
            });
        }
        if weights > 0.0 {
            detail.mean = Some(mean / weights);
            detail.satisfaction = Some(satisfaction / weights);
        }
    }
    (stats.counted, stats.valid) = (all.counted, all.valid);
    detail.yixing = median_star(&detail.stars);
    detail.questions = all.questions;
    stats.detail = Some(detail);
    stats
}

/// The counts of a voter category, if the ballot names one.
fn category_of(counts: &mut [Counts], category: Option<u16>) -> Option<&mut Counts> {
    category.and_then(|c| counts.get_mut(usize::from(c)))
}

/// Ballots and ratings per question, of a branch or of one voter category.
struct Counts {
    counted: u32,
    valid: u32,
    questions: Vec<QuestionStats>,
}

impl Counts {
    fn new(scheme: &Scheme) -> Counts {
        let options = scheme.ballot.ratings.len();
        let questions = scheme
            .ballot
            .questions
            .iter()
            .map(|q| QuestionStats {
                question: q.clone(),
                counts: vec![0; options],
                over_votes: 0,
                invalid: 0,
                abstentions: 0,
            })
            .collect();
        Counts {
            counted: 0,
            valid: 0,
            questions,
        }
    }

    /// Counts already summed: added as they are; a voter who left a
    /// question out is an abstention of that question.
    fn add_tally(&mut self, ballots: u32, tallied: &[Vec<u32>]) {
        self.counted += ballots;
        self.valid += ballots;
        for (q, counts) in self.questions.iter_mut().zip(tallied) {
            for (total, n) in q.counts.iter_mut().zip(counts) {
                *total += n;
            }
            q.abstentions += ballots.saturating_sub(counts.iter().sum());
        }
    }

    fn add_ballot(&mut self, ballot: &Ballot) {
        self.counted += 1;
        if ballot.is_blank() {
            return;
        }
        self.valid += 1;
        for (q, answer) in self.questions.iter_mut().zip(&ballot.answers) {
            match *answer {
                Answer::Rated(i) => bump(&mut q.counts, usize::from(i)),
                Answer::OverVote => q.over_votes += 1,
                Answer::Invalid => q.invalid += 1,
                Answer::Abstain => q.abstentions += 1,
            }
        }
    }

    /// The mean rating and the satisfaction rate over the valid ratings.
    fn rates(&self, ratings: &[Rating]) -> Option<(f64, f64)> {
        let (mut n, mut sum, mut satisfied) = (0u32, 0.0, 0u32);
        for q in &self.questions {
            n += q.valid(ratings);
            satisfied += q.satisfied(ratings);
            // One running sum, rating by rating: the order fixes the last bit.
            for (count, rating) in q.counts.iter().zip(ratings).filter(|(_, r)| r.counted) {
                sum += f64::from(*count) * rating.value;
            }
        }
        (n > 0).then(|| (sum / f64::from(n), f64::from(satisfied) / f64::from(n)))
    }
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
    use crate::forms::{Identity, SheetRef};
    use crate::scheme::VoterCategory;
    use proptest::prelude::*;

    /// A register of ballots answering one question: (category, rating).
    fn register(ballots: &[(u16, u16)]) -> BallotSheet {
        BallotSheet {
            identity: Identity {
                name: "一支部".into(),
                parent: None,
                code: None,
            },
            source: SheetRef {
                file: "登记表.xlsx".into(),
                sheet: "登记表".into(),
            },
            layout: BallotLayout::Register {
                issued: None,
                returned: None,
            },
            ballots: ballots
                .iter()
                .enumerate()
                .map(|(row, &(c, r))| Ballot {
                    answers: vec![Answer::Rated(r)].into_boxed_slice(),
                    star: Answer::Abstain,
                    category: Some(c),
                    row: row as u32,
                })
                .collect(),
            tallied: Vec::new(),
            category: None,
            valid: true,
        }
    }

    proptest! {
        /// The weighted mean lies between the categories' means, and what
        /// is disclosed never carries a figure of a category under the minimum.
        #[test]
        fn weighted_mean_is_bounded_and_small_categories_stay_hidden(
            weights in prop::collection::vec(0.01f64..10.0, 1..5),
            ballots in prop::collection::vec((0u16..5, 0u16..4), 0..40),
            min_valid in 1u32..8,
        ) {
            let mut scheme = Scheme::load("standard").unwrap();
            scheme.ballot.questions.truncate(1);
            scheme.ballot.categories = weights
                .iter()
                .enumerate()
                .map(|(i, &weight)| VoterCategory { name: format!("类别{i}"), aliases: Vec::new(), weight })
                .collect();
            let ballots: Vec<(u16, u16)> = ballots
                .into_iter()
                .map(|(c, r)| (c % weights.len() as u16, r))
                .collect();
            let stats = tally(&scheme, &[register(&ballots)]);
            let means: Vec<f64> = stats.categories.iter().filter_map(|c| c.mean).collect();
            match stats.detail.as_ref().and_then(|d| d.mean) {
                Some(mean) => {
                    let low = means.iter().copied().fold(f64::INFINITY, f64::min);
                    let high = means.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    prop_assert!(low - 1e-12 <= mean && mean <= high + 1e-12);
                }
                None => prop_assert!(means.is_empty()),
            }
            let shown = stats.disclosed(min_valid);
            let short = shown.categories.iter().any(|c| (1..min_valid).contains(&c.valid));
            if short || shown.valid < min_valid {
                prop_assert!(shown.detail.is_none());
                prop_assert!(shown.categories.iter().all(|c| c.mean.is_none() && c.satisfaction.is_none()));
            }
        }
    }

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
