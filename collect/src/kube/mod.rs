//! Kubernetes collector: everything netprove ingests for one cluster, read
//! live with the kube client, written as `k8s/<cluster>/<plural>.json`
//! Lists (the shape of `kubectl get <plural> -A -o json`), plus the
//! cluster's `[[cluster]]` entry in `snapshot.toml` with the VPC CNI
//! settings read from the `aws-node` DaemonSet.
//!
//! Flow: kubeconfig → client → API discovery ([`discovery`]) → paginated
//! lists ([`api`]) → deterministic files ([`normalize`]) → CNI settings
//! ([`cni`]) → snapshot.toml edit ([`snapshot_toml`]) → atomic writes
//! ([`write`]). Nothing is written unless everything required was read.
//! See docs/collect-kube.md.

mod api;
mod cni;
mod discovery;
mod normalize;
mod snapshot_toml;
mod write;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use k8s_openapi::api::apps::v1::DaemonSet;
use serde_json::Value;

use discovery::Role;

/// Arguments of `netprove-collect kube`.
#[derive(Debug, Clone, clap::Args)]
pub struct KubeArgs {
    /// The snapshot directory to write (created if absent); the cluster goes
    /// to `DIR/k8s/NAME/`, which is replaced as a whole.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The cluster's name in the snapshot (`k8s/NAME`, `[[cluster]] name`).
    #[arg(long, value_name = "NAME")]
    pub cluster: String,
    /// The kubeconfig context to use (default: the current context).
    #[arg(long, value_name = "CTX")]
    pub context: Option<String>,
    /// The kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or the
    /// in-cluster service account).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// The VPC that gives pods their IPs, recorded in snapshot.toml.
    #[arg(long, value_name = "vpc-ID")]
    pub vpc: Option<String>,
    /// The cluster's AWS account id, recorded in snapshot.toml.
    #[arg(long, value_name = "ACCOUNT")]
    pub account: Option<String>,
    /// The cluster's AWS region, recorded in snapshot.toml.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
}

/// Why a collection failed. Every variant names what was being read and,
/// for API errors, the exact path requested.
#[derive(Debug, thiserror::Error)]
pub enum KubeError {
    #[error("invalid {flag} `{value}`: {message}")]
    Usage { flag: &'static str, value: String, message: String },
    #[error("kubeconfig{}: {message}", source_desc.as_deref().map(|s| format!(" `{s}`")).unwrap_or_default())]
    Config { source_desc: Option<String>, message: String },
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("{what}: GET {path} failed: {message}")]
    Transport { what: String, path: String, message: String },
    #[error("{what}: GET {path} answered {status}")]
    Http { what: String, path: String, status: String },
    #[error("{what}: GET {path}: {message}")]
    Decode { what: String, path: String, message: String },
    #[error("{what}: the API server does not serve it in {api} (discovery: GET {path})")]
    MissingApi { what: String, api: String, path: String },
    #[error("{}: {message}", path.display())]
    SnapshotToml { path: PathBuf, message: String },
    #[error("cannot write `{}`: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
}

/// The namespace and name of the VPC CNI DaemonSet.
const AWS_NODE_PATH: &str = "/apis/apps/v1/namespaces/kube-system/daemonsets/aws-node";

/// Collects and writes the cluster's objects; returns the summary.
pub fn run(args: &KubeArgs) -> Result<String, KubeError> {
    validate(args)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(KubeError::Runtime)?;
    let collected = runtime.block_on(collect(args))?;

    // Prepare snapshot.toml before writing anything, so that a file we
    // cannot edit leaves the snapshot untouched.
    std::fs::create_dir_all(&args.out).map_err(|source| KubeError::Write { path: args.out.clone(), source })?;
    let toml_path = args.out.join("snapshot.toml");
    let existing = match std::fs::read_to_string(&toml_path) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(KubeError::SnapshotToml { path: toml_path, message: e.to_string() }),
    };
    let entry = snapshot_toml::Entry {
        name: &args.cluster,
        vpc: args.vpc.as_deref(),
        account: args.account.as_deref(),
        region: args.region.as_deref(),
        cni: &collected.cni,
    };
    let edit = snapshot_toml::update(existing.as_deref(), &snapshot_name(&args.out), &entry)
        .map_err(|message| KubeError::SnapshotToml { path: toml_path.clone(), message })?;

    let cluster_dir = args.out.join("k8s").join(&args.cluster);
    write::replace_dir(&cluster_dir, &collected.files)?;
    if existing.as_deref() != Some(edit.text.as_str()) {
        write::write_file(&toml_path, edit.text.as_bytes())?;
    }
    Ok(summary(args, &cluster_dir, &collected, &edit))
}

