#!/usr/bin/env python3
"""Generate the `netprove trace` scenario corpus.

Usage:  python3 tests/tools/gen_trace_scenarios.py tests/data/trace

Deterministic.  Every scenario is a tiny snapshot plus `flows.jsonl`; every
expected verdict is derived from the AWS / Kubernetes documentation cited in
the flow's `note` (never from netprove's code).  The verdict contract:
`allowed` = request delivered and reply back (stateless filters must pass the
reply, stateful ones pass it by state); `denied` = some hop drops the request
or the reply (`blocked_by` names that resource when unambiguous); `unknown` =
the outcome depends on something the model approximates.
"""

import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import A1, A2, ALL_OUT, Scenario, five_tuple, perm, stateless_rule  # noqa: E402
import scenarios_aws_audit  # noqa: E402

INTERNET_CLIENT = "203.0.113.7"
INTERNET_SERVER = "198.51.100.20"

# --------------------------------------------------------------------------
# documentation anchors used in notes
# --------------------------------------------------------------------------
D = {
    "sg": "VPC UG 'Security group rules' https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    "sg_state": "EC2 UG 'Security group connection tracking' (responses to allowed inbound traffic may flow out "
                "regardless of outbound rules) https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html",
    "sg_ref": "VPC UG 'Security group rules' / 'Security group referencing' (rule matches the private IPs of ENIs "
              "carrying the referenced group) https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    "sg_default": "VPC UG 'Default security groups' (inbound all from the group itself) "
                  "https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
    "sg_proto": "EC2 API IpPermission.IpProtocol (-1 = all protocols, all ports; for icmp FromPort=type, "
                "ToPort=code) https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html",
    "pcx_sg": "VPC Peering Guide 'Update your security groups to reference peer security groups' "
              "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html",
    "nacl": "VPC UG 'Control subnet traffic with network ACLs' (rules evaluated in order from the lowest "
            "number; first match wins; final * deny; stateless) https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
    "nacl_intra": "VPC UG network ACLs: rules are evaluated when traffic enters and leaves the subnet, not as it "
                  "is routed within a subnet https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
    "nacl_eph": "VPC UG 'Ephemeral ports' (responses are subject to the outbound rules; the client picks the "
                "ephemeral port) https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html",
    "rt": "VPC UG 'Route tables' https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html",
    "rt_prio": "VPC UG 'Route priority' (longest prefix match) "
               "https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html",
    "rt_bh": "VPC UG 'Route tables' (State blackhole: the route's target isn't available; traffic is dropped) "
             "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html",
    "rt_main": "VPC UG 'Subnet route tables' (a subnet not explicitly associated uses the main route table) "
               "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-route-tables.html",
    "rt_mb": "VPC UG 'Route tables' middlebox routing: a route more specific than local must match a whole "
             "subnet CIDR and target a NAT gateway, ENI or Gateway Load Balancer endpoint "
             "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html",
    "rt_gw": "VPC UG 'Gateway route tables' (edge association with an internet gateway routes inbound traffic "
             "to a middlebox) https://docs.aws.amazon.com/vpc/latest/userguide/gateway-route-tables.html",
    "igw": "VPC UG 'Internet gateways' (one-to-one NAT for instances with a public IPv4 / Elastic IP; an "
           "instance needs a public IPv4 address to communicate with the internet) "
           "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html",
    "nat": "VPC UG 'NAT gateways' (replaces the source IP with the NAT gateway's address; external services "
           "cannot initiate a connection; supports TCP, UDP, ICMP) https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html",
    "nat_ports": "VPC UG 'NAT gateway basics' / network ACL ephemeral ports (a NAT gateway uses ports "
                 "1024-65535) https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html",
    "nat_priv": "VPC UG 'NAT gateways' (private NAT gateway: if you route it to an internet gateway, the "
                "internet gateway drops the traffic) https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html",
    "pcx": "VPC Peering Guide 'How VPC peering connections work' (routes needed on both sides) "
           "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html",
    "pcx_trans": "VPC Peering Guide 'VPC peering limitations' (no transitive peering) "
                 "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html",
    "pcx_edge": "VPC Peering Guide 'VPC peering limitations' (no edge to edge routing through an internet "
                "gateway or NAT device) https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html",
    "tgw": "TGW Guide 'How transit gateways work' (the route table associated with the attachment the packet "
           "arrives on decides) https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html",
    "tgw_rt": "TGW Guide 'Transit gateway route tables' / route evaluation order (most specific first; static "
              "before propagated; blackhole drops) https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html",
    "tgw_az": "TGW Guide 'VPC attachments' (resources in an AZ where the attachment has no subnet cannot reach "
              "the transit gateway) https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html",
    "tgw_app": "TGW Guide 'Appliance in a shared services VPC' + NFW 'Transit gateway attachment configuration' "
               "(appliance mode keeps both directions of a flow in one AZ; without it the return traffic can "
               "use another AZ's endpoint) https://docs.aws.amazon.com/network-firewall/latest/developerguide/vpc-config-tgw-multi-az.html",
    "nfw_asym": "NFW 'Asymmetric routing' (request and response must go through the same firewall endpoint; "
                "asymmetric routing is not supported) https://docs.aws.amazon.com/network-firewall/latest/developerguide/asymmetric-routing.html",
    "nfw_proc": "NFW 'How the firewall processes packets' (stateless groups by priority, first match wins; "
                "aws:pass / aws:drop / aws:forward_to_sfe; default actions when nothing matches) "
                "https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-policy-processing.html",
    "nfw_order": "NFW 'Evaluation order for stateful rules' (action order: pass, drop, reject, alert) "
                 "https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-rule-evaluation-order.html",
    "nfw_strict": "NFW 'Evaluation order for stateful rules' strict order default actions (Drop all; Drop "
                  "established: TCP handshake allowed, established client-to-server packets dropped, "
                  "connectionless UDP/ICMP all dropped) https://docs.aws.amazon.com/network-firewall/latest/developerguide/suricata-rule-evaluation-order.html",
    "nfw_5t": "NFW 'Standard stateful rule groups' (5-tuple) "
              "https://docs.aws.amazon.com/network-firewall/latest/developerguide/stateful-rule-groups-basic.html",
    "nfw_dom": "NFW 'Stateful domain list rule groups' (ALLOWLIST of TLS_SNI/HTTP_HOST; '.example.com' matches "
               "example.com and subdomains; non-matching TLS/HTTP from HOME_NET dropped) "
               "https://docs.aws.amazon.com/network-firewall/latest/developerguide/stateful-rule-groups-domain-names.html",
    "nfw_sur": "NFW 'Suricata compatible rule strings' + Suricata flow keyword "
               "https://docs.aws.amazon.com/network-firewall/latest/developerguide/stateful-rule-groups-ips.html",
    "nfw_rt": "NFW 'VPC route table configuration' (customer subnet and IGW edge route tables send traffic to "
              "the firewall endpoint) https://docs.aws.amazon.com/network-firewall/latest/developerguide/vpc-config-route-tables.html",
    "np": "Kubernetes 'Network Policies' https://kubernetes.io/docs/concepts/services-networking/network-policies/",
    "np_types": "Kubernetes NetworkPolicy policyTypes: Ingress always set, Egress set if the policy has egress "
                "rules https://kubernetes.io/docs/concepts/services-networking/network-policies/",
    "np_peer": "Kubernetes 'Behavior of to and from selectors' (one element with namespaceSelector and "
               "podSelector = AND; separate elements = OR) https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors",
    "sgp": "EKS UG 'Security groups for Pods' (branch ENI carries the SecurityGroupPolicy groups) "
           "https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html",
    "sgp_mode": "amazon-vpc-cni-k8s README POD_SECURITY_GROUP_ENFORCING_MODE (strict: all traffic of SG pods "
                "enforced by their SGs; standard: same-host pod traffic not enforced, outside-VPC traffic SNATed "
                "to eth0 and governed by the node SG when external SNAT is off) https://github.com/aws/amazon-vpc-cni-k8s#pod_security_group_enforcing_mode-v1110",
    "snat": "EKS UG 'Enable outbound internet access for Pods' / amazon-vpc-cni-k8s AWS_VPC_K8S_CNI_EXTERNALSNAT "
            "(false: traffic to destinations outside the VPC CIDRs is SNATed to the node's primary IP) "
            "https://docs.aws.amazon.com/eks/latest/userguide/external-snat.html",
    "cni": "EKS UG 'Amazon VPC CNI' (pods get VPC IPs as secondary IPs of node ENIs; node ENI security groups "
           "apply) https://docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html",
}


def cite(*keys):
    return " [" + "; ".join(D[k] for k in keys) + "]"


SCENARIOS = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


# --------------------------------------------------------------------------
# small topologies
# --------------------------------------------------------------------------

def one_vpc(s, cidr="10.0.0.0/16", subnets=(("app", "10.0.1.0/24", "a"),), key="main", account=A1):
    v = s.vpc(key, cidr, account=account)
    subs = {n: s.subnet(v, n, c, az) for n, c, az in subnets}
    return v, subs


def peered(s, a_cidr="10.0.0.0/16", b_cidr="10.1.0.0/16", routes_a=True, routes_b=True, b_account=A1):
    va, sa = one_vpc(s, a_cidr, (("app", a_cidr.replace("0.0/16", "1.0/24"), "a"),), key="vpc-a")
    vb, sb = one_vpc(s, b_cidr, (("app", b_cidr.replace("0.0/16", "1.0/24"), "a"),), key="vpc-b",
                     account=b_account)
    pcx = s.peering(va, vb)
    rta = s.rtb(va, "app", [sa["app"]], [s.route(b_cidr, pcx=pcx)] if routes_a else [])
    rtb = s.rtb(vb, "app", [sb["app"]], [s.route(a_cidr, pcx=pcx)] if routes_b else [])
    return va, sa["app"], vb, sb["app"], pcx, rta, rtb


def sg_from(s, vpc, name, proto, lo, hi, cidr, egress=None):
    return s.sg(vpc, name, [perm(proto, lo, hi, cidrs=[cidr])], egress=egress)


# ==========================================================================
# security groups
# ==========================================================================

@scenario
def sg_stateful_reply():
    s = Scenario("001-sg-stateful-reply", "Security group is stateful: the server has no outbound rules",
                 "SG stateful reply with no egress rule; server cannot initiate; port not allowed")
    v, sub = one_vpc(s)
    server_sg = s.sg(v, "web-server", [perm("tcp", 80, 80, cidrs=["10.0.0.0/16"])], egress=[])
    client_sg = s.sg(v, "client", [perm("tcp", 22, 22, cidrs=["10.0.0.0/16"])])
    ci, _ = s.instance(sub["app"], "10.0.1.10", [client_sg], name="client")
    si, _ = s.instance(sub["app"], "10.0.1.20", [server_sg], name="server")
    s.flow(ci, si, "tcp", 80, "allowed",
           "server SG allows tcp/80 in; its empty egress does not matter for the reply, which is tracked"
           + cite("sg_state"))
    s.flow(si, ci, "tcp", 22, "denied",
           "server-initiated connection: server SG has no outbound rules, so nothing can leave it" + cite("sg"),
           blocked_by=server_sg["GroupId"])
    s.flow(ci, si, "tcp", 443, "denied", "server SG allows only tcp/80 inbound" + cite("sg"),
           blocked_by=server_sg["GroupId"])
    return s


@scenario
def sg_union():
    s = Scenario("002-sg-union-of-groups", "Two security groups on one ENI: rules are a union",
                 "SG union over all groups of an ENI")
    v, sub = one_vpc(s)
    ssh = s.sg(v, "ssh", [perm("tcp", 22, 22, cidrs=["10.0.0.0/16"])])
    https = s.sg(v, "https", [perm("tcp", 443, 443, cidrs=["10.0.0.0/16"])])
    ci, ce = s.instance(sub["app"], "10.0.1.10", [s.sg(v, "client")], name="client")
    si, se = s.instance(sub["app"], "10.0.1.20", [ssh, https], name="server")
    s.flow(ce["NetworkInterfaceId"], se["NetworkInterfaceId"], "tcp", 22, "allowed",
           "allowed by group ssh; rules of all groups on the ENI are aggregated" + cite("sg"))
    s.flow("10.0.1.10", "10.0.1.20", "tcp", 443, "allowed", "allowed by group https (union)" + cite("sg"))
    s.flow(ci, si, "tcp", 8080, "denied", "neither group allows tcp/8080; SGs are allow-only" + cite("sg"))
    return s


@scenario
def sg_group_reference():
    s = Scenario("003-sg-group-reference", "Security group referencing another group",
                 "SG group reference: member allowed, non-member denied")
    v, sub = one_vpc(s, subnets=(("app", "10.0.1.0/24", "a"), ("db", "10.0.2.0/24", "a")))
    app = s.sg(v, "app")
    other = s.sg(v, "other")
    db = s.sg(v, "db", [perm("tcp", 5432, 5432, groups=[app])])
    ai, _ = s.instance(sub["app"], "10.0.1.10", [app], name="app")
    oi, _ = s.instance(sub["app"], "10.0.1.11", [other], name="other")
    di, _ = s.instance(sub["db"], "10.0.2.10", [db], name="db")
    s.flow(ai, di, "tcp", 5432, "allowed", "source ENI carries sg app, which the db SG references" + cite("sg_ref"))
    s.flow(oi, di, "tcp", 5432, "denied", "source ENI is not a member of sg app" + cite("sg_ref"),
           blocked_by=db["GroupId"])
    s.flow(ai, di, "tcp", 5433, "denied", "the reference only opens tcp/5432" + cite("sg"), blocked_by=db["GroupId"])
    return s


@scenario
def sg_ref_peering():
    s = Scenario("004-sg-reference-across-peering", "SG in account B references a group of peered VPC A",
                 "SG group reference across an active same-region peering (cross-account)")
    va, sa, vb, sb, pcx, _, _ = peered(s, b_account=A2)
    app = s.sg(va, "app")
    other = s.sg(va, "other")
    db = s.sg(vb, "db", [perm("tcp", 5432, 5432, groups=[(app, {"VpcId": va["VpcId"],
                                                                 "VpcPeeringConnectionId": pcx,
                                                                 "PeeringStatus": "active"})])])
    ai, _ = s.instance(sa, "10.0.1.10", [app], name="app")
    oi, _ = s.instance(sa, "10.0.1.11", [other], name="other")
    di, _ = s.instance(sb, "10.1.1.10", [db], name="db")
    s.flow(ai, di, "tcp", 5432, "allowed",
           "peered VPC group reference matches the private IP of ENIs in sg app; routes on both sides"
           + cite("pcx_sg", "sg_ref"))
    s.flow(oi, di, "tcp", 5432, "denied", "source is in the peer VPC but not in the referenced group"
           + cite("pcx_sg"), blocked_by=db["GroupId"])
    return s


@scenario
def sg_all_protocols():
    s = Scenario("005-sg-protocol-all", "IpProtocol -1 allows every protocol and port from a CIDR",
                 "SG protocol -1 (tcp, udp, icmp, other protocol numbers); source outside the CIDR")
    v, sub = one_vpc(s, subnets=(("a", "10.0.1.0/24", "a"), ("b", "10.0.2.0/24", "a")))
    srv = s.sg(v, "all-from-a", [perm("-1", cidrs=["10.0.1.0/24"])])
    c1, _ = s.instance(sub["a"], "10.0.1.10", [s.sg(v, "client")], name="client-a")
    c2, _ = s.instance(sub["b"], "10.0.2.10", [s.sg(v, "client-b")], name="client-b")
    si, _ = s.instance(sub["a"], "10.0.1.20", [srv], name="server")
    s.flow(c1, si, "udp", 53, "allowed", "-1 = all protocols and ports" + cite("sg_proto"))
    s.flow(c1, si, "tcp", 9999, "allowed", "-1 = all protocols and ports" + cite("sg_proto"))
    s.flow(c1, si, 47, None, "allowed",
           "protocol 47 (GRE) is covered by -1; other protocols are tracked by IP + protocol number"
           + cite("sg_proto", "sg_state"))
    s.flow(c2, si, "tcp", 22, "denied", "10.0.2.10 is outside 10.0.1.0/24" + cite("sg"), blocked_by=srv["GroupId"])
    return s


@scenario
def sg_icmp():
    s = Scenario("006-sg-icmp-type-code", "ICMP rule: FromPort is the type, ToPort the code",
                 "SG ICMP type/code; echo reply by state; other type denied")
    v, sub = one_vpc(s)
    srv = s.sg(v, "ping", [perm("icmp", 8, -1, cidrs=["10.0.0.0/16"])])
    ci, _ = s.instance(sub["app"], "10.0.1.10", [s.sg(v, "client")], name="client")
    si, _ = s.instance(sub["app"], "10.0.1.20", [srv], name="server")
    s.flow(ci, si, "icmp", None, "allowed", "echo request (type 8) allowed; echo reply tracked"
           + cite("sg_proto", "sg_state"), icmp=(8, 0))
    s.flow(ci, si, "icmp", None, "denied", "timestamp request (type 13) is not type 8" + cite("sg_proto"),
           icmp=(13, 0), blocked_by=srv["GroupId"])
    s.flow(ci, si, "tcp", 22, "denied", "only ICMP type 8 is allowed" + cite("sg"), blocked_by=srv["GroupId"])
    return s


@scenario
def sg_default_group():
    s = Scenario("007-sg-default-self-reference", "The VPC default group allows all traffic from itself",
                 "default SG self reference; non-member denied")
    v, sub = one_vpc(s)
    d = v["_default_sg"]
    a, _ = s.instance(sub["app"], "10.0.1.10", [d], name="member-a")
    b, _ = s.instance(sub["app"], "10.0.1.11", [d], name="member-b")
    o, _ = s.instance(sub["app"], "10.0.1.12", [s.sg(v, "outsider")], name="outsider")
    s.flow(a, b, "tcp", 6379, "allowed", "default SG: inbound all from the group itself" + cite("sg_default"))
    s.flow(b, a, "udp", 161, "allowed", "default SG: inbound all protocols from members" + cite("sg_default"))
    s.flow(o, a, "tcp", 6379, "denied", "outsider does not carry the default group" + cite("sg_default"),
           blocked_by=d["GroupId"])
    return s


@scenario
def sg_egress_restricted():
    s = Scenario("008-sg-egress-restricted", "Client SG egress is restricted",
                 "SG outbound rules on the client")
    v, sub = one_vpc(s, subnets=(("app", "10.0.1.0/24", "a"), ("srv", "10.0.2.0/24", "a")))
    cl = s.sg(v, "client", egress=[perm("tcp", 443, 443, cidrs=["10.0.2.0/24"])])
    srv = s.sg(v, "server", [perm("tcp", 80, 80, cidrs=["10.0.0.0/16"]), perm("tcp", 443, 443, cidrs=["10.0.0.0/16"])])
    ci, _ = s.instance(sub["app"], "10.0.1.10", [cl], name="client")
    si, _ = s.instance(sub["srv"], "10.0.2.10", [srv], name="server")
    s.flow(ci, si, "tcp", 443, "allowed", "client egress allows tcp/443 to 10.0.2.0/24" + cite("sg"))
    s.flow(ci, si, "tcp", 80, "denied", "client SG has no outbound rule for tcp/80" + cite("sg"),
           blocked_by=cl["GroupId"])
    return s


# ==========================================================================
# network ACLs
# ==========================================================================

def nacl_trio(s):
    v, sub = one_vpc(s, subnets=(("srv", "10.0.1.0/24", "a"), ("cli-x", "10.0.2.0/24", "a"),
                                 ("cli-y", "10.0.3.0/24", "a")))
    open_sg = s.sg(v, "open", [perm("-1", cidrs=["10.0.0.0/16"])])
    si, _ = s.instance(sub["srv"], "10.0.1.10", [open_sg], name="server")
    xi, _ = s.instance(sub["cli-x"], "10.0.2.10", [open_sg], name="client-x")
    yi, _ = s.instance(sub["cli-y"], "10.0.3.10", [open_sg], name="client-y")
    return v, sub, si, xi, yi


@scenario
def nacl_deny_before_allow():
    s = Scenario("009-nacl-deny-before-allow", "Lower-numbered deny wins over a later allow",
                 "NACL first match by ascending rule number (deny first)")
    v, sub, si, xi, yi = nacl_trio(s)
    acl = s.nacl(v, "srv", [sub["srv"]],
                 ingress=[(100, "-1", "allow", "10.0.0.0/16"), (90, "6", "deny", "10.0.2.0/24", (22, 22))],
                 egress=[(100, "-1", "allow", "10.0.0.0/16")])
    s.flow(xi, si, "tcp", 22, "denied", "inbound rule 90 (deny tcp/22 from 10.0.2.0/24) matches before rule 100"
           + cite("nacl"), blocked_by=acl)
    s.flow(yi, si, "tcp", 22, "allowed", "10.0.3.10 does not match rule 90; rule 100 allows" + cite("nacl"))
    s.flow(xi, si, "tcp", 443, "allowed", "rule 90 is tcp/22 only; rule 100 allows" + cite("nacl"))
    return s


@scenario
def nacl_allow_before_deny():
    s = Scenario("010-nacl-allow-before-deny", "Lower-numbered allow wins over a later deny",
                 "NACL first match by ascending rule number (allow first)")
    v, sub, si, xi, yi = nacl_trio(s)
    acl = s.nacl(v, "srv", [sub["srv"]],
                 ingress=[(200, "6", "deny", "10.0.0.0/16", (0, 65535)), (100, "6", "allow", "10.0.2.0/24", (22, 22))],
                 egress=[(100, "-1", "allow", "0.0.0.0/0")])
    s.flow(xi, si, "tcp", 22, "allowed", "rule 100 allows before rule 200 denies" + cite("nacl"))
    s.flow(xi, si, "tcp", 80, "denied", "rule 100 does not match tcp/80; rule 200 denies" + cite("nacl"),
           blocked_by=acl)
    s.flow(yi, si, "tcp", 22, "denied", "rule 100 is for 10.0.2.0/24 only; rule 200 denies" + cite("nacl"),
           blocked_by=acl)
    return s


@scenario
def nacl_final_deny():
    s = Scenario("011-nacl-final-deny", "Traffic matching no numbered rule hits the * (32767) deny",
                 "NACL final deny")
    v, sub, si, xi, _ = nacl_trio(s)
    acl = s.nacl(v, "srv", [sub["srv"]], ingress=[(100, "6", "allow", "10.0.0.0/16", (443, 443))],
                 egress=[(100, "6", "allow", "10.0.0.0/16", (1024, 65535))])
    s.flow(xi, si, "tcp", 443, "allowed", "rule 100 in; reply to port 50000 allowed out by rule 100" + cite("nacl"))
    s.flow(xi, si, "tcp", 80, "denied", "no rule matches tcp/80; the * rule denies" + cite("nacl"), blocked_by=acl)
    s.flow(xi, si, "udp", 443, "denied", "rule 100 is TCP only; the * rule denies UDP" + cite("nacl"), blocked_by=acl)
    return s


@scenario
def nacl_intra_subnet():
    s = Scenario("012-nacl-intra-subnet-not-evaluated", "A deny-all NACL does not affect traffic within its subnet",
                 "NACL not evaluated within a subnet; evaluated when crossing")
    v, sub = one_vpc(s, subnets=(("locked", "10.0.1.0/24", "a"), ("other", "10.0.2.0/24", "a")))
    open_sg = s.sg(v, "open", [perm("-1", cidrs=["10.0.0.0/16"])])
    acl = s.nacl(v, "deny-all", [sub["locked"]])
    a, _ = s.instance(sub["locked"], "10.0.1.10", [open_sg], name="a")
    b, _ = s.instance(sub["locked"], "10.0.1.11", [open_sg], name="b")
    c, _ = s.instance(sub["other"], "10.0.2.10", [open_sg], name="c")
    s.flow(a, b, "tcp", 5432, "allowed", "same subnet: the network ACL is not evaluated" + cite("nacl_intra"))
    s.flow(c, a, "tcp", 5432, "denied", "crossing into the locked subnet: only the * deny rules" + cite("nacl"),
           blocked_by=acl)
    s.flow(a, c, "tcp", 5432, "denied", "leaving the locked subnet: only the * deny rules" + cite("nacl"),
           blocked_by=acl)
    return s


@scenario
def nacl_ephemeral_server_side():
    s = Scenario("013-nacl-ephemeral-reply-outbound", "Server subnet NACL allows replies only to 32768-61000",
                 "NACL stateless reply: client source port inside/outside the allowed ephemeral range")
    v, sub, si, xi, _ = nacl_trio(s)
    acl = s.nacl(v, "srv", [sub["srv"]], ingress=[(100, "6", "allow", "10.0.0.0/16", (80, 80))],
                 egress=[(100, "6", "allow", "10.0.0.0/16", (32768, 61000))])
    s.flow(xi, si, "tcp", 80, "allowed", "reply to sport 50000 matches outbound rule 100" + cite("nacl_eph"))
    s.flow(xi, si, "tcp", 80, "denied", "reply to port 62000 matches no outbound rule" + cite("nacl_eph"),
           sport=62000, blocked_by=acl)
    s.flow(xi, si, "tcp", 80, "denied", "reply to port 1025 matches no outbound rule" + cite("nacl_eph"),
           sport=1025, blocked_by=acl)
    return s


@scenario
def nacl_ephemeral_client_side():
    s = Scenario("014-nacl-ephemeral-reply-inbound", "Client subnet NACL accepts replies only on 49152-65535",
                 "NACL on the client subnet blocks the reply")
    v, sub, si, xi, _ = nacl_trio(s)
    acl = s.nacl(v, "cli-x", [sub["cli-x"]], ingress=[(100, "6", "allow", "10.0.1.0/24", (49152, 65535))],
                 egress=[(100, "6", "allow", "10.0.1.0/24", (443, 443))])
    s.flow(xi, si, "tcp", 443, "allowed", "reply to sport 50000 allowed by inbound rule 100" + cite("nacl_eph"))
    s.flow(xi, si, "tcp", 443, "denied", "reply to sport 40000 hits the * deny inbound" + cite("nacl_eph"),
           sport=40000, blocked_by=acl)
    s.flow(xi, si, "tcp", 22, "denied", "request tcp/22 not allowed outbound" + cite("nacl"), blocked_by=acl)
    return s


@scenario
def nacl_icmp():
    s = Scenario("015-nacl-icmp", "NACL ICMP rules need the echo reply to be allowed too",
                 "NACL ICMP type/code; reply type 0 must pass outbound")
    v, sub = one_vpc(s, subnets=(("cli", "10.0.1.0/24", "a"), ("good", "10.0.2.0/24", "a"),
                                 ("bad", "10.0.3.0/24", "a")))
    open_sg = s.sg(v, "open", [perm("-1", cidrs=["10.0.0.0/16"])])
    ci, _ = s.instance(sub["cli"], "10.0.1.10", [open_sg], name="client")
    g, _ = s.instance(sub["good"], "10.0.2.10", [open_sg], name="good")
    b, _ = s.instance(sub["bad"], "10.0.3.10", [open_sg], name="bad")
    s.nacl(v, "good", [sub["good"]], ingress=[(100, "1", "allow", "10.0.0.0/16", {"icmp": (8, -1)})],
           egress=[(100, "1", "allow", "10.0.0.0/16", {"icmp": (0, -1)})])
    bad = s.nacl(v, "bad", [sub["bad"]], ingress=[(100, "1", "allow", "10.0.0.0/16", {"icmp": (8, -1)})],
                 egress=[(100, "6", "allow", "10.0.0.0/16", (1024, 65535))])
    s.flow(ci, g, "icmp", None, "allowed", "echo request in (type 8), echo reply out (type 0)" + cite("nacl"),
           icmp=(8, 0))
    s.flow(ci, b, "icmp", None, "denied", "echo request allowed in, but the echo reply (ICMP type 0) matches no "
           "outbound rule; NACLs are stateless" + cite("nacl"), icmp=(8, 0), blocked_by=bad)
    s.flow(ci, g, "tcp", 22, "denied", "only ICMP is allowed in" + cite("nacl"))
    return s


# ==========================================================================
# routing
# ==========================================================================

@scenario
def route_lpm():
    s = Scenario("016-route-longest-prefix", "A /24 blackhole is more specific than the /16 peering route",
                 "routing longest prefix match (less specific active route vs more specific blackhole)")
    va, sa = one_vpc(s, "10.0.0.0/16", (("app", "10.0.1.0/24", "a"),), key="vpc-a")
    vb, sb = one_vpc(s, "10.1.0.0/16", (("one", "10.1.1.0/24", "a"), ("two", "10.1.2.0/24", "a")), key="vpc-b")
    pcx = s.peering(va, vb)
    rta = s.rtb(va, "app", [sa["app"]], [s.route("10.1.0.0/16", pcx=pcx),
                                         s.route("10.1.2.0/24", tgw=s.rid("tgw", "deleted"), state="blackhole")])
    s.main_routes(vb, [s.route("10.0.0.0/16", pcx=pcx)])
    open_a = s.sg(va, "open", [perm("-1", cidrs=["10.0.0.0/8"])])
    open_b = s.sg(vb, "open", [perm("-1", cidrs=["10.0.0.0/8"])])
    ai, _ = s.instance(sa["app"], "10.0.1.10", [open_a], name="a")
    s.instance(sb["one"], "10.1.1.10", [open_b], name="b-one")
    s.instance(sb["two"], "10.1.2.10", [open_b], name="b-two")
    s.flow(ai, "10.1.1.10", "tcp", 443, "allowed", "only 10.1.0.0/16 -> pcx matches; routes both sides"
           + cite("rt_prio", "pcx"))
    s.flow(ai, "10.1.2.10", "tcp", 443, "denied", "10.1.2.0/24 (blackhole) is longer than 10.1.0.0/16 and wins"
           + cite("rt_prio", "rt_bh"), blocked_by=rta)
    return s


@scenario
def route_blackhole():
    s = Scenario("017-route-blackhole", "Default route to a deleted NAT gateway is a blackhole",
                 "routing blackhole drops; local route still works")
    v, sub = one_vpc(s, subnets=(("app", "10.0.1.0/24", "a"), ("db", "10.0.2.0/24", "a")))
    s.igw(v)
    rt = s.rtb(v, "app", [sub["app"]], [s.route("0.0.0.0/0", nat=s.rid("nat", "deleted"), state="blackhole")])
    open_sg = s.sg(v, "open", [perm("-1", cidrs=["10.0.0.0/16"])])
    ai, _ = s.instance(sub["app"], "10.0.1.10", [open_sg], name="app")
    di, _ = s.instance(sub["db"], "10.0.2.10", [open_sg], name="db")
    s.flow(ai, INTERNET_SERVER, "tcp", 443, "denied", "0.0.0.0/0 route is in state blackhole" + cite("rt_bh"),
           blocked_by=rt)
    s.flow(ai, di, "tcp", 5432, "allowed", "the local route covers the VPC CIDR" + cite("rt"))
    return s


@scenario
def route_no_route():
    s = Scenario("018-route-no-route", "A subnet route table without a default route",
                 "routing: no matching route drops")
    v, sub = one_vpc(s, subnets=(("pub", "10.0.1.0/24", "a"), ("iso", "10.0.2.0/24", "a")))
    igw = s.igw(v)
    s.rtb(v, "pub", [sub["pub"]], [s.route("0.0.0.0/0", igw=igw)])
    iso = s.rtb(v, "iso", [sub["iso"]])
    web = s.sg(v, "web")
    pi, _ = s.instance(sub["pub"], "10.0.1.10", [web], name="pub", public_ip="192.0.2.10")
    ii, _ = s.instance(sub["iso"], "10.0.2.10", [web], name="iso", public_ip="192.0.2.11")
    s.flow(pi, INTERNET_SERVER, "tcp", 443, "allowed", "0.0.0.0/0 -> igw and a public IP" + cite("igw"))
    s.flow(ii, INTERNET_SERVER, "tcp", 443, "denied",
           "the isolated subnet's table has only the local route; no route matches" + cite("rt"), blocked_by=iso)
    return s


def intra_vpc_fw(s, policy_arn, fw_name="fw", extra_subnets=(), client_sgs=None, server_sgs=None):
    """VPC 10.0.0.0/16: cli 10.0.1.0/24 and srv 10.0.2.0/24 (us-east-1a) inspected by one firewall endpoint
    through routes more specific than local; SGs allow everything within the VPC."""
    v, sub = one_vpc(s, subnets=(("cli", "10.0.1.0/24", "a"), ("srv", "10.0.2.0/24", "a"),
                                 ("fw", "10.0.0.0/28", "a")) + tuple(extra_subnets))
    eps = s.firewall(v, fw_name, [sub["fw"]], policy_arn)
    ep = eps["us-east-1a"]
    s.rtb(v, "cli", [sub["cli"]], [s.route("10.0.2.0/24", vpce=ep)])
    s.rtb(v, "srv", [sub["srv"]], [s.route("10.0.1.0/24", vpce=ep)])
    open_sg = s.sg(v, "open", [perm("-1", cidrs=["10.0.0.0/16"])])
    ci, _ = s.instance(sub["cli"], "10.0.1.10", client_sgs(v) if client_sgs else [open_sg], name="client")
    si, _ = s.instance(sub["srv"], "10.0.2.10", server_sgs(v) if server_sgs else [open_sg], name="server")
    return v, sub, ci, si, open_sg


@scenario
def route_more_specific_than_local():
    s = Scenario("019-route-more-specific-than-local-firewall",
                 "Subnet routes more specific than local send east-west traffic through a firewall endpoint",
                 "routing: route more specific than local to a firewall endpoint; intra-subnet bypass")
    rg = s.rule_group_stateful("block-ssh", stateful_rules=[
        five_tuple("DROP", "TCP", "ANY", "ANY", "10.0.2.0/24", "22", 1)])
    pol = s.fw_policy("east-west", stateful=[(rg, None)])
    v, sub, ci, si, open_sg = intra_vpc_fw(s, pol)
    c2, _ = s.instance(sub["cli"], "10.0.1.11", [open_sg], name="client-2")
    s.flow(ci, si, "tcp", 443, "allowed", "routed via the firewall endpoint both ways; no stateful rule matches "
           "tcp/443 so it passes" + cite("rt_mb", "nfw_order"))
    s.flow(ci, si, "tcp", 22, "denied", "10.0.2.0/24 -> vpce wins over local; block-ssh drops tcp/22"
           + cite("rt_mb", "nfw_5t"), blocked_by="block-ssh")
    s.flow(ci, c2, "tcp", 22, "allowed", "same subnet: traffic is not routed, so it never reaches the firewall"
           + cite("rt", "nacl_intra"))
    return s


def igw_ingress_fw(s, steer_return=True, rg=None, web_ports=(443, 22)):
    v, sub = one_vpc(s, subnets=(("pub", "10.0.1.0/24", "a"), ("fw", "10.0.0.0/28", "a")))
    igw = s.igw(v)
    rg = rg or s.rule_group_stateful("block-ssh", stateful_rules=[
        five_tuple("DROP", "TCP", "ANY", "ANY", "10.0.1.0/24", "22", 1)])
    pol = s.fw_policy("ingress", stateful=[(rg, None)])
    ep = s.firewall(v, "ingress-fw", [sub["fw"]], pol)["us-east-1a"]
    s.rtb(v, "pub", [sub["pub"]], [s.route("0.0.0.0/0", vpce=ep if steer_return else None,
                                           igw=None if steer_return else igw)])
    s.rtb(v, "fw", [sub["fw"]], [s.route("0.0.0.0/0", igw=igw)])
    edge = s.rtb(v, "igw-edge", [], [s.route("10.0.1.0/24", vpce=ep)], gateway=igw)
    web = s.sg(v, "web", [perm("tcp", p, p, cidrs=["0.0.0.0/0"]) for p in web_ports])
    wi, _ = s.instance(sub["pub"], "10.0.1.10", [web], name="web", public_ip="192.0.2.10")
    return v, sub, igw, web, wi, edge


@scenario
def route_igw_edge():
    s = Scenario("020-route-igw-edge-to-firewall", "IGW edge route table steers inbound traffic to a firewall",
                 "gateway route table (edge association) -> firewall endpoint; distributed NFW ingress")
    v, sub, igw, web, wi, edge = igw_ingress_fw(s)
    s.flow(INTERNET_CLIENT, "192.0.2.10", "tcp", 443, "allowed",
           "IGW 1:1 NAT to 10.0.1.10; edge route 10.0.1.0/24 -> vpce; firewall passes; reply 0.0.0.0/0 -> vpce"
           + cite("rt_gw", "nfw_rt", "igw"))
    s.flow(INTERNET_CLIENT, "192.0.2.10", "tcp", 22, "denied",
           "edge route sends it through the firewall; block-ssh drops it (the SG would allow it)"
           + cite("rt_gw", "nfw_5t"), blocked_by="block-ssh")
    s.flow(wi, INTERNET_SERVER, "tcp", 443, "allowed", "out via vpce then igw; reply via the edge route -> same "
           "endpoint" + cite("nfw_rt"))
    return s


@scenario
def route_igw_edge_asymmetric():
    s = Scenario("021-route-igw-edge-asymmetric", "Inbound is steered to the firewall but the reply bypasses it",
                 "asymmetric routing around a firewall (IGW edge route without the matching subnet route)")
    v, sub, igw, web, wi, edge = igw_ingress_fw(s, steer_return=False)
    pub2 = s.subnet(v, "pub2", "10.0.2.0/24")
    s.rtb(v, "pub2", [pub2], [s.route("0.0.0.0/0", igw=igw)])
    s.instance(pub2, "10.0.2.10", [web], name="web-2", public_ip="192.0.2.11")
    s.flow(INTERNET_CLIENT, "192.0.2.10", "tcp", 443, "denied",
           "request goes IGW -> edge route -> firewall endpoint, the reply 0.0.0.0/0 -> igw skips the endpoint: "
           "asymmetric routing through the firewall is not supported" + cite("nfw_asym", "rt_gw"))
    s.flow(wi, INTERNET_SERVER, "tcp", 443, "denied",
           "request leaves directly to the IGW, the reply is steered by the edge route into the firewall: asymmetric"
           + cite("nfw_asym"))
    s.flow(INTERNET_CLIENT, "192.0.2.11", "tcp", 443, "allowed",
           "10.0.2.0/24 is not in the edge route table: plain IGW path both ways" + cite("igw", "rt_gw"))
    return s


@scenario
def route_main_table():
    s = Scenario("022-route-main-table-implicit", "Implicitly associated subnets use the main route table",
                 "main route table for subnets without an explicit association")
    v, sub = one_vpc(s, subnets=(("implicit", "10.0.1.0/24", "a"), ("explicit", "10.0.2.0/24", "a")))
    igw = s.igw(v)
    s.main_routes(v, [s.route("0.0.0.0/0", igw=igw)])
    ex = s.rtb(v, "explicit", [sub["explicit"]])
    sg = s.sg(v, "egress-only")
    a, _ = s.instance(sub["implicit"], "10.0.1.10", [sg], name="implicit", public_ip="192.0.2.10")
    b, _ = s.instance(sub["explicit"], "10.0.2.10", [sg], name="explicit", public_ip="192.0.2.11")
    s.flow(a, INTERNET_SERVER, "tcp", 443, "allowed", "no explicit association: main table 0.0.0.0/0 -> igw"
           + cite("rt_main", "igw"))
    s.flow(b, INTERNET_SERVER, "tcp", 443, "denied", "explicitly associated table has only the local route"
           + cite("rt_main"), blocked_by=ex)
    return s


# ==========================================================================
# internet gateway
# ==========================================================================

def public_vpc(s):
    v, sub = one_vpc(s, subnets=(("pub", "10.0.1.0/24", "a"),))
    igw = s.igw(v)
    rt = s.rtb(v, "pub", [sub["pub"]], [s.route("0.0.0.0/0", igw=igw)])
    web = s.sg(v, "web", [perm("tcp", 443, 443, cidrs=["0.0.0.0/0"])])
    return v, sub["pub"], igw, rt, web


@scenario
def igw_public_ip():
    s = Scenario("023-igw-public-ip-inbound", "Internet reaches an instance through its public IP",
                 "IGW inbound 1:1 NAT to a public IP; SG still applies")
    v, pub, igw, rt, web = public_vpc(s)
    s.instance(pub, "10.0.1.10", [web], name="web", public_ip="192.0.2.10")
    s.flow(INTERNET_CLIENT, "192.0.2.10", "tcp", 443, "allowed", "IGW translates 192.0.2.10 -> 10.0.1.10; SG "
           "allows 443 from 0.0.0.0/0; reply via 0.0.0.0/0 -> igw" + cite("igw"))
    s.flow(INTERNET_CLIENT, "192.0.2.10", "tcp", 22, "denied", "web SG allows only tcp/443" + cite("sg"),
           blocked_by=web["GroupId"])
    return s


@scenario
def igw_no_public_ip_inbound():
    s = Scenario("024-igw-no-public-ip-inbound", "An instance without a public IP is not reachable from the internet",
                 "IGW: no public IP -> unreachable from the internet")
    v, pub, igw, rt, web = public_vpc(s)
    s.instance(pub, "10.0.1.10", [web], name="public", public_ip="192.0.2.10")
    s.instance(pub, "10.0.1.20", [web], name="private-only")
    s.flow(INTERNET_CLIENT, "10.0.1.20", "tcp", 443, "denied",
           "10.0.1.20 has no public IPv4 address; the IGW only translates public addresses, and private "
           "addresses are not routable on the internet" + cite("igw"))
    s.flow(INTERNET_CLIENT, "192.0.2.10", "tcp", 443, "allowed", "same subnet and SG, but with a public IP"
           + cite("igw"))
    return s


@scenario
def igw_no_public_ip_egress():
    s = Scenario("025-igw-no-public-ip-egress", "Without a public IP an instance cannot use the IGW",
                 "IGW: instance without public IP cannot egress; Elastic IP can")
    v, pub, igw, rt, web = public_vpc(s)
    a, _ = s.instance(pub, "10.0.1.10", [web], name="no-public-ip")
    b, _ = s.instance(pub, "10.0.1.11", [web], name="with-eip", public_ip="192.0.2.11", eip=True)
    s.flow(a, INTERNET_SERVER, "tcp", 443, "denied", "route 0.0.0.0/0 -> igw exists but the ENI has no public "
           "IPv4 / Elastic IP for the IGW's 1:1 NAT" + cite("igw"), blocked_by=igw)
    s.flow(b, INTERNET_SERVER, "tcp", 443, "allowed", "Elastic IP association on the ENI" + cite("igw"))
    return s


@scenario
def igw_public_nacl():
    s = Scenario("026-igw-public-subnet-nacl", "Public subnet NACL with explicit ephemeral ranges",
                 "NACL on a public subnet for internet traffic in both directions")
    v, pub, igw, rt, web = public_vpc(s)
    acl = s.nacl(v, "pub", [pub],
                 ingress=[(100, "6", "allow", "0.0.0.0/0", (443, 443)), (110, "6", "allow", "0.0.0.0/0", (1024, 65535))],
                 egress=[(100, "6", "allow", "0.0.0.0/0", (1024, 65535)), (110, "6", "allow", "0.0.0.0/0", (443, 443))])
    wi, _ = s.instance(pub, "10.0.1.10", [web], name="web", public_ip="192.0.2.10")
    s.flow(INTERNET_CLIENT, "192.0.2.10", "tcp", 443, "allowed", "in: rule 100; reply to 50000 out: rule 100"
           + cite("nacl_eph", "igw"))
    s.flow(wi, INTERNET_SERVER, "tcp", 443, "allowed", "out: rule 110; reply to 50000 in: rule 110"
           + cite("nacl_eph"))
    s.flow(wi, INTERNET_SERVER, "tcp", 80, "denied", "no outbound rule matches tcp/80" + cite("nacl"),
           blocked_by=acl)
    return s


# ==========================================================================
# NAT gateway
# ==========================================================================

def nat_vpc(s, pub_acl=None):
    v, sub = one_vpc(s, subnets=(("pub", "10.0.0.0/24", "a"), ("priv", "10.0.1.0/24", "a")))
    igw = s.igw(v)
    nat = s.nat(sub["pub"], "10.0.0.10", public_ip="192.0.2.50")
    s.rtb(v, "pub", [sub["pub"]], [s.route("0.0.0.0/0", igw=igw)])
    s.rtb(v, "priv", [sub["priv"]], [s.route("0.0.0.0/0", nat=nat)])
    acl = None
    if pub_acl is not None:
        acl = s.nacl(v, "pub", [sub["pub"]], ingress=pub_acl, egress=[(100, "-1", "allow", "0.0.0.0/0")])
    app = s.sg(v, "app", [perm("tcp", 443, 443, cidrs=["0.0.0.0/0"])])
    pi, _ = s.instance(sub["priv"], "10.0.1.10", [app], name="private")
    return v, sub, igw, nat, acl, pi


@scenario
def nat_egress():
    s = Scenario("027-nat-private-egress", "Private instance reaches the internet through a NAT gateway",
                 "NAT gateway SNAT for TCP, UDP and ICMP")
    v, sub, igw, nat, acl, pi = nat_vpc(s)
    s.flow(pi, INTERNET_SERVER, "tcp", 443, "allowed", "priv 0.0.0.0/0 -> nat; NAT SNAT to 10.0.0.10 and the "
           "IGW maps it to its EIP 192.0.2.50; reply translated back" + cite("nat", "igw"))
    s.flow(pi, INTERNET_SERVER, "udp", 123, "allowed", "NAT gateways support UDP" + cite("nat"))
    s.flow(pi, INTERNET_SERVER, "icmp", None, "allowed", "NAT gateways support ICMP" + cite("nat"), icmp=(8, 0))
    return s


@scenario
def nat_inbound():
    s = Scenario("028-nat-inbound-initiated", "The internet cannot initiate connections through a NAT gateway",
                 "NAT gateway drops inbound-initiated flows")
    v, sub, igw, nat, acl, pi = nat_vpc(s)
    s.flow(INTERNET_CLIENT, "192.0.2.50", "tcp", 443, "denied", "a NAT gateway does not accept connections "
           "initiated from outside" + cite("nat"), blocked_by=nat)
    s.flow(INTERNET_CLIENT, "10.0.1.10", "tcp", 443, "denied", "the private instance has no public address"
           + cite("igw"))
    s.flow(pi, INTERNET_SERVER, "tcp", 443, "allowed", "outbound through the NAT gateway works" + cite("nat"))
    return s


@scenario
def nat_nacl_no_reply():
    s = Scenario("029-nat-subnet-nacl-blocks-reply", "NAT subnet NACL admits the private subnet but not replies",
                 "NACL on the NAT subnet blocking the internet reply")
    v, sub, igw, nat, acl, pi = nat_vpc(s, pub_acl=[(100, "-1", "allow", "10.0.0.0/16")])
    s.flow(pi, INTERNET_SERVER, "tcp", 443, "denied", "the reply from the internet to the NAT gateway (dport in "
           "1024-65535) matches no inbound rule of the NAT subnet" + cite("nat_ports", "nacl"), blocked_by=acl)
    return s


@scenario
def nat_nacl_full():
    s = Scenario("030-nat-subnet-nacl-full-ephemeral", "NAT subnet NACL admits tcp 1024-65535 from anywhere",
                 "NACL on the NAT subnet allowing the whole NAT port range; UDP not allowed")
    v, sub, igw, nat, acl, pi = nat_vpc(s, pub_acl=[(100, "-1", "allow", "10.0.0.0/16"),
                                                    (110, "6", "allow", "0.0.0.0/0", (1024, 65535))])
    s.flow(pi, INTERNET_SERVER, "tcp", 443, "allowed", "whatever source port 1024-65535 the NAT gateway picks, "
           "the reply matches inbound rule 110" + cite("nat_ports", "nacl"))
    s.flow(pi, INTERNET_SERVER, "udp", 123, "denied", "rule 110 is TCP only; the UDP reply hits the * deny"
           + cite("nacl"), blocked_by=acl)
    return s


@scenario
def nat_nacl_partial():
    s = Scenario("031-nat-subnet-nacl-partial-ephemeral", "NAT subnet NACL admits only tcp 32768-65535",
                 "NAT source-port choice vs a NACL allowing part of 1024-65535 -> unknown")
    v, sub, igw, nat, acl, pi = nat_vpc(s, pub_acl=[(100, "-1", "allow", "10.0.0.0/16"),
                                                    (110, "6", "allow", "0.0.0.0/0", (32768, 65535))])
    s.flow(pi, INTERNET_SERVER, "tcp", 443, "unknown", "the NAT gateway may pick any source port in 1024-65535; "
           "the reply passes only if it picked one in 32768-65535" + cite("nat_ports", "nacl"))
    s.flow(pi, INTERNET_SERVER, "icmp", None, "denied", "no inbound rule admits the ICMP echo reply"
           + cite("nacl"), icmp=(8, 0), blocked_by=acl)
    return s


@scenario
def nat_private_to_igw():
    s = Scenario("032-nat-private-to-igw", "A private NAT gateway routed to an internet gateway",
                 "private NAT -> IGW drops; public NAT works")
    v, sub = one_vpc(s, subnets=(("pub", "10.0.0.0/24", "a"), ("priv-a", "10.0.1.0/24", "a"),
                                 ("priv-b", "10.0.2.0/24", "a")))
    igw = s.igw(v)
    pnat = s.nat(sub["pub"], "10.0.0.11", key="private-nat")
    nat = s.nat(sub["pub"], "10.0.0.10", public_ip="192.0.2.50", key="public-nat")
    s.rtb(v, "pub", [sub["pub"]], [s.route("0.0.0.0/0", igw=igw)])
    s.rtb(v, "priv-a", [sub["priv-a"]], [s.route("0.0.0.0/0", nat=pnat)])
    s.rtb(v, "priv-b", [sub["priv-b"]], [s.route("0.0.0.0/0", nat=nat)])
    app = s.sg(v, "app")
    a, _ = s.instance(sub["priv-a"], "10.0.1.10", [app], name="via-private-nat")
    b, _ = s.instance(sub["priv-b"], "10.0.2.10", [app], name="via-public-nat")
    s.flow(a, INTERNET_SERVER, "tcp", 443, "denied", "private NAT translates to its private IP 10.0.0.11; the "
           "internet gateway drops it" + cite("nat_priv"))
    s.flow(b, INTERNET_SERVER, "tcp", 443, "allowed", "public NAT with Elastic IP" + cite("nat"))
    return s


# ==========================================================================
# VPC peering
# ==========================================================================

@scenario
def pcx_basic():
    s = Scenario("033-peering-routes-both-sides", "Peering with routes on both sides",
                 "peering works with routes both sides; SG still decides")
    va, sa, vb, sb, pcx, _, _ = peered(s)
    a_sg = s.sg(va, "a-app")
    b_sg = s.sg(vb, "b-web", [perm("tcp", 443, 443, cidrs=["10.0.0.0/16"])])
    ai, _ = s.instance(sa, "10.0.1.10", [a_sg], name="a")
    bi, _ = s.instance(sb, "10.1.1.10", [b_sg], name="b")
    s.flow(ai, bi, "tcp", 443, "allowed", "10.1.0.0/16 -> pcx in A, 10.0.0.0/16 -> pcx in B" + cite("pcx"))
    s.flow(bi, ai, "tcp", 22, "denied", "A's SG has no inbound rules" + cite("sg"), blocked_by=a_sg["GroupId"])
    return s


@scenario
def pcx_missing_return():
    s = Scenario("034-peering-missing-return-route", "Peering with a route on one side only",
                 "peering: missing return route")
    va, sa, vb, sb, pcx, rta, rtb = peered(s, routes_b=False)
    sga = s.sg(va, "a", [perm("-1", cidrs=["10.0.0.0/8"])])
    sgb = s.sg(vb, "b", [perm("-1", cidrs=["10.0.0.0/8"])])
    ai, _ = s.instance(sa, "10.0.1.10", [sga], name="a")
    bi, _ = s.instance(sb, "10.1.1.10", [sgb], name="b")
    s.flow(ai, bi, "tcp", 443, "denied", "request is delivered, but B's table has no route back to 10.0.0.0/16"
           + cite("pcx"), blocked_by=rtb)
    s.flow(bi, ai, "tcp", 443, "denied", "B has no route to A at all" + cite("pcx"), blocked_by=rtb)
    return s


@scenario
def pcx_non_transitive():
    s = Scenario("035-peering-non-transitive", "A-B and B-C peerings do not connect A and C",
                 "peering is not transitive")
    va, sa = one_vpc(s, "10.0.0.0/16", (("app", "10.0.1.0/24", "a"),), key="vpc-a")
    vb, sb = one_vpc(s, "10.1.0.0/16", (("app", "10.1.1.0/24", "a"),), key="vpc-b")
    vc, sc = one_vpc(s, "10.2.0.0/16", (("app", "10.2.1.0/24", "a"),), key="vpc-c")
    ab = s.peering(va, vb)
    bc = s.peering(vb, vc)
    s.rtb(va, "app", [sa["app"]], [s.route("10.1.0.0/16", pcx=ab), s.route("10.2.0.0/16", pcx=ab)])
    s.rtb(vb, "app", [sb["app"]], [s.route("10.0.0.0/16", pcx=ab), s.route("10.2.0.0/16", pcx=bc)])
    s.rtb(vc, "app", [sc["app"]], [s.route("10.1.0.0/16", pcx=bc), s.route("10.0.0.0/16", pcx=bc)])
    ai, _ = s.instance(sa["app"], "10.0.1.10", [s.sg(va, "open", [perm("-1", cidrs=["10.0.0.0/8"])])], name="a")
    bi, _ = s.instance(sb["app"], "10.1.1.10", [s.sg(vb, "open", [perm("-1", cidrs=["10.0.0.0/8"])])], name="b")
    ci, _ = s.instance(sc["app"], "10.2.1.10", [s.sg(vc, "open", [perm("-1", cidrs=["10.0.0.0/8"])])], name="c")
    s.flow(ai, bi, "tcp", 443, "allowed", "direct peering A-B" + cite("pcx"))
    s.flow(bi, ci, "tcp", 443, "allowed", "direct peering B-C" + cite("pcx"))
    s.flow(ai, ci, "tcp", 443, "denied", "A routes 10.2.0.0/16 into pcx A-B, but traffic arriving over a "
           "peering is never forwarded to another peering" + cite("pcx_trans"))
    return s


@scenario
def pcx_edge_igw():
    s = Scenario("036-peering-edge-to-edge-igw", "A peer cannot use this VPC's internet gateway",
                 "peering edge-to-edge through an IGW denied")
    va, sa = one_vpc(s, "10.0.0.0/16", (("app", "10.0.1.0/24", "a"),), key="vpc-a")
    vb, sb = one_vpc(s, "10.1.0.0/16", (("pub", "10.1.1.0/24", "a"),), key="vpc-b")
    pcx = s.peering(va, vb)
    igw = s.igw(vb)
    s.rtb(va, "app", [sa["app"]], [s.route("10.1.0.0/16", pcx=pcx), s.route("0.0.0.0/0", pcx=pcx)])
    s.rtb(vb, "pub", [sb["pub"]], [s.route("10.0.0.0/16", pcx=pcx), s.route("0.0.0.0/0", igw=igw)])
    ai, _ = s.instance(sa["app"], "10.0.1.10", [s.sg(va, "a")], name="a")
    bi, _ = s.instance(sb["pub"], "10.1.1.10", [s.sg(vb, "b", [perm("tcp", 443, 443, cidrs=["10.0.0.0/16"])])],
                       name="b", public_ip="192.0.2.20")
    s.flow(ai, INTERNET_SERVER, "tcp", 443, "denied", "A's 0.0.0.0/0 -> pcx: B will not forward peering "
           "traffic to its internet gateway" + cite("pcx_edge"))
    s.flow(bi, INTERNET_SERVER, "tcp", 443, "allowed", "B itself uses its IGW with a public IP" + cite("igw"))
    s.flow(ai, bi, "tcp", 443, "allowed", "plain peering traffic A->B works" + cite("pcx"))
    return s


@scenario
def pcx_edge_nat():
    s = Scenario("037-peering-edge-to-edge-nat", "A peer cannot use this VPC's NAT gateway",
                 "peering edge-to-edge through a NAT gateway denied")
    va, sa = one_vpc(s, "10.0.0.0/16", (("app", "10.0.1.0/24", "a"),), key="vpc-a")
    vb, sb = one_vpc(s, "10.1.0.0/16", (("pub", "10.1.0.0/24", "a"), ("priv", "10.1.1.0/24", "a")), key="vpc-b")
    pcx = s.peering(va, vb)
    igw = s.igw(vb)
    nat = s.nat(sb["pub"], "10.1.0.10", public_ip="192.0.2.50")
    s.rtb(va, "app", [sa["app"]], [s.route("10.1.0.0/16", pcx=pcx), s.route("0.0.0.0/0", pcx=pcx)])
    s.rtb(vb, "pub", [sb["pub"]], [s.route("10.0.0.0/16", pcx=pcx), s.route("0.0.0.0/0", igw=igw)])
    s.rtb(vb, "priv", [sb["priv"]], [s.route("10.0.0.0/16", pcx=pcx), s.route("0.0.0.0/0", nat=nat)])
    ai, _ = s.instance(sa["app"], "10.0.1.10", [s.sg(va, "a")], name="a")
    bi, _ = s.instance(sb["priv"], "10.1.1.10", [s.sg(vb, "b")], name="b")
    s.flow(ai, INTERNET_SERVER, "tcp", 443, "denied", "traffic from a peering cannot use the peer's NAT gateway"
           + cite("pcx_edge", "nat"))
    s.flow(bi, INTERNET_SERVER, "tcp", 443, "allowed", "B's own private subnet uses the NAT gateway" + cite("nat"))
    return s



# ==========================================================================
# transit gateway
# ==========================================================================

def tgw_spoke(s, tgw, key, n, azs=("a",), app_azs=("a",), appliance=False, sg=None):
    """Spoke VPC 10.<n>.0.0/16: app-<az> 10.<n>.<1|2>.0/24, tgw-<az> 10.<n>.255.<0|16>/28."""
    v = s.vpc(key, "10.%d.0.0/16" % n)
    apps = {az: s.subnet(v, "app-" + az, "10.%d.%d.0/24" % (n, 1 if az == "a" else 2), az) for az in app_azs}
    tsubs = [s.subnet(v, "tgw-" + az, "10.%d.255.%d/28" % (n, 0 if az == "a" else 16), az) for az in azs]
    att = s.tgw_attach(tgw, v, tsubs, appliance=appliance)
    s.rtb(v, "app", list(apps.values()), [s.route("10.0.0.0/8", tgw=tgw)])
    g = sg or s.sg(v, "open", [perm("-1", cidrs=["10.0.0.0/8"])])
    inst = {az: s.instance(sub, "10.%d.%d.10" % (n, 1 if az == "a" else 2), [g], name="%s-%s" % (key, az))[0]
            for az, sub in apps.items()}
    return v, att, inst, g


@scenario
def tgw_basic():
    s = Scenario("038-tgw-propagated-routes", "Two VPCs over a TGW with propagated routes",
                 "TGW association + propagation; SG still applies")
    tgw = s.tgw()
    va, aa, ia, ga = tgw_spoke(s, tgw, "vpc-a", 1, sg=None)
    va_sg = s.sg(va, "a-https", [perm("tcp", 443, 443, cidrs=["10.0.0.0/8"])])
    app_a = [x for x in s.subnets if x["_vpc"] is va and x["_key"] == "app-a"][0]
    a2, _ = s.instance(app_a, "10.1.1.20", [va_sg], name="a-https")
    vb, ab, ib, gb = tgw_spoke(s, tgw, "vpc-b", 2)
    s.tgw_rtb(tgw, "spokes", associate=[aa, ab], propagate=[aa, ab])
    s.flow(ib["a"], a2, "tcp", 443, "allowed", "VPC routes 10.0.0.0/8 -> tgw; the associated TGW table has both "
           "propagated VPC CIDRs" + cite("tgw", "tgw_rt"))
    s.flow(ib["a"], a2, "tcp", 22, "denied", "the target's SG allows only tcp/443" + cite("sg"),
           blocked_by=va_sg["GroupId"])
    s.flow(ia["a"], ib["a"], "udp", 53, "allowed", "both directions have routes" + cite("tgw"))
    return s


@scenario
def tgw_association():
    s = Scenario("039-tgw-associated-table-decides", "The route table associated with the ingress attachment decides",
                 "TGW per-attachment route table association; reply path uses the other table")
    tgw = s.tgw()
    va, aa, ia, _ = tgw_spoke(s, tgw, "vpc-a", 1)
    vb, ab, ib, _ = tgw_spoke(s, tgw, "vpc-b", 2)
    vc, ac, ic, _ = tgw_spoke(s, tgw, "vpc-c", 3)
    rta = s.tgw_rtb(tgw, "from-a", associate=[aa], propagate=[ab])
    s.tgw_rtb(tgw, "from-bc", associate=[ab, ac], propagate=[aa, ab, ac])
    s.flow(ia["a"], ib["a"], "tcp", 443, "allowed", "from-a has B; B's reply uses from-bc, which has A"
           + cite("tgw"))
    s.flow(ia["a"], ic["a"], "tcp", 443, "denied", "from-a (associated with A's attachment) has no route to "
           "10.3.0.0/16" + cite("tgw"), blocked_by=rta)
    s.flow(ic["a"], ia["a"], "tcp", 443, "denied", "request reaches A via from-bc, but A's reply is looked up in "
           "from-a, which has no route to C" + cite("tgw"), blocked_by=rta)
    return s


@scenario
def tgw_static_vs_propagated():
    s = Scenario("040-tgw-static-beats-propagated", "A static blackhole overrides a propagated route of equal length",
                 "TGW static route preferred over propagated at equal prefix; blackhole")
    tgw = s.tgw()
    va, aa, ia, _ = tgw_spoke(s, tgw, "vpc-a", 1)
    vb, ab, ib, _ = tgw_spoke(s, tgw, "vpc-b", 2)
    vc, ac, ic, _ = tgw_spoke(s, tgw, "vpc-c", 3)
    rt = s.tgw_rtb(tgw, "spokes", associate=[aa, ab, ac], propagate=[aa, ab, ac], static=[("10.3.0.0/16", None)])
    s.flow(ia["a"], ib["a"], "tcp", 443, "allowed", "propagated 10.2.0.0/16" + cite("tgw_rt"))
    s.flow(ia["a"], ic["a"], "tcp", 443, "denied", "static blackhole 10.3.0.0/16 beats the propagated "
           "10.3.0.0/16" + cite("tgw_rt"), blocked_by=rt)
    s.flow(ic["a"], ia["a"], "tcp", 443, "denied", "request delivered, the reply to 10.3.0.0/16 hits the "
           "static blackhole" + cite("tgw_rt"), blocked_by=rt)
    return s


@scenario
def tgw_blackhole_specific():
    s = Scenario("041-tgw-blackhole-more-specific", "A /24 static blackhole inside a propagated /16",
                 "TGW longest prefix match with a blackhole")
    tgw = s.tgw()
    va, aa, ia, _ = tgw_spoke(s, tgw, "vpc-a", 1)
    vb, ab, ib, _ = tgw_spoke(s, tgw, "vpc-b", 2, app_azs=("a", "b"))
    rt = s.tgw_rtb(tgw, "spokes", associate=[aa, ab], propagate=[aa, ab], static=[("10.2.2.0/24", None)])
    s.flow(ia["a"], ib["a"], "tcp", 443, "allowed", "10.2.1.10 matches only the propagated 10.2.0.0/16"
           + cite("tgw_rt"))
    s.flow(ia["a"], ib["b"], "tcp", 443, "denied", "10.2.2.0/24 blackhole is more specific" + cite("tgw_rt"),
           blocked_by=rt)
    return s


@scenario
def tgw_no_subnet_in_az():
    s = Scenario("042-tgw-no-attachment-subnet-in-az", "The attachment has no subnet in the source's AZ",
                 "TGW VPC attachment AZ coverage")
    tgw = s.tgw()
    va, aa, ia, _ = tgw_spoke(s, tgw, "vpc-a", 1, azs=("a",), app_azs=("a", "b"))
    vb, ab, ib, _ = tgw_spoke(s, tgw, "vpc-b", 2, azs=("a", "b"))
    s.tgw_rtb(tgw, "spokes", associate=[aa, ab], propagate=[aa, ab])
    s.flow(ia["a"], ib["a"], "tcp", 443, "allowed", "us-east-1a has an attachment subnet" + cite("tgw_az"))
    s.flow(ia["b"], ib["a"], "tcp", 443, "denied", "10.1.2.10 is in us-east-1b where vpc-a's attachment has no "
           "subnet: it cannot reach the transit gateway" + cite("tgw_az"))
    s.flow(ib["a"], ia["b"], "tcp", 443, "denied", "the request is delivered through the us-east-1a attachment "
           "ENI, but the reply from us-east-1b cannot reach the transit gateway" + cite("tgw_az"))
    return s


def centralized_inspection(s, appliance):
    tgw = s.tgw()
    va, aa, ia, _ = tgw_spoke(s, tgw, "spoke-a", 1, azs=("a", "b"), app_azs=("a",))
    vb, ab, ib, _ = tgw_spoke(s, tgw, "spoke-b", 2, azs=("a", "b"), app_azs=("a", "b"))
    vi = s.vpc("inspection", "10.100.0.0/16")
    t_a = s.subnet(vi, "tgw-a", "10.100.0.0/28", "a")
    t_b = s.subnet(vi, "tgw-b", "10.100.0.16/28", "b")
    f_a = s.subnet(vi, "fw-a", "10.100.1.0/28", "a")
    f_b = s.subnet(vi, "fw-b", "10.100.1.16/28", "b")
    ai = s.tgw_attach(tgw, vi, [t_a, t_b], appliance=appliance)
    rg = s.rule_group_stateful("block-ssh", stateful_rules=[five_tuple("DROP", "TCP", "ANY", "ANY", "ANY", "22", 1)])
    pol = s.fw_policy("inspection", stateful=[(rg, None)], home_net=["10.0.0.0/8"])
    eps = s.firewall(vi, "inspection-fw", [f_a, f_b], pol)
    s.rtb(vi, "tgw-a", [t_a], [s.route("0.0.0.0/0", vpce=eps["us-east-1a"])])
    s.rtb(vi, "tgw-b", [t_b], [s.route("0.0.0.0/0", vpce=eps["us-east-1b"])])
    s.rtb(vi, "fw", [f_a, f_b], [s.route("0.0.0.0/0", tgw=tgw)])
    s.tgw_rtb(tgw, "pre-inspection", associate=[aa, ab], static=[("0.0.0.0/0", ai)])
    s.tgw_rtb(tgw, "post-inspection", associate=[ai], propagate=[aa, ab])
    return ia, ib


@scenario
def tgw_appliance_off():
    s = Scenario("043-tgw-appliance-mode-off", "Centralized inspection without appliance mode",
                 "TGW + NFW centralized inspection: cross-AZ flow asymmetric without appliance mode")
    ia, ib = centralized_inspection(s, appliance=False)
    s.flow(ia["a"], ib["b"], "tcp", 443, "denied",
           "source in us-east-1a, destination in us-east-1b: the request is inspected by the us-east-1a endpoint, "
           "the reply enters the inspection VPC in us-east-1b and hits the other endpoint -> asymmetric routing"
           + cite("tgw_app", "nfw_asym"))
    s.flow(ia["a"], ib["a"], "tcp", 443, "allowed", "both ends in us-east-1a: both directions use the same "
           "endpoint; no rule drops tcp/443" + cite("tgw_app", "nfw_order"))
    return s


@scenario
def tgw_appliance_on():
    s = Scenario("044-tgw-appliance-mode-on", "Centralized inspection with appliance mode",
                 "TGW appliance mode keeps a cross-AZ flow symmetric; firewall rule still applies")
    ia, ib = centralized_inspection(s, appliance=True)
    s.flow(ia["a"], ib["b"], "tcp", 443, "allowed", "appliance mode pins both directions to one endpoint"
           + cite("tgw_app"))
    s.flow(ia["a"], ib["b"], "tcp", 22, "denied", "symmetric, but block-ssh drops tcp/22" + cite("nfw_5t"),
           blocked_by="block-ssh")
    return s


# ==========================================================================
# Network Firewall rule semantics (east-west inspection inside one VPC)
# ==========================================================================

@scenario
def nfw_stateless_priority():
    s = Scenario("045-nfw-stateless-drop-by-priority", "Stateless rules: first match by priority; default drop",
                 "NFW stateless drop by rule priority, pass, stateless default action")
    rg = s.rule_group_stateless("stateless-ssh", [
        stateless_rule(20, "aws:pass", [6]),
        stateless_rule(10, "aws:drop", [6], dports=[(22, 22)]),
    ])
    pol = s.fw_policy("p", stateless=[(rg, 10)], stateless_default=["aws:drop"], fragment_default=["aws:drop"])
    v, sub, ci, si, _ = intra_vpc_fw(s, pol)
    s.flow(ci, si, "tcp", 22, "denied", "priority 10 (drop tcp dport 22) is evaluated before priority 20"
           + cite("nfw_proc"), blocked_by="stateless-ssh")
    s.flow(ci, si, "tcp", 443, "allowed", "priority 20 passes all TCP, request and reply" + cite("nfw_proc"))
    s.flow(ci, si, "udp", 53, "denied", "no stateless rule matches UDP; StatelessDefaultActions aws:drop"
           + cite("nfw_proc"), blocked_by="fw")
    return s


@scenario
def nfw_stateless_group_priority():
    s = Scenario("046-nfw-stateless-group-priority", "Stateless rule groups are evaluated by policy priority",
                 "NFW stateless group priority; forward_to_sfe default with no stateful rules")
    deny = s.rule_group_stateless("deny-8000-8100", [stateless_rule(10, "aws:drop", [6], dports=[(8000, 8100)])])
    allow = s.rule_group_stateless("allow-8080", [stateless_rule(10, "aws:pass", [6], dports=[(8080, 8080)]),
                                                 stateless_rule(20, "aws:pass", [6], sports=[(8080, 8080)])])
    pol = s.fw_policy("p", stateless=[(deny, 20), (allow, 10)])
    v, sub, ci, si, _ = intra_vpc_fw(s, pol)
    s.flow(ci, si, "tcp", 8080, "allowed", "group allow-8080 (priority 10) passes request and reply before "
           "deny-8000-8100 (priority 20)" + cite("nfw_proc"))
    s.flow(ci, si, "tcp", 8081, "denied", "no match in allow-8080; deny-8000-8100 drops" + cite("nfw_proc"),
           blocked_by="deny-8000-8100")
    s.flow(ci, si, "tcp", 9000, "allowed", "no stateless match -> aws:forward_to_sfe; no stateful rule -> pass"
           + cite("nfw_proc", "nfw_order"))
    return s


@scenario
def nfw_stateless_pass_bypass():
    s = Scenario("047-nfw-stateless-pass-bypasses-stateful", "aws:pass skips the stateful engine",
                 "NFW stateless pass bypasses stateful drop; forwarded traffic is dropped")
    sl = s.rule_group_stateless("fast-path-443", [stateless_rule(10, "aws:pass", [6], dports=[(443, 443)]),
                                                  stateless_rule(20, "aws:pass", [6], sports=[(443, 443)])])
    sf = s.rule_group_stateful("stateful-drops", rules_string="\n".join([
        'drop tcp any any -> any 443 (msg:"never reached for 443"; sid:1; rev:1;)',
        'drop tcp any any -> any 8443 (msg:"alt https"; sid:2; rev:1;)']))
    pol = s.fw_policy("p", stateless=[(sl, 10)], stateful=[(sf, None)])
    v, sub, ci, si, _ = intra_vpc_fw(s, pol)
    s.flow(ci, si, "tcp", 443, "allowed", "aws:pass discontinues inspection, so the stateful drop never sees it"
           + cite("nfw_proc"))
    s.flow(ci, si, "tcp", 8443, "denied", "forwarded to the stateful engine (default), dropped by sid 2"
           + cite("nfw_proc", "nfw_sur"), blocked_by="stateful-drops")
    return s


@scenario
def nfw_forward_to_sfe():
    s = Scenario("048-nfw-forward-to-sfe-stateful-pass", "Stateless forward_to_sfe, then 5-tuple stateful rules",
                 "NFW forward_to_sfe + stateful pass; default action order pass over drop; stateless default drop")
    sl = s.rule_group_stateless("tcp-to-sfe", [stateless_rule(10, "aws:forward_to_sfe", [6])])
    sf = s.rule_group_stateful("web-only", stateful_rules=[
        five_tuple("DROP", "TCP", "ANY", "ANY", "ANY", "ANY", 2),
        five_tuple("PASS", "TCP", "10.0.1.0/24", "ANY", "10.0.2.0/24", "80", 1)])
    pol = s.fw_policy("p", stateless=[(sl, 10)], stateful=[(sf, None)], stateless_default=["aws:drop"],
                      fragment_default=["aws:drop"])
    v, sub, ci, si, _ = intra_vpc_fw(s, pol)
    s.flow(ci, si, "tcp", 80, "allowed", "TCP forwarded; under action order the PASS rule wins over the DROP "
           "catch-all and passes the flow" + cite("nfw_proc", "nfw_order"))
    s.flow(ci, si, "tcp", 81, "denied", "only the DROP catch-all matches" + cite("nfw_order"), blocked_by="web-only")
    s.flow(ci, si, "udp", 53, "denied", "UDP matches no stateless rule: StatelessDefaultActions aws:drop"
           + cite("nfw_proc"), blocked_by="fw")
    return s


@scenario
def nfw_action_order():
    s = Scenario("049-nfw-default-action-order", "Action order: pass beats an earlier-listed drop; no match passes",
                 "NFW DEFAULT_ACTION_ORDER pass > drop regardless of position; unmatched traffic passes")
    sf = s.rule_group_stateful("ordered", rules_string="\n".join([
        'drop tcp any any -> any any (msg:"default deny tcp"; sid:10; rev:1;)',
        'pass tcp 10.0.1.0/24 any -> 10.0.2.0/24 443 (msg:"https"; sid:20; rev:1;)']))
    pol = s.fw_policy("p", stateful=[(sf, None)])
    v, sub, ci, si, _ = intra_vpc_fw(s, pol)
    s.flow(ci, si, "tcp", 443, "allowed", "pass rules are applied before drop rules in action order"
           + cite("nfw_order"))
    s.flow(ci, si, "tcp", 8080, "denied", "only the drop rule matches" + cite("nfw_order"), blocked_by="ordered")
    s.flow(ci, si, "udp", 53, "allowed", "no rule matches UDP; with action order unmatched traffic passes"
           + cite("nfw_order"))
    return s


def strict_5tuple(s, default):
    sf = s.rule_group_stateful("allow-list", rule_order="STRICT_ORDER", stateful_rules=[
        five_tuple("PASS", "TCP", "10.0.1.0/24", "ANY", "10.0.2.0/24", "443", 1),
        five_tuple("PASS", "UDP", "10.0.1.0/24", "ANY", "10.0.2.0/24", "53", 2)])
    return s.fw_policy("p", stateful=[(sf, 100)], stateful_default=[default], rule_order="STRICT_ORDER")


@scenario
def nfw_strict_drop_strict():
    s = Scenario("050-nfw-strict-order-drop-strict", "Strict order with aws:drop_strict",
                 "NFW STRICT_ORDER drop_strict with TCP and UDP")
    v, sub, ci, si, _ = intra_vpc_fw(s, strict_5tuple(s, "aws:drop_strict"))
    s.flow(ci, si, "tcp", 443, "allowed", "PASS rule 1 matches; the flow is passed" + cite("nfw_5t", "nfw_strict"))
    s.flow(ci, si, "tcp", 8080, "denied", "no rule matches: aws:drop_strict drops" + cite("nfw_strict"),
           blocked_by="fw")
    s.flow(ci, si, "udp", 53, "allowed", "PASS rule 2 matches UDP/53" + cite("nfw_5t"))
    s.flow(ci, si, "udp", 123, "denied", "no rule matches: dropped" + cite("nfw_strict"), blocked_by="fw")
    return s


@scenario
def nfw_strict_drop_established():
    s = Scenario("051-nfw-strict-order-drop-established", "Strict order with aws:drop_established",
                 "NFW STRICT_ORDER drop_established: TCP handshake passes but the connection fails; UDP/ICMP dropped")
    v, sub, ci, si, _ = intra_vpc_fw(s, strict_5tuple(s, "aws:drop_established"))
    s.flow(ci, si, "tcp", 443, "allowed", "PASS rule matches" + cite("nfw_5t"))
    s.flow(ci, si, "tcp", 8080, "denied", "the handshake is let through but established client-to-server "
           "packets are dropped, so the connection does not work" + cite("nfw_strict"), blocked_by="fw")
    s.flow(ci, si, "udp", 123, "denied", "drop established drops all unmatched UDP" + cite("nfw_strict"),
           blocked_by="fw")
    s.flow(ci, si, "icmp", None, "denied", "drop established drops all unmatched ICMP" + cite("nfw_strict"),
           icmp=(8, 0), blocked_by="fw")
    return s


def flow_established_rule(s, default):
    sf = s.rule_group_stateful("db-established", rule_order="STRICT_ORDER", rules_string=(
        'pass tcp 10.0.1.0/24 any -> 10.0.2.0/24 5432 (msg:"postgres"; flow:to_server,established; sid:1; rev:1;)'))
    return s.fw_policy("p", stateful=[(sf, 10)], stateful_default=[default], rule_order="STRICT_ORDER")


@scenario
def nfw_flow_established():
    s = Scenario("052-nfw-suricata-flow-established", "flow:to_server,established pass rule with drop_established",
                 "NFW Suricata header + flow:to_server,established under drop_established")
    v, sub, ci, si, _ = intra_vpc_fw(s, flow_established_rule(s, "aws:drop_established"))
    s.flow(ci, si, "tcp", 5432, "allowed", "the handshake passes (drop established lets connection setup "
           "through), then the established to_server packets match the pass rule" + cite("nfw_strict", "nfw_sur"))
    s.flow(ci, si, "tcp", 5433, "denied", "header port 5432 does not match; established packets dropped"
           + cite("nfw_strict"), blocked_by="fw")
    return s


@scenario
def nfw_flow_established_drop_strict():
    s = Scenario("053-nfw-flow-established-with-drop-strict", "flow:established pass rule with drop_strict",
                 "NFW flow:established rule cannot pass the handshake under drop_strict")
    v, sub, ci, si, _ = intra_vpc_fw(s, flow_established_rule(s, "aws:drop_strict"))
    s.flow(ci, si, "tcp", 5432, "denied", "the SYN is not 'established', so the pass rule cannot match it and "
           "drop_strict drops it: the connection is never set up" + cite("nfw_strict", "nfw_sur"), blocked_by="fw")
    s.flow(ci, si, "udp", 5432, "denied", "the rule is TCP only; drop_strict drops UDP" + cite("nfw_strict"),
           blocked_by="fw")
    return s


@scenario
def nfw_5tuple_direction():
    s = Scenario("054-nfw-5tuple-forward-direction", "A FORWARD 5-tuple rule matches only its own direction",
                 "NFW 5-tuple rule source/destination/port and FORWARD direction")
    sf = s.rule_group_stateful("client-to-db", rule_order="STRICT_ORDER", stateful_rules=[
        five_tuple("PASS", "TCP", "10.0.1.0/24", "ANY", "10.0.2.0/24", "5432", 1)])
    pol = s.fw_policy("p", stateful=[(sf, 1)], stateful_default=["aws:drop_strict"], rule_order="STRICT_ORDER")
    v, sub, ci, si, _ = intra_vpc_fw(s, pol)
    s.flow(ci, si, "tcp", 5432, "allowed", "source 10.0.1.0/24 -> destination 10.0.2.0/24:5432" + cite("nfw_5t"))
    s.flow(si, ci, "tcp", 5432, "denied", "connection initiated the other way matches no FORWARD rule"
           + cite("nfw_5t", "nfw_strict"), blocked_by="fw")
    s.flow(ci, si, "tcp", 5433, "denied", "destination port 5433 does not match" + cite("nfw_5t"), blocked_by="fw")
    return s


# ==========================================================================
# Network Firewall domain lists and uninterpreted keywords (internet egress)
# ==========================================================================

def egress_fw(s, policy_arn):
    """Distributed egress: app 10.0.1.0/24 -> firewall endpoint -> IGW; IGW edge route back to the endpoint."""
    v, sub = one_vpc(s, subnets=(("app", "10.0.1.0/24", "a"), ("fw", "10.0.0.0/28", "a")))
    igw = s.igw(v)
    ep = s.firewall(v, "egress-fw", [sub["fw"]], policy_arn)["us-east-1a"]
    s.rtb(v, "app", [sub["app"]], [s.route("0.0.0.0/0", vpce=ep)])
    s.rtb(v, "fw", [sub["fw"]], [s.route("0.0.0.0/0", igw=igw)])
    s.rtb(v, "igw-edge", [], [s.route("10.0.1.0/24", vpce=ep)], gateway=igw)
    ai, _ = s.instance(sub["app"], "10.0.1.10", [s.sg(v, "app")], name="app", public_ip="192.0.2.10", eip=True)
    return ai


@scenario
def nfw_domain_allowlist_strict():
    s = Scenario("055-nfw-domain-allowlist-strict", "TLS_SNI/HTTP_HOST allowlist under strict order + drop_established",
                 "NFW domain allowlist: matching SNI allowed, non-matching denied, HTTP Host, missing SNI unknown")
    rg = s.rule_group_stateful("egress-allow", rule_order="STRICT_ORDER", domain_list=(
        [".example.com", "api.partner.test"], ["TLS_SNI", "HTTP_HOST"], "ALLOWLIST"))
    pol = s.fw_policy("egress", stateful=[(rg, 10)], stateful_default=["aws:drop_established"],
                      rule_order="STRICT_ORDER")
    ai = egress_fw(s, pol)
    s.flow(ai, INTERNET_SERVER, "tcp", 443, "allowed", "SNI www.example.com matches '.example.com'"
           + cite("nfw_dom"), sni="www.example.com")
    s.flow(ai, INTERNET_SERVER, "tcp", 443, "denied", "SNI evil.test is not allow-listed" + cite("nfw_dom"),
           sni="evil.test", blocked_by="egress-allow")
    s.flow(ai, INTERNET_SERVER, "tcp", 80, "allowed", "HTTP Host api.partner.test matches exactly"
           + cite("nfw_dom"), http_host="api.partner.test")
    s.flow(ai, INTERNET_SERVER, "tcp", 443, "unknown", "the verdict depends on the TLS SNI, which the flow "
           "does not give" + cite("nfw_dom"))
    return s


@scenario
def nfw_domain_allowlist_default():
    s = Scenario("056-nfw-domain-allowlist-action-order", "TLS_SNI allowlist under action order",
                 "NFW domain allowlist (TLS only) with default action order; HTTP and UDP untouched")
    rg = s.rule_group_stateful("tls-allow", domain_list=([".example.com"], ["TLS_SNI"], "ALLOWLIST"))
    pol = s.fw_policy("egress", stateful=[(rg, None)])
    ai = egress_fw(s, pol)
    s.flow(ai, INTERNET_SERVER, "tcp", 443, "allowed", "'.example.com' also matches example.com itself"
           + cite("nfw_dom"), sni="example.com")
    s.flow(ai, INTERNET_SERVER, "tcp", 443, "denied", "example.org is not allow-listed" + cite("nfw_dom"),
           sni="example.org", blocked_by="tls-allow")
    s.flow(ai, INTERNET_SERVER, "tcp", 80, "allowed", "the list covers TLS_SNI only; HTTP matches no rule and "
           "passes under action order" + cite("nfw_dom", "nfw_order"), http_host="anything.test")
    s.flow(ai, INTERNET_SERVER, "udp", 123, "allowed", "not TLS: untouched by the list; no match passes"
           + cite("nfw_order"))
    return s


@scenario
def nfw_domain_denylist():
    s = Scenario("057-nfw-domain-denylist", "TLS_SNI denylist", "NFW domain denylist")
    rg = s.rule_group_stateful("tls-deny", domain_list=(["bad.example.com"], ["TLS_SNI"], "DENYLIST"))
    pol = s.fw_policy("egress", stateful=[(rg, None)])
    ai = egress_fw(s, pol)
    s.flow(ai, INTERNET_SERVER, "tcp", 443, "denied", "SNI bad.example.com is deny-listed" + cite("nfw_dom"),
           sni="bad.example.com", blocked_by="tls-deny")
    s.flow(ai, INTERNET_SERVER, "tcp", 443, "allowed", "good.example.com is not on the list (no leading dot: "
           "exact name only)" + cite("nfw_dom"), sni="good.example.com")
    s.flow(ai, INTERNET_SERVER, "tcp", 443, "unknown", "denied only if the SNI is bad.example.com; the flow "
           "gives no SNI" + cite("nfw_dom"))
    return s


@scenario
def nfw_ja3_pass():
    s = Scenario("058-nfw-uninterpreted-keyword-pass", "Deciding pass rule uses ja3.hash",
                 "NFW uninterpreted Suricata keyword on a pass rule -> unknown")
    rg = s.rule_group_stateful("ja3-pass", rule_order="STRICT_ORDER", rules_string=(
        'pass tls $HOME_NET any -> $EXTERNAL_NET 443 (msg:"approved client"; ja3.hash; '
        'content:"e7d705a3286e19ea42f587b344ee6865"; flow:to_server,established; sid:1; rev:1;)'))
    pol = s.fw_policy("egress", stateful=[(rg, 1)], stateful_default=["aws:drop_established"],
                      rule_order="STRICT_ORDER")
    ai = egress_fw(s, pol)
    s.flow(ai, INTERNET_SERVER, "tcp", 443, "unknown", "passes only if the client's JA3 fingerprint matches, "
           "otherwise drop_established drops it; JA3 is not modelled" + cite("nfw_sur", "nfw_strict"),
           sni="www.example.com")
    s.flow(ai, INTERNET_SERVER, "udp", 123, "denied", "UDP matches no rule: drop established drops it"
           + cite("nfw_strict"), blocked_by="egress-fw")
    return s


@scenario
def nfw_ja3_drop():
    s = Scenario("059-nfw-uninterpreted-keyword-drop", "Deciding drop rule uses ja3.hash",
                 "NFW uninterpreted Suricata keyword on a drop rule -> unknown; pass outranks it")
    rg = s.rule_group_stateful("ja3-block", rules_string="\n".join([
        'drop tls $HOME_NET any -> $EXTERNAL_NET any (msg:"known-bad client"; ja3.hash; '
        'content:"e7d705a3286e19ea42f587b344ee6865"; sid:1; rev:1;)',
        'pass tcp $HOME_NET any -> $EXTERNAL_NET 22 (msg:"ssh out"; sid:2; rev:1;)']))
    pol = s.fw_policy("egress", stateful=[(rg, None)])
    ai = egress_fw(s, pol)
    s.flow(ai, INTERNET_SERVER, "tcp", 443, "unknown", "dropped only if the client's JA3 matches; otherwise no "
           "rule matches and it passes" + cite("nfw_sur", "nfw_order"), sni="www.example.com")
    s.flow(ai, INTERNET_SERVER, "tcp", 22, "allowed", "sid 2 passes it, and pass rules outrank drop rules in "
           "action order" + cite("nfw_order"))
    return s


@scenario
def nfw_stateless_reply():
    s = Scenario("060-nfw-stateless-reply-dropped", "Stateless pass for the request only; the reply is dropped",
                 "NFW stateless rules must pass the reply too")
    sl = s.rule_group_stateless("stateless-web", [
        stateless_rule(10, "aws:pass", [6], dports=[(80, 80)]),
        stateless_rule(20, "aws:pass", [6], dports=[(443, 443)]),
        stateless_rule(30, "aws:pass", [6], sports=[(443, 443)])])
    pol = s.fw_policy("p", stateless=[(sl, 1)], stateless_default=["aws:drop"], fragment_default=["aws:drop"])
    v, sub, ci, si, _ = intra_vpc_fw(s, pol)
    s.flow(ci, si, "tcp", 80, "denied", "request passes by priority 10, but the reply (source port 80) matches "
           "no rule and gets the default aws:drop" + cite("nfw_proc"), blocked_by="fw")
    s.flow(ci, si, "tcp", 443, "allowed", "priority 20 passes the request, priority 30 the reply"
           + cite("nfw_proc"))
    return s


@scenario
def nfw_domain_drop_strict():
    s = Scenario("061-nfw-domain-allowlist-drop-strict", "Domain allowlist under strict order + drop_strict",
                 "NFW domain list needs an established connection; drop_strict kills the handshake")
    rg = s.rule_group_stateful("egress-allow", rule_order="STRICT_ORDER", domain_list=(
        [".example.com"], ["TLS_SNI"], "ALLOWLIST"))
    pol = s.fw_policy("egress", stateful=[(rg, 10)], stateful_default=["aws:drop_strict"],
                      rule_order="STRICT_ORDER")
    ai = egress_fw(s, pol)
    s.flow(ai, INTERNET_SERVER, "tcp", 443, "denied", "the generated pass rule needs an established flow with "
           "a ClientHello; drop_strict drops the TCP handshake first, so even an allow-listed SNI fails (AWS "
           "recommends drop_established with domain lists)" + cite("nfw_dom", "nfw_strict"),
           sni="www.example.com", blocked_by="egress-fw")
    s.flow(ai, INTERNET_SERVER, "udp", 53, "denied", "no rule matches UDP: drop_strict" + cite("nfw_strict"),
           blocked_by="egress-fw")
    return s



# ==========================================================================
# EKS (VPC CNI, NetworkPolicy, security groups for pods, SNAT)
# ==========================================================================

def eks(s, netpol=True, external_snat=False, sg_mode="strict", trunk=False, node_sg_ingress=None,
        extra_subnets=()):
    """Cluster c1 in VPC 10.0.0.0/16: node n1 10.0.1.10 (us-east-1a, pod IPs 10.0.1.20-29), node n2
    10.0.2.10 (us-east-1b, pod IPs 10.0.2.20-29).  Node SG: all traffic from the VPC unless overridden."""
    v, sub = one_vpc(s, subnets=(("nodes-a", "10.0.1.0/24", "a"), ("nodes-b", "10.0.2.0/24", "b"))
                     + tuple(extra_subnets))
    node_sg = s.sg(v, "eks-node", node_sg_ingress if node_sg_ingress is not None
                   else [perm("-1", cidrs=["10.0.0.0/16"])])
    c = s.cluster("c1", v, external_snat=external_snat, sg_mode=sg_mode, netpol=netpol)
    n1 = s.node(c, sub["nodes-a"], "10.0.1.10", [node_sg], ["10.0.1.%d" % i for i in range(20, 30)], trunk=trunk)
    n2 = s.node(c, sub["nodes-b"], "10.0.2.10", [node_sg], ["10.0.2.%d" % i for i in range(20, 30)], trunk=trunk)
    return v, sub, c, n1, n2, node_sg


WEB = [("http", 8080, "TCP")]


@scenario
def eks_pod_to_pod():
    s = Scenario("062-eks-pod-to-pod-node-sg", "Pod to pod on the same node and across subnets",
                 "EKS pods on node secondary IPs: node SG applies across nodes, not within a node")
    v, sub, c, n1, n2, node_sg = eks(s, node_sg_ingress=[])
    node_sg["IpPermissions"] = [perm("tcp", 8080, 8080, groups=[node_sg])]
    s.namespace(c, "app")
    p1 = s.pod(c, "app", "client", n1, "10.0.1.20")
    p2 = s.pod(c, "app", "same-node", n1, "10.0.1.21", ports=WEB)
    p3 = s.pod(c, "app", "other-node", n2, "10.0.2.20", ports=WEB)
    s.flow(p1, p3, "tcp", 8080, "allowed", "different node and subnet: leaves n1's ENI and enters n2's ENI; "
           "the node SG references itself and pod IPs are private IPs of member ENIs" + cite("cni", "sg_ref"))
    s.flow(p1, p3, "tcp", 9090, "denied", "node SG allows only tcp/8080 from the node group" + cite("cni", "sg"),
           blocked_by=node_sg["GroupId"])
    s.flow(p1, p2, "tcp", 9090, "allowed", "same node: the packet is switched inside the host and never "
           "crosses an ENI, so no security group is evaluated" + cite("cni", "sgp_mode"))
    return s


@scenario
def eks_np_deny_ingress():
    s = Scenario("063-eks-netpol-default-deny-ingress", "Default-deny ingress in one namespace",
                 "NetworkPolicy ingress isolation; egress of the same pods unaffected")
    v, sub, c, n1, n2, _ = eks(s)
    s.namespace(c, "secure")
    s.namespace(c, "open")
    srv = s.pod(c, "secure", "server", n1, "10.0.1.20", ports=WEB)
    cli = s.pod(c, "open", "client", n2, "10.0.2.20", ports=WEB)
    oth = s.pod(c, "open", "other", n2, "10.0.2.21", ports=WEB)
    pol = s.netpol(c, "secure", "default-deny-ingress", {"podSelector": {}, "policyTypes": ["Ingress"]})
    s.flow(cli, srv, "tcp", 8080, "denied", "server is selected by an Ingress policy with no rules"
           + cite("np"), blocked_by=pol)
    s.flow(srv, cli, "tcp", 8080, "allowed", "the policy lists only Ingress; egress of secure pods is not "
           "isolated" + cite("np"))
    s.flow(cli, oth, "tcp", 8080, "allowed", "no policy selects pods in open" + cite("np"))
    return s


@scenario
def eks_np_deny_egress():
    s = Scenario("064-eks-netpol-default-deny-egress", "Default-deny egress in one namespace",
                 "NetworkPolicy egress isolation; ingress unaffected")
    v, sub, c, n1, n2, _ = eks(s)
    s.namespace(c, "secure")
    s.namespace(c, "open")
    a = s.pod(c, "secure", "app", n1, "10.0.1.20", ports=WEB)
    b = s.pod(c, "open", "peer", n2, "10.0.2.20", ports=WEB)
    pol = s.netpol(c, "secure", "default-deny-egress", {"podSelector": {}, "policyTypes": ["Egress"]})
    s.flow(a, b, "tcp", 8080, "denied", "secure/app is egress-isolated with no egress rules" + cite("np"),
           blocked_by=pol)
    s.flow(b, a, "tcp", 8080, "allowed", "Egress-only policy does not isolate ingress; the reply is part of the "
           "allowed connection" + cite("np"))
    s.flow(a, "10.0.2.10", "tcp", 10250, "denied", "egress isolation also covers traffic to node IPs"
           + cite("np"), blocked_by=pol)
    return s


@scenario
def eks_np_policytypes_default():
    s = Scenario("065-eks-netpol-policytypes-defaulting", "Egress rules without policyTypes also isolate ingress",
                 "NetworkPolicy policyTypes defaulting (Ingress always, Egress when egress rules exist)")
    v, sub, c, n1, n2, _ = eks(s)
    s.namespace(c, "secure")
    s.namespace(c, "open")
    a = s.pod(c, "secure", "app", n1, "10.0.1.20", ports=WEB)
    b = s.pod(c, "open", "peer", n2, "10.0.2.20", ports=WEB)
    pol = s.netpol(c, "secure", "egress-to-open", {
        "podSelector": {},
        "egress": [{"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "open"}}}],
                    "ports": [{"protocol": "TCP", "port": 8080}]}]})
    s.flow(a, b, "tcp", 8080, "allowed", "egress rule allows tcp/8080 to namespace open" + cite("np_types"))
    s.flow(a, b, "tcp", 9090, "denied", "egress isolated; only tcp/8080 is allowed" + cite("np_types"),
           blocked_by=pol)
    s.flow(b, a, "tcp", 8080, "denied", "no policyTypes given: it defaults to [Ingress, Egress], and with no "
           "ingress rules secure/app is ingress-isolated" + cite("np_types"), blocked_by=pol)
    return s


@scenario
def eks_np_both_sides():
    s = Scenario("066-eks-netpol-egress-and-ingress", "Source egress and destination ingress must both allow",
                 "NetworkPolicy: both the source's egress and the destination's ingress policies apply")
    v, sub, c, n1, n2, _ = eks(s)
    s.namespace(c, "cli")
    s.namespace(c, "srv")
    cl = s.pod(c, "cli", "client", n1, "10.0.1.20", labels={"app": "client"})
    sv = s.pod(c, "srv", "server", n2, "10.0.2.20", labels={"app": "server"},
               ports=[("http", 8080, "TCP"), ("admin", 9090, "TCP")])
    s.netpol(c, "cli", "client-egress", {
        "podSelector": {"matchLabels": {"app": "client"}}, "policyTypes": ["Egress"],
        "egress": [{"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "srv"}}}],
                    "ports": [{"protocol": "TCP", "port": 8080}, {"protocol": "TCP", "port": 9090}]}]})
    ing = s.netpol(c, "srv", "server-ingress", {
        "podSelector": {"matchLabels": {"app": "server"}}, "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "cli"}}}],
                     "ports": [{"protocol": "TCP", "port": 8080}]}]})
    s.flow(cl, sv, "tcp", 8080, "allowed", "client egress and server ingress both allow tcp/8080" + cite("np"))
    s.flow(cl, sv, "tcp", 9090, "denied", "client egress allows 9090 but the server's ingress policy does not"
           + cite("np"), blocked_by=ing)
    s.flow(cl, sv, "tcp", 7070, "denied", "neither policy allows tcp/7070" + cite("np"))
    return s


