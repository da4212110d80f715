//! Choosing and loading a snapshot: a directory, or the embedded demo.

use include_dir::{include_dir, Dir, DirEntry};
use netprove_models::ingest::{DirSource, IngestError, IngestErrors, Source, SourceFile};
use netprove_models::{load_snapshot, Snapshot};

static DEMO: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../snapshots/demo");

/// The demo snapshot compiled into the binary (`snapshots/demo`).
pub struct EmbeddedDemo;

impl Source for EmbeddedDemo {
    fn describe(&self) -> String {
        "<embedded demo>".into()
    }

    fn files(&self) -> Result<Vec<SourceFile>, Vec<IngestError>> {
        let mut out = Vec::new();
        collect(&DEMO, &mut out);
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }
}

fn collect(dir: &Dir<'_>, out: &mut Vec<SourceFile>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(d) => collect(d, out),
            DirEntry::File(f) => {
                let path = f.path().to_string_lossy().replace('\\', "/");
                if let Some(text) = f.contents_utf8() {
                    out.push(SourceFile { path, text: text.to_string() });
                }
            }
        }
    }
}

/// Where a snapshot comes from, as given on the command line.
#[derive(Debug, Clone)]
pub enum SnapshotArg {
    Demo,
    Dir(std::path::PathBuf),
}

impl SnapshotArg {
    /// `None` or `@demo` means the embedded demo.
    pub fn parse(arg: Option<&str>) -> SnapshotArg {
        match arg {
            None | Some("@demo") => SnapshotArg::Demo,
            Some(p) => SnapshotArg::Dir(p.into()),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            SnapshotArg::Demo => EmbeddedDemo.describe(),
            SnapshotArg::Dir(p) => p.display().to_string(),
        }
    }

    pub fn load(&self) -> Result<Snapshot, IngestErrors> {
        match self {
            SnapshotArg::Demo => load_snapshot(&EmbeddedDemo),
            SnapshotArg::Dir(p) => load_snapshot(&DirSource::new(p)),
        }
    }
}
