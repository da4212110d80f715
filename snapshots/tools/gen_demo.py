#!/usr/bin/env python3
"""Generate the netprove "demo" snapshot.

Usage:  python3 snapshots/tools/gen_demo.py snapshots/demo

Deterministic: every id is derived from a stable name with sha256, every
"random" choice uses a seeded random.Random, timestamps are fixed.  The
output directory's aws/ and k8s/ trees and snapshot.toml are rewritten on
every run (README.md is left alone).

The estate is described in snapshots/demo/README.md, including the single
planted misconfiguration (prod-east tenant-b NetworkPolicy
allow-egress-internal).
"""

import hashlib
import ipaddress
import json
import os
import random
import re
import shutil
import sys
import uuid

REGION = "us-east-1"
A1 = "111111111111"  # workloads / network account (TGW + firewall owner)
A2 = "222222222222"  # shared-services account
AZ_ID = {"us-east-1a": "use1-az1", "us-east-1b": "use1-az2"}
AZ = {"a": "us-east-1a", "b": "us-east-1b"}

T_VPC = "2026-03-02T10:11:12+00:00"
T_EC2 = "2026-10-20T08:14:03+00:00"
T_NFW = "2026-10-28T14:22:31.412000+00:00"
T_K8S = "2026-10-20T08:15:42Z"

S3_PL = "pl-63a5400a"
VPCE_SVC_REQUESTER = "727180483921"
BRANCH_REQUESTER = "014851456324"
NAT_REQUESTER = "036872051663"
ASG_REQUESTER = "940372691376"


# --------------------------------------------------------------------------
# ids
# --------------------------------------------------------------------------

def hx(key, n=17):
    return hashlib.sha256(key.encode()).hexdigest()[:n]


def rid(prefix, key):
    """AWS-style id: prefix + 17 hex chars ("0" + 16), derived from a stable key."""
    return "%s-0%s" % (prefix, hx(prefix + "/" + key, 16))


def duuid(key):
    return str(uuid.UUID(hex=hashlib.sha256(("uuid/" + key).encode()).hexdigest()[:32], version=4))


def mac(key):
    h = hashlib.sha256(("mac/" + key).encode()).hexdigest()
    return "02:" + ":".join(h[i:i + 2] for i in range(0, 10, 2))


def dns_name(ip):
    return "ip-%s.ec2.internal" % ip.replace(".", "-")


def tags(d):
    return [{"Key": k, "Value": v} for k, v in sorted(d.items())]


# --------------------------------------------------------------------------
# estate definition
# --------------------------------------------------------------------------

# vpc name -> (account, cidr, [(subnet name, cidr, az letter)])
VPCS = {
    "prod-east": (A1, "10.10.0.0/16", [
        ("private-a", "10.10.0.0/19", "a"), ("private-b", "10.10.32.0/19", "b"),
        ("public-a", "10.10.128.0/24", "a"), ("public-b", "10.10.129.0/24", "b"),
        ("tgw-a", "10.10.255.0/28", "a"), ("tgw-b", "10.10.255.16/28", "b")]),
    "prod-west": (A1, "10.20.0.0/16", [
        ("private-a", "10.20.0.0/19", "a"), ("private-b", "10.20.32.0/19", "b"),
        ("tgw-a", "10.20.255.0/28", "a"), ("tgw-b", "10.20.255.16/28", "b")]),
    "data": (A1, "10.30.0.0/16", [
        ("db-a", "10.30.1.0/24", "a"), ("db-b", "10.30.2.0/24", "b"),
        ("tgw-a", "10.30.255.0/28", "a"), ("tgw-b", "10.30.255.16/28", "b")]),
    "inspection": (A1, "10.100.0.0/16", [
        ("tgw-a", "10.100.0.0/28", "a"), ("tgw-b", "10.100.0.16/28", "b"),
        ("fw-a", "10.100.1.0/28", "a"), ("fw-b", "10.100.1.16/28", "b")]),
    "egress": (A1, "10.200.0.0/16", [
        ("public-a", "10.200.0.0/24", "a"), ("public-b", "10.200.1.0/24", "b"),
        ("tgw-a", "10.200.255.0/28", "a"), ("tgw-b", "10.200.255.16/28", "b")]),
    "shared-services": (A2, "10.50.0.0/16", [
        ("app-a", "10.50.0.0/20", "a"), ("app-b", "10.50.16.0/20", "b"),
        ("tgw-a", "10.50.255.0/28", "a"), ("tgw-b", "10.50.255.16/28", "b")]),
}
VPC_ORDER = ["prod-east", "prod-west", "data", "inspection", "egress", "shared-services"]
IPV6_LEFTOVER_VPC = "egress"  # default SG ::/0 egress + default NACL IPv6 entries

VPC_ID = {v: rid("vpc", v) for v in VPCS}
SUBNET_ID = {}
SUBNET = {}  # "vpc/sub" -> dict(vpc, name, cidr, az, acct)
for _v, (_acct, _cidr, _subs) in VPCS.items():
    for _s, _c, _az in _subs:
        SUBNET_ID["%s/%s" % (_v, _s)] = rid("subnet", "%s/%s" % (_v, _s))
        SUBNET["%s/%s" % (_v, _s)] = dict(vpc=_v, name=_s, cidr=_c, az=AZ[_az], acct=_acct)

TGW_ID = rid("tgw", "core")
TGW_ATT = {v: rid("tgw-attach", v) for v in VPC_ORDER if v != "shared-services"}
TGW_ATT["shared-services"] = rid("tgw-attach", "shared-services")
TGW_RTB = {n: rid("tgw-rtb", n) for n in ("pre-inspection", "post-inspection")}
PCX_ID = rid("pcx", "data-shared-services")
IGW = {"prod-east": rid("igw", "prod-east"), "egress": rid("igw", "egress")}
NAT = {"a": rid("nat", "egress-a"), "b": rid("nat", "egress-b")}
FW_EP = {"us-east-1a": rid("vpce", "inspection-fw-a"), "us-east-1b": rid("vpce", "inspection-fw-b")}
VPCE_S3 = rid("vpce", "prod-east-s3")
VPCE_ECR = rid("vpce", "prod-east-ecr-api")
CORP_PL = rid("pl", "corp-admin-cidrs")

SG = {}  # key -> (group id, group name, vpc, acct)


def defsg(key, name, vpc):
    SG[key] = (rid("sg", key), name, vpc, VPCS[vpc][0])


for _v in VPC_ORDER:
    defsg("%s/default" % _v, "default", _v)
defsg("prod-east/cluster", "eks-cluster-sg-prod-east-1408376492", "prod-east")
defsg("prod-east/node", "eks-node-prod-east", "prod-east")
defsg("prod-east/alb", "k8s-tenanta-web-3f1c9a2b7d", "prod-east")
defsg("prod-east/payments-pods", "payments-pods", "prod-east")
defsg("prod-east/vpce", "vpce-ecr-api-prod-east", "prod-east")
defsg("prod-west/cluster", "eks-cluster-sg-prod-west-2290431875", "prod-west")
defsg("prod-west/node", "eks-node-prod-west", "prod-west")
defsg("data/orders-db", "orders-db", "data")
defsg("shared-services/monitoring", "monitoring", "shared-services")
defsg("shared-services/backup-agents", "backup-agents", "shared-services")
defsg("shared-services/bastion", "bastion", "shared-services")


def sgid(key):
    return SG[key][0]


# --------------------------------------------------------------------------
# IP bookkeeping
# --------------------------------------------------------------------------

USED = {}  # subnet key -> set(ip)


def take(subnet_key, ip):
    net = ipaddress.ip_network(SUBNET[subnet_key]["cidr"])
    addr = ipaddress.ip_address(ip)
    assert addr in net, (subnet_key, ip)
    hosts = list(net)
    assert addr not in hosts[:4] and addr != hosts[-1], (subnet_key, ip)
    s = USED.setdefault(subnet_key, set())
    assert ip not in s, (subnet_key, ip)
    s.add(ip)
    return ip


def alloc(subnet_key, rng):
    net = ipaddress.ip_network(SUBNET[subnet_key]["cidr"])
    lo = int(net.network_address) + 4
    hi = int(net.broadcast_address) - 1
    s = USED.setdefault(subnet_key, set())
    while True:
        ip = str(ipaddress.ip_address(rng.randint(lo, hi)))
        if ip not in s:
            s.add(ip)
            return ip


# --------------------------------------------------------------------------
# ENIs / instances
# --------------------------------------------------------------------------

ENIS = []        # describe-network-interfaces items (with "_acct")
INSTANCES = []   # (acct, reservation dict)


def eni(key, subnet_key, ips, groups, itype="interface", desc="", requester=None,
        requester_managed=False, attachment=None, public=None, tagset=None,
        source_dest_check=True):
    sub = SUBNET[subnet_key]
    acct = sub["acct"]
    eni_id = rid("eni", key)
    privs = []
    for i, ip in enumerate(ips):
        p = {}
        if public and i == 0:
            p["Association"] = public
        p["Primary"] = i == 0
        p["PrivateDnsName"] = dns_name(ip)
        p["PrivateIpAddress"] = ip
        privs.append(p)
    d = {}
    if public:
        d["Association"] = public
    if attachment:
        d["Attachment"] = attachment
    d["AvailabilityZone"] = sub["az"]
    d["AvailabilityZoneId"] = AZ_ID[sub["az"]]
    d["Description"] = desc
    d["Groups"] = [{"GroupId": sgid(g), "GroupName": SG[g][1]} for g in groups]
    d["InterfaceType"] = itype
    d["Ipv6Addresses"] = []
    d["MacAddress"] = mac(key)
    d["NetworkInterfaceId"] = eni_id
    d["OwnerId"] = acct
    d["PrivateDnsName"] = dns_name(ips[0])
    d["PrivateIpAddress"] = ips[0]
    d["PrivateIpAddresses"] = privs
    if requester:
        d["RequesterId"] = requester
    d["RequesterManaged"] = requester_managed
    d["SourceDestCheck"] = source_dest_check
    d["Status"] = "in-use"
    d["SubnetId"] = SUBNET_ID[subnet_key]
    d["TagSet"] = tags(tagset or {})
    d["VpcId"] = VPC_ID[sub["vpc"]]
    d["Operator"] = {"Managed": False}
    d["_acct"] = acct
    ENIS.append(d)
    return d


def service_attachment(key, owner, device_index=1):
    return {
        "AttachTime": T_EC2,
        "AttachmentId": rid("eni-attach", key),
        "DeleteOnTermination": False,
        "DeviceIndex": device_index,
        "NetworkCardIndex": 0,
        "InstanceOwnerId": owner,
        "Status": "attached",
    }


def public_assoc(ip, owner="amazon", alloc_id=None, assoc_id=None):
    a = {}
    if alloc_id:
        a["AllocationId"] = alloc_id
        a["AssociationId"] = assoc_id
    a["IpOwnerId"] = owner
    a["PublicDnsName"] = "ec2-%s.compute-1.amazonaws.com" % ip.replace(".", "-")
    a["PublicIp"] = ip
    return a


