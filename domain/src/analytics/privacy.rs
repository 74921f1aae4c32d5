//! Who may be counted, and how little is kept of them: a visitor is a salted hash of
//! address and browser (the salt changes daily and is deleted after its day), a
//! referrer is its host, and whoever asks not to be tracked is not counted.

use std::{
    hash::{DefaultHasher, Hash, Hasher},
    net::IpAddr,
};

use sha2::{Digest, Sha256};

/// A visitor before hashing: held in memory until the next write, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VisitorKey {
    address: IpAddr,
    /// The browser's `User-Agent`, hashed with fixed keys (the same in every instance).
    agent: u64,
}

impl VisitorKey {
    pub fn new(address: IpAddr, user_agent: &str) -> VisitorKey {
        let mut hasher = DefaultHasher::new();
        user_agent.hash(&mut hasher);
        VisitorKey { address, agent: hasher.finish() }
    }

    /// The visitor as stored: 16 bytes of SHA-256 over the day's salt, the address and
    /// the browser. Without the salt, which is deleted after its day, no address can be
    /// tried against it.
    pub fn hash(&self, salt: &[u8]) -> [u8; 16] {
        let mut hasher = Sha256::new();
        hasher.update(salt);
        match self.address {
            IpAddr::V4(a) => hasher.update(a.octets()),
            IpAddr::V6(a) => hasher.update(a.octets()),
        }
        hasher.update(self.agent.to_le_bytes());
        let digest = hasher.finalize();
        let mut out = [0u8; 16];
        out.copy_from_slice(&digest[..16]);
        out
    }
}

/// Who is asking, when they may be counted: `None` for whoever asked not to be tracked,
/// a program, or a browser fetching ahead (a prefetch is not a visit); else the visitor,
/// when their address is known. `header` reads a request header by its lower-case name.
pub fn countable<'a>(address: Option<IpAddr>, header: impl Fn(&str) -> Option<&'a str>) -> Option<Option<VisitorKey>> {
    let prefetch = header("sec-purpose").or(header("purpose")).is_some_and(|p| p.contains("prefetch"));
    if prefetch || opted_out(header("dnt"), header("sec-gpc")) || is_robot(header("user-agent")) {
        return None;
    }
    Some(address.map(|a| VisitorKey::new(a, header("user-agent").unwrap_or(""))))
}

/// Whether the visitor asked not to be tracked: `DNT: 1` or Global Privacy Control
/// (`Sec-GPC: 1`).
fn opted_out(dnt: Option<&str>, gpc: Option<&str>) -> bool {
    dnt.is_some_and(|v| v.trim() == "1") || gpc.is_some_and(|v| v.trim() == "1")
}

/// Words in the `User-Agent` of crawlers, link previewers, monitors, scripts and
/// automated browsers (lower case).
const ROBOTS: &[&str] = &[
    "bot",
    "crawl",
    "spider",
    "slurp",
    "headless",
    "lighthouse",
    "preview",
    "monitor",
    "uptime",
    "facebookexternalhit",
    "curl/",
    "wget/",
    "python",
    "go-http-client",
    "java/",
    "okhttp",
    "axios",
    "libwww",
    "scrapy",
    "httpclient",
    "phantomjs",
    "prometheus",
    "kube-probe",
    "haproxy",
    "wrk",
];

/// Whether a request comes from a program rather than a person's browser. No
/// `User-Agent` at all is a program.
fn is_robot(user_agent: Option<&str>) -> bool {
    let Some(agent) = user_agent.map(str::trim).filter(|a| !a.is_empty()) else {
        return true;
    };
    let agent = agent.to_ascii_lowercase();
    ROBOTS.iter().any(|word| agent.contains(word))
}

/// Where a visit came from, with as little as tells it: the campaign's own words when
/// the link carries UTM parameters, else the referring site's host.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Origin {
    /// `utm_source`, else the referrer's host; `None` is a direct visit (or one from
    /// this store's own pages).
    pub source: Option<String>,
    pub medium: Option<String>,
    pub campaign: Option<String>,
}

/// Longest source, medium or campaign kept; longer ones are cut.
const MAX_ORIGIN_LEN: usize = 100;

