//! AWS concepts, one file each, normalised from the EC2 API shapes.

mod endpoint;
mod eni;
mod igw;
mod instance;
mod nacl;
mod nat;
mod peering;
mod prefix_list;
mod route_table;
mod security_group;
mod subnet;
mod tgw;
mod vpc;

pub use endpoint::{VpcEndpoint, VpcEndpointType};
pub use eni::{Eni, EniAttachment, EniKind, PrivateIp};
pub use igw::InternetGateway;
pub use instance::Instance;
pub use nacl::{Nacl, NaclEntry};
pub use nat::{NatAddress, NatConnectivity, NatGateway};
pub use peering::{PeeringSide, VpcPeering};
pub use prefix_list::PrefixList;
pub use route_table::{Route, RouteDest, RouteOrigin, RouteState, RouteTable, RouteTarget};
pub use security_group::{SecurityGroup, SgPeer, SgRule};
pub use subnet::Subnet;
pub use tgw::{TgwAttachment, TgwRoute, TgwRouteTable, TgwRouteType, TransitGateway};
pub use vpc::Vpc;

/// `Key=Value` tags, ordered.
pub type Tags = std::collections::BTreeMap<String, String>;

/// Where an AWS resource lives.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Scope {
    pub account: String,
    pub region: String,
}