fn validate(args: &KubeArgs) -> Result<(), KubeError> {
    let c = args.cluster.as_str();
    let bad = c.is_empty()
        || c.starts_with('.')
        || c.contains(['/', '\\'])
        || c.chars().any(|ch| ch.is_control() || ch.is_whitespace());
    if bad {
        return Err(KubeError::Usage {
            flag: "--cluster",
            value: c.into(),
            message: "must be a non-empty directory name, without `/`, spaces, or a leading `.`".into(),
        });
    }
    if let Some(v) = &args.vpc {
        let ok = v.strip_prefix("vpc-").is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()));
        if !ok {
            return Err(KubeError::Usage {
                flag: "--vpc",
                value: v.clone(),
                message: "expected a VPC id (`vpc-` and hex digits)".into(),
            });
        }
    }
    if let Some(a) = &args.account {
        if a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()) {
            return Err(KubeError::Usage {
                flag: "--account",
                value: a.clone(),
                message: "expected a 12-digit AWS account id".into(),
            });
        }
    }
    if let Some(r) = &args.region {
        if r.is_empty() || !r.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(KubeError::Usage {
                flag: "--region",
                value: r.clone(),
                message: "expected an AWS region such as `us-east-1`".into(),
            });
        }
    }
    Ok(())
}

/// `name` of a new snapshot.toml: the directory's name.
fn snapshot_name(out: &Path) -> String {
    let abs = std::fs::canonicalize(out).unwrap_or_else(|_| out.to_path_buf());
    abs.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "snapshot".into())
}

/// Everything read from the cluster, ready to write.
struct Collected {
    server: String,
    /// File name → bytes.
    files: BTreeMap<String, Vec<u8>>,
    /// One row per listed resource: file, kind, item count, role.
    counts: Vec<(String, String, usize, Role)>,
    cni: cni::CniSettings,
    notes: Vec<String>,
    warnings: Vec<String>,
}

async fn collect(args: &KubeArgs) -> Result<Collected, KubeError> {
    let config = load_config(args).await?;
    let server = config.cluster_url.to_string();
    let client = kube::Client::try_from(config)
        .map_err(|e| KubeError::Config { source_desc: None, message: format!("cannot build a client: {e}") })?;
    let api = api::ApiClient::new(client);

    let plan = discovery::plan(&api).await?;
    let mut notes = plan.notes.clone();
    let mut warnings = plan.warnings.clone();
    let mut files = BTreeMap::new();
    let mut counts = Vec::new();
    for r in &plan.resources {
        let what = r.qualified();
        let path = r.path();
        let items = match api.list(&what, &path).await? {
            Ok(items) => items,
            Err(s) if r.role == Role::Required => return Err(discovery::http_error(&what, &s)),
            Err(s) if s.code == 404 => {
                notes.push(format!(
                    "{what}: GET {}: {} (removed since discovery): none collected",
                    s.path,
                    s.describe()
                ));
                continue;
            }
            Err(s) => {
                let consequence = match r.role {
                    Role::UnmodelledPolicy => {
                        format!("{} objects, if any, are NOT in the snapshot, so netprove cannot report them", r.kind)
                    }
                    _ => format!("{} objects are NOT in the snapshot", r.kind),
                };
                let why = if s.code == 403 { "RBAC forbids listing it" } else { "listing failed" };
                warnings.push(format!("{what}: {why} (GET {}: {}): {consequence}", s.path, s.describe()));
                continue;
            }
        };
        let api_version = r.api_version();
        let items: Vec<Value> = items.into_iter().map(|v| normalize::item(v, &api_version, &r.kind)).collect();
        if r.role == Role::UnmodelledPolicy && !items.is_empty() {
            warnings.push(format!(
                "{} {} object(s) ({}): netprove does not model them; it reports them, and results that depend \
                 on them are unknown",
                items.len(),
                r.kind,
                api_version
            ));
        }
        counts.push((r.file_name(), r.kind.clone(), items.len(), r.role));
        files.insert(r.file_name(), normalize::list_file(items));
    }

    let has_sgps = counts.iter().any(|(_, kind, n, _)| kind == "SecurityGroupPolicy" && *n > 0);
    let cni = match api.get("aws-node DaemonSet", AWS_NODE_PATH).await? {
        Ok(v) => match serde_json::from_value::<DaemonSet>(v) {
            Ok(ds) => {
                let engines = other_engines(&plan);
                cni::infer(&ds, &engines, has_sgps)
            }
            Err(e) => {
                warnings.push(format!("GET {AWS_NODE_PATH}: not a DaemonSet ({e}): no VPC CNI settings inferred"));
                cni::CniSettings::default()
            }
        },
        Err(s) if s.code == 404 => {
            notes.push(
                "no aws-node DaemonSet in kube-system (not the Amazon VPC CNI, or EKS Auto Mode): \
                 no VPC CNI settings inferred; set them in snapshot.toml by hand"
                    .into(),
            );
            cni::CniSettings::default()
        }
        Err(s) => {
            let why = if s.code == 403 { "RBAC forbids reading it" } else { "reading it failed" };
            warnings.push(format!(
                "aws-node DaemonSet: {why} (GET {AWS_NODE_PATH}: {}): no VPC CNI settings inferred; \
                 check them in snapshot.toml",
                s.describe()
            ));
            cni::CniSettings::default()
        }
    };
    Ok(Collected { server, files, counts, cni, notes, warnings })
}