def np_peer_setup(s, from_rule):
    v, sub, c, n1, n2, _ = eks(s)
    s.namespace(c, "srv")
    s.namespace(c, "blue", {"team": "blue"})
    s.namespace(c, "red", {"team": "red"})
    sv = s.pod(c, "srv", "server", n2, "10.0.2.20", labels={"app": "server"}, ports=WEB)
    pods = {
        "blue-client": s.pod(c, "blue", "client", n1, "10.0.1.20", labels={"role": "client"}),
        "blue-other": s.pod(c, "blue", "other", n1, "10.0.1.21", labels={"role": "other"}),
        "red-client": s.pod(c, "red", "client", n1, "10.0.1.22", labels={"role": "client"}),
        "srv-client": s.pod(c, "srv", "client", n1, "10.0.1.23", labels={"role": "client"}),
    }
    pol = s.netpol(c, "srv", "server-ingress", {
        "podSelector": {"matchLabels": {"app": "server"}}, "policyTypes": ["Ingress"],
        "ingress": [{"from": from_rule, "ports": [{"protocol": "TCP", "port": 8080}]}]})
    return sv, pods, pol


@scenario
def eks_np_and():
    s = Scenario("067-eks-netpol-peer-and", "namespaceSelector and podSelector in ONE peer: both must match",
                 "NetworkPolicy AND within a peer")
    sv, p, pol = np_peer_setup(s, [{"namespaceSelector": {"matchLabels": {"team": "blue"}},
                                    "podSelector": {"matchLabels": {"role": "client"}}}])
    s.flow(p["blue-client"], sv, "tcp", 8080, "allowed", "namespace team=blue AND pod role=client" + cite("np_peer"))
    s.flow(p["blue-other"], sv, "tcp", 8080, "denied", "right namespace, wrong pod label" + cite("np_peer"),
           blocked_by=pol)
    s.flow(p["red-client"], sv, "tcp", 8080, "denied", "right pod label, wrong namespace" + cite("np_peer"),
           blocked_by=pol)
    return s


