"""NetworkPolicy / EKS pod semantics audit scenarios (090-099).

Registered from `gen_trace_scenarios.py` by `register(...)`; the generator
passes its own helpers (the `eks` topology, `cite`, the documentation anchors)
so this file adds scenarios without copying them.  Every expected verdict
comes from the Kubernetes documentation, the upstream e2e suite
(`test/e2e/network/netpol/network_policy.go`), or the EKS / VPC resource
controller sources cited in the flow's note, never from netprove.
"""

import copy
import json
import os

from scenario import Scenario, k8s_list, perm, to_yaml

NAME_LABEL = "kubernetes.io/metadata.name"

DOCS = {
    "np_iso": "Kubernetes 'Network Policies' / 'The two sorts of pod isolation' (a pod is isolated for a "
              "direction iff a policy selecting it has that direction in policyTypes; allowed connections are "
              "the union of the applicable policies' rules) "
              "https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation",
    "np_api": "NetworkPolicy API reference (policyTypes defaulting; ingress/egress rules: an empty or missing "
              "from/to matches all sources/destinations, an empty or missing ports list matches all ports; "
              "a NetworkPolicyPeer needs podSelector, namespaceSelector or ipBlock) "
              "https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/",
    "np_sel": "Kubernetes 'Behavior of to and from selectors' (podSelector alone = pods of the policy's "
              "namespace; namespaceSelector = all pods of the selected namespaces; both in one element = AND) "
              "https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors",
    "np_nsname": "Kubernetes 'Targeting a Namespace by its name' (the control plane sets the immutable label "
                 "kubernetes.io/metadata.name on all namespaces) + e2e 'should enforce policy based on "
                 "NamespaceSelector with MatchExpressions using default ns label' "
                 "https://kubernetes.io/docs/concepts/services-networking/network-policies/#targeting-a-namespace-by-its-name",
    "np_proto": "Kubernetes 'Network traffic filtering' (NetworkPolicy is defined for TCP, UDP and SCTP; a "
                "missing protocol is TCP) + e2e 'should not mistakenly treat protocol: SCTP as protocol: TCP', "
                "'should properly isolate pods that are selected by a policy allowing SCTP', 'should not allow "
                "access by TCP when a policy specifies only UDP', 'should enforce ingress policy allowing any port "
                "traffic to a server on a specific protocol' "
                "https://kubernetes.io/docs/concepts/services-networking/network-policies/#network-traffic-filtering",
    "np_other": "Kubernetes 'Network traffic filtering' (for protocols other than TCP/UDP/SCTP, such as ICMP, "
                "the behaviour is plugin-defined; netprove reads a rule with a ports list as admitting only those "
                "protocols, and a rule without one as admitting every protocol, as Calico and Cilium do) "
                "https://kubernetes.io/docs/concepts/services-networking/network-policies/#network-traffic-filtering",
    "np_named": "NetworkPolicyPort.port ('a numerical or named port on a pod': resolved on the destination pod of "
                "the connection, for the rule's protocol) + e2e 'should allow ingress access on one named port', "
                "'should allow egress access on one named port'; a selected pod without that name gets no port "
                "from the rule (np-guard/netpol-analyzer#199) "
                "https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/",
    "np_endport": "Kubernetes 'Targeting a range of ports' (endPort >= port, both numeric, inclusive range) "
                  "https://kubernetes.io/docs/concepts/services-networking/network-policies/#targeting-a-range-of-ports",
    "np_ipblock": "Kubernetes 'Behavior of to and from selectors' (ipBlock selects CIDR ranges minus except) + e2e "
                  "'should allow egress access to server in CIDR block' and 'should enforce except clause while "
                  "egress access to server in CIDR block' (an ipBlock matches pod IPs) "
                  "https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-ipblock-selectors",
    "np_svc": "Kubernetes 'Behavior of to and from selectors' (policies act on pod IPs; Service traffic is judged "
              "after kube-proxy's DNAT to the backend pod and its targetPort) + Service targetPort ('a named port "
              "is looked up in each backend pod's container ports'; a pod without it is not an endpoint for that "
              "port) https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports",
    "np_self": "Kubernetes 'Network Policies' introduction ('a pod cannot block access to itself'; 'traffic to and "
               "from the node where a Pod is running is always allowed'; isolation: 'the only allowed connections "
               "into the pod are those from the pod's node and those allowed by the ingress list') "
               "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
    "np_host": "Kubernetes 'NetworkPolicy and hostNetwork pods' (most common implementation: hostNetwork pods are "
               "ignored by podSelector/namespaceSelector and their traffic is node traffic; an ipBlock can allow it) "
               "https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-and-hostnetwork-pods",
    "np_e2e_egress": "e2e 'should support denying of egress traffic on the client side (even if the server "
                     "explicitly allows this traffic)' and 'should enforce multiple, stacked policies with "
                     "overlapping podSelectors' (kubernetes test/e2e/network/netpol/network_policy.go)",
    "pod_phase": "Pod lifecycle: Succeeded/Failed pods are terminated and their IPs are released for reuse; CNIs "
                 "and NetworkPolicy implementations ignore them (kube-router PR #1090, amazon-network-policy-"
                 "controller-k8s PR #192) https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-phase",
    "sgp_match": "amazon-vpc-resource-controller-k8s filterPodSecurityGroups (SecurityGroupPolicies of the pod's "
                 "namespace only; podSelector AND serviceAccountSelector when both are set; the groups of every "
                 "matching policy are unioned onto the pod's branch ENI) "
                 "https://github.com/aws/amazon-vpc-resource-controller-k8s/blob/master/pkg/utils/helper.go",
}