impl Origin {
    /// From the page's query string, its `Referer` and the store's own host.
    pub fn of(query: &str, referer: Option<&str>, own_host: Option<&str>) -> Origin {
        let utm = |name: &str| {
            query
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .find(|(key, _)| *key == name)
                .map(|(_, value)| clean(&types::search::decode_component(value)))
                .filter(|v| !v.is_empty())
        };
        let source = utm("utm_source").or_else(|| referrer_host(referer, own_host));
        Origin { source, medium: utm("utm_medium"), campaign: utm("utm_campaign") }
    }
}

/// The referring site's host, lower case, without `www.`; `None` for this store's own
/// pages and for what is not an http(s) address.
fn referrer_host(referer: Option<&str>, own_host: Option<&str>) -> Option<String> {
    let url = url::Url::parse(referer?).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let own = own_host.map(|h| h.split(':').next().unwrap_or(h).to_ascii_lowercase());
    if own.as_deref() == Some(host.as_str()) {
        return None;
    }
    Some(clean(host.strip_prefix("www.").unwrap_or(&host)))
}

fn clean(value: &str) -> String {
    value.trim().chars().filter(|c| !c.is_control()).take(MAX_ORIGIN_LEN).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";

    #[test]
    fn browsers_count_and_programs_do_not() {
        assert!(!is_robot(Some(FIREFOX)));
        for agent in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36",
            "curl/8.5.0",
            "kube-probe/1.31",
            "facebookexternalhit/1.1",
            "",
        ] {
            assert!(is_robot(Some(agent)), "{agent}");
        }
        assert!(is_robot(None), "no User-Agent at all");
    }

    #[test]
    fn do_not_track_global_privacy_control_and_prefetches_are_not_counted() {
        let address: IpAddr = "198.51.100.4".parse().expect("address");
        let ask = |headers: &'static [(&'static str, &'static str)]| {
            countable(Some(address), |name| headers.iter().find(|(n, _)| *n == name).map(|(_, v)| *v))
        };
        assert_eq!(ask(&[("user-agent", FIREFOX)]), Some(Some(VisitorKey::new(address, FIREFOX))));
        assert_eq!(ask(&[("user-agent", FIREFOX), ("dnt", "0")]).map(|v| v.is_some()), Some(true));
        let not_counted: [&'static [(&str, &str)]; 4] = [
            &[("user-agent", FIREFOX), ("dnt", "1")],
            &[("user-agent", FIREFOX), ("sec-gpc", "1")],
            &[("user-agent", FIREFOX), ("sec-purpose", "prefetch;prerender")],
            &[("user-agent", "curl/8.5.0")],
        ];
        for headers in not_counted {
            assert_eq!(ask(headers), None, "{headers:?}");
        }
    }

    #[test]
    fn a_referrer_is_kept_as_its_host_and_campaigns_by_their_words() {
        let from_forum = Origin::of("", Some("https://www.FPV-Forum.example/t/123?u=someone"), Some("shop.test"));
        assert_eq!(from_forum, Origin { source: Some("fpv-forum.example".into()), ..Origin::default() });
        let own_page = Origin::of("", Some("http://shop.test:3000/search?q=x"), Some("shop.test:3000"));
        assert_eq!(own_page, Origin::default(), "this store's own pages are not a source");
        let campaign = Origin::of("utm_source=newsletter&utm_medium=email&utm_campaign=spring%20sale&q=x", None, None);
        assert_eq!(
            campaign,
            Origin {
                source: Some("newsletter".into()),
                medium: Some("email".into()),
                campaign: Some("spring sale".into())
            }
        );
        assert_eq!(Origin::of("", Some("android-app://com.example"), None), Origin::default());
    }

    #[test]
    fn a_visitor_hash_changes_with_the_salt_and_never_holds_the_address() {
        let visitor = VisitorKey::new("203.0.113.7".parse().expect("address"), FIREFOX);
        let (monday, tuesday) = (visitor.hash(b"monday salt"), visitor.hash(b"tuesday salt"));
        assert_eq!(monday, visitor.hash(b"monday salt"), "the same visitor is one visitor all day");
        assert_ne!(monday, tuesday, "and another the next day");
        let other_browser = VisitorKey::new("203.0.113.7".parse().expect("address"), "Mozilla/5.0 Safari");
        assert_ne!(monday, other_browser.hash(b"monday salt"));
        assert!(!monday.windows(4).any(|w| w == [203, 0, 113, 7]));
    }
}
