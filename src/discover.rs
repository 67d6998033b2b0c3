//! Walking the inbox: which files are inputs, and which are skipped and why.

// Works on values read from untrusted files: no panic may be reachable from them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::issue::{Problem, describe_io};
use crate::output;
use crate::results::Skipped;

/// File extensions read as spreadsheets.
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Full path.
    pub path: PathBuf,
    /// Path relative to the inbox, with `/` separators.
    pub rel: String,
    /// Lower-case extension.
    pub ext: String,
}

/// The inbox's contents, in a stable order.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Files to read, sorted by path.
    pub inputs: Vec<Candidate>,
    /// Files and folders skipped.
    pub skipped: Vec<Skipped>,
}

/// Walks `inbox` recursively; `exclude` (the output folder) is never
/// entered, and what a run keeps beside it is passed over in silence.
///
/// Nothing is opened here. Only regular files become inputs: a pipe, socket
/// or device named like a workbook is listed as skipped (opening a pipe
/// would wait forever, a device never ends), a link is followed only to a
/// regular file, and a linked folder is listed but not entered, so a link
/// can neither loop the walk nor pull in files from elsewhere.
pub fn discover(inbox: &Path, exclude: Option<&Path>) -> io::Result<Discovery> {
    let excluded = exclude.and_then(|p| fs::canonicalize(p).ok());
    let mut found = Discovery::default();
    let mut stack = vec![(inbox.to_path_buf(), String::new())];
    let mut top = true;
    while let Some((dir, prefix)) = stack.pop() {
        let entries = match read_sorted(&dir) {
            Ok(entries) => entries,
            Err(e) if top => return Err(e),
            Err(e) => {
                found.skipped.push(Skipped {
                    rel: prefix.clone(),
                    problem: Problem::Unreadable {
                        detail: describe_io(&e),
                    },
                });
                continue;
            }
        };
        top = false;
        let mut subdirs = Vec::new();
        for (name, path, file_type) in entries {
            let rel = format!("{prefix}{name}");
            let skip = |problem| Skipped {
                rel: rel.clone(),
                problem,
            };
            if name.starts_with('.') && exclude.is_some_and(|out| output::is_beside(out, &path)) {
                continue;
            }
            if file_type.is_dir() {
                if excluded
                    .as_ref()
                    .is_some_and(|ex| fs::canonicalize(&path).is_ok_and(|p| &p == ex))
                {
                    found.skipped.push(skip(Problem::OutputDirSkipped));
                } else if name.starts_with('.') {
                    found.skipped.push(skip(Problem::HiddenFile));
                } else {
                    subdirs.push((path, format!("{rel}/")));
                }
                continue;
            }
            // What a link points at, or the entry itself.
            let target = if file_type.is_symlink() {
                match fs::metadata(&path) {
                    Ok(meta) => meta.file_type(),
                    Err(e) => {
                        found.skipped.push(skip(Problem::Unreadable {
                            detail: format!("链接指向的位置无法访问：{}", describe_io(&e)),
                        }));
                        continue;
                    }
                }
            } else {
                file_type
            };
            if target.is_dir() {
                found.skipped.push(skip(Problem::LinkedFolder));
                continue;
            }
            let ext = Path::new(&name)
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if name.starts_with("~$") {
                found.skipped.push(skip(Problem::LockFile));
            } else if name.starts_with('.') {
                found.skipped.push(skip(Problem::HiddenFile));
            } else if !EXTENSIONS.contains(&ext.as_str()) {
                found.skipped.push(skip(Problem::NotSpreadsheetFile));
            } else if !target.is_file() {
                found.skipped.push(skip(Problem::NotRegularFile));
            } else {
                found.inputs.push(Candidate { path, rel, ext });
            }
        }
        // Depth-first in name order: push in reverse so the first pops first.
        stack.extend(subdirs.into_iter().rev());
    }
    found.inputs.sort_by(|a, b| a.rel.cmp(&b.rel));
    found.skipped.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(found)
}

fn read_sorted(dir: &Path) -> io::Result<Vec<(String, PathBuf, fs::FileType)>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        entries.push((name, entry.path(), entry.file_type()?));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_lock_hidden_other_files_and_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("甲党委/out")).unwrap();
        fs::create_dir_all(root.join(".git")).unwrap();
        for f in [
            "a.xlsx",
            "~$a.xlsx",
            ".b.xlsx",
            "说明.txt",
            "甲党委/c.XLS",
            "甲党委/out/汇总排名.xlsx",
        ] {
            fs::write(root.join(f), b"x").unwrap();
        }
        let found = discover(root, Some(&root.join("甲党委/out"))).unwrap();
        let inputs: Vec<&str> = found.inputs.iter().map(|c| c.rel.as_str()).collect();
        assert_eq!(inputs, ["a.xlsx", "甲党委/c.XLS"]);
        assert_eq!(found.inputs[1].ext, "xls");
        let skipped: Vec<(&str, &Problem)> = found.skipped.iter().map(|s| (s.rel.as_str(), &s.problem)).collect();
        assert_eq!(
            skipped,
            [
                (".b.xlsx", &Problem::HiddenFile),
                (".git", &Problem::HiddenFile),
                ("~$a.xlsx", &Problem::LockFile),
                ("甲党委/out", &Problem::OutputDirSkipped),
                ("说明.txt", &Problem::NotSpreadsheetFile),
            ]
        );
    }
}
