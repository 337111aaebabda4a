//! Just enough DER to move P-256 keys between ring's PKCS#8 and Go's SEC1 layout.

/// DER of the OID 1.2.840.10045.2.1 (`id-ecPublicKey`), tag and length included.
const OID_EC_PUBLIC_KEY: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// DER of the OID 1.2.840.10045.3.1.7 (`prime256v1`), tag and length included.
pub(super) const OID_P256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

/// A DER element: tag, definite length, content.
pub(super) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// Reads one DER element: `(tag, content, rest)`.
pub(super) fn read_tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let (len_bytes, r) = rest.split_at(n);
        rest = r;
        len_bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// SEC1 `ECPrivateKey` (with curve parameters and public key, as Go writes) from a P-256
/// PKCS#8 key; ring omits the parameters inside PKCS#8, Go's parser needs them.
pub(super) fn ec_pkcs8_to_sec1(pkcs8: &[u8]) -> Option<Vec<u8>> {
    let (0x30, outer, _) = read_tlv(pkcs8)? else {
        return None;
    };
    let (0x02, _, rest) = read_tlv(outer)? else {
        return None;
    };
    let (0x30, _, rest) = read_tlv(rest)? else {
        return None;
    };
    let (0x04, inner, _) = read_tlv(rest)? else {
        return None;
    };
    let (0x30, ec, _) = read_tlv(inner)? else {
        return None;
    };
    let (0x02, _, rest) = read_tlv(ec)? else {
        return None;
    };
    let (0x04, d, mut rest) = read_tlv(rest)? else {
        return None;
    };
    let mut public = None;
    while let Some((tag, content, r)) = read_tlv(rest) {
        if tag == 0xa1 {
            public = Some(content);
        }
        rest = r;
    }
    let mut body = tlv(0x02, &[1]);
    body.extend(tlv(0x04, d));
    body.extend(tlv(0xa0, OID_P256));
    body.extend(tlv(0xa1, public?));
    Some(tlv(0x30, &body))
}

/// PKCS#8 wrapping of a SEC1 P-256 key (what ring accepts); `None` for other curves.
pub(super) fn ec_sec1_to_pkcs8(sec1: &[u8]) -> Option<Vec<u8>> {
    let (0x30, ec, _) = read_tlv(sec1)? else {
        return None;
    };
    let (0x02, _, rest) = read_tlv(ec)? else {
        return None;
    };
    let (0x04, _, mut rest) = read_tlv(rest)? else {
        return None;
    };
    while let Some((tag, content, r)) = read_tlv(rest) {
        if tag == 0xa0 && content != OID_P256 {
            return None;
        }
        rest = r;
    }
    let mut alg = OID_EC_PUBLIC_KEY.to_vec();
    alg.extend_from_slice(OID_P256);
    let mut body = tlv(0x02, &[0]);
    body.extend(tlv(0x30, &alg));
    body.extend(tlv(0x04, sec1));
    Some(tlv(0x30, &body))
}