@scenario
def eks_np_or():
    s = Scenario("068-eks-netpol-peer-or", "namespaceSelector and podSelector as TWO peers: either matches",
                 "NetworkPolicy OR across peers; bare podSelector means the policy's namespace")
    sv, p, pol = np_peer_setup(s, [{"namespaceSelector": {"matchLabels": {"team": "blue"}}},
                                   {"podSelector": {"matchLabels": {"role": "client"}}}])
    s.flow(p["blue-other"], sv, "tcp", 8080, "allowed", "first peer: any pod in a team=blue namespace"
           + cite("np_peer"))
    s.flow(p["srv-client"], sv, "tcp", 8080, "allowed", "second peer: role=client in the policy's own namespace"
           + cite("np_peer"))
    s.flow(p["red-client"], sv, "tcp", 8080, "denied", "a podSelector without namespaceSelector only selects "
           "pods in the policy's namespace (srv), not red" + cite("np_peer"), blocked_by=pol)
    return s


@scenario
def eks_np_ipblock_except():
    s = Scenario("069-eks-netpol-ipblock-except", "Egress ipBlock with an except range",
                 "NetworkPolicy ipBlock cidr + except")
    v, sub, c, n1, n2, _ = eks(s, external_snat=True)
    vd, sd = one_vpc(s, "10.1.0.0/16", (("db-1", "10.1.1.0/24", "a"), ("db-2", "10.1.2.0/24", "a")), key="data")
    pcx = s.peering(v, vd)
    s.main_routes(v, [s.route("10.1.0.0/16", pcx=pcx)])
    s.main_routes(vd, [s.route("10.0.0.0/16", pcx=pcx)])
    db_sg = s.sg(vd, "db", [perm("tcp", 5432, 5433, cidrs=["10.0.0.0/16"])])
    s.instance(sd["db-1"], "10.1.1.10", [db_sg], name="db-1")
    s.instance(sd["db-2"], "10.1.2.10", [db_sg], name="db-2")
    s.namespace(c, "app")
    w = s.pod(c, "app", "worker", n1, "10.0.1.20", labels={"app": "worker"})
    pol = s.netpol(c, "app", "worker-egress", {
        "podSelector": {"matchLabels": {"app": "worker"}}, "policyTypes": ["Egress"],
        "egress": [{"to": [{"ipBlock": {"cidr": "10.1.0.0/16", "except": ["10.1.2.0/24"]}}],
                    "ports": [{"protocol": "TCP", "port": 5432}]}]})
    s.flow(w, "10.1.1.10", "tcp", 5432, "allowed", "inside 10.1.0.0/16, outside the except range; peering routes "
           "both ways" + cite("np", "pcx"))
    s.flow(w, "10.1.2.10", "tcp", 5432, "denied", "10.1.2.0/24 is excepted from the ipBlock" + cite("np"),
           blocked_by=pol)
    s.flow(w, "10.1.1.10", "tcp", 5433, "denied", "only tcp/5432 is allowed" + cite("np"), blocked_by=pol)
    return s


