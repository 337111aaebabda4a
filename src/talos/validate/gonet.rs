//! The Go parsers Talos' checks lean on (`net`, `net/netip`, `net/url`, `siderolabs/net`),
//! reproduced closely enough to give the same verdicts and error texts.

use super::yamlx::q;
use crate::talos::GoError;
use std::net::IpAddr;

/// `net.ParseIP`: dotted IPv4 (no leading zeros) or IPv6, no zone.
pub(super) fn parse_ip(s: &str) -> Option<IpAddr> {
    if s.contains('%') {
        return None;
    }
    s.parse().ok()
}

/// `net.ParseCIDR`; the error is Go's `invalid CIDR address: <s>`.
pub(super) fn parse_cidr(s: &str) -> Result<(), GoError> {
    let err = || GoError(format!("invalid CIDR address: {s}"));
    let (ip, bits) = s.split_once('/').ok_or_else(err)?;
    let ip = parse_ip(ip).ok_or_else(err)?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    if bits.is_empty() || !bits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err());
    }
    match bits.parse::<u32>() {
        Ok(n) if n <= max => Ok(()),
        _ => Err(err()),
    }
}

/// Talos' `validateIPOrCIDR`: a CIDR when it has a `/`, else a bare IP.
pub(super) fn validate_ip_or_cidr(s: &str) -> Result<(), GoError> {
    if s.contains('/') {
        return parse_cidr(s);
    }
    match parse_ip(s) {
        Some(_) => Ok(()),
        None => Err(format!("failed to parse IP address {}", q(s)).into()),
    }
}

/// `netip.ParseAddr`, with Go's error texts for the common IPv4 and empty cases.
pub(super) fn netip_parse_addr(s: &str) -> Result<IpAddr, GoError> {
    let err = |msg: &str, at: Option<&str>| match at {
        Some(a) => GoError(format!("ParseAddr({}): {msg} (at {})", q(s), q(a))),
        None => GoError(format!("ParseAddr({}): {msg}", q(s))),
    };
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'.' => return parse_ipv4(s).map_err(|(m, at)| err(m, at.map(|a| &s[a..]))),
            b':' => {
                return s
                    .parse::<std::net::Ipv6Addr>()
                    .map(IpAddr::V6)
                    .map_err(|_| err("unable to parse IP", None));
            }
            b'%' => return Err(err("missing IPv6 address", None)),
            _ => {
                let _ = i;
            }
        }
    }
    Err(err("unable to parse IP", None))
}

/// Go's `parseIPv4`, returning `(message, offset of the "at" part)` on failure.
fn parse_ipv4(s: &str) -> Result<IpAddr, (&'static str, Option<usize>)> {
    let bytes = s.as_bytes();
    let mut fields = [0u8; 4];
    let (mut val, mut pos, mut digits) = (0u32, 0usize, 0usize);
    let mut field_start = 0usize;
    for (i, &c) in bytes.iter().enumerate() {
        if c.is_ascii_digit() {
            if digits == 1 && val == 0 {
                return Err(("IPv4 field has octet with leading zero", None));
            }
            val = val * 10 + u32::from(c - b'0');
            digits += 1;
            if val > 255 {
                return Err(("IPv4 field has value >255", None));
            }
        } else if c == b'.' {
            if i == 0 || i == bytes.len() - 1 || bytes[i - 1] == b'.' {
                return Err(("IPv4 field must have at least one digit", Some(i)));
            }
            if pos == 3 {
                return Err(("IPv4 address too long", None));
            }
            fields[pos] = val as u8;
            pos += 1;
            val = 0;
            digits = 0;
            field_start = i + 1;
        } else {
            return Err(("unexpected character", Some(i)));
        }
    }
    let _ = field_start;
    if pos < 3 {
        return Err(("IPv4 address too short", None));
    }
    fields[3] = val as u8;
    Ok(IpAddr::from(fields))
}

