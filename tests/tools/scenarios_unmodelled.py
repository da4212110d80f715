"""Trace scenarios 086-089: policy kinds netprove does not model.

AdminNetworkPolicy, Cilium and Calico policies, AWS ApplicationNetworkPolicy,
... are enforced by their own engines and can allow what a NetworkPolicy
denies (an ANP `Allow` cannot be blocked by a NetworkPolicy) or deny what it
allows (an ANP `Deny` is evaluated before NetworkPolicies).  netprove does not
read their rules, so the NetworkPolicy decision of every pod such a policy may
apply to is `unknown`; a definite drop elsewhere on the path still gives
`denied`.  Namespaced kinds reach the pods of their namespace, cluster-scoped
kinds every pod of the cluster; host-networked pods are never subjects.

Registered by `gen_trace_scenarios.py` through `register(scenario, eks, cite)`
(its decorator and helpers), so this file needs no import of the generator.
"""

import functools
import os

from scenario import Scenario, perm, to_yaml

# Documentation anchors of this file (the generator's own go through `cite`).
REFS = {
    "anp": "network-policy-api 'API overview' (AdminNetworkPolicy is cluster-scoped; Allow rules cannot be "
           "overridden by NetworkPolicy, Deny rules apply before NetworkPolicy; host-networked pods are not "
           "subjects) https://network-policy-api.sigs.k8s.io/api-overview/",
    "cilium": "Cilium 'Policy Enforcement' / 'CiliumNetworkPolicy' (a CiliumNetworkPolicy is namespaced: its "
              "endpointSelector selects pods of its own namespace; it adds allow and deny rules on top of "
              "Kubernetes NetworkPolicies) https://docs.cilium.io/en/stable/network/kubernetes/policy/",
    "calico_np": "Calico 'NetworkPolicy' resource (projectcalico.org/v3, namespaced: applies to endpoints in "
                 "its namespace; ordered, Allow/Deny/Pass actions) "
                 "https://docs.tigera.io/calico/latest/reference/resources/networkpolicy",
    "calico_gnp": "Calico 'GlobalNetworkPolicy' resource (cluster-wide, applies to workload endpoints in every "
                  "namespace; enforced by Calico's Felix whatever the VPC CNI's policy agent does) "
                  "https://docs.tigera.io/calico/latest/reference/resources/globalnetworkpolicy",
    "aws_app": "aws/amazon-network-policy-controller-k8s api/v1alpha1/applicationnetworkpolicy_types.go "
               "(ApplicationNetworkPolicy: namespaced, NetworkPolicy-like with domainName egress peers) "
               "https://github.com/aws/amazon-network-policy-controller-k8s",
    "aws_pe": "aws/amazon-network-policy-controller-k8s README (the controller resolves NetworkPolicies into "
              "PolicyEndpoint resources that the node agent enforces) "
              "https://github.com/aws/amazon-network-policy-controller-k8s",
    "rds": "RDS UG 'Controlling access with security groups' (a DB instance's VPC security group decides which "
           "sources reach its port) https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.RDSSecurityGroups.html",
}


def ref(cite, *keys):
    """One citation bracket mixing this file's anchors and the generator's."""
    parts = [REFS[k] if k in REFS else cite(k)[2:-1] for k in keys]
    return " [" + "; ".join(parts) + "]"


class PolicyScenario(Scenario):
    """A Scenario that also writes policy objects of other engines to
    `k8s/<cluster>/other-policies.yaml`."""

    def __init__(self, name, title, covers):
        super().__init__(name, title, covers)
        self.others = {}

    def other(self, c, api_version, kind, name, namespace=None, spec=None):
        meta = {"name": name}
        if namespace is not None:
            meta["namespace"] = namespace
        self.others.setdefault(c["name"], []).append(
            {"apiVersion": api_version, "kind": kind, "metadata": meta, "spec": spec or {}})
        return "%s/%s" % (namespace, name) if namespace is not None else name

    def write(self, root):
        super().write(root)
        for cname, objs in self.others.items():
            with open(os.path.join(root, self.name, "k8s", cname, "other-policies.yaml"), "w") as f:
                f.write("".join("---\n" + to_yaml(o) for o in objs))