def instance(key, subnet_key, enis_spec, itype, name, extra_tags, image, profile=None,
             requester=None):
    """enis_spec: list of (eni dict, device_index)."""
    sub = SUBNET[subnet_key]
    acct = sub["acct"]
    iid = rid("i", key)
    nis = []
    for e, dev in enis_spec:
        att = {
            "AttachTime": T_EC2,
            "AttachmentId": rid("eni-attach", key + "/%d" % dev),
            "DeleteOnTermination": True,
            "DeviceIndex": dev,
            "Status": "attached",
            "NetworkCardIndex": 0,
        }
        e["Attachment"] = {
            "AttachTime": T_EC2,
            "AttachmentId": att["AttachmentId"],
            "DeleteOnTermination": True,
            "DeviceIndex": dev,
            "NetworkCardIndex": 0,
            "InstanceId": iid,
            "InstanceOwnerId": acct,
            "Status": "attached",
        }
        # keep key order of describe-network-interfaces: Attachment before AvailabilityZone
        order = ["Association", "Attachment"]
        items = [(k, e[k]) for k in order if k in e] + [(k, v) for k, v in e.items() if k not in order]
        e.clear()
        e.update(items)
        nis.append({
            "Attachment": att,
            "Description": e["Description"],
            "Groups": e["Groups"],
            "Ipv6Addresses": [],
            "MacAddress": e["MacAddress"],
            "NetworkInterfaceId": e["NetworkInterfaceId"],
            "OwnerId": acct,
            "PrivateDnsName": e["PrivateDnsName"],
            "PrivateIpAddress": e["PrivateIpAddress"],
            "PrivateIpAddresses": [{k: v for k, v in p.items()} for p in e["PrivateIpAddresses"]],
            "SourceDestCheck": e["SourceDestCheck"],
            "Status": "in-use",
            "SubnetId": e["SubnetId"],
            "VpcId": e["VpcId"],
            "InterfaceType": e["InterfaceType"],
            "Operator": {"Managed": False},
        })
    primary = enis_spec[0][0]
    inst = {
        "AmiLaunchIndex": 0,
        "ImageId": image,
        "InstanceId": iid,
        "InstanceType": itype,
        "LaunchTime": T_EC2,
        "Monitoring": {"State": "disabled"},
        "Placement": {
            "AvailabilityZoneId": AZ_ID[sub["az"]],
            "AvailabilityZone": sub["az"],
            "GroupName": "",
            "Tenancy": "default",
        },
        "PrivateDnsName": primary["PrivateDnsName"],
        "PrivateIpAddress": primary["PrivateIpAddress"],
        "ProductCodes": [],
        "PublicDnsName": "",
        "State": {"Code": 16, "Name": "running"},
        "StateTransitionReason": "",
        "SubnetId": SUBNET_ID[subnet_key],
        "VpcId": VPC_ID[sub["vpc"]],
        "Architecture": "x86_64",
        "BlockDeviceMappings": [{
            "DeviceName": "/dev/xvda",
            "Ebs": {
                "AttachTime": T_EC2,
                "DeleteOnTermination": True,
                "Status": "attached",
                "VolumeId": rid("vol", key),
            },
        }],
        "ClientToken": duuid("client-token/" + key),
        "EbsOptimized": True,
        "EnaSupport": True,
        "Hypervisor": "xen",
    }
    if profile:
        inst["IamInstanceProfile"] = {
            "Arn": "arn:aws:iam::%s:instance-profile/%s" % (acct, profile),
            "Id": "AIPA" + hx("profile/" + profile, 17).upper(),
        }
    inst.update({
        "NetworkInterfaces": nis,
        "RootDeviceName": "/dev/xvda",
        "RootDeviceType": "ebs",
        "SecurityGroups": [{"GroupId": g["GroupId"], "GroupName": g["GroupName"]} for g in primary["Groups"]],
        "SourceDestCheck": True,
        "Tags": tags(dict(extra_tags, Name=name)),
        "VirtualizationType": "hvm",
        "CpuOptions": {"CoreCount": 2, "ThreadsPerCore": 2},
        "CapacityReservationSpecification": {"CapacityReservationPreference": "open"},
        "HibernationOptions": {"Configured": False},
        "MetadataOptions": {
            "State": "applied",
            "HttpTokens": "required",
            "HttpPutResponseHopLimit": 2,
            "HttpEndpoint": "enabled",
            "HttpProtocolIpv6": "disabled",
            "InstanceMetadataTags": "disabled",
        },
        "EnclaveOptions": {"Enabled": False},
        "BootMode": "uefi-preferred",
        "PlatformDetails": "Linux/UNIX",
        "UsageOperation": "RunInstances",
        "UsageOperationUpdateTime": T_EC2,
        "PrivateDnsNameOptions": {
            "HostnameType": "ip-name",
            "EnableResourceNameDnsARecord": False,
            "EnableResourceNameDnsAAAARecord": False,
        },
        "MaintenanceOptions": {"AutoRecovery": "default"},
        "CurrentInstanceBootMode": "legacy-bios",
    })
    res = {"ReservationId": rid("r", key), "OwnerId": acct}
    if requester:
        res["RequesterId"] = requester
    res["Groups"] = []
    res["Instances"] = [inst]
    INSTANCES.append((acct, res))
    return iid


# --------------------------------------------------------------------------
# EKS clusters: nodes, pods
# --------------------------------------------------------------------------

CLUSTERS = {
    "prod-east": dict(
        vpc="prod-east", nodegroup="prod-east-general", k8s_version="1.31",
        external_snat=False, sg_mode="strict",
        nodes=[("10.10.5.21", "private-a", True), ("10.10.18.203", "private-a", False),
               ("10.10.37.140", "private-b", False), ("10.10.50.67", "private-b", False)],
        namespaces=[("default", None), ("kube-node-lease", None), ("kube-public", None),
                    ("kube-system", None), ("tenant-a", "a"), ("tenant-b", "b")],
    ),
    "prod-west": dict(
        vpc="prod-west", nodegroup="prod-west-general", k8s_version="1.31",
        external_snat=True, sg_mode="standard",
        nodes=[("10.20.7.44", "private-a", False), ("10.20.40.91", "private-b", False),
               ("10.20.22.130", "private-a", False)],
        namespaces=[("default", None), ("kube-node-lease", None), ("kube-public", None),
                    ("kube-system", None), ("tenant-a", "a"), ("tenant-c", "c")],
    ),
}

HTTP = [("http", 8080, "TCP")]
# (namespace, app, replicas -> node indexes, tier, ports, image)
APPS = {
    "prod-east": [
        ("tenant-a", "web", [1, 2, 3], "frontend", HTTP, "web"),
        ("tenant-a", "checkout", [1, 2], "backend", HTTP, "checkout"),
        ("tenant-a", "payments", [0, 0], "backend", [("https", 8443, "TCP")], "payments"),
        ("tenant-a", "catalog", [2, 3], "backend", HTTP, "catalog"),
        ("tenant-b", "web", [0, 3], "frontend", HTTP, "web"),
        ("tenant-b", "api", [1, 2, 3], "backend", HTTP, "api"),
        ("tenant-b", "worker", [0, 1], "worker", [(None, 9000, "TCP")], "worker"),
        ("kube-system", "coredns", [0, 2], None, None, None),
        ("kube-system", "aws-load-balancer-controller", [3], None, None, None),
    ],
    "prod-west": [
        ("tenant-a", "reporting", [0, 1], "backend", [(None, 8080, "TCP")], "reporting"),
        ("tenant-a", "analytics", [1, 2], "backend", HTTP, "analytics"),
        ("tenant-c", "web", [0, 2], "frontend", HTTP, "web"),
        ("tenant-c", "api", [0, 1], "backend", HTTP, "api"),
        ("kube-system", "coredns", [1, 2], None, None, None),
    ],
}

NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def kname(rng, n):
    return "".join(rng.choice(NAME_ALPHABET) for _ in range(n))


NODE_INFO = {}  # cluster -> list of dict(name, ip, instance_id, az, subnet, eni, secondaries, trunk)
PODS = {}       # cluster -> list of pod dicts
SERVICES = {}
BRANCH = {}     # (cluster, pod name) -> branch eni dict


def build_nodes():
    for cname, c in CLUSTERS.items():
        vpc = c["vpc"]
        acct = VPCS[vpc][0]
        infos = []
        for idx, (ip, subname, trunk) in enumerate(c["nodes"]):
            skey = "%s/%s" % (vpc, subname)
            take(skey, ip)
            rng = random.Random("secondaries/%s/%d" % (cname, idx))
            secondaries = [alloc(skey, rng) for _ in range(10)]
            key = "%s-node-%d" % (cname, idx)
            groups = ["%s/node" % vpc, "%s/cluster" % vpc]
            prim = eni(key + "/eth0", skey, [ip] + secondaries, groups)
            specs = [(prim, 0)]
            trunk_eni = None
            if trunk:
                tip = alloc(skey, random.Random("trunk/%s" % cname))
                trunk_eni = eni(key + "/trunk", skey, [tip], groups, itype="trunk",
                                desc="aws-k8s-trunk-eni", requester=BRANCH_REQUESTER,
                                tagset={"eks:eni:owner": "eks-vpc-resource-controller",
                                        "vpcresources.k8s.aws/cluster-name": cname})
                specs.append((trunk_eni, 1))
            iid = instance(
                key, skey, specs, "m5.xlarge", "%s-general-node" % cname,
                {
                    "eks:cluster-name": cname,
                    "eks:nodegroup-name": c["nodegroup"],
                    "kubernetes.io/cluster/%s" % cname: "owned",
                    "k8s.io/cluster-autoscaler/enabled": "true",
                    "k8s.io/cluster-autoscaler/%s" % cname: "owned",
                    "aws:autoscaling:groupName": "eks-%s-%s" % (c["nodegroup"], duuid("asg/" + cname)),
                    "aws:ec2launchtemplate:id": "lt-" + hx("lt/" + cname),
                    "aws:ec2launchtemplate:version": "3",
                    "aws:eks:cluster-name": cname,
                },
                image="ami-0" + hx("ami/eks-1.31", 16),
                profile="eks-%s-node" % cname,
                requester=ASG_REQUESTER,
            )
            infos.append(dict(name=dns_name(ip), ip=ip, instance_id=iid, az=SUBNET[skey]["az"],
                              subnet=skey, eni=prim, secondaries=list(secondaries), trunk=trunk_eni,
                              acct=acct))
        NODE_INFO[cname] = infos


def container(name, image, ports, resources=None, extra=None):
    c = {"image": image, "imagePullPolicy": "IfNotPresent", "name": name}
    if extra:
        c.update(extra)
    if ports:
        pl = []
        for pname, port, proto in ports:
            p = {"containerPort": port}
            if pname:
                p["name"] = pname
            p["protocol"] = proto
            pl.append(p)
        c["ports"] = pl
    c["resources"] = resources or {}
    c["terminationMessagePath"] = "/dev/termination-log"
    c["terminationMessagePolicy"] = "File"
    return c


def pod_obj(cname, ns, name, labels, owner_kind, owner_name, node, ip, containers,
            host_network=False, annotations=None, sa="default", priority_class=None,
            tolerations=None):
    meta = {}
    if annotations:
        meta["annotations"] = annotations
    meta["creationTimestamp"] = T_K8S
    meta["generateName"] = name[:name.rfind("-") + 1]
    meta["labels"] = labels
    meta["name"] = name
    meta["namespace"] = ns
    meta["ownerReferences"] = [{
        "apiVersion": "apps/v1",
        "blockOwnerDeletion": True,
        "controller": True,
        "kind": owner_kind,
        "name": owner_name,
        "uid": duuid("owner/%s/%s/%s" % (cname, ns, owner_name)),
    }]
    meta["resourceVersion"] = str(100000 + int(hx("rv/%s/%s/%s" % (cname, ns, name), 6), 16) % 900000)
    meta["uid"] = duuid("pod/%s/%s/%s" % (cname, ns, name))
    spec = {"containers": containers, "dnsPolicy": "ClusterFirstWithHostNet" if host_network else "ClusterFirst",
            "enableServiceLinks": True}
    if host_network:
        spec["hostNetwork"] = True
    spec["nodeName"] = node["name"]
    spec["preemptionPolicy"] = "PreemptLowerPriority"
    if priority_class:
        spec["priority"] = 2000001000 if priority_class == "system-node-critical" else 2000000000
        spec["priorityClassName"] = priority_class
    else:
        spec["priority"] = 0
    spec["restartPolicy"] = "Always"
    spec["schedulerName"] = "default-scheduler"
    spec["securityContext"] = {}
    spec["serviceAccount"] = sa
    spec["serviceAccountName"] = sa
    spec["terminationGracePeriodSeconds"] = 30
    spec["tolerations"] = tolerations or [
        {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists",
         "tolerationSeconds": 300},
        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists",
         "tolerationSeconds": 300},
    ]
    cstat = []
    for c in containers:
        cstat.append({
            "containerID": "containerd://" + hashlib.sha256(("cid/%s/%s/%s" % (cname, name, c["name"])).encode()).hexdigest(),
            "image": c["image"],
            "imageID": c["image"].split(":")[0] + "@sha256:" + hashlib.sha256(("img/" + c["image"]).encode()).hexdigest(),
            "lastState": {},
            "name": c["name"],
            "ready": True,
            "restartCount": 0,
            "started": True,
            "state": {"running": {"startedAt": T_K8S}},
        })
    status = {
        "conditions": [
            {"lastProbeTime": None, "lastTransitionTime": T_K8S, "status": "True", "type": t}
            for t in ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")
        ],
        "containerStatuses": cstat,
        "hostIP": node["ip"],
        "hostIPs": [{"ip": node["ip"]}],
        "phase": "Running",
        "podIP": ip,
        "podIPs": [{"ip": ip}],
        "qosClass": "Burstable" if any(c["resources"] for c in containers) else "BestEffort",
        "startTime": T_K8S,
    }
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


