//! Atomic writes: a reader (or a failed run) never sees half a cluster.
//!
//! `k8s/<cluster>/` is written as a whole into a hidden temporary sibling,
//! then renamed into place (the previous directory is moved aside first and
//! removed after), so a snapshot holds either the previous collection or
//! the new one. `snapshot.toml` is written to a temporary file and renamed.
//! The temporaries start with `.`, which snapshot loading skips.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::KubeError;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KubeError {
    let path = path.to_path_buf();
    move |source| KubeError::Write { path, source }
}

/// Replaces directory `dir` with exactly `files` (name → bytes).
pub fn replace_dir(dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<(), KubeError> {
    let parent = dir.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let name = dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.tmp-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    let result = (|| {
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        std::fs::create_dir(&tmp).map_err(io(&tmp))?;
        for (rel, bytes) in files {
            let path = tmp.join(rel);
            let mut f = std::fs::File::create(&path).map_err(io(&path))?;
            f.write_all(bytes).map_err(io(&path))?;
            f.sync_all().map_err(io(&path))?;
        }
        match std::fs::symlink_metadata(dir) {
            Ok(m) if !m.is_dir() => Err(KubeError::Write {
                path: dir.to_path_buf(),
                source: std::io::Error::other("exists and is not a directory"),
            }),
            Ok(_) => {
                if old.exists() {
                    std::fs::remove_dir_all(&old).map_err(io(&old))?;
                }
                std::fs::rename(dir, &old).map_err(io(dir))?;
                if let Err(e) = std::fs::rename(&tmp, dir) {
                    let _ = std::fs::rename(&old, dir);
                    return Err(KubeError::Write { path: dir.to_path_buf(), source: e });
                }
                std::fs::remove_dir_all(&old).map_err(io(&old))
            }
            Err(_) => std::fs::rename(&tmp, dir).map_err(io(dir)),
        }
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// Writes one file atomically (temporary sibling, then rename).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), KubeError> {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(io(&tmp))?;
        f.write_all(bytes).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
        std::fs::rename(&tmp, path).map_err(io(path))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_a_directory_whole() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("k8s").join("c");
        let mut files = BTreeMap::new();
        files.insert("a.json".to_string(), b"1".to_vec());
        files.insert("stale.json".to_string(), b"2".to_vec());
        replace_dir(&dir, &files).unwrap();
        files.remove("stale.json");
        files.insert("a.json".to_string(), b"3".to_vec());
        replace_dir(&dir, &files).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(root.path().join("k8s"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["c"]);
        let mut inside: Vec<String> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        inside.sort();
        assert_eq!(inside, ["a.json"]);
        assert_eq!(std::fs::read(dir.join("a.json")).unwrap(), b"3");
    }
}