WEB = [("http", 8080, "TCP")]


def cilium_namespaced(eks, cite):
    s = PolicyScenario("086-eks-unmodelled-cilium-namespaced",
                       "A CiliumNetworkPolicy makes the flows of its namespace's pods unknown",
                       "namespaced unmodelled policy: pods of its namespace unknown (either end); pods of other "
                       "namespaces still decided; a NetworkPolicy drop at the other end still denies")
    v, sub, c, n1, n2, _ = eks(s)
    s.namespace(c, "cil")
    s.namespace(c, "plain")
    api = s.pod(c, "cil", "api", n1, "10.0.1.20", labels={"app": "api"}, ports=WEB)
    web = s.pod(c, "plain", "web", n1, "10.0.1.21", labels={"app": "web"}, ports=WEB)
    cli = s.pod(c, "plain", "client", n2, "10.0.2.20", labels={"app": "client"})
    s.other(c, "cilium.io/v2", "CiliumNetworkPolicy", "l7-api", "cil", {
        "endpointSelector": {"matchLabels": {"app": "api"}},
        "ingress": [{"fromEndpoints": [{"matchLabels": {"app": "client"}}],
                     "toPorts": [{"ports": [{"port": "8080", "protocol": "TCP"}],
                                  "rules": {"http": [{"method": "GET", "path": "/public/.*"}]}}]}]})
    allow = s.netpol(c, "plain", "allow-client", {
        "podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "client"}}}],
                     "ports": [{"protocol": "TCP", "port": 8080}]}]})
    s.flow(cli, api, "tcp", 8080, "unknown", "cil/api is selected by the CiliumNetworkPolicy of its namespace, "
           "whose rules (here L7) netprove does not read: its ingress may be allowed or denied"
           + ref(cite, "cilium", "np"))
    s.flow(api, cli, "tcp", 8080, "unknown", "the egress of cil/api is equally in the CiliumNetworkPolicy's "
           "hands; plain/client itself is not isolated" + ref(cite, "cilium", "np"))
    s.flow(api, web, "tcp", 8080, "denied", "the egress of cil/api is unknown, but plain/web's ingress is "
           "decided by plain/allow-client alone (a CiliumNetworkPolicy selects only pods of its own namespace), "
           "which admits only app=client: a definite drop" + ref(cite, "cilium", "np_peer"), blocked_by=allow)
    s.flow(cli, web, "tcp", 8080, "allowed", "two pods of namespace plain: no unmodelled policy reaches them; "
           "plain/allow-client admits the client on 8080" + ref(cite, "np", "cni"))
    s.flow(cli, web, "tcp", 9090, "denied", "plain/allow-client admits only tcp/8080" + ref(cite, "np"),
           blocked_by=allow)
    return s


