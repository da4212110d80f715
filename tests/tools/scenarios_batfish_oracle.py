"""Trace scenarios 150+: semantic points checked against Batfish's AWS end-to-end tests.

Each scenario is our own small snapshot (no Batfish data or code), written to pin a point
that running netprove over Batfish's `test-*` snapshots confirmed or corrected; see
docs/oracle-batfish.md. Every expected verdict comes from the AWS documentation cited in
the flow's note; the Batfish test is named as a cross-check only.

Registered from gen_trace_scenarios.py (BUILDERS, JUDGEMENTS).
"""

import ipaddress
import json
import os

from scenario import A1, A2, REGION, T_CREATE, Scenario, perm, tags

INTERNET_SERVER = "198.51.100.20"
S3_IP = "52.216.10.20"          # inside the S3 prefix list below
OTHER_AWS_IP = "54.222.57.1"    # an AWS address outside it

D = {
    "nat_proto": "VPC UG 'NAT gateway basics' (a NAT gateway supports the following protocols: TCP, UDP, and "
                 "ICMP) https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html",
    "nat": "VPC UG 'NAT gateways' (external services cannot initiate a connection with the instances behind it) "
           "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html",
    "tgw": "TGW Guide 'How transit gateways work' (the route table associated with the attachment the packet "
           "arrives on decides) https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html",
    "tgw_prop": "TGW Guide 'How transit gateways work', Route propagation (a VPC attachment propagates the CIDR "
                "blocks of its VPC; VPN and Direct Connect attachments propagate what BGP learns) "
                "https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html",
    "tgw_rt": "TGW Guide 'Transit gateway route tables' (static and propagated routes; blackhole drops) "
              "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html",
    "tgw_az": "TGW Guide 'Transit gateway attachments to a VPC' (one subnet per AZ; resources in an AZ without an "
              "attachment subnet cannot reach the transit gateway) "
              "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html",
    "tgw_state": "EC2 API 'TransitGatewayAttachment' State (initiating | pendingAcceptance | pending | available | "
                 "modifying | deleting | deleted | failed | rejected | ...; only an available attachment carries "
                 "traffic) https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TransitGatewayAttachment.html",
    "tgw_peer": "TGW Guide 'Transit gateway peering attachments' (traffic crosses to the peer transit gateway, "
                "whose own route tables decide) https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html",
    "sg_state": "EC2 UG 'Security group connection tracking' (responses to allowed traffic are allowed regardless "
                "of rules; tracking is per network interface) "
                "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html",
    "sg": "VPC UG 'Security group rules' https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    "gwe": "PrivateLink Guide 'Gateway endpoints' (a route whose destination is the service's prefix list and whose "
           "target is the endpoint) https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html",
    "rt_prio": "VPC UG 'Route priority' (longest prefix match; a prefix-list route competes by its most specific "
               "matching CIDR) https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html",
    "rt": "VPC UG 'Route tables' (no matching route: dropped; blackhole: dropped) "
          "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html",
    "igw": "VPC UG 'Internet gateways' (one-to-one NAT for a public IPv4 address) "
           "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html",
    "ife": "PrivateLink Guide 'Access an AWS service using an interface VPC endpoint' (a network interface per "
           "subnet; the endpoint's security groups control traffic to it) "
           "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
    "pcx_overlap": "VPC Peering Guide 'Peering configurations with specific routes' (one VPC peered with two VPCs "
                   "that have overlapping CIDR blocks; specific routes pick the peering) "
                   "https://docs.aws.amazon.com/vpc/latest/peering/peering-configurations-partial-access.html",
    "pcx": "VPC Peering Guide 'Update your route tables for a VPC peering connection' "
           "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html",
    "vpc_cidr": "VPC UG 'VPC CIDR blocks' (a disassociated CIDR block is no longer part of the VPC) "
                "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html",
    "nacl_assoc": "VPC UG 'Control subnet traffic with network ACLs' (each subnet must be associated with a "
                  "network ACL) https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
    "vgw": "VPC UG 'Route tables' (a virtual private gateway target sends traffic to the VPN / Direct Connect "
           "side, which the snapshot does not describe) "
           "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html",
}


def cite(*keys):
    return " [" + "; ".join(D[k] for k in keys) + "]"


def bf(test):
    return " (cross-check: Batfish %s)" % test


# ---------------------------------------------------------------------------
# a Scenario with gateway/interface endpoints, prefix lists and Batfish-shaped
# transit gateway listings
# ---------------------------------------------------------------------------

class OracleScenario(Scenario):
    def __init__(self, name, title, covers):
        super().__init__(name, title, covers)
        self.vpces = []
        self.pls = []
        # Batfish aws_configs layout for TGW routes: TransitGatewayStaticRoutes +
        # TransitGatewayPropagations instead of the per-table wrapped outputs.
        self.batfish_tgw = False
        self.no_prop_listing = set()      # tables left out of TransitGatewayPropagations
        self.extra_atts = []              # non-VPC attachments (dicts, account A1)
        self.extra_props = {}             # table id -> [(attachment id, resource id, type)]
        self.omit = set()                 # file names to delete after writing
        self.empty = set()                # file names to write as an empty listing

    def prefix_list(self, name, cidrs, with_entries=True):
        pid = self.rid("pl", name)
        pl = {"PrefixListId": pid, "PrefixListName": name}
        if with_entries:
            pl["Cidrs"] = list(cidrs)
        self.pls.append(pl)
        return pid

    def gateway_endpoint(self, vpc, service, rtb_ids):
        eid = self.rid("vpce", vpc["_key"] + "/" + service)
        self.vpces.append({"VpcEndpointId": eid, "VpcEndpointType": "Gateway", "VpcId": vpc["VpcId"],
                           "ServiceName": service, "State": "available", "RouteTableIds": list(rtb_ids),
                           "SubnetIds": [], "Groups": [], "NetworkInterfaceIds": [], "PrivateDnsEnabled": False,
                           "RequesterManaged": False, "DnsEntries": [], "CreationTimestamp": T_CREATE,
                           "OwnerId": vpc["_acct"], "Tags": [], "_acct": vpc["_acct"]})
        return eid

    def interface_endpoint(self, subnet, ip, sgs, service):
        vpc = subnet["_vpc"]
        eid = self.rid("vpce", vpc["_key"] + "/" + service)
        e = self.eni(subnet, ip, sgs, itype="vpc_endpoint", desc="VPC Endpoint Interface %s" % eid,
                     requester="727180483921", requester_managed=True, key="vpce/" + service,
                     attachment=self._svc_attachment("vpce/" + service, "amazon-aws"))
        self.vpces.append({"VpcEndpointId": eid, "VpcEndpointType": "Interface", "VpcId": vpc["VpcId"],
                           "ServiceName": service, "State": "available", "RouteTableIds": [],
                           "SubnetIds": [subnet["SubnetId"]],
                           "Groups": [{"GroupId": g["GroupId"], "GroupName": g["GroupName"]} for g in sgs],
                           "NetworkInterfaceIds": [e["NetworkInterfaceId"]], "PrivateDnsEnabled": True,
                           "RequesterManaged": False, "DnsEntries": [], "CreationTimestamp": T_CREATE,
                           "OwnerId": vpc["_acct"], "Tags": [], "_acct": vpc["_acct"]})
        return eid, e

    def attach(self, tgw, vpc, subnets, key, state="available"):
        """A VPC attachment with its own key (a VPC may attach to several gateways)."""
        aid = self.rid("tgw-attach", key)
        for s in subnets:
            ip = str(ipaddress.ip_network(s["CidrBlock"]).network_address + (4 if key.endswith("1") else 5))
            k = "tgw/%s/%s" % (key, s["_key"])
            self.eni(s, ip, (), itype="transit_gateway",
                     desc="Network Interface for Transit Gateway Attachment %s" % aid, requester="amazon-aws",
                     requester_managed=True, source_dest_check=False, key=k,
                     attachment=self._svc_attachment(k, "amazon-aws"))
        att = {"TransitGatewayAttachmentId": aid, "TransitGatewayId": tgw, "TransitGatewayOwnerId": A1,
               "ResourceOwnerId": vpc["_acct"], "ResourceType": "vpc", "ResourceId": vpc["VpcId"],
               "State": state, "Association": None, "CreationTime": T_CREATE, "Tags": tags({"Name": key})}
        vatt = {"TransitGatewayAttachmentId": aid, "TransitGatewayId": tgw, "VpcId": vpc["VpcId"],
                "VpcOwnerId": vpc["_acct"], "State": state, "SubnetIds": [s["SubnetId"] for s in subnets],
                "CreationTime": T_CREATE, "Options": {"DnsSupport": "enable", "Ipv6Support": "disable",
                                                      "ApplianceModeSupport": "disable"},
                "Tags": tags({"Name": key})}
        self.tgw_atts.append((att, vatt, vpc))
        return aid

    def _att(self, aid):
        for a in self.extra_atts:
            if a["TransitGatewayAttachmentId"] == aid:
                return a, None, {"VpcId": a["ResourceId"], "_acct": A1}
        return super()._att(aid)

    def other_attachment(self, tgw, key, rtype, resource):
        aid = self.rid("tgw-attach", key)
        self.extra_atts.append({"TransitGatewayAttachmentId": aid, "TransitGatewayId": tgw,
                                "TransitGatewayOwnerId": A1, "ResourceOwnerId": A1, "ResourceType": rtype,
                                "ResourceId": resource, "State": "available", "Association": None,
                                "CreationTime": T_CREATE, "Tags": tags({"Name": key})})
        return aid

    def associate_other(self, aid, rtb_id):
        for a in self.extra_atts:
            if a["TransitGatewayAttachmentId"] == aid:
                a["Association"] = {"TransitGatewayRouteTableId": rtb_id, "State": "associated"}

    def _static_routes(self, t):
        routes = []
        for cidr, aid in t["static"]:
            if aid is None:
                routes.append({"DestinationCidrBlock": cidr, "Type": "static", "State": "blackhole"})
                continue
            rtype, res = "vpc", None
            for a in self.extra_atts:
                if a["TransitGatewayAttachmentId"] == aid:
                    rtype, res = a["ResourceType"], a["ResourceId"]
            if res is None:
                res = self._att(aid)[2]["VpcId"]
            routes.append({"DestinationCidrBlock": cidr, "State": "active", "Type": "static",
                           "TransitGatewayAttachments": [{"ResourceId": res, "ResourceType": rtype,
                                                          "TransitGatewayAttachmentId": aid}]})
        return routes

    def write(self, root):
        super().write(root)
        d = os.path.join(root, self.name)
        accts = sorted({v["_acct"] for v in self.vpcs})

        def wj(rel, obj):
            with open(os.path.join(d, rel), "w") as f:
                f.write(json.dumps(_strip(obj), indent=4) + "\n")

        for acct in accts:
            b = "aws/%s/%s/" % (acct, REGION)
            wj(b + "describe-vpc-endpoints.json", {"VpcEndpoints": [e for e in self.vpces if e["_acct"] == acct]})
            if self.pls and acct == A1:
                wj(b + "describe-prefix-lists.json", {"PrefixLists": self.pls})
            if self.tgws and acct == A1 and self.extra_atts:
                p = os.path.join(d, b + "describe-transit-gateway-attachments.json")
                with open(p) as f:
                    listing = json.load(f)
                listing["TransitGatewayAttachments"] += self.extra_atts
                wj(b + "describe-transit-gateway-attachments.json", listing)
            if self.tgws and acct == A1 and self.batfish_tgw:
                for t in self.tgw_rtbs:
                    for f in ("search-transit-gateway-routes-%s.json",
                              "get-transit-gateway-route-table-associations-%s.json",
                              "get-transit-gateway-route-table-propagations-%s.json"):
                        os.remove(os.path.join(d, b + f % t["id"]))
                wj(b + "TransitGatewayStaticRoutes.json", {"TransitGatewayStaticRoutes": [
                    {"AdditionalRoutesAvailable": False, "Routes": self._static_routes(t),
                     "TransitGatewayRouteTableId": t["id"]} for t in self.tgw_rtbs]})
                props = []
                for t in self.tgw_rtbs:
                    if t["id"] in self.no_prop_listing:
                        continue
                    entries = []
                    for aid in t["props"]:
                        vpc = self._att(aid)[2]
                        entries.append({"ResourceId": vpc["VpcId"], "ResourceType": "vpc", "State": "enabled",
                                        "TransitGatewayAttachmentId": aid})
                    for aid, res, rtype in self.extra_props.get(t["id"], []):
                        entries.append({"ResourceId": res, "ResourceType": rtype, "State": "enabled",
                                        "TransitGatewayAttachmentId": aid})
                    props.append({"TransitGatewayRouteTableId": t["id"], "TransitGatewayRouteTablePropagations":
                                  entries})
                wj(b + "TransitGatewayPropagations.json", {"TransitGatewayPropagations": props})
            for f in self.omit:
                p = os.path.join(d, b + f)
                if os.path.exists(p):
                    os.remove(p)
            for f, key in self.empty:
                wj(b + f, {key: []})


def _strip(o):
    if isinstance(o, dict):
        return {k: _strip(v) for k, v in o.items() if not k.startswith("_") and v is not None}
    if isinstance(o, list):
        return [_strip(v) for v in o]
    return o


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def one_vpc(s, key, cidr, subnets, account=A1):
    v = s.vpc(key, cidr, account=account)
    return v, {n: s.subnet(v, n, c, az) for n, c, az in subnets}


def spoke(s, key, n, account=A1, azs=("a",)):
    """VPC 10.<n>.0.0/16 with app-<az> 10.<n>.<1|2>.0/24 and tgw-<az> 10.<n>.255.<0|16>/28, an open SG."""
    v = s.vpc(key, "10.%d.0.0/16" % n, account=account)
    apps = {az: s.subnet(v, "app-" + az, "10.%d.%d.0/24" % (n, 1 if az == "a" else 2), az) for az in azs}
    tsubs = [s.subnet(v, "tgw-" + az, "10.%d.255.%d/28" % (n, 0 if az == "a" else 16), az) for az in azs]
    g = s.sg(v, "open", [perm("-1", cidrs=["10.0.0.0/8"])])
    return v, apps, tsubs, g


BUILDERS = []


def builder(fn):
    BUILDERS.append(fn)
    return fn


# ---------------------------------------------------------------------------
# 150 NAT gateway protocols
# ---------------------------------------------------------------------------

@builder
def nat_protocols():
    s = OracleScenario("150-batfish-nat-gateway-protocols", "A NAT gateway translates only TCP, UDP and ICMP",
                       "NAT gateway drops other IP protocols; connections to the NAT gateway itself are refused")
    v, sub = one_vpc(s, "main", "10.0.0.0/16", (("pub", "10.0.0.0/24", "a"), ("priv", "10.0.1.0/24", "a")))
    igw = s.igw(v)
    nat = s.nat(sub["pub"], "10.0.0.10", public_ip="192.0.2.50")
    s.rtb(v, "pub", [sub["pub"]], [s.route("0.0.0.0/0", igw=igw)])
    s.rtb(v, "priv", [sub["priv"]], [s.route("0.0.0.0/0", nat=nat)])
    g = s.sg(v, "open-out", [perm("tcp", 22, 22, cidrs=["10.0.0.0/16"])])
    pi, _ = s.instance(sub["priv"], "10.0.1.10", [g], name="private")
    ji, _ = s.instance(sub["pub"], "10.0.0.20", [g], name="jump", public_ip="192.0.2.20")
    t = bf("AwsConfigurationNatGatewayTest")
    s.flow(pi, INTERNET_SERVER, "tcp", 443, "allowed", "TCP is translated by the NAT gateway" + cite("nat_proto") + t)
    s.flow(pi, INTERNET_SERVER, "udp", 53, "allowed", "UDP is translated by the NAT gateway" + cite("nat_proto") + t)
    s.flow(pi, INTERNET_SERVER, "icmp", None, "allowed", "ICMP is translated by the NAT gateway"
           + cite("nat_proto") + t, icmp=(8, 0))
    s.flow(pi, INTERNET_SERVER, 47, None, "denied", "GRE (protocol 47) is none of TCP, UDP, ICMP: the NAT gateway "
           "drops it although the SG, NACLs and routes allow it" + cite("nat_proto") + t, blocked_by=nat)
    s.flow(pi, INTERNET_SERVER, 50, None, "denied", "ESP (protocol 50) is not translated by a NAT gateway"
           + cite("nat_proto") + t, blocked_by=nat)
    s.flow(ji, "10.0.0.10", "tcp", 80, "denied", "a connection addressed to the NAT gateway's own private IP, from "
           "its own subnet, is not accepted" + cite("nat") + t, blocked_by=nat)
    return s


# ---------------------------------------------------------------------------
# 151-154 transit gateway data as Batfish collects it
# ---------------------------------------------------------------------------

def three_spokes(s, tgw):
    out = {}
    for key, n in (("vpc-a", 1), ("vpc-b", 2), ("vpc-c", 3)):
        v, apps, tsubs, g = spoke(s, key, n)
        aid = s.attach(tgw, v, tsubs, key + "-att1")
        s.rtb(v, "app", list(apps.values()), [s.route("10.0.0.0/8", tgw=tgw)])
        iid, _ = s.instance(apps["a"], "10.%d.1.10" % n, [g], name=key)
        out[key] = (v, aid, iid)
    return out


@builder
def tgw_batfish_static_listing():
    s = OracleScenario("151-batfish-tgw-static-listing-propagations",
                       "TGW routes listed as static routes plus propagations (Batfish's aws_configs layout)",
                       "propagated routes derived from VPC CIDRs; per-attachment tables; static blackhole")
    s.batfish_tgw = True
    tgw = s.tgw()
    sp = three_spokes(s, tgw)
    (_, aa, ia), (_, ab, ib), (_, ac, ic) = sp["vpc-a"], sp["vpc-b"], sp["vpc-c"]
    rta = s.tgw_rtb(tgw, "table-a", associate=[aa], propagate=[ab], static=[("10.3.0.0/16", None)])
    s.tgw_rtb(tgw, "table-b", associate=[ab], propagate=[aa])
    s.tgw_rtb(tgw, "table-c", associate=[ac], propagate=[aa])
    t = bf("AwsConfigurationTransitGatewayMultiTableTest / AwsConfigurationTransitGatewayTest")
    s.flow(ia, ib, "tcp", 443, "allowed", "table-a (A's) holds the route B's attachment propagates (10.2.0.0/16); "
           "table-b (B's) holds A's for the reply" + cite("tgw_prop", "tgw") + t)
    s.flow(ib, ia, "udp", 53, "allowed", "the same two propagated routes, the other way round"
           + cite("tgw_prop", "tgw") + t)
    s.flow(ia, ic, "tcp", 443, "denied", "table-a sends 10.3.0.0/16 to a static blackhole" + cite("tgw_rt") + t,
           blocked_by=rta)
    s.flow(ic, ia, "tcp", 443, "denied", "table-c delivers the request, but A's reply is looked up in table-a, "
           "which blackholes 10.3.0.0/16" + cite("tgw", "tgw_rt") + t, blocked_by=rta)
    return s


@builder
def tgw_batfish_underivable():
    s = OracleScenario("152-batfish-tgw-propagation-unknown",
                       "Static-only TGW listing whose propagated routes cannot be derived",
                       "propagation from a VPN attachment, or no propagation listing: routing unknown")
    s.batfish_tgw = True
    tgw = s.tgw()
    sp = three_spokes(s, tgw)
    (_, aa, ia), (_, ab, ib), (_, ac, ic) = sp["vpc-a"], sp["vpc-b"], sp["vpc-c"]
    vpn = s.other_attachment(tgw, "vpn-onprem", "vpn", "vpn-0" + "7" * 16)
    rta = s.tgw_rtb(tgw, "table-a", associate=[aa], propagate=[ab])
    s.extra_props[rta] = [(vpn, "vpn-0" + "7" * 16, "vpn")]
    rtb = s.tgw_rtb(tgw, "table-b", associate=[ab], propagate=[aa])
    s.no_prop_listing.add(rtb)
    s.tgw_rtb(tgw, "table-c", associate=[ac], propagate=[ab])
    t = bf("AwsConfigurationTransitGatewayTest (static-only TransitGatewayStaticRoutes)")
    s.flow(ia, ib, "tcp", 443, "unknown", "table-a also learns routes from a VPN attachment (BGP); they are not in "
           "the snapshot and may be more specific than B's CIDR" + cite("tgw_prop") + t)
    s.flow(ib, ic, "tcp", 443, "unknown", "table-b has only its static routes listed: its propagated routes are "
           "unknown" + cite("tgw_prop") + t)
    s.flow(ic, ib, "tcp", 443, "unknown", "table-c delivers the request (B's CIDR is derived), but B's reply is "
           "looked up in table-b, whose propagations are unknown" + cite("tgw_prop", "tgw") + t)
    return s


@builder
def tgw_no_vpc_attachment_listing():
    s = OracleScenario("153-batfish-tgw-attachment-subnets-unknown",
                       "VPC attachments known without their subnets",
                       "no describe-transit-gateway-vpc-attachments: the AZ rule cannot be applied, unknown")
    tgw = s.tgw()
    va, apps_a, tsubs_a, ga = spoke(s, "vpc-a", 1)
    vb, apps_b, tsubs_b, gb = spoke(s, "vpc-b", 2)
    aa = s.attach(tgw, va, tsubs_a, "vpc-a-att1")
    ab = s.attach(tgw, vb, tsubs_b, "vpc-b-att1")
    s.rtb(va, "app", list(apps_a.values()), [s.route("10.0.0.0/8", tgw=tgw)])
    s.rtb(vb, "app", list(apps_b.values()), [s.route("10.0.0.0/8", tgw=tgw)])
    s.tgw_rtb(tgw, "spokes", associate=[aa, ab], propagate=[aa, ab])
    ia, _ = s.instance(apps_a["a"], "10.1.1.10", [ga], name="a")
    ib, _ = s.instance(apps_b["a"], "10.2.1.10", [gb], name="b")
    s.omit.add("describe-transit-gateway-vpc-attachments.json")
    t = bf("AwsConfigurationTransitGatewayTest (stored copy without TransitGatewayVpcAttachments.json)")
    s.flow(ia, ib, "tcp", 443, "unknown", "whether us-east-1a has an attachment subnet is not in the snapshot; "
           "it is not 'no subnet'" + cite("tgw_az") + t)
    s.flow(ib, ia, "tcp", 22, "unknown", "same, from vpc-b" + cite("tgw_az") + t)
    return s


@builder
def tgw_attachment_states():
    s = OracleScenario("154-batfish-tgw-attachment-state", "Deleted and pending TGW attachments",
                       "a deleted attachment carries nothing (denied); a pending one is unknown")
    tgw = s.tgw()
    va, apps_a, tsubs_a, ga = spoke(s, "vpc-a", 1)
    vb, apps_b, tsubs_b, gb = spoke(s, "vpc-b", 2)
    vc, apps_c, tsubs_c, gc = spoke(s, "vpc-c", 3)
    aa = s.attach(tgw, va, tsubs_a, "vpc-a-att1", state="deleted")
    ab = s.attach(tgw, vb, tsubs_b, "vpc-b-att1")
    ac = s.attach(tgw, vc, tsubs_c, "vpc-c-att1", state="pendingAcceptance")
    for v, apps in ((va, apps_a), (vb, apps_b), (vc, apps_c)):
        s.rtb(v, "app", list(apps.values()), [s.route("10.0.0.0/8", tgw=tgw)])
    # The listing still shows the stale associations: only the attachment's State tells.
    s.tgw_rtb(tgw, "spokes", associate=[aa, ab, ac], propagate=[ab],
              static=[("10.1.0.0/16", aa), ("10.3.0.0/16", ac)])
    ia, _ = s.instance(apps_a["a"], "10.1.1.10", [ga], name="a")
    ib, _ = s.instance(apps_b["a"], "10.2.1.10", [gb], name="b")
    ic, _ = s.instance(apps_c["a"], "10.3.1.10", [gc], name="c")
    t = bf("AwsConfigurationTransitGatewayTest (its data lists a deleted attachment; Batfish keeps only "
           "available ones)")
    s.flow(ia, ib, "tcp", 443, "denied", "vpc-a's only attachment is deleted: its route to the transit gateway "
           "leads nowhere" + cite("tgw_state") + t, blocked_by=tgw)
    s.flow(ib, ia, "tcp", 443, "denied", "the route to 10.1.0.0/16 points at the deleted attachment"
           + cite("tgw_state", "tgw_rt") + t, blocked_by=aa)
    s.flow(ib, ic, "tcp", 443, "unknown", "vpc-c's attachment is pendingAcceptance: it carries traffic only once "
           "accepted" + cite("tgw_state") + t)
    return s


# ---------------------------------------------------------------------------
# 155 two transit gateways, one per direction
# ---------------------------------------------------------------------------

@builder
def tgw_two_gateways():
    s = OracleScenario("155-batfish-tgw-asymmetric-two-gateways",
                       "Request over one transit gateway, reply over another",
                       "asymmetric TGW paths: stateless routers, SGs track per ENI")
    t1 = s.tgw("tgw-one")
    t2 = s.tgw("tgw-two")
    va, apps_a, tsubs_a, _ = spoke(s, "vpc-a", 1)
    vb, apps_b, tsubs_b, _ = spoke(s, "vpc-b", 2)
    a1 = s.attach(t1, va, tsubs_a, "vpc-a-att1")
    b1 = s.attach(t1, vb, tsubs_b, "vpc-b-att1")
    a2 = s.attach(t2, va, tsubs_a, "vpc-a-att2")
    b2 = s.attach(t2, vb, tsubs_b, "vpc-b-att2")
    s.rtb(va, "app", list(apps_a.values()), [s.route("10.2.0.0/16", tgw=t1)])
    s.rtb(vb, "app", list(apps_b.values()), [s.route("10.1.0.0/16", tgw=t2)])
    s.tgw_rtb(t1, "one", associate=[a1], propagate=[b1])
    s.tgw_rtb(t2, "two", associate=[b2], propagate=[a2])
    web_a = s.sg(va, "ssh", [perm("tcp", 22, 22, cidrs=["0.0.0.0/0"])])
    web_b = s.sg(vb, "ssh", [perm("tcp", 22, 22, cidrs=["0.0.0.0/0"])])
    ia, _ = s.instance(apps_a["a"], "10.1.1.10", [web_a], name="a")
    ib, _ = s.instance(apps_b["a"], "10.2.1.10", [web_b], name="b")
    t = bf("AwsConfigurationTransitGatewayAsymmetricPathsTest")
    s.flow(ia, ib, "tcp", 22, "allowed", "request via tgw-one (A's table has B), reply via tgw-two (B's table "
           "has A): transit gateways route each packet; the SGs track the connection at each ENI"
           + cite("tgw", "sg_state") + t)
    s.flow(ib, ia, "tcp", 22, "allowed", "the other way: request via tgw-two, reply via tgw-one"
           + cite("tgw", "sg_state") + t)
    s.flow(ia, ib, "tcp", 80, "denied", "B's SG allows only tcp/22" + cite("sg") + t, blocked_by=web_b["GroupId"])
    return s


# ---------------------------------------------------------------------------
# 156 transit gateway peering attachment
# ---------------------------------------------------------------------------

@builder
def tgw_peering_attachment():
    s = OracleScenario("156-batfish-tgw-peering-attachment", "Routes to a TGW peering attachment",
                       "the peer gateway's tables are not in the snapshot: unknown; a missing route is still denied")
    s.batfish_tgw = True
    tgw = s.tgw()
    va, apps_a, tsubs_a, ga = spoke(s, "vpc-a", 1)
    vb, apps_b, tsubs_b, gb = spoke(s, "vpc-b", 2)
    aa = s.attach(tgw, va, tsubs_a, "vpc-a-att1")
    ab = s.attach(tgw, vb, tsubs_b, "vpc-b-att1")
    for v, apps in ((va, apps_a), (vb, apps_b)):
        s.rtb(v, "app", list(apps.values()), [s.route("10.0.0.0/8", tgw=tgw), s.route("192.168.0.0/16", tgw=tgw)])
    peer = s.other_attachment(tgw, "peer-west", "peering", "tgw-0" + "5" * 16)
    rta = s.tgw_rtb(tgw, "default", associate=[aa], propagate=[aa])
    s.tgw_rtb(tgw, "to-peer", associate=[ab], propagate=[ab], static=[("192.168.0.0/16", peer)])
    s.associate_other(peer, rta)
    ia, _ = s.instance(apps_a["a"], "10.1.1.10", [ga], name="a")
    ib, _ = s.instance(apps_b["a"], "10.2.1.10", [gb], name="b")
    t = bf("AwsConfigurationTransitGatewayPeeringTest")
    s.flow(ia, "192.168.1.100", "tcp", 22, "denied", "A's table has no route to the peer's 192.168.0.0/16"
           + cite("tgw_rt") + t, blocked_by=rta)
    s.flow(ib, "192.168.1.100", "tcp", 22, "unknown", "B's table sends 192.168.0.0/16 to the peering attachment: "
           "what the peer gateway does with it is not in the snapshot" + cite("tgw_peer") + t)
    return s


# ---------------------------------------------------------------------------
# 157-158 VPC endpoints
# ---------------------------------------------------------------------------

@builder
def gateway_endpoint():
    s = OracleScenario("157-batfish-gateway-endpoint-prefix-list", "S3 gateway endpoint reached by a prefix-list route",
                       "gateway endpoint via prefix list; longest prefix beats 0.0.0.0/0 -> igw; no route elsewhere; "
                       "a prefix list without entries: unknown")
    v, sub = one_vpc(s, "main", "10.0.0.0/16", (("pub", "10.0.1.0/24", "a"), ("priv", "10.0.2.0/24", "a"),
                                                 ("nolist", "10.0.3.0/24", "a")))
    igw = s.igw(v)
    pl = s.prefix_list("com.amazonaws.us-east-1.s3", ["52.216.0.0/15", "54.231.0.0/17"])
    pl_unknown = s.prefix_list("com.amazonaws.us-east-1.dynamodb", [], with_entries=False)
    ep_id = s.rid("vpce", "main/com.amazonaws.us-east-1.s3")
    ep2_id = s.rid("vpce", "main/com.amazonaws.us-east-1.dynamodb")

    def plr(p, e):
        return {"DestinationPrefixListId": p, "GatewayId": e, "Origin": "CreateRoute", "State": "active"}
    rpub = s.rtb(v, "pub", [sub["pub"]], [s.route("0.0.0.0/0", igw=igw), plr(pl, ep_id)])
    rpriv = s.rtb(v, "priv", [sub["priv"]], [plr(pl, ep_id)])
    rnol = s.rtb(v, "nolist", [sub["nolist"]], [plr(pl_unknown, ep2_id)])
    s.gateway_endpoint(v, "com.amazonaws.us-east-1.s3", [rpub, rpriv])
    s.gateway_endpoint(v, "com.amazonaws.us-east-1.dynamodb", [rnol])
    g = s.sg(v, "app", [perm("tcp", 22, 22, cidrs=["0.0.0.0/0"])])
    pu, _ = s.instance(sub["pub"], "10.0.1.10", [g], name="public", public_ip="192.0.2.10")
    pr, _ = s.instance(sub["priv"], "10.0.2.10", [g], name="private")
    nl, _ = s.instance(sub["nolist"], "10.0.3.10", [g], name="nolist")
    t = bf("AwsConfigurationVpcEndpointGatewayTest")
    s.flow(pr, S3_IP, "tcp", 443, "allowed", "private subnet: the prefix-list route sends S3's addresses to the "
           "gateway endpoint" + cite("gwe") + t)
    s.flow(pu, S3_IP, "tcp", 443, "allowed", "public subnet: 52.216.0.0/15 from the prefix list is more specific "
           "than 0.0.0.0/0 -> igw, so S3 traffic takes the endpoint" + cite("gwe", "rt_prio") + t)
    s.flow(pr, OTHER_AWS_IP, "tcp", 443, "denied", "an address outside the prefix list has no route in the private "
           "subnet" + cite("rt") + t, blocked_by=rpriv)
    s.flow(pu, OTHER_AWS_IP, "tcp", 443, "allowed", "public subnet: other AWS addresses go out through the IGW "
           "with the instance's public IP" + cite("igw") + t)
    s.flow(nl, S3_IP, "tcp", 443, "unknown", "the only route is to a prefix list whose CIDRs are not in the "
           "snapshot: whether it matches is unknown" + cite("gwe", "rt_prio"))
    return s


@builder
def interface_endpoint():
    s = OracleScenario("158-batfish-interface-endpoint", "Interface endpoint: an ENI guarded by its security group",
                       "interface endpoint reachable on the ports its SG allows, from its subnet and others")
    v, sub = one_vpc(s, "main", "10.0.0.0/16", (("ep", "10.0.1.0/24", "a"), ("other", "10.0.2.0/24", "a")))
    epsg = s.sg(v, "endpoint", [perm("tcp", 443, 443, cidrs=["10.0.0.0/16"])])
    cl = s.sg(v, "client")
    s.interface_endpoint(sub["ep"], "10.0.1.97", [epsg], "com.amazonaws.us-east-1.cloudtrail")
    same, _ = s.instance(sub["ep"], "10.0.1.10", [cl], name="same-subnet")
    other, _ = s.instance(sub["other"], "10.0.2.10", [cl], name="other-subnet")
    t = bf("AwsConfigurationVpcEndpointInterfaceTest")
    s.flow(same, "10.0.1.97", "tcp", 443, "allowed", "same subnet: the endpoint's SG allows 443" + cite("ife") + t)
    s.flow(other, "10.0.1.97", "tcp", 443, "allowed", "another subnet, over the local route" + cite("ife") + t)
    s.flow(other, "10.0.1.97", "tcp", 80, "denied", "the endpoint's SG allows only 443" + cite("ife", "sg") + t,
           blocked_by=epsg["GroupId"])
    return s


# ---------------------------------------------------------------------------
# 159 peering with two overlapping peers
# ---------------------------------------------------------------------------

@builder
def peering_overlapping_peers():
    s = OracleScenario("159-batfish-peering-overlapping-peers", "One VPC peered with two VPCs that share a CIDR",
                       "specific routes pick the peering; unrouted peer space; disassociated CIDR; blackhole")
    va, sa = one_vpc(s, "vpc-a", "10.10.0.0/16", (("a", "10.10.10.0/24", "a"),))
    vb, sb = one_vpc(s, "vpc-b", "192.168.0.0/16", (("b", "192.168.1.0/24", "a"),))
    vc, sc = one_vpc(s, "vpc-c", "192.168.0.0/16", (("c", "192.168.2.0/24", "a"),), account=A2)
    vb["CidrBlockAssociationSet"].append({"AssociationId": s.rid("vpc-cidr-assoc", "vpc-b/old"),
                                          "CidrBlock": "192.169.0.0/16",
                                          "CidrBlockState": {"State": "disassociated"}})
    ab = s.peering(va, vb)
    ac = s.peering(va, vc)
    rta = s.rtb(va, "a", [sa["a"]], [s.route("192.168.1.0/24", pcx=ab), s.route("192.168.2.0/24", pcx=ac)])
    rtb = s.rtb(vb, "b", [sb["b"]], [s.route("10.10.0.0/16", pcx=ab),
                                     s.route("0.0.0.0/0", igw="igw-0" + "a" * 16, state="blackhole")])
    s.rtb(vc, "c", [sc["c"]], [s.route("10.10.0.0/16", pcx=ac)])
    ssh = [perm("tcp", 22, 22, cidrs=["0.0.0.0/0"])]
    ia, _ = s.instance(sa["a"], "10.10.10.157", [s.sg(va, "ssh", ssh)], name="a")
    ib, _ = s.instance(sb["b"], "192.168.1.106", [s.sg(vb, "ssh", ssh)], name="b")
    ic, _ = s.instance(sc["c"], "192.168.2.229", [s.sg(vc, "ssh", ssh)], name="c")
    t = bf("AwsConfigurationVpcPeeringTest")
    s.flow(ia, ib, "tcp", 22, "allowed", "192.168.1.0/24 -> pcx A-B; B routes 10.10.0.0/16 back over it"
           + cite("pcx_overlap", "pcx") + t)
    s.flow(ic, ia, "tcp", 22, "allowed", "C (another account, same CIDR as B) reaches A over pcx A-C; A's reply "
           "to 192.168.2.229 takes the specific route to pcx A-C" + cite("pcx_overlap") + t)
    s.flow(ia, "192.168.100.1", "tcp", 22, "denied", "A has no route for the rest of 192.168.0.0/16"
           + cite("rt") + t, blocked_by=rta)
    s.flow(ib, "10.10.100.1", "tcp", 22, "denied", "inside A's CIDR but no interface owns the address"
           + cite("pcx") + t)
    s.flow(ib, "192.169.0.5", "tcp", 22, "denied", "192.169.0.0/16 was disassociated from B, so it is not local: "
           "it falls to 0.0.0.0/0, a blackhole" + cite("vpc_cidr", "rt") + t, blocked_by=rtb)
    return s


# ---------------------------------------------------------------------------
# 160 missing network ACL data; 161 virtual private gateway
# ---------------------------------------------------------------------------

@builder
def missing_nacls():
    s = OracleScenario("160-batfish-missing-nacl-data", "A snapshot without network ACL data",
                       "no NACL listing: traffic crossing subnets is unknown, not allowed")
    va, sa = one_vpc(s, "vpc-a", "10.1.0.0/16", (("a", "10.1.1.0/24", "a"),))
    vb, sb = one_vpc(s, "vpc-b", "10.2.0.0/16", (("b", "10.2.1.0/24", "a"),), account=A2)
    pcx = s.peering(va, vb)
    s.rtb(va, "a", [sa["a"]], [s.route("10.2.0.0/16", pcx=pcx)])
    s.rtb(vb, "b", [sb["b"]], [s.route("10.1.0.0/16", pcx=pcx)])
    ssh = [perm("tcp", 22, 22, cidrs=["0.0.0.0/0"])]
    ia, _ = s.instance(sa["a"], "10.1.1.100", [s.sg(va, "ssh", ssh)], name="a")
    ib, _ = s.instance(sb["b"], "10.2.1.252", [s.sg(vb, "ssh", ssh)], name="b")
    s.empty.add(("describe-network-acls.json", "NetworkAcls"))
    t = bf("AwsConfigurationVpcPeeringCrossAccountTest / AwsConfigurationTransitGatewayMultiAccountTest (their "
           "snapshots carry no NetworkAcls.json; Batfish treats that as no filtering)")
    s.flow(ia, ib, "tcp", 22, "unknown", "every subnet has a network ACL; which one, and its rules, are not in "
           "the snapshot" + cite("nacl_assoc") + t)
    s.flow(ib, ia, "tcp", 22, "unknown", "same, the other way" + cite("nacl_assoc") + t)
    return s


@builder
def vgw_default_route():
    s = OracleScenario("161-batfish-vgw-route-unknown", "Private subnet whose default route is a virtual private gateway",
                       "routes to a VGW are unknown (VPN / Direct Connect not modelled); local traffic still judged")
    v, sub = one_vpc(s, "main", "10.0.0.0/16", (("pub", "10.0.0.0/24", "a"), ("priv", "10.0.1.0/24", "a")))
    igw = s.igw(v)
    vgw = "vgw-0" + "7" * 16
    s.rtb(v, "pub", [sub["pub"]], [s.route("0.0.0.0/0", igw=igw)])
    s.main_routes(v, [s.route("0.0.0.0/0", igw=vgw)])
    ssh = s.sg(v, "ssh", [perm("tcp", 22, 22, cidrs=["0.0.0.0/0"])])
    pu, _ = s.instance(sub["pub"], "10.0.0.47", [ssh], name="public", public_ip="192.0.2.60")
    pr, _ = s.instance(sub["priv"], "10.0.1.204", [ssh], name="private")
    t = bf("AwsConfigurationPublicPrivateSubnetTest")
    s.flow(pr, "8.8.8.8", "tcp", 443, "unknown", "the main table sends 0.0.0.0/0 to the VGW: what the VPN side does "
           "is not in the snapshot" + cite("vgw") + t)
    s.flow(pr, "192.0.2.60", "tcp", 22, "unknown", "even the public instance's public IP is routed to the VGW from "
           "the private subnet" + cite("vgw") + t)
    s.flow(pr, pu, "tcp", 22, "allowed", "the local route still carries VPC-internal traffic" + cite("rt") + t)
    s.flow(pu, pr, "tcp", 80, "denied", "the private instance's SG allows only tcp/22" + cite("sg") + t,
           blocked_by=ssh["GroupId"])
    return s


JUDGEMENTS = [
    "A NAT gateway drops IP protocols other than TCP, UDP and ICMP (150); the request is `denied` at the NAT gateway.",
    "Transit gateway routes listed as static routes plus propagations (Batfish's layout) are completed with the "
    "CIDRs of propagating VPC attachments; a propagation that cannot be derived (VPN, peering, a VPC not in the "
    "snapshot, no propagation listing) makes the table's routing `unknown` (151, 152).",
    "A VPC attachment whose subnets are not listed is `unknown`, not `denied` (153); a deleted attachment carries "
    "nothing, a pending one is `unknown` (154).",
    "A snapshot without network ACL data is `unknown` for traffic crossing subnets, where Batfish assumes no "
    "filtering (160).",
]
