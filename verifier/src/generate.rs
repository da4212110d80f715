//! `netprove generate`: a synthetic, real-shaped estate whose size grows with
//! a scale factor, for benchmarks and load tests.
//!
//! The output follows the same contract as `snapshots/demo`: AWS CLI
//! `describe-*` JSON under `aws/<account>/<region>/`, kubectl Lists under
//! `k8s/<cluster>/`, and `snapshot.toml`. The estate is a hub-and-spoke
//! network: one spoke VPC (with one EKS cluster) per ten scale units, an
//! inspection VPC with an AWS Network Firewall, an egress VPC with NAT
//! gateways, and a transit gateway that sends every spoke's traffic through
//! the firewall. Each scale unit adds one tenant: a namespace with pods,
//! NetworkPolicies in the style of a multi-tenant platform, and security
//! groups for the tenant's databases, caches and instances.
//!
//! Generation is pure ([`generate`] returns the files in memory) and
//! deterministic: ids come from a hash of a stable name and the seed, every
//! choice from a seeded generator, and there are no timestamps that change.
//! Writing is done by [`crate::output::write_tree_atomic`].

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use serde_json::{json, Value};

/// The generator's knobs. `None` for a count means "scale it with `scale`".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The scale factor: one tenant per unit, one spoke VPC and cluster per
    /// ten units (rounded up).
    pub scale: u32,
    /// Seeds ids and every random choice.
    pub seed: u64,
    /// Tenant application pods in total (default 100 × scale). System pods
    /// (CoreDNS, and the `aws-node`/`kube-proxy` DaemonSets on every node)
    /// come on top.
    pub pods: Option<usize>,
    /// NetworkPolicies in total (default 10 × scale), spread over tenants:
    /// six baseline policies each, then per-app ingress policies.
    pub policies: Option<usize>,
    /// Security groups in total (default 20 × scale): four per spoke VPC and
    /// one per hub VPC, the rest spread over tenants.
    pub security_groups: Option<usize>,
    /// Applications (Deployments) per tenant.
    pub apps_per_tenant: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { scale: 1, seed: 1, pods: None, policies: None, security_groups: None, apps_per_tenant: 5 }
    }
}

/// Upper bound on `scale`: spoke VPCs are numbered 10.16.0.0/16 to 10.215.0.0/16.
pub const MAX_SCALE: u32 = 2000;
/// Pods per node (two ENIs with 14 secondary addresses each).
pub const PODS_PER_NODE: usize = 28;
/// Pods per spoke VPC: the two private /18 subnets stay under 40% full.
pub const MAX_PODS_PER_SPOKE: usize = 12_000;
/// ENIs per spoke VPC's data subnets (two /20s).
pub const MAX_DATA_ENIS_PER_SPOKE: usize = 3_000;

impl Settings {
    pub fn tenants(&self) -> usize {
        self.scale as usize
    }

    pub fn spokes(&self) -> usize {
        (self.scale as usize).div_ceil(10)
    }

    pub fn total_pods(&self) -> usize {
        self.pods.unwrap_or(100 * self.scale as usize)
    }

    pub fn total_policies(&self) -> usize {
        self.policies.unwrap_or(10 * self.scale as usize)
    }

    pub fn total_security_groups(&self) -> usize {
        self.security_groups.unwrap_or(20 * self.scale as usize)
    }

    fn validate(&self) -> Result<(), GenerateError> {
        let bad = |m: String| Err(GenerateError::Settings(m));
        if self.scale == 0 || self.scale > MAX_SCALE {
            return bad(format!("`--scale` must be between 1 and {MAX_SCALE}, not {}", self.scale));
        }
        if self.apps_per_tenant == 0 || self.apps_per_tenant > 50 {
            return bad(format!("apps per tenant must be between 1 and 50, not {}", self.apps_per_tenant));
        }
        let per_spoke = self.total_pods().div_ceil(self.spokes());
        if per_spoke > MAX_PODS_PER_SPOKE {
            return bad(format!(
                "{} pods over {} spoke VPCs is {per_spoke} per VPC; at most {MAX_PODS_PER_SPOKE} fit (raise `--scale`)",
                self.total_pods(),
                self.spokes()
            ));
        }
        let data = self.total_security_groups().div_ceil(self.spokes());
        if data > MAX_DATA_ENIS_PER_SPOKE {
            return bad(format!(
                "{} security groups over {} spoke VPCs is {data} per VPC; at most {MAX_DATA_ENIS_PER_SPOKE} fit (raise `--scale`)",
                self.total_security_groups(),
                self.spokes()
            ));
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("{0}")]
    Settings(String),
    #[error("subnet `{0}` has no free addresses left")]
    SubnetFull(String),
    #[error("cannot serialise `{path}`: {message}")]
    Serialise { path: String, message: String },
}

/// What was generated, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Sizes {
    pub vpcs: usize,
    pub subnets: usize,
    pub clusters: usize,
    pub tenants: usize,
    pub nodes: usize,
    /// Tenant application pods.
    pub app_pods: usize,
    /// Every pod, system pods included.
    pub pods: usize,
    pub network_policies: usize,
    pub security_groups: usize,
    pub security_group_rules: usize,
    pub network_acls: usize,
    pub route_tables: usize,
    pub network_interfaces: usize,
    pub instances: usize,
    pub transit_gateway_routes: usize,
    pub firewall_rules: usize,
    pub files: usize,
    pub bytes: usize,
}

/// A generated snapshot: relative path → contents, and its sizes.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: BTreeMap<String, Vec<u8>>,
    pub sizes: Sizes,
}

// ---------------------------------------------------------------------------
// ids and randomness
// ---------------------------------------------------------------------------

const ACCOUNT: &str = "111111111111";
const REGION: &str = "us-east-1";
const AZS: [(&str, &str); 2] = [("us-east-1a", "use1-az1"), ("us-east-1b", "use1-az2")];
const T_CREATE: &str = "2026-03-02T10:11:12+00:00";
const T_K8S: &str = "2026-10-20T08:15:42Z";
const ECR: &str = "111111111111.dkr.ecr.us-east-1.amazonaws.com";
const AWS_ECR: &str = "602401143452.dkr.ecr.us-east-1.amazonaws.com";
const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// SplitMix64, one stream per purpose so adding one kind of object never
/// shifts the choices made for another.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: &str) -> Rng {
        Rng(mix(seed ^ fnv1a(stream.as_bytes())))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next() % n as u64) as usize
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }

    fn name(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(NAME_ALPHABET[self.below(NAME_ALPHABET.len())])).collect()
    }
}

/// Stable ids derived from names.
struct Ids {
    seed: u64,
}

impl Ids {
    fn hash(&self, key: &str) -> u64 {
        mix(self.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ fnv1a(key.as_bytes()))
    }

    /// AWS style: `prefix-0` and 16 hex digits.
    fn rid(&self, prefix: &str, key: &str) -> String {
        format!("{prefix}-0{:016x}", self.hash(&format!("{prefix}/{key}")))
    }

    fn hex(&self, key: &str, n: usize) -> String {
        let mut s = String::new();
        let mut i = 0u64;
        while s.len() < n {
            s.push_str(&format!("{:016x}", self.hash(&format!("{key}#{i}"))));
            i += 1;
        }
        s.truncate(n);
        s
    }

    fn uuid(&self, key: &str) -> String {
        let h = self.hex(&format!("uuid/{key}"), 32);
        let (a, rest) = h.split_at(8);
        let (b, rest) = rest.split_at(4);
        let (c, rest) = rest.split_at(4);
        let (d, e) = rest.split_at(4);
        format!("{a}-{b}-4{}-{d}-{e}", &c[1..])
    }

    fn mac(&self, key: &str) -> String {
        let h = self.hex(&format!("mac/{key}"), 10);
        let parts: Vec<&str> = (0..5).map(|i| &h[2 * i..2 * i + 2]).collect();
        format!("02:{}", parts.join(":"))
    }
}

/// `total` spread over `parts`: the first `total % parts` get one more.
fn split(total: usize, parts: usize, i: usize) -> usize {
    if parts == 0 {
        return 0;
    }
    total / parts + usize::from(i < total % parts)
}

fn tags(pairs: &[(&str, &str)]) -> Value {
    let mut v: Vec<(&str, &str)> = pairs.to_vec();
    v.sort();
    Value::Array(v.into_iter().map(|(k, val)| json!({"Key": k, "Value": val})).collect())
}

fn dns_name(ip: Ipv4Addr) -> String {
    format!("ip-{}.ec2.internal", ip.to_string().replace('.', "-"))
}

fn net(a: u8, b: u8, c: u8, d: u8, len: u8) -> Ipv4Net {
    // INVARIANT: every call site passes a prefix length of at most 32.
    Ipv4Net::new(Ipv4Addr::new(a, b, c, d), len.min(32)).unwrap_or_default()
}

// ---------------------------------------------------------------------------
// the estate being built
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VpcRole {
    Spoke(usize),
    Inspection,
    Egress,
}

struct Vpc {
    name: String,
    id: String,
    cidr: Ipv4Net,
    role: VpcRole,
    /// Subnet keys (`vpc/name`).
    subnets: Vec<String>,
    tgw_attachment: String,
    igw: Option<String>,
}

struct Subnet {
    id: String,
    vpc: usize,
    name: String,
    cidr: Ipv4Net,
    az: usize,
    used: BTreeSet<u32>,
}

struct Sg {
    id: String,
    name: String,
    vpc: usize,
}

/// A node: its instance, ENIs and the pods it carries.
struct NodeInfo {
    name: String,
    ip: Ipv4Addr,
    instance_id: String,
    az: usize,
    subnet: String,
    pods: usize,
}

struct Builder {
    s: Settings,
    ids: Ids,
    vpcs: Vec<Vpc>,
    subnets: BTreeMap<String, Subnet>,
    sgs: BTreeMap<String, Sg>,
    sg_json: Vec<Value>,
    enis: Vec<Value>,
    reservations: Vec<Value>,
    nacls: Vec<Value>,
    route_tables: Vec<Value>,
    igws: Vec<Value>,
    nats: Vec<Value>,
    /// AZ index → firewall endpoint id.
    fw_endpoints: [String; 2],
    nat_ids: [String; 2],
    tgw_id: String,
    sizes: Sizes,
}

/// One ENI to build.
struct EniSpec<'a> {
    key: String,
    subnet: &'a str,
    ips: Vec<Ipv4Addr>,
    groups: Vec<String>,
    itype: &'a str,
    desc: String,
    requester: Option<&'a str>,
    service_owner: Option<&'a str>,
    public_ip: Option<Ipv4Addr>,
    source_dest_check: bool,
    tags: Vec<(String, String)>,
}

impl<'a> EniSpec<'a> {
    fn new(key: String, subnet: &'a str, ips: Vec<Ipv4Addr>, groups: Vec<String>) -> Self {
        EniSpec {
            key,
            subnet,
            ips,
            groups,
            itype: "interface",
            desc: String::new(),
            requester: None,
            service_owner: None,
            public_ip: None,
            source_dest_check: true,
            tags: Vec::new(),
        }
    }
}

