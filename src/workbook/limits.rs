//! Bounds on what one input file may make the reader do, and the optional
//! file (`--limits`) that changes them. They protect the machine, not the
//! rating, so they are a run option rather than part of a scheme.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// Bounds that keep a hostile file from exhausting memory or time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input file.
    pub max_file_bytes: u64,
    /// Largest uncompressed part of a zip package.
    pub max_part_bytes: u64,
    /// Largest uncompressed zip package in total.
    pub max_package_bytes: u64,
    /// Largest uncompressed shared-strings table.
    pub max_shared_strings_bytes: u64,
    /// Most non-empty cells in one sheet.
    pub max_cells: usize,
    /// Largest grid (rows × columns, all sheets together) an .xls or .ods
    /// may make the reader allocate.
    pub max_grid_cells: u64,
}

impl Default for Limits {
    fn default() -> Self {
        const MIB: u64 = 1024 * 1024;
        // A scoring form or ballot register is tens of kilobytes; these leave
        // two orders of magnitude of headroom and still bound a bad file.
        Limits {
            max_file_bytes: 50 * MIB,
            max_part_bytes: 32 * MIB,
            max_package_bytes: 128 * MIB,
            max_shared_strings_bytes: 16 * MIB,
            max_cells: 200_000,
            // About 32 MB of calamine cells; a form needs a few thousand.
            max_grid_cells: 1_000_000,
        }
    }
}

/// A limits file: TOML keys overriding the defaults; absent keys keep them.
///
/// ```toml
/// file_mb = 50            # 单个文件大小上限（MB）
/// part_mb = 32            # 压缩包内单个部件解压后上限（MB）
/// package_mb = 128        # 压缩包解压后总大小上限（MB）
/// shared_strings_mb = 16  # 共享字符串表上限（MB）
/// cells = 200000          # 单个工作表非空单元格上限
/// grid_cells = 1000000    # .xls/.ods 各工作表内容范围（行 × 列）合计上限
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsFile {
    /// Largest input file, in MB.
    pub file_mb: Option<u64>,
    /// Largest uncompressed part of a zip package, in MB.
    pub part_mb: Option<u64>,
    /// Largest uncompressed zip package, in MB.
    pub package_mb: Option<u64>,
    /// Largest uncompressed shared-strings table, in MB.
    pub shared_strings_mb: Option<u64>,
    /// Most non-empty cells in one sheet.
    pub cells: Option<usize>,
    /// Largest grid (rows × columns) an .xls or .ods may need.
    pub grid_cells: Option<u64>,
}

/// Why a limits file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LimitsError {
    /// The file could not be read.
    #[error("无法读取读取上限文件 {path}：{}", crate::issue::describe_io(source))]
    Io {
        /// The file as given.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Not TOML of the expected keys.
    #[error("读取上限文件 {path} 格式有误：{message}")]
    Syntax {
        /// The file as given.
        path: String,
        /// What the parser said.
        message: String,
    },
    /// A limit of zero would refuse every file.
    #[error("读取上限文件 {path} 中 {key} 有误：必须大于 0")]
    Zero {
        /// The file as given.
        path: String,
        /// The key.
        key: &'static str,
    },
}

impl LimitsFile {
    /// Reads a limits file and applies it to the defaults.
    pub fn load(path: &Path) -> Result<Limits, LimitsError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| LimitsError::Io {
            path: shown.clone(),
            source,
        })?;
        let file: LimitsFile = toml::from_str(&text).map_err(|e| LimitsError::Syntax {
            path: shown.clone(),
            message: e.message().to_string(),
        })?;
        if let Some(key) = file.first_zero() {
            return Err(LimitsError::Zero { path: shown, key });
        }
        Ok(file.apply(Limits::default()))
    }

    /// The defaults with these overrides.
    pub fn apply(&self, base: Limits) -> Limits {
        const MB: u64 = 1024 * 1024;
        let mb = |v: Option<u64>, d: u64| v.map_or(d, |v| v.saturating_mul(MB));
        Limits {
            max_file_bytes: mb(self.file_mb, base.max_file_bytes),
            max_part_bytes: mb(self.part_mb, base.max_part_bytes),
            max_package_bytes: mb(self.package_mb, base.max_package_bytes),
            max_shared_strings_bytes: mb(self.shared_strings_mb, base.max_shared_strings_bytes),
            max_cells: self.cells.unwrap_or(base.max_cells),
            max_grid_cells: self.grid_cells.unwrap_or(base.max_grid_cells),
        }
    }

    fn first_zero(&self) -> Option<&'static str> {
        let l = self;
        [
            ("file_mb", l.file_mb),
            ("part_mb", l.part_mb),
            ("package_mb", l.package_mb),
            ("shared_strings_mb", l.shared_strings_mb),
            ("cells", l.cells.map(|c| c as u64)),
            ("grid_cells", l.grid_cells),
        ]
        .into_iter()
        .find(|(_, v)| *v == Some(0))
        .map(|(k, _)| k)
    }
}
