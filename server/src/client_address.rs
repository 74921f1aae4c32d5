//! Who the client is behind our proxies. `X-Forwarded-For` is a list each proxy appends
//! to, so only its right end was written by proxies we run: the client writes the rest
//! and can put anything there. The client is the rightmost address that is not one of
//! our proxies, and the header is read only when the peer itself is one of them.

use std::net::IpAddr;

/// An address range such as `10.0.0.0/8` or `fd00::/8`; a bare address is a range of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddressRange {
    network: IpAddr,
    prefix: u8,
}

impl AddressRange {
    pub fn contains(self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                masked(u32::from(net).into(), self.prefix, 32) == masked(u32::from(ip).into(), self.prefix, 32)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                masked(u128::from(net), self.prefix, 128) == masked(u128::from(ip), self.prefix, 128)
            }
            _ => false,
        }
    }
}

fn masked(bits: u128, prefix: u8, width: u8) -> u128 {
    let ignored = u32::from(width - prefix);
    bits.checked_shr(ignored).unwrap_or(0)
}

impl std::str::FromStr for AddressRange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (address, prefix) = match s.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (s, None),
        };
        let network: IpAddr = address.trim().parse().map_err(|_| format!("{s:?} is not an address or range"))?;
        let network = network.to_canonical();
        let width = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => width,
            Some(p) => {
                p.trim().parse().ok().filter(|p| *p <= width).ok_or_else(|| format!("{s:?} has an invalid prefix"))?
            }
        };
        Ok(AddressRange { network, prefix })
    }
}

/// The proxies we run (`OPENAERO_TRUSTED_PROXIES`); none by default, so the peer is the client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<AddressRange>);

impl TrustedProxies {
    /// A comma-separated list of addresses and ranges.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        list.split(',').filter(|s| !s.trim().is_empty()).map(str::parse).collect::<Result<_, _>>().map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|range| range.contains(ip))
    }

    /// The client of `request` (none when the server was not given peer addresses).
    pub fn client_of<B>(&self, request: &axum::http::Request<B>) -> Option<IpAddr> {
        let peer = request.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()?;
        let forwarded = request.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
        Some(self.client(peer.0.ip(), forwarded))
    }

    /// The client's address: the peer's, unless the peer is one of our proxies; then the
    /// rightmost `X-Forwarded-For` hop that is not (or the leftmost readable hop when all are).
    pub fn client<'a>(&self, peer: IpAddr, forwarded_for: impl DoubleEndedIterator<Item = &'a str>) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let mut nearest = peer;
        for hop in forwarded_for.rev().flat_map(|value| value.rsplit(',')) {
            // Our proxies write addresses; anything else came from the client's side.
            let Ok(ip) = hop.trim().parse::<IpAddr>() else { break };
            nearest = ip.to_canonical();
            if !self.trusts(nearest) {
                break;
            }
        }
        nearest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    #[test]
    fn ranges_hold_the_addresses_under_their_prefix() {
        let range: AddressRange = "10.0.0.0/8".parse().expect("range");
        assert!(range.contains(ip("10.255.1.2")));
        assert!(range.contains(ip("::ffff:10.1.1.1")), "an IPv4 address seen over IPv6");
        assert!(!range.contains(ip("11.0.0.1")));
        assert!(!range.contains(ip("fd00::1")));
        let v6: AddressRange = "fd00::/8".parse().expect("range");
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        let one: AddressRange = "192.0.2.7".parse().expect("one address");
        assert!(one.contains(ip("192.0.2.7")) && !one.contains(ip("192.0.2.8")));
        let all: AddressRange = "0.0.0.0/0".parse().expect("everything");
        assert!(all.contains(ip("203.0.113.9")));
        assert!("10.0.0.0/33".parse::<AddressRange>().is_err());
        assert!("proxy.internal".parse::<AddressRange>().is_err());
    }

    #[test]
    fn the_client_is_the_rightmost_hop_our_proxies_did_not_write() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 192.0.2.7").expect("list");
        let from = |peer: &str, headers: &[&'static str]| proxies.client(ip(peer), headers.iter().copied());
        // A client that writes its own header gains nothing.
        assert_eq!(from("10.0.0.2", &["6.6.6.6, 203.0.113.9"]), ip("203.0.113.9"));
        assert_eq!(from("10.0.0.2", &["6.6.6.6, 203.0.113.9, 192.0.2.7"]), ip("203.0.113.9"));
        assert_eq!(
            from("10.0.0.2", &["6.6.6.6", "203.0.113.9, 10.0.0.3"]),
            ip("203.0.113.9"),
            "two headers are one list"
        );
        assert_eq!(from("10.0.0.2", &["not-an-address, 10.0.0.9"]), ip("10.0.0.9"));
        assert_eq!(from("10.0.0.2", &[]), ip("10.0.0.2"));
        // Not from one of our proxies: the header is the client's own words.
        assert_eq!(from("203.0.113.50", &["10.0.0.1"]), ip("203.0.113.50"));
        assert_eq!(TrustedProxies::default().client(ip("10.0.0.2"), ["6.6.6.6"].into_iter()), ip("10.0.0.2"));
        assert!(TrustedProxies::parse("10.0.0.0/8,nonsense").is_err());
        assert_eq!(TrustedProxies::parse("").expect("empty"), TrustedProxies::default());
    }
}
