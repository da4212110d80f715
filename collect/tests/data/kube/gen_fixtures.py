#!/usr/bin/env python3
"""Writes the API responses the kube collector test serves (collect/tests/kube_collect.rs).

Run from this directory: `python3 gen_fixtures.py`. Each file is the body of one GET,
named after its path with `/` as `__` (`/api/v1/pods` -> `api__v1__pods.json`; a
paginated list has `.page1`, `.page2`, ... files linked by `metadata.continue`).
Shapes follow the API server: discovery documents, typed lists (`PodList`) whose
core items carry no `apiVersion`/`kind`, `managedFields`, `resourceVersion`,
kubelet heartbeats; custom resources carry `apiVersion`/`kind`.
"""
import hashlib, json, os
D = "."
def w(name, obj):
    with open(os.path.join(D, name), "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")

VERBS = ["create","delete","deletecollection","get","list","patch","update","watch"]
def res(name, kind, namespaced, short=None, hash_=None, verbs=VERBS, singular=None, categories=None):
    r = {"name": name, "singularName": singular if singular is not None else name.rstrip("s"), "namespaced": namespaced, "kind": kind, "verbs": verbs}
    if short: r["shortNames"] = short
    if categories: r["categories"] = categories
    if hash_: r["storageVersionHash"] = hash_
    return r
def sub(name, kind, namespaced, verbs):
    return {"name": name, "singularName": "", "namespaced": namespaced, "kind": kind, "verbs": verbs}

# --- discovery ---
w("api.json", {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "ip-172-16-47-211.ec2.internal:443"}]})
w("api__v1.json", {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
    res("bindings", "Binding", True, verbs=["create"], singular="binding"),
    res("configmaps", "ConfigMap", True, ["cm"], "qFsyl6wFWjQ=", singular="configmap"),
    res("endpoints", "Endpoints", True, ["ep"], "fWeeMqaN/OA=", singular="endpoints"),
    res("events", "Event", True, ["ev"], "r2yiGXH7wu8=", singular="event"),
    res("namespaces", "Namespace", False, ["ns"], "Q3oi5N2YM8M=", verbs=["create","delete","get","list","patch","update","watch"], singular="namespace"),
    sub("namespaces/finalize", "Namespace", False, ["update"]),
    sub("namespaces/status", "Namespace", False, ["get","patch","update"]),
    res("nodes", "Node", False, ["no"], "XwShjMxG9Fs=", singular="node"),
    sub("nodes/proxy", "NodeProxyOptions", False, ["create","delete","get","patch","update"]),
    sub("nodes/status", "Node", False, ["get","patch","update"]),
    res("pods", "Pod", True, ["po"], "xPOwRZ+Yhw8=", singular="pod", categories=["all"]),
    sub("pods/exec", "PodExecOptions", True, ["create","get"]),
    sub("pods/log", "Pod", True, ["get"]),
    sub("pods/status", "Pod", True, ["get","patch","update"]),
    res("secrets", "Secret", True, None, "S6u1pOWzb84=", singular="secret"),
    res("serviceaccounts", "ServiceAccount", True, ["sa"], "pbx9ZvyFpBE=", singular="serviceaccount"),
    dict(sub("serviceaccounts/token", "TokenRequest", True, ["create"]), group="authentication.k8s.io", version="v1"),
    res("services", "Service", True, ["svc"], "0/CO1lhkEBI=", singular="service", categories=["all"]),
    sub("services/proxy", "ServiceProxyOptions", True, ["create","delete","get","patch","update"]),
    sub("services/status", "Service", True, ["get","patch","update"]),
]})
def group(name, versions, preferred=None):
    vs = [{"groupVersion": f"{name}/{v}", "version": v} for v in versions]
    p = preferred or versions[0]
    return {"name": name, "versions": vs, "preferredVersion": {"groupVersion": f"{name}/{p}", "version": p}}