def anp_cluster_scoped(eks, cite):
    s = PolicyScenario("087-eks-unmodelled-anp-cluster-scoped",
                       "A cluster-scoped AdminNetworkPolicy makes every pod's flows unknown",
                       "cluster-scoped unmodelled policy: ANP Allow may override a NetworkPolicy deny, ANP Deny "
                       "may drop what NetworkPolicy allows; a security-group drop is still denied; "
                       "hostNetwork pods and instances are not subjects")
    v, sub, c, n1, n2, node_sg = eks(s, node_sg_ingress=[], extra_subnets=(("svc", "10.0.3.0/24", "a"),))
    node_sg["IpPermissions"] = [perm("tcp", 8080, 8080, groups=[node_sg])]
    svc_sg = s.sg(v, "svc", [perm("tcp", 8080, 8080, cidrs=["10.0.0.0/16"])])
    svc, _ = s.instance(sub["svc"], "10.0.3.10", [svc_sg], name="svc")
    s.namespace(c, "secure")
    s.namespace(c, "open")
    s.namespace(c, "mon")
    srv = s.pod(c, "secure", "server", n1, "10.0.1.20", ports=WEB)
    oth = s.pod(c, "open", "other", n1, "10.0.1.21", ports=WEB)
    cli = s.pod(c, "open", "client", n2, "10.0.2.20")
    agent = s.pod(c, "mon", "agent", n2, labels={"app": "agent"}, host_network=True)
    s.netpol(c, "secure", "default-deny-ingress", {"podSelector": {}, "policyTypes": ["Ingress"]})
    s.other(c, "policy.networking.k8s.io/v1alpha1", "AdminNetworkPolicy", "cluster-baseline", spec={
        "priority": 10,
        "subject": {"namespaces": {}},
        "ingress": [{"name": "allow-monitoring", "action": "Allow",
                     "from": [{"namespaces": {"matchLabels": {"kubernetes.io/metadata.name": "open"}}}],
                     "ports": [{"portNumber": {"protocol": "TCP", "port": 8080}}]}],
        "egress": [{"name": "deny-open-to-open", "action": "Deny",
                    "to": [{"namespaces": {"matchLabels": {"kubernetes.io/metadata.name": "open"}}}]}]})
    s.flow(cli, srv, "tcp", 8080, "unknown", "secure/default-deny-ingress isolates the server, but an "
           "AdminNetworkPolicy Allow cannot be blocked by a NetworkPolicy (this one's `allow-monitoring` may "
           "admit it): netprove does not read ANP rules" + ref(cite, "anp", "np"))
    s.flow(cli, oth, "tcp", 8080, "unknown", "no NetworkPolicy isolates open/other, but an AdminNetworkPolicy "
           "Deny applies before NetworkPolicies and may drop it" + ref(cite, "anp"))
    s.flow(cli, srv, "tcp", 9090, "denied", "whatever the ANP says, the node security group admits only "
           "tcp/8080 between nodes: a definite drop" + ref(cite, "sg", "cni"), blocked_by=node_sg["GroupId"])
    s.flow(agent, svc, "tcp", 8080, "allowed", "a hostNetwork pod is the node, not an ANP subject, and the "
           "instance is no pod: no policy of the cluster applies; the svc SG admits the VPC on 8080"
           + ref(cite, "anp", "sg"))
    return s


def calico_global_rds(eks, cite):
    s = PolicyScenario("088-eks-unmodelled-calico-global-to-rds",
                       "Calico GlobalNetworkPolicy, VPC CNI policy enforcement off: pod to RDS is unknown",
                       "cluster-scoped unmodelled policy with network_policy_enforcement=false; egress to a "
                       "non-pod destination (RDS ENI) unknown; RDS SG drop still denied; instances unaffected")
    v, sub, c, n1, n2, node_sg = eks(s, netpol=False, extra_subnets=(("db", "10.0.3.0/24", "a"),))
    db_sg = s.sg(v, "orders-db", [perm("tcp", 5432, 5432, cidrs=["10.0.0.0/16"])])
    rds = s.eni(sub["db"], "10.0.3.50", [db_sg], desc="RDSNetworkInterface", requester="amazon-rds",
                requester_managed=True, attachment=s._svc_attachment("rds/orders", "amazon-rds"))
    bastion, _ = s.instance(sub["db"], "10.0.3.10", [s.sg(v, "bastion")], name="bastion")
    s.namespace(c, "app")
    api = s.pod(c, "app", "api", n1, "10.0.1.20", labels={"app": "api"})
    s.other(c, "crd.projectcalico.org/v1", "GlobalNetworkPolicy", "default.egress-lockdown", spec={
        "order": 100, "selector": "all()", "types": ["Egress"],
        "egress": [{"action": "Allow", "protocol": "UDP", "destination": {"ports": [53]}},
                   {"action": "Deny"}]})
    rds_id = rds["NetworkInterfaceId"]
    s.flow(api, rds_id, "tcp", 5432, "unknown", "the orders-db SG admits the VPC on 5432, but Calico enforces "
           "the GlobalNetworkPolicy on the egress of every pod, whether or not the VPC CNI enforces "
           "NetworkPolicies; netprove does not read its rules" + ref(cite, "calico_gnp", "rds"))
    s.flow(api, rds_id, "tcp", 3306, "denied", "the orders-db SG admits only tcp/5432: a definite drop "
           "whatever Calico does" + ref(cite, "rds", "sg"), blocked_by=db_sg["GroupId"])
    s.flow(bastion, rds_id, "tcp", 5432, "allowed", "an EC2 instance is no pod: no Kubernetes policy applies; "
           "the orders-db SG admits it" + ref(cite, "rds", "sg"))
    return s


