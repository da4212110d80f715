"""Tiny builder for netprove trace scenarios (stdlib only).

A `Scenario` collects AWS resources (as the AWS CLI prints them with
`--output json`), Kubernetes objects (kubectl Lists) and expected flows, and
`write(root)` lays them out as a netprove snapshot:

    <root>/<name>/snapshot.toml
    <root>/<name>/aws/<account>/us-east-1/describe-*.json  (+ wrapped TGW outputs)
    <root>/<name>/k8s/<cluster>/*.yaml|json
    <root>/<name>/flows.jsonl

Every id is derived from (scenario name, key) with sha256, so output is
deterministic and ids never collide across scenarios.  Ids are AWS-style:
prefix + "-0" + 16 hex chars (17 hex chars).

Defaults that mirror AWS:
  * every VPC gets a main route table holding only its `local` route, a
    default network ACL (rule 100 allow all + the `*` 32767 deny, both
    directions) covering every subnet without an explicit ACL, and a
    `default` security group (all inbound from itself, all outbound);
  * a security group created here gets AWS's default allow-all egress
    unless `egress=` is given (`egress=[]` = no outbound rules).
"""

import hashlib
import ipaddress
import json
import os
import re
import shutil
import uuid

REGION = "us-east-1"
A1 = "111111111111"
A2 = "222222222222"
AZ = {"a": "us-east-1a", "b": "us-east-1b"}
AZ_ID = {"us-east-1a": "use1-az1", "us-east-1b": "use1-az2"}
T_CREATE = "2026-03-02T10:11:12+00:00"
T_EC2 = "2026-10-20T08:14:03+00:00"
T_NFW = "2026-10-28T14:22:31.412000+00:00"
T_K8S = "2026-10-20T08:15:42Z"
NAT_REQUESTER = "036872051663"
VPCE_REQUESTER = "727180483921"
BRANCH_REQUESTER = "014851456324"


# ---------------------------------------------------------------------------
# ids and small helpers
# ---------------------------------------------------------------------------

def _h(key, n):
    return hashlib.sha256(key.encode()).hexdigest()[:n]


def duuid(key):
    return str(uuid.UUID(hex=_h("uuid/" + key, 32), version=4))


def mac(key):
    h = _h("mac/" + key, 10)
    return "02:" + ":".join(h[i:i + 2] for i in range(0, 10, 2))


def dns_name(ip):
    return "ip-%s.ec2.internal" % ip.replace(".", "-")


def tags(d):
    return [{"Key": k, "Value": v} for k, v in sorted(d.items())]


def public_assoc(ip, owner="amazon", alloc_id=None, assoc_id=None):
    a = {}
    if alloc_id:
        a["AllocationId"] = alloc_id
        a["AssociationId"] = assoc_id
    a["IpOwnerId"] = owner
    a["PublicDnsName"] = "ec2-%s.compute-1.amazonaws.com" % ip.replace(".", "-")
    a["PublicIp"] = ip
    return a


# ---------------------------------------------------------------------------
# security group permissions
# ---------------------------------------------------------------------------

def perm(proto, frm=None, to=None, cidrs=(), groups=(), pls=()):
    """One IpPermission.  proto: "tcp" | "udp" | "icmp" | "-1" | "<number>".
    For icmp, frm = ICMP type, to = ICMP code (-1 = all).
    groups: sg dicts returned by Scenario.sg, or (sg dict, extra pair fields)."""
    p = {}
    if proto != "-1":
        p["FromPort"] = frm
    p["IpProtocol"] = proto
    p["IpRanges"] = [{"CidrIp": c} if isinstance(c, str) else {"CidrIp": c[0], "Description": c[1]}
                     for c in cidrs]
    p["Ipv6Ranges"] = []
    p["PrefixListIds"] = [{"PrefixListId": x} for x in pls]
    if proto != "-1":
        p["ToPort"] = to
    pairs = []
    for g in groups:
        extra = {}
        if isinstance(g, tuple):
            g, extra = g
        pair = {"GroupId": g["GroupId"], "UserId": g["OwnerId"]}
        pair.update(extra)
        pairs.append(pair)
    p["UserIdGroupPairs"] = pairs
    return p


ALL_OUT = perm("-1", cidrs=["0.0.0.0/0"])


# ---------------------------------------------------------------------------
# NACL entries: (rule number, protocol number string, action, cidr, ports|icmp)
#   ports: (from, to) for 6/17;  icmp: {"icmp": (type, code)}
# ---------------------------------------------------------------------------

def _ace(num, proto, action, egress, cidr, extra=None):
    e = {"CidrBlock": cidr, "Egress": egress}
    if isinstance(extra, tuple):
        e["PortRange"] = {"From": extra[0], "To": extra[1]}
    elif isinstance(extra, dict) and "icmp" in extra:
        e["IcmpTypeCode"] = {"Code": extra["icmp"][1], "Type": extra["icmp"][0]}
    e["Protocol"] = proto
    e["RuleAction"] = action
    e["RuleNumber"] = num
    return e


# ---------------------------------------------------------------------------
# Network Firewall rule helpers
# ---------------------------------------------------------------------------

def stateless_rule(prio, action, protos=None, src=None, dst=None, sports=None, dports=None):
    ma = {}
    if src:
        ma["Sources"] = [{"AddressDefinition": s} for s in src]
    if dst:
        ma["Destinations"] = [{"AddressDefinition": d} for d in dst]
    if sports:
        ma["SourcePorts"] = [{"FromPort": a, "ToPort": b} for a, b in sports]
    if dports:
        ma["DestinationPorts"] = [{"FromPort": a, "ToPort": b} for a, b in dports]
    if protos:
        ma["Protocols"] = protos
    return {"RuleDefinition": {"MatchAttributes": ma, "Actions": [action]}, "Priority": prio}


def five_tuple(action, proto, src, sport, dst, dport, sid, direction="FORWARD"):
    return {"Action": action,
            "Header": {"Protocol": proto, "Source": src, "SourcePort": sport, "Direction": direction,
                       "Destination": dst, "DestinationPort": dport},
            "RuleOptions": [{"Keyword": "sid", "Settings": [str(sid)]}]}


# ---------------------------------------------------------------------------
# YAML emitter (kubectl style)
# ---------------------------------------------------------------------------

_RESERVED = {"", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
             ".inf", "-.inf", "+.inf", ".nan"}
_SPECIAL_START = set("-?:,[]{}#&*!|>'\"%@`")
_NUMERIC = [re.compile(r) for r in (
    r"[-+]?[0-9][0-9_]*", r"[-+]?0[xX][0-9a-fA-F_]+", r"[-+]?0[oO][0-7_]+", r"[-+]?0[bB][01_]+",
    r"[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?",
    r"[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?", r"[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+",
)]