@scenario
def eks_np_ipblock_pods():
    s = Scenario("070-eks-netpol-ipblock-matches-pod-ips", "Ingress ipBlock covering the pod IPs of one subnet",
                 "NetworkPolicy ipBlock matching in-cluster pod IPs")
    v, sub, c, n1, n2, _ = eks(s)
    s.namespace(c, "app")
    sv = s.pod(c, "app", "server", n2, "10.0.2.20", labels={"app": "server"}, ports=WEB)
    a = s.pod(c, "app", "client-a", n1, "10.0.1.20", labels={"app": "client"})
    b = s.pod(c, "app", "client-b", n2, "10.0.2.21", labels={"app": "client"})
    pol = s.netpol(c, "app", "server-from-subnet-a", {
        "podSelector": {"matchLabels": {"app": "server"}}, "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.1.0/24"}}]}]})
    s.flow(a, sv, "tcp", 8080, "allowed", "client-a's pod IP 10.0.1.20 is inside the ipBlock (upstream e2e "
           "'should allow ingress access from CIDR' treats pod IPs as matchable)" + cite("np"))
    s.flow(b, sv, "tcp", 8080, "denied", "10.0.2.21 is outside 10.0.1.0/24; NetworkPolicy also applies to "
           "pods on the same node" + cite("np"), blocked_by=pol)
    return s