def namespaced_kinds(eks, cite):
    s = PolicyScenario("089-eks-unmodelled-namespaced-kinds",
                       "Calico NetworkPolicy and ApplicationNetworkPolicy are namespaced; PolicyEndpoint is "
                       "derived",
                       "projectcalico.org NetworkPolicy (a NetworkPolicy of another API group) and AWS "
                       "ApplicationNetworkPolicy make their namespace unknown; a PolicyEndpoint changes nothing")
    v, sub, c, n1, n2, _ = eks(s, extra_subnets=(("svc", "10.0.3.0/24", "a"),))
    ext, _ = s.instance(sub["svc"], "10.0.3.10", [s.sg(v, "svc", [perm("tcp", 443, 443, cidrs=["10.0.0.0/16"])])],
                        name="svc")
    for ns in ("calico", "fqdn", "plain", "other"):
        s.namespace(c, ns)
    web = s.pod(c, "calico", "web", n1, "10.0.1.20", labels={"app": "web"}, ports=WEB)
    app = s.pod(c, "fqdn", "app", n1, "10.0.1.21", labels={"app": "app"}, ports=WEB)
    srv = s.pod(c, "plain", "server", n1, "10.0.1.22", labels={"app": "server"}, ports=WEB)
    cli = s.pod(c, "other", "client", n2, "10.0.2.20", labels={"app": "client"})
    s.other(c, "projectcalico.org/v3", "NetworkPolicy", "allow-frontend", "calico", {
        "selector": "app == 'web'", "types": ["Ingress"],
        "ingress": [{"action": "Allow", "source": {"namespaceSelector": "team == 'frontend'"}}]})
    s.other(c, "networking.k8s.aws/v1alpha1", "ApplicationNetworkPolicy", "egress-fqdn", "fqdn", {
        "podSelector": {}, "policyTypes": ["Egress"],
        "egress": [{"to": [{"domainNames": ["api.example.com"]}], "ports": [{"protocol": "TCP", "port": 443}]}]})
    deny = s.netpol(c, "plain", "default-deny-ingress", {"podSelector": {}, "policyTypes": ["Ingress"]})
    s.other(c, "networking.k8s.aws/v1alpha1", "PolicyEndpoint", "default-deny-ingress-x7k2p", "plain", {
        "policyRef": {"name": "default-deny-ingress", "namespace": "plain"},
        "podSelector": {}, "podIsolation": ["Ingress"],
        "podSelectorEndpoints": [{"podIP": "10.0.1.22", "hostIP": "10.0.1.10", "name": "server",
                                  "namespace": "plain"}]})
    s.flow(cli, web, "tcp", 8080, "unknown", "a projectcalico.org NetworkPolicy in namespace calico selects "
           "calico/web; netprove reads only networking.k8s.io NetworkPolicies" + ref(cite, "calico_np", "np"))
    s.flow(app, ext, "tcp", 443, "unknown", "the ApplicationNetworkPolicy of namespace fqdn isolates the egress of "
           "its pods with domain-name peers netprove does not model" + ref(cite, "aws_app", "np"))
    s.flow(cli, app, "tcp", 8080, "unknown", "the ingress of fqdn/app is in that policy's namespace too; "
           "netprove does not read which directions it covers" + ref(cite, "aws_app"))
    s.flow(cli, srv, "tcp", 8080, "denied", "plain/default-deny-ingress isolates plain/server; its "
           "PolicyEndpoint is the controller's rendering of that NetworkPolicy, not another policy"
           + ref(cite, "np", "aws_pe"), blocked_by=deny)
    s.flow(srv, cli, "tcp", 8080, "allowed", "neither pod is reached by an unmodelled policy; the policy of "
           "plain covers ingress only" + ref(cite, "np", "aws_pe"))
    return s


def register(scenario, eks, cite):
    """Registers 086-089 through the generator's `scenario` decorator, with its
    `eks` topology helper and `cite` anchors."""
    for build in (cilium_namespaced, anp_cluster_scoped, calico_global_rds, namespaced_kinds):
        scenario(functools.partial(build, eks, cite))