ECR = "111111111111.dkr.ecr.us-east-1.amazonaws.com"
AWS_ECR = "602401143452.dkr.ecr.us-east-1.amazonaws.com"


def build_pods():
    for cname, c in CLUSTERS.items():
        nodes = NODE_INFO[cname]
        pods = []
        free = {i: list(n["secondaries"]) for i, n in enumerate(nodes)}
        for ns, app, placement, tier, ports, image in APPS[cname]:
            rng = random.Random("pods/%s/%s/%s" % (cname, ns, app))
            rs_hash = kname(rng, 10)
            rs_name = "%s-%s" % (app, rs_hash)
            for node_idx in placement:
                pname = "%s-%s" % (rs_name, kname(rng, 5))
                node = nodes[node_idx]
                annotations = None
                resources = {"requests": {"cpu": "250m", "memory": "256Mi"},
                             "limits": {"memory": "512Mi"}}
                sa = app
                prio = None
                tol = None
                if app == "coredns":
                    labels = {"eks.amazonaws.com/component": "coredns", "k8s-app": "kube-dns",
                              "pod-template-hash": rs_hash}
                    ctrs = [container("coredns", AWS_ECR + "/eks/coredns:v1.11.4-eksbuild.2",
                                      [("dns", 53, "UDP"), ("dns-tcp", 53, "TCP"), ("metrics", 9153, "TCP")],
                                      {"limits": {"memory": "170Mi"},
                                       "requests": {"cpu": "100m", "memory": "70Mi"}},
                                      {"args": ["-conf", "/etc/coredns/Corefile"]})]
                    sa = "coredns"
                    prio = "system-cluster-critical"
                    tol = [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"},
                           {"key": "CriticalAddonsOnly", "operator": "Exists"},
                           {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
                            "operator": "Exists", "tolerationSeconds": 300},
                           {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable",
                            "operator": "Exists", "tolerationSeconds": 300}]
                elif app == "aws-load-balancer-controller":
                    labels = {"app.kubernetes.io/instance": "aws-load-balancer-controller",
                              "app.kubernetes.io/name": "aws-load-balancer-controller",
                              "pod-template-hash": rs_hash}
                    ctrs = [container("aws-load-balancer-controller",
                                      "public.ecr.aws/eks/aws-load-balancer-controller:v2.11.0",
                                      [("webhook-server", 9443, "TCP"), ("metrics-server", 8080, "TCP")],
                                      {"limits": {"cpu": "200m", "memory": "500Mi"},
                                       "requests": {"cpu": "100m", "memory": "200Mi"}},
                                      {"args": ["--cluster-name=%s" % cname, "--ingress-class=alb"]})]
                    prio = "system-cluster-critical"
                else:
                    labels = {"app": app, "pod-template-hash": rs_hash, "tier": tier}
                    ctrs = [container(app, "%s/%s/%s:1.%d.%d" % (ECR, ns, image, 4 + len(app) % 5, len(ns) % 7),
                                      ports, resources)]
                if app == "payments":
                    br_ip = alloc(node["subnet"], random.Random("branch/%s/%s" % (cname, pname)))
                    br = eni("%s/branch/%s" % (cname, pname), node["subnet"], [br_ip],
                             ["%s/payments-pods" % c["vpc"]], itype="branch",
                             desc="aws-k8s-branch-eni", requester=BRANCH_REQUESTER,
                             tagset={"eks:eni:owner": "eks-vpc-resource-controller",
                                     "vpcresources.k8s.aws/cluster-name": cname,
                                     "vpcresources.k8s.aws/trunk-eni-id": node["trunk"]["NetworkInterfaceId"],
                                     "vpcresources.k8s.aws/vlan-id": str(len(BRANCH) + 1)})
                    BRANCH[(cname, pname)] = br
                    ip = br_ip
                    annotations = {"vpc.amazonaws.com/pod-eni": json.dumps([{
                        "eniId": br["NetworkInterfaceId"], "ifAddress": br["MacAddress"],
                        "privateIp": br_ip, "ipv6Addr": "", "vlanId": len(BRANCH),
                        "subnetCidr": SUBNET[node["subnet"]]["cidr"], "subnetV6Cidr": "",
                        "associationID": ""}], separators=(",", ":"))}
                    ctrs[0]["resources"] = {"limits": {"memory": "512Mi", "vpc.amazonaws.com/pod-eni": "1"},
                                            "requests": {"cpu": "250m", "memory": "256Mi",
                                                         "vpc.amazonaws.com/pod-eni": "1"}}
                else:
                    ip = free[node_idx].pop(0)
                pods.append(pod_obj(cname, ns, pname, labels, "ReplicaSet", rs_name, node, ip, ctrs,
                                    annotations=annotations, sa=sa, priority_class=prio, tolerations=tol))
        # DaemonSets (hostNetwork)
        for ds in ("aws-node", "kube-proxy"):
            rng = random.Random("ds/%s/%s" % (cname, ds))
            rev = hx("rev/%s/%s" % (cname, ds), 10)
            for node in nodes:
                pname = "%s-%s" % (ds, kname(rng, 5))
                if ds == "aws-node":
                    labels = {"app.kubernetes.io/instance": "aws-vpc-cni", "app.kubernetes.io/name": "aws-node",
                              "controller-revision-hash": rev, "k8s-app": "aws-node",
                              "pod-template-generation": "2"}
                    ctrs = [
                        container("aws-node", AWS_ECR + "/amazon-k8s-cni:v1.19.2-eksbuild.1",
                                  [("metrics", 61678, "TCP")],
                                  {"requests": {"cpu": "25m"}},
                                  {"env": [
                                      {"name": "AWS_VPC_K8S_CNI_EXTERNALSNAT",
                                       "value": "true" if CLUSTERS[cname]["external_snat"] else "false"},
                                      {"name": "ENABLE_POD_ENI",
                                       "value": "true" if cname == "prod-east" else "false"},
                                      {"name": "POD_SECURITY_GROUP_ENFORCING_MODE",
                                       "value": CLUSTERS[cname]["sg_mode"]},
                                      {"name": "WARM_ENI_TARGET", "value": "1"},
                                  ]}),
                        container("aws-eks-nodeagent", AWS_ECR + "/amazon/aws-network-policy-agent:v1.1.6-eksbuild.1",
                                  None, {"requests": {"cpu": "25m"}},
                                  {"args": ["--enable-ipv6=false", "--enable-network-policy=true",
                                            "--enable-cloudwatch-logs=false", "--enable-policy-event-logs=false",
                                            "--metrics-bind-addr=:8162", "--health-probe-bind-addr=:8163"]}),
                    ]
                    sa = "aws-node"
                else:
                    labels = {"controller-revision-hash": rev, "k8s-app": "kube-proxy",
                              "pod-template-generation": "1"}
                    ctrs = [container("kube-proxy", AWS_ECR + "/eks/kube-proxy:v1.31.3-minimal-eksbuild.2",
                                      None, {"requests": {"cpu": "100m"}},
                                      {"command": ["kube-proxy", "--v=2", "--config=/var/lib/kube-proxy-config/config",
                                                   "--hostname-override=$(NODE_NAME)"]})]
                    sa = "kube-proxy"
                pods.append(pod_obj(cname, "kube-system", pname, labels, "DaemonSet", ds, node, node["ip"], ctrs,
                                    host_network=True, sa=sa, priority_class="system-node-critical",
                                    tolerations=[{"operator": "Exists"}]))
        pods.sort(key=lambda p: (p["metadata"]["namespace"], p["metadata"]["name"]))
        PODS[cname] = pods


# --------------------------------------------------------------------------
# infrastructure ENIs (ALB, endpoints, RDS, NAT, TGW, firewall) and instances
# --------------------------------------------------------------------------

ALB_IPS = {}
NAT_INFO = {}
RDS_ENI = {}
ECR_ENIS = []
FW_ENIS = {}
TGW_ENIS = {}
A2_INSTANCES = {}


def build_infra():
    # ALB in prod-east public subnets
    for az, pub_ip in (("a", "192.0.2.44"), ("b", "192.0.2.91")):
        skey = "prod-east/public-%s" % az
        ip = alloc(skey, random.Random("alb/" + az))
        key = "prod-east/alb/%s" % az
        e = eni(key, skey, [ip], ["prod-east/alb"],
                desc="ELB app/k8s-tenanta-web-3f1c9a2b7d/50dc6c495c0c9188",
                requester="amazon-elb", requester_managed=True,
                attachment=service_attachment(key, "amazon-elb"),
                public=public_assoc(pub_ip))
        ALB_IPS[az] = (ip, pub_ip, e["NetworkInterfaceId"])
    # ECR api interface endpoint
    for az in "ab":
        skey = "prod-east/private-%s" % az
        ip = alloc(skey, random.Random("ecr/" + az))
        e = eni("prod-east/vpce-ecr/%s" % az, skey, [ip], ["prod-east/vpce"], itype="vpc_endpoint",
                desc="VPC Endpoint Interface %s" % VPCE_ECR, requester=VPCE_SVC_REQUESTER,
                requester_managed=True)
        ECR_ENIS.append(e)
    # RDS
    for key, skey, ip in (("orders-db", "data/db-a", "10.30.1.10"),
                          ("orders-db-replica", "data/db-b", "10.30.2.10")):
        take(skey, ip)
        e = eni("data/rds/" + key, skey, [ip], ["data/orders-db"], desc="RDSNetworkInterface",
                requester="amazon-rds", requester_managed=True,
                attachment=service_attachment("data/rds/" + key, "amazon-rds"))
        RDS_ENI[key] = e
    # NAT gateways in egress VPC
    for az, pub_ip in (("a", "192.0.2.130"), ("b", "192.0.2.171")):
        skey = "egress/public-%s" % az
        ip = alloc(skey, random.Random("nat/" + az))
        alloc_id = rid("eipalloc", "egress-nat-" + az)
        assoc_id = rid("eipassoc", "egress-nat-" + az)
        key = "egress/nat/%s" % az
        e = eni(key, skey, [ip], [], itype="nat_gateway",
                desc="Interface for NAT Gateway %s" % NAT[az], requester=NAT_REQUESTER,
                requester_managed=True, attachment=service_attachment(key, "amazon-aws"),
                public=public_assoc(ip=pub_ip, owner=A1, alloc_id=alloc_id, assoc_id=assoc_id),
                source_dest_check=False)
        NAT_INFO[az] = dict(ip=ip, pub=pub_ip, eni=e["NetworkInterfaceId"], alloc=alloc_id, assoc=assoc_id,
                            subnet=skey)
    # Network Firewall endpoints (GWLB endpoints)
    for az in "ab":
        skey = "inspection/fw-%s" % az
        ip = alloc(skey, random.Random("fw/" + az))
        e = eni("inspection/fw/%s" % az, skey, [ip], [], itype="gateway_load_balancer_endpoint",
                desc="VPC Endpoint Interface %s" % FW_EP[AZ[az]], requester=VPCE_SVC_REQUESTER,
                requester_managed=True, source_dest_check=False)
        FW_ENIS[az] = e
    # TGW attachment ENIs
    for v in VPC_ORDER:
        for az in "ab":
            skey = "%s/tgw-%s" % (v, az)
            ip = alloc(skey, random.Random("tgweni/%s/%s" % (v, az)))
            key = "%s/tgw/%s" % (v, az)
            e = eni(key, skey, [ip], [], itype="transit_gateway",
                    desc="Network Interface for Transit Gateway Attachment %s" % TGW_ATT[v],
                    requester="amazon-aws", requester_managed=True,
                    attachment=service_attachment(key, "amazon-aws"), source_dest_check=False)
            TGW_ENIS[(v, az)] = e
    # shared-services instances (account 2)
    for name, skey, ip, sg, itype in (
            ("prometheus", "shared-services/app-a", "10.50.0.20", "shared-services/monitoring", "m5.large"),
            ("backup-agent", "shared-services/app-b", "10.50.16.30", "shared-services/backup-agents", "t3.medium"),
            ("bastion", "shared-services/app-a", "10.50.0.5", "shared-services/bastion", "t3.micro")):
        take(skey, ip)
        key = "shared-services/" + name
        e = eni(key + "/eth0", skey, [ip], [sg])
        iid = instance(key, skey, [(e, 0)], itype, name, {"team": "platform"},
                       image="ami-0" + hx("ami/al2023", 16), profile="%s-instance" % name)
        A2_INSTANCES[name] = (iid, ip, e["NetworkInterfaceId"])


