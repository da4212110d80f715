//! Where snapshot files come from: a directory, an embedded tree, or memory.
//! This is the only IO in ingestion.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::IngestError;

/// One file of a snapshot, with its path relative to the snapshot root
/// (always `/`-separated).
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

pub trait Source {
    /// A name for messages (the directory, or `<embedded demo>`).
    fn describe(&self) -> String;
    /// Every file, sorted by path.
    fn files(&self) -> Result<Vec<SourceFile>, Vec<IngestError>>;
}

/// A snapshot directory on disk.
pub struct DirSource {
    root: PathBuf,
}

impl DirSource {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }
}

impl Source for DirSource {
    fn describe(&self) -> String {
        self.root.display().to_string()
    }

    fn files(&self) -> Result<Vec<SourceFile>, Vec<IngestError>> {
        let meta = std::fs::metadata(&self.root)
            .map_err(|e| vec![IngestError::Layout { path: self.describe(), message: format!("cannot open: {e}") }])?;
        if !meta.is_dir() {
            return Err(vec![IngestError::Layout {
                path: self.describe(),
                message: "not a directory (a snapshot is a directory with `snapshot.toml`)".into(),
            }]);
        }
        let mut out = Vec::new();
        let mut errors = Vec::new();
        walk(&self.root, &self.root, &mut out, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<SourceFile>, errors: &mut Vec<IngestError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(IngestError::Io { path: dir.display().to_string(), message: e.to_string() });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, out, errors);
            continue;
        }
        let rel = path
            .strip_prefix(root)
            .map(|p| p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
            .unwrap_or_else(|_| path.display().to_string());
        // Only files the loader may read are loaded; others are listed so the
        // loader can warn about them.
        match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => out.push(SourceFile { path: rel, text }),
                Err(_) => out.push(SourceFile { path: rel, text: String::from("\u{0}binary") }),
            },
            Err(e) => errors.push(IngestError::Io { path: rel, message: e.to_string() }),
        }
    }
}

/// A snapshot held in memory, e.g. for tests that edit a snapshot.
#[derive(Debug, Clone, Default)]
pub struct MemSource {
    pub name: String,
    pub files: BTreeMap<String, String>,
}

impl MemSource {
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), files: BTreeMap::new() }
    }

    pub fn with(mut self, path: impl Into<String>, text: impl Into<String>) -> Self {
        self.files.insert(path.into(), text.into());
        self
    }
}

impl Source for MemSource {
    fn describe(&self) -> String {
        self.name.clone()
    }

    fn files(&self) -> Result<Vec<SourceFile>, Vec<IngestError>> {
        Ok(self.files.iter().map(|(p, t)| SourceFile { path: p.clone(), text: t.clone() }).collect())
    }
}