fn perm(proto: &str, ports: Option<(u16, u16)>, cidrs: &[(String, &str)], groups: &[(String, &str)]) -> Value {
    let mut p = serde_json::Map::new();
    if proto != "-1" {
        let (from, to) = ports.unwrap_or((0, 65535));
        p.insert("FromPort".into(), json!(from));
        p.insert("ToPort".into(), json!(to));
    }
    p.insert("IpProtocol".into(), json!(proto));
    p.insert(
        "IpRanges".into(),
        Value::Array(
            cidrs
                .iter()
                .map(|(c, d)| if d.is_empty() { json!({"CidrIp": c}) } else { json!({"CidrIp": c, "Description": d}) })
                .collect(),
        ),
    );
    p.insert("Ipv6Ranges".into(), json!([]));
    p.insert("PrefixListIds".into(), json!([]));
    p.insert(
        "UserIdGroupPairs".into(),
        Value::Array(
            groups
                .iter()
                .map(|(g, d)| {
                    if d.is_empty() {
                        json!({"GroupId": g, "UserId": ACCOUNT})
                    } else {
                        json!({"Description": d, "GroupId": g, "UserId": ACCOUNT})
                    }
                })
                .collect(),
        ),
    );
    Value::Object(p)
}

fn egress_all() -> Value {
    perm("-1", None, &[("0.0.0.0/0".into(), "")], &[])
}

fn nacl_entry(num: u32, proto: &str, action: &str, egress: bool, cidr: &str, ports: Option<(u16, u16)>) -> Value {
    let mut e = json!({
        "CidrBlock": cidr, "Egress": egress, "Protocol": proto, "RuleAction": action, "RuleNumber": num,
    });
    if let (Some((from, to)), Some(o)) = (ports, e.as_object_mut()) {
        o.insert("PortRange".into(), json!({"From": from, "To": to}));
    }
    e
}

/// AWS prints egress entries first, each direction by rule number.
fn sort_entries(mut v: Vec<Value>) -> Vec<Value> {
    v.sort_by_key(|e| (!e["Egress"].as_bool().unwrap_or(false), e["RuleNumber"].as_u64().unwrap_or(0)));
    v
}

fn route(dest: &str, target_key: &str, target: &str) -> Value {
    let mut r = json!({"DestinationCidrBlock": dest, "Origin": "CreateRoute", "State": "active"});
    if let Some(o) = r.as_object_mut() {
        o.insert(target_key.into(), json!(target));
    }
    r
}

fn local_route(cidr: Ipv4Net) -> Value {
    json!({"DestinationCidrBlock": cidr.to_string(), "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"})
}

impl Builder {
    fn new(s: &Settings) -> Builder {
        let ids = Ids { seed: s.seed };
        let fw_endpoints = [ids.rid("vpce", "inspection-fw/a"), ids.rid("vpce", "inspection-fw/b")];
        let nat_ids = [ids.rid("nat", "egress/a"), ids.rid("nat", "egress/b")];
        let tgw_id = ids.rid("tgw", "core");
        Builder {
            s: s.clone(),
            ids,
            vpcs: Vec::new(),
            subnets: BTreeMap::new(),
            sgs: BTreeMap::new(),
            sg_json: Vec::new(),
            enis: Vec::new(),
            reservations: Vec::new(),
            nacls: Vec::new(),
            route_tables: Vec::new(),
            igws: Vec::new(),
            nats: Vec::new(),
            fw_endpoints,
            nat_ids,
            tgw_id,
            sizes: Sizes::default(),
        }
    }

    // ---- VPCs and subnets -------------------------------------------------

    fn add_vpc(&mut self, name: &str, cidr: Ipv4Net, role: VpcRole, subnets: &[(&str, Ipv4Net, usize)]) -> usize {
        let idx = self.vpcs.len();
        let mut keys = Vec::new();
        for (sname, scidr, az) in subnets {
            let key = format!("{name}/{sname}");
            self.subnets.insert(
                key.clone(),
                Subnet {
                    id: self.ids.rid("subnet", &key),
                    vpc: idx,
                    name: (*sname).to_string(),
                    cidr: *scidr,
                    az: *az,
                    used: BTreeSet::new(),
                },
            );
            keys.push(key);
        }
        let igw = match role {
            VpcRole::Spoke(_) | VpcRole::Egress => Some(self.ids.rid("igw", name)),
            VpcRole::Inspection => None,
        };
        self.vpcs.push(Vpc {
            name: name.to_string(),
            id: self.ids.rid("vpc", name),
            cidr,
            role,
            subnets: keys,
            tgw_attachment: self.ids.rid("tgw-attach", name),
            igw,
        });
        idx
    }

    fn subnet_id(&self, key: &str) -> String {
        self.subnets.get(key).map(|s| s.id.clone()).unwrap_or_default()
    }

    /// A free address in the subnet (not the first four, not the last).
    fn alloc(&mut self, key: &str, rng: &mut Rng) -> Result<Ipv4Addr, GenerateError> {
        let Some(s) = self.subnets.get_mut(key) else { return Err(GenerateError::SubnetFull(key.to_string())) };
        let lo = u32::from(s.cidr.network()) + 4;
        let hi = u32::from(s.cidr.broadcast()).saturating_sub(1);
        let size = (hi - lo + 1) as usize;
        if s.used.len() * 2 >= size {
            return Err(GenerateError::SubnetFull(key.to_string()));
        }
        loop {
            let ip = lo + rng.below(size) as u32;
            if s.used.insert(ip) {
                return Ok(Ipv4Addr::from(ip));
            }
        }
    }

    // ---- security groups ---------------------------------------------------

    fn declare_sg(&mut self, key: &str, name: &str, vpc: usize) -> String {
        let id = self.ids.rid("sg", key);
        self.sgs.insert(key.to_string(), Sg { id: id.clone(), name: name.to_string(), vpc });
        id
    }

    fn sg_id(&self, key: &str) -> String {
        self.sgs.get(key).map(|g| g.id.clone()).unwrap_or_default()
    }

    fn add_sg(&mut self, key: &str, desc: &str, ingress: Vec<Value>, egress: Vec<Value>, extra: &[(&str, &str)]) {
        let Some(g) = self.sgs.get(key) else { return };
        let vpc_id = self.vpcs.get(g.vpc).map(|v| v.id.clone()).unwrap_or_default();
        let mut t: Vec<(&str, &str)> = extra.to_vec();
        if g.name != "default" {
            t.push(("Name", &g.name));
        }
        // Counted as `inspect` does: one rule per peer of each permission.
        let peers = |p: &Value| {
            ["IpRanges", "UserIdGroupPairs", "PrefixListIds"]
                .iter()
                .map(|k| p[*k].as_array().map_or(0, Vec::len))
                .sum::<usize>()
        };
        self.sizes.security_group_rules += ingress.iter().chain(&egress).map(peers).sum::<usize>();
        self.sg_json.push(json!({
            "Description": desc,
            "GroupId": g.id,
            "GroupName": g.name,
            "IpPermissions": ingress,
            "IpPermissionsEgress": egress,
            "OwnerId": ACCOUNT,
            "SecurityGroupArn": format!("arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{}", g.id),
            "Tags": tags(&t),
            "VpcId": vpc_id,
        }));
    }

    // ---- ENIs and instances ------------------------------------------------

    fn eni(&mut self, spec: EniSpec<'_>) -> Value {
        let (subnet_id, az, vpc) = match self.subnets.get(spec.subnet) {
            Some(s) => (s.id.clone(), s.az, s.vpc),
            None => (String::new(), 0, 0),
        };
        let vpc_id = self.vpcs.get(vpc).map(|v| v.id.clone()).unwrap_or_default();
        let eni_id = self.ids.rid("eni", &spec.key);
        let assoc = |ip: Ipv4Addr| {
            json!({
                "IpOwnerId": "amazon",
                "PublicDnsName": format!("ec2-{}.compute-1.amazonaws.com", ip.to_string().replace('.', "-")),
                "PublicIp": ip.to_string(),
            })
        };
        let privs: Vec<Value> = spec
            .ips
            .iter()
            .enumerate()
            .map(|(i, ip)| {
                let mut p = json!({
                    "Primary": i == 0, "PrivateDnsName": dns_name(*ip), "PrivateIpAddress": ip.to_string(),
                });
                if let (0, Some(public), Some(o)) = (i, spec.public_ip, p.as_object_mut()) {
                    o.insert("Association".into(), assoc(public));
                }
                p
            })
            .collect();
        let primary = spec.ips.first().copied().unwrap_or(Ipv4Addr::UNSPECIFIED);
        let groups: Vec<Value> = spec
            .groups
            .iter()
            .filter_map(|k| self.sgs.get(k))
            .map(|g| json!({"GroupId": g.id, "GroupName": g.name}))
            .collect();
        let t: Vec<(&str, &str)> = spec.tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (az_name, az_id) = AZS[az % 2];
        let mut e = json!({
            "AvailabilityZone": az_name,
            "AvailabilityZoneId": az_id,
            "Description": spec.desc,
            "Groups": groups,
            "InterfaceType": spec.itype,
            "Ipv6Addresses": [],
            "MacAddress": self.ids.mac(&spec.key),
            "NetworkInterfaceId": eni_id,
            "OwnerId": ACCOUNT,
            "PrivateDnsName": dns_name(primary),
            "PrivateIpAddress": primary.to_string(),
            "PrivateIpAddresses": privs,
            "RequesterManaged": spec.requester.is_some(),
            "SourceDestCheck": spec.source_dest_check,
            "Status": "in-use",
            "SubnetId": subnet_id,
            "TagSet": tags(&t),
            "VpcId": vpc_id,
        });
        if let Some(o) = e.as_object_mut() {
            if let Some(r) = spec.requester {
                o.insert("RequesterId".into(), json!(r));
            }
            if let Some(public) = spec.public_ip {
                o.insert("Association".into(), assoc(public));
            }
            if let Some(owner) = spec.service_owner {
                o.insert(
                    "Attachment".into(),
                    json!({
                        "AttachTime": T_CREATE,
                        "AttachmentId": self.ids.rid("eni-attach", &spec.key),
                        "DeleteOnTermination": false,
                        "DeviceIndex": 1,
                        "InstanceOwnerId": owner,
                        "NetworkCardIndex": 0,
                        "Status": "attached",
                    }),
                );
            }
        }
        e
    }