# --------------------------------------------------------------------------
# security groups
# --------------------------------------------------------------------------

def perm(proto, frm=None, to=None, cidrs=(), cidrs6=(), pls=(), groups=()):
    p = {}
    if proto != "-1":
        p["FromPort"] = frm
    p["IpProtocol"] = proto
    ranges = []
    for c in cidrs:
        cidr, desc = (c, None) if isinstance(c, str) else c
        r = {"CidrIp": cidr}
        if desc:
            r["Description"] = desc
        ranges.append(r)
    p["IpRanges"] = ranges
    r6 = []
    for c in cidrs6:
        r6.append({"CidrIpv6": c})
    p["Ipv6Ranges"] = r6
    p["PrefixListIds"] = list(pls)
    if proto != "-1":
        p["ToPort"] = to
    ug = []
    for g in groups:
        if isinstance(g, dict):
            ug.append(g)
            continue
        key, desc = (g, None) if isinstance(g, str) else g
        pair = {}
        if desc:
            pair["Description"] = desc
        pair["GroupId"] = sgid(key)
        pair["UserId"] = SG[key][3]
        ug.append(pair)
    p["UserIdGroupPairs"] = ug
    return p


EGRESS_ALL = perm("-1", cidrs=["0.0.0.0/0"])


def security_groups():
    out = {}

    def add(key, desc, ingress, egress, extra_tags=None):
        gid, name, vpc, acct = SG[key]
        t = dict(extra_tags or {})
        if name != "default":
            t.setdefault("Name", name)
        out[key] = {
            "GroupId": gid,
            "IpPermissionsEgress": egress,
            "Tags": tags(t) if t else [],
            "VpcId": VPC_ID[vpc],
            "SecurityGroupArn": "arn:aws:ec2:%s:%s:security-group/%s" % (REGION, acct, gid),
            "OwnerId": acct,
            "GroupName": name,
            "Description": desc,
            "IpPermissions": ingress,
        }
        if not t:
            del out[key]["Tags"]

    for v in VPC_ORDER:
        key = "%s/default" % v
        eg = perm("-1", cidrs=["0.0.0.0/0"], cidrs6=["::/0"] if v == IPV6_LEFTOVER_VPC else [])
        add(key, "default VPC security group", [perm("-1", groups=[key])], [eg])

    # prod-east
    add("prod-east/cluster",
        "EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, "
        "as well as any managed workloads.",
        [perm("-1", groups=["prod-east/cluster"])], [EGRESS_ALL],
        {"aws:eks:cluster-name": "prod-east", "kubernetes.io/cluster/prod-east": "owned",
         "Name": "eks-cluster-sg-prod-east-1408376492"})
    add("prod-east/node", "EKS node shared security group",
        [
            perm("-1", groups=[("prod-east/node", "Allow nodes to communicate with each other"),
                               ("prod-east/cluster", "Allow all traffic from the cluster security group")]),
            perm("tcp", 8080, 8080, groups=[("prod-east/alb", "elbv2.k8s.aws/targetGroupBinding=shared")]),
            perm("tcp", 1025, 65535, groups=[("prod-east/cluster", "Cluster API to node kubelets and webhooks")]),
            perm("udp", 53, 53, groups=[("prod-east/payments-pods", "CoreDNS from pods with security groups")]),
            perm("tcp", 53, 53, groups=[("prod-east/payments-pods", "CoreDNS from pods with security groups")]),
        ],
        [EGRESS_ALL],
        {"kubernetes.io/cluster/prod-east": "owned"})
    add("prod-east/alb", "[k8s] Managed SecurityGroup for LoadBalancer",
        [perm("tcp", 443, 443, cidrs=[("0.0.0.0/0", "HTTPS from the internet")])],
        [perm("tcp", 8080, 8080, cidrs=[("10.10.0.0/16", "pod targets (target-type ip)")],
              groups=[("prod-east/node", "node targets")])],
        {"elbv2.k8s.aws/cluster": "prod-east", "ingress.k8s.aws/resource": "ManagedLBSecurityGroup",
         "ingress.k8s.aws/stack": "tenant-a/web"})
    add("prod-east/payments-pods", "tenant-a payments pods (SecurityGroupPolicy payments-sgp)",
        [perm("tcp", 8443, 8443, cidrs=[("10.10.0.0/16", "prod-east VPC")],
              groups=[("prod-east/cluster", "EKS cluster SG"), ("prod-east/node", "EKS nodes (kubelet, checkout)")])],
        [EGRESS_ALL],
        {"tenant": "a"})
    add("prod-east/vpce", "ECR API interface endpoint",
        [perm("tcp", 443, 443, cidrs=[("10.10.0.0/16", "prod-east VPC")])],
        [EGRESS_ALL])
    # prod-west
    add("prod-west/cluster",
        "EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, "
        "as well as any managed workloads.",
        [perm("-1", groups=["prod-west/cluster"])], [EGRESS_ALL],
        {"aws:eks:cluster-name": "prod-west", "kubernetes.io/cluster/prod-west": "owned",
         "Name": "eks-cluster-sg-prod-west-2290431875"})
    add("prod-west/node", "EKS node shared security group",
        [
            perm("-1", groups=[("prod-west/node", "Allow nodes to communicate with each other"),
                               ("prod-west/cluster", "Allow all traffic from the cluster security group")]),
            perm("tcp", 1025, 65535, groups=[("prod-west/cluster", "Cluster API to node kubelets and webhooks")]),
            perm("tcp", 8080, 8080, cidrs=[("10.10.0.0/16", "prod-east tenant-a checkout -> reporting")]),
        ],
        [EGRESS_ALL],
        {"kubernetes.io/cluster/prod-west": "owned"})
    # data
    add("data/orders-db", "orders PostgreSQL (RDS)",
        [perm("tcp", 5432, 5432, cidrs=[("10.10.0.0/16", "prod-east EKS (checkout)")],
              groups=[{"Description": "backup agents (shared-services, via peering)",
                       "GroupId": sgid("shared-services/backup-agents"),
                       "UserId": A2,
                       "VpcId": VPC_ID["shared-services"],
                       "VpcPeeringConnectionId": PCX_ID,
                       "PeeringStatus": "active"}])],
        [EGRESS_ALL],
        {"app": "orders", "data-classification": "confidential"})
    # shared-services (account 2)
    add("shared-services/monitoring", "Prometheus scrapers",
        [perm("tcp", 9090, 9090, cidrs=[("10.50.0.0/16", "Grafana / operators")])],
        [perm("tcp", 9090, 9090, cidrs=[("10.0.0.0/8", "scrape targets")]),
         perm("tcp", 9100, 9100, cidrs=[("10.0.0.0/8", "node-exporter targets")])])
    add("shared-services/backup-agents", "pg_dump backup agents",
        [],
        [perm("tcp", 5432, 5432, cidrs=[("10.30.0.0/16", "data VPC databases")])])
    add("shared-services/bastion", "SSH bastion (reached over corporate VPN)",
        [perm("tcp", 22, 22, pls=[{"Description": "corp admin ranges", "PrefixListId": CORP_PL}])],
        [perm("tcp", 22, 22, cidrs=[("10.0.0.0/8", "SSH to internal hosts")])])
    return out


# --------------------------------------------------------------------------
# NACLs
# --------------------------------------------------------------------------

def ace(num, proto, action, egress, cidr, ports=None):
    e = {}
    if ":" in cidr:
        e["Egress"] = egress
        e["Ipv6CidrBlock"] = cidr
    else:
        e["CidrBlock"] = cidr
        e["Egress"] = egress
    if ports:
        e["PortRange"] = {"From": ports[0], "To": ports[1]}
    e["Protocol"] = proto
    e["RuleAction"] = action
    e["RuleNumber"] = num
    return e


def nacl_entries(rules):
    """rules: list of (egress, num, proto, action, cidr, ports). Sorted egress-first as AWS prints."""
    es = [ace(n, p, a, eg, c, pr) for eg, n, p, a, c, pr in rules]
    es.sort(key=lambda e: (not e["Egress"], e["RuleNumber"]))
    return es


def nacls():
    out = {}  # acct -> list
    custom = {
        "prod-east": ("public", ["public-a", "public-b"], [
            (False, 100, "6", "allow", "0.0.0.0/0", (443, 443)),
            (False, 110, "6", "allow", "0.0.0.0/0", (1024, 65535)),
            (False, 120, "-1", "allow", "10.10.0.0/16", None),
            (True, 100, "6", "allow", "10.10.0.0/16", (8080, 8080)),
            (True, 110, "6", "allow", "0.0.0.0/0", (1024, 65535)),
            (True, 120, "-1", "allow", "10.10.0.0/16", None),
        ]),
        "data": ("db", ["db-a", "db-b"], [
            (False, 100, "6", "allow", "10.0.0.0/8", (5432, 5432)),
            (False, 110, "6", "allow", "10.0.0.0/8", (1024, 65535)),
            (True, 100, "6", "allow", "10.0.0.0/8", (1024, 65535)),
        ]),
    }
    for v in VPC_ORDER:
        acct, _cidr, subs = VPCS[v]
        lst = out.setdefault(acct, [])
        custom_subs = custom.get(v, (None, [], []))[1]
        # default
        did = rid("acl", v + "/default")
        rules = [(eg, 100, "-1", "allow", "0.0.0.0/0", None) for eg in (True, False)]
        rules += [(eg, 32767, "-1", "deny", "0.0.0.0/0", None) for eg in (True, False)]
        if v == IPV6_LEFTOVER_VPC:
            rules += [(eg, 101, "-1", "allow", "::/0", None) for eg in (True, False)]
            rules += [(eg, 32768, "-1", "deny", "::/0", None) for eg in (True, False)]
        lst.append({
            "Associations": [{"NetworkAclAssociationId": rid("aclassoc", "%s/%s" % (v, s)),
                              "NetworkAclId": did, "SubnetId": SUBNET_ID["%s/%s" % (v, s)]}
                             for s, _c, _a in subs if s not in custom_subs],
            "Entries": nacl_entries(rules),
            "IsDefault": True,
            "NetworkAclId": did,
            "Tags": [],
            "VpcId": VPC_ID[v],
            "OwnerId": acct,
        })
        if v in custom:
            name, csubs, crules = custom[v]
            cid = rid("acl", "%s/%s" % (v, name))
            crules = crules + [(eg, 32767, "-1", "deny", "0.0.0.0/0", None) for eg in (True, False)]
            lst.append({
                "Associations": [{"NetworkAclAssociationId": rid("aclassoc", "%s/%s" % (v, s)),
                                  "NetworkAclId": cid, "SubnetId": SUBNET_ID["%s/%s" % (v, s)]}
                                 for s in csubs],
                "Entries": nacl_entries(crules),
                "IsDefault": False,
                "NetworkAclId": cid,
                "Tags": tags({"Name": "%s-%s" % (v, name)}),
                "VpcId": VPC_ID[v],
                "OwnerId": acct,
            })
    return out


# --------------------------------------------------------------------------
# route tables
# --------------------------------------------------------------------------

def r_local(cidr):
    return {"DestinationCidrBlock": cidr, "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"}


def r_tgw(cidr):
    return {"DestinationCidrBlock": cidr, "TransitGatewayId": TGW_ID, "Origin": "CreateRoute", "State": "active"}


def r_gw(cidr, gw):
    return {"DestinationCidrBlock": cidr, "GatewayId": gw, "Origin": "CreateRoute", "State": "active"}


def r_nat(cidr, nat):
    return {"DestinationCidrBlock": cidr, "NatGatewayId": nat, "Origin": "CreateRoute", "State": "active"}


def r_pcx(cidr):
    return {"DestinationCidrBlock": cidr, "Origin": "CreateRoute", "State": "active",
            "VpcPeeringConnectionId": PCX_ID}


def r_pl(pl, gw):
    return {"DestinationPrefixListId": pl, "GatewayId": gw, "Origin": "CreateRoute", "State": "active"}


PRIVATE_RTB_PROD_EAST = rid("rtb", "prod-east/private")


