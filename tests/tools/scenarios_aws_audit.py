"""Trace scenarios 100+: an audit of the AWS data-plane semantics (security
groups, NACLs, routing, gateways and endpoints, transit gateway, Network
Firewall) against the AWS documentation.

Registered by `gen_trace_scenarios.py` (see `SCENARIOS` at the bottom).
Every expected verdict comes from the documentation cited in the flow's
`note`; where AWS documents nothing the flow expects `unknown` and says so.

Needs a little more than `scenario.Scenario` writes (prefix lists, VPC
endpoints, a second region, hand-edited TGW routes): `AuditScenario` adds
those files after the base layout is written.
"""

import json
import os

from scenario import A1, A2, REGION, Scenario, T_CREATE, five_tuple, perm, stateless_rule, tags

INTERNET_CLIENT = "203.0.113.7"
INTERNET_SERVER = "198.51.100.20"
S3_IP = "52.216.8.10"
S3_PL = "pl-63a5400a"
S3_CIDRS = ["52.216.0.0/15", "3.5.0.0/19", "54.231.0.0/16"]
OTHER_REGION = "us-west-2"

D = {
    "sg": "VPC UG 'Security group rules' https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    "sg_proto": "EC2 API IpPermission (IpProtocol -1 or a number other than tcp/udp/icmp/icmpv6 allows all ports "
                "whatever range is given; for icmp FromPort is the type and ToPort the code, -1 = all) "
                "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html",
    "sg_state": "EC2 UG 'Security group connection tracking' (responses are allowed regardless of rules; other "
                "protocols are tracked by IP addresses and protocol number) "
                "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html",
    "sg_pl": "VPC UG 'Managed prefix lists' (a security group rule that references a prefix list matches its "
             "entries) https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html",
    "pcx_sg": "VPC Peering Guide 'Update your security groups to reference peer security groups' (you can't "
              "reference the security group of a peer VPC that's in a different Region; use its CIDR block) "
              "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html",
    "tgw_sg": "AWS Networking blog 'Introducing security group referencing for AWS Transit Gateway' (inbound "
              "rules may reference groups in VPCs attached to the same TGW in the same Region; outbound rules "
              "referencing over Transit Gateway aren't supported) https://aws.amazon.com/blogs/"
              "networking-and-content-delivery/introducing-security-group-referencing-for-aws-transit-gateway/",
    "tgw_sg_opt": "EC2 API TransitGatewayRequestOptions / TransitGatewayVpcAttachmentOptions "
                  "SecurityGroupReferencingSupport (disabled by default on the transit gateway; must be enabled "
                  "on the gateway and the VPC attachments) https://docs.aws.amazon.com/AWSEC2/latest/APIReference/"
                  "API_TransitGatewayVpcAttachmentOptions.html",
    "sg_mb": "VPC Peering Guide security groups / VPC UG middlebox routing (through a middlebox a group reference "
             "as the *source* does not allow traffic; nothing is documented for destination references in "
             "outbound rules) https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html",
    "nacl": "VPC UG 'Control subnet traffic with network ACLs' (rules evaluated from the lowest number; first "
            "match; stateless; Protocol -1 = all, otherwise a protocol number) "
            "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
    "nacl_icmp": "EC2 API NetworkAclEntry / IcmpTypeCode (ICMP type and code; -1 = all types / all codes) "
                 "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IcmpTypeCode.html",
    "rt_prio": "VPC UG 'Route priority' (longest prefix; at equal length static routes before prefix-list "
               "routes; overlapping prefix-list routes are chosen at random) "
               "https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html",
    "rt_pl": "VPC UG 'Managed prefix lists' / route tables (a route's DestinationPrefixListId stands for the "
             "list's entries) https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html",
    "gwe": "PrivateLink Guide 'Gateway endpoints' / 'Gateway endpoints for Amazon S3' (route with the service's "
           "prefix list to the endpoint; SGs may reference the prefix list; gateway endpoints do not allow access "
           "from on-premises networks, peered VPCs in other Regions, or through a transit gateway) "
           "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html",
    "ife": "PrivateLink Guide 'Interface endpoints' (an endpoint network interface in each subnet; its security "
           "groups control traffic to it) https://docs.aws.amazon.com/vpc/latest/privatelink/"
           "create-interface-endpoint.html",
    "nlb_sg": "ELB 'Update the security groups for your Network Load Balancer' (if you don't assign a security "
              "group to your Network Load Balancer, all client traffic can reach it; with one, its rules apply) "
              "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html",
    "srcdst": "EC2 API ModifyInstanceAttribute SourceDestCheck (source/destination checks ensure that the "
              "instance is either the source or the destination of any traffic it receives; disable them for "
              "NAT, routing or firewall appliances) https://docs.aws.amazon.com/AWSEC2/latest/APIReference/"
              "API_ModifyInstanceAttribute.html",
    "rt_mb": "VPC UG 'Route tables' (a route may target a network interface: a middlebox appliance) "
             "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html",
    "nat": "VPC UG 'NAT gateway basics' (a NAT gateway supports the following protocols: TCP, UDP, and ICMP) "
           "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html",
    "igw": "VPC UG 'Internet gateways' (1:1 NAT for instances with a public IPv4 address) "
           "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html",
    "pcx": "VPC Peering Guide 'VPC peering limitations' (no transitive peering; no edge-to-edge routing) "
           "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html",
    "tgw": "TGW Guide 'How transit gateways work' (the route table associated with the ingress attachment "
           "decides) https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html",
    "tgw_assoc": "EC2 API DescribeTransitGatewayAttachments / TransitGatewayAttachmentAssociation (the association "
                 "is reported by the generic attachment listing and GetTransitGatewayRouteTableAssociations, not by "
                 "DescribeTransitGatewayVpcAttachments) https://docs.aws.amazon.com/AWSEC2/latest/APIReference/"
                 "API_TransitGatewayAttachment.html",
    "tgw_routes": "EC2 API SearchTransitGatewayRoutes / TransitGatewayRoute (TransitGatewayAttachments names "
                  "where an active route sends traffic; blackhole drops) https://docs.aws.amazon.com/AWSEC2/"
                  "latest/APIReference/API_TransitGatewayRoute.html",
    "nfw_proc": "NFW 'How the firewall processes packets' (stateless rules by priority, first match; custom "
                "actions publish metrics and do not change forwarding) "
                "https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-policy-processing.html",
    "nfw_custom": "NFW API CustomAction / StatelessRule Actions (exactly one standard action plus optional "
                  "custom actions) https://docs.aws.amazon.com/network-firewall/latest/APIReference/"
                  "API_RuleDefinition.html",
    "nfw_order": "NFW 'Evaluation order for stateful rules' (action order pass, drop, reject, alert; strict "
                 "order default actions) https://docs.aws.amazon.com/network-firewall/latest/developerguide/"
                 "suricata-rule-evaluation-order.html",
    "nfw_strict": "NFW 'Evaluation order for stateful rules' strict order (aws:drop_strict drops everything "
                  "unmatched; aws:alert_* only log) https://docs.aws.amazon.com/network-firewall/latest/"
                  "developerguide/suricata-rule-evaluation-order.html",
    "nfw_sur": "NFW 'Suricata compatible rule strings' + Suricata rule header (direction -> or <>) "
               "https://docs.aws.amazon.com/network-firewall/latest/developerguide/stateful-rule-groups-ips.html",
    "nfw_5t": "NFW API Header (Direction FORWARD = one way, ANY = both directions) "
              "https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_Header.html",
    "nfw_reject": "NFW API StatefulRule Action (REJECT drops the traffic and sends a TCP reset; TCP only) "
                  "https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_StatefulRule.html",
    "nfw_home": "NFW API PolicyVariables (if you don't override HOME_NET, Network Firewall uses the CIDR of the "
                "inspection VPC) https://docs.aws.amazon.com/network-firewall/latest/APIReference/"
                "API_PolicyVariables.html",
    "nfw_ext": "NFW 'Troubleshooting rules' (EXTERNAL_NET in a rule group is the negation of the HOME_NET defined "
               "at the policy level; policy variables affect rule groups that don't define HOME_NET) "
               "https://docs.aws.amazon.com/network-firewall/latest/developerguide/troubleshooting-rules.html",
    "nfw_vars": "NFW 'Rule variables' / API RuleVariables, ReferenceSets (IP sets, port sets, @ IP set "
                "references to prefix lists) https://docs.aws.amazon.com/network-firewall/latest/developerguide/"
                "rule-group-variables.html",
}


def cite(*keys):
    return " [" + "; ".join(D[k] for k in keys) + "]"


SCENARIOS = []

JUDGEMENT_CALLS = [
    "An outbound rule that admits the flow only through a reference to the destination's group, on a path "
    "through a firewall endpoint or a NAT gateway, makes the result `unknown`: AWS documents the middlebox limit "
    "for source references only (106).",
    "Outbound rules referencing a group across a transit gateway never match, whatever the referencing options: "
    "AWS supports inbound references over a TGW only (104).",
    "A route to a prefix list without entries, and overlapping prefix-list routes of equal length, are hidden "
    "choices: every option is walked; the verdict is definite when they agree (110, 111).",
    "What the snapshot does not say about a transit gateway route (no attachment) or association (only the VPC "
    "attachment listing) is `unknown`, never a drop (118, 119).",
    "ICMP messages that are not queries (type 3, 11, …) get no reply: delivering the request is `allowed`; "
    "NACLs and routes on the way back do not matter (128).",
    "A route to an instance's ENI with source/destination checking on drops traffic for other addresses "
    "(`denied`, blocked by the ENI); with the check off the instance is an appliance (`unknown`) (129).",
    "`$HOME_NET` defaults to the firewall VPC's CIDRs; when that VPC is missing from the snapshot the rules that "
    "use it match *maybe* (130).",
]


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


# --------------------------------------------------------------------------
# the builder: extra files on top of scenario.Scenario
# --------------------------------------------------------------------------

class AuditScenario(Scenario):
    def __init__(self, name, title, covers):
        super().__init__(name, title, covers)
        self.managed_pls = []    # customer-managed prefix lists: (dict, entries or None)
        self.aws_pls = []        # AWS-managed prefix lists with inline Cidrs
        self.endpoints = []      # VpcEndpoints
        self.post = []           # callables(scenario dir) run after writing

    def prefix_list(self, name, entries, known=True, account=A1):
        """A customer-managed prefix list; `known=False` leaves its entries out of the snapshot."""
        pid = self.rid("pl", name)
        pl = {"PrefixListId": pid, "AddressFamily": "IPv4", "State": "create-complete", "StateMessage": "",
              "PrefixListArn": "arn:aws:ec2:%s:%s:prefix-list/%s" % (REGION, account, pid),
              "PrefixListName": name, "MaxEntries": 10, "Version": 1, "Tags": tags({"Name": name}),
              "OwnerId": account, "_acct": account}
        self.managed_pls.append((pl, list(entries) if known else None))
        return pid

    def aws_prefix_list(self, service, pid, cidrs, account=A1):
        self.aws_pls.append({"Cidrs": list(cidrs), "PrefixListId": pid,
                             "PrefixListName": "com.amazonaws.%s.%s" % (REGION, service), "_acct": account})
        return pid

    def gateway_endpoint(self, vpc, service, rtb_ids):
        eid = self.rid("vpce", "%s/%s" % (vpc["_key"], service))
        self.endpoints.append({
            "VpcEndpointId": eid, "VpcEndpointType": "Gateway", "VpcId": vpc["VpcId"],
            "ServiceName": "com.amazonaws.%s.%s" % (REGION, service), "State": "available",
            "PolicyDocument": json.dumps({"Version": "2008-10-17", "Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}),
            "RouteTableIds": list(rtb_ids), "SubnetIds": [], "Groups": [], "PrivateDnsEnabled": False,
            "RequesterManaged": False, "NetworkInterfaceIds": [], "DnsEntries": [],
            "CreationTimestamp": T_CREATE, "Tags": [], "OwnerId": vpc["_acct"], "_acct": vpc["_acct"]})
        return eid

    def interface_endpoint(self, vpc, service, subnet, ip, sgs):
        eid = self.rid("vpce", "%s/%s" % (vpc["_key"], service))
        eni = self.eni(subnet, ip, sgs, itype="vpc_endpoint", desc="VPC Endpoint Interface %s" % eid,
                       requester="727180483921", requester_managed=True, key="vpce/" + service,
                       attachment=self._svc_attachment("vpce/" + service, "amazon-aws"))
        self.endpoints.append({
            "VpcEndpointId": eid, "VpcEndpointType": "Interface", "VpcId": vpc["VpcId"],
            "ServiceName": "com.amazonaws.%s.%s" % (REGION, service), "State": "available",
            "RouteTableIds": [], "SubnetIds": [subnet["SubnetId"]],
            "Groups": [{"GroupId": g["GroupId"], "GroupName": g["GroupName"]} for g in sgs],
            "PrivateDnsEnabled": True, "RequesterManaged": False,
            "NetworkInterfaceIds": [eni["NetworkInterfaceId"]], "DnsEntries": [],
            "CreationTimestamp": T_CREATE, "Tags": [], "OwnerId": vpc["_acct"], "_acct": vpc["_acct"]})
        return eid, eni

    @staticmethod
    def pl_route(pl, igw=None, vpce=None, pcx=None, nat=None, tgw=None, state="active"):
        r = {"DestinationPrefixListId": pl}
        if igw or vpce:
            r["GatewayId"] = igw or vpce
        if nat:
            r["NatGatewayId"] = nat
        if tgw:
            r["TransitGatewayId"] = tgw
        if pcx:
            r["VpcPeeringConnectionId"] = pcx
        r["Origin"] = "CreateRoute"
        r["State"] = state
        return r

    def write(self, root):
        super().write(root)
        d = os.path.join(root, self.name)

        def wj(rel, obj):
            p = os.path.join(d, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(json.dumps(_strip(obj), indent=4) + "\n")

        for acct in sorted({v["_acct"] for v in self.vpcs}):
            b = "aws/%s/%s/" % (acct, REGION)
            mine = [p for p, _ in self.managed_pls if p["_acct"] == acct]
            if mine:
                wj(b + "describe-managed-prefix-lists.json", {"PrefixLists": mine})
            for p, entries in self.managed_pls:
                if p["_acct"] == acct and entries is not None:
                    wj(b + "get-managed-prefix-list-entries-%s.json" % p["PrefixListId"],
                       {"PrefixListId": p["PrefixListId"],
                        "Entries": [{"Cidr": c, "Description": "entry %d" % i} for i, c in enumerate(entries)]})
            aws = [p for p in self.aws_pls if p["_acct"] == acct]
            if aws:
                wj(b + "describe-prefix-lists.json", {"PrefixLists": aws})
            wj(b + "describe-vpc-endpoints.json", {"VpcEndpoints": [e for e in self.endpoints if e["_acct"] == acct]})
        for fn in self.post:
            fn(d)


def _strip(o):
    if isinstance(o, dict):
        return {k: _strip(v) for k, v in o.items() if not k.startswith("_") and v is not None}
    if isinstance(o, list):
        return [_strip(v) for v in o]
    return o


def move_account_to_region(account, region):
    """Post-write hook: the account's files move to `region` (AZ names and ARNs follow); the peering
    listing keeps the per-side Regions the builder gave it."""
    def hook(d):
        src = os.path.join(d, "aws", account, REGION)
        dst = os.path.join(d, "aws", account, region)
        os.rename(src, dst)
        for f in sorted(os.listdir(dst)):
            if f == "describe-vpc-peering-connections.json":
                continue
            p = os.path.join(dst, f)
            with open(p) as fh:
                text = fh.read()
            with open(p, "w") as fh:
                fh.write(text.replace(REGION, region))
    return hook


# --------------------------------------------------------------------------
# small topologies
# --------------------------------------------------------------------------

def one_vpc(s, cidr="10.0.0.0/16", subnets=(("app", "10.0.1.0/24", "a"),), key="main", account=A1):
    v = s.vpc(key, cidr, account=account)
    return v, {n: s.subnet(v, n, c, az) for n, c, az in subnets}


def sg_all_from(s, vpc, name, cidr):
    return s.sg(vpc, name, [perm("-1", cidrs=[cidr])])


def spoke(s, tgw, key, n, sg_fn=None):
    """Spoke VPC 10.<n>.0.0/16 (us-east-1a): app 10.<n>.1.0/24 routes 10.0.0.0/8 -> tgw; tgw 10.<n>.255.0/28."""
    v = s.vpc(key, "10.%d.0.0/16" % n)
    app = s.subnet(v, "app", "10.%d.1.0/24" % n)
    tsub = s.subnet(v, "tgw", "10.%d.255.0/28" % n)
    att = s.tgw_attach(tgw, v, [tsub])
    s.rtb(v, "app", [app], [s.route("10.0.0.0/8", tgw=tgw)])
    return v, app, tsub, att


def set_tgw_sg_referencing(s, tgw_value, attachments=None):
    """Sets SecurityGroupReferencingSupport on the last transit gateway and on the given attachments
    ({attachment id: "enable" | "disable"})."""
    s.tgws[-1]["Options"]["SecurityGroupReferencingSupport"] = tgw_value
    for aid, val in (attachments or {}).items():
        s._att(aid)[1]["Options"]["SecurityGroupReferencingSupport"] = val


def fw_vpc(s, policy_arn, extra=()):
    """VPC 10.0.0.0/16 with cli 10.0.1.0/24, srv 10.0.2.0/24 (+ extra subnets) and one firewall endpoint in
    fw 10.0.0.0/28; every pair of listed subnets routes to the other through the endpoint (routes more
    specific than local). SGs allow everything from the VPC."""
    subs = (("cli", "10.0.1.0/24", "a"), ("srv", "10.0.2.0/24", "a")) + tuple(extra)
    v, sub = one_vpc(s, subnets=subs + (("fw", "10.0.0.0/28", "a"),))
    ep = s.firewall(v, "fw", [sub["fw"]], policy_arn)["us-east-1a"]
    names = [n for n, _, _ in subs]
    for n in names:
        s.rtb(v, n, [sub[n]], [s.route(sub[o]["CidrBlock"], vpce=ep) for o in names if o != n])
    open_sg = sg_all_from(s, v, "open", "10.0.0.0/16")
    return v, sub, open_sg


def with_actions(rule, *actions):
    rule["RuleDefinition"]["Actions"] = list(actions)
    return rule


def host(s, subnet, ip, sgs, name):
    return s.instance(subnet, ip, sgs, name=name)[0]


# ==========================================================================
# security groups
# ==========================================================================

@scenario
def sg_icmp_all_types():
    s = AuditScenario("100-sg-icmp-all-types", "ICMP rules: -1/-1 is every type and code; a type/code pair is one",
                      "SG icmp FromPort/ToPort -1 (all types and codes); icmp type 3 code 4 only; tcp not covered")
    v, sub = one_vpc(s)
    every = s.sg(v, "icmp-all", [perm("icmp", -1, -1, cidrs=["10.0.0.0/16"])])
    pmtu = s.sg(v, "pmtu-only", [perm("icmp", 3, 4, cidrs=["10.0.0.0/16"])])
    ci = host(s, sub["app"], "10.0.1.10", [s.sg(v, "client")], "client")
    ai = host(s, sub["app"], "10.0.1.20", [every], "icmp-all")
    pi = host(s, sub["app"], "10.0.1.30", [pmtu], "pmtu-only")
    s.flow(ci, ai, "icmp", None, "allowed", "icmp with FromPort -1 / ToPort -1 admits every type; the echo reply "
           "is tracked" + cite("sg_proto", "sg_state"), icmp=(8, 0))
    s.flow(ci, ai, "icmp", None, "allowed", "timestamp request (type 13) is one of all types" + cite("sg_proto"),
           icmp=(13, 0))
    s.flow(ci, ai, "tcp", 22, "denied", "an icmp rule does not admit tcp" + cite("sg_proto"),
           blocked_by=every["GroupId"])
    s.flow(ci, pi, "icmp", None, "allowed", "FromPort 3 / ToPort 4: destination unreachable, fragmentation "
           "needed" + cite("sg_proto"), icmp=(3, 4))
    s.flow(ci, pi, "icmp", None, "denied", "type 3 code 1 is not code 4" + cite("sg_proto"), icmp=(3, 1),
           blocked_by=pmtu["GroupId"])
    s.flow(ci, pi, "icmp", None, "denied", "echo request is not type 3" + cite("sg_proto"), icmp=(8, 0),
           blocked_by=pmtu["GroupId"])
    return s


@scenario
def sg_protocol_numbers():
    s = AuditScenario("101-sg-protocol-numbers-and-port-ranges",
                      "Protocol numbers other than tcp/udp/icmp ignore ports; tcp 0-65535 is every tcp port",
                      "SG IpProtocol 50 (ESP) with a port range given; 47/51 not covered; tcp 0-65535 vs udp")
    v, sub = one_vpc(s)
    esp = s.sg(v, "esp", [perm("50", 500, 500, cidrs=["10.0.0.0/16"])])
    tcp_all = s.sg(v, "tcp-all", [perm("tcp", 0, 65535, cidrs=["10.0.0.0/16"])])
    ci = host(s, sub["app"], "10.0.1.10", [s.sg(v, "client")], "client")
    ei = host(s, sub["app"], "10.0.1.20", [esp], "ipsec-peer")
    ti = host(s, sub["app"], "10.0.1.30", [tcp_all], "tcp-server")
    s.flow(ci, ei, 50, None, "allowed", "IpProtocol 50 allows ESP; the FromPort/ToPort 500 given with it is "
           "ignored (protocol numbers other than tcp/udp/icmp allow all ports); tracked by protocol number"
           + cite("sg_proto", "sg_state"))
    s.flow(ci, ei, 47, None, "denied", "GRE (47) is not protocol 50" + cite("sg_proto"), blocked_by=esp["GroupId"])
    s.flow(ci, ei, 51, None, "denied", "AH (51) is not protocol 50" + cite("sg_proto"), blocked_by=esp["GroupId"])
    s.flow(ci, ti, "tcp", 1, "allowed", "tcp 0-65535 covers port 1" + cite("sg"))
    s.flow(ci, ti, "tcp", 65535, "allowed", "tcp 0-65535 covers port 65535" + cite("sg"))
    s.flow(ci, ti, "udp", 53, "denied", "a tcp rule does not admit udp" + cite("sg"), blocked_by=tcp_all["GroupId"])
    return s


@scenario
def sg_prefix_list_reference():
    s = AuditScenario("102-sg-prefix-list-reference",
                      "SG rules referencing prefix lists: entries known match, entries unknown are unknown",
                      "SG PrefixListIds with known entries (member allowed, non-member denied); entries missing "
                      "from the snapshot -> unknown; a port no rule covers is still denied")
    v, sub = one_vpc(s, subnets=(("app", "10.0.1.0/24", "a"), ("ops", "10.0.2.0/24", "a"),
                                 ("other", "10.0.3.0/24", "a")))
    ops_pl = s.prefix_list("ops-networks", ["10.0.2.0/24", "192.168.50.0/24"])
    mon_pl = s.prefix_list("monitoring", ["10.0.2.0/24"], known=False)
    srv = s.sg(v, "server", [perm("tcp", 22, 22, pls=[ops_pl]), perm("tcp", 9100, 9100, pls=[mon_pl])])
    si = host(s, sub["app"], "10.0.1.10", [srv], "server")
    oi = host(s, sub["ops"], "10.0.2.10", [s.sg(v, "ops")], "ops")
    xi = host(s, sub["other"], "10.0.3.10", [s.sg(v, "other")], "other")
    s.flow(oi, si, "tcp", 22, "allowed", "10.0.2.10 is in an entry of ops-networks" + cite("sg_pl"))
    s.flow(xi, si, "tcp", 22, "denied", "10.0.3.10 is in no entry of ops-networks" + cite("sg_pl"),
           blocked_by=srv["GroupId"])
    s.flow(oi, si, "tcp", 9100, "unknown", "the only rule for tcp/9100 references monitoring, whose entries are "
           "not in the snapshot" + cite("sg_pl"))
    s.flow(oi, si, "tcp", 80, "denied", "no rule covers tcp/80, whatever the unknown list holds" + cite("sg"),
           blocked_by=srv["GroupId"])
    return s


@scenario
def sg_ref_inter_region_peering():
    s = AuditScenario("103-sg-reference-inter-region-peering",
                      "A group reference across an inter-Region peering matches nothing",
                      "SG group reference to a peer VPC in another Region denied; CIDR rule allowed")
    va, sa = one_vpc(s, "10.0.0.0/16", (("app", "10.0.1.0/24", "a"),), key="vpc-a")
    vb, sb = one_vpc(s, "10.1.0.0/16", (("app", "10.1.1.0/24", "a"),), key="vpc-b", account=A2)
    pcx = s.peering(va, vb)
    s.pcxs[-1]["AccepterVpcInfo"]["Region"] = OTHER_REGION
    s.rtb(va, "app", [sa["app"]], [s.route("10.1.0.0/16", pcx=pcx)])
    s.rtb(vb, "app", [sb["app"]], [s.route("10.0.0.0/16", pcx=pcx)])
    app = s.sg(va, "app")
    db = s.sg(vb, "db", [perm("tcp", 5432, 5432, groups=[(app, {"VpcId": va["VpcId"], "VpcPeeringConnectionId": pcx,
                                                                "PeeringStatus": "active"})]),
                         perm("tcp", 443, 443, cidrs=["10.0.1.0/24"])])
    ai = host(s, sa["app"], "10.0.1.10", [app], "app")
    di = host(s, sb["app"], "10.1.1.10", [db], "db")
    s.post.append(move_account_to_region(A2, OTHER_REGION))
    s.flow(ai, di, "tcp", 5432, "denied", "vpc-b is in us-west-2: a reference to a group of the peer VPC in "
           "another Region cannot match" + cite("pcx_sg"), blocked_by=db["GroupId"])
    s.flow(ai, di, "tcp", 443, "allowed", "the CIDR rule works across the inter-Region peering" + cite("pcx_sg"))
    return s


@scenario
def sg_ref_over_tgw():
    s = AuditScenario("104-sg-reference-over-tgw",
                      "Group references across a transit gateway with security group referencing enabled",
                      "TGW SecurityGroupReferencingSupport: inbound reference allowed; attachment with the option "
                      "disabled denied; outbound (egress) reference over the TGW denied")
    tgw = s.tgw()
    va, app_a, _, aa = spoke(s, tgw, "vpc-a", 1)
    vb, app_b, _, ab = spoke(s, tgw, "vpc-b", 2)
    vc, app_c, _, ac = spoke(s, tgw, "vpc-c", 3)
    s.tgw_rtb(tgw, "spokes", associate=[aa, ab, ac], propagate=[aa, ab, ac])
    set_tgw_sg_referencing(s, "enable", {aa: "enable", ab: "enable", ac: "disable"})
    app = s.sg(va, "app")
    api = s.sg(va, "api", [perm("tcp", 8443, 8443, cidrs=["10.0.0.0/8"])])
    legacy = s.sg(vc, "legacy")
    db = s.sg(vb, "db", [perm("tcp", 5432, 5432, groups=[(app, {"VpcId": va["VpcId"]}),
                                                         (legacy, {"VpcId": vc["VpcId"]})])])
    reporting = s.sg(vb, "reporting", egress=[perm("tcp", 8443, 8443, groups=[(api, {"VpcId": va["VpcId"]})])])
    ai = host(s, app_a, "10.1.1.10", [app], "app")
    pi = host(s, app_a, "10.1.1.20", [api], "api")
    di = host(s, app_b, "10.2.1.10", [db], "db")
    ri = host(s, app_b, "10.2.1.20", [reporting], "reporting")
    li = host(s, app_c, "10.3.1.10", [legacy], "legacy")
    s.flow(ai, di, "tcp", 5432, "allowed", "inbound rule references sg app of vpc-a; referencing support is "
           "enabled on the transit gateway and on both attachments" + cite("tgw_sg", "tgw_sg_opt"))
    s.flow(li, di, "tcp", 5432, "denied", "vpc-c's attachment has SecurityGroupReferencingSupport disabled"
           + cite("tgw_sg_opt"), blocked_by=db["GroupId"])
    s.flow(ri, pi, "tcp", 8443, "denied", "the reporting group's only outbound rule references sg api in vpc-a: "
           "outbound rules referencing groups over a transit gateway are not supported" + cite("tgw_sg"),
           blocked_by=reporting["GroupId"])
    return s


@scenario
def sg_ref_tgw_disabled():
    s = AuditScenario("105-sg-reference-tgw-disabled",
                      "Group references across a transit gateway whose referencing support is off (the default)",
                      "TGW SecurityGroupReferencingSupport disabled on the gateway: reference denied; CIDR allowed")
    tgw = s.tgw()
    va, app_a, _, aa = spoke(s, tgw, "vpc-a", 1)
    vb, app_b, _, ab = spoke(s, tgw, "vpc-b", 2)
    s.tgw_rtb(tgw, "spokes", associate=[aa, ab], propagate=[aa, ab])
    set_tgw_sg_referencing(s, "disable", {aa: "enable", ab: "enable"})
    app = s.sg(va, "app")
    db = s.sg(vb, "db", [perm("tcp", 5432, 5432, groups=[(app, {"VpcId": va["VpcId"]})]),
                         perm("tcp", 443, 443, cidrs=["10.1.1.0/24"])])
    ai = host(s, app_a, "10.1.1.10", [app], "app")
    di = host(s, app_b, "10.2.1.10", [db], "db")
    s.flow(ai, di, "tcp", 5432, "denied", "the option is disabled on the transit gateway (its default), so the "
           "reference to sg app in vpc-a matches nothing" + cite("tgw_sg_opt"), blocked_by=db["GroupId"])
    s.flow(ai, di, "tcp", 443, "allowed", "the CIDR rule matches the source address" + cite("tgw_sg"))
    return s


@scenario
def sg_egress_ref_middlebox():
    s = AuditScenario("106-sg-egress-reference-through-middlebox",
                      "An outbound rule referencing the destination's group, routed through a firewall endpoint",
                      "SG egress group reference via a middlebox: undocumented -> unknown; egress CIDR rule allowed")
    rg = s.rule_group_stateful("pass-all", stateful_rules=[five_tuple("PASS", "IP", "ANY", "ANY", "ANY", "ANY", 1)])
    pol = s.fw_policy("p", stateful=[(rg, None)])
    v, sub, open_sg = fw_vpc(s, pol)
    srv = s.sg(v, "server", [perm("tcp", 5432, 5432, cidrs=["10.0.1.0/24"]),
                             perm("tcp", 443, 443, cidrs=["10.0.1.0/24"])])
    cli = s.sg(v, "client", egress=[perm("tcp", 5432, 5432, groups=[srv]),
                                    perm("tcp", 443, 443, cidrs=["10.0.2.0/24"])])
    ci = host(s, sub["cli"], "10.0.1.10", [cli], "client")
    si = host(s, sub["srv"], "10.0.2.10", [srv], "server")
    s.flow(ci, si, "tcp", 5432, "unknown", "the client's only outbound rule for tcp/5432 references the server's "
           "group and the path runs through a firewall endpoint: AWS documents that source references do not "
           "match through a middlebox and says nothing about destination references" + cite("sg_mb"))
    s.flow(ci, si, "tcp", 443, "allowed", "outbound CIDR rule; the server's inbound rule is a CIDR too"
           + cite("sg", "nfw_order"))
    return s


# ==========================================================================
# network ACLs
# ==========================================================================

@scenario
def nacl_protocol_numbers():
    s = AuditScenario("107-nacl-protocol-numbers", "NACL entries for protocol 50 and -1",
                      "NACL Protocol 50 allow (ESP) in both directions; -1 deny matches every protocol; 47 and "
                      "tcp fall to the * deny")
    v, sub = one_vpc(s, subnets=(("cli", "10.0.1.0/24", "a"), ("srv", "10.0.2.0/24", "a")))
    open_sg = sg_all_from(s, v, "open", "10.0.0.0/16")
    acl = s.nacl(v, "srv", [sub["srv"]],
                 ingress=[(90, "-1", "deny", "10.0.1.11/32"), (100, "50", "allow", "10.0.1.0/24")],
                 egress=[(100, "50", "allow", "10.0.1.0/24")])
    ci = host(s, sub["cli"], "10.0.1.10", [open_sg], "client")
    c2 = host(s, sub["cli"], "10.0.1.11", [open_sg], "client-2")
    si = host(s, sub["srv"], "10.0.2.10", [open_sg], "server")
    s.flow(ci, si, 50, None, "allowed", "inbound rule 100 and outbound rule 100 (protocol 50) admit ESP both "
           "ways (NACLs are stateless)" + cite("nacl"))
    s.flow(c2, si, 50, None, "denied", "rule 90 (-1 = every protocol) denies 10.0.1.11 before rule 100"
           + cite("nacl"), blocked_by=acl)
    s.flow(ci, si, 47, None, "denied", "GRE matches no numbered rule: * deny" + cite("nacl"), blocked_by=acl)
    s.flow(ci, si, "tcp", 22, "denied", "tcp matches no numbered rule: * deny" + cite("nacl"), blocked_by=acl)
    return s


@scenario
def nacl_icmp_wildcards():
    s = AuditScenario("108-nacl-icmp-type-code", "NACL ICMP entries: type with code -1, exact type/code, -1/-1",
                      "NACL IcmpTypeCode Type 8 Code -1, Type 13 Code 0, egress Type -1 Code -1")
    v, sub = one_vpc(s, subnets=(("cli", "10.0.1.0/24", "a"), ("srv", "10.0.2.0/24", "a")))
    open_sg = sg_all_from(s, v, "open", "10.0.0.0/16")
    acl = s.nacl(v, "srv", [sub["srv"]],
                 ingress=[(100, "1", "allow", "10.0.0.0/16", {"icmp": (8, -1)}),
                          (110, "1", "allow", "10.0.0.0/16", {"icmp": (13, 0)})],
                 egress=[(100, "1", "allow", "10.0.0.0/16", {"icmp": (-1, -1)})])
    ci = host(s, sub["cli"], "10.0.1.10", [open_sg], "client")
    si = host(s, sub["srv"], "10.0.2.10", [open_sg], "server")
    s.flow(ci, si, "icmp", None, "allowed", "in: type 8 with code -1 (all codes); out: the echo reply matches "
           "type -1 code -1" + cite("nacl_icmp", "nacl"), icmp=(8, 0))
    s.flow(ci, si, "icmp", None, "allowed", "in: rule 110 type 13 code 0; out: timestamp reply (14) by -1/-1"
           + cite("nacl_icmp"), icmp=(13, 0))
    s.flow(ci, si, "icmp", None, "denied", "type 13 code 1: rule 110 names code 0 only" + cite("nacl_icmp"),
           icmp=(13, 1), blocked_by=acl)
    s.flow(ci, si, "icmp", None, "denied", "address mask request (17) matches no inbound rule" + cite("nacl"),
           icmp=(17, 0), blocked_by=acl)
    s.flow(ci, si, "udp", 53, "denied", "ICMP rules do not admit udp" + cite("nacl"), blocked_by=acl)
    return s


# ==========================================================================
# routing: prefix lists, VPC endpoints
# ==========================================================================

def peered_b3(s):
    """vpc-a 10.0.0.0/16 (app 10.0.1.0/24) peered with vpc-b 10.1.0.0/16 (b1, b2, b3 = 10.1.1-3.0/24);
    vpc-b routes 10.0.0.0/16 back over the peering; SGs open to 10.0.0.0/8."""
    va, sa = one_vpc(s, "10.0.0.0/16", (("app", "10.0.1.0/24", "a"),), key="vpc-a")
    vb, sb = one_vpc(s, "10.1.0.0/16", tuple(("b%d" % i, "10.1.%d.0/24" % i, "a") for i in (1, 2, 3)),
                     key="vpc-b")
    pcx = s.peering(va, vb)
    s.rtb(vb, "all", list(sb.values()), [s.route("10.0.0.0/16", pcx=pcx)])
    ga = sg_all_from(s, va, "open-a", "10.0.0.0/8")
    gb = sg_all_from(s, vb, "open-b", "10.0.0.0/8")
    hb = {k: host(s, sb[k], "10.1.%d.10" % i, [gb], "b%d" % i) for i, k in ((1, "b1"), (2, "b2"), (3, "b3"))}
    return va, sa["app"], vb, pcx, ga, hb


@scenario
def route_prefix_list_destination():
    s = AuditScenario("109-route-prefix-list-destination",
                      "A route whose destination is a customer-managed prefix list",
                      "route DestinationPrefixListId over a peering; destination outside the list has no route; "
                      "a static route beats the prefix-list route at equal length")
    va, app, vb, pcx, ga, hb = peered_b3(s)
    pl = s.prefix_list("peer-apps", ["10.1.1.0/24", "10.1.3.0/24"])
    rt = s.rtb(va, "app", [app], [s.pl_route(pl, pcx=pcx),
                                  s.route("10.1.3.0/24", pcx=s.rid("pcx", "deleted"), state="blackhole")])
    ai = host(s, app, "10.0.1.10", [ga], "app")
    s.flow(ai, hb["b1"], "tcp", 443, "allowed", "10.1.1.10 is in the list's entry 10.1.1.0/24 -> pcx; vpc-b "
           "routes back" + cite("rt_pl", "rt_prio"))
    s.flow(ai, hb["b2"], "tcp", 443, "denied", "10.1.2.0/24 is in no entry and no other route matches"
           + cite("rt_pl"), blocked_by=rt)
    s.flow(ai, hb["b3"], "tcp", 443, "denied", "static 10.1.3.0/24 (blackhole) and the list entry 10.1.3.0/24 "
           "have equal length: the static route wins" + cite("rt_prio"), blocked_by=rt)
    return s


@scenario
def route_prefix_list_unknown():
    s = AuditScenario("110-route-prefix-list-unknown-entries",
                      "A prefix-list route whose entries are not in the snapshot",
                      "route to a prefix list without entries: unknown when the outcome depends on it; denied when "
                      "every choice denies; SG egress still denies")
    va, app, vb, pcx, ga, hb = peered_b3(s)
    pl = s.prefix_list("partners", ["10.1.0.0/16"], known=False)
    s.rtb(va, "app", [app], [s.pl_route(pl, pcx=pcx)])
    narrow = s.sg(va, "no-ssh", egress=[perm("tcp", 443, 443, cidrs=["0.0.0.0/0"])])
    ai = host(s, app, "10.0.1.10", [ga], "app")
    ni = host(s, app, "10.0.1.20", [narrow], "no-ssh")
    s.flow(ai, hb["b1"], "tcp", 443, "unknown", "if the list holds 10.1.1.10 the route sends it over the peering "
           "(and vpc-b routes back); otherwise no route matches" + cite("rt_pl"))
    s.flow(ai, INTERNET_SERVER, "tcp", 443, "denied", "no route matches unless the list holds the address, and "
           "then the peering delivers only to vpc-b: dropped either way" + cite("rt_pl", "pcx"))
    s.flow(ni, hb["b1"], "tcp", 22, "denied", "the source's outbound rules admit only tcp/443, before any route "
           "is looked up" + cite("sg"), blocked_by=narrow["GroupId"])
    return s


@scenario
def route_prefix_list_tie():
    s = AuditScenario("111-route-prefix-list-overlap", "Two prefix-list routes with the same entry",
                      "overlapping prefix-list routes of equal length: AWS picks one at random -> unknown when they "
                      "differ; an entry only one list holds is definite")
    va, app, vb, pcx, ga, hb = peered_b3(s)
    pl_a = s.prefix_list("peer-b", ["10.1.1.0/24", "10.1.2.0/24"])
    pl_b = s.prefix_list("retired", ["10.1.1.0/24"])
    s.rtb(va, "app", [app], [s.pl_route(pl_b, pcx=s.rid("pcx", "deleted"), state="blackhole"),
                             s.pl_route(pl_a, pcx=pcx)])
    ai = host(s, app, "10.0.1.10", [ga], "app")
    s.flow(ai, hb["b1"], "tcp", 443, "unknown", "both lists hold 10.1.1.0/24: AWS picks one of the overlapping "
           "prefix-list routes at random (peering, or the blackhole)" + cite("rt_prio"))
    s.flow(ai, hb["b2"], "tcp", 443, "allowed", "only peer-b holds 10.1.2.0/24" + cite("rt_pl"))
    return s


@scenario
def vpce_gateway_s3():
    s = AuditScenario("112-vpce-gateway-s3", "S3 gateway endpoint reached through the service prefix list",
                      "gateway endpoint route (DestinationPrefixListId -> vpce); SG egress referencing the S3 "
                      "prefix list; no route to the rest of the internet")
    v, sub = one_vpc(s)
    s.aws_prefix_list("s3", S3_PL, S3_CIDRS)
    rt_id = s.rid("rtb", "main/app")
    vpce = s.gateway_endpoint(v, "s3", [rt_id])
    rt = s.rtb(v, "app", [sub["app"]], [s.pl_route(S3_PL, vpce=vpce)])
    assert rt == rt_id
    to_s3 = s.sg(v, "to-s3", egress=[perm("tcp", 443, 443, pls=[S3_PL])])
    anywhere = s.sg(v, "anywhere")
    ai = host(s, sub["app"], "10.0.1.10", [to_s3], "app")
    bi = host(s, sub["app"], "10.0.1.20", [anywhere], "other")
    s.flow(ai, S3_IP, "tcp", 443, "allowed", "52.216.8.10 is in the S3 prefix list: route to the gateway "
           "endpoint; the SG's outbound rule references the same list" + cite("gwe"))
    s.flow(ai, S3_IP, "tcp", 80, "denied", "the SG admits only tcp/443 to the list" + cite("gwe", "sg_pl"),
           blocked_by=to_s3["GroupId"])
    s.flow(bi, INTERNET_SERVER, "tcp", 443, "denied", "not in the prefix list and no other route: the gateway "
           "endpoint is no internet path" + cite("gwe"), blocked_by=rt)
    return s


@scenario
def vpce_gateway_not_through_tgw():
    s = AuditScenario("113-vpce-gateway-not-through-tgw",
                      "A spoke cannot use the hub's S3 gateway endpoint through a transit gateway",
                      "gateway endpoint used by traffic arriving from a transit gateway denied; hub's own "
                      "instance allowed")
    tgw = s.tgw()
    vs, app_s, _, a_s = spoke(s, tgw, "spoke", 1)
    s.rtbs[-1]["Routes"].append(s.route("0.0.0.0/0", tgw=tgw))
    vh, sh = one_vpc(s, "10.0.0.0/16", (("app", "10.0.1.0/24", "a"), ("tgw", "10.0.255.0/28", "a")), key="hub")
    a_h = s.tgw_attach(tgw, vh, [sh["tgw"]])
    s.aws_prefix_list("s3", S3_PL, S3_CIDRS)
    rt_app, rt_tgw = s.rid("rtb", "hub/app"), s.rid("rtb", "hub/tgw")
    vpce = s.gateway_endpoint(vh, "s3", [rt_app, rt_tgw])
    s.rtb(vh, "app", [sh["app"]], [s.pl_route(S3_PL, vpce=vpce), s.route("10.1.0.0/16", tgw=tgw)])
    s.rtb(vh, "tgw", [sh["tgw"]], [s.pl_route(S3_PL, vpce=vpce)])
    s.tgw_rtb(tgw, "spokes", associate=[a_s], static=[("0.0.0.0/0", a_h)], propagate=[a_h])
    s.tgw_rtb(tgw, "hub", associate=[a_h], propagate=[a_s])
    si = host(s, app_s, "10.1.1.10", [s.sg(vs, "spoke-app")], "spoke-app")
    hi = host(s, sh["app"], "10.0.1.10", [s.sg(vh, "hub-app")], "hub-app")
    s.flow(si, S3_IP, "tcp", 443, "denied", "the hub's tgw subnet routes the S3 list to its gateway endpoint, "
           "but gateway endpoints cannot be used through a transit gateway" + cite("gwe"), blocked_by=vpce)
    s.flow(hi, S3_IP, "tcp", 443, "allowed", "traffic from the hub's own subnet uses the endpoint" + cite("gwe"))
    return s


@scenario
def vpce_interface():
    s = AuditScenario("114-vpce-interface-endpoint", "An interface endpoint is a network interface with security groups",
                      "interface endpoint ENI as destination: its SG decides; NACL of its subnet applies")
    v, sub = one_vpc(s, subnets=(("app", "10.0.1.0/24", "a"), ("ep", "10.0.2.0/24", "a")))
    ep_sg = s.sg(v, "endpoint", [perm("tcp", 443, 443, cidrs=["10.0.0.0/16"])])
    _, eni = s.interface_endpoint(v, "ssm", sub["ep"], "10.0.2.20", [ep_sg])
    ai = host(s, sub["app"], "10.0.1.10", [s.sg(v, "app")], "app")
    s.flow(ai, eni["NetworkInterfaceId"], "tcp", 443, "allowed", "the endpoint's security group admits https "
           "from the VPC" + cite("ife"))
    s.flow(ai, eni["NetworkInterfaceId"], "tcp", 80, "denied", "the endpoint's security group admits only "
           "tcp/443" + cite("ife", "sg"), blocked_by=ep_sg["GroupId"])
    return s


@scenario
def nlb_security_groups():
    s = AuditScenario("115-nlb-security-groups", "Network Load Balancer ENIs with and without security groups",
                      "NLB ENI without security groups accepts everything; NLB ENI with one applies its rules")
    v, sub = one_vpc(s, subnets=(("app", "10.0.1.0/24", "a"), ("lb", "10.0.2.0/24", "a")))

    def nlb(name, ip, sgs):
        return s.eni(sub["lb"], ip, sgs, itype="network_load_balancer", desc="ELB net/%s/50dc6c495c0c9188" % name,
                     requester="amazon-elb", requester_managed=True, key="nlb/" + name,
                     attachment=s._svc_attachment("nlb/" + name, "amazon-aws"))
    legacy = nlb("legacy", "10.0.2.20", [])
    lb_sg = s.sg(v, "nlb", [perm("tcp", 443, 443, cidrs=["10.0.0.0/16"])])
    modern = nlb("modern", "10.0.2.30", [lb_sg])
    ai = host(s, sub["app"], "10.0.1.10", [s.sg(v, "app")], "app")
    s.flow(ai, legacy["NetworkInterfaceId"], "tcp", 8443, "allowed", "no security group on the load balancer: "
           "all client traffic reaches it" + cite("nlb_sg"))
    s.flow(ai, modern["NetworkInterfaceId"], "tcp", 443, "allowed", "its security group admits tcp/443"
           + cite("nlb_sg"))
    s.flow(ai, modern["NetworkInterfaceId"], "tcp", 8443, "denied", "its security group admits only tcp/443"
           + cite("nlb_sg", "sg"), blocked_by=lb_sg["GroupId"])
    return s


# ==========================================================================
# NAT gateway, peering, transit gateway
# ==========================================================================

@scenario
def nat_unsupported_protocol():
    s = AuditScenario("116-nat-unsupported-protocol", "A NAT gateway translates TCP, UDP and ICMP only",
                      "NAT gateway with GRE (47) and ESP (50): dropped; TCP works")
    v, sub = one_vpc(s, subnets=(("pub", "10.0.0.0/24", "a"), ("priv", "10.0.1.0/24", "a")))
    igw = s.igw(v)
    nat = s.nat(sub["pub"], "10.0.0.10", public_ip="192.0.2.50")
    s.rtb(v, "pub", [sub["pub"]], [s.route("0.0.0.0/0", igw=igw)])
    s.rtb(v, "priv", [sub["priv"]], [s.route("0.0.0.0/0", nat=nat)])
    pi = host(s, sub["priv"], "10.0.1.10", [s.sg(v, "app")], "private")
    s.flow(pi, INTERNET_SERVER, 47, None, "denied", "GRE is not one of the protocols a NAT gateway supports"
           + cite("nat"), blocked_by=nat)
    s.flow(pi, INTERNET_SERVER, 50, None, "denied", "ESP is not one of the protocols a NAT gateway supports"
           + cite("nat"), blocked_by=nat)
    s.flow(pi, INTERNET_SERVER, "tcp", 443, "allowed", "TCP is translated; reply back through the NAT gateway"
           + cite("nat", "igw"))
    return s


@scenario
def pcx_not_from_tgw():
    s = AuditScenario("117-peering-no-transit-from-tgw",
                      "Traffic arriving over a transit gateway cannot continue over a peering",
                      "peering edge-to-edge: TGW -> VPC A -> pcx -> VPC B denied; A -> B and C -> A allowed")
    tgw = s.tgw()
    va, app_a, tsub_a, aa = spoke(s, tgw, "vpc-a", 1)
    vc, app_c, _, ac = spoke(s, tgw, "vpc-c", 3)
    vb, sb = one_vpc(s, "10.2.0.0/16", (("app", "10.2.1.0/24", "a"),), key="vpc-b")
    pcx = s.peering(va, vb)
    for t in s.rtbs:
        if t["VpcId"] == va["VpcId"] and t["RouteTableId"] != va["_main_rtb"]["RouteTableId"]:
            t["Routes"].insert(1, s.route("10.2.0.0/16", pcx=pcx))
    s.rtb(va, "tgw", [tsub_a], [s.route("10.2.0.0/16", pcx=pcx), s.route("10.3.0.0/16", tgw=tgw)])
    s.rtb(vb, "app", [sb["app"]], [s.route("10.1.0.0/16", pcx=pcx), s.route("10.3.0.0/16", pcx=pcx)])
    s.tgw_rtb(tgw, "spokes", associate=[aa, ac], propagate=[aa, ac], static=[("10.2.0.0/16", aa)])
    ia = host(s, app_a, "10.1.1.10", [sg_all_from(s, va, "open-a", "10.0.0.0/8")], "a")
    ib = host(s, sb["app"], "10.2.1.10", [sg_all_from(s, vb, "open-b", "10.0.0.0/8")], "b")
    ic = host(s, app_c, "10.3.1.10", [sg_all_from(s, vc, "open-c", "10.0.0.0/8")], "c")
    s.flow(ic, ib, "tcp", 443, "denied", "C -> TGW -> A's tgw subnet routes 10.2.0.0/16 to the peering, but a "
           "packet that did not start in vpc-a cannot use vpc-a's peering connection" + cite("pcx"), blocked_by=pcx)
    s.flow(ia, ib, "tcp", 443, "allowed", "vpc-a to vpc-b directly over the peering" + cite("pcx"))
    s.flow(ic, ia, "tcp", 443, "allowed", "vpc-c to vpc-a over the transit gateway" + cite("tgw"))
    return s


@scenario
def tgw_route_without_attachment():
    s = AuditScenario("118-tgw-route-without-attachment",
                      "An active transit gateway route that names no attachment",
                      "TGW active route without TransitGatewayAttachments -> unknown; blackhole still denied")
    tgw = s.tgw()
    va, app_a, _, aa = spoke(s, tgw, "vpc-a", 1)
    vb, app_b, _, ab = spoke(s, tgw, "vpc-b", 2)
    vc, app_c, _, ac = spoke(s, tgw, "vpc-c", 3)
    rt = s.tgw_rtb(tgw, "spokes", associate=[aa, ab, ac], propagate=[aa],
                   static=[("10.2.0.0/16", ab), ("10.3.0.0/16", None)])

    def drop_attachments(d):
        p = os.path.join(d, "aws", A1, REGION, "search-transit-gateway-routes-%s.json" % rt)
        with open(p) as f:
            doc = json.load(f)
        for r in doc["Routes"]:
            if r["DestinationCidrBlock"] == "10.2.0.0/16":
                r["TransitGatewayAttachments"] = []
        with open(p, "w") as f:
            f.write(json.dumps(doc, indent=4) + "\n")
    s.post.append(drop_attachments)
    ia = host(s, app_a, "10.1.1.10", [sg_all_from(s, va, "open-a", "10.0.0.0/8")], "a")
    ib = host(s, app_b, "10.2.1.10", [sg_all_from(s, vb, "open-b", "10.0.0.0/8")], "b")
    ic = host(s, app_c, "10.3.1.10", [sg_all_from(s, vc, "open-c", "10.0.0.0/8")], "c")
    s.flow(ia, ib, "tcp", 443, "unknown", "the active static route 10.2.0.0/16 lists no attachment in the "
           "snapshot, so where it forwards is not known" + cite("tgw_routes"))
    s.flow(ia, ic, "tcp", 443, "denied", "10.3.0.0/16 is a blackhole route" + cite("tgw_routes"), blocked_by=rt)
    return s


@scenario
def tgw_association_unknown():
    s = AuditScenario("119-tgw-association-not-in-snapshot",
                      "Only the VPC attachment listing: which route table an attachment uses is unknown",
                      "TGW association missing from the snapshot -> unknown; a source SG denial still denies")
    tgw = s.tgw()
    va, app_a, _, aa = spoke(s, tgw, "vpc-a", 1)
    vb, app_b, _, ab = spoke(s, tgw, "vpc-b", 2)
    s.tgw_rtb(tgw, "spokes", associate=[aa, ab], propagate=[aa, ab])

    def drop_associations(d):
        b = os.path.join(d, "aws", A1, REGION)
        for f in sorted(os.listdir(b)):
            if f == "describe-transit-gateway-attachments.json" or f.startswith(
                    "get-transit-gateway-route-table-associations-"):
                os.remove(os.path.join(b, f))
    s.post.append(drop_associations)
    ia = host(s, app_a, "10.1.1.10", [sg_all_from(s, va, "open-a", "10.0.0.0/8")], "a")
    quiet = s.sg(va, "no-egress", egress=[])
    iq = host(s, app_a, "10.1.1.20", [quiet], "quiet")
    ib = host(s, app_b, "10.2.1.10", [sg_all_from(s, vb, "open-b", "10.0.0.0/8")], "b")
    s.flow(ia, ib, "tcp", 443, "unknown", "the snapshot has describe-transit-gateway-vpc-attachments only: the "
           "route table associated with vpc-a's attachment is not known" + cite("tgw_assoc", "tgw"))
    s.flow(iq, ib, "tcp", 443, "denied", "the source's security group has no outbound rules" + cite("sg"),
           blocked_by=quiet["GroupId"])
    return s


# ==========================================================================
# Network Firewall
# ==========================================================================

@scenario
def nfw_custom_actions():
    s = AuditScenario("120-nfw-stateless-custom-actions",
                      "Stateless rules and defaults with custom (metric) actions",
                      "NFW stateless Actions [aws:pass, custom]; default [aws:drop, custom]: custom actions do not "
                      "change forwarding")
    sl = s.rule_group_stateless("https-metrics", [
        with_actions(stateless_rule(10, "aws:pass", protos=[6], dports=[(443, 443)]), "aws:pass", "CountHttps"),
        with_actions(stateless_rule(20, "aws:pass", protos=[6], sports=[(443, 443)]), "CountHttps", "aws:pass")])
    metric = {"PublishMetricAction": {"Dimensions": [{"Value": "https"}]}}
    s.rule_groups[-1]["RuleGroup"]["RulesSource"]["StatelessRulesAndCustomActions"]["CustomActions"] = [
        {"ActionName": "CountHttps", "ActionDefinition": metric}]
    pol = s.fw_policy("p", stateless=[(sl, 1)], stateless_default=("aws:drop", "CountDropped"))
    s.policies[-1]["FirewallPolicy"]["StatelessCustomActions"] = [
        {"ActionName": "CountDropped", "ActionDefinition": {"PublishMetricAction": {"Dimensions": [
            {"Value": "dropped"}]}}}]
    v, sub, open_sg = fw_vpc(s, pol)
    ci = host(s, sub["cli"], "10.0.1.10", [open_sg], "client")
    si = host(s, sub["srv"], "10.0.2.10", [open_sg], "server")
    s.flow(ci, si, "tcp", 443, "allowed", "rule 10 (request) and rule 20 (reply) pass; CountHttps only publishes "
           "a metric" + cite("nfw_proc", "nfw_custom"))
    s.flow(ci, si, "tcp", 80, "denied", "no rule matches: the default [aws:drop, CountDropped] drops"
           + cite("nfw_proc", "nfw_custom"), blocked_by="fw")
    return s


@scenario
def nfw_bidirectional():
    s = AuditScenario("121-nfw-suricata-bidirectional", "Suricata `<>` matches both directions, `->` one",
                      "NFW Suricata header direction <> vs ->; 5-tuple Direction ANY; strict order + drop_strict")
    rg = s.rule_group_stateful("east-west", rule_order="STRICT_ORDER", rules_string="\n".join([
        'pass tcp 10.0.1.0/24 any <> 10.0.2.0/24 any (msg:"app <-> db"; sid:1; rev:1;)',
        'pass tcp 10.0.1.0/24 any -> 10.0.3.0/24 any (msg:"app -> batch"; sid:2; rev:1;)']))
    rg2 = s.rule_group_stateful("ops", rule_order="STRICT_ORDER", stateful_rules=[
        five_tuple("PASS", "TCP", "10.0.1.0/24", "ANY", "10.0.4.0/24", "ANY", 3, direction="ANY")])
    pol = s.fw_policy("p", stateful=[(rg, 10), (rg2, 20)], stateful_default=["aws:drop_strict"],
                      rule_order="STRICT_ORDER")
    v, sub, open_sg = fw_vpc(s, pol, extra=(("batch", "10.0.3.0/24", "a"), ("ops", "10.0.4.0/24", "a")))
    ci = host(s, sub["cli"], "10.0.1.10", [open_sg], "app")
    di = host(s, sub["srv"], "10.0.2.10", [open_sg], "db")
    bi = host(s, sub["batch"], "10.0.3.10", [open_sg], "batch")
    oi = host(s, sub["ops"], "10.0.4.10", [open_sg], "ops")
    s.flow(di, ci, "tcp", 8080, "allowed", "sid 1 uses <>: a connection from 10.0.2.10 to 10.0.1.10 matches "
           "with source and destination swapped" + cite("nfw_sur"))
    s.flow(bi, ci, "tcp", 8080, "denied", "sid 2 uses ->: only connections from 10.0.1.0/24 match; drop_strict "
           "drops the rest" + cite("nfw_sur", "nfw_strict"), blocked_by="fw")
    s.flow(ci, bi, "tcp", 8080, "allowed", "sid 2 in its own direction" + cite("nfw_sur"))
    s.flow(oi, ci, "tcp", 22, "allowed", "5-tuple rule with Direction ANY is bidirectional" + cite("nfw_5t"))
    return s


def centralized(s, policy_kwargs, rules_string):
    """Spokes 10.1/16 and 10.2/16 (us-east-1a) inspected by a firewall in inspection VPC 10.100.0.0/16."""
    tgw = s.tgw()
    va, app_a, _, aa = spoke(s, tgw, "spoke-a", 1)
    vb, app_b, _, ab = spoke(s, tgw, "spoke-b", 2)
    vi, si = one_vpc(s, "10.100.0.0/16", (("tgw", "10.100.0.0/28", "a"), ("fw", "10.100.1.0/28", "a")),
                     key="inspection")
    ai = s.tgw_attach(tgw, vi, [si["tgw"]], appliance=True)
    rg = s.rule_group_stateful("inspection-rules", rules_string=rules_string)
    pol = s.fw_policy("inspection", stateful=[(rg, None)], **policy_kwargs)
    ep = s.firewall(vi, "inspection-fw", [si["fw"]], pol)["us-east-1a"]
    s.rtb(vi, "tgw", [si["tgw"]], [s.route("0.0.0.0/0", vpce=ep)])
    s.rtb(vi, "fw", [si["fw"]], [s.route("0.0.0.0/0", tgw=tgw)])
    s.tgw_rtb(tgw, "pre-inspection", associate=[aa, ab], static=[("0.0.0.0/0", ai)])
    s.tgw_rtb(tgw, "post-inspection", associate=[ai], propagate=[aa, ab])
    ha = host(s, app_a, "10.1.1.10", [sg_all_from(s, va, "open-a", "10.0.0.0/8")], "a")
    hb = host(s, app_b, "10.2.1.10", [sg_all_from(s, vb, "open-b", "10.0.0.0/8")], "b")
    return ha, hb


HOME_RULES = "\n".join([
    'drop tcp $HOME_NET any -> $HOME_NET 22 (msg:"no ssh inside home"; sid:1; rev:1;)',
    'drop tcp any any -> any 23 (msg:"no telnet"; sid:2; rev:1;)'])


@scenario
def nfw_home_net_default():
    s = AuditScenario("122-nfw-home-net-default-centralized",
                      "HOME_NET defaults to the inspection VPC's CIDR, not the spokes'",
                      "NFW $HOME_NET without policy override in a centralized firewall: spoke traffic is not "
                      "HOME_NET; plain header rule still applies")
    ha, hb = centralized(s, {}, HOME_RULES)
    s.flow(ha, hb, "tcp", 22, "allowed", "HOME_NET is the inspection VPC 10.100.0.0/16: 10.1.1.10 -> 10.2.1.10 "
           "does not match sid 1; nothing else matches, action order passes" + cite("nfw_home", "nfw_order"))
    s.flow(ha, hb, "tcp", 23, "denied", "sid 2 has no variables" + cite("nfw_sur"), blocked_by="inspection-rules")
    return s


@scenario
def nfw_home_net_override():
    s = AuditScenario("123-nfw-home-net-policy-override", "The policy's HOME_NET covers the spokes",
                      "NFW PolicyVariables HOME_NET = 10.0.0.0/8: the $HOME_NET rule applies to spoke traffic")
    ha, hb = centralized(s, {"home_net": ["10.0.0.0/8"]}, HOME_RULES)
    s.flow(ha, hb, "tcp", 22, "denied", "HOME_NET overridden to 10.0.0.0/8: sid 1 drops ssh between spokes"
           + cite("nfw_home"), blocked_by="inspection-rules")
    s.flow(ha, hb, "tcp", 443, "allowed", "no rule matches https" + cite("nfw_order"))
    return s


@scenario
def nfw_group_home_net():
    s = AuditScenario("124-nfw-rule-group-home-net",
                      "A rule group that sets only HOME_NET keeps the policy's EXTERNAL_NET",
                      "NFW rule group IPSets.HOME_NET override; $EXTERNAL_NET = negation of the policy HOME_NET")
    rg = s.rule_group_stateful("db-tier", variables={"HOME_NET": ["10.0.2.0/24"]}, rules_string="\n".join([
        'drop tcp $EXTERNAL_NET any -> $HOME_NET 22 (msg:"no ssh from outside"; sid:1; rev:1;)',
        'drop tcp $HOME_NET any -> any 23 (msg:"no telnet from the db tier"; sid:2; rev:1;)']))
    pol = s.fw_policy("p", stateful=[(rg, None)])
    v, sub, open_sg = fw_vpc(s, pol)
    ci = host(s, sub["cli"], "10.0.1.10", [open_sg], "client")
    si = host(s, sub["srv"], "10.0.2.10", [open_sg], "db")
    s.flow(ci, si, "tcp", 22, "allowed", "EXTERNAL_NET is the negation of the policy's HOME_NET (the VPC "
           "10.0.0.0/16), not of the group's 10.0.2.0/24: 10.0.1.10 is not external, sid 1 does not match"
           + cite("nfw_ext"))
    s.flow(si, ci, "tcp", 23, "denied", "the group's HOME_NET is 10.0.2.0/24: sid 2 drops telnet from the db"
           + cite("nfw_vars"), blocked_by="db-tier")
    s.flow(ci, si, "tcp", 23, "allowed", "10.0.1.10 is outside the group's HOME_NET: sid 2 does not match"
           + cite("nfw_vars"))
    return s


@scenario
def nfw_variables():
    s = AuditScenario("125-nfw-ip-sets-port-sets-references",
                      "IP set and port set variables and an @ reference to a prefix list",
                      "NFW $IPSET, $PORTSET (PortSets) and @REF (ReferenceSets -> prefix list) in strict order")
    pl = s.prefix_list("admins", ["10.0.3.0/24"])
    rg = s.rule_group_stateful("db-access", rule_order="STRICT_ORDER", variables={"DB_SERVERS": ["10.0.2.0/24"]},
                               rules_string="\n".join([
                                   'pass tcp $HOME_NET any -> $DB_SERVERS $DB_PORTS (msg:"db"; sid:1; rev:1;)',
                                   'pass tcp @ADMINS any -> any 22 (msg:"admin ssh"; sid:2; rev:1;)']))
    g = s.rule_groups[-1]["RuleGroup"]
    g["RuleVariables"]["PortSets"] = {"DB_PORTS": {"Definition": ["5432", "3306"]}}
    g["ReferenceSets"] = {"IPSetReferences": {"ADMINS": {
        "ReferenceArn": "arn:aws:ec2:%s:%s:prefix-list/%s" % (REGION, A1, pl)}}}
    pol = s.fw_policy("p", stateful=[(rg, 1)], stateful_default=["aws:drop_strict"], rule_order="STRICT_ORDER")
    v, sub, open_sg = fw_vpc(s, pol, extra=(("admin", "10.0.3.0/24", "a"),))
    ci = host(s, sub["cli"], "10.0.1.10", [open_sg], "client")
    si = host(s, sub["srv"], "10.0.2.10", [open_sg], "db")
    ai = host(s, sub["admin"], "10.0.3.10", [open_sg], "admin")
    s.flow(ci, si, "tcp", 5432, "allowed", "DB_PORTS = 5432, 3306" + cite("nfw_vars"))
    s.flow(ci, si, "tcp", 3306, "allowed", "DB_PORTS = 5432, 3306" + cite("nfw_vars"))
    s.flow(ci, si, "tcp", 6379, "denied", "not in DB_PORTS; drop_strict" + cite("nfw_vars", "nfw_strict"),
           blocked_by="fw")
    s.flow(ai, si, "tcp", 22, "allowed", "@ADMINS is the prefix list admins (10.0.3.0/24)" + cite("nfw_vars"))
    s.flow(ci, si, "tcp", 22, "denied", "10.0.1.10 is not in @ADMINS; drop_strict" + cite("nfw_vars",
                                                                                         "nfw_strict"),
           blocked_by="fw")
    return s


@scenario
def nfw_reject():
    s = AuditScenario("126-nfw-reject-tcp", "A reject rule drops the connection (and resets it)",
                      "NFW reject action on TCP under action order; unmatched traffic passes")
    rg = s.rule_group_stateful("no-smtp", rules_string=(
        'reject tcp any any -> $HOME_NET 25 (msg:"no smtp"; sid:1; rev:1;)'))
    pol = s.fw_policy("p", stateful=[(rg, None)])
    v, sub, open_sg = fw_vpc(s, pol)
    ci = host(s, sub["cli"], "10.0.1.10", [open_sg], "client")
    si = host(s, sub["srv"], "10.0.2.10", [open_sg], "mail")
    s.flow(ci, si, "tcp", 25, "denied", "reject drops the traffic and sends a TCP reset" + cite("nfw_reject"),
           blocked_by="no-smtp")
    s.flow(ci, si, "tcp", 587, "allowed", "no rule matches; action order passes it" + cite("nfw_order"))
    return s


@scenario
def nfw_alert():
    s = AuditScenario("127-nfw-alert-only", "Alert rules and aws:alert_strict never drop",
                      "NFW strict order: alert rule continues evaluation; aws:alert_strict default passes; a drop "
                      "rule still drops")
    rg = s.rule_group_stateful("watch", rule_order="STRICT_ORDER", rules_string="\n".join([
        'alert tcp any any -> any 22 (msg:"ssh seen"; sid:1; rev:1;)',
        'drop tcp any any -> any 23 (msg:"no telnet"; sid:2; rev:1;)']))
    pol = s.fw_policy("p", stateful=[(rg, 1)], stateful_default=["aws:alert_strict"], rule_order="STRICT_ORDER")
    v, sub, open_sg = fw_vpc(s, pol)
    ci = host(s, sub["cli"], "10.0.1.10", [open_sg], "client")
    si = host(s, sub["srv"], "10.0.2.10", [open_sg], "server")
    s.flow(ci, si, "tcp", 22, "allowed", "alert only logs; no drop rule or drop default applies" + cite("nfw_strict"))
    s.flow(ci, si, "tcp", 443, "allowed", "unmatched: aws:alert_strict logs and does not drop" + cite("nfw_strict"))
    s.flow(ci, si, "tcp", 23, "denied", "sid 2 drops telnet" + cite("nfw_sur"), blocked_by="watch")
    return s


# ==========================================================================
# late additions
# ==========================================================================

@scenario
def icmp_no_reply():
    s = AuditScenario("128-icmp-error-messages-no-reply",
                      "ICMP messages that are not queries get no reply: delivery is the whole connection",
                      "ICMP type 3 code 4 through NACLs that admit it one way only, and over a peering without a "
                      "return route; echo needs the reply")
    va, sa = one_vpc(s, "10.0.0.0/16", (("app", "10.0.1.0/24", "a"), ("srv", "10.0.2.0/24", "a")), key="vpc-a")
    vb, sb = one_vpc(s, "10.1.0.0/16", (("app", "10.1.1.0/24", "a"),), key="vpc-b")
    pcx = s.peering(va, vb)
    s.rtb(va, "app", [sa["app"], sa["srv"]], [s.route("10.1.0.0/16", pcx=pcx)])
    acl = s.nacl(va, "srv", [sa["srv"]],
                 ingress=[(100, "1", "allow", "10.0.0.0/8", {"icmp": (3, 4)}),
                          (110, "1", "allow", "10.0.0.0/8", {"icmp": (8, -1)})],
                 egress=[(100, "6", "allow", "10.0.0.0/8", (1024, 65535))])
    ga = sg_all_from(s, va, "open-a", "10.0.0.0/8")
    gb = sg_all_from(s, vb, "open-b", "10.0.0.0/8")
    ci = host(s, sa["app"], "10.0.1.10", [ga], "client")
    si = host(s, sa["srv"], "10.0.2.10", [ga], "server")
    bi = host(s, sb["app"], "10.1.1.10", [gb], "peer")
    s.flow(ci, si, "icmp", None, "allowed", "fragmentation needed (type 3 code 4) enters through inbound rule 100; "
           "it is not a query, so there is no reply for the outbound rules to admit" + cite("nacl_icmp", "nacl"),
           icmp=(3, 4))
    s.flow(ci, si, "icmp", None, "denied", "the echo request enters (rule 110) but the echo reply (type 0) matches "
           "no outbound rule" + cite("nacl"), icmp=(8, 0), blocked_by=acl)
    s.flow(ci, bi, "icmp", None, "allowed", "vpc-b has no route back to vpc-a, but a type 3 message needs none"
           + cite("pcx"), icmp=(3, 4))
    s.flow(ci, bi, "icmp", None, "denied", "the echo reply has no route back from vpc-b" + cite("pcx"), icmp=(8, 0))
    return s


@scenario
def route_eni_source_dest_check():
    s = AuditScenario("129-route-to-eni-source-dest-check",
                      "A route to an instance's ENI: source/destination checking decides whether it can forward",
                      "route target ENI with SourceDestCheck on: traffic for other addresses dropped; with it off: "
                      "an appliance, unknown; the ENI's own address reachable")
    v, sub = one_vpc(s, subnets=(("app", "10.0.1.0/24", "a"), ("a1", "10.0.2.0/24", "a"), ("a2", "10.0.3.0/24", "a")))
    igw = s.igw(v)
    s.rtb(v, "appliances", [sub["a1"], sub["a2"]], [s.route("0.0.0.0/0", igw=igw)])
    open_sg = sg_all_from(s, v, "open", "10.0.0.0/16")
    checked, ce = s.instance(sub["a1"], "10.0.2.10", [open_sg], name="checked", public_ip="192.0.2.30")
    _, fe = s.instance(sub["a2"], "10.0.3.10", [open_sg], name="forwarder", public_ip="192.0.2.31",
                       source_dest_check=False)
    app2 = s.subnet(v, "app2", "10.0.4.0/24")
    s.rtb(v, "app", [sub["app"]], [s.route("0.0.0.0/0", eni=ce["NetworkInterfaceId"])])
    s.rtb(v, "app2", [app2], [s.route("0.0.0.0/0", eni=fe["NetworkInterfaceId"])])
    ai = host(s, sub["app"], "10.0.1.10", [s.sg(v, "app")], "app")
    bi = host(s, app2, "10.0.4.10", [s.sg(v, "app-2")], "app-2")
    s.flow(ai, INTERNET_SERVER, "tcp", 443, "denied", "0.0.0.0/0 -> the ENI of an instance whose source/destination "
           "check is on: it drops traffic not addressed to it" + cite("srcdst", "rt_mb"),
           blocked_by=ce["NetworkInterfaceId"])
    s.flow(bi, INTERNET_SERVER, "tcp", 443, "unknown", "the check is off: an appliance whose forwarding is not in "
           "the snapshot" + cite("srcdst", "rt_mb"))
    s.flow(ai, checked, "tcp", 22, "allowed", "traffic addressed to the instance itself is delivered (local route)"
           + cite("rt_mb"))
    return s


@scenario
def nfw_home_net_vpc_missing():
    s = AuditScenario("130-nfw-home-net-vpc-not-in-snapshot",
                      "HOME_NET defaults to the firewall VPC's CIDRs, which the snapshot lacks",
                      "NFW $HOME_NET with the firewall's VPC missing from describe-vpcs -> unknown where it "
                      "matters; a rule that cannot match the port still cannot")
    rg = s.rule_group_stateful("home-ssh", rules_string=(
        'drop tcp $HOME_NET any -> $HOME_NET 22 (msg:"no ssh inside"; sid:1; rev:1;)'))
    pol = s.fw_policy("p", stateful=[(rg, None)])
    v, sub, open_sg = fw_vpc(s, pol)
    ci = host(s, sub["cli"], "10.0.1.10", [open_sg], "client")
    si = host(s, sub["srv"], "10.0.2.10", [open_sg], "server")

    def drop_vpc(d):
        p = os.path.join(d, "aws", A1, REGION, "describe-vpcs.json")
        with open(p) as f:
            doc = json.load(f)
        doc["Vpcs"] = [x for x in doc["Vpcs"] if x["VpcId"] != v["VpcId"]]
        with open(p, "w") as f:
            f.write(json.dumps(doc, indent=4) + "\n")
    s.post.append(drop_vpc)
    s.flow(ci, si, "tcp", 22, "unknown", "HOME_NET is the CIDR of the firewall's VPC, which is not in the snapshot: "
           "whether sid 1 drops the flow is not known" + cite("nfw_home"))
    s.flow(ci, si, "tcp", 443, "allowed", "sid 1 is for tcp/22 only, whatever HOME_NET holds" + cite("nfw_order"))
    return s
