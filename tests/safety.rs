//! Nothing leaked: no output carries a single ballot's content or location,
//! and every input string is written as text, never as a formula. (Killed
//! and failing runs: `transaction.rs`.)

mod common;

use std::io::Read;
use std::path::Path;

use common::*;

/// Every text part of every output: (file, part, text).
fn output_texts(out: &Path) -> Vec<(String, String, String)> {
    let mut texts = Vec::new();
    for path in walk(out) {
        let rel = path.strip_prefix(out).unwrap().to_string_lossy().into_owned();
        if rel.ends_with(".json") || rel == starsheet::output::MARKER {
            texts.push((rel, String::new(), std::fs::read_to_string(&path).unwrap()));
            continue;
        }
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().unwrap().into_owned();
            let mut text = String::new();
            if entry.read_to_string(&mut text).is_ok() {
                texts.push((rel.clone(), name, text));
            }
        }
    }
    texts
}

#[test]
fn no_output_carries_a_single_ballot_or_a_register_row() {
    let inbox = Inbox::new();
    inbox.form("一支部评分表.xlsx", &FormSpec::standard("一支部", "甲党委"));
    // One register row with an unreadable mark of its own.
    let mut rows = vec![["好", "好", "好", "好", "好", "五星"]; 5];
    rows[2][1] = "登记行标记甲";
    inbox.register("一支部登记表.xlsx", &RegisterSpec::rows("一支部", &rows));
    // Two one-voter ballots for another branch, one ticked with its own word.
    inbox.form("二支部评分表.xlsx", &FormSpec::standard("二支部", "甲党委"));
    for (voter, mark) in [("投票人乙", "✓"), ("投票人丙", "单票标记丙")] {
        let mut ballot = SheetSpec::new(&format!("{voter}的票"));
        ballot.set(0, 0, "支部名称：二支部").set(2, 0, "测评项目");
        for (k, r) in ["好", "较好", "一般", "差"].iter().enumerate() {
            ballot.set(2, k as u16 + 1, *r);
        }
        for (q, question) in STANDARD_QUESTIONS.iter().enumerate() {
            ballot.set(3 + q as u32, 0, *question).set(3 + q as u32, 1, mark);
        }
        write_xlsx(&inbox.file(&format!("单张票/{voter}.xlsx")), &[ballot]);
    }
    let out = tempfile::tempdir().unwrap();
    let outcome = inbox.score_into(out.path());
    // The terminal may say where to look; the outputs may not.
    let terminal: Vec<String> = outcome.evaluation.issues.iter().map(|i| i.to_string()).collect();
    assert!(
        terminal.iter().any(|m| m.contains("登记行标记甲") && m.contains("C7")),
        "{terminal:?}"
    );
    assert!(
        terminal
            .iter()
            .any(|m| m.contains("单张票/投票人丙.xlsx › 投票人丙的票")),
        "{terminal:?}"
    );
    let texts = output_texts(out.path());
    assert!(texts.len() > 30);
    for (file, part, text) in &texts {
        for marker in ["登记行标记甲", "单票标记丙", "投票人乙", "投票人丙", "单张票/", "C7："] {
            assert!(!text.contains(marker), "{file} {part} contains {marker}");
        }
    }
}

#[test]
fn input_strings_are_written_as_text_never_as_formulas() {
    let hostile = ["+1", "-1", "@SUM(A1:A2)", "=HYPERLINK(\"http://x.cn\",\"点此\")"];
    let inbox = Inbox::new();
    for (i, name) in hostile.iter().enumerate() {
        let mut form = FormSpec::standard(name, "=1+1");
        // A point lost, with a reason that looks like a formula.
        form.assessed[0] = Some(V::N(3.0));
        form.reasons[0] = Some(hostile[(i + 1) % hostile.len()].to_string());
        inbox.form(&format!("{i}.xlsx"), &form);
        inbox.register(&format!("{i}票.xlsx"), &RegisterSpec::uniform(name, 5, "好", "五星"));
    }
    let out = tempfile::tempdir().unwrap();
    let outcome = inbox.score_into(out.path());
    for name in hostile {
        assert_eq!(tier(&outcome.evaluation, name), "五星", "{name}");
    }
    for (file, part, text) in output_texts(out.path()) {
        if part.starts_with("xl/worksheets/") {
            assert!(!text.contains("<f>"), "{file} {part} holds a formula");
        }
    }
    let ranking = read_sheet(&out.path().join("汇总排名.xlsx"), "总排名");
    for name in hostile {
        assert!(
            ranking.iter().any(|r| r.iter().any(|c| c == name)),
            "{name} written as text"
        );
    }
}