def route_tables():
    spec = {
        "prod-east": [
            ("private", ["private-a", "private-b"], [r_tgw("0.0.0.0/0"), r_pl(S3_PL, VPCE_S3)]),
            ("public", ["public-a", "public-b"], [r_gw("0.0.0.0/0", IGW["prod-east"]), r_tgw("10.0.0.0/8")]),
            ("tgw", ["tgw-a", "tgw-b"], [r_tgw("0.0.0.0/0")]),
        ],
        "prod-west": [
            ("private", ["private-a", "private-b", "tgw-a", "tgw-b"], [r_tgw("0.0.0.0/0")]),
        ],
        "data": [
            ("private", ["db-a", "db-b", "tgw-a", "tgw-b"], [r_tgw("0.0.0.0/0"), r_pcx("10.50.0.0/16")]),
        ],
        "inspection": [
            ("tgw-a", ["tgw-a"], [r_gw("0.0.0.0/0", FW_EP["us-east-1a"])]),
            ("tgw-b", ["tgw-b"], [r_gw("0.0.0.0/0", FW_EP["us-east-1b"])]),
            ("firewall", ["fw-a", "fw-b"], [r_tgw("0.0.0.0/0")]),
        ],
        "egress": [
            ("public", ["public-a", "public-b"], [r_gw("0.0.0.0/0", IGW["egress"]), r_tgw("10.0.0.0/8")]),
            ("tgw-a", ["tgw-a"], [r_nat("0.0.0.0/0", NAT["a"])]),
            ("tgw-b", ["tgw-b"], [r_nat("0.0.0.0/0", NAT["b"])]),
        ],
        "shared-services": [
            ("private", ["app-a", "app-b", "tgw-a", "tgw-b"], [r_tgw("0.0.0.0/0"), r_pcx("10.30.0.0/16")]),
        ],
    }
    out = {}
    for v in VPC_ORDER:
        acct, cidr, _subs = VPCS[v]
        lst = out.setdefault(acct, [])
        main_id = rid("rtb", v + "/main")
        lst.append({
            "Associations": [{"Main": True, "RouteTableAssociationId": rid("rtbassoc", v + "/main"),
                              "RouteTableId": main_id, "AssociationState": {"State": "associated"}}],
            "PropagatingVgws": [],
            "RouteTableId": main_id,
            "Routes": [r_local(cidr)],
            "Tags": tags({"Name": "%s-main" % v}),
            "VpcId": VPC_ID[v],
            "OwnerId": acct,
        })
        for name, subs, routes in spec[v]:
            rtb = rid("rtb", "%s/%s" % (v, name))
            lst.append({
                "Associations": [{"Main": False,
                                  "RouteTableAssociationId": rid("rtbassoc", "%s/%s" % (v, s)),
                                  "RouteTableId": rtb, "SubnetId": SUBNET_ID["%s/%s" % (v, s)],
                                  "AssociationState": {"State": "associated"}} for s in subs],
                "PropagatingVgws": [],
                "RouteTableId": rtb,
                "Routes": [r_local(cidr)] + routes,
                "Tags": tags({"Name": "%s-%s" % (v, name)}),
                "VpcId": VPC_ID[v],
                "OwnerId": acct,
            })
    return out


# --------------------------------------------------------------------------
# VPCs, subnets, gateways, endpoints, prefix lists, peering
# --------------------------------------------------------------------------

def vpcs():
    out = {}
    for v in VPC_ORDER:
        acct, cidr, _ = VPCS[v]
        out.setdefault(acct, []).append({
            "OwnerId": acct,
            "InstanceTenancy": "default",
            "CidrBlockAssociationSet": [{"AssociationId": rid("vpc-cidr-assoc", v), "CidrBlock": cidr,
                                         "CidrBlockState": {"State": "associated"}}],
            "IsDefault": False,
            "Tags": tags({"Name": v}),
            "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
            "VpcId": VPC_ID[v],
            "State": "available",
            "CidrBlock": cidr,
            "DhcpOptionsId": rid("dopt", VPCS[v][0]),
        })
    return out


def subnets():
    out = {}
    for v in VPC_ORDER:
        acct, _cidr, subs = VPCS[v]
        for s, cidr, _az in subs:
            key = "%s/%s" % (v, s)
            sub = SUBNET[key]
            size = ipaddress.ip_network(cidr).num_addresses
            t = {"Name": "%s-%s" % (v, s)}
            if v in CLUSTERS:
                t["kubernetes.io/cluster/%s" % v] = "shared"
                if s.startswith("private"):
                    t["kubernetes.io/role/internal-elb"] = "1"
            if v == "prod-east" and s.startswith("public"):
                t["kubernetes.io/role/elb"] = "1"
            out.setdefault(acct, []).append({
                "AvailabilityZoneId": AZ_ID[sub["az"]],
                "MapCustomerOwnedIpOnLaunch": False,
                "OwnerId": acct,
                "AssignIpv6AddressOnCreation": False,
                "Ipv6CidrBlockAssociationSet": [],
                "Tags": tags(t),
                "SubnetArn": "arn:aws:ec2:%s:%s:subnet/%s" % (REGION, acct, SUBNET_ID[key]),
                "EnableDns64": False,
                "Ipv6Native": False,
                "PrivateDnsNameOptionsOnLaunch": {"HostnameType": "ip-name",
                                                  "EnableResourceNameDnsARecord": False,
                                                  "EnableResourceNameDnsAAAARecord": False},
                "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
                "SubnetId": SUBNET_ID[key],
                "State": "available",
                "VpcId": VPC_ID[v],
                "CidrBlock": cidr,
                "AvailableIpAddressCount": size - 5 - len(USED.get(key, ())),
                "AvailabilityZone": sub["az"],
                "DefaultForAz": False,
                "MapPublicIpOnLaunch": False,
            })
    return out


def internet_gateways():
    return [{"Attachments": [{"State": "available", "VpcId": VPC_ID[v]}], "InternetGatewayId": IGW[v],
             "OwnerId": A1, "Tags": tags({"Name": "igw-%s" % v})} for v in ("prod-east", "egress")]


def nat_gateways():
    out = []
    for az in "ab":
        n = NAT_INFO[az]
        out.append({
            "CreateTime": "2026-03-02T10:30:00+00:00",
            "NatGatewayAddresses": [{
                "AllocationId": n["alloc"],
                "NetworkInterfaceId": n["eni"],
                "PrivateIp": n["ip"],
                "PublicIp": n["pub"],
                "AssociationId": n["assoc"],
                "IsPrimary": True,
                "Status": "succeeded",
            }],
            "NatGatewayId": NAT[az],
            "State": "available",
            "SubnetId": SUBNET_ID[n["subnet"]],
            "VpcId": VPC_ID["egress"],
            "Tags": tags({"Name": "egress-nat-%s" % az}),
            "ConnectivityType": "public",
            "AvailabilityMode": "zonal",
        })
    return out