w("apis.json", {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
    group("apiregistration.k8s.io", ["v1"]),
    group("apps", ["v1"]),
    group("events.k8s.io", ["v1"]),
    group("authentication.k8s.io", ["v1"]),
    group("authorization.k8s.io", ["v1"]),
    group("autoscaling", ["v2", "v1"]),
    group("batch", ["v1"]),
    group("certificates.k8s.io", ["v1"]),
    group("networking.k8s.io", ["v1"]),
    group("policy", ["v1"]),
    group("rbac.authorization.k8s.io", ["v1"]),
    group("storage.k8s.io", ["v1"]),
    group("admissionregistration.k8s.io", ["v1"]),
    group("apiextensions.k8s.io", ["v1"]),
    group("scheduling.k8s.io", ["v1"]),
    group("coordination.k8s.io", ["v1"]),
    group("node.k8s.io", ["v1"]),
    group("discovery.k8s.io", ["v1"]),
    group("flowcontrol.apiserver.k8s.io", ["v1"]),
    group("crd.k8s.amazonaws.com", ["v1alpha1"]),
    group("networking.k8s.aws", ["v1alpha1"]),
    group("policy.networking.k8s.io", ["v1alpha1"]),
    group("vpcresources.k8s.aws", ["v1beta1", "v1alpha1"]),
    group("metrics.k8s.io", ["v1beta1"]),
]})
w("apis__discovery.k8s.io__v1.json", {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "discovery.k8s.io/v1", "resources": [
    res("endpointslices", "EndpointSlice", True, None, "Nx3SIv6I0mE=", singular="endpointslice")]})
w("apis__networking.k8s.io__v1.json", {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "networking.k8s.io/v1", "resources": [
    res("ingressclasses", "IngressClass", False, None, "l/iqIbDgFyQ=", singular="ingressclass"),
    res("ingresses", "Ingress", True, ["ing"], "39NQlfNR+bo=", singular="ingress"),
    sub("ingresses/status", "Ingress", True, ["get","patch","update"]),
    res("ipaddresses", "IPAddress", False, ["ip"], "O4H8VxQhW5Y=", singular="ipaddress"),
    res("networkpolicies", "NetworkPolicy", True, ["netpol"], "YpfwF18m1G8=", singular="networkpolicy"),
    res("servicecidrs", "ServiceCIDR", False, None, "8ufAXOnr3Yg=", singular="servicecidr"),
    sub("servicecidrs/status", "ServiceCIDR", False, ["get","patch","update"]),
]})
w("apis__vpcresources.k8s.aws__v1beta1.json", {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "vpcresources.k8s.aws/v1beta1", "resources": [
    res("securitygrouppolicies", "SecurityGroupPolicy", True, ["sgp"], "GrudTpbLBGU=", singular="securitygrouppolicy")]})
w("apis__vpcresources.k8s.aws__v1alpha1.json", {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "vpcresources.k8s.aws/v1alpha1", "resources": [
    res("cninodes", "CNINode", False, ["cnd"], "8nkkq0tTD3s=", singular="cninode")]})
w("apis__networking.k8s.aws__v1alpha1.json", {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "networking.k8s.aws/v1alpha1", "resources": [
    res("policyendpoints", "PolicyEndpoint", True, None, "mj2Y0kWTBTg=", singular="policyendpoint"),
    sub("policyendpoints/status", "PolicyEndpoint", True, ["get","patch","update"]),
]})
w("apis__policy.networking.k8s.io__v1alpha1.json", {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "policy.networking.k8s.io/v1alpha1", "resources": [
    res("adminnetworkpolicies", "AdminNetworkPolicy", False, ["anp"], "+6YzXDmXTvI=", singular="adminnetworkpolicy"),
    sub("adminnetworkpolicies/status", "AdminNetworkPolicy", False, ["get","patch","update"]),
    res("baselineadminnetworkpolicies", "BaselineAdminNetworkPolicy", False, ["banp"], "s0Ss6cjAJ4E=", singular="baselineadminnetworkpolicy"),
    sub("baselineadminnetworkpolicies/status", "BaselineAdminNetworkPolicy", False, ["get","patch","update"]),
]})

