//! Hostile files end with a clear error in bounded memory, and the batch goes
//! on. Peak memory of each case is measured for the notes with
//! `/usr/bin/time -v cargo test --release --test suite limits::<case>`.

use std::io::{Cursor, Write};

use crate::common::*;
use zip::write::SimpleFileOptions;

/// Evaluates the inbox beside a good branch; returns the problems.
fn problems_beside_good(inbox: &Inbox) -> Vec<String> {
    inbox.form_with_ballots(&FormSpec::standard("好支部", "甲党委"));
    let eval = inbox.evaluate();
    assert_eq!(tier(&eval, "好支部"), "五星", "the batch goes on");
    problems(&eval)
}

const SHEET_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>支部名称：一支部</t></is></c></row></sheetData></worksheet>"#;

/// A minimal .xlsx package; `sheet` and `shared_strings` are the parts' bytes.
fn package(sheet: &[u8], shared_strings: Option<&[u8]>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, &[u8]); 4] = [
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        ),
    ];
    for (name, data) in parts {
        zip.start_file(name, opts).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    zip.write_all(sheet).unwrap();
    if let Some(sst) = shared_strings {
        zip.start_file("xl/sharedStrings.xml", opts).unwrap();
        zip.write_all(sst).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Rewrites the uncompressed size a package declares for one part, in its
/// local header and in the central directory.
fn declare_size(package: &mut [u8], part: &str, size: u32) {
    let mut patched = 0;
    for (signature, size_at, name_len_at, name_at) in [(b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)] {
        let mut at = 0;
        while let Some(found) = package[at..].windows(4).position(|w| w == signature) {
            let start = at + found;
            let len = u16::from_le_bytes([package[start + name_len_at], package[start + name_len_at + 1]]) as usize;
            if package.get(start + name_at..start + name_at + len) == Some(part.as_bytes()) {
                package[start + size_at..start + size_at + 4].copy_from_slice(&size.to_le_bytes());
                patched += 1;
            }
            at = start + 4;
        }
    }
    assert_eq!(patched, 2, "local header and central directory entry of {part}");
}

#[test]
fn zip_bomb_declaring_its_size_is_refused_from_the_directory() {
    let inbox = Inbox::new();
    let mut bomb = package(SHEET_XML.as_bytes(), None);
    declare_size(&mut bomb, "xl/worksheets/sheet1.xml", 4_000_000_000);
    std::fs::write(inbox.file("炸弹.xlsx"), bomb).unwrap();
    assert_eq!(
        problems_beside_good(&inbox),
        ["[错误] 炸弹.xlsx：文件中的 xl/worksheets/sheet1.xml 解压后为 3.7 GB，超过上限 32.0 MB，疑似异常文件，未读取"]
    );
}

#[test]
fn zip_bomb_hiding_its_size_stops_at_the_declared_size() {
    // 24 MB of blanks inflating from a part that claims 1 KB.
    let inbox = Inbox::new();
    let mut sheet = SHEET_XML.as_bytes().to_vec();
    sheet.splice(sheet.len() - 24..sheet.len() - 24, std::iter::repeat_n(b' ', 24 << 20));
    let mut bomb = package(&sheet, None);
    declare_size(&mut bomb, "xl/worksheets/sheet1.xml", 1024);
    std::fs::write(inbox.file("炸弹.xlsx"), bomb).unwrap();
    assert_eq!(
        problems_beside_good(&inbox),
        ["[错误] 炸弹.xlsx：文件已损坏，无法打开（解压后的内容大于文件自身声明的大小，疑似恶意构造的压缩文件）"]
    );
}

#[test]
fn fifty_megabyte_shared_strings_table_is_refused_unread() {
    let inbox = Inbox::new();
    let mut sst = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#.to_vec();
    while sst.len() < 50 << 20 {
        sst.extend_from_slice(b"<si><t>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</t></si>");
    }
    sst.extend_from_slice(b"</sst>");
    std::fs::write(inbox.file("字符串.xlsx"), package(SHEET_XML.as_bytes(), Some(&sst))).unwrap();
    assert_eq!(
        problems_beside_good(&inbox),
        ["[错误] 字符串.xlsx：文件中的 xl/sharedStrings.xml 解压后为 50.0 MB，超过上限 16.0 MB，疑似异常文件，未读取"]
    );
}

#[test]
fn shared_strings_count_lie_is_refused() {
    let inbox = Inbox::new();
    inbox.copy_fixture("hostile_shared_strings_count.xlsx", "字符串.xlsx");
    assert_eq!(
        problems_beside_good(&inbox),
        ["[错误] 字符串.xlsx：文件已损坏，无法打开（共享字符串表声明 4000000000 项，与其大小 176 字节不符）"]
    );
}

#[test]
fn xlsx_declaring_a_full_sheet_is_streamed_cell_by_cell() {
    // 1.6 KB declaring A1:XFD1048576 with a cell in the far corner: read
    // sparsely, it is just a sheet that is no form.
    let inbox = Inbox::new();
    inbox.copy_fixture("hostile_far_corner.xlsx", "远角.xlsx");
    assert_eq!(
        problems_beside_good(&inbox),
        ["[错误] 远角.xlsx：文件中没有可识别的评分表、测评票登记表或测评票"]
    );
}

#[test]
fn xls_with_a_cell_in_the_far_corner_is_refused_before_loading() {
    let inbox = Inbox::new();
    inbox.copy_fixture("hostile_far_corner.xls", "远角.xls");
    assert_eq!(
        problems_beside_good(&inbox),
        [
            "[错误] 远角.xls：工作表「Sheet1」的内容范围达 65536 行 × 256 列，超过上限 1000000 个单元格，疑似异常文件，未读取"
        ]
    );
}

#[test]
fn xls_declaring_two_billion_rows_is_refused_before_loading() {
    let inbox = Inbox::new();
    inbox.copy_fixture("hostile_declared_dimensions.xls", "声明.xls");
    assert_eq!(
        problems_beside_good(&inbox),
        [
            "[错误] 声明.xls：工作表「Sheet1」的内容范围达 2147483648 行 × 256 列，超过上限 1000000 个单元格，疑似异常文件，未读取"
        ]
    );
}

#[test]
fn ods_repeating_one_cell_twenty_million_times_is_refused_before_loading() {
    let inbox = Inbox::new();
    inbox.copy_fixture("hostile_repeated_cells.ods", "重复.ods");
    assert_eq!(
        problems_beside_good(&inbox),
        [
            "[错误] 重复.ods：工作表「Sheet1」有 20971501 个非空单元格，超过上限 200000 个，不像评分表或测评票，疑似异常文件，未读取"
        ]
    );
}

#[test]
fn limits_come_from_a_limits_file_given_to_the_run() {
    let inbox = Inbox::new();
    inbox.form("一支部.xlsx", &FormSpec::standard("一支部", "甲党委"));
    let limits = inbox.file("上限.toml");
    std::fs::write(&limits, "cells = 40\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_starsheet"))
        .args([
            "check",
            inbox.path().to_str().unwrap(),
            "--limits",
            limits.to_str().unwrap(),
        ])
        .current_dir(out.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("一支部.xlsx › 评分表：工作表的非空单元格超过 40 个，不像评分表或测评票，未读取"),
        "{stdout}"
    );
    // The same through the library: the limits file sets the plan's limits.
    let mut plan = starsheet::Plan::new(
        inbox.path(),
        starsheet::scheme::Schemes::with_branch("standard").unwrap(),
    );
    plan.limits = starsheet::workbook::LimitsFile::load(&limits).unwrap();
    assert_eq!(plan.limits.max_cells, 40);
    assert_eq!(plan.limits.max_file_bytes, 50 * 1024 * 1024);
    let eval = starsheet::evaluate(&plan).unwrap();
    assert!(
        problems(&eval).contains(
            &"[错误] 一支部.xlsx › 评分表：工作表的非空单元格超过 40 个，不像评分表或测评票，未读取".to_string()
        ),
        "{:?}",
        problems(&eval)
    );

    std::fs::write(&limits, "grid_cells = 0\n").unwrap();
    let err = starsheet::workbook::LimitsFile::load(&limits).unwrap_err();
    assert!(
        err.to_string().ends_with("上限.toml 中 grid_cells 有误：必须大于 0"),
        "{err}"
    );
    std::fs::write(&limits, "cell = 40\n").unwrap();
    let err = starsheet::workbook::LimitsFile::load(&limits).unwrap_err();
    assert!(
        err.to_string().contains("上限.toml 格式有误：unknown field `cell`"),
        "{err}"
    );
}

#[test]
fn a_scheme_that_still_sets_limits_says_where_they_went() {
    let inbox = Inbox::new();
    let standard = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/standard.toml")).unwrap();
    let scheme = inbox.file("方案.toml");
    std::fs::write(&scheme, format!("{standard}\n[limits]\ncells = 40\n")).unwrap();
    let err = starsheet::scheme::Schemes::with_branch(scheme.to_str().unwrap()).unwrap_err();
    assert!(
        err.to_string().ends_with(
            "方案.toml 中 [limits] 有误：读取上限已不在评星方案中设置：请把 [limits] 一节移到单独的文件，评定时用 --limits 文件 指定"
        ),
        "{err}"
    );
}

#[test]
fn three_hundred_thousand_merges_fill_a_bounded_number_of_cells() {
    // Each merge would copy A1 down 500 rows: 150 million cells if filled.
    let inbox = Inbox::new();
    let mut sheet = SHEET_XML.replace("</worksheet>", "<mergeCells>");
    for _ in 0..300_000 {
        sheet.push_str(r#"<mergeCell ref="A1:A500"/>"#);
    }
    sheet.push_str("</mergeCells></worksheet>");
    std::fs::write(inbox.file("合并.xlsx"), package(sheet.as_bytes(), None)).unwrap();
    assert_eq!(
        problems_beside_good(&inbox),
        ["[错误] 合并.xlsx：文件中没有可识别的评分表、测评票登记表或测评票"]
    );
}

#[cfg(unix)]
#[test]
fn pipes_devices_sockets_and_links_to_them_neither_hang_nor_flood_the_run() {
    use std::os::unix::fs::symlink;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let inbox = Inbox::new();
    inbox.form_with_ballots(&FormSpec::standard("好支部", "甲党委"));
    // Opening a pipe waits for a writer that never comes; a device never ends.
    let made = Command::new("mkfifo").arg(inbox.file("管道.xlsx")).status().unwrap();
    assert!(made.success());
    symlink(inbox.file("管道.xlsx"), inbox.file("指向管道.xlsx")).unwrap();
    symlink("/dev/zero", inbox.file("零.xlsx")).unwrap();
    symlink("/dev/urandom", inbox.file("随机.xlsx")).unwrap();
    let _socket = std::os::unix::net::UnixListener::bind(inbox.file("套接字.xlsx")).unwrap();
    let mut run = Command::new(env!("CARGO_BIN_EXE_starsheet"))
        .arg("check")
        .arg(inbox.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Before, the run blocked on the pipe forever, or read /dev/zero until
    // memory ran out (8.9 GB after 12 s).
    let started = Instant::now();
    while run.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            run.kill().unwrap();
            panic!("the run hung");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = run.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&output.stdout);
    for name in ["套接字.xlsx", "指向管道.xlsx", "管道.xlsx", "随机.xlsx", "零.xlsx"] {
        let line = format!(
            "[错误] {name}：不是普通文件（是管道、设备或套接字，或指向它们的链接），未读取；请把表格文件本身放进收件箱"
        );
        assert!(stdout.contains(&line), "{line}\n{stdout}");
    }
    assert!(stdout.contains("评定支部 1 个：五星 1"), "{stdout}");
}