S3_POLICY = json.dumps({"Version": "2008-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]})
ENDPOINT_POLICY = json.dumps({"Statement": [
    {"Action": "*", "Effect": "Allow", "Principal": "*", "Resource": "*"}]})


def vpc_endpoints():
    return [
        {
            "VpcEndpointId": VPCE_ECR,
            "VpcEndpointType": "Interface",
            "VpcId": VPC_ID["prod-east"],
            "ServiceName": "com.amazonaws.us-east-1.ecr.api",
            "State": "available",
            "PolicyDocument": ENDPOINT_POLICY,
            "RouteTableIds": [],
            "SubnetIds": [SUBNET_ID["prod-east/private-a"], SUBNET_ID["prod-east/private-b"]],
            "Groups": [{"GroupId": sgid("prod-east/vpce"), "GroupName": SG["prod-east/vpce"][1]}],
            "IpAddressType": "ipv4",
            "DnsOptions": {"DnsRecordIpType": "ipv4"},
            "PrivateDnsEnabled": True,
            "RequesterManaged": False,
            "NetworkInterfaceIds": [e["NetworkInterfaceId"] for e in ECR_ENIS],
            "DnsEntries": [
                {"DnsName": "%s-%s.api.ecr.us-east-1.vpce.amazonaws.com" % (VPCE_ECR, hx("dns/ecr", 8)),
                 "HostedZoneId": "Z7HUB22UULQXV"},
                {"DnsName": "%s-%s-us-east-1a.api.ecr.us-east-1.vpce.amazonaws.com" % (VPCE_ECR, hx("dns/ecr", 8)),
                 "HostedZoneId": "Z7HUB22UULQXV"},
                {"DnsName": "%s-%s-us-east-1b.api.ecr.us-east-1.vpce.amazonaws.com" % (VPCE_ECR, hx("dns/ecr", 8)),
                 "HostedZoneId": "Z7HUB22UULQXV"},
                {"DnsName": "api.ecr.us-east-1.amazonaws.com", "HostedZoneId": "Z" + hx("phz/ecr", 20).upper()},
            ],
            "CreationTimestamp": "2026-03-02T11:02:44.512000+00:00",
            "Tags": tags({"Name": "prod-east-ecr-api"}),
            "OwnerId": A1,
        },
        {
            "VpcEndpointId": VPCE_S3,
            "VpcEndpointType": "Gateway",
            "VpcId": VPC_ID["prod-east"],
            "ServiceName": "com.amazonaws.us-east-1.s3",
            "State": "available",
            "PolicyDocument": S3_POLICY,
            "RouteTableIds": [PRIVATE_RTB_PROD_EAST],
            "SubnetIds": [],
            "Groups": [],
            "IpAddressType": "ipv4",
            "PrivateDnsEnabled": False,
            "RequesterManaged": False,
            "NetworkInterfaceIds": [],
            "DnsEntries": [],
            "CreationTimestamp": "2026-03-02T11:01:09.104000+00:00",
            "Tags": tags({"Name": "prod-east-s3"}),
            "OwnerId": A1,
        },
    ]


S3_PL_ENTRIES = ["16.15.192.0/18", "16.182.0.0/16", "18.34.0.0/19", "18.34.232.0/21", "3.5.0.0/19",
                 "44.192.134.240/28", "44.192.140.64/28", "52.216.0.0/15", "54.231.0.0/16"]
CORP_ENTRIES = [("198.51.100.0/24", "HQ admin network"), ("203.0.113.64/27", "DR site admin VPN")]


def prefix_lists():
    s3 = {"PrefixListId": S3_PL, "AddressFamily": "IPv4", "State": "create-complete",
          "PrefixListArn": "arn:aws:ec2:us-east-1:aws:prefix-list/%s" % S3_PL,
          "PrefixListName": "com.amazonaws.us-east-1.s3", "Tags": [], "OwnerId": "AWS"}
    corp = {"PrefixListId": CORP_PL, "AddressFamily": "IPv4", "State": "create-complete",
            "PrefixListArn": "arn:aws:ec2:us-east-1:%s:prefix-list/%s" % (A2, CORP_PL),
            "PrefixListName": "corp-admin-cidrs", "MaxEntries": 10, "Version": 3,
            "Tags": tags({"Name": "corp-admin-cidrs"}), "OwnerId": A2}
    return {A1: [s3], A2: [corp]}


def peering():
    opts = {"AllowDnsResolutionFromRemoteVpc": False, "AllowEgressFromLocalClassicLinkToRemoteVpc": False,
            "AllowEgressFromLocalVpcToRemoteClassicLink": False}

    def info(v):
        acct, cidr, _ = VPCS[v]
        return {"CidrBlock": cidr, "CidrBlockSet": [{"CidrBlock": cidr}], "OwnerId": acct,
                "PeeringOptions": dict(opts), "VpcId": VPC_ID[v], "Region": REGION}
    return {
        "AccepterVpcInfo": info("shared-services"),
        "RequesterVpcInfo": info("data"),
        "Status": {"Code": "active", "Message": "Active"},
        "Tags": tags({"Name": "data-to-shared-services"}),
        "VpcPeeringConnectionId": PCX_ID,
    }


# --------------------------------------------------------------------------
# transit gateway
# --------------------------------------------------------------------------

ASSOC = {
    "prod-east": "pre-inspection", "prod-west": "pre-inspection", "data": "pre-inspection",
    "egress": "pre-inspection", "shared-services": "pre-inspection", "inspection": "post-inspection",
}
PROPAGATE = {"post-inspection": ["prod-east", "prod-west", "data", "shared-services"], "pre-inspection": []}
TGW_CREATED = "2026-03-02T10:40:00+00:00"


def tgw():
    return {
        "TransitGatewayId": TGW_ID,
        "TransitGatewayArn": "arn:aws:ec2:%s:%s:transit-gateway/%s" % (REGION, A1, TGW_ID),
        "State": "available",
        "OwnerId": A1,
        "Description": "core network hub (inspection via inspection-fw)",
        "CreationTime": TGW_CREATED,
        "Options": {
            "AmazonSideAsn": 64512,
            "TransitGatewayCidrBlocks": [],
            "AutoAcceptSharedAttachments": "enable",
            "DefaultRouteTableAssociation": "disable",
            "DefaultRouteTablePropagation": "disable",
            "VpnEcmpSupport": "enable",
            "DnsSupport": "enable",
            "SecurityGroupReferencingSupport": "disable",
            "MulticastSupport": "disable",
        },
        "Tags": tags({"Name": "core-tgw"}),
    }


def tgw_attachment(v):
    acct = VPCS[v][0]
    return {
        "TransitGatewayAttachmentId": TGW_ATT[v],
        "TransitGatewayId": TGW_ID,
        "TransitGatewayOwnerId": A1,
        "ResourceOwnerId": acct,
        "ResourceType": "vpc",
        "ResourceId": VPC_ID[v],
        "State": "available",
        "Association": {"TransitGatewayRouteTableId": TGW_RTB[ASSOC[v]], "State": "associated"},
        "CreationTime": TGW_CREATED,
        "Tags": tags({"Name": "tgw-attach-%s" % v}),
    }


def tgw_vpc_attachment(v):
    acct = VPCS[v][0]
    return {
        "TransitGatewayAttachmentId": TGW_ATT[v],
        "TransitGatewayId": TGW_ID,
        "VpcId": VPC_ID[v],
        "VpcOwnerId": acct,
        "State": "available",
        "SubnetIds": [SUBNET_ID["%s/tgw-a" % v], SUBNET_ID["%s/tgw-b" % v]],
        "CreationTime": TGW_CREATED,
        "Options": {
            "DnsSupport": "enable",
            "SecurityGroupReferencingSupport": "disable",
            "Ipv6Support": "disable",
            "ApplianceModeSupport": "enable" if v == "inspection" else "disable",
        },
        "Tags": tags({"Name": "tgw-attach-%s" % v}),
    }


def tgw_route_tables():
    return [{
        "TransitGatewayRouteTableId": TGW_RTB[n],
        "TransitGatewayId": TGW_ID,
        "State": "available",
        "DefaultAssociationRouteTable": False,
        "DefaultPropagationRouteTable": False,
        "CreationTime": TGW_CREATED,
        "Tags": tags({"Name": n}),
    } for n in ("pre-inspection", "post-inspection")]


def tgw_att_ref(v):
    return [{"ResourceId": VPC_ID[v], "TransitGatewayAttachmentId": TGW_ATT[v], "ResourceType": "vpc"}]


def tgw_routes(n):
    if n == "pre-inspection":
        routes = [
            {"DestinationCidrBlock": "0.0.0.0/0", "TransitGatewayAttachments": tgw_att_ref("inspection"),
             "Type": "static", "State": "active"},
            {"DestinationCidrBlock": "10.99.0.0/16", "Type": "static", "State": "blackhole"},
        ]
    else:
        routes = [{"DestinationCidrBlock": "0.0.0.0/0", "TransitGatewayAttachments": tgw_att_ref("egress"),
                   "Type": "static", "State": "active"}]
        for v in PROPAGATE[n]:
            routes.append({"DestinationCidrBlock": VPCS[v][1], "TransitGatewayAttachments": tgw_att_ref(v),
                           "Type": "propagated", "State": "active"})
    routes.sort(key=lambda r: ipaddress.ip_network(r["DestinationCidrBlock"]))
    return {"TransitGatewayRouteTableId": TGW_RTB[n], "Routes": routes, "AdditionalRoutesAvailable": False}


# --------------------------------------------------------------------------
# Network Firewall
# --------------------------------------------------------------------------

NFW_ARN = "arn:aws:network-firewall:%s:%s:" % (REGION, A1)
RG_ARN = {
    "stateless-hygiene": NFW_ARN + "stateless-rulegroup/stateless-hygiene",
    "east-west": NFW_ARN + "stateful-rulegroup/east-west",
    "suricata-egress": NFW_ARN + "stateful-rulegroup/suricata-egress",
    "egress-allowlist": NFW_ARN + "stateful-rulegroup/egress-allowlist",
}
POLICY_ARN = NFW_ARN + "firewall-policy/inspection-policy"
FW_ARN = NFW_ARN + "firewall/inspection-fw"


def token(key):
    return duuid("token/" + key)


def stateless_rule(prio, action, protos, src=None, dst=None, dports=None, sports=None):
    ma = {}
    if src:
        ma["Sources"] = [{"AddressDefinition": s} for s in src]
    if dst:
        ma["Destinations"] = [{"AddressDefinition": d} for d in dst]
    if sports:
        ma["SourcePorts"] = [{"FromPort": a, "ToPort": b} for a, b in sports]
    if dports:
        ma["DestinationPorts"] = [{"FromPort": a, "ToPort": b} for a, b in dports]
    ma["Protocols"] = protos
    return {"RuleDefinition": {"MatchAttributes": ma, "Actions": [action]}, "Priority": prio}


def five_tuple(action, proto, src, dst, dport, sid, direction="FORWARD"):
    return {"Action": action,
            "Header": {"Protocol": proto, "Source": src, "SourcePort": "ANY", "Direction": direction,
                       "Destination": dst, "DestinationPort": dport},
            "RuleOptions": [{"Keyword": "sid", "Settings": [str(sid)]}]}


SURICATA = "\n".join([
    'drop ssh $HOME_NET any -> $EXTERNAL_NET any (msg:"no outbound ssh"; sid:2001; rev:1;)',
    'pass tcp $HOME_NET any -> 10.50.0.0/16 [9090,9100] (msg:"prometheus scrape"; flow:to_server,established; sid:2002; rev:1;)',
    'pass tcp 10.50.0.0/16 any -> $HOME_NET [9090,9100] (msg:"prometheus scrape from shared-services"; flow:to_server; sid:2003; rev:1;)',
    'pass http $HOME_NET any -> $EXTERNAL_NET 80 (http.host; content:"packages.internal.example.com"; startswith; endswith; flow:to_server,established; msg:"internal mirror"; sid:2004; rev:1;)',
    'alert tls $HOME_NET any -> $EXTERNAL_NET any (ja3.hash; content:"e7d705a3286e19ea42f587b344ee6865"; msg:"suspicious ja3"; sid:2005; rev:1;)',
])


def rule_groups():
    groups = {}

    def resp(name, typ, cap, consumed, desc, status="ACTIVE"):
        return {
            "RuleGroupArn": RG_ARN[name],
            "RuleGroupName": name,
            "RuleGroupId": duuid("rg/" + name),
            "Description": desc,
            "Type": typ,
            "Capacity": cap,
            "RuleGroupStatus": status,
            "Tags": tags({"owner": "network-security"}),
            "ConsumedCapacity": consumed,
            "NumberOfAssociations": 1,
            "EncryptionConfiguration": {"Type": "AWS_OWNED_KMS_KEY"},
            "LastModifiedTime": T_NFW,
            "AnalysisResults": [],
        }

    groups["stateless-hygiene"] = {
        "UpdateToken": token("stateless-hygiene"),
        "RuleGroup": {
            "RulesSource": {
                "StatelessRulesAndCustomActions": {
                    "StatelessRules": [
                        stateless_rule(10, "aws:drop", [6], src=["0.0.0.0/0"], dst=["0.0.0.0/0"],
                                       sports=[(0, 65535)], dports=[(23, 23)]),
                        stateless_rule(20, "aws:drop", [17], src=["0.0.0.0/0"], dst=["0.0.0.0/0"],
                                       sports=[(0, 65535)], dports=[(19, 19)]),
                        stateless_rule(30, "aws:pass", [1], src=["10.0.0.0/8"], dst=["10.0.0.0/8"]),
                    ],
                    "CustomActions": [],
                },
            },
        },
        "RuleGroupResponse": resp("stateless-hygiene", "STATELESS", 100, 3,
                                  "drop telnet and chargen; pass internal ICMP"),
    }
    groups["east-west"] = {
        "UpdateToken": token("east-west"),
        "RuleGroup": {
            "RulesSource": {
                "StatefulRules": [
                    five_tuple("PASS", "TCP", "10.10.0.0/16", "10.30.0.0/16", "5432", 1001),
                    five_tuple("PASS", "TCP", "10.50.0.0/16", "10.30.0.0/16", "5432", 1002),
                    five_tuple("PASS", "TCP", "10.10.0.0/16", "10.20.0.0/16", "8080", 1003),
                    five_tuple("PASS", "TCP", "10.20.0.0/16", "10.10.0.0/16", "8080", 1004),
                    five_tuple("PASS", "UDP", "10.0.0.0/8", "10.0.0.0/8", "53", 1005),
                    five_tuple("DROP", "IP", "ANY", "10.30.0.0/16", "ANY", 1099),
                ],
            },
            "StatefulRuleOptions": {"RuleOrder": "STRICT_ORDER"},
        },
        "RuleGroupResponse": resp("east-west", "STATEFUL", 200, 6,
                                  "east-west allow-list between spoke VPCs; data VPC is deny-by-default"),
    }
    groups["suricata-egress"] = {
        "UpdateToken": token("suricata-egress"),
        "RuleGroup": {
            "RuleVariables": {"IPSets": {"HOME_NET": {"Definition": ["10.0.0.0/8"]}}},
            "RulesSource": {"RulesString": SURICATA},
            "StatefulRuleOptions": {"RuleOrder": "STRICT_ORDER"},
        },
        "RuleGroupResponse": resp("suricata-egress", "STATEFUL", 200, 5,
                                  "egress hygiene and monitoring exceptions (Suricata)"),
    }
    groups["egress-allowlist"] = {
        "UpdateToken": token("egress-allowlist"),
        "RuleGroup": {
            "RuleVariables": {"IPSets": {"HOME_NET": {"Definition": ["10.0.0.0/8"]}}},
            "RulesSource": {
                "RulesSourceList": {
                    "Targets": [".amazonaws.com", "github.com", ".docker.io", "registry.k8s.io",
                                "api.stripe.com"],
                    "TargetTypes": ["TLS_SNI", "HTTP_HOST"],
                    "GeneratedRulesType": "ALLOWLIST",
                },
            },
            "StatefulRuleOptions": {"RuleOrder": "STRICT_ORDER"},
        },
        "RuleGroupResponse": resp("egress-allowlist", "STATEFUL", 100, 10,
                                  "internet egress domain allow-list (SNI / Host)"),
    }
    return groups


def firewall_policy():
    return {
        "UpdateToken": token("inspection-policy"),
        "FirewallPolicyResponse": {
            "FirewallPolicyName": "inspection-policy",
            "FirewallPolicyArn": POLICY_ARN,
            "FirewallPolicyId": duuid("policy/inspection-policy"),
            "Description": "centralized east-west and egress inspection",
            "FirewallPolicyStatus": "ACTIVE",
            "Tags": tags({"owner": "network-security"}),
            "ConsumedStatelessRuleCapacity": 3,
            "ConsumedStatefulRuleCapacity": 11,
            "ConsumedStatefulDomainCapacity": 10,
            "NumberOfAssociations": 1,
            "EncryptionConfiguration": {"Type": "AWS_OWNED_KMS_KEY"},
            "LastModifiedTime": T_NFW,
        },
        "FirewallPolicy": {
            "StatelessRuleGroupReferences": [{"ResourceArn": RG_ARN["stateless-hygiene"], "Priority": 10}],
            "StatelessDefaultActions": ["aws:forward_to_sfe"],
            "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"],
            "StatefulRuleGroupReferences": [
                {"ResourceArn": RG_ARN["east-west"], "Priority": 100},
                {"ResourceArn": RG_ARN["suricata-egress"], "Priority": 200},
                {"ResourceArn": RG_ARN["egress-allowlist"], "Priority": 300},
            ],
            "StatefulDefaultActions": ["aws:drop_established", "aws:alert_established"],
            "StatefulEngineOptions": {"RuleOrder": "STRICT_ORDER", "StreamExceptionPolicy": "DROP"},
            "PolicyVariables": {"RuleVariables": {"HOME_NET": {"Definition": ["10.0.0.0/8"]}}},
        },
    }


def firewall():
    cfg = {POLICY_ARN: {"SyncStatus": "IN_SYNC", "UpdateToken": token("inspection-policy")}}
    for n, arn in RG_ARN.items():
        cfg[arn] = {"SyncStatus": "IN_SYNC", "UpdateToken": token(n)}
    cfg = dict(sorted(cfg.items()))
    sync = {}
    for az in "ab":
        sync[AZ[az]] = {
            "Attachment": {"SubnetId": SUBNET_ID["inspection/fw-%s" % az], "EndpointId": FW_EP[AZ[az]],
                           "Status": "READY"},
            "Config": cfg,
        }
    return {
        "UpdateToken": token("inspection-fw"),
        "Firewall": {
            "FirewallName": "inspection-fw",
            "FirewallArn": FW_ARN,
            "FirewallPolicyArn": POLICY_ARN,
            "VpcId": VPC_ID["inspection"],
            "SubnetMappings": [{"SubnetId": SUBNET_ID["inspection/fw-a"], "IPAddressType": "IPV4"},
                               {"SubnetId": SUBNET_ID["inspection/fw-b"], "IPAddressType": "IPV4"}],
            "DeleteProtection": True,
            "SubnetChangeProtection": True,
            "FirewallPolicyChangeProtection": False,
            "Description": "centralized inspection for all spoke VPCs",
            "FirewallId": duuid("fw/inspection-fw"),
            "Tags": tags({"Name": "inspection-fw"}),
            "EncryptionConfiguration": {"Type": "AWS_OWNED_KMS_KEY"},
            "EnabledAnalysisTypes": [],
        },
        "FirewallStatus": {
            "Status": "READY",
            "ConfigurationSyncStateSummary": "IN_SYNC",
            "SyncStates": sync,
            "CapacityUsageSummary": {"CIDRs": {"AvailableCIDRCount": 1000000, "UtilizedCIDRCount": 0,
                                               "IPSetReferences": {}}},
        },
    }


# --------------------------------------------------------------------------
# Kubernetes objects
# --------------------------------------------------------------------------

def k8s_list(items):
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}