/// `netip.ParsePrefix`, with Go's error texts.
pub(super) fn netip_parse_prefix(s: &str) -> Result<(IpAddr, u32), GoError> {
    let err = |msg: String| GoError(format!("netip.ParsePrefix({}): {msg}", q(s)));
    let i = s.rfind('/').ok_or_else(|| err("no '/'".into()))?;
    let ip = netip_parse_addr(&s[..i]).map_err(|e| err(e.0))?;
    let bits = &s[i + 1..];
    let bad = || err(format!("bad bits after slash: {}", q(bits)));
    if bits.len() > 1 && !(b'1'..=b'9').contains(&bits.as_bytes()[0]) {
        return Err(bad());
    }
    let n: i64 = bits.parse().map_err(|_| bad())?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    if !(0..=max).contains(&n) {
        return Err(err("prefix length out of range".into()));
    }
    Ok((ip, n as u32))
}

/// `sideronet.ParseSubnetOrAddress` succeeds.
pub(super) fn is_subnet_or_address(s: &str) -> bool {
    netip_parse_prefix(s).is_ok() || netip_parse_addr(s).is_ok()
}

/// The parts of a Go `net/url.URL` the checks read.
#[derive(Debug, Default)]
pub(super) struct GoUrl {
    /// Lower-cased scheme.
    pub scheme: String,
    /// `host[:port]`.
    pub host: String,
    /// The path.
    pub path: String,
}

impl GoUrl {
    fn split_host_port(&self) -> (&str, &str) {
        let h = self.host.as_str();
        let (mut host, mut port) = (h, "");
        if let Some(c) = h.rfind(':')
            && valid_optional_port(&h[c..])
        {
            host = &h[..c];
            port = &h[c + 1..];
        }
        if host.starts_with('[') && host.ends_with(']') {
            host = &host[1..host.len() - 1];
        }
        (host, port)
    }

    /// `URL.Hostname()`.
    pub(super) fn hostname(&self) -> &str {
        self.split_host_port().0
    }

    /// `URL.Port()`.
    pub(super) fn port(&self) -> &str {
        self.split_host_port().1
    }
}

fn valid_optional_port(p: &str) -> bool {
    p.is_empty() || (p.starts_with(':') && p[1..].bytes().all(|b| b.is_ascii_digit()))
}

/// `url.Parse` (or `url.ParseRequestURI` with `via_request`); errors read
/// `parse "<url>": <reason>` as Go's `*url.Error` does.
pub(super) fn url_parse(raw: &str, via_request: bool) -> Result<GoUrl, GoError> {
    let (u, _frag) = if via_request {
        (raw, "")
    } else {
        raw.split_once('#').unwrap_or((raw, ""))
    };
    parse_url(u, via_request).map_err(|e| GoError(format!("parse {}: {e}", q(u))))
}

fn parse_url(raw: &str, via_request: bool) -> Result<GoUrl, GoError> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    if raw.is_empty() && via_request {
        return Err("empty url".into());
    }
    let mut url = GoUrl::default();
    if raw == "*" {
        url.path = "*".into();
        return Ok(url);
    }
    let (scheme, rest) = get_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    let mut rest = rest;
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        rest = &rest[..rest.len() - 1];
    } else if let Some((r, _)) = rest.split_once('?') {
        rest = r;
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            return Ok(url); // opaque
        }
        if via_request {
            return Err("invalid URI for request".into());
        }
        let segment = rest.split('/').next().unwrap_or("");
        if segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!url.scheme.is_empty() || !via_request && !rest.starts_with("///"))
        && rest.starts_with("//")
    {
        let mut authority = &rest[2..];
        let mut path = "";
        if let Some(i) = authority.find('/') {
            path = &authority[i..];
            authority = &authority[..i];
        }
        let host = match authority.rfind('@') {
            Some(i) => &authority[i + 1..],
            None => authority,
        };
        url.host = parse_host(host)?;
        url.path = path.to_string();
    } else {
        url.path = rest.to_string();
    }
    Ok(url)
}