@scenario
def eks_np_named_port():
    s = Scenario("071-eks-netpol-named-port", "A named port resolves per destination pod",
                 "NetworkPolicy named port resolution on the destination pod")
    v, sub, c, n1, n2, _ = eks(s)
    s.namespace(c, "app")
    sa = s.pod(c, "app", "server-a", n2, "10.0.2.20", labels={"role": "server"}, ports=[("http", 8080, "TCP")])
    sb = s.pod(c, "app", "server-b", n2, "10.0.2.21", labels={"role": "server"},
               ports=[("http", 9090, "TCP"), ("metrics", 8080, "TCP")])
    cl = s.pod(c, "app", "client", n1, "10.0.1.20", labels={"role": "client"})
    pol = s.netpol(c, "app", "servers-http", {
        "podSelector": {"matchLabels": {"role": "server"}}, "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"podSelector": {}}], "ports": [{"protocol": "TCP", "port": "http"}]}]})
    s.flow(cl, sa, "tcp", 8080, "allowed", "'http' is 8080 on server-a" + cite("np"))
    s.flow(cl, sa, "tcp", 9090, "denied", "9090 is not server-a's 'http' port" + cite("np"), blocked_by=pol)
    s.flow(cl, sb, "tcp", 9090, "allowed", "'http' is 9090 on server-b" + cite("np"))
    s.flow(cl, sb, "tcp", 8080, "denied", "on server-b 8080 is named 'metrics', not 'http'" + cite("np"),
           blocked_by=pol)
    return s


@scenario
def eks_np_endport():
    s = Scenario("072-eks-netpol-endport", "port + endPort is an inclusive range",
                 "NetworkPolicy endPort")
    v, sub, c, n1, n2, _ = eks(s)
    s.namespace(c, "app")
    sv = s.pod(c, "app", "server", n2, "10.0.2.20", labels={"app": "server"})
    cl = s.pod(c, "app", "client", n1, "10.0.1.20", labels={"app": "client"})
    pol = s.netpol(c, "app", "server-range", {
        "podSelector": {"matchLabels": {"app": "server"}}, "policyTypes": ["Ingress"],
        "ingress": [{"ports": [{"protocol": "TCP", "port": 8000, "endPort": 8100}]}]})
    s.flow(cl, sv, "tcp", 8000, "allowed", "lower bound" + cite("np"))
    s.flow(cl, sv, "tcp", 8100, "allowed", "endPort is inclusive" + cite("np"))
    s.flow(cl, sv, "tcp", 8101, "denied", "just above endPort" + cite("np"), blocked_by=pol)
    return s


@scenario
def eks_np_protocols():
    s = Scenario("073-eks-netpol-tcp-rule-denies-icmp", "A rule with ports only allows those protocols",
                 "NetworkPolicy ports/protocol: ICMP and UDP denied by a TCP-only rule")
    v, sub, c, n1, n2, _ = eks(s)
    s.namespace(c, "app")
    sv = s.pod(c, "app", "server", n2, "10.0.2.20", labels={"app": "server"}, ports=WEB)
    cl = s.pod(c, "app", "client", n1, "10.0.1.20", labels={"app": "client"})
    pol = s.netpol(c, "app", "server-tcp", {
        "podSelector": {"matchLabels": {"app": "server"}}, "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"podSelector": {}}], "ports": [{"protocol": "TCP", "port": 8080}]}]})
    s.flow(cl, sv, "tcp", 8080, "allowed", "TCP 8080 from a pod in the namespace" + cite("np"))
    s.flow(cl, sv, "icmp", None, "denied", "the only rule is restricted to TCP/8080; ICMP matches no rule of "
           "an isolated pod" + cite("np"), icmp=(8, 0), blocked_by=pol)
    s.flow(cl, sv, "udp", 8080, "denied", "UDP/8080 is not TCP/8080" + cite("np"), blocked_by=pol)
    return s


def sgp_cluster(s, mode):
    v, sub, c, n1, n2, node_sg = eks(s, sg_mode=mode, trunk=True)
    pod_sg = s.sg(v, "payments-pods", [perm("tcp", 8443, 8443, cidrs=["10.0.0.0/16"])])
    s.namespace(c, "pay")
    s.sgp(c, "pay", "payments-sgp", {"app": "payments"}, [pod_sg])
    pay = s.pod(c, "pay", "payments", n1, "10.0.1.40", labels={"app": "payments"}, branch_sgs=[pod_sg])
    same = s.pod(c, "pay", "same-node", n1, "10.0.1.20", labels={"app": "caller"})
    other = s.pod(c, "pay", "other-node", n2, "10.0.2.20", labels={"app": "caller"})
    return pod_sg, pay, same, other


@scenario
def eks_sgp_strict():
    s = Scenario("074-eks-sgp-strict", "Security groups for pods, strict enforcing mode",
                 "SGP branch ENI; strict mode enforces the pod SG even on the same node")
    pod_sg, pay, same, other = sgp_cluster(s, "strict")
    s.flow(same, pay, "tcp", 9000, "denied", "strict: traffic to a branch-ENI pod is always evaluated against "
           "its SGs, also from the same node; payments-pods allows only 8443" + cite("sgp_mode", "sgp"),
           blocked_by=pod_sg["GroupId"])
    s.flow(same, pay, "tcp", 8443, "allowed", "payments-pods allows tcp/8443 from the VPC" + cite("sgp"))
    s.flow(other, pay, "tcp", 9000, "denied", "from another node: branch ENI SG applies" + cite("sgp"),
           blocked_by=pod_sg["GroupId"])
    return s


@scenario
def eks_sgp_standard():
    s = Scenario("075-eks-sgp-standard", "Security groups for pods, standard enforcing mode",
                 "SGP standard mode: same-node traffic bypasses SGs; cross-node enforced")
    pod_sg, pay, same, other = sgp_cluster(s, "standard")
    s.flow(same, pay, "tcp", 9000, "allowed", "standard: traffic from another pod on the same host is not "
           "enforced by security groups" + cite("sgp_mode"))
    s.flow(other, pay, "tcp", 9000, "denied", "standard: inbound from another host is enforced by the pod's "
           "SGs" + cite("sgp_mode"), blocked_by=pod_sg["GroupId"])
    s.flow(other, pay, "tcp", 8443, "allowed", "payments-pods allows tcp/8443" + cite("sgp"))
    return s


def snat_cluster(s, external_snat):
    v, sub, c, n1, n2, node_sg = eks(s, external_snat=external_snat,
                                     extra_subnets=(("svc", "10.0.3.0/24", "a"),))
    vd, sd = one_vpc(s, "10.1.0.0/16", (("db", "10.1.1.0/24", "a"),), key="data")
    pcx = s.peering(v, vd)
    s.main_routes(v, [s.route("10.1.0.0/16", pcx=pcx)])
    s.main_routes(vd, [s.route("10.0.0.0/16", pcx=pcx)])
    by_node = s.sg(vd, "db-allows-node-ip", [perm("tcp", 5432, 5432, cidrs=["10.0.1.10/32"])])
    by_pod = s.sg(vd, "db-allows-pod-ip", [perm("tcp", 5432, 5432, cidrs=["10.0.1.20/32"])])
    local = s.sg(v, "svc-allows-pod-ip", [perm("tcp", 5432, 5432, cidrs=["10.0.1.20/32"])])
    s.instance(sd["db"], "10.1.1.10", [by_node], name="db-node-ip")
    s.instance(sd["db"], "10.1.1.11", [by_pod], name="db-pod-ip")
    s.instance(sub["svc"], "10.0.3.10", [local], name="svc")
    s.namespace(c, "app")
    p = s.pod(c, "app", "api", n1, "10.0.1.20", labels={"app": "api"})
    return p, by_node, by_pod


@scenario
def eks_snat_off():
    s = Scenario("076-eks-external-snat-false", "Pod traffic leaving the VPC CIDR is SNATed to the node IP",
                 "EKS external_snat=false: remote SG sees the node's primary IP")
    p, by_node, by_pod = snat_cluster(s, external_snat=False)
    s.flow(p, "10.1.1.10", "tcp", 5432, "allowed", "10.1.0.0/16 is outside the cluster VPC CIDR, so the source "
           "becomes the node IP 10.0.1.10, which the remote SG allows" + cite("snat", "pcx"))
    s.flow(p, "10.1.1.11", "tcp", 5432, "denied", "the remote SG allows only the pod IP, but it sees the node IP"
           + cite("snat"), blocked_by=by_pod["GroupId"])
    s.flow(p, "10.0.3.10", "tcp", 5432, "allowed", "inside the VPC CIDR there is no SNAT: the pod IP is seen"
           + cite("snat"))
    return s


@scenario
def eks_snat_on():
    s = Scenario("077-eks-external-snat-true", "With external SNAT the pod IP is preserved",
                 "EKS external_snat=true: remote SG sees the pod IP")
    p, by_node, by_pod = snat_cluster(s, external_snat=True)
    s.flow(p, "10.1.1.10", "tcp", 5432, "denied", "no SNAT: the source stays 10.0.1.20, which this SG does not "
           "allow" + cite("snat"), blocked_by=by_node["GroupId"])
    s.flow(p, "10.1.1.11", "tcp", 5432, "allowed", "the pod IP is allowed" + cite("snat", "pcx"))
    return s


def sgp_outside_vpc(s, mode):
    v, sub, c, n1, n2, node_sg = eks(s, sg_mode=mode, trunk=True, extra_subnets=(("svc", "10.0.3.0/24", "a"),))
    vd, sd = one_vpc(s, "10.1.0.0/16", (("db", "10.1.1.0/24", "a"),), key="data")
    pcx = s.peering(v, vd)
    s.main_routes(v, [s.route("10.1.0.0/16", pcx=pcx)])
    s.main_routes(vd, [s.route("10.0.0.0/16", pcx=pcx)])
    db = s.sg(vd, "db", [perm("tcp", 5432, 5432, cidrs=["10.0.1.0/24"])])
    s.instance(sd["db"], "10.1.1.10", [db], name="db")
    svc = s.sg(v, "svc", [perm("tcp", 443, 443, cidrs=["10.0.0.0/16"]), perm("tcp", 5432, 5432, cidrs=["10.0.0.0/16"])])
    s.instance(sub["svc"], "10.0.3.10", [svc], name="svc")
    pod_sg = s.sg(v, "reports-pods", [], egress=[perm("tcp", 443, 443, cidrs=["0.0.0.0/0"])])
    s.namespace(c, "rep")
    s.sgp(c, "rep", "reports-sgp", {"app": "reports"}, [pod_sg])
    p = s.pod(c, "rep", "reports", n1, "10.0.1.40", labels={"app": "reports"}, branch_sgs=[pod_sg])
    return p, pod_sg


@scenario
def eks_sgp_standard_outside():
    s = Scenario("078-eks-sgp-standard-leaving-vpc", "Standard mode + SNAT: outside-VPC traffic uses the node SG",
                 "SGP standard mode with external_snat=false: traffic leaving the VPC is governed by the node SG")
    p, pod_sg = sgp_outside_vpc(s, "standard")
    s.flow(p, "10.1.1.10", "tcp", 5432, "allowed", "standard + externalSNAT off: SNATed via eth0 to the node IP "
           "and enforced only by the node SG (allows all egress); the db SG allows 10.0.1.0/24" + cite("sgp_mode"))
    s.flow(p, "10.0.3.10", "tcp", 5432, "denied", "inside the VPC the branch ENI's SG applies: reports-pods "
           "allows only tcp/443 out" + cite("sgp_mode", "sgp"), blocked_by=pod_sg["GroupId"])
    s.flow(p, "10.0.3.10", "tcp", 443, "allowed", "reports-pods allows tcp/443 out" + cite("sgp"))
    return s


@scenario
def eks_sgp_strict_outside():
    s = Scenario("079-eks-sgp-strict-leaving-vpc", "Strict mode: outside-VPC traffic still uses the pod SG",
                 "SGP strict mode: pod SG governs traffic leaving the VPC (no SNAT for SG pods)")
    p, pod_sg = sgp_outside_vpc(s, "strict")
    s.flow(p, "10.1.1.10", "tcp", 5432, "denied", "strict: all traffic of the pod is enforced by its branch "
           "SGs; reports-pods allows only tcp/443 out" + cite("sgp_mode"), blocked_by=pod_sg["GroupId"])
    s.flow(p, "10.0.3.10", "tcp", 443, "allowed", "reports-pods allows tcp/443 out" + cite("sgp"))
    return s


@scenario
def eks_host_network():
    s = Scenario("080-eks-hostnetwork-pod", "hostNetwork pods use the node IP and escape pod selectors",
                 "hostNetwork pod not selected by NetworkPolicy; not matched as a pod peer")
    v, sub, c, n1, n2, _ = eks(s)
    s.namespace(c, "mon")
    s.namespace(c, "web")
    s.namespace(c, "secure")
    agent = s.pod(c, "mon", "agent", n1, labels={"app": "agent"}, host_network=True)
    coll = s.pod(c, "mon", "collector", n1, "10.0.1.20", labels={"app": "agent"})
    web = s.pod(c, "web", "web", n2, "10.0.2.20", ports=WEB)
    api = s.pod(c, "secure", "api", n2, "10.0.2.21", labels={"app": "api"}, ports=WEB)
    deny = s.netpol(c, "mon", "default-deny-all", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})
    allow = s.netpol(c, "secure", "allow-agent", {
        "podSelector": {"matchLabels": {"app": "api"}}, "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "mon"}},
                               "podSelector": {"matchLabels": {"app": "agent"}}}],
                     "ports": [{"protocol": "TCP", "port": 8080}]}]})
    s.flow(agent, web, "tcp", 8080, "allowed", "the hostNetwork pod sends from the node IP and is not selected "
           "by mon/default-deny-all" + cite("np"))
    s.flow(coll, web, "tcp", 8080, "denied", "a regular pod in mon is egress-isolated" + cite("np"),
           blocked_by=deny)
    s.flow(agent, api, "tcp", 8080, "denied", "the source is the node IP 10.0.1.10, not a pod IP, so the "
           "namespace+pod selector peer does not match it" + cite("np"), blocked_by=allow)
    s.flow(coll, api, "tcp", 8080, "denied", "the collector matches allow-agent's peer, but its own namespace "
           "denies all egress" + cite("np"), blocked_by=deny)
    return s