def _needs_quote(s):
    if s.lower() in _RESERVED or s != s.strip() or s[0] in _SPECIAL_START:
        return True
    if ": " in s or " #" in s or s.endswith(":") or "\t" in s or any(ord(ch) < 32 for ch in s):
        return True
    if any(r.fullmatch(s) for r in _NUMERIC) or re.match(r"^\d{4}-\d{1,2}-\d{1,2}", s):
        return True
    return False


def _ys(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return str(v)
    s = str(v)
    if any(ord(ch) < 32 for ch in s):
        return json.dumps(s)
    return "'" + s.replace("'", "''") + "'" if _needs_quote(s) else s


def _yempty(v):
    if isinstance(v, dict):
        return "{}"
    if isinstance(v, list):
        return "[]"
    return _ys(v)


def _ylines(v, indent):
    pad = " " * indent
    out = []
    if isinstance(v, dict):
        for k, val in v.items():
            if isinstance(val, dict) and val:
                out.append("%s%s:" % (pad, _ys(k)))
                out += _ylines(val, indent + 2)
            elif isinstance(val, list) and val:
                out.append("%s%s:" % (pad, _ys(k)))
                out += _ylines(val, indent)
            else:
                out.append("%s%s: %s" % (pad, _ys(k), _yempty(val)))
    elif isinstance(v, list):
        for item in v:
            if isinstance(item, (dict, list)) and item:
                sub = _ylines(item, indent + 2)
                sub[0] = pad + "- " + sub[0][indent + 2:]
                out += sub
            else:
                out.append("%s- %s" % (pad, _yempty(item)))
    else:
        out.append(pad + _ys(v))
    return out


def to_yaml(obj):
    return "\n".join(_ylines(obj, 0)) + "\n"


def k8s_list(items):
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}


# ---------------------------------------------------------------------------
# the scenario
# ---------------------------------------------------------------------------

