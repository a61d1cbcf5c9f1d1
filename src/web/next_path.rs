//! Where to send someone after they sign in (`next`): a path on this site, or `/`.
//!
//! The one canonicalisation used everywhere a `next` is read or written (the signed-out
//! redirect, the login form, the redirect after sign-in). Browsers are lenient with a
//! `Location`: they drop tabs and newlines (`/\t/evil.example` becomes `//evil.example`, another
//! host), read `\` as `/`, and a header with a newline cannot be sent at all. So a `next` is kept
//! only when it is unambiguously a path on this origin, both as given and after
//! percent-decoding (repeatedly, so an encoding of an encoding hides nothing); anything else
//! becomes `/`.

/// Longer than any address the dashboard makes; a longer `next` is not worth echoing back.
const MAX_NEXT_LEN: usize = 2048;

/// `raw` if it is a same-origin path, else `/`.
pub fn canonical_next(raw: Option<&str>) -> String {
    match raw {
        Some(path) if is_same_origin_path(path) => path.to_string(),
        _ => "/".to_string(),
    }
}

/// Starts with exactly one `/` followed by something other than `/` or `\`, and neither it nor
/// any percent-decoding of it holds a control or whitespace character, a backslash or a
/// scheme.
fn is_same_origin_path(raw: &str) -> bool {
    if raw.len() > MAX_NEXT_LEN {
        return false;
    }
    let mut form = raw.to_string();
    loop {
        if !is_plain_path(&form) {
            return false;
        }
        let decoded = percent_decode(&form);
        if decoded == form {
            return true;
        }
        form = decoded;
    }
}

fn is_plain_path(s: &str) -> bool {
    let mut chars = s.chars();
    let starts_as_path = chars.next() == Some('/') && !matches!(chars.next(), Some('/' | '\\'));
    starts_as_path && !has_scheme(s) && !s.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\')
}

/// `scheme:` at the start (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`). A string
/// that starts with `/` never has one; checked anyway so the rule does not rest on that.
fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// One round of percent-decoding (`+` is left alone: that is form encoding, not a URL's).
/// Bytes that are not UTF-8 after decoding become U+FFFD, which is neither control nor space.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_on_this_site_are_kept() {
        for ok in [
            "/",
            "/threads?x=1",
            "/offers/12",
            "/leads?q=John+Smith&page=2",
            "/leads?q=Nguy%E1%BB%85n",
            "/leads?q=100%25",
            "/a%",
            "/javascript:alert(1)",
        ] {
            assert_eq!(canonical_next(Some(ok)), ok, "{ok:?}");
        }
    }

    #[test]
    fn anything_that_could_leave_the_site_or_break_a_header_becomes_root() {
        for bad in [
            "",
            "threads",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/%09/evil.example",
            "/\t/evil.example",
            "/%2F%2Fevil.example",
            "/%2f/evil.example",
            "/%5Cevil.example",
            "/%252F%252Fevil.example",
            "https://evil.example",
            "HTTPS://evil.example",
            "javascript:alert(1)",
            " /threads",
            "/%0d%0aSet-Cookie:x",
            "/\r\nSet-Cookie:x",
            "/threads\n",
            "/threads\x0b",
            "/threads%0B",
            "/threads\0",
            "/threads%00",
            "/threads\x7f",
            "/threads?q=a b",
            "/threads?q=a%20b",
            "/threads\u{2028}",
            "/threads\u{a0}",
        ] {
            assert_eq!(canonical_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(canonical_next(None), "/");
        assert_eq!(canonical_next(Some(&format!("/{}", "a".repeat(MAX_NEXT_LEN)))), "/");
    }

    #[test]
    fn percent_decoding_is_one_round_of_valid_escapes() {
        assert_eq!(percent_decode("/%2F%2fx"), "///x");
        assert_eq!(percent_decode("/%252F"), "/%2F");
        assert_eq!(percent_decode("/%zz%4"), "/%zz%4");
        assert_eq!(percent_decode("/%FF"), "/\u{fffd}");
    }
}