    /// An EC2 instance with these ENIs (device 0 first); the ENIs get their
    /// attachment and are recorded for `describe-network-interfaces`.
    fn instance(
        &mut self,
        key: &str,
        subnet: &str,
        mut enis: Vec<Value>,
        itype: &str,
        tag_pairs: &[(&str, &str)],
    ) -> String {
        let iid = self.ids.rid("i", key);
        let (subnet_id, az, vpc) = match self.subnets.get(subnet) {
            Some(s) => (s.id.clone(), s.az, s.vpc),
            None => (String::new(), 0, 0),
        };
        let vpc_id = self.vpcs.get(vpc).map(|v| v.id.clone()).unwrap_or_default();
        let mut nis = Vec::new();
        for (dev, e) in enis.iter_mut().enumerate() {
            let att_id = self.ids.rid("eni-attach", &format!("{key}/{dev}"));
            if let Some(o) = e.as_object_mut() {
                o.insert(
                    "Attachment".into(),
                    json!({
                        "AttachTime": T_CREATE, "AttachmentId": att_id, "DeleteOnTermination": true,
                        "DeviceIndex": dev, "InstanceId": iid, "InstanceOwnerId": ACCOUNT,
                        "NetworkCardIndex": 0, "Status": "attached",
                    }),
                );
            }
            nis.push(json!({
                "Attachment": {"AttachTime": T_CREATE, "AttachmentId": att_id, "DeleteOnTermination": true,
                               "DeviceIndex": dev, "NetworkCardIndex": 0, "Status": "attached"},
                "Description": e["Description"],
                "Groups": e["Groups"],
                "InterfaceType": e["InterfaceType"],
                "Ipv6Addresses": [],
                "MacAddress": e["MacAddress"],
                "NetworkInterfaceId": e["NetworkInterfaceId"],
                "OwnerId": ACCOUNT,
                "PrivateDnsName": e["PrivateDnsName"],
                "PrivateIpAddress": e["PrivateIpAddress"],
                "PrivateIpAddresses": e["PrivateIpAddresses"],
                "SourceDestCheck": e["SourceDestCheck"],
                "Status": "in-use",
                "SubnetId": e["SubnetId"],
                "VpcId": e["VpcId"],
            }));
        }
        let primary = enis.first().cloned().unwrap_or(Value::Null);
        let (az_name, az_id) = AZS[az % 2];
        let sec_groups: Vec<Value> = primary["Groups"].as_array().cloned().unwrap_or_default();
        let inst = json!({
            "AmiLaunchIndex": 0,
            "Architecture": "x86_64",
            "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {
                "AttachTime": T_CREATE, "DeleteOnTermination": true, "Status": "attached",
                "VolumeId": self.ids.rid("vol", key)}}],
            "ClientToken": self.ids.uuid(&format!("client-token/{key}")),
            "EbsOptimized": true,
            "EnaSupport": true,
            "Hypervisor": "xen",
            "ImageId": self.ids.rid("ami", itype),
            "InstanceId": iid,
            "InstanceType": itype,
            "LaunchTime": T_CREATE,
            "MetadataOptions": {"HttpEndpoint": "enabled", "HttpPutResponseHopLimit": 2, "HttpTokens": "required",
                                "State": "applied"},
            "Monitoring": {"State": "disabled"},
            "NetworkInterfaces": nis,
            "Placement": {"AvailabilityZone": az_name, "AvailabilityZoneId": az_id, "GroupName": "",
                          "Tenancy": "default"},
            "PlatformDetails": "Linux/UNIX",
            "PrivateDnsName": primary["PrivateDnsName"],
            "PrivateIpAddress": primary["PrivateIpAddress"],
            "ProductCodes": [],
            "PublicDnsName": "",
            "RootDeviceName": "/dev/xvda",
            "RootDeviceType": "ebs",
            "SecurityGroups": sec_groups,
            "SourceDestCheck": true,
            "State": {"Code": 16, "Name": "running"},
            "StateTransitionReason": "",
            "SubnetId": subnet_id,
            "Tags": tags(tag_pairs),
            "VirtualizationType": "hvm",
            "VpcId": vpc_id,
        });
        self.reservations.push(json!({
            "Groups": [],
            "Instances": [inst],
            "OwnerId": ACCOUNT,
            "ReservationId": self.ids.rid("r", key),
        }));
        self.enis.extend(enis);
        iid
    }

    // ---- network layout ----------------------------------------------------

    fn layout(&mut self) {
        for i in 0..self.s.spokes() {
            // INVARIANT: spokes() <= MAX_SCALE / 10 = 200, so 16 + i fits in a u8 octet below 216.
            let b = u8::try_from(16 + i).unwrap_or(u8::MAX);
            let subnets = [
                ("private-a", net(10, b, 0, 0, 18), 0),
                ("private-b", net(10, b, 64, 0, 18), 1),
                ("data-a", net(10, b, 128, 0, 20), 0),
                ("data-b", net(10, b, 144, 0, 20), 1),
                ("public-a", net(10, b, 250, 0, 24), 0),
                ("public-b", net(10, b, 251, 0, 24), 1),
                ("tgw-a", net(10, b, 255, 0, 28), 0),
                ("tgw-b", net(10, b, 255, 16, 28), 1),
            ];
            self.add_vpc(&format!("spoke-{i:03}"), net(10, b, 0, 0, 16), VpcRole::Spoke(i), &subnets);
        }
        self.add_vpc(
            "inspection",
            net(10, 250, 0, 0, 16),
            VpcRole::Inspection,
            &[
                ("tgw-a", net(10, 250, 0, 0, 28), 0),
                ("tgw-b", net(10, 250, 0, 16, 28), 1),
                ("firewall-a", net(10, 250, 1, 0, 28), 0),
                ("firewall-b", net(10, 250, 1, 16, 28), 1),
            ],
        );
        self.add_vpc(
            "egress",
            net(10, 251, 0, 0, 16),
            VpcRole::Egress,
            &[
                ("public-a", net(10, 251, 0, 0, 24), 0),
                ("public-b", net(10, 251, 1, 0, 24), 1),
                ("tgw-a", net(10, 251, 255, 0, 28), 0),
                ("tgw-b", net(10, 251, 255, 16, 28), 1),
            ],
        );
        self.sizes.vpcs = self.vpcs.len();
        self.sizes.subnets = self.subnets.len();
    }

    fn spoke_name(i: usize) -> String {
        format!("spoke-{i:03}")
    }

    fn cluster_name(i: usize) -> String {
        format!("eks-{i:03}")
    }

    fn tenant_name(t: usize) -> String {
        format!("tenant-{t:03}")
    }

    // ---- route tables, NACLs, gateways --------------------------------------

    fn routing(&mut self) {
        let tgw = self.tgw_id.clone();
        let mut tables: Vec<(usize, String, Vec<String>, Vec<Value>)> = Vec::new();
        for (vi, v) in self.vpcs.iter().enumerate() {
            let sub = |n: &str| format!("{}/{n}", v.name);
            match v.role {
                VpcRole::Spoke(_) => {
                    let igw = v.igw.clone().unwrap_or_default();
                    tables.push((
                        vi,
                        "private".into(),
                        vec![sub("private-a"), sub("private-b"), sub("data-a"), sub("data-b")],
                        vec![route("0.0.0.0/0", "TransitGatewayId", &tgw)],
                    ));
                    tables.push((
                        vi,
                        "public".into(),
                        vec![sub("public-a"), sub("public-b")],
                        vec![route("0.0.0.0/0", "GatewayId", &igw), route("10.0.0.0/8", "TransitGatewayId", &tgw)],
                    ));
                    tables.push((
                        vi,
                        "tgw".into(),
                        vec![sub("tgw-a"), sub("tgw-b")],
                        vec![route("0.0.0.0/0", "TransitGatewayId", &tgw)],
                    ));
                }
                VpcRole::Inspection => {
                    for (az, letter) in ["a", "b"].iter().enumerate() {
                        tables.push((
                            vi,
                            format!("tgw-{letter}"),
                            vec![sub(&format!("tgw-{letter}"))],
                            vec![route("0.0.0.0/0", "GatewayId", &self.fw_endpoints[az])],
                        ));
                    }
                    tables.push((
                        vi,
                        "firewall".into(),
                        vec![sub("firewall-a"), sub("firewall-b")],
                        vec![route("0.0.0.0/0", "TransitGatewayId", &tgw)],
                    ));
                }
                VpcRole::Egress => {
                    let igw = v.igw.clone().unwrap_or_default();
                    tables.push((
                        vi,
                        "public".into(),
                        vec![sub("public-a"), sub("public-b")],
                        vec![route("0.0.0.0/0", "GatewayId", &igw), route("10.0.0.0/8", "TransitGatewayId", &tgw)],
                    ));
                    for (az, letter) in ["a", "b"].iter().enumerate() {
                        tables.push((
                            vi,
                            format!("tgw-{letter}"),
                            vec![sub(&format!("tgw-{letter}"))],
                            vec![route("0.0.0.0/0", "NatGatewayId", &self.nat_ids[az])],
                        ));
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (vi, v) in self.vpcs.iter().enumerate() {
            let main_id = self.ids.rid("rtb", &format!("{}/main", v.name));
            out.push(json!({
                "Associations": [{"AssociationState": {"State": "associated"}, "Main": true,
                                  "RouteTableAssociationId": self.ids.rid("rtbassoc", &format!("{}/main", v.name)),
                                  "RouteTableId": main_id}],
                "OwnerId": ACCOUNT,
                "PropagatingVgws": [],
                "RouteTableId": main_id,
                "Routes": [local_route(v.cidr)],
                "Tags": tags(&[("Name", &format!("{}-main", v.name))]),
                "VpcId": v.id,
            }));
            for (tvi, name, subs, routes) in &tables {
                if *tvi != vi {
                    continue;
                }
                let rtb = self.ids.rid("rtb", &format!("{}/{name}", v.name));
                let assocs: Vec<Value> = subs
                    .iter()
                    .map(|s| {
                        json!({"AssociationState": {"State": "associated"}, "Main": false,
                               "RouteTableAssociationId": self.ids.rid("rtbassoc", s),
                               "RouteTableId": rtb, "SubnetId": self.subnet_id(s)})
                    })
                    .collect();
                let mut rs = vec![local_route(v.cidr)];
                rs.extend(routes.iter().cloned());
                out.push(json!({
                    "Associations": assocs,
                    "OwnerId": ACCOUNT,
                    "PropagatingVgws": [],
                    "RouteTableId": rtb,
                    "Routes": rs,
                    "Tags": tags(&[("Name", &format!("{}-{name}", v.name))]),
                    "VpcId": v.id,
                }));
            }
        }
        self.sizes.route_tables = out.len();
        self.route_tables = out;

        // NACLs: a permissive default per VPC, a restrictive one on spoke
        // data subnets (with ephemeral-port return rules) and on public subnets.
        let mut nacls = Vec::new();
        for v in &self.vpcs {
            let (custom, custom_subs): (Vec<(&str, Vec<Value>)>, Vec<String>) = match v.role {
                VpcRole::Spoke(_) => {
                    let vc = v.cidr.to_string();
                    let data = vec![
                        nacl_entry(100, "6", "allow", false, "10.0.0.0/8", Some((5432, 5432))),
                        nacl_entry(110, "6", "allow", false, "10.0.0.0/8", Some((6379, 6379))),
                        nacl_entry(120, "6", "allow", false, "10.0.0.0/8", Some((8443, 8443))),
                        nacl_entry(130, "6", "allow", false, "192.168.100.0/24", Some((22, 22))),
                        nacl_entry(140, "6", "allow", false, "0.0.0.0/0", Some((1024, 65535))),
                        nacl_entry(100, "6", "allow", true, "10.0.0.0/8", Some((1024, 65535))),
                        nacl_entry(110, "6", "allow", true, "10.0.0.0/8", Some((5432, 5432))),
                        nacl_entry(120, "6", "allow", true, "0.0.0.0/0", Some((443, 443))),
                        nacl_entry(130, "6", "allow", true, "192.168.100.0/24", Some((1024, 65535))),
                    ];
                    let public = vec![
                        nacl_entry(100, "6", "allow", false, "0.0.0.0/0", Some((443, 443))),
                        nacl_entry(110, "6", "allow", false, "0.0.0.0/0", Some((1024, 65535))),
                        nacl_entry(120, "-1", "allow", false, &vc, None),
                        nacl_entry(100, "6", "allow", true, "0.0.0.0/0", Some((1024, 65535))),
                        nacl_entry(110, "-1", "allow", true, &vc, None),
                    ];
                    let subs = ["data-a", "data-b", "public-a", "public-b"].map(|s| format!("{}/{s}", v.name));
                    (vec![("data", data), ("public", public)], subs.to_vec())
                }
                _ => (Vec::new(), Vec::new()),
            };
            let default_subs: Vec<&String> = v.subnets.iter().filter(|s| !custom_subs.contains(s)).collect();
            let did = self.ids.rid("acl", &format!("{}/default", v.name));
            let entries = sort_entries(vec![
                nacl_entry(100, "-1", "allow", true, "0.0.0.0/0", None),
                nacl_entry(32767, "-1", "deny", true, "0.0.0.0/0", None),
                nacl_entry(100, "-1", "allow", false, "0.0.0.0/0", None),
                nacl_entry(32767, "-1", "deny", false, "0.0.0.0/0", None),
            ]);
            nacls.push(json!({
                "Associations": default_subs.iter().map(|s| json!({
                    "NetworkAclAssociationId": self.ids.rid("aclassoc", s),
                    "NetworkAclId": did, "SubnetId": self.subnet_id(s)})).collect::<Vec<_>>(),
                "Entries": entries,
                "IsDefault": true,
                "NetworkAclId": did,
                "OwnerId": ACCOUNT,
                "Tags": [],
                "VpcId": v.id,
            }));
            for (name, mut entries) in custom {
                let cid = self.ids.rid("acl", &format!("{}/{name}", v.name));
                entries.push(nacl_entry(32767, "-1", "deny", true, "0.0.0.0/0", None));
                entries.push(nacl_entry(32767, "-1", "deny", false, "0.0.0.0/0", None));
                let subs: Vec<&String> = custom_subs.iter().filter(|s| s.contains(&format!("/{name}-"))).collect();
                nacls.push(json!({
                    "Associations": subs.iter().map(|s| json!({
                        "NetworkAclAssociationId": self.ids.rid("aclassoc", s),
                        "NetworkAclId": cid, "SubnetId": self.subnet_id(s)})).collect::<Vec<_>>(),
                    "Entries": sort_entries(entries),
                    "IsDefault": false,
                    "NetworkAclId": cid,
                    "OwnerId": ACCOUNT,
                    "Tags": tags(&[("Name", &format!("{}-{name}", v.name))]),
                    "VpcId": v.id,
                }));
            }
        }
        self.sizes.network_acls = nacls.len();
        self.nacls = nacls;

        self.igws = self
            .vpcs
            .iter()
            .filter_map(|v| {
                v.igw.as_ref().map(|igw| {
                    json!({"Attachments": [{"State": "available", "VpcId": v.id}], "InternetGatewayId": igw,
                           "OwnerId": ACCOUNT, "Tags": tags(&[("Name", &format!("{}-igw", v.name))])})
                })
            })
            .collect();
    }

    // ---- infrastructure ENIs: TGW, firewall, NAT, ALB ----------------------

    fn infrastructure(&mut self) -> Result<(), GenerateError> {
        let mut rng = Rng::new(self.s.seed, "infrastructure");
        let vpcs: Vec<(String, VpcRole, String)> =
            self.vpcs.iter().map(|v| (v.name.clone(), v.role, v.tgw_attachment.clone())).collect();
        for (name, role, att) in &vpcs {
            for letter in ["a", "b"] {
                let sk = format!("{name}/tgw-{letter}");
                let ip = self.alloc(&sk, &mut rng)?;
                let mut spec = EniSpec::new(format!("{sk}/tgw"), &sk, vec![ip], Vec::new());
                spec.itype = "transit_gateway";
                spec.desc = format!("Network Interface for Transit Gateway Attachment {att}");
                spec.requester = Some("amazon-aws");
                spec.service_owner = Some("amazon-aws");
                spec.source_dest_check = false;
                let e = self.eni(spec);
                self.enis.push(e);
            }
            match role {
                VpcRole::Inspection => {
                    for (az, letter) in ["a", "b"].iter().enumerate() {
                        let sk = format!("{name}/firewall-{letter}");
                        let ip = self.alloc(&sk, &mut rng)?;
                        let mut spec = EniSpec::new(format!("{sk}/endpoint"), &sk, vec![ip], Vec::new());
                        spec.itype = "gateway_load_balancer_endpoint";
                        spec.desc = format!("VPC Endpoint Interface {}", self.fw_endpoints[az]);
                        spec.requester = Some("727180483921");
                        spec.source_dest_check = false;
                        let e = self.eni(spec);
                        self.enis.push(e);
                    }
                }
                VpcRole::Egress => {
                    for (az, letter) in ["a", "b"].iter().enumerate() {
                        let sk = format!("{name}/public-{letter}");
                        let ip = self.alloc(&sk, &mut rng)?;
                        let public = Ipv4Addr::new(3, 220, 0, 10 + az as u8);
                        let key = format!("{sk}/nat");
                        let mut spec = EniSpec::new(key.clone(), &sk, vec![ip], Vec::new());
                        spec.itype = "nat_gateway";
                        spec.desc = format!("Interface for NAT Gateway {}", self.nat_ids[az]);
                        spec.requester = Some("036872051663");
                        spec.service_owner = Some("amazon-aws");
                        spec.public_ip = Some(public);
                        spec.source_dest_check = false;
                        let e = self.eni(spec);
                        let eni_id = e["NetworkInterfaceId"].clone();
                        self.enis.push(e);
                        self.nats.push(json!({
                            "ConnectivityType": "public",
                            "CreateTime": T_CREATE,
                            "NatGatewayAddresses": [{
                                "AllocationId": self.ids.rid("eipalloc", &key),
                                "AssociationId": self.ids.rid("eipassoc", &key),
                                "IsPrimary": true,
                                "NetworkInterfaceId": eni_id,
                                "PrivateIp": ip.to_string(),
                                "PublicIp": public.to_string(),
                                "Status": "succeeded",
                            }],
                            "NatGatewayId": self.nat_ids[az],
                            "State": "available",
                            "SubnetId": self.subnet_id(&sk),
                            "Tags": tags(&[("Name", &format!("egress-nat-{letter}"))]),
                            "VpcId": self.vpcs.iter().find(|v| v.role == VpcRole::Egress).map(|v| v.id.clone()),
                        }));
                    }
                }
                VpcRole::Spoke(i) => {
                    // An internet-facing load balancer in the public subnets.
                    for (az, letter) in ["a", "b"].iter().enumerate() {
                        let sk = format!("{name}/public-{letter}");
                        let ip = self.alloc(&sk, &mut rng)?;
                        let public = Ipv4Addr::new(3, 208 + (*i / 250) as u8, (*i % 250) as u8, 10 + az as u8);
                        let mut spec = EniSpec::new(format!("{sk}/alb"), &sk, vec![ip], vec![format!("{name}/alb")]);
                        spec.desc = format!("ELB app/k8s-{name}-ingress/{}", self.ids.hex(&format!("alb/{name}"), 16));
                        spec.requester = Some("amazon-elb");
                        spec.service_owner = Some("amazon-elb");
                        spec.public_ip = Some(public);
                        let e = self.eni(spec);
                        self.enis.push(e);
                    }
                }
            }
        }
        Ok(())
    }

    fn hub_security_groups(&mut self) {
        for vi in 0..self.vpcs.len() {
            let (name, role, cidr) = match self.vpcs.get(vi) {
                Some(v) => (v.name.clone(), v.role, v.cidr),
                None => continue,
            };
            let def = self.declare_sg(&format!("{name}/default"), "default", vi);
            self.add_sg(
                &format!("{name}/default"),
                "default VPC security group",
                vec![perm("-1", None, &[], &[(def, "")])],
                vec![egress_all()],
                &[],
            );
            let VpcRole::Spoke(i) = role else { continue };
            let cluster = Self::cluster_name(i);
            let csg = self.declare_sg(
                &format!("{name}/cluster"),
                &format!("eks-cluster-sg-{cluster}-{}", 1_000_000_000 + self.ids.hash(&cluster) % 1_000_000_000),
                vi,
            );
            let nsg = self.declare_sg(&format!("{name}/node"), &format!("eks-node-{cluster}"), vi);
            let alb = self.declare_sg(&format!("{name}/alb"), &format!("k8s-{cluster}-ingress"), vi);
            let owned = format!("kubernetes.io/cluster/{cluster}");
            self.add_sg(
                &format!("{name}/cluster"),
                "EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.",
                vec![perm("-1", None, &[], &[(csg.clone(), "")])],
                vec![egress_all()],
                &[("aws:eks:cluster-name", &cluster), (&owned, "owned")],
            );
            self.add_sg(
                &format!("{name}/node"),
                "EKS node shared security group",
                vec![
                    perm(
                        "-1",
                        None,
                        &[],
                        &[
                            (nsg.clone(), "Allow nodes to communicate with each other"),
                            (csg.clone(), "Allow all traffic from the cluster security group"),
                        ],
                    ),
                    perm("tcp", Some((8000, 8099)), &[], &[(alb.clone(), "elbv2.k8s.aws/targetGroupBinding=shared")]),
                    perm("tcp", Some((1025, 65535)), &[], &[(csg, "Cluster API to node kubelets and webhooks")]),
                ],
                vec![egress_all()],
                &[(&owned, "owned")],
            );
            self.add_sg(
                &format!("{name}/alb"),
                "[k8s] Managed SecurityGroup for LoadBalancer",
                vec![perm("tcp", Some((443, 443)), &[("0.0.0.0/0".into(), "HTTPS from the internet")], &[])],
                vec![perm("tcp", Some((8000, 8099)), &[(cidr.to_string(), "pod targets (target-type ip)")], &[])],
                &[("elbv2.k8s.aws/cluster", &cluster), ("ingress.k8s.aws/resource", "ManagedLBSecurityGroup")],
            );
        }
    }

    // ---- tenants' AWS resources ---------------------------------------------

    /// Per-tenant security groups, each on an ENI in the spoke's data subnets:
    /// an RDS database, an ElastiCache cluster, then service instances.
    fn tenant_security_groups(&mut self) -> Result<(), GenerateError> {
        let fixed = 4 * self.s.spokes() + 2;
        let rest = self.s.total_security_groups().saturating_sub(fixed);
        let tenants = self.s.tenants();
        let mut rng = Rng::new(self.s.seed, "tenant-enis");
        for t in 0..tenants {
            let n = split(rest, tenants, t);
            let spoke = t % self.s.spokes();
            let vname = Self::spoke_name(spoke);
            let Some(vi) = self.vpcs.iter().position(|v| v.role == VpcRole::Spoke(spoke)) else { continue };
            let vcidr = self.vpcs.get(vi).map(|v| v.cidr).unwrap_or_default();
            let private = Ipv4Net::new(vcidr.network(), 17).unwrap_or(vcidr).to_string();
            let data =
                Ipv4Net::new(Ipv4Addr::from(u32::from(vcidr.network()) + (128 << 8)), 19).unwrap_or(vcidr).to_string();
            let tenant = Self::tenant_name(t);
            let node_sg = self.sg_id(&format!("{vname}/node"));
            for k in 0..n {
                let (key, name) = match k {
                    0 => (format!("{vname}/{tenant}/db"), format!("{tenant}-db")),
                    1 => (format!("{vname}/{tenant}/cache"), format!("{tenant}-cache")),
                    _ => (format!("{vname}/{tenant}/svc-{:02}", k - 2), format!("{tenant}-svc-{:02}", k - 2)),
                };
                let id = self.declare_sg(&key, &name, vi);
                let db = self.sg_id(&format!("{vname}/{tenant}/db"));
                let team = [("tenant", tenant.as_str())];
                let letter = if (t + k) % 2 == 0 { "a" } else { "b" };
                let sk = format!("{vname}/data-{letter}");
                let ip = self.alloc(&sk, &mut rng)?;
                match k {
                    0 => {
                        self.add_sg(
                            &key,
                            &format!("{tenant} PostgreSQL (RDS)"),
                            vec![perm(
                                "tcp",
                                Some((5432, 5432)),
                                &[(data.clone(), "service instances"), ("192.168.100.0/24".into(), "DBA VPN")],
                                &[(node_sg.clone(), "EKS nodes")],
                            )],
                            vec![egress_all()],
                            &team,
                        );
                        let mut spec = EniSpec::new(format!("{key}/rds"), &sk, vec![ip], vec![key.clone()]);
                        spec.desc = "RDSNetworkInterface".into();
                        spec.requester = Some("amazon-rds");
                        spec.service_owner = Some("amazon-rds");
                        let e = self.eni(spec);
                        self.enis.push(e);
                    }
                    1 => {
                        self.add_sg(
                            &key,
                            &format!("{tenant} Redis (ElastiCache)"),
                            vec![perm("tcp", Some((6379, 6379)), &[], &[(node_sg.clone(), "EKS nodes")])],
                            vec![egress_all()],
                            &team,
                        );
                        let mut spec = EniSpec::new(format!("{key}/cache"), &sk, vec![ip], vec![key.clone()]);
                        spec.desc = format!("ElastiCache {tenant}-cache-0001-001");
                        spec.requester = Some("amazon-elasticache");
                        spec.service_owner = Some("amazon-elasticache");
                        let e = self.eni(spec);
                        self.enis.push(e);
                    }
                    _ => {
                        // Service instances call each other in a chain and the tenant's database.
                        let prev = if k > 2 { self.sg_id(&format!("{vname}/{tenant}/svc-{:02}", k - 3)) } else { id };
                        let mut egress = vec![perm("tcp", Some((443, 443)), &[("0.0.0.0/0".into(), "HTTPS")], &[])];
                        if !db.is_empty() {
                            egress.push(perm("tcp", Some((5432, 5432)), &[], &[(db, "tenant database")]));
                        }
                        self.add_sg(
                            &key,
                            &format!("{tenant} service instances {:02}", k - 2),
                            vec![
                                perm(
                                    "tcp",
                                    Some((8443, 8443)),
                                    &[(private.clone(), "EKS private subnets")],
                                    &[(prev, "upstream service")],
                                ),
                                perm("tcp", Some((22, 22)), &[("192.168.100.0/24".into(), "SSH from VPN")], &[]),
                            ],
                            egress,
                            &team,
                        );
                        let e = self.eni(EniSpec::new(format!("{key}/eth0"), &sk, vec![ip], vec![key.clone()]));
                        let iname = format!("{tenant}-svc-{:02}", k - 2);
                        self.instance(&key, &sk, vec![e], "t3.medium", &[("Name", &iname), ("tenant", &tenant)]);
                    }
                }
            }
        }
        self.sizes.security_groups = self.sg_json.len();
        Ok(())
    }

    // ---- transit gateway ---------------------------------------------------

    fn transit_gateway(&self, files: &mut Files) -> Result<(), GenerateError> {
        let base = format!("aws/{ACCOUNT}/{REGION}");
        let tgw = &self.tgw_id;
        let rtb_pre = self.ids.rid("tgw-rtb", "pre-inspection");
        let rtb_post = self.ids.rid("tgw-rtb", "post-inspection");
        let assoc = |v: &Vpc| if v.role == VpcRole::Inspection { rtb_post.clone() } else { rtb_pre.clone() };
        files.json(
            &format!("{base}/describe-transit-gateways.json"),
            &json!({"TransitGateways": [{
                "CreationTime": T_CREATE,
                "Description": "core network hub (inspection via inspection-fw)",
                "Options": {"AmazonSideAsn": 64512, "AutoAcceptSharedAttachments": "enable",
                            "DefaultRouteTableAssociation": "disable", "DefaultRouteTablePropagation": "disable",
                            "DnsSupport": "enable", "MulticastSupport": "disable",
                            "SecurityGroupReferencingSupport": "disable", "TransitGatewayCidrBlocks": [],
                            "VpnEcmpSupport": "enable"},
                "OwnerId": ACCOUNT,
                "State": "available",
                "Tags": tags(&[("Name", "core-tgw")]),
                "TransitGatewayArn": format!("arn:aws:ec2:{REGION}:{ACCOUNT}:transit-gateway/{tgw}"),
                "TransitGatewayId": tgw,
            }]}),
        )?;
        let atts: Vec<Value> = self
            .vpcs
            .iter()
            .map(|v| {
                json!({
                    "Association": {"State": "associated", "TransitGatewayRouteTableId": assoc(v)},
                    "CreationTime": T_CREATE, "ResourceId": v.id, "ResourceOwnerId": ACCOUNT,
                    "ResourceType": "vpc", "State": "available",
                    "Tags": tags(&[("Name", &format!("tgw-attach-{}", v.name))]),
                    "TransitGatewayAttachmentId": v.tgw_attachment, "TransitGatewayId": tgw,
                    "TransitGatewayOwnerId": ACCOUNT,
                })
            })
            .collect();
        files.json(
            &format!("{base}/describe-transit-gateway-attachments.json"),
            &json!({"TransitGatewayAttachments": atts}),
        )?;
        let vatts: Vec<Value> = self
            .vpcs
            .iter()
            .map(|v| {
                let subs: Vec<String> = ["tgw-a", "tgw-b"].iter().map(|s| self.subnet_id(&format!("{}/{s}", v.name))).collect();
                json!({
                    "CreationTime": T_CREATE,
                    "Options": {"ApplianceModeSupport": if v.role == VpcRole::Inspection { "enable" } else { "disable" },
                                "DnsSupport": "enable", "Ipv6Support": "disable",
                                "SecurityGroupReferencingSupport": "disable"},
                    "State": "available", "SubnetIds": subs,
                    "Tags": tags(&[("Name", &format!("tgw-attach-{}", v.name))]),
                    "TransitGatewayAttachmentId": v.tgw_attachment, "TransitGatewayId": tgw,
                    "VpcId": v.id, "VpcOwnerId": ACCOUNT,
                })
            })
            .collect();
        files.json(
            &format!("{base}/describe-transit-gateway-vpc-attachments.json"),
            &json!({"TransitGatewayVpcAttachments": vatts}),
        )?;
        let rts: Vec<Value> = [("pre-inspection", &rtb_pre), ("post-inspection", &rtb_post)]
            .iter()
            .map(|(n, id)| {
                json!({"CreationTime": T_CREATE, "DefaultAssociationRouteTable": false,
                       "DefaultPropagationRouteTable": false, "State": "available", "Tags": tags(&[("Name", n)]),
                       "TransitGatewayId": tgw, "TransitGatewayRouteTableId": id})
            })
            .collect();
        files.json(
            &format!("{base}/describe-transit-gateway-route-tables.json"),
            &json!({"TransitGatewayRouteTables": rts}),
        )?;

        let att_ref = |v: &Vpc| json!([{"ResourceId": v.id, "ResourceType": "vpc", "TransitGatewayAttachmentId": v.tgw_attachment}]);
        let find = |r: VpcRole| self.vpcs.iter().find(|v| v.role == r);
        let (Some(insp), Some(egress)) = (find(VpcRole::Inspection), find(VpcRole::Egress)) else {
            return Ok(());
        };
        let spokes: Vec<&Vpc> = self.vpcs.iter().filter(|v| matches!(v.role, VpcRole::Spoke(_))).collect();
        // Pre-inspection: everything to the firewall; a blackhole for a retired range.
        let pre = vec![
            json!({"DestinationCidrBlock": "0.0.0.0/0", "State": "active", "TransitGatewayAttachments": att_ref(insp), "Type": "static"}),
            json!({"DestinationCidrBlock": "10.254.0.0/16", "State": "blackhole", "Type": "static"}),
        ];
        // Post-inspection: spokes by propagation, the rest to the egress VPC.
        let mut post = vec![json!({"DestinationCidrBlock": "0.0.0.0/0", "State": "active",
                                   "TransitGatewayAttachments": att_ref(egress), "Type": "static"})];
        for v in &spokes {
            post.push(json!({"DestinationCidrBlock": v.cidr.to_string(), "State": "active",
                             "TransitGatewayAttachments": att_ref(v), "Type": "propagated"}));
        }
        let n_routes = pre.len() + post.len();
        for (rtb, routes) in [(&rtb_pre, pre), (&rtb_post, post)] {
            files.json(
                &format!("{base}/search-transit-gateway-routes-{rtb}.json"),
                &json!({"AdditionalRoutesAvailable": false, "Routes": routes, "TransitGatewayRouteTableId": rtb}),
            )?;
            let assocs: Vec<Value> = self
                .vpcs
                .iter()
                .filter(|v| &assoc(v) == rtb)
                .map(|v| {
                    json!({"ResourceId": v.id, "ResourceType": "vpc", "State": "associated",
                                "TransitGatewayAttachmentId": v.tgw_attachment})
                })
                .collect();
            files.json(
                &format!("{base}/get-transit-gateway-route-table-associations-{rtb}.json"),
                &json!({"Associations": assocs, "TransitGatewayRouteTableId": rtb}),
            )?;
            let props: Vec<Value> = if *rtb == rtb_post {
                spokes
                    .iter()
                    .map(|v| {
                        json!({"ResourceId": v.id, "ResourceType": "vpc", "State": "enabled",
                                    "TransitGatewayAttachmentId": v.tgw_attachment})
                    })
                    .collect()
            } else {
                Vec::new()
            };
            files.json(
                &format!("{base}/get-transit-gateway-route-table-propagations-{rtb}.json"),
                &json!({"TransitGatewayRouteTableId": rtb, "TransitGatewayRouteTablePropagations": props}),
            )?;
        }
        files.sizes_tgw_routes = n_routes;
        Ok(())
    }

    // ---- Network Firewall ----------------------------------------------------

    fn firewall(&self, files: &mut Files) -> Result<usize, GenerateError> {
        let base = format!("aws/{ACCOUNT}/{REGION}");
        let arn = format!("arn:aws:network-firewall:{REGION}:{ACCOUNT}:");
        let stateless_arn = format!("{arn}stateless-rulegroup/hygiene");
        let stateful_arn = format!("{arn}stateful-rulegroup/east-west");
        let policy_arn = format!("{arn}firewall-policy/inspection-policy");
        let token = |k: &str| self.ids.uuid(&format!("token/{k}"));
        let group_resp = |name: &str, arn: &str, typ: &str, n: usize, desc: &str| {
            json!({
                "AnalysisResults": [], "Capacity": 1000, "ConsumedCapacity": n, "Description": desc,
                "EncryptionConfiguration": {"Type": "AWS_OWNED_KMS_KEY"}, "LastModifiedTime": T_CREATE,
                "NumberOfAssociations": 1, "RuleGroupArn": arn, "RuleGroupId": self.ids.uuid(&format!("rg/{name}")),
                "RuleGroupName": name, "RuleGroupStatus": "ACTIVE", "Tags": tags(&[("owner", "network-security")]),
                "Type": typ,
            })
        };
        let stateless_rule = |prio: u32, action: &str, proto: u32, src: &str, dst: &str, dports: Option<(u16, u16)>| {
            let mut ma = json!({"Destinations": [{"AddressDefinition": dst}], "Protocols": [proto],
                                "Sources": [{"AddressDefinition": src}]});
            if let (Some((a, b)), Some(o)) = (dports, ma.as_object_mut()) {
                o.insert("DestinationPorts".into(), json!([{"FromPort": a, "ToPort": b}]));
                o.insert("SourcePorts".into(), json!([{"FromPort": 0, "ToPort": 65535}]));
            }
            json!({"Priority": prio, "RuleDefinition": {"Actions": [action], "MatchAttributes": ma}})
        };
        let stateless = vec![
            stateless_rule(10, "aws:drop", 6, "0.0.0.0/0", "0.0.0.0/0", Some((23, 23))),
            stateless_rule(20, "aws:drop", 17, "0.0.0.0/0", "0.0.0.0/0", Some((19, 19))),
            stateless_rule(30, "aws:pass", 1, "10.0.0.0/8", "10.0.0.0/8", None),
        ];
        let n_stateless = stateless.len();
        files.json(
            &format!("{base}/describe-rule-group-hygiene.json"),
            &json!({
                "RuleGroup": {"RulesSource": {"StatelessRulesAndCustomActions": {"CustomActions": [], "StatelessRules": stateless}}},
                "RuleGroupResponse": group_resp("hygiene", &stateless_arn, "STATELESS", n_stateless, "drop telnet and chargen; pass internal ICMP"),
                "UpdateToken": token("hygiene"),
            }),
        )?;
        let five = |action: &str, proto: &str, src: &str, dst: &str, dport: &str, sid: usize| {
            json!({"Action": action,
                   "Header": {"Destination": dst, "DestinationPort": dport, "Direction": "FORWARD",
                              "Protocol": proto, "Source": src, "SourcePort": "ANY"},
                   "RuleOptions": [{"Keyword": "sid", "Settings": [sid.to_string()]}]})
        };
        let mut rules = vec![
            five("PASS", "TCP", "10.0.0.0/8", "10.0.0.0/8", "8443", 1001),
            five("PASS", "UDP", "10.0.0.0/8", "10.0.0.0/8", "53", 1002),
            five("DROP", "TCP", "ANY", "ANY", "22", 1003),
        ];
        // Database replication from each spoke to the next one.
        let spokes: Vec<&Vpc> = self.vpcs.iter().filter(|v| matches!(v.role, VpcRole::Spoke(_))).collect();
        for (i, v) in spokes.iter().enumerate() {
            let Some(next) = spokes.get((i + 1) % spokes.len()) else { continue };
            if next.id == v.id {
                continue;
            }
            let data = Ipv4Net::new(Ipv4Addr::from(u32::from(next.cidr.network()) + (128 << 8)), 19)
                .map(|n| n.to_string())
                .unwrap_or_default();
            rules.push(five("PASS", "TCP", &v.cidr.to_string(), &data, "5432", 2000 + i));
        }
        rules.push(five("PASS", "TCP", "10.0.0.0/8", "ANY", "443", 1100));
        rules.push(five("DROP", "IP", "ANY", "ANY", "ANY", 1199));
        let n_stateful = rules.len();
        files.json(
            &format!("{base}/describe-rule-group-east-west.json"),
            &json!({
                "RuleGroup": {"RulesSource": {"StatefulRules": rules}, "StatefulRuleOptions": {"RuleOrder": "STRICT_ORDER"}},
                "RuleGroupResponse": group_resp("east-west", &stateful_arn, "STATEFUL", n_stateful,
                    "east-west allow-list between spoke VPCs and HTTPS egress"),
                "UpdateToken": token("east-west"),
            }),
        )?;
        files.json(
            &format!("{base}/describe-firewall-policy-inspection-policy.json"),
            &json!({
                "FirewallPolicy": {
                    "PolicyVariables": {"RuleVariables": {"HOME_NET": {"Definition": ["10.0.0.0/8"]}}},
                    "StatefulDefaultActions": ["aws:drop_established", "aws:alert_established"],
                    "StatefulEngineOptions": {"RuleOrder": "STRICT_ORDER", "StreamExceptionPolicy": "DROP"},
                    "StatefulRuleGroupReferences": [{"Priority": 100, "ResourceArn": stateful_arn}],
                    "StatelessDefaultActions": ["aws:forward_to_sfe"],
                    "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"],
                    "StatelessRuleGroupReferences": [{"Priority": 10, "ResourceArn": stateless_arn}],
                },
                "FirewallPolicyResponse": {
                    "ConsumedStatefulRuleCapacity": n_stateful, "ConsumedStatelessRuleCapacity": n_stateless,
                    "Description": "centralized east-west and egress inspection",
                    "EncryptionConfiguration": {"Type": "AWS_OWNED_KMS_KEY"},
                    "FirewallPolicyArn": policy_arn, "FirewallPolicyId": self.ids.uuid("policy/inspection-policy"),
                    "FirewallPolicyName": "inspection-policy", "FirewallPolicyStatus": "ACTIVE",
                    "LastModifiedTime": T_CREATE, "NumberOfAssociations": 1,
                    "Tags": tags(&[("owner", "network-security")]),
                },
                "UpdateToken": token("inspection-policy"),
            }),
        )?;
        let Some(insp) = self.vpcs.iter().find(|v| v.role == VpcRole::Inspection) else { return Ok(0) };
        let mut cfg = serde_json::Map::new();
        for (k, a) in [("inspection-policy", &policy_arn), ("hygiene", &stateless_arn), ("east-west", &stateful_arn)] {
            cfg.insert(a.clone(), json!({"SyncStatus": "IN_SYNC", "UpdateToken": token(k)}));
        }
        let mut sync = serde_json::Map::new();
        for (az, letter) in ["a", "b"].iter().enumerate() {
            sync.insert(
                AZS[az].0.to_string(),
                json!({"Attachment": {"EndpointId": self.fw_endpoints[az], "Status": "READY",
                                      "SubnetId": self.subnet_id(&format!("inspection/firewall-{letter}"))},
                       "Config": cfg.clone()}),
            );
        }
        let mappings: Vec<Value> = ["a", "b"]
            .iter()
            .map(|l| json!({"IPAddressType": "IPV4", "SubnetId": self.subnet_id(&format!("inspection/firewall-{l}"))}))
            .collect();
        files.json(
            &format!("{base}/describe-firewall-inspection-fw.json"),
            &json!({
                "Firewall": {
                    "DeleteProtection": true, "Description": "centralized inspection for all spoke VPCs",
                    "EnabledAnalysisTypes": [], "EncryptionConfiguration": {"Type": "AWS_OWNED_KMS_KEY"},
                    "FirewallArn": format!("{arn}firewall/inspection-fw"), "FirewallId": self.ids.uuid("fw/inspection-fw"),
                    "FirewallName": "inspection-fw", "FirewallPolicyArn": policy_arn,
                    "FirewallPolicyChangeProtection": false, "SubnetChangeProtection": true,
                    "SubnetMappings": mappings, "Tags": tags(&[("Name", "inspection-fw")]), "VpcId": insp.id,
                },
                "FirewallStatus": {"ConfigurationSyncStateSummary": "IN_SYNC", "Status": "READY", "SyncStates": sync},
                "UpdateToken": token("inspection-fw"),
            }),
        )?;
        Ok(n_stateless + n_stateful)
    }
}

// ---------------------------------------------------------------------------
// Kubernetes
// ---------------------------------------------------------------------------

/// Application names, cycled (with a numeric suffix past the list's end).
const APP_NAMES: &[&str] =
    &["web", "api", "worker", "billing", "search", "auth", "catalog", "orders", "notify", "reports"];
const TIERS: &[&str] = &["web", "api", "worker"];

fn app_name(k: usize) -> String {
    let base = APP_NAMES[k % APP_NAMES.len()];
    if k < APP_NAMES.len() {
        base.to_string()
    } else {
        format!("{base}{}", k / APP_NAMES.len())
    }
}

fn k8s_list(items: Vec<Value>) -> Value {
    json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
}

struct PodPlan {
    namespace: String,
    name: String,
    labels: Value,
    containers: Value,
    owner: (String, String),
    service_account: String,
    host_network: bool,
}

fn container(name: &str, image: &str, ports: &[(&str, u16, &str)]) -> Value {
    let ps: Vec<Value> =
        ports.iter().map(|(n, p, proto)| json!({"containerPort": p, "name": n, "protocol": proto})).collect();
    let mut c = json!({
        "image": image, "imagePullPolicy": "IfNotPresent", "name": name,
        "resources": {"limits": {"memory": "512Mi"}, "requests": {"cpu": "250m", "memory": "256Mi"}},
        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
    });
    if let (false, Some(o)) = (ps.is_empty(), c.as_object_mut()) {
        o.insert("ports".into(), Value::Array(ps));
    }
    c
}

fn np(ns: &str, name: &str, tenant: &str, spec: Value) -> Value {
    json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
           "metadata": {"labels": {"tenant": tenant}, "name": name, "namespace": ns}, "spec": spec})
}

