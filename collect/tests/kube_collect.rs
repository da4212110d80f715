//! End-to-end tests of `netprove-collect kube`: the real binary, the real
//! kube client (hyper, tower, kubeconfig loading, bearer-token auth) talking
//! plain HTTP to a loopback server that answers with API-server-shaped
//! responses from `tests/data/kube/` (see `gen_fixtures.py` there), and the
//! output loaded back with netprove's own ingestion.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use netprove_models::ingest::{load_snapshot, DirSource};
use netprove_models::model::k8s::{NpPeer, NpPort, PortRef, SgEnforcingMode};
use netprove_models::model::WarningKind;
use serde_json::Value;

const TOKEN: &str = "test-token-7f3a";
/// The continue token of the first pods page (see gen_fixtures.py).
const PODS_CONTINUE: &str = "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NzE4MjA0LCJzdGFydCI6InRlbmFudC1hL3BheW1lbnRzLTVkOWY3YzZiOC1hYmNkZVx1MDAwMCJ9+/=";

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kube")
}

/// How the server misbehaves, per path (without query).
#[derive(Clone, Default)]
struct Behaviour {
    /// path → HTTP status answered instead of the data.
    fail: BTreeMap<String, u16>,
    /// API groups left out of `/apis`.
    hide_groups: Vec<String>,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    target: String,
    authorization: Option<String>,
}

/// A loopback HTTP/1.1 server (keep-alive, one thread per connection).
struct ApiServer {
    port: u16,
    log: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    accept: Option<std::thread::JoinHandle<()>>,
}

impl ApiServer {
    fn start(behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log2, stop2) = (log.clone(), stop.clone());
        let accept = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (log, behaviour) = (log2.clone(), behaviour.clone());
                std::thread::spawn(move || serve_connection(stream, &log, &behaviour));
            }
        });
        Self { port, log, stop, accept: Some(accept) }
    }

    fn requests(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

fn serve_connection(stream: TcpStream, log: &Mutex<Vec<Seen>>, behaviour: &Behaviour) {
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let mut parts = line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
        let mut authorization = None;
        let mut content_length = 0usize;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                match k.trim().to_ascii_lowercase().as_str() {
                    "authorization" => authorization = Some(v.trim().to_string()),
                    "content-length" => content_length = v.trim().parse().unwrap_or(0),
                    _ => {}
                }
            }
        }
        let mut body = vec![0; content_length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        log.lock().unwrap().push(Seen { method: method.clone(), target: target.clone(), authorization });
        let (code, body) = respond(&method, &target, behaviour);
        let reason = match code {
            200 => "OK",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            410 => "Gone",
            _ => "Internal Server Error",
        };
        let head = format!(
            "HTTP/1.1 {code} {reason}\r\nAudit-Id: 5a1d7c2e-0f4b-4a8e-9d3c-2b7e6f1a0c94\r\nCache-Control: no-cache, private\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        if writer.write_all(head.as_bytes()).and_then(|_| writer.write_all(&body)).is_err() {
            return;
        }
    }
}

fn status(code: u16, reason: &str, message: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": reason, "details": {}, "code": code
    }))
    .unwrap()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn respond(method: &str, target: &str, behaviour: &Behaviour) -> (u16, Vec<u8>) {
    if method != "GET" {
        return (405, status(405, "MethodNotAllowed", "the collector must only read"));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let params: BTreeMap<String, String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), percent_decode(v))
        })
        .collect();
    if let Some(&code) = behaviour.fail.get(path) {
        let (reason, message) = match code {
            403 => (
                "Forbidden",
                format!("{path} is forbidden: User \"netprove-collector\" cannot list resource at the cluster scope"),
            ),
            _ => (
                "InternalError",
                "an error on the server (\"etcdserver: request timed out\") has prevented the request from succeeding"
                    .to_string(),
            ),
        };
        return (code, status(code, reason, &message));
    }
    let base = data_dir().join(path.trim_start_matches('/').replace('/', "__"));
    let single = PathBuf::from(format!("{}.json", base.display()));
    if let Ok(text) = std::fs::read(&single) {
        if path == "/apis" && !behaviour.hide_groups.is_empty() {
            let mut v: Value = serde_json::from_slice(&text).unwrap();
            let groups = v["groups"].as_array_mut().unwrap();
            groups.retain(|g| !behaviour.hide_groups.iter().any(|h| g["name"] == h.as_str()));
            return (200, serde_json::to_vec(&v).unwrap());
        }
        return (200, text);
    }
    // A paginated list: page files linked by their continue tokens.
    let pages: Vec<Value> = (1..)
        .map_while(|n| std::fs::read(format!("{}.page{n}.json", base.display())).ok())
        .map(|b| serde_json::from_slice(&b).unwrap())
        .collect();
    if !pages.is_empty() {
        let index = match params.get("continue") {
            None => 0,
            Some(token) => match pages.iter().position(|p| p["metadata"]["continue"] == token.as_str()) {
                Some(i) => i + 1,
                None => {
                    return (
                        410,
                        status(
                            410,
                            "Expired",
                            "The provided continue parameter is too old to display a consistent list result.",
                        ),
                    )
                }
            },
        };
        return (200, serde_json::to_vec(&pages[index]).unwrap());
    }
    (404, status(404, "NotFound", "the server could not find the requested resource"))
}