fn get_scheme(raw: &str) -> Result<(&str, &str), GoError> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return Ok(("", raw));
                }
            }
            b':' => {
                if i == 0 {
                    return Err("missing protocol scheme".into());
                }
                return Ok((&raw[..i], &raw[i + 1..]));
            }
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

fn parse_host(host: &str) -> Result<String, GoError> {
    if host.starts_with('[') {
        let Some(i) = host.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        let colon_port = &host[i + 1..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {} after host", q(colon_port)).into());
        }
    } else if let Some(i) = host.rfind(':') {
        let colon_port = &host[i..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {} after host", q(colon_port)).into());
        }
    }
    Ok(host.to_string())
}

/// `sideronet.ValidateEndpointURI`.
pub(super) fn validate_endpoint_uri(ep: &str) -> Result<(), GoError> {
    let u = url_parse(ep, false)?;
    if u.host.matches(':').count() > 2 && (!u.host.contains('[') || !u.host.contains(']')) {
        return Err("IPv6 addresses MUST be enclosed by square brackets".into());
    }
    if u.hostname().is_empty() {
        return Err("hostname must not be blank".into());
    }
    let port = u.port();
    if !port.is_empty() {
        match port.parse::<i64>() {
            Err(_) => return Err("port number must be numeric".into()),
            Ok(p) if !(1..=65535).contains(&p) => {
                return Err("port number must be between 1 and 65535".into());
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

/// `sideronet.AddressContainsPort` (`host:port`, IPv6 hosts in brackets).
pub(super) fn address_contains_port(addr: &str) -> bool {
    let host = if let Some(rest) = addr.strip_prefix('[') {
        let Some(end) = rest.find(']') else {
            return false;
        };
        if !rest[end + 1..].starts_with(':') || rest[end + 1..].is_empty() {
            return false;
        }
        if rest[end + 2..].contains(':') {
            return false;
        }
        &rest[..end]
    } else {
        let Some(i) = addr.rfind(':') else {
            return false;
        };
        let host = &addr[..i];
        if host.contains(':') {
            return false;
        }
        host
    };
    !host.contains(':') || netip_parse_addr(host).is_ok()
}

/// `base64.StdEncoding.DecodeString` (line breaks ignored, non-zero trailing bits allowed);
/// errors read like Go's `CorruptInputError`.
pub(super) fn go_base64(s: &str) -> Result<Vec<u8>, GoError> {
    use base64::Engine;
    let corrupt = |at: usize| GoError(format!("illegal base64 data at input byte {at}"));
    let alphabet = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
    if let Some(i) = s
        .bytes()
        .position(|b| !alphabet(b) && b != b'=' && b != b'\n' && b != b'\r')
    {
        return Err(corrupt(i));
    }
    let clean: String = s.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    if let Some(p) = clean.find('=') {
        // padding only at the end of the last quantum
        if !clean.len().is_multiple_of(4)
            || clean[p..].bytes().any(|b| b != b'=')
            || clean.len() - p > 2
        {
            return Err(corrupt(p));
        }
    } else if !clean.len().is_multiple_of(4) {
        // a truncated final quantum is reported at its start
        return Err(corrupt(clean.len() - clean.len() % 4));
    }
    let lenient = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
    );
    lenient.decode(&clean).map_err(|_| corrupt(0))
}

/// `humanize.ParseBytes` (go-humanize): a number with an optional SI/IEC unit.
pub(super) fn humanize_parse_bytes(s: &str) -> Result<u64, GoError> {
    let digits = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .map(char::len_utf8)
        .sum::<usize>();
    let num = s[..digits].replace(',', "");
    let f: f64 = go_parse_float(&num)
        .ok_or_else(|| format!("strconv.ParseFloat: parsing {}: invalid syntax", q(&num)))?;
    let extra = s[digits..].trim().to_lowercase();
    let mult: f64 = match extra.as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "ki" | "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mi" | "mib" => 1024f64.powi(2),
        "g" | "gb" => 1e9,
        "gi" | "gib" => 1024f64.powi(3),
        "t" | "tb" => 1e12,
        "ti" | "tib" => 1024f64.powi(4),
        "p" | "pb" => 1e15,
        "pi" | "pib" => 1024f64.powi(5),
        "e" | "eb" => 1e18,
        "ei" | "eib" => 1024f64.powi(6),
        _ => return Err(format!("unhandled size name: {extra}").into()),
    };
    let v = f * mult;
    if v >= u64::MAX as f64 {
        return Err(format!("too large: {s}").into());
    }
    Ok(v as u64)
}

/// `strconv.ParseFloat` on the digits-and-dots prefix humanize hands it.
fn go_parse_float(s: &str) -> Option<f64> {
    if s.is_empty() || s == "." {
        return None;
    }
    s.parse().ok()
}

/// Whether `time.ParseDuration` accepts a string (`1m30s`, `-1.5h`, `0`).
pub(super) fn is_go_duration(s: &str) -> bool {
    use regex::Regex;
    use std::sync::OnceLock;
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^[-+]?(0|((\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$").expect("static regex")
    })
    .is_match(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_parsers_match_go_messages() {
        assert_eq!(
            parse_cidr("10.3.x/24").unwrap_err(),
            "invalid CIDR address: 10.3.x/24"
        );
        assert!(parse_cidr("10.0.0.0/8").is_ok());
        assert_eq!(
            validate_ip_or_cidr("10.3.x").unwrap_err(),
            "failed to parse IP address \"10.3.x\""
        );
        assert_eq!(
            netip_parse_addr("foo").unwrap_err(),
            "ParseAddr(\"foo\"): unable to parse IP"
        );
        assert_eq!(
            netip_parse_addr("1.2.3").unwrap_err(),
            "ParseAddr(\"1.2.3\"): IPv4 address too short"
        );
        assert_eq!(
            netip_parse_prefix("1.2.3.4").unwrap_err(),
            "netip.ParsePrefix(\"1.2.3.4\"): no '/'"
        );
        assert_eq!(
            validate_endpoint_uri("/manifest.yaml").unwrap_err(),
            "hostname must not be blank"
        );
        assert_eq!(
            url_parse("foo", true).unwrap_err(),
            "parse \"foo\": invalid URI for request"
        );
        assert_eq!(
            validate_endpoint_uri("https://host:70000").unwrap_err(),
            "port number must be between 1 and 65535"
        );
        assert_eq!(
            validate_endpoint_uri("https://2001:db8::1:6443").unwrap_err(),
            "IPv6 addresses MUST be enclosed by square brackets"
        );
        assert!(validate_endpoint_uri("https://[2001:db8::1]:6443").is_ok());
        assert!(address_contains_port("1.2.3.4:51820"));
        assert!(address_contains_port("[fd00::1]:51820"));
        assert!(!address_contains_port("1.2.3.4"));
        assert!(is_subnet_or_address("10.0.0.0/8") && is_subnet_or_address("::1"));
        assert!(!is_subnet_or_address("10") && !is_subnet_or_address("123::/456"));
        assert_eq!(humanize_parse_bytes("100GB"), Ok(100_000_000_000));
        assert_eq!(humanize_parse_bytes("1.5 GiB"), Ok(1_610_612_736));
        assert_eq!(humanize_parse_bytes("1,000"), Ok(1000));
        assert_eq!(
            humanize_parse_bytes("10 xb").unwrap_err(),
            "unhandled size name: xb"
        );
        assert_eq!(
            humanize_parse_bytes("big").unwrap_err(),
            "strconv.ParseFloat: parsing \"\": invalid syntax"
        );
        assert!(is_go_duration("1m30s") && is_go_duration("-1.5h") && is_go_duration("0"));
        assert!(!is_go_duration("1 min") && !is_go_duration("60") && !is_go_duration(""));
    }
}
