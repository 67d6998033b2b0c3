//! The branch register (支部名册): who has not sent what, forms of branches
//! it does not list, and registered branches counted in the statistics.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::*;
use starsheet::forms::FormKind;
use starsheet::scheme::Schemes;
use starsheet::{Evaluation, Plan};

fn evaluate(inbox: &Path, register: Option<PathBuf>) -> Evaluation {
    let mut plan = Plan::new(inbox, Schemes::with_branch("standard").unwrap());
    plan.register = register;
    starsheet::evaluate(&plan).unwrap()
}

/// Removes every file and folder of a branch (its name starts theirs).
fn remove_branch(inbox: &Path, parent: &str, name: &str) {
    for entry in std::fs::read_dir(inbox.join(parent)).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().to_string_lossy().starts_with(name) {
            if path.is_dir() {
                std::fs::remove_dir_all(&path).unwrap();
            } else {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }
}

#[test]
fn a_register_of_1000_lists_exactly_the_37_that_sent_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (inbox, roll) = (dir.path().join("收件箱"), dir.path().join("支部名册.xlsx"));
    let schemes = Schemes::with_branch("standard").unwrap();
    starsheet::sample::generate_with_roll(&schemes, (1000, None), 2026, &inbox, &roll).unwrap();
    let registered = read_sheet(&roll, "支部名册");
    let branches: Vec<(String, String)> = registered[3..1003]
        .iter()
        .map(|r| (r[1].clone(), r[2].clone()))
        .collect();
    assert_eq!(branches.len(), 1000);
    // Every 27th branch sends nothing: 37 of them.
    let gone: BTreeSet<(String, String)> = branches.iter().step_by(27).take(37).cloned().collect();
    assert_eq!(gone.len(), 37);
    for (name, parent) in &gone {
        remove_branch(&inbox, parent, name);
    }

    let eval = evaluate(&inbox, Some(roll.clone()));
    let c = eval.collection.as_ref().unwrap();
    assert_eq!(c.registered, 1000);
    let everything = vec![FormKind::Scoring, FormKind::Register, FormKind::Roster];
    let nothing: BTreeSet<(String, String)> = c
        .unsubmitted
        .iter()
        .filter(|u| u.missing == everything)
        .map(|u| (u.identity.name.clone(), u.identity.parent.clone().unwrap()))
        .collect();
    assert_eq!(nothing, gone);
    // Beside them only the sample's form cut off in transfer: it arrived, unreadable.
    let others: Vec<String> = c
        .unsubmitted
        .iter()
        .filter(|u| u.missing != everything)
        .map(|u| {
            format!(
                "{}：{:?} {}",
                u.identity.name,
                u.missing,
                u.note.clone().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(others.len(), 1, "{others:#?}");
    assert!(others[0].contains("[Scoring] 评分表无法读取："), "{others:#?}");
    // They count in the round: held back as not received, in every total.
    let held = eval
        .branches
        .iter()
        .filter(|b| b.missing_form == Some(starsheet::results::MissingForm::NotReceived))
        .count();
    assert_eq!(held, 37);
    let all = eval.organisations.last().unwrap();
    assert!(all.overall);
    assert_eq!(all.branches(), 1000, "{all:?}");
    assert!(!eval.issues.iter().any(|i| i.code == "not_in_roll"));
}

#[test]
fn forms_the_register_does_not_list_are_named_with_the_closest_registered_branches() {
    let inbox = Inbox::new();
    inbox.form_with_ballots(&FormSpec::standard("第一党支部", "甲党委").scores(&[3.5; 16]));
    inbox.form_with_ballots(&FormSpec::standard("第二支部", "甲党委").scores(&[3.5; 16]));
    inbox.form_with_ballots(&FormSpec::standard("老三党支部", "甲党委").scores(&[3.5; 16]));
    inbox.form_with_ballots(&FormSpec::standard("离退休党支部", "甲党委").scores(&[3.5; 16]));
    write_xlsx(
        &inbox.file("支部名册.xlsx"),
        &[roll_sheet(&[
            ("第一党支部", "甲党委", "", "在职党支部"),
            ("第二党支部", "甲党委", "", ""),
            ("第三党支部", "甲党委", "老三党支部", ""),
            ("第四党支部", "甲党委", "", ""),
            ("离退休党支部", "甲党委", "", "离退休党支部"),
        ])],
    );
    let eval = evaluate(inbox.path(), None);
    let all = messages(&eval);
    for expected in [
        "[警告] 第二支部评分表.xlsx › 评分表：「第二支部」不在支部名册中，名册中相近的有：「第二党支部」（甲党委）；请核对支部名称",
        "[警告] 老三党支部评分表.xlsx › 评分表：「老三党支部」不在支部名册中：名册中「第三党支部」（甲党委）的曾用名是「老三党支部」，该支部可能已更名，请按现名填写或核对名册",
        "[警告] 离退休党支部评分表.xlsx › 评分表：支部名册中「离退休党支部」是离退休党支部，按方案不参加支部星级评定；收到的评分表照常计分，是否列入请核定",
    ] {
        assert!(all.iter().any(|m| m == expected), "{expected}\n{all:#?}");
    }
    let c = eval.collection.as_ref().unwrap();
    assert_eq!((c.registered, c.not_rated), (5, 1));
    let unsubmitted: Vec<(&str, &[FormKind])> = c
        .unsubmitted
        .iter()
        .map(|u| (u.identity.name.as_str(), u.missing.as_slice()))
        .collect();
    assert_eq!(
        unsubmitted,
        [
            ("第二党支部", &[FormKind::Scoring, FormKind::Register][..]),
            ("第三党支部", &[FormKind::Scoring, FormKind::Register][..]),
            ("第四党支部", &[FormKind::Scoring, FormKind::Register][..]),
        ]
    );
    // Registered and rated, sent nothing: held back, ranked, counted.
    assert_eq!(tier(&eval, "第四党支部"), "待核实");
    assert_eq!(
        eval.organisations.last().unwrap().branches(),
        7,
        "4 forms (2 unregistered) + 3 held back"
    );
}

#[test]
fn one_round_has_one_register() {
    let inbox = Inbox::new();
    inbox.form_with_ballots(&FormSpec::standard("第一党支部", "甲党委").scores(&[3.5; 16]));
    let roll = roll_sheet(&[("第一党支部", "甲党委", "", "")]);
    write_xlsx(&inbox.file("名册一.xlsx"), std::slice::from_ref(&roll));
    write_xlsx(&inbox.file("名册二.xlsx"), std::slice::from_ref(&roll));
    let eval = evaluate(inbox.path(), None);
    assert!(eval.collection.is_none());
    assert!(messages(&eval).contains(
        &"[错误] 名册一.xlsx › 名册：收到不止一份支部名册（另见 名册二.xlsx）：一轮评定只用一份名册，请只保留一份；本次不按名册核对"
            .to_string()
    ));

    // A file given as the register must hold one.
    let mut plan = Plan::new(inbox.path(), Schemes::with_branch("standard").unwrap());
    plan.register = Some(inbox.file("第一党支部评分表.xlsx"));
    let err = starsheet::evaluate(&plan).unwrap_err().to_string();
    assert!(
        err.contains("中没有读到支部名册：文件中没有这样的表；名册的表头一行应有「支部名称」「所属党组织」两列"),
        "{err}"
    );
}

#[test]
fn the_register_template_reads_back_and_outputs_list_who_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let (inbox, roll, out) = (
        dir.path().join("收件箱"),
        dir.path().join("名册.xlsx"),
        dir.path().join("结果"),
    );
    let schemes = Schemes::with_branch("standard").unwrap();
    starsheet::sample::generate_with_roll(&schemes, (12, None), 2026, &inbox, &roll).unwrap();
    remove_branch(&inbox, "市税务局机关党委", "市税务局机关第二党支部");
    let mut plan = Plan::new(&inbox, schemes);
    plan.register = Some(roll.clone());
    plan.out_dir = Some(out.clone());
    plan.json = Some(out.join("results.json"));
    starsheet::score(&plan).unwrap();
    let sheet = read_sheet(&out.join("汇总排名.xlsx"), "未提交");
    let rows: Vec<String> = sheet.iter().map(|r| r.join("|")).collect();
    assert!(rows[0].starts_with(&format!(
        "支部名册（{}）登记 12 个支部，2 个未提交齐全。",
        roll.display()
    )));
    assert_eq!(rows[1], "序号|支部名称|支部编码|未提交|说明");
    // In the register's order: its parents as they first appear.
    assert_eq!(rows[2], "市税务局机关党委（1 个支部）||||");
    assert_eq!(rows[3], "1|市税务局机关第二党支部||评分表、测评票、党员星级评定表|");
    assert_eq!(rows[4], "市教育局机关党委（1 个支部）||||");
    assert_eq!(
        rows[5],
        "2|市教育局机关第四党支部||评分表|评分表无法读取：市教育局机关党委/市教育局机关第四党支部评分表.xlsx"
    );
    let json = std::fs::read_to_string(out.join("results.json")).unwrap();
    assert!(
        json.contains(r#""missing":["scoring","register","roster"]"#),
        "{}",
        &json[..400]
    );
    // The register is an input like any other: listed with its hash.
    let files = read_sheet(&out.join("汇总排名.xlsx"), "文件清单");
    assert!(files.iter().any(|r| r.iter().any(|c| c == &roll.display().to_string())));
}