fn other_engines(plan: &discovery::Plan) -> Vec<String> {
    discovery::OTHER_POLICY_ENGINES
        .iter()
        .filter(|(group, _)| plan.groups.contains_key(*group))
        .map(|(group, engine)| format!("{engine} ({group})"))
        .collect()
}

async fn load_config(args: &KubeArgs) -> Result<kube::Config, KubeError> {
    use kube::config::{KubeConfigOptions, Kubeconfig};
    let options = KubeConfigOptions { context: args.context.clone(), cluster: None, user: None };
    match (&args.kubeconfig, &args.context) {
        (Some(path), _) => {
            let desc = Some(path.display().to_string());
            let kubeconfig = Kubeconfig::read_from(path)
                .map_err(|e| KubeError::Config { source_desc: desc.clone(), message: e.to_string() })?;
            kube::Config::from_custom_kubeconfig(kubeconfig, &options)
                .await
                .map_err(|e| KubeError::Config { source_desc: desc, message: e.to_string() })
        }
        (None, Some(_)) => kube::Config::from_kubeconfig(&options)
            .await
            .map_err(|e| KubeError::Config { source_desc: None, message: e.to_string() }),
        (None, None) => {
            kube::Config::infer().await.map_err(|e| KubeError::Config { source_desc: None, message: e.to_string() })
        }
    }
}

fn summary(args: &KubeArgs, cluster_dir: &Path, c: &Collected, edit: &snapshot_toml::Edit) -> String {
    let mut s = String::new();
    let total: usize = c.counts.iter().map(|r| r.2).sum();
    let _ = writeln!(
        s,
        "kube: cluster `{}` from {}: {} objects in {} files under {}",
        args.cluster,
        c.server,
        total,
        c.files.len(),
        cluster_dir.display()
    );
    let width = c.counts.iter().map(|r| r.0.len()).max().unwrap_or(0);
    for (file, kind, n, role) in &c.counts {
        let tag = match role {
            Role::Required => "",
            Role::Optional => "  (CRD)",
            Role::UnmodelledPolicy => "  (not modelled by netprove)",
        };
        let _ = writeln!(s, "  {file:<width$}  {n:>6} {kind}{tag}");
    }
    let _ = writeln!(s, "snapshot.toml: {}:", edit.action);
    let given = [("vpc", &args.vpc), ("account", &args.account), ("region", &args.region)];
    for (key, v) in given {
        if let Some(v) = v {
            let _ = writeln!(s, "  {key} = {v:?}  (--{key})");
        }
    }
    let cni = &c.cni;
    if let Some(i) = &cni.external_snat {
        let _ = writeln!(s, "  external_snat = {}  ({})", i.value, i.source);
    }
    if let Some(i) = &cni.exclude_snat_cidrs {
        let _ = writeln!(s, "  exclude_snat_cidrs = {:?}  ({})", i.value, i.source);
    }
    if let Some(i) = &cni.pod_security_group_enforcing_mode {
        let _ = writeln!(s, "  pod_security_group_enforcing_mode = {:?}  ({})", i.value, i.source);
    }
    if let Some(i) = &cni.network_policy_enforcement {
        let _ = writeln!(s, "  network_policy_enforcement = {}  ({})", i.value, i.source);
    }
    let notes: Vec<&String> = c.notes.iter().chain(&cni.notes).chain(&edit.notes).collect();
    if !notes.is_empty() {
        let _ = writeln!(s, "notes:");
        for n in notes {
            let _ = writeln!(s, "  - {n}");
        }
    }
    if !c.warnings.is_empty() {
        let _ = writeln!(s, "warnings:");
        for w in &c.warnings {
            let _ = writeln!(s, "  - {w}");
        }
    }
    s.trim_end().to_string()
}
