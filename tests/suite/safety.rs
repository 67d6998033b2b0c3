//! Nothing leaked: no output carries a single ballot's content or location,
//! and every input string is written as text, never as a formula. (Killed
//! and failing runs: `transaction.rs`.)

use std::io::Read;
use std::path::Path;

use crate::common::*;

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

/// One voter's ballot as its own workbook.
fn single_ballot(inbox: &Inbox, rel: &str, branch: &str, answers: [&str; 5], star: &str) {
    let mut ballot = SheetSpec::new("测评票");
    ballot
        .set(0, 0, format!("支部名称：{branch}").as_str())
        .set(2, 0, "测评项目");
    let ratings = ["好", "较好", "一般", "差"];
    for (k, r) in ratings.iter().enumerate() {
        ballot.set(2, k as u16 + 1, *r);
    }
    for (q, question) in STANDARD_QUESTIONS.iter().enumerate() {
        let col = ratings.iter().position(|r| *r == answers[q]).unwrap() as u16 + 1;
        ballot.set(3 + q as u32, 0, *question).set(3 + q as u32, col, "√");
    }
    let stars = ["五星", "四星", "三星", "二星", "一星", "无星"];
    ballot.set(9, 0, "推荐星级");
    for (k, s) in stars.iter().enumerate() {
        ballot.set(9, k as u16 + 1, *s);
    }
    let col = stars.iter().position(|s| *s == star).unwrap() as u16 + 1;
    ballot.set(10, col, "√");
    write_xlsx(&inbox.file(rel), &[ballot]);
}

#[test]
fn below_the_minimum_of_valid_ballots_no_output_tells_what_they_said() {
    let inbox = Inbox::new();
    // One ballot: 差, 差, 一般, 差, 较好 — 群众评价 20 × (0.6 + 0.8) / 5 = 5.6.
    inbox.form("一支部.xlsx", &FormSpec::standard("一支部", "甲党委"));
    inbox.register(
        "一支部票.xlsx",
        &RegisterSpec::rows("一支部", &[["差", "差", "一般", "差", "较好", "二星"]]),
    );
    // Three one-voter ballot files.
    inbox.form("二支部.xlsx", &FormSpec::standard("二支部", "甲党委"));
    for (k, star) in ["五星", "一星", "三星"].iter().enumerate() {
        single_ballot(
            &inbox,
            &format!("二支部票/票{k}.xlsx"),
            "二支部",
            ["好", "较好", "差", "一般", "好"],
            star,
        );
    }
    // Four ballots, 7 of 20 ratings satisfied: a satisfaction of 35.0 %.
    inbox.form("三支部.xlsx", &FormSpec::standard("三支部", "甲党委"));
    let rows = [
        ["好", "好", "一般", "差", "差", "四星"],
        ["较好", "好", "差", "差", "差", "无星"],
        ["好", "一般", "一般", "差", "差", "无星"],
        ["好", "较好", "一般", "一般", "差", "无星"],
    ];
    inbox.register("三支部票.xlsx", &RegisterSpec::rows("三支部", &rows));
    let out = tempfile::tempdir().unwrap();
    let outcome = inbox.score_into(out.path());
    let eval = &outcome.evaluation;
    // The ballots still score 群众评价; only their aggregates are withheld.
    let one = branch(eval, "一支部");
    assert!(
        (one.indicators[4].score - 5.6).abs() < 1e-9,
        "{}",
        one.indicators[4].score
    );
    for (name, valid) in [("一支部", 1), ("二支部", 3), ("三支部", 4)] {
        let b = branch(eval, name);
        let stats = b.ballots.as_ref().unwrap();
        assert_eq!((stats.valid, stats.withheld()), (valid, true), "{name}");
        assert!(b.flags.few_ballots && !b.flags.needs_review, "{name}");
    }

    let summary = out.path().join("汇总排名.xlsx");
    let note = "有效票少于 5 张，为保护测评人匿名，不列分项统计、满意率和推荐星级";
    let stats = read_sheet(&summary, "测评统计");
    for name in ["一支部", "二支部", "三支部"] {
        let row = stats.iter().find(|r| r[0] == name).unwrap();
        assert_eq!(row[8], note, "{row:?}");
        // Every per-question, satisfaction and star column is empty; then 议星 —.
        let last = row.len() - 3;
        assert!(row[9..last].iter().all(String::is_empty), "{row:?}");
        assert_eq!(row[last], "—", "{row:?}");
    }
    let ranking = read_sheet(&summary, "总排名");
    let header = &ranking[0];
    let col = |label: &str| header.iter().position(|h| h == label).unwrap();
    for name in ["一支部", "二支部", "三支部"] {
        let row = ranking.iter().find(|r| r[2] == name).unwrap();
        assert_eq!((row[col("议星结果")].as_str(), row[col("满意率")].as_str()), ("—", "—"));
    }
    let feedback = out.path().join("反馈/甲党委/三支部.xlsx");
    let results = read_sheet(&feedback, "评定结果");
    assert!(
        results.iter().any(|r| r[1] == "由无记名测评票计算（满意率不公开）"),
        "{results:?}"
    );
    let plan = read_sheet(&feedback, "整改提升计划");
    assert!(plan.iter().any(|r| r[1] == "群众评价：失 10.4 分"), "{plan:?}");
    for (file, part, text) in output_texts(out.path()) {
        for leak in ["35.0%", "满意率 35", "0.35"] {
            assert!(!text.contains(leak), "{file} {part} contains {leak}");
        }
    }

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("results.json")).unwrap()).unwrap();
    for b in json["branches"].as_array().unwrap() {
        let ballots = b["ballots"].as_object().unwrap();
        assert_eq!(ballots["withheld"], true, "{b}");
        for key in ["questions", "recommended", "satisfaction", "mean_rating", "yixing"] {
            assert!(!ballots.contains_key(key), "{key} in {b}");
        }
    }
    // The three one-voter files are one line, as in 文件清单.
    let files = json["files"].as_array().unwrap();
    let private: Vec<&serde_json::Value> = files
        .iter()
        .filter(|f| f["path"] == "（单张测评票，路径不公开）")
        .collect();
    assert_eq!(private.len(), 1, "{files:?}");
    assert_eq!(private[0]["forms"], serde_json::json!(["ballot", "ballot", "ballot"]));
    assert_eq!(private[0]["branches"], serde_json::json!(["二支部"]));
    assert!(private[0]["sha256"].is_null());
}
