//! `starsheet scheme draft` over every spreadsheet in the repository: each
//! file holding a scoring form drafts a scheme that loads and reads that
//! form back without a mismatch; every other file (ballots, rosters,
//! registers, hostile files) gets a Chinese reason instead of a draft.

use std::path::{Path, PathBuf};

use starsheet::issue::SCHEME_MISMATCH;
use starsheet::read::read_file;
use starsheet::scheme::Schemes;
use starsheet::workbook::Limits;

use crate::common::walk;

const SPREADSHEETS: [&str; 5] = ["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// Every spreadsheet under the fixtures, the sample inbox and the templates.
fn spreadsheets() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    ["tests/fixtures", "samples", "templates"]
        .iter()
        .flat_map(|dir| walk(&root.join(dir)))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| SPREADSHEETS.contains(&e.to_lowercase().as_str()))
        })
        .collect()
}

/// The scheme a file is read with: the nearest `方案.toml` above it, else
/// the standard preset.
fn scheme_for(path: &Path) -> String {
    path.ancestors()
        .skip(1)
        .map(|dir| dir.join("方案.toml"))
        .find(|p| p.is_file())
        .map_or_else(|| "standard".to_string(), |p| p.display().to_string())
}

/// Whether the reader finds a scoring form in a file, read with its scheme.
fn holds_scoring_form(path: &Path, schemes: &Schemes) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_lowercase();
    let read = read_file(path, &path.display().to_string(), &ext, schemes, &Limits::default());
    read.entry.forms.iter().any(|k| {
        matches!(
            k,
            starsheet::forms::FormKind::Scoring | starsheet::forms::FormKind::Group
        )
    })
}

#[test]
fn every_form_in_the_repository_drafts_a_scheme_that_loads_and_reads_it_back() {
    let defaults = Schemes::with_branch("standard").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (mut drafted, mut refused) = (0, 0);
    for path in spreadsheets() {
        let schemes = Schemes::with_branch(&scheme_for(&path)).unwrap();
        let form = holds_scoring_form(&path, &schemes);
        let result = starsheet::draft::draft(&path, &defaults);
        let shown = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(&path)
            .display()
            .to_string();
        match (form, result) {
            (true, Ok(text)) => {
                drafted += 1;
                let file = dir.path().join(format!("{drafted}.toml"));
                std::fs::write(&file, &text).unwrap();
                let loaded = Schemes::with_branch(file.to_str().unwrap())
                    .unwrap_or_else(|e| panic!("{shown}: the draft does not load: {e}\n{text}"));
                // The draft reads its own form: no indicator, item or
                // maximum the form does not have.
                let ext = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or_default()
                    .to_lowercase();
                let read = read_file(&path, &shown, &ext, &loaded, &Limits::default());
                let mismatched: Vec<String> = read
                    .issues
                    .iter()
                    .filter(|i| SCHEME_MISMATCH.contains(&i.code))
                    .map(|i| i.to_string())
                    .collect();
                assert!(
                    mismatched.is_empty(),
                    "{shown} read with its draft:\n{mismatched:#?}\n{text}"
                );
            }
            (true, Err(problem)) => panic!("{shown} holds a scoring form, but: {problem}"),
            (false, Ok(text)) => panic!("{shown} holds no scoring form, yet drafted:\n{text}"),
            (false, Err(problem)) => {
                refused += 1;
                let message = problem.to_string();
                assert!(
                    message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{shown}: {message}"
                );
            }
        }
    }
    // Every fixture form, sample form and template is among them.
    assert!(drafted >= 40, "{drafted} drafted");
    assert!(refused >= 40, "{refused} refused");
}

#[test]
fn a_file_without_a_scoring_table_is_told_why() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let defaults = Schemes::with_branch("standard").unwrap();
    let reason = |rel: &str| {
        starsheet::draft::draft(&root.join(rel), &defaults)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        reason("tests/fixtures/realworld/C/收件箱/幸福社区党支部_测评登记.xlsx"),
        "文件中没有评分表：工作表「测评登记」没有评分表的表头（需要一行栏目名称，含考评项目与得分栏，\
         如：考评项目/指标/项目、考核得分/评定得分/考核评分）"
    );
    assert_eq!(
        reason("templates/standard/测评票登记表.xlsx"),
        "文件中没有评分表：工作表「测评票登记表」是测评票登记表，不是评分表"
    );
    assert_eq!(
        reason("tests/fixtures/encrypted_password_123456.xlsx"),
        "文件已加密：请取消打开密码后重新提交"
    );
}