class Scenario:
    def __init__(self, name, title, covers):
        self.name = name
        self.title = title
        self.covers = covers
        self.vpcs = []          # dicts with _acct
        self.subnets = []
        self.sgs = []
        self.nacls = []
        self.rtbs = []
        self.enis = []
        self.reservations = []
        self.igws = []
        self.nats = []
        self.pcxs = []
        self.tgws = []
        self.tgw_atts = []      # (attachment, vpc attachment)
        self.tgw_rtbs = []      # dict(rtb, assoc, props, static)
        self.firewalls = []
        self.policies = []
        self.rule_groups = []
        self.clusters = {}
        self.flows = []
        self._ips = {}          # subnet id -> set(ip)

    # -- ids ---------------------------------------------------------------
    def rid(self, prefix, key):
        return "%s-0%s" % (prefix, _h("%s/%s/%s" % (self.name, prefix, key), 16))

    # -- VPC, subnets -----------------------------------------------------
    def vpc(self, key, cidr, account=A1):
        vid = self.rid("vpc", key)
        v = {
            "CidrBlock": cidr,
            "DhcpOptionsId": self.rid("dopt", account),
            "State": "available",
            "VpcId": vid,
            "OwnerId": account,
            "InstanceTenancy": "default",
            "CidrBlockAssociationSet": [{"AssociationId": self.rid("vpc-cidr-assoc", key), "CidrBlock": cidr,
                                         "CidrBlockState": {"State": "associated"}}],
            "IsDefault": False,
            "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
            "Tags": tags({"Name": key}),
            "_acct": account, "_key": key,
        }
        self.vpcs.append(v)
        # main route table
        main = {
            "Associations": [{"Main": True, "RouteTableAssociationId": self.rid("rtbassoc", key + "/main"),
                              "RouteTableId": self.rid("rtb", key + "/main"),
                              "AssociationState": {"State": "associated"}}],
            "PropagatingVgws": [],
            "RouteTableId": self.rid("rtb", key + "/main"),
            "Routes": [self.r_local(cidr)],
            "Tags": tags({"Name": "%s-main" % key}),
            "VpcId": vid, "OwnerId": account, "_acct": account,
        }
        self.rtbs.append(main)
        v["_main_rtb"] = main
        # default NACL
        ents = [_ace(100, "-1", "allow", eg, "0.0.0.0/0") for eg in (True, False)]
        ents += [_ace(32767, "-1", "deny", eg, "0.0.0.0/0") for eg in (True, False)]
        ents.sort(key=lambda e: (not e["Egress"], e["RuleNumber"]))
        dacl = {"Associations": [], "Entries": ents, "IsDefault": True,
                "NetworkAclId": self.rid("acl", key + "/default"), "Tags": [], "VpcId": vid,
                "OwnerId": account, "_acct": account}
        self.nacls.append(dacl)
        v["_default_acl"] = dacl
        # default SG
        dsg = {"GroupId": self.rid("sg", key + "/default"), "IpPermissionsEgress": [ALL_OUT],
               "VpcId": vid, "SecurityGroupArn": "", "OwnerId": account, "GroupName": "default",
               "Description": "default VPC security group", "IpPermissions": [], "_acct": account}
        dsg["SecurityGroupArn"] = "arn:aws:ec2:%s:%s:security-group/%s" % (REGION, account, dsg["GroupId"])
        dsg["IpPermissions"] = [perm("-1", groups=[dsg])]
        self.sgs.append(dsg)
        v["_default_sg"] = dsg
        return v

    def subnet(self, vpc, key, cidr, az="a"):
        acct = vpc["_acct"]
        sid = self.rid("subnet", vpc["_key"] + "/" + key)
        azn = AZ[az]
        s = {
            "AvailabilityZone": azn,
            "AvailabilityZoneId": AZ_ID[azn],
            "AvailableIpAddressCount": ipaddress.ip_network(cidr).num_addresses - 5,
            "CidrBlock": cidr,
            "DefaultForAz": False,
            "MapPublicIpOnLaunch": False,
            "State": "available",
            "SubnetId": sid,
            "VpcId": vpc["VpcId"],
            "OwnerId": acct,
            "AssignIpv6AddressOnCreation": False,
            "Ipv6CidrBlockAssociationSet": [],
            "Tags": tags({"Name": "%s-%s" % (vpc["_key"], key)}),
            "SubnetArn": "arn:aws:ec2:%s:%s:subnet/%s" % (REGION, acct, sid),
            "EnableDns64": False,
            "Ipv6Native": False,
            "PrivateDnsNameOptionsOnLaunch": {"HostnameType": "ip-name", "EnableResourceNameDnsARecord": False,
                                              "EnableResourceNameDnsAAAARecord": False},
            "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
            "_acct": acct, "_vpc": vpc, "_key": key, "_az": azn,
        }
        self.subnets.append(s)
        vpc["_default_acl"]["Associations"].append({
            "NetworkAclAssociationId": self.rid("aclassoc", sid), "NetworkAclId": vpc["_default_acl"]["NetworkAclId"],
            "SubnetId": sid})
        return s

    def _take(self, subnet, ip):
        net = ipaddress.ip_network(subnet["CidrBlock"])
        a = ipaddress.ip_address(ip)
        assert a in net, (self.name, subnet["_key"], ip)
        hosts = list(net)
        assert a not in hosts[:4] and a != hosts[-1], (self.name, ip, "reserved address")
        used = self._ips.setdefault(subnet["SubnetId"], set())
        assert ip not in used, (self.name, ip, "used twice")
        used.add(ip)
        subnet["AvailableIpAddressCount"] -= 1

    # -- security groups --------------------------------------------------
    def sg(self, vpc, name, ingress=(), egress=None, desc=None):
        acct = vpc["_acct"]
        gid = self.rid("sg", vpc["_key"] + "/" + name)
        g = {"GroupId": gid,
             "IpPermissionsEgress": list(egress) if egress is not None else [ALL_OUT],
             "Tags": tags({"Name": name}),
             "VpcId": vpc["VpcId"],
             "SecurityGroupArn": "arn:aws:ec2:%s:%s:security-group/%s" % (REGION, acct, gid),
             "OwnerId": acct, "GroupName": name, "Description": desc or name,
             "IpPermissions": list(ingress), "_acct": acct}
        self.sgs.append(g)
        return g

    # -- ENIs and instances -----------------------------------------------
    def eni(self, subnet, ip, sgs=(), secondary=(), public_ip=None, eip=False, itype="interface", desc="",
            requester=None, requester_managed=False, source_dest_check=True, key=None, tagset=None,
            attachment=None):
        acct = subnet["_acct"]
        key = key or ("%s/%s" % (subnet["_key"], ip))
        eid = self.rid("eni", key)
        ips = [ip] + list(secondary)
        for x in ips:
            self._take(subnet, x)
        assoc = None
        if public_ip:
            if eip:
                assoc = public_assoc(public_ip, owner=acct, alloc_id=self.rid("eipalloc", key),
                                     assoc_id=self.rid("eipassoc", key))
            else:
                assoc = public_assoc(public_ip)
        privs = []
        for i, x in enumerate(ips):
            p = {}
            if assoc and i == 0:
                p["Association"] = assoc
            p["Primary"] = i == 0
            p["PrivateDnsName"] = dns_name(x)
            p["PrivateIpAddress"] = x
            privs.append(p)
        d = {}
        if assoc:
            d["Association"] = assoc
        if attachment:
            d["Attachment"] = attachment
        d.update({
            "AvailabilityZone": subnet["_az"],
            "AvailabilityZoneId": AZ_ID[subnet["_az"]],
            "Description": desc,
            "Groups": [{"GroupId": g["GroupId"], "GroupName": g["GroupName"]} for g in sgs],
            "InterfaceType": itype,
            "Ipv6Addresses": [],
            "MacAddress": mac(self.name + "/" + key),
            "NetworkInterfaceId": eid,
            "OwnerId": acct,
            "PrivateDnsName": dns_name(ip),
            "PrivateIpAddress": ip,
            "PrivateIpAddresses": privs,
        })
        if requester:
            d["RequesterId"] = requester
        d["RequesterManaged"] = requester_managed
        d["SourceDestCheck"] = source_dest_check
        d["Status"] = "in-use"
        d["SubnetId"] = subnet["SubnetId"]
        d["TagSet"] = tags(tagset or {})
        d["VpcId"] = subnet["VpcId"]
        d["Operator"] = {"Managed": False}
        d["_acct"] = acct
        self.enis.append(d)
        return d

    def _svc_attachment(self, key, owner):
        return {"AttachTime": T_EC2, "AttachmentId": self.rid("eni-attach", key), "DeleteOnTermination": False,
                "DeviceIndex": 1, "NetworkCardIndex": 0, "InstanceOwnerId": owner, "Status": "attached"}

    def instance(self, subnet, ip, sgs, name=None, public_ip=None, eip=False, secondary=(), extra_enis=(),
                 extra_tags=None, itype="t3.medium", source_dest_check=True):
        """Returns (instance id, primary ENI dict).  extra_enis: already-built ENI dicts (device 1..)."""
        acct = subnet["_acct"]
        key = name or ("%s/%s" % (subnet["_key"], ip))
        iid = self.rid("i", key)
        prim = self.eni(subnet, ip, sgs, secondary=secondary, public_ip=public_ip, eip=eip, key=key + "/eth0",
                        source_dest_check=source_dest_check)
        nis = []
        for dev, e in enumerate([prim] + list(extra_enis)):
            att_id = self.rid("eni-attach", "%s/%d" % (key, dev))
            att = {"AttachTime": T_EC2, "AttachmentId": att_id, "DeleteOnTermination": dev == 0,
                   "DeviceIndex": dev, "NetworkCardIndex": 0, "InstanceId": iid, "InstanceOwnerId": acct,
                   "Status": "attached"}
            items = [("Association", e["Association"])] if "Association" in e else []
            items.append(("Attachment", att))
            items += [(k, v) for k, v in e.items() if k not in ("Association", "Attachment")]
            e.clear()
            e.update(items)
            ni = {}
            if "Association" in e:
                ni["Association"] = e["Association"]
            ni.update({
                "Attachment": {k: v for k, v in att.items() if k not in ("InstanceId", "InstanceOwnerId")},
                "Description": e["Description"], "Groups": e["Groups"], "Ipv6Addresses": [],
                "MacAddress": e["MacAddress"], "NetworkInterfaceId": e["NetworkInterfaceId"], "OwnerId": acct,
                "PrivateDnsName": e["PrivateDnsName"], "PrivateIpAddress": e["PrivateIpAddress"],
                "PrivateIpAddresses": [dict(p) for p in e["PrivateIpAddresses"]],
                "SourceDestCheck": e["SourceDestCheck"], "Status": "in-use", "SubnetId": e["SubnetId"],
                "VpcId": e["VpcId"], "InterfaceType": e["InterfaceType"], "Operator": {"Managed": False},
            })
            nis.append(ni)
        inst = {
            "AmiLaunchIndex": 0,
            "ImageId": "ami-0" + _h("ami/al2023", 16),
            "InstanceId": iid,
            "InstanceType": itype,
            "LaunchTime": T_EC2,
            "Monitoring": {"State": "disabled"},
            "Placement": {"AvailabilityZoneId": AZ_ID[subnet["_az"]], "AvailabilityZone": subnet["_az"],
                          "GroupName": "", "Tenancy": "default"},
            "PrivateDnsName": dns_name(ip),
            "PrivateIpAddress": ip,
            "ProductCodes": [],
            "PublicDnsName": prim["Association"]["PublicDnsName"] if public_ip else "",
        }
        if public_ip:
            inst["PublicIpAddress"] = public_ip
        inst.update({
            "State": {"Code": 16, "Name": "running"},
            "StateTransitionReason": "",
            "SubnetId": subnet["SubnetId"],
            "VpcId": subnet["VpcId"],
            "Architecture": "x86_64",
            "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {
                "AttachTime": T_EC2, "DeleteOnTermination": True, "Status": "attached",
                "VolumeId": self.rid("vol", key)}}],
            "ClientToken": duuid(self.name + "/ct/" + key),
            "EbsOptimized": True,
            "EnaSupport": True,
            "Hypervisor": "xen",
            "NetworkInterfaces": nis,
            "RootDeviceName": "/dev/xvda",
            "RootDeviceType": "ebs",
            "SecurityGroups": [dict(g) for g in prim["Groups"]],
            "SourceDestCheck": source_dest_check,
            "Tags": tags(dict(extra_tags or {}, Name=name or ip)),
            "VirtualizationType": "hvm",
            "CpuOptions": {"CoreCount": 1, "ThreadsPerCore": 2},
            "MetadataOptions": {"State": "applied", "HttpTokens": "required", "HttpPutResponseHopLimit": 2,
                                "HttpEndpoint": "enabled", "HttpProtocolIpv6": "disabled",
                                "InstanceMetadataTags": "disabled"},
            "PlatformDetails": "Linux/UNIX",
            "UsageOperation": "RunInstances",
        })
        self.reservations.append({"ReservationId": self.rid("r", key), "OwnerId": acct, "Groups": [],
                                  "Instances": [inst], "_acct": acct})
        return iid, prim

    # -- route tables -----------------------------------------------------
    @staticmethod
    def r_local(cidr):
        return {"DestinationCidrBlock": cidr, "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"}

    @staticmethod
    def route(cidr, igw=None, nat=None, pcx=None, tgw=None, vpce=None, eni=None, state="active"):
        r = {"DestinationCidrBlock": cidr}
        if igw:
            r["GatewayId"] = igw
        if vpce:
            r["GatewayId"] = vpce
        if nat:
            r["NatGatewayId"] = nat
        if tgw:
            r["TransitGatewayId"] = tgw
        if pcx:
            r["VpcPeeringConnectionId"] = pcx
        if eni:
            r["NetworkInterfaceId"] = eni
        r["Origin"] = "CreateRoute"
        r["State"] = state
        return r

    def rtb(self, vpc, key, subnets=(), routes=(), gateway=None):
        """A custom route table (local route added first).  gateway: igw id for an edge association."""
        acct = vpc["_acct"]
        rid_ = self.rid("rtb", vpc["_key"] + "/" + key)
        assocs = [{"Main": False, "RouteTableAssociationId": self.rid("rtbassoc", s["SubnetId"]),
                   "RouteTableId": rid_, "SubnetId": s["SubnetId"],
                   "AssociationState": {"State": "associated"}} for s in subnets]
        if gateway:
            assocs.append({"Main": False, "RouteTableAssociationId": self.rid("rtbassoc", gateway),
                           "RouteTableId": rid_, "GatewayId": gateway,
                           "AssociationState": {"State": "associated"}})
        t = {"Associations": assocs, "PropagatingVgws": [], "RouteTableId": rid_,
             "Routes": [self.r_local(vpc["CidrBlock"])] + list(routes),
             "Tags": tags({"Name": "%s-%s" % (vpc["_key"], key)}),
             "VpcId": vpc["VpcId"], "OwnerId": acct, "_acct": acct}
        self.rtbs.append(t)
        return rid_

    def main_routes(self, vpc, routes):
        vpc["_main_rtb"]["Routes"] += list(routes)
        return vpc["_main_rtb"]["RouteTableId"]

    # -- NACLs ------------------------------------------------------------
    def nacl(self, vpc, key, subnets, ingress=(), egress=()):
        """ingress/egress: (num, proto, action, cidr[, ports|{"icmp": (t, c)}]).  Adds the 32767 denies."""
        acct = vpc["_acct"]
        aid = self.rid("acl", vpc["_key"] + "/" + key)
        ents = []
        for eg, rules in ((False, ingress), (True, egress)):
            for r in rules:
                ents.append(_ace(r[0], r[1], r[2], eg, r[3], r[4] if len(r) > 4 else None))
            ents.append(_ace(32767, "-1", "deny", eg, "0.0.0.0/0"))
        ents.sort(key=lambda e: (not e["Egress"], e["RuleNumber"]))
        sids = {s["SubnetId"] for s in subnets}
        d = vpc["_default_acl"]
        d["Associations"] = [a for a in d["Associations"] if a["SubnetId"] not in sids]
        self.nacls.append({
            "Associations": [{"NetworkAclAssociationId": self.rid("aclassoc", s["SubnetId"]), "NetworkAclId": aid,
                              "SubnetId": s["SubnetId"]} for s in subnets],
            "Entries": ents, "IsDefault": False, "NetworkAclId": aid, "Tags": tags({"Name": key}),
            "VpcId": vpc["VpcId"], "OwnerId": acct, "_acct": acct})
        return aid

    # -- gateways ---------------------------------------------------------
    def igw(self, vpc):
        gid = self.rid("igw", vpc["_key"])
        self.igws.append({"Attachments": [{"State": "available", "VpcId": vpc["VpcId"]}],
                          "InternetGatewayId": gid, "OwnerId": vpc["_acct"],
                          "Tags": tags({"Name": "igw-" + vpc["_key"]}), "_acct": vpc["_acct"]})
        return gid

    def nat(self, subnet, ip, public_ip=None, key=None):
        """Public NAT gateway when public_ip is given, private otherwise."""
        acct = subnet["_acct"]
        key = key or subnet["_key"]
        nid = self.rid("nat", key)
        e = self.eni(subnet, ip, (), public_ip=public_ip, eip=True, itype="nat_gateway",
                     desc="Interface for NAT Gateway %s" % nid, requester=NAT_REQUESTER, requester_managed=True,
                     source_dest_check=False, key="nat/" + key,
                     attachment=self._svc_attachment("nat/" + key, "amazon-aws"))
        addr = {}
        if public_ip:
            addr["AllocationId"] = e["Association"]["AllocationId"]
        addr["NetworkInterfaceId"] = e["NetworkInterfaceId"]
        addr["PrivateIp"] = ip
        if public_ip:
            addr["PublicIp"] = public_ip
            addr["AssociationId"] = e["Association"]["AssociationId"]
        addr["IsPrimary"] = True
        addr["Status"] = "succeeded"
        self.nats.append({
            "CreateTime": T_CREATE, "NatGatewayAddresses": [addr], "NatGatewayId": nid, "State": "available",
            "SubnetId": subnet["SubnetId"], "VpcId": subnet["VpcId"], "Tags": tags({"Name": "nat-" + key}),
            "ConnectivityType": "public" if public_ip else "private", "_acct": acct})
        return nid

    def peering(self, req, acc, key=None, status="active"):
        pid = self.rid("pcx", key or (req["_key"] + "-" + acc["_key"]))
        opts = {"AllowDnsResolutionFromRemoteVpc": False, "AllowEgressFromLocalClassicLinkToRemoteVpc": False,
                "AllowEgressFromLocalVpcToRemoteClassicLink": False}

        def info(v):
            return {"CidrBlock": v["CidrBlock"], "CidrBlockSet": [{"CidrBlock": v["CidrBlock"]}],
                    "OwnerId": v["_acct"], "PeeringOptions": dict(opts), "VpcId": v["VpcId"], "Region": REGION}
        self.pcxs.append({"AccepterVpcInfo": info(acc), "RequesterVpcInfo": info(req),
                          "Status": {"Code": status, "Message": status.replace("-", " ").capitalize()},
                          "Tags": tags({"Name": pid}), "VpcPeeringConnectionId": pid,
                          "_accts": sorted({req["_acct"], acc["_acct"]})})
        return pid

    # -- transit gateway --------------------------------------------------
    def tgw(self, key="tgw"):
        tid = self.rid("tgw", key)
        self.tgws.append({
            "TransitGatewayId": tid,
            "TransitGatewayArn": "arn:aws:ec2:%s:%s:transit-gateway/%s" % (REGION, A1, tid),
            "State": "available", "OwnerId": A1, "Description": key, "CreationTime": T_CREATE,
            "Options": {"AmazonSideAsn": 64512, "TransitGatewayCidrBlocks": [], "AutoAcceptSharedAttachments": "disable",
                        "DefaultRouteTableAssociation": "disable", "DefaultRouteTablePropagation": "disable",
                        "VpnEcmpSupport": "enable", "DnsSupport": "enable",
                        "SecurityGroupReferencingSupport": "disable", "MulticastSupport": "disable"},
            "Tags": tags({"Name": key})})
        return tid

    def tgw_attach(self, tgw, vpc, subnets, appliance=False, ips=None):
        """ips: one ENI address per subnet (defaults to the subnet's .4 address)."""
        aid = self.rid("tgw-attach", vpc["_key"])
        for i, s in enumerate(subnets):
            ip = ips[i] if ips else str(ipaddress.ip_network(s["CidrBlock"]).network_address + 4)
            k = "tgw/%s/%s" % (vpc["_key"], s["_key"])
            self.eni(s, ip, (), itype="transit_gateway",
                     desc="Network Interface for Transit Gateway Attachment %s" % aid, requester="amazon-aws",
                     requester_managed=True, source_dest_check=False, key=k,
                     attachment=self._svc_attachment(k, "amazon-aws"))
        att = {"TransitGatewayAttachmentId": aid, "TransitGatewayId": tgw, "TransitGatewayOwnerId": A1,
               "ResourceOwnerId": vpc["_acct"], "ResourceType": "vpc", "ResourceId": vpc["VpcId"],
               "State": "available", "Association": None, "CreationTime": T_CREATE,
               "Tags": tags({"Name": "att-" + vpc["_key"]})}
        vatt = {"TransitGatewayAttachmentId": aid, "TransitGatewayId": tgw, "VpcId": vpc["VpcId"],
                "VpcOwnerId": vpc["_acct"], "State": "available", "SubnetIds": [s["SubnetId"] for s in subnets],
                "CreationTime": T_CREATE,
                "Options": {"DnsSupport": "enable", "SecurityGroupReferencingSupport": "disable",
                            "Ipv6Support": "disable", "ApplianceModeSupport": "enable" if appliance else "disable"},
                "Tags": tags({"Name": "att-" + vpc["_key"]})}
        self.tgw_atts.append((att, vatt, vpc))
        return aid

    def tgw_rtb(self, tgw, key, associate=(), propagate=(), static=()):
        """associate/propagate: attachment ids.  static: (cidr, attachment id or None for blackhole)."""
        rid_ = self.rid("tgw-rtb", key)
        self.tgw_rtbs.append(dict(id=rid_, tgw=tgw, key=key, assoc=list(associate), props=list(propagate),
                                  static=list(static)))
        for att, _v, _vpc in self.tgw_atts:
            if att["TransitGatewayAttachmentId"] in associate:
                att["Association"] = {"TransitGatewayRouteTableId": rid_, "State": "associated"}
        return rid_

    def _att(self, aid):
        for att, vatt, vpc in self.tgw_atts:
            if att["TransitGatewayAttachmentId"] == aid:
                return att, vatt, vpc
        raise KeyError(aid)

    # -- Network Firewall -------------------------------------------------
    def _nfw_arn(self, kind, name):
        return "arn:aws:network-firewall:%s:%s:%s/%s" % (REGION, A1, kind, name)

    def rule_group_stateless(self, name, rules, capacity=100):
        arn = self._nfw_arn("stateless-rulegroup", name)
        self.rule_groups.append({
            "UpdateToken": duuid(self.name + "/tok/" + name),
            "RuleGroup": {"RulesSource": {"StatelessRulesAndCustomActions": {
                "StatelessRules": rules, "CustomActions": []}}},
            "RuleGroupResponse": self._rg_resp(name, arn, "STATELESS", capacity, len(rules))})
        return arn

    def rule_group_stateful(self, name, rules_string=None, stateful_rules=None, domain_list=None,
                            rule_order=None, variables=None, capacity=100):
        """domain_list: (targets, target types, generated rules type)."""
        arn = self._nfw_arn("stateful-rulegroup", name)
        rg = {}
        if variables:
            rg["RuleVariables"] = {"IPSets": {k: {"Definition": v} for k, v in variables.items()}}
        if rules_string is not None:
            rg["RulesSource"] = {"RulesString": rules_string}
            n = len([l for l in rules_string.splitlines() if l.strip()])
        elif stateful_rules is not None:
            rg["RulesSource"] = {"StatefulRules": stateful_rules}
            n = len(stateful_rules)
        else:
            t, tt, g = domain_list
            rg["RulesSource"] = {"RulesSourceList": {"Targets": list(t), "TargetTypes": list(tt),
                                                     "GeneratedRulesType": g}}
            n = len(t)
        if rule_order:
            rg["StatefulRuleOptions"] = {"RuleOrder": rule_order}
        self.rule_groups.append({
            "UpdateToken": duuid(self.name + "/tok/" + name), "RuleGroup": rg,
            "RuleGroupResponse": self._rg_resp(name, arn, "STATEFUL", capacity, n)})
        return arn

    def _rg_resp(self, name, arn, typ, cap, consumed):
        return {"RuleGroupArn": arn, "RuleGroupName": name, "RuleGroupId": duuid(self.name + "/rg/" + name),
                "Description": name, "Type": typ, "Capacity": cap, "RuleGroupStatus": "ACTIVE",
                "Tags": [], "ConsumedCapacity": consumed, "NumberOfAssociations": 1,
                "EncryptionConfiguration": {"Type": "AWS_OWNED_KMS_KEY"}, "LastModifiedTime": T_NFW,
                "AnalysisResults": []}

    def fw_policy(self, name, stateless=(), stateful=(), stateless_default=("aws:forward_to_sfe",),
                  fragment_default=("aws:forward_to_sfe",), stateful_default=None, rule_order=None, home_net=None):
        """stateless: (arn, priority); stateful: (arn, priority or None)."""
        arn = self._nfw_arn("firewall-policy", name)
        fp = {"StatelessRuleGroupReferences": [{"ResourceArn": a, "Priority": p} for a, p in stateless],
              "StatelessDefaultActions": list(stateless_default),
              "StatelessFragmentDefaultActions": list(fragment_default),
              "StatefulRuleGroupReferences": [dict({"ResourceArn": a}, **({"Priority": p} if p is not None else {}))
                                              for a, p in stateful]}
        if stateful_default:
            fp["StatefulDefaultActions"] = list(stateful_default)
        if rule_order:
            fp["StatefulEngineOptions"] = {"RuleOrder": rule_order, "StreamExceptionPolicy": "DROP"}
        if home_net:
            fp["PolicyVariables"] = {"RuleVariables": {"HOME_NET": {"Definition": list(home_net)}}}
        self.policies.append({
            "UpdateToken": duuid(self.name + "/tok/" + name),
            "FirewallPolicyResponse": {
                "FirewallPolicyName": name, "FirewallPolicyArn": arn,
                "FirewallPolicyId": duuid(self.name + "/fp/" + name), "Description": name,
                "FirewallPolicyStatus": "ACTIVE", "Tags": [], "ConsumedStatelessRuleCapacity": 0,
                "ConsumedStatefulRuleCapacity": 0, "NumberOfAssociations": 1,
                "EncryptionConfiguration": {"Type": "AWS_OWNED_KMS_KEY"}, "LastModifiedTime": T_NFW},
            "FirewallPolicy": fp, "_name": name})
        return arn

    def firewall(self, vpc, name, subnets, policy_arn, ips=None):
        """Returns {az: endpoint id}.  One endpoint (GWLB-endpoint ENI) per firewall subnet."""
        arn = self._nfw_arn("firewall", name)
        eps = {}
        sync = {}
        for i, s in enumerate(subnets):
            ep = self.rid("vpce", "%s/%s" % (name, s["_key"]))
            ip = ips[i] if ips else str(ipaddress.ip_network(s["CidrBlock"]).network_address + 4)
            self.eni(s, ip, (), itype="gateway_load_balancer_endpoint", desc="VPC Endpoint Interface %s" % ep,
                     requester=VPCE_REQUESTER, requester_managed=True, source_dest_check=False,
                     key="fw/%s/%s" % (name, s["_key"]))
            eps[s["_az"]] = ep
            sync[s["_az"]] = {"Attachment": {"SubnetId": s["SubnetId"], "EndpointId": ep, "Status": "READY"},
                              "Config": {policy_arn: {"SyncStatus": "IN_SYNC",
                                                      "UpdateToken": duuid(self.name + "/sync/" + name)}}}
        self.firewalls.append({
            "UpdateToken": duuid(self.name + "/tok/" + name),
            "Firewall": {"FirewallName": name, "FirewallArn": arn, "FirewallPolicyArn": policy_arn,
                         "VpcId": vpc["VpcId"],
                         "SubnetMappings": [{"SubnetId": s["SubnetId"], "IPAddressType": "IPV4"} for s in subnets],
                         "DeleteProtection": False, "SubnetChangeProtection": False,
                         "FirewallPolicyChangeProtection": False, "Description": name,
                         "FirewallId": duuid(self.name + "/fw/" + name), "Tags": tags({"Name": name}),
                         "EncryptionConfiguration": {"Type": "AWS_OWNED_KMS_KEY"}, "EnabledAnalysisTypes": []},
            "FirewallStatus": {"Status": "READY", "ConfigurationSyncStateSummary": "IN_SYNC",
                               "SyncStates": dict(sorted(sync.items()))},
            "_name": name})
        return eps

    # -- EKS ----------------------------------------------------------------
    def cluster(self, name, vpc, external_snat=False, sg_mode="strict", netpol=True):
        c = dict(name=name, vpc=vpc, external_snat=external_snat, sg_mode=sg_mode, netpol=netpol,
                 namespaces={}, nodes=[], pods=[], policies=[], sgps=[], services=[], vlan=0)
        self.clusters[name] = c
        self.namespace(c, "default")
        self.namespace(c, "kube-system")
        return c

    def namespace(self, c, name, labels=None):
        lab = {"kubernetes.io/metadata.name": name}
        lab.update(labels or {})
        c["namespaces"][name] = lab

    def node(self, c, subnet, ip, sgs, pod_ips=(), trunk=False):
        """An EKS managed-node-group instance; pod_ips become secondary IPs on its primary ENI."""
        iid, e = self.instance(subnet, ip, sgs, name="%s-node-%s" % (c["name"], ip), secondary=pod_ips,
                               extra_tags={"eks:cluster-name": c["name"],
                                           "kubernetes.io/cluster/%s" % c["name"]: "owned"}, itype="m5.large")
        n = dict(name=dns_name(ip), ip=ip, iid=iid, eni=e, subnet=subnet, sgs=sgs, trunk=None)
        if trunk:
            tip = str(ipaddress.ip_address(ip) + 1)
            n["trunk"] = self.eni(subnet, tip, sgs, itype="trunk", desc="aws-k8s-trunk-eni",
                                  requester=BRANCH_REQUESTER, key="trunk/" + ip,
                                  tagset={"eks:eni:owner": "eks-vpc-resource-controller",
                                          "vpcresources.k8s.aws/cluster-name": c["name"]})
        c["nodes"].append(n)
        return n

    def pod(self, c, ns, name, node, ip=None, labels=None, ports=(), host_network=False, branch_sgs=None):
        """ports: (name or None, containerPort, protocol).  branch_sgs: a branch ENI with these SGs
        (SecurityGroupPolicy); the node must have trunk=True."""
        annotations = {}
        if host_network:
            ip = node["ip"]
        elif branch_sgs is not None:
            assert node["trunk"], "branch pod on a node without trunk ENI"
            c["vlan"] += 1
            br = self.eni(node["subnet"], ip, branch_sgs, itype="branch", desc="aws-k8s-branch-eni",
                          requester=BRANCH_REQUESTER, key="branch/%s/%s" % (ns, name),
                          tagset={"eks:eni:owner": "eks-vpc-resource-controller",
                                  "vpcresources.k8s.aws/cluster-name": c["name"],
                                  "vpcresources.k8s.aws/trunk-eni-id": node["trunk"]["NetworkInterfaceId"],
                                  "vpcresources.k8s.aws/vlan-id": str(c["vlan"])})
            annotations["vpc.amazonaws.com/pod-eni"] = json.dumps([{
                "eniId": br["NetworkInterfaceId"], "ifAddress": br["MacAddress"], "privateIp": ip,
                "ipv6Addr": "", "vlanId": c["vlan"], "subnetCidr": node["subnet"]["CidrBlock"],
                "subnetV6Cidr": "", "associationID": ""}], separators=(",", ":"))
        else:
            secs = [p["PrivateIpAddress"] for p in node["eni"]["PrivateIpAddresses"][1:]]
            assert ip in secs, (self.name, name, ip, "not a secondary IP of the node ENI")
        labels = dict(labels or {"app": name})
        rs = "%s-%s" % (name, _h(self.name + "/rs/" + name, 10))
        pname = "%s-%s" % (rs, _h(self.name + "/pod/" + ns + name, 5))
        ctr = {"image": "public.ecr.aws/docker/library/%s:1.0" % "nginx", "imagePullPolicy": "IfNotPresent",
               "name": name}
        if ports:
            ctr["ports"] = [dict(([("name", pn)] if pn else []) + [("containerPort", pt), ("protocol", pr)])
                            for pn, pt, pr in ports]
        ctr["resources"] = {}
        meta = {}
        if annotations:
            meta["annotations"] = annotations
        meta.update({"creationTimestamp": T_K8S, "generateName": rs + "-", "labels": labels, "name": pname,
                     "namespace": ns,
                     "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                                          "kind": "ReplicaSet", "name": rs,
                                          "uid": duuid(self.name + "/owner/" + ns + rs)}],
                     "resourceVersion": str(100000 + int(_h(self.name + pname, 5), 16) % 800000),
                     "uid": duuid(self.name + "/poduid/" + ns + pname)})
        spec = {"containers": [ctr], "dnsPolicy": "ClusterFirstWithHostNet" if host_network else "ClusterFirst",
                "enableServiceLinks": True}
        if host_network:
            spec["hostNetwork"] = True
        spec.update({"nodeName": node["name"], "priority": 0, "restartPolicy": "Always",
                     "schedulerName": "default-scheduler", "securityContext": {}, "serviceAccount": "default",
                     "serviceAccountName": "default", "terminationGracePeriodSeconds": 30})
        status = {
            "conditions": [{"lastProbeTime": None, "lastTransitionTime": T_K8S, "status": "True", "type": t}
                           for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")],
            "hostIP": node["ip"], "hostIPs": [{"ip": node["ip"]}], "phase": "Running",
            "podIP": ip, "podIPs": [{"ip": ip}], "qosClass": "BestEffort", "startTime": T_K8S}
        c["pods"].append({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status})
        return "pod:%s/%s/%s" % (c["name"], ns, pname)

    def netpol(self, c, ns, name, spec):
        c["policies"].append({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                              "metadata": {"name": name, "namespace": ns}, "spec": spec})
        return "%s/%s" % (ns, name)

    def sgp(self, c, ns, name, pod_labels, sgs):
        c["sgps"].append({"apiVersion": "vpcresources.k8s.aws/v1beta1", "kind": "SecurityGroupPolicy",
                          "metadata": {"name": name, "namespace": ns},
                          "spec": {"podSelector": {"matchLabels": pod_labels},
                                   "securityGroups": {"groupIds": [g["GroupId"] for g in sgs]}}})

    # -- flows --------------------------------------------------------------
    def flow(self, frm, to, proto, dport=None, expect="allowed", note="", blocked_by=None, sport=None, sni=None,
             http_host=None, icmp=None):
        assert expect in ("allowed", "denied", "unknown")
        assert blocked_by is None or expect == "denied"
        assert note
        f = {"from": frm, "to": to, "proto": proto}
        if proto == "icmp":
            t, cde = icmp or (8, 0)
            f["icmp_type"] = t
            f["icmp_code"] = cde
        elif dport is not None:
            f["dport"] = dport
        if sport is not None:
            f["sport"] = sport
        if sni is not None:
            f["sni"] = sni
        if http_host is not None:
            f["http_host"] = http_host
        f["expect"] = expect
        if blocked_by:
            f["blocked_by"] = blocked_by
        f["note"] = note
        self.flows.append(f)

    # -- output -------------------------------------------------------------
    def write(self, root):
        d = os.path.join(root, self.name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        accts = sorted({v["_acct"] for v in self.vpcs})

        def wj(rel, obj):
            p = os.path.join(d, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(json.dumps(_strip(obj), indent=4) + "\n")

        def mine(lst, acct):
            return [x for x in lst if x["_acct"] == acct]

        for acct in accts:
            b = "aws/%s/%s/" % (acct, REGION)
            wj(b + "describe-vpcs.json", {"Vpcs": mine(self.vpcs, acct)})
            wj(b + "describe-subnets.json", {"Subnets": mine(self.subnets, acct)})
            wj(b + "describe-security-groups.json", {"SecurityGroups": mine(self.sgs, acct)})
            wj(b + "describe-network-acls.json", {"NetworkAcls": mine(self.nacls, acct)})
            wj(b + "describe-route-tables.json", {"RouteTables": mine(self.rtbs, acct)})
            wj(b + "describe-network-interfaces.json", {"NetworkInterfaces": mine(self.enis, acct)})
            wj(b + "describe-instances.json", {"Reservations": mine(self.reservations, acct)})
            wj(b + "describe-internet-gateways.json", {"InternetGateways": mine(self.igws, acct)})
            wj(b + "describe-nat-gateways.json", {"NatGateways": mine(self.nats, acct)})
            wj(b + "describe-vpc-endpoints.json", {"VpcEndpoints": []})
            wj(b + "describe-vpc-peering-connections.json",
               {"VpcPeeringConnections": [p for p in self.pcxs if acct in p["_accts"]]})
            if self.tgws:
                atts = [(a, v) for a, v, vpc in self.tgw_atts if acct == A1 or vpc["_acct"] == acct]
                wj(b + "describe-transit-gateways.json", {"TransitGateways": self.tgws})
                wj(b + "describe-transit-gateway-attachments.json",
                   {"TransitGatewayAttachments": [a for a, _ in atts]})
                wj(b + "describe-transit-gateway-vpc-attachments.json",
                   {"TransitGatewayVpcAttachments": [v for _, v in atts]})
            if self.tgws and acct == A1:
                wj(b + "describe-transit-gateway-route-tables.json", {"TransitGatewayRouteTables": [{
                    "TransitGatewayRouteTableId": t["id"], "TransitGatewayId": t["tgw"], "State": "available",
                    "DefaultAssociationRouteTable": False, "DefaultPropagationRouteTable": False,
                    "CreationTime": T_CREATE, "Tags": tags({"Name": t["key"]})} for t in self.tgw_rtbs]})
                for t in self.tgw_rtbs:
                    routes = []
                    for aid in t["props"]:
                        _a, _v, vpc = self._att(aid)
                        routes.append({"DestinationCidrBlock": vpc["CidrBlock"], "TransitGatewayAttachments": [
                            {"ResourceId": vpc["VpcId"], "TransitGatewayAttachmentId": aid, "ResourceType": "vpc"}],
                            "Type": "propagated", "State": "active"})
                    for cidr, aid in t["static"]:
                        if aid is None:
                            routes.append({"DestinationCidrBlock": cidr, "Type": "static", "State": "blackhole"})
                        else:
                            _a, _v, vpc = self._att(aid)
                            routes.append({"DestinationCidrBlock": cidr, "TransitGatewayAttachments": [
                                {"ResourceId": vpc["VpcId"], "TransitGatewayAttachmentId": aid,
                                 "ResourceType": "vpc"}], "Type": "static", "State": "active"})
                    routes.sort(key=lambda r: (ipaddress.ip_network(r["DestinationCidrBlock"]), r["Type"]))
                    wj(b + "search-transit-gateway-routes-%s.json" % t["id"],
                       {"TransitGatewayRouteTableId": t["id"], "Routes": routes, "AdditionalRoutesAvailable": False})

                    def ref(aid, state):
                        _a, _v, vpc = self._att(aid)
                        return {"TransitGatewayAttachmentId": aid, "ResourceId": vpc["VpcId"], "ResourceType": "vpc",
                                "State": state}
                    wj(b + "get-transit-gateway-route-table-associations-%s.json" % t["id"],
                       {"TransitGatewayRouteTableId": t["id"],
                        "Associations": [ref(a, "associated") for a in t["assoc"]]})
                    wj(b + "get-transit-gateway-route-table-propagations-%s.json" % t["id"],
                       {"TransitGatewayRouteTableId": t["id"],
                        "TransitGatewayRouteTablePropagations": [ref(a, "enabled") for a in t["props"]]})
            if acct == A1:
                for fw in self.firewalls:
                    wj(b + "describe-firewall-%s.json" % fw["_name"], fw)
                for p in self.policies:
                    wj(b + "describe-firewall-policy-%s.json" % p["_name"], p)
                for g in self.rule_groups:
                    wj(b + "describe-rule-group-%s.json" % g["RuleGroupResponse"]["RuleGroupName"], g)

        for cname, c in self.clusters.items():
            b = os.path.join(d, "k8s", cname)
            os.makedirs(b)
            nss = [{"apiVersion": "v1", "kind": "Namespace",
                    "metadata": {"creationTimestamp": "2026-03-02T12:00:00Z", "labels": lab, "name": ns,
                                 "uid": duuid(self.name + "/ns/" + ns)},
                    "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
                   for ns, lab in c["namespaces"].items()]
            with open(os.path.join(b, "namespaces.yaml"), "w") as f:
                f.write(to_yaml(k8s_list(nss)))
            nodes = []
            for n in c["nodes"]:
                az = n["subnet"]["_az"]
                nodes.append({"apiVersion": "v1", "kind": "Node", "metadata": {
                    "labels": {"kubernetes.io/hostname": n["name"], "kubernetes.io/os": "linux",
                               "topology.kubernetes.io/region": REGION, "topology.kubernetes.io/zone": az,
                               "vpc.amazonaws.com/has-trunk-attached": "true" if n["trunk"] else "false"},
                    "name": n["name"], "uid": duuid(self.name + "/node/" + n["name"])},
                    "spec": {"providerID": "aws:///%s/%s" % (az, n["iid"])},
                    "status": {"addresses": [{"address": n["ip"], "type": "InternalIP"},
                                             {"address": n["name"], "type": "InternalDNS"},
                                             {"address": n["name"], "type": "Hostname"}],
                               "conditions": [{"status": "True", "type": "Ready", "reason": "KubeletReady",
                                               "lastHeartbeatTime": T_K8S, "lastTransitionTime": T_K8S,
                                               "message": "kubelet is posting ready status"}]}})
            with open(os.path.join(b, "nodes.yaml"), "w") as f:
                f.write(to_yaml(k8s_list(nodes)))
            with open(os.path.join(b, "pods.json"), "w") as f:
                f.write(json.dumps(k8s_list(c["pods"]), indent=4) + "\n")
            if c["policies"]:
                with open(os.path.join(b, "networkpolicies.yaml"), "w") as f:
                    f.write("".join("---\n" + to_yaml(p) for p in c["policies"]))
            if c["sgps"]:
                with open(os.path.join(b, "securitygrouppolicies.yaml"), "w") as f:
                    f.write("".join("---\n" + to_yaml(p) for p in c["sgps"]))

        toml = ['name = "%s"' % self.name, ""]
        for cname, c in self.clusters.items():
            toml += ["[[cluster]]", 'name = "%s"' % cname, 'account = "%s"' % c["vpc"]["_acct"],
                     'region = "%s"' % REGION, 'vpc = "%s"' % c["vpc"]["VpcId"],
                     "external_snat = %s" % ("true" if c["external_snat"] else "false"),
                     'pod_security_group_enforcing_mode = "%s"' % c["sg_mode"],
                     "network_policy_enforcement = %s" % ("true" if c["netpol"] else "false"), ""]
        with open(os.path.join(d, "snapshot.toml"), "w") as f:
            f.write("\n".join(toml).rstrip("\n") + "\n")
        with open(os.path.join(d, "flows.jsonl"), "w") as f:
            for fl in self.flows:
                f.write(json.dumps(fl) + "\n")


def _strip(o):
    if isinstance(o, dict):
        return {k: _strip(v) for k, v in o.items() if not k.startswith("_") and v is not None}
    if isinstance(o, list):
        return [_strip(v) for v in o]
    return o
