//! `X-Twilio-Signature` webhook validation, computed the way Twilio's official helper libraries do it
//! (twilio-python `twilio/request_validator.py`, twilio-node `lib/webhooks/webhooks.ts`, twilio-go
//! `client/request_validator.go`, twilio-php `Security/RequestValidator.php`):
//!
//! - signature = Base64(HMAC-SHA1(auth token, URL + for each parameter sorted by key, then by value: key + value)),
//!   a repeated identical key/value pair counted once;
//! - Twilio is inconsistent about the port, so the URL is tried both with its port (`:443` / `:80` added when
//!   absent) and without it (removed when present);
//! - a webhook whose body is not form-encoded (JSON) is signed over the URL alone, and that URL carries a
//!   `bodySHA256` query parameter that must equal the lower-case hex SHA-256 of the raw body.
//!
//! Signatures are compared in constant time. An empty auth token validates nothing.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The signature Twilio would send for this URL and these form parameters.
pub fn compute(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    sorted.sort_unstable();
    sorted.dedup();
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha1>::new_from_slice(auth_token.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(url.as_bytes());
    for (key, value) in sorted {
        mac.update(key.as_bytes());
        mac.update(value.as_bytes());
    }
    BASE64.encode(mac.finalize().into_bytes())
}

/// Validate a form-encoded webhook: true if `signature` matches `url` with or without its port.
pub fn validate_form(auth_token: &str, url: &str, params: &[(String, String)], signature: &str) -> bool {
    if auth_token.is_empty() {
        return false;
    }
    let (with_port, without_port) = port_variants(url);
    let a = constant_time_eq(&compute(auth_token, &with_port, params), signature);
    let b = constant_time_eq(&compute(auth_token, &without_port, params), signature);
    a | b
}

/// Validate a webhook with a non-form body: signature over the URL (with/without port) and bodySHA256 must match
/// the body. False when the URL has no `bodySHA256` parameter.
pub fn validate_body(auth_token: &str, url: &str, body: &[u8], signature: &str) -> bool {
    let Some(expected_hash) = query_param(url, "bodySHA256") else {
        return false;
    };
    let actual_hash: String = Sha256::digest(body).iter().map(|b| format!("{b:02x}")).collect();
    let body_ok = constant_time_eq(&actual_hash, expected_hash);
    let signature_ok = validate_form(auth_token, url, &[], signature);
    body_ok & signature_ok
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// The first value of query parameter `name` in `url` (no percent-decoding: Twilio's hex hash never needs it).
fn query_param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    let (_, query) = url.split_once('?')?;
    let query = query.split('#').next().unwrap_or_default();
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// `url` with its port (the scheme's default added when it has none) and without it (removed when it has one).
/// The rest of the URL (userinfo, path, query, fragment) is kept byte for byte. A URL without `scheme://` is
/// returned unchanged twice.
fn port_variants(url: &str) -> (String, String) {
    let Some((scheme, after_scheme)) = url.split_once("://") else {
        return (url.to_string(), url.to_string());
    };
    let authority_end = after_scheme.find(['/', '?', '#']).unwrap_or(after_scheme.len());
    let (authority, rest) = after_scheme.split_at(authority_end);
    let (userinfo, host_port) = match authority.rfind('@') {
        Some(at) => authority.split_at(at + 1),
        None => ("", authority),
    };
    // An IPv6 literal is bracketed ("[::1]:8443"); otherwise the port follows the last ':'.
    let port_at = match host_port.rfind(']') {
        Some(bracket) => host_port[bracket..].find(':').map(|i| bracket + i),
        None => host_port.rfind(':'),
    };
    let (host, port) = match port_at {
        Some(colon) => (&host_port[..colon], &host_port[colon + 1..]),
        None => (host_port, ""),
    };
    let default_port = if scheme.eq_ignore_ascii_case("https") {
        "443"
    } else {
        "80"
    };
    let build = |port: &str| {
        let colon = if port.is_empty() { "" } else { ":" };
        format!("{scheme}://{userinfo}{host}{colon}{port}{rest}")
    };
    if port.is_empty() {
        (build(default_port), build(""))
    } else {
        (url.to_string(), build(""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The fixture shared by the official helper libraries' test suites: twilio-python
    // tests/unit/test_request_validator.py, twilio-go client/request_validator_test.go, twilio-php
    // tests/Twilio/Unit/Security/RequestValidatorTest.php and twilio-csharp's RequestValidatorTest.
    const TOKEN: &str = "12345";
    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const BODY: &[u8] = br#"{"property": "value", "boolean": true}"#;
    const BODY_HASH: &str = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    /// The helper libraries' parameters, deliberately out of order.
    fn params() -> Vec<(String, String)> {
        pairs(&[
            ("Digits", "1234"),
            ("CallSid", "CA1234567890ABCDE"),
            ("To", "+18005551212"),
            ("Caller", "+14158675309"),
            ("From", "+14158675309"),
        ])
    }

    #[test]
    fn helper_library_vector() {
        assert_eq!(compute(TOKEN, URL, &params()), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assert!(validate_form(TOKEN, URL, &params(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    #[test]
    fn documented_example() {
        // The worked example of Twilio's older "Security" docs page (twilio.com/docs/usage/security).
        let docs = pairs(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]);
        assert_eq!(compute(TOKEN, URL, &docs), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
        assert!(validate_form(TOKEN, URL, &docs, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
    }

    #[test]
    fn port_added_or_removed() {
        let p = params();
        // Signed without the port, received with one: the port is removed.
        assert!(validate_form(
            TOKEN,
            "https://mycompany.com:1234/myapp.php?foo=1&bar=2",
            &p,
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        ));
        // Signed with the default port, received without it: the port is added.
        assert!(validate_form(TOKEN, URL, &p, "kvajT1Ptam85bY51eRf/AJRuM3w=")); // https, :443
        assert!(validate_form(
            TOKEN,
            "http://mycompany.com/myapp.php?foo=1&bar=2",
            &p,
            "0ZXoZLH/DfblKGATFgpif+LLRf4="
        )); // :80
        assert!(validate_form(
            TOKEN,
            "http://mycompany.com:1234/myapp.php?foo=1&bar=2",
            &p,
            "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="
        ));
        // ... but never some other port.
        let on_8443 = compute(TOKEN, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", &p);
        assert!(!validate_form(TOKEN, URL, &p, &on_8443));
    }

    #[test]
    fn credentials_in_the_url() {
        // twilio-php testBuildUrlCreds / testBuildUrlWithUser / testBuildUrlCredsAddsPort.
        let p = params();
        let creds = "https://user:pass@mycompany.com/myapp.php?foo=1&bar=2";
        assert!(validate_form(TOKEN, creds, &p, "CukzLTc1tT5dXEDIHm/tKBanW10="));
        assert!(validate_form(TOKEN, creds, &p, "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=")); // with :443
        let user = "https://user@mycompany.com/myapp.php?foo=1&bar=2";
        assert!(validate_form(TOKEN, user, &p, "2YRLlVAflCqxaNicjMpJcSTgzSs="));
        let creds_443 = "https://user:pass@mycompany.com:443/myapp.php?foo=1&bar=2";
        assert!(validate_form(TOKEN, creds_443, &p, "CukzLTc1tT5dXEDIHm/tKBanW10="));
    }

    #[test]
    fn repeated_keys_sort_values_and_drop_duplicates() {
        // twilio-python test_compute_signature_duplicate_multi_dict and twilio-php testValidateWithArrayAndDuplicates.
        let p = pairs(&[
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
            ("Digits", "1234"),
        ]);
        assert_eq!(compute(TOKEN, URL, &p), "IK+Dwps556ElfBT0I3Rgjkr1wJU=");
        assert!(validate_form(TOKEN, URL, &p, "IK+Dwps556ElfBT0I3Rgjkr1wJU="));
    }

    #[test]
    fn keys_sort_whole_before_values() {
        // twilio-go: "Reason" sorts before "ReasonConferenceEnded" (95+Bu0... is the wrong order).
        let mut p = params();
        p.extend(pairs(&[("ReasonConferenceEnded", "test"), ("Reason", "Participant")]));
        assert_eq!(compute(TOKEN, URL, &p), "vOEb5UThFn24KEfnOFLQY2AE5FY=");
        assert!(!validate_form(TOKEN, URL, &p, "95+Bu0JVPi0r/SsESZCVf0dWAjw="));
        assert!(validate_form(
            TOKEN,
            "http://mycompany.com/myapp.php?foo=1&bar=2",
            &p,
            "n2xBNyzSW7rfYStDtOFiFMv7qNo="
        ));
        // twilio-go: a form body "property=value&boolean=true" signed over the plain URL.
        let form = pairs(&[("property", "value"), ("boolean", "true")]);
        assert!(validate_form(TOKEN, URL, &form, "NBdBDr/T/lgjI+tlgpXjKZQZs/k="));
    }

    #[test]
    fn wrong_token_tampering_and_junk_fail() {
        let p = params();
        let good = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
        assert!(!validate_form("54321", URL, &p, good));
        assert!(!validate_form("", URL, &p, &compute("", URL, &p)));
        let mut tampered = p.clone();
        tampered[0].1 = "9999".into();
        assert!(!validate_form(TOKEN, URL, &tampered, good));
        let mut extra = p.clone();
        extra.push(("Body".into(), "STOP".into()));
        assert!(!validate_form(TOKEN, URL, &extra, good));
        assert!(!validate_form(
            TOKEN,
            "https://mycompany.com/myapp.php?foo=1&bar=3",
            &p,
            good
        ));
        for sig in [
            "",
            "RSOYDt4T1cUTdK1PDd93/VVr8B8",
            "rsoydt4t1cutdk1pdd93/vvr8b8=",
            "WRONG SIGNATURE",
        ] {
            assert!(!validate_form(TOKEN, URL, &p, sig), "{sig}");
        }
        for url in [
            "",
            "://",
            "https://",
            "https://[",
            "https://[::1",
            "no scheme at all",
            "https://é:💥/ü?#",
        ] {
            let sig = compute(TOKEN, url, &p);
            assert!(validate_form(TOKEN, url, &p, &sig), "{url}");
            assert!(!validate_body(TOKEN, url, BODY, &sig), "{url}");
        }
    }

    #[test]
    fn json_body_with_body_sha256() {
        // twilio-python test_validation_of_body_succeeds; twilio-go ValidateBody.
        let url = format!("{URL}&bodySHA256={BODY_HASH}");
        assert!(validate_body(TOKEN, &url, BODY, "a9nBmqA0ju/hNViExpshrM61xv4="));
        let only = format!("https://mycompany.com/myapp.php?bodySHA256={BODY_HASH}");
        assert!(validate_body(TOKEN, &only, BODY, "y77kIzt2vzLz71DgmJGsen2scGs="));
        // The port variants apply here too.
        let with_port = format!("https://mycompany.com:443/myapp.php?bodySHA256={BODY_HASH}");
        assert!(validate_body(TOKEN, &with_port, BODY, "y77kIzt2vzLz71DgmJGsen2scGs="));
        // A changed body, a missing hash, a wrong token, a wrong signature.
        assert!(!validate_body(
            TOKEN,
            &url,
            br#"{"property": "value", "boolean": false}"#,
            "a9nBmqA0ju/hNViExpshrM61xv4="
        ));
        assert!(!validate_body(TOKEN, URL, BODY, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        assert!(!validate_body(TOKEN, URL, BODY, &compute(TOKEN, URL, &[])));
        assert!(!validate_body("54321", &url, BODY, "a9nBmqA0ju/hNViExpshrM61xv4="));
        assert!(!validate_body(TOKEN, &url, BODY, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
        let upper = format!("{URL}&bodySHA256={}", BODY_HASH.to_uppercase());
        assert!(!validate_body(TOKEN, &upper, BODY, &compute(TOKEN, &upper, &[])));
    }

    #[test]
    fn port_variants_of_odd_urls() {
        let v = |url: &str| port_variants(url);
        assert_eq!(
            v("https://[::1]/hook?x=1"),
            ("https://[::1]:443/hook?x=1".into(), "https://[::1]/hook?x=1".into())
        );
        assert_eq!(
            v("http://[2001:db8::1]:8080/h"),
            ("http://[2001:db8::1]:8080/h".into(), "http://[2001:db8::1]/h".into())
        );
        assert_eq!(
            v("https://a.com?x=1#f"),
            ("https://a.com:443?x=1#f".into(), "https://a.com?x=1#f".into())
        );
        assert_eq!(
            v("https://a.com/p?u=http://b:1"),
            (
                "https://a.com:443/p?u=http://b:1".into(),
                "https://a.com/p?u=http://b:1".into()
            )
        );
        assert_eq!(
            v("HTTPS://A.com:/p"),
            ("HTTPS://A.com:443/p".into(), "HTTPS://A.com/p".into())
        );
        // An IPv6 host signed with its port validates without it.
        let sig = compute(TOKEN, "https://[::1]:443/hook", &params());
        assert!(validate_form(TOKEN, "https://[::1]/hook", &params(), &sig));
    }
}