impl Builder {
    /// Tenant NetworkPolicies, most basic first, so a small budget still
    /// gets default-deny.
    fn tenant_policies(&self, t: usize, budget: usize, peers: &[usize], rng: &mut Rng) -> Vec<Value> {
        let ns = Self::tenant_name(t);
        let spoke = t % self.s.spokes();
        let vcidr = self.vpcs.iter().find(|v| v.role == VpcRole::Spoke(spoke)).map(|v| v.cidr).unwrap_or_default();
        let data = Ipv4Net::new(Ipv4Addr::from(u32::from(vcidr.network()) + (128 << 8)), 19)
            .map(|n| n.to_string())
            .unwrap_or_default();
        let mut out = vec![
            np(&ns, "default-deny", &ns, json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})),
            np(
                &ns,
                "allow-same-tenant",
                &ns,
                json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"],
                       "ingress": [{"from": [{"podSelector": {}}]}],
                       "egress": [{"to": [{"podSelector": {}}]}]}),
            ),
            np(
                &ns,
                "allow-dns",
                &ns,
                json!({"podSelector": {}, "policyTypes": ["Egress"],
                       "egress": [{"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                                           "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                                   "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}]}),
            ),
            np(
                &ns,
                "allow-egress-to-tenants",
                &ns,
                json!({"podSelector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["web", "api"]}]},
                       "policyTypes": ["Egress"],
                       "egress": [{"to": [{"namespaceSelector": {"matchExpressions": [{"key": "tenant", "operator": "Exists"}]}}],
                                   "ports": [{"port": "http", "protocol": "TCP"}]}]}),
            ),
            np(
                &ns,
                "allow-egress-internet",
                &ns,
                json!({"podSelector": {"matchLabels": {"tier": "web"}}, "policyTypes": ["Egress"],
                       "egress": [{"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8", "169.254.169.254/32"]}}],
                                   "ports": [{"port": 443, "protocol": "TCP"}]}]}),
            ),
            np(
                &ns,
                "api-to-db",
                &ns,
                json!({"podSelector": {"matchLabels": {"app": "api"}}, "policyTypes": ["Egress"],
                       "egress": [{"to": [{"ipBlock": {"cidr": data}}],
                                   "ports": [{"port": 5432, "protocol": "TCP"}, {"port": 6379, "protocol": "TCP"}]}]}),
            ),
        ];
        out.truncate(budget);
        let mut names: BTreeSet<String> = BTreeSet::new();
        let apps = self.s.apps_per_tenant;
        let mut k = 0;
        while out.len() < budget {
            let app = app_name(k % apps);
            let peer = peers.get(rng.below(peers.len())).copied().unwrap_or(t);
            let peer_ns = Self::tenant_name(peer);
            let mut name = format!("{app}-from-{peer_ns}");
            let mut n = 2;
            while names.contains(&name) {
                name = format!("{app}-from-{peer_ns}-{n}");
                n += 1;
            }
            names.insert(name.clone());
            out.push(np(
                &ns,
                &name,
                &ns,
                json!({"podSelector": {"matchLabels": {"app": app}}, "policyTypes": ["Ingress"],
                       "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"tenant": peer_ns}},
                                              "podSelector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["web", "api"]}]}}],
                                    "ports": [{"port": "http", "protocol": "TCP"}]}]}),
            ));
            k += 1;
        }
        out
    }

    /// Nodes, pods and policies for every cluster; node ENIs carry the pod IPs.
    fn clusters(&mut self, files: &mut Files) -> Result<(), GenerateError> {
        let spokes = self.s.spokes();
        let tenants = self.s.tenants();
        let apps = self.s.apps_per_tenant;
        let mut toml = vec![
            format!("name = \"synthetic-{}\"", self.s.scale),
            format!(
                "# netprove generate --scale {} --seed {} --pods {} --policies {} --security-groups {}",
                self.s.scale,
                self.s.seed,
                self.s.total_pods(),
                self.s.total_policies(),
                self.s.total_security_groups()
            ),
            String::new(),
        ];
        for c in 0..spokes {
            let cname = Self::cluster_name(c);
            let vname = Self::spoke_name(c);
            let Some(vi) = self.vpcs.iter().position(|v| v.role == VpcRole::Spoke(c)) else { continue };
            let (vpc_id, vcidr) = self.vpcs.get(vi).map(|v| (v.id.clone(), v.cidr)).unwrap_or_default();
            let my_tenants: Vec<usize> = (c..tenants).step_by(spokes).collect();
            let mut rng = Rng::new(self.s.seed, &format!("pods/{cname}"));

            // Workload pods, then CoreDNS.
            let mut plans: Vec<PodPlan> = Vec::new();
            for &t in &my_tenants {
                let ns = Self::tenant_name(t);
                let pods = split(self.s.total_pods(), tenants, t);
                for k in 0..apps {
                    let app = app_name(k);
                    let tier = TIERS[k % TIERS.len()];
                    let hash = rng.name(10);
                    let rs = format!("{app}-{hash}");
                    let image = format!("{ECR}/{ns}/{app}:1.{}.{}", 4 + k % 5, t % 7);
                    for _ in 0..split(pods, apps, k) {
                        let name = format!("{rs}-{}", rng.name(5));
                        plans.push(PodPlan {
                            namespace: ns.clone(),
                            name,
                            labels: json!({"app": app, "pod-template-hash": hash, "tier": tier}),
                            containers: json!([container(
                                &app,
                                &image,
                                &[("http", 8000 + k as u16, "TCP"), ("metrics", 9102, "TCP")]
                            )]),
                            owner: ("ReplicaSet".into(), rs.clone()),
                            service_account: app.clone(),
                            host_network: false,
                        });
                    }
                }
            }
            let dns_hash = rng.name(10);
            for _ in 0..2 {
                plans.push(PodPlan {
                    namespace: "kube-system".into(),
                    name: format!("coredns-{dns_hash}-{}", rng.name(5)),
                    labels: json!({"eks.amazonaws.com/component": "coredns", "k8s-app": "kube-dns", "pod-template-hash": dns_hash}),
                    containers: json!([container(
                        "coredns",
                        &format!("{AWS_ECR}/eks/coredns:v1.11.4-eksbuild.2"),
                        &[("dns", 53, "UDP"), ("dns-tcp", 53, "TCP"), ("metrics", 9153, "TCP")]
                    )]),
                    owner: ("ReplicaSet".into(), format!("coredns-{dns_hash}")),
                    service_account: "coredns".into(),
                    host_network: false,
                });
            }
            rng.shuffle(&mut plans);

            // Nodes: enough for every pod, alternating AZs.
            let n_nodes = plans.len().div_ceil(PODS_PER_NODE).max(2);
            let mut nodes: Vec<NodeInfo> = Vec::new();
            let mut node_ips: Vec<Vec<Ipv4Addr>> = Vec::new();
            for n in 0..n_nodes {
                let az = n % 2;
                let sk = format!("{vname}/private-{}", if az == 0 { "a" } else { "b" });
                let ip = self.alloc(&sk, &mut rng)?;
                let iid = self.ids.rid("i", &format!("{cname}/node-{n}"));
                nodes.push(NodeInfo { name: dns_name(ip), ip, instance_id: iid, az, subnet: sk, pods: 0 });
                node_ips.push(Vec::new());
            }
            // Round-robin over the shuffled pods; each pod IP is a secondary
            // address on its node's ENIs.
            let mut pod_ips: Vec<(usize, Ipv4Addr)> = Vec::new();
            for (i, _) in plans.iter().enumerate() {
                let n = i % n_nodes;
                let sk = nodes.get(n).map(|x| x.subnet.clone()).unwrap_or_default();
                let ip = self.alloc(&sk, &mut rng)?;
                if let (Some(ips), Some(node)) = (node_ips.get_mut(n), nodes.get_mut(n)) {
                    ips.push(ip);
                    node.pods += 1;
                }
                pod_ips.push((n, ip));
            }
            let nodegroup = format!("{cname}-general");
            let groups = vec![format!("{vname}/node"), format!("{vname}/cluster")];
            for (n, node) in nodes.iter().enumerate() {
                let ips = node_ips.get(n).cloned().unwrap_or_default();
                let half = ips.len().min(PODS_PER_NODE / 2);
                let mut eth0 = vec![node.ip];
                eth0.extend(ips.iter().take(half));
                let key = format!("{cname}/node-{n}");
                let mut enis = vec![self.eni(EniSpec::new(format!("{key}/eth0"), &node.subnet, eth0, groups.clone()))];
                if ips.len() > half {
                    let ip1 = self.alloc(&node.subnet, &mut rng)?;
                    let mut eth1 = vec![ip1];
                    eth1.extend(ips.iter().skip(half));
                    let mut spec = EniSpec::new(format!("{key}/eth1"), &node.subnet, eth1, groups.clone());
                    spec.desc = "aws-K8S-".to_string() + &node.instance_id;
                    spec.tags = vec![
                        ("cluster.k8s.amazonaws.com/name".into(), cname.clone()),
                        ("node.k8s.amazonaws.com/instance_id".into(), node.instance_id.clone()),
                    ];
                    enis.push(self.eni(spec));
                }
                let owned = format!("kubernetes.io/cluster/{cname}");
                let asg = format!("eks-{nodegroup}-{}", self.ids.uuid(&format!("asg/{cname}")));
                let name = format!("{cname}-general-node");
                self.instance(
                    &key,
                    &node.subnet,
                    enis,
                    "m5.xlarge",
                    &[
                        ("Name", &name),
                        ("aws:autoscaling:groupName", &asg),
                        ("eks:cluster-name", &cname),
                        ("eks:nodegroup-name", &nodegroup),
                        (&owned, "owned"),
                    ],
                );
            }

            // Kubernetes objects.
            let mut pod_items = Vec::new();
            for (p, (n, ip)) in plans.iter().zip(&pod_ips) {
                let Some(node) = nodes.get(*n) else { continue };
                pod_items.push(self.pod_json(&cname, p, node, *ip));
            }
            let ds_rev = self.ids.hex(&format!("rev/{cname}"), 10);
            for node in &nodes {
                for (ds, app, sa) in [("aws-node", "aws-node", "aws-node"), ("kube-proxy", "kube-proxy", "kube-proxy")]
                {
                    let p = PodPlan {
                        namespace: "kube-system".into(),
                        name: format!("{ds}-{}", rng.name(5)),
                        labels: json!({"controller-revision-hash": ds_rev, "k8s-app": app, "pod-template-generation": "1"}),
                        containers: json!([container(ds, &format!("{AWS_ECR}/eks/{ds}:v1.31.3-eksbuild.1"), &[])]),
                        owner: ("DaemonSet".into(), ds.into()),
                        service_account: sa.into(),
                        host_network: true,
                    };
                    pod_items.push(self.pod_json(&cname, &p, node, node.ip));
                }
            }
            pod_items.sort_by(|a, b| {
                let k = |v: &Value| (v["metadata"]["namespace"].to_string(), v["metadata"]["name"].to_string());
                k(a).cmp(&k(b))
            });
            self.sizes.pods += pod_items.len();
            self.sizes.app_pods += plans.iter().filter(|p| p.namespace.starts_with("tenant-")).count();
            self.sizes.nodes += nodes.len();

            let base = format!("k8s/{cname}");
            files.json(&format!("{base}/pods.json"), &k8s_list(pod_items))?;
            let node_items: Vec<Value> = nodes.iter().map(|n| self.node_json(&cname, &nodegroup, n)).collect();
            files.json(&format!("{base}/nodes.json"), &k8s_list(node_items))?;

            let mut ns_items = Vec::new();
            for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
                ns_items.push(self.namespace_json(&cname, ns, None));
            }
            for &t in &my_tenants {
                ns_items.push(self.namespace_json(&cname, &Self::tenant_name(t), Some(&Self::tenant_name(t))));
            }
            files.yaml(&format!("{base}/namespaces.yaml"), &k8s_list(ns_items))?;

            let mut svc_rng = 10u32;
            let mut svc = |ns: &str, name: &str, selector: Value, ports: Value, ip: Option<&str>| {
                svc_rng += 1;
                let ip = ip.map(str::to_string).unwrap_or_else(|| {
                    let n = svc_rng;
                    format!("172.20.{}.{}", n / 250, n % 250 + 1)
                });
                json!({"apiVersion": "v1", "kind": "Service",
                       "metadata": {"name": name, "namespace": ns, "uid": self.ids.uuid(&format!("svc/{cname}/{ns}/{name}"))},
                       "spec": {"clusterIP": ip, "clusterIPs": [ip], "internalTrafficPolicy": "Cluster",
                                "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "ports": ports,
                                "selector": selector, "sessionAffinity": "None", "type": "ClusterIP"},
                       "status": {"loadBalancer": {}}})
            };
            let mut svcs = vec![svc(
                "kube-system",
                "kube-dns",
                json!({"k8s-app": "kube-dns"}),
                json!([{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                       {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53}]),
                Some("172.20.0.10"),
            )];
            for &t in &my_tenants {
                for k in 0..apps {
                    let app = app_name(k);
                    svcs.push(svc(
                        &Self::tenant_name(t),
                        &app,
                        json!({"app": app}),
                        json!([{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"}]),
                        None,
                    ));
                }
            }
            files.yaml(&format!("{base}/services.yaml"), &k8s_list(svcs))?;

            let mut pol_rng = Rng::new(self.s.seed, &format!("policies/{cname}"));
            let mut pols = Vec::new();
            for &t in &my_tenants {
                let peers: Vec<usize> = my_tenants.iter().copied().filter(|p| *p != t).collect();
                let budget = split(self.s.total_policies(), tenants, t);
                pols.extend(self.tenant_policies(t, budget, &peers, &mut pol_rng));
            }
            self.sizes.network_policies += pols.len();
            files.yaml(&format!("{base}/networkpolicies.yaml"), &k8s_list(pols))?;

            toml.extend([
                "[[cluster]]".to_string(),
                format!("name = \"{cname}\""),
                format!("account = \"{ACCOUNT}\""),
                format!("region = \"{REGION}\""),
                format!("vpc = \"{vpc_id}\"                 # {vname} {vcidr}"),
                "external_snat = false".to_string(),
                "pod_security_group_enforcing_mode = \"strict\"".to_string(),
                "network_policy_enforcement = true".to_string(),
                String::new(),
            ]);
        }
        self.sizes.clusters = spokes;
        self.sizes.tenants = tenants;
        let mut text = toml.join("\n");
        while text.ends_with('\n') {
            text.pop();
        }
        text.push('\n');
        files.text("snapshot.toml", text);
        Ok(())
    }

    fn pod_json(&self, cname: &str, p: &PodPlan, node: &NodeInfo, ip: Ipv4Addr) -> Value {
        let uid = self.ids.uuid(&format!("pod/{cname}/{}/{}", p.namespace, p.name));
        let mut spec = json!({
            "containers": p.containers,
            "dnsPolicy": if p.host_network { "ClusterFirstWithHostNet" } else { "ClusterFirst" },
            "enableServiceLinks": true,
            "nodeName": node.name,
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "serviceAccount": p.service_account,
            "serviceAccountName": p.service_account,
            "terminationGracePeriodSeconds": 30,
        });
        if let (true, Some(o)) = (p.host_network, spec.as_object_mut()) {
            o.insert("hostNetwork".into(), json!(true));
        }
        let conditions: Vec<Value> =
            ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
                .iter()
                .map(|t| json!({"lastProbeTime": null, "lastTransitionTime": T_K8S, "status": "True", "type": t}))
                .collect();
        let generate_name = match p.name.rfind('-') {
            Some(i) => p.name[..=i].to_string(),
            None => p.name.clone(),
        };
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "creationTimestamp": T_K8S,
                "generateName": generate_name,
                "labels": p.labels,
                "name": p.name,
                "namespace": p.namespace,
                "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": true, "controller": true,
                                     "kind": p.owner.0, "name": p.owner.1,
                                     "uid": self.ids.uuid(&format!("owner/{cname}/{}/{}", p.namespace, p.owner.1))}],
                "resourceVersion": (100_000 + self.ids.hash(&uid) % 900_000).to_string(),
                "uid": uid,
            },
            "spec": spec,
            "status": {
                "conditions": conditions,
                "hostIP": node.ip.to_string(),
                "hostIPs": [{"ip": node.ip.to_string()}],
                "phase": "Running",
                "podIP": ip.to_string(),
                "podIPs": [{"ip": ip.to_string()}],
                "qosClass": "Burstable",
                "startTime": T_K8S,
            },
        })
    }

    fn node_json(&self, cname: &str, nodegroup: &str, n: &NodeInfo) -> Value {
        let (az, az_id) = AZS[n.az % 2];
        json!({
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "annotations": {"alpha.kubernetes.io/provided-node-ip": n.ip.to_string()},
                "creationTimestamp": "2026-10-20T08:12:55Z",
                "labels": {
                    "eks.amazonaws.com/capacityType": "ON_DEMAND",
                    "eks.amazonaws.com/nodegroup": nodegroup,
                    "kubernetes.io/arch": "amd64",
                    "kubernetes.io/hostname": n.name,
                    "kubernetes.io/os": "linux",
                    "node.kubernetes.io/instance-type": "m5.xlarge",
                    "topology.k8s.aws/zone-id": az_id,
                    "topology.kubernetes.io/region": REGION,
                    "topology.kubernetes.io/zone": az,
                },
                "name": n.name,
                "uid": self.ids.uuid(&format!("node/{cname}/{}", n.name)),
            },
            "spec": {"providerID": format!("aws:///{az}/{}", n.instance_id)},
            "status": {
                "addresses": [{"address": n.ip.to_string(), "type": "InternalIP"},
                              {"address": n.name, "type": "InternalDNS"},
                              {"address": n.name, "type": "Hostname"}],
                "allocatable": {"cpu": "3920m", "memory": "14880060Ki", "pods": "58"},
                "capacity": {"cpu": "4", "memory": "15896892Ki", "pods": "58"},
                "conditions": [{"lastHeartbeatTime": "2026-11-02T09:10:31Z", "lastTransitionTime": "2026-10-20T08:12:55Z",
                                "message": "kubelet is posting ready status", "reason": "KubeletReady",
                                "status": "True", "type": "Ready"}],
                "nodeInfo": {"architecture": "amd64", "containerRuntimeVersion": "containerd://1.7.23",
                             "kubeletVersion": "v1.31.3-eks-59bf375", "operatingSystem": "linux",
                             "osImage": "Amazon Linux 2023.6.20241121"},
            },
        })
    }

    fn namespace_json(&self, cname: &str, ns: &str, tenant: Option<&str>) -> Value {
        let mut labels = json!({"kubernetes.io/metadata.name": ns});
        if let (Some(t), Some(o)) = (tenant, labels.as_object_mut()) {
            o.insert("tenant".into(), json!(t));
        }
        json!({"apiVersion": "v1", "kind": "Namespace",
               "metadata": {"creationTimestamp": "2026-03-02T12:00:00Z", "labels": labels, "name": ns,
                            "uid": self.ids.uuid(&format!("ns/{cname}/{ns}"))},
               "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
    }

    // ---- the AWS files ---------------------------------------------------------

    fn aws_files(&mut self, files: &mut Files) -> Result<(), GenerateError> {
        let base = format!("aws/{ACCOUNT}/{REGION}");
        let vpcs: Vec<Value> = self
            .vpcs
            .iter()
            .map(|v| {
                json!({
                    "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
                    "CidrBlock": v.cidr.to_string(),
                    "CidrBlockAssociationSet": [{"AssociationId": self.ids.rid("vpc-cidr-assoc", &v.name),
                                                 "CidrBlock": v.cidr.to_string(),
                                                 "CidrBlockState": {"State": "associated"}}],
                    "DhcpOptionsId": self.ids.rid("dopt", ACCOUNT),
                    "InstanceTenancy": "default",
                    "IsDefault": false,
                    "OwnerId": ACCOUNT,
                    "State": "available",
                    "Tags": tags(&[("Name", &v.name)]),
                    "VpcId": v.id,
                })
            })
            .collect();
        files.json(&format!("{base}/describe-vpcs.json"), &json!({"Vpcs": vpcs}))?;
        let mut subnets = Vec::new();
        for v in &self.vpcs {
            for key in &v.subnets {
                let Some(s) = self.subnets.get(key) else { continue };
                let (az, az_id) = AZS[s.az % 2];
                let size = 1usize << (32 - u32::from(s.cidr.prefix_len()));
                let mut t = vec![("Name".to_string(), format!("{}-{}", v.name, s.name))];
                if let VpcRole::Spoke(i) = v.role {
                    t.push((format!("kubernetes.io/cluster/{}", Self::cluster_name(i)), "shared".into()));
                    if s.name.starts_with("private") {
                        t.push(("kubernetes.io/role/internal-elb".into(), "1".into()));
                    }
                    if s.name.starts_with("public") {
                        t.push(("kubernetes.io/role/elb".into(), "1".into()));
                    }
                }
                let tp: Vec<(&str, &str)> = t.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
                subnets.push(json!({
                    "AssignIpv6AddressOnCreation": false,
                    "AvailabilityZone": az,
                    "AvailabilityZoneId": az_id,
                    "AvailableIpAddressCount": size.saturating_sub(5 + s.used.len()),
                    "CidrBlock": s.cidr.to_string(),
                    "DefaultForAz": false,
                    "Ipv6CidrBlockAssociationSet": [],
                    "MapPublicIpOnLaunch": false,
                    "OwnerId": ACCOUNT,
                    "State": "available",
                    "SubnetArn": format!("arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{}", s.id),
                    "SubnetId": s.id,
                    "Tags": tags(&tp),
                    "VpcId": v.id,
                }));
            }
        }
        files.json(&format!("{base}/describe-subnets.json"), &json!({"Subnets": subnets}))?;
        let mut sgs = std::mem::take(&mut self.sg_json);
        sgs.sort_by(|a, b| a["GroupId"].to_string().cmp(&b["GroupId"].to_string()));
        files.json(&format!("{base}/describe-security-groups.json"), &json!({"SecurityGroups": sgs}))?;
        files.json(&format!("{base}/describe-network-acls.json"), &json!({"NetworkAcls": self.nacls}))?;
        files.json(&format!("{base}/describe-route-tables.json"), &json!({"RouteTables": self.route_tables}))?;
        let mut enis = std::mem::take(&mut self.enis);
        enis.sort_by(|a, b| a["NetworkInterfaceId"].to_string().cmp(&b["NetworkInterfaceId"].to_string()));
        self.sizes.network_interfaces = enis.len();
        files.json(&format!("{base}/describe-network-interfaces.json"), &json!({"NetworkInterfaces": enis}))?;
        self.sizes.instances = self.reservations.len();
        files.json(&format!("{base}/describe-instances.json"), &json!({"Reservations": self.reservations}))?;
        files.json(&format!("{base}/describe-internet-gateways.json"), &json!({"InternetGateways": self.igws}))?;
        files.json(&format!("{base}/describe-nat-gateways.json"), &json!({"NatGateways": self.nats}))?;
        files.json(&format!("{base}/describe-vpc-endpoints.json"), &json!({"VpcEndpoints": []}))?;
        files.json(&format!("{base}/describe-vpc-peering-connections.json"), &json!({"VpcPeeringConnections": []}))?;
        Ok(())
    }
}

/// Output files being collected.
struct Files {
    map: BTreeMap<String, Vec<u8>>,
    sizes_tgw_routes: usize,
}

impl Files {
    fn json(&mut self, path: &str, v: &Value) -> Result<(), GenerateError> {
        let mut text = serde_json::to_string_pretty(v)
            .map_err(|e| GenerateError::Serialise { path: path.to_string(), message: e.to_string() })?;
        text.push('\n');
        self.map.insert(path.to_string(), text.into_bytes());
        Ok(())
    }

    fn yaml(&mut self, path: &str, v: &Value) -> Result<(), GenerateError> {
        let text = serde_yaml_ng::to_string(v)
            .map_err(|e| GenerateError::Serialise { path: path.to_string(), message: e.to_string() })?;
        self.map.insert(path.to_string(), text.into_bytes());
        Ok(())
    }

    fn text(&mut self, path: &str, text: String) {
        self.map.insert(path.to_string(), text.into_bytes());
    }
}

/// Generates the snapshot in memory.
pub fn generate(s: &Settings) -> Result<Generated, GenerateError> {
    s.validate()?;
    let mut b = Builder::new(s);
    let mut files = Files { map: BTreeMap::new(), sizes_tgw_routes: 0 };
    b.layout();
    b.routing();
    b.hub_security_groups();
    b.infrastructure()?;
    b.tenant_security_groups()?;
    b.clusters(&mut files)?;
    b.transit_gateway(&mut files)?;
    b.sizes.firewall_rules = b.firewall(&mut files)?;
    b.aws_files(&mut files)?;
    b.sizes.transit_gateway_routes = files.sizes_tgw_routes;
    files.text(
        "README.md",
        format!(
            "# synthetic estate (scale {})\n\nGenerated by `netprove generate --scale {} --seed {}`; do not edit.\n\
             Hub and spoke: {} spoke VPCs with one EKS cluster each, an inspection VPC with\n\
             AWS Network Firewall `inspection-fw`, an egress VPC with NAT gateways, and\n\
             transit gateway route tables `pre-inspection` and `post-inspection`.\n",
            s.scale,
            s.scale,
            s.seed,
            s.spokes()
        ),
    );
    b.sizes.files = files.map.len();
    b.sizes.bytes = files.map.values().map(Vec::len).sum();
    Ok(Generated { files: files.map, sizes: b.sizes })
}

impl Sizes {
    /// One line per size, for the CLI.
    pub fn render(&self) -> String {
        format!(
            "vpcs {}  subnets {}  clusters {}  tenants {}  nodes {}\n\
             pods {} ({} application)  network policies {}\n\
             security groups {} ({} rules)  network acls {}  route tables {}\n\
             network interfaces {}  instances {}  tgw routes {}  firewall rules {}\n\
             {} files, {:.1} MB\n",
            self.vpcs,
            self.subnets,
            self.clusters,
            self.tenants,
            self.nodes,
            self.pods,
            self.app_pods,
            self.network_policies,
            self.security_groups,
            self.security_group_rules,
            self.network_acls,
            self.route_tables,
            self.network_interfaces,
            self.instances,
            self.transit_gateway_routes,
            self.firewall_rules,
            self.files,
            self.bytes as f64 / 1_000_000.0
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_spreads_the_remainder() {
        let v: Vec<usize> = (0..3).map(|i| split(10, 3, i)).collect();
        assert_eq!(v, vec![4, 3, 3]);
        assert_eq!(split(5, 0, 0), 0);
    }

    #[test]
    fn ids_are_stable_and_aws_shaped() {
        let ids = Ids { seed: 1 };
        let a = ids.rid("sg", "x");
        assert_eq!(a, ids.rid("sg", "x"));
        assert_eq!(a.len(), "sg-".len() + 17);
        assert_ne!(a, Ids { seed: 2 }.rid("sg", "x"));
        assert_eq!(ids.uuid("u").len(), 36);
    }
}
