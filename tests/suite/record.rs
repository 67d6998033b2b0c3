//! results.json is a contract: what one round writes, a later round reads
//! back into the same values, tiers by name, with a schema version.

use std::borrow::Cow;
use std::path::Path;

use crate::common::*;
use starsheet::record::{Record, SCHEMA_VERSION};
use starsheet::results::{MissingForm, Status};
use starsheet::scheme::Schemes;
use starsheet::{Outcome, Plan};

fn score(inbox: &Path, out: &Path) -> Outcome {
    let mut plan = Plan::new(inbox, Schemes::with_branch("standard").unwrap());
    plan.out_dir = Some(out.to_path_buf());
    plan.json = Some(out.join("results.json"));
    starsheet::score(&plan).unwrap()
}

/// Reads the written file back and checks it equals the record of the
/// evaluation that wrote it, value for value.
fn read_back(outcome: &Outcome, out: &Path) -> Record<'static> {
    let bytes = std::fs::read(out.join("results.json")).unwrap();
    let read = Record::from_json(&bytes).unwrap();
    assert_eq!(read, Record::of(&outcome.evaluation));
    // And writes the same bytes again.
    let mut again = serde_json::to_vec(&read).unwrap();
    again.push(b'\n');
    assert!(again == bytes, "a record read back writes other bytes");
    read
}

#[test]
fn the_samples_read_back_into_the_same_values() {
    let out = tempfile::tempdir().unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/inbox");
    let outcome = score(&samples, out.path());
    let record = read_back(&outcome, out.path());

    assert_eq!(record.schema_version, SCHEMA_VERSION);
    assert_eq!(record.scheme.name, "standard");
    assert_eq!(
        (record.branches.len(), record.groups.len(), record.members.len()),
        (12, 8, 141)
    );
    let first = &record.branches[0];
    assert_eq!(
        (
            first.identity.name.as_str(),
            first.tier.as_deref(),
            first.stars,
            first.rank
        ),
        ("市财政局机关第四党支部", Some("五星"), Some(5), Some(1))
    );
    assert_eq!(first.total, Some(100.0));
    // Unrounded totals survive to the last bit.
    let second = &record.branches[1];
    assert_eq!(second.total, outcome.evaluation.branches[1].total);
    assert!((second.total.unwrap() - 98.325688).abs() < 1e-6);
    let unread = record
        .branches
        .iter()
        .find(|b| b.identity.name == "市教育局机关第四党支部")
        .unwrap();
    assert_eq!(unread.status, Status::Pending);
    assert_eq!(
        unread.missing_form.as_deref(),
        Some(&MissingForm::Unreadable {
            file: "市教育局机关党委/市教育局机关第四党支部评分表.xlsx".into()
        })
    );
    assert_eq!(unread.flags, [Cow::Borrowed("待核实")]);
    let bad = record.issues.iter().find(|i| i.code == "bad_number").unwrap();
    assert_eq!(
        (
            bad.sheet.as_deref(),
            bad.cell.map(|c| c.to_string()),
            bad.message.as_ref()
        ),
        (Some("评分表"), Some("E6".to_string()), "考核得分「良好」不是有效的数字")
    );
    let overall = record.organisations.last().unwrap();
    assert!(overall.overall);
    assert_eq!(overall.tiers[0].label, "五星");
    assert_eq!(overall.tiers.iter().map(|c| c.count).sum::<u32>(), 10);
}

#[test]
fn withheld_ballots_and_one_voter_files_read_back() {
    let inbox = Inbox::new();
    inbox.form("一支部.xlsx", &FormSpec::standard("一支部", "甲党委"));
    inbox.register("一支部票.xlsx", &RegisterSpec::uniform("一支部", 3, "好", "五星"));
    inbox.form_with_ballots(&FormSpec::standard("二支部", "甲党委"));
    let out = tempfile::tempdir().unwrap();
    let outcome = score(inbox.path(), out.path());
    let record = read_back(&outcome, out.path());

    let one = record.branches.iter().find(|b| b.identity.name == "一支部").unwrap();
    let ballots = one.ballots.as_ref().unwrap();
    assert_eq!(
        (ballots.valid, ballots.withheld, ballots.detail.is_none()),
        (3, true, true)
    );
    let two = record.branches.iter().find(|b| b.identity.name == "二支部").unwrap();
    let detail = two.ballots.as_ref().unwrap().detail.as_ref().unwrap();
    assert_eq!(detail.questions[0].ratings[0].label, "好");
    assert_eq!(detail.recommended[0].label, "五星");
}

#[test]
fn a_record_of_another_layout_is_refused() {
    let err = Record::from_json(br#"{"schema_version":2,"branches":[]}"#).unwrap_err();
    assert_eq!(err.to_string(), "结果文件版本 2 无法读取（本程序读取版本 1）");
    let err = Record::from_json(br#"{"branches":[]}"#).unwrap_err();
    assert!(err.to_string().starts_with("结果文件格式不对："), "{err}");
}