@scenario
def eks_np_not_enforced():
    s = Scenario("081-eks-netpol-not-enforced", "NetworkPolicies exist but nothing enforces them",
                 "network_policy_enforcement=false; node SG still applies")
    v, sub, c, n1, n2, node_sg = eks(s, netpol=False, node_sg_ingress=[])
    node_sg["IpPermissions"] = [perm("tcp", 8080, 8080, groups=[node_sg])]
    s.namespace(c, "secure")
    s.namespace(c, "open")
    srv = s.pod(c, "secure", "server", n2, "10.0.2.20", ports=WEB)
    cli = s.pod(c, "open", "client", n1, "10.0.1.20")
    s.netpol(c, "secure", "default-deny-all", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})
    s.flow(cli, srv, "tcp", 8080, "allowed", "no network policy engine: policies have no effect; node SG allows "
           "tcp/8080 between nodes" + cite("np", "cni"))
    s.flow(cli, srv, "tcp", 9090, "denied", "node SG allows only tcp/8080" + cite("sg"),
           blocked_by=node_sg["GroupId"])
    return s


@scenario
def eks_pod_nacl():
    s = Scenario("082-eks-pod-through-nacl", "Pod traffic crosses subnet NACLs like any VPC traffic",
                 "EKS pod on a node secondary IP vs a NACL on the destination subnet")
    v, sub, c, n1, n2, _ = eks(s, extra_subnets=(("db", "10.0.3.0/24", "a"),))
    acl = s.nacl(v, "db", [sub["db"]], ingress=[(100, "6", "allow", "10.0.1.0/24", (5432, 5432))],
                 egress=[(100, "6", "allow", "10.0.0.0/16", (1024, 65535))])
    s.instance(sub["db"], "10.0.3.10", [s.sg(v, "db", [perm("tcp", 5432, 5432, cidrs=["10.0.0.0/16"])])],
               name="db")
    s.namespace(c, "app")
    a = s.pod(c, "app", "api-a", n1, "10.0.1.20")
    b = s.pod(c, "app", "api-b", n2, "10.0.2.20")
    s.flow(a, "10.0.3.10", "tcp", 5432, "allowed", "source pod IP 10.0.1.20 is inside rule 100's CIDR"
           + cite("nacl", "cni"))
    s.flow(b, "10.0.3.10", "tcp", 5432, "denied", "10.0.2.20 is not in 10.0.1.0/24; the * rule denies"
           + cite("nacl"), blocked_by=acl)
    return s