def namespaces(cname):
    out = []
    for ns, tenant in CLUSTERS[cname]["namespaces"]:
        labels = {"kubernetes.io/metadata.name": ns}
        if tenant:
            labels["tenant"] = tenant
        out.append({
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"creationTimestamp": "2026-03-02T12:00:00Z", "labels": labels, "name": ns,
                         "resourceVersion": str(100 + len(out) * 7), "uid": duuid("ns/%s/%s" % (cname, ns))},
            "spec": {"finalizers": ["kubernetes"]},
            "status": {"phase": "Active"},
        })
    return k8s_list(out)


def nodes(cname):
    c = CLUSTERS[cname]
    out = []
    for n in NODE_INFO[cname]:
        az = n["az"]
        labels = {
            "beta.kubernetes.io/arch": "amd64",
            "beta.kubernetes.io/instance-type": "m5.xlarge",
            "beta.kubernetes.io/os": "linux",
            "eks.amazonaws.com/capacityType": "ON_DEMAND",
            "eks.amazonaws.com/nodegroup": c["nodegroup"],
            "eks.amazonaws.com/nodegroup-image": "ami-0" + hx("ami/eks-1.31", 16),
            "failure-domain.beta.kubernetes.io/region": REGION,
            "failure-domain.beta.kubernetes.io/zone": az,
            "k8s.io/cloud-provider-aws": hx("cloud-provider/" + cname, 32),
            "kubernetes.io/arch": "amd64",
            "kubernetes.io/hostname": n["name"],
            "kubernetes.io/os": "linux",
            "node.kubernetes.io/instance-type": "m5.xlarge",
            "topology.k8s.aws/zone-id": AZ_ID[az],
            "topology.kubernetes.io/region": REGION,
            "topology.kubernetes.io/zone": az,
        }
        if cname == "prod-east":
            labels["vpc.amazonaws.com/has-trunk-attached"] = "true" if n["trunk"] else "false"
        cap = {"cpu": "4", "ephemeral-storage": "83873772Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0",
               "memory": "15896892Ki", "pods": "58"}
        alloc_ = {"cpu": "3920m", "ephemeral-storage": "76224326324", "hugepages-1Gi": "0", "hugepages-2Mi": "0",
                  "memory": "14880060Ki", "pods": "58"}
        if n["trunk"]:
            cap["vpc.amazonaws.com/pod-eni"] = "18"
            alloc_["vpc.amazonaws.com/pod-eni"] = "18"
        out.append({
            "apiVersion": "v1", "kind": "Node",
            "metadata": {
                "annotations": {"alpha.kubernetes.io/provided-node-ip": n["ip"],
                                "node.alpha.kubernetes.io/ttl": "0",
                                "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
                "creationTimestamp": "2026-10-20T08:12:55Z",
                "labels": labels,
                "name": n["name"],
                "resourceVersion": str(200000 + int(hx("nrv/" + n["name"], 5), 16) % 100000),
                "uid": duuid("node/%s/%s" % (cname, n["name"])),
            },
            "spec": {"providerID": "aws:///%s/%s" % (az, n["instance_id"])},
            "status": {
                "addresses": [{"address": n["ip"], "type": "InternalIP"},
                              {"address": n["name"], "type": "InternalDNS"},
                              {"address": n["name"], "type": "Hostname"}],
                "allocatable": alloc_,
                "capacity": cap,
                "conditions": [
                    {"lastHeartbeatTime": "2026-11-02T09:10:31Z", "lastTransitionTime": "2026-10-20T08:12:55Z",
                     "message": m, "reason": r, "status": s, "type": t}
                    for t, s, r, m in (
                        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"))
                ],
                "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                "nodeInfo": {
                    "architecture": "amd64",
                    "bootID": duuid("boot/" + n["name"]),
                    "containerRuntimeVersion": "containerd://1.7.23",
                    "kernelVersion": "6.1.115-126.197.amzn2023.x86_64",
                    "kubeProxyVersion": "v1.31.3-eks-59bf375",
                    "kubeletVersion": "v1.31.3-eks-59bf375",
                    "machineID": hx("machine/" + n["name"], 32),
                    "operatingSystem": "linux",
                    "osImage": "Amazon Linux 2023.6.20241121",
                    "systemUUID": "ec2" + hx("sysuuid/" + n["name"], 5) + "-" + duuid("s/" + n["name"])[9:],
                },
            },
        })
    return k8s_list(out)


def services(cname):
    rng = random.Random("clusterips/" + cname)
    used = {"172.20.0.1", "172.20.0.10"}

    def cip():
        while True:
            ip = "172.20.%d.%d" % (rng.randint(0, 255), rng.randint(1, 254))
            if ip not in used:
                used.add(ip)
                return ip

    def svc(ns, name, ip, selector, ports, labels=None):
        meta = {"creationTimestamp": "2026-10-01T09:00:00Z"}
        if labels:
            meta["labels"] = labels
        meta.update({"name": name, "namespace": ns,
                     "resourceVersion": str(5000 + int(hx("srv/%s/%s/%s" % (cname, ns, name), 4), 16)),
                     "uid": duuid("svc/%s/%s/%s" % (cname, ns, name))})
        spec = {"clusterIP": ip, "clusterIPs": [ip], "internalTrafficPolicy": "Cluster",
                "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "ports": ports}
        if selector:
            spec["selector"] = selector
        spec["sessionAffinity"] = "None"
        spec["type"] = "ClusterIP"
        return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec,
                "status": {"loadBalancer": {}}}

    items = [svc("default", "kubernetes", "172.20.0.1", None,
                 [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 443}],
                 {"component": "apiserver", "provider": "kubernetes"})]
    items.append(svc("kube-system", "kube-dns", "172.20.0.10", {"k8s-app": "kube-dns"},
                     [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                      {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                      {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}],
                     {"eks.amazonaws.com/component": "kube-dns", "k8s-app": "kube-dns",
                      "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"}))
    for ns, app, _pl, _tier, ports, _img in APPS[cname]:
        if ns == "kube-system":
            if app == "aws-load-balancer-controller":
                items.append(svc(ns, "aws-load-balancer-webhook-service", cip(),
                                 {"app.kubernetes.io/instance": app, "app.kubernetes.io/name": app},
                                 [{"name": "webhook-server", "port": 443, "protocol": "TCP",
                                   "targetPort": "webhook-server"}],
                                 {"app.kubernetes.io/instance": app, "app.kubernetes.io/name": app}))
            continue
        sp = []
        for pname, port, proto in ports:
            p = {}
            if pname:
                p["name"] = pname
            p["port"] = port
            p["protocol"] = proto
            p["targetPort"] = pname if pname else port
            sp.append(p)
        items.append(svc(ns, app, cip(), {"app": app}, sp, {"app": app}))
    items.sort(key=lambda s: (s["metadata"]["namespace"], s["metadata"]["name"]))
    return k8s_list(items)


def np(ns, name, spec, labels=None):
    meta = {"name": name, "namespace": ns}
    if labels:
        meta["labels"] = labels
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": meta, "spec": spec}


def tenant_baseline(ns, tenant):
    lab = {"tenant": tenant}
    return [
        np(ns, "default-deny", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}, lab),
        np(ns, "allow-same-tenant", {
            "podSelector": {},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [{"podSelector": {}}]}],
            "egress": [{"to": [{"podSelector": {}}]}],
        }, lab),
        np(ns, "allow-dns", {
            "podSelector": {},
            "policyTypes": ["Egress"],
            "egress": [{
                "to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                        "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
            }],
        }, lab),
    ]


def kube_system_policies(cname):
    vpc_cidr = VPCS[CLUSTERS[cname]["vpc"]][1]
    resolver = str(ipaddress.ip_network(vpc_cidr).network_address + 2) + "/32"
    out = [np("kube-system", "coredns-egress", {
        "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
        "policyTypes": ["Egress"],
        "egress": [
            {"to": [{"ipBlock": {"cidr": resolver}}],
             "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]},
            {"to": [{"ipBlock": {"cidr": vpc_cidr}}], "ports": [{"protocol": "TCP", "port": 443}]},
        ],
    })]
    if cname == "prod-east":
        out.append(np("kube-system", "aws-load-balancer-controller-egress", {
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": "aws-load-balancer-controller"}},
            "policyTypes": ["Egress"],
            "egress": [
                {"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}],
                 "ports": [{"protocol": "TCP", "port": 443}]},
                {"to": [{"ipBlock": {"cidr": vpc_cidr}}], "ports": [{"protocol": "TCP", "port": 443}]},
                {"to": [{"podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                 "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]},
            ],
        }))
    return out


def network_policies(cname):
    docs = []
    if cname == "prod-east":
        docs += tenant_baseline("tenant-a", "a")
        docs += [
            np("tenant-a", "web-from-alb", {
                "podSelector": {"matchLabels": {"app": "web"}},
                "policyTypes": ["Ingress"],
                "ingress": [{"from": [{"ipBlock": {"cidr": "10.10.128.0/23"}}],
                             "ports": [{"protocol": "TCP", "port": "http"}]}],
            }),
            np("tenant-a", "checkout-from-web", {
                "podSelector": {"matchLabels": {"app": "checkout"}},
                "policyTypes": ["Ingress"],
                "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}],
                             "ports": [{"protocol": "TCP", "port": 8080, "endPort": 8090}]}],
            }),
            np("tenant-a", "checkout-to-orders-db", {
                "podSelector": {"matchLabels": {"app": "checkout"}},
                "policyTypes": ["Egress"],
                "egress": [{"to": [{"ipBlock": {"cidr": "10.30.0.0/16", "except": ["10.30.2.0/24"]}}],
                            "ports": [{"protocol": "TCP", "port": 5432}]}],
            }),
            np("tenant-a", "checkout-to-prod-west-reporting", {
                "podSelector": {"matchLabels": {"app": "checkout"}},
                "policyTypes": ["Egress"],
                "egress": [{"to": [{"ipBlock": {"cidr": "10.20.0.0/16"}}],
                            "ports": [{"protocol": "TCP", "port": 8080}]}],
            }),
            np("tenant-a", "payments-from-checkout", {
                "podSelector": {"matchLabels": {"app": "payments"}},
                "policyTypes": ["Ingress"],
                "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "checkout"}}}],
                             "ports": [{"protocol": "TCP", "port": 8443}]}],
            }),
        ]
        docs += tenant_baseline("tenant-b", "b")
        # ---- THE planted misconfiguration (see README "Planted misconfiguration") ----
        docs.append(np("tenant-b", "allow-egress-internal", {
            "podSelector": {},
            "policyTypes": ["Egress"],
            "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}]}],
        }, {"tenant": "b"}))
    else:
        docs += tenant_baseline("tenant-a", "a")
        docs.append(np("tenant-a", "reporting-from-prod-east", {
            "podSelector": {"matchLabels": {"app": "reporting"}},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"ipBlock": {"cidr": "10.10.0.0/16"}}],
                         "ports": [{"protocol": "TCP", "port": 8080}]}],
        }))
        docs += tenant_baseline("tenant-c", "c")
    docs += kube_system_policies(cname)
    return docs


