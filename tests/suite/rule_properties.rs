//! Property: for random schemes within the validated space and random
//! forms, scoring never panics, every tier is one of the scheme's, and a
//! cap never raises a tier.

use proptest::prelude::*;
use starsheet::forms::{FormItem, Identity, ScoredForm, SheetRef, Stage};
use starsheet::scheme::{Scheme, Subject};
use starsheet::score::score_form;

/// A scheme's shape: indicators (max, 减分项, part), parts' weights, tier
/// lower bounds and medal rules, caps, quotas left out (they compare
/// branches), bonus.
#[derive(Debug, Clone)]
struct Shape {
    indicators: Vec<(u32, bool, usize)>,
    weights: Option<(u32, u32)>,
    mins: Vec<u32>,
    medal_count: Option<u32>,
    every: bool,
    requires: bool,
    caps: Vec<(u32, bool)>,
    bonus: u32,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        prop::collection::vec((1u32..60, prop::bool::weighted(0.2), 0usize..2), 1..6),
        prop::option::of((1u32..10, 1u32..10)),
        prop::collection::btree_set(1u32..120, 1..5),
        prop::option::of(1u32..4),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec((0u32..5, any::<bool>()), 0..3),
        0u32..10,
    )
        .prop_map(
            |(indicators, weights, mins, medal_count, every, requires, caps, bonus)| Shape {
                indicators,
                weights,
                mins: mins.into_iter().rev().collect(),
                medal_count,
                every,
                requires,
                caps,
                bonus,
            },
        )
}

/// The scheme text of a shape; `None` when it falls outside what a scheme
/// may say (validation rejects it, as it should).
fn text(shape: &Shape, with_caps: bool) -> String {
    let mut t = String::from("name = \"随机\"\ntitle = \"随机\"\ntotal_cap = 200\n");
    t += &format!("[bonus]\nlabel = \"加分\"\nmax = {}\n", shape.bonus);
    for (k, (max, negative, part)) in shape.indicators.iter().enumerate() {
        t += &format!("[[indicators]]\nname = \"指标{k}\"\nmax = {max}\n");
        if *negative {
            t += "negative = true\n";
        }
        if shape.weights.is_some() {
            t += &format!("part = \"部分{part}\"\n");
        }
    }
    if let Some((a, b)) = shape.weights {
        t += &format!("[[parts]]\nname = \"部分0\"\nweight = {}\n", f64::from(a) / 10.0);
        t += &format!("[[parts]]\nname = \"部分1\"\nweight = {}\n", f64::from(b) / 10.0);
    }
    t += "[[medals]]\nname = \"金星\"\nshare = 0.9\n[[medals]]\nname = \"银星\"\nshare = 0.7\n";
    let scored = shape.indicators.iter().filter(|(_, n, _)| !n).count() as u32;
    let colors = ["#FFD966", "#C6E0B4", "#BDD7EE", "#F8CBAD", "#E2D0EE", "#D9D9D9"];
    for (i, min) in shape.mins.iter().enumerate() {
        t += &format!("[[tiers]]\nname = \"档{i}\"\nmin = {min}\ncolor = \"{}\"\n", colors[i]);
        if i == 0 {
            if let Some(count) = shape.medal_count.filter(|c| *c <= scored) {
                t += &format!("medals = {{ medal = \"银星\", count = {count} }}\n");
            }
            if shape.every {
                t += "every = \"金星\"\n";
            }
            if shape.requires {
                t += "requires = [\"有创新项目\"]\n";
            }
        }
    }
    t += &format!("[[tiers]]\nname = \"末档\"\ncolor = \"{}\"\n", colors[5]);
    let tiers = shape.mins.len() + 1;
    for (k, (at_most, by_items)) in shape.caps.iter().enumerate().filter(|_| with_caps) {
        let at_most = (*at_most as usize).min(tiers - 1);
        let name = if at_most + 1 == tiers {
            "末档".to_string()
        } else {
            format!("档{at_most}")
        };
        t += &format!("[[caps]]\nat_most = \"{name}\"\n");
        t += &if *by_items {
            format!("items = [\"事项{k}\"]\n")
        } else {
            "satisfaction_below = 0.6\n".to_string()
        };
    }
    t
}

fn form(scheme: &Scheme, scores: &[f64], yes: &[bool], bonus: f64) -> ScoredForm {
    let items = scheme
        .indicators
        .iter()
        .zip(scores.iter().cycle())
        .map(|(ind, share)| {
            vec![FormItem {
                self_score: Some(ind.max * share),
                assessed: Some(ind.max * share),
                reason: None,
                row: 0,
                whole: false,
            }]
        })
        .collect();
    ScoredForm {
        subject: Subject::Branch,
        identity: Identity {
            name: "甲".into(),
            parent: None,
            code: None,
        },
        source: SheetRef {
            file: "甲.xlsx".into(),
            sheet: "评分表".into(),
        },
        stage: Stage::Final,
        items,
        bonus,
        veto: scheme.yes_no_items().zip(yes.iter().cycle()).map(|(_, y)| *y).collect(),
        conditions: scheme
            .condition_items()
            .zip(yes.iter().cycle())
            .map(|(_, y)| *y)
            .collect(),
        stated: Vec::new(),
        declared: Vec::new(),
        valid: true,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn scoring_any_valid_scheme_gives_one_of_its_tiers_and_caps_never_raise(
        shape in shape(),
        scores in prop::collection::vec(0.0f64..=1.0, 1..6),
        yes in prop::collection::vec(any::<bool>(), 1..4),
        bonus in 0.0f64..12.0,
        satisfaction in prop::option::of(0.0f64..=1.0),
    ) {
        let Ok(capped) = Scheme::parse(&text(&shape, true), "随机.toml") else {
            // Outside the validated space (a part without a scored
            // indicator, say): nothing to score.
            return Ok(());
        };
        let free = Scheme::parse(&text(&shape, false), "随机.toml").unwrap();
        let bonus = bonus.min(capped.bonus.max);
        let with = score_form(&capped, &form(&capped, &scores, &yes, bonus), None, (None, satisfaction), false, (&[], None)).0;
        let without = score_form(&free, &form(&free, &scores, &yes, bonus), None, (None, satisfaction), false, (&[], None)).0;
        let tier = with.tier.unwrap();
        prop_assert!(tier.0 < capped.tiers.len());
        prop_assert!(with.total.is_some_and(|t| t.is_finite() && t >= 0.0 && t <= capped.total_cap));
        // A cap only ever lowers: never a better tier than without caps.
        prop_assert!(tier >= without.tier.unwrap(), "{:?} vs {:?}", with.tier, without.tier);
        prop_assert_eq!(with.total, without.total);
    }
}