# ==========================================================================
# late additions: appliances, middlebox SG references, geoip
# ==========================================================================

@scenario
def route_appliance_eni():
    s = Scenario("083-route-to-appliance-eni", "Default route to a third-party appliance instance's ENI",
                 "route to an appliance ENI -> unknown; SG drop before the appliance is still denied")
    v, sub = one_vpc(s, subnets=(("app", "10.0.1.0/24", "a"), ("dmz", "10.0.2.0/24", "a")))
    igw = s.igw(v)
    s.rtb(v, "dmz", [sub["dmz"]], [s.route("0.0.0.0/0", igw=igw)])
    appl_sg = s.sg(v, "appliance", [perm("-1", cidrs=["10.0.0.0/16"])])
    ai, ae = s.instance(sub["dmz"], "10.0.2.10", [appl_sg], name="proxy-appliance", public_ip="192.0.2.30",
                        source_dest_check=False)
    s.rtb(v, "app", [sub["app"]], [s.route("0.0.0.0/0", eni=ae["NetworkInterfaceId"])])
    app_sg = s.sg(v, "app", [], egress=[perm("tcp", 443, 443, cidrs=["0.0.0.0/0"]),
                                        perm("tcp", 5432, 5432, cidrs=["10.0.0.0/16"])])
    db_sg = s.sg(v, "db", [perm("tcp", 5432, 5432, cidrs=["10.0.0.0/16"])])
    xi, _ = s.instance(sub["app"], "10.0.1.10", [app_sg], name="app")
    di, _ = s.instance(sub["app"], "10.0.1.20", [db_sg], name="db")
    s.flow(xi, INTERNET_SERVER, "tcp", 443, "unknown", "0.0.0.0/0 -> the appliance's ENI: whatever the "
           "appliance does (forward, NAT, drop) is not in the snapshot" + cite("rt_mb"))
    s.flow(xi, INTERNET_SERVER, "tcp", 22, "denied", "dropped by the app SG (egress only 443 and 5432) before "
           "reaching the appliance" + cite("sg"), blocked_by=app_sg["GroupId"])
    s.flow(xi, di, "tcp", 5432, "allowed", "local route; the appliance route is not used" + cite("rt"))
    return s