def security_group_policies():
    return [{
        "apiVersion": "vpcresources.k8s.aws/v1beta1",
        "kind": "SecurityGroupPolicy",
        "metadata": {"name": "payments-sgp", "namespace": "tenant-a", "labels": {"tenant": "a"}},
        "spec": {"podSelector": {"matchLabels": {"app": "payments"}},
                 "securityGroups": {"groupIds": [sgid("prod-east/payments-pods")]}},
    }]


# --------------------------------------------------------------------------
# YAML emitter (kubectl style: block style, sequences not indented under keys)
# --------------------------------------------------------------------------

_RESERVED = {"", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
             ".inf", "-.inf", "+.inf", ".nan"}
_SPECIAL_START = set("-?:,[]{}#&*!|>'\"%@`")
_NUMERIC = [re.compile(r) for r in (
    r"[-+]?[0-9][0-9_]*",                                   # int (incl. YAML 1.1 octal 0777)
    r"[-+]?0[xX][0-9a-fA-F_]+", r"[-+]?0[oO][0-7_]+", r"[-+]?0[bB][01_]+",
    r"[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?",         # YAML 1.1 sexagesimal
    r"[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?",      # float
    r"[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+",
)]


def _needs_quote(s):
    if s.lower() in _RESERVED or s != s.strip():
        return True
    if s[0] in _SPECIAL_START:
        return True
    if ": " in s or " #" in s or s.endswith(":") or "\t" in s:
        return True
    if any(ord(ch) < 32 for ch in s):
        return True
    if any(r.fullmatch(s) for r in _NUMERIC):
        return True  # would resolve to an int/float in YAML 1.1 or 1.2
    if re.match(r"^\d{4}-\d{1,2}-\d{1,2}", s):
        return True  # timestamps
    return False


def yscalar(v):
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
    if _needs_quote(s):
        return "'" + s.replace("'", "''") + "'"
    return s


def yaml_lines(v, indent, sort_keys):
    pad = " " * indent
    lines = []
    if isinstance(v, dict):
        keys = sorted(v) if sort_keys else list(v)
        for k in keys:
            val = v[k]
            key = yscalar(k)
            if isinstance(val, dict) and val:
                lines.append("%s%s:" % (pad, key))
                lines += yaml_lines(val, indent + 2, sort_keys)
            elif isinstance(val, list) and val:
                lines.append("%s%s:" % (pad, key))
                lines += yaml_lines(val, indent, sort_keys)
            else:
                lines.append("%s%s: %s" % (pad, key, yempty(val)))
    elif isinstance(v, list):
        for item in v:
            if isinstance(item, (dict, list)) and item:
                sub = yaml_lines(item, indent + 2, sort_keys)
                sub[0] = pad + "- " + sub[0][indent + 2:]
                lines += sub
            else:
                lines.append("%s- %s" % (pad, yempty(item)))
    else:
        lines.append(pad + yscalar(v))
    return lines


def yempty(v):
    if isinstance(v, dict):
        return "{}"
    if isinstance(v, list):
        return "[]"
    return yscalar(v)


def to_yaml(obj, sort_keys=True):
    return "\n".join(yaml_lines(obj, 0, sort_keys)) + "\n"


# --------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------

def strip_private(o):
    if isinstance(o, dict):
        return {k: strip_private(v) for k, v in o.items() if not k.startswith("_")}
    if isinstance(o, list):
        return [strip_private(v) for v in o]
    return o


class Writer:
    def __init__(self, root):
        self.root = root
        self.files = []

    def _path(self, rel):
        p = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        self.files.append(rel)
        return p

    def json(self, rel, obj):
        with open(self._path(rel), "w") as f:
            f.write(json.dumps(strip_private(obj), indent=4) + "\n")

    def text(self, rel, s):
        with open(self._path(rel), "w") as f:
            f.write(s)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_demo.py OUTPUT_DIR")
    root = sys.argv[1]
    for sub in ("aws", "k8s"):
        shutil.rmtree(os.path.join(root, sub), ignore_errors=True)
    os.makedirs(root, exist_ok=True)

    build_nodes()
    build_infra()
    build_pods()

    w = Writer(root)
    sgs = security_groups()
    acls = nacls()
    rtbs = route_tables()
    vp = vpcs()
    sn = subnets()
    pls = prefix_lists()

    for acct in (A1, A2):
        base = "aws/%s/%s/" % (acct, REGION)
        w.json(base + "describe-vpcs.json", {"Vpcs": vp[acct]})
        w.json(base + "describe-subnets.json", {"Subnets": sn[acct]})
        w.json(base + "describe-security-groups.json",
               {"SecurityGroups": [g for k, g in sgs.items() if g["OwnerId"] == acct]})
        w.json(base + "describe-network-acls.json", {"NetworkAcls": acls[acct]})
        w.json(base + "describe-route-tables.json", {"RouteTables": rtbs[acct]})
        w.json(base + "describe-network-interfaces.json",
               {"NetworkInterfaces": [e for e in ENIS if e["_acct"] == acct]})
        w.json(base + "describe-instances.json",
               {"Reservations": [r for a, r in INSTANCES if a == acct]})
        w.json(base + "describe-vpc-peering-connections.json", {"VpcPeeringConnections": [peering()]})
        w.json(base + "describe-managed-prefix-lists.json", {"PrefixLists": pls[acct]})
        w.json(base + "describe-transit-gateways.json", {"TransitGateways": [tgw()]})
        if acct == A1:
            w.json(base + "describe-internet-gateways.json", {"InternetGateways": internet_gateways()})
            w.json(base + "describe-nat-gateways.json", {"NatGateways": nat_gateways()})
            w.json(base + "describe-vpc-endpoints.json", {"VpcEndpoints": vpc_endpoints()})
            w.json(base + "get-managed-prefix-list-entries-%s.json" % S3_PL,
                   {"PrefixListId": S3_PL, "Entries": [{"Cidr": c} for c in S3_PL_ENTRIES]})
            vs = [v for v in VPC_ORDER]
            w.json(base + "describe-transit-gateway-attachments.json",
                   {"TransitGatewayAttachments": [tgw_attachment(v) for v in vs]})
            w.json(base + "describe-transit-gateway-vpc-attachments.json",
                   {"TransitGatewayVpcAttachments": [tgw_vpc_attachment(v) for v in vs]})
            w.json(base + "describe-transit-gateway-route-tables.json",
                   {"TransitGatewayRouteTables": tgw_route_tables()})
            for n in ("pre-inspection", "post-inspection"):
                rt = TGW_RTB[n]
                w.json(base + "search-transit-gateway-routes-%s.json" % rt, tgw_routes(n))
                w.json(base + "get-transit-gateway-route-table-associations-%s.json" % rt, {
                    "TransitGatewayRouteTableId": rt,
                    "Associations": [{"TransitGatewayAttachmentId": TGW_ATT[v], "ResourceId": VPC_ID[v],
                                      "ResourceType": "vpc", "State": "associated"}
                                     for v in VPC_ORDER if ASSOC[v] == n]})
                w.json(base + "get-transit-gateway-route-table-propagations-%s.json" % rt, {
                    "TransitGatewayRouteTableId": rt,
                    "TransitGatewayRouteTablePropagations": [
                        {"TransitGatewayAttachmentId": TGW_ATT[v], "ResourceId": VPC_ID[v],
                         "ResourceType": "vpc", "State": "enabled"} for v in PROPAGATE[n]]})
            w.json(base + "describe-firewall-inspection-fw.json", firewall())
            w.json(base + "describe-firewall-policy-inspection-policy.json", firewall_policy())
            for name, g in rule_groups().items():
                w.json(base + "describe-rule-group-%s.json" % name, g)
        else:
            w.json(base + "describe-internet-gateways.json", {"InternetGateways": []})
            w.json(base + "describe-nat-gateways.json", {"NatGateways": []})
            w.json(base + "describe-vpc-endpoints.json", {"VpcEndpoints": []})
            w.json(base + "get-managed-prefix-list-entries-%s.json" % CORP_PL,
                   {"PrefixListId": CORP_PL, "Entries": [{"Cidr": c, "Description": d} for c, d in CORP_ENTRIES]})
            # the account-2 view of the shared TGW: only its own attachment (identical objects)
            w.json(base + "describe-transit-gateway-attachments.json",
                   {"TransitGatewayAttachments": [tgw_attachment("shared-services")]})
            w.json(base + "describe-transit-gateway-vpc-attachments.json",
                   {"TransitGatewayVpcAttachments": [tgw_vpc_attachment("shared-services")]})

    for cname in CLUSTERS:
        base = "k8s/%s/" % cname
        w.text(base + "namespaces.yaml", to_yaml(namespaces(cname)))
        w.text(base + "nodes.yaml", to_yaml(nodes(cname)))
        w.json(base + "pods.json", k8s_list(PODS[cname]))
        w.text(base + "services.yaml", to_yaml(services(cname)))
        docs = network_policies(cname)
        w.text(base + "networkpolicies.yaml",
               "".join("---\n" + to_yaml(d, sort_keys=False) for d in docs))
        if cname == "prod-east":
            w.text(base + "securitygrouppolicies.yaml",
                   "".join("---\n" + to_yaml(d, sort_keys=False) for d in security_group_policies()))

    toml = ['name = "demo"', "captured_at = 2026-11-20T09:00:00Z", ""]
    for cname, c in CLUSTERS.items():
        toml += [
            "[[cluster]]",
            'name = "%s"' % cname,
            'account = "%s"' % VPCS[c["vpc"]][0],
            'region = "%s"' % REGION,
            'vpc = "%s"                 # %s %s' % (VPC_ID[c["vpc"]], c["vpc"], VPCS[c["vpc"]][1]),
            "external_snat = %s" % ("true" if c["external_snat"] else "false"),
            'pod_security_group_enforcing_mode = "%s"' % c["sg_mode"],
            "network_policy_enforcement = true",
            "",
        ]
    w.text("snapshot.toml", "\n".join(toml).rstrip("\n") + "\n")

    if os.environ.get("GEN_DEMO_SUMMARY"):
        summary()
    for f in sorted(w.files):
        print(f)


def summary():
    """Print ids/IPs used by README.md (GEN_DEMO_SUMMARY=1)."""
    print("== VPCs")
    for v in VPC_ORDER:
        print(v, VPC_ID[v], VPCS[v][1], VPCS[v][0])
    print("== subnets")
    for k in SUBNET_ID:
        print(k, SUBNET_ID[k], SUBNET[k]["cidr"], SUBNET[k]["az"])
    print("== SGs")
    for k, (gid, name, vpc, acct) in SG.items():
        print(k, gid, name)
    print("== TGW", TGW_ID, TGW_RTB)
    for v in VPC_ORDER:
        print("attach", v, TGW_ATT[v])
    print("== pcx", PCX_ID, "igw", IGW, "nat", NAT, "fw", FW_EP, "vpce", VPCE_S3, VPCE_ECR, "pl", CORP_PL)
    print("== rds", {k: (e["NetworkInterfaceId"], e["PrivateIpAddress"]) for k, e in RDS_ENI.items()})
    print("== alb", ALB_IPS)
    print("== shared", A2_INSTANCES)
    for cname in CLUSTERS:
        print("== nodes", cname)
        for n in NODE_INFO[cname]:
            print(n["name"], n["instance_id"], n["az"], n["eni"]["NetworkInterfaceId"],
                  n["trunk"]["NetworkInterfaceId"] if n["trunk"] else "")
        print("== pods", cname, len(PODS[cname]))
        for p in PODS[cname]:
            print(p["metadata"]["namespace"], p["metadata"]["name"], p["status"]["podIP"], p["spec"]["nodeName"])


if __name__ == "__main__":
    main()
