//! Every kind of output opens in another office suite: LibreOffice converts
//! each to PDF, as it prints; and no printed text is under 7 pt. CI installs
//! LibreOffice, the Calibri-compatible Carlito font and poppler's pdftotext,
//! and sets STARSHEET_REQUIRE_SOFFICE, so there this test cannot pass by
//! skipping.

use std::path::{Path, PathBuf};
use std::process::Command;

use starsheet::scheme::Schemes;
use starsheet::{Plan, template};

fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|cmd| {
        Command::new(cmd)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[test]
fn every_output_converts_to_pdf_in_libreoffice() {
    let Some(soffice) = soffice() else {
        assert!(
            std::env::var_os("STARSHEET_REQUIRE_SOFFICE").is_none(),
            "LibreOffice (soffice) is required here but not installed"
        );
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let mut plan = Plan::new(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/inbox"),
        Schemes::with_branch("standard").unwrap(),
    );
    plan.out_dir = Some(out.clone());
    let outcome = starsheet::score(&plan).unwrap();
    let templates = template::write_all(&plan.schemes, &work.path().join("templates")).unwrap();

    let mut inputs: Vec<(PathBuf, usize)> = vec![
        (out.join(starsheet::SUMMARY_FILE), 7),
        (out.join(starsheet::PUBLIC_FILE), 1),
    ];
    inputs.push((out.join("党员星级汇总.xlsx"), 3));
    // Every branch's feedback: reasons and names differ in length.
    inputs.extend(outcome.feedback.iter().map(|(_, path)| (path.clone(), 4)));
    inputs.extend(templates.into_iter().map(|t| (t, 1)));
    // Plain ASCII copies: the conversion is about content, not file names.
    let staged = work.path().join("staged");
    std::fs::create_dir_all(&staged).unwrap();
    let mut args = vec![
        "--headless".to_string(),
        "--convert-to".into(),
        "pdf".into(),
        "--outdir".into(),
    ];
    let pdfs = work.path().join("pdf");
    args.push(pdfs.display().to_string());
    for (i, (path, _)) in inputs.iter().enumerate() {
        let copy = staged.join(format!("{i}.xlsx"));
        std::fs::copy(path, &copy).unwrap();
        args.push(copy.display().to_string());
    }
    let run = Command::new(soffice)
        .args(&args)
        .env("HOME", work.path()) // a private LibreOffice profile
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    for (i, (path, min_pages)) in inputs.iter().enumerate() {
        let pdf = std::fs::read(pdfs.join(format!("{i}.pdf"))).unwrap_or_else(|_| panic!("no PDF for {path:?}"));
        assert!(pdf.starts_with(b"%PDF"), "{path:?}");
        let pages = page_count(&pdf);
        assert!(
            pages >= *min_pages,
            "{path:?}: {pages} pages, at least {min_pages} expected"
        );
    }
    // Printed text size, from where pdftotext puts each word: a word of
    // Chinese characters is as wide as its size times its length.
    let Some(sizes) = printed_sizes(&pdfs, inputs.len()) else {
        assert!(
            std::env::var_os("STARSHEET_REQUIRE_SOFFICE").is_none(),
            "pdftotext (poppler-utils) is required here but not installed"
        );
        eprintln!("skipped the text sizes: pdftotext is not installed");
        return;
    };
    for ((path, _), (smallest, word)) in inputs.iter().zip(sizes) {
        assert!(smallest >= 7.0, "{path:?}: 「{word}」 prints at {smallest:.1} pt");
    }
}

/// The smallest printed size of a Chinese word in each of `n` PDFs, and that word.
fn printed_sizes(pdfs: &Path, n: usize) -> Option<Vec<(f64, String)>> {
    let mut sizes = Vec::new();
    for i in 0..n {
        let pdf = pdfs.join(format!("{i}.pdf"));
        let run = Command::new("pdftotext")
            .arg("-bbox")
            .arg(&pdf)
            .arg("-")
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&run.stdout).into_owned();
        let mut smallest = (f64::MAX, String::new());
        for line in text.lines().filter(|l| l.trim_start().starts_with("<word ")) {
            let attr = |name: &str| -> f64 {
                let at = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                line[at..].split('"').next().unwrap().parse().unwrap()
            };
            let word = line.split('>').nth(1).unwrap().split('<').next().unwrap();
            let chars = word.chars().count();
            if chars < 2 || !word.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) {
                continue;
            }
            let size = (attr("xMax") - attr("xMin")) / chars as f64;
            if size < smallest.0 {
                smallest = (size, word.to_string());
            }
        }
        sizes.push(smallest);
    }
    Some(sizes)
}

/// Page objects in a PDF: `/Type/Page` (with or without a space), not `/Pages`.
fn page_count(pdf: &[u8]) -> usize {
    let mut n = 0;
    for (i, _) in pdf.iter().enumerate() {
        for pattern in [&b"/Type/Page"[..], b"/Type /Page"] {
            if pdf[i..].starts_with(pattern) && pdf.get(i + pattern.len()) != Some(&b's') {
                n += 1;
            }
        }
    }
    n
}