class AuditScenario(Scenario):
    """A Scenario that can also write Services and ServiceAccounts."""

    def __init__(self, name, title, covers):
        super().__init__(name, title, covers)
        self.extra = {}  # cluster name -> file name -> [objects]

    def k8s_object(self, c, file_name, obj):
        self.extra.setdefault(c["name"], {}).setdefault(file_name, []).append(obj)

    def service(self, c, ns, name, cluster_ip, ports, selector):
        """ports: (name, port, targetPort, protocol)."""
        self.k8s_object(c, "services.yaml", {
            "apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
            "spec": {"clusterIP": cluster_ip, "clusterIPs": [cluster_ip], "ipFamilies": ["IPv4"],
                     "ports": [{"name": pn, "port": p, "protocol": pr, "targetPort": tp} for pn, p, tp, pr in ports],
                     "selector": selector, "type": "ClusterIP"}})
        return "svc:%s/%s/%s" % (c["name"], ns, name)

    def service_account(self, c, ns, name, labels):
        self.k8s_object(c, "serviceaccounts.yaml", {
            "apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": {"labels": labels, "name": name, "namespace": ns}})

    def write(self, root):
        super().write(root)
        for cname, files in self.extra.items():
            d = os.path.join(root, self.name, "k8s", cname)
            for file_name, objs in files.items():
                with open(os.path.join(d, file_name), "w") as f:
                    f.write(to_yaml(k8s_list(objs)))


def last_pod(c):
    return c["pods"][-1]


def add_container(c, name, ports):
    """A second container on the pod just built; ports: (name or None, port, protocol)."""
    spec = last_pod(c)["spec"]
    ctr = copy.deepcopy(spec["containers"][0])
    ctr["name"] = name
    ctr["ports"] = [dict(([("name", pn)] if pn else []) + [("containerPort", pt), ("protocol", pr)])
                    for pn, pt, pr in ports]
    spec["containers"].append(ctr)


def set_phase(c, phase, keep_ip=True):
    st = last_pod(c)["status"]
    st["phase"] = phase
    for cond in st["conditions"]:
        if cond["type"] in ("Ready", "ContainersReady"):
            cond["status"] = "False"
    if not keep_ip:
        st.pop("podIP", None)
        st.pop("podIPs", None)


def set_service_account(c, name):
    spec = last_pod(c)["spec"]
    spec["serviceAccount"] = name
    spec["serviceAccountName"] = name


