//! The command line: exit statuses, terminal messages, subcommands.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::*;

fn starsheet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_starsheet"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn samples() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/inbox")
        .display()
        .to_string()
}

#[test]
fn score_on_samples_exits_2_and_summarises_in_chinese() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("结果");
    let run = starsheet(&["score", &samples(), "-o", dir.to_str().unwrap(), "--json"]);
    assert_eq!(run.status.code(), Some(2), "results written, some inputs had errors");
    let stdout = text(&run.stdout);
    assert!(
        stdout.contains("读取文件 79 个，跳过 2 个；识别评分表 11 份、测评票登记表 10 份、单张测评票 69 份、党员星级评定表 12 份、党小组考评表 8 份"),
        "{stdout}"
    );
    assert!(
        stdout.contains("评定支部 10 个：五星 2 · 四星 3 · 三星 2 · 二星 1 · 一星 0 · 无星 2；待核实 2 个"),
        "{stdout}"
    );
    assert!(stdout.contains("问题：错误 4 条，警告 0 条，提示 2 条"), "{stdout}");
    assert!(
        text(&run.stderr).contains("另有提示 2 条未在此列出（见“问题清单”，或用 starsheet check 查看全部）"),
        "{}",
        text(&run.stderr)
    );
    // stderr is a pipe here: the issues are listed, no progress bar is drawn.
    let stderr = text(&run.stderr);
    assert!(
        stderr.contains("考核得分「良好」不是有效的数字") && !stderr.contains("读取 ["),
        "{stderr}"
    );
    assert!(
        dir.join("results.json").is_file(),
        "--json without a value writes into the output folder"
    );
    // A second run replaces the folder whole: without --json, no results.json.
    let quiet = starsheet(&["score", "-q", &samples(), "-o", dir.to_str().unwrap()]);
    assert_eq!(quiet.status.code(), Some(2));
    assert!(dir.join("汇总排名.xlsx").is_file());
    assert!(dir.join("党员星级汇总.xlsx").is_file());
    assert!(
        !dir.join("results.json").exists(),
        "no output of an earlier run survives"
    );
    assert!(
        stdout
            .contains("评定党员 141 名：五星 34 · 四星 34 · 三星 46 · 二星 24 · 不予评星 3；待核实 0 名；需帮扶 27 名"),
        "{stdout}"
    );
    assert!(
        stdout.contains("评定党小组 8 个：优秀 0 · 合格 5 · 基本合格 3 · 不合格 0；待核实 0 个"),
        "{stdout}"
    );
    let stderr = text(&run.stderr);
    assert!(
        stderr.contains(
            "[错误] 市财政局机关党委/市财政局机关第三党支部评分表.xlsx › 评分表 › E6：考核得分「良好」不是有效的数字"
        ),
        "{stderr}"
    );
}

