//! A small `multipart/form-data` reader for the one page that takes a file (Imports): axum's
//! `Multipart` needs the `multer` crate, which this build does not carry, and a file input
//! without JavaScript can only be sent this way. The body is read whole (the page caps it), so
//! this is a plain split on the boundary (RFC 7578), no streaming.

/// One field of a form: its name, the file name a file input sent, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    pub name: String,
    pub file_name: Option<String>,
    pub data: &'a [u8],
}

/// The boundary of a `multipart/form-data` content type, if it is one.
pub fn boundary(content_type: &str) -> Option<String> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        let v = v.trim().trim_matches('"');
        (k.trim().eq_ignore_ascii_case("boundary") && !v.is_empty() && v.len() <= 200).then(|| v.to_string())
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| &hay[i..i + needle.len()] == needle)
}

/// A `name="..."` parameter of a Content-Disposition line.
fn param(line: &str, key: &str) -> Option<String> {
    let lower = line.to_ascii_lowercase();
    let at = lower.find(&format!("{key}=\""))? + key.len() + 2;
    let end = line[at..].find('"')?;
    Some(line[at..at + end].to_string())
}

/// The parts of `body`, or None when it is not a well-formed form.
pub fn parts<'a>(body: &'a [u8], boundary: &str) -> Option<Vec<Part<'a>>> {
    let delimiter = format!("--{boundary}");
    let between = format!("\r\n--{boundary}");
    let mut at = find(body, delimiter.as_bytes(), 0)? + delimiter.len();
    let mut out = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            return Some(out);
        }
        at += if body[at..].starts_with(b"\r\n") {
            2
        } else {
            return None;
        };
        let head_end = find(body, b"\r\n\r\n", at)?;
        let head = std::str::from_utf8(&body[at..head_end]).ok()?;
        let disposition = head
            .split("\r\n")
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
        let name = param(disposition, "name")?;
        let file_name = param(disposition, "filename");
        let data_start = head_end + 4;
        let data_end = find(body, between.as_bytes(), data_start)?;
        out.push(Part {
            name,
            file_name,
            data: &body[data_start..data_end],
        });
        at = data_end + between.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_form_with_a_file_is_read_into_its_parts() {
        let ct = "multipart/form-data; boundary=----WebKitFormBoundaryX1";
        let b = boundary(ct).unwrap();
        assert_eq!(b, "----WebKitFormBoundaryX1");
        let body = "------WebKitFormBoundaryX1\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n\
                    ------WebKitFormBoundaryX1\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ros.csv\"\r\n\
                    Content-Type: text/csv\r\n\r\nRO,Date\r\n1,2\r\n\r\n------WebKitFormBoundaryX1--\r\n";
        let p = parts(body.as_bytes(), &b).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].name.as_str(), p[0].data), ("csrf", &b"abc"[..]));
        assert_eq!(p[1].file_name.as_deref(), Some("ros.csv"));
        assert_eq!(p[1].data, b"RO,Date\r\n1,2\r\n");
    }

    #[test]
    fn anything_else_is_refused() {
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
        assert_eq!(boundary("multipart/form-data"), None);
        assert_eq!(parts(b"no boundary here", "x"), None);
        assert_eq!(
            parts(
                b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
                "x"
            ),
            None
        );
        assert_eq!(parts(b"--x--\r\n", "x"), Some(vec![]));
    }
}
