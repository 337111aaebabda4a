//! `v1alpha1.Endpoint` (a `*url.URL`) as Talos decodes, merges and marshals it.
//!
//! Go's `merge.Merge` walks into the `url.URL` struct, so a patch endpoint replaces only the
//! URL parts it has: `https://a/` patched with `https://b` is `https://b/` (the patch has no
//! path, the base's `/` stays). The text is split as `url.Parse` splits it and joined as
//! `URL.String()` joins it; parts are kept in their escaped form, which round-trips.

use crate::talos::GoError;

/// The fields of a Go `url.URL` that `URL.String()` reads.
#[derive(Debug, Default, Clone, PartialEq)]
struct Url {
    scheme: String,
    opaque: String,
    /// `userinfo` without the `@` (`None`: a nil `*Userinfo`).
    user: Option<String>,
    host: String,
    path: String,
    omit_host: bool,
    force_query: bool,
    raw_query: String,
    fragment: String,
}

/// Splits `raw` like `url.Parse` (scheme lower-cased); `None` where Go fails, so callers
/// leave such a value to the validator.
fn parse(raw: &str) -> Option<Url> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return None;
    }
    let mut u = Url::default();
    let (rest, fragment) = raw.split_once('#').unwrap_or((raw, ""));
    u.fragment = fragment.to_string();
    let (scheme, mut rest) = scheme(rest)?;
    u.scheme = scheme.to_ascii_lowercase();
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        u.force_query = true;
        rest = &rest[..rest.len() - 1];
    } else if let Some((r, q)) = rest.split_once('?') {
        u.raw_query = q.to_string();
        rest = r;
    }
    if !rest.starts_with('/') && !u.scheme.is_empty() {
        u.opaque = rest.to_string();
        return Some(u);
    }
    if rest.starts_with("//") && (!u.scheme.is_empty() || !rest.starts_with("///")) {
        let authority = &rest[2..];
        let (authority, path) = match authority.find('/') {
            Some(i) => (&authority[..i], &authority[i..]),
            None => (authority, ""),
        };
        match authority.rfind('@') {
            Some(i) => {
                u.user = Some(authority[..i].to_string());
                u.host = authority[i + 1..].to_string();
            }
            None => u.host = authority.to_string(),
        }
        u.path = path.to_string();
    } else {
        if !u.scheme.is_empty() && rest.starts_with('/') {
            u.omit_host = true;
        }
        u.path = rest.to_string();
    }
    Some(u)
}

/// `getScheme`: the scheme and the rest, or `None` for Go's "missing protocol scheme".
fn scheme(raw: &str) -> Option<(&str, &str)> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return None,
            b':' => return Some((&raw[..i], &raw[i + 1..])),
            _ => return Some(("", raw)),
        }
    }
    Some(("", raw))
}

impl Url {
    /// `URL.String()`.
    fn string(&self) -> String {
        let mut buf = String::new();
        if !self.scheme.is_empty() {
            buf.push_str(&self.scheme);
            buf.push(':');
        }
        if self.opaque.is_empty() {
            let authority = !self.scheme.is_empty() || !self.host.is_empty() || self.user.is_some();
            let omitted = self.omit_host && self.host.is_empty() && self.user.is_none();
            if authority && !omitted {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    buf.push_str("//");
                }
                if let Some(u) = &self.user {
                    buf.push_str(u);
                    buf.push('@');
                }
                buf.push_str(&self.host);
            }
            if !self.path.is_empty() && !self.path.starts_with('/') && !self.host.is_empty() {
                buf.push('/');
            }
            if buf.is_empty() {
                // RFC 3986 §4.2: a first segment with a colon would read as a scheme.
                let segment = self.path.split('/').next().unwrap_or("");
                if segment.contains(':') {
                    buf.push_str("./");
                }
            }
            buf.push_str(&self.path);
        } else {
            buf.push_str(&self.opaque);
        }
        if self.force_query || !self.raw_query.is_empty() {
            buf.push('?');
            buf.push_str(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            buf.push('#');
            buf.push_str(&self.fragment);
        }
        buf
    }
}

/// Fills `left` from `right` as `merge.Merge` does on the struct: non-empty strings replace,
/// the booleans always do; a `nil` user keeps the left one.
fn merge_url(left: &mut Url, right: &Url) -> Result<(), GoError> {
    let set = |l: &mut String, r: &String| {
        if !r.is_empty() {
            l.clone_from(r);
        }
    };
    set(&mut left.scheme, &right.scheme);
    set(&mut left.opaque, &right.opaque);
    match (&left.user, &right.user) {
        // `url.Userinfo` has only unexported fields, which Go's reflection cannot set.
        (Some(_), Some(_)) => {
            return Err("merge not possible: both endpoints have user information".into());
        }
        (None, Some(r)) => left.user = Some(r.clone()),
        _ => {}
    }
    set(&mut left.host, &right.host);
    set(&mut left.path, &right.path);
    left.omit_host = right.omit_host;
    left.force_query = right.force_query;
    set(&mut left.raw_query, &right.raw_query);
    set(&mut left.fragment, &right.fragment);
    Ok(())
}

/// Merges a patch endpoint into the config's; `Ok(None)` when either side is not a URL
/// Go parses (the patch value then replaces, and the validator reports it).
pub(super) fn merge(left: &str, right: &str) -> Result<Option<String>, GoError> {
    let (Some(mut l), Some(r)) = (parse(left), parse(right)) else {
        return Ok(None);
    };
    merge_url(&mut l, &r)?;
    Ok(Some(l.string()))
}

/// The endpoint as Talos marshals it after decoding (`URL.String()` of `url.Parse`).
pub(super) fn canonical(raw: &str) -> Option<String> {
    parse(raw).map(|u| u.string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_merge_field_by_field() {
        let m = |l: &str, r: &str| merge(l, r).unwrap().unwrap();
        assert_eq!(m("https://a/", "https://b"), "https://b/");
        assert_eq!(m("https://a:6443", "https://b:443"), "https://b:443");
        assert_eq!(m("https://a:6443/x?q=1", "tcp://b"), "tcp://b/x?q=1");
        assert_eq!(
            m("udp://127.0.0.1:1234/", "udp://10.0.0.1:99"),
            "udp://10.0.0.1:99/"
        );
        assert_eq!(m("https://a", "https://u@b"), "https://u@b");
        assert!(merge("https://u@a", "https://v@b").is_err());
        assert_eq!(merge("https://a", ":bad").unwrap(), None);
    }

    #[test]
    fn urls_round_trip_like_go() {
        for (raw, want) in [
            ("https://base:6443", "https://base:6443"),
            ("HTTPS://Base:6443/", "https://Base:6443/"),
            ("udp://127.0.0.1:12345/", "udp://127.0.0.1:12345/"),
            ("mailto:x@y", "mailto:x@y"),
            ("file:///etc", "file:///etc"),
            ("https://a?", "https://a?"),
            ("https://a#f", "https://a#f"),
            ("a/b", "a/b"),
        ] {
            assert_eq!(canonical(raw).as_deref(), Some(want), "{raw}");
        }
        assert_eq!(canonical("://x"), None);
    }
}