fn kubeconfig(dir: &Path, port: u16) -> PathBuf {
    let path = dir.join(format!("kubeconfig-{port}"));
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: loopback\n  cluster:\n    server: http://127.0.0.1:{port}\n\
         contexts:\n- name: other\n  context:\n    cluster: nowhere\n    user: nobody\n\
         - name: test-ctx\n  context:\n    cluster: loopback\n    user: collector\n\
         current-context: other\nusers:\n- name: collector\n  user:\n    token: {TOKEN}\n"
    );
    std::fs::write(&path, text).unwrap();
    path
}

fn collect(kubeconfig: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_netprove-collect"));
    cmd.arg("kube")
        .arg("--out")
        .arg(out)
        .args(["--cluster", "prod-east", "--context", "test-ctx", "--kubeconfig"])
        .arg(kubeconfig)
        .args(extra);
    for var in ["KUBECONFIG", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "NO_PROXY"] {
        cmd.env_remove(var);
    }
    cmd.output().unwrap()
}

/// Every file under `dir`, relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(p.strip_prefix(root).unwrap().display().to_string(), std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

const EXISTING_TOML: &str = r#"name = "estate"
captured_at = 2026-11-20T09:00:00Z

[[cluster]]
name = "prod-west"                     # kept: another cluster
vpc = "vpc-07dbca6e8e69528a7"
external_snat = true
pod_security_group_enforcing_mode = "standard"
network_policy_enforcement = true
"#;