@scenario
def sg_ref_middlebox():
    s = Scenario("084-sg-reference-through-middlebox", "SG group references do not match traffic routed via a middlebox",
                 "SG group reference through a firewall endpoint denied; CIDR rule allowed")
    rg = s.rule_group_stateful("pass-all", stateful_rules=[
        five_tuple("PASS", "IP", "ANY", "ANY", "ANY", "ANY", 1)])
    pol = s.fw_policy("p", stateful=[(rg, None)])
    made = {}

    def client(v):
        made["app"] = s.sg(v, "app")
        return [made["app"]]

    def server(v):
        made["srv"] = s.sg(v, "server", [perm("tcp", 5432, 5432, groups=[made["app"]]),
                                         perm("tcp", 443, 443, cidrs=["10.0.1.0/24"])])
        return [made["srv"]]
    v, sub, ci, si, _ = intra_vpc_fw(s, pol, client_sgs=client, server_sgs=server)
    s.flow(ci, si, "tcp", 5432, "denied", "routed through the firewall endpoint (middlebox): a rule referencing "
           "the client's security group does not allow the traffic; the SG must reference the IP or subnet CIDR"
           + cite("sg_ref", "rt_mb"), blocked_by=made["srv"]["GroupId"])
    s.flow(ci, si, "tcp", 443, "allowed", "the CIDR-based rule allows it through the middlebox"
           + cite("sg", "nfw_order"))
    return s


@scenario
def nfw_geoip():
    s = Scenario("085-nfw-uninterpreted-geoip", "Ingress drop rule keyed on geoip",
                 "NFW uninterpreted keyword (geoip) on a drop rule -> unknown; plain drop; no match passes")
    rg = s.rule_group_stateful("ingress-rules", rules_string="\n".join([
        'drop tcp any any -> $HOME_NET 443 (msg:"embargoed sources"; geoip:src,KP,IR; sid:1; rev:1;)',
        'drop tcp any any -> $HOME_NET 22 (msg:"no ssh from outside"; sid:2; rev:1;)']))
    v, sub, igw, web, wi, edge = igw_ingress_fw(s, rg=rg, web_ports=(443, 22, 80))
    s.flow(INTERNET_CLIENT, "192.0.2.10", "tcp", 443, "unknown", "dropped only if 203.0.113.7 geolocates to "
           "KP or IR; geoip is not modelled" + cite("nfw_sur", "nfw_order"))
    s.flow(INTERNET_CLIENT, "192.0.2.10", "tcp", 22, "denied", "sid 2 drops tcp/22 to HOME_NET (the VPC CIDR)"
           + cite("nfw_sur"), blocked_by="ingress-rules")
    s.flow(INTERNET_CLIENT, "192.0.2.10", "tcp", 80, "allowed", "no rule matches; action order passes it"
           + cite("nfw_order", "rt_gw"))
    return s


# 086-089: policy kinds netprove does not model (tests/tools/scenarios_unmodelled.py).
from scenarios_unmodelled import register as register_unmodelled  # noqa: E402
register_unmodelled(scenario, eks, cite)
from scenarios_np_audit import JUDGEMENT_CALLS as NP_AUDIT_CALLS, register as register_np_audit  # noqa: E402

register_np_audit(scenario, eks=eks, cite=cite, docs=D, web=WEB)
# Scenarios 150+ (semantic points checked against Batfish's AWS tests) live in their own file.
from scenarios_batfish_oracle import BUILDERS as BATFISH_ORACLE, JUDGEMENTS as BATFISH_JUDGEMENTS  # noqa: E402

SCENARIOS.extend(BATFISH_ORACLE)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_trace_scenarios.py OUTPUT_DIR")
    root = sys.argv[1]
    os.makedirs(root, exist_ok=True)
    for entry in os.listdir(root):
        p = os.path.join(root, entry)
        if os.path.isdir(p) and entry[:3].isdigit():
            shutil.rmtree(p)
    built = [fn() for fn in SCENARIOS + scenarios_aws_audit.SCENARIOS]
    names = [s.name for s in built]
    assert len(set(names)) == len(names), "duplicate scenario names"
    counts = {"allowed": 0, "denied": 0, "unknown": 0}
    for s in built:
        s.write(root)
        for f in s.flows:
            counts[f["expect"]] += 1
    write_readme(root, built, counts)
    print("%d scenarios, %d flows (%s)" % (len(built), sum(counts.values()),
                                            ", ".join("%s %d" % kv for kv in counts.items())))


JUDGEMENT_CALLS = [
    "ICMP replies are echo replies: a NACL must allow ICMP type 0 back for an echo request (type 8) to be "
    "`allowed` (015).",
    "Pods on the same node that use node secondary IPs talk without crossing an ENI, so no security group "
    "applies (062, flow 3). For branch-ENI pods this follows the enforcing mode (074 strict, 075 standard).",
    "Under STRICT_ORDER with `aws:drop_strict`, a pass rule that needs `flow:established` (a Suricata rule or "
    "the rules a domain list generates) can never match the TCP handshake, so the connection is `denied` "
    "(053, 061). With `aws:drop_established` the handshake passes and the rule decides (052, 055).",
    "A 5-tuple PASS rule, or a Suricata pass rule without `flow`, passes the whole flow, reply included (050, 054).",
    "Stateless and stateful firewall drops name the rule group in `blocked_by`; stateless or stateful default "
    "actions name the firewall.",
    "An SG rule that references a group does not match traffic routed through a firewall endpoint (084), following "
    "the VPC middlebox-routing note.",
    "Asymmetric paths through a firewall endpoint (IGW edge route without the matching subnet route, or a cross-AZ "
    "TGW flow without appliance mode) are `denied` without `blocked_by` (021, 043).",
    "Internet -> a private IP with no public mapping is `denied` without `blocked_by` (024, 028).",
    "A hostNetwork pod is the node IP: NetworkPolicy pod selectors neither select it nor match it as a peer (080).",
    "A policy of a kind netprove does not model (AdminNetworkPolicy, Cilium, Calico, ApplicationNetworkPolicy, a "
    "NetworkPolicy of another API group) makes the NetworkPolicy decision of every pod it may apply to `unknown` "
    "(its namespace, or the whole cluster when cluster-scoped; never hostNetwork pods), also with "
    "`network_policy_enforcement = false`, since those kinds are enforced by their own engines; a definite drop "
    "elsewhere is still `denied`; PolicyEndpoints, derived from NetworkPolicies, change nothing (086-089).",
] + NP_AUDIT_CALLS


JUDGEMENT_CALLS += BATFISH_JUDGEMENTS


def write_readme(root, built, counts):
    lines = [
        "# Trace scenario corpus",
        "",
        "Generated by `python3 tests/tools/gen_trace_scenarios.py tests/data/trace` (builder library:",
        "`tests/tools/scenario.py`). Do not edit by hand.",
        "",
        "Each directory is a tiny snapshot (`snapshot.toml`, `aws/<account>/us-east-1/*.json`,",
        "`k8s/<cluster>/*`) plus `flows.jsonl`, one expected `netprove trace` verdict per line:",
        "`{from, to, proto, dport | icmp_type+icmp_code, sport?, sni?, http_host?, expect, blocked_by?, note}`.",
        "Expectations come from the AWS / Kubernetes documentation cited in each `note`, not from netprove.",
        "",
        "Verdicts: `allowed` = the request is delivered and the reply gets back; `denied` = some hop drops the",
        "request or the reply (`blocked_by` = the resource that drops it, when unambiguous); `unknown` = the",
        "outcome depends on something netprove approximates (uninterpreted Suricata keywords, app-layer",
        "fields the flow does not give, NAT source-port choice vs a partial NACL range, appliances, policy",
        "kinds netprove does not model).",
        "",
        "Totals: %d scenarios, %d flows (%s)." % (len(built), sum(counts.values()),
                                                 ", ".join("%d %s" % (v, k) for k, v in counts.items())),
        "",
        "| scenario | what it shows | covers | flows (allowed/denied/unknown) |",
        "|---|---|---|---|",
    ]
    for s in built:
        c = [sum(1 for f in s.flows if f["expect"] == e) for e in ("allowed", "denied", "unknown")]
        lines.append("| `%s` | %s | %s | %d/%d/%d |" % (s.name, s.title, s.covers, c[0], c[1], c[2]))
    lines += ["", "## Judgement calls", ""] + ["- " + j for j in JUDGEMENT_CALLS + scenarios_aws_audit.JUDGEMENT_CALLS]
    with open(os.path.join(root, "README.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
