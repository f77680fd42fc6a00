//! Which peers are proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` we believe, and
//! what a request's client address and scheme are given them. Anyone can send those headers;
//! only a proxy we were told to trust has them believed, else a guesser would name a fresh
//! address at every log-in attempt and dodge the per-address throttle.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;

/// One address range: an address and how many leading bits of it count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Range {
    addr: IpAddr,
    prefix: u8,
}

impl Range {
    fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for Range {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("not an IP address or range: {s:?}"))?;
        let addr = addr.to_canonical();
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("not a prefix length (0–{max}): {s:?}"))?,
        };
        Ok(Range { addr, prefix })
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// The proxies in front of certdesk (`--trusted-proxies`): addresses or CIDR ranges.
/// **Default: loopback** (`127.0.0.0/8`, `::1`). certdesk listens on loopback by default, so
/// what reaches it there is a proxy on the same machine (the usual nginx or Caddy in front),
/// while a remote peer's headers are never believed. `none` trusts nobody.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Range>);

impl TrustedProxies {
    /// Trusts nobody: every request's client is its TCP peer.
    pub fn none() -> TrustedProxies {
        TrustedProxies(Vec::new())
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|r| r.contains(ip))
    }
}

impl Default for TrustedProxies {
    fn default() -> Self {
        "127.0.0.0/8, ::1".parse().expect("the default parses")
    }
}

impl FromStr for TrustedProxies {
    type Err = String;

    /// A comma- or space-separated list, e.g. `10.0.0.0/8, 192.0.2.7, fd00::/8`; `none` or
    /// nothing for no proxy.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let items: Vec<&str> = s
            .split([',', ' ', '\t', '\n'])
            .filter(|i| !i.is_empty())
            .collect();
        if items.is_empty() || items == ["none"] {
            return Ok(TrustedProxies::none());
        }
        items
            .into_iter()
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }
}

impl fmt::Display for TrustedProxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("none");
        }
        let all: Vec<String> = self.0.iter().map(Range::to_string).collect();
        f.write_str(&all.join(", "))
    }
}

/// What the connection and a trusted proxy say about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Client {
    /// The client's address; `None` when the server was not given the peer's (a router
    /// driven without `certdesk_web::serve`).
    pub addr: Option<IpAddr>,
    /// A trusted proxy says the browser reached it over HTTPS.
    pub forwarded_https: bool,
}

/// The client of a request from `peer`: the peer itself, unless it is a trusted proxy, in
/// which case `X-Forwarded-For` is read from the right (each proxy appends the address it
/// saw) and the first address that is not a trusted proxy is the client. An unreadable entry
/// stops the walk at the last hop we trust, so garbage cannot name an address.
pub(crate) fn client(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &TrustedProxies,
) -> Client {
    let Some(peer) = peer.map(|p| p.to_canonical()) else {
        return Client {
            addr: None,
            forwarded_https: false,
        };
    };
    if !trusted.contains(peer) {
        return Client {
            addr: Some(peer),
            forwarded_https: false,
        };
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut addr = peer;
    for hop in hops.iter().rev() {
        if !trusted.contains(addr) {
            break;
        }
        match hop.parse::<IpAddr>() {
            Ok(ip) => addr = ip.to_canonical(),
            Err(_) => break,
        }
    }
    // The proxy facing the browser sets the scheme; a list means proxies appended, and the
    // first entry is the outermost one's.
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    Client {
        addr: Some(addr),
        forwarded_https,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn lists_parse_and_match_ranges() {
        let t: TrustedProxies = "10.0.0.0/8, 192.0.2.7 fd00::/8".parse().unwrap();
        assert!(t.contains(ip("10.200.3.4")));
        assert!(!t.contains(ip("11.0.0.1")));
        assert!(t.contains(ip("192.0.2.7")));
        assert!(!t.contains(ip("192.0.2.8")));
        assert!(t.contains(ip("fd12::1")));
        assert!(
            t.contains(ip("::ffff:10.1.1.1")),
            "mapped IPv4 counts as IPv4"
        );
        assert!(!t.contains(ip("fe80::1")));
        assert_eq!(
            "none".parse::<TrustedProxies>().unwrap(),
            TrustedProxies::none()
        );
        assert_eq!(
            "".parse::<TrustedProxies>().unwrap(),
            TrustedProxies::none()
        );
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
        assert!("localhost".parse::<TrustedProxies>().is_err());
        assert!(
            "0.0.0.0/0"
                .parse::<TrustedProxies>()
                .unwrap()
                .contains(ip("8.8.8.8"))
        );
        let d = TrustedProxies::default();
        assert!(d.contains(ip("127.0.0.1")) && d.contains(ip("::1")));
        assert!(!d.contains(ip("192.168.1.1")));
        assert_eq!(d.to_string(), "127.0.0.0/8, ::1/128");
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.9"),
            ("x-forwarded-proto", "https"),
        ]);
        let c = client(Some(ip("203.0.113.5")), &h, &TrustedProxies::default());
        assert_eq!(c.addr, Some(ip("203.0.113.5")));
        assert!(!c.forwarded_https);
        let c = client(None, &h, &TrustedProxies::default());
        assert_eq!(c.addr, None);
    }

    #[test]
    fn a_trusted_proxy_names_the_rightmost_untrusted_hop() {
        let t: TrustedProxies = "127.0.0.1, 10.0.0.0/8".parse().unwrap();
        // The client forged the first entry; our proxies appended the rest.
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4, 198.51.100.9"),
            ("x-forwarded-for", "10.0.0.2"),
            ("x-forwarded-proto", "HTTPS"),
        ]);
        let c = client(Some(ip("127.0.0.1")), &h, &t);
        assert_eq!(c.addr, Some(ip("198.51.100.9")));
        assert!(c.forwarded_https);
        // No header: the proxy itself.
        let c = client(Some(ip("127.0.0.1")), &HeaderMap::new(), &t);
        assert_eq!(c.addr, Some(ip("127.0.0.1")));
        assert!(!c.forwarded_https);
        // Garbage stops the walk at the last trusted hop.
        let h = headers(&[("x-forwarded-for", "198.51.100.9, junk")]);
        assert_eq!(
            client(Some(ip("127.0.0.1")), &h, &t).addr,
            Some(ip("127.0.0.1"))
        );
        // Only trusted hops: the leftmost.
        let h = headers(&[("x-forwarded-for", "10.0.0.9, 10.0.0.2")]);
        assert_eq!(
            client(Some(ip("127.0.0.1")), &h, &t).addr,
            Some(ip("10.0.0.9"))
        );
        let h = headers(&[("x-forwarded-proto", "http")]);
        assert!(!client(Some(ip("127.0.0.1")), &h, &t).forwarded_https);
    }
}