#[test]
fn collects_a_cluster_that_netprove_loads() {
    let server = ApiServer::start(Behaviour::default());
    let tmp = tempfile::tempdir().unwrap();
    let kc = kubeconfig(tmp.path(), server.port);
    let out = tmp.path().join("snap");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("snapshot.toml"), EXISTING_TOML).unwrap();
    let args = ["--vpc", "vpc-04a76cc79dee28f4a", "--account", "111111111111", "--region", "us-east-1"];

    let run = collect(&kc, &out, &args);
    let summary = String::from_utf8_lossy(&run.stderr).to_string();
    assert!(run.status.success(), "collector failed: {summary}");

    // What was asked for: discovery, every list with a page size, both pod
    // pages, the aws-node DaemonSet; nothing else (PolicyEndpoints are
    // derived from NetworkPolicies; v1alpha1 of vpcresources has no SGPs).
    let requests = server.requests();
    assert!(requests.iter().all(|r| r.method == "GET"), "{requests:?}");
    assert!(
        requests.iter().all(|r| r.authorization.as_deref() == Some(&format!("Bearer {TOKEN}"))),
        "every request carries the kubeconfig token: {requests:?}"
    );
    let asked: BTreeSet<String> = requests.iter().map(|r| r.target.clone()).collect();
    let encoded = PODS_CONTINUE.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D");
    let want: BTreeSet<String> = [
        "/api",
        "/api/v1",
        "/apis",
        "/apis/discovery.k8s.io/v1",
        "/apis/networking.k8s.io/v1",
        "/apis/vpcresources.k8s.aws/v1beta1",
        "/apis/policy.networking.k8s.io/v1alpha1",
        "/apis/networking.k8s.aws/v1alpha1",
        "/api/v1/namespaces?limit=500",
        "/api/v1/nodes?limit=500",
        "/api/v1/pods?limit=500",
        &format!("/api/v1/pods?limit=500&continue={encoded}"),
        "/api/v1/services?limit=500",
        "/api/v1/serviceaccounts?limit=500",
        "/apis/discovery.k8s.io/v1/endpointslices?limit=500",
        "/apis/networking.k8s.io/v1/networkpolicies?limit=500",
        "/apis/vpcresources.k8s.aws/v1beta1/securitygrouppolicies?limit=500",
        "/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies?limit=500",
        "/apis/policy.networking.k8s.io/v1alpha1/baselineadminnetworkpolicies?limit=500",
        "/apis/apps/v1/namespaces/kube-system/daemonsets/aws-node",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    assert_eq!(asked, want, "requested paths");

    // The files, shaped like `kubectl get -A -o json`.
    let cluster_dir = out.join("k8s/prod-east");
    let mut files: Vec<String> =
        std::fs::read_dir(&cluster_dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    files.sort();
    assert_eq!(
        files,
        [
            "adminnetworkpolicies.policy.networking.k8s.io.json",
            "baselineadminnetworkpolicies.policy.networking.k8s.io.json",
            "endpointslices.json",
            "namespaces.json",
            "networkpolicies.json",
            "nodes.json",
            "pods.json",
            "securitygrouppolicies.json",
            "serviceaccounts.json",
            "services.json",
        ]
    );
    let pods: Value = serde_json::from_slice(&std::fs::read(cluster_dir.join("pods.json")).unwrap()).unwrap();
    assert_eq!((pods["apiVersion"].as_str(), pods["kind"].as_str()), (Some("v1"), Some("List")));
    let items = pods["items"].as_array().unwrap();
    let keys: Vec<String> = items
        .iter()
        .map(|p| {
            format!("{}/{}", p["metadata"]["namespace"].as_str().unwrap(), p["metadata"]["name"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        keys,
        [
            "kube-system/aws-node-7kx2d",
            "kube-system/coredns-789f8477df-5xq2m",
            "tenant-a/payments-5d9f7c6b8-abcde",
            "tenant-a/web-txtv82hx9r-42fkg",
            "tenant-b/api-vljlh6bh9l-dqn94",
        ],
        "both pages, sorted by namespace/name"
    );
    for p in items {
        assert_eq!((p["apiVersion"].as_str(), p["kind"].as_str()), (Some("v1"), Some("Pod")));
        assert!(p["metadata"].get("managedFields").is_none() && p["metadata"].get("resourceVersion").is_none());
    }
    let nodes = std::fs::read_to_string(cluster_dir.join("nodes.json")).unwrap();
    assert!(!nodes.contains("lastHeartbeatTime") && !nodes.contains("sizeBytes"), "volatile node status stripped");
    assert!(nodes.contains("lastTransitionTime"));

    // The summary says what was collected and inferred, and where from.
    for needle in [
        "pods.json",
        "5 Pod",
        "adminnetworkpolicies.policy.networking.k8s.io.json",
        "not modelled by netprove",
        "snapshot.toml: added [[cluster]] `prod-east`:",
        "external_snat = false  (aws-node container `aws-node` env AWS_VPC_K8S_CNI_EXTERNALSNAT=\"false\")",
        "exclude_snat_cidrs = [\"10.50.0.0/16\", \"192.168.100.0/24\"]",
        "pod_security_group_enforcing_mode = \"standard\"",
        "network_policy_enforcement = true  (aws-node container `aws-eks-nodeagent` arg `--enable-network-policy=true`)",
        "1 AdminNetworkPolicy object(s)",
    ] {
        assert!(summary.contains(needle), "summary lacks {needle:?}:\n{summary}");
    }

    // snapshot.toml: this cluster added with what was given and inferred;
    // the other cluster, the name and captured_at kept, byte for byte.
    let toml = std::fs::read_to_string(out.join("snapshot.toml")).unwrap();
    assert!(toml.starts_with(EXISTING_TOML), "the existing entries are kept:\n{toml}");
    assert_eq!(
        &toml[EXISTING_TOML.len()..],
        "\n[[cluster]]\nname = \"prod-east\"\nvpc = \"vpc-04a76cc79dee28f4a\"\naccount = \"111111111111\"\n\
         region = \"us-east-1\"\nexternal_snat = false\nexclude_snat_cidrs = [\"10.50.0.0/16\", \"192.168.100.0/24\"]\n\
         pod_security_group_enforcing_mode = \"standard\"\nnetwork_policy_enforcement = true\n"
    );

    // netprove reads it.
    let snap = load_snapshot(&DirSource::new(&out)).unwrap_or_else(|e| panic!("ingestion failed: {e:?}"));
    assert_eq!(snap.config.name, "estate");
    assert_eq!(snap.network.clusters.len(), 2, "prod-west's entry is still configured");
    let c = &snap.network.clusters["prod-east"];
    assert_eq!(c.vpc_id.as_deref(), Some("vpc-04a76cc79dee28f4a"));
    assert_eq!((c.account.as_deref(), c.region.as_deref()), (Some("111111111111"), Some("us-east-1")));
    assert!(!c.external_snat);
    assert_eq!(
        c.exclude_snat_cidrs.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
        ["10.50.0.0/16", "192.168.100.0/24"]
    );
    assert_eq!(c.sg_enforcing_mode, SgEnforcingMode::Standard);
    assert!(c.network_policy_enforcement);

    assert_eq!(c.namespaces.len(), 4);
    assert_eq!(c.nodes.len(), 2);
    assert_eq!(c.pods.len(), 5, "both pages of pods");
    let web = &c.pods["tenant-a/web-txtv82hx9r-42fkg"];
    assert_eq!(web.ip.map(|i| i.to_string()).as_deref(), Some("10.10.71.5"));
    assert_eq!(web.labels.get("app").map(String::as_str), Some("web"));
    assert_eq!(web.node_name.as_deref(), Some("ip-10-10-70-12.ec2.internal"));
    let api = &c.pods["tenant-b/api-vljlh6bh9l-dqn94"];
    assert_eq!(api.ip.map(|i| i.to_string()).as_deref(), Some("10.10.47.71"));
    assert_eq!(api.ready, Some(false));
    assert!(c.pods["kube-system/aws-node-7kx2d"].host_network);

    assert_eq!(c.services.len(), 4);
    let web_svc = &c.services["tenant-a/web"];
    let eps: Vec<String> = web_svc.endpoints.iter().flatten().map(|e| e.ip.to_string()).collect();
    assert_eq!(eps, ["10.10.71.5"], "EndpointSlices joined to their Service");

    assert_eq!(c.network_policies.len(), 3);
    let np = &c.network_policies["tenant-b/allow-egress-internal"];
    assert!(np.ingress.is_none());
    let egress = np.egress.as_ref().unwrap();
    assert_eq!(egress.len(), 2);
    let peers = egress[0].peers.as_ref().unwrap();
    match &peers[0] {
        NpPeer::IpBlock { cidr, except } => {
            assert_eq!(cidr.to_string(), "10.0.0.0/8");
            assert_eq!(except.iter().map(|e| e.to_string()).collect::<Vec<_>>(), ["10.10.0.0/24"]);
        }
        other => panic!("expected an ipBlock, got {other:?}"),
    }
    let ports = egress[0].ports.as_ref().unwrap();
    assert_eq!(ports.len(), 2);
    assert!(matches!(ports[0], NpPort { port: Some(PortRef::Number(5432)), end_port: None, .. }));
    assert!(matches!(ports[1], NpPort { port: Some(PortRef::Number(8000)), end_port: Some(8100), .. }));
    let web_np = &c.network_policies["tenant-a/web-from-alb"];
    let ingress = web_np.ingress.as_ref().unwrap();
    assert!(matches!(&ingress[0].ports.as_ref().unwrap()[0].port, Some(PortRef::Name(n)) if n == "http"));

    let sgp = &c.security_group_policies["tenant-a/payments-sgp"];
    assert_eq!(sgp.group_ids, ["sg-0227a38b2e999072c", "sg-0f4b487e1b4fbd914"]);
    assert_eq!(
        c.service_account_labels("tenant-a", "payments").and_then(|l| l.get("role")).map(String::as_str),
        Some("payments")
    );

    // The AdminNetworkPolicy is reported, not dropped.
    let anp: Vec<_> = snap
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::Unsupported && w.message.contains("AdminNetworkPolicy"))
        .collect();
    assert_eq!(anp.len(), 1, "{:#?}", snap.warnings);
    assert_eq!(anp[0].file, "k8s/prod-east/adminnetworkpolicies.policy.networking.k8s.io.json");
    assert!(anp[0].message.contains("not reflected") && anp[0].message.contains("unknown"), "{}", anp[0].message);
    // The snapshot has no AWS part, so nodes' instances, SGPs' security
    // groups and the clusters' VPCs dangle; nothing inside the cluster may.
    let unexpected: Vec<_> = snap
        .warnings
        .iter()
        .filter(|w| match w.kind {
            WarningKind::UnrecognizedFile => true,
            WarningKind::DanglingReference => {
                !["instance `i-", "security group `sg-", "VPC `vpc-"].iter().any(|aws| w.message.contains(aws))
            }
            _ => false,
        })
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");

    // A second collection of the same cluster is byte-identical.
    let first = tree(&out);
    let again = collect(&kc, &out, &args);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(tree(&out), first, "a second run changes nothing");
    assert!(!tree(&out).keys().any(|k| k.contains(".tmp-") || k.contains(".old-")), "no temporaries left");
}

#[test]
fn optional_kinds_forbidden_or_absent_are_said() {
    let server = ApiServer::start(Behaviour {
        fail: [("/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies".to_string(), 403)].into(),
        hide_groups: vec!["vpcresources.k8s.aws".into()],
    });
    let tmp = tempfile::tempdir().unwrap();
    let kc = kubeconfig(tmp.path(), server.port);
    let out = tmp.path().join("fresh-snapshot");

    let run = collect(&kc, &out, &[]);
    let summary = String::from_utf8_lossy(&run.stderr).to_string();
    assert!(run.status.success(), "optional kinds do not fail the run: {summary}");
    assert!(
        summary.contains("the SecurityGroupPolicy CRD (vpcresources.k8s.aws) is not installed"),
        "missing CRD said:\n{summary}"
    );
    assert!(
        summary.contains(
            "warnings:\n  - adminnetworkpolicies.policy.networking.k8s.io: RBAC forbids listing it \
             (GET /apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies?limit=500: HTTP 403 Forbidden"
        ),
        "403 is a visible warning:\n{summary}"
    );
    assert!(summary.contains("AdminNetworkPolicy objects, if any, are NOT in the snapshot"), "{summary}");
    let asked: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert!(!asked.iter().any(|p| p.contains("vpcresources")), "{asked:?}");

    // A new snapshot.toml, named after the directory.
    let toml = std::fs::read_to_string(out.join("snapshot.toml")).unwrap();
    assert!(toml.starts_with("name = \"fresh-snapshot\"\n"), "{toml}");
    assert!(
        summary.contains("snapshot.toml: created (name = \"fresh-snapshot\"), added [[cluster]] `prod-east`:"),
        "{summary}"
    );
    assert!(!out.join("k8s/prod-east/securitygrouppolicies.json").exists());
    assert!(!out.join("k8s/prod-east/adminnetworkpolicies.policy.networking.k8s.io.json").exists());
    let snap = load_snapshot(&DirSource::new(&out)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(snap.network.clusters["prod-east"].pods.len(), 5);
}

#[test]
fn a_failing_required_kind_fails_cleanly() {
    let tmp = tempfile::tempdir().unwrap();

    // Into a new directory: nothing is created.
    let server =
        ApiServer::start(Behaviour { fail: [("/api/v1/services".to_string(), 500)].into(), ..Behaviour::default() });
    let kc = kubeconfig(tmp.path(), server.port);
    let out = tmp.path().join("new");
    let run = collect(&kc, &out, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr).to_string();
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "error: services: GET /api/v1/services?limit=500 answered HTTP 500 InternalError: an error on the server"
        ),
        "the error names the resource and path:\n{stderr}"
    );
    assert!(!out.exists(), "no partial output");

    // Over an earlier collection: it is left exactly as it was.
    let good = ApiServer::start(Behaviour::default());
    let kc_good = kubeconfig(tmp.path(), good.port);
    let out = tmp.path().join("existing");
    assert!(collect(&kc_good, &out, &[]).status.success());
    let before = tree(&out);
    let kc_bad = kubeconfig(tmp.path(), server.port);
    let run = collect(&kc_bad, &out, &["--vpc", "vpc-0123456789abcdef0"]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(tree(&out), before, "a failed run leaves the snapshot untouched");

    // An unreachable server is a clear error too.
    drop(server);
    let run = collect(&kc_bad, &out, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr).to_string();
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("GET /api failed"), "{stderr}");
    assert_eq!(tree(&out), before);
}
