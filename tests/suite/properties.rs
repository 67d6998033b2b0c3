//! Property: whatever a scoring form or ballot register holds, reading never
//! panics and every submission ends either rated with a tier or held back
//! with an error that says why.

use crate::common::*;
use proptest::prelude::*;
use starsheet::issue::Severity;
use starsheet::results::Status;

/// Cell contents people and programs put into forms, good and bad.
fn value() -> impl Strategy<Value = Option<V>> {
    prop_oneof![
        3 => Just(None),
        4 => (-10.0f64..120.0).prop_map(|n| Some(V::N((n * 2.0).round() / 2.0))),
        1 => prop_oneof![
            Just(f64::MAX),
            Just(f64::MIN_POSITIVE),
            Just(-0.0),
            Just(1e300),
            Just(-1e-300)
        ]
        .prop_map(|n| Some(V::N(n))),
        1 => any::<bool>().prop_map(|b| Some(V::B(b))),
        4 => prop::sample::select(vec![
            "", " ", "4分", "３.５", "十八", "满分", "#DIV/0!", "=1+1", "合计", "加分", "一票否决", "是", "否",
            "好", "较好", "一般", "差", "五星", "七星", "✓", "√", "序号", "支部名称：", "党支部名称：甲",
            "所属党组织：", "考核得分", "自评分", "满分", "指标", "班子建设", "群众评价", "发出票数", "收回票数",
            "推荐星级", "1e999", "NaN", "inf", "-0", "0x10", "１２３４５６７８９０",
        ])
        .prop_map(|s| Some(V::S(s.to_string()))),
        1 => "\\PC{0,12}".prop_map(|s| Some(V::S(s))),
    ]
}

/// A cell edit: (row, column, new content).
fn edits(rows: u32, cols: u16) -> impl Strategy<Value = Vec<(u32, u16, Option<V>)>> {
    prop::collection::vec((0..rows, 0..cols, value()), 0..40)
}

fn apply(sheet: &mut SheetSpec, edits: &[(u32, u16, Option<V>)]) {
    for (r, c, v) in edits {
        match v {
            Some(v) => sheet.set(*r, *c, v.clone()),
            None => sheet.clear(*r, *c),
        };
    }
}

/// Every branch is rated with a tier, or held back with an error.
fn assert_scored_or_explained(inbox: &Inbox) {
    let eval = inbox.evaluate();
    let errors = eval.issues.iter().filter(|i| i.severity == Severity::Error).count();
    for b in &eval.branches {
        match b.status {
            Status::Rated => assert!(b.tier.is_some() && b.total.is_some_and(f64::is_finite), "{b:?}"),
            Status::Pending => assert!(errors > 0, "{:?} held back without an error", b.identity),
        }
    }
    assert!(
        !eval.branches.is_empty() || !eval.issues.is_empty(),
        "a submission vanished without a word"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_scoring_form_contents(edits in edits(32, 8), merges in prop::collection::vec((0u32..32, 1u32..4), 0..3)) {
        let inbox = Inbox::new();
        let form = FormSpec::standard("一支部", "甲党委");
        let mut sheet = form.sheet_spec();
        apply(&mut sheet, &edits);
        // Vertical merges, each in its own column (2, 5, 8) so none overlap.
        for (k, (r, h)) in merges.into_iter().enumerate() {
            let c = 2 + 3 * k as u16;
            sheet.merges.retain(|m| m.1 != c);
            sheet.merges.push((r, c, r + h, c));
        }
        write_xlsx(&inbox.file("一支部.xlsx"), &[sheet]);
        inbox.register("一支部票.xlsx", &RegisterSpec::uniform("一支部", 5, "好", "五星"));
        assert_scored_or_explained(&inbox);
    }

    #[test]
    fn random_ballot_register_contents(edits in edits(14, 8)) {
        let inbox = Inbox::new();
        inbox.form("一支部.xlsx", &FormSpec::standard("一支部", "甲党委"));
        let mut sheet = RegisterSpec::uniform("一支部", 8, "好", "五星").sheet_spec();
        apply(&mut sheet, &edits);
        write_xlsx(&inbox.file("一支部票.xlsx"), &[sheet]);
        assert_scored_or_explained(&inbox);
    }
}