def register(scenario, eks, cite, docs, web):
    """Adds the audit scenarios to the generator's list (`scenario` is its decorator)."""
    docs.update(DOCS)

    def vm(s, sub, v, ip="10.0.3.10", name="vm"):
        sg = s.sg(v, name, [perm("-1", cidrs=["10.0.0.0/16"])])
        s.instance(sub["vms"], ip, [sg], name=name)
        return ip

    VMS = (("vms", "10.0.3.0/24", "a"),)

    @scenario
    def np_policy_types_and_empty_rules():
        s = AuditScenario("090-eks-netpol-policytypes-empty-rules",
                          "Rules of a type policyTypes omits are ignored; `ingress: []` vs missing vs `[{}]`",
                          "NetworkPolicy policyTypes [Egress] ignores ingress rules (and vice versa); ingress: [] and "
                          "a missing ingress both deny all; [{}] allows all; egress: [] without policyTypes adds no "
                          "egress isolation")
        v, sub, c, n1, n2, _ = eks(s, extra_subnets=VMS)
        box = vm(s, sub, v)
        s.namespace(c, "shop")
        s.namespace(c, "ops")
        api = s.pod(c, "shop", "api", n1, "10.0.1.20", labels={"app": "api"}, ports=web)
        worker = s.pod(c, "shop", "worker", n2, "10.0.2.20", labels={"app": "worker"}, ports=web)
        tool = s.pod(c, "ops", "tool", n2, "10.0.2.21", labels={"app": "tool"}, ports=web)
        deny_empty = s.pod(c, "ops", "deny-empty", n2, "10.0.2.22", labels={"app": "deny-empty"}, ports=web)
        deny_missing = s.pod(c, "ops", "deny-missing", n2, "10.0.2.23", labels={"app": "deny-missing"}, ports=web)
        allow_all = s.pod(c, "ops", "allow-all", n2, "10.0.2.24", labels={"app": "allow-all"}, ports=web)
        eg_empty = s.pod(c, "ops", "egress-empty", n1, "10.0.1.21", labels={"app": "egress-empty"}, ports=web)
        p1 = s.netpol(c, "shop", "api-egress-only", {
            "podSelector": {"matchLabels": {"app": "api"}}, "policyTypes": ["Egress"],
            "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "nobody"}}}]}],
            "egress": [{"to": [{"podSelector": {"matchLabels": {"app": "worker"}}}]}]})
        p2 = s.netpol(c, "ops", "tool-ingress-only", {
            "podSelector": {"matchLabels": {"app": "tool"}}, "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"podSelector": {}}]}],
            "egress": [{"to": [{"ipBlock": {"cidr": "192.0.2.0/24"}}]}]})
        p3 = s.netpol(c, "ops", "ingress-empty-list", {"podSelector": {"matchLabels": {"app": "deny-empty"}},
                                                       "ingress": []})
        p4 = s.netpol(c, "ops", "no-rules", {"podSelector": {"matchLabels": {"app": "deny-missing"}}})
        s.netpol(c, "ops", "ingress-allow-all", {"podSelector": {"matchLabels": {"app": "allow-all"}},
                                                 "ingress": [{}]})
        p6 = s.netpol(c, "ops", "egress-empty-list", {"podSelector": {"matchLabels": {"app": "egress-empty"}},
                                                      "egress": []})
        s.flow(tool, api, "tcp", 8080, "allowed", "api-egress-only lists only Egress in policyTypes: its ingress "
               "rules are ignored, so api is not isolated for ingress (cilium#48703 enforced them: a bug)"
               + cite("np_types", "np_iso"))
        s.flow(api, worker, "tcp", 8080, "allowed", "the egress rule allows pods app=worker of shop"
               + cite("np_sel"))
        s.flow(api, tool, "tcp", 8080, "denied", "api is egress-isolated and only app=worker in shop is allowed"
               + cite("np_iso"), blocked_by=p1)
        s.flow(worker, tool, "tcp", 8080, "denied", "tool-ingress-only admits only pods of ops (podSelector {} "
               "without namespaceSelector)" + cite("np_sel"), blocked_by=p2)
        s.flow(tool, worker, "tcp", 8080, "allowed", "tool-ingress-only lists only Ingress: its egress rules "
               "(192.0.2.0/24 only) are ignored and tool is not isolated for egress" + cite("np_types", "np_iso"))
        s.flow(worker, deny_empty, "tcp", 8080, "denied", "`ingress: []` with no policyTypes: Ingress is always "
               "set, and no rule allows anything" + cite("np_types", "np_api"), blocked_by=p3)
        s.flow(worker, deny_missing, "tcp", 8080, "denied", "a policy with only a podSelector defaults to "
               "policyTypes [Ingress] and isolates without allowing anything" + cite("np_types"), blocked_by=p4)
        s.flow(box, allow_all, "tcp", 9999, "allowed", "`ingress: [{}]` is one rule with no from and no ports: "
               "every source (non-pods included) on every port" + cite("np_api"))
        s.flow(eg_empty, worker, "tcp", 8080, "allowed", "`egress: []` without policyTypes: Egress is set only "
               "when the policy has egress rules, so egress-empty is not egress-isolated" + cite("np_types"))
        s.flow(box, eg_empty, "tcp", 8080, "denied", "the same policy defaults to [Ingress] and allows no ingress"
               + cite("np_types"), blocked_by=p6)
        return s

    @scenario
    def np_peer_selectors():
        s = AuditScenario("091-eks-netpol-peer-selectors",
                          "namespaceSelector {} vs nil vs podSelector {}; empty from/to and ports",
                          "NetworkPolicy peers: namespaceSelector {} = pods of all namespaces (not node or non-pod "
                          "addresses); podSelector alone = the policy's namespace; {} + podSelector = AND; "
                          "to: [] = every destination; ports: [] = every port")
        v, sub, c, n1, n2, _ = eks(s, extra_subnets=VMS)
        box = vm(s, sub, v)
        box2 = vm(s, sub, v, ip="10.0.3.11", name="vm2")
        s.namespace(c, "srv")
        s.namespace(c, "blue", {"team": "blue"})
        s.namespace(c, "red", {"team": "red"})
        s.namespace(c, "mon")
        sv = s.pod(c, "srv", "server", n2, "10.0.2.20", labels={"app": "server"},
                   ports=[("http", 8080, "TCP"), ("admin", 9090, "TCP"), ("grpc", 7070, "TCP")])
        srv_peer = s.pod(c, "srv", "peer", n1, "10.0.1.20", labels={"role": "client"})
        blue_client = s.pod(c, "blue", "client", n1, "10.0.1.21", labels={"role": "client"})
        blue_other = s.pod(c, "blue", "other", n1, "10.0.1.22", labels={"role": "other"})
        red_client = s.pod(c, "red", "client", n1, "10.0.1.23", labels={"role": "client"})
        agent = s.pod(c, "mon", "agent", n1, labels={"app": "agent"}, host_network=True)
        egress_any = s.pod(c, "red", "egress-any", n1, "10.0.1.24", labels={"app": "egress-any"})
        pol = s.netpol(c, "srv", "server-ingress", {
            "podSelector": {"matchLabels": {"app": "server"}}, "policyTypes": ["Ingress"],
            "ingress": [
                {"from": [{"namespaceSelector": {}}], "ports": [{"protocol": "TCP", "port": 8080}]},
                {"from": [{"podSelector": {}}], "ports": [{"port": 9090}]},
                {"from": [{"namespaceSelector": {}, "podSelector": {"matchLabels": {"role": "client"}}}],
                 "ports": [{"protocol": "TCP", "port": 7070}]},
                {"from": [{"ipBlock": {"cidr": "10.0.3.10/32"}}], "ports": []},
            ]})
        eg = s.netpol(c, "red", "egress-https-anywhere", {
            "podSelector": {"matchLabels": {"app": "egress-any"}}, "policyTypes": ["Egress"],
            "egress": [{"to": [], "ports": [{"protocol": "TCP", "port": 443}]}]})
        s.flow(red_client, sv, "tcp", 8080, "allowed", "namespaceSelector {} selects every namespace"
               + cite("np_sel", "np_api"))
        s.flow(box2, sv, "tcp", 8080, "denied", "namespaceSelector {} selects pods of every namespace, not "
               "non-pod addresses such as this instance" + cite("np_sel"), blocked_by=pol)
        s.flow(agent, sv, "tcp", 8080, "denied", "the hostNetwork agent sends from its node's IP and is not "
               "matched by pod or namespace selectors" + cite("np_host"), blocked_by=pol)
        s.flow(blue_client, sv, "tcp", 9090, "denied", "podSelector {} without namespaceSelector selects only "
               "pods of the policy's namespace (srv)" + cite("np_sel"), blocked_by=pol)
        s.flow(srv_peer, sv, "tcp", 9090, "allowed", "a pod of srv; the port's protocol defaults to TCP"
               + cite("np_sel", "np_api"))
        s.flow(red_client, sv, "tcp", 7070, "allowed", "namespaceSelector {} AND podSelector role=client in one "
               "element: role=client pods of any namespace" + cite("np_sel"))
        s.flow(blue_other, sv, "tcp", 7070, "denied", "any namespace, but role=other fails the podSelector of the "
               "same element" + cite("np_sel"), blocked_by=pol)
        s.flow(box, sv, "tcp", 5555, "allowed", "`ports: []` matches every port; the ipBlock admits 10.0.3.10"
               + cite("np_api"))
        s.flow(egress_any, box, "tcp", 443, "allowed", "`to: []` matches every destination, non-pods included"
               + cite("np_api"))
        s.flow(egress_any, box, "tcp", 80, "denied", "only tcp/443 is allowed out" + cite("np_api"), blocked_by=eg)
        return s

    @scenario
    def np_namespace_labels():
        s = AuditScenario("092-eks-netpol-namespace-labels",
                          "The automatic kubernetes.io/metadata.name label; a namespace absent from the snapshot",
                          "namespaceSelector on kubernetes.io/metadata.name when the Namespace object omits the "
                          "label; a namespace with pods but no object: selectors on its other labels are unknown")
        v, sub, c, n1, n2, _ = eks(s)
        s.namespace(c, "x")
        s.namespace(c, "y")
        s.namespace(c, "z")
        # Exported Namespace objects without the automatic label (hand-written or stripped exports).
        c["namespaces"]["x"] = {}
        c["namespaces"]["y"] = {}
        s.namespace(c, "blue", {"team": "blue"})
        s.namespace(c, "srv")
        xa = s.pod(c, "x", "a", n1, "10.0.1.20", labels={"pod": "a"})
        yb = s.pod(c, "y", "b", n2, "10.0.2.20", labels={"pod": "b"}, ports=web)
        zc = s.pod(c, "z", "c", n2, "10.0.2.21", labels={"pod": "c"}, ports=web)
        # Namespace "ghost" has pods but no Namespace object in the snapshot.
        ghost = s.pod(c, "ghost", "client", n1, "10.0.1.21", labels={"role": "client"})
        blue = s.pod(c, "blue", "client", n1, "10.0.1.22", labels={"role": "client"})
        by_name = s.pod(c, "srv", "by-name", n2, "10.0.2.22", labels={"app": "by-name"}, ports=web)
        by_team = s.pod(c, "srv", "by-team", n2, "10.0.2.23", labels={"app": "by-team"}, ports=web)
        by_both = s.pod(c, "srv", "by-both", n2, "10.0.2.24", labels={"app": "by-both"}, ports=web)
        not_y = s.netpol(c, "x", "a-egress-not-y", {
            "podSelector": {"matchLabels": {"pod": "a"}}, "policyTypes": ["Egress"],
            "egress": [{"to": [{"namespaceSelector": {"matchExpressions": [
                {"key": NAME_LABEL, "operator": "NotIn", "values": ["y"]}]}}]}]})

        def ingress_from(name, app, ns_selector):
            return s.netpol(c, "srv", name, {
                "podSelector": {"matchLabels": {"app": app}}, "policyTypes": ["Ingress"],
                "ingress": [{"from": [{"namespaceSelector": ns_selector}]}]})
        ingress_from("from-ghost-by-name", "by-name", {"matchLabels": {NAME_LABEL: "ghost"}})
        ingress_from("from-team-blue", "by-team", {"matchLabels": {"team": "blue"}})
        both = ingress_from("from-blue-by-name-and-team", "by-both", {"matchLabels": {NAME_LABEL: "blue",
                                                                                        "team": "blue"}})
        s.flow(xa, yb, "tcp", 8080, "denied", "NotIn [y] on kubernetes.io/metadata.name: the API server sets the "
               "label on every namespace, even though the exported object for y omits it" + cite("np_nsname"),
               blocked_by=not_y)
        s.flow(xa, zc, "tcp", 8080, "allowed", "z is not y" + cite("np_nsname"))
        s.flow(ghost, by_name, "tcp", 8080, "allowed", "the name label is known without the Namespace object: it "
               "always equals the namespace's name" + cite("np_nsname"))
        s.flow(ghost, by_team, "tcp", 8080, "unknown", "the snapshot has no Namespace object for ghost, so whether "
               "it carries team=blue cannot be known; a selector on any other label than kubernetes.io/metadata.name "
               "cannot be evaluated" + cite("np_sel"))
        s.flow(blue, by_team, "tcp", 8080, "allowed", "namespace blue has team=blue" + cite("np_sel"))
        s.flow(ghost, by_both, "tcp", 8080, "denied", "the selector also requires kubernetes.io/metadata.name=blue, "
               "which ghost fails whatever its other labels are" + cite("np_nsname"), blocked_by=both)
        return s

    @scenario
    def np_protocols():
        s = AuditScenario("093-eks-netpol-protocols", "SCTP-only and UDP-only rules do not admit TCP",
                          "NetworkPolicy protocols: SCTP-only and UDP-only rules still isolate and never allow TCP; "
                          "a protocol-only rule allows every port of that protocol; ICMP against port rules")
        v, sub, c, n1, n2, _ = eks(s)
        s.namespace(c, "x")
        s.namespace(c, "y")
        s.namespace(c, "w")
        a = s.pod(c, "x", "a", n2, "10.0.2.20", labels={"pod": "a"}, ports=[("sctp-81", 81, "SCTP")])
        b = s.pod(c, "x", "b", n2, "10.0.2.21", labels={"pod": "b"}, ports=[("udp-81", 81, "UDP")])
        cc = s.pod(c, "x", "c", n2, "10.0.2.22", labels={"pod": "c"})
        d = s.pod(c, "x", "d", n2, "10.0.2.23", labels={"pod": "d"})
        e = s.pod(c, "w", "e", n2, "10.0.2.24", labels={"pod": "e"})
        cl = s.pod(c, "y", "client", n1, "10.0.1.20", labels={"pod": "client"})
        deny = s.netpol(c, "x", "deny-ingress", {"podSelector": {}, "policyTypes": ["Ingress"]})
        s.netpol(c, "x", "allow-only-sctp-81", {"podSelector": {"matchLabels": {"pod": "a"}},
                                                "ingress": [{"ports": [{"port": 81, "protocol": "SCTP"}]}]})
        s.netpol(c, "x", "allow-only-udp-81", {"podSelector": {"matchLabels": {"pod": "b"}},
                                               "ingress": [{"ports": [{"port": 81, "protocol": "UDP"}]}]})
        s.netpol(c, "x", "allow-tcp-any-port", {"podSelector": {"matchLabels": {"pod": "c"}},
                                                "ingress": [{"ports": [{"protocol": "TCP"}]}]})
        s.netpol(c, "x", "allow-from-y", {"podSelector": {"matchLabels": {"pod": "d"}}, "ingress": [
            {"from": [{"namespaceSelector": {"matchLabels": {NAME_LABEL: "y"}}}]}]})
        sctp80 = s.netpol(c, "w", "allow-only-sctp-80", {"podSelector": {"matchLabels": {"pod": "e"}},
                                                         "ingress": [{"ports": [{"port": 80, "protocol": "SCTP"}]}]})
        s.flow(cl, a, "tcp", 81, "denied", "an SCTP/81 rule does not admit TCP/81" + cite("np_proto"),
               blocked_by=deny)
        s.flow(cl, a, "sctp", 81, "allowed", "SCTP/81 is allowed" + cite("np_proto"))
        s.flow(cl, a, "sctp", 80, "denied", "SCTP/80 matches no rule" + cite("np_proto"), blocked_by=deny)
        s.flow(cl, b, "tcp", 81, "denied", "a UDP-only rule does not admit TCP" + cite("np_proto"), blocked_by=deny)
        s.flow(cl, b, "udp", 81, "allowed", "UDP/81 is allowed" + cite("np_proto"))
        s.flow(cl, cc, "tcp", 9999, "allowed", "a ports entry with a protocol and no port admits every port of "
               "that protocol" + cite("np_proto"))
        s.flow(cl, cc, "udp", 9999, "denied", "only TCP is admitted" + cite("np_proto"), blocked_by=deny)
        s.flow(cl, cc, "icmp", None, "denied", "ICMP matches no rule restricted to TCP" + cite("np_other"),
               icmp=(8, 0), blocked_by=deny)
        s.flow(cl, d, "icmp", None, "allowed", "a rule without ports admits every protocol from namespace y"
               + cite("np_other"), icmp=(8, 0))
        s.flow(cl, e, "tcp", 81, "denied", "a pod selected only by an SCTP policy is still isolated for TCP"
               + cite("np_proto"), blocked_by=sctp80)
        return s

    @scenario
    def np_named_ports():
        s = AuditScenario("094-eks-netpol-named-ports",
                          "Named ports: per destination pod, per protocol, on any container",
                          "NetworkPolicy named ports: a name on two containers, a protocol mismatch, a pod without "
                          "the name, egress to a non-pod and to a hostNetwork pod")
        v, sub, c, n1, n2, _ = eks(s, extra_subnets=VMS)
        box = vm(s, sub, v)
        s.namespace(c, "app")
        multi = s.pod(c, "app", "multi", n2, "10.0.2.20", labels={"role": "server"},
                      ports=[("metrics", 9100, "TCP")])
        add_container(c, "sidecar", [("metrics", 9200, "TCP")])
        udp_only = s.pod(c, "app", "udp-only", n2, "10.0.2.21", labels={"role": "server"},
                         ports=[("metrics", 9100, "UDP")])
        unnamed = s.pod(c, "app", "unnamed", n2, "10.0.2.22", labels={"role": "server"}, ports=[(None, 9100, "TCP")])
        web_pod = s.pod(c, "app", "web", n2, "10.0.2.23", labels={"role": "web"}, ports=[("https", 8443, "TCP")])
        hostnet = s.pod(c, "app", "hostnet", n2, labels={"role": "web"}, ports=[("https", 8443, "TCP")],
                        host_network=True)
        client = s.pod(c, "app", "client", n1, "10.0.1.20", labels={"role": "client"})
        egc = s.pod(c, "app", "egress-client", n1, "10.0.1.21", labels={"role": "egress"})
        pol = s.netpol(c, "app", "servers-metrics", {
            "podSelector": {"matchLabels": {"role": "server"}}, "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"podSelector": {}}], "ports": [{"port": "metrics"}]}]})
        eg = s.netpol(c, "app", "egress-https", {
            "podSelector": {"matchLabels": {"role": "egress"}}, "policyTypes": ["Egress"],
            "egress": [{"ports": [{"port": "https"}]}]})
        s.flow(client, multi, "tcp", 9100, "allowed", "'metrics' is 9100 on the first container" + cite("np_named"))
        s.flow(client, multi, "tcp", 9200, "allowed", "'metrics' is also 9200 on the sidecar container: both are "
               "named ports of the pod" + cite("np_named"))
        s.flow(client, multi, "tcp", 9300, "denied", "9300 is not named 'metrics'" + cite("np_named"),
               blocked_by=pol)
        s.flow(client, udp_only, "tcp", 9100, "denied", "the rule's protocol defaults to TCP and this pod's "
               "'metrics' is UDP: the name resolves per protocol" + cite("np_named", "np_proto"), blocked_by=pol)
        s.flow(client, unnamed, "tcp", 9100, "denied", "the pod has no port named 'metrics', so the rule gives it "
               "no port" + cite("np_named"), blocked_by=pol)
        s.flow(egc, web_pod, "tcp", 8443, "allowed", "'https' resolves on the destination pod to 8443"
               + cite("np_named"))
        s.flow(egc, web_pod, "tcp", 9090, "denied", "9090 is not 'https' on the destination" + cite("np_named"),
               blocked_by=eg)
        s.flow(egc, box, "tcp", 8443, "denied", "the destination is not a pod, so a named port cannot resolve"
               + cite("np_named"), blocked_by=eg)
        s.flow(egc, hostnet, "tcp", 8443, "denied", "a hostNetwork pod is node traffic, not a pod the plugin "
               "resolves names on" + cite("np_host", "np_named"), blocked_by=eg)
        return s

    @scenario
    def np_ipblock_endport():
        s = AuditScenario("095-eks-netpol-ipblock-endport", "ipBlock on pod IPs with except, additive; endPort",
                          "NetworkPolicy ipBlock matches pod IPs; except carve-out; a second policy re-allowing the "
                          "excepted IP (additive); ipBlock on a node IP admits a hostNetwork pod; UDP endPort range")
        v, sub, c, n1, n2, _ = eks(s, extra_subnets=VMS)
        box = vm(s, sub, v)
        s.namespace(c, "x")
        s.namespace(c, "mon")
        a = s.pod(c, "x", "a", n1, "10.0.1.20", labels={"pod": "a"})
        b = s.pod(c, "x", "b", n2, "10.0.2.21", labels={"pod": "b"}, ports=web)
        cc = s.pod(c, "x", "c", n2, "10.0.2.22", labels={"pod": "c"}, ports=web)
        d = s.pod(c, "x", "d", n1, "10.0.1.21", labels={"pod": "d"})
        e = s.pod(c, "x", "e", n1, "10.0.1.22", labels={"pod": "e"})
        f = s.pod(c, "x", "f", n2, "10.0.2.23", labels={"pod": "f"}, ports=web)
        agent = s.pod(c, "mon", "agent", n1, labels={"app": "agent"}, host_network=True)
        except_rule = [{"to": [{"ipBlock": {"cidr": "10.0.0.0/16", "except": ["10.0.2.21/32"]}}]}]
        pa = s.netpol(c, "x", "a-egress-except", {"podSelector": {"matchLabels": {"pod": "a"}},
                                                  "policyTypes": ["Egress"], "egress": except_rule})
        s.netpol(c, "x", "d-egress-except", {"podSelector": {"matchLabels": {"pod": "d"}},
                                             "policyTypes": ["Egress"], "egress": except_rule})
        s.netpol(c, "x", "d-egress-exact", {"podSelector": {"matchLabels": {"pod": "d"}}, "policyTypes": ["Egress"],
                                            "egress": [{"to": [{"ipBlock": {"cidr": "10.0.2.21/32"}}]}]})
        pe = s.netpol(c, "x", "e-egress-udp-range", {
            "podSelector": {"matchLabels": {"pod": "e"}}, "policyTypes": ["Egress"],
            "egress": [{"to": [{"ipBlock": {"cidr": "10.0.3.0/24"}}],
                        "ports": [{"protocol": "UDP", "port": 32000, "endPort": 32768}]}]})
        pf = s.netpol(c, "x", "f-from-node-n1", {
            "podSelector": {"matchLabels": {"pod": "f"}}, "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.1.10/32"}}]}]})
        s.flow(a, b, "tcp", 8080, "denied", "b's pod IP is the except entry of the ipBlock" + cite("np_ipblock"),
               blocked_by=pa)
        s.flow(a, cc, "tcp", 8080, "allowed", "c's pod IP is inside 10.0.0.0/16 and not excepted: ipBlock matches "
               "pod IPs" + cite("np_ipblock"))
        s.flow(d, b, "tcp", 8080, "allowed", "d-egress-except carves 10.0.2.21 out, but d-egress-exact allows it: "
               "policies are additive" + cite("np_iso", "np_ipblock"))
        s.flow(e, box, "udp", 32000, "allowed", "port is the lower bound of the range" + cite("np_endport"))
        s.flow(e, box, "udp", 32768, "allowed", "endPort is inclusive" + cite("np_endport"))
        s.flow(e, box, "udp", 32769, "denied", "above endPort" + cite("np_endport"), blocked_by=pe)
        s.flow(e, box, "tcp", 32000, "denied", "the range is for UDP only" + cite("np_endport", "np_proto"),
               blocked_by=pe)
        s.flow(agent, f, "tcp", 8080, "allowed", "the hostNetwork agent sends from node n1's IP, which the ipBlock "
               "admits" + cite("np_host"))
        s.flow(cc, f, "tcp", 8080, "denied", "c's pod IP is not node n1's IP" + cite("np_ipblock"), blocked_by=pf)
        return s

    @scenario
    def np_services():
        s = AuditScenario("096-eks-netpol-service-dnat", "Policies judge Service traffic after DNAT",
                          "NetworkPolicy on ClusterIP traffic: pod IPs and targetPorts after DNAT; a named "
                          "targetPort resolved per backend; a pod without the name is no endpoint; an ipBlock on "
                          "the Service CIDR does not match")
        v, sub, c, n1, n2, _ = eks(s)
        s.namespace(c, "web")
        s.namespace(c, "cli")
        be1 = s.pod(c, "web", "be-1", n2, "10.0.2.20", labels={"app": "web"}, ports=[("http", 8080, "TCP")])
        s.pod(c, "web", "be-2", n2, "10.0.2.21", labels={"app": "web"}, ports=[("http", 9090, "TCP")])
        be3 = s.pod(c, "web", "be-3", n2, "10.0.2.22", labels={"app": "web"}, ports=[(None, 8080, "TCP")])
        client = s.pod(c, "cli", "client", n1, "10.0.1.20", labels={"app": "client"})
        client2 = s.pod(c, "cli", "client-2", n1, "10.0.1.21", labels={"app": "client-2"})
        svc = s.service(c, "web", "web", "172.20.0.10", [("http", 80, "http", "TCP")], {"app": "web"})
        ing = s.netpol(c, "web", "web-ingress", {
            "podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {NAME_LABEL: "cli"}}}],
                         "ports": [{"protocol": "TCP", "port": "http"}]}]})
        s.netpol(c, "cli", "client-egress", {
            "podSelector": {"matchLabels": {"app": "client"}}, "policyTypes": ["Egress"],
            "egress": [{"to": [{"namespaceSelector": {"matchLabels": {NAME_LABEL: "web"}},
                                "podSelector": {"matchLabels": {"app": "web"}}}],
                        "ports": [{"protocol": "TCP", "port": 8080}, {"protocol": "TCP", "port": 9090}]}]})
        eg2 = s.netpol(c, "cli", "client-2-egress-service-cidr", {
            "podSelector": {"matchLabels": {"app": "client-2"}}, "policyTypes": ["Egress"],
            "egress": [{"to": [{"ipBlock": {"cidr": "172.20.0.0/16"}}]}]})
        s.flow(client, svc, "tcp", 80, "allowed", "DNAT to be-1:8080 or be-2:9090 (targetPort 'http' per backend); "
               "the client's egress allows the pod ports (not the service port 80) and web-ingress's named port "
               "resolves on each backend; be-3 has no 'http' port and is not an endpoint" + cite("np_svc", "np_named"))
        s.flow(client2, svc, "tcp", 80, "denied", "after DNAT the destination is a pod IP, outside the Service CIDR "
               "the egress ipBlock names" + cite("np_svc", "np_ipblock"), blocked_by=eg2)
        s.flow(client, be1, "tcp", 8080, "allowed", "direct to the pod: egress allows 8080; 'http' is 8080 on be-1"
               + cite("np_named"))
        s.flow(client, be3, "tcp", 8080, "denied", "be-3 has no port named 'http': web-ingress gives it no port"
               + cite("np_named"), blocked_by=ing)
        return s

    @scenario
    def np_pod_lifecycle():
        s = AuditScenario("097-eks-netpol-self-node-terminal",
                          "A pod and itself, its own node, and terminated pods",
                          "NetworkPolicy: a pod cannot block itself; ingress from the pod's own node is exempt by "
                          "the docs but enforced by some plugins (unknown), egress to it is not exempt; node-local "
                          "traffic crosses no ENI; Succeeded pods' stale IPs are ignored")
        v, sub, c, n1, n2, _ = eks(s, node_sg_ingress=[perm("tcp", 8080, 8080, cidrs=["10.0.0.0/16"])])
        s.namespace(c, "app")
        s.namespace(c, "mon")
        solo = s.pod(c, "app", "solo", n1, "10.0.1.20", labels={"app": "solo"}, ports=web)
        plain = s.pod(c, "app", "plain", n1, "10.0.1.22", labels={"app": "plain"}, ports=web)
        agent1 = s.pod(c, "mon", "agent-n1", n1, labels={"app": "agent"}, ports=web, host_network=True)
        agent2 = s.pod(c, "mon", "agent-n2", n2, labels={"app": "agent"}, ports=web, host_network=True)
        srv = s.pod(c, "app", "server", n1, "10.0.1.21", labels={"app": "server"}, ports=web)
        s.pod(c, "app", "old-job", n2, "10.0.2.25", labels={"role": "trusted"})
        set_phase(c, "Succeeded")
        s.pod(c, "app", "pending", n2, "10.0.2.26", labels={"role": "trusted"})
        set_phase(c, "Pending", keep_ip=False)
        new = s.pod(c, "app", "new", n2, "10.0.2.25", labels={"role": "untrusted"})
        deny = s.netpol(c, "app", "solo-deny-all", {"podSelector": {"matchLabels": {"app": "solo"}},
                                                    "policyTypes": ["Ingress", "Egress"]})
        trusted = s.netpol(c, "app", "server-from-trusted", {
            "podSelector": {"matchLabels": {"app": "server"}}, "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"podSelector": {"matchLabels": {"role": "trusted"}}}]}]})
        s.flow(solo, solo, "tcp", 8080, "allowed", "a pod cannot block access to itself, even when isolated for "
               "both directions" + cite("np_self"))
        s.flow(solo, agent1, "tcp", 8080, "denied", "egress to the pod's own node: egress isolation admits only "
               "the egress list (the node clause of the isolation rules is for ingress)" + cite("np_iso", "np_host"),
               blocked_by=deny)
        s.flow(agent1, solo, "tcp", 8080, "unknown", "ingress from the pod's own node: the isolation rules admit "
               "connections from the pod's node, but some plugins enforce policies on them" + cite("np_self", "np_host"))
        s.flow(solo, agent2, "tcp", 8080, "denied", "another node's IP is ordinary traffic for an egress-isolated "
               "pod" + cite("np_iso", "np_host"), blocked_by=deny)
        s.flow(agent2, solo, "tcp", 8080, "denied", "from another node: ingress isolation applies" + cite("np_iso"),
               blocked_by=deny)
        s.flow("10.0.1.10", plain, "tcp", 9090, "allowed", "node n1 to a pod on its secondary IPs: the packet "
               "stays on the host (veth), no ENI and so no security group; no policy selects plain"
               + cite("cni", "sgp_mode"))
        s.flow("10.0.2.10", plain, "tcp", 9090, "denied", "from node n2 the packet enters n1's ENI, whose group "
               "allows only tcp/8080" + cite("cni", "sg"), blocked_by=n1["sgs"][0]["GroupId"])
        s.flow("10.0.2.25", srv, "tcp", 8080, "denied", "10.0.2.25 belongs to the running pod 'new' "
               "(role=untrusted); the Succeeded pod that used it before is ignored" + cite("pod_phase", "np_sel"),
               blocked_by=trusted)
        s.flow(new, srv, "tcp", 8080, "denied", "role=untrusted is not selected" + cite("np_sel"),
               blocked_by=trusted)
        return s

    @scenario
    def sgp_matching():
        s = AuditScenario("098-eks-sgp-matching", "SecurityGroupPolicy: namespace scope, AND of selectors, union",
                          "Security Groups for Pods: an SGP selects pods of its own namespace; podSelector AND "
                          "serviceAccountSelector; the groups of all matching SGPs are unioned on the branch ENI; "
                          "standard mode does not enforce them on traffic from the pod's own host")
        v, sub, c, n1, n2, node_sg = eks(s, trunk=True, sg_mode="standard")
        sg_a = s.sg(v, "payments-https", [perm("tcp", 8443, 8443, cidrs=["10.0.0.0/16"])])
        sg_b = s.sg(v, "payments-admin", [perm("tcp", 9443, 9443, cidrs=["10.0.0.0/16"])])
        sg_c = s.sg(v, "reports", [perm("tcp", 7443, 7443, cidrs=["10.0.0.0/16"])])
        s.namespace(c, "pay")
        s.namespace(c, "other")
        s.service_account(c, "pay", "payments", {"role": "payments"})
        s.service_account(c, "pay", "reports", {"team": "reports"})
        s.service_account(c, "pay", "default", {})
        s.service_account(c, "other", "default", {})
        s.sgp(c, "pay", "by-label", {"app": "payments"}, [sg_a])
        c["sgps"].append({"apiVersion": "vpcresources.k8s.aws/v1beta1", "kind": "SecurityGroupPolicy",
                          "metadata": {"name": "by-service-account", "namespace": "pay"},
                          "spec": {"serviceAccountSelector": {"matchLabels": {"role": "payments"}},
                                   "securityGroups": {"groupIds": [sg_b["GroupId"]]}}})
        c["sgps"].append({"apiVersion": "vpcresources.k8s.aws/v1beta1", "kind": "SecurityGroupPolicy",
                          "metadata": {"name": "reports-and", "namespace": "pay"},
                          "spec": {"podSelector": {"matchLabels": {"app": "reports"}},
                                   "serviceAccountSelector": {"matchLabels": {"team": "reports"}},
                                   "securityGroups": {"groupIds": [sg_c["GroupId"]]}}})
        pay = s.pod(c, "pay", "payments", n1, "10.0.1.40", labels={"app": "payments"}, branch_sgs=[sg_a, sg_b])
        set_service_account(c, "payments")
        rep = s.pod(c, "pay", "reports", n1, "10.0.1.41", labels={"app": "reports"}, branch_sgs=[sg_c])
        set_service_account(c, "reports")
        rep_default = s.pod(c, "pay", "reports-default-sa", n1, "10.0.1.20", labels={"app": "reports"})
        impostor = s.pod(c, "other", "payments", n1, "10.0.1.21", labels={"app": "payments"})
        caller = s.pod(c, "other", "caller", n2, "10.0.2.20", labels={"app": "caller"})
        s.flow(caller, pay, "tcp", 8443, "allowed", "by-label selects the pod: payments-https on its branch ENI"
               + cite("sgp_match", "sgp"))
        s.flow(caller, pay, "tcp", 9443, "allowed", "by-service-account also selects it (its ServiceAccount has "
               "role=payments): the groups of both policies are unioned" + cite("sgp_match"))
        s.flow(caller, pay, "tcp", 9000, "denied", "neither of the pod's groups allows tcp/9000 and the node's "
               "group does not apply to a branch ENI" + cite("sgp", "sgp_match"))
        s.flow(caller, impostor, "tcp", 9000, "allowed", "same labels in another namespace: SecurityGroupPolicies "
               "are namespaced, so the pod uses the node's group (all traffic from the VPC)" + cite("sgp_match", "cni"))
        s.flow(caller, rep_default, "tcp", 9000, "allowed", "reports-and needs app=reports AND a ServiceAccount "
               "with team=reports; this pod runs as `default`, so it keeps the node's group" + cite("sgp_match", "cni"))
        s.flow(caller, rep, "tcp", 7443, "allowed", "both selectors match: the reports group applies"
               + cite("sgp_match"))
        s.flow("10.0.1.10", pay, "tcp", 9000, "allowed", "standard mode: traffic from another service on the same "
               "host (kubelet, the node itself) is not enforced by the pod's security groups" + cite("sgp_mode"))
        s.flow("10.0.2.10", pay, "tcp", 9000, "denied", "from another host the pod's groups apply"
               + cite("sgp_mode"))
        s.flow(caller, rep, "tcp", 9000, "denied", "the reports group allows only tcp/7443" + cite("sgp_match"),
               blocked_by=sg_c["GroupId"])
        return s

    @scenario
    def np_union_both_sides():
        s = AuditScenario("099-eks-netpol-union-both-sides",
                          "Stacked policies are unioned; egress and ingress must both allow",
                          "NetworkPolicy: the client's egress denies even when the server allows; stacked ingress "
                          "policies on one pod add up; policies select only pods of their own namespace")
        v, sub, c, n1, n2, _ = eks(s)
        for ns in ("x", "y", "z"):
            s.namespace(c, ns)
        xa = s.pod(c, "x", "a", n1, "10.0.1.20", labels={"pod": "a"}, ports=web)
        xb = s.pod(c, "x", "b", n1, "10.0.1.21", labels={"pod": "b"}, ports=web)
        ya = s.pod(c, "y", "a", n2, "10.0.2.20", labels={"pod": "a"}, ports=web)
        yb = s.pod(c, "y", "b", n2, "10.0.2.21", labels={"pod": "b"}, ports=web)
        za = s.pod(c, "z", "a", n2, "10.0.2.22", labels={"pod": "a"}, ports=web)
        from_xa = [{"from": [{"namespaceSelector": {"matchLabels": {NAME_LABEL: "x"}},
                              "podSelector": {"matchLabels": {"pod": "a"}}}]}]
        eg = s.netpol(c, "x", "allow-to-ns-y-pod-a", {
            "podSelector": {"matchLabels": {"pod": "a"}}, "policyTypes": ["Egress"],
            "egress": [{"to": [{"namespaceSelector": {"matchLabels": {NAME_LABEL: "y"}},
                                "podSelector": {"matchLabels": {"pod": "a"}}}]}]})
        ya_in = s.netpol(c, "y", "allow-from-xa-on-ya", {"podSelector": {"matchLabels": {"pod": "a"}},
                                                         "policyTypes": ["Ingress"], "ingress": from_xa})
        s.netpol(c, "y", "allow-from-xa-on-yb", {"podSelector": {"matchLabels": {"pod": "b"}},
                                                 "policyTypes": ["Ingress"], "ingress": from_xa})
        for port in (81, 80):
            s.netpol(c, "z", "allow-port-%d-from-y" % port, {
                "podSelector": {"matchLabels": {"pod": "a"}}, "policyTypes": ["Ingress"],
                "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {NAME_LABEL: "y"}}}],
                             "ports": [{"protocol": "TCP", "port": port}]}]})
        s.flow(xa, ya, "tcp", 80, "allowed", "x/a's egress and y/a's ingress both allow" + cite("np_e2e_egress"))
        s.flow(xa, yb, "tcp", 80, "denied", "y/b's ingress allows x/a, but x/a's egress allows only y/a"
               + cite("np_e2e_egress", "np_iso"), blocked_by=eg)
        s.flow(xb, ya, "tcp", 80, "denied", "x/b is not egress-isolated, but y/a admits only x/a"
               + cite("np_iso"), blocked_by=ya_in)
        s.flow(ya, za, "tcp", 81, "allowed", "allow-port-81-from-y" + cite("np_e2e_egress"))
        s.flow(ya, za, "tcp", 80, "allowed", "allow-port-80-from-y: stacked policies add up" + cite("np_e2e_egress"))
        s.flow(ya, za, "tcp", 82, "denied", "neither stacked policy allows tcp/82" + cite("np_iso"))
        s.flow(xb, za, "tcp", 80, "denied", "only namespace y is admitted" + cite("np_sel"))
        s.flow(yb, xa, "tcp", 80, "allowed", "x/a is selected by an Egress-only policy: it is not isolated for "
               "ingress; y's policies select only pods of y" + cite("np_iso"))
        return s


JUDGEMENT_CALLS = [
    "A pod reaching its own IP is never subject to its NetworkPolicies (\"a pod cannot block access to itself\"). "
    "Ingress from the pod's own node that a policy would deny is `unknown` (the isolation rules admit it, several "
    "plugins enforce it); egress to the own node is judged like any destination: the docs' egress isolation has "
    "no node clause (097).",
    "A namespace with pods but no Namespace object in the snapshot has only its `kubernetes.io/metadata.name` label "
    "for sure; a namespaceSelector that depends on any other label of it makes the verdict `unknown` (092).",
    "For protocols other than TCP/UDP/SCTP (ICMP), a rule with a `ports` list admits only its protocols and a rule "
    "without one admits every protocol (093); the docs leave this to the plugin.",
    "Traffic between a node's own addresses (kubelet, hostNetwork pods) and the pods on that node stays on the "
    "host and crosses no ENI, so no security group or NACL applies, except for branch-ENI pods in `strict` mode "
    "(097, 098).",
    "A named port matches when the destination pod (not hostNetwork) declares that name for the rule's protocol "
    "on any container (094); Service backends without a named targetPort are not endpoints (096).",
]