# --- objects ---
RV = [700000]
def rv():
    RV[0] += 137
    return str(RV[0])
def mf(manager, op="Update", sub_=None):
    m = {"manager": manager, "operation": op, "apiVersion": "v1", "time": "2026-11-19T08:00:00Z", "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {"f:labels": {".": {}}}}}
    if sub_: m["subresource"] = sub_
    return m
def meta(name, ns=None, labels=None, uid=None, extra=None, managers=("kubectl-client-side-apply",)):
    m = {"name": name}
    if ns: m["namespace"] = ns
    m["uid"] = uid or hashlib.md5((name + "/" + (ns or "")).encode()).hexdigest()[:8] + "-4be9-4034-b47c-463b3ecb4cdb"
    m["resourceVersion"] = rv()
    m["creationTimestamp"] = "2026-10-20T08:15:42Z"
    if labels: m["labels"] = labels
    m["managedFields"] = [mf(x) for x in managers]
    if extra: m.update(extra)
    return m
def lst(kind, api, items, cont=None, remaining=None):
    md = {"resourceVersion": "718204"}
    if cont:
        md["continue"] = cont
    if remaining is not None:
        md["remainingItemCount"] = remaining
    return {"kind": kind, "apiVersion": api, "metadata": md, "items": items}

nss = []
for n, extra in [("default", {}), ("kube-system", {}), ("tenant-a", {"tenant": "a"}), ("tenant-b", {"tenant": "b"})]:
    l = {"kubernetes.io/metadata.name": n}; l.update(extra)
    nss.append({"metadata": meta(n, labels=l), "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
w("api__v1__namespaces.json", lst("NamespaceList", "v1", nss))

def node(name, ip, az, iid):
    return {"metadata": meta(name, labels={"kubernetes.io/hostname": name, "topology.kubernetes.io/zone": az, "topology.kubernetes.io/region": "us-east-1", "node.kubernetes.io/instance-type": "m6i.large", "eks.amazonaws.com/nodegroup": "general"},
                             extra={"annotations": {"alpha.kubernetes.io/provided-node-ip": ip, "node.alpha.kubernetes.io/ttl": "0"}}, managers=("kubelet", "kube-controller-manager")),
            "spec": {"providerID": f"aws:///{az}/{iid}"},
            "status": {"addresses": [{"type": "InternalIP", "address": ip}, {"type": "InternalDNS", "address": name}, {"type": "Hostname", "address": name}],
                       "conditions": [{"type": "MemoryPressure", "status": "False", "lastHeartbeatTime": "2026-11-20T08:59:31Z", "lastTransitionTime": "2026-10-20T08:10:02Z", "reason": "KubeletHasSufficientMemory", "message": "kubelet has sufficient memory available"},
                                      {"type": "Ready", "status": "True", "lastHeartbeatTime": "2026-11-20T08:59:31Z", "lastTransitionTime": "2026-10-20T08:10:20Z", "reason": "KubeletReady", "message": "kubelet is posting ready status"}],
                       "images": [{"names": ["602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon-k8s-cni@sha256:1f3c", "602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon-k8s-cni:v1.19.2-eksbuild.1"], "sizeBytes": 49051377}],
                       "nodeInfo": {"kubeletVersion": "v1.33.5-eks-113cf36", "osImage": "Amazon Linux 2023.9.20251117", "containerRuntimeVersion": "containerd://1.7.27", "architecture": "amd64", "operatingSystem": "linux"}}}
w("api__v1__nodes.json", lst("NodeList", "v1", [node("ip-10-10-37-140.ec2.internal", "10.10.37.140", "us-east-1a", "i-0a1b2c3d4e5f60718"), node("ip-10-10-70-12.ec2.internal", "10.10.70.12", "us-east-1b", "i-0f9e8d7c6b5a40312")]))

def pod(name, ns, labels, node_, ip, host_ip, owner, ports=None, sa="default", host_network=False, ready=True):
    c = {"name": labels.get("app", name.split("-")[0]), "image": "public.ecr.aws/docker/library/nginx:1.27", "imagePullPolicy": "IfNotPresent", "resources": {}, "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
    if ports: c["ports"] = ports
    spec = {"containers": [c], "dnsPolicy": "ClusterFirst", "enableServiceLinks": True, "nodeName": node_, "preemptionPolicy": "PreemptLowerPriority", "priority": 0, "restartPolicy": "Always", "schedulerName": "default-scheduler", "securityContext": {}, "serviceAccount": sa, "serviceAccountName": sa, "terminationGracePeriodSeconds": 30}
    if host_network: spec["hostNetwork"] = True
    st = "True" if ready else "False"
    return {"metadata": meta(name, ns, labels, extra={"generateName": name.rsplit("-", 1)[0] + "-", "ownerReferences": [{"apiVersion": "apps/v1", "kind": owner[0], "name": owner[1], "uid": "41c81175-e8e5-4cc1-8d4e-628eeabb88e9", "controller": True, "blockOwnerDeletion": True}]}, managers=("kube-controller-manager", "kubelet")),
            "spec": spec,
            "status": {"phase": "Running", "hostIP": host_ip, "hostIPs": [{"ip": host_ip}], "podIP": ip, "podIPs": [{"ip": ip}], "qosClass": "BestEffort", "startTime": "2026-10-20T08:15:42Z",
                       "conditions": [{"type": "Initialized", "status": "True", "lastProbeTime": None, "lastTransitionTime": "2026-10-20T08:15:42Z"}, {"type": "Ready", "status": st, "lastProbeTime": None, "lastTransitionTime": "2026-10-20T08:15:50Z"}],
                       "containerStatuses": [{"name": c["name"], "ready": ready, "restartCount": 0, "started": True, "image": c["image"], "imageID": "public.ecr.aws/docker/library/nginx@sha256:9c58", "containerID": "containerd://5be1", "state": {"running": {"startedAt": "2026-10-20T08:15:49Z"}}, "lastState": {}}]}}
N1, N2 = "ip-10-10-37-140.ec2.internal", "ip-10-10-70-12.ec2.internal"
p_coredns = pod("coredns-789f8477df-5xq2m", "kube-system", {"k8s-app": "kube-dns", "pod-template-hash": "789f8477df", "eks.amazonaws.com/component": "coredns"}, N1, "10.10.33.17", "10.10.37.140", ("ReplicaSet", "coredns-789f8477df"), [{"containerPort": 53, "name": "dns", "protocol": "UDP"}, {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"}], sa="coredns")
p_awsnode = pod("aws-node-7kx2d", "kube-system", {"k8s-app": "aws-node", "controller-revision-hash": "6d8b7c5f9", "pod-template-generation": "3"}, N1, "10.10.37.140", "10.10.37.140", ("DaemonSet", "aws-node"), [{"containerPort": 61678, "hostPort": 61678, "name": "metrics", "protocol": "TCP"}], sa="aws-node", host_network=True)
p_web = pod("web-txtv82hx9r-42fkg", "tenant-a", {"app": "web", "pod-template-hash": "txtv82hx9r"}, N2, "10.10.71.5", "10.10.70.12", ("ReplicaSet", "web-txtv82hx9r"), [{"containerPort": 8080, "name": "http", "protocol": "TCP"}])
p_pay = pod("payments-5d9f7c6b8-abcde", "tenant-a", {"app": "payments", "pod-template-hash": "5d9f7c6b8"}, N2, "10.10.72.9", "10.10.70.12", ("ReplicaSet", "payments-5d9f7c6b8"), [{"containerPort": 8443, "name": "https", "protocol": "TCP"}], sa="payments")
p_api = pod("api-vljlh6bh9l-dqn94", "tenant-b", {"app": "api", "pod-template-hash": "vljlh6bh9l"}, N1, "10.10.47.71", "10.10.37.140", ("ReplicaSet", "api-vljlh6bh9l"), [{"containerPort": 8080, "name": "http", "protocol": "TCP"}], ready=False)
TOKEN = "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NzE4MjA0LCJzdGFydCI6InRlbmFudC1hL3BheW1lbnRzLTVkOWY3YzZiOC1hYmNkZVx1MDAwMCJ9+/="
# Server order is etcd key order (namespace/name); page 1 ends mid-namespace.
w("api__v1__pods.page1.json", lst("PodList", "v1", [p_awsnode, p_coredns, p_pay], cont=TOKEN, remaining=2))
w("api__v1__pods.page2.json", lst("PodList", "v1", [p_web, p_api]))

def svc(name, ns, selector, ports, cluster_ip, labels=None, type_="ClusterIP"):
    return {"metadata": meta(name, ns, labels), "spec": {"clusterIP": cluster_ip, "clusterIPs": [cluster_ip], "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "ports": ports, **({"selector": selector} if selector else {}), "sessionAffinity": "None", "type": type_}, "status": {"loadBalancer": {}}}
w("api__v1__services.json", lst("ServiceList", "v1", [
    svc("kubernetes", "default", None, [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 443}], "172.20.0.1", {"component": "apiserver", "provider": "kubernetes"}),
    svc("kube-dns", "kube-system", {"k8s-app": "kube-dns"}, [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53}, {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53}], "172.20.0.10", {"k8s-app": "kube-dns"}),
    svc("web", "tenant-a", {"app": "web"}, [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"}], "172.20.44.12"),
    svc("payments", "tenant-a", {"app": "payments"}, [{"name": "https", "port": 8443, "protocol": "TCP", "targetPort": 8443}], "172.20.91.3"),
]))

sas = []
for ns in ["default", "kube-system", "tenant-a", "tenant-b"]:
    sas.append({"metadata": meta("default", ns)})
sas.append({"metadata": meta("coredns", "kube-system", {"eks.amazonaws.com/component": "coredns"})})
sas.append({"metadata": meta("aws-node", "kube-system", {"app.kubernetes.io/name": "aws-node"})})
sas.append({"metadata": meta("payments", "tenant-a", {"role": "payments"}, extra={"annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::111111111111:role/payments"}})})
w("api__v1__serviceaccounts.json", lst("ServiceAccountList", "v1", sas))

def slice_(name, ns, svcname, eps, ports):
    return {"metadata": meta(name, ns, {"kubernetes.io/service-name": svcname, "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}, extra={"generateName": svcname + "-", "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": "2026-10-20T08:15:50Z"}, "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": svcname, "uid": "0d1b", "controller": True, "blockOwnerDeletion": True}]}, managers=("kube-controller-manager",)),
            "addressType": "IPv4", "endpoints": eps, "ports": ports}
def ep(ip, pod_, ns, node_, ready=True):
    return {"addresses": [ip], "conditions": {"ready": ready, "serving": ready, "terminating": False}, "nodeName": node_, "targetRef": {"kind": "Pod", "name": pod_, "namespace": ns, "uid": "7c1e"}, "zone": "us-east-1b"}
w("apis__discovery.k8s.io__v1__endpointslices.json", lst("EndpointSliceList", "discovery.k8s.io/v1", [
    slice_("kube-dns-hx2wq", "kube-system", "kube-dns", [ep("10.10.33.17", "coredns-789f8477df-5xq2m", "kube-system", N1)], [{"name": "dns", "port": 53, "protocol": "UDP"}, {"name": "dns-tcp", "port": 53, "protocol": "TCP"}]),
    slice_("web-6vq8m", "tenant-a", "web", [ep("10.10.71.5", "web-txtv82hx9r-42fkg", "tenant-a", N2)], [{"name": "http", "port": 8080, "protocol": "TCP"}]),
    slice_("payments-k2r9d", "tenant-a", "payments", [ep("10.10.72.9", "payments-5d9f7c6b8-abcde", "tenant-a", N2)], [{"name": "https", "port": 8443, "protocol": "TCP"}]),
    {"metadata": meta("kubernetes", "default", {"kubernetes.io/service-name": "kubernetes"}, managers=("kube-apiserver",)), "addressType": "IPv4",
     "endpoints": [{"addresses": ["10.10.4.22"], "conditions": {"ready": True}}, {"addresses": ["10.10.133.5"], "conditions": {"ready": True}}], "ports": [{"name": "https", "port": 443, "protocol": "TCP"}]},
]))

def np_(name, ns, spec):
    return {"metadata": meta(name, ns, extra={"generation": 1}), "spec": spec}
w("apis__networking.k8s.io__v1__networkpolicies.json", lst("NetworkPolicyList", "networking.k8s.io/v1", [
    np_("default-deny", "tenant-a", {"podSelector": {}, "policyTypes": ["Ingress"]}),
    np_("web-from-alb", "tenant-a", {"podSelector": {"matchLabels": {"app": "web"}}, "ingress": [{"from": [{"ipBlock": {"cidr": "10.10.128.0/20"}}, {"ipBlock": {"cidr": "10.10.144.0/20"}}], "ports": [{"port": "http", "protocol": "TCP"}]}], "policyTypes": ["Ingress"]}),
    np_("allow-egress-internal", "tenant-b", {"podSelector": {"matchLabels": {"app": "api"}}, "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.10.0.0/24"]}}], "ports": [{"port": 5432, "protocol": "TCP"}, {"port": 8000, "endPort": 8100, "protocol": "TCP"}]}, {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}, "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}], "ports": [{"port": 53, "protocol": "UDP"}]}], "policyTypes": ["Egress"]}),
]))

w("apis__vpcresources.k8s.aws__v1beta1__securitygrouppolicies.json", lst("SecurityGroupPolicyList", "vpcresources.k8s.aws/v1beta1", [
    {"apiVersion": "vpcresources.k8s.aws/v1beta1", "kind": "SecurityGroupPolicy", "metadata": meta("payments-sgp", "tenant-a", {"tenant": "a"}, extra={"generation": 1, "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"apiVersion\":\"vpcresources.k8s.aws/v1beta1\",\"kind\":\"SecurityGroupPolicy\",\"metadata\":{\"annotations\":{},\"name\":\"payments-sgp\",\"namespace\":\"tenant-a\"}}\n"}}),
     "spec": {"podSelector": {"matchLabels": {"app": "payments"}}, "securityGroups": {"groupIds": ["sg-0227a38b2e999072c", "sg-0f4b487e1b4fbd914"]}}},
]))

w("apis__policy.networking.k8s.io__v1alpha1__adminnetworkpolicies.json", lst("AdminNetworkPolicyList", "policy.networking.k8s.io/v1alpha1", [
    {"apiVersion": "policy.networking.k8s.io/v1alpha1", "kind": "AdminNetworkPolicy", "metadata": meta("cluster-baseline-deny", None, extra={"generation": 2}),
     "spec": {"priority": 10, "subject": {"namespaces": {"matchLabels": {"tenant": "b"}}},
              "egress": [{"name": "deny-db", "action": "Deny", "to": [{"networks": ["10.30.0.0/16"]}], "ports": [{"portNumber": {"protocol": "TCP", "port": 5432}}]}]},
     "status": {"conditions": [{"type": "Ready-In-Cluster", "status": "True", "reason": "SetupSucceeded", "message": "Setup was successful", "lastTransitionTime": "2026-10-21T10:00:00Z", "observedGeneration": 2}]}},
]))
w("apis__policy.networking.k8s.io__v1alpha1__baselineadminnetworkpolicies.json", lst("BaselineAdminNetworkPolicyList", "policy.networking.k8s.io/v1alpha1", []))

ds = {"kind": "DaemonSet", "apiVersion": "apps/v1",
      "metadata": {"name": "aws-node", "namespace": "kube-system", "uid": "3b6d1f0e-4c1a-49b5-a0e4-2a8c7d3e9f10", "resourceVersion": "715502", "generation": 3, "creationTimestamp": "2026-10-20T08:05:11Z",
                   "labels": {"app.kubernetes.io/instance": "aws-vpc-cni", "app.kubernetes.io/managed-by": "Helm", "app.kubernetes.io/name": "aws-node", "app.kubernetes.io/version": "v1.19.2", "helm.sh/chart": "aws-vpc-cni-1.19.2", "k8s-app": "aws-node"},
                   "annotations": {"deprecated.daemonset.template.generation": "3"}, "managedFields": [mf("eks")]},
      "spec": {"selector": {"matchLabels": {"k8s-app": "aws-node"}}, "revisionHistoryLimit": 10,
               "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "10%", "maxSurge": 0}},
               "template": {"metadata": {"labels": {"app.kubernetes.io/instance": "aws-vpc-cni", "app.kubernetes.io/name": "aws-node", "k8s-app": "aws-node"}},
                            "spec": {"hostNetwork": True, "priorityClassName": "system-node-critical", "serviceAccountName": "aws-node", "serviceAccount": "aws-node",
                                     "initContainers": [{"name": "aws-vpc-cni-init", "image": "602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon-k8s-cni-init:v1.19.2-eksbuild.1", "env": [{"name": "DISABLE_TCP_EARLY_DEMUX", "value": "false"}, {"name": "ENABLE_IPv6", "value": "false"}], "securityContext": {"privileged": True}}],
                                     "containers": [
                                         {"name": "aws-node", "image": "602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon-k8s-cni:v1.19.2-eksbuild.1", "ports": [{"containerPort": 61678, "name": "metrics", "protocol": "TCP"}],
                                          "env": [{"name": "ADDITIONAL_ENI_TAGS", "value": "{}"}, {"name": "ANNOTATE_POD_IP", "value": "false"}, {"name": "AWS_VPC_CNI_NODE_PORT_SUPPORT", "value": "true"}, {"name": "AWS_VPC_ENI_MTU", "value": "9001"},
                                                  {"name": "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "value": "false"}, {"name": "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS", "value": "10.50.0.0/16,192.168.100.0/24"}, {"name": "AWS_VPC_K8S_CNI_EXTERNALSNAT", "value": "false"},
                                                  {"name": "AWS_VPC_K8S_CNI_LOGLEVEL", "value": "DEBUG"}, {"name": "AWS_VPC_K8S_CNI_RANDOMIZESNAT", "value": "prng"}, {"name": "ENABLE_POD_ENI", "value": "true"}, {"name": "ENABLE_PREFIX_DELEGATION", "value": "false"},
                                                  {"name": "NETWORK_POLICY_ENFORCING_MODE", "value": "standard"}, {"name": "POD_SECURITY_GROUP_ENFORCING_MODE", "value": "standard"}, {"name": "VPC_CNI_VERSION", "value": "v1.19.2"}, {"name": "WARM_ENI_TARGET", "value": "1"},
                                                  {"name": "MY_NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}, {"name": "MY_POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}],
                                          "resources": {"requests": {"cpu": "25m"}}, "securityContext": {"capabilities": {"add": ["NET_ADMIN", "NET_RAW"]}}},
                                         {"name": "aws-eks-nodeagent", "image": "602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon/aws-network-policy-agent:v1.1.6-eksbuild.1",
                                          "args": ["--enable-ipv6=false", "--enable-network-policy=true", "--enable-cloudwatch-logs=false", "--enable-policy-event-logs=false", "--log-file=/var/log/aws-routed-eni/network-policy-agent.log", "--metrics-bind-addr=:8162", "--health-probe-bind-addr=:8163", "--conntrack-cache-cleanup-period=300"],
                                          "env": [{"name": "MY_NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}],
                                          "resources": {"requests": {"cpu": "25m"}}, "securityContext": {"capabilities": {"add": ["NET_ADMIN"]}, "privileged": True}}]}}},
      "status": {"currentNumberScheduled": 2, "desiredNumberScheduled": 2, "numberAvailable": 2, "numberMisscheduled": 0, "numberReady": 2, "observedGeneration": 3, "updatedNumberScheduled": 2}}
w("apis__apps__v1__namespaces__kube-system__daemonsets__aws-node.json", ds)
