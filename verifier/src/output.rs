//! Writing outputs atomically: a temporary file in the same directory, then a
//! rename, so a reader never sees a half-written report.

use std::io::Write;
use std::path::Path;

pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Why a directory tree could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TreeError {
    #[error("`{0}` exists and is not empty (use --force to replace it)")]
    NotEmpty(std::path::PathBuf),
    #[error("`{0}` exists and is not a directory")]
    NotADirectory(std::path::PathBuf),
    #[error("cannot write `{path}`: {source}")]
    Io { path: std::path::PathBuf, source: std::io::Error },
}

/// Writes `files` (relative path → contents) as the directory `dir`,
/// atomically: into a temporary sibling directory first, then renamed into
/// place, so a reader sees the old tree or the whole new one. An existing
/// non-empty `dir` is replaced only with `force`.
pub fn write_tree_atomic(
    dir: &Path,
    files: &std::collections::BTreeMap<String, Vec<u8>>,
    force: bool,
) -> Result<(), TreeError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| TreeError::Io { path, source }
    };
    let existing = match std::fs::symlink_metadata(dir) {
        Ok(m) if !m.is_dir() => return Err(TreeError::NotADirectory(dir.to_path_buf())),
        Ok(_) => Some(std::fs::read_dir(dir).map_err(io(dir))?.next().is_some()),
        Err(_) => None,
    };
    if existing == Some(true) && !force {
        return Err(TreeError::NotEmpty(dir.to_path_buf()));
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let name = dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let result = (|| {
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        for (rel, bytes) in files {
            let path = tmp.join(rel);
            if let Some(d) = path.parent() {
                std::fs::create_dir_all(d).map_err(io(d))?;
            }
            let mut f = std::fs::File::create(&path).map_err(io(&path))?;
            f.write_all(bytes).map_err(io(&path))?;
        }
        match existing {
            // An existing directory is moved aside, the new one moved in, the old one removed.
            Some(_) => {
                std::fs::rename(dir, &old).map_err(io(dir))?;
                if let Err(e) = std::fs::rename(&tmp, dir) {
                    let _ = std::fs::rename(&old, dir);
                    return Err(TreeError::Io { path: dir.to_path_buf(), source: e });
                }
                std::fs::remove_dir_all(&old).map_err(io(&old))
            }
            None => std::fs::rename(&tmp, dir).map_err(io(dir)),
        }
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}