#[test]
fn clean_inbox_exits_0() {
    let inbox = Inbox::new();
    inbox.form_with_ballots(&FormSpec::standard("一支部", "甲党委"));
    let out = tempfile::tempdir().unwrap();
    let json = out.path().join("r.json");
    let run = starsheet(&[
        "score",
        inbox.path().to_str().unwrap(),
        "-o",
        out.path().to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let results: serde_json::Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
    assert_eq!(results["branches"][0]["name"], "一支部");
    assert_eq!(results["branches"][0]["tier"], "五星");
    assert_eq!(results["branches"][0]["total"], 100.0);
    assert_eq!(results["branches"][0]["stars"], 5);
    assert_eq!(results["scheme"]["name"], "standard");
}

#[test]
fn check_lists_every_problem_and_writes_nothing() {
    let cwd = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_starsheet"))
        .args(["check", &samples()])
        .current_dir(cwd.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stdout = text(&run.stdout);
    assert!(
        stdout.contains("[提示] 填报说明.txt：不是电子表格文件（支持 .xlsx .xlsm .xls .xlsb .ods），已跳过"),
        "{stdout}"
    );
    assert!(
        stdout.contains("[错误] 市教育局机关党委/市教育局机关第四党支部评分表.xlsx：文件已损坏"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_dir(cwd.path()).unwrap().count(), 0);
}

#[test]
fn nothing_can_be_done_exits_1() {
    let inbox = Inbox::new();
    let dir = inbox.path().to_str().unwrap();
    let run = starsheet(&["score", dir, "--scheme", "nosuch"]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        text(&run.stderr),
        "错误：找不到评星方案「nosuch」：内置方案有 standard、jiguan、member、group，也可以给出 .toml 文件路径\n"
    );

    let run = starsheet(&["score", dir, "-o", dir]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).starts_with("错误：输出目录 ") && text(&run.stderr).contains("就是收件箱或包含收件箱"),
        "{}",
        text(&run.stderr)
    );

    let run = starsheet(&["check", "/no/such/folder"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).starts_with("错误：无法读取收件箱 /no/such/folder："),
        "{}",
        text(&run.stderr)
    );

    let run = starsheet(&["score"]);
    assert_eq!(run.status.code(), Some(1), "a bad command line is status 1, not 2");
}

#[test]
fn broken_scheme_file_names_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my.toml");
    let text_ = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/standard.toml")).unwrap();
    std::fs::write(&path, text_.replacen("min = 80", "min = 91", 1)).unwrap();
    let run = starsheet(&[
        "check",
        dir.path().to_str().unwrap(),
        "--scheme",
        path.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        text(&run.stderr),
        format!(
            "错误：评星方案 {} 中 tiers[2]（三星）.min 有误：下限 91 必须低于上一档的下限 90（按从高到低排列）\n",
            path.display()
        )
    );
}

#[test]
fn scheme_list_and_show() {
    let run = starsheet(&["scheme", "list"]);
    assert_eq!(
        text(&run.stdout),
        "standard\t党支部星级评定（标准方案）\njiguan\t机关党支部“五星争创”评定（市直机关方案）\nmember\t党员星级评定\ngroup\t党小组考评\n"
    );
    let run = starsheet(&["check", ".", "--scheme", "member"]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        text(&run.stderr),
        "错误：评星方案「member」用于党员星级评定，这里需要用于党支部的评星方案\n"
    );
    let run = starsheet(&["scheme", "show", "jiguan"]);
    let file = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/jiguan.toml")).unwrap();
    assert_eq!(text(&run.stdout), file);
}

#[test]
fn help_is_in_chinese() {
    let run = starsheet(&["--help"]);
    assert_eq!(run.status.code(), Some(0));
    let help = text(&run.stdout);
    assert!(help.contains("用法：starsheet"), "{help}");
    assert!(help.contains("评定：读取收件箱中的全部表格"), "{help}");
    let run = starsheet(&["score", "--help"]);
    let help = text(&run.stdout);
    assert!(help.contains("评星方案：内置方案名（standard、jiguan）或 .toml 文件路径"));
    // Descriptions line up on screen, where a Chinese character takes two columns.
    let width = |s: &str| -> usize { s.chars().map(|c| if c as u32 >= 0x2E80 { 2 } else { 1 }).sum() };
    let options = help.split("选项:\n").nth(1).unwrap();
    let starts: Vec<usize> = options
        .lines()
        .filter(|l| l.trim_start().starts_with('-'))
        .map(|l| {
            // Where the description begins: after the option and its gap.
            let option = l.trim_start();
            let gap = option.find("  ").unwrap();
            let rest = &option[gap..];
            let at = (l.len() - option.len()) + gap + (rest.len() - rest.trim_start().len());
            width(&l[..at])
        })
        .collect();
    assert!(starts.len() >= 8, "{help}");
    assert!(starts.iter().all(|&s| s == starts[0]), "{starts:?}\n{help}");
    // `help 命令` as people type it.
    let run = starsheet(&["help", "score"]);
    assert_eq!(run.status.code(), Some(0));
    assert!(text(&run.stdout).contains("用法：starsheet score <收件箱> [选项]"));
    let run = starsheet(&[]);
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).starts_with("错误：请给出命令：score、check、scheme、template 或 sample\n"));
}

#[test]
fn system_errors_name_the_path_in_chinese() {
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("一个文件");
    std::fs::write(&file, "x").unwrap();
    let run = starsheet(&["template", "-o", file.join("模板").to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).starts_with(&format!(
            "错误：无法写入 {}：路径中有一段不是文件夹（",
            file.join("模板").display()
        )),
        "{}",
        text(&run.stderr)
    );
    // A sample inbox is only written into a new or empty folder.
    let run = starsheet(&["sample", "-o", work.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        text(&run.stderr),
        format!(
            "错误：目录 {} 不是空的；为免覆盖其中的文件，请指定一个新的或空的目录\n",
            work.path().display()
        )
    );
}

#[test]
fn output_folder_inside_the_inbox_is_never_read_back() {
    let inbox = Inbox::new();
    inbox.form_with_ballots(&FormSpec::standard("一支部", "甲党委"));
    let out = inbox.file("结果");
    let args = ["score", inbox.path().to_str().unwrap(), "-o", out.to_str().unwrap()];
    assert_eq!(starsheet(&args).status.code(), Some(0));
    let run = starsheet(&args);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stdout));
    assert!(
        text(&run.stdout).contains("读取文件 2 个，跳过 1 个"),
        "{}",
        text(&run.stdout)
    );
    let rows = read_sheet(&out.join("汇总排名.xlsx"), "文件清单");
    assert_eq!(
        rows.last().unwrap()[..3],
        [
            "结果".to_string(),
            String::new(),
            "这是本次的输出目录，不作为输入读取".to_string()
        ]
    );
}

#[test]
fn an_inbox_with_nothing_to_rate_exits_2_and_keeps_the_last_results() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("评定结果");
    let run = starsheet(&["score", "-q", &samples(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let before = hash_tree(&out);

    let empty = work.path().join("空收件箱");
    std::fs::create_dir(&empty).unwrap();
    let run = starsheet(&["score", "-q", empty.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let stdout = text(&run.stdout);
    assert!(
        text(&run.stderr).contains(
            "[错误] （收件箱）：收件箱中没有可评定的表格（评分表、测评票登记表、测评票、党员星级评定表、党小组考评表）：收件箱是空的"
        ),
        "{}",
        text(&run.stderr)
    );
    assert!(
        stdout.contains(&format!("未写出结果，输出目录 {} 保持原样", out.display())),
        "{stdout}"
    );
    assert_eq!(
        hash_tree(&out),
        before,
        "an empty inbox does not replace a round's results"
    );

    // What is there, when nothing is a form.
    std::fs::write(empty.join("说明.txt"), "各支部请按时报送").unwrap();
    std::fs::write(empty.join("坏.xlsx"), "不是表格").unwrap();
    write_xlsx(
        &empty.join("通讯录.xlsx"),
        &[{
            let mut s = SheetSpec::new("通讯录");
            s.set(0, 0, "姓名").set(0, 1, "电话");
            s
        }],
    );
    let run = starsheet(&["check", empty.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let stdout = text(&run.stdout);
    assert!(
        stdout.starts_with(
            "[错误] （收件箱）：收件箱中没有可评定的表格（评分表、测评票登记表、测评票、党员星级评定表、党小组考评表）：\
             读取表格文件 2 个（其中 1 个无法读取），都没有可识别的表格；跳过 1 个（非表格文件 1 个）\n"
        ),
        "{stdout}"
    );
}
